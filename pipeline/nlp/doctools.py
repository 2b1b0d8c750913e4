"""Per-doc caches for what spaCy recomputes on every access.

`Doc.text` rebuilds the string and `Token.sent` / `Span.sent` scan the whole doc each time they
are read, which makes components quadratic on long articles; these read them once per doc.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator

from spacy.tokens import Doc, Span

_TEXT = "veille_text"
_STARTS = "veille_sentence_starts"


def doc_text(doc: Doc) -> str:
    """The doc's text, built once."""
    if _TEXT not in doc.user_data:
        doc.user_data[_TEXT] = doc.text
    return doc.user_data[_TEXT]


def _sentence_starts(doc: Doc) -> list[int]:
    if _STARTS not in doc.user_data:
        doc.user_data[_STARTS] = [sent.start for sent in doc.sents] if len(doc) else [0]
    return doc.user_data[_STARTS]


def sentence_of(doc: Doc, i: int) -> Span:
    """The sentence holding token `i`."""
    starts = _sentence_starts(doc)
    k = bisect_right(starts, i) - 1
    end = starts[k + 1] if k + 1 < len(starts) else len(doc)
    return doc[starts[k] : end]


def sentences_before(doc: Doc, sent: Span, count: int) -> Iterator[Span]:
    """The `count` sentences before `sent`, nearest first (fewer at the start of the doc)."""
    start = sent.start
    for _ in range(count):
        if start == 0:
            return
        previous = sentence_of(doc, start - 1)
        start = previous.start
        yield previous


def _cached_spans(doc: Doc, key: str, spans) -> list[tuple[int, int, str]]:  # noqa: ANN001
    if key not in doc.user_data:
        doc.user_data[key] = [(span.start, span.end, span.label_) for span in spans()]
    return doc.user_data[key]


def _span_at(bounds: list[tuple[int, int, str]], doc: Doc, i: int) -> Span | None:
    k = bisect_right(bounds, (i, len(doc) + 1, "")) - 1
    if k >= 0 and bounds[k][0] <= i < bounds[k][1]:
        start, end, label = bounds[k]
        return Span(doc, start, end, label=label)
    return None


def entity_at(doc: Doc, i: int) -> Span | None:
    """The named entity holding token `i`, with its label, if any (`doc.ents` read once)."""
    return _span_at(_cached_spans(doc, "veille_ents", lambda: doc.ents), doc, i)


def noun_chunk_at(doc: Doc, i: int) -> Span | None:
    """The noun chunk holding token `i`, if any (`doc.noun_chunks` read once per doc)."""
    return _span_at(_cached_spans(doc, "veille_chunks", lambda: doc.noun_chunks), doc, i)


def sentence_ents(doc: Doc, start_char: int, end_char: int) -> list[Span]:
    """Named entities starting within characters start..end, with their labels."""
    bounds = _cached_spans(doc, "veille_ents", lambda: doc.ents)
    return [
        Span(doc, s, e, label=label)
        for s, e, label in bounds
        if start_char <= doc[s].idx < end_char
    ]
