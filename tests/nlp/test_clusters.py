"""Cluster mentions: the gazetteer data, the canonical lookup and the component on inline gold."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.nlp import doc_mentions
from pipeline.nlp.clusters import canonical_cluster
from pipeline.nlp.clusters.clusters import (
    CLUSTER_KINDS,
    CONTEXTS_PATH,
    GAZETTEER_PATH,
    GAZETTEER_PATHS,
    TECHNOPOLES_PATH,
    load_gazetteer,
    load_triggers,
)
from pipeline.nlp.clusters.phrases import lookup_key
from pipeline.nlp.clusters.rebuild import main as rebuild_main
from pipeline.nlp.clusters.rebuild import read_source, rebuild
from tests.inline_gold import parse

# -- data files -------------------------------------------------------------------------------


def test_gazetteer_entries_are_well_formed() -> None:
    entries = load_gazetteer()
    assert len(entries) >= 55
    names = [e.name for e in entries]
    assert len(names) == len(set(names))
    assert {e.kind for e in entries} <= set(CLUSTER_KINDS)
    assert {e.kind for e in load_gazetteer(GAZETTEER_PATH)} <= set(CLUSTER_KINDS) - {"other"}
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
    # A région (today's or former) or a département after a cue is a territory, not a name.
    "Le cluster Aquitaine a été dissous en 2016.",
    "La grappe Poitou-Charentes comptait quarante membres.",
    "Le pôle de compétitivité Midi-Pyrénées n'a jamais existé.",
    "Le pôle Gironde recrute deux animateurs.",
    # After a plural cue, an inhabitants' adjective or a version number is no name.
    "Cinq clusters innovants Midi-Pyrénéens ont été retenus.",
    "Les pôles 2.0 ont été présentés par le ministre.",
    "Les dirigeants du réseau des clusters Centre-Val de Loire se sont réunis à Blois.",
    "L'entreprise a structuré son pôle R&D autour de six ingénieurs.",
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
    mentions = sorted(doc_mentions(doc, "cluster"), key=lambda m: m.start)
    # The former name is kept as written; the lookup gives the pôle it became.
    assert [m.fields["name"] for m in mentions] == ["SAFE", "Mov'eo", "NextMove"]
    assert canonical_cluster(mentions[1].fields["name"]).name == "NextMove"
    assert all(0 < m.confidence <= 1 and m.rule for m in mentions)
    assert all(doc.text[m.start : m.end] == m.text for m in mentions)


# -- reference lists and discovery by cue --------------------------------------------------------


def test_reference_lists_have_a_source_and_date_header() -> None:
    for path in GAZETTEER_PATHS:
        header = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
        assert header["_source"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", header["_date"])
    technopoles = load_gazetteer(TECHNOPOLES_PATH)
    assert len(technopoles) >= 30 and all(
        e.kind in ("other", "cluster_network") for e in technopoles
    )


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("LUTB", "CARA"),
        ("Industries et Agro-Ressources", "Bioeconomy For Change"),
        ("Clubster Santé", "Clubster NSL"),
        ("Arve Industries", "CIMES"),
        ("Technopole Brest Iroise", "Technopôle Brest-Iroise"),
        ("PASS", "Innov'Alliance"),
        ("Terralia", "Innov'Alliance"),
        ("Qualiméditerranée", "Agri Sud-Ouest Innovation"),
        ("POPsud", "Optitec"),
        ("Meditech Santé", "Medicen"),
        ("Pôle Automobile Haut de Gamme", "ID4CAR"),
        ("Hydreos", "Aquanova"),
        ("Swelia", "Aqua-Valley"),
        ("Pôle Eau", "Aqua-Valley"),
        ("Nutravita", "Vegepolys Valley"),
        ("France Technopoles Entreprises Innovation", "Rétis"),
    ],
)
def test_former_names_lead_to_the_current_entity(written: str, canonical: str) -> None:
    entry = canonical_cluster(written)
    assert entry is not None and entry.name == canonical


CUE_CASES = {
    "technopole_cue_unknown": (
        "La start-up est hébergée par la technopole"
        ' <cluster name="Vallée Numérique" kind="other" known=false>Vallée Numérique</cluster>'
        " depuis mars."
    ),
    "technopole_known_from_list": (
        'Installée sur <cluster name="Savoie Technolac" kind="other">Savoie Technolac</cluster>,'
        " la société recrute dix ingénieurs."
    ),
    "cue_names_the_cluster_after_it": (
        "Implanté en Normandie et en Bretagne, le pôle de compétitivité"
        ' <cluster name="Valorial" kind="pole_de_competitivite">Valorial</cluster> compte 300'
        " adhérents."
    ),
    "former_name_kept_as_written": (
        'Le pôle <cluster name="Lyon Urban Truck &amp; Bus">LUTB</cluster> a labellisé le projet.'
    ),
    "quoted_name_after_the_cue": (
        "Les maraîchers lancent le cluster"
        ' « <cluster name="Saveurs du Lauragais" kind="cluster" known=false>Saveurs du'
        " Lauragais</cluster> » pour vendre ensemble."
    ),
    "names_listed_after_a_plural_cue": (
        "La région compte deux clusters émergents, comme"
        ' <cluster name="Robot Sud" kind="cluster" known=false>Robot Sud</cluster> pour la'
        ' robotique, ou <cluster name="Bois Demain" kind="cluster" known=false>Bois'
        " Demain</cluster> pour la construction."
    ),
    "name_ending_with_a_capitalised_technopole": (
        '<cluster name="Vienne Technopôle" kind="other" known=false>Vienne Technopôle</cluster>'
        " a présenté sa nouvelle gouvernance."
    ),
    "acronym_after_the_full_cue": (
        "L'alliance avec le pôle breton de compétitivité numérique"
        ' <cluster name="ABC" kind="pole_de_competitivite" known=false>ABC</cluster> est signée.'
    ),
    "local_productive_system": (
        'Le SPL <cluster name="Décolletage Arve" kind="cluster" known=false>Décolletage'
        " Arve</cluster> fédère quarante ateliers."
    ),
    "an_accent_dropped_on_one_word_only": (
        'Le pôle <cluster name="Céréales Vallée">Cereales Vallée</cluster> labellise le projet.'
    ),
    "one_word_entry_inside_a_company_name": (
        "La Métropole soutient l'entreprise Temis Micro, qui fabrique des micro-moteurs."
    ),
}


@pytest.mark.parametrize("annotated", CUE_CASES.values(), ids=CUE_CASES.keys())
def test_clusters_by_cue_and_reference_lists(nlp, annotated: str) -> None:
    text, gold = parse(annotated.replace("&amp;", "&"))
    found = sorted(doc_mentions(nlp(text), "cluster"), key=lambda m: m.start)
    assert [(m.start, m.end) for m in found] == [(g.start, g.end) for g in gold], [
        (m.text, m.rule, m.fields) for m in found
    ]
    for mention, expected in zip(found, gold, strict=True):
        assert mention.fields["name"] == expected.attrs["name"]
        if "kind" in expected.attrs:
            assert mention.fields["cluster_kind"] == expected.attrs["kind"]
        assert mention.fields["known"] is (expected.attrs.get("known") != "false")


@pytest.mark.parametrize(
    ("text", "written", "canonical"),
    [
        ("Les vignerons d'InnoVin testent un capteur.", "InnoVin", "Innovin"),
        ("Le réseau Inno-Vin fête ses dix ans.", "Inno-Vin", "Innovin"),
        ("Le cluster Clustit accueille six start-up.", "Clustit", "Clust'it"),
        ("Le pôle MOV-EO labellise le projet.", "MOV-EO", "Mov'eo"),
    ],
)
def test_brand_names_match_with_or_without_their_inner_mark(
    nlp, text: str, written: str, canonical: str
) -> None:
    """An apostrophe or hyphen inside a listed name may be dropped, swapped or capitalised."""
    found = [m for m in doc_mentions(nlp(text), "cluster") if m.fields["known"]]
    assert [(m.text.split()[-1], m.fields["name"]) for m in found] == [(written, canonical)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Le Clust\u2019R Numérique réunit quarante entreprises du logiciel.",
            [("Clust\u2019R Numérique", "Clust'R Numérique")],
        ),
        (
            "Les jeunes pousses du Clus\u2019Ter Jura exposent leurs lunettes à Morez.",
            [("Clus\u2019Ter Jura", "Clus'Ter Jura")],
        ),
        (
            "Labellisés en 2005, les pôles parfums, arômes, senteurs, saveurs et systèmes"
            " complexes d'optique et d'imagerie ont fêté leurs vingt ans.",
            [
                ("parfums, arômes, senteurs, saveurs", "PASS"),
                ("systèmes complexes d'optique et d'imagerie", "Optitec"),
            ],
        ),
        (
            "La grappe Water Sensors & Membranes s'est fondue dans Aqua-Valley.",
            [
                ("Water Sensors & Membranes", "Water Sensors & Membranes"),
                ("Aqua-Valley", "Aqua-Valley"),
            ],
        ),
        (
            "Douze porteurs de projet ont rejoint la Technopole Martinique cette année.",
            [("Technopole Martinique", "Technopole Martinique")],
        ),
        (
            "Le pôle de compétitivité Eau a labellisé le projet de réutilisation des eaux usées.",
            [("pôle de compétitivité Eau", "Pôle Eau")],
        ),
        (
            "Le chantier de la Technopôle de Mayotte s'achève à Dembéni.",
            [("Technopôle de Mayotte", "Mayotte Technopôle")],
        ),
        (
            "Le sous-traitant nazairien adhère à Néopolia depuis 2019.",
            [("Néopolia", "Neopolia")],
        ),
        (
            "Les trois pôles de l'eau ont créé le PCF Eau, avec le pôle Dream.",
            [("PCF Eau", "France Water Team"), ("pôle Dream", "DREAM Eau & Milieux")],
        ),
        (
            "Le Biocluster Eurasanté accueille une jeune pousse du diagnostic.",
            [("Biocluster Eurasanté", "Biocluster Eurasanté")],
        ),
    ],
)
def test_names_of_the_completed_lists_are_found(
    nlp, text: str, expected: list[tuple[str, str]]
) -> None:
    """Former pôles by their 2005 theme, regional clusters, grappes and overseas technopoles,
    with a typographic apostrophe or an accent the list writes otherwise."""
    found = sorted(doc_mentions(nlp(text), "cluster"), key=lambda m: m.start)
    assert [(m.text, m.fields["name"]) for m in found] == expected
    assert all(m.fields["known"] for m in found)


@pytest.mark.parametrize(
    "text",
    [
        "Le pass Culture finance des places de concert pour les lycéens.",
        "Le groupe américain Dream Works a ouvert un studio à Paris.",
        "Un éclairage sans effet de serre ? Les énergies renouvelables s'imposent.",
    ],
)
def test_words_shared_with_listed_names_are_no_cluster(nlp, text: str) -> None:
    """An acronym that is also a word matches only as written in capitals."""
    assert doc_mentions(nlp(text), "cluster") == []


# -- rebuilding a reference list from its downloaded source -------------------------------------

FIXTURES = Path(__file__).parent.parent / "fixtures" / "reference_lists"
SMALL_LIST = [
    {"_source": "an older table", "_date": "2025-01-01"},
    {"name": "Aerospace Valley", "kind": "pole_de_competitivite", "aliases": []},
    {
        "name": "Vegepolys Valley",
        "kind": "pole_de_competitivite",
        "aliases": ["Végépolys Valley"],
        "region": "Pays de la Loire",
    },
    {"name": "Céréales Vallée", "kind": "pole_de_competitivite", "aliases": []},
    {"name": "Pôle Enfant", "kind": "pole_de_competitivite", "aliases": []},
]


def _small_list(tmp_path: Path) -> Path:
    path = tmp_path / "clusters.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in SMALL_LIST) + "\n")
    return path


def test_rebuild_reads_a_semicolon_table_with_a_bom() -> None:
    rows = read_source(FIXTURES / "poles.csv")
    assert [(r.name, r.region, r.acronym) for r in rows] == [
        ("Aerospace Valley", "Occitanie", None),
        ("Pôle Exemple Vallée", "Bretagne", "PEV"),
        ("VEGEPOLYS VALLEY", "Pays de la Loire", None),
    ]
    assert rows[2].former == ["Végépolys", "Céréales Vallée"]


def test_rebuild_reads_a_windows_1252_comma_table() -> None:
    rows = read_source(FIXTURES / "technopoles_cp1252.csv")
    assert [(r.name, r.region) for r in rows] == [
        ("Technopole Exemple Ouest", "Normandie"),
        ("Savoie Technolac", "Auvergne-Rhône-Alpes"),
    ]


def test_rebuild_merges_the_source_into_the_list(tmp_path: Path) -> None:
    path = _small_list(tmp_path)
    counts = rebuild("poles", FIXTURES / "poles.csv", "DGE table, phase V", "2026-12-01", path)
    assert counts == {"new": 1, "updated": 2, "kept": 2}
    lines = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0]) == {"_source": "DGE table, phase V", "_date": "2026-12-01"}
    by_name = {e.name: e for e in load_gazetteer(path)}
    # Listed spellings are kept, nothing is duplicated, the new pôle gets its acronym.
    assert len(by_name) == 5
    assert by_name["Aerospace Valley"].region == "Occitanie"
    assert by_name["Vegepolys Valley"].aliases == ("Végépolys Valley", "Végépolys")
    assert by_name["Pôle Exemple Vallée"].exact_aliases == ("PEV",)
    assert by_name["Pôle Exemple Vallée"].aliases == ("Ancien Pôle Exemple",)
    # A former pôle listed apart points to the one it merged into; one absent stays.
    assert by_name["Céréales Vallée"].successor == "Vegepolys Valley"
    assert by_name["Pôle Enfant"].successor is None


def test_rebuild_command_stamps_the_header_and_rejects_a_bad_date(tmp_path: Path, capsys) -> None:
    path = _small_list(tmp_path)
    args = ["poles", str(FIXTURES / "poles.csv"), "--source", "DGE", "--list", str(path)]
    assert rebuild_main([*args, "--date", "2026-13-01"]) == 2
    assert json.loads(path.read_text().splitlines()[0])["_date"] == "2025-01-01"
    assert rebuild_main([*args, "--date", "2026-12-02"]) == 0
    assert "1 new, 2 updated" in capsys.readouterr().out
    assert json.loads(path.read_text().splitlines()[0])["_date"] == "2026-12-02"


def test_rebuild_refuses_a_bad_or_missing_file_and_keeps_the_list(tmp_path: Path, capsys) -> None:
    path = _small_list(tmp_path)
    before = path.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\xff\xfeno columns here\n;;;\n")
    for source in (bad, tmp_path / "missing.csv"):
        args = ["poles", str(source), "--source", "DGE", "--list", str(path)]
        assert rebuild_main(args) == 2
        assert path.read_bytes() == before
    assert "no name column" in capsys.readouterr().err


def test_every_former_pole_leads_to_a_listed_pole() -> None:
    """Mergers and renamings: a successor is itself in the list, and no chain loops."""
    entries = {e.name: e for e in load_gazetteer() if e.kind == "pole_de_competitivite"}
    for entry in entries.values():
        seen = {entry.name}
        while entry.successor:
            assert entry.successor in entries, entry.name
            entry = entries[entry.successor]
            assert entry.name not in seen
            seen.add(entry.name)
