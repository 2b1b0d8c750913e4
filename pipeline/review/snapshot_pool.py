"""The review desk's connections to the published snapshot: one DuckDB instance per snapshot file,
kept while that file is the snapshot, with a cursor per request.

`duckdb.connect(path)` hands back the instance already open on `path` in the process, so while
any request holds a connection, the next ones keep reading the snapshot it opened, even after a
publish replaced the file. Here each snapshot file (its inode) is attached to its own in-memory
instance, a new one as soon as the file changes; requests get cursors of it (no open, catalog
read or close per request, and its cache stays warm), and the last request on a replaced file
closes its instance.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.errors import UserError
from pipeline.warehouse.storage import work_path

CATALOG = "snapshot"


@dataclass
class _Instance:
    """An in-memory DuckDB with one snapshot file attached read-only, and who is using it."""

    key: tuple[int, int]
    con: duckdb.DuckDBPyConnection
    users: int = 0
    retired: bool = False


_instances: dict[Path, _Instance] = {}
_guard = threading.Lock()


def _attach(path: Path, key: tuple[int, int]) -> _Instance:
    con = duckdb.connect(":memory:")
    try:
        quoted = "'" + str(path).replace("'", "''") + "'"
        con.execute(f"ATTACH {quoted} AS {CATALOG} (READ_ONLY)")
    except duckdb.Error as exc:
        con.close()
        first_line = str(exc).splitlines()[0]
        raise UserError(
            f"the database {path} cannot be opened ({first_line}); rebuild it from the "
            "working database with `veille publish`"
        ) from exc
    return _Instance(key, con)


def _release(instance: _Instance) -> None:
    """Called under _guard: close a replaced instance once nobody uses it."""
    if instance.retired and instance.users == 0:
        instance.con.close()


@contextmanager
def snapshot_cursor(db_path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the current snapshot of `db_path`, read-only, its catalog the default."""
    with snapshot_session(db_path) as (cursor, _):
        yield cursor


@contextmanager
def snapshot_session(
    db_path: str | Path,
) -> Iterator[tuple[duckdb.DuckDBPyConnection, tuple[str, int, int]]]:
    """`snapshot_cursor`, with the identity of the snapshot file the cursor reads (path, inode,
    modification time): what a cache of anything computed from that snapshot is keyed on."""
    path = Path(db_path).resolve()
    try:
        stat = path.stat()
    except FileNotFoundError:
        hint = "`veille publish`" if work_path(path).exists() else "`veille run` or `make run`"
        raise UserError(f"no database at {path}: build it with {hint}") from None
    key = (stat.st_ino, stat.st_mtime_ns)
    with _guard:
        instance = _instances.get(path)
        if instance is None or instance.key != key:
            fresh = _attach(path, key)
            if instance is not None:
                instance.retired = True
                _release(instance)
            instance = _instances[path] = fresh
        instance.users += 1
        try:
            cursor = instance.con.cursor()
        except BaseException:
            instance.users -= 1
            raise
    try:
        cursor.execute(f"USE {CATALOG}")
        yield cursor, (str(path), *instance.key)
    finally:
        cursor.close()
        with _guard:
            instance.users -= 1
            _release(instance)


def close_all() -> None:
    """Close every instance nobody uses (at shutdown, or between tests)."""
    with _guard:
        for path, instance in list(_instances.items()):
            instance.retired = True
            _release(instance)
            del _instances[path]
