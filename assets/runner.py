"""Run the daily job in-process for a list of days, recording runs in `$DAGSTER_HOME`."""

import multiprocessing
import os
import socket
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
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

    Such a run stays "started" for ever and keeps any concurrency slot it held, so a later run
    needing that slot would wait without end. Only runs started by `run_days` on this machine are
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
    publish: bool = True,
) -> list[DayOutcome]:
    """Materialize a partitioned job (the daily one by default) for each day in turn.

    A failed day does not stop the others. The snapshot is published once, after the last day
    (not at all with `publish=False`).

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
        last = publish and i == len(days) - 1
        config = {"ops": {"warehouse": {"config": {"publish": last}}}}
        result = job.execute_in_process(
            partition_key=day.isoformat(),
            instance=instance,
            raise_on_error=False,
            run_config={**_QUIET, **config},
            tags=tags,
        )
        failures = tuple(step_failures(result.all_events))
        checks = tuple(
            f"check {evaluation.check_name} failed"
            for evaluation in result.get_asset_check_evaluations()
            if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
        )
        outcomes.append(DayOutcome(day, result.run_id, result.success, failures + checks))
    if publish and outcomes and not outcomes[-1].success and any(o.success for o in outcomes):
        publish_snapshot(os.environ["VEILLE_DB"])  # the last day failed before publishing
    return outcomes


def _worker(days: list[date], job_name: str) -> list[DayOutcome]:
    def started(day: date) -> None:
        print(f"  {day} started (process {os.getpid()})", flush=True)

    return run_days(days, started, job_name=job_name, publish=False)


def run_days_parallel(
    days: Iterable[date], workers: int, job_name: str = "daily_job"
) -> list[DayOutcome]:
    """Run the days in `workers` processes at once, then publish once.

    Each process runs its share of the days as separate Dagster runs (recorded in
    `$DAGSTER_HOME`); fetching and extraction overlap, and the working database is taken in
    turns through `work_lock`.
    """
    days = list(days)
    shares = [days[i::workers] for i in range(workers) if days[i::workers]]
    # Create Dagster's storage (and clear dead runs) here, once: workers creating the tables of
    # a fresh $DAGSTER_HOME at the same moment collide.
    with dg.DagsterInstance.get() as instance:
        recover_dead_runs(instance)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(len(shares), mp_context=context) as pool:
        results = pool.map(_worker, shares, [job_name] * len(shares))
        outcomes = sorted((o for share in results for o in share), key=lambda o: o.day)
    if any(o.success for o in outcomes):
        publish_snapshot(os.environ["VEILLE_DB"])
    return outcomes
