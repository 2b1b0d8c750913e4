"""Source health: which outlets have gone silent, so the team notices the same day."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

DEFAULT_SILENT_AFTER_DAYS = 3


@dataclass(frozen=True)
class SilentSource:
    """A source with no new entry over its last `days` run days, and the last reason known."""

    source: str
    days: int
    reason: str


def silent_sources(
    activity: Iterable[tuple[str, date, int, str | None]], thresholds: dict[str, int]
) -> list[SilentSource]:
    """Sources whose last N run days (N = their threshold) all gave no entry.

    `activity` rows are (source, day, entries, failure reason or None), newest day first per
    source, as `sql/checks/source_activity.sql` returns them. A source with fewer run days than
    its threshold is not judged yet.
    """
    by_source: dict[str, list[tuple[int, str | None]]] = defaultdict(list)
    for source, _day, entries, reason in activity:
        by_source[source].append((entries, reason))
    silent = []
    for source, days in sorted(by_source.items()):
        wanted = thresholds.get(source, DEFAULT_SILENT_AFTER_DAYS)
        recent = days[:wanted]
        if len(recent) < wanted or any(entries for entries, _ in recent):
            continue
        reason = next((r for _, r in recent if r), None) or f"no new entry for {wanted} days"
        silent.append(SilentSource(source, wanted, reason))
    return silent
