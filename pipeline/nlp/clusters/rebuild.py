"""Rebuild a reference list (`patterns/clusters.jsonl`, `patterns/technopoles.jsonl`) from its
public source, downloaded beforehand as CSV.

The sources are tables published by the ministry in charge of industry (the pôles de
compétitivité of a labelling phase, on data.gouv.fr) and by the RETIS network (its technopoles).
The script never downloads: give it the file. Entities already listed keep their spellings,
acronyms and former names; the source adds the new ones, fills missing régions, and turns a
former name it gives into an alias (a separate former entity gets the new one as `successor`).
Listed entities missing from the source are kept: former pôles are still written in the press.

    python -m pipeline.nlp.clusters.rebuild poles liste-poles-2023.csv \\
        --source "Liste des pôles de compétitivité, phase V (DGE, data.gouv.fr)" --date 2026-12-03
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.nlp.clusters.clusters import GAZETTEER_PATH, TECHNOPOLES_PATH
from pipeline.nlp.clusters.phrases import lookup_key

# Which list each source rebuilds, and the kind its entities get.
LISTS = {
    "poles": (GAZETTEER_PATH, "pole_de_competitivite"),
    "technopoles": (TECHNOPOLES_PATH, "other"),
}
# Column headers of the published tables, by what they hold (compared by `lookup_key`).
NAME_HEADERS = (
    "nom du pole", "nom du pole de competitivite", "nom de la technopole", "nom", "pole",
    "technopole", "libelle", "name",
)  # fmt: skip
ACRONYM_HEADERS = ("sigle", "acronyme", "acronym")
REGION_HEADERS = ("region", "region administrative", "region principale", "region de rattachement")
FORMER_HEADERS = ("anciens noms", "ancien nom", "issu de", "fusion de", "former names")
FORMER_SEPARATORS = re.compile(r"\s*[;/|]\s*")


@dataclass
class SourceRow:
    """One entity of a downloaded source table."""

    name: str
    region: str | None = None
    acronym: str | None = None
    former: list[str] = field(default_factory=list)


def _decode(raw: bytes) -> str:
    """Published tables come in UTF-8 (with or without a BOM) or in Windows-1252."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _column(headers: list[str], wanted: tuple[str, ...]) -> str | None:
    keys = {lookup_key(h): h for h in headers}
    return next((keys[w] for w in wanted if w in keys), None)


def read_source(path: Path) -> list[SourceRow]:
    """The rows of a downloaded CSV table (comma, semicolon or tab separated)."""
    text = _decode(path.read_bytes())
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    headers = list(reader.fieldnames or [])
    name_col = _column(headers, NAME_HEADERS)
    if name_col is None:
        raise ValueError(f"{path}: no name column among {headers}")
    region_col = _column(headers, REGION_HEADERS)
    acronym_col = _column(headers, ACRONYM_HEADERS)
    former_col = _column(headers, FORMER_HEADERS)
    rows = []
    for record in reader:
        name = " ".join((record.get(name_col) or "").split())
        if not name:
            continue
        former = (record.get(former_col) or "") if former_col else ""
        rows.append(
            SourceRow(
                name=name,
                region=(record.get(region_col) or "").strip() or None if region_col else None,
                acronym=(record.get(acronym_col) or "").strip() or None if acronym_col else None,
                former=[f for f in FORMER_SEPARATORS.split(former.strip()) if f],
            )
        )
    return rows


def read_list(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A reference list's header line and its entity lines."""
    header: dict[str, Any] = {}
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if "_source" in row:
            header = row
        else:
            entries.append(row)
    return header, entries


def _spellings(entry: dict[str, Any]) -> list[str]:
    return [entry["name"], *entry.get("aliases", []), *entry.get("exact_aliases", [])]


def merge(
    entries: list[dict[str, Any]], rows: list[SourceRow], kind: str
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The list with the source's rows merged in, and counts of what changed."""
    merged = [dict(e) for e in entries]
    index = {lookup_key(s): e for e in merged for s in _spellings(e)}
    counts = {"new": 0, "updated": 0, "kept": 0}
    seen: set[int] = set()
    for row in rows:
        entry = index.get(lookup_key(row.name))
        if entry is None and row.acronym:
            entry = index.get(lookup_key(row.acronym))
        if entry is None:
            entry = {"name": row.name, "kind": kind, "aliases": []}
            merged.append(entry)
            index[lookup_key(row.name)] = entry
            counts["new"] += 1
        else:
            counts["updated"] += 1
        seen.add(id(entry))
        if row.region and not entry.get("region"):
            entry["region"] = row.region
        if row.acronym and lookup_key(row.acronym) not in {
            lookup_key(s) for s in _spellings(entry)
        }:
            entry.setdefault("exact_aliases", []).append(row.acronym)
            index[lookup_key(row.acronym)] = entry
        for former in row.former:
            other = index.get(lookup_key(former))
            if other is entry:
                continue
            if other is not None:
                other["successor"] = entry["name"]  # a pôle merged into this one
            else:
                entry.setdefault("aliases", []).append(former)
                index[lookup_key(former)] = entry
    counts["kept"] = sum(1 for e in merged if e.get("kind") == kind and id(e) not in seen)
    return merged, counts


def write_list(path: Path, header: dict[str, Any], entries: list[dict[str, Any]]) -> None:
    """One JSON object a line, the header first, written in one step."""
    lines = [json.dumps(header, ensure_ascii=False)]
    lines += [json.dumps(e, ensure_ascii=False) for e in entries]
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    temporary.replace(path)


def rebuild(
    which: str, source_file: Path, source: str, day: str, list_path: Path | None = None
) -> dict[str, int]:
    """Merge a downloaded source into the reference list `which` and stamp its header."""
    default_path, kind = LISTS[which]
    path = list_path or default_path
    header, entries = read_list(path)
    merged, counts = merge(entries, read_source(source_file), kind)
    write_list(path, {**header, "_source": source, "_date": day}, merged)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.nlp.clusters.rebuild", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("which", choices=sorted(LISTS), help="the reference list to rebuild")
    parser.add_argument("source_file", type=Path, help="the downloaded CSV table")
    parser.add_argument("--source", required=True, help="where the table comes from (header)")
    parser.add_argument("--date", default=date.today().isoformat(), help="YYYY-MM-DD (header)")
    parser.add_argument("--list", type=Path, default=None, help="the list file (default: bundled)")
    args = parser.parse_args(argv)
    try:
        date.fromisoformat(args.date)
        counts = rebuild(args.which, args.source_file, args.source, args.date, args.list)
    except (OSError, ValueError) as exc:
        print(f"rebuild: {exc}", file=sys.stderr)
        return 2
    print(
        f"{args.which}: {counts['new']} new, {counts['updated']} updated from the source,"
        f" {counts['kept']} kept from before"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
