"""Run the daily job in-process for a list of days, recording runs in `$DAGSTER_HOME`."""

import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import dagster as dg

from assets.definitions import defs
from assets.failures import step_failures
from assets.tags import HOST_TAG, PID_TAG
from pipeline.publish import publish as publish_snapshot

# Dagster's own console logging is very chatty; the CLI prints its own progress.
_QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
_UNFINISHED = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed the runs whose process died (SIGKILL, power cut) and free their pool slots.

    Such a run stays "started" for ever and keeps its slot of the one-writer pool, so the next
    run would wait for it without end. Only runs started by `run_days` on this machine are
    judged here; the Dagster daemon's run monitoring looks after the others.
    """
    recovered = []
    for record in instance.get_run_records(filters=dg.RunsFilter(statuses=_UNFINISHED)):
        run = record.dagster_run
        pid, host = run.tags.get(PID_TAG), run.tags.get(HOST_TAG)
        if pid and host == socket.gethostname() and not _process_alive(int(pid)):
            instance.report_run_failed(run, f"its process {pid} died before the run ended")
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
            recovered.append(run.run_id)
    return recovered


@dataclass(frozen=True)
class DayOutcome:
    """How one partition's run ended."""

    day: date
    run_id: str
    success: bool
    failures: tuple[str, ...]


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
    recover_dead_runs(instance)
    job = defs.resolve_job_def(job_name)
    tags = {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}
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
            tags=tags,
        )
        failures = tuple(step_failures(result.all_events))
        checks = tuple(
            f"check {evaluation.check_name} failed"
            for evaluation in result.get_asset_check_evaluations()
            if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
        )
        outcomes.append(DayOutcome(day, result.run_id, result.success, failures + checks))
    if outcomes and not outcomes[-1].success and any(o.success for o in outcomes):
        publish_snapshot(os.environ["VEILLE_DB"])  # the last day failed before publishing
    return outcomes
