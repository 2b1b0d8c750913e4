"""Unit tests of the pure amount parser: every notation of DOMAIN.md, and what is not money."""

from __future__ import annotations

import pytest

from pipeline.nlp.funding.amounts import find_amounts, parse_amount

NBSP = "\u00a0"
NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("text", "value", "value_max", "currency"),
    [
        ("650 000 euros", 650_000, None, "EUR"),
        (f"650{NBSP}000 euros", 650_000, None, "EUR"),
        (f"650{NNBSP}000{NNBSP}€", 650_000, None, "EUR"),
        ("650.000 euros", 650_000, None, "EUR"),
        ("1 250 000 €", 1_250_000, None, "EUR"),
        ("12 345,50 euros", 12_345.5, None, "EUR"),
        ("1,5 million d'euros", 1_500_000, None, "EUR"),
        ("1,5 million d\u2019euros", 1_500_000, None, "EUR"),
        ("1,5 millions €", 1_500_000, None, "EUR"),
        ("2 M€", 2_000_000, None, "EUR"),
        ("2M€", 2_000_000, None, "EUR"),
        ("2 M d'euros", 2_000_000, None, "EUR"),
        ("3,4 M euros", 3_400_000, None, "EUR"),
        ("1,2 Md€", 1_200_000_000, None, "EUR"),
        ("1,2 Mds€", 1_200_000_000, None, "EUR"),
        ("1,2 milliard", 1_200_000_000, None, None),
        ("2 milliards d'euros", 2_000_000_000, None, "EUR"),
        ("300 k€", 300_000, None, "EUR"),
        ("300 K€", 300_000, None, "EUR"),
        ("300 mille euros", 300_000, None, "EUR"),
        ("€87 million", 87_000_000, None, "EUR"),
        ("€87.5 million", 87_500_000, None, "EUR"),
        ("87 millions de dollars", 87_000_000, None, "USD"),
        ("$12 million", 12_000_000, None, "USD"),
        ("vingt millions d'euros", 20_000_000, None, "EUR"),
        ("deux millions et demi", 2_500_000, None, None),
        ("un million et demi d'euros", 1_500_000, None, "EUR"),
        ("quatre-vingts", 80, None, None),
        ("quatre-vingt-dix millions d'euros", 90_000_000, None, "EUR"),
        ("soixante-quinze mille euros", 75_000, None, "EUR"),
        ("trois cent mille euros", 300_000, None, "EUR"),
        ("vingt et un millions", 21_000_000, None, None),
        ("entre 2 et 3 millions d'euros", 2_000_000, 3_000_000, "EUR"),
        ("de 2 à 3 M€", 2_000_000, 3_000_000, "EUR"),
        ("2-3 M€", 2_000_000, 3_000_000, "EUR"),
        ("entre 500 000 et 1 million d'euros", 500_000, 1_000_000, "EUR"),
    ],
)
def test_parse_amount_notations(
    text: str, value: float, value_max: float | None, currency: str | None
) -> None:
    amount = parse_amount(text)
    assert amount is not None
    assert amount.value == pytest.approx(value)
    assert amount.value_max == (pytest.approx(value_max) if value_max else None)
    assert amount.currency == currency


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("près de 3 millions", "près de"),
        ("plus de 2 M€", "plus de"),
        ("environ 500 000 euros", "environ"),
        ("500 000 euros environ", "environ"),
        ("quelque 40 millions d'euros", "quelque"),
        ("jusqu'à 1 M€", "jusqu'à"),
        ("pas moins de 8 M€", "pas moins de"),
    ],
)
def test_qualifiers_mark_amount_approximate(text: str, qualifier: str) -> None:
    (match,) = find_amounts(text)
    assert match.amount.approximate
    assert match.amount.qualifier == qualifier
    assert match.text == text  # the qualifier is part of the span


def test_amount_eur_is_none_for_other_currencies() -> None:
    dollars = parse_amount("87 millions de dollars")
    euros = parse_amount("entre 2 et 3 millions d'euros")
    unstated = parse_amount("près de 3 millions")
    assert dollars is not None and dollars.amount_eur is None
    assert euros is not None and (euros.amount_eur, euros.amount_max_eur) == (2e6, 3e6)
    assert unstated is not None and unstated.amount_eur == 3e6


def test_find_amounts_offsets_point_into_the_text() -> None:
    text = "La Région apporte 1,5 M€ et Bpifrance 800 000 euros au projet."
    matches = find_amounts(text)
    assert [m.text for m in matches] == ["1,5 M€", "800 000 euros"]
    assert all(text[m.start : m.end] == m.text for m in matches)
    assert [m.amount.value for m in matches] == [1_500_000, 800_000]


def test_elided_currency_comes_from_the_same_sentence() -> None:
    text = (
        "Le projet recevra entre 2 et 3 millions, la part de l'État restant fixée en euros. "
        "Une enveloppe de 5 millions d'euros est prévue, dont 3 millions pour la recherche."
    )
    first, second, third = find_amounts(text)
    assert first.text == "entre 2 et 3 millions"
    assert (first.amount.value, first.amount.value_max) == (2e6, 3e6)
    assert (first.amount.currency, first.currency_source) == ("EUR", "sentence")
    assert second.currency_source == "stated"
    assert (third.text, third.amount.value, third.currency_source) == (
        "3 millions",
        3e6,
        "sentence",
    )


def test_bare_figures_count_only_next_to_a_written_currency() -> None:
    text = "La Région apporte 200 000 euros, l'État 150 000 et la Métropole 100 000."
    assert [m.amount.value for m in find_amounts(text)] == [200_000, 150_000, 100_000]
    assert find_amounts("L'État apporte 150 000 et la Métropole 100 000.") == []


def test_unstated_scale_keeps_currency_none() -> None:
    (match,) = find_amounts("La collectivité mobilise près de 3 millions.")
    assert match.amount.currency is None
    assert match.currency_source == "unstated"
    assert match.amount.amount_eur == 3e6


@pytest.mark.parametrize(
    "text",
    [
        "En 2026, l'usine ouvrira ses portes.",
        "L'entreprise compte 120 salariés et prévoit 30 emplois.",
        "Les ventes progressent de 12 % cette année.",
        "Les ventes progressent de 12 pour cent.",
        "Rendez-vous le 12 mars 2026 à Bordeaux.",
        "Contact : 05 56 12 34 56 ou 06.12.34.56.78.",
        "La métropole compte 3 millions d'habitants.",
        "Le salon attend 40 000 visiteurs.",
        "Le site produit 2 millions de bouteilles par an.",
        "Il a rencontré M. Dupont et deux partenaires.",
        "Un projet, deux sites, vingt chercheurs.",
        "L'Airbus A380 et la route D1089.",
    ],
)
def test_not_amounts(text: str) -> None:
    assert find_amounts(text) == []


def test_scale_followed_by_money_noun_is_kept() -> None:
    (match,) = find_amounts("Le plan prévoit 4 millions d'investissement.")
    assert match.amount.value == 4e6


def test_several_sentences_do_not_share_currency() -> None:
    text = "Le budget atteint 5 M€. L'entreprise compte 150 000 clients."
    assert [m.text for m in find_amounts(text)] == ["5 M€"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("7.612,52", 7_612.52),
        ("40.126,35", 40_126.35),
        ("1.234.567", 1_234_567),
        ("2.5", 2.5),
        ("1,2", 1.2),
        ("1.200.000 €", 1_200_000),
        ("€1.2m", 1_200_000),
        ("£3bn", 3e9),
        ("$1,200,000", 1_200_000),
        ("1 250.50 €", 1_250.5),
    ],
)
def test_numbers_as_the_press_writes_them_parse(text: str, value: float) -> None:
    amount = parse_amount(text)
    assert amount is not None
    assert amount.value == pytest.approx(value)


@pytest.mark.parametrize(
    "text",
    [
        "8.932.2",
        "03.12.2026",
        "06 12 34 56 78",
        "3-1",
        "7.612,52 points",
        "12,5 %",
        "2.3.1",
    ],
)
def test_dates_versions_scores_phones_and_indices_are_not_amounts(text: str) -> None:
    assert parse_amount(text) is None
    assert find_amounts(f"Le montant de 5 M€ est connu ; {text} aussi.")[0].text == "5 M€"


@pytest.mark.parametrize(
    "text",
    [
        "Le CAC 40 termine à 7.612,52 points, en hausse de 0,4 %.",
        "La mise à jour Catalyst 8.932.2 corrige la faille, le 03.12.2026.",
        "Victoire 3-1 du club, devant 12.500 spectateurs.",
    ],
)
def test_market_tech_and_sport_sentences_hold_no_amount(text: str) -> None:
    assert find_amounts(text) == []


def test_dotted_thousands_with_decimals_in_a_funding_sentence() -> None:
    (match,) = find_amounts("La Région verse 1.234.567,89 euros à la coopérative.")
    assert match.text == "1.234.567,89 euros"
    assert match.amount.value == pytest.approx(1_234_567.89)
