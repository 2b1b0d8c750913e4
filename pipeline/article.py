"""From a fetched HTML page to an article: decoded text, title, date, author, language.

The main text comes from trafilatura (the field's reference extractor, well above hand-written
heuristics on boilerplate); dates and titles prefer the page's own metadata.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

import trafilatura
from bs4 import BeautifulSoup

from pipeline.feeds import PARIS

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)
# Browsers read these labels as windows-1252, a superset that also has œ, € and ’.
# Below this, what the extractor found is a menu or an error message, not an article.
MIN_TEXT_CHARS = 100
_LATIN1_LABELS = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"}


class NotAnArticle(Exception):
    """The page has no extractable article text."""


@dataclass(frozen=True)
class ArticleText:
    """What the page says about itself, and its main text."""

    title: str | None
    text: str
    published_at: datetime | None
    author: str | None
    lang: str | None
    canonical_url: str | None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    if label in _LATIN1_LABELS:
        return "cp1252"
    try:
        "".encode(label)
    except LookupError:
        return None
    return label


def decode_html(body: bytes, header_charset: str | None = None) -> str:
    """Decode page bytes: valid UTF-8 wins, then the meta charset, then the header, then cp1252.

    Header and meta charset often disagree on older regional sites; bytes that are valid UTF-8
    are almost never meant as anything else, so that test comes first.
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


def _parse_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    value = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        # Pages that give no zone are French outlets writing local time.
        moment = moment.replace(tzinfo=PARIS)
    return moment


def _json_ld_items(soup: BeautifulSoup) -> list[dict]:
    items: list[dict] = []
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except (json.JSONDecodeError, TypeError):
            continue
        stack = data if isinstance(data, list) else [data]
        for item in stack:
            if isinstance(item, dict):
                items.extend(item.get("@graph", [item]) if "@graph" in item else [item])
    return items


def _page_metadata(soup: BeautifulSoup) -> dict[str, str | None]:
    def meta(*names: str) -> str | None:
        for name in names:
            tag = soup.find("meta", attrs={"property": name}) or soup.find(
                "meta", attrs={"name": name}
            )
            if tag and tag.get("content"):
                return str(tag["content"]).strip()
        return None

    found: dict[str, str | None] = {
        "title": meta("og:title", "twitter:title"),
        "published": meta("article:published_time", "og:article:published_time", "date"),
        "author": meta("author", "article:author"),
    }
    for item in _json_ld_items(soup):
        found["published"] = found["published"] or item.get("datePublished")
        found["title"] = found["title"] or item.get("headline")
        author = item.get("author")
        if isinstance(author, dict):
            author = author.get("name")
        if isinstance(author, list) and author and isinstance(author[0], dict):
            author = author[0].get("name")
        if isinstance(author, str):
            found["author"] = found["author"] or author
    if not found["published"]:
        time_tag = soup.find("time", attrs={"datetime": True})
        found["published"] = str(time_tag["datetime"]) if time_tag else None
    if not found["title"]:
        h1 = soup.find("h1")
        found["title"] = h1.get_text(" ", strip=True) if h1 else None
    if not found["title"] and soup.title:
        found["title"] = soup.title.get_text(" ", strip=True)
    html_tag = soup.find("html")
    found["lang"] = (
        str(html_tag.get("lang")).split("-")[0].lower()
        if html_tag and html_tag.get("lang")
        else None
    )
    canonical = soup.find("link", rel="canonical")
    found["canonical"] = str(canonical["href"]) if canonical and canonical.get("href") else None
    return found


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


def extract_article(html: str, url: str | None = None) -> ArticleText:
    """Extract the article of a decoded HTML page; raises NotAnArticle when there is no text."""
    soup = BeautifulSoup(html, "lxml")
    meta = _page_metadata(soup)
    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    text = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if len(text) < MIN_TEXT_CHARS:
        raise NotAnArticle(f"no article text found in the page ({len(text)} characters)")
    title = meta["title"] or (getattr(document, "title", None) if document is not None else None)
    text = _without_heading(text, title)
    if len(text) < MIN_TEXT_CHARS:
        raise NotAnArticle(f"no article text found in the page ({len(text)} characters)")
    return ArticleText(
        title=title,
        text=text,
        published_at=_parse_datetime(meta["published"]),
        author=meta["author"] or (getattr(document, "author", None) if document else None),
        lang=meta["lang"] or (getattr(document, "language", None) if document else None),
        canonical_url=meta["canonical"],
    )


def text_article(text: str) -> ArticleText:
    """A plain-text input is the body itself (used by `veille extract file.txt`)."""
    return ArticleText(None, text, None, None, None, None)
