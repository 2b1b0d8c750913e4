"""Precision, recall and F1 of the extraction against hand-annotated gold articles (`veille eval`).

Every line of the report compares, article by article, the set of entities the annotator wrote
with the set the pipeline found, then sums the counts over the file (micro average):

- a gold entity is a true positive when at least one extracted entity matches it, a false
  negative otherwise; an extracted entity that matches no gold entity is a false positive. So the
  same entity mentioned five times in an article counts once, on both sides.
- names (persons, officials, places, funders) match case-, accent-, hyphen- and
  apostrophe-insensitively; clusters first go through the gazetteer (`canonical_cluster`) so an
  alias and its canonical name are the same cluster;
- a role matches when the normalised gold role equals the extracted role (its `role_normalised`
  form when given: masculine, without the organisation) or is a prefix of it
  ending at a word boundary: gold "vice-président" matches "vice-président chargé de
  l'économie" but not "vice-présidente"; gold "président" does not match "vice-président";
- an amount matches within 1 % of the gold amount; funding entries without an amount are left
  out of both funding lines; the funder line needs the amount and the funder, with the role
  rule on funders: gold "la Région" matches the extractor's resolved "Région Occitanie", not
  the reverse; an extracted list of funders ("Région Bretagne, Union européenne") matches only
  a gold null, which marks joint funding (both null counts as agreeing too);
- quotes are scored by speaker: quotes without a speaker are left out on both sides;
- `persons` and `quotes` are optional gold keys: an article without them is not scored on those
  lines. Persons the pipeline reports are its officials' names plus the full names (two words
  or more) of `find_persons`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import UserError
from pipeline.nlp.clusters import canonical_cluster
from pipeline.nlp.clusters.phrases import lookup_key

AMOUNT_TOLERANCE = 0.01

# (line id, label in the table). The ids are the keys of the JSON output.
LINES: tuple[tuple[str, str], ...] = (
    ("clusters", "clusters"),
    ("persons", "persons"),
    ("officials", "officials (name+role)"),
    ("official_names", "officials (name)"),
    ("funding_amounts", "funding (amount)"),
    ("funding_funders", "funding (amount+funder)"),
    ("locations", "places"),
    ("quote_speakers", "quotes (speaker)"),
)
LINE_LABELS = dict(LINES)
CORE_KEYS = ("clusters", "officials", "funding", "locations")
OPTIONAL_KEYS = ("quotes", "persons")
# Gold keys an article must carry to be scored on a line.
LINE_NEEDS = {
    "clusters": "clusters",
    "persons": "persons",
    "officials": "officials",
    "official_names": "officials",
    "funding_amounts": "funding",
    "funding_funders": "funding",
    "locations": "locations",
    "quote_speakers": "quotes",
}
_LEADING_DETERMINERS = ("l' ", "la ", "le ", "les ")


# ------------------------------------------------------------------------------ gold files


@dataclass(frozen=True)
class GoldArticle:
    """One annotated article: its text and the gold entities by key (absent optional keys: None)."""

    id: str
    text: str
    clusters: list[dict[str, Any]]
    officials: list[dict[str, Any]]
    funding: list[dict[str, Any]]
    locations: list[str]
    quotes: list[dict[str, Any]] | None = None
    persons: list[str] | None = None


def _check_list(row: dict, key: str, item_type: type, where: str) -> list:
    items = row.get(key)
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(i, item_type) for i in items):
        kind = "objects" if item_type is dict else "strings"
        raise UserError(f"{where}: {key!r} must be a list of {kind}")
    if item_type is dict:
        need = {"clusters": "name", "officials": "name", "quotes": "speaker"}.get(key)
        for item in items:
            if need and need not in item:
                raise UserError(f"{where}: every item of {key!r} needs a {need!r}")
    return items


def parse_gold_line(line: str, where: str, base_dir: Path) -> GoldArticle:
    """One gold JSON line as an article; `where` ("file:line") prefixes every error message."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise UserError(f"{where}: not valid JSON ({exc.msg})") from None
    if not isinstance(row, dict):
        raise UserError(f"{where}: expected a JSON object")
    if not isinstance(row.get("id"), str | int) or isinstance(row.get("id"), bool):
        raise UserError(f"{where}: missing 'id'")
    if isinstance(row.get("text"), str):
        text = row["text"]
    elif isinstance(row.get("text_path"), str):
        path = base_dir / row["text_path"]
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"{where}: cannot read text_path {str(path)!r} ({exc})") from None
    else:
        raise UserError(f"{where}: needs 'text' or 'text_path'")
    return GoldArticle(
        id=str(row["id"]),
        text=text,
        clusters=_check_list(row, "clusters", dict, where),
        officials=_check_list(row, "officials", dict, where),
        funding=_check_list(row, "funding", dict, where),
        locations=_check_list(row, "locations", str, where),
        quotes=_check_list(row, "quotes", dict, where) if "quotes" in row else None,
        persons=_check_list(row, "persons", str, where) if "persons" in row else None,
    )


def load_gold(path: str | Path) -> list[GoldArticle]:
    """Read a gold JSONL file (blank lines skipped); a bad line raises a UserError naming it."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise UserError(f"gold file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read gold file {path}: {exc}") from None
    articles: list[GoldArticle] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        article = parse_gold_line(line, where, path.parent)
        if article.id in seen:
            raise UserError(f"{where}: duplicate id {article.id!r}")
        seen.add(article.id)
        articles.append(article)
    return articles


# ------------------------------------------------------------------------------ normalisation


def name_key(name: str | None) -> str:
    """The comparison form of a person, place or organisation name."""
    return lookup_key(name or "")


def org_key(name: str | None) -> str | None:
    """The comparison form of a funder: a name key without its leading article ("la Région")."""
    if not name:
        return None
    key = name_key(name)
    for determiner in _LEADING_DETERMINERS:
        if key.startswith(determiner):
            key = key[len(determiner) :]
            break
    return key or None


def cluster_key(name: str) -> str:
    """The comparison form of a cluster: its gazetteer canonical name when known."""
    entry = canonical_cluster(name)
    return name_key(entry.name if entry else name)


def prefix_matches(gold_key: str | None, found_key: str | None) -> bool:
    """Normalised gold equals the extracted form, or is its prefix ending at a word boundary."""
    if not gold_key:
        return not found_key
    return found_key is not None and (found_key == gold_key or found_key.startswith(gold_key + " "))


def role_matches(gold_role: str | None, role: str | None) -> bool:
    """Gold role equals the extracted role, or is its prefix ending at a word boundary."""
    return prefix_matches(name_key(gold_role), name_key(role))


def funder_matches(gold_funder: str | None, funder: str | None) -> bool:
    """Same rule for funders, on `org_key`: gold "la Région" matches "Région Occitanie"."""
    return _funder_keys_match(org_key(gold_funder), org_key(funder))


def _funder_keys_match(gold_key: str | None, found_key: str | None) -> bool:
    # An extracted list of funders ("Région Bretagne, Union européenne") is no one funder: it
    # agrees with a gold null (the annotators' mark for joint funding), with nothing else.
    if found_key and "," in found_key:
        return gold_key is None or gold_key == found_key
    return prefix_matches(gold_key, found_key)


def amount_matches(gold: float, found: float, tolerance: float = AMOUNT_TOLERANCE) -> bool:
    """An extracted amount within `tolerance` (relative) of the gold amount."""
    return abs(float(found) - float(gold)) <= tolerance * abs(float(gold))


# ------------------------------------------------------------------------------ scoring


@dataclass
class Score:
    """True positive, false positive and false negative counts, and the measures they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class LineResult:
    """One article's score on one line, with the entities it got wrong (for `--errors`)."""

    score: Score
    false_positives: list[str] = field(default_factory=list)
    false_negatives: list[str] = field(default_factory=list)


Labelled = tuple[Any, str]


def match_sets(
    gold: Iterable[Labelled], found: Iterable[Labelled], same: Callable[[Any, Any], bool]
) -> LineResult:
    """Score (key, label) gold items against found items, deduplicated by key, with `same`.

    A gold item matched by any found item is a TP (once, however many match), an unmatched gold
    item a FN, a found item that matches no gold item a FP. Labels only name items in errors.
    """
    gold_items, found_items = _by_key(gold), _by_key(found)
    matched = [g for g in gold_items if any(same(g, f) for f in found_items)]
    missed = [g for g in gold_items if g not in matched]
    extra = [f for f in found_items if not any(same(g, f) for g in gold_items)]
    return LineResult(
        Score(tp=len(matched), fp=len(extra), fn=len(missed)),
        false_positives=[found_items[f] for f in extra],
        false_negatives=[gold_items[g] for g in missed],
    )


def _by_key(items: Iterable[Labelled]) -> dict[Any, str]:
    first: dict[Any, str] = {}
    for key, label in items:
        first.setdefault(key, label)
    return first


def _equal(a: Any, b: Any) -> bool:
    return a == b


@dataclass
class Prediction:
    """What an extractor reported for one article: INTERFACE mention dicts and person names."""

    mentions: list[dict[str, Any]]
    persons: list[str] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.mentions if m.get("kind") == kind]


def _amount(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _show_amount(amount: float) -> str:
    return f"{amount:,.0f} €".replace(",", " ")


def _funding_items(entries: Iterable[dict[str, Any]]) -> list[tuple[tuple[float, Any], str]]:
    items = []
    for entry in entries:
        amount = _amount(entry.get("amount_eur"))
        if amount is not None:
            funder = entry.get("funder")
            items.append(((amount, org_key(funder)), f"{_show_amount(amount)} / {funder or '-'}"))
    return items


def _one_role_per_person(
    gold_officials: list[dict[str, Any]], found: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The written sets annotate one role per person: a person's further roles found beside the
    one annotated are neither right nor wrong there, so they are left out of the count."""

    def matches(m: dict[str, Any]) -> bool:
        role = name_key(m.get("role_normalised") or m.get("role"))
        return any(
            name_key(o["name"]) == name_key(m["name"])
            and role_matches(name_key(o.get("role")), role)
            for o in gold_officials
        )

    right = {name_key(m["name"]) for m in found if matches(m)}
    kept: list[dict[str, Any]] = []
    for m in found:
        if name_key(m["name"]) not in right or matches(m):
            kept.append(m)
    return kept


def score_article(gold: GoldArticle, predicted: Prediction) -> dict[str, LineResult]:
    """Every report line the gold article is annotated for, scored against the prediction."""
    results: dict[str, LineResult] = {}
    results["clusters"] = match_sets(
        ((cluster_key(c["name"]), c["name"]) for c in gold.clusters),
        (
            (cluster_key(m["name"]), m["name"])
            for m in predicted.of_kind("cluster")
            if m.get("name")
        ),
        _equal,
    )
    if gold.persons is not None:
        results["persons"] = match_sets(
            ((name_key(p), p) for p in gold.persons),
            ((name_key(p), p) for p in predicted.persons if p),
            _equal,
        )
    officials = _one_role_per_person(
        gold.officials, [m for m in predicted.of_kind("official") if m.get("name")]
    )
    results["officials"] = match_sets(
        (
            ((name_key(o["name"]), name_key(o.get("role"))), f"{o['name']} / {o.get('role')}")
            for o in gold.officials
        ),
        (
            (
                (name_key(m["name"]), name_key(m.get("role_normalised") or m.get("role"))),
                f"{m['name']} / {m.get('role')}",
            )
            for m in officials
        ),
        lambda g, f: g[0] == f[0] and role_matches(g[1], f[1]),
    )
    results["official_names"] = match_sets(
        ((name_key(o["name"]), o["name"]) for o in gold.officials),
        ((name_key(m["name"]), m["name"]) for m in officials),
        _equal,
    )
    gold_funding = _funding_items(gold.funding)
    found_funding = _funding_items(predicted.of_kind("funding"))
    results["funding_amounts"] = match_sets(
        ((key[0], _show_amount(key[0])) for key, _ in gold_funding),
        ((key[0], _show_amount(key[0])) for key, _ in found_funding),
        amount_matches,
    )
    results["funding_funders"] = match_sets(
        gold_funding,
        found_funding,
        lambda g, f: amount_matches(g[0], f[0]) and _funder_keys_match(g[1], f[1]),
    )
    results["locations"] = match_sets(
        ((name_key(name), name) for name in gold.locations),
        ((name_key(m["name"]), m["name"]) for m in predicted.of_kind("location") if m.get("name")),
        _equal,
    )
    if gold.quotes is not None:
        results["quote_speakers"] = match_sets(
            ((name_key(q["speaker"]), q["speaker"]) for q in gold.quotes if q.get("speaker")),
            (
                (name_key(m["speaker"]), m["speaker"])
                for m in predicted.of_kind("quote")
                if m.get("speaker")
            ),
            _equal,
        )
    return results


# ------------------------------------------------------------------------------ extractors


def predict_pipeline(nlp: Any, texts: Sequence[str], batch_size: int = 16) -> list[Prediction]:
    """Run veille's pipeline over texts: mention dicts, persons = officials + full names found."""
    from pipeline.nlp import doc_to_dicts
    from pipeline.nlp.officials.persons import find_persons

    predictions = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        mentions = doc_to_dicts(doc)
        persons = [m["name"] for m in mentions if m["kind"] == "official" and m.get("name")]
        persons += [p.name for p in find_persons(doc) if p.full]
        predictions.append(Prediction(mentions, persons))
    return predictions


def predict_baseline(bare_nlp: Any, texts: Sequence[str], batch_size: int = 16) -> list[Prediction]:
    """The bare model's entities in the same shape: PER persons, LOC places, ORG/MISC clusters."""
    predictions = []
    for doc in bare_nlp.pipe(texts, batch_size=batch_size):
        mentions = []
        persons = []
        for ent in doc.ents:
            if ent.label_ == "PER":
                persons.append(ent.text)
            elif ent.label_ == "LOC":
                mentions.append({"kind": "location", "name": ent.text})
            elif ent.label_ in ("ORG", "MISC"):
                mentions.append({"kind": "cluster", "name": ent.text})
        predictions.append(Prediction(mentions, persons))
    return predictions


# ------------------------------------------------------------------------------ reports


@dataclass
class ArticleResult:
    """One article's results by line."""

    id: str
    lines: dict[str, LineResult]


@dataclass
class Report:
    """A gold file's summed scores by line (micro average) and the per-article details."""

    gold_path: str
    articles: list[ArticleResult]
    scores: dict[str, Score]

    def as_dict(self, with_errors: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "gold": self.gold_path,
            "articles": len(self.articles),
            "scores": {line: score.as_dict() for line, score in self.scores.items()},
        }
        if with_errors:
            data["errors"] = [
                {
                    "id": article.id,
                    "lines": {
                        line: {"fp": r.false_positives, "fn": r.false_negatives}
                        for line, r in article.lines.items()
                        if r.false_positives or r.false_negatives
                    },
                }
                for article in self.articles
            ]
        return data


def score_articles(
    gold_path: str, articles: Sequence[GoldArticle], predictions: Sequence[Prediction]
) -> Report:
    """Score every article and sum per line (lines no article is annotated for are left out)."""
    results = []
    scores: dict[str, Score] = {}
    for article, predicted in zip(articles, predictions, strict=True):
        lines = score_article(article, predicted)
        results.append(ArticleResult(article.id, lines))
        for line, result in lines.items():
            scores.setdefault(line, Score()).add(result.score)
    ordered = {line: scores[line] for line, _ in LINES if line in scores}
    return Report(str(gold_path), results, ordered)


def evaluate(gold_path: str | Path, nlp: Any) -> Report:
    """Run veille's pipeline `nlp` over a gold file's articles and score it."""
    articles = load_gold(gold_path)
    return score_articles(
        str(gold_path), articles, predict_pipeline(nlp, [a.text for a in articles])
    )


def evaluate_baseline(gold_path: str | Path, bare_nlp: Any) -> Report:
    """Score the bare spaCy model's entities on a gold file (no roles, money or quotes: 0 there)."""
    articles = load_gold(gold_path)
    return score_articles(
        str(gold_path), articles, predict_baseline(bare_nlp, [a.text for a in articles])
    )


def format_report(report: Report, baseline: Report | None = None, errors: bool = False) -> str:
    """The report as a text table (one row per line, baseline F1 beside), then errors if asked."""
    header = f"{'':<24} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"
    if baseline is not None:
        header += f"  {'baseline F1':>11}"
    out = [f"{report.gold_path}: {len(report.articles)} article(s)", header]
    for line, score in report.scores.items():
        row = (
            f"{LINE_LABELS[line]:<24} {score.precision:>6.3f} {score.recall:>6.3f} "
            f"{score.f1:>6.3f} {score.tp:>5} {score.fp:>5} {score.fn:>5}"
        )
        if baseline is not None:
            base = baseline.scores.get(line)
            row += f"  {base.f1:>11.3f}" if base is not None else f"  {'-':>11}"
        out.append(row)
    if errors:
        out.append("")
        out.extend(format_errors(report))
    return "\n".join(out)


def format_errors(report: Report) -> list[str]:
    """Per article and line, the false positives (+) and false negatives (-)."""
    out = []
    for article in report.articles:
        wrong = {
            line: r for line, r in article.lines.items() if r.false_positives or r.false_negatives
        }
        if not wrong:
            continue
        out.append(f"== {article.id}")
        for line, result in wrong.items():
            for item in result.false_positives:
                out.append(f"  {LINE_LABELS[line]:<24} FP + {item}")
            for item in result.false_negatives:
                out.append(f"  {LINE_LABELS[line]:<24} FN - {item}")
    return out
