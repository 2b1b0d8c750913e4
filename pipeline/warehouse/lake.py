"""The shared lake: each writer's days as Parquet in a folder many machines reach, and the
merge that brings them into the publisher's working database.

A worker loads its day into a private, throw-away DuckDB file, then writes that day's rows of
every partitioned table to `LAKE/days/YYYY-MM-DD/<attempt>/<table>.parquet` and points
`LAKE/days/YYYY-MM-DD/CURRENT` at the attempt with one atomic rename. A reader (the publish)
only ever reads the attempt `CURRENT` names, so a worker killed half-way through leaves an
unnamed attempt and the day as it was; a day written twice (a retry) is replaced, never
doubled. Different days are different folders: writers never touch each other's files.
"""

from __future__ import annotations

import os
import shutil
import uuid
from datetime import date
from pathlib import Path

import duckdb

# What a day brings: the tables `replace_partition` manages, in load order.
LAKE_TABLES = ("feed_entries", "raw_pages", "articles", "mentions", "fetch_log")
_ORDER = {
    "feed_entries": "source, url",
    "raw_pages": "url",
    "articles": "article_id",
    "mentions": "mention_id",
    "fetch_log": "kind, source, url",
}


def day_folder(lake: str | Path, day: date) -> Path:
    """The folder of one day in the lake."""
    return Path(lake) / "days" / day.isoformat()


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def write_day(con: duckdb.DuckDBPyConnection, lake: str | Path, day: date) -> Path:
    """Write `day`'s rows of every lake table from `con` as Parquet, then make them the day's.

    Returns the attempt folder now current. Earlier attempts of the day are removed after the
    switch.
    """
    folder = day_folder(lake, day)
    attempt = folder / uuid.uuid4().hex
    attempt.mkdir(parents=True)
    for table in LAKE_TABLES:
        target = attempt / f"{table}.parquet"
        con.execute(
            f"COPY (SELECT * FROM {table} WHERE partition_date = $day ORDER BY {_ORDER[table]})"
            f" TO {_quoted(target)} (FORMAT parquet)",
            {"day": day},
        )
        with target.open("rb") as handle:
            os.fsync(handle.fileno())
    pointer = folder / f".CURRENT.{attempt.name}"
    pointer.write_text(attempt.name, encoding="utf-8")
    os.replace(pointer, folder / "CURRENT")
    for other in folder.iterdir():
        if other.is_dir() and other.name != attempt.name:
            shutil.rmtree(other, ignore_errors=True)
    return attempt


def current_attempt(lake: str | Path, day: date) -> Path | None:
    """The attempt folder the day's `CURRENT` names, or None when the day was never written."""
    folder = day_folder(lake, day)
    try:
        name = (folder / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return folder / name


def lake_days(lake: str | Path) -> list[date]:
    """The days the lake holds (those with a current attempt), in order."""
    root = Path(lake) / "days"
    if not root.is_dir():
        return []
    return sorted(
        date.fromisoformat(p.parent.name) for p in root.glob("*/CURRENT") if p.parent.is_dir()
    )


def merge_day(con: duckdb.DuckDBPyConnection, lake: str | Path, day: date) -> dict[str, int]:
    """Replace `day`'s rows of every lake table in `con` with the lake's, in one transaction.

    As `replace_partition` does, an article now on this day is removed from any other day, so
    an article that moved day is never kept twice. Returns the rows merged per table.
    """
    attempt = current_attempt(lake, day)
    if attempt is None:
        raise FileNotFoundError(f"the lake {lake} has no data for {day}")
    counts: dict[str, int] = {}
    con.begin()
    try:
        for table in LAKE_TABLES:
            source = f"read_parquet({_quoted(attempt / f'{table}.parquet')})"
            con.execute(f"DELETE FROM {table} WHERE partition_date = ?", [day])
            if table in ("articles", "mentions"):
                con.execute(
                    f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM {source})"
                )
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {source}")
            (counts[table],) = con.execute(f"SELECT count(*) FROM {source}").fetchone()
        con.commit()
    except Exception:
        con.rollback()
        raise
    return counts
