"""Throughput and memory of veille's extraction against the bare French model, on the same texts.

    .venv/bin/python bench/nlp.py --n 200

Builds N article texts by cycling the demo corpus and the gold articles, runs the bare
`fr_core_news_md` over them and then the full extraction (model + veille components + mention
dicts) over 2N, streamed in batches with `n_process=1`. Prints articles/s for both (timed on the
same first N texts), their ratio (goal: the extraction keeps at least 0.8 of the bare model's
speed), and the process's peak RSS after N and after 2N texts: equal peaks mean memory stays flat.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script from any folder
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/results.py
from results import print_results, result_row  # noqa: E402

GOLD_FILES = (REPO / "tests/gold/dev.jsonl", REPO / "tests/gold/heldout.jsonl")
RATIO_GOAL = 0.8


def source_texts() -> list[str]:
    """The demo corpus bodies (lead and paragraphs) and the gold articles' texts."""
    from demo.corpus import load_corpus
    from pipeline.errors import UserError
    from pipeline.evaluation import load_gold

    texts = ["\n\n".join((a.lead, *a.paragraphs)) for a in load_corpus()]
    for path in GOLD_FILES:
        if not path.is_file():
            continue
        try:
            texts += [article.text for article in load_gold(path)]
        except UserError as exc:
            print(f"skipping gold texts: {exc}", file=sys.stderr)
    return texts


def cycled(texts: list[str], n: int) -> list[str]:
    """N texts, cycling through `texts`."""
    return [texts[i % len(texts)] for i in range(n)]


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Timing:
    """Articles processed and wall seconds spent."""

    articles: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def timed(items: Iterable[object], count: int) -> Timing:
    """Consume `count` items of a lazy stream and time it."""
    started = time.perf_counter()
    consumed = sum(1 for _ in islice(items, count))
    return Timing(consumed, time.perf_counter() - started)


def extraction_stream(nlp: object, texts: list[str], batch_size: int) -> Iterator[list[dict]]:
    """The mention dicts of each text, as `extract_many` yields them (streamed batches)."""
    from pipeline.nlp import extract_many

    for _, mentions in extract_many(nlp, ((t, i) for i, t in enumerate(texts)), batch_size):
        yield mentions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="articles per run (default 2000)")
    parser.add_argument("--batch-size", type=int, default=16, help="nlp.pipe batch (default 16)")
    parser.add_argument("--model", default="fr_core_news_md")
    args = parser.parse_args(argv)

    import spacy

    from pipeline.nlp import load_nlp
    from pipeline.nlp.pipeline import EXCLUDED_MODEL_PIPES

    pool = source_texts()
    texts = cycled(pool, 2 * args.n)
    chars = sum(len(t) for t in texts[: args.n]) / args.n
    print(f"{len(pool)} distinct texts, {args.n} per run, {chars:.0f} characters on average")

    started = time.perf_counter()
    bare = spacy.load(args.model)
    full = load_nlp(args.model)
    print(f"models loaded in {time.perf_counter() - started:.1f} s; RSS {peak_rss_mb():.0f} MB")
    for nlp in (bare, full):  # warm-up: first calls allocate
        list(nlp.pipe(pool[:4]))

    base = timed(bare.pipe(texts[: args.n], batch_size=args.batch_size, n_process=1), args.n)
    print(f"bare {args.model}: {base.rate:.1f} articles/s ({base.seconds:.1f} s)")
    # veille drops the model's lemmatizer (nobody reads it): the same model without it shows
    # what veille's own components cost.
    with bare.select_pipes(disable=list(EXCLUDED_MODEL_PIPES)):
        same = timed(bare.pipe(texts[: args.n], batch_size=args.batch_size, n_process=1), args.n)
    print(f"bare {args.model} without lemmatizer: {same.rate:.1f} articles/s")

    stream = extraction_stream(full, texts, args.batch_size)
    ours = timed(stream, args.n)
    rss_n = peak_rss_mb()
    rest = timed(stream, args.n)
    rss_2n = peak_rss_mb()
    ratio = ours.rate / base.rate if base.rate else 0.0
    same_ratio = ours.rate / same.rate if same.rate else 0.0
    verdict = "meets" if ratio >= RATIO_GOAL else "below"
    print(f"veille extraction: {ours.rate:.1f} articles/s ({ours.seconds:.1f} s)")
    print(
        f"ratio {ratio:.2f} ({verdict} the {RATIO_GOAL} goal); without lemmatizer {same_ratio:.2f}"
    )
    print(f"peak RSS after {args.n}: {rss_n:.0f} MB, after {2 * args.n}: {rss_2n:.0f} MB")
    print(f"(texts {args.n + 1}-{2 * args.n}: {rest.rate:.1f} articles/s)\n")

    print("| pipeline | articles | seconds | articles/s | peak RSS (MB) |")
    print("|---|---:|---:|---:|---:|")
    print(f"| bare `{args.model}` | {base.articles} | {base.seconds:.1f} | {base.rate:.1f} | |")
    print(
        f"| bare, without lemmatizer | {same.articles} | {same.seconds:.1f} | {same.rate:.1f} | |"
    )
    print(
        f"| veille extraction | {ours.articles} | {ours.seconds:.1f} | {ours.rate:.1f} "
        f"| {rss_n:.0f} |"
    )
    print(
        f"| veille extraction, next {rest.articles} | {rest.articles} | {rest.seconds:.1f} "
        f"| {rest.rate:.1f} | {rss_2n:.0f} (after {2 * args.n}) |"
    )
    print(f"| ratio veille / bare | | | {ratio:.2f} | |")
    print(f"| ratio veille / bare without lemmatizer | | | {same_ratio:.2f} | |")
    print_bench_result(ratio, args.n, f"peak RSS {rss_n:.0f} MB after N, {rss_2n:.0f} MB after 2N")
    return 0


def print_bench_result(ratio: float, n: int, note: str) -> None:
    """The machine-readable line `bench/run_all.py` collects."""
    measure = f"veille extraction / bare nlp.pipe, articles/s ({n} texts)"
    row = result_row("extraction throughput", measure, ratio, "x", RATIO_GOAL, "min", note=note)
    print_results([row])


if __name__ == "__main__":
    sys.exit(main())
