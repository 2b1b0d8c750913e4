"""Wall time of a daily run that finds no new article, Python and Dagster start-up included.

    .venv/bin/python bench/daily_noop.py            # about 1.5 minutes
    .venv/bin/python bench/daily_noop.py --runs 5

Starts the demo site (`demo.site.start_demo_site`) on loopback, runs `veille run --date
2026-11-03` once as a subprocess to create the database, the raw archive, the feed state and
DAGSTER_HOME in a temporary folder, then times `veille run --date 2026-11-20` (a day the demo
has no article for) as a subprocess, from launch to exit: interpreter start, imports, Dagster
instance, the spaCy model if the run loads it, reading every feed, the warehouse load and
publish. Repeated `--runs` times; the median is compared with the goal of 20 s.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script from any folder
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/results.py
from results import print_results, result_row  # noqa: E402

BOUND_S = 20.0
WARM_DAY = "2026-11-03"
EMPTY_DAY = "2026-11-20"


def run_environment(state: Path) -> dict[str, str]:
    """The environment of a `veille run` subprocess (as tests/runs.py builds it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VEILLE_", "DAGSTER_"))}
    env.update(
        PYTHONPATH=str(REPO),
        VEILLE_USER_AGENT="veille-bench/0.1",
        VEILLE_HTTP_MIN_DELAY_MS="0",
        VEILLE_HTTP_TIMEOUT_S="10",
        DAGSTER_HOME=str(state / "dagster_home"),
    )
    return env


def veille_run(state: Path, sources: Path, day: str) -> tuple[float, subprocess.CompletedProcess]:
    """Run `veille run --date DAY` in a subprocess; (wall seconds, completed process)."""
    command = [
        sys.executable,
        "-m",
        "veille.cli",
        "run",
        "--date",
        day,
        "--sources",
        str(sources),
        "--db",
        str(state / "data" / "veille.duckdb"),
    ]
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=state, env=run_environment(state), capture_output=True, text=True, timeout=600
    )
    return time.perf_counter() - started, done


def run_seconds(done: subprocess.CompletedProcess) -> float | None:
    """The time `veille run` reports for the run itself (after imports, before its summary)."""
    found = re.search(r"day\(s\) loaded in ([0-9.]+) s", done.stdout)
    return float(found.group(1)) if found else None


def check(done: subprocess.CompletedProcess, day: str) -> None:
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-20:])
        raise SystemExit(f"veille run --date {day} exited {done.returncode}:\n{tail}")


def bench_row(median_s: float, runs: int) -> dict:
    return result_row(
        "daily run, no new article",
        f"wall time of `veille run --date {EMPTY_DAY}`, median of {runs} (s)",
        median_s,
        "s",
        BOUND_S,
        "max",
        digits=2,
        strict=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs (default 3)")
    args = parser.parse_args(argv)

    from demo.site import demo_sources, start_demo_site
    from pipeline.sources import write_sources

    with tempfile.TemporaryDirectory(prefix="veille-noop-") as folder, start_demo_site() as site:
        state = Path(folder)
        sources = write_sources(state / "sources.yaml", demo_sources(site.base_url))
        warm_s, done = veille_run(state, sources, WARM_DAY)
        check(done, WARM_DAY)
        print(f"warm-up run --date {WARM_DAY}: {warm_s:.1f} s")
        times = []
        for number in range(args.runs):
            seconds, done = veille_run(state, sources, EMPTY_DAY)
            check(done, EMPTY_DAY)
            times.append(seconds)
            inner = run_seconds(done)
            split = f" (the run itself {inner:.1f} s, the rest start-up)" if inner else ""
            print(f"run {number + 1} --date {EMPTY_DAY}: {seconds:.1f} s{split}", flush=True)
    median = statistics.median(times)
    verdict = "meets" if median < BOUND_S else "misses"
    print(f"median: {median:.1f} s ({verdict} the goal of under {BOUND_S:.0f} s)")
    print_results([bench_row(median, args.runs)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
