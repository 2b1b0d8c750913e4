"""Checks that stand beside the data: blocking ones stop a bad day from being published.

Their logic lives in `assets/steps.py`, which the backfill job runs after loading each day.
"""

from datetime import date

import dagster as dg

from assets import steps
from assets.daily import articles, feed_entries, mentions
from assets.resources import DatabaseResource, SourcesResource


def _day(context: dg.AssetCheckExecutionContext) -> date | None:
    run_key = context.run.tags.get("dagster/partition")
    return date.fromisoformat(run_key) if run_key else None


def _result(outcome: steps.CheckOutcome) -> dg.AssetCheckResult:
    severity = dg.AssetCheckSeverity.ERROR if outcome.blocking else dg.AssetCheckSeverity.WARN
    return dg.AssetCheckResult(passed=outcome.passed, severity=severity, metadata=outcome.metadata)


@dg.asset_check(
    asset=mentions, blocking=True, description="Every mention's offsets point at its text."
)
def mention_offsets_match_text(
    context: dg.AssetCheckExecutionContext, database: DatabaseResource
) -> dg.AssetCheckResult:
    with database.connect() as con:
        day = _day(context)
        return _result(steps.record_blocking(con, day, steps.mention_offsets_check(con, day)))


@dg.asset_check(asset=articles, blocking=True, description="No article id is stored twice.")
def article_ids_unique(
    context: dg.AssetCheckExecutionContext, database: DatabaseResource
) -> dg.AssetCheckResult:
    with database.connect() as con:
        return _result(steps.record_blocking(con, _day(context), steps.article_ids_check(con)))


@dg.asset_check(asset=articles, description="The day has at least one article.")
def day_not_empty(
    context: dg.AssetCheckExecutionContext, database: DatabaseResource
) -> dg.AssetCheckResult:
    with database.connect() as con:
        return _result(steps.day_not_empty_check(con, _day(context)))


@dg.asset_check(
    asset=feed_entries, description="No source has gone silent (no new entry for N run days)."
)
def no_silent_source(
    context: dg.AssetCheckExecutionContext, database: DatabaseResource, sources: SourcesResource
) -> dg.AssetCheckResult:
    with database.connect() as con:
        return _result(steps.silent_source_check(con, sources, _day(context)))


@dg.asset_check(asset=mentions, description="No article of the day failed extraction.")
def no_extraction_failure(
    context: dg.AssetCheckExecutionContext, database: DatabaseResource
) -> dg.AssetCheckResult:
    with database.connect() as con:
        return _result(steps.extraction_failures_check(con, _day(context)))
