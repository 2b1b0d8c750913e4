"""Parquet export of the published snapshot, one folder per day, for storage many readers share.

`DIR/<table>/partition_date=YYYY-MM-DD/*.parquet` (hive partitioning) is what DuckDB, Spark or
an object store's query engine read without veille: `read_parquet('DIR/mentions/*/*.parquet',
hive_partitioning = true)`. Exporting again replaces the days exported, and only those.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb

from pipeline.warehouse.storage import connect_published

# Table -> its day column. funding_events is built at publish; its day becomes partition_date.
PARQUET_TABLES = {
    "articles": "partition_date",
    "mentions": "partition_date",
    "funding_events": "day",
}
_ORDER = {"articles": "article_id", "mentions": "mention_id", "funding_events": "mention_id"}


def _clear_days(folder: Path, first: date | None, last: date | None) -> None:
    """Remove the day folders of `folder` within [first, last], so no stale file survives."""
    for day_dir in folder.glob("partition_date=*"):
        try:
            day = date.fromisoformat(day_dir.name.partition("=")[2])
        except ValueError:
            continue
        if (first is None or day >= first) and (last is None or day <= last):
            shutil.rmtree(day_dir)


def export_parquet(
    db_path: str | Path, out_dir: str | Path, first: date | None = None, last: date | None = None
) -> dict[str, int]:
    """Write the snapshot's articles, mentions and funding events from `first` to `last`
    (inclusive, all days when None) as Parquet partitioned by day; returns rows per table.

    Every table is written to a staging folder first; only once all are written do the day
    folders of the range give way to the new ones. An export that fails (disk full, say) leaves
    the previous one as it was, and running it again gives the same files.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = out_dir / ".staging"
    shutil.rmtree(staging, ignore_errors=True)  # what a failed export left
    written: dict[str, int] = {}
    try:
        with connect_published(db_path) as con:
            for table in PARQUET_TABLES:
                written[table] = _copy_table(con, table, staging / table, first, last)
        for table in PARQUET_TABLES:
            folder = out_dir / table
            _clear_days(folder, first, last)
            folder.mkdir(exist_ok=True)
            for day_dir in sorted((staging / table).glob("partition_date=*")):
                day_dir.replace(folder / day_dir.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def _copy_table(
    con: duckdb.DuckDBPyConnection, table: str, folder: Path, first: date | None, last: date | None
) -> int:
    """COPY one table's rows of the range into `folder`, one sub-folder per day; the row count."""
    day_column = PARQUET_TABLES[table]
    columns = "*" if day_column == "partition_date" else f"*, {day_column} AS partition_date"
    query = (
        f"SELECT {columns} FROM {table}"
        f" WHERE ($first::DATE IS NULL OR {day_column} >= $first)"
        f" AND ($last::DATE IS NULL OR {day_column} <= $last)"
        f" ORDER BY {_ORDER[table]}"
    )
    folder.mkdir(parents=True, exist_ok=True)
    target = str(folder).replace("'", "''")
    (count,) = con.execute(
        f"COPY ({query}) TO '{target}' "
        "(FORMAT parquet, PARTITION_BY (partition_date), OVERWRITE_OR_IGNORE)",
        {"first": first, "last": last},
    ).fetchone()
    return count
