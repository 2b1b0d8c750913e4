"""Funding events as the press writes them: one test per class of error seen on real pages.

Every sentence here is written for the test (fictional companies and amounts); each runs the
real pipeline (spaCy model and all components) and checks the funding mentions it gives.
"""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.nlp.funding.amounts import find_amounts
from pipeline.nlp.funding.lexicon import load_lexicon, load_programmes
from pipeline.nlp.mention import doc_mentions


def funding(nlp: Any, text: str) -> list[Any]:
    """The funding mentions of `text`, in text order."""
    return sorted(doc_mentions(nlp(text), "funding"), key=lambda m: m.start)


def by_amount(mentions: list[Any]) -> dict[float, Any]:
    return {m.fields["amount_eur"]: m for m in mentions}


# ------------------------------------------------------------------ one funder for a list


def test_a_funder_opening_a_paragraph_gives_each_grant_of_its_list(nlp: Any) -> None:
    text = (
        "Réunie vendredi, la commission permanente du conseil régional de Normandie a voté "
        "plusieurs aides aux entreprises.\n"
        "– Brivalis (Caen) : 320 000 euros ;\n"
        "– Morlane Composites (Vire) : 145 000 euros ;\n"
        "– Atelier Quentel (Lisieux) : 60 000 euros."
    )
    found = by_amount(funding(nlp, text))
    assert set(found) == {320_000, 145_000, 60_000}
    for mention in found.values():
        assert mention.fields["funder"] == "Région Normandie", mention
        assert mention.fields["funder_rule"] and 0 < mention.fields["funder_confidence"] <= 1


def test_a_funder_stated_after_the_list_gives_its_grants(nlp: Any) -> None:
    text = (
        "Un million d'euros de subventions pour moderniser la fonderie Garric à Decazeville.\n"
        "Trois cent mille euros de soutien à la menuiserie Pouget, qui crée vingt emplois.\n"
        "Ce sont deux des dossiers aidés cette année par le conseil régional d'Occitanie."
    )
    found = by_amount(funding(nlp, text))
    assert found[1_000_000].fields["funder"] == "Région Occitanie"
    assert found[300_000].fields["funder"] == "Région Occitanie"
    assert found[300_000].fields["funder_rule"] == "article_funder"


def test_no_scoped_funder_when_the_article_names_two(nlp: Any) -> None:
    text = (
        "La Région Bretagne et le Département du Finistère soutiennent la filière.\n"
        "Un atelier de fumage recevra 90 000 euros de subventions."
    )
    (mention,) = funding(nlp, text)
    assert mention.fields["funder"] != "Région Bretagne"


def test_a_giver_named_outside_the_lexicon_takes_no_scoped_funder(nlp: Any) -> None:
    text = (
        "La Région Grand Est verse 400 000 euros au projet.\n"
        "Le reste, soit 250 000 euros, sera apporté par trois industriels du secteur."
    )
    found = by_amount(funding(nlp, text))
    assert found[400_000].fields["funder"] == "Région Grand Est"
    assert found[250_000].fields["funder"] is None


# ------------------------------------------------------------------ programme -> funder


def test_programmes_name_their_funders_from_the_data_file() -> None:
    programmes = load_programmes()
    assert programmes["FEDER"].funders == ("Union européenne",)
    assert programmes["FUI"].funders == ("État",)
    assert programmes["CPER"].funders == ("État", "Région")
    assert programmes["prêt Bpifrance"].funders == ("Bpifrance",)
    instruments = {e.name: e for e in load_lexicon() if e.kind == "instrument"}
    # every programme is an instrument the lexicon can find, and carries the file's funders
    for name, programme in programmes.items():
        assert name in instruments, name
        assert instruments[name].extra["implied_funder"] == ", ".join(programme.funders)


@pytest.mark.parametrize(
    ("text", "funders"),
    [
        (
            "Le laboratoire Optimer obtient 750 000 euros du FEDER pour son banc d'essai.",
            ["Union européenne"],
        ),
        (
            "Au titre du FUI, le projet Sylvea décroche une aide de 1,1 million d'euros.",
            ["État"],
        ),
        (
            "La start-up Calyxo décroche un prêt d'amorçage de 300 000 euros.",
            ["Bpifrance"],
        ),
        (
            "Inscrit au contrat de plan État-Région, le plateau technique reçoit une dotation "
            "de 2 millions d'euros.",
            ["État", "Région"],
        ),
    ],
)
def test_a_programme_gives_its_funders(nlp: Any, text: str, funders: list[str]) -> None:
    (mention,) = funding(nlp, text)
    assert mention.fields["funders"] == funders
    assert mention.fields["funder_rule"] == "programme"


@pytest.mark.parametrize(
    ("text", "funder"),
    [
        (
            "La plateforme du réseau Initiative a accordé 45 000 euros de prêts d'honneur à "
            "douze créateurs du pays de Redon.",
            "Initiative France",
        ),
        (
            "La Collectivité de Corse a voté une aide de 1,2 million d'euros pour la coopérative "
            "oléicole.",
            "Collectivité de Corse",
        ),
    ],
)
def test_networks_and_single_territorial_authorities_are_funders(
    nlp: Any, text: str, funder: str
) -> None:
    (mention,) = funding(nlp, text)
    assert mention.fields["funder"] == funder


def test_the_local_authorities_are_a_funder_of_their_own(nlp: Any) -> None:
    text = "Le banc d'essai est financé par l'État (3 M€) et les collectivités locales (1,5 M€)."
    funders = {m.fields["amount_eur"]: m.fields["funder"] for m in funding(nlp, text)}
    assert funders == {3_000_000: "État", 1_500_000: "Collectivités territoriales"}


def test_a_joint_programme_does_not_beat_the_funder_named(nlp: Any) -> None:
    text = "L'État y consacre 1,4 million d'euros au titre du contrat de plan État-Région."
    (mention,) = funding(nlp, text)
    assert mention.fields["funder"] == "État"


# ------------------------------------------------------------------ joint funders


def test_joint_funders_are_listed_one_by_one(nlp: Any) -> None:
    text = (
        "La Région Occitanie, Bpifrance et la Banque des Territoires apportent ensemble "
        "6 millions d'euros au futur campus industriel."
    )
    (mention,) = funding(nlp, text)
    assert mention.fields["funders"] == ["Région Occitanie", "Bpifrance", "Banque des Territoires"]
    # the interface's string keeps the group, so older readers see the same value
    assert mention.fields["funder"] == "Région Occitanie, Bpifrance, Banque des Territoires"


def test_a_giver_after_a_participle_gives_its_own_share(nlp: Any) -> None:
    text = (
        "Le chantier coûte 20 millions d'euros, dont 9 millions pris en charge par l'Union "
        "européenne, 6 millions financés par la Région et près de 5 millions par l'État."
    )
    found = by_amount(funding(nlp, text))
    assert found[9_000_000].fields["funder"] == "Union européenne"
    assert found[6_000_000].fields["funder"] == "Région"
    assert found[5_000_000].fields["funder"] == "État"


@pytest.mark.parametrize(
    ("text", "funders"),
    [
        (
            "La Région Normandie accorde 300 000 € à la PME. Cette aide régionale s'ajoute à une "
            "aide étatique de 220 000 €.",
            {300_000: "Région Normandie", 220_000: "État"},
        ),
        (
            "Le groupement de pêcheurs a bénéficié d'une aide régionale de 9 000 € pour son "
            "point de vente.",
            {9_000: "Région"},
        ),
        (
            "Le consortium reçoit 4 millions d'euros de subventions européennes pour son "
            "démonstrateur.",
            {4_000_000: "Union européenne"},
        ),
    ],
)
def test_an_adjective_of_the_instrument_names_its_funder(
    nlp: Any, text: str, funders: dict[float, str]
) -> None:
    found = {m.fields["amount_eur"]: m.fields["funder"] for m in funding(nlp, text)}
    assert found == funders


def test_a_levee_takes_no_public_funder_of_an_earlier_sentence(nlp: Any) -> None:
    text = (
        "La Région Sud a présenté son bilan économique. Au cours de l'année, les entreprises "
        "de la région ont levé 322 millions d'euros."
    )
    (mention,) = funding(nlp, text)
    assert not mention.fields["funder"] or "Région" not in mention.fields["funder"]


def test_a_body_coordinated_after_a_dative_receives_the_money(nlp: Any) -> None:
    text = (
        "Le Département a voté ses aides aux territoires : 600 000 € pour la communauté de "
        "communes de Vertus et 4,3 millions d'euros pour Saint-Dizier et son agglomération."
    )
    assert {m.fields["funder"] for m in funding(nlp, text)} == {"Département"}


def test_a_public_body_after_a_dative_receives_the_money(nlp: Any) -> None:
    text = (
        "Le plan de relance finance les réseaux d'eau, avec 1,3 M€ alloués à la communauté "
        "d'agglomération du Val Brenne.\n"
        "Par ailleurs, 400 000 euros iront à la rénovation de la piscine."
    )
    for mention in funding(nlp, text):
        assert mention.fields["funder"] != "Agglomération", mention


# ------------------------------------------------------------------ amounts


@pytest.mark.parametrize(
    ("text", "value", "maximum", "approximate"),
    [
        ("La Région accorde 1 million 500 000 euros à la société Brinval.", 1_500_000, None, False),
        ("Le Département attribue 2 millions 300 mille euros au port.", 2_300_000, None, False),
        ("Le Département verse près de 480 000 € à l'association.", 480_000, None, True),
        ("La Région prévoit une aide de 200 000 à 300 000 euros.", 200_000, 300_000, False),
    ],
)
def test_an_amount_written_in_parts_or_as_a_range_is_one_amount(
    text: str, value: float, maximum: float | None, approximate: bool
) -> None:
    (match,) = find_amounts(text)
    assert match.amount.amount_eur == value
    assert match.amount.amount_max_eur == maximum
    assert match.amount.approximate is approximate


def test_two_amounts_joined_by_et_stay_two() -> None:
    found = find_amounts("Une subvention de 1,5 million et 500 000 euros de prêt.")
    assert [m.amount.amount_eur for m in found] == [1_500_000, 500_000]


def test_a_range_is_one_event(nlp: Any) -> None:
    (mention,) = funding(nlp, "La Région versera entre 2 et 3 millions d'euros aux scieries.")
    assert mention.fields["amount_eur"] == 2_000_000
    assert mention.fields["amount_max_eur"] == 3_000_000


# ------------------------------------------------------------------ not funding


@pytest.mark.parametrize(
    "text",
    [
        # a fine
        "Contrôlé sans titre de transport, le voyageur a reçu une amende de 135 euros.",
        # a share sale by the State
        "L'État a cédé 4 % du capital de l'énergéticien pour 1,2 milliard d'euros.",
        # dividends
        "La coopérative versera 2 millions d'euros de dividendes à ses adhérents.",
        # a budget saving
        "Grâce à la renégociation des contrats, le Département réalise une économie de "
        "3 millions d'euros.",
        # a count written with "millions"
        "Le service de vidéo revendique 9 millions d'abonnés, et la Région veut l'aider.",
        # a loan to a country
        "La France accorde un prêt de 500 millions d'euros à la Tunisie.",
        # an operating budget and the regional GDP
        "La Région a adopté un budget primitif de 3,2 milliards d'euros.",
        "Le PIB régional atteint 180 milliards d'euros, selon l'Insee.",
        # the cost of the projects a cluster helped, not its funding
        "Le pôle a accompagné 1,5 milliard d'euros de projets depuis sa création, avec le "
        "soutien de la Région.",
        # a company's own investment, a price, a turnover
        "L'entreprise Ferlane investit 8 millions d'euros sur ses fonds propres.",
        "Le billet coûte 12 euros, le forfait familial 40 euros.",
        "La PME réalise un chiffre d'affaires de 14 millions d'euros.",
        # a fine from the State, damages ordered by a court
        "La préfecture a infligé une amende de 45 000 euros à l'exploitant de la carrière pour "
        "non-respect des normes de bruit.",
        "Le tribunal condamne la société à verser 200 000 euros de dommages et intérêts à son "
        "ancien sous-traitant.",
        # share sales, by a public investor or by the State
        "Bpifrance a cédé sa participation dans le fabricant de drones pour 38 millions d'euros.",
        "L'État vend 10 % du capital de l'aéroport régional, pour un montant estimé à 60 millions "
        "d'euros.",
        # dividends, savings
        "Le groupe coopératif reversera 4,5 millions d'euros de dividendes à ses associés.",
        "Le conseil d'administration propose un dividende de 1,20 euro par action.",
        "La mutualisation des achats permettra à la métropole d'économiser 1,2 million d'euros "
        "par an.",
        # prices, turnover, salaries, market sizes, counts, tax receipts
        "Le prix moyen du mètre carré atteint 3 400 euros à Nantes, en hausse de 4 %.",
        "Le chiffre d'affaires de la coopérative a progressé à 320 millions d'euros en 2025.",
        "Le salaire médian des ingénieurs de la filière atteint 48 000 euros brut par an.",
        "Le marché mondial des capteurs pèse 25 milliards d'euros, selon le cabinet.",
        "Le festival a attiré 1,2 million de visiteurs et généré 15 millions d'euros de retombées.",
        "La Région a perçu 12 millions d'euros de recettes de la taxe sur les cartes grises.",
        # a company's own investment
        "Le groupe investira 20 millions d'euros dans sa nouvelle usine de Saint-Nazaire d'ici "
        "2028.",
        "L'industriel consacre 3 millions d'euros de fonds propres à la modernisation de ses lignes.",
        # a public body investing in its own works, or with no one named to receive it
        "En 2027, la communauté de communes investira 4,2 M€ dans la construction de sa"
        " nouvelle médiathèque.",
        "L'agglomération prévoit d'investir 31 M€ en 2027, contre 28 M€ l'an dernier.",
        # a body's own budget, a purchase price, R&D spending
        "Au total, la technopole disposera d'un budget de 750 000 € par an.",
        "La coopérative va verser à l'actionnaire 18 millions d'euros pour reprendre la laiterie.",
        "Les projets labellisés représentent un montant de dépenses de R&D de 2,4 milliards"
        " d'euros.",
        # the works and the investment volume behind the grants, not a grant
        "Enfin, plus de 6 M€ de travaux ont été retenus sur les bâtiments de la sous-préfecture.",
        "Les lauréats annoncent un volume d'investissement de 52 M€ sur trois ans.",
        # damages a court orders, the sum it fixes, a lottery win, a revenue, money to shareholders
        "La cour administrative d'appel a condamné la commune à verser 2,4 millions d'euros à "
        "l'ancien délégataire du service des eaux.",
        "L'année suivante, le tribunal fixait à 1,1 million d'euros le montant des réparations "
        "dues au transporteur.",
        "Un habitant de Vannes a empoché 45 millions d'euros à l'EuroMillions vendredi soir.",
        "Un joueur de Quimper a remporté 12 millions d'euros au Loto samedi.",
        "Le groupe industriel a versé 120 millions d'euros à ses actionnaires l'an dernier.",
        # a valuation beside a law's name, a founder's own money, a tax
        "La commune vendrait l'immeuble 250 000 €, alors que l'estimation des Domaines, "
        "obligatoire selon le Code général des collectivités territoriales, s'élève à "
        "334 000 €.",
        "Pour obtenir les prêts des banques, le fondateur a dû réinjecter à titre personnel 2 "
        "millions d'euros.",
        "Le secteur est le premier contributeur de TVA avec près de 70 milliards d'euros.",
        # a programme named in passing in a budget, with "soutien" as a noun only
        "Le budget, corrigé des fonds européens comme le FEADER, met l'accent sur le soutien "
        "aux territoires ruraux.",
    ],
)
def test_money_that_is_not_funding(nlp: Any, text: str) -> None:
    assert funding(nlp, text) == []


def test_a_revenue_after_a_grant_is_no_funding(nlp: Any) -> None:
    text = (
        "Le Département apporte une subvention de 200 000 euros à la course. Elle générera une "
        "recette de 4 millions d'euros pour l'organisateur."
    )
    assert [m.fields["amount_eur"] for m in funding(nlp, text)] == [200_000]


def test_the_investment_a_grant_levers_is_no_funding(nlp: Any) -> None:
    text = (
        "Ces 3 millions d'euros de subventions du Département représentent un effet levier de "
        "20 millions d'euros d'investissement pour les communes."
    )
    assert [m.fields["amount_eur"] for m in funding(nlp, text)] == [3_000_000]


@pytest.mark.parametrize(
    ("text", "funded"),
    [
        ("Le montant du programme est de 15 M€, dont 5 M€ financés par l'État.", [5_000_000]),
        (
            "L'extension du laboratoire bénéficie d'un budget de 22 millions d'euros, dont 9 "
            "millions pris en charge par l'Union européenne.",
            [9_000_000],
        ),
        (
            "Les huit projets représentent 40 millions d'euros de R&D financés à 60 % par les "
            "industriels.",
            [],
        ),
        # an endowment whose share a funder pays, said in its own clause, stays funding
        (
            "Le programme, doté de 1,8 million d'euros, est financé à 70 % par l'Union européenne.",
            [1_800_000],
        ),
        # an aid and the part of it a programme pays: both are funding
        (
            "Une aide de 5 M€, dont 2 M€ financés par le FEDER, est accordée à la jeune pousse.",
            [5_000_000, 2_000_000],
        ),
    ],
)
def test_a_total_of_which_a_share_is_financed_is_a_cost(
    nlp: Any, text: str, funded: list[float]
) -> None:
    assert sorted(m.fields["amount_eur"] for m in funding(nlp, text)) == sorted(funded)


def test_a_public_investment_in_a_named_company_is_funding(nlp: Any) -> None:
    text = "La Région investit 2 millions d'euros dans Hydrolia pour son usine d'électrolyseurs."
    (mention,) = funding(nlp, text)
    assert mention.fields["amount_eur"] == 2_000_000


def test_only_the_grant_beside_a_postcode_is_funding(nlp: Any) -> None:
    text = (
        "La société Verrerie du Lac, installée à Lure (70200), a reçu une subvention de 45 000 €."
    )
    assert [m.fields["amount_eur"] for m in funding(nlp, text)] == [45_000]


def test_aid_to_a_company_named_after_a_country_is_funding(nlp: Any) -> None:
    text = "La Région verse 300 000 euros à la société Lumina, qui exporte au Maroc."
    (mention,) = funding(nlp, text)
    assert mention.fields["amount_eur"] == 300_000


# ------------------------------------------------------------------ scope


@pytest.mark.parametrize(
    ("text", "amount", "scope"),
    [
        (
            "La stratégie nationale pour l'hydrogène est dotée de 1,2 milliard d'euros.",
            1_200_000_000,
            "national",
        ),
        (
            "Au niveau européen, le fonds pour l'innovation mobilise une subvention de "
            "3 milliards d'euros.",
            3_000_000_000,
            "european",
        ),
        (
            "La commune de Vitré verse une subvention de 20 000 euros au club de voile.",
            20_000,
            "local",
        ),
        (
            "La Région Bretagne accorde une subvention de 300 000 euros à la société Hydrova.",
            300_000,
            "regional",
        ),
    ],
)
def test_each_event_has_a_scope(nlp: Any, text: str, amount: float, scope: str) -> None:
    (mention,) = [m for m in funding(nlp, text) if m.fields["amount_eur"] == amount]
    assert mention.fields["scope"] == scope


def test_a_national_envelope_takes_no_regional_funder(nlp: Any) -> None:
    text = (
        "La stratégie nationale pour l'hydrogène est dotée de 1,2 milliard d'euros.\n"
        "La Région Bretagne accorde une subvention de 300 000 euros à la société Hydrova."
    )
    found = by_amount(funding(nlp, text))
    assert found[1_200_000_000].fields["scope"] == "national"
    assert found[1_200_000_000].fields["funder"] != "Région Bretagne"
    assert found[300_000].fields["funder"] == "Région Bretagne"


def test_links_carry_their_rule_and_confidence(nlp: Any) -> None:
    text = "La Région Bretagne accorde une subvention de 300 000 euros à la société Hydrova."
    (mention,) = funding(nlp, text)
    fields = mention.fields
    assert fields["funder_rule"] == "sentence_funder"
    assert fields["recipient"] == "Hydrova"
    assert fields["recipient_rule"] == "grant_object"
    assert 0 < fields["funder_confidence"] <= 1
    assert 0 < fields["recipient_confidence"] <= 1


def test_the_town_an_investor_comes_from_is_no_investor(nlp: Any) -> None:
    (mention,) = funding(
        nlp,
        "La jeune pousse Lumiva annonce une levée de fonds de 2 M€, menée par un fonds "
        "lyonnais et un investisseur de Fribourg-en-Brisgau.",
    )
    assert "Fribourg" not in (mention.fields["funder"] or "")


def test_a_place_after_the_investors_is_no_investor(nlp: Any) -> None:
    (mention,) = funding(
        nlp,
        "La start-up d'Hendaye (64) annonce une levée de fonds de 1,2 million d'euros auprès "
        "d'un groupe de business angels du Pays basque.",
    )
    assert mention.fields["funder"] is None and mention.fields["investors"] is None


def test_a_levee_s_funders_are_its_named_investors(nlp: Any) -> None:
    (mention,) = funding(
        nlp,
        "La medtech Osteolis annonce une levée de fonds de 7 M€ auprès du fonds régional "
        "Garonne Amorçage.",
    )
    assert mention.fields["funder"] == mention.fields["investors"]
    assert "Garonne Amorçage" in mention.fields["funder"]


# ------------------------------------------------------------------ funders as the press names them


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        (
            "La commune apporte 200 000 euros. La région fournira le complément de 90 000 euros.",
            90_000,
        ),
        ("Le chantier est financé à hauteur de 2 millions d'euros par la région.", 2_000_000),
        (
            "Avec 15 millions d'euros de dotations annuelles de la région, le fonds prête aux PME.",
            15_000_000,
        ),
        (
            "La conserverie Lestrade reçoit une aide de 45 000 euros de la part de la région.",
            45_000,
        ),
    ],
)
def test_la_region_in_lower_case_gives_where_it_acts(nlp: Any, text: str, amount: float) -> None:
    found = by_amount(funding(nlp, text))
    assert found[amount].fields["funder"] == "Région"


def test_la_region_in_lower_case_as_a_territory_is_no_funder(nlp: Any) -> None:
    text = (
        "Les start-up de la région ont levé 80 millions d'euros cette année auprès de fonds "
        "d'investissement parisiens."
    )
    for mention in funding(nlp, text):
        assert mention.fields["funder"] != "Région"


def test_the_conseil_general_is_the_departement(nlp: Any) -> None:
    (mention,) = funding(
        nlp, "Le conseil général de l'Aude verse une subvention de 18 000 euros au pôle Cerefil."
    )
    assert mention.fields["funder"] == "Département"


def test_unnamed_public_support_borrows_no_earlier_funder(nlp: Any) -> None:
    text = (
        "La Région Centre-Val de Loire a présenté sa feuille de route industrielle.\n"
        "Les douze entreprises retenues vont bénéficier d'un soutien public total de 3,6 M€ "
        "pour 30 M€ d'investissements."
    )
    found = by_amount(funding(nlp, text))
    assert found[3_600_000].fields["funder"] is None


def test_a_programme_of_one_grant_is_not_the_funder_of_the_next(nlp: Any) -> None:
    text = (
        "Subventions du Département\n"
        "Plusieurs subventions ont été votées jeudi par le conseil départemental du Cantal.\n"
        "Au titre du fonds social européen, 42 000 € seront alloués à l'insertion.\n"
        "Pour la culture, l'école de musique de Riom aura 5 000 €.\n"
        "Pour le sport : le club de rugby, 1 500 € ; le club de judo, 900 € ; la gymnastique, "
        "600 €."
    )
    found = by_amount(funding(nlp, text))
    assert found[42_000].fields["funder"] == "Union européenne"
    for amount in (5_000, 1_500, 900, 600):
        assert found[amount].fields["funder"] == "Département", found[amount]


def test_a_commune_named_before_is_no_funder_of_the_next_grant(nlp: Any) -> None:
    # "la commune" is a weak alias: it names a giver in its own sentence only.
    text = (
        "Le conseil départemental de la Lozère a voté ses aides de printemps.\n"
        "La commune de Mende, pour la réfection de sa halle, aura 30 000 €.\n"
        "Au titre de la culture, une subvention de 8 000 € a été accordée à la chorale."
    )
    found = by_amount(funding(nlp, text))
    assert found[8_000].fields["funder"] == "Département"


def test_the_subject_of_the_grant_verb_gives_before_a_nearer_funder(nlp: Any) -> None:
    text = (
        "Le Département du Cher, qui a reçu les élus régionaux, a accordé une subvention de "
        "45 000 euros au club, en plus de l'aide de la Région."
    )
    (mention,) = funding(nlp, text)
    assert mention.fields["funder"] == "Département"


def test_a_gapped_clause_keeps_its_own_funder(nlp: Any) -> None:
    text = (
        "La Région contribue à hauteur de 20 millions d'euros, la Métropole de Lyon à hauteur "
        "de 8 millions d'euros."
    )
    found = by_amount(funding(nlp, text))
    assert found[20_000_000].fields["funder"] == "Région"
    assert found[8_000_000].fields["funder"] == "Métropole"


@pytest.mark.parametrize(
    "text",
    [
        "Le groupe Salaisons Morvan investit une enveloppe de 12 millions d'euros pour son "
        "usine de Lamballe, en présence du maire de la commune.",
        "Le laboratoire Ferrand a réuni les élus de la commune pour confirmer son "
        "investissement de 8 millions d'euros sur le site.",
    ],
)
def test_a_company_s_own_investment_is_no_funding(nlp: Any, text: str) -> None:
    assert funding(nlp, text) == []


def test_ville_inside_a_compound_word_is_no_funder(nlp: Any) -> None:
    (mention,) = funding(
        nlp,
        "Une subvention de 60 000 euros a été votée pour rénover les commerces du centre-ville.",
    )
    assert mention.fields["funder"] != "Commune"


def test_a_programme_named_before_its_total_gives_the_total(nlp: Any) -> None:
    text = (
        "La programmation de la dotation d'équipement des territoires ruraux (DETR) a été "
        "arrêtée mardi dans le Lot. Au total, 2,8 millions d'euros sont attribués à 61 projets."
    )
    found = by_amount(funding(nlp, text))
    assert found[2_800_000].fields["funder"] == "État"


def test_each_funder_of_a_sentence_of_clauses_keeps_its_amount(nlp: Any) -> None:
    text = (
        "Quimper Bretagne Occidentale apporte 900 000 euros, la Région Bretagne complète avec "
        "700 000 euros, et le Département du Finistère ajoute 300 000 euros pour le port."
    )
    found = by_amount(funding(nlp, text))
    assert found[700_000].fields["funder"] == "Région Bretagne"
    assert found[300_000].fields["funder"] == "Département"
