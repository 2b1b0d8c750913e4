"""Blocking checks' verdicts hold a bad day back from every publish until the day is run clean."""

from datetime import UTC, date, datetime

import pytest

from pipeline.errors import UserError
from pipeline.warehouse.blocking import PublishBlocked, blocked_days, record_verdict
from pipeline.warehouse.publish import publish
from pipeline.warehouse.storage import connect_published, connect_work, replace_partition

GOOD_DAY, BAD_DAY = date(2026, 11, 3), date(2026, 11, 4)
TEXT = "La Région Occitanie verse 300 000 euros au cluster Eurosima pour ses jeunes pousses."


def _load(db, day: date, article_id: str) -> None:
    article = {
        "article_id": article_id,
        "partition_date": day,
        "url": f"https://exemple.fr/{article_id}",
        "source": "sud",
        "title": "Eurosima soutenu",
        "published_at": datetime(day.year, day.month, day.day, 8, tzinfo=UTC),
        "text": TEXT,
        "n_chars": len(TEXT),
    }
    with connect_work(db) as con:
        replace_partition(con, "articles", day, [article])


def _articles(db) -> list[str]:
    with connect_published(db) as con:
        return [r[0] for r in con.execute("SELECT article_id FROM articles ORDER BY 1").fetchall()]


def test_a_failed_verdict_is_listed_and_a_pass_frees_the_day(tmp_path):
    db = tmp_path / "veille.duckdb"
    with connect_work(db) as con:
        record_verdict(con, BAD_DAY, "mention_offsets_match_text", False, "2 mentions")
        record_verdict(con, BAD_DAY, "article_ids_unique", True)
        assert [(b.day, b.check, b.detail) for b in blocked_days(con)] == [
            (BAD_DAY, "mention_offsets_match_text", "2 mentions")
        ]
        record_verdict(con, BAD_DAY, "mention_offsets_match_text", True)
        assert blocked_days(con) == []


def test_a_blocked_day_stops_every_publish_and_the_snapshot_keeps_its_last_good_state(tmp_path):
    db = tmp_path / "veille.duckdb"
    _load(db, GOOD_DAY, "a1")
    publish(db)
    _load(db, BAD_DAY, "a2")
    with connect_work(db) as con:
        record_verdict(con, BAD_DAY, "mention_offsets_match_text", False, "1 mention")

    with pytest.raises(PublishBlocked) as refused:
        publish(db)
    message = str(refused.value)
    assert "2026-11-04 (mention_offsets_match_text: 1 mention)" in message
    assert "veille run --date 2026-11-04" in message
    assert isinstance(refused.value, UserError)  # the CLI prints it as one plain error
    assert _articles(db) == ["a1"]
    assert not (tmp_path / ".veille.duckdb.tmp").exists()

    # A later good day does not carry the bad one into the snapshot either.
    _load(db, date(2026, 11, 5), "a3")
    with pytest.raises(PublishBlocked):
        publish(db)
    assert _articles(db) == ["a1"]

    # Once the day is run again and its checks pass, everything is published.
    with connect_work(db) as con:
        record_verdict(con, BAD_DAY, "mention_offsets_match_text", True)
    publish(db)
    assert _articles(db) == ["a1", "a2", "a3"]
