import sqlite3
import threading

import pytest

from pipeline.warehouse.review_store import Decision, read_decisions, record, store_path


def test_the_store_sits_beside_the_database_and_starts_empty(tmp_path):
    db = tmp_path / "veille.duckdb"
    assert store_path(db) == tmp_path / "veille.reviews.sqlite"
    assert read_decisions(db) == []
    assert not store_path(db).exists()  # reading creates nothing


def test_decisions_are_appended_in_order(tmp_path):
    db = tmp_path / "veille.duckdb"
    record(db, Decision("m1", "accepted", "claire"))
    record(
        db,
        Decision("m2", "rejected", "claire", reason="pas un financement"),
        Decision("m3", "corrected", "paul", field="amount_eur", old_value="1.2", new_value="1.2e6"),
    )
    rows = read_decisions(db)
    assert [(r["mention_id"], r["status"]) for r in rows] == [
        ("m1", "accepted"),
        ("m2", "rejected"),
        ("m3", "corrected"),
    ]
    assert rows[1]["reason"] == "pas un financement"
    assert rows[2]["new_value"] == "1.2e6" and rows[2]["reviewed_at"].tzinfo is not None
    with sqlite3.connect(store_path(db)) as con:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_bad_decisions_are_refused_before_anything_is_written(tmp_path):
    with pytest.raises(ValueError, match="statut de décision inconnu"):
        Decision("m1", "maybe", "claire")
    with pytest.raises(ValueError, match="champ non modifiable"):
        Decision("m1", "corrected", "claire", field="mention_id", new_value="x")
    assert read_decisions(tmp_path / "veille.duckdb") == []


def test_concurrent_writers_lose_nothing(tmp_path):
    db = tmp_path / "veille.duckdb"

    def review(who: str) -> None:
        for i in range(50):
            record(db, Decision(f"{who}-{i}", "accepted", who))

    threads = [threading.Thread(target=review, args=(f"r{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({r["mention_id"] for r in read_decisions(db)}) == 200


# ------------------------------------------------------------------ the review desk's store

import json  # noqa: E402
from datetime import date  # noqa: E402

from pipeline.review.queue import open_live, orphans, parse_filter, queue  # noqa: E402
from pipeline.warehouse.publish import publish  # noqa: E402
from pipeline.warehouse.review_store import added_mention, mention_history, new_mention_id  # noqa: E402
from pipeline.warehouse.storage import connect_published  # noqa: E402
from tests.review_data import (  # noqa: E402
    ARTICLES,
    DAY,
    build_published,
    load_day,
    mention_id,
    mention_rows,
)


def test_an_added_mention_gets_the_id_the_extractor_would_give_it(tmp_path):
    from pipeline.daily import mention_id as extractor_id

    text = ARTICLES["valorial"][4]
    decision = added_mention(
        "valorial", text, "official", "Anne Le Gall", "claire", fields={"role": "présidente"}
    )
    payload = json.loads(decision.payload)
    assert (payload["start"], payload["end"]) == (text.find("Anne"), text.find("Anne") + 12)
    assert decision.mention_id == extractor_id("valorial", payload)
    with pytest.raises(ValueError, match="n'est pas dans l'article"):
        added_mention("valorial", text, "cluster", "Minalogic", "claire")
    # a selection's offset picks the second occurrence of the same words
    second = text.rfind("Valorial")
    chosen = added_mention("valorial", text, "cluster", "Valorial", "claire", start=second)
    assert json.loads(chosen.payload)["start"] == second


def test_a_store_made_before_added_mentions_is_migrated_without_loss(tmp_path):
    db = tmp_path / "veille.duckdb"
    with sqlite3.connect(store_path(db)) as con:
        con.executescript(
            "CREATE TABLE decisions (decision_id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " mention_id TEXT NOT NULL, article_id TEXT, kind TEXT, status TEXT NOT NULL"
            " CHECK (status IN ('accepted', 'rejected', 'corrected')), field TEXT,"
            " old_value TEXT, new_value TEXT, reason TEXT, reviewer TEXT NOT NULL,"
            " reviewed_at TEXT NOT NULL);"
            "INSERT INTO decisions (mention_id, status, reviewer, reviewed_at)"
            " VALUES ('m1', 'accepted', 'claire', '2026-11-04T08:00:00+00:00');"
        )
    record(db, added_mention("a1", "Le pôle Valorial.", "cluster", "Valorial", "paul"))
    rows = read_decisions(db)
    assert [(r["decision_id"], r["status"]) for r in rows] == [(1, "accepted"), (2, "added")]


def test_decisions_survive_a_re_extraction_and_vanished_mentions_become_orphans(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    kept, vanished = mention_id("valorial", "official"), mention_id("valorial", "funding")
    record(
        db,
        Decision(
            kept,
            "corrected",
            "claire",
            article_id="valorial",
            kind="official",
            field="role",
            old_value="présidente",
            new_value="présidente du directoire",
        ),
        Decision(
            vanished,
            "corrected",
            "claire",
            article_id="valorial",
            kind="funding",
            field="amount_eur",
            old_value="1200000",
            new_value="1500000",
        ),
    )
    # The extractor changes: the same mentions come back with the same ids, except the amount,
    # now read with a wider span ("1,2 million d'euros au pôle"), which gets a new id.
    rows = mention_rows("valorial")
    for row in rows:
        if row["kind"] == "funding":
            row["end"] += len(" au pôle")
            row["mention_id"] = new_mention_id(
                "valorial", "funding", row["start"], row["end"], 1.2e6
            )
    load_day(db, DAY, {"valorial": rows})
    publish(db)
    with connect_published(db) as con:
        assert con.execute(
            "SELECT role, review_status FROM reviewed_mentions WHERE mention_id = ?", [kept]
        ).fetchall() == [("présidente du directoire", "corrected")]
        assert con.execute(
            "SELECT amount_eur FROM funding_events WHERE day = ?", [DAY]
        ).fetchall() == [(1.2e6,)]
        assert con.execute("SELECT count(*) FROM reviews").fetchone() == (2,)  # none dropped
    with open_live(db) as con:
        lost = orphans(con)
    assert [(o["mention_id"], o["kind"], o["old_value"], o["new_value"]) for o in lost] == [
        (vanished, "funding", "1200000", "1500000")
    ]
    assert mention_history(db, kept)[0]["new_value"] == "présidente du directoire"


def test_an_added_mention_shows_at_once_and_in_the_views_after_publish(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    text = ARTICLES["valorial"][4]
    decision = added_mention(
        "valorial",
        text,
        "funding",
        "programme agroalimentaire",
        "claire",
        fields={"funder": "Région Bretagne", "amount_eur": "250000"},
    )
    record(db, decision)
    with open_live(db) as con:
        total, rows = queue(con, parse_filter({"status": "added"}))
    assert total == 1 and rows[0]["mention_id"] == decision.mention_id
    publish(db)
    with connect_published(db) as con:
        assert con.execute(
            "SELECT amount_eur, funder, review_status, source, day FROM funding_events"
            " WHERE mention_id = ?",
            [decision.mention_id],
        ).fetchall() == [(250000.0, "Région Bretagne", "added", "ouest", DAY)]


def test_a_burst_of_decisions_during_pipeline_loads_loses_nothing(tmp_path):
    """The daily run reloads and publishes while reviewers decide: every decision is kept."""
    db = build_published(tmp_path / "veille.duckdb")
    ids = [m["mention_id"] for key in ARTICLES for m in mention_rows(key)]
    errors: list[BaseException] = []
    done = threading.Event()

    def pipeline() -> None:
        try:
            while not done.is_set():
                load_day(db, date(2026, 11, 4))
                publish(db)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    def reviewer(name: str) -> None:
        try:
            for i in range(25):
                record(db, Decision(ids[i % len(ids)], "accepted", name, kind="x"))
                if i % 3 == 0:
                    with open_live(db) as con:  # reading the snapshot while it is replaced
                        queue(con, parse_filter({"status": "all"}), 5)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    runner = threading.Thread(target=pipeline)
    runner.start()
    reviewers = [threading.Thread(target=reviewer, args=(f"r{n}",)) for n in range(3)]
    for thread in reviewers:
        thread.start()
    for thread in reviewers:
        thread.join()
    done.set()
    runner.join()
    assert not errors
    assert len(read_decisions(db)) == 75
    publish(db)
    with connect_published(db) as con:
        assert con.execute("SELECT count(*) FROM reviews").fetchone() == (75,)


# ---------------------------------------------------------------- undoing a bulk acceptance

from pipeline.review import queue as rq  # noqa: E402
from pipeline.warehouse.review_store import NotYourBatch, batch, undo_batch  # noqa: E402


def _statuses(con, view: str) -> dict[str, str]:
    return dict(con.execute(f"SELECT mention_id, review_status FROM {view}").fetchall())


def test_a_bulk_acceptance_is_undone_in_one_step_back_to_each_mentions_earlier_state(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    funding, cluster = mention_id("valorial", "funding"), mention_id("aero", "cluster")
    official = mention_id("valorial", "official")
    with open_live(db) as con:
        before = _statuses(con, "live_mentions")
        bulk = rq.bulk_accept(con, parse_filter({}), "claire")
    assert len(bulk) == len(before) == 11 and set(before.values()) == {"unreviewed"}
    # Paul rejects the amount while the bulk is on its way: the batch overwrites his rejection.
    common = {"article_id": "valorial", "kind": "funding", "reason": "doublon"}
    record(db, Decision(funding, "rejected", "paul", **common))
    record(db, *bulk)
    # After the batch, Paul rejects a cluster and Claire corrects an official's role.
    record(db, Decision(cluster, "rejected", "paul", article_id="aero", kind="cluster"))
    role = {"article_id": "valorial", "kind": "official", "field": "role"}
    record(db, Decision(official, "corrected", "claire", new_value="présidente déléguée", **role))
    logged = len(read_decisions(db))

    with pytest.raises(NotYourBatch, match="seul·e claire"):
        undo_batch(db, bulk[0].batch_id, "paul")
    assert len(read_decisions(db)) == logged
    assert batch(db, bulk[0].batch_id).current == 9

    assert undo_batch(db, bulk[0].batch_id, "claire") == (9, 2)
    expected = {m: "unreviewed" for m in before}
    expected.update({funding: "rejected", cluster: "rejected", official: "accepted"})
    with open_live(db) as con:
        assert _statuses(con, "live_mentions") == expected
        total, _ = queue(con, parse_filter({"status": "unreviewed"}))
    assert total == 8
    publish(db)
    with connect_published(db) as con:
        assert _statuses(con, "mentions_as_reviewed") == expected
        assert _statuses(con, "reviewed_mentions") == {
            m: s for m, s in expected.items() if s != "rejected"
        }
        assert con.execute(
            "SELECT role FROM reviewed_mentions WHERE mention_id = ?", [official]
        ).fetchall() == [("présidente déléguée",)]

    # The trail keeps the rejection, the batch (marked as taken back) and the undo.
    history = mention_history(db, funding)
    assert [(d["status"], d["reviewer"], d["undone"]) for d in history] == [
        ("undone", "claire", False),
        ("accepted", "claire", True),
        ("rejected", "paul", False),
    ]
    assert (history[0]["old_value"], history[0]["new_value"]) == ("accepted", "rejected")
    assert history[0]["batch_id"] == history[1]["batch_id"] == bulk[0].batch_id
    assert [d["undone"] for d in mention_history(db, official)] == [False, False]

    with pytest.raises(ValueError, match="rien à annuler"):
        undo_batch(db, bulk[0].batch_id, "claire")
    with pytest.raises(ValueError, match="introuvable"):
        undo_batch(db, "0123456789abcdef", "claire")
    assert len(read_decisions(db)) == logged + 9


def test_an_undone_mention_accepted_again_by_a_second_batch_is_undone_to_unreviewed(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    with open_live(db) as con:
        first = rq.bulk_accept(con, parse_filter({"kind": "location"}), "claire")
    record(db, *first)
    assert undo_batch(db, first[0].batch_id, "claire") == (2, 0)
    with open_live(db) as con:
        second = rq.bulk_accept(con, parse_filter({"kind": "location"}), "claire")
    assert {d.mention_id for d in second} == {d.mention_id for d in first}
    assert second[0].batch_id != first[0].batch_id
    record(db, *second)
    assert undo_batch(db, second[0].batch_id, "claire") == (2, 0)
    with open_live(db) as con:
        statuses = _statuses(con, "live_mentions")
    assert {statuses[d.mention_id] for d in second} == {"unreviewed"}


def test_a_store_made_before_undoable_batches_is_migrated_without_loss(tmp_path):
    db = tmp_path / "veille.duckdb"
    with sqlite3.connect(store_path(db)) as con:
        con.executescript(
            "CREATE TABLE decisions (decision_id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " mention_id TEXT NOT NULL, article_id TEXT, kind TEXT, status TEXT NOT NULL"
            " CHECK (status IN ('accepted', 'rejected', 'corrected', 'added')), field TEXT,"
            " old_value TEXT, new_value TEXT, reason TEXT, reviewer TEXT NOT NULL,"
            " reviewed_at TEXT NOT NULL, payload TEXT);"
            "INSERT INTO decisions (mention_id, status, reviewer, reviewed_at)"
            " VALUES ('m1', 'rejected', 'claire', '2026-11-04T08:00:00+00:00');"
        )
    batch_id = "00000000000000aa"
    record(
        db,
        Decision("m1", "accepted", "claire", batch_id=batch_id),
        Decision("m2", "accepted", "claire", batch_id=batch_id),
    )
    assert undo_batch(db, batch_id, "claire") == (2, 0)
    rows = read_decisions(db)
    assert [(r["decision_id"], r["status"], r["new_value"]) for r in rows] == [
        (1, "rejected", None),
        (2, "accepted", None),
        (3, "accepted", None),
        (4, "undone", "rejected"),
        (5, "undone", None),
    ]
    with sqlite3.connect(store_path(db)) as con:
        latest = con.execute(
            "SELECT mention_id, status, last_decision_id FROM review_latest ORDER BY 1"
        ).fetchall()
    assert latest == [("m1", "rejected", 4), ("m2", None, 5)]


def test_messages_a_reviewer_can_see_when_adding_a_mention_are_french():
    text = ARTICLES["valorial"][4]
    cases = [
        (("valorial", text, "cluster", "Minalogic"), {}, "ce texte n'est pas dans l'article"),
        (("valorial", text, "cluster", "   "), {}, "le texte de la mention est vide"),
        (("valorial", text, "quote", "x" * 3001), {}, "3000 caractères au plus"),
        (("valorial", text, "pays", "Rennes"), {}, "type de mention inconnu"),
        (("valorial", text, "official", "Rennes"), {"role": "r" * 301}, "300 caractères au plus"),
        (("valorial", text, "funding", "Rennes"), {"amount_eur": "beaucoup"}, "montant invalide"),
        (("valorial", text, "funding", "Rennes"), {"amount_eur": "-3"}, "montant invalide"),
    ]
    for args, fields, words in cases:
        with pytest.raises(ValueError, match=words):
            added_mention(*args, "claire", fields=fields)
