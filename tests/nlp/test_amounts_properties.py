"""Property tests of the amount parser: generated amounts, written in the French notations of
DOMAIN.md, parse back to the value they were written from.

Hypothesis runs with `derandomize=True` everywhere: the examples are derived from the test itself,
so CI sees the same inputs on every run and never flakes on a newly drawn one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.nlp import extract_text
from pipeline.nlp.funding.amounts import find_amounts, parse_amount

NBSP = "\u00a0"
NNBSP = "\u202f"
THIN_SPACE = "\u2009"
GROUP_SEPARATORS = (" ", NBSP, NNBSP)
APOSTROPHES = ("'", "\u2019")

PURE = settings(max_examples=100, deadline=None, derandomize=True)
# The full pipeline takes tens of milliseconds a sentence on this machine: few examples.
PIPELINE = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


# French number words, written by hand so the test does not share the parser's tables.
_UNIT_WORDS = "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze"
_UNITS = [*_UNIT_WORDS.split(), "quinze", "seize"]
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_100(n: int, rectified: bool) -> str:
    et = "-et-" if rectified else " et "
    if n <= 16:
        return _UNITS[n]
    if n < 20:
        return "dix-" + _UNITS[n - 10]
    tens, unit = divmod(n, 10)
    if tens == 7:
        return "soixante" + (et if unit == 1 else "-") + _below_100(10 + unit, rectified)
    if tens == 8:
        return "quatre-vingts" if unit == 0 else "quatre-vingt-" + _UNITS[unit]
    if tens == 9:
        return "quatre-vingt-" + _below_100(10 + unit, rectified)
    if unit == 0:
        return _TENS[tens]
    return _TENS[tens] + (et if unit == 1 else "-") + _UNITS[unit]


def _below_1000(n: int, last: bool, rectified: bool) -> str:
    """1 <= n <= 999; `last` when no number word follows ("deux cents" but "deux cent mille")."""
    space = "-" if rectified else " "
    hundreds, rest = divmod(n, 100)
    words: list[str] = []
    if hundreds:
        cent = "cents" if hundreds > 1 and rest == 0 and last else "cent"
        words.append(cent if hundreds == 1 else _UNITS[hundreds] + space + cent)
    if rest:
        below = _below_100(rest, rectified)
        if not last and below == "quatre-vingts":
            below = "quatre-vingt"  # "quatre-vingt mille": no plural before mille
        words.append(below)
    return space.join(words)


def french_words(n: int, rectified: bool = False) -> str:
    """`n` (1..999 999) in French words; `rectified` writes the 1990 spelling, all hyphens."""
    assert 1 <= n <= 999_999
    space = "-" if rectified else " "
    thousands, rest = divmod(n, 1000)
    words: list[str] = []
    if thousands:
        if thousands > 1:
            words.append(_below_1000(thousands, last=False, rectified=rectified))
        words.append("mille")
    if rest:
        words.append(_below_1000(rest, last=True, rectified=rectified))
    return space.join(words)


@pytest.mark.parametrize(
    ("n", "traditional", "rectified"),
    [
        (1, "un", "un"),
        (21, "vingt et un", "vingt-et-un"),
        (71, "soixante et onze", "soixante-et-onze"),
        (80, "quatre-vingts", "quatre-vingts"),
        (91, "quatre-vingt-onze", "quatre-vingt-onze"),
        (200, "deux cents", "deux-cents"),
        (280, "deux cent quatre-vingts", "deux-cent-quatre-vingts"),
        (80_000, "quatre-vingt mille", "quatre-vingt-mille"),
        (300_000, "trois cent mille", "trois-cent-mille"),
        (1_999, "mille neuf cent quatre-vingt-dix-neuf", "mille-neuf-cent-quatre-vingt-dix-neuf"),
    ],
)
def test_the_tests_own_number_words_follow_french_spelling(
    n: int, traditional: str, rectified: str
) -> None:
    assert french_words(n) == traditional
    assert french_words(n, rectified=True) == rectified


# --- Generated notations ------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    """An amount as a journalist writes it, and the value (and high end) it stands for."""

    text: str
    value: float
    value_max: float | None = None
    qualifier: str | None = None


def _grouped(n: int, separator: str) -> str:
    """`n` with its thousands grouped: "1 250 000"."""
    return f"{n:,}".replace(",", separator)


def _decimal(units: int, hundredths: int) -> str:
    """A French decimal with a comma and no trailing zero: (1, 20) -> "1,2"."""
    if hundredths == 0:
        return str(units)
    return f"{units},{hundredths:02d}".rstrip("0")


@st.composite
def digits_in_euros(draw: st.DrawFn) -> Written:
    """Digits in euros: "350 000 euros", "1 250 000 €", "650.000 euros", "12 345,50 €"."""
    euros = draw(st.integers(min_value=1_000, max_value=999_999_999))
    separator = draw(st.sampled_from((*GROUP_SEPARATORS, ".")))
    cents = draw(st.sampled_from((0, 0, 0, 50, 5, 99))) if separator != "." else 0
    number = _grouped(euros, separator)
    if cents:
        number += f",{cents:02d}"
    sign_space = draw(st.sampled_from(GROUP_SEPARATORS))
    currency = draw(st.sampled_from((f"{sign_space}€", " euros", f"{sign_space}EUR")))
    return Written(number + currency, euros + cents / 100)


_SCALES = {
    "million": 1e6,
    "milliard": 1e9,
}
_ABBREVIATIONS = {"M": 1e6, "Md": 1e9, "Mds": 1e9, "k": 1e3, "K": 1e3}


@st.composite
def scaled_in_euros(draw: st.DrawFn) -> Written:
    """A scaled figure: "1,2 million d'euros", "2 milliards d'euros", "1,2 M€", "350 k€"."""
    units = draw(st.integers(min_value=0, max_value=999))
    hundredths = draw(st.sampled_from((0, 0, 5, 20, 25, 50, 75, 99)))
    if units == 0 and hundredths == 0:
        units = 1
    number = _decimal(units, hundredths)
    value = units + hundredths / 100
    if draw(st.booleans()):
        word = draw(st.sampled_from(sorted(_SCALES)))
        scale = _SCALES[word]
        plural = "s" if value >= 2 else ""
        apostrophe = draw(st.sampled_from(APOSTROPHES))
        currency = draw(st.sampled_from((f" d{apostrophe}euros", " €", " euros")))
        return Written(f"{number} {word}{plural}{currency}", value * scale)
    abbreviation = draw(st.sampled_from(sorted(_ABBREVIATIONS)))
    space = draw(st.sampled_from(("", *GROUP_SEPARATORS)))
    currency = draw(st.sampled_from(("€", " €", " euros")))
    return Written(f"{number}{space}{abbreviation}{currency}", value * _ABBREVIATIONS[abbreviation])


@st.composite
def words_in_euros(draw: st.DrawFn) -> Written:
    """An amount in words, traditional or 1990 spelling: "deux millions d'euros", "un million
    et demi d'euros", "trois cent mille euros", "quatre-vingt-dix-neuf euros"."""
    rectified = draw(st.booleans())
    scale_word, scale = draw(
        st.sampled_from((("", 1.0), ("million", 1e6), ("milliard", 1e9), ("mille", 1e3)))
    )
    if scale_word in ("", "mille"):
        # "un euros" and "un mille euros" are not French: those start at deux.
        n = draw(st.integers(min_value=2, max_value=999_999 if scale_word == "" else 999))
    else:
        n = draw(st.integers(min_value=1, max_value=999))
    words = french_words(n, rectified=rectified)
    if scale_word == "mille":
        words = words.removesuffix("s") if words.endswith(("cents", "vingts")) else words
        return Written(f"{words} mille euros", n * scale)
    if scale_word:
        plural = "s" if n > 1 else ""
        half = draw(st.booleans())
        apostrophe = draw(st.sampled_from(APOSTROPHES))
        text = f"{words} {scale_word}{plural}{' et demi' if half else ''} d{apostrophe}euros"
        return Written(text, (n + 0.5 * half) * scale)
    return Written(f"{words} euros", float(n))


_QUALIFIERS = (
    "près de",
    "plus de",
    "moins de",
    "environ",
    "autour de",
    "jusqu'à",
    "jusqu\u2019à",
    "pas moins de",
    "un peu plus de",
    "un peu moins de",
    "de l'ordre de",
    "de l\u2019ordre de",
    "quelque",
)


# Qualifiers that start with "un", which must not be read as the number 1 (own test below).
_QUALIFIERS_STARTING_WITH_UN = ("un peu plus de", "un peu moins de")


@st.composite
def qualified(draw: st.DrawFn, qualifiers: tuple[str, ...] = _QUALIFIERS) -> Written:
    """A qualified amount: "près de 800 000 €", "plus de 2 M€", "jusqu’à 4,5 M€"."""
    plain = draw(st.one_of(digits_in_euros(), scaled_in_euros()))
    qualifier = draw(st.sampled_from(qualifiers))
    normalised = qualifier.replace("\u2019", "'")
    return Written(f"{qualifier} {plain.text}", plain.value, qualifier=normalised)


@st.composite
def digit_ranges(draw: st.DrawFn) -> Written:
    """A range in figures: "entre 2 et 3 millions d'euros", "1,5 à 2 M€", "2-3 M€"."""
    low_units = draw(st.integers(min_value=1, max_value=998))
    high_units = draw(st.integers(min_value=low_units + 1, max_value=999))
    low_hundredths = draw(st.sampled_from((0, 5, 50)))
    if draw(st.booleans()):
        word, scale = draw(st.sampled_from((("millions", 1e6), ("milliards", 1e9))))
        unit = f"{word} d'euros"
    else:
        unit, scale = draw(st.sampled_from((("M€", 1e6), ("Md€", 1e9), ("k€", 1e3))))
    low = _decimal(low_units, low_hundredths)
    form = draw(st.sampled_from(("entre {low} et {high}", "{low} à {high}", "{low}-{high}")))
    text = form.format(low=low, high=high_units) + " " + unit
    return Written(text, (low_units + low_hundredths / 100) * scale, high_units * scale)


def _close(actual: float | None, expected: float | None) -> bool:
    if expected is None or actual is None:
        return actual is expected
    if float(expected).is_integer():
        return actual == expected
    return math.isclose(actual, expected, rel_tol=1e-9)


# --- Properties of the pure parser --------------------------------------------------------


@PURE
@given(written=st.one_of(digits_in_euros(), scaled_in_euros(), words_in_euros()))
@example(Written("350 000 euros", 350_000))
@example(Written(f"350{NNBSP}000{NNBSP}€", 350_000))
@example(Written("1,2 M€", 1_200_000))
@example(Written("1 Md€", 1e9))
@example(Written("deux millions d'euros", 2e6))
@example(Written("un million et demi d'euros", 1.5e6))
@example(Written("trois cent mille euros", 300_000))
def test_written_amount_parses_back_to_its_value(written: Written) -> None:
    amount = parse_amount(written.text)
    assert amount is not None, written
    assert _close(amount.value, written.value), (written, amount)
    assert amount.value_max is None
    assert amount.currency == "EUR"
    assert _close(amount.amount_eur, written.value)
    assert not amount.approximate


@PURE
@given(written=st.one_of(digits_in_euros(), scaled_in_euros(), words_in_euros(), qualified()))
def test_find_amounts_spans_exactly_the_written_amount(written: Written) -> None:
    text = f"La Région accorde {written.text} à l'entreprise."
    (match,) = find_amounts(text)
    assert match.text == written.text
    assert text[match.start : match.end] == match.text
    assert _close(match.amount.value, written.value), (written, match)
    assert match.currency_source == "stated"


@PURE
@given(written=qualified(tuple(q for q in _QUALIFIERS if q not in _QUALIFIERS_STARTING_WITH_UN)))
@example(Written("près de 800 000 €", 800_000, qualifier="près de"))
@example(Written("plus de 2 M€", 2e6, qualifier="plus de"))
def test_qualified_amount_keeps_its_value_and_is_approximate(written: Written) -> None:
    amount = parse_amount(written.text)
    assert amount is not None
    assert _close(amount.value, written.value), (written, amount)
    assert amount.approximate
    assert amount.qualifier == written.qualifier


@PURE
@given(written=qualified(_QUALIFIERS_STARTING_WITH_UN))
@example(Written("un peu plus de 1 000 €", 1_000, qualifier="un peu plus de"))
def test_amount_after_un_peu_plus_de_parses_back_to_its_value(written: Written) -> None:
    amount = parse_amount(written.text)
    assert amount is not None
    assert _close(amount.value, written.value), (written, amount)
    assert amount.qualifier == written.qualifier


@PURE
@given(written=digit_ranges())
@example(Written("entre 2 et 3 millions d'euros", 2e6, 3e6))
@example(Written("1,5 à 2 M€", 1.5e6, 2e6))
def test_range_parses_back_to_its_low_and_high_ends(written: Written) -> None:
    amount = parse_amount(written.text)
    assert amount is not None
    assert _close(amount.value, written.value), (written, amount)
    assert _close(amount.value_max, written.value_max), (written, amount)
    assert (amount.amount_eur, amount.amount_max_eur) == (amount.value, amount.value_max)


@PURE
@given(
    low=st.integers(min_value=2, max_value=8),
    gap=st.integers(min_value=1, max_value=5),
)
@example(low=2, gap=1)
def test_range_written_in_words_parses_back_to_its_ends(low: int, gap: int) -> None:
    high = low + gap
    amount = parse_amount(f"entre {french_words(low)} et {french_words(high)} millions d'euros")
    assert amount is not None
    assert (amount.value, amount.value_max) == (low * 1e6, high * 1e6)


# --- Through the whole extraction pipeline ------------------------------------------------


@PIPELINE
@given(written=st.one_of(digits_in_euros(), scaled_in_euros(), words_in_euros(), digit_ranges()))
@example(Written("1,2 million d'euros", 1_200_000))
@example(Written("entre 2 et 3 millions d'euros", 2e6, 3e6))
def test_funding_mention_carries_the_written_amount_in_euros(nlp, written: Written) -> None:
    text = f"La Région Nouvelle-Aquitaine accorde {written.text} à l'entreprise Lumina."
    funding = [m for m in extract_text(nlp, text) if m["kind"] == "funding"]
    with_amount = [m for m in funding if m.get("amount_eur") is not None]
    assert len(with_amount) == 1, (written, funding)
    (mention,) = with_amount
    assert _close(mention["amount_eur"], written.value), (written, mention)
    assert written.text in mention["text"] or mention["text"] in written.text
    assert text[mention["start"] : mention["end"]] == mention["text"]


# --- Any string of figures, separators, currencies and unit words ---------------------------

_NUMBER_PIECES = (
    *"0123456789",
    *"0123456789",
    ".",
    ",",
    " ",
    NBSP,
    NNBSP,
    THIN_SPACE,
    "-",
    "\u2013",
    "/",
    "'",
    "%",
    "€",
    "$",
    "£",
    "EUR",
    "USD",
    " euros",
    " d'euros",
    " M",
    "M€",
    " Md€",
    " k€",
    "m",
    "bn",
    " million",
    " millions",
    " milliards",
    " mille",
    " deux",
    " cent",
    " vingt",
    " et demi",
    " points",
    " pour cent",
    " mars",
    "entre ",
    " et ",
    " à ",
    "près de ",
    " environ",
    "+33 ",
    ". ",
    "\n",
)
ANY = settings(max_examples=400, deadline=None, derandomize=True)


@ANY
@given(text=st.lists(st.sampled_from(_NUMBER_PIECES), max_size=24).map("".join))
@example(text="7.612,52")
@example(text="le CAC 40 à 7.612,52 points")
@example(text="Catalyst 8.932.2")
@example(text="40.126,35 €")
@example(text="03.12.2026")
@example(text="€1.2m")
@example(text="9" * 400 + " €")
def test_amount_parser_never_raises_and_spans_point_into_the_text(text: str) -> None:
    amount = parse_amount(text)
    if amount is not None:
        assert math.isfinite(amount.value) and amount.value >= 0
    for match in find_amounts(text):
        assert text[match.start : match.end] == match.text
        assert math.isfinite(match.amount.value) and match.amount.value > 0
        if match.amount.value_max is not None:
            assert match.amount.value_max > match.amount.value
