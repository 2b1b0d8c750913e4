"""Peak memory, wall time and throughput of a backfill: `veille run --from --to` over N articles.

    .venv/bin/python bench/backfill_memory.py                           # 10,000 articles, 20 days
    .venv/bin/python bench/backfill_memory.py --articles 1000 --days 5  # a quick run
    .venv/bin/python bench/backfill_memory.py --workers 2               # days two at a time

Serves N demo-style articles spread over D days from loopback hosts (`bench/loopback_site.py`:
a feed for the last day, a news sitemap per day), then runs `veille run --from FIRST --to LAST`
as a subprocess with its state in a temporary folder and no politeness delay. Its memory is
read two ways: the proportional set size (PSS: RSS with shared pages split, so a forked child
is not counted twice) of the process and its children summed, polled from /proc every 0.2 s,
and the largest `ru_maxrss` of a child once it has ended (the kernel's exact peak of one
process). The larger is compared with the goal of under 2 GB (2,000 MB). At 10,000
articles this takes about 15 to 20 minutes on the 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script from any folder
sys.path.insert(0, str(REPO / "bench"))
from results import print_results, result_row  # noqa: E402

BOUND_MB = 2000.0
POLL_S = 0.2
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


def tree_pids(pid: int) -> list[int]:
    """`pid` and all its descendants still running (from /proc/PID/task/TID/children)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                text = Path(f"/proc/{current}/task/{task}/children").read_text()
            except OSError:
                continue
            queue += [int(child) for child in text.split()]
    return found


def memory_bytes(pid: int) -> int:
    """One process's proportional set size now (its RSS with shared pages split among the
    processes sharing them, so a forked child is not counted twice); RSS if PSS is unreadable,
    0 once the process has gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_BYTES
    except (OSError, IndexError, ValueError):
        return 0


def run_and_watch(
    command: list[str], env: dict, cwd: Path, log: Path
) -> tuple[int, float, int, int]:
    """Run `command`, polling its process tree's memory.

    Returns (exit code, seconds, peak tree bytes, most processes seen at once)."""
    peak = processes = 0
    started = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        while process.poll() is None:
            pids = tree_pids(process.pid)
            processes = max(processes, len(pids))
            peak = max(peak, sum(memory_bytes(pid) for pid in pids))
            time.sleep(POLL_S)
    return process.returncode, time.perf_counter() - started, peak, processes


def stored_articles(db: Path) -> int:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT count(*) FROM articles").fetchone()[0]


def bench_rows(peak_mb: float, seconds: float, stored: int, args: argparse.Namespace) -> list:
    workers = f" --workers {args.workers}" if args.workers > 1 else ""
    return [
        result_row(
            "backfill memory",
            f"peak memory of `veille run --from --to{workers}`, {stored} articles "
            f"over {args.days} days (MB)",
            peak_mb,
            "MB",
            BOUND_MB,
            "max",
            digits=1,
            strict=True,
            note=f"wall {seconds:.0f} s, {stored / seconds:.1f} articles/s, "
            "Python and Dagster start-up and model load included",
        )
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="default 10,000")
    parser.add_argument("--days", type=int, default=20, help="default 20")
    parser.add_argument("--workers", type=int, default=1, help="days at once (default 1)")
    args = parser.parse_args(argv)

    from daily_noop import run_environment
    from loopback_site import start_loopback_site

    with (
        tempfile.TemporaryDirectory(prefix="veille-backfill-") as folder,
        start_loopback_site(args.articles, args.days) as site,
    ):
        state = Path(folder)
        sources = site.write_sources(state / "sources.yaml")
        db = state / "data" / "veille.duckdb"
        days = site.plan.day_list
        command = [
            sys.executable, "-m", "veille.cli", "run",
            "--from", days[0].isoformat(), "--to", days[-1].isoformat(),
            "--sources", str(sources), "--db", str(db), "--workers", str(args.workers),
        ]  # fmt: skip
        span = " ".join(command[4:8])
        print(f"{args.articles} articles over {args.days} days: veille run {span}", flush=True)
        code, seconds, tree_peak, processes = run_and_watch(
            command, run_environment(state), state, state / "run.log"
        )
        output = (state / "run.log").read_text(errors="replace")
        if code != 0:
            print("\n".join(output.splitlines()[-30:]), file=sys.stderr)
            print(f"veille run exited {code}", file=sys.stderr)
            return 1
        stored = stored_articles(db)
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # kB on Linux
    peak_mb = max(tree_peak, child_peak) / 1e6
    print(f"articles stored: {stored} of {args.articles}")
    print(f"wall time: {seconds:.1f} s ({stored / seconds:.1f} articles/s, start-up included)")
    print(
        f"peak PSS of the process tree (up to {processes} processes), polled every {POLL_S} s: "
        f"{tree_peak / 1e6:.0f} MB"
    )
    print(f"peak RSS, largest child (ru_maxrss): {child_peak / 1e6:.0f} MB")
    verdict = "meets" if peak_mb < BOUND_MB else "misses"
    print(f"peak: {peak_mb:.0f} MB ({verdict} the goal of under {BOUND_MB:.0f} MB)")
    print_results(bench_rows(peak_mb, seconds, stored, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
