"""Blocking checks' verdicts, kept beside the data, so no later publish lets a bad day through.

A blocking check that fails stops its own run before the publish step; but the day's rows stay
in the working database, and the next run's publish would copy them. So each verdict is recorded
in `blocked_days`, and publishing refuses while any day is listed there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import duckdb

from pipeline.errors import UserError


@dataclass(frozen=True)
class BlockedDay:
    """One day held back from publishing, by the check that failed and what it found."""

    day: date
    check: str
    detail: str


class PublishBlocked(UserError):
    """Publishing was refused: some day's data failed a blocking check."""

    def __init__(self, blocked: list[BlockedDay]) -> None:
        self.blocked = blocked
        days = ", ".join(f"{b.day} ({b.check}: {b.detail})" for b in blocked)
        first = blocked[0].day
        super().__init__(
            f"not published: data failing a blocking check is stored for {days}. The snapshot "
            f"keeps its last good state. Fix the cause, then run the day again "
            f"(`veille run --date {first}`): once its checks pass, publishing resumes."
        )


def record_verdict(
    con: duckdb.DuckDBPyConnection, day: date, check: str, passed: bool, detail: str = ""
) -> None:
    """Record a blocking check's verdict on `day`: a failure holds the day back, a pass frees it."""
    con.execute(
        "DELETE FROM blocked_days WHERE partition_date = ? AND check_name = ?", [day, check]
    )
    if not passed:
        con.execute(
            "INSERT INTO blocked_days VALUES (?, ?, ?, ?)", [day, check, detail, datetime.now(UTC)]
        )


def blocked_days(con: duckdb.DuckDBPyConnection) -> list[BlockedDay]:
    """The days held back, oldest first."""
    rows = con.execute(
        "SELECT partition_date, check_name, detail FROM blocked_days ORDER BY 1, 2"
    ).fetchall()
    return [BlockedDay(day, check, detail or "") for day, check, detail in rows]


def refuse_if_blocked(con: duckdb.DuckDBPyConnection) -> None:
    """Raise PublishBlocked when any day is held back."""
    blocked = blocked_days(con)
    if blocked:
        raise PublishBlocked(blocked)
