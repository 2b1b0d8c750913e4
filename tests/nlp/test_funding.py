"""The funding component on inline-annotated sentences written in regional-press style.

A `<funding>` tag marks an expected mention; its attributes are the expected fields (`amount`
for amount_eur, `max` for amount_max_eur, "null" for None). Attributes left out are not checked.
"""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.nlp.mention import doc_mentions
from tests.inline_gold import parse

FIELD_OF_ATTR = {
    "amount": "amount_eur",
    "max": "amount_max_eur",
    "funder": "funder",
    "investors": "investors",
    "recipient": "recipient",
    "instrument": "instrument",
    "approximate": "approximate",
}

POSITIVES = [
    # funder with its région's name, cluster after "au pôle"
    'La Région Nouvelle-Aquitaine accorde <funding amount=2500000 funder="Région '
    'Nouvelle-Aquitaine" recipient="Aerospace Valley" instrument=null>2,5 M€</funding> au pôle '
    "Aerospace Valley pour son programme de drones.",
    # instrument next to the amount, EU funder implied by FEDER, recipient is the subject
    "Le pôle Xylofutur bénéficie d\u2019une subvention de <funding amount=300000 "
    'instrument=subvention funder="Union européenne" recipient=Xylofutur>300\u00a0000 '
    "euros</funding> du FEDER.",
    # levée de fonds: investors named after "auprès de"
    'La start-up bordelaise Lumina lève <funding amount=4000000 instrument="levée de fonds" '
    'recipient=Lumina funder="Breizh Invest" investors="Breizh Invest">4 millions d\u2019euros</funding> '
    "auprès de Breizh Invest et de business angels.",
    # chiffre d'affaires is not funding; the avance remboursable is, and the PME that obtains it
    # is its recipient, named as the text names it
    "La PME, qui réalise un chiffre d'affaires de 12 M€, obtient une avance remboursable de "
    '<funding amount=500000 instrument="avance remboursable" funder=Bpifrance '
    "recipient=PME>500 000 euros</funding> de Bpifrance.",
    # coût total is not funding; the Région's share is
    "Le coût total du projet s'élève à 12 M€, dont <funding amount=3000000 "
    "funder=Région>3 M€</funding> apportés par la Région.",
    # funder in the previous sentence, approximate amount without a written currency
    "La Région a adopté son plan de soutien à la filière bois. Au total, <funding "
    "amount=3000000 approximate=true funder=Région>près de 3 millions</funding> seront versés "
    "aux scieries d'ici 2027.",
    # range with an elided currency, funder "conseil régional d'Occitanie"
    "Le conseil régional d'Occitanie débloque <funding amount=2000000 max=3000000 "
    'funder="Région Occitanie">entre 2 et 3 millions</funding>, le reste étant apporté en euros '
    "par les communes.",
    # object of "soutient", instrument after the amount
    "Bpifrance soutient l'entreprise Hydrogenia à hauteur de <funding amount=1200000 "
    'funder=Bpifrance recipient=Hydrogenia instrument="prêt d\'honneur">1,2 million '
    "d'euros</funding> sous forme de prêt d'honneur.",
    # two funders joined by "et"
    "La Métropole et l'ADEME financent l'étude à hauteur de <funding amount=80000 "
    'funder="Métropole, ADEME">80 000 euros</funding> chacune.',
    # not euros: the mention is kept, amount_eur is null
    "Le fonds américain Atlas a investi <funding amount=null funder=Atlas investors=Atlas recipient=Neovia>87 "
    "millions de dollars</funding> dans la société Neovia.",
    # France 2030 implies the État; number words
    "Dans le cadre de France 2030, le consortium reçoit <funding amount=20000000 "
    'instrument="PIA / France 2030" funder=État>vingt millions d\'euros</funding>.',
    # amount-less funding news: the span is the instrument phrase
    "L\u2019État envisage de réduire les <funding amount=null funder=État "
    'instrument="crédits d\'animation">crédits d\u2019animation</funding> des pôles de '
    "compétitivité.",
    'La Région lance un <funding amount=null funder=Région instrument="appel à projets">appel '
    "à projets</funding> pour les entreprises de la filière nautique.",
    # a prize endowed by the Région is money given
    "Le prix de l'innovation, doté de <funding amount=10000 funder=Région>10 000 "
    "euros</funding> par la Région, récompense une start-up de Pau.",
    # the funder before the verb wins over a later one not introduced by "par" / "de"
    "La Région Auvergne-Rhône-Alpes lui verse chaque année <funding amount=600000 "
    'funder="Région Auvergne-Rhône-Alpes">600 000 euros</funding>, l\u2019État <funding '
    "amount=300000 funder=État>300 000</funding>.",
    # tour de table led by named investors; the NER's leading adjective is dropped
    "La jeune pousse nantaise Seaboost a bouclé un tour de table de <funding amount=3500000 "
    'instrument="levée de fonds" recipient=Seaboost funder="Go Capital, Bpifrance" investors="Go Capital, Bpifrance">3,5 '
    "M€</funding> mené par Go Capital et Bpifrance.",
    # several amounts, elided currency after the first
    "La Région apporte <funding amount=200000 funder=Région>200 000 euros</funding>, l'État "
    "<funding amount=150000 funder=État>150 000</funding> et Bpifrance <funding amount=100000 "
    "funder=Bpifrance>100 000</funding>.",
    # passive voice: each amount's giver is the funder right after it ("par l'ADEME")
    "Le démonstrateur est financé à hauteur de <funding amount=960000 funder=Région>960 000 "
    "euros</funding> par la Région et de <funding amount=480000 funder=ADEME>480 000 "
    "euros</funding> par l'ADEME.",
    # "respectivement" pairs the first amounts; a later clause has its own funder
    "L'État et la Région y consacrent respectivement <funding amount=5000000 "
    "funder=État>5 millions</funding> et <funding amount=3500000 funder=Région>3,5 millions "
    "d'euros</funding>, la Métropole <funding amount=1500000 funder=Métropole>1,5 "
    "million</funding>.",
    # money managed for another body: the owner is the funder; a comma is no list of funders
    "Au titre du programme qu'elle gère pour le compte de l'Union européenne, la Région lui a "
    'attribué <funding amount=650000 funder="Union européenne">650 000 euros</funding>.',
    # a co-funder after the amount is not its giver; the pronoun subject takes the funder before
    "La Banque des Territoires entre au capital de la société. Elle y apporte <funding "
    'amount=1500000 funder="Banque des Territoires">1,5 million d\'euros</funding> en fonds '
    "propres, aux côtés du Département, qui investit <funding amount=700000 "
    "funder=Département>700 000 euros</funding>.",
    # a body named by its role only: the funder named before it
    "Le conseil départemental a voté son budget lundi. Réunie en séance, la collectivité a "
    "accordé <funding amount=300000 funder=Département>300 000 euros</funding> à la laiterie.",
    # the manager of a fund is not the funder of the grants made from it
    "Le fonds Rebond, doté par la Région et géré par Bpifrance, octroie des prêts. La "
    "porcelainerie Dubreuil obtient <funding amount=400000 funder=Région>400 000 "
    "euros</funding> pour un four.",
    # a levée told in the sentence before does not carry over to a grant by the Région
    "La start-up a finalisé un tour de table de <funding amount=3200000 "
    "funder=null>3,2 millions d'euros</funding>. La Région l'avait déjà soutenue à "
    "hauteur de <funding amount=150000 funder=Région>150 000 euros</funding>.",
    # unnamed public money: no funder borrowed from the sentence before
    "La Région salue le projet. L'entreprise dit avoir reçu <funding amount=3500000 "
    "funder=null>3,5 millions d'euros</funding> d'aides publiques.",
    # the giver is named but is no funder of the lexicon
    "La Métropole apporte <funding amount=1500000 funder=Métropole>1,5 million</funding>. Le "
    "solde, soit <funding amount=4000000 funder=null>4 millions d'euros</funding>, sera apporté "
    "à parts égales par trois laboratoires.",
    # an EU fund by its own name implies the EU; the Région's share right after its amount
    "Le projet est subventionné à hauteur de <funding amount=340000 "
    'funder="Union européenne">340 000 euros</funding> par le FEAMPA, complétés par <funding '
    "amount=85000 funder=Région>85 000 euros</funding> de la Région.",
    # a weak alias spending money; "en préfecture" names a place, not the État
    "L'agglomération avait déjà consacré <funding amount=50000 "
    "funder=Agglomération>50 000 euros</funding> à une étude.",
    "Le plan présenté vendredi en préfecture mobilise <funding amount=8000000 "
    "funder=null>8 millions d'euros</funding> de subventions pour la filière.",
    # a series of "X reçoit" sentences keeps the funder of the first one
    "La Région a voté son plan. La mégisserie Ribière reçoit <funding amount=250000 "
    "funder=Région>250 000 euros</funding>. Le comité a salué les dossiers. Enfin, Usinage du "
    "Plateau décroche <funding amount=180000 funder=Région>180 000 euros</funding>.",
]

# Rules of the fifth round, one sentence each.
POSITIVES += [
    # an aid in apposition is funding (a project's cost in apposition is not, see NEGATIVES)
    "L'aide, de <funding amount=450000 funder=Région>450 000 euros</funding>, sera versée par "
    "la Région.",
    "Le projet, de 800 000 euros, bénéficie d'une subvention de <funding amount=200000 "
    "funder=Région>200 000 euros</funding> de la Région.",
    # a bank loan with a public guarantee: the guarantor funds it
    "La fonderie a obtenu un prêt bancaire de <funding amount=2000000 funder=Bpifrance "
    "instrument=garantie>2 M€</funding> assorti d'une garantie de Bpifrance.",
    # regional investment companies are funders by their own name, not "investisseurs"
    'Bretagne Participations investit <funding amount=2000000 funder="Bretagne '
    'Participations">2 M€</funding> en fonds propres dans la conserverie Kerlo.',
    "Le fonds régional Normandie Participations a investi <funding amount=5000000 "
    'funder="Normandie Participations">5 M€</funding> dans douze PME.',
    # ... also before an apposition naming another funder ("le fonds de la Région")
    "Nouvelle-Aquitaine Participations, le fonds d'investissement de la Région, a investi "
    '<funding amount=1500000 funder="Nouvelle-Aquitaine Participations">1,5 M€</funding> dans '
    "l'entreprise Ecolum.",
    # "Grand" + a name is an agglomération; "Grand Est" stays a région
    "Le Grand Montauban apporte <funding amount=120000 funder=Agglomération>120 000 "
    "euros</funding> à la pépinière d'entreprises.",
    'La Région Grand Est apporte <funding amount=1000000 funder="Région Grand Est">1 M€</funding> '
    "au pôle.",
    # a public body that receives the money is no funder
    "La commune de Figeac reçoit <funding amount=250000 funder=État>250 000 euros</funding> de "
    "l'État pour sa halle.",
    "L'ADEME a retenu trois projets pour <funding amount=1000000 funder=ADEME>1 M€</funding> "
    "d'aides. Parmi eux :\n• la ville de Vannes : <funding amount=300000 funder=ADEME>300 000 "
    "euros</funding> ;",
    # a passive spending verb with "y": the plan of the funder named before
    "Le Département a adopté son plan vélo. <funding amount=12000000 funder=Département>12 "
    "millions d'euros</funding> y seront consacrés d'ici 2028.",
    # EU and crowd funding named by their instrument
    "La start-up bénéficie d'un financement européen de <funding amount=2000000 "
    'funder="Union européenne">2 M€</funding> et d\'une aide de <funding amount=300000 '
    "funder=Bpifrance>300 000 euros</funding> de Bpifrance.",
    "La brasserie a collecté <funding amount=45000 funder=investisseurs>45 000 euros</funding> "
    "en financement participatif auprès de 300 particuliers.",
    # the préfet speaks for the État
    "Le préfet a annoncé une enveloppe de <funding amount=3000000 funder=État>3 millions "
    "d'euros</funding> pour les commerces ruraux.",
    # equity is what the loan strengthens, not where the money comes from
    "La plateforme Initiative Gers a accordé un prêt d'honneur de <funding amount=40000 "
    'instrument="prêt d\'honneur">40 000 euros</funding> destiné à conforter les fonds propres '
    "de la fromagerie.",
]


NEGATIVES = [
    "L'entreprise investit 5 millions d'euros dans sa nouvelle usine de Pessac.",
    "Le marché mondial de l'hydrogène devrait atteindre 2 milliards d'euros en 2030.",
    "Le prix du billet est fixé à 300 euros.",
    "Ses 120 salariés touchent un salaire moyen de 2 500 euros.",
    "Avec un chiffre d'affaires de 45 M€, le groupe vise 60 M€ en 2028.",
    "La société, valorisée à 200 millions d'euros, compte 80 salariés.",
    "La métropole compte 800 000 habitants et 30 000 entreprises.",
    "En 2026, la Région prévoit une hausse de 5 % du nombre d'entreprises aidées.",
    "Le pôle Valorial réunit 300 adhérents dans la région.",
    "Grâce au soutien de la Banque des Territoires, la commune financera sa nouvelle pépinière, "
    "d'un coût de 2 M€.",
    "Son budget annuel atteint 4 M€, financé à 40 % par les cotisations des adhérents.",
    # own money: the founders' equity, a company paying from its own cash
    "Les deux fondateurs apportent 1,5 million d'euros de fonds propres.",
    "Cette levée s'ajoute au 1,2 million d'euros que les fondateurs ont eux-mêmes investi.",
    "L'entreprise va investir 8 millions d'euros dans un atelier de peinture, entièrement "
    "financés sur sa trésorerie.",
    # a contract awarded, not a grant
    "La Région a attribué à l'autocariste le marché du transport scolaire, pour un montant de "
    "14 millions d'euros.",
    # investment volumes and total costs
    "Selon l'agence, ces aides ont accompagné près de 240 millions d'euros d'investissements.",
    "L'entreprise construira un bâtiment, pour un investissement de 6,5 millions d'euros.",
    "La Métropole a chiffré la réhabilitation à 6 millions d'euros.",
]

NEGATIVES += [
    # a project's cost in apposition
    "Le chantier, d'un montant de 2,4 millions d'euros, débutera en mars.",
    "Le parking, de 280 000 euros, sera aménagé par la commune avec l'aide de la Région.",
    # a commercial bank's loan is the company's own financing
    "La PME a obtenu un prêt de 1,8 million d'euros auprès de deux banques pour financer son "
    "extension.",
    "Le Crédit Mutuel lui prête 900 000 euros.",
    # symbolic and cost amounts
    "L'agglomération lui attribue le terrain pour 1 €.",
    "Les aides couvrent 40 % des 900 000 euros du chantier.",
]


def funding_mentions(nlp: Any, text: str) -> list[Any]:
    return sorted(doc_mentions(nlp(text), "funding"), key=lambda m: m.start)


def expected_value(raw: str) -> Any:
    if raw == "null":
        return None
    if raw in ("true", "false"):
        return raw == "true"
    try:
        return float(raw)
    except ValueError:
        return raw


@pytest.mark.parametrize("annotated", POSITIVES)
def test_funding_positives(nlp: Any, annotated: str) -> None:
    text, spans = parse(annotated)
    gold = [s for s in spans if s.tag == "funding"]
    found = funding_mentions(nlp, text)
    assert [(m.start, m.end) for m in found] == [(g.start, g.end) for g in gold], found
    for mention, span in zip(found, gold, strict=True):
        assert mention.text == span.text
        assert 0.0 < mention.confidence <= 1.0
        assert mention.rule
        for attr, raw in span.attrs.items():
            assert mention.fields[FIELD_OF_ATTR[attr]] == expected_value(raw), (attr, mention)


@pytest.mark.parametrize("text", NEGATIVES)
def test_funding_negatives(nlp: Any, text: str) -> None:
    assert funding_mentions(nlp, text) == []


def test_amount_less_mentions_rank_below_amounts(nlp: Any) -> None:
    text = (
        "L'État réduit les crédits d'animation des pôles. "
        "La Région accorde une subvention de 400 000 euros au cluster Innovin."
    )
    amountless, with_amount = funding_mentions(nlp, text)
    assert amountless.fields["amount_eur"] is None
    assert amountless.rule == "instrument_without_amount"
    assert with_amount.fields["amount_eur"] == 400_000
    assert amountless.confidence < with_amount.confidence


def test_mentions_fit_the_interface(nlp: Any) -> None:
    from pipeline.nlp import doc_to_dicts

    text = "La Région accorde 2 M€ à la société Lumina."
    (mention,) = [m for m in doc_to_dicts(nlp(text)) if m["kind"] == "funding"]
    for key in ("amount_eur", "amount_text", "funder", "recipient", "instrument", "sentence"):
        assert key in mention
    assert text[mention["start"] : mention["end"]] == mention["text"] == "2 M€"
    assert mention["recipient"] == "Lumina"


def test_word_lists_live_in_data_files() -> None:
    """Every word list the rules use is read from patterns/word_lists.csv, none is empty."""
    from pipeline.nlp.funding import funding
    from pipeline.nlp.funding.lexicon import WORDS, load_recipient_markers

    for name in ("determiners", "subject_pronouns", "cost_heads", "receive_subject_verbs"):
        assert WORDS[name]
    assert WORDS["subject_pronouns"] == funding.SUBJECT_PRONOUNS
    assert ("au", "profit", "de") in load_recipient_markers()
