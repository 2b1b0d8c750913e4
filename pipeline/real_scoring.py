"""Scores on the real-press gold, with the matching rules of `../shared/ANNOTATION.md`.

These rules are looser on surface forms than the written sets' (`pipeline/evaluation.py`), because
real annotations copy names as the press writes them:

- names compare after NFKD, accents and case folded, hyphens and apostrophes straightened;
- cluster, location and recipient names match when one contains the other (4 characters or more)
  or they share more than half of the longer name's content words;
- a person matches on the last name and a compatible first name or initial;
- an official is one (person, role); it matches a gold entry of the same person whose role shares
  at least half of the gold role's content words;
- amounts match within 1 %; funders and recipients are scored on matched amounts only, funders by
  institution (`funder_institutions.csv`: "UE", "FEDER", "l'Europe" are one funder);
- items annotated `ambiguous` are optional: found or not, they count neither way.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.evaluation import Prediction, Score
from pipeline.nlp.clusters.phrases import squashed

KINDS: tuple[tuple[str, str], ...] = (
    ("cluster", "clusters"),
    ("person", "persons"),
    ("official", "officials (name+role)"),
    ("funding", "funding (amount)"),
    ("funder", "funder of a matched amount"),
    ("recipient", "recipient of a matched amount"),
    ("location", "places"),
)
KIND_LABELS = dict(KINDS)
INSTITUTIONS_FILE = Path(__file__).with_name("funder_institutions.csv")
AMOUNT_TOLERANCE = 0.01
_STOPWORDS = frozenset(
    {"a", "au", "aux", "avec", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les"}
    | {"par", "pour", "sur", "un", "une"}
)
_HYPHENS = "\u002d\u2010\u2011\u2012\u2013\u2014\u2212"
_APOSTROPHES = "\u2019\u2018\u02bc\u00b4`"


# ------------------------------------------------------------------------------ name keys


def key(text: str | None) -> str:
    """The comparison form of a name: no accents, case folded, hyphens as spaces, ' apostrophes."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = plain.translate({ord(c): " " for c in _HYPHENS})
    plain = plain.translate({ord(c): "'" for c in _APOSTROPHES})
    plain = re.sub(r"[«»\"()\[\],.;:!?]", " ", plain)
    return " ".join(plain.split())


def content_words(text: str | None) -> set[str]:
    """The words of a name that carry meaning: no articles or prepositions, elisions dropped."""
    words = set()
    for word in key(text).split():
        word = word.split("'")[-1]
        if word and word not in _STOPWORDS:
            words.add(word)
    return words


def names_match(gold: str | None, found: str | None) -> bool:
    """One contains the other (4 characters or more), or they share over half their content words.

    Over half, not half: "Saint-Malo" and "Saint-Brieuc" share one word of two and are two places.
    """
    a, b = key(gold), key(found)
    if not a or not b:
        return False
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 4 and re.search(rf"(?<!\w){re.escape(shorter)}(?!\w)", longer):
        return True
    wa, wb = content_words(gold), content_words(found)
    return bool(wa and wb) and len(wa & wb) * 2 > max(len(wa), len(wb))


def persons_match(gold: str | None, found: str | None) -> bool:
    """Same last name, and the same first name or a compatible initial; names written without a
    first name on both sides ("MM. Barot et Chapuis") match on the last name."""
    a, b = key(gold).replace(".", " ").split(), key(found).replace(".", " ").split()
    if not a or not b or a[-1] != b[-1]:
        return False
    if len(a) < 2 or len(b) < 2:
        return len(a) == len(b)
    first_a, first_b = a[0], b[0]
    if first_a == first_b:
        return True
    return (len(first_a) == 1 or len(first_b) == 1) and first_a[0] == first_b[0]


def role_matches(gold_role: str | None, role: str | None) -> bool:
    """The found role holds at least half of the gold role's content words."""
    gold_words = content_words(gold_role)
    if not gold_words:
        return False
    return len(gold_words & content_words(role)) * 2 >= len(gold_words)


@cache
def _institutions() -> list[tuple[str, re.Pattern[str]]]:
    """(institution, pattern) pairs from the data file, in file order (first match wins)."""
    rows = []
    with INSTITUTIONS_FILE.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        for row in csv.DictReader(lines):
            alias = re.escape(key(row["alias"]))
            rows.append((row["institution"], re.compile(rf"(?<!\w){alias}(?!\w)")))
    return rows


def institution(name: str | None) -> str | None:
    """The funding institution a funder's name stands for ("FEDER" -> "Union européenne")."""
    k = key(name)
    for label, pattern in _institutions():
        if pattern.search(k):
            return label
    return None


JOINT_FUNDERS = re.compile(r",|;|/|&|\bet\b|\band\b")


def institutions(name: str | None) -> set[str]:
    """The institutions of joint funders, one per funder the name lists ("l'État et la
    Région" -> {État, Région}); a single funder's name gives one, even where it holds another's
    word ("le préfet de région" -> {État})."""
    return {i for part in JOINT_FUNDERS.split(name or "") if (i := institution(part))}


def funders_match(gold: str | None, found: str | None) -> bool:
    """The same institutions (all of a joint funder's), or else the same name by the cluster
    rule."""
    gold_institutions, found_institutions = institutions(gold), institutions(found)
    if gold_institutions or found_institutions:
        return gold_institutions == found_institutions
    return names_match(gold, found)


# ------------------------------------------------------------------------------ scoring


@dataclass
class KindResult:
    """One article's score on one kind, with what it got wrong (for `--errors`)."""

    score: Score = field(default_factory=Score)
    right: int = 0  # funder / recipient: matched amounts whose link is right (null = null too)
    matched: int = 0  # funder / recipient: matched amounts
    false_positives: list[str] = field(default_factory=list)
    false_negatives: list[str] = field(default_factory=list)


def _match(
    gold: Sequence[tuple[Any, bool]],
    found: Sequence[Any],
    same: Callable[[Any, Any], bool],
    show: Callable[[Any], str] = str,
    show_found: Callable[[Any], str] = str,
) -> KindResult:
    """Gold (item, optional) pairs against distinct found labels; `show` names a missed item."""
    result = KindResult()
    found = list(dict.fromkeys(f for f in found if f))
    for label, optional in gold:
        hit = any(same(label, f) for f in found)
        if hit and not optional:
            result.score.tp += 1
        elif not hit and not optional:
            result.score.fn += 1
            result.false_negatives.append(show(label))
    for f in found:
        if not any(same(label, f) for label, _ in gold):
            result.score.fp += 1
            result.false_positives.append(show_found(f))
    return result


def _distinct_gold(items: Iterable[tuple[str, bool]], same: Callable[[str, str], bool]):
    kept: list[tuple[str, bool]] = []
    for label, optional in items:
        if label and not any(same(label, k) for k, _ in kept):
            kept.append((label, optional))
    return kept


def _amount(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _within(gold: float, found: float) -> bool:
    return abs(found - gold) <= AMOUNT_TOLERANCE * abs(gold)


def _show(amount: float) -> str:
    return f"{amount:,.0f} €".replace(",", " ")


def _pair_amounts(
    gold: list[dict[str, Any]], found: list[dict[str, Any]]
) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """One-to-one pairs of gold and found funding within 1 %, preferring a right funder."""
    free = [f for f in found if _amount(f.get("amount_eur")) is not None]
    pairs, missed = [], []
    for entry in gold:
        amount = _amount(entry.get("amount_eur"))
        if amount is None:
            continue
        candidates = [f for f in free if _within(amount, _amount(f["amount_eur"]))]
        if not candidates:
            missed.append(entry)
            continue
        best = next(
            (f for f in candidates if funders_match(entry.get("funder"), f.get("funder"))),
            candidates[0],
        )
        free.remove(best)
        pairs.append((entry, best))
    # A found amount left over counts against the extractor only when no gold amount is that
    # amount (a second mention of a paired amount is the same event).
    gold_amounts = [_amount(g.get("amount_eur")) for g in gold]
    extra = [
        f
        for f in free
        if not any(a is not None and _within(a, _amount(f["amount_eur"])) for a in gold_amounts)
    ]
    return pairs, missed, extra


def _link_result(
    pairs: list[tuple[dict, dict]], field_name: str, same: Callable[[str, str], bool]
) -> KindResult:
    """Funder or recipient of matched amounts: P/R over stated links, and the share right."""
    result = KindResult()
    for gold, found in pairs:
        if gold.get("ambiguous"):
            continue
        want, got = gold.get(field_name), found.get(field_name)
        result.matched += 1
        label = f"{_show(float(gold['amount_eur']))}: {want or '-'} / found {got or '-'}"
        if want and got and same(want, got):
            result.score.tp += 1
            result.right += 1
            continue
        if not want and not got:
            result.right += 1
            continue
        if want:
            result.score.fn += 1
            result.false_negatives.append(label)
        if got:
            result.score.fp += 1
            result.false_positives.append(label)
    return result


def score_real_article(row: dict[str, Any], predicted: Prediction) -> dict[str, KindResult]:
    """Every kind of ANNOTATION.md scored on one real article."""
    results: dict[str, KindResult] = {}
    # A cluster found is its name and the forms the article wrote it in ("LUTB" for Lyon Urban
    # Truck & Bus); a gold cluster is its name and variants; any pair matching is a match.
    found_clusters: dict[str, list[str]] = {}
    for m in predicted.of_kind("cluster"):
        name = m.get("name") or m.get("text")
        if name:
            found_clusters.setdefault(name, [name]).append(m.get("text") or name)
    results["cluster"] = _match_groups(
        row.get("clusters", []), [tuple(dict.fromkeys(f)) for f in found_clusters.values()]
    )
    persons = {o["name"] for o in row.get("officials", [])} | set(row.get("persons", []))
    gold_persons = _distinct_gold(((p, False) for p in sorted(persons)), persons_match)
    found_persons = [
        p for p, _ in _distinct_gold(((p, False) for p in predicted.persons), persons_match)
    ]
    results["person"] = _match(gold_persons, found_persons, persons_match)
    results["official"] = _score_officials(row.get("officials", []), predicted.of_kind("official"))
    gold_funding = [f for f in row.get("funding", []) if _amount(f.get("amount_eur")) is not None]
    found_funding = predicted.of_kind("funding")
    pairs, missed, extra = _pair_amounts(gold_funding, found_funding)
    funding = KindResult()
    funding.score.tp = sum(1 for g, _ in pairs if not g.get("ambiguous"))
    funding.score.fn = sum(1 for g in missed if not g.get("ambiguous"))
    funding.score.fp = len(extra)
    funding.false_negatives = [
        _show(float(g["amount_eur"])) for g in missed if not g.get("ambiguous")
    ]
    funding.false_positives = [_show(float(f["amount_eur"])) for f in extra]
    results["funding"] = funding
    results["funder"] = _link_result(pairs, "funder", funders_match)
    results["recipient"] = _link_result(pairs, "recipient", names_match)
    locations = _distinct_gold(((name, False) for name in row.get("locations", [])), names_match)
    found_locations = [m.get("name") for m in predicted.of_kind("location")]
    results["location"] = _match(locations, found_locations, names_match)
    return results


def cluster_names_match(gold: str | None, found: str | None) -> bool:
    """Cluster names match as other names do, or when they differ only by the case, spaces,
    apostrophes or hyphens inside them ("Clust'it" / "Clust-it", "Mov'eo" / "MOVEO")."""
    if names_match(gold, found):
        return True
    a, b = squashed(key(gold)), squashed(key(found))
    return len(a) >= 4 and a == b


def _match_groups(clusters: list[dict[str, Any]], found: list[tuple[str, ...]]) -> KindResult:
    """Clusters: each gold cluster is the group of its name and variants, each found one the
    group of its name and written forms."""
    groups = [
        ([c["name"], *(c.get("name_variants") or [])], bool(c.get("ambiguous"))) for c in clusters
    ]
    return _match(
        groups,
        found,
        lambda group, f: any(cluster_names_match(name, form) for name in group for form in f),
        show=lambda group: group[0],
        show_found=lambda f: f[0],
    )


def _score_officials(gold: list[dict[str, Any]], found: list[dict[str, Any]]) -> KindResult:
    """One prediction per (person, role) against the gold (person, role, org) entries."""
    result = KindResult()
    predictions = list(
        dict.fromkeys((m.get("name") or "", m.get("role") or "") for m in found if m.get("name"))
    )

    def same(g: dict[str, Any], p: tuple[str, str]) -> bool:
        return persons_match(g["name"], p[0]) and role_matches(g.get("role"), p[1])

    for entry in gold:
        if entry.get("ambiguous"):
            continue
        if any(same(entry, p) for p in predictions):
            result.score.tp += 1
        else:
            result.score.fn += 1
            result.false_negatives.append(f"{entry['name']} / {entry.get('role')}")
    for p in predictions:
        if not any(same(entry, p) for entry in gold):
            result.score.fp += 1
            result.false_positives.append(f"{p[0]} / {p[1] or '-'}")
    return result


# ------------------------------------------------------------------------------ reports


@dataclass
class RealReport:
    """One part's pooled scores by kind, the link shares, and each article's errors."""

    part: str
    articles: int
    scores: dict[str, Score]
    right: dict[str, tuple[int, int]]  # funder / recipient: (right, matched amounts)
    hard_negatives: int = 0
    funding_on_negatives: int = 0
    errors: list[tuple[str, str, list[str], list[str]]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "articles": self.articles,
            "scores": {k: s.as_dict() for k, s in self.scores.items()},
            "link_right": {
                k: {"right": r, "matched": m, "share": round(r / m, 4) if m else None}
                for k, (r, m) in self.right.items()
            },
            "hard_negatives": self.hard_negatives,
            "funding_events_per_100_hard_negatives": self.negatives_rate(),
        }

    def negatives_rate(self) -> float | None:
        if not self.hard_negatives:
            return None
        return round(100 * self.funding_on_negatives / self.hard_negatives, 1)


def score_part(
    part: str, rows: Sequence[dict[str, Any]], predictions: Sequence[Prediction]
) -> RealReport:
    """Pool every article's counts by kind (micro average) for one part of the real gold."""
    scores = {k: Score() for k, _ in KINDS}
    right = {"funder": (0, 0), "recipient": (0, 0)}
    report = RealReport(part, len(rows), scores, right)
    for row, predicted in zip(rows, predictions, strict=True):
        results = score_real_article(row, predicted)
        for kind, result in results.items():
            scores[kind].add(result.score)
            if kind in right:
                r, m = right[kind]
                right[kind] = (r + result.right, m + result.matched)
            if result.false_positives or result.false_negatives:
                report.errors.append(
                    (row["id"], kind, result.false_positives, result.false_negatives)
                )
        if row.get("case_type") == "hard_negative":
            report.hard_negatives += 1
            report.funding_on_negatives += len(predicted.of_kind("funding"))
    return report


def format_part(report: RealReport, baseline: RealReport | None = None) -> str:
    """The part's table: P, R, F1 and counts per kind, the link shares, the baseline's F1."""
    header = f"{'':<30} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"
    header += f"  {'right':>11}"
    if baseline is not None:
        header += f"  {'baseline F1':>11}"
    out = [f"real_{report.part}: {report.articles} article(s)", header]
    for kind, label in KINDS:
        score = report.scores[kind]
        row = (
            f"{label:<30} {score.precision:>6.3f} {score.recall:>6.3f} {score.f1:>6.3f} "
            f"{score.tp:>5} {score.fp:>5} {score.fn:>5}"
        )
        if kind in report.right:
            r, m = report.right[kind]
            row += f"  {(f'{r / m:.3f} of {m}' if m else '-'):>11}"
        else:
            row += f"  {'':>11}"
        if baseline is not None:
            row += f"  {baseline.scores[kind].f1:>11.3f}"
        out.append(row)
    rate = report.negatives_rate()
    if rate is not None:
        out.append(
            f"funding events on hard negatives: {report.funding_on_negatives} "
            f"in {report.hard_negatives} articles ({rate} per 100)"
        )
    return "\n".join(out)


def format_errors(report: RealReport) -> list[str]:
    """Per article and kind, the false positives (+) and false negatives (-)."""
    out = []
    current = None
    for article_id, kind, fps, fns in report.errors:
        if article_id != current:
            out.append(f"== {article_id}")
            current = article_id
        out.extend(f"  {KIND_LABELS[kind]:<30} FP + {item}" for item in fps)
        out.extend(f"  {KIND_LABELS[kind]:<30} FN - {item}" for item in fns)
    return out


def evaluate_part(
    part: str, rows: Sequence[dict[str, Any]], texts: Sequence[str], nlp: Any, bare: Any = None
) -> tuple[RealReport, RealReport | None]:
    """Run veille (and the bare model, when given) over one part's texts and score both."""
    from pipeline.evaluation import predict_baseline, predict_pipeline

    report = score_part(part, rows, predict_pipeline(nlp, texts))
    baseline = score_part(part, rows, predict_baseline(bare, texts)) if bare is not None else None
    return report, baseline
