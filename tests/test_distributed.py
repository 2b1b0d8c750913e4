"""The distributed profile, for real: Dagster's storage in a Postgres cluster and the day steps
on two Celery workers (separate `celery worker` processes, Redis as broker), started here on
free loopback ports; the workers write their days as Parquet into a shared folder and the
publish builds the analysts' snapshot from it.

Compared with the embedded profile's `veille run` on the same demo days: the same rows, with a
worker process killed in the middle of a day, and with two runs writing at once, while an
analyst keeps the published snapshot open.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.tags import PID_TAG
from demo.site import start_demo_site
from pipeline.warehouse.lake import day_folder
from tests.distributed_harness import (
    Services,
    Worker,
    base_env,
    distributed_run,
    finish,
)
from tests.runs import content, veille_run

DAYS = ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"]
RANGE = ("--from", DAYS[0], "--to", DAYS[-1])
EXECUTING = "in celery worker"


@pytest.fixture(scope="module")
def services():
    services = Services()
    try:
        yield services.start()
    finally:
        services.stop()


@pytest.fixture(scope="module")
def site():
    with start_demo_site() as demo:
        yield demo


@pytest.fixture(scope="module")
def serial(site, tmp_path_factory):
    """The four days on one machine, the embedded profile, one process."""
    state = tmp_path_factory.mktemp("serial")
    result = veille_run(state, site.base_url, *RANGE)
    assert result.returncode == 0, result.stderr[-2000:]
    return content(state / "data" / "veille.duckdb")


@pytest.fixture(scope="module")
def cluster(services, site, tmp_path_factory):
    """Two workers sharing one folder: a function giving a run's environment for a state."""
    root = tmp_path_factory.mktemp("cluster")
    shared = root / "shared"
    shared.mkdir()
    worker_env = base_env(services, root / "workers", shared, site.base_url)
    workers = [Worker(name, worker_env, root / "workers") for name in ("w1", "w2")]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.wait_ready()

        def env_for(state: Path) -> dict[str, str]:
            return dict(
                base_env(services, state, shared, site.base_url),
                VEILLE_SOURCES=worker_env["VEILLE_SOURCES"],
            )

        yield env_for, workers, shared
    finally:
        for worker in workers:
            worker.stop()


def _instance(env: dict[str, str]) -> dg.DagsterInstance:
    from assets.runner import distributed_instance

    saved = {k: os.environ.get(k) for k in env if k.startswith("VEILLE_PG_")}
    os.environ.update({k: v for k, v in env.items() if k.startswith("VEILLE_PG_")})
    try:
        return distributed_instance(env["VEILLE_DISTRIBUTED_HOME"])
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _worker_of_steps(instance: dg.DagsterInstance, run_id: str) -> dict[str, list[str]]:
    """Step key -> the Celery workers that started it, in order, from Postgres's event log."""
    ran: dict[str, list[str]] = {}
    for record in instance.all_logs(run_id):
        event = record.dagster_event
        if event and event.is_engine_event and EXECUTING in (event.message or ""):
            metadata = event.engine_event_data.metadata
            ran.setdefault(event.step_key, []).append(metadata["Celery worker"].value)
    return ran


def _run_of(instance: dg.DagsterInstance, command_pid: int) -> dg.DagsterRun:
    """The one run the `veille run` process `command_pid` started (tagged with its pid)."""
    (run,) = instance.get_runs(
        filters=dg.RunsFilter(job_name="distributed_backfill_job", tags={PID_TAG: str(command_pid)})
    )
    return run


def _run_env(cluster, tmp_path: Path) -> dict[str, str]:
    env_for, _, _ = cluster
    return env_for(tmp_path)


def test_four_days_on_two_workers_give_the_rows_of_one_machine(cluster, serial, tmp_path):
    env = _run_env(cluster, tmp_path)
    command = distributed_run(env, *RANGE)
    code, out, err = finish(command)
    assert code == 0, err[-3000:]
    assert "4/4 day(s) loaded" in out
    assert content(tmp_path / "data" / "veille.duckdb") == serial

    with _instance(env) as instance:
        run = _run_of(instance, command.pid)
        assert run.status == dg.DagsterRunStatus.SUCCESS
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        ran = _worker_of_steps(instance, run.run_id)
    day_steps = {key: who for key, who in ran.items() if key.startswith("lake_day[")}
    assert sorted(day_steps) == [f"lake_day[{d.replace('-', '_')}]" for d in DAYS]
    workers = {who[0].split("@")[0] for who in day_steps.values()}
    assert workers == {"w1", "w2"}, ran


def test_a_worker_killed_mid_day_is_retried_without_duplicates(cluster, serial, tmp_path):
    env = _run_env(cluster, tmp_path)
    _, workers, shared = cluster
    run = distributed_run(env, *RANGE)
    killed: tuple[str, int] | None = None
    try:
        deadline = time.monotonic() + 120
        while killed is None and time.monotonic() < deadline and run.poll() is None:
            for worker in workers:
                found = worker.day_processes()
                if not found:
                    continue
                time.sleep(0.5)  # into the day: fetching or extracting
                if found[0] in worker.day_processes():  # still in that day
                    killed = found[0]
                    os.kill(killed[1], signal.SIGKILL)
                    break
            time.sleep(0.1)
    finally:
        code, out, err = finish(run)
    assert killed is not None, "no day was seen running on a worker"
    assert code == 0, err[-3000:]
    assert content(tmp_path / "data" / "veille.duckdb") == serial

    day, _ = killed
    with _instance(env) as instance:
        ran = _worker_of_steps(instance, _run_of(instance, run.pid).run_id)
    assert len(ran[f"lake_day[{day.replace('-', '_')}]"]) == 2, ran
    # The lake holds one attempt per day: the killed one never became current and is gone.
    for each in DAYS:
        folder = day_folder(shared / "lake", date.fromisoformat(each))
        attempts = [p for p in folder.iterdir() if p.is_dir()]
        assert len(attempts) == 1, attempts


def test_two_runs_at_once_both_land_while_an_analyst_reads(cluster, serial, tmp_path):
    env = _run_env(cluster, tmp_path)
    db = tmp_path / "data" / "veille.duckdb"
    # The analyst's snapshot before: the first two days, published by a first run.
    code, _, err = finish(distributed_run(env, "--from", DAYS[0], "--to", DAYS[1]))
    assert code == 0, err[-3000:]

    analyst = duckdb.connect(str(db), read_only=True)
    (before,) = analyst.execute("SELECT count(*) FROM mentions").fetchone()
    seen: list[int] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def read_all_along() -> None:
        while not stop.is_set():
            try:
                seen.append(analyst.execute("SELECT count(*) FROM mentions").fetchone()[0])
            except BaseException as exc:  # noqa: BLE001  (reported by the test)
                errors.append(exc)
                return
            time.sleep(0.05)

    reader = threading.Thread(target=read_all_along)
    reader.start()
    try:
        first = distributed_run(env, "--date", DAYS[2])
        second = distributed_run(env, "--date", DAYS[3])
        results = [finish(first), finish(second)]
        queries_during_runs = len(seen)
    finally:
        stop.set()
        reader.join(timeout=30)
    for code, _, err in results:
        assert code == 0, err[-3000:]
    assert not errors
    assert queries_during_runs > 0 and set(seen) == {before}
    analyst.close()

    after = content(db)
    assert after["days"] == serial["days"]
    assert after == serial
