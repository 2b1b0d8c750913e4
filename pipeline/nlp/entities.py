"""Canonical entities: one id for every way the press names the same cluster, person or funder.

Ids are computed from each mention alone (plus its article's région), so a day's load stays
self-contained and idempotent: the same mention always gets the same id. A cluster's aliases
already map to its gazetteer name; people are keyed on their name without case, accents or
hyphens; "la Région", "le conseil régional" and "Région Nouvelle-Aquitaine" become one funder
once the article's région is known.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from pipeline.sources import resolve_region

_ARTICLE = re.compile(r"^(?:la|le|les|l)\s+")
_REGION_BODY = re.compile(
    r"^(?:region|conseil regional|collectivite regionale|executif regional)"
    r"(?:\s+(?:de la|de l|du|des|de|d))?\s*(?P<rest>.*)$"
)
_STATE = {"etat", "l etat", "etat francais", "gouvernement"}
_LIST_SEPARATOR = re.compile(r"\s*,\s*")


def fold(text: str) -> str:
    """Lower case, no accents, apostrophes and hyphens as spaces, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.split(r"[\s\-'./]+", plain)).strip()


def name_key(text: str) -> str:
    """The comparison key of a name: folded, without a leading article ("la Région")."""
    return _ARTICLE.sub("", fold(text))


def entity_id(kind: str, name: str | None) -> str | None:
    """A readable, stable id such as `person:jean-luc-moudenc` (None for a missing name)."""
    if not name or not name_key(name):
        return None
    return f"{kind}:{name_key(name).replace(' ', '-')}"


def canonical_organisation(name: str | None, region: str | None) -> str | None:
    """One name per public body: "le conseil régional" -> "Région Occitanie", "Etat" -> "État".

    A bare "Région" stays "Région" when the article's région is unknown: guessing would merge
    different régions' money.
    """
    if not name or not name.strip():
        return None
    key = name_key(name)
    if key in _STATE:
        return "État"
    match = _REGION_BODY.match(key)
    if match:
        rest = match.group("rest").strip()
        if not rest:
            return f"Région {region}" if region else "Région"
        named = resolve_region(rest)
        if named:
            return f"Région {named}"
    return name.strip()


def canonical_funder(funder: str | None, region: str | None) -> str | None:
    """The canonical funder, each funder of a list ("Région, Union européenne") in turn."""
    if not funder or not funder.strip():
        return None
    parts = [p for p in _LIST_SEPARATOR.split(funder.strip()) if p]
    canonical = [canonical_organisation(p, region) for p in parts]
    return ", ".join(dict.fromkeys(c for c in canonical if c))


@cache
def _written_funder_names() -> dict[str, str]:
    """The funder each written name stands for, keyed by `name_key`: the funding component's
    funder aliases ("BPI", "le conseil régional", "Caisse des dépôts") and programmes ("FEDER",
    "CPER": whose money they are), as its lexicon reads them.

    Investor words and aliases that need a name beside them ("Grand ...") are left out: alone,
    they name no institution.
    """
    from pipeline.nlp.funding.lexicon import load_lexicon

    names: dict[str, str] = {}
    for entry in load_lexicon():
        if entry.kind == "funder" and entry.extra.get("public") == "1":
            if not entry.extra.get("name_rule"):
                names.setdefault(name_key(entry.phrase), entry.name)
        elif entry.kind == "instrument" and entry.extra.get("scope"):
            names.setdefault(name_key(entry.phrase), entry.extra["implied_funder"])
            names.setdefault(name_key(entry.name), entry.extra["implied_funder"])
    return names


def canonical_written_funder(written: str | None, region: str | None) -> str | None:
    """A funder as a person typed it ("la Région", "BPI, le conseil régional", "CPER"), made
    canonical the way the extraction makes its funders: each name of the list through the funding
    lexicon's aliases and programmes, then `canonical_funder` with the article's région."""
    if not written or not written.strip():
        return None
    names = _written_funder_names()
    parts = [p for p in _LIST_SEPARATOR.split(written.strip()) if p]
    return canonical_funder(", ".join(names.get(name_key(p), p) for p in parts), region)


def funder_ids(funder: str | None) -> list[str]:
    """One canonical id per funder of a canonical funder list ("Région Occitanie, Bpifrance")."""
    funders = _LIST_SEPARATOR.split(funder) if funder else []
    return [i for i in (entity_id("funder", f) for f in funders) if i]


def article_region(source_regions: Sequence[str], mentions: Iterable[dict[str, Any]]) -> str | None:
    """The région an article is about: its source's only région, else the most named one.

    For a source covering several régions, only those régions count among the places named.
    """
    if len(source_regions) == 1:
        return source_regions[0]
    named = Counter(
        m["region"]
        for m in mentions
        if m.get("kind") == "location"
        and m.get("region")
        and (not source_regions or m["region"] in source_regions)
    )
    if not named:
        return None
    (best, count), *others = named.most_common()
    if others and others[0][1] == count:
        return None  # a tie: no single région
    return best


def assign_entities(mentions: list[dict[str, Any]], region: str | None) -> list[dict[str, Any]]:
    """Each mention of one article with its canonical ids and the article's région.

    Sets `entity_id` (the cluster, person or place the mention is about), `org_id`,
    `funder` (canonical name), `funder_ids` (one per funder of a list) and `funder_id` (when
    there is exactly one), `speaker_id` and `article_region`. The extracted funder text is kept
    in `funder_text`.
    """
    out = []
    for mention in mentions:
        row = dict(mention)
        kind = row["kind"]
        row["article_region"] = region
        if kind == "cluster":
            row["entity_id"] = entity_id("cluster", row.get("name"))
        elif kind == "official":
            row["entity_id"] = entity_id("person", row.get("name"))
            row["org"] = canonical_organisation(row.get("org"), region)
            row["org_id"] = entity_id("org", row.get("org"))
        elif kind == "location":
            row["entity_id"] = entity_id("place", row.get("name"))
        elif kind == "quote":
            row["speaker_id"] = entity_id("person", row.get("speaker"))
        elif kind == "funding":
            row["funder_text"] = row.get("funder")
            row["funder"] = canonical_funder(row.get("funder"), region)
            row["funder_ids"] = funder_ids(row["funder"])
            row["funder_id"] = row["funder_ids"][0] if len(row["funder_ids"]) == 1 else None
        out.append(row)
    return out
