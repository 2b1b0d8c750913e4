"""Wall time, throughput and peak memory per process of a backfill on the distributed profile.

    .venv/bin/python bench/distributed_backfill.py --articles 1200 --days 4 --workers 1 2

Starts a private Postgres and Redis (`scripts/services.sh`, free loopback ports), serves N
demo-style articles over D days from loopback hosts (`bench/loopback_site.py`, as
`bench/backfill_memory.py` does), starts K `celery worker` processes (one day at a time each,
as on K machines) and times `veille run --profile distributed --from FIRST --to LAST`, once per
K given. The workers are started and have loaded the model before the clock starts: they are
long-running services. Each process's proportional set size (PSS) is polled from /proc every
0.2 s; its peak is reported per process: the command, and each worker's supervisor and pool
process.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script from any folder
sys.path.insert(0, str(REPO / "bench"))
from backfill_memory import POLL_S, memory_bytes, stored_articles, tree_pids  # noqa: E402
from daily_noop import run_environment  # noqa: E402
from loopback_site import start_loopback_site  # noqa: E402
from results import print_results, result_row  # noqa: E402

from tests.distributed_harness import Services, Worker  # noqa: E402


def _label(pid: int, roots: dict[int, str]) -> str:
    for root, name in roots.items():
        if pid == root:
            return f"{name} (main)"
        if pid in tree_pids(root):
            return f"{name} (pool)" if name != "command" else "command (child)"
    return f"pid {pid}"


def one_backfill(
    services: dict[str, str], site, articles: int, days: int, workers: int, state: Path
) -> dict:
    """One distributed backfill with `workers` workers; its figures."""
    shared = state / "shared"
    shared.mkdir(parents=True)
    sources = site.write_sources(state / "sources.yaml")
    env = run_environment(state)
    env.update(services)
    env.update(
        VEILLE_SOURCES=str(sources),
        VEILLE_DB=str(state / "data" / "veille.duckdb"),
        VEILLE_SHARED=str(shared),
        VEILLE_DISTRIBUTED_HOME=str(state / "dagster_home"),
        VEILLE_SPACY_MODEL="fr_core_news_md",
    )
    pool = [Worker(f"w{i + 1}", env, state / "workers") for i in range(workers)]
    try:
        for worker in pool:
            worker.start()
        for worker in pool:
            worker.wait_ready()
        day_list = site.plan.day_list
        command = [
            sys.executable, "-m", "veille.cli", "run", "--profile", "distributed",
            "--from", day_list[0].isoformat(), "--to", day_list[-1].isoformat(),
        ]  # fmt: skip
        peaks: dict[int, int] = {}
        started = time.perf_counter()
        with (state / "run.log").open("w") as out:
            process = subprocess.Popen(
                command, cwd=state, env=env, stdout=out, stderr=subprocess.STDOUT
            )
            roots = {process.pid: "command"}
            roots.update({w.process.pid: w.name for w in pool})
            labels: dict[int, str] = {}
            while process.poll() is None:
                for root in roots:
                    for pid in tree_pids(root):
                        peaks[pid] = max(peaks.get(pid, 0), memory_bytes(pid))
                        labels.setdefault(pid, _label(pid, roots))
                time.sleep(POLL_S)
        seconds = time.perf_counter() - started
        if process.returncode != 0:
            tail = (state / "run.log").read_text(errors="replace").splitlines()[-30:]
            raise RuntimeError("\n".join(tail))
        lake_lines = lake_log(env)
    finally:
        for worker in pool:
            worker.stop()
    stored = stored_articles(state / "data" / "veille.duckdb")
    by_label: dict[str, int] = {}
    for pid, peak in peaks.items():
        by_label[labels[pid]] = max(by_label.get(labels[pid], 0), peak)
    return {
        "workers": workers,
        "seconds": seconds,
        "stored": stored,
        "peaks": by_label,
        "lake": lake_lines,
    }


def lake_log(env: dict[str, str]) -> list[str]:
    """The lake's lines of the run's event log in Postgres: each day's write, the merge, and
    each day step's wall time."""
    import dagster as dg

    from assets.runner import distributed_instance

    os.environ.update({k: v for k, v in env.items() if k.startswith("VEILLE_PG_")})
    lines = []
    with distributed_instance(env["VEILLE_DISTRIBUTED_HOME"]) as instance:
        (run,) = instance.get_runs(limit=1)
        started: dict[str, float] = {}
        for record in instance.all_logs(run.run_id):
            message = record.user_message or ""
            if "to the lake in" in message or "from the lake in" in message:
                lines.append(message)
            event = record.dagster_event
            if event and event.event_type == dg.DagsterEventType.STEP_START:
                started[event.step_key] = record.timestamp
            elif event and event.event_type == dg.DagsterEventType.STEP_SUCCESS:
                took = record.timestamp - started.get(event.step_key, record.timestamp)
                lines.append(f"step {event.step_key}: {took:.1f} s")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1200, help="default 1,200")
    parser.add_argument("--days", type=int, default=4, help="default 4")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="default 1 2")
    args = parser.parse_args(argv)

    services = Services()
    rows = []
    try:
        settings = services.start()
        for workers in args.workers:
            with (
                tempfile.TemporaryDirectory(prefix="veille-distributed-") as folder,
                start_loopback_site(args.articles, args.days) as site,
            ):
                result = one_backfill(
                    settings, site, args.articles, args.days, workers, Path(folder)
                )
            rate = result["stored"] / result["seconds"]
            print(
                f"{workers} worker(s): {result['stored']} articles over {args.days} days in "
                f"{result['seconds']:.1f} s ({rate:.1f} articles/s)",
                flush=True,
            )
            for label, peak in sorted(result["peaks"].items()):
                print(f"  peak PSS {label}: {peak / 2**20:.0f} MiB", flush=True)
            for line in result["lake"]:
                print(f"  {line}", flush=True)
            biggest = max(result["peaks"].values()) / 1e6
            rows.append(
                result_row(
                    "distributed backfill",
                    f"largest peak memory of one process, `veille run --profile distributed`, "
                    f"{workers} Celery worker(s), {result['stored']} articles over "
                    f"{args.days} days (MB)",
                    biggest,
                    "MB",
                    2000.0,
                    "max",
                    digits=1,
                    strict=True,
                    note=f"wall {result['seconds']:.0f} s, {rate:.1f} articles/s, workers "
                    "started beforehand",
                )
            )
    finally:
        services.stop()
    print_results(rows)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONPATH", str(REPO))
    sys.exit(main())
