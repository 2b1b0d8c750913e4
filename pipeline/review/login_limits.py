"""How often the review desk lets anyone try a password, decided before any password is hashed.

Two limits, checked and recorded in one SQLite transaction so concurrent guesses cannot slip
between the check and the record:

- per client address, at most ADDRESS_LIMIT attempts in ADDRESS_WINDOW, whatever the user name:
  a flood of logins under new names is refused without hashing anything;
- per (user name, address), a delay that grows with each failure after FREE_FAILURES: while it
  runs every attempt is refused, the right password too, but never for longer than the delay
  (at most MAX_DELAY). Nobody is locked out for good, and a guesser gets one try per delay.

An attempt is recorded as pending when it is let through; it becomes a failure, or is deleted
with the pair's earlier failures when the password was right.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pipeline.warehouse.review_store import connect_store

ADDRESS_LIMIT = 30
ADDRESS_WINDOW = timedelta(minutes=1)
FREE_FAILURES = 3
BASE_DELAY = timedelta(seconds=2)
MAX_DELAY = timedelta(seconds=60)
# Failures older than this no longer count towards a pair's delay.
FAILURE_MEMORY = timedelta(hours=1)
NAME_LIMIT = 64


@dataclass(frozen=True)
class Verdict:
    """Whether an attempt may check its password: its id if so, else the seconds to wait."""

    attempt_id: int | None
    retry_after: int = 0

    @property
    def allowed(self) -> bool:
        return self.attempt_id is not None


def _now() -> datetime:
    return datetime.now(UTC)


def delay_after(failures: int) -> timedelta:
    """The wait imposed after `failures` recent failures of one (name, address) pair."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(BASE_DELAY * 2 ** min(failures - FREE_FAILURES, 30), MAX_DELAY)


def begin_attempt(db_path: str | Path, name: str, client: str) -> Verdict:
    """Check both limits and, if the attempt may go on, record it as pending (one transaction)."""
    name = name[:NAME_LIMIT]
    now = _now()
    with connect_store(db_path) as con:
        con.execute("BEGIN IMMEDIATE")
        try:
            verdict = _decide(con, name, client, now)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return verdict


def _decide(con: sqlite3.Connection, name: str, client: str, now: datetime) -> Verdict:
    con.execute(
        "DELETE FROM login_attempts WHERE attempted_at < ?", [(now - FAILURE_MEMORY).isoformat()]
    )
    (recent, oldest) = con.execute(
        "SELECT count(*), min(attempted_at) FROM login_attempts"
        " WHERE client = ? AND attempted_at > ?",
        [client, (now - ADDRESS_WINDOW).isoformat()],
    ).fetchone()
    if recent >= ADDRESS_LIMIT:
        free_at = datetime.fromisoformat(oldest) + ADDRESS_WINDOW
        return Verdict(None, _seconds(free_at - now))
    (failures, last) = con.execute(
        "SELECT count(*), max(attempted_at) FROM login_attempts WHERE user_name = ? AND client = ?",
        [name, client],
    ).fetchone()
    if failures:
        free_at = datetime.fromisoformat(last) + delay_after(failures)
        if free_at > now:
            return Verdict(None, _seconds(free_at - now))
    cursor = con.execute(
        "INSERT INTO login_attempts (user_name, client, attempted_at, outcome)"
        " VALUES (?, ?, ?, 'pending')",
        [name, client, now.isoformat()],
    )
    return Verdict(cursor.lastrowid)


def _seconds(wait: timedelta) -> int:
    return max(math.ceil(wait.total_seconds()), 1)


def finish_attempt(db_path: str | Path, verdict: Verdict, succeeded: bool) -> None:
    """Record an attempt's outcome: a failure counts; a success clears the pair's failures."""
    if verdict.attempt_id is None:
        return
    with connect_store(db_path) as con:
        if not succeeded:
            con.execute(
                "UPDATE login_attempts SET outcome = 'failed' WHERE attempt_id = ?",
                [verdict.attempt_id],
            )
            return
        con.execute(
            "DELETE FROM login_attempts WHERE (user_name, client) IN"
            " (SELECT user_name, client FROM login_attempts WHERE attempt_id = ?)",
            [verdict.attempt_id],
        )
