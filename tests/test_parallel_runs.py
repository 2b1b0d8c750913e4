"""`veille run --workers 2`: one Dagster run whose days are parallel steps, loading what one
process loads, and publishing nothing when a day fails a blocking check.

Every run is a real `veille run` on the demo site on loopback, with real Dagster (its
multiprocess executor), DuckDB and spaCy; the Dagster instance is read back from the
`$DAGSTER_HOME` the run used.
"""

import hashlib
import shutil
from datetime import date
from itertools import combinations

import dagster as dg
import duckdb
import pytest

from demo.site import start_demo_site
from pipeline.warehouse.storage import read_sql, work_path
from tests.runs import content, veille_run

RANGE = ("--from", "2026-11-02", "--to", "2026-11-05")
DAYS = ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05"]
DAILY_ASSETS = ("feed_entries", "raw_pages", "articles", "mentions", "warehouse")
STEP_EVENTS = {
    dg.DagsterEventType.STEP_START,
    dg.DagsterEventType.STEP_SUCCESS,
    dg.DagsterEventType.STEP_FAILURE,
}


@pytest.fixture(scope="module")
def site():
    with start_demo_site() as demo:
        yield demo


@pytest.fixture(scope="module")
def serial(site, tmp_path_factory):
    """Four demo days, one process, one run per day."""
    state = tmp_path_factory.mktemp("serial")
    result = veille_run(state, site.base_url, *RANGE)
    assert result.returncode == 0, result.stderr[-2000:]
    return state


@pytest.fixture(scope="module")
def parallel(site, tmp_path_factory):
    """The same four days with `--workers 2`: the state and the finished command."""
    state = tmp_path_factory.mktemp("parallel")
    return state, veille_run(state, site.base_url, *RANGE, "--workers", "2")


@pytest.fixture(scope="module")
def instance(parallel):
    state, _ = parallel
    with dg.DagsterInstance.from_config(str(state / "dagster_home")) as instance:
        yield instance


def test_two_workers_load_the_same_data_as_one(serial, parallel):
    state, result = parallel
    assert result.returncode == 0, result.stderr[-2000:]
    assert "4 days in 2 processes" in result.stdout
    started = [line for line in result.stdout.splitlines() if "started (process" in line]
    assert sorted(line.split()[0] for line in started) == DAYS
    assert len({line.split("process ")[1] for line in started}) >= 2
    assert "4/4 day(s) loaded" in result.stdout
    assert content(state / "data" / "veille.duckdb") == content(serial / "data" / "veille.duckdb")


def test_one_dagster_run_whose_days_ran_in_parallel_processes(parallel, instance):
    _, result = parallel
    assert result.returncode == 0, result.stderr[-2000:]
    (run,) = instance.get_runs()
    assert run.job_name == "backfill_job" and run.status == dg.DagsterRunStatus.SUCCESS
    assert run.run_config["execution"]["config"]["max_concurrent"] == 2
    records = instance.all_logs(run.run_id)
    engine = [r.message for r in records if r.is_dagster_event and r.dagster_event.is_engine_event]
    assert any("using multiprocess executor" in message for message in engine), engine

    steps: dict[str, dict] = {}
    for record in records:
        event = record.dagster_event
        if event and event.step_key and event.step_key.startswith("load_day["):
            step = steps.setdefault(event.step_key, {})
            if event.is_step_start:
                step["start"], step["pid"] = record.timestamp, event.pid
            elif event.is_step_success:
                step["end"], step["end_pid"] = record.timestamp, event.pid
    assert sorted(steps) == [f"load_day[{d.replace('-', '_')}]" for d in DAYS]
    assert all(s["pid"] == s["end_pid"] for s in steps.values())
    pids = {s["pid"] for s in steps.values()}
    assert len(pids) >= 2 and int(run.tags["veille/pid"]) not in pids
    overlapping = [
        (a, b)
        for (a, sa), (b, sb) in combinations(steps.items(), 2)
        if sa["start"] < sb["end"] and sb["start"] < sa["end"]
    ]
    assert overlapping, steps


def test_the_days_are_materialized_partitions_with_their_checks(parallel, instance):
    for asset in DAILY_ASSETS:
        assert set(DAYS) <= instance.get_materialized_partitions(dg.AssetKey(asset)), asset
    (run,) = instance.get_runs()
    evaluations = [
        record.dagster_event.event_specific_data
        for record in instance.all_logs(
            run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION
        )
    ]
    blocking = {(e.check_name, e.partition) for e in evaluations if e.blocking and e.passed}
    assert blocking == {
        (check, day)
        for check in ("mention_offsets_match_text", "article_ids_unique")
        for day in DAYS
    }


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_day_failing_a_blocking_check_stops_the_publish(site, serial, tmp_path):
    shutil.copytree(serial, tmp_path, dirs_exist_ok=True)
    db = tmp_path / "data" / "veille.duckdb"
    before, before_sha = content(db), _sha256(db)

    result = veille_run(
        tmp_path,
        site.base_url,
        "--from",
        "2026-11-03",
        "--to",
        "2026-11-04",
        "--workers",
        "2",
        fault="bad-offsets:2026-11-03",
    )

    assert result.returncode == 1, result.stderr[-2000:]
    assert "2026-11-03 FAILED" in result.stderr
    failure = next(line for line in result.stderr.splitlines() if "load_day[2026_11_03]:" in line)
    assert "mention_offsets_match_text" in failure and "2026-11-03" in failure
    assert "2026-11-04 FAILED" not in result.stderr and "1/2 day(s) loaded" in result.stdout
    assert "not published" in result.stderr
    assert _sha256(db) == before_sha and content(db) == before
    # The bad mention is in the working database: the check stopped it from going further.
    with duckdb.connect(str(work_path(db)), read_only=True) as con:
        bad = con.execute(read_sql("checks/mention_offsets.sql"), [date(2026, 11, 3)]).fetchall()
    assert len(bad) == 1
    with dg.DagsterInstance.from_config(str(tmp_path / "dagster_home")) as instance:
        run = instance.get_runs(limit=1)[0]
        assert run.job_name == "backfill_job" and run.status == dg.DagsterRunStatus.FAILURE
        events = {
            (r.dagster_event.step_key, r.dagster_event.event_type)
            for r in instance.all_logs(run.run_id, of_type=STEP_EVENTS)
        }
    assert ("load_day[2026_11_03]", dg.DagsterEventType.STEP_FAILURE) in events
    assert ("load_day[2026_11_04]", dg.DagsterEventType.STEP_SUCCESS) in events
    assert all(step != "publish" for step, _ in events)  # never started

    # The day stays held back: a later clean run loads its own day but publishes nothing.
    with duckdb.connect(str(work_path(db)), read_only=True) as con:
        blocked = con.execute("SELECT partition_date, check_name FROM blocked_days").fetchall()
    assert blocked == [(date(2026, 11, 3), "mention_offsets_match_text")]
    later = veille_run(tmp_path, site.base_url, "--date", "2026-11-05")
    assert later.returncode == 1, later.stderr[-2000:]
    assert "not published: data failing a blocking check is stored for 2026-11-03" in later.stderr
    assert "veille run --date 2026-11-03" in later.stderr
    assert _sha256(db) == before_sha

    # Run clean, the day passes its checks and the snapshot is the one a clean run publishes.
    again = veille_run(tmp_path, site.base_url, "--date", "2026-11-03")
    assert again.returncode == 0, again.stderr[-2000:]
    assert content(db) == content(serial / "data" / "veille.duckdb")
