"""The recipient ranker: candidates and features around an amount, the trained choice, training."""

from __future__ import annotations

import pytest
import spacy

from pipeline.nlp.mention import doc_mentions
from pipeline.nlp.recipients import train
from pipeline.nlp.recipients.recipients import (
    Candidate,
    Ranker,
    RecipientRanker,
    _may_name_party,
    candidates,
    lead_subject,
    load_ranker,
    names_a_recipient,
    share_recipients,
)


@pytest.fixture
def rules_only(nlp):
    """The pipeline without the ranker: the funding rules' own recipients."""

    def run(text: str):
        with nlp.select_pipes(disable=["veille_recipients"]):
            return nlp(text)

    return run


def funding(doc):
    return [m for m in doc_mentions(doc, "funding") if m.fields.get("amount_eur")]


def test_candidates_run_over_the_whole_name_and_describe_their_place(nlp):
    doc = nlp("Le Département a voté 120 000 € en faveur de la coopérative Lait des Vallons.")
    amount, found = candidates(doc, funding(doc)[0])
    assert amount.text == "120 000 €"
    by_text = {c.text: c.features for c in found}
    assert "la coopérative Lait des Vallons" in by_text
    whole = by_text["la coopérative Lait des Vallons"]
    assert whole["after"] == 1.0 and whole["same_sentence"] == 1.0
    assert whole["prev=en faveur de"] == 1.0 and whole["recipient_noun"] == 1.0
    assert not any(c.text.endswith("€") for c in found)  # the money is never its own recipient


def test_a_list_item_names_its_line_head(nlp):
    text = (
        "La commission permanente de la Région a voté ses aides aux associations agricoles :\n"
        "- Agrinov Lozère (45 000 €)\n- Terres du Causse (30 000 €)"
    )
    doc = nlp(text)
    _, found = candidates(doc, funding(doc)[0])
    head = next(c for c in found if c.text == "Agrinov Lozère")
    assert head.features["line_head"] == 1.0 and head.features["paren_then_amount"] == 1.0


def test_the_trained_ranker_names_recipients_the_rules_miss(nlp, rules_only):
    text = (
        "La Région a arrêté la liste de ses soutiens :\n"
        "- Menuiserie Barthès (80 000 €)\n- Fromagerie des Causses (45 000 €)"
    )
    assert [m.fields["recipient"] for m in funding(rules_only(text))] == [None, None]
    found = [m.fields["recipient"] for m in funding(nlp(text))]
    assert found == ["Menuiserie Barthès", "Fromagerie des Causses"]


def test_the_rules_recipient_is_kept(nlp):
    doc = nlp("La Région accorde une subvention de 20 000 € à la société Patalune.")
    assert [m.fields["recipient"] for m in funding(doc)] == ["Patalune"]


def test_without_a_trained_model_the_component_changes_nothing(rules_only):
    component = RecipientRanker("veille_recipients", model="no-such-model.json")
    assert component.ranker is None and load_ranker("no-such-model.json") is None
    doc = rules_only("La Région a voté 45 000 € :\n- Agrinov Lozère (45 000 €)")
    before = [dict(m.fields) for m in funding(doc)]
    component(doc)
    assert [m.fields for m in funding(doc)] == before


def test_ranker_probability_and_threshold():
    doc = spacy.blank("fr")("la coopérative Lait des Vallons")
    ranker = Ranker({"bias": -1.0, "good": 3.0, "wide": 1.0}, threshold=0.5)
    good = Candidate(doc[2:5], {"bias": 1.0, "good": 1.0})
    wider = Candidate(doc[0:5], {"bias": 1.0, "wide": 1.0, "good": 0.2})
    poor = Candidate(doc[0:2], {"bias": 1.0})
    best, probability = ranker.best([poor, good, wider])
    assert best is good and probability > 0.85
    assert ranker.probability(poor) < 0.5
    assert ranker.choose([poor, good, wider]) is wider  # widened to the name that holds it
    assert ranker.choose([poor]) is None and ranker.best([]) == (None, 0.0)


def test_training_learns_the_feature_that_marks_recipients():
    doc = spacy.blank("fr")("pour Lumina par la Région")

    def group(article: str, gold: str | None) -> train.Group:
        found = [
            Candidate(doc[1:2], {"bias": 1.0, "prev=pour": 1.0}),
            Candidate(doc[3:5], {"bias": 1.0, "is_funder": 1.0}),
        ]
        return train.Group(article, found, [1 if gold else 0, 0], None, gold)

    groups = [group(f"a{i}", "Lumina" if i % 4 else None) for i in range(40)]
    weights = train.fit(groups)
    assert weights["prev=pour"] > weights.get("is_funder", 0.0)
    shares = train.cross_validate(groups, folds=4)
    assert set(shares) == set(train.THRESHOLDS) and max(shares.values()) > 0.5


def test_money_nouns_and_pieces_of_funder_names_are_no_recipients(nlp):
    doc = nlp(
        "La Région Nouvelle-Aquitaine accorde une avance remboursable de 650 000 euros à la "
        "conserverie Maison Lartigue."
    )
    _, found = candidates(doc, funding(doc)[0])
    texts = {c.text for c in found}
    assert "Aquitaine" not in texts and "Nouvelle" not in texts  # pieces of the funder's name
    advance = next(c for c in found if c.text == "une avance remboursable")
    assert advance.features["money_noun"] == 1.0
    region = next(c for c in found if c.text.startswith("La Région"))
    assert region.features["overlaps_funder"] == 1.0


def test_the_lead_is_a_candidate_for_a_pronoun_recipient(nlp):
    text = (
        "La biscuiterie Pradel agrandit son atelier de Figeac.\n"
        "Les travaux commencent en janvier et dureront huit mois.\n"
        "Le chantier emploiera des artisans du Lot.\n"
        "La Région Occitanie lui accorde une subvention de 120 000 euros."
    )
    doc = nlp(text)
    _, found = candidates(doc, funding(doc)[0])
    lead = next(c for c in found if c.text == "La biscuiterie Pradel")
    assert lead.features["lead_only"] == 1.0 and lead.features["antecedent_of_dative"] == 1.0
    assert lead.features["lead_pronoun"] == 1.0


def test_a_dative_pronoun_takes_the_subject_before_it(nlp):
    text = (
        "Le projet est porté par une coopérative fromagère de l'Aubrac.\n"
        "La Région Occitanie lui accorde une subvention de 240 000 euros."
    )
    doc = nlp(text)
    # the project's carrier, named by the passive agent, is who the money goes to
    assert funding(doc)[0].fields["recipient"] == "coopérative fromagère de l'Aubrac"
    assert funding(doc)[0].fields["recipient_rule"] in ("pronoun_antecedent", "ranker")


def test_the_raiser_of_a_levee_de_fonds_is_its_recipient(nlp):
    text = (
        "C’est le pari de Thermolia, créée en 2022 à Pau (64), qui annonce une levée de fonds "
        "de 2,3 millions d’euros auprès de deux fonds régionaux."
    )
    doc = nlp(text)
    assert funding(doc)[0].fields["recipient"] == "Thermolia"
    doc = nlp(
        "La start-up d'Hendaye (64), qui conçoit des voiles de kitesurf, annonce une levée de "
        "fonds de 1,2 million d'euros auprès d'un fonds d'investissement bordelais."
    )
    assert funding(doc)[0].fields["recipient"] == "start-up d'Hendaye"


def test_no_antecedent_for_a_funder_subject(nlp):
    text = (
        "La Région Bretagne soutient les conserveries de Douarnenez.\n"
        "Elle apportera une aide de 300 000 euros."
    )
    doc = nlp(text)
    assert funding(doc)[0].fields.get("recipient_rule") != "pronoun_antecedent"


def test_an_amount_given_to_no_one_named_goes_to_whom_the_article_is_about(nlp):
    text = (
        "Une coopérative de Millau va transformer la laine des brebis du Larzac en isolant.\n"
        "Les premières balles sortiront de l'atelier au printemps.\n"
        "La Région Occitanie apporte 180 000 euros."
    )
    doc = nlp(text)
    (mention,) = funding(doc)
    assert mention.fields["recipient"] == "Une coopérative de Millau"
    assert mention.fields["recipient_rule"] in ("lead_subject", "ranker")


def test_the_lead_subject_is_no_recipient_when_it_gives(nlp):
    text = (
        "La commission permanente du conseil régional a voté des aides aux artisans.\n"
        "Les dossiers avaient été instruits en septembre.\n"
        "L'enveloppe atteint 420 000 euros."
    )
    doc = nlp(text)
    (mention,) = funding(doc)
    assert mention.fields.get("recipient_rule") != "lead_subject"


def test_a_funder_or_a_programme_is_never_the_recipient(nlp):
    assert not names_a_recipient("FEDER")
    assert not names_a_recipient("la Commission")
    assert not names_a_recipient("Fonds européens")
    assert names_a_recipient("la coopérative Terres de Garonne")
    doc = nlp(
        "La scierie Boisvert modernise sa ligne de sciage. L'Union européenne apporte "
        "420 000 euros de crédits FEDER, et la Région 150 000 euros."
    )
    recipients = [m.fields.get("recipient") for m in funding(doc)]
    assert len(recipients) == 2
    assert not any(r and ("FEDER" in r or "Union" in r) for r in recipients)


def test_co_funders_and_the_funder_itself_are_no_recipients(nlp):
    doc = nlp(
        "L'avenant consacre 9 millions d'euros au nouveau campus. L'État apporte 4 millions "
        "d'euros, la Région 3 millions et la métropole Aix-Marseille-Provence 2 millions."
    )
    recipients = {m.fields.get("amount_eur"): m.fields.get("recipient") for m in funding(doc)}
    assert recipients[4_000_000] is None or "Marseille" not in recipients[4_000_000]
    assert recipients[3_000_000] is None or "Marseille" not in recipients[3_000_000]
    assert recipients[2_000_000] is None or "métropole" not in recipients[2_000_000]


def recipients(nlp, text: str) -> list[str | None]:
    return [m.fields["recipient"] for m in funding(nlp(text))]


def rules(nlp, text: str) -> list[str | None]:
    return [m.fields["recipient_rule"] for m in funding(nlp(text))]


def test_a_counted_group_after_the_amount_receives_it(nlp):
    text = "Une aide de 15 000 € a été accordée à douze maraîchers pour l'achat de serres."
    assert recipients(nlp, text) == ["douze maraîchers"]
    text = (
        "Le Département a voté une enveloppe de 80 000 € qui sera répartie entre neuf "
        "associations sportives du canton."
    )
    assert recipients(nlp, text) == ["neuf associations sportives du canton"]


def test_each_amount_of_a_list_takes_the_group_that_follows_it(nlp):
    text = (
        "La Région attribue 300 000 € pour 40 bénéficiaires et 90 000 € pour soutenir "
        "l'équipement de 25 étudiants."
    )
    assert recipients(nlp, text) == ["40 bénéficiaires", "25 étudiants"]


def test_what_a_number_measures_is_no_recipient(nlp):
    assert recipients(nlp, "La Région verse une subvention de 500 000 € pour 30 emplois.") == [None]
    text = "La Région lance un appel à projets doté de 2 millions d'euros."
    assert recipients(nlp, text) == [None]  # the projets of "appel à projets" are no group


def test_a_name_before_its_amount_in_parentheses_receives_it(nlp):
    text = (
        "Les levées de fonds marquantes de l'année : Pivolis (12 millions d'euros), "
        "Ortha Santé (4 M€) et Némo Logistique (3 M€)."
    )
    assert recipients(nlp, text) == ["Pivolis", "Ortha Santé", "Némo Logistique"]
    assert set(rules(nlp, text)) == {"parenthesised_name"}


def test_a_list_line_gives_its_amount_to_the_name_not_the_town(nlp):
    text = (
        "Les aides votées par la commission permanente :\n"
        "Boulangerie Ferrand à Saint-Pourçain (03) : 42 000 € ;\n"
        "Ateliers Voisin à Moulins (03) : 18 500 €."
    )
    assert recipients(nlp, text) == ["Boulangerie Ferrand", "Ateliers Voisin"]
    text = "Les aides votées par la commission permanente :\nAu fonctionnement : 48 000 €."
    assert rules(nlp, text) != ["list_item"]  # a purpose, not a name, opens the line


def test_a_demonstrative_subject_stands_for_the_company_named_before(nlp):
    text = (
        "Le préfet a visité l'entreprise Cartonnerie Lemoine, située à Vierzon. Cette "
        "entreprise, spécialisée dans l'emballage, est lauréate du fonds de modernisation et "
        "bénéficie d'une aide de l'État de 320 000 euros."
    )
    assert recipients(nlp, text) == ["Cartonnerie Lemoine"]


def test_a_group_between_two_amounts_belongs_to_the_first_unless_it_is_the_subject(nlp):
    text = (
        "La Région consacre 210 000 € aux formations pour 60 bénéficiaires et 75 000 € pour "
        "l'accompagnement des étudiants boursiers."
    )
    assert recipients(nlp, text) == ["60 bénéficiaires", "étudiants boursiers"]
    text = (
        "Le fonds d'amorçage a engagé deux millions d'euros dans 14 startups qui ont levé un "
        "total de 31 millions d'euros."
    )
    assert recipients(nlp, text)[-1] == "14 startups"


def test_a_list_line_opened_by_a_clause_or_a_common_noun_names_no_one(nlp):
    text = "Bilan de l'année :\nLa Région lance les appels à projets : 20 millions d'euros."
    assert "list_item" not in rules(nlp, text)
    text = "Les aides votées :\nCofinancement d'un programme d'équipement : 18 500 €."
    assert "list_item" not in rules(nlp, text)


def test_two_amounts_joined_by_et_share_the_group_served_after_both(nlp):
    text = (
        "Les élus ont voté des prêts pour un montant total de 412 000 euros et des subventions "
        "pour un montant de 9 850 euros à 17 entreprises en difficulté."
    )
    assert recipients(nlp, text) == ["17 entreprises", "17 entreprises"]


def test_a_counted_group_is_read_over_its_count_and_not_after_avec(nlp):
    text = (
        "Plus d'une centaine d'artisans ont bénéficié de ce dispositif, pour un montant global "
        "de subvention régionale de 70 000 €."
    )
    assert recipients(nlp, text) == ["Plus d'une centaine d'artisans"]
    text = (
        "Le premier projet, Lumicam, a reçu une subvention de 3 millions d'euros avec plusieurs "
        "dizaines de sociétés associées."
    )
    assert "counted_group" not in rules(nlp, text)


def test_the_subject_of_a_verb_of_receiving_receives_over_its_town(nlp):
    text = (
        "Ainsi, Salaisons du Val Fleuri (8,2 M€ de CA en 2022), de Nogent-le-Rotrou, décroche "
        "une aide de 350 000 € pour moderniser sa ligne de tranchage."
    )
    assert recipients(nlp, text)[-1] == "Salaisons du Val Fleuri"
    text = (
        "Parmi les entreprises aidées, Verrerie Aubrac, à Saint-Flour, percevra 150 000 euros "
        "en avance remboursable."
    )
    assert recipients(nlp, text) == ["Verrerie Aubrac"]


def test_the_ministry_and_a_turnover_are_no_recipients(nlp):
    text = "Bercy a mis sur la table 500 millions d'euros pour soutenir la relocalisation."
    assert recipients(nlp, text) == [None]


def test_ils_or_elles_stands_for_the_counted_group_before(nlp):
    text = (
        "L'an dernier, 4 200 entreprises ont été soutenues dans le Cantal. Elles ont perçu "
        "96 millions d'euros d'aides."
    )
    assert recipients(nlp, text)[-1] == "4 200 entreprises"


def test_a_demonstrative_or_a_money_subject_is_no_receiving_subject(nlp):
    text = "Ce soutien économique a bénéficié de 54 M€ en 2023, au profit de 163 entreprises."
    assert recipients(nlp, text) == ["163 entreprises"]


def test_a_project_carried_by_someone_gives_the_money_to_its_carrier(nlp):
    text = (
        "Le projet est porté par la coopérative Terres du Causse et par un laboratoire de Rodez."
        " La Région lui accorde une subvention de 480 000 euros."
    )
    assert recipients(nlp, text) == ["coopérative Terres du Causse"]


def test_a_named_or_fronted_project_gives_its_name_or_its_carrier(nlp):
    text = (
        "Le projet, baptisé Hydrovigne, a été labellisé par le pôle. Il bénéficie de 900 000"
        " euros de crédits FEDER."
    )
    assert recipients(nlp, text) == ["Hydrovigne"]
    text = (
        "Porté par le pôle Mer Vive, le projet doit permettre des essais en mer. Il"
        " bénéficie de 1,2 million d'euros de France 2030."
    )
    assert recipients(nlp, text) == ["Mer Vive"]


def test_the_agent_of_money_raised_or_obtained_receives_it(nlp):
    text = (
        "L'an passé, la technopole a accompagné 45 entreprises, et 9 millions d'euros levés par "
        "les jeunes sociétés du plateau de Saclay."
    )
    assert recipients(nlp, text)[-1] == "jeunes sociétés du plateau de Saclay"
    text = "Le pôle a labellisé 120 projets, pour 1,8 million d'euros d'aides obtenues par les PME."
    assert recipients(nlp, text)[-1] == "PME"


def test_a_company_that_raises_funds_receives_them_over_a_fronted_phrase(nlp):
    text = (
        "Depuis la Vendée, Ostrea Lab a levé 12 millions d'euros pour élever des huîtres dans "
        "le bassin de Marennes."
    )
    assert recipients(nlp, text) == ["Ostrea Lab"]
    text = (
        "Dans le secteur du bois, la scierie Vernhes a bénéficié d'une aide régionale de 60 000 "
        "euros pour son séchoir."
    )
    assert recipients(nlp, text) == ["scierie Vernhes"]


def test_the_same_amount_written_again_is_one_event(nlp):
    text = (
        "Réunis lundi, les élus régionaux ont adopté 3,4 millions d'euros d'aides pour le "
        "tourisme.\n\nLa commission permanente a voté 28 dossiers d'aide aux campings, pour un "
        "montant total de 3,4 millions d'euros."
    )
    doc = nlp(text)
    assert [m.fields["recipient"] for m in funding(doc)] == ["28 dossiers d'aide"] * 2
    assert funding(doc)[0].fields["recipient_rule"] == "same_amount"


def test_co_funders_shares_in_one_sentence_fund_one_recipient(nlp):
    text = (
        "L'État apporte 4 millions d'euros au lycée agricole de Rodez, la Région 3 millions et "
        "le Département 2 millions."
    )
    doc = nlp(text)
    first, *shares = funding(doc)
    for share in shares:  # as if no rule had named them
        share.fields.update(recipient=None, recipient_text=None, recipient_rule=None)
    share_recipients(doc)
    assert first.fields["recipient"] == "lycée agricole de Rodez"
    assert [m.fields["recipient"] for m in shares] == ["lycée agricole de Rodez"] * 2
    assert {m.fields["recipient_rule"] for m in shares} == {"co_funded"}
    text = "La Région accorde 40 000 € à la scierie Vernhes, 25 000 € à la cave Lagarde et 9 000 €."
    doc = nlp(text)
    last = funding(doc)[-1]
    last.fields.update(recipient=None, recipient_text=None, recipient_rule=None)
    share_recipients(doc)
    assert last.fields["recipient"] is None  # one funder's list: no share of one thing


def test_an_amount_given_to_no_one_named_goes_to_the_cluster_the_title_is_about(nlp):
    text = (
        "Figeac : douze ateliers de mécanique fondent le cluster Lot Usinage\n\n"
        "Les dirigeants veulent partager leurs commandes et leurs apprentis. Le Grand Figeac "
        "apporte une subvention de 30 000 euros pour les deux premières années."
    )
    doc = nlp(text)
    assert lead_subject(doc, funding(doc)[0]).text == "Lot Usinage"
    text = (
        "Le cluster Lot Usinage : un réseau bien parti\n\nLes ateliers du réseau ont lancé 14 "
        "projets. Dix ont été aidés à hauteur de 2,1 millions d'euros par des aides publiques."
    )
    doc = nlp(text)
    assert lead_subject(doc, funding(doc)[0]) is None  # a title's kicker is no party to it


def test_a_receiving_project_carried_by_someone_gives_its_carrier_not_its_description(nlp):
    text = (
        "La préfecture a indiqué que le démonstrateur de batteries au sodium porté par un "
        "groupement de PME sur le parc d'activités de Blanquefort recevrait 2,4 millions d'euros "
        "de l'État."
    )
    assert recipients(nlp, text) == ["un groupement de PME"]


def test_a_place_that_says_where_is_no_recipient_but_a_town_council_is(nlp):
    doc = nlp(
        "Au 31 mars, le plan de relance représente plus de 45 millions d'euros de subventions "
        "en Lozère."
    )
    assert [m.fields["recipient"] for m in funding(doc)] == [None]
    text = "Le Département a attribué 42 000 € à la commune de Vabres pour sa salle des fêtes."
    assert "Vabres" in recipients(nlp, text)[0]


def test_a_demonstrative_project_stands_for_the_named_subject_before(nlp):
    text = (
        "Pour agrandir son atelier, la SARL Tonnellerie Vidal souhaite acheter une presse "
        "numérique. Ce programme d'investissement, d'un montant total de 96 000 €, sera "
        "accompagné par le Département à hauteur de 24 000 €."
    )
    assert recipients(nlp, text)[-1] == "SARL Tonnellerie Vidal"


def test_a_demonstrative_company_stands_for_the_named_subject_before(nlp):
    text = (
        "Le groupe Martel Composites a repris l'usine de Tarbes en mars. La Région accompagnera "
        "cette entreprise à hauteur de 800 000 euros."
    )
    assert recipients(nlp, text) == ["groupe Martel Composites"]


def test_a_participle_opening_its_sentence_is_no_candidate_party(nlp):
    doc = nlp(
        "Doté par l'État de 300 millions d'euros, le fonds finance les usines. Verdalia aussi."
    )
    assert not _may_name_party(Candidate(doc[0:1], {}))  # "Doté"
    name = next(t for t in doc if t.text == "Verdalia")
    assert _may_name_party(Candidate(doc[name.i : name.i + 1], {}))
    glued = nlp("Les PME (voir ci-dessus),vont bénéficier de 2 M€.")
    piece = next(t for t in glued if "vont" in t.text)
    assert not _may_name_party(Candidate(glued[piece.i : piece.i + 1], {}))


def test_each_amount_of_a_list_takes_the_party_named_after_it(nlp):
    text = (
        "Contrats signés par le Département : 410 250 € pour la CCVL ; 96 300 € pour le Pays de Sault ; "
        "1,2 million d’€ pour Millau et sa communauté et 2,6 millions d’€ pour Saint-Affrique."
    )
    found = recipients(nlp, text)
    assert found[0] == "CCVL" and found[1] == "Pays de Sault"
    assert "Millau" in found[2] and found[3] == "Saint-Affrique"
    text = "Le Département consacre 3 M€ pour la rénovation des collèges et 1 M€ pour les routes."
    assert "marker_after_amount" not in rules(nlp, text)  # a purpose, and no list


def test_a_raiser_described_before_its_name_is_named(nlp):
    text = (
        "Au premier trimestre, on retient la levée de fonds de 18 millions d’euros du fabricant "
        "landais de vélos cargo, Ridelo, qui prévoit d'embaucher."
    )
    assert recipients(nlp, text) == ["Ridelo"]


def test_a_hyphenated_group_after_a_fronted_date_raises_the_funds(nlp):
    text = "En 2024, nos start-up ont levé 85 millions d’euros, contre 60 millions en 2023."
    assert recipients(nlp, text)[0] == "nos start-up"


def test_a_singular_start_up_alone_names_no_one_but_its_name_does(nlp):
    text = "Installée à Colmar, la start-up Vitalis avait reçu une aide de 200 k€ de la Région."
    assert recipients(nlp, text) == ["start-up Vitalis"]
    text = (
        "Membre du pôle Alsace BioValley, qui rassemble les acteurs de la santé, la start-up "
        "avait reçu en 2023 une aide de 300 k€ de la Région pour ses prototypes."
    )
    assert not {"up", "start-up"} & set(recipients(nlp, text))
