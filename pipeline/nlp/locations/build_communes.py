"""Rebuild `patterns/communes.csv` from the official list of communes (INSEE COG).

The COG is read from the JSON files of the `@etalab/decoupage-administratif` package
(`data/communes.json`, `data/regions.json`; get it with `npm pack @etalab/decoupage-administratif`).
Rows of `patterns/commune_overrides.csv` (the team's decisions on aliases and ambiguous names)
replace the generated ones. Communes are written most populous first, so that among homonyms
without a département code the largest is preferred.

    python -m pipeline.nlp.locations.build_communes path/to/package/data
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

PATTERNS_DIR = Path(__file__).parent / "patterns"
COLUMNS = ["name", "departement_code", "region", "aliases", "ambiguous"]
# Below this population a commune name is only read as a place after "à" or with its code.
SMALL_COMMUNE = 2000


def build(cog_dir: Path, patterns_dir: Path = PATTERNS_DIR) -> int:
    """Write communes.csv; returns the number of rows written."""
    regions = {r["code"]: r["nom"] for r in json.loads((cog_dir / "regions.json").read_text())}
    with (patterns_dir / "departements.csv").open(encoding="utf-8") as f:
        departements = {row["code"] for row in csv.DictReader(f)}
    # The 101 départements only: overseas collectivities (Nouvelle-Calédonie...) are no région.
    communes = [
        c
        for c in json.loads((cog_dir / "communes.json").read_text())
        if c["type"] == "commune-actuelle" and c["departement"] in departements
    ]
    with (patterns_dir / "commune_overrides.csv").open(encoding="utf-8") as f:
        overrides = {(r["name"], r["departement_code"]): r for r in csv.DictReader(f)}
    rows = []
    for commune in sorted(communes, key=lambda c: (-(c.get("population") or 0), c["code"])):
        key = (commune["nom"], commune["departement"])
        row = overrides.pop(key, None) or {
            "name": commune["nom"],
            "departement_code": commune["departement"],
            "region": regions[commune["region"]],
            "aliases": "",
            # Every name outside the overrides needs a cue: many double as words or surnames.
            "ambiguous": "1" if (commune.get("population") or 0) >= SMALL_COMMUNE else "2",
        }
        rows.append(row)
    rows.extend(overrides.values())  # overrides the COG does not know (none expected)
    with (patterns_dir / "communes.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: row[c] for c in COLUMNS} for row in rows)
    return len(rows)


if __name__ == "__main__":
    print(f"{build(Path(sys.argv[1]))} communes written")
