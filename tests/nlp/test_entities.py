from pipeline.nlp.entities import (
    article_region,
    assign_entities,
    canonical_funder,
    canonical_organisation,
    canonical_written_funder,
    entity_id,
    funder_ids,
    name_key,
)


def test_name_keys_ignore_case_accents_hyphens_and_articles():
    assert name_key("Jean-Luc Mélenchon") == name_key("JEAN LUC MELENCHON")
    assert name_key("la Région") == "region"
    assert name_key("l’État") == "etat"
    assert entity_id("person", "Anne-Sophie Le Gall") == "person:anne-sophie-le-gall"
    assert entity_id("person", "  ") is None


def test_the_region_is_one_funder_once_the_article_region_is_known():
    forms = ["la Région", "Région", "le conseil régional", "Conseil régional de Bretagne"]
    assert {canonical_organisation(f, "Bretagne") for f in forms} == {"Région Bretagne"}
    assert canonical_organisation("Région Bretagne", "Occitanie") == "Région Bretagne"
    assert canonical_organisation("la région Midi-Pyrénées", None) == "Région Occitanie"
    assert canonical_organisation("la Région", None) == "Région"
    assert canonical_organisation("l'Etat", None) == "État"
    assert canonical_organisation("Bpifrance", "Bretagne") == "Bpifrance"
    assert canonical_funder("Région, Union européenne", "Normandie") == (
        "Région Normandie, Union européenne"
    )
    assert canonical_funder("Caisse des dépôts et consignations", None) == (
        "Caisse des dépôts et consignations"
    )


def test_a_typed_funder_goes_through_the_funding_lexicons_aliases_and_programmes():
    assert canonical_written_funder("la Région", "Occitanie") == "Région Occitanie"
    assert canonical_written_funder("la Région", None) == "Région"  # no région to guess
    assert canonical_written_funder("BPI, le Conseil départemental", "Bretagne") == (
        "Bpifrance, Département"
    )
    assert canonical_written_funder("caisse des dépôts", None) == "Banque des Territoires"
    # A programme is whose money it is: FEDER the Union's, the contrat de plan the State's and
    # the Région's.
    assert canonical_written_funder("FEDER", "Normandie") == "Union européenne"
    assert canonical_written_funder("contrat de plan", "Normandie") == "État, Région Normandie"
    assert canonical_written_funder("la Région, CPER", "Normandie") == "Région Normandie, État"
    # Names the lexicon does not hold, and investor words, stay as typed.
    assert canonical_written_funder(" Airbus ", None) == "Airbus"
    assert canonical_written_funder("fonds", None) == "fonds"
    assert canonical_written_funder("  ", "Normandie") is None
    assert funder_ids("Région Normandie, État") == ["funder:region-normandie", "funder:etat"]
    assert funder_ids(None) == []


def test_article_region_prefers_the_source_then_the_places_named():
    places = [
        {"kind": "location", "region": "Bretagne"},
        {"kind": "location", "region": "Bretagne"},
        {"kind": "location", "region": "Normandie"},
        {"kind": "cluster", "region": None},
    ]
    assert article_region(["Occitanie"], places) == "Occitanie"
    assert article_region([], places) == "Bretagne"
    assert article_region(["Normandie", "Hauts-de-France"], places) == "Normandie"
    assert article_region([], places[1:3]) is None  # a tie names no région


def test_assign_entities_sets_ids_per_kind():
    mentions = [
        {"kind": "cluster", "name": "Pôle Mer Bretagne Atlantique"},
        {"kind": "official", "name": "Loïg Chesnais-Girard", "org": "conseil régional"},
        {"kind": "funding", "funder": "la Région, Bpifrance", "amount_eur": 1e6},
        {"kind": "funding", "funder": "Région", "amount_eur": 2e5},
        {"kind": "quote", "speaker": "Loïg Chesnais-Girard", "quote": "..."},
        {"kind": "location", "name": "Brest", "region": "Bretagne"},
    ]
    rows = assign_entities(mentions, "Bretagne")
    cluster, official, shared, single, quote, place = rows
    assert cluster["entity_id"] == "cluster:pole-mer-bretagne-atlantique"
    assert official["org"] == "Région Bretagne" and official["org_id"] == "org:region-bretagne"
    assert official["entity_id"] == quote["speaker_id"] == "person:loig-chesnais-girard"
    assert shared["funder"] == "Région Bretagne, Bpifrance"
    assert shared["funder_ids"] == ["funder:region-bretagne", "funder:bpifrance"]
    assert shared["funder_id"] is None and shared["funder_text"] == "la Région, Bpifrance"
    assert single["funder_id"] == "funder:region-bretagne"
    assert place["entity_id"] == "place:brest"
    assert {r["article_region"] for r in rows} == {"Bretagne"}
    assert mentions[1]["org"] == "conseil régional"  # the input is not changed
