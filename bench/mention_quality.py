"""F1 of the mentions per kind: real press first, then the team's written sets, against targets.

    .venv/bin/python bench/mention_quality.py       # about 1 min

The real-press gold (`tests/gold/real/`, `veille eval tests/gold/real/ --json`) comes first: its
`real_heldout` part is the figure that counts (targets: clusters 0.90, persons 0.93, officials
0.85, amounts 0.92, funder right on 0.80 of matched amounts, recipient on 0.75, places 0.92).
Texts missing from the local cache are named and left out of the figures.

Then it runs `veille eval --json` once over every written gold file of `tests/gold/` (`dev*.jsonl`,
then `heldout*.jsonl`), sums true positives, false positives and false negatives over the files of
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
REAL = GOLD / "real"
# real eval kind -> (label, target, measure): "f1", or "right" (share of matched amounts).
REAL_TARGETS: dict[str, tuple[str, float, str]] = {
    "cluster": ("clusters", 0.90, "f1"),
    "person": ("persons", 0.93, "f1"),
    "official": ("officials (name+role)", 0.85, "f1"),
    "funding": ("funding amounts", 0.92, "f1"),
    "funder": ("funder right, of matched amounts", 0.80, "right"),
    "recipient": ("recipient right, of matched amounts", 0.75, "right"),
    "location": ("places", 0.92, "f1"),
}


def run_real_eval() -> list[dict]:
    """The JSON records of `veille eval --json tests/gold/real/` (one per part)."""
    command = [sys.executable, "-m", "veille.cli", "eval", "--json", str(REAL)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    missing = [line for line in done.stderr.splitlines() if line.startswith("missing text")]
    if missing:
        print(
            f"{len(missing)} real text(s) missing from the cache, left out (veille eval names them)"
        )
    if done.returncode not in (0, 1) or (done.returncode == 1 and not missing):
        raise SystemExit(f"veille eval exited {done.returncode}:\n{done.stderr[-2000:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def real_rows(records: list[dict]) -> list[dict]:
    """Print the real-press table and return its result rows (held-out first)."""
    rows = []
    print("| real set | kind | articles | P | R | F1 | right | target | verdict |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for record in sorted(records, key=lambda r: r["part"] != "heldout"):
        part = f"real_{record['part']}"
        for kind, (label, target, measure) in REAL_TARGETS.items():
            score = record["scores"][kind]
            link = record["link_right"].get(kind)
            figure = (link["share"] or 0.0) if measure == "right" else score["f1"]
            right = f"{link['share']:.3f} of {link['matched']}" if link and link["share"] else ""
            verdict = "OK" if figure >= target else "BELOW"
            print(
                f"| {part} | {label} | {record['articles']} | {score['precision']:.3f} "
                f"| {score['recall']:.3f} | {score['f1']:.3f} | {right} | {target:.2f} "
                f"| {verdict} |"
            )
            unit = "share" if measure == "right" else "F1"
            rows.append(
                result_row(
                    "extraction quality (real press)",
                    f"{label}, {part}",
                    figure,
                    unit,
                    target,
                    "min",
                )
            )
        rate = record.get("funding_events_per_100_hard_negatives")
        if rate is not None:
            print(
                f"| {part} | funding events per 100 hard negatives | {record['hard_negatives']} "
                f"| | | | {rate} | 5 | {'OK' if rate <= 5 else 'ABOVE'} |"
            )
            rows.append(
                result_row(
                    "extraction quality (real press)",
                    f"funding events per 100 hard negatives, {part}",
                    rate,
                    "events",
                    5,
                    "max",
                )
            )
    print()
    return rows


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
    rows = real_rows(run_real_eval()) if REAL.is_dir() else []
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
    print_results(rows + bench_rows(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
