"""ANNOTATION.md's matching rules, and `veille eval` on a real-press gold folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pipeline.evaluation import Prediction
from pipeline.real_gold import part_of_site, text_sha256
from pipeline.real_scoring import (
    cluster_names_match,
    funders_match,
    institution,
    key,
    names_match,
    persons_match,
    role_matches,
    score_part,
    score_real_article,
)

REPO = Path(__file__).resolve().parent.parent


def test_cluster_names_match_without_their_inner_marks():
    assert cluster_names_match("Clust-it", "Clust'it")
    assert cluster_names_match("MOVEO", "Mov’eo")
    assert cluster_names_match("Inno’Vin", "Innovin")
    assert not cluster_names_match("Mov'eo", "Moveon")
    assert not cluster_names_match("A-B", "AB")  # too short to tell


def test_keys_fold_accents_case_hyphens_and_apostrophes():
    assert key("Jean‐Louis d’Arvor") == key("jean-louis d'arvor") == "jean louis d'arvor"


def test_names_match_by_containment_or_half_the_content_words():
    assert names_match("Pôle Valorial", "Valorial")
    assert names_match("pôle métiers du cuir et du luxe", "pôle métiers du cuir")
    assert not names_match("Aerospace Valley", "Vallée de la Chimie")
    assert not names_match("Ain", "Bretagne")
    assert not names_match("Lot", "Lot-et-Garonne")  # under 4 characters: no containment
    assert not names_match("Saint-Malo", "Saint-Brieuc")


def test_persons_match_on_last_name_and_compatible_first_name():
    assert persons_match("Bruno Le Gall", "Bruno LE GALL")
    assert persons_match("Jean‐Louis Fouco", "J.-L. Fouco")
    assert not persons_match("Bruno Le Gall", "Bruno LE")
    assert not persons_match("Anne Martin", "Paul Martin")
    # names written without a first name on both sides match on the last name
    assert persons_match("Chapuis", "Chapuis")
    assert not persons_match("Chapuis", "Jollet")
    assert not persons_match("Martin", "Anne Martin")


def test_roles_share_half_of_the_gold_content_words():
    assert role_matches("président du pôle", "président")
    assert role_matches("présidé par", "préside")
    assert role_matches("vice-présidente chargée de l'économie", "vice-présidente")
    assert not role_matches("présidente", "président")
    assert not role_matches("maire", "député")


def test_funders_compare_by_institution():
    assert institution("le FEDER") == institution("l'Union européenne") == "Union européenne"
    assert funders_match("l'État", "le gouvernement")
    assert funders_match("la Région", "Région Occitanie")
    assert not funders_match("la Région", "l'État")
    assert funders_match("le fonds Breizh Up", "Breizh Up")
    assert funders_match("les collectivités territoriales", "collectivités locales")
    assert not funders_match("les collectivités locales", "la Région")
    # a programme or a former name stands for its institution
    assert funders_match("France Relance", "l'État")
    assert funders_match("Oseo Bretagne", "Bpifrance")
    assert funders_match("le Fonds Chaleur", "l'ADEME")
    assert funders_match("la Collectivité de Corse", "Région")
    assert funders_match("réseau Initiative", "Initiative France")
    assert funders_match("le Fonds social européen", "FEDER")
    assert funders_match("Bercy", "le gouvernement")


def test_joint_funders_match_when_they_name_the_same_institutions():
    assert funders_match("l'État et la Région", "Région, État")
    assert not funders_match("l'État et la Région", "État")
    assert not funders_match("la Région", "Région, Bpifrance")
    # one funder's name holding another's word is still one funder
    assert funders_match("le préfet de région", "l'État")


ROW = {
    "id": "x-1",
    "case_type": "positive",
    "clusters": [
        {"name": "Pôle Cristal", "kind": "pole_de_competitivite", "name_variants": ["Cristal"]}
    ],
    "officials": [
        {"name": "Hélène Roux", "role": "présidente", "org": "Pôle Cristal"},
        {"name": "Hélène Roux", "role": "maire de Dinan", "org": None},
    ],
    "persons": ["Hélène Roux", "Marc Tual"],
    "funding": [
        {
            "amount_eur": 300000,
            "text": "300 000 €",
            "funder": "la Région",
            "recipient": "Pôle Cristal",
            "instrument": None,
        },
        {
            "amount_eur": 50000,
            "text": "50 000 €",
            "funder": None,
            "recipient": None,
            "instrument": None,
            "ambiguous": True,
        },
    ],
    "locations": ["Dinan", "Côtes-d'Armor"],
}


def test_one_article_is_scored_kind_by_kind():
    predicted = Prediction(
        mentions=[
            {"kind": "cluster", "name": "Cristal"},
            {"kind": "cluster", "name": "Bretagne Commerce International"},
            {"kind": "official", "name": "Hélène Roux", "role": "président"},
            {"kind": "official", "name": "Hélène Roux", "role": "maire de Dinan"},
            {
                "kind": "funding",
                "amount_eur": 300000.0,
                "funder": "Région Bretagne",
                "recipient": None,
            },
            {"kind": "funding", "amount_eur": 50000.0, "funder": None, "recipient": None},
            {"kind": "location", "name": "Dinan"},
        ],
        persons=["Hélène Roux", "Marc Tual"],
    )
    results = score_real_article(ROW, predicted)
    counts = {kind: (r.score.tp, r.score.fp, r.score.fn) for kind, r in results.items()}
    assert counts == {
        "cluster": (1, 1, 0),
        "person": (2, 0, 0),
        "official": (1, 1, 1),  # "président" is not the gold's "présidente"
        "funding": (1, 0, 0),  # the ambiguous 50 000 € counts neither way
        "funder": (1, 0, 0),
        "recipient": (0, 0, 1),
        "location": (1, 0, 1),
    }
    report = score_part(
        "dev", [ROW, {**ROW, "id": "x-2", "case_type": "hard_negative"}], [predicted, predicted]
    )
    assert report.right["recipient"] == (0, 2)
    assert report.hard_negatives == 1 and report.funding_on_negatives == 2


TEXT = (
    "La Région a accordé 300 000 euros au pôle de compétitivité Cristal, à Dinan. "
    "« Ce soutien tombe à point », estime Hélène Roux, présidente du pôle Cristal."
)


def write_gold(folder: Path, cache: Path) -> None:
    folder.mkdir()
    cache.mkdir()
    for part in ("dev", "heldout"):
        site = next(f"ex{i}.fr" for i in range(200) if part_of_site(f"ex{i}.fr") == part)
        row = {
            "id": f"{part}-1",
            "url": f"https://{site}/a",
            "query": "pôle Cristal",
            "text_sha256": text_sha256(TEXT),
            "region": "Bretagne",
            "year": 2020,
            "case_type": "positive",
            "clusters": [{"name": "Cristal", "kind": "pole_de_competitivite"}],
            "officials": [{"name": "Hélène Roux", "role": "présidente", "org": "pôle Cristal"}],
            "persons": ["Hélène Roux"],
            "funding": [
                {
                    "amount_eur": 300000,
                    "text": "300 000 euros",
                    "funder": "La Région",
                    "recipient": "pôle de compétitivité Cristal",
                    "instrument": None,
                }
            ],
            "non_funding_amounts": [],
            "locations": ["Dinan"],
        }
        (folder / f"{part}-t.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n")
    (cache / f"{text_sha256(TEXT)}.txt").write_text(TEXT, encoding="utf-8")


def eval_cli(*args: str, cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "VEILLE_REAL_TEXTS": str(cache), "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "veille.cli", "eval", *args],
        capture_output=True, text=True, env=env, cwd=REPO, check=False, timeout=300,
    )  # fmt: skip


def test_veille_eval_scores_both_parts_and_keeps_the_held_out_part_closed(tmp_path):
    folder, cache = tmp_path / "real", tmp_path / "cache"
    write_gold(folder, cache)
    done = eval_cli(str(folder), "--json", cache=cache)
    assert done.returncode == 0, done.stderr
    records = {r["part"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert set(records) == {"dev", "heldout"}
    assert set(records["dev"]["scores"]) == {
        "cluster", "person", "official", "funding", "funder", "recipient", "location"
    }  # fmt: skip
    assert records["dev"]["scores"]["funding"]["tp"] == 1
    refused = eval_cli(str(folder), "--errors", cache=cache)
    assert refused.returncode == 2 and "held-out part is scored, never read" in refused.stderr
    listed = eval_cli(str(folder), "--errors", "--part", "dev", "--baseline", cache=cache)
    assert listed.returncode == 0 and "real_dev: 1 article(s)" in listed.stdout
    assert "baseline F1" in listed.stdout and "real_heldout" not in listed.stdout
    for path in cache.iterdir():
        path.unlink()
    missing = eval_cli(str(folder), "--part", "dev", cache=cache)
    assert missing.returncode == 1
    assert "missing text: dev-1" in missing.stderr and "pôle Cristal" in missing.stderr


def test_a_cluster_found_matches_by_its_name_or_by_the_form_the_article_wrote():
    row = {"clusters": [{"name": "LUTB", "kind": "pole_de_competitivite"}]}
    written = {"kind": "cluster", "name": "Lyon Urban Truck & Bus", "text": "LUTB"}
    spelled_out = {"kind": "cluster", "name": "Lyon Urban Truck & Bus", "text": "Lyon Urban"}
    result = score_real_article(row, Prediction(mentions=[written, spelled_out]))["cluster"]
    assert (result.score.tp, result.score.fp, result.score.fn) == (1, 0, 0)
    other = {"kind": "cluster", "name": "Axelera", "text": "Axelera"}
    result = score_real_article(row, Prediction(mentions=[other]))["cluster"]
    assert (result.score.tp, result.score.fp, result.score.fn) == (0, 1, 1)
    assert result.false_positives == ["Axelera"]
