"""The review store: decisions taken on mentions, kept apart from the warehouse.

A small SQLite file in WAL mode beside the database, owned by the review desk. The pipeline only
reads it, when it publishes, so a reviewer never waits on a run and a run never waits on a
reviewer. Decisions are appended, never changed: the latest one on a mention wins. A mention the
extractor missed is added by a decision too (status `added`, its fields in `payload`), with the
same stable identity an extracted mention would have. A bulk decision carries a batch id on each
of its decisions, and is undone by decisions too (status `undone`, the same batch id), so the
trail keeps both.
"""

from __future__ import annotations

import hashlib
import json
import math
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline.warehouse.storage import read_sql

STATUSES = ("accepted", "rejected", "corrected", "added", "undone")
# The verdicts an undone bulk decision may give back (None: the mention is to review again).
VERDICTS = ("accepted", "rejected")
KINDS = ("cluster", "official", "funding", "location", "quote")
# Why a mention is rejected: the short list the desk offers.
REJECT_REASONS = (
    "hors sujet",
    "mauvaise entité",
    "erreur d'extraction",
    "doublon",
    "autre",
)
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
    payload: str | None = None
    batch_id: str | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"statut de décision inconnu : {self.status!r}")
        if self.status == "corrected" and self.field not in CORRECTABLE:
            raise ValueError(f"champ non modifiable : {self.field!r}")
        if self.status == "added" and not (self.payload and self.article_id and self.kind):
            raise ValueError("une mention ajoutée demande son article, son type et ses champs")
        if self.status == "undone" and not (
            self.batch_id and (self.new_value is None or self.new_value in VERDICTS)
        ):
            raise ValueError("une annulation demande son lot et le verdict qu'elle rend")


@contextmanager
def connect_store(db_path: str | Path) -> Iterator[sqlite3.Connection]:
    """Open (creating if needed) the review store of `db_path`."""
    path = store_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        con.execute("PRAGMA busy_timeout=30000")
        con.execute("PRAGMA foreign_keys=ON")
        _set_up(con, path)
        yield con
    finally:
        con.close()


_ready: set[Path] = set()
_ready_guard = threading.Lock()


def _set_up(con: sqlite3.Connection, path: Path) -> None:
    """Switch the store to WAL and create or upgrade its tables, once per process and file.

    Changing the journal mode and the schema take locks SQLite will not wait for when other
    connections are busy, so this is done once, retried briefly if another process is at it.
    """
    with _ready_guard:
        known = con.execute("SELECT 1 FROM sqlite_master WHERE name = 'decisions'").fetchone()
        if path in _ready and known:
            return
        for attempt in range(100):
            try:
                if con.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    con.execute("PRAGMA journal_mode=WAL")
                con.executescript(read_sql("review_store.sql"))
                _migrate(con)
                _keep_latest(con)
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 99:
                    raise
                time.sleep(0.05)
        _ready.add(path)


# Rebuilds of an older `decisions` table, in order: the column each one adds, and its script.
MIGRATIONS = (
    ("payload", "review/migrate_decisions_added.sql"),
    ("batch_id", "review/migrate_decisions_batches.sql"),
)


def _migrate(con: sqlite3.Connection) -> None:
    """Rebuild a `decisions` table made before added mentions (no `payload` column) or undoable
    bulk decisions (no `batch_id`) existed, then index the batches."""
    for column, script_name in MIGRATIONS:
        if _has_column(con, column):
            continue
        con.execute("BEGIN IMMEDIATE")
        try:
            if not _has_column(con, column):  # another connection may have migrated meanwhile
                script = read_sql(script_name)
                code = "\n".join(line for line in script.splitlines() if not line.startswith("--"))
                for statement in code.split(";"):
                    if statement.strip():
                        con.execute(statement)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    con.execute(
        "CREATE INDEX IF NOT EXISTS decisions_batch ON decisions (batch_id)"
        " WHERE batch_id IS NOT NULL"
    )


def _keep_latest(con: sqlite3.Connection) -> None:
    """Create (and fill, for an older store) `review_latest` and the trigger that maintains it."""
    try:
        con.executescript(read_sql("review/latest_store.sql"))
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise


def _has_column(con: sqlite3.Connection, column: str) -> bool:
    return any(row[1] == column for row in con.execute("PRAGMA table_info(decisions)"))


INSERT_DECISION = (
    "INSERT INTO decisions (mention_id, article_id, kind, status, field, old_value, new_value,"
    " reason, reviewer, reviewed_at, payload, batch_id) VALUES (:mention_id, :article_id, :kind,"
    " :status, :field, :old_value, :new_value, :reason, :reviewer, :reviewed_at, :payload,"
    " :batch_id)"
)


def record(db_path: str | Path, *decisions: Decision) -> None:
    """Append decisions to the store, all or none."""
    now = datetime.now(UTC).isoformat()
    rows = [{**asdict(d), "reviewed_at": d.reviewed_at or now} for d in decisions]
    with connect_store(db_path) as con:
        con.execute("BEGIN IMMEDIATE")
        try:
            con.executemany(INSERT_DECISION, rows)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def new_batch_id() -> str:
    """A fresh id for the decisions of one bulk decision (16 hex digits, unguessable)."""
    return secrets.token_hex(8)


def is_batch_id(value: str | None) -> bool:
    """Whether `value` has the shape of a batch id (checked before it reaches a query)."""
    return bool(value) and len(value) == 16 and all(c in "0123456789abcdef" for c in value)


@dataclass(frozen=True)
class Batch:
    """A bulk decision as the store holds it: who made it, how many mentions it accepted, how
    many of them it still decides (their latest decision is the batch's) and how many were
    given back by an undo."""

    batch_id: str
    reviewer: str
    decided: int
    current: int
    undone: int


def batch(db_path: str | Path, batch_id: str) -> Batch | None:
    """The bulk decision `batch_id`, or None when the store has no such batch."""
    if not is_batch_id(batch_id) or not store_path(db_path).exists():
        return None
    with connect_store(db_path) as con:
        return _batch(con, batch_id)


def _batch(con: sqlite3.Connection, batch_id: str) -> Batch | None:
    row = con.execute(read_sql("review/batch.sql"), {"batch_id": batch_id}).fetchone()
    if row is None or row[0] is None:
        return None
    return Batch(batch_id, *row)


class NotYourBatch(PermissionError):
    """Raised when a reviewer tries to undo another reviewer's bulk decision."""


def undo_batch(db_path: str | Path, batch_id: str, reviewer: str) -> tuple[int, int]:
    """Take back the bulk decision `batch_id`, in one transaction; (undone, kept) counts.

    Each mention the batch still decides gets an `undone` decision giving back the verdict it
    had just before the batch (none, accepted or rejected, read from the log). A mention decided
    again since the batch keeps that later decision (counted in `kept`). Only the reviewer who
    made the batch may undo it (NotYourBatch); ValueError (in French) when there is no such batch
    or nothing left to undo.
    """
    now = datetime.now(UTC).isoformat()
    with connect_store(db_path) as con:
        con.execute("BEGIN IMMEDIATE")
        try:
            found = _batch(con, batch_id) if is_batch_id(batch_id) else None
            if found is None:
                raise ValueError("lot de décisions introuvable")
            if found.reviewer != reviewer:
                raise NotYourBatch(f"seul·e {found.reviewer}, qui a accepté ce lot, peut l'annuler")
            if found.current == 0:
                raise ValueError(
                    "rien à annuler : ce lot a déjà été annulé, ou chaque mention a été"
                    " décidée à nouveau depuis"
                )
            rows = con.execute(read_sql("review/undo_batch.sql"), {"batch_id": batch_id})
            undos = [
                {
                    **asdict(
                        Decision(
                            mention_id,
                            "undone",
                            reviewer,
                            article_id=article_id,
                            kind=kind,
                            old_value=status,
                            new_value=verdict,
                            batch_id=batch_id,
                        )
                    ),
                    "reviewed_at": now,
                }
                for mention_id, article_id, kind, status, verdict in rows.fetchall()
            ]
            con.executemany(INSERT_DECISION, undos)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return len(undos), found.decided - found.undone - len(undos)


def read_decisions(db_path: str | Path) -> list[dict[str, Any]]:
    """Every decision, oldest first (an empty list when nobody has reviewed anything yet)."""
    if not store_path(db_path).exists():
        return []
    with connect_store(db_path) as con:
        con.row_factory = sqlite3.Row
        rows = con.execute("SELECT * FROM decisions ORDER BY decision_id").fetchall()
    return [{**dict(r), "reviewed_at": datetime.fromisoformat(r["reviewed_at"])} for r in rows]


def mention_history(db_path: str | Path, mention_id: str) -> list[dict[str, Any]]:
    """The audit trail of one mention: its decisions, newest first.

    A bulk decision that was taken back for this mention says so (`undone`: True).
    """
    if not store_path(db_path).exists():
        return []
    with connect_store(db_path) as con:
        con.row_factory = sqlite3.Row
        rows = con.execute(
            "SELECT * FROM decisions WHERE mention_id = ? ORDER BY decision_id DESC", [mention_id]
        ).fetchall()
    undone = {r["batch_id"] for r in rows if r["status"] == "undone"}
    return [
        {**dict(r), "undone": r["status"] != "undone" and r["batch_id"] in undone} for r in rows
    ]


DECISIONS_SCHEMA = pa.schema(
    [("decision_id", pa.int64())]
    + [
        (name, pa.string())
        for name in (
            "mention_id",
            "article_id",
            "kind",
            "status",
            "field",
            "old_value",
            "new_value",
            "reason",
            "reviewer",
            "reviewed_at",
            "payload",
            "batch_id",
        )
    ]
)


def decisions_table(db_path: str | Path) -> pa.Table:
    """Every decision as an Arrow table (typed even when empty), for joining in DuckDB."""
    rows = [{**d, "reviewed_at": d["reviewed_at"].isoformat()} for d in read_decisions(db_path)]
    return pa.Table.from_pylist(
        [{c: r.get(c) for c in DECISIONS_SCHEMA.names} for r in rows], schema=DECISIONS_SCHEMA
    )


LATEST_SCHEMA = pa.schema(
    [("mention_id", pa.string()), ("article_id", pa.string()), ("kind", pa.string())]
    + [("status", pa.string()), ("corrected", pa.bool_())]
    + [(name, pa.string()) for name in CORRECTABLE]
    + [("payload", pa.string()), ("last_decision_id", pa.int64())]
)


def store_version(db_path: str | Path) -> int:
    """The id of the store's newest decision (0 for an empty or missing store): it grows with
    every decision, so the desk knows when what it computed from the store is out of date."""
    if not store_path(db_path).exists():
        return 0
    with connect_store(db_path) as con:
        return con.execute("SELECT coalesce(max(decision_id), 0) FROM decisions").fetchone()[0]


def changes_since(db_path: str | Path, decision_id: int) -> tuple[pa.Table, pa.Table]:
    """The decisions after `decision_id`, and the latest state of the mentions they touch.

    Both come from one read of the store (its `review_latest` table, indexed by last decision),
    so the desk loads what changed since the snapshot was published, not the whole log.
    """
    decisions: list[dict[str, Any]] = []
    latest: list[dict[str, Any]] = []
    if store_path(db_path).exists():
        with connect_store(db_path) as con:
            con.row_factory = sqlite3.Row
            con.execute("BEGIN")
            try:
                decisions = [
                    dict(r)
                    for r in con.execute(
                        "SELECT * FROM decisions WHERE decision_id > ? ORDER BY decision_id",
                        [decision_id],
                    )
                ]
                latest = [
                    {**dict(r), "corrected": bool(r["corrected"])}
                    for r in con.execute(
                        "SELECT * FROM review_latest WHERE last_decision_id > ?", [decision_id]
                    )
                ]
            finally:
                con.execute("COMMIT")
    return (
        pa.Table.from_pylist(
            [{c: d.get(c) for c in DECISIONS_SCHEMA.names} for d in decisions],
            schema=DECISIONS_SCHEMA,
        ),
        pa.Table.from_pylist(
            [{c: r.get(c) for c in LATEST_SCHEMA.names} for r in latest], schema=LATEST_SCHEMA
        ),
    )


def new_mention_id(article_id: str, kind: str, start: int, end: int, value: Any) -> str:
    """The stable identity the extractor gives a mention (`pipeline.daily.mention_id`).

    An added mention gets the id the extractor would give it, so if a later extractor finds it,
    the reviewer's decisions stay attached to the same mention.
    """
    key = f"{article_id}|{kind}|{start}|{end}|{value or ''}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


# The longest text an added mention may have (a quote), and the longest of its other fields.
ADDED_TEXT_LIMIT = 3000
ADDED_FIELD_LIMIT = 300
# Fields a reviewer may give an added mention, by kind (besides its text and offsets).
ADDED_FIELDS = {
    "cluster": ("name",),
    "official": ("name", "role", "org"),
    "funding": ("amount_eur", "funder", "recipient", "instrument"),
    "location": ("name",),
    "quote": ("speaker",),
}


def added_mention(
    article_id: str,
    article_text: str,
    kind: str,
    text: str,
    reviewer: str,
    start: int | None = None,
    fields: dict[str, Any] | None = None,
) -> Decision:
    """A decision adding a mention the extractor missed, located in the article's text.

    `start` (from a text selection) is used when the text is there; otherwise the first
    occurrence of `text` is taken. Raises ValueError, in French (the desk shows it), when the text
    is not in the article or a field is not acceptable.
    """
    if kind not in KINDS:
        raise ValueError(f"type de mention inconnu : {kind[:40]!r}")
    text = text.strip()
    if not text:
        raise ValueError("le texte de la mention est vide")
    if len(text) > ADDED_TEXT_LIMIT:
        raise ValueError(f"texte de {ADDED_TEXT_LIMIT} caractères au plus")
    if start is None or article_text[start : start + len(text)] != text:
        start = article_text.find(text)
    if start < 0:
        raise ValueError("ce texte n'est pas dans l'article (copiez-le tel qu'il y est écrit)")
    end = start + len(text)
    values = {k: v for k, v in (fields or {}).items() if k in ADDED_FIELDS[kind] and v}
    if any(len(str(v)) > ADDED_FIELD_LIMIT for v in values.values()):
        raise ValueError(f"{ADDED_FIELD_LIMIT} caractères au plus par champ")
    if "amount_eur" in values:
        try:
            values["amount_eur"] = float(values["amount_eur"])
        except (TypeError, ValueError):
            raise ValueError("montant invalide : un nombre d'euros, par exemple 1500000") from None
        if not math.isfinite(values["amount_eur"]) or values["amount_eur"] < 0:
            raise ValueError("montant invalide : un nombre d'euros, par exemple 1500000")
    if kind == "quote":
        values["quote"] = text
    values.setdefault("name", text if kind in ("cluster", "location", "official") else None)
    value = values.get("name") or values.get("amount_eur") or values.get("quote")
    payload = {"kind": kind, "text": text, "start": start, "end": end, **values}
    return Decision(
        new_mention_id(article_id, kind, start, end, value),
        "added",
        reviewer,
        article_id=article_id,
        kind=kind,
        new_value=text,
        payload=json.dumps(payload, ensure_ascii=False),
    )
