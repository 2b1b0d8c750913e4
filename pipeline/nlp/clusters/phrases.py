"""Spelling variants and phrase-pattern docs for gazetteer matching on the normalised token form.

Shared by the clusters and locations components: both match gazetteer names with a
`PhraseMatcher` on `NORM`, built with the pipeline's own tokenizer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.normalizer.normalizer import normalize_text


def fold_accents(text: str) -> str:
    """Drop diacritics but keep the case ("Saint-Étienne" -> "Saint-Etienne", "Île" -> "Ile")."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def lookup_key(text: str) -> str:
    """A case-, accent-, hyphen- and spacing-insensitive key for dictionary lookups of names."""
    folded = normalize_text(fold_accents(text)).replace("-", " ").replace("'", "' ")
    return " ".join(folded.split())


# An apostrophe or hyphen inside a word ("Clust'it", "Inno-Vin"), which brand names drop or swap.
_INNER_MARK = re.compile(r"(?<=\w)['\u2019-](?=\w)")


def squashed(text: str) -> str:
    """A name without accents, case, spaces, apostrophes or hyphens: "Clust'it", "Clust-it",
    "CLUSTIT" and "Clust it" all give "clustit"."""
    return re.sub(r"[\s'\u2019\u2010\u2011-]", "", fold_accents(text).casefold())


def brand_variants(name: str) -> set[str]:
    """The spellings of a brand-like name whose inner apostrophe or hyphen the press drops or
    swaps: "Inno'Vin" is also written "Inno-Vin", "Inno Vin" and "Innovin"."""
    if not _INNER_MARK.search(name):
        return {name}
    return {name} | {_INNER_MARK.sub(mark, name) for mark in ("", "-", " ", "'", "\u2019")}


MAX_ACCENTED_WORDS = 4


def spelling_variants(name: str) -> set[str]:
    """The spellings the press uses for `name`: as is, without accents, hyphens as spaces,
    "St-" for "Saint-", and with a typographic apostrophe (which the tokenizer splits differently).
    """
    variants = {name, fold_accents(name)}
    words = name.split(" ")
    accented = [k for k, word in enumerate(words) if fold_accents(word) != word]
    if 1 < len(accented) <= MAX_ACCENTED_WORDS:
        # The press drops one accent and keeps another ("Cereales Vallée").
        for mask in range(1, 2 ** len(accented) - 1):
            mixed = list(words)
            for bit, k in enumerate(accented):
                if mask >> bit & 1:
                    mixed[k] = fold_accents(words[k])
            variants.add(" ".join(mixed))
    for variant in list(variants):
        if "-" in variant:
            variants.add(variant.replace("-", " "))
    for variant in list(variants):
        for saint, short in (("Saint-", "St-"), ("Sainte-", "Ste-"), ("Saint ", "St ")):
            if saint in variant:
                variants.add(variant.replace(saint, short))
    for variant in list(variants):
        if "'" in variant:
            variants.add(variant.replace("'", "\u2019"))
    return variants


def pattern_docs(nlp: Language, phrases: Iterable[str]) -> list[Doc]:
    """Tokenize `phrases` with the pipeline's tokenizer and give each token its normalised form."""
    docs = []
    for doc in nlp.tokenizer.pipe(list(phrases)):
        for token in doc:
            token.norm_ = normalize_text(token.text)
        docs.append(doc)
    return docs
