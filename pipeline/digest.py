"""The daily and weekly digest: new funding, the most mentioned clusters and officials' quotes.

Read from the live mentions (`pipeline.review_queue.open_live`), so it honours every review
decision at once: rejected mentions are left out, corrections and merges applied, mentions added
by reviewers included. The desk renders it as an HTML page ready to paste into an email.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb

from pipeline.review_queue import VALIDATED, fetch_dicts
from pipeline.storage import read_sql

PERIODS = {"day": 1, "week": 7}
EVERY_STATUS = ("unreviewed", *VALIDATED)


@dataclass(frozen=True)
class Digest:
    """What a digest holds, for one period."""

    period: str
    first: date
    last: date
    validated_only: bool
    funding: list[dict[str, Any]]
    clusters: list[dict[str, Any]]
    quotes: list[dict[str, Any]]

    @property
    def empty(self) -> bool:
        return not (self.funding or self.clusters or self.quotes)


def latest_day(con: duckdb.DuckDBPyConnection) -> date | None:
    """The latest day with articles: a digest's default day."""
    return con.execute(read_sql("review/latest_day.sql")).fetchone()[0]


def period_days(period: str, last: date) -> tuple[date, date]:
    """The first and last day of a daily or weekly digest ending on `last`."""
    if period not in PERIODS:
        raise ValueError(f"période inconnue : {period} (day ou week)")
    return last - timedelta(days=PERIODS[period] - 1), last


def build_digest(
    con: duckdb.DuckDBPyConnection, period: str, last: date, validated_only: bool = False
) -> Digest:
    """The digest of the day or week ending on `last`; only validated mentions if asked."""
    first, last = period_days(period, last)
    params = {
        "date_from": first,
        "date_to": last,
        "statuses": list(VALIDATED if validated_only else EVERY_STATUS),
    }
    return Digest(
        period=period,
        first=first,
        last=last,
        validated_only=validated_only,
        funding=fetch_dicts(con, read_sql("review/digest_funding.sql"), params),
        clusters=fetch_dicts(con, read_sql("review/digest_clusters.sql"), params),
        quotes=fetch_dicts(con, read_sql("review/digest_quotes.sql"), params),
    )
