"""The review store: decisions taken on mentions, kept apart from the warehouse.

A small SQLite file in WAL mode beside the database, owned by the review desk. The pipeline only
reads it, when it publishes, so a reviewer never waits on a run and a run never waits on a
reviewer. Decisions are appended, never changed: the latest one on a mention wins.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.storage import read_sql

STATUSES = ("accepted", "rejected", "corrected")
# Columns of `mentions` a reviewer may correct.
CORRECTABLE = (
    "name",
    "role",
    "org",
    "amount_eur",
    "funder",
    "recipient",
    "instrument",
    "entity_id",
    "speaker",
)


def store_path(db_path: str | Path) -> Path:
    """Where the review store of a database lives: `<name>.reviews.sqlite` beside it."""
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}.reviews.sqlite")


@dataclass(frozen=True)
class Decision:
    """One reviewer's decision on one mention."""

    mention_id: str
    status: str
    reviewer: str
    article_id: str | None = None
    kind: str | None = None
    field: str | None = None
    old_value: str | None = None
    new_value: str | None = None
    reason: str | None = None
    reviewed_at: str | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown review status {self.status!r}")
        if self.status == "corrected" and self.field not in CORRECTABLE:
            raise ValueError(f"field {self.field!r} cannot be corrected")


@contextmanager
def connect_store(db_path: str | Path) -> Iterator[sqlite3.Connection]:
    """Open (creating if needed) the review store of `db_path`."""
    path = store_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA busy_timeout=30000")
        con.executescript(read_sql("review_store.sql"))
        yield con
    finally:
        con.close()


def record(db_path: str | Path, *decisions: Decision) -> None:
    """Append decisions to the store, all or none."""
    now = datetime.now(UTC).isoformat()
    rows = [{**asdict(d), "reviewed_at": d.reviewed_at or now} for d in decisions]
    with connect_store(db_path) as con:
        con.execute("BEGIN IMMEDIATE")
        try:
            con.executemany(
                "INSERT INTO decisions (mention_id, article_id, kind, status, field, old_value,"
                " new_value, reason, reviewer, reviewed_at) VALUES (:mention_id, :article_id,"
                " :kind, :status, :field, :old_value, :new_value, :reason, :reviewer,"
                " :reviewed_at)",
                rows,
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def read_decisions(db_path: str | Path) -> list[dict[str, Any]]:
    """Every decision, oldest first (an empty list when nobody has reviewed anything yet)."""
    if not store_path(db_path).exists():
        return []
    with connect_store(db_path) as con:
        con.row_factory = sqlite3.Row
        rows = con.execute("SELECT * FROM decisions ORDER BY decision_id").fetchall()
    return [{**dict(r), "reviewed_at": datetime.fromisoformat(r["reviewed_at"])} for r in rows]
