"""Rule-based sentence boundaries, set before the parser so it parses within them.

The French model's parser starts sentences inside names ("la grappe Médoc | Aéro Services",
"Nouvelle | -Aquitaine"); press text marks its sentences clearly enough for rules to do better:
a sentence ends at . ! ? or … (possibly followed by a closing quote or bracket) when the next
word starts with a capital, a digit or an opening quote, and at every line break.
"""

from __future__ import annotations

from pathlib import Path

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Token

PATTERNS_DIR = Path(__file__).parent / "patterns"
ENDINGS = (".", "!", "?", "…")
CLOSERS = frozenset({"»", '"', "”", ")", "]", "’"})
OPENERS = frozenset({"«", '"', "“", "(", "-", "—", "–"})


def load_abbreviations(path: Path = PATTERNS_DIR / "abbreviations.txt") -> frozenset[str]:
    """Abbreviations whose period is not a sentence end."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


class RuleSentencizer:
    """Set `is_sent_start` on every token: True at rule boundaries, False everywhere else."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.abbreviations = load_abbreviations()

    def _ends_sentence(self, token: Token) -> bool:
        text = token.text
        if not text.endswith(ENDINGS):
            return False
        if text.lower() in self.abbreviations:
            return False
        # An initial: "J. Dupont".
        return not (len(text) == 2 and text[0].isupper() and text[1] == ".")

    @staticmethod
    def _can_start(token: Token) -> bool:
        first = token.text[:1]
        return first.isupper() or first.isdigit() or token.text in OPENERS

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        # Written in one go: setting `token.is_sent_start` one token at a time rescans the doc.
        starts = numpy.full((len(doc), 1), -1, dtype="int64")
        starts[0, 0] = 1
        pending_end = False
        line_break = False
        for token in doc[1:]:
            previous = doc[token.i - 1]
            if previous.is_space and "\n" in previous.text or "\n" in previous.whitespace_:
                line_break = True
            if self._ends_sentence(previous):
                pending_end = True
            elif previous.text not in CLOSERS and not previous.is_space:
                pending_end = False
            begins = (pending_end and self._can_start(token) and token.text not in CLOSERS) or (
                line_break and not token.is_space
            )
            if begins:
                starts[token.i, 0] = 1
                pending_end = False
            if not token.is_space:
                line_break = False
        doc.from_array([SENT_START], starts.astype("uint64"))
        return doc
