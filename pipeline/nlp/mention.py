"""The Mention record every extraction component produces, and how it is stored on a Doc."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

KINDS = ("cluster", "official", "funding", "location", "quote")

if not Doc.has_extension("veille_mentions"):
    Doc.set_extension("veille_mentions", default=None)


@dataclass
class Mention:
    """One extracted mention: kind, character span into the doc text, and its kind's fields.

    `fields` holds the kind-specific keys of INTERFACE.md (e.g. `name`, `cluster_kind`, `known`
    for a cluster); `rule` names the pattern that fired, so precision can be measured per rule.
    """

    kind: str
    start: int
    end: int
    text: str
    confidence: float
    rule: str
    fields: dict[str, Any] = field(default_factory=dict)
    sentence: str = ""


def add_mention(doc: Doc, mention: Mention) -> None:
    """Append a mention to `doc._.veille_mentions` (created on first use)."""
    if mention.kind not in KINDS:
        raise ValueError(f"unknown mention kind {mention.kind!r}")
    if doc._.veille_mentions is None:
        doc._.veille_mentions = []
    doc._.veille_mentions.append(mention)


def doc_mentions(doc: Doc, kind: str | None = None) -> list[Mention]:
    """The mentions found so far in `doc`, optionally of one kind only."""
    found = doc._.veille_mentions or []
    return [m for m in found if kind is None or m.kind == kind]
