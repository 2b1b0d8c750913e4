"""The backfill job: one Dagster run whose days run as parallel steps, then one publish.

`backfill_days` emits one dynamic output per day of the range; `load_day` runs that day's whole
chain (feed entries, raw pages, articles, mentions, checks, load) in its own process under the
multiprocess executor, at most `max_concurrent` at once; `publish` swaps the snapshot in once
every day has loaded. A day that fails (a blocking check, say) fails its step, so `publish` does
not run and analysts keep the previous snapshot.

The days take turns on the working database through `work_lock`, as runs of the daily job do.
The per-host politeness holds across the day processes too: their fetchers share one lock file
per host beside the database (`pipeline/collect/host_locks.py`). The day processes fork from a
server that has loaded the French model once (`assets/forkserver.py`).
"""

from collections.abc import Iterator
from datetime import date, timedelta

import dagster as dg

from assets import steps
from assets.daily import NETWORK_RETRY
from assets.resources import (
    DatabaseResource,
    HttpResource,
    NlpResource,
    SourcesResource,
    resources_from_env,
)

BACKFILL_JOB = "backfill_job"


class BackfillConfig(dg.Config):
    """The days to load: `date_from` to `date_to` inclusive, less `skip` (`veille run --resume`)."""

    date_from: str
    date_to: str
    skip: list[str] = []


def mapping_key(day: date) -> str:
    """The dynamic mapping key of a day: `load_day[2026_11_03]` is the step of 2026-11-03."""
    return day.isoformat().replace("-", "_")


def day_of_step(step_key: str) -> date | None:
    """The day a `load_day[YYYY_MM_DD]` (or distributed `lake_day[...]`) step loads, or None for
    the other steps."""
    for op_name in ("load_day", "lake_day"):
        if step_key.startswith(f"{op_name}[") and step_key.endswith("]"):
            return date.fromisoformat(step_key[len(op_name) + 1 : -1].replace("_", "-"))
    return None


@dg.op(out=dg.DynamicOut(str), description="One output per day of the range to load.")
def backfill_days(config: BackfillConfig) -> Iterator[dg.DynamicOutput[str]]:
    first, last = date.fromisoformat(config.date_from), date.fromisoformat(config.date_to)
    if last < first:
        raise dg.Failure(f"date_to {last} is before date_from {first}", allow_retries=False)
    skip = {date.fromisoformat(d) for d in config.skip}
    for i in range((last - first).days + 1):
        day = first + timedelta(days=i)
        if day not in skip:
            yield dg.DynamicOutput(day.isoformat(), mapping_key=mapping_key(day))


def _evaluation(outcome: steps.CheckOutcome, day: str) -> dg.AssetCheckEvaluation:
    severity = dg.AssetCheckSeverity.ERROR if outcome.blocking else dg.AssetCheckSeverity.WARN
    return dg.AssetCheckEvaluation(
        asset_key=dg.AssetKey(outcome.asset),
        check_name=outcome.name,
        passed=outcome.passed,
        metadata=outcome.metadata,
        severity=severity,
        blocking=outcome.blocking,
        partition=day,
    )


def day_steps(
    context: dg.OpExecutionContext,
    day: str,
    database: DatabaseResource,
    sources: SourcesResource,
    http: HttpResource,
    nlp: NlpResource,
) -> Iterator[dg.AssetMaterialization | dg.AssetCheckEvaluation]:
    """One day's chain up to its checks, in `database`: what `load_day` and the distributed
    profile's `lake_day` share.

    Each step materializes the day's partition of its asset, as the daily job would. Network
    failures retry the day (as `NETWORK_RETRY` does for the assets); a failed blocking check
    fails it, without retry.
    """
    the_day = date.fromisoformat(day)

    def materialized(asset: str, metadata: steps.Metadata) -> dg.AssetMaterialization:
        return dg.AssetMaterialization(asset_key=asset, partition=day, metadata=metadata)

    try:
        yield materialized(
            "feed_entries", steps.feed_entries_step(the_day, database, sources, http, context.log)
        )
        yield materialized(
            "raw_pages", steps.raw_pages_step(the_day, database, sources, http, context.log)
        )
    except Exception as exc:
        wait = NETWORK_RETRY.delay * 2**context.retry_number
        raise dg.RetryRequested(NETWORK_RETRY.max_retries, seconds_to_wait=wait) from exc
    yield materialized("articles", steps.articles_step(the_day, database, sources))
    yield materialized("mentions", steps.mentions_step(the_day, database, sources, nlp.nlp))
    outcomes = steps.day_checks(the_day, database, sources)
    for outcome in outcomes:
        yield _evaluation(outcome, day)
        if not outcome.passed and not outcome.blocking:
            context.log.warning(f"{day}: check {outcome.describe()}")
    failed = [o for o in outcomes if o.blocking and not o.passed]
    if failed:
        raise dg.Failure(
            f"{day}: blocking check {', '.join(o.describe() for o in failed)}; not loaded",
            allow_retries=False,
        )


@dg.op(description="Collect, extract, check and load one day, without publishing.")
def load_day(
    context: dg.OpExecutionContext,
    day: str,
    database: DatabaseResource,
    sources: SourcesResource,
    http: HttpResource,
    nlp: NlpResource,
) -> Iterator[dg.AssetMaterialization | dg.AssetCheckEvaluation | dg.Output[dict]]:
    """The day's chain (`day_steps`) in the working database, then its load recorded."""
    yield from day_steps(context, day, database, sources, http, nlp)
    load = steps.load_step(
        date.fromisoformat(day), database, sources, context.run_id, context.job_name
    )
    yield dg.Output({"day": day, **load})


@dg.op(description="Publish the snapshot once, after every day has loaded.")
def publish(
    context: dg.OpExecutionContext, loads: list[dict], database: DatabaseResource
) -> Iterator[dg.AssetMaterialization | dg.Output[str]]:
    """The warehouse partition of each day is materialized once that day is in the snapshot."""
    path = str(database.publish())
    for load in sorted(loads, key=lambda row: row["day"]):
        metadata = {k: v for k, v in load.items() if k != "day"}
        metadata["path"] = dg.MetadataValue.path(path)
        yield dg.AssetMaterialization(
            asset_key="warehouse", partition=load["day"], metadata=metadata
        )
    context.log.info(f"published {path} with {len(loads)} day(s)")
    yield dg.Output(path)


def _forkserver_config(config: dict) -> dict:
    return {
        "max_concurrent": config["max_concurrent"],
        "start_method": {"forkserver": {"preload_modules": ["assets.forkserver"]}},
    }


# Dagster's multiprocess executor, its processes forked from a server that has imported the code
# and loaded the French model once (`assets/forkserver.py`): a day's process starts in about a
# second instead of loading the model again. Only the number of days at once is left to choose.
days_at_once_executor = dg.multiprocess_executor.configured(
    _forkserver_config,
    config_schema={
        "max_concurrent": dg.Field(int, default_value=2, description="Days loaded at once.")
    },
    description="Dagster's multiprocess executor: one process per day, forked with the model.",
)


@dg.job(
    name=BACKFILL_JOB,
    executor_def=days_at_once_executor,
    description=(
        "Load a range of days as parallel steps (execution config max_concurrent), then publish "
        "the snapshot once."
    ),
)
def backfill_job() -> None:
    loads = backfill_days().map(load_day)
    publish(loads.collect())


def define_backfill_job() -> dg.JobDefinition:
    """The backfill job with veille's resources: what the executor rebuilds in each process."""
    return dg.Definitions(jobs=[backfill_job], resources=resources_from_env()).resolve_job_def(
        BACKFILL_JOB
    )


def backfill_run_config(days: list[date], workers: int) -> dict:
    """Run config for loading `days` (a range, possibly with gaps) `workers` days at a time."""
    first, last = min(days), max(days)
    wanted = set(days)
    skip = [
        (first + timedelta(days=i)).isoformat()
        for i in range((last - first).days + 1)
        if first + timedelta(days=i) not in wanted
    ]
    return {
        "ops": {
            "backfill_days": {
                "config": {
                    "date_from": first.isoformat(),
                    "date_to": last.isoformat(),
                    "skip": skip,
                }
            }
        },
        "execution": {"config": {"max_concurrent": workers}},
    }
