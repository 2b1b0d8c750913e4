"""The recipient as the article writes it ("la société Patalune", "le pôle Xylofutur"), kept in
`recipient_text` beside `recipient`, the name the rules and the ranker normalise (a cluster's
canonical name, no leading article): the review desk shows both, and a reviewer's correction of
the recipient leaves the written one as evidence."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span

from pipeline.nlp.funding.lexicon import words
from pipeline.nlp.mention import Mention

# Words that belong to how the recipient is written when right before its name: an article or a
# possessive ("la", "son"), and a generic noun ("société", "pôle"). Not "de", "du", "des": they
# join the name to the marker before it ("au profit de la société X").
_LEADING = (words("determiners") - {"de", "d'", "du", "des"}) | words("generic_heads")


def written_span(doc: Doc, span: Span) -> Span:
    """`span` with the article and generic nouns that come right before it in its sentence."""
    start = span.start
    first = span.sent.start if doc.has_annotation("SENT_START") else 0
    while start > first and doc[start - 1].norm_.lower() in _LEADING:
        start -= 1
    return doc[start : span.end]


def written_recipient(
    doc: Doc, recipient: str | None, tokens: Iterable[int], clusters: Iterable[Mention]
) -> str | None:
    """How the article writes the recipient the funding rules named: its tokens, else the
    cluster mention it names, with the words before them (see `written_span`); None without a
    recipient."""
    if not recipient:
        return None
    indexes = sorted(tokens)
    if indexes:
        return written_span(doc, doc[indexes[0] : indexes[-1] + 1]).text
    for cluster in clusters:
        if (cluster.fields.get("name") or cluster.text) == recipient:
            span = doc.char_span(cluster.start, cluster.end, alignment_mode="expand")
            if span is not None and len(span):
                return written_span(doc, span).text
    return recipient
