"""DuckDB storage: the pipeline's working database and the read-only snapshot analysts open.

The pipeline is the only writer and writes to `<name>.work.duckdb`; `pipeline.warehouse.publish`
then copies it to `<name>.duckdb` (the path users configure) with an atomic rename, so readers
never see a half-loaded day and never lock the pipeline out.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipeline.errors import UserError
from pipeline.ops.faults import crash_point

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"

# Tables a partition load may replace; names are never taken from user input.
PARTITIONED_TABLES = frozenset({"feed_entries", "raw_pages", "articles", "mentions", "fetch_log"})


# A line `-- include: review/x.sql` in an SQL file stands for that file's text (a fragment two
# statements share, such as a SELECT list).
_INCLUDE = re.compile(r"^[ \t]*-- include: (\S+)[ \t]*$", re.MULTILINE)


def read_sql(relative: str) -> str:
    """The text of a file under `sql/`, its `-- include: PATH` lines replaced by those files."""
    text = (SQL_DIR / relative).read_text(encoding="utf-8")
    return _INCLUDE.sub(lambda line: read_sql(line.group(1)).rstrip("\n"), text)


def work_path(db_path: str | Path) -> Path:
    """Where the pipeline's own working database lives, beside the published one."""
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}.work{db_path.suffix or '.duckdb'}")


def check_writable(db_path: str | Path) -> None:
    """Fail early and clearly when the database cannot be written; leaves nothing behind."""
    db_path = Path(db_path).resolve()
    probe = db_path.parent
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise UserError(f"cannot write the database {db_path}: {probe} is not a folder")
    try:
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError as exc:
        raise UserError(f"cannot write the database {db_path}: {exc.strerror} in {probe}") from exc
    if db_path.exists() and not os.access(db_path, os.W_OK):
        raise UserError(f"cannot write the database {db_path}: the file is read-only")


_held_locks: dict[Path, int] = {}
_held_guard = threading.Lock()


@contextmanager
def work_lock(db_path: str | Path) -> Iterator[None]:
    """Hold the working database for this process: other processes wait until it is released.

    DuckDB lets one process open a database file for writing; the lock turns a second writer's
    failure into a short wait, so several runs (partitions in parallel) can fetch and extract at
    the same time and take turns on the database. Re-entrant within a process.
    """
    path = work_path(db_path).with_suffix(".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    with _held_guard:
        if path in _held_locks:
            _held_locks[path] += 1
            handle = None
        else:
            handle = path.open("a")
    if handle is None:
        try:
            yield
        finally:
            with _held_guard:
                _held_locks[path] -= 1
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with _held_guard:
            _held_locks[path] = 1
        try:
            yield
        finally:
            with _held_guard:
                del _held_locks[path]
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


@contextmanager
def connect_work(db_path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the working database (creating it and its schema if needed) and close it after.

    The connection holds `work_lock`, so keep it open only for reads and writes, not for work.
    """
    path = work_path(db_path)
    with work_lock(db_path):
        con = duckdb.connect(str(path))
        try:
            _ensure_schema(con, path)
            yield con
        finally:
            con.close()


_schema_ready: set[tuple[Path, int]] = set()


def _ensure_schema(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Run `schema.sql` once per process and database file (it is idempotent, but not free)."""
    key = (path, path.stat().st_ino)
    if key not in _schema_ready:
        con.execute(read_sql("schema.sql"))
        _schema_ready.add(key)


def _table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def replace_partition(
    con: duckdb.DuckDBPyConnection,
    table: str,
    day: date,
    rows: Sequence[dict[str, Any]],
) -> int:
    """Delete `table`'s rows of `day` and insert `rows` in one transaction; returns rows inserted.

    Rows are bulk-loaded through an Arrow table, never row by row. Article ids loaded for `day`
    are also removed from other days, so an article that moved day is never kept twice.
    """
    if table not in PARTITIONED_TABLES:
        raise ValueError(f"not a partitioned table: {table}")
    columns = _table_columns(con, table)
    # Only the table's columns: step rows may carry extra keys (e.g. a mention's `currency`).
    # Column by column: much faster than row dicts for tens of thousands of mentions.
    staged = pa.table({c: [r.get(c) for r in rows] for c in columns}) if rows else None
    con.begin()
    try:
        con.execute(f"DELETE FROM {table} WHERE partition_date = ?", [day])
        if staged is not None:
            con.register("staged_rows", staged)
            if "article_id" in columns and table in ("articles", "mentions"):
                con.execute(
                    f"DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM staged_rows)"
                )
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM staged_rows")
            con.unregister("staged_rows")
        crash_point(f"load-{table}")
        con.commit()
    except Exception:
        con.rollback()
        raise
    return len(rows)


def read_partition(con: duckdb.DuckDBPyConnection, table: str, day: date) -> list[dict[str, Any]]:
    """All rows of `table` for `day`, as dicts."""
    if table not in PARTITIONED_TABLES:
        raise ValueError(f"not a partitioned table: {table}")
    cursor = con.execute(f"SELECT * FROM {table} WHERE partition_date = ?", [day])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@contextmanager
def connect_published(
    db_path: str | Path, external_access: bool = True
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the published snapshot read-only (what analysts and `veille query` use).

    With `external_access=False` the connection cannot read or write any other file
    (`read_text`, `COPY ... TO`, `ATTACH` are refused): what `veille query` runs on.
    """
    path = Path(db_path)
    if not path.exists():
        hint = "`veille publish`" if work_path(path).exists() else "`veille run` or `make run`"
        raise UserError(f"no database at {path}: build it with {hint}")
    config = {} if external_access else {"enable_external_access": False}
    try:
        con = duckdb.connect(str(path), read_only=True, config=config)
    except duckdb.Error as exc:
        first_line = str(exc).splitlines()[0]
        raise UserError(
            f"the database {path} cannot be opened ({first_line}); rebuild it from the "
            "working database with `veille publish`"
        ) from exc
    try:
        yield con
    finally:
        con.close()


def replace_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: Sequence[dict[str, Any]],
    where: str = "true",
    params: Sequence[Any] = (),
) -> int:
    """Delete `table`'s rows matching `where` and insert `rows`, in one transaction.

    `table` and `where` are the caller's constants, never user input; values go in `params`.
    """
    con.begin()
    try:
        con.execute(f"DELETE FROM {table} WHERE {where}", list(params))
        if rows:
            con.register("staged_replacement", pa.Table.from_pylist(list(rows)))
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM staged_replacement")
            con.unregister("staged_replacement")
        con.commit()
    except Exception:
        con.rollback()
        raise
    return len(rows)


def replace_fetch_log(
    con: duckdb.DuckDBPyConnection, day: date, kind: str, rows: Sequence[dict[str, Any]]
) -> int:
    """Replace the fetch-log rows of one step (`feed`, `page` or `article`) for `day`."""
    return replace_rows(con, "fetch_log", rows, "partition_date = ? AND kind = ?", [day, kind])


def read_entry_dates(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Page dates found for undated feed entries on earlier runs: url -> datetime or None."""
    return dict(con.execute("SELECT url, published_at FROM entry_dates").fetchall())


def save_entry_dates(con: duckdb.DuckDBPyConnection, rows: Sequence[dict[str, Any]]) -> None:
    """Record page dates found for undated feed entries (rows of url, source, published_at)."""
    if not rows:
        return
    con.register("staged_dates", pa.Table.from_pylist(list(rows)))
    try:
        con.execute("INSERT OR REPLACE INTO entry_dates BY NAME SELECT * FROM staged_dates")
    finally:
        con.unregister("staged_dates")


def read_feed_state(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    """The last answer of each feed (for conditional GET): feed URL -> `feed_state` row."""
    cursor = con.execute("SELECT * FROM feed_state")
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def save_feed_state(con: duckdb.DuckDBPyConnection, state: dict[str, dict[str, Any]]) -> None:
    """Replace the stored feed states with `state`'s rows."""
    if not state:
        return
    con.register("staged_state", pa.Table.from_pylist(list(state.values())))
    try:
        con.execute("INSERT OR REPLACE INTO feed_state BY NAME SELECT * FROM staged_state")
    finally:
        con.unregister("staged_state")


def save_sources(con: duckdb.DuckDBPyConnection, rows: Sequence[dict[str, Any]]) -> None:
    """Replace the `sources` table with the outlets of the current sources file."""
    replace_rows(con, "sources", rows)


def stored_source_configs(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The sources-file entries saved by the last run (`sources.config`), in source order;
    empty when no run has saved them yet."""
    rows = con.execute(
        "SELECT config FROM sources WHERE config IS NOT NULL ORDER BY source"
    ).fetchall()
    return [json.loads(row[0]) for row in rows]


def record_load(con: duckdb.DuckDBPyConnection, row: dict[str, Any]) -> None:
    """Append one day's load to `runs` (a history: a re-run adds a row, it replaces nothing)."""
    con.execute(
        "INSERT INTO runs (run_id, job, partition_date, loaded_at, articles, mentions,"
        " failed_fetches, extractor) VALUES ($run_id, $job, $partition_date, $loaded_at,"
        " $articles, $mentions, $failed_fetches, $extractor)",
        row,
    )
