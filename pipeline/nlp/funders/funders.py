"""Who funds each funding amount, chosen among the funders named around it by a linear ranker.

The funding component's rules pick a funder with many sentence-shape cases; real press names
the funder in more places (the paragraph's opener, a list's heading, a programme that is some
institution's money, several sentences before). This component lists the funders around each
amount (the funding lexicon's funder cues of its sentence, the three before it, its paragraph,
the article's first line, the institutions behind the programmes named by it, and the rules'
own choice), groups them by institution, describes each with a few dozen features (distance,
syntax, role words, how often the article names it, whether the rules chose it), and scores them
with logistic-regression weights trained on the real-press `real_dev` gold
(`python -m pipeline.nlp.funders.train`).
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from pipeline.nlp.doctools import doc_text, sentence_of
from pipeline.nlp.funding.funding import CUES_KEY, funding_scope, split_funders
from pipeline.nlp.mention import Mention, doc_mentions
from pipeline.real_scoring import institution, key

PATTERNS = Path(__file__).with_name("patterns")
PREVIOUS_SENTENCES = 3
INVESTORS = "investisseurs"


@cache
def _preceding_phrases() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(phrase, its words) of `preceding_words.csv`, longest first, read once."""
    with (PATTERNS / "preceding_words.csv").open(encoding="utf-8") as handle:
        phrases = [row["words"] for row in csv.DictReader(handle)]
    phrases.sort(key=lambda p: len(p.split()), reverse=True)
    return tuple((p, tuple(p.replace("'", "' ").split())) for p in phrases)


def _preceding(doc: Doc, start: int) -> str | None:
    """The longest listed phrase ending just before token `start` ("avec le soutien de")."""
    for phrase, words in _preceding_phrases():
        begin = start - len(words)
        if begin < 0:
            continue
        got = tuple(t.lower_.replace("’", "'") for t in doc[begin:start])
        if got == words or " ".join(got) == phrase:
            return phrase
    return None


@dataclass(frozen=True)
class CueRecord:
    """A funding-lexicon cue as the funding component left it on the doc."""

    kind: str
    start: int
    end: int
    name: str
    detail: str  # verb kind for verbs, role words for funders
    weak: bool
    public: bool
    implied: str

    @classmethod
    def of(cls, row: Sequence[Any]) -> CueRecord:
        kind, start, end, name, detail, weak, public, implied = row
        return cls(kind, start, end, name, detail, weak == "1", public == "1", implied)


@dataclass
class FunderCandidate:
    """One possible funder of one amount (an institution), with the features the ranker reads."""

    name: str
    features: dict[str, float] = field(default_factory=dict)


def _group_key(name: str) -> str:
    return institution(name) or key(name)


def _cues(doc: Doc) -> list[CueRecord]:
    return [CueRecord.of(row) for row in doc.user_data.get(CUES_KEY, [])]


def candidates(doc: Doc, mention: Mention) -> list[FunderCandidate]:
    """The funders that may fund the mention's amount, one per institution, with features."""
    amount = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if amount is None or not len(amount):
        return []
    text = doc_text(doc)
    cues = _cues(doc)
    sent = sentence_of(doc, amount.start)
    sentence_starts = [sent.start]
    while len(sentence_starts) <= PREVIOUS_SENTENCES and sentence_starts[-1] > 0:
        sentence_starts.append(sentence_of(doc, sentence_starts[-1] - 1).start)
    paragraph_start = text.rfind("\n", 0, amount.start_char) + 1
    first_line_end = text.find("\n")
    first_line_end = len(text) if first_line_end < 0 else first_line_end
    funder_cues = [c for c in cues if c.kind == "funder"]
    verbs = [c for c in cues if c.kind == "verb" and sent.start <= c.start < sent.end]
    total = len(funder_cues) or 1
    instrument = mention.fields.get("instrument")
    rule_funders = split_funders(mention.fields.get("funder"))
    rule_keys = {_group_key(n) for n in rule_funders}
    groups: dict[str, FunderCandidate] = {}

    def candidate(name: str) -> FunderCandidate:
        group = _group_key(name)
        if group not in groups:
            groups[group] = FunderCandidate(name, {"bias": 1.0})
        return groups[group]

    nearest: dict[str, int] = {}
    for cue in funder_cues:
        group = _group_key(cue.name)
        found = candidate(cue.name)
        f = found.features
        f["article_count"] = f.get("article_count", 0.0) + 1.0
        char = doc[cue.start].idx
        if char < first_line_end:
            f["first_line"] = 1.0
        gap = cue.start - amount.end if cue.start >= amount.end else amount.start - cue.end
        in_sentence = sent.start <= cue.start < sent.end
        back = next((k for k, s in enumerate(sentence_starts) if cue.start >= s), None)
        if in_sentence:
            f["same_sentence"] = 1.0
            f["after" if cue.start >= amount.end else "before"] = 1.0
        elif back is not None and cue.start < amount.start:
            f[f"previous_sentence_{back}"] = 1.0
        if paragraph_start <= char < amount.start_char:
            f["paragraph_before"] = 1.0
        if cue.start > amount.end and not in_sentence:
            f["later_sentence"] = 1.0
        if cue.weak:
            f["weak"] = 1.0
        if cue.public:
            f["public"] = 1.0
        for role in cue.detail.split():
            f[f"role={role}"] = 1.0
        if group not in nearest or gap < nearest[group]:
            nearest[group] = gap
            found.name = cue.name
            _syntax(doc, cue, verbs, f, in_sentence)
    for group, gap in nearest.items():
        f = groups[group].features
        f["log_gap"] = math.log1p(max(gap, 0))
        f["article_share"] = f["article_count"] / total
        f["article_count"] = math.log1p(f["article_count"])
    for cue in cues:
        if cue.kind == "instrument" and cue.implied and sent.start <= cue.start < sent.end:
            near = abs(cue.start - amount.start) <= 12
            for name in split_funders(cue.implied):
                f = candidate(name).features
                f["from_programme"] = 1.0
                if near:
                    f["programme_near"] = 1.0
    if instrument == "levée de fonds":
        candidate(INVESTORS).features["investors_of_levee"] = 1.0
    for name in rule_funders:
        candidate(name)
    for group, found in groups.items():
        f = found.features
        if group in rule_keys:
            f["rule_pick"] = 1.0
            f[f"rule={mention.fields.get('funder_rule') or 'none'}"] = 1.0
            if len(rule_funders) > 1:
                f["rule_joint"] = 1.0
            if not any(k in f for k in ("log_gap", "from_programme", "investors_of_levee")):
                f["rule_only"] = 1.0
        if found.name == INVESTORS or group == INVESTORS:
            f["investors"] = 1.0
            if instrument != "levée de fonds":
                f["investors_without_levee"] = 1.0
        if instrument:
            f["has_instrument"] = 1.0
        if any(v.detail == "grant" for v in verbs):
            f["grant_verb_in_sentence"] = 1.0
    if not rule_funders:
        for found in groups.values():
            found.features["rule_none"] = 1.0
    return list(groups.values())


def _syntax(
    doc: Doc, cue: CueRecord, verbs: list[CueRecord], f: dict[str, float], in_sentence: bool
) -> None:
    """Features of the cue's place in its sentence: the words before it, its dependency role,
    the funding verb it hangs on."""
    for k in [k for k in f if k.startswith(("prev=", "dep=", "subject_of=", "object_of="))]:
        del f[k]
    before = _preceding(doc, cue.start)
    f[f"prev={before}"] = 1.0
    root = doc[cue.start : cue.end].root
    dep = root.dep_.split(":")[0]
    if dep not in ("nsubj", "obj", "obl", "nmod", "conj", "appos", "ROOT", "iobj"):
        dep = "other"
    f[f"dep={dep}"] = 1.0
    if not in_sentence:
        return
    for verb in verbs:
        if root.head.i == verb.start and verb.detail:
            if dep == "nsubj":
                f[f"subject_of={verb.detail}"] = 1.0
            elif dep in ("obj", "obl", "iobj", "nmod"):
                f[f"object_of={verb.detail}"] = 1.0


@dataclass(frozen=True)
class Ranker:
    """Logistic-regression weights over candidate features, and the threshold to name one."""

    weights: dict[str, float]
    threshold: float

    def probability(self, candidate: FunderCandidate) -> float:
        score = sum(self.weights.get(k, 0.0) * v for k, v in candidate.features.items())
        return 1.0 / (1.0 + math.exp(-max(min(score, 30.0), -30.0)))

    def choose(self, found: list[FunderCandidate]) -> tuple[FunderCandidate | None, float]:
        """The best candidate and its probability, or None under the threshold."""
        if not found:
            return None, 0.0
        best = max(found, key=self.probability)
        probability = self.probability(best)
        return (best if probability >= self.threshold else None), probability


def load_ranker(name: str = "ranker.json") -> tuple[Ranker | None, str, float]:
    """The trained ranker of `patterns/NAME` and how it combines with the rules ("ranker",
    "ranker_else_rules", "override", "rules_then_ranker", "rules") with the override's drop
    threshold, or (None, "rules", 0) where none was trained yet."""
    path = PATTERNS / name
    if not path.exists():
        return None, "rules", 0.0
    data = json.loads(path.read_text(encoding="utf-8"))
    ranker = Ranker(data["weights"], data["threshold"])
    return ranker, data.get("mode", "ranker"), data.get("drop", 0.0)


def decide(
    mode: str, ranker: Ranker, rule: str | None, found: list[FunderCandidate], drop: float = 0.0
) -> tuple[str | None, float | None]:
    """The funder the component keeps for one amount, by the mode chosen in training, and the
    ranker's probability when the ranker decided (None when the rules' funder stands).

    "override" keeps the rules' funder unless the ranker is sure of another one (over the
    threshold) or gives the rules' own one less than `drop`; where the rules name none, the
    ranker's best over the threshold."""
    if mode == "rules" or (mode == "rules_then_ranker" and rule):
        return rule, None
    if mode == "override" and rule:
        return _override(ranker, rule, found, drop)
    best, probability = ranker.choose(found)
    if best is None:
        return (rule, None) if mode == "ranker_else_rules" else (None, probability)
    if best.features.get("rule_pick") and rule:
        return rule, probability  # the rules' own spelling, joint funders kept together
    return best.name, probability


def _override(
    ranker: Ranker, rule: str, found: list[FunderCandidate], drop: float
) -> tuple[str | None, float | None]:
    picked = [c for c in found if c.features.get("rule_pick")]
    best, probability = ranker.choose(found)
    if best is not None and not best.features.get("rule_pick"):
        return best.name, probability
    if picked:
        top = max(ranker.probability(c) for c in picked)
        if top < drop:
            return None, top
    return rule, None


class FunderRanker:
    """Re-decide the funder of every funding amount with the trained ranker."""

    def __init__(self, name: str, model: str = "ranker.json") -> None:
        self.name = name
        self.ranker, self.mode, self.drop = load_ranker(model)

    def __call__(self, doc: Doc) -> Doc:
        if self.ranker is None or self.mode == "rules":
            return doc
        for mention in doc_mentions(doc, "funding"):
            if mention.fields.get("amount_eur") is None:
                continue
            rule = mention.fields.get("funder")
            found = candidates(doc, mention)
            chosen, probability = decide(self.mode, self.ranker, rule, found, self.drop)
            if chosen == rule:
                continue
            _set_funder(mention, chosen, probability)
        return doc


def _set_funder(mention: Mention, funder: str | None, probability: float | None) -> None:
    """Write the ranker's funder into the mention's fields (investors of a levée de fonds
    stay the investors' class, with their names apart)."""
    fields = mention.fields
    fields["funder"] = funder
    fields["funders"] = split_funders(funder)
    if funder is None:
        fields["funder_rule"] = None
        fields["funder_confidence"] = None
    else:
        fields["funder_rule"] = "ranker"
        fields["funder_confidence"] = round(probability or 0.0, 3)
    fields["scope"] = funding_scope(
        mention.sentence or "", fields.get("amount_eur"), fields["funders"], None
    )
