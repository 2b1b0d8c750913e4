"""Parquet export of the published snapshot, one folder per day, for storage many readers share.

`DIR/<table>/partition_date=YYYY-MM-DD/*.parquet` (hive partitioning) is what DuckDB, Spark or
an object store's query engine read without veille: `read_parquet('DIR/mentions/*/*.parquet',
hive_partitioning = true)`. Exporting again replaces the days exported, and only those.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from pipeline.storage import connect_published

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

    The day folders of the range are replaced whole, so running it again gives the same files.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    with connect_published(db_path) as con:
        for table, day_column in PARQUET_TABLES.items():
            folder = out_dir / table
            _clear_days(folder, first, last)
            folder.mkdir(exist_ok=True)
            columns = (
                "*" if day_column == "partition_date" else f"*, {day_column} AS partition_date"
            )
            query = (
                f"SELECT {columns} FROM {table}"
                f" WHERE ($first::DATE IS NULL OR {day_column} >= $first)"
                f" AND ($last::DATE IS NULL OR {day_column} <= $last)"
                f" ORDER BY {_ORDER[table]}"
            )
            target = str(folder).replace("'", "''")
            (count,) = con.execute(
                f"COPY ({query}) TO '{target}' "
                "(FORMAT parquet, PARTITION_BY (partition_date), OVERWRITE_OR_IGNORE)",
                {"first": first, "last": last},
            ).fetchone()
            written[table] = count
    return written
