"""One day's steps and checks as plain functions, shared by the daily assets and the backfill job.

Each step reads the day's rows of the step before from the working database, calls one function
of `pipeline.daily`, replaces the day's rows, and returns the metadata Dagster shows for it. The
assets (`assets/daily.py`) call one step each; the backfill (`assets/backfill.py`) calls them all
in one op per day.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from spacy.language import Language

from assets.resources import DatabaseResource, HttpResource, SourcesResource
from pipeline import daily
from pipeline.ops.faults import bad_offsets
from pipeline.ops.markdown import markdown_table
from pipeline.sources import Source, parse_sources
from pipeline.warehouse.blocking import record_verdict
from pipeline.warehouse.health import silent_sources
from pipeline.warehouse.storage import (
    read_entry_dates,
    read_feed_state,
    read_partition,
    read_sql,
    record_load,
    replace_fetch_log,
    replace_partition,
    save_entry_dates,
    save_feed_state,
    save_sources,
    stored_source_configs,
)

Metadata = dict[str, Any]


def _counts(rows: list[dict], key: str) -> dict[str, int]:
    return dict(sorted(Counter(r[key] for r in rows).items()))


def outlets_for_rebuild(database: DatabaseResource, sources: SourcesResource) -> list[Source]:
    """The sources file's outlets or, when the file is missing (an offline rebuild elsewhere),
    the ones the last run saved in the working database: the steps that work from the archive
    need their selectors and régions, not the file itself."""
    if Path(sources.path).is_file():
        return sources.load()
    with database.connect() as con:
        configs = stored_source_configs(con)
    if not configs:
        return sources.load()  # the missing file, named
    return parse_sources({"sources": configs}, "the sources saved by the last run")


def feed_entries_step(
    day: date,
    database: DatabaseResource,
    sources: SourcesResource,
    http: HttpResource,
    log: dg.DagsterLogManager,
) -> Metadata:
    """Collect the day's entries of every source's feeds and news sitemaps, and store them.

    The entries already stored for the day are kept beside the new ones (`daily.merge_entries`):
    a source that cannot be read now keeps what an earlier run found. When no source at all can
    be read, nothing is written and the step fails.
    """
    outlets = sources.load()
    with database.connect() as con:
        known_dates = read_entry_dates(con)
        feed_state = read_feed_state(con)
        stored = read_partition(con, "feed_entries", day)
    fresh, fetch_log, new_dates = daily.collect_feed_entries(
        outlets, http.fetcher(), day, known_dates, database.archive(), feed_state
    )
    unreachable = daily.unreachable_reasons(outlets, fetch_log)
    if outlets and len(unreachable) == len(outlets):
        reasons = "; ".join(f"{source}: {why}" for source, why in unreachable.items())
        # A Failure says it in one line; the step's retry policy still applies.
        raise dg.Failure(f"no source of {day} could be read, its stored rows are kept ({reasons})")
    entries = daily.merge_entries(stored, fresh, [s.id for s in outlets])
    with database.connect() as con:
        save_entry_dates(con, new_dates)
        save_feed_state(con, feed_state)
        replace_partition(con, "feed_entries", day, entries)
        replace_fetch_log(con, day, "feed", fetch_log)
    failed = [r for r in fetch_log if not r["ok"]]
    for row in failed:
        log.warning(f"feed {row['url']} ({row['source']}): {row['reason']}")
    return {
        "rows": len(entries),
        "kept_from_earlier_runs": len(entries) - len(fresh),
        "unreachable_sources": sorted(unreachable),
        "per_source": _counts(entries, "source"),
        "failed_feeds": len(failed),
        "preview": dg.MetadataValue.md(markdown_table(entries, ["source", "title", "url"])),
    }


def raw_pages_step(
    day: date,
    database: DatabaseResource,
    sources: SourcesResource,
    http: HttpResource,
    log: dg.DagsterLogManager,
) -> Metadata:
    """Fetch the page of every entry of the day into the raw archive, and store the pages."""
    with database.connect() as con:
        entries = read_partition(con, "feed_entries", day)
        already = read_partition(con, "raw_pages", day)
    archive = database.archive()
    pages, fetch_log = daily.fetch_pages(
        entries, sources.load(), http.fetcher(), day, archive, already
    )
    with database.connect() as con:
        replace_partition(con, "raw_pages", day, pages)
        replace_fetch_log(con, day, "page", fetch_log)
    failed = [r for r in fetch_log if not r["ok"]]
    for row in failed:
        log.warning(f"page {row['url']}: {row['reason']}")
    return {
        "rows": len(pages),
        "failed_pages": len(failed),
        "failures": dg.MetadataValue.md(markdown_table(failed, ["source", "url", "reason"])),
    }


def articles_step(day: date, database: DatabaseResource, sources: SourcesResource) -> Metadata:
    """Extract the article (title, date, author, language, main text) of each page of the day."""
    with database.connect() as con:
        pages = read_partition(con, "raw_pages", day)
        stored = read_partition(con, "articles", day)
    outlets = outlets_for_rebuild(database, sources)
    rows, fetch_log = daily.build_articles(pages, day, database.archive(), outlets, stored)
    with database.connect() as con:
        replace_partition(con, "articles", day, rows)
        replace_fetch_log(con, day, "article", fetch_log)
    return {
        "rows": len(rows),
        "per_source": _counts(rows, "source"),
        "without_text": len(fetch_log),
        "preview": dg.MetadataValue.md(markdown_table(rows, ["source", "title", "n_chars"])),
    }


def mentions_step(
    day: date, database: DatabaseResource, sources: SourcesResource, nlp: Language
) -> Metadata:
    """Find the clusters, officials, funding, places and quotes of the day's articles."""
    with database.connect() as con:
        day_articles = read_partition(con, "articles", day)
    outlets = outlets_for_rebuild(database, sources)
    rows, failures = daily.build_mentions(nlp, day_articles, outlets)
    rows = bad_offsets(rows, day)
    with database.connect() as con:
        replace_partition(con, "mentions", day, rows)
        replace_fetch_log(con, day, "extract", failures)
    return {
        "rows": len(rows),
        "per_kind": _counts(rows, "kind"),
        "failed_articles": len(failures),
        "preview": dg.MetadataValue.md(markdown_table(rows, ["kind", "text", "rule"])),
    }


def load_step(
    day: date, database: DatabaseResource, sources: SourcesResource, run_id: str, job: str
) -> Metadata:
    """Record the day's load in `runs` (and the current sources); publishing is the caller's."""
    outlets = outlets_for_rebuild(database, sources)
    with database.connect() as con:
        save_sources(con, daily.source_rows(outlets))
        load = daily.load_summary(con, day, run_id, job)
        record_load(con, load)
    return {k: v for k, v in load.items() if k in ("articles", "mentions", "failed_fetches")}


@dataclass(frozen=True)
class CheckOutcome:
    """One check of one day: blocking ones keep a bad day from being published."""

    name: str
    asset: str
    passed: bool
    blocking: bool
    metadata: Metadata = field(default_factory=dict)

    def describe(self) -> str:
        """`name failed (key: value, ...)`, without the long lists, for logs and failures."""
        counts = ", ".join(f"{k}: {v}" for k, v in self.metadata.items() if isinstance(v, int))
        return f"{self.name} failed ({counts})" if counts else f"{self.name} failed"


def mention_offsets_check(con: duckdb.DuckDBPyConnection, day: date | None) -> CheckOutcome:
    """Every mention of the day points at its text in its article (blocking)."""
    bad = con.execute(read_sql("checks/mention_offsets.sql"), [day]).fetchall()
    return CheckOutcome(
        "mention_offsets_match_text",
        "mentions",
        passed=not bad,
        blocking=True,
        metadata={"bad_mentions": len(bad), "mention_ids": [r[0] for r in bad[:50]]},
    )


def article_ids_check(con: duckdb.DuckDBPyConnection) -> CheckOutcome:
    """No article id is stored twice, whatever its day (blocking)."""
    dupes = con.execute(read_sql("checks/duplicate_articles.sql")).fetchall()
    return CheckOutcome(
        "article_ids_unique",
        "articles",
        passed=not dupes,
        blocking=True,
        metadata={"duplicates": len(dupes), "article_ids": [r[0] for r in dupes[:50]]},
    )


def day_not_empty_check(con: duckdb.DuckDBPyConnection, day: date | None) -> CheckOutcome:
    """The day has at least one article (a warning: some days are quiet)."""
    (count,) = con.execute(
        "SELECT count(*) FROM articles WHERE partition_date = ?", [day]
    ).fetchone()
    return CheckOutcome(
        "day_not_empty", "articles", passed=count > 0, blocking=False, metadata={"articles": count}
    )


def extraction_failures_check(con: duckdb.DuckDBPyConnection, day: date | None) -> CheckOutcome:
    """No article of the day failed extraction (a warning: the others are loaded; `veille
    reextract` retries the failed ones after a fix)."""
    failed = con.execute(
        "SELECT article_id, reason FROM fetch_log"
        " WHERE partition_date = ? AND kind = 'extract' ORDER BY article_id",
        [day],
    ).fetchall()
    return CheckOutcome(
        "no_extraction_failure",
        "mentions",
        passed=not failed,
        blocking=False,
        metadata={
            "failed_articles": len(failed),
            "reasons": {article: reason for article, reason in failed[:50]},
        },
    )


def silent_source_check(
    con: duckdb.DuckDBPyConnection, sources: SourcesResource, day: date | None
) -> CheckOutcome:
    """No source has gone without a new entry for its N last run days (a warning)."""
    thresholds = {s.id: s.silent_after_days for s in sources.load()}
    activity = con.execute(read_sql("checks/source_activity.sql"), [day]).fetchall()
    silent = silent_sources(activity, thresholds)
    return CheckOutcome(
        "no_silent_source",
        "feed_entries",
        passed=not silent,
        blocking=False,
        metadata={
            "silent_sources": [s.source for s in silent],
            "reasons": {s.source: f"{s.reason} ({s.days} days)" for s in silent},
        },
    )


def record_blocking(
    con: duckdb.DuckDBPyConnection, day: date | None, outcome: CheckOutcome
) -> CheckOutcome:
    """Keep a blocking check's verdict on `day` in `blocked_days`, so that no later publish
    copies a bad day (see `pipeline.warehouse.blocking`); returns the outcome unchanged."""
    if outcome.blocking and day is not None:
        record_verdict(con, day, outcome.name, outcome.passed, outcome.describe())
    return outcome


def day_checks(
    day: date, database: DatabaseResource, sources: SourcesResource
) -> list[CheckOutcome]:
    """Every check of `assets/checks.py`, on the day as it now stands in the working database;
    blocking verdicts are recorded."""
    with database.connect() as con:
        return [
            silent_source_check(con, sources, day),
            record_blocking(con, day, article_ids_check(con)),
            day_not_empty_check(con, day),
            record_blocking(con, day, mention_offsets_check(con, day)),
            extraction_failures_check(con, day),
        ]
