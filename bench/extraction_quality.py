"""Score veille's article extractor against plain trafilatura on two public benchmarks and the demo.

Run: `.venv/bin/python bench/extraction_quality.py [--jobs 2] [--only article,french,demo]`.
Benchmarks are read in place from ../shared/benchmarks beside the repository (or `--benchmarks
DIR`); see their README for the metrics, which this script reproduces.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/results.py
from results import print_results, result_row  # noqa: E402

from pipeline.article.extract import (  # noqa: E402
    NotAnArticle,
    SiteOverrides,
    decode_html,
    extract_article,
    load_site_overrides,
)

# The shared benchmark data sits beside the repository (read-only, never copied into it).
DEFAULT_BENCHMARKS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"
_TOKEN = re.compile(r"\w+")


@dataclass
class Score:
    """Precision, recall and F1 of one extractor on one benchmark, with the pages it failed."""

    precision: float
    recall: float
    failed: list[str] = field(default_factory=list)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def veille_text(html: str, url: str | None, overrides: SiteOverrides | None = None) -> str:
    """veille's body text; the title stays out (none of the expected texts start with it)."""
    try:
        return extract_article(html, url, overrides=overrides).text
    except NotAnArticle:
        return ""


def trafilatura_text(html: str, url: str | None = None) -> str:
    """trafilatura's plain `extract()`, the reference the issue asks to beat."""
    return trafilatura.extract(html) or ""


EXTRACTORS: dict[str, Callable[[str, str | None], str]] = {
    "veille": veille_text,
    "trafilatura": trafilatura_text,
}


# --- article-extraction: 4-token shingles ------------------------------------------------------


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    if len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def shingle_prf(expected: str, predicted: str) -> tuple[float, float]:
    """Per-page precision and recall as the benchmark computes them (TP, FP, FN over their sum)."""
    truth, guess = _shingles(expected), _shingles(predicted)
    tp = sum((truth & guess).values())
    fp = sum(guess.values()) - tp
    fn = sum(truth.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return 1.0, 1.0
    tp, fp, fn = tp / total, fp / total, fn / total
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def _article_page(args: tuple[Path, str, str, str]) -> tuple[str, str, str]:
    path, page_id, url, name = args
    html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
    return page_id, name, EXTRACTORS[name](html, url)


def score_article_extraction(root: Path, jobs: int) -> dict[str, Score]:
    """Benchmark 1: averaged shingle precision and recall over the 181 pages."""
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    tasks = [
        (root / "html" / f"{page_id}.html.gz", page_id, item["url"], name)
        for page_id, item in truth.items()
        for name in EXTRACTORS
    ]
    sums: dict[str, list[float]] = {name: [0.0, 0.0] for name in EXTRACTORS}
    failed: dict[str, list[str]] = {name: [] for name in EXTRACTORS}
    for page_id, name, text in _run(_article_page, tasks, jobs):
        precision, recall = shingle_prf(truth[page_id]["articleBody"], text)
        sums[name][0] += precision
        sums[name][1] += recall
        if not text.strip():
            failed[name].append(page_id[:12])
    return {
        name: Score(p / len(truth), r / len(truth), failed[name]) for name, (p, r) in sums.items()
    }


# --- french-pages: with / without segments ------------------------------------------------------


def _normalised(text: str) -> str:
    return " ".join(text.split())


def _french_page(args: tuple[Path, str, str]) -> tuple[str, str, str]:
    path, url, name = args
    html = decode_html(path.read_bytes())
    return url, name, EXTRACTORS[name](html, url)


def score_french_pages(root: Path, jobs: int) -> dict[str, Score]:
    """Benchmark 2: segments found / wrongly found, summed over the 26 pages."""
    expected = json.loads((root / "expected.json").read_text(encoding="utf-8"))
    tasks = [(root / "html" / item["file"], url, name) for url, item in expected.items()
             for name in EXTRACTORS]  # fmt: skip
    counts = {name: Counter() for name in EXTRACTORS}
    failed: dict[str, list[str]] = {name: [] for name in EXTRACTORS}
    for url, name, text in _run(_french_page, tasks, jobs):
        found = _normalised(text)
        item = expected[url]
        missing = [s for s in item["with"] if _normalised(s) not in found]
        counts[name]["tp"] += len(item["with"]) - len(missing)
        counts[name]["fn"] += len(missing)
        counts[name]["fp"] += sum(_normalised(s) in found for s in item["without"])
        if missing or not text.strip():
            failed[name].append(f"{item['file']} (missing {len(missing)}/{len(item['with'])})")
    scores = {}
    for name, c in counts.items():
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        scores[name] = Score(precision, recall, failed[name])
    return scores


# --- demo outlets: paragraphs of demo.corpus ----------------------------------------------------


def paragraph_prf(paragraphs: Iterable[str], text: str) -> tuple[int, int, int, int]:
    """(known paragraphs found, known paragraphs, output lines that are known, output lines)."""
    known = [_normalised(p) for p in paragraphs]
    lines = [_normalised(line) for line in text.split("\n") if line.strip()]
    found = sum(any(p == line for line in lines) for p in known)
    good_lines = sum(any(line == p for p in known) for line in lines)
    return found, len(known), good_lines, len(lines)


def score_demo() -> dict[str, Score]:
    """The demo outlets' pages: veille with and without its demo overrides, and trafilatura."""
    from demo.corpus import OUTLETS_BY_ID, load_corpus
    from demo.site import start_demo_site

    overrides = load_site_overrides("demo")
    extractors: dict[str, Callable[[str, str, str], str]] = {
        "veille": lambda html, url, outlet: veille_text(html, url),
        "veille + demo overrides": lambda html, url, outlet: veille_text(
            html, url, overrides.get(outlet)
        ),
        "trafilatura": lambda html, url, outlet: trafilatura_text(html),
    }
    totals = {name: [0, 0, 0, 0] for name in extractors}
    failed: dict[str, list[str]] = {name: [] for name in extractors}
    with start_demo_site() as site:
        for article in load_corpus():
            url = site.base_url + article.path
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (local site)
                html = decode_html(response.read(), response.headers.get_content_charset())
            for name, extract in extractors.items():
                text = extract(html, url, OUTLETS_BY_ID[article.outlet].id)
                counts = paragraph_prf((article.lead, *article.paragraphs), text)
                totals[name] = [a + b for a, b in zip(totals[name], counts, strict=True)]
                if counts[0] < counts[1] or counts[2] < counts[3]:
                    failed[name].append(article.slug)
    return {
        name: Score(good / lines if lines else 0.0, found / known if known else 0.0, failed[name])
        for name, (found, known, good, lines) in totals.items()
    }


# --- report -------------------------------------------------------------------------------------


def _run(function: Callable, tasks: list, jobs: int) -> Iterable:
    if jobs <= 1:
        return map(function, tasks)
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(function, tasks, chunksize=8))


def markdown_table(results: dict[str, dict[str, Score]]) -> str:
    """One row per benchmark and extractor: P, R, F1 and how many pages fell short."""
    rows = ["| benchmark | extractor | P | R | F1 | pages short |", "|---|---|---|---|---|---|"]
    for benchmark, scores in results.items():
        for name, score in scores.items():
            rows.append(
                f"| {benchmark} | {name} | {score.precision:.3f} | {score.recall:.3f} "
                f"| {score.f1:.3f} | {len(score.failed)} |"
            )
    return "\n".join(rows)


def main() -> None:
    """Run the selected benchmarks and print the Markdown table, then the pages that fell short."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--benchmarks", type=Path, default=DEFAULT_BENCHMARKS)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", default="article,french,demo")
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    results: dict[str, dict[str, Score]] = {}
    if "article" in wanted:
        results["article-extraction (181)"] = score_article_extraction(
            args.benchmarks / "article-extraction", args.jobs
        )
    if "french" in wanted:
        results["french-pages (26)"] = score_french_pages(
            args.benchmarks / "french-pages", args.jobs
        )
    if "demo" in wanted:
        results["demo outlets"] = score_demo()
    print(markdown_table(results))
    for benchmark, scores in results.items():
        for name, score in scores.items():
            if score.failed:
                print(f"\n{benchmark}, {name}: {len(score.failed)} pages short")
                if "french" in benchmark or "demo" in benchmark:
                    print("  " + "; ".join(score.failed))
                else:
                    print("  empty output: " + ", ".join(score.failed))
    print_results(bench_rows(results))


def bench_rows(results: dict[str, dict[str, Score]]) -> list[dict]:
    """Each veille variant's F1 against trafilatura's on the same benchmark (goal: beat it)."""
    rows = []
    for benchmark, scores in results.items():
        reference = scores["trafilatura"].f1
        for name, score in scores.items():
            if name == "trafilatura":
                continue
            row = result_row(
                "text extraction",
                f"{name} F1, {benchmark} (bound: trafilatura's F1)",
                score.f1,
                "F1",
                reference,
                "min",
                strict=True,
            )
            rows.append({**row, "bound": round(reference, 3)})
    return rows


if __name__ == "__main__":
    main()
