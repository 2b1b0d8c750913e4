"""The daily steps as plain functions: each takes the rows of the step before and returns its own.

Rows are dicts named like the columns of `sql/schema.sql`; the Dagster assets only read a
partition, call one of these, and write what it returns.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from typing import Any

from spacy.language import Language

from pipeline.article import NotAnArticle, decode_html, extract_article
from pipeline.feeds import FeedError, entries_of_day, parse_feed
from pipeline.fetch import Fetcher, gunzip_bytes, gzip_bytes
from pipeline.nlp import extract_many, extractor_version
from pipeline.sources import Source
from pipeline.urls import article_id

HTML_TYPES = ("text/html", "application/xhtml+xml")
Row = dict[str, Any]


def _log(
    day: date, source: str, url: str, kind: str, status: int | None, reason: str | None
) -> Row:
    return {
        "partition_date": day,
        "source": source,
        "url": url,
        "kind": kind,
        "status": status,
        "ok": reason is None,
        "reason": reason,
    }


def collect_feed_entries(
    sources: Iterable[Source], fetcher: Fetcher, day: date
) -> tuple[list[Row], list[Row]]:
    """Fetch every feed and keep the entries published on `day`; returns (entries, fetch log)."""
    entries: list[Row] = []
    log: list[Row] = []
    seen: set[str] = set()
    for source in sources:
        for feed_url in source.feeds:
            result = fetcher.get(feed_url, allow_private=source.allow_private)
            if not result.ok:
                log.append(_log(day, source.id, feed_url, "feed", result.status, result.error))
                continue
            try:
                content_type = result.headers.get("content-type")
                parsed = parse_feed(result.body, result.final_url, source.id, content_type)
            except FeedError as exc:
                log.append(_log(day, source.id, feed_url, "feed", result.status, str(exc)))
                continue
            log.append(_log(day, source.id, feed_url, "feed", result.status, None))
            for entry in entries_of_day(parsed, day):
                key = article_id(entry.url)
                if key in seen:
                    continue
                seen.add(key)
                entries.append(
                    {
                        "partition_date": day,
                        "source": entry.source,
                        "feed_url": entry.feed_url,
                        "url": entry.url,
                        "article_id": key,
                        "guid": entry.guid,
                        "title": entry.title,
                        "published_at": entry.published_at,
                        "summary": entry.summary,
                    }
                )
    return entries, log


def fetch_pages(
    entries: Iterable[Row], sources: Iterable[Source], fetcher: Fetcher, day: date
) -> tuple[list[Row], list[Row]]:
    """Fetch the page of every entry; non-HTML pages and errors go to the fetch log only."""
    allow_private = {s.id: s.allow_private for s in sources}
    pages: list[Row] = []
    log: list[Row] = []
    for entry in entries:
        result = fetcher.get(entry["url"], allow_private=allow_private.get(entry["source"], False))
        reason = result.error
        if reason is None and result.content_type not in HTML_TYPES:
            reason = f"not an HTML page ({result.content_type})"
        log.append(_log(day, entry["source"], entry["url"], "page", result.status, reason))
        if reason is not None:
            continue
        pages.append(
            {
                "partition_date": day,
                "article_id": entry["article_id"],
                "source": entry["source"],
                "url": entry["url"],
                "final_url": result.final_url,
                "status": result.status,
                "content_type": result.content_type,
                "charset": result.charset,
                "body_gz": gzip_bytes(result.body),
                "feed_published_at": entry["published_at"],
                "feed_title": entry["title"],
            }
        )
    return pages, log


def build_articles(pages: Iterable[Row], day: date) -> tuple[list[Row], list[Row]]:
    """Extract each raw page's article; pages without article text go to the fetch log."""
    articles: list[Row] = []
    log: list[Row] = []
    for page in sorted(pages, key=lambda p: p["article_id"]):
        html = decode_html(gunzip_bytes(page["body_gz"]), page["charset"])
        try:
            extracted = extract_article(html, page["final_url"])
        except NotAnArticle as exc:
            log.append(_log(day, page["source"], page["url"], "article", page["status"], str(exc)))
            continue
        articles.append(
            {
                "article_id": page["article_id"],
                "partition_date": day,
                "url": page["url"],
                "source": page["source"],
                "title": extracted.title or page["feed_title"],
                "published_at": extracted.published_at or page["feed_published_at"],
                "author": extracted.author,
                "lang": extracted.lang,
                "text": extracted.text,
                "n_chars": len(extracted.text),
            }
        )
    return articles, log


def mention_id(article: str, mention: dict[str, Any]) -> str:
    """Stable identity of a mention: article, kind, span and normalised value."""
    value = mention.get("name") or mention.get("amount_eur") or mention.get("quote") or ""
    key = f"{article}|{mention['kind']}|{mention['start']}|{mention['end']}|{value}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def build_mentions(nlp: Language, articles: Iterable[Row]) -> list[Row]:
    """Run the extraction pipeline over the day's articles and return one row per mention."""
    version = extractor_version()
    rows: list[Row] = []
    articles = list(articles)
    by_id = {a["article_id"]: a for a in articles}
    for key, mentions in extract_many(nlp, ((a["text"], a["article_id"]) for a in articles)):
        article = by_id[key]
        for mention in mentions:
            rows.append(
                {
                    **mention,
                    "mention_id": mention_id(key, mention),
                    "article_id": key,
                    "partition_date": article["partition_date"],
                    "extractor": version,
                }
            )
    return rows
