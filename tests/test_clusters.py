"""Cluster mentions: the gazetteer data, the canonical lookup and the component on inline gold."""

from __future__ import annotations

import json

import pytest

from pipeline.nlp import doc_mentions
from pipeline.nlp.clusters import canonical_cluster
from pipeline.nlp.clusters.clusters import (
    CLUSTER_KINDS,
    CONTEXTS_PATH,
    GAZETTEER_PATH,
    load_gazetteer,
    load_triggers,
)
from pipeline.nlp.clusters.phrases import lookup_key
from tests.inline_gold import parse

# -- data files -------------------------------------------------------------------------------


def test_gazetteer_entries_are_well_formed() -> None:
    entries = load_gazetteer()
    assert len(entries) >= 55
    names = [e.name for e in entries]
    assert len(names) == len(set(names))
    assert {e.kind for e in entries} <= set(CLUSTER_KINDS) - {"other"}
    known_names = set(names)
    for entry in entries:
        assert entry.successor is None or entry.successor in known_names, entry


def test_no_alias_points_to_two_entities() -> None:
    owner: dict[str, str] = {}
    for entry in load_gazetteer():
        for alias in {entry.name, *entry.aliases, *entry.exact_aliases}:
            key = lookup_key(alias)
            assert owner.setdefault(key, entry.name) == entry.name, (alias, owner[key])


def test_gazetteer_file_is_one_json_object_per_line() -> None:
    lines = [line for line in GAZETTEER_PATH.read_text(encoding="utf-8").splitlines() if line]
    assert all(isinstance(json.loads(line), dict) for line in lines)


def test_trigger_rules_and_contexts_load() -> None:
    rules = load_triggers()
    assert {r.mode for r in rules} == {"name_after", "name_before", "unnamed"}
    assert {r.cluster_kind for r in rules} <= set(CLUSTER_KINDS)
    contexts = json.loads(CONTEXTS_PATH.read_text(encoding="utf-8"))
    assert "emploi" in contexts["not_cluster_names"]


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Aerospace Valley", "Aerospace Valley"),
        ("alpha rlh", "Alpha-RLH"),
        ("Végépolys", "Vegepolys Valley"),
        ("Mov’eo", "NextMove"),
        ("Capenergies", "Capénergies"),
        ("B4C", "Bioeconomy For Change"),
    ],
)
def test_canonical_cluster(written: str, canonical: str) -> None:
    entry = canonical_cluster(written)
    assert entry is not None and entry.name == canonical


def test_canonical_cluster_unknown() -> None:
    assert canonical_cluster("Pôle emploi") is None
    assert canonical_cluster("Société Générale") is None


# -- the component on inline gold -------------------------------------------------------------

GOLD = [
    # Gazetteer hits, with typographic apostrophes, acronyms and an adjective before the name.
    '<cluster name="Aerospace Valley" kind="pole_de_competitivite" known="true">Aerospace Valley'
    "</cluster> et le pôle de compétitivité grenoblois "
    '<cluster name="Minalogic" kind="pole_de_competitivite" known="true">Minalogic</cluster> '
    "lancent un appel à projets commun avec "
    '<cluster name="Images &amp; Réseaux" kind="pole_de_competitivite" known="true">'
    "Images & Réseaux</cluster>.",
    "Le cluster bordelais "
    '<cluster name="Innovin" kind="cluster" known="true">Innovin</cluster> s’associe à '
    '<cluster name="Alpha-RLH" kind="pole_de_competitivite" known="true">ALPHA-RLH</cluster> '
    "et à "
    '<cluster name="Innov\'Alliance" kind="pole_de_competitivite" known="true">Innov’Alliance'
    "</cluster> pour un programme d’export.",
    "Fondé en 2008, "
    '<cluster name="France Clusters" kind="cluster_network" known="true">France Clusters'
    "</cluster> fédère les réseaux régionaux.",
    # Named clusters the gazetteer does not know.
    "La grappe d’entreprises "
    '<cluster name="Bois Limousin" kind="cluster" known="false">Bois Limousin</cluster> '
    "accueille douze nouveaux adhérents.",
    '<cluster name="Axone" kind="pole_de_competitivite" known="false">Axone</cluster>, '
    "le pôle dédié aux industries créatives, ouvre une antenne.",
    "Le cluster "
    '<cluster name="Granit Ouest" kind="cluster" known="false">Granit Ouest</cluster> '
    "réunit les carriers de la région.",
    # Unnamed, designated clusters.
    "Les élus soutiennent un "
    '<cluster name="pôle des métiers du bois" kind="other" known="false">'
    "pôle des métiers du bois</cluster> en cours d’émergence en Corrèze.",
    "La communauté de communes étudie un "
    '<cluster name="futur cluster de l’hydrogène" kind="other" known="false">'
    "futur cluster de l’hydrogène</cluster> sur la zone portuaire.",
]

NEGATIVES = [
    "Pôle emploi et France Travail accompagnent les salariés licenciés.",
    "Le Pôle Emploi de Limoges recrute des conseillers.",
    "Le pôle commercial de l’entreprise compte désormais vingt personnes.",
    "Le pôle santé du Département a été réorganisé.",
    "Les clusters et des pôles de toute la France étaient réunis à Lyon.",
    "Un cluster de contamination a été détecté dans l’usine.",
    "Le futur pôle d’échanges multimodal ouvrira en 2026.",
    "Dans la Haute-Vienne, le pôle commercial du groupe déménage.",
]


def _clusters(nlp, text: str) -> list[tuple[int, int, str, str, bool]]:
    doc = nlp(text)
    return sorted(
        (m.start, m.end, m.fields["name"], m.fields["cluster_kind"], m.fields["known"])
        for m in doc_mentions(doc, "cluster")
    )


@pytest.mark.parametrize("annotated", GOLD)
def test_cluster_mentions_match_gold(nlp, annotated: str) -> None:
    text, spans = parse(annotated.replace("&amp;", "&"))
    expected = sorted(
        (s.start, s.end, s.attrs["name"], s.attrs["kind"], s.attrs["known"] == "true")
        for s in spans
    )
    assert _clusters(nlp, text) == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_clusters(nlp, text: str) -> None:
    assert _clusters(nlp, text) == []


def test_gazetteer_wins_over_overlapping_rule(nlp) -> None:
    text = "Le pôle de compétitivité Cosmetic Valley recrute."
    start = text.index("Cosmetic")
    found = _clusters(nlp, text)
    assert found == [(start, start + 15, "Cosmetic Valley", "pole_de_competitivite", True)]


def test_place_before_a_known_pole_is_not_a_cluster(nlp) -> None:
    text = "À Limoges, dans la Haute-Vienne, le pôle européen de la céramique recrute."
    assert [name for _, _, name, _, _ in _clusters(nlp, text)] == ["Pôle européen de la céramique"]


def test_mention_fields_and_rule(nlp) -> None:
    doc = nlp("Le pôle SAFE et l’ex-Mov’eo, devenu NextMove, signent une convention.")
    mentions = doc_mentions(doc, "cluster")
    assert [m.fields["name"] for m in mentions] == ["SAFE", "NextMove", "NextMove"]
    assert all(0 < m.confidence <= 1 and m.rule for m in mentions)
    assert all(doc.text[m.start : m.end] == m.text for m in mentions)
