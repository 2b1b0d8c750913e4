"""Read RSS and Atom feeds into entries, and pick the entries of one day (Europe/Paris)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import feedparser

from pipeline.urls import canonicalize_url

PARIS = ZoneInfo("Europe/Paris")


class FeedError(Exception):
    """The feed could not be read at all (no entries could be recovered)."""


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed: where the article is and when the feed says it was published."""

    source: str
    feed_url: str
    url: str
    guid: str
    title: str
    published_at: datetime | None
    summary: str


def _entry_datetime(entry: feedparser.FeedParserDict) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            # feedparser gives UTC struct_time; feeds without a zone were read as UTC by it.
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    return None


def parse_feed(
    body: bytes, feed_url: str, source: str, content_type: str | None = None
) -> list[FeedEntry]:
    """Parse feed bytes; malformed feeds are used as far as their entries are readable.

    `content_type` is the response's Content-Type header (with its charset), when known.
    """
    headers = {"content-location": feed_url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(body, response_headers=headers)
    reason = getattr(parsed, "bozo_exception", None) or "no RSS or Atom document found"
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        raise FeedError(f"not a readable feed: {reason}")
    entries: list[FeedEntry] = []
    for item in parsed.entries:
        link = item.get("link") or ""
        if not link:
            continue
        url = urljoin(feed_url, link)
        entries.append(
            FeedEntry(
                source=source,
                feed_url=feed_url,
                url=url,
                guid=str(item.get("id") or url),
                title=str(item.get("title") or "").strip(),
                published_at=_entry_datetime(item),
                summary=str(item.get("summary") or "").strip(),
            )
        )
    if parsed.bozo and not entries:
        raise FeedError(f"not a readable feed (no entry with a link): {reason}")
    return entries


def paris_day(moment: datetime) -> date:
    """The calendar day of `moment` in Europe/Paris (partitions are Paris days)."""
    return moment.astimezone(PARIS).date()


def entries_of_day(entries: list[FeedEntry], day: date) -> list[FeedEntry]:
    """Entries published on `day` (Paris time), one per canonical URL, first seen wins."""
    kept: dict[str, FeedEntry] = {}
    guids: set[tuple[str, str]] = set()
    for entry in entries:
        if entry.published_at is None or paris_day(entry.published_at) != day:
            continue
        key = canonicalize_url(entry.url)
        if key in kept or (entry.source, entry.guid) in guids:
            continue
        kept[key] = entry
        guids.add((entry.source, entry.guid))
    return list(kept.values())
