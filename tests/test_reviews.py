import sqlite3
import threading

import pytest

from pipeline.reviews import Decision, read_decisions, record, store_path


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
    with pytest.raises(ValueError, match="unknown review status"):
        Decision("m1", "maybe", "claire")
    with pytest.raises(ValueError, match="cannot be corrected"):
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
