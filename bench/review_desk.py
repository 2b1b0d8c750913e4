"""The review desk after a year of decisions: reviewers filtering and deciding while a publish runs.

    .venv/bin/python bench/review_desk.py          # 1,000,000 articles, 500,000 decisions
    .venv/bin/python bench/review_desk.py --articles 100000 --decisions 50000     # quicker

Builds the synthetic warehouse of `bench/warehouse.py` (its generator, same arguments), appends
`--decisions` review decisions to the review store (accepted, rejected and corrected, some
mentions decided twice, as `warehouse.review_decisions` draws them), publishes, then serves the
desk with `veille review` in its own process. `--reviewers` threads, each logged in as its own
reviewer over HTTP, loop for `--seconds`: open the queue with a filter (type, région, status,
search, a later page), open an article of that page, accept or reject a mention of it, with
`--think` seconds between actions. A third of the way in, `veille publish` runs in another
process, as the daily run would.

Goals: p95 under 300 ms for the queue, the article page and a decision; no decision lost (each
decision the desk acknowledged is in the store, and in the snapshot after a last publish).
The last line, `BENCH-RESULT [...]`, gives the rows for `run_all.py`.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script from any folder
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/results.py, bench/warehouse.py
from results import print_results, result_row  # noqa: E402

P95_BOUND_S = 0.3
PASSWORD = "banc-d-essai-revue-7419"
SEED = 20251231
KINDS = ("cluster", "official", "funding", "location", "quote")
REGIONS = ("Bretagne", "Occitanie", "Île-de-France", "Nouvelle-Aquitaine", "Grand Est")
WORDS = ("pôle", "région", "millions", "innovation", "président", "cluster")
REASONS = ("hors sujet", "mauvaise entité", "erreur d'extraction", "doublon")


def veille(*args: str, db: Path) -> subprocess.CompletedProcess:
    """Run the `veille` command as a user would, on this benchmark's database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VEILLE_")}
    env.update(PYTHONPATH=str(REPO), VEILLE_DB=str(db))
    return subprocess.run(
        [sys.executable, "-m", "veille.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def add_decisions(db: Path, articles: int, count: int) -> int:
    """Append about `count` decisions drawn like the warehouse generator's to the store."""
    import warehouse

    from pipeline.warehouse.storage import connect_work

    dimensions = warehouse.build_dimensions(warehouse.scale_counts(articles), SEED)
    with connect_work(db) as con:
        drawn = warehouse.review_decisions(con, dimensions, int(count / 1.1), SEED + 1)
    for start in range(0, len(drawn), 50_000):
        warehouse.record_decisions(db, drawn[start : start + 50_000])
    return len(drawn)


def store_count(db: Path, reviewer_prefix: str | None = None) -> int:
    from pipeline.warehouse.review_store import store_path

    with sqlite3.connect(store_path(db)) as con:
        if reviewer_prefix is None:
            return con.execute("SELECT count(*) FROM decisions").fetchone()[0]
        return con.execute(
            "SELECT count(*) FROM decisions WHERE reviewer LIKE ?", [reviewer_prefix + "%"]
        ).fetchone()[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Reviewer(threading.Thread):
    """One reviewer's session: filter, open an article, decide; timings per kind of request."""

    KINDS = ("queue", "article", "decision")

    def __init__(self, base: str, name: str, deadline: float, think: float, seed: int) -> None:
        super().__init__(daemon=True)
        import httpx

        self.client = httpx.Client(base_url=base, timeout=120)
        self.name, self.deadline, self.think = name, deadline, think
        self.rng = random.Random(seed)
        self.timings: dict[str, list[float]] = {kind: [] for kind in self.KINDS}
        self.stamps: dict[str, list[float]] = {kind: [] for kind in self.KINDS}
        self.errors: list[str] = []
        self.decided: list[tuple[str, str]] = []

    def _timed(self, kind: str, method: str, url: str, **options: Any) -> Any:
        begun = time.perf_counter()
        response = self.client.request(method, url, **options)
        self.timings[kind].append(time.perf_counter() - begun)
        self.stamps[kind].append(time.monotonic())
        if response.status_code not in (200, 303):
            self.errors.append(f"{kind} {url}: {response.status_code}")
        return response

    def login(self) -> None:
        page = self.client.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        done = self.client.post(
            "/login", data={"name": self.name, "password": PASSWORD, "csrf": token}
        )
        if done.status_code != 303 and "File de revue" not in done.text:
            raise RuntimeError(f"{self.name} could not log in: {done.status_code}")

    def filter_params(self) -> dict[str, str]:
        choice = self.rng.randrange(6)
        if choice == 0:
            return {}
        if choice == 1:
            return {"kind": self.rng.choice(KINDS)}
        if choice == 2:
            return {"region": self.rng.choice(REGIONS)}
        if choice == 3:
            return {"status": "all", "q": self.rng.choice(WORDS)}
        if choice == 4:
            return {"kind": "funding", "status": "validated"}
        return {"page": str(self.rng.randrange(2, 6))}

    def run(self) -> None:
        try:
            self.login()
            while time.monotonic() < self.deadline:
                self.one_round()
        except Exception as exc:  # reported with the figures, not swallowed
            self.errors.append(f"{type(exc).__name__}: {exc}")

    def one_round(self) -> None:
        queue = self._timed("queue", "GET", "/", params=self.filter_params())
        time.sleep(self.think)
        mentions = re.findall(r'action="/mention/([0-9a-f]+)/accept"', queue.text)
        articles = re.findall(r'href="/article/([0-9a-f]+)[?#"]', queue.text)
        csrf = re.search(r'name="csrf" value="([^"]+)"', queue.text)
        if articles:
            self._timed("article", "GET", f"/article/{self.rng.choice(articles)}")
            time.sleep(self.think)
        if mentions and csrf:
            mention = self.rng.choice(mentions)
            if self.rng.random() < 0.7:
                action, data = "accept", {}
            else:
                action, data = "reject", {"reason": self.rng.choice(REASONS)}
            response = self._timed(
                "decision",
                "POST",
                f"/mention/{mention}/{action}",
                data={"csrf": csrf.group(1), "next": "/", **data},
                follow_redirects=False,
            )
            if response.status_code == 303:
                self.decided.append((mention, action))
            time.sleep(self.think)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    import warehouse

    parser = warehouse.generation_parser(__doc__.split("\n")[0])
    parser.add_argument("--decisions", type=int, default=500_000, help="default 500,000")
    parser.add_argument("--reviewers", type=int, default=5, help="default 5")
    parser.add_argument("--seconds", type=float, default=120, help="how long they work (120)")
    parser.add_argument("--think", type=float, default=0.5, help="pause between actions (0.5)")
    args = parser.parse_args(argv)

    from pipeline.review.users import add_user
    from pipeline.warehouse.storage import work_path

    folder = args.dir or Path(tempfile.mkdtemp(prefix="veille-desk-", dir="/tmp"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "desk.duckdb"
    print(f"machine: {warehouse.machine()}; load average {os.getloadavg()}")
    desk = None
    try:
        if work_path(db).exists():
            print(f"reusing {work_path(db)} and its review store (delete them to regenerate)")
        else:
            print(f"generating {args.articles:,} articles ...", flush=True)
            begun = time.perf_counter()
            generated = warehouse.run_generation(db, args)
            print(
                f"  {generated['stored']['articles']:,} articles, "
                f"{generated['stored']['mentions']:,} mentions in "
                f"{time.perf_counter() - begun:.0f} s",
                flush=True,
            )
            begun = time.perf_counter()
            added = add_decisions(db, args.articles, args.decisions)
            print(f"  {added:,} more decisions in {time.perf_counter() - begun:.0f} s", flush=True)
        decisions_before = store_count(db)
        bench_before = store_count(db, "banc")
        begun = time.perf_counter()
        done = veille("publish", "--db", str(db), db=db)
        if done.returncode:
            raise RuntimeError(done.stderr)
        first_publish = time.perf_counter() - begun
        print(f"published in {first_publish:.1f} s ({decisions_before:,} decisions)", flush=True)
        names = [f"banc{i}" for i in range(args.reviewers)]
        for name in names:
            add_user(db, name, "reviewer", PASSWORD)

        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("VEILLE_")}
        env["PYTHONPATH"] = str(REPO)
        desk = subprocess.Popen(
            [sys.executable, "-m", "veille.cli", "review", "--db", str(db), "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        base = f"http://127.0.0.1:{port}"
        import httpx

        for _ in range(300):
            try:
                httpx.get(base + "/login", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        started = time.monotonic()
        deadline = started + args.seconds
        reviewers = [
            Reviewer(base, name, deadline, args.think, SEED + i) for i, name in enumerate(names)
        ]
        for reviewer in reviewers:
            reviewer.start()
        time.sleep(args.seconds / 3)
        print("publishing while the reviewers work ...", flush=True)
        begun = time.perf_counter()
        publish_window = (time.monotonic(), 0.0)
        during = veille("publish", "--db", str(db), db=db)
        publish_window = (publish_window[0], time.monotonic())
        publish_during = time.perf_counter() - begun
        if during.returncode:
            raise RuntimeError(during.stderr)
        print(f"  published in {publish_during:.1f} s", flush=True)
        for reviewer in reviewers:
            reviewer.join()
        acknowledged = sum(len(r.decided) for r in reviewers)
        stored = store_count(db, "banc") - bench_before
        final = veille("publish", "--db", str(db), db=db)
        if final.returncode:
            raise RuntimeError(final.stderr)
        import duckdb

        with duckdb.connect(str(db), read_only=True) as con:
            [(published,)] = con.execute(
                "SELECT count(*) FROM reviews WHERE reviewer LIKE 'banc%'"
            ).fetchall()
        published -= bench_before
        errors = [e for r in reviewers for e in r.errors]
    finally:
        if desk is not None:
            desk.terminate()
            try:
                desk.wait(timeout=30)
            except subprocess.TimeoutExpired:  # still answering: the figures are kept anyway
                desk.kill()
                desk.wait()
        if not args.keep and args.dir is None:
            shutil.rmtree(folder, ignore_errors=True)

    timings = {kind: [t for r in reviewers for t in r.timings[kind]] for kind in Reviewer.KINDS}
    print()
    print("| request | count | median (s) | p95 (s) | max (s) | bound p95 (s) | verdict |")
    print("|---|---:|---:|---:|---:|---:|---|")
    rows = []
    labels = {
        "queue": "queue page, filtered",
        "article": "article page",
        "decision": "decision (accept or reject)",
    }
    for kind, values in timings.items():
        p95 = percentile(values, 0.95)
        median = statistics.median(values) if values else 0.0
        print(
            f"| {labels[kind]} | {len(values)} | {median:.3f} | {p95:.3f} "
            f"| {max(values, default=0):.3f} | {P95_BOUND_S} "
            f"| {'OK' if values and p95 <= P95_BOUND_S else 'SLOW'} |"
        )
        rows.append(
            result_row(
                "review desk at scale",
                f"{labels[kind]}, p95 of {len(values)} ({args.articles:,} articles, "
                f"{decisions_before:,} decisions, {args.reviewers} reviewers, a publish "
                "running) (s)",
                p95,
                "s",
                P95_BOUND_S,
                "max",
                note=f"median {median:.3f} s, max {max(values, default=0):.3f} s",
            )
        )
    print()
    print("| request | while publishing: count, p95 (s) | otherwise: count, p95 (s) |")
    print("|---|---:|---:|")
    for kind in Reviewer.KINDS:
        pairs = [
            (t, at)
            for r in reviewers
            for t, at in zip(r.timings[kind], r.stamps[kind], strict=True)
        ]
        inside = [t for t, at in pairs if publish_window[0] <= at <= publish_window[1]]
        outside = [t for t, at in pairs if not publish_window[0] <= at <= publish_window[1]]
        print(
            f"| {labels[kind]} | {len(inside)}, {percentile(inside, 0.95):.3f} "
            f"| {len(outside)}, {percentile(outside, 0.95):.3f} |"
        )
    lost = acknowledged - stored
    print()
    print("| figure | value |")
    print("|---|---:|")
    print(f"| articles | {args.articles:,} |")
    print(f"| decisions in the store before | {decisions_before:,} |")
    print(f"| publish before the reviewers (s) | {first_publish:.1f} |")
    print(f"| publish while they work (s) | {publish_during:.1f} |")
    print(f"| decisions acknowledged by the desk | {acknowledged:,} |")
    print(f"| of them in the store | {stored:,} |")
    print(f"| of them in the snapshot after a last publish | {published:,} |")
    print(f"| errors (status other than 200 / 303) | {len(errors)} |")
    print(f"| load average at the end (1, 5, 15 min) | {' '.join(map(str, os.getloadavg()))} |")
    for error in errors[:10]:
        print(f"  {error}")
    rows.append(
        result_row(
            "review desk at scale",
            f"decisions acknowledged but missing from the store or the snapshot "
            f"({args.articles:,} articles)",
            lost + (acknowledged - published),
            "decisions",
            0,
            "max",
            digits=0,
            note=f"{acknowledged} acknowledged, {stored} stored, {published} published",
        )
    )
    print_results(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
