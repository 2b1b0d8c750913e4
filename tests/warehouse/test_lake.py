"""The shared lake of the distributed profile (`pipeline/warehouse/lake.py`): a day written by a worker's
private database, merged into another database, written again, and half-written.

Real DuckDB files with veille's schema; rows written by the tests.
"""

from datetime import date

import pytest

from pipeline.warehouse.lake import current_attempt, day_folder, lake_days, merge_day, write_day
from pipeline.warehouse.storage import connect_work, replace_partition

DAY = date(2026, 11, 3)
OTHER = date(2026, 11, 4)


def _article(article_id: str, day: date, text: str) -> dict:
    return {
        "article_id": article_id,
        "partition_date": day,
        "url": f"http://127.0.0.1/{article_id}",
        "source": "courrier",
        "title": f"Titre {article_id}",
        "text": text,
    }


def _mention(article_id: str, day: date, text: str) -> dict:
    return {
        "mention_id": f"{article_id}-cluster",
        "article_id": article_id,
        "partition_date": day,
        "kind": "cluster",
        "text": text,
        "start": 0,
        "end": len(text),
    }


def _worker_day(tmp_path, name: str, day: date, articles: dict[str, str]):
    """A worker's private database holding `articles` (id -> text) on `day`."""
    db = tmp_path / name / "day.duckdb"
    with connect_work(db) as con:
        replace_partition(
            con, "articles", day, [_article(a, day, text) for a, text in articles.items()]
        )
        replace_partition(
            con,
            "mentions",
            day,
            [_mention(a, day, text.split()[0]) for a, text in articles.items()],
        )
    return db


def _rows(db, table: str) -> list[tuple]:
    with connect_work(db) as con:
        return con.execute(
            f"SELECT article_id, partition_date FROM {table} ORDER BY ALL"
        ).fetchall()


def test_a_day_written_then_merged_gives_the_same_rows(tmp_path):
    lake = tmp_path / "lake"
    worker = _worker_day(
        tmp_path, "w1", DAY, {"a1": "Vegepolys lance un appel", "a2": "Aerospace Valley recrute"}
    )
    with connect_work(worker) as con:
        write_day(con, lake, DAY)
    publisher = tmp_path / "pub" / "veille.duckdb"
    with connect_work(publisher) as con:
        counts = merge_day(con, lake, DAY)
    assert counts["articles"] == 2 and counts["mentions"] == 2 and counts["raw_pages"] == 0
    assert _rows(publisher, "articles") == _rows(worker, "articles")
    assert _rows(publisher, "mentions") == _rows(worker, "mentions")
    assert lake_days(lake) == [DAY]


def test_a_day_written_twice_and_merged_twice_is_never_doubled(tmp_path):
    lake = tmp_path / "lake"
    publisher = tmp_path / "pub" / "veille.duckdb"
    first = _worker_day(
        tmp_path, "w1", DAY, {"a1": "Vegepolys lance un appel", "a2": "Minalogic ouvre"}
    )
    with connect_work(first) as con:
        write_day(con, lake, DAY)
    with connect_work(publisher) as con:
        merge_day(con, lake, DAY)
    # The retry of the day, on another worker, finds one article fewer.
    second = _worker_day(tmp_path, "w2", DAY, {"a1": "Vegepolys lance un appel"})
    with connect_work(second) as con:
        attempt = write_day(con, lake, DAY)
    with connect_work(publisher) as con:
        merge_day(con, lake, DAY)
        merge_day(con, lake, DAY)
    assert _rows(publisher, "articles") == [("a1", DAY)]
    assert _rows(publisher, "mentions") == [("a1", DAY)]
    assert [p for p in day_folder(lake, DAY).iterdir() if p.is_dir()] == [attempt]


def test_an_attempt_never_switched_in_is_not_read(tmp_path):
    lake = tmp_path / "lake"
    worker = _worker_day(tmp_path, "w1", DAY, {"a1": "Vegepolys lance un appel"})
    with connect_work(worker) as con:
        kept = write_day(con, lake, DAY)
    # What a worker killed before its switch leaves: Parquet files nobody names.
    half = day_folder(lake, DAY) / "killed"
    half.mkdir()
    (half / "articles.parquet").write_bytes(b"PAR1 half written")
    assert current_attempt(lake, DAY) == kept
    publisher = tmp_path / "pub" / "veille.duckdb"
    with connect_work(publisher) as con:
        merge_day(con, lake, DAY)
    assert _rows(publisher, "articles") == [("a1", DAY)]


def test_an_article_that_moved_day_is_kept_once(tmp_path):
    lake = tmp_path / "lake"
    publisher = tmp_path / "pub" / "veille.duckdb"
    for name, day in (("w1", DAY), ("w2", OTHER)):
        worker = _worker_day(tmp_path, name, day, {"a1": "Vegepolys lance un appel"})
        with connect_work(worker) as con:
            write_day(con, lake, day)
    with connect_work(publisher) as con:
        merge_day(con, lake, DAY)
        merge_day(con, lake, OTHER)
    assert _rows(publisher, "articles") == [("a1", OTHER)]


def test_a_day_the_lake_does_not_hold_is_an_error(tmp_path):
    publisher = tmp_path / "pub" / "veille.duckdb"
    with connect_work(publisher) as con, pytest.raises(FileNotFoundError, match="2026-11-03"):
        merge_day(con, tmp_path / "lake", DAY)
