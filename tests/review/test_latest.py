"""The desk at scale: the live review state (the store's maintained `review_latest` plus the
snapshot's published state) says exactly what replaying the whole decision log says; the
snapshot is indexed for lookups; the queue reads the last month unless dates are given."""

import contextlib
import random
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from pipeline.errors import UserError
from pipeline.review import queue as rq
from pipeline.review.queue import fetch_dicts, open_live
from pipeline.warehouse import review_store as reviews
from pipeline.warehouse.publish import publish
from pipeline.warehouse.review_store import (
    Decision,
    added_mention,
    changes_since,
    record,
    store_path,
)
from pipeline.warehouse.storage import connect_published, work_path
from tests.review_data import (
    ARTICLES,
    DAY,
    NEXT_DAY,
    build_published,
    load_day,
    mention_rows,
)

COLUMNS = (
    "mention_id, review_status, name, role, org, amount_eur, funder, recipient, instrument, "
    "entity_id, speaker, text, article_region"
)
VALUES = {
    "name": ["Pôle Mer Bretagne", "Valorial", "Anne Le Gall"],
    "role": ["présidente", "directeur général"],
    "org": ["Région Bretagne", "Bpifrance"],
    "amount_eur": ["1500000", "800000"],
    "funder": ["Bpifrance", "Région Occitanie"],
    "recipient": ["Valorial", "les lauréats"],
    "instrument": ["subvention", "prêt"],
    "entity_id": ["cluster:valorial", "cluster:aerospace-valley"],
    "speaker": ["Marc Dupuis", "Anne Le Gall"],
}


def _live(db: Path) -> list[tuple]:
    with open_live(db) as con:
        rows = fetch_dicts(con, f"SELECT {COLUMNS} FROM live_mentions ORDER BY mention_id")
    return [tuple(r.values()) for r in rows]


def _replayed(db: Path) -> list[tuple]:
    """What the views say once every decision is published (sql/review_state.sql on the log)."""
    publish(db)
    with connect_published(db) as con:
        rows = fetch_dicts(con, f"SELECT {COLUMNS} FROM mentions_as_reviewed ORDER BY mention_id")
    return [tuple(r.values()) for r in rows]


def _random_decisions(rng: random.Random, count: int) -> list[Decision]:
    mentions = [m for key in ARTICLES for m in mention_rows(key)]
    decisions = []
    for _ in range(count):
        m = rng.choice(mentions)
        common = {"article_id": m["article_id"], "kind": m["kind"]}
        choice = rng.random()
        if choice < 0.35:
            decisions.append(Decision(m["mention_id"], "accepted", "claire", **common))
        elif choice < 0.55:
            decisions.append(
                Decision(m["mention_id"], "rejected", "claire", reason="doublon", **common)
            )
        elif choice < 0.9:
            field = rng.choice(sorted(VALUES))
            decisions.append(
                Decision(
                    m["mention_id"],
                    "corrected",
                    "paul",
                    field=field,
                    new_value=rng.choice(VALUES[field]),
                    **common,
                )
            )
        else:
            key = rng.choice(sorted(ARTICLES))
            text = ARTICLES[key][4]
            start = rng.randrange(0, len(text) - 12)
            piece = text[start : start + rng.randrange(4, 12)]
            kind = rng.choice(("cluster", "official", "location"))
            decisions.append(added_mention(key, text, kind, piece, "claire", start=start))
    return decisions


def test_the_live_state_is_the_replayed_log_across_publishes(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    rng = random.Random(19)
    statuses = set()
    for count in (8, 20, 60, 120):
        for decision in _random_decisions(rng, count):
            record(db, decision)
        live = _live(db)  # the snapshot's state, overridden by the decisions since
        assert live == _replayed(db)
        assert _live(db) == live  # right after a publish: nothing left to override
        statuses |= {row[1] for row in live}
    assert {"accepted", "rejected", "corrected", "added", "unreviewed"} <= statuses


def test_only_the_decisions_since_the_snapshot_are_read(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    first = _random_decisions(random.Random(1), 30)
    record(db, *first)
    publish(db)
    with connect_published(db) as con:
        [(published,)] = con.execute("SELECT max(decision_id) FROM reviews").fetchall()
    assert published == 30
    later = _random_decisions(random.Random(2), 5)
    record(db, *later)
    decisions, latest = changes_since(db, published)
    assert decisions.column("decision_id").to_pylist() == [31, 32, 33, 34, 35]
    assert sorted(latest.column("mention_id").to_pylist()) == sorted({d.mention_id for d in later})


def test_a_store_made_before_the_latest_table_is_filled_from_its_log(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    record(db, *_random_decisions(random.Random(3), 80))
    with sqlite3.connect(store_path(db)) as con:
        expected = con.execute("SELECT * FROM review_latest ORDER BY mention_id").fetchall()
        con.execute("DROP TRIGGER decisions_to_latest")
        con.execute("DROP TABLE review_latest")
    reviews._ready.clear()  # a new process opening the older store
    with reviews.connect_store(db) as con:
        rebuilt = con.execute("SELECT * FROM review_latest ORDER BY mention_id").fetchall()
    assert rebuilt == expected and len(rebuilt) > 20
    record(db, *_random_decisions(random.Random(4), 10))
    assert _live(db) == _replayed(db)


def test_the_snapshot_catalog_name_is_quoted(tmp_path):
    db = build_published(tmp_path / 'we"ird name.duckdb')
    record(db, *_random_decisions(random.Random(5), 10))
    assert _live(db) == _replayed(db)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT current_database()").fetchall() == [('we"ird name',)]


def test_the_snapshot_is_indexed_for_the_desks_lookups(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    with connect_published(db) as con:
        indexes = {
            (table, name)
            for table, name in con.execute(
                "SELECT table_name, index_name FROM duckdb_indexes()"
            ).fetchall()
        }
    assert {
        ("mentions", "mentions_by_id"),
        ("mentions", "mentions_by_article"),
        ("articles", "articles_by_id"),
    } <= indexes


def test_the_queue_shows_the_last_month_unless_dates_are_given(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    with open_live(db) as con:
        plain = rq.parse_filter({"status": "all"})
        windowed = rq.with_default_window(con, plain)
        assert windowed.date_from == NEXT_DAY - rq.DEFAULT_WINDOW
        assert rq.queue(con, windowed)[0] == rq.queue(con, plain)[0] > 0
        early = rq.parse_filter({"status": "all", "to": str(DAY)})
        assert rq.with_default_window(con, early) == early
        later = rq.with_default_window(con, rq.parse_filter({"from": str(NEXT_DAY)}))
        assert later.date_from == NEXT_DAY and later.date_to is None
        days = {row["day"] for row in rq.queue(con, replace(later, status="all"))[1]}
        assert days == {NEXT_DAY}


def test_a_publish_shows_at_once_even_while_a_request_holds_the_old_snapshot(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    record(db, *_random_decisions(random.Random(6), 20))
    with open_live(db) as held:  # a slow request on the snapshot being replaced
        [(before,)] = held.execute("SELECT count(*) FROM reviews").fetchall()
        publish(db)
        with open_live(db) as fresh:
            [(after,)] = fresh.execute("SELECT count(*) FROM reviews").fetchall()
        [(still,)] = held.execute("SELECT count(*) FROM reviews").fetchall()
    assert (before, after, still) == (0, 20, 0)
    with open_live(db) as again:
        assert again.execute("SELECT count(*) FROM reviews").fetchall() == [(20,)]


def test_the_filters_facts_follow_the_snapshot_a_request_reads(tmp_path):
    """A request that opened the old snapshot just before a publish replaced it must not file
    the old snapshot's facts under the new one."""
    db = tmp_path / "veille.duckdb"
    load_day(db, DAY)
    publish(db)
    with open_live(db) as held:
        load_day(db, NEXT_DAY)
        publish(db)
        assert rq.snapshot_facts(held)["last_day"] == DAY
        with open_live(db) as fresh:
            assert rq.snapshot_facts(fresh)["last_day"] == NEXT_DAY


def test_a_snapshot_published_before_snapshots_had_an_id_still_gives_its_facts(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    with duckdb.connect(str(db)) as con:
        con.execute("DROP TABLE snapshot_info")
    with open_live(db) as con:
        assert rq.snapshot_facts(con)["last_day"] == NEXT_DAY


def _random_log_with_batches(db: Path, rng: random.Random, rounds: int, plain: int) -> int:
    """Random decisions (up to `plain` a round), bulk acceptances and undos of earlier batches;
    the number of mentions undone."""
    mentions = [m for key in ARTICLES for m in mention_rows(key)]
    batches: list[str] = []
    undone = 0
    for _ in range(rounds):
        record(db, *_random_decisions(rng, rng.randrange(0, plain + 1)))
        if rng.random() < 0.5:
            batch_id = reviews.new_batch_id()
            chosen = rng.sample(mentions, rng.randrange(2, 7))
            record(
                db,
                *(
                    Decision(
                        m["mention_id"],
                        "accepted",
                        "claire",
                        article_id=m["article_id"],
                        kind=m["kind"],
                        batch_id=batch_id,
                    )
                    for m in chosen
                ),
            )
            batches.append(batch_id)
        if batches and rng.random() < 0.4:
            # refused when already undone, or every mention was decided again since
            with contextlib.suppress(ValueError):
                undone += reviews.undo_batch(db, rng.choice(batches), "claire")[0]
    return undone


def test_undone_batches_give_the_same_state_live_and_replayed(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    rng = random.Random(23)
    undone = 0
    # First batches alone (their undos give back no verdict), then mixed with other decisions.
    for rounds, plain in ((6, 0), (15, 5), (30, 5)):
        undone += _random_log_with_batches(db, rng, rounds, plain)
        assert _live(db) == _replayed(db)
    verdicts = {d["new_value"] for d in reviews.read_decisions(db) if d["status"] == "undone"}
    assert undone > 10 and verdicts == {None, "accepted", "rejected"}
    # A store whose latest table is rebuilt from its log (the backfill) agrees with the trigger.
    with sqlite3.connect(store_path(db)) as con:
        expected = con.execute("SELECT * FROM review_latest ORDER BY mention_id").fetchall()
        con.execute("DROP TRIGGER decisions_to_latest")
        con.execute("DROP TABLE review_latest")
    reviews._ready.clear()
    with reviews.connect_store(db) as con:
        assert con.execute("SELECT * FROM review_latest ORDER BY mention_id").fetchall() == expected


def _published_copy(db: Path, folder: Path) -> Path:
    """A copy of the database and its store, published: what the views say of the log so far,
    while `db` keeps its snapshot (and the desk its live rows computed a decision at a time)."""
    copy = folder / db.name
    folder.mkdir()
    for source in (db, work_path(db), store_path(db)):
        shutil.copyfile(source, folder / source.name)
    publish(copy)
    return copy


def _live_queue(db: Path) -> list[tuple]:
    with open_live(db) as con:
        return con.execute(f"SELECT {QUEUE_COLUMNS} FROM live_queue ORDER BY mention_id").fetchall()


QUEUE_COLUMNS = (
    'mention_id, article_id, day, kind, confidence, published_at, "start", article_region, '
    "source, review_status, name, search"
)


def test_the_live_rows_follow_each_decision_between_publishes(tmp_path):
    # The desk computes the rows of the mentions decided since the publish again only for the
    # newer decisions; after each few decisions (some deciding a mention again) its mentions and
    # its queue rows are what a publish of the log so far gives.
    db = build_published(tmp_path / "veille.duckdb")
    rng = random.Random(41)
    looks = 0
    for publish_round in range(2):
        for look in range(4):
            record(db, *_random_decisions(rng, rng.randrange(1, 12)))
            copy = _published_copy(db, tmp_path / f"copy-{publish_round}-{look}")
            assert _live(db) == _live(copy) == _replayed(copy)
            with connect_published(copy) as con:
                published_queue = con.execute(
                    f"SELECT {QUEUE_COLUMNS} FROM review_queue ORDER BY mention_id"
                ).fetchall()
            assert _live_queue(db) == published_queue
            looks += 1
        publish(db)
    statuses = {row[9] for row in _live_queue(db)}
    assert looks == 8 and {"accepted", "rejected", "corrected", "added"} <= statuses


def test_a_decision_recorded_by_another_process_shows_at_the_next_request(tmp_path):
    # The live rows are kept between requests; a decision written to the store by anyone (here a
    # plain SQLite connection, as another desk process would) is seen by the next request.
    db = build_published(tmp_path / "veille.duckdb")
    target = mention_rows("valorial")[0]
    assert dict((r[0], r[1]) for r in _live(db))[target["mention_id"]] == "unreviewed"
    with sqlite3.connect(store_path(db)) as con:
        con.execute(
            "INSERT INTO decisions (mention_id, article_id, kind, status, reviewer, reviewed_at)"
            " VALUES (?, ?, ?, 'rejected', 'paul', '2026-11-20T10:00:00+00:00')",
            [target["mention_id"], target["article_id"], target["kind"]],
        )
    assert dict((r[0], r[1]) for r in _live(db))[target["mention_id"]] == "rejected"
    queue = {r[0]: r[9] for r in _live_queue(db)}
    assert queue[target["mention_id"]] == "rejected"


def test_a_snapshot_without_the_desks_queue_table_is_refused(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    with duckdb.connect(str(db)) as con:
        con.execute("DROP TABLE review_queue")
    with pytest.raises(UserError, match="older veille"):
        _live(db)


def test_many_mentions_decided_at_once_and_an_id_of_another_shape(tmp_path):
    # More mentions than are looked up one by one since the last look are read as a list of ids;
    # an id the pipeline would not make (here with a quote) goes through a bound parameter and,
    # naming no mention, shows as an orphaned decision.
    db = build_published(tmp_path / "veille.duckdb")
    mentions = [m for key in ARTICLES for m in mention_rows(key)]
    assert len(mentions) > rq._ONE_BY_ONE
    _live(db)  # the desk has looked once: what follows is new to it
    record(
        db,
        *(
            Decision(m["mention_id"], "accepted", "claire", m["article_id"], m["kind"])
            for m in mentions
        ),
        Decision("x' OR '1'='1", "rejected", "claire", "valorial", "cluster", reason="doublon"),
    )
    live = _live(db)
    assert {row[1] for row in live} == {"accepted"} and len(live) == len(mentions)
    copy = _published_copy(db, tmp_path / "copy")
    assert live == _replayed(copy)
    with open_live(db) as con:
        orphans = [row["mention_id"] for row in rq.orphans(con)]
    assert orphans == ["x' OR '1'='1"]
