"""Running `veille run` as a user would, and reading back what it left, for the slow tests."""

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from demo.site import demo_sources
from pipeline.sources import write_sources

REPO = Path(__file__).parent.parent


def _env(state: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VEILLE_", "DAGSTER_"))}
    env.update(
        PYTHONPATH=str(REPO),
        VEILLE_USER_AGENT="veille-test",
        VEILLE_HTTP_MIN_DELAY_MS="0",
        VEILLE_HTTP_TIMEOUT_S="10",
        DAGSTER_HOME=str(state / "dagster_home"),
    )
    env.update(extra or {})
    return env


def veille_command(
    state: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`veille ARGS` in a subprocess, in `state`, with the test environment (plus `env`)."""
    return subprocess.run(
        [sys.executable, "-m", "veille.cli", *args],
        cwd=state,
        env=_env(state, env),
        capture_output=True,
        text=True,
        timeout=600,
    )


def veille_run(
    state: Path,
    site_url: str,
    *args: str,
    crash_at: str | None = None,
    fault: str | None = None,
    sources: list[dict] | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """`veille run ARGS` in a subprocess, on the demo site, with its state under `state`.

    `crash_at` and `fault` set `VEILLE_CRASH_AT` and `VEILLE_FAULT` (pipeline/ops/faults.py);
    `sources` replaces the demo site's sources, `env` adds variables.
    """
    extra = dict(env or {})
    if crash_at:
        extra["VEILLE_CRASH_AT"] = crash_at
    if fault:
        extra["VEILLE_FAULT"] = fault
    path = write_sources(state / "sources.yaml", sources or demo_sources(site_url))
    db = str(state / "data" / "veille.duckdb")
    return veille_command(state, "run", *args, "--sources", str(path), "--db", db, env=extra)


def content(db: Path) -> dict:
    """What a run leaves for analysts, without the times that differ from run to run."""
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            "articles": con.execute(
                "SELECT * EXCLUDE (partition_date) FROM articles ORDER BY 1"
            ).fetchall(),
            "mentions": con.execute("SELECT * FROM mentions ORDER BY mention_id").fetchall(),
            "fetch_log": con.execute("SELECT * FROM fetch_log ORDER BY ALL").fetchall(),
            "days": con.execute("SELECT DISTINCT partition_date FROM runs ORDER BY 1").fetchall(),
        }
