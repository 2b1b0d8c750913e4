"""Run the daily job in-process for a list of days, recording runs in `$DAGSTER_HOME`."""

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import dagster as dg
from dagster_shared.error import SerializableErrorInfo

from assets.definitions import defs
from pipeline.publish import publish as publish_snapshot

# Dagster's own console logging is very chatty; the CLI prints its own progress.
_QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


@dataclass(frozen=True)
class DayOutcome:
    """How one partition's run ended."""

    day: date
    run_id: str
    success: bool
    failures: tuple[str, ...]


def _root_cause(error: SerializableErrorInfo) -> str:
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


def run_days(
    days: Iterable[date],
    on_start: Callable[[date], None] | None = None,
    instance: dg.DagsterInstance | None = None,
    job_name: str = "daily_job",
) -> list[DayOutcome]:
    """Materialize a partitioned job (the daily one by default) for each day in turn.

    A failed day does not stop the others. The snapshot is published once, after the last day.

    Runs are recorded in `$DAGSTER_HOME` unless another instance is given (tests use an
    ephemeral one).
    """
    instance = instance or dg.DagsterInstance.get()
    job = defs.resolve_job_def(job_name)
    days = list(days)
    outcomes: list[DayOutcome] = []
    for i, day in enumerate(days):
        if on_start:
            on_start(day)
        # Publishing copies the whole database: once, after the last day, is enough.
        publish = {"ops": {"warehouse": {"config": {"publish": i == len(days) - 1}}}}
        result = job.execute_in_process(
            partition_key=day.isoformat(),
            instance=instance,
            raise_on_error=False,
            run_config={**_QUIET, **publish},
        )
        failures = tuple(
            f"{event.step_key}: {_root_cause(event.event_specific_data.error)}"
            for event in result.all_events
            if event.is_step_failure and event.event_specific_data.error
        )
        checks = tuple(
            f"check {evaluation.check_name} failed"
            for evaluation in result.get_asset_check_evaluations()
            if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
        )
        outcomes.append(DayOutcome(day, result.run_id, result.success, failures + checks))
    if outcomes and not outcomes[-1].success and any(o.success for o in outcomes):
        publish_snapshot(os.environ["VEILLE_DB"])  # the last day failed before publishing
    return outcomes
