"""The daily assets: feed entries -> raw pages -> articles -> mentions -> published warehouse.

Each asset reads its partition's day and runs one step of `assets/steps.py`, which replaces that
day's rows in the working database; the last one publishes the analysts' snapshot.
"""

from datetime import date, timedelta

import dagster as dg

from assets import steps
from assets.partitions import daily_partitions
from assets.resources import DatabaseResource, HttpResource, NlpResource, SourcesResource

# Every daily asset: one partition per Paris day, one group. Runs of different days may overlap:
# they take turns on the working database through `work_lock`, not a Dagster pool, so one run
# fetches or extracts while another writes.
DAILY = {"partitions_def": daily_partitions, "group_name": "daily"}

# Network-bound steps retry on transient failures; pages that fail are logged, not retried here.
NETWORK_RETRY = dg.RetryPolicy(max_retries=2, delay=5, backoff=dg.Backoff.EXPONENTIAL)


def _day(context: dg.AssetExecutionContext) -> date:
    return date.fromisoformat(context.partition_key)


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
    metadata = steps.feed_entries_step(_day(context), database, sources, http, context.log)
    return dg.MaterializeResult(metadata=metadata)


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
    metadata = steps.raw_pages_step(_day(context), database, sources, http, context.log)
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(
    deps=[raw_pages],
    **DAILY,
    kinds={"python", "duckdb"},
)
def articles(
    context: dg.AssetExecutionContext, database: DatabaseResource, sources: SourcesResource
) -> dg.MaterializeResult:
    """The article of each page: title, date, author, language and main text."""
    return dg.MaterializeResult(metadata=steps.articles_step(_day(context), database, sources))


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
    metadata = steps.mentions_step(_day(context), database, sources, nlp.nlp)
    return dg.MaterializeResult(metadata=metadata)


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
    metadata = steps.load_step(
        _day(context), database, sources, context.run.run_id, context.job_name
    )
    if config.publish:
        metadata["path"] = dg.MetadataValue.path(str(database.publish()))
    return dg.MaterializeResult(metadata=metadata)
