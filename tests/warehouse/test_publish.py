"""Publishing the snapshot: views, review decisions, derived entities, and failures that lose nothing."""

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from pipeline.errors import UserError
from pipeline.nlp.entities import assign_entities
from pipeline.warehouse.publish import autogroups, publish
from pipeline.warehouse.review_store import Decision, record
from pipeline.warehouse.storage import connect_published, connect_work, replace_partition, work_path
from tests.test_cli import veille

DAY = date(2026, 11, 4)
TEXT = (
    "À Rennes, la Région accorde 1,2 million d'euros au pôle Valorial. "
    "Anne Le Gall, présidente du pôle, salue l'annonce."
)


def _article(article_id: str, source: str = "ouest", duplicate_of: str | None = None) -> dict:
    return {
        "article_id": article_id,
        "partition_date": DAY,
        "url": f"https://exemple.fr/{article_id}",
        "source": source,
        "title": "Valorial soutenu par la Région",
        "published_at": datetime(2026, 11, 4, 7, 30, tzinfo=UTC),
        "text": TEXT,
        "n_chars": len(TEXT),
        "duplicate_of": duplicate_of,
    }


def _mentions(article_id: str, person: str = "Anne Le Gall", duplicate_of=None) -> list[dict]:
    found = [
        {"kind": "cluster", "text": "pôle Valorial", "name": "Valorial", "cluster_kind": "pole"},
        {
            "kind": "funding",
            "text": "1,2 million d'euros",
            "amount_eur": 1.2e6,
            "funder": "la Région",
        },
        {
            "kind": "official",
            "text": person,
            "name": person,
            "role": "président",
            "org": "Valorial",
        },
        {"kind": "location", "text": "Rennes", "name": "Rennes", "region": "Bretagne"},
    ]
    rows = assign_entities(found, "Bretagne")
    for i, row in enumerate(rows):
        start = TEXT.find(row["text"])
        row.update(
            mention_id=f"{article_id}-{i}",
            article_id=article_id,
            partition_date=DAY,
            source="ouest",
            start=start,
            end=start + len(row["text"]),
            duplicate_of=duplicate_of,
        )
    return rows


def _load(db, articles, mentions) -> None:
    with connect_work(db) as con:
        replace_partition(con, "articles", DAY, articles)
        replace_partition(con, "mentions", DAY, mentions)


def test_publish_builds_a_read_only_snapshot_with_views(tmp_path):
    db = tmp_path / "veille.duckdb"
    _load(db, [_article("a1")], _mentions("a1"))
    publish(db)
    with connect_published(db) as con:
        assert con.execute("SELECT article_id FROM articles").fetchall() == [("a1",)]
        assert con.execute("SELECT cluster FROM cluster_mentions").fetchall() == [("Valorial",)]
        assert con.execute("SELECT funder FROM funding_events").fetchall() == [("Région Bretagne",)]
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM articles")
    assert not (tmp_path / ".veille.duckdb.tmp").exists()


def test_a_reader_keeps_its_snapshot_while_a_new_one_is_published(tmp_path):
    db = tmp_path / "veille.duckdb"
    _load(db, [_article("a1")], [])
    publish(db)
    with connect_published(db) as reader:
        _load(db, [_article("a1"), _article("a2")], [])
        publish(db)
        assert reader.execute("SELECT count(*) FROM articles").fetchone() == (1,)
    with connect_published(db) as reader:
        assert reader.execute("SELECT count(*) FROM articles").fetchone() == (2,)


def test_review_decisions_apply_in_every_view(tmp_path):
    db = tmp_path / "veille.duckdb"
    _load(db, [_article("a1")], _mentions("a1"))
    record(
        db,
        Decision("a1-0", "rejected", "claire", reason="pas un pôle"),
        Decision(
            "a1-1",
            "corrected",
            "claire",
            field="amount_eur",
            old_value="1200000",
            new_value="1500000",
        ),
        Decision("a1-2", "corrected", "paul", field="role", new_value="directeur"),
        Decision("a1-2", "corrected", "paul", field="role", new_value="présidente"),
        Decision("a1-3", "rejected", "paul"),
        Decision("a1-3", "accepted", "paul"),  # changed her mind: the latest decision wins
    )
    publish(db)
    with connect_published(db) as con:
        assert con.execute("SELECT count(*) FROM cluster_mentions").fetchone() == (0,)
        assert con.execute("SELECT amount_eur, review_status FROM funding_events").fetchall() == [
            (1.5e6, "corrected")
        ]
        assert con.execute("SELECT total_eur FROM funding_totals").fetchall() == [(1.5e6,)]
        assert con.execute("SELECT role FROM official_mentions").fetchall() == [("présidente",)]
        statuses = con.execute(
            "SELECT kind, review_status FROM reviewed_mentions ORDER BY kind"
        ).fetchall()
        assert statuses == [
            ("funding", "corrected"),
            ("location", "accepted"),
            ("official", "corrected"),
        ]
        assert con.execute("SELECT count(*) FROM reviews").fetchone() == (6,)
        # the mention itself is kept as extracted; only the views apply the decisions
        assert con.execute("SELECT count(*) FROM mentions").fetchone() == (4,)


def test_entities_gather_spellings_and_copies_are_not_counted_twice(tmp_path):
    db = tmp_path / "veille.duckdb"
    _load(
        db,
        [_article("a1"), _article("a2", source="agence", duplicate_of="a1")],
        _mentions("a1") + _mentions("a2", person="ANNE LE-GALL", duplicate_of="a1"),
    )
    publish(db)
    with connect_published(db) as con:
        person = con.execute(
            "SELECT entity_id, name, mentions, articles FROM entities WHERE kind = 'person'"
        ).fetchall()
        assert len(person) == 1 and person[0][0] == "person:anne-le-gall" and person[0][3] == 2
        aliases = con.execute(
            "SELECT alias FROM entity_aliases WHERE entity_id = 'person:anne-le-gall' ORDER BY 1"
        ).fetchall()
        assert aliases == [("ANNE LE-GALL",), ("Anne Le Gall",)]
        assert con.execute(
            "SELECT alias FROM entity_aliases WHERE entity_id = 'funder:region-bretagne'"
        ).fetchall() == [("la Région",)]
        assert con.execute(
            "SELECT person_id, role, org, first_seen, articles FROM official_roles"
        ).fetchall() == [("person:anne-le-gall", "président", "Valorial", DAY, 2)]
        assert con.execute("SELECT sum(total_eur) FROM funding_totals").fetchone() == (1.2e6,)
        assert con.execute("SELECT count(*) FROM funding_events").fetchone() == (2,)


def test_a_damaged_snapshot_says_how_to_rebuild_it_and_publish_repairs_it(tmp_path):
    db = tmp_path / "veille.duckdb"
    _load(db, [_article("a1")], [])
    publish(db)
    db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(UserError, match="veille publish"), connect_published(db):
        pass
    publish(db)
    with connect_published(db) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (1,)


def test_a_missing_snapshot_points_at_publish_when_the_work_database_exists(tmp_path):
    db = tmp_path / "veille.duckdb"
    with pytest.raises(UserError, match="veille run"), connect_published(db):
        pass
    with pytest.raises(UserError, match="nothing to publish"):
        publish(db)
    _load(db, [_article("a1")], [])
    with pytest.raises(UserError, match="veille publish"), connect_published(db):
        pass


def test_a_failed_copy_leaves_the_previous_snapshot(tmp_path):
    db = tmp_path / "veille.duckdb"
    _load(db, [_article("a1")], [])
    publish(db)
    before = db.read_bytes()
    _load(db, [_article("a1"), _article("a2")], [])
    (tmp_path / ".veille.duckdb.tmp").mkdir()  # the copy cannot be written
    with pytest.raises(OSError):
        publish(db)
    assert db.read_bytes() == before
    assert work_path(db).exists()


def test_a_full_disk_fails_clearly_and_keeps_the_previous_snapshot(tmp_path):
    """A file-size limit makes the copy fail as a full disk would, in a real child process."""
    import resource
    import signal
    import subprocess
    import sys

    db = tmp_path / "veille.duckdb"
    _load(db, [_article("a1")], _mentions("a1"))
    publish(db)
    before = db.read_bytes()
    _load(db, [_article("a1"), _article("a2")], _mentions("a1") + _mentions("a2"))
    limit = work_path(db).stat().st_size // 2

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    child = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from pipeline.warehouse.publish import publish; publish({str(db)!r})",
        ],
        preexec_fn=small_disk,
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent.parent,
    )
    assert child.returncode == 1
    assert "DiskFullError: no room to publish" in child.stderr
    assert "the previous snapshot is intact" in child.stderr
    assert db.read_bytes() == before
    assert not (tmp_path / ".veille.duckdb.tmp").exists()
    publish(db)  # room again: the working database recovers and publishes everything
    with connect_published(db) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (2,)


def test_veille_publish_lowers_its_own_cpu_priority_once(tmp_path):
    """`lower_priority` (what `veille publish` calls first) sets the niceness to at least 10 and
    never adds it twice; run in a child process, since niceness cannot be raised back."""
    code = (
        "import os; from pipeline.warehouse.publish import lower_priority; "
        "start = os.nice(0); first = lower_priority(); second = lower_priority(); "
        "print(start, first, second, os.nice(0))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent.parent)},
    )
    start, first, second, now = map(int, done.stdout.split())
    assert first == second == now == max(start, 10)


def _threads_seen(records: list) -> list[str]:
    return [r.getMessage() for r in records if "DuckDB threads" in r.getMessage()]


def test_a_publish_runs_its_duckdb_work_on_the_threads_it_is_given(tmp_path, caplog, monkeypatch):
    """Both connections of a publish (preparing the working database, indexing the copy) read
    back the thread count asked for; without one, $VEILLE_PUBLISH_THREADS, else the cores less
    one, so a desk on the same machine keeps a core."""
    db = tmp_path / "veille.duckdb"
    _load(db, [_article("a1")], _mentions("a1"))
    caplog.set_level("DEBUG", logger="pipeline.warehouse.publish")
    publish(db, threads=3)
    assert _threads_seen(caplog.records) == ["publishing with 3 DuckDB threads"] * 2

    caplog.clear()
    monkeypatch.setenv("VEILLE_PUBLISH_THREADS", "1")
    publish(db)
    assert _threads_seen(caplog.records) == ["publishing with 1 DuckDB threads"] * 2

    caplog.clear()
    monkeypatch.delenv("VEILLE_PUBLISH_THREADS")
    publish(db)
    default = max(1, (os.cpu_count() or 1) - 1)
    assert _threads_seen(caplog.records) == [f"publishing with {default} DuckDB threads"] * 2
    with connect_published(db) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (1,)


def test_a_bad_thread_count_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    db = tmp_path / "veille.duckdb"
    _load(db, [_article("a1")], _mentions("a1"))
    monkeypatch.setenv("VEILLE_PUBLISH_THREADS", "deux")
    with pytest.raises(UserError, match="VEILLE_PUBLISH_THREADS"):
        publish(db)
    monkeypatch.delenv("VEILLE_PUBLISH_THREADS")
    with pytest.raises(UserError, match="at least 1 thread"):
        publish(db, threads=0)
    assert not db.exists()


def test_veille_publish_says_the_threads_and_priority_it_ran_at(tmp_path):
    """`veille publish --threads N` runs on N threads at nice 10 or more; 0 is refused by the
    command line with exit code 2."""
    db = tmp_path / "veille.duckdb"
    _load(db, [_article("a1")], _mentions("a1"))
    done = veille("publish", "--db", str(db), "--threads", "1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"published {db} (1 DuckDB thread, nice " in done.stdout
    assert int(done.stdout.split("nice ")[1].split(")")[0].split(",")[0]) >= 10
    refused = veille("publish", "--db", str(db), "--threads", "0", cwd=tmp_path)
    assert refused.returncode == 2
    assert "must be 1 or more" in refused.stderr


def test_under_autogroup_veille_publish_works_in_a_cpu_group_of_its_own(tmp_path):
    """Where Linux shares the CPU by session first, `veille publish` works in a child of its own
    session, whose group it gives a low priority, and never lowers the caller's session; its
    exit code is the child's (here killed at the publish's last step: the snapshot is kept)."""
    db = tmp_path / "veille.duckdb"
    _load(db, [_article("a1")], _mentions("a1"))
    ours = Path("/proc/self/autogroup").read_text() if autogroups() else None
    done = veille("publish", "--db", str(db), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert ("in a CPU group of its own" in done.stdout) == autogroups()
    if ours is not None:
        assert Path("/proc/self/autogroup").read_text() == ours
    before = db.read_bytes()
    _load(db, [_article("a1"), _article("a2")], _mentions("a1") + _mentions("a2"))
    killed = veille("publish", "--db", str(db), cwd=tmp_path, env={"VEILLE_CRASH_AT": "publish"})
    assert killed.returncode == 128 + 9 if autogroups() else killed.returncode < 0
    assert db.read_bytes() == before
