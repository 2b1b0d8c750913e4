import csv
import json
import shutil
from pathlib import Path

from pipeline.nlp.locations import build_communes

PATTERNS = Path(build_communes.__file__).parent / "patterns"


def test_build_merges_the_cog_with_the_team_overrides(tmp_path):
    cog = tmp_path / "cog"
    cog.mkdir()
    (cog / "regions.json").write_text(json.dumps([{"code": "75", "nom": "Nouvelle-Aquitaine"}]))
    communes = [
        {
            "code": "33063",
            "nom": "Bordeaux",
            "departement": "33",
            "region": "75",
            "type": "commune-actuelle",
            "population": 260000,
        },
        {
            "code": "33029",
            "nom": "Le Barp",
            "departement": "33",
            "region": "75",
            "type": "commune-actuelle",
            "population": 5900,
        },
        {
            "code": "33999",
            "nom": "Hameau",
            "departement": "33",
            "region": "75",
            "type": "commune-actuelle",
            "population": 120,
        },
        {
            "code": "33998",
            "nom": "Ancienne",
            "departement": "33",
            "region": "75",
            "type": "commune-deleguee",
            "population": 50,
        },
        {
            "code": "98818",
            "nom": "Nouméa",
            "departement": "988",
            "region": "75",
            "type": "commune-actuelle",
            "population": 94000,
        },
    ]
    (cog / "communes.json").write_text(json.dumps(communes))
    patterns = tmp_path / "patterns"
    patterns.mkdir()
    shutil.copy(PATTERNS / "departements.csv", patterns / "departements.csv")
    (patterns / "commune_overrides.csv").write_text(
        "name,departement_code,region,aliases,ambiguous\nBordeaux,33,Nouvelle-Aquitaine,,0\n"
    )
    assert build_communes.build(cog, patterns) == 3
    with (patterns / "communes.csv").open() as f:
        rows = [(r["name"], r["departement_code"], r["ambiguous"]) for r in csv.DictReader(f)]
    assert rows == [("Bordeaux", "33", "0"), ("Le Barp", "33", "1"), ("Hameau", "33", "2")]
