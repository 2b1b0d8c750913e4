"""The daily steps as plain functions: each takes the rows of the step before and returns its own.

Rows are dicts named like the columns of `sql/schema.sql`; the Dagster assets only read a
partition, call one of these, and write what it returns.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from spacy.language import Language

from pipeline.article.dates import PARIS, choose_published
from pipeline.article.duplicates import content_hash, group_duplicates
from pipeline.article.extract import NotAnArticle, decode_html, extract_article
from pipeline.collect.archive import ArchiveError, RawArchive
from pipeline.collect.feeds import FeedEntry, FeedError, entries_of_day, parse_feed, undated_entries
from pipeline.collect.fetch import Fetcher, FetchRequest
from pipeline.collect.sitemaps import SitemapError, children_to_fetch, parse_sitemap
from pipeline.collect.urls import article_id, choose_canonical
from pipeline.nlp import ExtractionFailed, extract_each, extractor_version
from pipeline.nlp.entities import article_region, assign_entities
from pipeline.ops.faults import crash_point, extract_error
from pipeline.sources import Source, source_mapping

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


def _read_feed(
    source: Source,
    url: str,
    fetcher: Fetcher,
    day: date,
    log: list[Row],
    archive: RawArchive | None,
    state: dict[str, Row],
) -> list[FeedEntry]:
    """One feed's entries. With an archive, the feed is fetched conditionally (ETag /
    Last-Modified of the last answer) and a 304 re-reads the last body from the archive."""
    previous = state.get(url) if archive is not None else None
    if previous and previous.get("content_sha256") not in archive:
        previous = None
    request = FetchRequest(
        url,
        allow_private=source.allow_private,
        etag=previous and previous.get("etag"),
        last_modified=previous and previous.get("last_modified"),
    )
    result = fetcher.fetch(request)
    cached = None
    if result.not_modified and previous:
        try:
            cached = archive.get(previous["content_sha256"])
        except ArchiveError:  # the last body is damaged: ask for the feed in full
            result = fetcher.fetch(FetchRequest(url, allow_private=source.allow_private))
    if cached is not None:
        body, final_url, content_type = cached, url, None
    elif not result.ok:
        log.append(_log(day, source.id, url, "feed", result.status, result.error))
        return []
    else:
        body, final_url = result.body, result.final_url
        content_type = result.headers.get("content-type")
        if archive is not None:
            state[url] = {
                "feed_url": url,
                "source": source.id,
                "etag": result.headers.get("etag"),
                "last_modified": result.headers.get("last-modified"),
                "content_sha256": archive.put(body),
                "checked_at": datetime.now(UTC),
            }
    try:
        parsed = parse_feed(body, final_url, source.id, content_type)
    except FeedError as exc:
        log.append(_log(day, source.id, url, "feed", result.status, str(exc)))
        return []
    log.append(_log(day, source.id, url, "feed", result.status, None))
    return parsed


def _read_sitemap(
    source: Source, url: str, fetcher: Fetcher, day: date, log: list[Row], depth: int = 0
) -> list[FeedEntry]:
    """A news sitemap's entries; a sitemap index is followed one level, for children touched on
    or after `day` only."""
    result = fetcher.get(url, allow_private=source.allow_private)
    if not result.ok:
        log.append(_log(day, source.id, url, "feed", result.status, result.error))
        return []
    try:
        sitemap = parse_sitemap(result.body, result.final_url, source.id)
    except SitemapError as exc:
        log.append(_log(day, source.id, url, "feed", result.status, str(exc)))
        return []
    log.append(_log(day, source.id, url, "feed", result.status, None))
    entries = list(sitemap.entries)
    if depth == 0:
        for child in children_to_fetch(sitemap.children, day):
            entries += _read_sitemap(source, child.url, fetcher, day, log, depth + 1)
    return entries


def date_undated(
    entries: Iterable[FeedEntry],
    source: Source,
    fetcher: Fetcher,
    known: dict[str, datetime | None],
) -> dict[str, datetime | None]:
    """Publication dates read from the pages of entries their feed left undated.

    `known` holds the dates found on earlier runs (None: the page gave none); only pages not in
    it are fetched, so each undated page is fetched once, whatever the number of runs.
    """
    found: dict[str, datetime | None] = {}
    for entry in undated_entries(list(entries)):
        if entry.url in known or entry.url in found:
            continue
        result = fetcher.get(entry.url, allow_private=source.allow_private)
        published = None
        if result.ok and result.content_type in HTML_TYPES:
            try:
                html = decode_html(result.body, result.charset)
                published = extract_article(
                    html, result.final_url, source.overrides, source.zone
                ).published_at
            except NotAnArticle:
                published = None
        found[entry.url] = published
    return found


def collect_feed_entries(
    sources: Iterable[Source],
    fetcher: Fetcher,
    day: date,
    known_dates: dict[str, datetime | None] | None = None,
    archive: RawArchive | None = None,
    feed_state: dict[str, Row] | None = None,
) -> tuple[list[Row], list[Row], list[Row]]:
    """Read every feed and news sitemap and keep the entries published on `day`.

    Entries without a date are dated from their page (see `date_undated`). Returns the day's
    entries, the fetch log, and the page dates newly found (`entry_dates` rows, kept for the
    next runs). With an archive, feeds are fetched conditionally: `feed_state` (feed URL ->
    `feed_state` row) is read and updated in place.
    """
    known = dict(known_dates or {})
    state = feed_state if feed_state is not None else {}
    entries: list[Row] = []
    log: list[Row] = []
    new_dates: list[Row] = []
    seen: set[str] = set()
    for source in sources:
        listed: list[FeedEntry] = []
        for feed_url in source.feeds:
            listed += _read_feed(source, feed_url, fetcher, day, log, archive, state)
        for sitemap_url in source.sitemaps:
            listed += _read_sitemap(source, sitemap_url, fetcher, day, log)
        found = date_undated(listed, source, fetcher, known)
        new_dates += [{"url": u, "source": source.id, "published_at": d} for u, d in found.items()]
        known.update(found)
        dated = [
            entry if entry.published_at else replace(entry, published_at=known.get(entry.url))
            for entry in listed
        ]
        for entry in entries_of_day(dated, day):
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
    return entries, log, new_dates


def sources_reached(log: Iterable[Row]) -> set[str]:
    """The sources at least one of whose feeds or sitemaps was read (rows of the fetch log)."""
    return {row["source"] for row in log if row["kind"] == "feed" and row["ok"]}


def unreachable_reasons(sources: Iterable[Source], log: Iterable[Row]) -> dict[str, str]:
    """Source id -> why none of its feeds could be read, for the sources not reached at all."""
    log = list(log)
    reached = sources_reached(log)
    reasons: dict[str, str] = {}
    for row in log:
        if row["kind"] == "feed" and row["source"] not in reached:
            reasons.setdefault(row["source"], row["reason"])
    return {s.id: reasons.get(s.id, "no feed answered") for s in sources if s.id not in reached}


def merge_entries(
    stored: Iterable[Row], fresh: Iterable[Row], sources: Iterable[str] | None = None
) -> list[Row]:
    """The day's entries after a re-run: the fresh ones, plus every stored entry they lack.

    A feed that could not be read gives no entries, and a feed read days later no longer lists
    the day's items (feeds keep their latest ones): neither means the articles went away, so a
    re-run never makes a day smaller than what it had stored. Only a source taken out of the
    sources file (not in `sources`, when given) loses its stored entries.
    """
    rows = list(fresh)
    listed = {row["article_id"] for row in rows}
    kept = None if sources is None else set(sources)
    rows += [
        row
        for row in stored
        if row["article_id"] not in listed and (kept is None or row["source"] in kept)
    ]
    return rows


def fetch_pages(
    entries: Iterable[Row],
    sources: Iterable[Source],
    fetcher: Fetcher,
    day: date,
    archive: RawArchive,
    already_fetched: Iterable[Row] = (),
) -> tuple[list[Row], list[Row]]:
    """Fetch the page of every entry into the archive; non-HTML pages and errors are only logged.

    Pages already fetched for this day (`already_fetched`, rows of `raw_pages`) are kept as they
    are rather than fetched again: re-running a day is polite and gives the same text.
    """
    sources = list(sources)
    allow_private = {s.id: s.allow_private for s in sources}
    cap = {s.id: s.max_pages_per_run for s in sources}
    for source in sources:
        if source.min_delay_s is not None:
            for url in source.feeds or source.sitemaps:
                fetcher.set_host_delay(url, source.min_delay_s)
    kept = {row["article_id"]: row for row in already_fetched if row["content_sha256"]}
    pages: list[Row] = []
    log: list[Row] = []
    to_fetch: list[Row] = []
    per_source: dict[str, int] = {}
    for entry in entries:
        previous = kept.get(entry["article_id"])
        if previous is not None and previous["content_sha256"] in archive:
            pages.append(previous)
            log.append(_log(day, entry["source"], entry["url"], "page", previous["status"], None))
            continue
        count = per_source[entry["source"]] = per_source.get(entry["source"], 0) + 1
        limit = cap.get(entry["source"])
        if limit is not None and count > limit:
            reason = f"skipped: over the source's max_pages_per_run ({limit})"
            log.append(_log(day, entry["source"], entry["url"], "page", None, reason))
            continue
        to_fetch.append(entry)
    requests = [
        FetchRequest(e["url"], allow_private=allow_private.get(e["source"], False))
        for e in to_fetch
    ]
    for entry, result in zip(to_fetch, fetcher.get_many(requests), strict=True):
        reason = result.error
        if reason is None and result.content_type not in HTML_TYPES:
            reason = f"not an HTML page ({result.content_type})"
        log.append(_log(day, entry["source"], entry["url"], "page", result.status, reason))
        if reason is not None:
            if result.error is not None and entry["article_id"] in kept:
                # Its archived body went missing and the page cannot be fetched now: the row
                # stays, so the article already built from it is kept (see build_articles).
                pages.append(kept[entry["article_id"]])
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
                "headers": json.dumps(result.headers, sort_keys=True),
                "content_sha256": archive.put(result.body),
                "fetched_at": datetime.now(UTC),
                "feed_published_at": entry["published_at"],
                "feed_title": entry["title"],
            }
        )
        crash_point("fetch")
    pages.sort(key=lambda p: p["article_id"])
    log.sort(key=lambda r: r["url"])
    return pages, log


def build_articles(
    pages: Iterable[Row],
    day: date,
    archive: RawArchive,
    sources: Iterable[Source] = (),
    stored: Iterable[Row] = (),
) -> tuple[list[Row], list[Row]]:
    """Extract each archived page's article (with its source's selectors, if any).

    Pages without article text go to the fetch log. A page whose archived body is missing or
    damaged keeps the article already `stored` for it, so a rebuild never loses one.
    Near-duplicates of the day (one dispatch on several outlets) are kept, pointing at the
    first published copy with a similarity.
    """
    sources = list(sources)
    overrides = {s.id: s.overrides for s in sources}
    zones = {s.id: s.zone for s in sources}
    kept = {row["article_id"]: row for row in stored}
    articles: list[Row] = []
    log: list[Row] = []
    for page in sorted(pages, key=lambda p: p["article_id"]):
        try:
            body = archive.get(page["content_sha256"])
        except ArchiveError as exc:
            log.append(_log(day, page["source"], page["url"], "article", page["status"], str(exc)))
            if page["article_id"] in kept:
                articles.append(kept[page["article_id"]])
            continue
        html = decode_html(body, page["charset"])
        zone = zones.get(page["source"], PARIS)
        try:
            extracted = extract_article(
                html, page["final_url"], overrides.get(page["source"]), zone
            )
        except NotAnArticle as exc:
            log.append(_log(day, page["source"], page["url"], "article", page["status"], str(exc)))
            continue
        except Exception as exc:  # a page that breaks the extractor costs itself, not the day
            reason = f"extraction failed: {type(exc).__name__}: {exc}"
            log.append(_log(day, page["source"], page["url"], "article", page["status"], reason))
            continue
        published, date_source = choose_published(
            page["feed_published_at"], extracted.published_at, extracted.date_source, zone
        )
        articles.append(
            {
                "article_id": page["article_id"],
                "partition_date": day,
                "url": page["url"],
                "source": page["source"],
                "title": extracted.title or page["feed_title"],
                "published_at": published,
                "date_source": date_source,
                "author": extracted.author,
                "lang": extracted.lang,
                "text": extracted.text,
                "n_chars": len(extracted.text),
                "canonical_url": choose_canonical(
                    page["final_url"] or page["url"], extracted.amp_of or extracted.canonical_url
                ),
                "section": extracted.section,
                "paywalled": extracted.paywalled,
                "content_hash": content_hash(extracted.text),
            }
        )
    mark_duplicates(articles)
    return articles, log


def mark_duplicates(articles: list[Row]) -> None:
    """Set `duplicate_of` and `similarity` on the copies among `articles` (earliest kept).

    Two pages declaring the same canonical URL are one article (similarity 1.0); other copies
    are found by text (exact or near: one dispatch on several outlets).
    """
    ordered = sorted(
        articles,
        key=lambda a: (a["published_at"] is None, a["published_at"] or 0, a["article_id"]),
    )
    groups: dict[str, tuple[str, float]] = {}
    first_with: dict[str, str] = {}
    for article in ordered:
        canonical = article_id(article["canonical_url"] or article["url"])
        if canonical in first_with:
            groups[article["article_id"]] = (first_with[canonical], 1.0)
        else:
            first_with[canonical] = article["article_id"]
    rest = [(a["article_id"], a["text"]) for a in ordered if a["article_id"] not in groups]
    groups.update(group_duplicates(rest))
    for article in articles:
        original, score = groups.get(article["article_id"], (None, None))
        article["duplicate_of"], article["similarity"] = original, score


def mention_id(article: str, mention: dict[str, Any], role: bool = False) -> str:
    """Stable identity of a mention: article, kind, span and normalised value; with `role`,
    the official's role too (a person with two roles at one span is two mentions)."""
    value = mention.get("name") or mention.get("amount_eur") or mention.get("quote") or ""
    key = f"{article}|{mention['kind']}|{mention['start']}|{mention['end']}|{value}"
    if role:
        key += f"|{mention.get('role')}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _unique_ids(article: str, mentions: list[dict[str, Any]]) -> list[str]:
    """Mention ids, the role added only where two officials share a span, so that the ids
    of every other mention (and the review decisions keyed on them) stay as they were."""
    ids: list[str] = []
    seen: set[str] = set()
    for mention in mentions:
        found = mention_id(article, mention)
        if found in seen:
            found = mention_id(article, mention, role=True)
        seen.add(found)
        ids.append(found)
    return ids


def build_mentions(
    nlp: Language, articles: Iterable[Row], sources: Iterable[Source] = ()
) -> tuple[list[Row], list[Row]]:
    """Run the extraction pipeline over the day's articles: one row per mention, and one
    `fetch_log` row (kind `extract`) per article whose extraction raised.

    Each mention carries its canonical entity ids and its article's région
    (`pipeline.nlp.entities`); `sources` give the régions each outlet covers. An article that
    fails keeps its row in `articles`, without mentions; the others are not affected.
    """
    version = extractor_version()
    regions = {s.id: s.regions for s in sources}
    rows: list[Row] = []
    failures: list[Row] = []
    articles = list(articles)
    by_id = {a["article_id"]: a for a in articles}
    day = articles[0]["partition_date"] if articles else None
    texts = extract_error([(a["text"], a["article_id"]) for a in articles], day)
    for key, mentions in extract_each(nlp, texts):
        article = by_id[key]
        crash_point("extract")
        try:
            if isinstance(mentions, ExtractionFailed):
                raise mentions
            region = article_region(regions.get(article["source"], ()), mentions)
            with_entities = assign_entities(mentions, region)
        except Exception as exc:
            failed = exc if isinstance(exc, ExtractionFailed) else ExtractionFailed("entities", exc)
            failures.append(
                {
                    **_log(
                        article["partition_date"],
                        article["source"],
                        article["url"],
                        "extract",
                        None,
                        str(failed),
                    ),
                    "article_id": key,
                    "component": failed.component,
                }
            )
            continue
        for mention, identity in zip(with_entities, _unique_ids(key, with_entities), strict=True):
            rows.append(
                {
                    **mention,
                    "mention_id": identity,
                    "article_id": key,
                    "partition_date": article["partition_date"],
                    "source": article["source"],
                    "duplicate_of": article.get("duplicate_of"),
                    "extractor": version,
                }
            )
    return rows, failures


def source_rows(sources: Iterable[Source]) -> list[Row]:
    """The `sources` table's rows for the outlets of the sources file."""
    now = datetime.now(UTC)
    return [
        {
            "source": s.id,
            "name": s.name,
            "regions": list(s.regions),
            "feeds": list(s.feeds),
            "sitemaps": list(s.sitemaps),
            "language": s.language,
            "updated_at": now,
            "config": json.dumps(source_mapping(s), ensure_ascii=False),
        }
        for s in sources
    ]


def load_summary(con: Any, day: date, run_id: str, job: str) -> Row:
    """What is stored for `day` once loaded: the `runs` row recording this load."""
    counts = con.execute(
        "SELECT (SELECT count(*) FROM articles WHERE partition_date = $day),"
        " (SELECT count(*) FROM mentions WHERE partition_date = $day),"
        " (SELECT count(*) FROM fetch_log WHERE partition_date = $day AND NOT ok)",
        {"day": day},
    ).fetchone()
    return {
        "run_id": run_id,
        "job": job,
        "partition_date": day,
        "loaded_at": datetime.now(UTC),
        "articles": counts[0],
        "mentions": counts[1],
        "failed_fetches": counts[2],
        "extractor": extractor_version(),
    }
