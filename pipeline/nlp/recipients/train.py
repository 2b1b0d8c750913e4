"""Train the recipient ranker on the real-press `real_dev` gold, and say how it compares.

    .venv/bin/python -m pipeline.nlp.recipients.train [--folds 5] [--dry-run]
        [--train dev-a dev-b dev-c --test dev-d dev-e dev-f dev-g]

For every gold funding amount of real_dev that the funding rules also found, the candidates of
`recipients.candidates` are labelled (does the candidate name the gold recipient, by the
scoring rule of ANNOTATION.md) and a logistic regression is fitted over their features. The
threshold under which the rules' choice is kept is chosen by cross-validation over articles, and
the cross-validated share of right recipients is printed beside the rules' own share on the same
amounts. Only real_dev is read: real_heldout is left for `veille eval`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from datetime import date

import numpy as np

from pipeline.nlp.mention import doc_mentions
from pipeline.nlp.recipients.recipients import PATTERNS, Candidate, candidates, load_ranker
from pipeline.real_gold import load_real_gold
from pipeline.real_scoring import names_match

THRESHOLDS = [round(0.05 * i, 2) for i in range(1, 20)]


@dataclass
class Group:
    """One gold amount: its candidates, their labels, the rules' recipient and the gold one."""

    article: str
    found: list[Candidate]
    labels: list[int]
    rule: str | None
    gold: str | None


def groups_of_dev(files: tuple[str, ...] = ()) -> list[Group]:
    """Run veille without the ranker over real_dev (or its articles from the files named,
    "dev-a"...) and label the candidates of matched amounts."""
    from pipeline.nlp import load_nlp

    nlp = load_nlp()
    disabled = [name for name in nlp.pipe_names if name == "veille_recipients"]
    gold = [a for a in load_real_gold().part("dev") if a.text is not None]
    if files:
        prefixes = tuple(f"rd-{name.removeprefix('dev-')}-" for name in files)
        gold = [a for a in gold if a.id.startswith(prefixes)]
    groups: list[Group] = []
    with nlp.select_pipes(disable=disabled):
        docs = nlp.pipe([a.text for a in gold], batch_size=8)
        for article, doc in zip(gold, docs, strict=True):
            mentions = [m for m in doc_mentions(doc, "funding") if m.fields.get("amount_eur")]
            for entry in article.row["funding"]:
                amount = entry.get("amount_eur")
                if amount is None or entry.get("ambiguous"):
                    continue
                match = next(
                    (m for m in mentions if abs(m.fields["amount_eur"] - amount) <= 0.01 * amount),
                    None,
                )
                if match is None:
                    continue
                mentions.remove(match)
                _, found = candidates(doc, match)
                want = entry.get("recipient")
                labels = [int(bool(want) and names_match(want, c.text)) for c in found]
                groups.append(Group(article.id, found, labels, match.fields.get("recipient"), want))
    return groups


def fit(groups: list[Group], l2: float = 1.0, steps: int = 400) -> dict[str, float]:
    """Logistic regression by gradient descent over every candidate of the groups."""
    names = sorted({k for g in groups for c in g.found for k in c.features})
    index = {k: i for i, k in enumerate(names)}
    rows = [c.features for g in groups for c in g.found]
    y = np.array([label for g in groups for label in g.labels], dtype=float)
    x = np.zeros((len(rows), len(names)))
    for r, features in enumerate(rows):
        for k, v in features.items():
            x[r, index[k]] = v
    w = np.zeros(len(names))
    positive_weight = max(1.0, (len(y) - y.sum()) / max(y.sum(), 1.0)) ** 0.5
    sample = np.where(y > 0, positive_weight, 1.0)
    for step in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ ((p - y) * sample) / len(y) + l2 * w / len(y)
        w -= 0.5 * grad / (1.0 + step / 200)
    return {k: round(float(w[i]), 4) for k, i in index.items() if abs(w[i]) > 1e-4}


def right(group: Group, chosen: str | None) -> bool:
    if not group.gold:
        return not chosen
    return bool(chosen) and names_match(group.gold, chosen)


def choose(group: Group, weights: dict[str, float], threshold: float) -> str | None:
    """What the component would output: the rules' recipient, else the best candidate over the
    threshold."""
    from pipeline.nlp.recipients.recipients import Ranker

    if group.rule:
        return group.rule
    chosen = Ranker(weights, threshold).choose(group.found)
    return chosen.text if chosen is not None else None


def cross_validate(groups: list[Group], folds: int) -> dict[float, float]:
    """Share of right recipients per threshold, each fold scored by weights fitted on the rest."""
    articles = sorted({g.article for g in groups})
    random.Random(7).shuffle(articles)
    fold_of = {a: i % folds for i, a in enumerate(articles)}
    hits = dict.fromkeys(THRESHOLDS, 0)
    for fold in range(folds):
        train = [g for g in groups if fold_of[g.article] != fold]
        test = [g for g in groups if fold_of[g.article] == fold]
        weights = fit(train)
        for t in THRESHOLDS:
            hits[t] += sum(right(g, choose(g, weights, t)) for g in test)
    return {t: h / len(groups) for t, h in hits.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--dry-run", action="store_true", help="print, do not write the model")
    parser.add_argument(
        "--train", nargs="*", default=[], help="train on these files only (dev-a dev-b ...)"
    )
    parser.add_argument(
        "--test", nargs="*", default=[], help="and print the share right on these files"
    )
    args = parser.parse_args(argv)
    groups = groups_of_dev(tuple(args.train))
    rules = sum(right(g, g.rule) for g in groups) / len(groups)
    named = [g for g in groups if g.rule]
    if named:
        print(
            f"rules name a recipient for {len(named)} amounts, right for "
            f"{sum(right(g, g.rule) for g in named) / len(named):.3f} of them"
        )
    reachable = sum(1 for g in groups if any(g.labels) or not g.gold) / len(groups)
    shares = cross_validate(groups, args.folds)
    threshold = max(shares, key=lambda t: (shares[t], t))
    print(
        f"{len(groups)} matched amounts of real_dev in {len({g.article for g in groups})} articles"
    )
    print(f"recipient right, rules alone:            {rules:.3f}")
    print(f"recipient right, ranker ({args.folds}-fold CV, t={threshold}): {shares[threshold]:.3f}")
    print(f"reachable (a candidate names the gold, or gold is none): {reachable:.3f}")
    weights = fit(groups)
    if args.test:
        test = groups_of_dev(tuple(args.test))
        share = sum(right(g, choose(g, weights, threshold)) for g in test) / len(test)
        print(f"recipient right on {' '.join(args.test)} ({len(test)} amounts): {share:.3f}")
        current = load_ranker()
        if current is not None:
            share = sum(
                right(g, choose(g, current.weights, current.threshold)) for g in test
            ) / len(test)
            print(f"  with the model in patterns/ranker.json: {share:.3f}")
    if args.dry_run:
        return 0
    model = {
        "trained_on": " ".join(args.train) or "tests/gold/real/dev-*.jsonl",
        "trained": date.today().isoformat(),
        "amounts": len(groups),
        "cv_right_share": round(shares[threshold], 4),
        "rules_right_share": round(rules, 4),
        "threshold": threshold,
        "weights": dict(sorted(weights.items())),
    }
    (PATTERNS / "ranker.json").write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n")
    print(f"written: {PATTERNS / 'ranker.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
