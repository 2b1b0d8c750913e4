"""Run the daily job for a list of days, one run per day or as one parallel backfill run.

Runs are recorded in `$DAGSTER_HOME`.
"""

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg

from assets.backfill import BACKFILL_JOB, backfill_run_config, day_of_step, define_backfill_job
from assets.definitions import defs
from assets.failures import step_failures
from assets.tags import HOST_TAG, PID_TAG
from pipeline.warehouse.blocking import PublishBlocked
from pipeline.warehouse.publish import publish as publish_snapshot

# Dagster's own console lines would cut through the CLI's progress lines: the CLI prints the
# runs' warnings and failures itself (`DayOutcome`), and the UI keeps every log line.
_QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
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
    needing that slot would wait without end. Only runs started by `veille run` (`run_days`,
    `run_days_parallel`) on this machine are judged here; the Dagster daemon's run monitoring
    looks after the others.
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
    warnings: tuple[str, ...] = ()


def run_warnings(instance: dg.DagsterInstance, run_id: str) -> tuple[str, ...]:
    """The warnings the run's steps logged (failed feeds and pages), in order."""
    return tuple(
        entry.user_message
        for entry in instance.all_logs(run_id)
        if entry.dagster_event is None and entry.level >= logging.WARNING
    )


def run_days(
    days: Iterable[date],
    on_start: Callable[[date], None] | None = None,
    instance: dg.DagsterInstance | None = None,
    job_name: str = "daily_job",
    publish: bool = True,
    on_end: Callable[[DayOutcome], None] | None = None,
) -> list[DayOutcome]:
    """Materialize a partitioned job (the daily one by default) for each day in turn.

    A failed day does not stop the others; `on_start` and `on_end` are called around each day.
    The snapshot is published once, after the last day (not at all with `publish=False`).

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
        # A failed day says why in its failures; its warnings would only be the steps skipped.
        warnings = run_warnings(instance, result.run_id) if result.success else ()
        outcome = DayOutcome(day, result.run_id, result.success, failures + checks, warnings)
        outcomes.append(outcome)
        if on_end:
            on_end(outcome)
    if publish and outcomes and not outcomes[-1].success and any(o.success for o in outcomes):
        try:
            publish_snapshot(os.environ["VEILLE_DB"])  # the last day failed before publishing
        except PublishBlocked as exc:
            last = outcomes[-1]
            outcomes[-1] = replace(last, failures=(*last.failures, str(exc)))
    return outcomes


class _StepWatcher:
    """Reports the backfill's day steps as they start and end, read from the run's event log."""

    def __init__(
        self,
        instance: dg.DagsterInstance,
        tags: dict[str, str],
        on_step: Callable[[str], None] | None,
        job_name: str = BACKFILL_JOB,
    ) -> None:
        self._ref, self._tags, self._on_step = instance.get_ref(), tags, on_step
        self._job_name = job_name
        self._since = datetime.now(UTC)
        self._done = threading.Event()
        self._started: dict[date, float] = {}
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join(timeout=10)

    def _watch(self) -> None:
        with dg.DagsterInstance.from_ref(self._ref) as instance:
            run_id, cursor = None, None
            while True:
                stopping = self._done.wait(1.0)
                if run_id is None:
                    run_id = self._find_run(instance)
                if run_id is not None:
                    cursor = self._report(instance, run_id, cursor)
                if stopping:
                    return

    def _find_run(self, instance: dg.DagsterInstance) -> str | None:
        runs = instance.get_run_records(
            filters=dg.RunsFilter(
                job_name=self._job_name, tags=self._tags, created_after=self._since
            ),
            limit=1,
        )
        return runs[0].dagster_run.run_id if runs else None

    def _report(self, instance: dg.DagsterInstance, run_id: str, cursor: str | None) -> str | None:
        page = instance.get_records_for_run(run_id, cursor=cursor, of_type=_STEP_EVENTS)
        for record in page.records:
            entry = record.event_log_entry
            event = entry.dagster_event
            day = day_of_step(event.step_key or "")
            if day is None:
                continue
            if event.event_type == dg.DagsterEventType.STEP_WORKER_STARTED:
                self._started[day] = entry.timestamp
                self._on_step(f"  {day} started (process {event.pid})")
                continue
            took = f"{entry.timestamp - self._started.get(day, entry.timestamp):.0f} s"
            if event.event_type == dg.DagsterEventType.STEP_SUCCESS:
                self._on_step(f"  {day} loaded in {took} (process {event.pid})")
            else:
                self._on_step(f"  {day} failed after {took} (process {event.pid})")
        return page.cursor


# A day's process starts, then its step succeeds or fails.
_STEP_EVENTS = {
    dg.DagsterEventType.STEP_WORKER_STARTED,
    dg.DagsterEventType.STEP_SUCCESS,
    dg.DagsterEventType.STEP_FAILURE,
}


def backfill_outcomes(
    days: Iterable[date], run_id: str, events: Iterable[dg.DagsterEvent]
) -> list[DayOutcome]:
    """One outcome per day from the backfill run's events; a failed publish fails the last day.

    A day whose step never ran (the run failed before it) fails with the run's other failures.
    """
    events = list(events)
    succeeded = {day_of_step(e.step_key) for e in events if e.is_step_success and e.step_key}
    failures: dict[date | None, list[str]] = {}
    for event in events:
        if event.is_step_failure and event.step_key:
            failures.setdefault(day_of_step(event.step_key), []).extend(step_failures([event]))
    other = tuple(failures.get(None, []))
    started = {day_of_step(e.step_key) for e in events if e.is_step_start and e.step_key}
    outcomes = []
    days = sorted(days)
    for i, day in enumerate(days):
        day_failures = tuple(failures.get(day, ()))
        if day not in started:
            day_failures += other or ("not run",)
        elif other and i == len(days) - 1:
            day_failures += other  # the publish, which comes after the last day
        success = day in succeeded and not day_failures
        outcomes.append(DayOutcome(day, run_id, success, day_failures))
    return outcomes


def run_days_parallel(
    days: Iterable[date],
    workers: int,
    on_step: Callable[[str], None] | None = None,
    instance: dg.DagsterInstance | None = None,
) -> list[DayOutcome]:
    """Load the days as one run of `backfill_job`: `workers` day steps at once, one publish.

    The days run as parallel steps of one Dagster run (recorded in `$DAGSTER_HOME`, shown as
    such in the UI), each in its own process under Dagster's multiprocess executor; they take
    turns on the working database through `work_lock`. The snapshot is published only if every
    day loaded. `on_step` receives a line as each day starts and ends.
    """
    days = sorted(days)
    instance = instance or dg.DagsterInstance.get()
    recover_dead_runs(instance)
    tags = {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}
    watcher = _StepWatcher(instance, tags, on_step) if on_step else None
    if watcher:
        watcher.start()
    try:
        # Not opened as a context manager: that would set the resources up again in this
        # process (loading the French model) only to read outputs, which are not needed.
        result = dg.execute_job(
            dg.reconstructable(define_backfill_job),
            instance=instance,
            run_config={**_QUIET, **backfill_run_config(days, workers)},
            tags=tags,
        )
        return backfill_outcomes(days, result.run_id, result.all_events)
    finally:
        if watcher:
            watcher.stop()


def distributed_instance(home: str | os.PathLike) -> dg.DagsterInstance:
    """The distributed profile's Dagster instance (Postgres storage), its settings in `home`.

    `home` receives `assets/dagster.distributed.yaml` when it has no `dagster.yaml`.
    """
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    settings = home / "dagster.yaml"
    if not settings.exists():
        template = Path(__file__).with_name("dagster.distributed.yaml")
        settings.write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
    return dg.DagsterInstance.from_config(str(home))


def run_days_distributed(
    days: Iterable[date], instance: dg.DagsterInstance, on_step: Callable[[str], None] | None = None
) -> list[DayOutcome]:
    """Load the days as one run of `distributed_backfill_job`: day steps on the Celery workers,
    each written to the shared lake, then one publish from the lake.

    The workers (`celery -A assets.celery_worker worker`) run apart from this process; it only
    submits the steps and waits for them. `on_step` receives a line as each day starts and ends.
    """
    from assets.distributed import define_distributed_job, distributed_run_config

    days = sorted(days)
    tags = {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}
    watcher = _StepWatcher(instance, tags, on_step, job_name="distributed_backfill_job")
    if on_step:
        watcher.start()
    try:
        result = dg.execute_job(
            dg.reconstructable(define_distributed_job),
            instance=instance,
            run_config={
                **_QUIET,
                **distributed_run_config(days, str(Path(os.environ["VEILLE_DB"]).resolve())),
            },
            tags=tags,
        )
        return backfill_outcomes(days, result.run_id, result.all_events)
    finally:
        if on_step:
            watcher.stop()
