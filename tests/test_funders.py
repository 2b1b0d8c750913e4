"""The funder ranker: funder candidates around an amount, their features, and how a decision
is made from the ranker and the rules."""

from __future__ import annotations

from pipeline.nlp.funders.funders import (
    FunderCandidate,
    FunderRanker,
    Ranker,
    candidates,
    decide,
    load_ranker,
)
from pipeline.nlp.mention import doc_mentions
from pipeline.nlp.pipeline import COMPONENTS


def funding(doc):
    return [m for m in doc_mentions(doc, "funding") if m.fields.get("amount_eur")]


def by_institution(found: list[FunderCandidate]) -> dict[str, dict[str, float]]:
    return {c.name: c.features for c in found}


def test_a_list_opener_and_a_programme_are_candidates_with_their_place(nlp):
    text = (
        "La commission permanente du conseil régional a voté ses aides aux entreprises :\n"
        "- 40 000 € pour la scierie Vernhes ;\n"
        "- 25 000 € pour la fromagerie du Lévézou.\n"
        "La fromagerie touche en outre 60 000 € du FEDER pour sa cave d'affinage."
    )
    doc = nlp(text)
    amounts = funding(doc)
    assert [m.fields["amount_eur"] for m in amounts] == [40000, 25000, 60000]
    first = by_institution(candidates(doc, amounts[0]))
    region = next(f for name, f in first.items() if name.startswith("Région"))
    assert region["first_line"] == 1.0 and "paragraph_before" not in region  # another line
    assert "previous_sentence_1" in region or "same_sentence" in region
    last = by_institution(candidates(doc, amounts[2]))
    europe = last["Union européenne"]
    assert europe["from_programme"] == 1.0 and europe["programme_near"] == 1.0
    assert europe["rule_pick"] == 1.0  # the rules give FEDER money to the Union too


def test_the_subject_of_a_grant_verb_is_marked(nlp):
    doc = nlp("Bpifrance accorde un prêt de 300 000 € à la menuiserie Carrère, à Tarbes.")
    found = by_institution(candidates(doc, funding(doc)[0]))
    assert found["Bpifrance"]["subject_of=grant"] == 1.0
    assert found["Bpifrance"]["same_sentence"] == 1.0 and found["Bpifrance"]["before"] == 1.0


def test_decide_by_mode():
    rule_pick = FunderCandidate("Région", {"bias": 1.0, "rule_pick": 1.0})
    other = FunderCandidate("État", {"bias": 1.0, "other": 1.0})
    sure_of_other = Ranker({"other": 3.0, "rule_pick": -3.0}, 0.5)
    unsure = Ranker({"bias": -3.0}, 0.5)
    assert decide("rules", sure_of_other, "Région", [rule_pick, other]) == ("Région", None)
    assert decide("rules_then_ranker", sure_of_other, "Région", [rule_pick, other])[0] == "Région"
    assert decide("rules_then_ranker", sure_of_other, None, [other])[0] == "État"
    assert decide("ranker", sure_of_other, "Région", [rule_pick, other])[0] == "État"
    assert decide("ranker", unsure, "Région", [rule_pick, other])[0] is None
    assert decide("ranker_else_rules", unsure, "Région", [rule_pick, other])[0] == "Région"
    assert decide("override", sure_of_other, "Région", [rule_pick, other])[0] == "État"
    assert decide("override", unsure, "Région", [rule_pick, other], drop=0.2)[0] is None
    assert decide("override", unsure, "Région", [rule_pick, other], drop=0.0)[0] == "Région"
    # The ranker agreeing with the rules keeps the rules' spelling of joint funders.
    joint = FunderCandidate("Région", {"bias": 1.0, "rule_pick": 1.0, "rule_joint": 1.0})
    agree = Ranker({"rule_pick": 3.0}, 0.5)
    assert decide("ranker", agree, "Région, Bpifrance", [joint])[0] == "Région, Bpifrance"


def test_the_component_runs_between_funding_and_recipients_and_keeps_the_trained_mode(nlp):
    names = [name for name, _ in COMPONENTS]
    assert names.index("veille_funding") < names.index("veille_funders")
    assert names.index("veille_funders") < names.index("veille_recipients")
    ranker, mode, _ = load_ranker()
    assert ranker is not None and mode in ("rules", "ranker", "ranker_else_rules", "override")
    text = "La Région Occitanie verse 150 000 € à la coopérative Terres d'Aubrac."
    with nlp.select_pipes(disable=["veille_funders"]):
        rules = funding(nlp(text))
    ranked = funding(nlp(text))
    assert rules[0].fields["funder"] == "Région Occitanie"
    assert ranked[0].fields["funder"] == "Région Occitanie"


def test_a_missing_model_leaves_the_rules_alone(nlp):
    component = FunderRanker("veille_funders", model="no-such-model.json")
    assert component.ranker is None and component.mode == "rules"
    doc = nlp("L'État apporte 2 millions d'euros au chantier naval de Concarneau.")
    before = [dict(m.fields) for m in funding(doc)]
    component(doc)
    assert [m.fields for m in funding(doc)] == before
