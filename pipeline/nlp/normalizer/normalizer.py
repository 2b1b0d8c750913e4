"""Token normaliser: one spelling per character class so matchers can work on `NORM`."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

# Typographic variants seen in French press text, mapped to their plain ASCII form.
_TRANSLATION = str.maketrans(
    {
        "\u2019": "'",  # right single quotation mark (typographic apostrophe)
        "\u2018": "'",
        "\u02bc": "'",
        "\u00ab": '"',  # « »
        "\u00bb": '"',
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00a0": " ",  # no-break space
        "\u202f": " ",  # narrow no-break space
        "\u2009": " ",  # thin space
        "\u2010": "-",  # hyphen variants
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u0153": "oe",  # œ
        "\u0152": "oe",
    }
)


def normalize_text(text: str) -> str:
    """Lower-case `text` and fold typographic apostrophes, quotes, spaces, hyphens and œ."""
    return text.translate(_TRANSLATION).lower()


class Normalizer:
    """Set every token's `norm_` to its normalised, lower-cased form."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            token.norm_ = normalize_text(token.text)
        return doc
