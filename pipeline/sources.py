"""The list of outlets to watch, read from a YAML sources file and validated."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import UserError

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Source:
    """One outlet: its feeds and how politely and from where it may be fetched."""

    id: str
    name: str
    feeds: tuple[str, ...]
    regions: tuple[str, ...] = ()
    language: str = "fr"
    allow_private: bool = False


class SourcesError(UserError):
    """The sources file is missing or invalid."""


def _source_from_dict(raw: Any, where: str) -> Source:
    if not isinstance(raw, dict):
        raise SourcesError(f"{where}: each source must be a mapping")
    for key in ("id", "name", "feeds"):
        if key not in raw:
            raise SourcesError(f"{where}: missing field '{key}'")
    if not isinstance(raw["id"], str) or not _ID.match(raw["id"]):
        raise SourcesError(f"{where}: field 'id' must be lower-case letters, digits, - or _")
    feeds = raw["feeds"]
    if isinstance(feeds, str):
        feeds = [feeds]
    if not feeds or not all(
        isinstance(f, str) and f.startswith(("http://", "https://")) for f in feeds
    ):
        raise SourcesError(f"{where}: field 'feeds' must list http(s) URLs")
    regions = raw.get("regions") or []
    if isinstance(regions, str):
        regions = [regions]
    return Source(
        id=raw["id"],
        name=str(raw["name"]),
        feeds=tuple(feeds),
        regions=tuple(str(r) for r in regions),
        language=str(raw.get("language", "fr")),
        allow_private=bool(raw.get("allow_private", False)),
    )


def parse_sources(data: Any, origin: str = "sources") -> list[Source]:
    """Validate the parsed YAML document (`{"sources": [...]}`) into Source records."""
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise SourcesError(f"{origin}: expected a top-level 'sources:' list")
    sources = [
        _source_from_dict(raw, f"{origin}: sources[{i}]") for i, raw in enumerate(data["sources"])
    ]
    seen: set[str] = set()
    for source in sources:
        if source.id in seen:
            raise SourcesError(f"{origin}: duplicate source id '{source.id}'")
        seen.add(source.id)
    return sources


def load_sources(path: str | Path) -> list[Source]:
    """Read and validate a sources file; raises SourcesError with the file and field at fault."""
    path = Path(path)
    if not path.is_file():
        raise SourcesError(f"sources file not found: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SourcesError(f"{path}: not valid YAML: {exc}".replace("\n", " ")) from exc
    return parse_sources(data, str(path))


def write_sources(path: str | Path, sources: list[dict[str, Any]]) -> Path:
    """Write a sources file (used by the demo to point at its local site)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    parse_sources({"sources": sources}, str(path))
    text = yaml.safe_dump({"sources": sources}, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path
