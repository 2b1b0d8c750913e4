"""Running `veille run` as a user would, and reading back what it left, for the slow tests."""

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from demo.site import demo_sources
from pipeline.sources import write_sources

REPO = Path(__file__).parent.parent


def veille_run(
    state: Path, site_url: str, *args: str, crash_at: str | None = None, fault: str | None = None
) -> subprocess.CompletedProcess:
    """`veille run ARGS` in a subprocess, on the demo site, with its state under `state`.

    `crash_at` and `fault` set `VEILLE_CRASH_AT` and `VEILLE_FAULT` (pipeline/faults.py).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VEILLE_", "DAGSTER_"))}
    env.update(
        PYTHONPATH=str(REPO),
        VEILLE_USER_AGENT="veille-test",
        VEILLE_HTTP_MIN_DELAY_MS="0",
        VEILLE_HTTP_TIMEOUT_S="10",
        DAGSTER_HOME=str(state / "dagster_home"),
    )
    if crash_at:
        env["VEILLE_CRASH_AT"] = crash_at
    if fault:
        env["VEILLE_FAULT"] = fault
    sources = write_sources(state / "sources.yaml", demo_sources(site_url))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "veille.cli",
            "run",
            *args,
            "--sources",
            str(sources),
            "--db",
            str(state / "data" / "veille.duckdb"),
        ],
        cwd=state,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


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
