"""How close `Fetcher.get_many` comes to the politeness bound: many loopback hosts, slow pages.

Run: `.venv/bin/python bench/fetch.py` (about a minute). It serves `--pages` pages spread over
`--hosts` loopback hosts (127.0.0.2 upwards, one ThreadingHTTPServer each, `--latency` s per
page), fetches them all with one minimum delay per host, and prints the wall time, the bound
set by politeness alone, their ratio (goal >= 0.9), the smallest gap seen between two requests
to one host, and peak memory. Nothing leaves the machine; the servers stop with the script.
"""

from __future__ import annotations

import argparse
import resource
import sys
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/results.py
from results import print_results, result_row  # noqa: E402

from pipeline.collect.fetch import Fetcher, FetchRequest, HttpSettings  # noqa: E402

PARAGRAPH = (
    "<p>La communauté d’agglomération annonce une aide de 120 000 euros à la grappe "
    "d’entreprises de la céramique, réunie mardi à Limoges autour de onze industriels.</p>\n"
)
PAGE = ("<!DOCTYPE html><html lang='fr'><body><article>" + PARAGRAPH * 60 + "</article>").encode()


class _Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, latency_s: float) -> None:
        self.latency_s = latency_s
        self.starts: list[float] = []
        self.lock = threading.Lock()
        super().__init__((host, 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Site

    def do_GET(self) -> None:  # noqa: N802
        with self.server.lock:
            self.server.starts.append(time.monotonic())
        if self.path == "/robots.txt":
            self.send_error(404)
            return
        time.sleep(self.server.latency_s)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    """Start the hosts, fetch every page once, print the figures, stop the hosts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per page")
    parser.add_argument("--delay", type=float, default=1.0, help="min delay per host, seconds")
    parser.add_argument("--workers", type=int, default=8, help="requests in flight, all hosts")
    args = parser.parse_args()
    if not 1 <= args.hosts <= 250:
        parser.error("--hosts must be between 1 and 250 (127.0.0.2 to 127.0.0.251)")

    sites = [_Site(f"127.0.0.{2 + n}", args.latency) for n in range(args.hosts)]
    threads = [
        threading.Thread(target=site.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        for site in sites
    ]
    for thread in threads:
        thread.start()
    requests = [
        FetchRequest(
            f"http://{sites[i % args.hosts].server_address[0]}:"
            f"{sites[i % args.hosts].server_address[1]}/p{i}",
            allow_private=True,
        )
        for i in range(args.pages)
    ]
    settings = HttpSettings(
        user_agent="veille-bench/0.1 (+https://github.com/veille-project/veille)",
        min_delay_s=args.delay,
        max_workers=args.workers,
        timeout_s=10.0,
        retries=0,
    )
    failures: dict[str, int] = defaultdict(int)
    fetched_bytes = 0
    started = time.monotonic()
    try:
        for result in Fetcher(settings).get_many(requests):
            if result.ok:
                fetched_bytes += len(result.body)
            else:
                failures[result.error or "?"] += 1
        wall = time.monotonic() - started
    finally:
        for site in sites:
            site.shutdown()
            site.server_close()

    per_host = -(-args.pages // args.hosts)  # pages on the busiest host
    bound = per_host * args.delay
    gaps = [
        later - earlier
        for site in sites
        for earlier, later in zip(sorted(site.starts), sorted(site.starts)[1:], strict=False)
    ]
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pages: {args.pages} on {args.hosts} hosts, {args.latency:g} s latency each")
    print(f"settings: min_delay {args.delay:g} s per host, max_workers {args.workers}")
    print(f"fetched: {args.pages - sum(failures.values())} ok, {fetched_bytes / 1e6:.1f} MB")
    for error, count in sorted(failures.items()):
        print(f"  failed x{count}: {error}")
    print(f"wall time: {wall:.1f} s")
    print(f"politeness bound: {bound:.1f} s ({per_host} pages per host at 1 per {args.delay:g} s)")
    print(f"bound / wall: {bound / wall:.3f} (goal >= 0.9)")
    print(f"smallest gap between two requests to one host: {min(gaps):.3f} s (robots.txt included)")
    print(f"peak memory (ru_maxrss, servers included): {peak_mib:.0f} MiB")
    print_bench_result(bound / wall, args)


RATIO_GOAL = 0.9


def print_bench_result(efficiency: float, args: argparse.Namespace) -> None:
    """The machine-readable line `bench/run_all.py` collects."""
    measure = f"politeness bound / wall time, {args.pages} pages on {args.hosts} hosts"
    print_results([result_row("fetch politeness", measure, efficiency, "x", RATIO_GOAL, "min")])


if __name__ == "__main__":
    main()
