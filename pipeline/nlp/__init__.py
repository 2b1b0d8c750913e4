"""veille's spaCy pipeline: the French model plus one registered component per mention kind."""

from pipeline.nlp.mention import KINDS, Mention, add_mention, doc_mentions
from pipeline.nlp.pipeline import (
    ExtractionFailed,
    doc_to_dicts,
    extract_each,
    extract_many,
    extract_text,
    extractor_version,
    load_nlp,
    shared_nlp,
)

__all__ = [
    "KINDS",
    "Mention",
    "add_mention",
    "doc_mentions",
    "ExtractionFailed",
    "doc_to_dicts",
    "extract_each",
    "extract_many",
    "extract_text",
    "extractor_version",
    "load_nlp",
    "shared_nlp",
]
