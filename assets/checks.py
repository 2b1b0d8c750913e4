"""Checks that stand beside the data: blocking ones stop a bad day from being published."""

from datetime import date

import dagster as dg

from assets.daily import articles, mentions
from assets.resources import DatabaseResource
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
