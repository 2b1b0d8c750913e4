"""The list of outlets to watch, read from a YAML sources file and validated.

Errors name the file, the line and the field at fault, so a typo is fixed without guessing.
"""

from __future__ import annotations

import csv
import difflib
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from pipeline.article.html_tree import InvalidSelector, compile_selector
from pipeline.article.overrides import SiteOverrides
from pipeline.errors import UserError

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")

# The région names and their former names are kept once, with the place patterns.
_PATTERNS = Path(__file__).resolve().parent / "nlp" / "locations" / "patterns"

FIELDS = (
    "id",
    "name",
    "regions",
    "language",
    "feeds",
    "sitemaps",
    "content_selector",
    "date_selector",
    "drop_selectors",
    "min_delay_s",
    "max_pages_per_run",
    "silent_after_days",
    "allow_private",
    "timezone",
)


@dataclass(frozen=True)
class Source:
    """One outlet: where its articles are listed and how politely and from where to fetch it.

    `min_delay_s` and `max_pages_per_run` are None when the run's HTTP settings apply.
    """

    id: str
    name: str
    feeds: tuple[str, ...]
    regions: tuple[str, ...] = ()
    language: str = "fr"
    allow_private: bool = False
    sitemaps: tuple[str, ...] = ()
    overrides: SiteOverrides = field(default_factory=SiteOverrides)
    min_delay_s: float | None = None
    max_pages_per_run: int | None = None
    silent_after_days: int = 3
    # The outlet's time zone: its articles' instants are dated in it (overseas outlets).
    timezone: str = "Europe/Paris"

    @property
    def zone(self) -> ZoneInfo:
        """`timezone` as a ZoneInfo."""
        return ZoneInfo(self.timezone)


class SourcesError(UserError):
    """The sources file is missing or invalid."""


class _Mapping(dict):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int | None = None
    key_lines: dict[Any, int]


class _Sequence(list):
    """A YAML sequence that remembers its own line and the line of each item (1-based)."""

    line: int | None = None
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader whose mappings and sequences carry their line numbers."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Iterable[_Mapping]:
    data = _Mapping()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        line = key_node.start_mark.line + 1
        if key in data.key_lines:
            first = data.key_lines[key]
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"field '{key}' appears twice (first on line {first})",
                key_node.start_mark,
            )
        data.key_lines[key] = line
    data.update(loader.construct_mapping(node))


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> Iterable[_Sequence]:
    data = _Sequence()
    data.line = node.start_mark.line + 1
    data.item_lines = [item.start_mark.line + 1 for item in node.value]
    yield data
    data.extend(loader.construct_sequence(node))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def _fold(name: str) -> str:
    """Compare région names without accents, case, hyphens or apostrophe variants."""
    decomposed = unicodedata.normalize("NFKD", name.replace("’", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(re.split(r"[\s\-'/]+", plain)).strip()


def _csv_rows(name: str) -> list[dict[str, str]]:
    with (_PATTERNS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def region_names() -> tuple[str, ...]:
    """Today's 18 région names, spelled as the sources file must spell them."""
    return tuple(row["name"] for row in _csv_rows("regions.csv"))


@cache
def _region_hints() -> tuple[dict[str, str], dict[str, str]]:
    """Folded aliases to today's name, and folded former names to today's name."""
    aliases: dict[str, str] = {}
    for row in _csv_rows("regions.csv"):
        for alias in [row["name"], *row["aliases"].split("|"), *row["exact_aliases"].split("|")]:
            if alias:
                aliases[_fold(alias)] = row["name"]
    former: dict[str, str] = {}
    for row in _csv_rows("old_regions.csv"):
        for old in [row["name"], *row["aliases"].split("|")]:
            if old:
                former[_fold(old)] = row["region"]
    return aliases, former


def resolve_region(name: str) -> str | None:
    """Today's région for a name, alias or former région name ("Midi-Pyrénées"); else None."""
    aliases, former = _region_hints()
    folded = _fold(name)
    return aliases.get(folded) or former.get(folded)


def region_problem(name: str) -> str | None:
    """Why `name` is not one of today's région names (None when it is), with the fix."""
    if name in region_names():
        return None
    aliases, former = _region_hints()
    folded = _fold(name)
    if folded in aliases:
        return f"'{name}' is not how the région is written here; write '{aliases[folded]}'"
    if folded in former:
        return f"'{name}' is a former région (before 2016); write today's '{former[folded]}'"
    close = difflib.get_close_matches(name, region_names(), n=1, cutoff=0.6)
    if close:
        return f"unknown région '{name}' (did you mean '{close[0]}'?)"
    return f"unknown région '{name}'; today's régions are: " + ", ".join(region_names())


def _suggest(word: str, choices: Iterable[str]) -> str:
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "known fields: " + ", ".join(choices)


def _is_http_url(value: Any) -> bool:
    if not isinstance(value, str) or value != value.strip():
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class _Entry:
    """One source mapping being validated, with where each field sits for the error messages."""

    def __init__(self, raw: Mapping[Any, Any], origin: str, index: int, line: int | None) -> None:
        self.raw = raw
        self.origin = origin
        self.line = getattr(raw, "line", None) or line
        self.key_lines: dict[Any, int] = getattr(raw, "key_lines", {})
        self.subject = f"sources[{index}]"

    def line_of(self, key: str | None = None, item: int | None = None) -> int | None:
        """The line of field `key` (or of its `item`-th element), else of the source itself."""
        value = self.raw.get(key) if key else None
        item_lines = getattr(value, "item_lines", None)
        if item is not None and item_lines and item < len(item_lines):
            return item_lines[item]
        return self.key_lines.get(key) or self.line

    def error(
        self, message: str, key: str | None = None, item: int | None = None, line: int | None = None
    ) -> SourcesError:
        """A SourcesError placed at `file:line`, naming the source and the field."""
        line = line or self.line_of(key, item)
        where = f"{self.origin}:{line}" if line else self.origin
        about = f"field '{key}': " if key else ""
        return SourcesError(f"{where}: {self.subject}: {about}{message}")

    def text(self, key: str, required: bool = False) -> str | None:
        """A non-empty text field (None when absent and optional)."""
        if key not in self.raw or self.raw[key] is None:
            if required:
                raise self.error(f"missing field '{key}'")
            return None
        value = self.raw[key]
        if not isinstance(value, str) or not value.strip():
            raise self.error(f"must be non-empty text (got {value!r}); quote it if needed", key)
        return value.strip()

    def texts(self, key: str) -> list[str]:
        """A text field or a list of texts (one value may be written without brackets)."""
        value = self.raw.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.error(f"must be a list (got {value!r})", key)
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.error(f"item {i + 1} must be non-empty text (got {item!r})", key, i)
        return [item.strip() for item in value]

    def urls(self, key: str) -> list[str]:
        """A list of http(s) URLs."""
        value = self.raw.get(key)
        if isinstance(value, list | str) and not value:
            raise self.error("must list http(s) URLs (the list is empty)", key)
        urls = self.texts(key)
        for i, url in enumerate(urls):
            if not _is_http_url(url):
                raise self.error(f"must list http(s) URLs; {url!r} is not one", key, i)
        return urls

    def number(self, key: str, minimum: float, integer: bool) -> float | int | None:
        """A number at least `minimum` (an integer when asked), None when absent."""
        value = self.raw.get(key)
        if value is None:
            return None
        kinds = (int,) if integer else (int, float)
        if (
            isinstance(value, bool)
            or not isinstance(value, kinds)
            or not math.isfinite(value)
            or value < minimum
        ):
            kind = "a whole number" if integer else "a number"
            raise self.error(f"must be {kind} of at least {minimum:g} (got {value!r})", key)
        return value

    def flag(self, key: str) -> bool:
        """A true/false field, false when absent."""
        value = self.raw.get(key, False)
        if not isinstance(value, bool):
            raise self.error(f"must be true or false (got {value!r})", key)
        return value

    def selector(self, key: str, text: str, item: int | None = None) -> str:
        """A CSS selector that compiles (the extractor applies it through cssselect and lxml)."""
        try:
            compile_selector(text)
        except InvalidSelector as exc:
            raise self.error(f"not a valid CSS selector {text!r}: {exc}", key, item) from exc
        return text


def _source_from_mapping(raw: Any, origin: str, index: int, line: int | None) -> Source:
    entry = _Entry(raw if isinstance(raw, dict) else {}, origin, index, line)
    if not isinstance(raw, dict):
        raise entry.error(f"each source must be a mapping of fields (got {raw!r})")
    if isinstance(raw.get("id"), str) and _ID.match(raw["id"]):
        entry.subject = f"source '{raw['id']}'"
    for key in raw:
        if key not in FIELDS:
            problem = f"unknown field '{key}' ({_suggest(str(key), FIELDS)})"
            raise entry.error(problem, line=entry.key_lines.get(key))
    source_id = entry.text("id", required=True)
    if not _ID.match(source_id):
        raise entry.error(
            f"must be lower-case letters, digits, - or _ (got {source_id!r}), e.g. 'courrier-eco'",
            "id",
        )
    name = entry.text("name", required=True)
    if raw.get("feeds") is None and raw.get("sitemaps") is None:
        raise entry.error("missing field 'feeds' (RSS or Atom URLs; or give 'sitemaps')")
    feeds = entry.urls("feeds") if raw.get("feeds") is not None else []
    sitemaps = entry.urls("sitemaps") if raw.get("sitemaps") is not None else []
    regions = entry.texts("regions")
    for i, region in enumerate(regions):
        problem = region_problem(region)
        if problem:
            raise entry.error(problem, "regions", i)
    language = entry.text("language") or "fr"
    if not _LANGUAGE.match(language):
        raise entry.error(
            f"must be a two-letter language code such as 'fr' (got {language!r})", "language"
        )
    content = entry.text("content_selector")
    date_selector = entry.text("date_selector")
    overrides = SiteOverrides(
        content_selector=content and entry.selector("content_selector", content),
        date_selector=date_selector and entry.selector("date_selector", date_selector),
        drop_selectors=tuple(
            entry.selector("drop_selectors", text, i)
            for i, text in enumerate(entry.texts("drop_selectors"))
        ),
    )
    min_delay = entry.number("min_delay_s", 0, integer=False)
    max_pages = entry.number("max_pages_per_run", 1, integer=True)
    silent_after = entry.number("silent_after_days", 1, integer=True)
    timezone = entry.text("timezone") or "Europe/Paris"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise entry.error(
            f"not a time zone name such as 'Europe/Paris' or 'America/Cayenne' (got {timezone!r})",
            "timezone",
        ) from exc
    return Source(
        id=source_id,
        name=name,
        feeds=tuple(feeds),
        regions=tuple(regions),
        language=language,
        allow_private=entry.flag("allow_private"),
        sitemaps=tuple(sitemaps),
        overrides=overrides,
        min_delay_s=None if min_delay is None else float(min_delay),
        max_pages_per_run=None if max_pages is None else int(max_pages),
        silent_after_days=3 if silent_after is None else int(silent_after),
        timezone=timezone,
    )


def _check_unique(sources: list[Source], lines: list[int | None], origin: str) -> None:
    def where(i: int) -> str:
        return f"{origin}:{lines[i]}" if lines[i] else origin

    first_id: dict[str, int] = {}
    first_url: dict[str, int] = {}
    for i, source in enumerate(sources):
        if source.id in first_id:
            j = first_id[source.id]
            seen = f" (first on line {lines[j]})" if lines[j] else ""
            raise SourcesError(f"{where(i)}: duplicate source id '{source.id}'{seen}")
        first_id[source.id] = i
        for url in (*source.feeds, *source.sitemaps):
            if url in first_url and first_url[url] != i:
                other = sources[first_url[url]].id
                raise SourcesError(
                    f"{where(i)}: source '{source.id}': URL {url} is already listed by '{other}'"
                )
            if url in first_url:
                raise SourcesError(f"{where(i)}: source '{source.id}': URL {url} is listed twice")
            first_url[url] = i


def parse_sources(data: Any, origin: str = "sources") -> list[Source]:
    """Validate the parsed YAML document (`{"sources": [...]}`) into Source records.

    Mappings read by `load_sources` carry line numbers, so errors then say `file:line`.
    """
    top_line = getattr(data, "line", None)
    top = f"{origin}:{top_line}" if top_line else origin
    if not isinstance(data, dict) or "sources" not in data:
        found = ""
        if isinstance(data, dict) and data:
            found = " (found " + ", ".join(f"'{key}'" for key in data) + ")"
        raise SourcesError(f"{top}: expected a top-level 'sources:' list{found}")
    key_lines = getattr(data, "key_lines", {})
    for key in data:
        if key != "sources":
            line = key_lines.get(key)
            where = f"{origin}:{line}" if line else origin
            raise SourcesError(f"{where}: unknown top-level field '{key}'; only 'sources:' belongs")
    raws = data["sources"]
    list_line = key_lines.get("sources")
    at = f"{origin}:{list_line}" if list_line else origin
    if not isinstance(raws, list):
        raise SourcesError(f"{at}: expected a top-level 'sources:' list (got {raws!r})")
    if not raws:
        raise SourcesError(f"{at}: the 'sources:' list is empty; add at least one outlet")
    item_lines = getattr(raws, "item_lines", [None] * len(raws))
    sources = [_source_from_mapping(raw, origin, i, item_lines[i]) for i, raw in enumerate(raws)]
    _check_unique(sources, item_lines, origin)
    return sources


def load_sources(path: str | Path) -> list[Source]:
    """Read and validate a sources file; raises SourcesError naming the file, line and field."""
    path = Path(path)
    if not path.is_file():
        raise SourcesError(f"sources file not found: {path}")
    try:
        # A SafeLoader subclass: builds plain mappings, lists and scalars only.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        detail = f"{problem} ({context})" if context else problem
        raise SourcesError(f"{where}: not valid YAML: {detail}".replace("\n", " ")) from exc
    except UnicodeDecodeError as exc:
        raise SourcesError(f"{path}: not UTF-8 text: {exc}") from exc
    return parse_sources(data, str(path))


def write_sources(path: str | Path, sources: list[dict[str, Any]]) -> Path:
    """Write a sources file (used by the demo to point at its local site)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    parse_sources({"sources": sources}, str(path))
    text = yaml.safe_dump({"sources": sources}, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def source_mapping(source: Source) -> dict[str, Any]:
    """The sources-file entry of `source` (what `parse_sources` reads back to the same Source)."""
    mapping: dict[str, Any] = {"id": source.id, "name": source.name}
    optional = {
        "feeds": list(source.feeds),
        "regions": list(source.regions),
        "sitemaps": list(source.sitemaps),
        "content_selector": source.overrides.content_selector,
        "date_selector": source.overrides.date_selector,
        "drop_selectors": list(source.overrides.drop_selectors),
        "min_delay_s": source.min_delay_s,
        "max_pages_per_run": source.max_pages_per_run,
    }
    mapping.update({k: v for k, v in optional.items() if v})
    mapping["language"] = source.language
    mapping["silent_after_days"] = source.silent_after_days
    if source.allow_private:
        mapping["allow_private"] = True
    return mapping
