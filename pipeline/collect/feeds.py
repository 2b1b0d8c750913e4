"""Read RSS and Atom feeds into entries, and pick the entries of one day (Europe/Paris)."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import feedparser
import lxml.etree
import lxml.html

from pipeline.collect.urls import canonicalize_url

PARIS = ZoneInfo("Europe/Paris")


class FeedError(Exception):
    """The feed could not be read at all (no entries could be recovered); `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"not a readable feed: {reason}")
        self.reason = reason


# An HTML document, possibly after an XML declaration, a BOM or comments.
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])",
    re.IGNORECASE | re.DOTALL,
)


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
        # dict.get: feedparser's own get maps a missing updated_parsed to published_parsed, warning.
        parsed = dict.get(entry, key)
        if parsed:
            # feedparser gives UTC struct_time; feeds without a zone were read as UTC by it.
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    return None


def _advertised_feeds(body: bytes, page_url: str) -> list[str]:
    """The feed URLs an HTML page declares with `<link rel="alternate" type="…rss/atom…">`."""
    try:
        page = lxml.html.fromstring(body)
    except (lxml.etree.ParserError, ValueError):
        return []
    hrefs = page.xpath(
        "//link[contains(concat(' ', normalize-space(@rel), ' '), ' alternate ')]"
        "[contains(@type, 'rss') or contains(@type, 'atom')]/@href"
    )
    return [urljoin(page_url, href.strip()) for href in hrefs if href.strip()]


def _html_reason(body: bytes, feed_url: str) -> str:
    advertised = _advertised_feeds(body, feed_url)
    hint = f" (the page lists a feed at {advertised[0]})" if advertised else ""
    return f"HTML page, not a feed{hint}"


def parse_feed(
    body: bytes, feed_url: str, source: str, content_type: str | None = None
) -> list[FeedEntry]:
    """Parse feed bytes; malformed feeds are used as far as their entries are readable.

    `content_type` is the response's Content-Type header (with its charset), when known. A valid
    feed without items gives []; an empty body, an HTML page or unreadable bytes raise FeedError.
    """
    if not body.strip():
        raise FeedError("empty response")
    if _HTML_START.match(body[:4096]):
        raise FeedError(_html_reason(body, feed_url))
    headers = {"content-location": feed_url, "content-type": content_type or "application/xml"}
    try:
        parsed = feedparser.parse(body, response_headers=headers)
    except (UnicodeError, LookupError, ValueError) as exc:  # a declared encoding that lies
        raise FeedError(f"unreadable feed: {exc}") from exc
    if not parsed.get("version") and "html" in (content_type or "").lower():
        raise FeedError(_html_reason(body, feed_url))
    reason = getattr(parsed, "bozo_exception", None) or "no RSS or Atom document found"
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        raise FeedError(str(reason))
    entries: list[FeedEntry] = []
    for item in parsed.entries:
        link = item.get("link") or ""
        if not link:
            continue
        try:
            url = urljoin(feed_url, link)
            urlsplit(url).port  # noqa: B018 - a link with a port that is no port is skipped
        except ValueError:
            continue
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
        raise FeedError(f"no entry with a link: {reason}")
    return entries


def paris_day(moment: datetime) -> date:
    """The calendar day of `moment` in Europe/Paris (partitions are Paris days)."""
    return moment.astimezone(PARIS).date()


def _first_per_article(entries: Iterable[FeedEntry]) -> list[FeedEntry]:
    """One entry per canonical URL and per (source, GUID), first seen wins."""
    kept: dict[str, FeedEntry] = {}
    guids: set[tuple[str, str]] = set()
    for entry in entries:
        key = canonicalize_url(entry.url)
        if key in kept or (entry.source, entry.guid) in guids:
            continue
        kept[key] = entry
        guids.add((entry.source, entry.guid))
    return list(kept.values())


def entries_of_day(entries: list[FeedEntry], day: date) -> list[FeedEntry]:
    """Entries published on `day` (Paris time), one per canonical URL, first seen wins."""
    return _first_per_article(
        e for e in entries if e.published_at is not None and paris_day(e.published_at) == day
    )


def undated_entries(entries: list[FeedEntry]) -> list[FeedEntry]:
    """Entries the feed gives no date for, one per canonical URL: date them from their page."""
    return _first_per_article(e for e in entries if e.published_at is None)
