"""Read news sitemaps: a second way to discover an outlet's articles, as feed entries.

A `<urlset>` lists pages (with `news:news` publication dates and titles, or only `<lastmod>`);
a `<sitemapindex>` lists further sitemaps to fetch. Both may arrive gzip-compressed.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urljoin, urlsplit

import lxml.etree

from pipeline.collect.feeds import PARIS, FeedEntry, paris_day

# The sitemaps protocol caps a sitemap at 50 MB uncompressed; more is refused, not inflated.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024

_GZIP_MAGIC = b"\x1f\x8b"
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SitemapError(Exception):
    """The sitemap could not be read at all; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"not a readable sitemap: {reason}")
        self.reason = reason


@dataclass(frozen=True)
class ChildSitemap:
    """A sitemap listed by a sitemap index, with the index's `<lastmod>` for it when given."""

    url: str
    lastmod: datetime | None


@dataclass(frozen=True)
class Sitemap:
    """What one sitemap document holds: article entries (a urlset) or child sitemaps (an index)."""

    entries: list[FeedEntry]
    children: list[ChildSitemap]


def _inflate(body: bytes) -> bytes:
    """Gunzip `body` when it is gzip (whatever the URL says), refusing more than the cap.

    A truncated download inflates to what arrived; the XML reader then keeps the complete items.
    """
    if not body.startswith(_GZIP_MAGIC):
        return body
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, MAX_SITEMAP_BYTES)
    except zlib.error as exc:
        raise SitemapError(f"corrupt gzip data: {exc}") from exc
    if inflater.unconsumed_tail:
        raise SitemapError(f"more than {MAX_SITEMAP_BYTES} bytes once decompressed")
    if not data:
        raise SitemapError("corrupt gzip data: nothing could be inflated")
    return data


def parse_w3c_datetime(text: str | None) -> datetime | None:
    """A W3C datetime (`2026-11-03`, `2026-11-03T08:15+01:00`, `…Z`) as an aware datetime.

    A date alone or a time without zone is read in Europe/Paris, where the outlets publish.
    """
    if not text or not text.strip():
        return None
    text = text.strip()
    try:
        if _DATE_ONLY.match(text):
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), PARIS)
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)


def _local(element: lxml.etree._Element) -> str:
    tag = element.tag
    return lxml.etree.QName(tag).localname if isinstance(tag, str) else ""


def _child(element: lxml.etree._Element, name: str) -> lxml.etree._Element | None:
    for child in element:
        if _local(child) == name:
            return child
    return None


def _child_text(element: lxml.etree._Element | None, name: str) -> str:
    child = _child(element, name) if element is not None else None
    return (child.text or "").strip() if child is not None else ""


def _http_url(base: str, loc: str) -> str | None:
    url = urljoin(base, loc.strip())
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.hostname else None


def _root(body: bytes) -> tuple[lxml.etree._Element, bool]:
    """The document's root element, and whether the document was cut short."""
    parser = lxml.etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, remove_comments=True
    )
    try:
        root = lxml.etree.fromstring(body, parser=parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise SitemapError(f"not XML: {exc}") from exc
    if root is None:
        raise SitemapError("not XML")
    # A recovered document whose root element is never closed was cut off (a partial download).
    closing = f"{_local(root)}>".encode()
    return root, bool(parser.error_log) and closing not in body[-256:]


def parse_sitemap(body: bytes, sitemap_url: str, source: str) -> Sitemap:
    """Parse a sitemap or a sitemap index (plain or gzip); malformed XML is read as far as it goes.

    Entries are dated by `news:publication_date`, else by `<lastmod>` (a modification date, the
    best there is); entries without either keep `published_at` None, like undated feed items.
    """
    body = _inflate(body)
    if not body.strip():
        raise SitemapError("empty response")
    root, truncated = _root(body)
    kind = _local(root)
    if kind == "html":
        raise SitemapError("HTML page, not a sitemap")
    if kind == "sitemapindex":
        children = []
        for item in root:
            if _local(item) != "sitemap":
                continue
            url = _http_url(sitemap_url, _child_text(item, "loc"))
            if url:
                children.append(ChildSitemap(url, parse_w3c_datetime(_child_text(item, "lastmod"))))
        # The last item of a cut-off document may hold half a URL.
        return Sitemap(entries=[], children=children[:-1] if truncated else children)
    if kind != "urlset":
        raise SitemapError(f"root element <{kind}> is neither <urlset> nor <sitemapindex>")
    entries = []
    for item in root:
        if _local(item) != "url":
            continue
        url = _http_url(sitemap_url, _child_text(item, "loc"))
        if not url:
            continue
        news = _child(item, "news")
        published = parse_w3c_datetime(_child_text(news, "publication_date"))
        entries.append(
            FeedEntry(
                source=source,
                feed_url=sitemap_url,
                url=url,
                guid=url,
                title=" ".join(_child_text(news, "title").split()),
                published_at=published or parse_w3c_datetime(_child_text(item, "lastmod")),
                summary="",
            )
        )
    return Sitemap(entries=entries[:-1] if truncated else entries, children=[])


def children_to_fetch(children: Iterable[ChildSitemap], day: date) -> list[ChildSitemap]:
    """The child sitemaps that may list articles of `day`: changed on or after it, or undated."""
    return [c for c in children if c.lastmod is None or paris_day(c.lastmod) >= day]
