"""Location mentions: communes, départements and régions (today's and pre-2016 ones).

Gazetteers in `patterns/` (INSEE COG names and codes) are matched on the normalised token form;
context rules in `patterns/contexts.json` drop common words and people's names ("à plusieurs
tours", "Nancy Martin"), street names ("rue de Nantes") and places inside a cluster name.
A département code in brackets ("Bordeaux (33)") picks between homonyms; it is left out of the
mention span, which covers the place name only.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipeline.nlp.clusters.phrases import lookup_key, pattern_docs, spelling_variants
from pipeline.nlp.doctools import entity_at
from pipeline.nlp.mention import Mention, add_mention, doc_mentions
from pipeline.nlp.normalizer.normalizer import normalize_text

PATTERNS_DIR = Path(__file__).parent / "patterns"
LEVELS = ("commune", "departement", "region", "old_region")  # preference order for homonyms
BASE_CONFIDENCE = {"region": 0.95, "old_region": 0.9, "departement": 0.9, "commune": 0.85}
CUE_CONFIDENCE = 0.75
CODE_CONFIDENCE = 0.95
UNKNOWN_COMMUNE_CONFIDENCE = 0.7
MAX_UNKNOWN_COMMUNE_TOKENS = 5
MAX_SCAN_TOKENS = 9  # "Saint-Yrieix-la-Perche" is seven tokens
_NER_PLACE_LABELS = {"LOC", "GPE"}
_NOT_IN_NAMES = {"DET", "ADP", "PUNCT"}


@dataclass(frozen=True)
class Place:
    """A place of the gazetteers: its name, level, today's région and département code."""

    name: str
    level: str  # commune | departement | region | old_region
    region: str
    departement_code: str | None = None
    ambiguous: int = 0


@dataclass(frozen=True)
class PlaceSpelling:
    """A place with the spellings it is matched by (case-insensitive and case-sensitive)."""

    place: Place
    aliases: tuple[str, ...]
    exact_aliases: tuple[str, ...] = ()


@dataclass
class _Candidate:
    start: int  # token offsets
    end: int
    start_char: int
    end_char: int
    key: str
    surface: str
    required_previous: frozenset[str] = frozenset()
    ex_prefixed: bool = False


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split("|") if part.strip())


def _read_csv(path: Path) -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load_places(patterns_dir: Path = PATTERNS_DIR) -> list[PlaceSpelling]:
    """Read the four gazetteers: régions, former régions, départements, communes."""
    spellings = []
    for row in _read_csv(patterns_dir / "regions.csv"):
        place = Place(row["name"], "region", row["name"])
        spellings.append(
            PlaceSpelling(
                place, (row["name"], *_split(row["aliases"])), _split(row["exact_aliases"])
            )
        )
    for row in _read_csv(patterns_dir / "old_regions.csv"):
        place = Place(row["name"], "old_region", row["region"], None, int(row["ambiguous"]))
        spellings.append(PlaceSpelling(place, (row["name"], *_split(row["aliases"]))))
    for row in _read_csv(patterns_dir / "departements.csv"):
        place = Place(row["name"], "departement", row["region"], row["code"], int(row["ambiguous"]))
        spellings.append(PlaceSpelling(place, (row["name"], *_split(row["aliases"]))))
    for row in _read_csv(patterns_dir / "communes.csv"):
        place = Place(
            row["name"], "commune", row["region"], row["departement_code"], int(row["ambiguous"])
        )
        spellings.append(PlaceSpelling(place, (row["name"], *_split(row["aliases"]))))
    return spellings


@lru_cache(maxsize=1)
def _default_places() -> dict[str, list[Place]]:
    index: dict[str, list[Place]] = defaultdict(list)
    for spelling in load_places():
        for alias in (*spelling.aliases, *spelling.exact_aliases):
            index[lookup_key(alias)].append(spelling.place)
    return dict(index)


def lookup_places(name: str) -> list[Place]:
    """Every gazetteer place written `name` (case, accents and hyphens ignored)."""
    return list(_default_places().get(lookup_key(name), []))


def _phrases(values: Iterable[str]) -> list[tuple[str, ...]]:
    """Cue phrases as tuples of normalised tokens, longest first."""
    phrases = {tuple(normalize_text(v).replace("'", "' ").split()) for v in values}
    return sorted(phrases, key=len, reverse=True)


class LocationRecognizer:
    """Find place mentions and add them to `doc._.veille_mentions` (kind "location")."""

    def __init__(self, nlp: Language, name: str, patterns_dir: str | None = None) -> None:
        self.name = name
        directory = Path(patterns_dir) if patterns_dir else PATTERNS_DIR
        with open(directory / "contexts.json", encoding="utf-8") as handle:
            contexts: dict[str, Any] = json.load(handle)
        self.commune_cues = _phrases(contexts["commune_cues"])
        self.departement_cues = _phrases(contexts["departement_cues"])
        self.dept_over_commune_cues = _phrases(contexts["departement_over_commune_cues"])
        self.strong_cues = _phrases(contexts["strong_cues"])
        self.street_words = set(contexts["street_words"])
        self.street_links = _phrases(contexts["street_links"])
        self.ex_prefixes = tuple(contexts["ex_prefixes"])
        self.function_words = set(contexts["function_words"])
        self.unknown_links = set(contexts["unknown_commune_links"])
        self.unknown_cues = set(contexts["unknown_commune_cues"])
        self.blocked_before = {k: set(v) for k, v in contexts["blocked_before"].items()}
        contractions: dict[str, list[str]] = contexts["article_contractions"]

        self.places_by_key: dict[str, list[Place]] = defaultdict(list)
        self.departement_regions: dict[str, str] = {}
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.exact_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.contracted_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.contracted_previous: dict[str, frozenset[str]] = {}
        variants_by_key: dict[str, set[str]] = defaultdict(set)
        exact_by_key: dict[str, set[str]] = defaultdict(set)
        contracted_by_key: dict[str, set[str]] = defaultdict(set)
        # Ambiguous communes (most of the 35,000 of the COG) are found by dictionary lookups of
        # capitalised token runs instead of phrase patterns: tokenizing them all at start-up
        # would cost seconds, and they need a context cue anyway.
        self.scan_index: dict[str, tuple[str, frozenset[str]]] = {}
        for spelling in load_places(directory):
            place = spelling.place
            if place.level == "departement" and place.departement_code:
                self.departement_regions[place.departement_code] = place.region
            scanned = place.level == "commune" and place.ambiguous >= 1
            for alias in spelling.aliases:
                key = lookup_key(alias)
                self.places_by_key[key].append(place)
                article, _, rest = alias.partition(" ")
                contracted = place.level == "commune" and article in contractions and rest
                if scanned:
                    self.scan_index.setdefault(key, (key, frozenset()))
                    if contracted:
                        previous = frozenset(contractions[article])
                        self.scan_index.setdefault(lookup_key(rest), (key, previous))
                    continue
                variants_by_key[key] |= spelling_variants(alias)
                if contracted:
                    contracted_by_key[key] |= spelling_variants(rest)
                    self.contracted_previous[key] = frozenset(contractions[article])
            for alias in spelling.exact_aliases:
                key = lookup_key(alias)
                if place not in self.places_by_key[key]:
                    self.places_by_key[key].append(place)
                exact_by_key[key].add(alias)
        self.string_index = {
            lookup_key(variant): key
            for key, variants in variants_by_key.items()
            for variant in variants
        }
        for key, variants in variants_by_key.items():
            self.matcher.add(key, pattern_docs(nlp, sorted(variants)))
        for key, aliases in exact_by_key.items():
            self.exact_matcher.add(key, list(nlp.tokenizer.pipe(sorted(aliases))))
        for key, variants in contracted_by_key.items():
            self.contracted_matcher.add(key, pattern_docs(nlp, sorted(variants)))

    # -- pipeline entry point -------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        blocked_chars = [(m.start, m.end) for m in doc_mentions(doc, "cluster")]
        person_tokens = {
            i for ent in doc.ents if ent.label_ == "PER" for i in range(ent.start, ent.end)
        }
        accepted_tokens: set[int] = set()
        text = doc.text  # a property that rebuilds the string: read it once
        for candidate in self._select(self._candidates(doc, text)):
            if any(s < candidate.end_char and candidate.start_char < e for s, e in blocked_chars):
                continue
            if person_tokens.intersection(range(candidate.start, candidate.end)):
                continue
            resolved = self._resolve(doc, candidate)
            if resolved is None:
                continue
            place, confidence, rule = resolved
            start, end = candidate.start_char, candidate.end_char
            self._add(doc, start, end, candidate.surface, place, confidence, rule)
            accepted_tokens.update(range(candidate.start, candidate.end))
        for start, end, place in self._unknown_communes(doc, accepted_tokens, person_tokens):
            if any(s < end and start < e for s, e in blocked_chars):
                continue
            surface = text[start:end]
            self._add(
                doc, start, end, surface, place, UNKNOWN_COMMUNE_CONFIDENCE, "commune_with_code"
            )
        return doc

    @staticmethod
    def _add(
        doc: Doc, start: int, end: int, text: str, place: Place, confidence: float, rule: str
    ) -> None:
        add_mention(
            doc,
            Mention(
                kind="location",
                start=start,
                end=end,
                text=text,
                confidence=confidence,
                rule=rule,
                fields={
                    "name": place.name,
                    "region": place.region,
                    "departement_code": place.departement_code,
                },
            ),
        )

    # -- candidates -----------------------------------------------------------------------

    def _candidates(self, doc: Doc, text: str) -> list[_Candidate]:
        found = []
        for matcher in (self.matcher, self.exact_matcher):
            for match_id, start, end in matcher(doc):
                span = doc[start:end]
                key = doc.vocab.strings[match_id]
                found.append(_Candidate(start, end, span.start_char, span.end_char, key, span.text))
        for match_id, start, end in self.contracted_matcher(doc):
            span = doc[start:end]
            key = doc.vocab.strings[match_id]
            previous = self.contracted_previous[key]
            found.append(
                _Candidate(start, end, span.start_char, span.end_char, key, span.text, previous)
            )
        found.extend(self._scanned(doc, text))
        found.extend(self._ex_prefixed(doc, text))
        return found

    def _scanned(self, doc: Doc, text: str) -> Iterator[_Candidate]:
        """Runs of tokens starting with a capital whose text is an ambiguous commune's name."""
        for token in doc:
            if not token.text[:1].isupper():
                continue
            best = None
            for last in range(token.i, min(token.i + MAX_SCAN_TOKENS, len(doc))):
                if doc[last].is_punct and doc[last].text != "-" or "\n" in doc[last].text:
                    break
                end_char = doc[last].idx + len(doc[last].text)
                surface = text[token.idx : end_char]
                found = self.scan_index.get(lookup_key(surface))
                if found is not None:
                    key, previous = found
                    best = _Candidate(
                        token.i, last + 1, token.idx, end_char, key, surface, previous
                    )
            if best is not None:
                yield best

    def _ex_prefixed(self, doc: Doc, text: str) -> Iterator[_Candidate]:
        """Former-région style mentions glued to a prefix in one token: "ex-Midi-Pyrénées"."""
        for token in doc:
            prefix = next((p for p in self.ex_prefixes if token.norm_.startswith(p)), None)
            if prefix is None or len(token.norm_) == len(prefix):
                continue
            start_char = token.idx + len(prefix)
            best = None
            for last in range(token.i, min(token.i + 6, len(doc))):
                end_char = doc[last].idx + len(doc[last].text)
                surface = text[start_char:end_char]
                key = self.string_index.get(lookup_key(surface))
                if key is not None:
                    best = _Candidate(
                        token.i, last + 1, start_char, end_char, key, surface, ex_prefixed=True
                    )
            if best is not None:
                yield best

    @staticmethod
    def _select(candidates: list[_Candidate]) -> list[_Candidate]:
        """Longest candidates first, dropping any that overlaps one already kept."""
        kept: list[_Candidate] = []
        taken: set[int] = set()
        for candidate in sorted(candidates, key=lambda c: (c.start - c.end, c.start)):
            tokens = set(range(candidate.start, candidate.end))
            if tokens & taken:
                continue
            kept.append(candidate)
            taken |= tokens
        return sorted(kept, key=lambda c: c.start)

    # -- context --------------------------------------------------------------------------

    @staticmethod
    def _preceded_by(doc: Doc, start: int, phrases: list[tuple[str, ...]]) -> bool:
        for phrase in phrases:
            n = len(phrase)
            if start >= n and tuple(t.norm_ for t in doc[start - n : start]) == phrase:
                return True
        return False

    def _capitalised(self, doc: Doc, candidate: _Candidate) -> bool:
        for token in doc[candidate.start : candidate.end]:
            text = token.text
            if candidate.ex_prefixed and token.i == candidate.start:
                text = token.text[candidate.start_char - token.idx :]
            if token.norm_ in self.function_words:
                continue
            return text[:1].isupper()
        return False

    def _in_street_name(self, doc: Doc, start: int) -> bool:
        for link in self.street_links:
            n = len(link)
            if start > n and tuple(t.norm_ for t in doc[start - n : start]) == link:
                return doc[start - n - 1].norm_ in self.street_words
        return start > 0 and doc[start - 1].norm_ in self.street_words

    def _blocked_context(self, doc: Doc, candidate: _Candidate) -> bool:
        blocked = self.blocked_before.get(lookup_key(candidate.surface))
        if not blocked:
            return False
        for token in reversed(doc[max(0, candidate.start - 3) : candidate.start]):
            if token.norm_ in self.function_words:
                continue
            return token.norm_ in blocked
        return False

    def _code_after(self, doc: Doc, end: int) -> str | None:
        if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
            code = doc[end + 1].text.upper()
            if code in self.departement_regions:
                return code
        return None

    @staticmethod
    def _ner_place(doc: Doc, candidate: _Candidate) -> bool:
        """The model's NER tags exactly this span as a place, away from a sentence start."""
        if doc[candidate.start].is_sent_start:
            return False
        ent = entity_at(doc, candidate.start)
        return (
            ent is not None
            and ent.label_ in _NER_PLACE_LABELS
            and (ent.start, ent.end) == (candidate.start, candidate.end)
        )

    @staticmethod
    def _looks_like_first_name(doc: Doc, candidate: _Candidate) -> bool:
        """An ambiguous name followed by a capitalised proper noun ("Nancy Dupont")."""
        if candidate.end >= len(doc):
            return False
        following = doc[candidate.end]
        return following.pos_ == "PROPN" and following.text[:1].isupper()

    # -- resolution -----------------------------------------------------------------------

    def _resolve(self, doc: Doc, candidate: _Candidate) -> tuple[Place, float, str] | None:
        """Choose the place a candidate names, or None when the context says it is no place."""
        if candidate.required_previous and (
            candidate.start == 0
            or doc[candidate.start - 1].norm_ not in candidate.required_previous
        ):
            return None
        if not candidate.ex_prefixed and not self._capitalised(doc, candidate):
            return None
        if self._in_street_name(doc, candidate.start) or self._blocked_context(doc, candidate):
            return None
        places = self.places_by_key[candidate.key]
        code = self._code_after(doc, candidate.end)
        if code is not None:
            for level in ("commune", "departement"):
                for place in places:
                    if place.level == level and place.departement_code == code:
                        return place, CODE_CONFIDENCE, f"{level}_code"
            commune = next((p for p in places if p.level == "commune"), None)
            if commune is not None:  # a homonym of a listed commune, in the département given
                place = Place(commune.name, "commune", self.departement_regions[code], code)
                return place, CODE_CONFIDENCE - 0.15, "commune_code"
        place = self._preferred(doc, candidate, places)
        rule = f"{place.level}_ex" if candidate.ex_prefixed else place.level
        if place.ambiguous == 0 or candidate.ex_prefixed:
            return place, BASE_CONFIDENCE[place.level], rule
        if self._looks_like_first_name(doc, candidate):
            return None
        if self._preceded_by(doc, candidate.start, self.strong_cues):
            return place, CUE_CONFIDENCE, f"{rule}_cue"
        if place.ambiguous >= 2:
            return None
        cues = self.commune_cues if place.level == "commune" else self.departement_cues
        if self._preceded_by(doc, candidate.start, cues) or self._ner_place(doc, candidate):
            return place, CUE_CONFIDENCE, f"{rule}_cue"
        return None

    def _preferred(self, doc: Doc, candidate: _Candidate, places: list[Place]) -> Place:
        levels = {p.level for p in places}
        if {"commune", "departement"} <= levels and self._preceded_by(
            doc, candidate.start, self.dept_over_commune_cues
        ):
            return next(p for p in places if p.level == "departement")
        # A village named like a région or a département ("Bretagne", Indre) yields to it.
        return min(places, key=lambda p: (p.ambiguous >= 2, LEVELS.index(p.level)))

    # -- communes missing from the gazetteer, written with their code ----------------------

    def _unknown_communes(
        self, doc: Doc, accepted: set[int], persons: set[int]
    ) -> Iterator[tuple[int, int, Place]]:
        """A capitalised name right before a bracketed département code ("Eysines (33)")."""
        for token in doc[1:]:
            end = token.i
            code = self._code_after(doc, end)
            if code is None or (end - 1) in accepted or (end - 1) in persons:
                continue
            first = end
            while first > 0 and end - first < MAX_UNKNOWN_COMMUNE_TOKENS:
                previous = doc[first - 1]
                capitalised = previous.text[:1].isupper() and previous.pos_ not in _NOT_IN_NAMES
                linking = (
                    first < end
                    and previous.norm_ in self.unknown_links
                    and first >= 2
                    and doc[first - 2].text[:1].isupper()
                )
                if not (capitalised or linking):
                    break
                first -= 1
            while first < end and doc[first].norm_ in self.unknown_links:
                first += 1
            if first == end or not doc[first].text[:1].isupper():
                continue
            if (
                first > 0
                and not doc[first].is_sent_start
                and doc[first - 1].norm_ not in self.unknown_cues
            ):
                continue
            name_span = doc[first:end]
            place = Place(
                " ".join(name_span.text.split()), "commune", self.departement_regions[code], code
            )
            yield name_span.start_char, name_span.end_char, place
