"""F1 of the mentions per kind on the team's gold set, dev and held-out, against the targets.

    .venv/bin/python bench/mention_quality.py       # about 30 s

Runs `veille eval --json` once over every gold file of `tests/gold/` (`dev*.jsonl`, then
`heldout*.jsonl`), sums true positives, false positives and false negatives over the files of
each set, and prints precision, recall and F1 per kind for both sets with its target: clusters
0.90, officials (name and role) 0.85, funding amounts 0.90, funders (amount and funder) 0.80,
places 0.90. The held-out files are the ones to judge by; dev is what the rules were tuned on.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/results.py
from results import print_results, result_row  # noqa: E402

GOLD = REPO / "tests" / "gold"

# eval score key -> (label, F1 target)
TARGETS: dict[str, tuple[str, float]] = {
    "clusters": ("clusters", 0.90),
    "officials": ("officials (name+role)", 0.85),
    "funding_amounts": ("funding amounts", 0.90),
    "funding_funders": ("funders (amount+funder)", 0.80),
    "locations": ("places", 0.90),
}
SETS = ("dev", "heldout")


def run_eval(files: list[Path]) -> list[dict]:
    """The JSON records of `veille eval --json FILES` (one per file)."""
    command = [sys.executable, "-m", "veille.cli", "eval", "--json", *map(str, files)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"veille eval exited {done.returncode}:\n{done.stderr[-2000:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def pooled(records: list[dict]) -> dict[str, dict[str, dict[str, float]]]:
    """set -> kind -> tp, fp, fn, precision, recall, f1, summed over the set's files."""
    counts: dict[str, dict[str, dict[str, float]]] = defaultdict(
        lambda: defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "articles": 0})
    )
    for record in records:
        name = Path(record["gold"]).name
        gold_set = next(s for s in SETS if name.startswith(s))
        for kind, score in record["scores"].items():
            for key in ("tp", "fp", "fn"):
                counts[gold_set][kind][key] += score[key]
            counts[gold_set][kind]["articles"] += record["articles"]
    for kinds in counts.values():
        for c in kinds.values():
            c["precision"] = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
            c["recall"] = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
            total = c["precision"] + c["recall"]
            c["f1"] = 2 * c["precision"] * c["recall"] / total if total else 0.0
    return counts


def bench_rows(scores: dict[str, dict[str, dict[str, float]]]) -> list[dict]:
    rows = []
    for gold_set in SETS:
        for kind, (label, target) in TARGETS.items():
            f1 = scores[gold_set][kind]["f1"]
            rows.append(
                result_row(
                    "extraction quality (gold set)",
                    f"{label} F1, {gold_set}",
                    f1,
                    "F1",
                    target,
                    "min",
                )
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.parse_args(argv)
    files = {s: sorted(GOLD.glob(f"{s}*.jsonl")) for s in SETS}
    scores = pooled(run_eval(files["dev"] + files["heldout"]))
    print("| set | kind | articles | P | R | F1 | target | verdict |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for gold_set in SETS:
        for kind, (label, target) in TARGETS.items():
            c = scores[gold_set][kind]
            verdict = "OK" if c["f1"] >= target else "BELOW"
            print(
                f"| {gold_set} ({len(files[gold_set])} files) | {label} | {c['articles']} "
                f"| {c['precision']:.3f} | {c['recall']:.3f} | {c['f1']:.3f} | {target:.2f} "
                f"| {verdict} |"
            )
    print_results(bench_rows(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
