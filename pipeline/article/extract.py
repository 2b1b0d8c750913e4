"""From a fetched HTML page to an article: decoded text, title, date, author, section, language.

The main text comes from trafilatura (the field's reference extractor, well above hand-written
heuristics on boilerplate) or from a site's own CSS selectors; metadata prefers the page's own
tags. Helpers live in `article_metadata`, `article_body` and `article_overrides`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from pipeline.article.body import (
    PAYWALL_TEASER_WORDS,
    body_text,
    has_paywall_marker,
    with_standfirst,
    without_non_prose,
)
from pipeline.article.dates import PARIS, local, page_date
from pipeline.article.html_tree import Element, element_text, parse_html, select
from pipeline.article.metadata import parse_datetime, read_metadata
from pipeline.article.overrides import SiteOverrides, load_site_overrides

__all__ = [
    "ArticleText",
    "NotAnArticle",
    "SiteOverrides",
    "decode_html",
    "extract_article",
    "load_site_overrides",
    "text_article",
]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)
# Below this, what the extractor found is a menu or an error message, not an article.
MIN_TEXT_CHARS = 100
# Browsers read these labels as windows-1252, a superset that also has œ, € and ’.
_LATIN1_LABELS = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"}


class NotAnArticle(Exception):
    """The page has no extractable article text."""


@dataclass(frozen=True)
class ArticleText:
    """What the page says about itself, and its main text (paragraphs separated by "\\n").

    `paywalled` marks a page that shows subscribers only a teaser; `amp_of` is the canonical
    article when this page is its AMP version; `amp_url` is the AMP version a page advertises.
    """

    title: str | None
    text: str
    published_at: datetime | None
    author: str | None
    lang: str | None
    canonical_url: str | None
    section: str | None = None
    paywalled: bool = False
    amp_of: str | None = None
    amp_url: str | None = None
    # Where `published_at` comes from: "selector", "metadata", "htmldate", "byline", "time", "url".
    date_source: str | None = None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    if label in _LATIN1_LABELS:
        return "cp1252"
    try:
        "".encode(label)
        b"caf\xc3\xa9".decode(label, errors="replace")
    except (LookupError, UnicodeError, ValueError):  # unknown, or not a text codec
        return None
    return label


def decode_html(body: bytes, header_charset: str | None = None) -> str:
    """Decode page bytes: valid UTF-8 wins, then the meta charset, then the header, then cp1252.

    Header and meta charset often disagree on older regional sites; bytes that are valid UTF-8
    are almost never meant as anything else, so that test comes first. Never raises.
    """
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(body[:4096])
    for label in (meta.group(1).decode("ascii") if meta else None, header_charset):
        codec = _codec(label)
        if codec and codec not in ("utf-8", "utf8"):
            try:
                return body.decode(codec)
            except UnicodeDecodeError:
                continue
    return body.decode("cp1252", errors="replace")


def _without_heading(text: str, title: str | None) -> str:
    """Drop the headline (and a section label above it) when the extractor kept them in the body.

    The title is stored on its own; left in the text, its facts would be counted twice.
    """
    if not title:
        return text
    lines = text.split("\n")
    wanted = " ".join(title.split()).casefold()
    for i, line in enumerate(lines[:3]):
        if " ".join(line.split()).casefold() == wanted:
            return "\n".join(lines[i + 1 :]).strip()
    return text


def _override_date(root: Element, selector: str, zone: ZoneInfo) -> datetime | None:
    for element in select(root, selector):
        for value in (element.get("datetime"), element.get("content"), element_text(element)):
            moment = parse_datetime(str(value), zone) if value else None
            if moment:
                return moment
    return None


def extract_article(
    html: str,
    url: str | None = None,
    overrides: SiteOverrides | None = None,
    zone: ZoneInfo = PARIS,
) -> ArticleText:
    """Extract the article of a decoded HTML page; raises NotAnArticle when there is no text.

    `overrides` gives a site's own selectors (see `SiteOverrides`); without them the generic path
    (trafilatura plus a boilerplate filter) runs. `zone` is the outlet's: the publication
    instant is given in it, so its date is the outlet's local day.
    """
    root = parse_html(html)
    if root is None:
        raise NotAnArticle("the page is empty")
    meta = read_metadata(root, url, zone)
    selected = None
    if overrides and overrides.date_selector:
        selected = local(_override_date(root, overrides.date_selector, zone), zone)
    dated = page_date(root, url, meta.published, meta.published_hint, zone)
    published, date_source = (selected, "selector") if selected else (dated.published, dated.source)
    # Markers are looked for before the override drops anything: a dropped teaser box still counts.
    marker = has_paywall_marker(root) if meta.free_access is not False else True
    text = _without_heading(body_text(root, html, url, overrides), meta.title)
    text, non_prose = without_non_prose(text)
    if non_prose and len(text) < MIN_TEXT_CHARS and not marker:
        # A page built in the browser: what came instead of its text is the script's template.
        raise NotAnArticle(
            f"no text: the page holds {non_prose} line(s) of template placeholders or script"
            " instead of its text (rendered in the browser)"
        )
    if not (overrides and overrides.content_selector):
        text = with_standfirst(text, root, meta.description)
    paywalled = meta.free_access is False or (marker and len(text.split()) < PAYWALL_TEASER_WORDS)
    if paywalled and len(text) < MIN_TEXT_CHARS and meta.description:
        # A teaser the extractor could not isolate: the page's own summary stands for it.
        text = text if meta.description in text else (meta.description + "\n" + text).strip()
    if not text or (len(text) < MIN_TEXT_CHARS and not paywalled):
        raise NotAnArticle(f"no article text found in the page ({len(text)} characters)")
    return ArticleText(
        title=meta.title,
        text=text,
        published_at=published,
        author=meta.author,
        lang=meta.lang,
        canonical_url=meta.canonical_url,
        section=meta.section,
        paywalled=paywalled,
        amp_of=meta.amp_of,
        amp_url=meta.amp_url,
        date_source=date_source,
    )


def text_article(text: str) -> ArticleText:
    """A plain-text input is the body itself (used by `veille extract file.txt`)."""
    return ArticleText(title=None, text=text, published_at=None, author=None, lang=None,
                       canonical_url=None)  # fmt: skip
