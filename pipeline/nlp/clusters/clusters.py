"""Cluster mentions: pôles de compétitivité, clusters / grappes d'entreprises and their networks.

Two passes: a gazetteer of known entities (`patterns/clusters.jsonl`) matched on the normalised
token form, then trigger rules (`patterns/triggers.jsonl`) for clusters the gazetteer does not
know ("le cluster X", "X, le pôle dédié à ...", "un futur cluster de l'hydrogène"). A gazetteer
hit always wins over an overlapping rule hit.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from pipeline.nlp.clusters.phrases import (
    brand_variants,
    lookup_key,
    pattern_docs,
    spelling_variants,
)
from pipeline.nlp.doctools import sentence_of
from pipeline.nlp.mention import Mention, add_mention

PATTERNS_DIR = Path(__file__).parent / "patterns"
GAZETTEER_PATH = PATTERNS_DIR / "clusters.jsonl"
TECHNOPOLES_PATH = PATTERNS_DIR / "technopoles.jsonl"
# The reference lists read by default: pôles and clusters, then technopoles and their network.
GAZETTEER_PATHS = (GAZETTEER_PATH, TECHNOPOLES_PATH)
TRIGGERS_PATH = PATTERNS_DIR / "triggers.jsonl"
CONTEXTS_PATH = PATTERNS_DIR / "contexts.json"

CLUSTER_KINDS = ("pole_de_competitivite", "cluster", "cluster_network", "other")
GAZETTEER_CONFIDENCE = 0.95
MAX_NAME_TOKENS = 6
EX_PREFIX = "ex-"
# Parts of speech that never belong to a cluster name even when capitalised ("À", "Le").
_FUNCTION_POS = {"DET", "ADP", "CCONJ", "SCONJ", "PRON", "AUX", "PUNCT"}
# Parts of speech allowed in the complement of an unnamed cluster ("de l'hydrogène").
OPENING_QUOTES = frozenset({"«", '"', "\u201c"})
CLOSING_QUOTES = frozenset({"»", '"', "\u201d"})
MAX_QUOTED_TOKENS = 10
# After a plural cue, the list of names may open with these: "pôles émergents, comme A".
LIST_OPENERS = frozenset({"comme", ":", "-", "\u2013", "(", "dont"})
MAX_LISTED = 12
# "cinq clusters Midi-Pyrénéens", "les pôles bretons": an inhabitants' adjective, not a name.
DEMONYM_ENDINGS = ("iens", "éens", "ais", "ois", "ains", "ands", "ons")
_CAPITAL_FUNCTION_WORDS = frozenset(
    {"le", "la", "les", "de", "du", "des", "et", "à", "au", "aux", "en", "un", "une", "l", "d"}
)
_COMPLEMENT_POS = {"NOUN", "ADJ", "PROPN", "DET", "ADP"}
_COMPLEMENT_ADP = {"de", "du", "des", "d'", "à", "au", "aux"}


@dataclass(frozen=True)
class ClusterEntry:
    """One gazetteer entity: canonical name, kind, the spellings it is written with, its région."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    exact_aliases: tuple[str, ...] = ()
    region: str | None = None
    successor: str | None = None


@dataclass(frozen=True)
class TriggerRule:
    """A phrase that introduces a cluster not in the gazetteer, and where its name is."""

    rule: str
    trigger: str
    cluster_kind: str
    mode: str  # name_after | name_before | unnamed
    confidence: float
    strict_name: bool = False
    needs_cue: bool = False
    needs_next: tuple[str, ...] = ()
    # The trigger itself must be written with a capital: "Avignon Technopôle" names a
    # technopole, "la technopole" does not.
    capitalised: bool = False


def load_gazetteer(path: Path | None = None) -> list[ClusterEntry]:
    """Read a gazetteer JSONL file (default: every reference list) into entries.

    A line with `_source` is the file's header (where the list comes from, and its date).
    """
    if path is None:
        return [entry for default in GAZETTEER_PATHS for entry in load_gazetteer(default)]
    entries = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            if "_source" in row:
                continue
            entries.append(
                ClusterEntry(
                    name=row["name"],
                    kind=row["kind"],
                    aliases=tuple(row.get("aliases") or ()),
                    exact_aliases=tuple(row.get("exact_aliases") or ()),
                    region=row.get("region"),
                    successor=row.get("successor"),
                )
            )
    return entries


def load_triggers(path: Path = TRIGGERS_PATH) -> list[TriggerRule]:
    """Read the trigger rules JSONL file, in file order (the first rule that fires wins)."""
    rules = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            rules.append(
                TriggerRule(
                    rule=row["rule"],
                    trigger=row["trigger"],
                    cluster_kind=row["cluster_kind"],
                    mode=row["mode"],
                    confidence=float(row["confidence"]),
                    strict_name=bool(row.get("strict_name", False)),
                    needs_cue=bool(row.get("needs_cue", False)),
                    needs_next=tuple(row.get("needs_next") or ()),
                    capitalised=bool(row.get("capitalised", False)),
                )
            )
    return rules


def build_index(entries: Iterable[ClusterEntry]) -> dict[str, ClusterEntry]:
    """Map the lookup key of every name and alias to its entry."""
    index: dict[str, ClusterEntry] = {}
    for entry in entries:
        for alias in (entry.name, *entry.aliases, *entry.exact_aliases):
            index.setdefault(lookup_key(alias), entry)
    return index


@lru_cache(maxsize=1)
def _default_index() -> dict[str, ClusterEntry]:
    return build_index(load_gazetteer())


def canonical_cluster(name: str) -> ClusterEntry | None:
    """The gazetteer entry a cluster name or alias refers to (case, accents, hyphens ignored);
    a former pôle gives the pôle it merged into."""
    index = _default_index()
    entry = index.get(lookup_key(name))
    seen = set()
    while entry is not None and entry.successor and entry.name not in seen:
        seen.add(entry.name)
        entry = index.get(lookup_key(entry.successor), entry)
    return entry


@lru_cache(maxsize=4096)
def is_territory_name(name: str) -> bool:
    """A région (today's or former) or a département: "les clusters de Limousin" names a
    territory, and "le pôle Aquitaine" is never a cluster of that name."""
    # Imported here: the places component reads this package's spelling helpers.
    from pipeline.nlp.locations.locations import lookup_places

    levels = {"region", "old_region", "departement"}
    return any(place.level in levels for place in lookup_places(name))


def _is_name_token(token: Token) -> bool:
    first = token.text[:1]
    if token.text.isupper() and token.is_alpha and token.norm_ not in _CAPITAL_FUNCTION_WORDS:
        return len(token.text) >= 2  # an acronym the tagger took for a pronoun: "TES"
    return (first.isupper() or first.isdigit()) and token.pos_ not in _FUNCTION_POS


class ClusterRecognizer:
    """Find cluster mentions and add them to `doc._.veille_mentions` (kind "cluster")."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        gazetteer_path: str | None = None,
        triggers_path: str | None = None,
        contexts_path: str | None = None,
    ) -> None:
        self.name = name
        self.entries = load_gazetteer(Path(gazetteer_path) if gazetteer_path else None)
        self.index = build_index(self.entries)
        self.rules = load_triggers(Path(triggers_path) if triggers_path else TRIGGERS_PATH)
        with open(contexts_path or CONTEXTS_PATH, encoding="utf-8") as handle:
            contexts: dict[str, Any] = json.load(handle)
        self.not_cluster_names = set(contexts["not_cluster_names"])
        self.blocked_full_names = {lookup_key(n) for n in contexts["blocked_full_names"]}
        self.lead_determiners = set(contexts["lead_determiners"])
        self.prefix_adjectives = set(contexts["unnamed_prefix_adjectives"])
        self.complement_heads = set(contexts["unnamed_complement_heads"])
        self.unnamed_blocked = set(contexts["unnamed_blocked_words"])
        self.emergence_cues = set(contexts["emergence_cues"])
        self.name_connectors = set(contexts["name_connectors"])
        self.max_adjectives = int(contexts["skippable_adjectives_max"])

        self.gazetteer_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.exact_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for position, entry in enumerate(self.entries):
            key = f"cluster_{position}"
            spellings = {entry.name, *entry.aliases} - set(entry.exact_aliases)
            spellings = {v for s in spellings if len(s) >= 5 for v in brand_variants(s)} | spellings
            variants = (
                set().union(*(spelling_variants(s) for s in spellings)) if spellings else set()
            )
            if variants:
                self.gazetteer_matcher.add(key, pattern_docs(nlp, sorted(variants)))
            if entry.exact_aliases:
                self.exact_matcher.add(key, list(nlp.tokenizer.pipe(entry.exact_aliases)))

        self.trigger_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.rules_by_trigger: dict[str, list[TriggerRule]] = defaultdict(list)
        for rule in self.rules:
            self.rules_by_trigger[rule.trigger].append(rule)
        for trigger in self.rules_by_trigger:
            variants = {trigger, trigger.replace("'", "\u2019")}
            self.trigger_matcher.add(trigger, pattern_docs(nlp, sorted(variants)))

    def __call__(self, doc: Doc) -> Doc:
        known = self._gazetteer_spans(doc)
        for span in known:
            entry = self.entries[int(span.label_.rsplit("_", 1)[1])]
            self._add(doc, span, entry.name, entry.kind, True, GAZETTEER_CONFIDENCE, "gazetteer")
        taken = {i for span in known for i in range(span.start, span.end)}
        for token in doc:
            # "l'ex-Mov'eo": the tokenizer keeps the prefix and the former name in one token.
            if token.i in taken or not token.norm_.startswith(EX_PREFIX):
                continue
            entry = self.index.get(lookup_key(token.text[len(EX_PREFIX) :]))
            if entry is not None:
                start = token.idx + len(EX_PREFIX)
                span = doc.char_span(start, token.idx + len(token), alignment_mode="expand")
                surface = token.text[len(EX_PREFIX) :]
                self._add_chars(doc, start, token.idx + len(token), surface, entry, "gazetteer_ex")
                taken.update(range(span.start, span.end))
        for span, name, kind, rule in self._rule_spans(doc, taken):
            entry = self.index.get(lookup_key(name))
            if entry is not None:
                self._add(doc, span, entry.name, entry.kind, True, rule.confidence, rule.rule)
            elif not is_territory_name(name):
                self._add(doc, span, name, kind, False, rule.confidence, rule.rule)
        return doc

    @staticmethod
    def _add_chars(
        doc: Doc, start: int, end: int, text: str, entry: ClusterEntry, rule: str
    ) -> None:
        add_mention(
            doc,
            Mention(
                kind="cluster",
                start=start,
                end=end,
                text=text,
                confidence=GAZETTEER_CONFIDENCE,
                rule=rule,
                fields={"name": entry.name, "cluster_kind": entry.kind, "known": True},
            ),
        )

    @staticmethod
    def _add(
        doc: Doc, span: Span, name: str, kind: str, known: bool, confidence: float, rule: str
    ) -> None:
        add_mention(
            doc,
            Mention(
                kind="cluster",
                start=span.start_char,
                end=span.end_char,
                text=span.text,
                confidence=confidence,
                rule=rule,
                fields={"name": name, "cluster_kind": kind, "known": known},
            ),
        )

    def _gazetteer_spans(self, doc: Doc) -> list[Span]:
        spans = [
            Span(doc, start, end, label=match_id)
            for matcher in (self.gazetteer_matcher, self.exact_matcher)
            for match_id, start, end in matcher(doc)
        ]
        kept = [s for s in filter_spans(spans) if not self._inside_other_name(doc, s)]
        return sorted(kept, key=lambda s: s.start)

    @staticmethod
    def _inside_other_name(doc: Doc, span: Span) -> bool:
        """A one-word hit that is the start of a longer name ("Temis Micro", a company)."""
        if len(span) != 1 or span.end >= len(doc):
            return False
        nxt = doc[span.end]
        return nxt.text[:1].isupper() and nxt.pos_ == "PROPN" and not nxt.is_sent_start

    def _rule_spans(self, doc: Doc, taken: set[int]) -> list[tuple[Span, str, str, TriggerRule]]:
        found: list[tuple[Span, str, str, TriggerRule]] = []
        consumed: set[int] = set()  # trigger tokens already used by a rule that fired
        claimed: set[int] = set()  # tokens of the mentions found by rules
        matches = sorted(self.trigger_matcher(doc), key=lambda m: (m[1], m[1] - m[2]))
        for match_id, start, end in matches:
            # A trigger inside a gazetteer name ("le pôle européen de la céramique") is not one.
            if consumed.intersection(range(start, end)) or taken.intersection(range(start, end)):
                continue
            trigger = doc.vocab.strings[match_id]
            for rule in self.rules_by_trigger[trigger]:
                hit = self._apply(rule, doc, start, end)
                if hit is None:
                    continue
                span, name = hit
                consumed.update(range(start, end))
                tokens = set(range(span.start, span.end))
                if not tokens & (taken | claimed):
                    found.append((span, name, rule.cluster_kind, rule))
                    claimed.update(tokens)
                if rule.mode == "name_after" and trigger.endswith("s"):
                    for listed in self._listed_after(doc, span):
                        tokens = set(range(listed.start, listed.end))
                        if not tokens & (taken | claimed):
                            text = " ".join(listed.text.split())
                            found.append((listed, text, rule.cluster_kind, rule))
                            claimed.update(tokens)
                break
        return found

    def _apply(self, rule: TriggerRule, doc: Doc, start: int, end: int) -> tuple[Span, str] | None:
        if rule.mode == "name_after":
            return self._name_after(rule, doc, start, end)
        if rule.mode == "name_before":
            return self._name_before(rule, doc, start, end)
        if rule.mode == "unnamed":
            return self._unnamed(rule, doc, start, end)
        raise ValueError(f"unknown trigger mode {rule.mode!r} in rule {rule.rule!r}")

    def _extend_name(self, doc: Doc, first: int) -> int:
        """Index just past the capitalised name starting at `first` (== first if there is none)."""
        last = first
        while (
            last < len(doc) and last - first < MAX_NAME_TOKENS and self._continues(doc, first, last)
        ):
            last += 1
        return last

    def _continues(self, doc: Doc, first: int, position: int) -> bool:
        token = doc[position]
        if _is_name_token(token):
            return not (position > first and token.is_sent_start)
        return (
            position > first
            and token.norm_ in self.name_connectors
            and position + 1 < len(doc)
            and _is_name_token(doc[position + 1])
        )

    def _acceptable_name(self, name: Span, strict: bool) -> bool:
        if name[0].norm_ in self.not_cluster_names or name[0].is_sent_start:
            return False
        if strict:
            return all(
                t.pos_ in {"PROPN", "X", "NUM"} or t.is_upper or not t.is_alpha for t in name
            )
        return True

    def _name_after(
        self, rule: TriggerRule, doc: Doc, start: int, end: int
    ) -> tuple[Span, str] | None:
        if rule.strict_name and (start == 0 or doc[start - 1].norm_ not in self.lead_determiners):
            return None
        first = end
        while (
            first < len(doc)
            and first - end < self.max_adjectives
            and doc[first].pos_ == "ADJ"
            and doc[first].is_lower
        ):
            first += 1
        if rule.trigger == "pôle" and [t.norm_ for t in doc[first : first + 2]] == [
            "de",
            "compétitivité",
        ]:
            # "le pôle normand de compétitivité numérique TES"
            first += 2
            while first < len(doc) and doc[first].pos_ == "ADJ" and doc[first].is_lower:
                first += 1
        quoted = self._quoted_name(doc, first)
        if quoted is not None and quoted[0].norm_ not in self.not_cluster_names:
            return quoted, " ".join(quoted.text.split())
        plural = rule.trigger.endswith("s")
        if plural and first < len(doc):
            # "deux pôles émergents, comme Game IN ..." / "les clusters : A, B et C"
            j = first + 1 if doc[first].text == "," else first
            if j < len(doc) and doc[j].norm_ in LIST_OPENERS:
                first = j + 1
        last = self._extend_name(doc, first)
        if last == first:
            return None
        name = doc[first:last]
        if not self._acceptable_name(name, rule.strict_name):
            return None
        if plural and (not self._listed_name(name) or _territory_ahead(doc, first, last)):
            return None
        if lookup_key(doc[start:last].text) in self.blocked_full_names:
            return None
        return name, " ".join(name.text.split())

    @staticmethod
    def _quoted_name(doc: Doc, first: int) -> Span | None:
        """A name in quotes right after the cue: le cluster « Patrimoine gastronomique »."""
        if first >= len(doc) or doc[first].text not in OPENING_QUOTES:
            return None
        for close in range(first + 2, min(len(doc), first + 2 + MAX_QUOTED_TOKENS)):
            if doc[close].text in CLOSING_QUOTES:
                name = doc[first + 1 : close]
                return name if name[0].text[:1].isupper() else None
            if doc[close].text in {".", "\n"} or doc[close].text in OPENING_QUOTES:
                return None
        return None

    def _name_with_trigger(self, doc: Doc, start: int, end: int) -> tuple[Span, str] | None:
        """A name ending with its capitalised trigger: "Avignon Technopôle"."""
        if not doc[start].text[:1].isupper():
            return None
        first = start
        while first > 0 and start - first < MAX_NAME_TOKENS and _is_name_token(doc[first - 1]):
            first -= 1
            if doc[first].is_sent_start:
                break
        if first == start or doc[first].norm_ in self.not_cluster_names:
            return None
        name = doc[first:end]
        return name, " ".join(name.text.split())

    def _listed_name(self, name: Span) -> bool:
        """A name after a plural cue starts with a letter, and is no lone adjective ("cinq
        clusters Midi-Pyrénéens") nor a common word ("pôles 2.0")."""
        if not name[0].text[:1].isalpha() or name[0].norm_ in self.not_cluster_names:
            return False
        words = name.text.replace("-", " ").split()
        alone = len(words) == 1 or (len(name) == 3 and name[1].text == "-")
        last = words[-1].lower()
        return not (alone and (name[-1].pos_ == "ADJ" or last.endswith(DEMONYM_ENDINGS)))

    def _listed_after(self, doc: Doc, span: Span) -> list[Span]:
        """The further names of a list opened by a plural cue: "les pôles Axelera, Techtera
        (textile) et Tenerrdis", "clusters comme A et B"."""
        names: list[Span] = []
        j = span.end
        while j < len(doc) and len(names) < MAX_LISTED:
            j = _past_parenthesis(doc, j)
            if j + 3 < len(doc) and doc[j].norm_ == "pour" and doc[j + 1].pos_ == "DET":
                j += 2  # "A pour le jeu vidéo, ou B pour la mode"
                while j < len(doc) and doc[j].is_lower and doc[j].pos_ in {"NOUN", "ADJ"}:
                    j += 1
            if j >= len(doc) or doc[j].norm_ not in {",", "et", "ou"}:
                break
            j += 1
            if j < len(doc) and doc[j].norm_ in {"et", "ou"}:
                j += 1
            last = self._extend_name(doc, j)
            if last == j or doc[j].is_sent_start:
                break
            name = doc[j:last]
            if not self._listed_name(name) or _territory_ahead(doc, j, last):
                break
            names.append(name)
            j = last
        return names

    def _name_before(
        self, rule: TriggerRule, doc: Doc, start: int, end: int
    ) -> tuple[Span, str] | None:
        if rule.needs_next and (end >= len(doc) or doc[end].norm_ not in rule.needs_next):
            return None
        if rule.capitalised:
            return self._name_with_trigger(doc, start, end)
        # "Aquitaine et Midi-Pyrénées, le pôle de compétitivité Aerospace Valley": the cue
        # introduces the name after it, the words before are something else.
        after = end
        while after < len(doc) and after - end < self.max_adjectives + 2 and doc[after].is_lower:
            if doc[after].pos_ != "ADJ" and doc[after].norm_ not in {"de", "compétitivité"}:
                break
            after += 1
        if after < len(doc) and _is_name_token(doc[after]) and not doc[after].is_sent_start:
            return None
        first = start
        while first > 0 and start - first < MAX_NAME_TOKENS:
            token = doc[first - 1]
            if _is_name_token(token):
                first -= 1
                if token.is_sent_start:
                    break
            elif (
                first < start
                and token.norm_ in self.name_connectors
                and first - 2 >= 0
                and _is_name_token(doc[first - 2])
            ):
                first -= 1
            else:
                break
        if first == start:
            return None
        name = doc[first:start]
        if name[0].norm_ in self.not_cluster_names:
            return None
        if first > 0 and doc[first - 1].pos_ == "DET":  # "dans la Haute-Vienne, le pôle ..."
            return None
        if not any(t.pos_ == "PROPN" or t.is_upper for t in name):
            return None
        if len(name) == 1 and name[0].is_sent_start and name[0].pos_ != "PROPN":
            return None
        return name, " ".join(name.text.split())

    def _unnamed(
        self, rule: TriggerRule, doc: Doc, start: int, end: int
    ) -> tuple[Span, str] | None:
        first = start
        if first > 0 and doc[first - 1].norm_ in self.prefix_adjectives:
            first -= 1
        if first == 0 or doc[first - 1].norm_ not in self.lead_determiners:
            return None
        position = end
        while (
            position < len(doc)
            and position - end < self.max_adjectives
            and doc[position].pos_ == "ADJ"
            and doc[position].norm_ not in self.complement_heads
        ):
            position += 1
        if position >= len(doc) or doc[position].norm_ not in self.complement_heads:
            return None
        last = position + 1
        while last < len(doc) and last - position <= MAX_NAME_TOKENS:
            token = doc[last]
            # "du cuir et du luxe": a second complement joined by "et" belongs to the name.
            coordinated = (
                token.norm_ == "et"
                and last + 1 < len(doc)
                and doc[last + 1].norm_ in _COMPLEMENT_ADP
                and last - position < MAX_NAME_TOKENS
            )
            if not coordinated and (
                token.pos_ not in _COMPLEMENT_POS
                or (token.pos_ == "ADP" and token.norm_ not in _COMPLEMENT_ADP)
            ):
                break
            last += 1
        while last > position + 1 and doc[last - 1].pos_ in {"DET", "ADP"}:
            last -= 1
        content = [t for t in doc[position + 1 : last] if t.pos_ in {"NOUN", "PROPN", "ADJ"}]
        if not content or any(t.norm_ in self.unnamed_blocked for t in doc[first:last]):
            return None
        if rule.needs_cue:
            sentence = sentence_of(doc, start)
            if not any(t.norm_ in self.emergence_cues for t in sentence):
                return None
        span = doc[first:last]
        return span, " ".join(span.text.split())


def _past_parenthesis(doc: Doc, i: int) -> int:
    """The token after a short parenthesis opening at `i` ("Techtera (textile)"), else `i`."""
    if i >= len(doc) or doc[i].text != "(":
        return i
    for j in range(i + 1, min(len(doc), i + MAX_QUOTED_TOKENS)):
        if doc[j].text == ")":
            return j + 1
        if doc[j].text in {"(", ".", "\n"}:
            break
    return i


def _territory_ahead(doc: Doc, first: int, last: int) -> bool:
    """The name, with the "de Loire" that may follow it, is a territory: "les clusters
    Centre-Val de Loire"."""
    end = last
    while end + 1 < len(doc) and doc[end].norm_ in {"de", "du", "d'"} and doc[end + 1].is_title:
        end += 2
    return is_territory_name(doc[first:end].text) or is_territory_name(doc[first:last].text)
