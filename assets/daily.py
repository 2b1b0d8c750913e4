"""The daily assets: feed entries -> raw pages -> articles -> mentions -> published warehouse.

Each asset reads its partition's day, calls one step of `pipeline.daily`, and replaces that day's
rows in the working database; the last one publishes the analysts' snapshot.
"""

from collections import Counter
from datetime import date, timedelta

import dagster as dg

from assets.partitions import daily_partitions
from assets.resources import DatabaseResource, HttpResource, NlpResource, SourcesResource
from pipeline import daily
from pipeline.markdown import markdown_table
from pipeline.storage import (
    read_entry_dates,
    read_feed_state,
    read_partition,
    record_load,
    replace_fetch_log,
    replace_partition,
    save_entry_dates,
    save_feed_state,
    save_sources,
)

# Every daily asset: one partition per Paris day, one group. Runs of different days may overlap:
# they take turns on the working database through `work_lock`, not a Dagster pool, so one run
# fetches or extracts while another writes.
DAILY = {"partitions_def": daily_partitions, "group_name": "daily"}

# Network-bound steps retry on transient failures; pages that fail are logged, not retried here.
NETWORK_RETRY = dg.RetryPolicy(max_retries=2, delay=5, backoff=dg.Backoff.EXPONENTIAL)


def _day(context: dg.AssetExecutionContext) -> date:
    return date.fromisoformat(context.partition_key)


def _counts(rows: list[dict], key: str) -> dict[str, int]:
    return dict(sorted(Counter(r[key] for r in rows).items()))


@dg.asset(
    **DAILY,
    kinds={"python", "duckdb"},
    retry_policy=NETWORK_RETRY,
)
def feed_entries(
    context: dg.AssetExecutionContext,
    database: DatabaseResource,
    sources: SourcesResource,
    http: HttpResource,
) -> dg.MaterializeResult:
    """Entries of every source's feeds and news sitemaps published on the partition's day."""
    day = _day(context)
    with database.connect() as con:
        known_dates = read_entry_dates(con)
        feed_state = read_feed_state(con)
    entries, log, new_dates = daily.collect_feed_entries(
        sources.load(), http.fetcher(), day, known_dates, database.archive(), feed_state
    )
    with database.connect() as con:
        save_entry_dates(con, new_dates)
        save_feed_state(con, feed_state)
        replace_partition(con, "feed_entries", day, entries)
        replace_fetch_log(con, day, "feed", log)
    failed = [r for r in log if not r["ok"]]
    for row in failed:
        context.log.warning(f"feed {row['url']} ({row['source']}): {row['reason']}")
    return dg.MaterializeResult(
        metadata={
            "rows": len(entries),
            "per_source": _counts(entries, "source"),
            "failed_feeds": len(failed),
            "preview": dg.MetadataValue.md(markdown_table(entries, ["source", "title", "url"])),
        }
    )


@dg.asset(
    deps=[feed_entries],
    **DAILY,
    kinds={"python", "duckdb"},
    retry_policy=NETWORK_RETRY,
)
def raw_pages(
    context: dg.AssetExecutionContext,
    database: DatabaseResource,
    sources: SourcesResource,
    http: HttpResource,
) -> dg.MaterializeResult:
    """The HTML page of every entry of the day, its body kept as fetched in the raw archive."""
    day = _day(context)
    with database.connect() as con:
        entries = read_partition(con, "feed_entries", day)
        already = read_partition(con, "raw_pages", day)
    archive = database.archive()
    pages, log = daily.fetch_pages(entries, sources.load(), http.fetcher(), day, archive, already)
    with database.connect() as con:
        replace_partition(con, "raw_pages", day, pages)
        replace_fetch_log(con, day, "page", log)
    failed = [r for r in log if not r["ok"]]
    for row in failed:
        context.log.warning(f"page {row['url']}: {row['reason']}")
    return dg.MaterializeResult(
        metadata={
            "rows": len(pages),
            "failed_pages": len(failed),
            "failures": dg.MetadataValue.md(markdown_table(failed, ["source", "url", "reason"])),
        }
    )


@dg.asset(
    deps=[raw_pages],
    **DAILY,
    kinds={"python", "duckdb"},
)
def articles(
    context: dg.AssetExecutionContext, database: DatabaseResource, sources: SourcesResource
) -> dg.MaterializeResult:
    """The article of each page: title, date, author, language and main text."""
    day = _day(context)
    with database.connect() as con:
        pages = read_partition(con, "raw_pages", day)
        stored = read_partition(con, "articles", day)
    rows, log = daily.build_articles(pages, day, database.archive(), sources.load(), stored)
    with database.connect() as con:
        replace_partition(con, "articles", day, rows)
        replace_fetch_log(con, day, "article", log)
    return dg.MaterializeResult(
        metadata={
            "rows": len(rows),
            "per_source": _counts(rows, "source"),
            "without_text": len(log),
            "preview": dg.MetadataValue.md(markdown_table(rows, ["source", "title", "n_chars"])),
        }
    )


@dg.asset(
    deps=[articles],
    **DAILY,
    kinds={"spacy", "duckdb"},
)
def mentions(
    context: dg.AssetExecutionContext,
    database: DatabaseResource,
    sources: SourcesResource,
    nlp: NlpResource,
) -> dg.MaterializeResult:
    """Clusters, officials, funding, places and quotes found in the day's articles."""
    day = _day(context)
    with database.connect() as con:
        day_articles = read_partition(con, "articles", day)
    rows = daily.build_mentions(nlp.nlp, day_articles, sources.load())
    with database.connect() as con:
        replace_partition(con, "mentions", day, rows)
    return dg.MaterializeResult(
        metadata={
            "rows": len(rows),
            "per_kind": _counts(rows, "kind"),
            "preview": dg.MetadataValue.md(markdown_table(rows, ["kind", "text", "rule"])),
        }
    )


class WarehouseConfig(dg.Config):
    """`publish: false` loads the day without publishing (a backfill publishes once, at its end)."""

    publish: bool = True


# The daily run starts at 06:00 Paris time: by 09:00 the snapshot must hold yesterday's news.
WAREHOUSE_FRESHNESS = dg.FreshnessPolicy.cron(
    deadline_cron="0 9 * * *", lower_bound_delta=timedelta(hours=3), timezone="Europe/Paris"
)


@dg.asset(
    deps=[mentions],
    **DAILY,
    kinds={"duckdb"},
    freshness_policy=WAREHOUSE_FRESHNESS,
)
def warehouse(
    context: dg.AssetExecutionContext,
    config: WarehouseConfig,
    database: DatabaseResource,
    sources: SourcesResource,
) -> dg.MaterializeResult:
    """The read-only snapshot analysts open, rebuilt and swapped in atomically after each load."""
    day = _day(context)
    with database.connect() as con:
        save_sources(con, daily.source_rows(sources.load()))
        load = daily.load_summary(con, day, context.run.run_id, context.job_name)
        record_load(con, load)
    metadata = {k: v for k, v in load.items() if k in ("articles", "mentions", "failed_fetches")}
    if config.publish:
        path = database.publish()
        metadata["path"] = dg.MetadataValue.path(str(path))
    return dg.MaterializeResult(metadata=metadata)
