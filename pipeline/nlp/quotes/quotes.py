"""Direct quotes and who said them.

Quotes are found on the raw text (« guillemets », “curly” and "straight" marks); the speaker is
found around the quote through a speech verb (`patterns/speech_verbs.csv`) or a cue such as
"Pour X," / "selon X" (`patterns/speaker_cues.csv`), then resolved to a full name with the
official mentions already on the doc and the person names of the article.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from pipeline.nlp.doctools import doc_text, sentence_of
from pipeline.nlp.mention import Mention, add_mention, doc_mentions
from pipeline.nlp.normalizer.normalizer import normalize_text
from pipeline.nlp.officials.lexicon import first_name_gender, load_titles, role_entry
from pipeline.nlp.officials.persons import find_persons, full_names_by_surname

PATTERNS_DIR = Path(__file__).parent / "patterns"

QUOTE_PATTERNS = (
    re.compile(r"«([^«»]{1,3000}?)»"),
    re.compile(r"“([^“”«»]{1,3000}?)”"),
    re.compile(r'"([^"\n«»“”]{1,2000}?)"'),
)
QUOTE_SPACE = " \t\n\u00a0\u202f\u2009"
PRONOUNS = {"il": "m", "-il": "m", "elle": "f", "-elle": "f", "lui": "m"}
AUXILIARIES = frozenset({"a", "avait", "aura", "ont", "avaient"})
DETERMINERS = frozenset({"le", "la", "l'", "les", "son", "sa", "leur"})
# How far (tokens) a speaker may sit from the verb or cue that introduces it.
SPEAKER_WINDOW = 6
LOOK_BACK = 30
CONTINUATION_GAP_CHARS = 400

CONFIDENCE = {
    "same_sentence": 0.55,
    "verb_after": 0.9,
    "cue_after": 0.85,
    "colon": 0.85,
    "cue_before": 0.85,
    "verb_que": 0.75,
    "pronoun": 0.7,
    "continuation": 0.45,
    "unattributed": 0.5,
}


@dataclass
class Speaker:
    """Someone who may have said a quote: char span in the doc, full name, gender if known."""

    start: int
    end: int
    name: str
    gender: str | None


@dataclass
class Found:
    """A quote with its character span, its words, and the attribution found for it."""

    start: int
    end: int
    words: str
    speaker: Speaker | None = None
    rule: str = "unattributed"


def _rows(name: str) -> list[dict[str, str]]:
    with (PATTERNS_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _gender_of(text: str) -> str | None:
    words = normalize_text(text).split()
    if not words:
        return None
    titles = load_titles()
    if words[0] in titles:
        return titles[words[0]]
    gender = first_name_gender(words[0])
    if gender:
        return gender
    if words[0] in DETERMINERS:
        words = words[1:]
    entry = role_entry(" ".join(words))
    return entry.gender if entry is not None and entry.gender else None


def find_quote_spans(text: str, min_words: int = 4) -> list[tuple[int, int, str]]:
    """(start, end, words) of each quote of at least `min_words` words, marks included."""
    found: list[tuple[int, int, str]] = []
    for pattern in QUOTE_PATTERNS:
        for match in pattern.finditer(text):
            words = match.group(1).strip(QUOTE_SPACE)
            tokens = [w for w in words.split() if any(c.isalpha() for c in w)]
            if len(tokens) < min_words:
                continue
            # « Territoires d'Industrie Grand Est » : a quoted name, not words someone said.
            long_words = [w for w in tokens if len(w) > 3]
            if long_words and all(w[:1].isupper() for w in long_words):
                continue
            found.append((match.start(), match.end(), words))
    found.sort(key=lambda f: (f[0], -f[1]))
    kept: list[tuple[int, int, str]] = []
    for quote in found:
        if kept and quote[0] < kept[-1][1]:
            continue
        kept.append(quote)
    return kept


class QuotesComponent:
    """Add `quote` mentions (speaker, quote) to each doc."""

    def __init__(self, nlp: Language, name: str, min_words: int = 4) -> None:
        self.name = name
        self.min_words = min_words
        self.verb_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        patterns = []
        for row in _rows("speech_verbs.csv"):
            pattern = nlp.make_doc(row["form"])
            for token in pattern:
                token.norm_ = normalize_text(token.text)
            patterns.append(pattern)
        self.verb_matcher.add("SPEECH", patterns)
        self.cues = {
            (normalize_text(row["form"]), row["position"]) for row in _rows("speaker_cues.csv")
        }

    # ---------------------------------------------------------------- speakers

    def _speakers(self, doc: Doc) -> list[Speaker]:
        speakers: list[Speaker] = []
        for mention in doc_mentions(doc, "official"):
            name = mention.fields.get("name")
            if name:
                speakers.append(Speaker(mention.start, mention.end, name, _gender_of(mention.text)))
        persons = find_persons(doc)
        surnames = full_names_by_surname(persons)
        for person in persons:
            start, end = person.start_char, person.span.end_char
            if any(s.start < end and start < s.end for s in speakers):
                continue
            name = person.name if person.full else surnames.get(person.surname_key)
            if name:
                speakers.append(Speaker(start, end, name, person.gender))
        return sorted(speakers, key=lambda s: s.start)

    @staticmethod
    def _speaker_in(speakers: list[Speaker], start: int, end: int) -> Speaker | None:
        inside = [s for s in speakers if s.start < end and start < s.end]
        return inside[0] if inside else None

    @staticmethod
    def _last_before(
        speakers: list[Speaker], position: int, gender: str | None = None
    ) -> Speaker | None:
        for speaker in reversed(speakers):
            if speaker.end <= position and (gender is None or speaker.gender in (None, gender)):
                return speaker
        return None

    # ---------------------------------------------------------------- attribution

    def _after(self, doc: Doc, i: int, verbs: dict[int, int], speakers: list[Speaker], quote_start):
        """ "« ... », explique X" / "souligne-t-elle" / "selon X"."""
        while i < len(doc) and doc[i].text == ",":
            i += 1
        if i >= len(doc):
            return None
        if (doc[i].norm_, "after") in self.cues:
            found = self._speaker_in(speakers, doc[i].idx, self._window_end(doc, i + 1))
            return (found, "cue_after") if found else None
        if doc[i].norm_ in AUXILIARIES:
            i += 1
        pronoun = None
        if i + 1 < len(doc) and doc[i].norm_ == "-t" and doc[i + 1].norm_ in PRONOUNS:
            pronoun, i = doc[i + 1].norm_, i + 2  # "a-t-elle expliqué"
        if i not in verbs:
            return None
        j = verbs[i]
        if j < len(doc) and doc[j].norm_ == "-t":
            j += 1
        if j < len(doc) and doc[j].norm_ in PRONOUNS:
            pronoun = doc[j].norm_
        if pronoun is not None:
            found = self._last_before(speakers, quote_start, PRONOUNS[pronoun])
            return (found, "pronoun") if found else None
        if j >= len(doc):
            return None
        found = self._speaker_in(speakers, doc[j].idx, self._window_end(doc, j))
        return (found, "verb_after") if found else None

    @staticmethod
    def _window_end(doc: Doc, i: int) -> int:
        """End char of the few tokens after `i`, stopping at sentence punctuation."""
        end = i
        while end < len(doc) and end - i < SPEAKER_WINDOW and doc[end].text not in {".", ";", "«"}:
            end += 1
        return doc[end - 1].idx + len(doc[end - 1].text) if end > i else doc[i].idx

    def _before(self, doc: Doc, k: int, verbs_by_end: dict[int, int], speakers, quote_start):
        """ "X résume : « ... »", "Pour X, « ... »", "X estime que « ... »"."""
        if k < 0:
            return None
        mark = doc[k].norm_
        floor = k
        while floor > 0 and k - floor < LOOK_BACK and doc[floor - 1].text not in {".", "»", "«"}:
            floor -= 1
        if mark == ",":
            for c in range(k - 1, floor - 1, -1):
                if (doc[c].norm_, "before") in self.cues:
                    if c + 1 < k and doc[c + 1].norm_ in PRONOUNS:
                        found = self._last_before(speakers, doc[c].idx, PRONOUNS[doc[c + 1].norm_])
                        return (found, "pronoun") if found else None
                    found = self._speaker_in(speakers, doc[c].idx, doc[k].idx)
                    return (found, "cue_before") if found else None
            return None
        if mark not in {":", "que", "qu'"}:
            return None
        verb_end = k
        if verb_end not in verbs_by_end:
            if mark != ":":
                return None
            # "Claire Dumas : « ... »"
            found = self._speaker_in(speakers, doc[max(floor, k - 1)].idx, doc[k].idx)
            return (found, "colon") if found else None
        verb_start = verbs_by_end[verb_end]
        rule = "colon" if mark == ":" else "verb_que"
        # "Résume la vice-présidente : « ... »": the speaker follows the verb.
        found = self._speaker_in(speakers, doc[verb_start].idx, doc[k].idx)
        if found is not None and found.start >= doc[verb_start].idx:
            return found, rule
        if verb_start > 0 and doc[verb_start - 1].norm_ in PRONOUNS:
            found = self._last_before(speakers, quote_start, PRONOUNS[doc[verb_start - 1].norm_])
            return (found, "pronoun") if found else None
        before = [s for s in speakers if doc[floor].idx <= s.start and s.end <= doc[verb_start].idx]
        return (before[-1], rule) if before else None

    @staticmethod
    def _same_sentence(doc: Doc, span: Span, speakers: list[Speaker]):
        """The one person named in the quote's sentence(s) outside the quote, if only one is.

        Catches attributions without a listed speech verb next to the quote: "Directrice de
        Xylofutur, Hélène Dumonteil voit dans ce rapprochement « ... »", "« ... », prévient le
        délégué général de France Clusters, Vincent Aubrac".
        """
        start = sentence_of(doc, span[0].i).start_char
        end = sentence_of(doc, span[-1].i).end_char
        names = {s.name for s in speakers if start <= s.start and s.end <= end}
        if len(names) != 1:
            return None
        (name,) = names
        speaker = next(s for s in speakers if s.name == name and start <= s.start)
        return speaker, "same_sentence"

    def __call__(self, doc: Doc) -> Doc:
        quotes = [Found(s, e, w) for s, e, w in find_quote_spans(doc_text(doc), self.min_words)]
        if not quotes:
            return doc
        speakers = self._speakers(doc)
        matches = self.verb_matcher(doc)
        verbs = {}
        verbs_by_end = {}
        for _, start, end in sorted(matches, key=lambda m: (m[1], -m[2])):
            verbs.setdefault(start, end)
            verbs_by_end.setdefault(end, start)
        # Speakers are looked for outside quotes only.
        outside = [
            s for s in speakers if not any(q.start <= s.start and s.end <= q.end for q in quotes)
        ]
        previous: Found | None = None
        for quote in quotes:
            span = doc.char_span(quote.start, quote.end, alignment_mode="expand")
            found = None
            if span is not None:
                found = self._after(doc, span.end, verbs, outside, quote.start) or self._before(
                    doc, span.start - 1, verbs_by_end, outside, quote.start
                )
            if found is None and span is not None:
                found = self._same_sentence(doc, span, outside)
            if found is not None:
                quote.speaker, quote.rule = found
            elif (
                previous is not None
                and previous.speaker is not None
                and quote.start - previous.end <= CONTINUATION_GAP_CHARS
                and not any(
                    previous.end <= s.start < quote.start and s.name != previous.speaker.name
                    for s in outside
                )
            ):
                quote.speaker, quote.rule = previous.speaker, "continuation"
            add_mention(
                doc,
                Mention(
                    kind="quote",
                    start=quote.start,
                    end=quote.end,
                    text=doc_text(doc)[quote.start : quote.end],
                    confidence=CONFIDENCE[quote.rule],
                    rule=quote.rule,
                    fields={
                        "speaker": quote.speaker.name if quote.speaker else None,
                        "quote": quote.words,
                    },
                ),
            )
            previous = quote
        return doc
