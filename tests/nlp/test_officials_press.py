"""Officials as the regional press writes them: role shapes the linking rules must read."""

from __future__ import annotations

import pytest

from pipeline.nlp import doc_mentions


def _pairs(nlp, text: str) -> set[tuple[str, str]]:
    return {(m.fields["name"], m.fields["role"]) for m in doc_mentions(nlp(text), "official")}


CASES = {
    # A long delegated role, its domains joined by "et", right before the name.
    "delegated_domains_before_the_name": (
        "Le projet, défendu par le vice-président à l’économie sociale et solidaire et à"
        " l’innovation Marc Tellier, répond à la crise.",
        {("Marc Tellier", "vice-président à l’économie sociale et solidaire et à l’innovation")},
    ),
    "domains_with_and_after_the_name": (
        "Anne Roux, vice-présidente chargée de l'économie et de l'innovation, a signé.",
        {("Anne Roux", "vice-présidente chargée de l'économie et de l'innovation")},
    ),
    # A role of the past, in apposition behind "alors", or glued to "ex-".
    "then_minister": (
        "La French Tech a été lancée par Jean Verlaine, alors ministre de l’Économie.",
        {("Jean Verlaine", "ministre de l’Économie")},
    ),
    "ex_in_one_token_as_a_second_role": (
        "Selon Luc Verdier, ancien vice-président de Danone et ex-PDG de Bonduelle, le pôle"
        " avance.",
        {
            ("Luc Verdier", "ancien vice-président de Danone"),
            ("Luc Verdier", "ex-PDG de Bonduelle"),
        },
    ),
    # Adjectives between the possessive and the role.
    "possessive_with_adjectives": (
        "Le projet a été signé avec Anne Roux, son très actif PDG.",
        {("Anne Roux", "PDG")},
    ),
    # The role first, the copula, then the name.
    "role_is_name": (
        "L'association, dont le président est Paul Mourier, compte 40 membres.",
        {("Paul Mourier", "président")},
    ),
    "future_role_is_name": (
        "Le nouveau directeur du pôle sera Paul Berthier, a indiqué le conseil.",
        {("Paul Berthier", "nouveau directeur du pôle")},
    ),
    # "comme ROLE" after the person, further on in the sentence.
    "as_role": (
        "Pierre Gaudin, 45 ans de métier dont 30 comme directeur général de la coopérative,"
        " passe la main.",
        {("Pierre Gaudin", "directeur général de la coopérative")},
    ),
    # A name run on into its company after "de" keeps the person and the role.
    "name_of_company": (
        "L'association, dont le président est Paul Mourier de Legrand Electric, compte 40 membres.",
        {("Paul Mourier", "président")},
    ),
    # A long bracket between the name and its role.
    "long_bracket_before_the_role": (
        "Anne Lerat a été élue présidente. Claude de Vigier (Menuiseries B & D), trésorier,"
        " complète le bureau.",
        {("Anne Lerat", "présidente"), ("Claude de Vigier", "trésorier")},
    ),
    # Any ordinal written out before the role.
    "ordinal_in_letters": (
        "Paul Girard, douzième président du Medef local, a accueilli ses invités.",
        {("Paul Girard", "douzième président du Medef local")},
    ),
    # A post opened by a duration before the name, a successor's role behind "jusqu'ici".
    "duration_before_a_post_and_until_now": (
        "Après 12 ans à la tête du cluster, Hélène Brunet passe la main à Julien Morel, jusqu'ici"
        " directeur adjoint.",
        {("Hélène Brunet", "à la tête du"), ("Julien Morel", "directeur adjoint")},
    ),
    # A relative copula with an adverb, a weekday inside an appointment, "chef du service".
    "relative_copula": (
        "Le site de Lannion a reçu jeudi Paul Roux, qui est aussi maire de Perros, pour une"
        " visite des ateliers.",
        {("Paul Roux", "maire de Perros")},
    ),
    "weekday_inside_an_appointment": (
        "Paul Roux a été élu mardi à la présidence du pôle Images & Réseaux pour un mandat de"
        " trois ans.",
        {("Paul Roux", "à la présidence du")},
    ),
    "head_of_the_department": (
        "Anne Dubois, cheffe du service économique de la préfecture, a présenté jeudi le plan"
        " aux élus.",
        {("Anne Dubois", "cheffe du service économique de la préfecture")},
    ),
    # "à la fois" before two roles; dashes around an apposition.
    "both_roles_after_a_la_fois": (
        "Paul Roux, à la fois maire de Perros et président de l'agglomération, a présenté jeudi"
        " le plan aux élus.",
        {("Paul Roux", "maire de Perros"), ("Paul Roux", "président de l'agglomération")},
    ),
    "apposition_between_dashes": (
        "Paul Roux – président de la fédération régionale du bâtiment – a présenté jeudi le plan"
        " aux élus.",
        {("Paul Roux", "président de la fédération régionale du bâtiment")},
    ),
    "apposition_between_hyphens": (
        "Paul Roux - Directeur de l'agence régionale de développement - a présenté jeudi le plan"
        " aux élus.",
        {("Paul Roux", "Directeur de l'agence régionale de développement")},
    ),
    "spaced_hyphen_inside_a_name_of_the_organisation": (
        '"Le marché chinois recule", nous dit le directeur du syndicat des Vins de Lorbac -'
        " Coteaux du Tarn Marc Vidalou.",
        {("Marc Vidalou", "directeur du syndicat des Vins de Lorbac - Coteaux du Tarn")},
    ),
    # "respectivement" after a plural copula.
    "respectively_after_a_copula": (
        "Paul Roux et Anne Dubois seront respectivement président et trésorière de l'association"
        " dès janvier prochain.",
        {("Paul Roux", "président"), ("Anne Dubois", "trésorière de l'association")},
    ),
    "respectively_one_role_for_both": (
        "Paul Roux et Anne Dubois seront respectivement chef de file du port et de l'aéroport à"
        " partir de janvier.",
        {
            ("Paul Roux", "chef de file du port et de l'aéroport"),
            ("Anne Dubois", "chef de file du port et de l'aéroport"),
        },
    ),
    # Occupations and holdings the press gives as a person's role.
    "jurist": (
        "« C'est ubuesque », s'insurge Luc Bardet, juriste à FO.",
        {("Luc Bardet", "juriste à FO")},
    ),
    "shareholder": (
        "Le tribunal a retenu le plan de l'actionnaire actuel du journal, Paul Mercier.",
        {("Paul Mercier", "actionnaire actuel du journal")},
    ),
    # A plural role shared by a list whose names carry their organisation in brackets.
    "plural_role_before_a_bracketed_list": (
        "Les présidents des deux chambres, Paul Girard (CCI Sud) et Marc Olive (CCI Nord), ont"
        " signé.",
        {
            ("Paul Girard", "présidents des deux chambres"),
            ("Marc Olive", "présidents des deux chambres"),
        },
    ),
    "plural_role_after_a_bracketed_list": (
        "Paul Girard (CCI Sud) et Marc Olive (CCI Nord), présidents des deux chambres, ont signé.",
        {
            ("Paul Girard", "présidents des deux chambres"),
            ("Marc Olive", "présidents des deux chambres"),
        },
    ),
}


@pytest.mark.parametrize(("text", "expected"), CASES.values(), ids=CASES.keys())
def test_roles_as_the_press_writes_them(nlp, text: str, expected: set[tuple[str, str]]) -> None:
    assert _pairs(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # One role with an organisation each: which goes to whom is not written.
        "Paul Roux et Anne Dubois, respectivement maires de Perros et de Lannion, ont signé la"
        " convention jeudi.",
        # A relative clause without a role.
        "Le site de Lannion a reçu jeudi Paul Roux, qui est venu en voisin, pour une visite des"
        " ateliers.",
        # "comme" before a job with no person holding it.
        "Des métiers comme boulanger ou boucher attirent les jeunes, selon l'étude.",
        # A copula after a role whose name is not a person.
        "Le président de la filière est Vitelor Blé-Qualité depuis sa création.",
    ],
)
def test_no_official_without_a_person_holding_the_role(nlp, text: str) -> None:
    assert _pairs(nlp, text) == set()


def test_a_role_noun_as_subject_names_the_subject_of_the_sentence_before(nlp) -> None:
    text = (
        "Hélène Carrel a pris la succession de Marc Bodin en septembre. Depuis son arrivée,"
        " la nouvelle préfète de la Mayenne multiplie les visites d'usines."
    )
    assert _pairs(nlp, text) == {("Hélène Carrel", "nouvelle préfète de la Mayenne")}


@pytest.mark.parametrize(
    "text",
    [
        # The role is the object: someone else the article does not name.
        "Hélène Carrel a visité l'usine de Laval. Elle a ensuite reçu la préfète de la Mayenne.",
        # The person before is no subject.
        "L'usine a été reprise par Hélène Carrel. Depuis, le préfet a salué la reprise.",
        # The gender does not fit.
        "Hélène Carrel visite l'usine de Laval. Le sous-préfet a salué le projet.",
    ],
)
def test_a_role_noun_subject_is_not_given_to_an_uncertain_person(nlp, text: str) -> None:
    assert _pairs(nlp, text) == set()


def _triples(nlp, text: str) -> set[tuple[str, str, str | None]]:
    return {
        (m.fields["name"], m.fields["role"], m.fields["org"])
        for m in doc_mentions(nlp(text), "official")
    }


def test_the_agent_of_a_participle_behind_a_demonym(nlp) -> None:
    text = (
        "Ensuite, le réseau comporte un comité exécutif présidé aujourd’hui par le Brestois Paul"
        " Kerlan, qui réunit les quatre directeurs."
    )
    assert _pairs(nlp, text) == {("Paul Kerlan", "présidé aujourd’hui par")}


def test_the_agent_behind_a_kin_word_and_the_organisation_before_the_verb(nlp) -> None:
    text = (
        "Il a rencontré Luc Sarda, PDG de ce groupe familial fondé par son père Henri Sarda,"
        " d'origine italienne."
    )
    assert _triples(nlp, text) == {
        ("Luc Sarda", "PDG de ce groupe familial", "ce groupe familial"),
        ("Henri Sarda", "fondé par", "ce groupe familial"),
    }
