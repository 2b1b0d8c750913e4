"""Location mentions: the gazetteer files, the lookup and the component on inline gold."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.nlp import doc_mentions
from pipeline.nlp.clusters.phrases import lookup_key
from pipeline.nlp.locations import lookup_places
from pipeline.nlp.locations.locations import PATTERNS_DIR, load_places
from tests.inline_gold import parse


def _rows(name: str) -> list[dict[str, str]]:
    with open(Path(PATTERNS_DIR) / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# -- data files -------------------------------------------------------------------------------


def test_regions_file() -> None:
    regions = _rows("regions.csv")
    assert len(regions) == 18
    assert len({r["code"] for r in regions}) == 18
    assert len({r["name"] for r in regions}) == 18


def test_departements_file() -> None:
    departements = _rows("departements.csv")
    region_names = {r["name"] for r in _rows("regions.csv")}
    assert len(departements) == 101
    assert len({d["code"] for d in departements}) == 101
    assert len({d["name"] for d in departements}) == 101
    assert {d["region"] for d in departements} <= region_names
    assert {d["region"] for d in departements} == region_names


def test_old_regions_map_to_todays_regions() -> None:
    region_names = {r["name"] for r in _rows("regions.csv")}
    old = {r["name"]: r["region"] for r in _rows("old_regions.csv")}
    assert len(old) == 17
    assert set(old.values()) <= region_names
    assert old["Midi-Pyrénées"] == "Occitanie"
    assert old["Picardie"] == "Hauts-de-France"


def test_communes_file_agrees_with_departements() -> None:
    region_of = {d["code"]: d["region"] for d in _rows("departements.csv")}
    communes = _rows("communes.csv")
    assert len(communes) >= 300
    keys = [(c["name"], c["departement_code"]) for c in communes]
    assert len(keys) == len(set(keys))
    for commune in communes:
        assert commune["departement_code"] in region_of, commune
        assert commune["region"] == region_of[commune["departement_code"]], commune
        assert commune["ambiguous"] in {"0", "1", "2"}


def test_aliases_unique_within_each_level() -> None:
    seen: dict[tuple[str, str], object] = {}
    for spelling in load_places():
        place = spelling.place
        for alias in {*spelling.aliases, *spelling.exact_aliases}:
            key = (place.level, lookup_key(alias))
            if place.level == "commune":  # homonymous communes differ by département
                key = (*key, place.departement_code)
            assert seen.setdefault(key, place) == place, (alias, seen[key], place)


def test_lookup_places() -> None:
    assert {p.level for p in lookup_places("Paris")} == {"commune", "departement"}
    assert [p.region for p in lookup_places("nouvelle aquitaine")] == ["Nouvelle-Aquitaine"]
    assert lookup_places("Saint-Etienne")[0].departement_code == "42"
    assert lookup_places("Atlantide") == []


# -- the component on inline gold -------------------------------------------------------------

GOLD = [
    "L’usine de "
    '<loc name="Mérignac" dep="33" region="Nouvelle-Aquitaine">Mérignac</loc> (33) et le siège '
    'de <loc name="Bordeaux" dep="33" region="Nouvelle-Aquitaine">Bordeaux</loc>, en '
    '<loc name="Gironde" dep="33" region="Nouvelle-Aquitaine">Gironde</loc>, recrutent.',
    "La Région "
    '<loc name="Occitanie" region="Occitanie">Occitanie</loc> finance le projet, comme l’avait '
    'fait l’ex-<loc name="Midi-Pyrénées" region="Occitanie">Midi-Pyrénées</loc>.',
    "De "
    '<loc name="Saint-Étienne" dep="42" region="Auvergne-Rhône-Alpes">Saint-Étienne</loc> à '
    '<loc name="Clermont-Ferrand" dep="63" region="Auvergne-Rhône-Alpes">Clermont-Ferrand</loc>, '
    "la filière mécanique de "
    '<loc name="Auvergne-Rhône-Alpes" region="Auvergne-Rhône-Alpes">AuRA</loc> se mobilise.',
    "La "
    '<loc name="Provence-Alpes-Côte d\'Azur" region="Provence-Alpes-Côte d\'Azur">Région Sud</loc>'
    " et la "
    '<loc name="Nouvelle-Aquitaine" region="Nouvelle-Aquitaine">Nouvelle Aquitaine</loc> '
    "signent un accord.",
    "Après plusieurs tours de table, la jeune pousse s’installe à "
    '<loc name="Tours" dep="37" region="Centre-Val de Loire">Tours</loc>.',
    "Le sous-traitant, installé rue de Nantes à "
    '<loc name="Rennes" dep="35" region="Bretagne">Rennes</loc>, exporte vers l’Afrique du Nord.',
    "Les chantiers du "
    '<loc name="Le Havre" dep="76" region="Normandie">Havre</loc> et le circuit du '
    '<loc name="Le Mans" dep="72" region="Pays de la Loire">Mans</loc> recrutent à '
    '<loc name="Paris" dep="75" region="Île-de-France">Paris</loc>.',
    "Une antenne ouvre dans la "
    '<loc name="Vienne" dep="86" region="Nouvelle-Aquitaine">Vienne</loc> et une autre à '
    '<loc name="Vienne" dep="38" region="Auvergne-Rhône-Alpes">Vienne</loc>.',
    "Le site d’"
    '<loc name="Eysines" dep="33" region="Nouvelle-Aquitaine">Eysines</loc> (33) et celui de '
    '<loc name="Saint-Denis" dep="974" region="La Réunion">Saint-Denis</loc> (974) ferment.',
    "Le pôle Mer Bretagne Atlantique tient son assemblée en "
    '<loc name="Bretagne" region="Bretagne">Bretagne</loc>.',
    "Nancy Dupont, maire de "
    '<loc name="Nancy" dep="54" region="Grand Est">Nancy</loc>, visite l’usine.',
]

NEGATIVES = [
    "Il aura fallu trois tours de table pour boucler le financement.",
    "Tours de table : la start-up a levé 2 M€ auprès de ses actionnaires.",
    "Jean Tours, directeur du site, a présenté les résultats.",
    "Un cher ami a apporté la somme de 3 millions d’euros pour un lot de machines.",
    "Le centre de recherche emploie quarante ingénieurs.",
    "La réunion du conseil d’administration aura lieu lundi.",
    "L’opérateur Orange déploie la fibre avec les équipes d’Orange.",
]


def _locations(nlp, text: str) -> list[tuple[int, int, str, str, str | None]]:
    doc = nlp(text)
    return sorted(
        (m.start, m.end, m.fields["name"], m.fields["region"], m.fields["departement_code"])
        for m in doc_mentions(doc, "location")
    )


@pytest.mark.parametrize("annotated", GOLD)
def test_location_mentions_match_gold(nlp, annotated: str) -> None:
    text, spans = parse(annotated)
    expected = sorted(
        (s.start, s.end, s.attrs["name"], s.attrs["region"], s.attrs.get("dep")) for s in spans
    )
    assert _locations(nlp, text) == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_locations(nlp, text: str) -> None:
    assert _locations(nlp, text) == []


def test_region_mention_has_no_departement_code(nlp) -> None:
    doc = nlp("La Bretagne et la Normandie investissent dans l’éolien en mer.")
    mentions = doc_mentions(doc, "location")
    assert [m.fields["name"] for m in mentions] == ["Bretagne", "Normandie"]
    assert all(m.fields["departement_code"] is None for m in mentions)
    assert all(m.rule == "region" and 0 < m.confidence <= 1 for m in mentions)
