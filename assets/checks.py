"""Checks that stand beside the data: blocking ones stop a bad day from being published."""

from datetime import date

import dagster as dg

from assets.daily import articles, feed_entries, mentions
from assets.resources import DatabaseResource, SourcesResource
from pipeline.health import silent_sources
from pipeline.storage import read_sql


def _day(context: dg.AssetCheckExecutionContext) -> date | None:
    run_key = context.run.tags.get("dagster/partition")
    return date.fromisoformat(run_key) if run_key else None


@dg.asset_check(
    asset=mentions, blocking=True, description="Every mention's offsets point at its text."
)
def mention_offsets_match_text(
    context: dg.AssetCheckExecutionContext, database: DatabaseResource
) -> dg.AssetCheckResult:
    with database.connect() as con:
        bad = con.execute(read_sql("checks/mention_offsets.sql"), [_day(context)]).fetchall()
    return dg.AssetCheckResult(
        passed=not bad,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"bad_mentions": len(bad), "mention_ids": [r[0] for r in bad[:50]]},
    )


@dg.asset_check(asset=articles, blocking=True, description="No article id is stored twice.")
def article_ids_unique(
    context: dg.AssetCheckExecutionContext, database: DatabaseResource
) -> dg.AssetCheckResult:
    with database.connect() as con:
        dupes = con.execute(read_sql("checks/duplicate_articles.sql")).fetchall()
    return dg.AssetCheckResult(
        passed=not dupes,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"duplicates": len(dupes), "article_ids": [r[0] for r in dupes[:50]]},
    )


@dg.asset_check(asset=articles, description="The day has at least one article.")
def day_not_empty(
    context: dg.AssetCheckExecutionContext, database: DatabaseResource
) -> dg.AssetCheckResult:
    with database.connect() as con:
        (count,) = con.execute(
            "SELECT count(*) FROM articles WHERE partition_date = ?", [_day(context)]
        ).fetchone()
    return dg.AssetCheckResult(
        passed=count > 0, severity=dg.AssetCheckSeverity.WARN, metadata={"articles": count}
    )


@dg.asset_check(
    asset=feed_entries, description="No source has gone silent (no new entry for N run days)."
)
def no_silent_source(
    context: dg.AssetCheckExecutionContext, database: DatabaseResource, sources: SourcesResource
) -> dg.AssetCheckResult:
    thresholds = {s.id: s.silent_after_days for s in sources.load()}
    with database.connect() as con:
        activity = con.execute(read_sql("checks/source_activity.sql"), [_day(context)]).fetchall()
    silent = silent_sources(activity, thresholds)
    return dg.AssetCheckResult(
        passed=not silent,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "silent_sources": [s.source for s in silent],
            "reasons": {s.source: f"{s.reason} ({s.days} days)" for s in silent},
        },
    )
