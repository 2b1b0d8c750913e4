"""Publishing: the working database, with review decisions and derived tables, made the snapshot.

The snapshot is what analysts, `veille query` and the review desk open. It is a checkpointed copy
of the working database renamed into place in one step, so a reader sees either the previous
state or the complete new one, and an open reader never blocks the next publish.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import uuid
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.errors import UserError
from pipeline.nlp.entities import canonical_written_funder, funder_ids
from pipeline.ops.faults import crash_point
from pipeline.warehouse.blocking import refuse_if_blocked
from pipeline.warehouse.review_store import DECISIONS_SCHEMA, read_decisions
from pipeline.warehouse.storage import (
    SQL_DIR,
    connect_work,
    read_sql,
    replace_rows,
    work_lock,
    work_path,
)

VIEWS_DIR = SQL_DIR / "views"
TABLES_DIR = SQL_DIR / "tables"
_TABLE = re.compile(r"CREATE\s+OR\s+REPLACE\s+TABLE\s+([a-z_][a-z0-9_]*)", re.I)
# "No space left", "File too large" (a size limit) and "Disk quota exceeded".
DISK_FULL = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT})


# The CPU priority `veille publish` runs at (nice, 0 to 19): a publish is batch work of a minute
# or more on every core, while the review desk on the same machine answers people waiting.
PUBLISH_NICENESS = 10


def lower_priority(niceness: int = PUBLISH_NICENESS) -> int:
    """Run this process at least `niceness` (never raised back), so the desk's requests get the
    cores first while it works; returns the niceness now in force."""
    current = os.nice(0)
    if current < niceness:
        current = os.nice(niceness - current)
    return current


# The DuckDB threads a publish uses: the environment's VEILLE_PUBLISH_THREADS, else every core
# but one, so that the review desk serving on the same machine always finds a core free.
PUBLISH_THREADS_ENV = "VEILLE_PUBLISH_THREADS"

log = logging.getLogger(__name__)


def publish_threads(threads: int | None = None) -> int:
    """The DuckDB threads a publish runs with: `threads` when given, else $VEILLE_PUBLISH_THREADS,
    else the cores less one (at least 1). A value that is not a positive integer is refused."""
    if threads is None:
        raw = os.environ.get(PUBLISH_THREADS_ENV, "").strip()
        if not raw:
            return max(1, (os.cpu_count() or 1) - 1)
        try:
            threads = int(raw)
        except ValueError:
            raise UserError(f"{PUBLISH_THREADS_ENV}={raw!r}: give a number of threads") from None
    if threads < 1:
        raise UserError(f"a publish needs at least 1 thread (got {threads})")
    return threads


def limit_threads(con: duckdb.DuckDBPyConnection, threads: int) -> int:
    """Make `con` run its queries on `threads` threads; returns the setting read back from it."""
    con.execute(f"SET threads = {int(threads)}")
    [(applied,)] = con.execute("SELECT current_setting('threads')").fetchall()
    log.debug("publishing with %s DuckDB threads", applied)
    return int(applied)


# Linux shares the CPU between sessions first when "autogroup" is on (the default of desktop and
# many server kernels), then between the processes of a session: a process's nice value then
# only ranks it against its own session's, and the group's own niceness is what counts.
AUTOGROUP_SWITCH = Path("/proc/sys/kernel/sched_autogroup_enabled")
AUTOGROUP = Path("/proc/self/autogroup")


def autogroups() -> bool:
    """Whether this kernel shares the CPU between sessions before processes (autogroup on)."""
    try:
        return AUTOGROUP_SWITCH.read_text().strip() == "1"
    except OSError:
        return False


def lower_group_priority(niceness: int = PUBLISH_NICENESS) -> bool:
    """When this process leads a session of its own under autogroup, give that session's CPU
    group `niceness`, so the publish yields to the desk's group as well as within its own.
    Returns whether it did (never for a session this process shares with others)."""
    if not autogroups() or os.getsid(0) != os.getpid():
        return False
    try:
        AUTOGROUP.write_text(str(niceness))
    except OSError:
        return False
    return True


class DiskFullError(OSError):
    """The snapshot could not be written for lack of space; nothing was replaced."""


def _is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return exc.errno in DISK_FULL
    return any(os.strerror(code) in str(exc) for code in DISK_FULL)


def load_reviews(con: duckdb.DuckDBPyConnection, decisions: list[dict]) -> None:
    """Replace the `reviews` table with the review store's decisions."""
    columns = DECISIONS_SCHEMA.names
    replace_rows(con, "reviews", [{c: d.get(c) for c in columns} for d in decisions])


def create_views(
    con: duckdb.DuckDBPyConnection, folders: tuple[Path, ...] = (VIEWS_DIR, TABLES_DIR)
) -> list[str]:
    """Create the views of `sql/views/` and the tables of `sql/tables/`; returns the file names.

    DuckDB checks what a view or a table reads when it is created, so each file waits for the
    ones it reads: files are retried until all pass. A name that moved from view to table is
    dropped first.
    """
    pending = sorted(path for folder in folders for path in folder.glob("*.sql"))
    views = {row[0] for row in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    for path in pending:
        for name in set(_TABLE.findall(path.read_text(encoding="utf-8"))) & views:
            con.execute(f'DROP VIEW "{name}"')
    done: list[str] = []
    while pending:
        failed: list[tuple[Path, duckdb.Error]] = []
        for path in pending:
            try:
                con.execute(path.read_text(encoding="utf-8"))
                done.append(path.name)
            except duckdb.CatalogException as exc:
                failed.append((path, exc))
        if len(failed) == len(pending):
            path, exc = failed[0]
            raise RuntimeError(f"{path.name}: {exc}") from exc
        pending = [path for path, _ in failed]
    return done


REVIEWED_FUNDERS_SCHEMA = pa.schema(
    [
        ("mention_id", pa.string()),
        ("funder_written", pa.string()),  # as the reviewer typed it
        ("funder", pa.string()),  # canonical, as the extraction names funders
        ("funder_id", pa.string()),  # NULL unless exactly one funder
        ("funder_ids", pa.list_(pa.string())),
    ]
)


def build_reviewed_funders(con: duckdb.DuckDBPyConnection) -> int:
    """Table `reviewed_funders`: each funder a reviewer typed, canonical as an extracted one.

    "la Région" typed on an Occitan article is "Région Occitanie", "BPI" is "Bpifrance", so a
    correction counts with the same funder ids as the extraction's funders. Returns its rows.
    """
    rows = []
    for mention_id, written, region in con.execute(read_sql("review_funders.sql")).fetchall():
        funder = canonical_written_funder(written, region)
        ids = funder_ids(funder)
        rows.append(
            {
                "mention_id": mention_id,
                "funder_written": written or None,
                "funder": funder,
                "funder_id": ids[0] if len(ids) == 1 else None,
                "funder_ids": ids,
            }
        )
    con.register("staged_funders", pa.Table.from_pylist(rows, schema=REVIEWED_FUNDERS_SCHEMA))
    try:
        con.execute("CREATE OR REPLACE TABLE reviewed_funders AS SELECT * FROM staged_funders")
    finally:
        con.unregister("staged_funders")
    return len(rows)


def build_analyst_objects(con: duckdb.DuckDBPyConnection) -> None:
    """The review state, then the views and tables analysts read, from what is loaded."""
    con.execute(read_sql("review_state.sql"))
    build_reviewed_funders(con)
    create_views(con)


def prepare(db_path: str | Path, threads: int | None = None) -> None:
    """Bring the working database up to date: reviews, views and the tables built from them,
    on `threads` DuckDB threads (`publish_threads`).

    Raises PublishBlocked, before changing anything, when a day failed a blocking check.
    """
    decisions = read_decisions(db_path)
    with connect_work(db_path) as con:
        limit_threads(con, publish_threads(threads))
        refuse_if_blocked(con)
        load_reviews(con, decisions)
        build_analyst_objects(con)
        con.execute("CHECKPOINT")


def index_snapshot(path: Path, threads: int | None = None) -> None:
    """Index the copy about to become the snapshot (`sql/snapshot_indexes.sql`) and build the
    review desk's tables in it (`sql/review/queue_table.sql`), on `threads` DuckDB threads.

    The review desk looks mentions up by id and by article; in a snapshot of millions of
    mentions an index turns each of those scans into a lookup. Only the snapshot carries them:
    the working database, rewritten a day at a time, does not pay for their upkeep.
    """
    con = duckdb.connect(str(path))
    try:
        limit_threads(con, publish_threads(threads))
        con.execute(read_sql("snapshot_indexes.sql"))
        con.execute(read_sql("review/queue_table.sql"))
        # Names this snapshot, so what is cached about it is keyed on its content, not on a
        # stat() of a path a later publish may already have replaced.
        con.execute(
            "CREATE OR REPLACE TABLE snapshot_info AS"
            " SELECT ? AS snapshot_id, now() AS published_at",
            [uuid.uuid4().hex],
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()


def publish(db_path: str | Path, threads: int | None = None) -> Path:
    """Prepare the working database and swap a copy of it in as the snapshot at `db_path`, its
    DuckDB work on `threads` threads (`publish_threads`: by default every core but one).

    The copy is checked to open before the rename; on any failure (disk full, say) the previous
    snapshot stays as it was.
    """
    threads = publish_threads(threads)
    db_path = Path(db_path)
    work = work_path(db_path)
    if not work.exists():
        raise UserError(f"nothing to publish: no working database at {work}; run `veille run`")
    tmp = db_path.with_name(f".{db_path.name}.tmp")
    with work_lock(db_path):
        return _publish_locked(db_path, work, tmp, threads)


def _publish_locked(db_path: Path, work: Path, tmp: Path, threads: int) -> Path:
    """Prepare, copy and swap in, while this process holds the working database."""
    try:
        prepare(db_path, threads)
        shutil.copyfile(work, tmp)
        index_snapshot(tmp, threads)
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        duckdb.connect(str(tmp), read_only=True).close()
        crash_point("publish")
        os.replace(tmp, db_path)
    except (OSError, duckdb.Error) as exc:
        tmp.unlink(missing_ok=True)
        if _is_disk_full(exc):
            size_mb = work.stat().st_size / 1e6
            raise DiskFullError(
                f"no room to publish {db_path} ({exc}); the copy needs about {size_mb:.0f} MB "
                f"in {db_path.parent}; the previous snapshot is intact"
            ) from exc
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return db_path
