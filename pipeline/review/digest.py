"""The daily and weekly digest: new funding, the most mentioned clusters and officials' quotes.

New funding and its total are what lands in a région (local or regional money, as
`funding_events.in_region`); national and European envelopes an article cites ("the national
strategy's 1,2 Md€") are listed apart and never added to that total.

Read from the live mentions (`pipeline.review.queue.open_live`), so it honours every review
decision at once: rejected mentions are left out, corrections and merges applied, mentions added
by reviewers included. The desk renders it as an HTML page ready to paste into an email.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations
from typing import Any

import duckdb

from pipeline.review.queue import VALIDATED, fetch_dicts
from pipeline.warehouse.storage import read_sql

PERIODS = {"day": 1, "week": 7}
EVERY_STATUS = ("unreviewed", *VALIDATED)
# A digest is read in a minute: the biggest funding events only.
MAX_FUNDING = {"day": 6, "week": 10}
MAX_ENVELOPES = {"day": 3, "week": 5}
MAX_QUOTES = {"day": 4, "week": 8}
# Words just before an amount that make it a ceiling, an average or one project among several
# ("jusqu'à 50 000 euros", "le montant moyen ... atteint 200 000 euros"), not an event.
NOT_AN_EVENT = (
    "jusqu",
    "moyen",
    "dans la limite",
    "plafon",
    "maximum",
    "au plus",
    "dépassant",
    "chacun",
    "par projet",
)


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
    # What lands in a région: every such event of the period, not only the ones listed.
    regional_total_eur: float = 0.0
    regional_events: int = 0
    # National and European envelopes cited in the period: apart, never in the total.
    envelopes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.funding or self.envelopes or self.clusters or self.quotes)


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
    events = funding_events(fetch_dicts(con, read_sql("review/digest_funding.sql"), params))
    regional = [e for e in events if e.get("in_region", True)]
    return Digest(
        period=period,
        first=first,
        last=last,
        validated_only=validated_only,
        funding=regional[: MAX_FUNDING[period]],
        clusters=fetch_dicts(con, read_sql("review/digest_clusters.sql"), params),
        quotes=fetch_dicts(con, read_sql("review/digest_quotes.sql"), params)[: MAX_QUOTES[period]],
        regional_total_eur=sum(e["amount_eur"] for e in regional),
        regional_events=len(regional),
        envelopes=[e for e in events if not e.get("in_region", True)][: MAX_ENVELOPES[period]],
    )


def _is_event(row: dict[str, Any]) -> bool:
    """An amount given to someone: not a bracket, a ceiling or an average (see NOT_AN_EVENT)."""
    if row["amount_eur"] is None or row.get("amount_max_eur") is not None:
        return False
    sentence, text = row.get("sentence") or "", row.get("text") or ""
    at = sentence.find(text)
    before = sentence[max(0, at - 45) : at] if at >= 0 else ""
    context = f"{before} {row.get('amount_text') or ''}".lower().replace("’", "'")
    return not any(word in context for word in NOT_AN_EVENT)


DETAILS = ("funder", "recipient", "instrument")


def _detail(row: dict[str, Any]) -> int:
    return sum(row.get(key) is not None for key in DETAILS)


def _parts_of(total: dict[str, Any], others: list[dict[str, Any]]) -> tuple[dict, ...]:
    """The largest set of `others` (two or more) whose amounts add up to `total`'s, if any."""
    smaller = [r for r in others if r["amount_eur"] < total["amount_eur"]]
    if len(smaller) > 10:  # a long list of amounts is not one total and its parts
        return ()
    for size in range(len(smaller), 1, -1):
        for combo in combinations(smaller, size):
            if abs(sum(r["amount_eur"] for r in combo) - total["amount_eur"]) <= (
                0.005 * total["amount_eur"]
            ):
                return combo
    return ()


def _fold_parts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One article's amounts, without those that add up to another of its amounts: "12,5 M€ :
    l'État 6 M€, la Région 5 M€ et la métropole 1,5 M€" is one event, its funders named."""
    kept = sorted(rows, key=lambda r: -r["amount_eur"])
    i = 0
    while i < len(kept):
        total = kept[i]
        parts = _parts_of(total, kept[i + 1 :])
        if parts:
            funders = [total["funder"]] if total.get("funder") else []
            funders += [r["funder"] for r in parts if r.get("funder")]
            kept[i] = {**total, "funder": ", ".join(dict.fromkeys(funders)) or None}
            kept = [r for r in kept if not any(r is part for part in parts)]
        i += 1
    return kept


def funding_events(rows: list[dict[str, Any]], limit: int | None = None) -> list[dict[str, Any]]:
    """The digest's new funding: real funding events only, each once, biggest first (the first
    `limit`, or all).

    Left out: mentions without an amount (an instrument named in passing), brackets, ceilings
    and averages; an amount its article restates is kept once (the most detailed mention), and
    the parts of a total the article also gives are folded into it.
    """
    by_article: dict[tuple[str, bool], dict[float, dict[str, Any]]] = {}
    for row in rows:
        if not _is_event(row):
            continue
        # An envelope and the région's money are never folded into one another.
        amounts = by_article.setdefault((row["article_id"], row.get("in_region", True)), {})
        same = amounts.get(row["amount_eur"])
        if same is not None:  # restated: the most detailed mention, completed by the other
            base, other = (row, same) if _detail(row) > _detail(same) else (same, row)
            row = {**base, **{k: other[k] for k in DETAILS if base.get(k) is None}}
        amounts[row["amount_eur"]] = row
    events = [e for amounts in by_article.values() for e in _fold_parts(list(amounts.values()))]
    events.sort(key=lambda r: (-r["amount_eur"], r["day"]))
    return events if limit is None else events[:limit]
