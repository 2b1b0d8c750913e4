"""Money amounts as the French regional press writes them, parsed into numbers without spaCy.

Conventions (the funding component relies on them):
- `Amount.value` is the low end of a range ("entre 2 et 3 millions" gives 2e6) and `value_max`
  its high end (3e6); a single figure has `value_max=None`.
- `currency` is an ISO code ("EUR", "USD", "GBP", "CHF"), inherited from another amount or
  currency word of the same sentence when elided ("entre 2 et 3 millions ... d'euros"), and
  None when the sentence states none. `amount_eur` takes an unstated currency as euros (this is
  French regional press) and is None for any other currency: no dated exchange rate is applied.
- `approximate` is True when a qualifier ("près de", "environ", "plus de", "jusqu'à"...) says the
  figure is not exact; the qualifier is kept and included in the match span.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PATTERNS_DIR = Path(__file__).parent / "patterns"


def _word_set(words: str) -> frozenset[str]:
    """A set of words written space-separated (keeps word lists readable)."""
    return frozenset(words.split())


@dataclass(frozen=True)
class Amount:
    """A parsed amount: value (low end of a range), optional high end, currency, approximation."""

    value: float
    value_max: float | None = None
    currency: str | None = None
    approximate: bool = False
    qualifier: str | None = None

    @property
    def amount_eur(self) -> float | None:
        """The value in euros, None when written in another currency."""
        return self.value if self.currency in (None, "EUR") else None

    @property
    def amount_max_eur(self) -> float | None:
        """The high end of a range in euros, None for single figures and other currencies."""
        if self.value_max is None or self.currency not in (None, "EUR"):
            return None
        return self.value_max


@dataclass(frozen=True)
class AmountMatch:
    """An amount found in a text, with character offsets; `currency_source` says where its
    currency comes from: "stated" (at the figure), "sentence" (elided) or "unstated"."""

    start: int
    end: int
    text: str
    amount: Amount
    currency_source: str


@dataclass(frozen=True)
class _NumberWords:
    units: dict[str, int]  # un..soixante, cent, mille: composable words
    scales: dict[str, float]  # million(s), milliard(s)
    abbreviations: dict[str, float]  # M, Md, k ... only valid before a currency


@lru_cache(maxsize=1)
def _number_words() -> _NumberWords:
    units: dict[str, int] = {}
    scales: dict[str, float] = {}
    abbreviations: dict[str, float] = {}
    with open(PATTERNS_DIR / "number_words.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            value = float(row["value"])
            if row["kind"] == "scale":
                scales[row["word"]] = value
            elif row["kind"] == "abbreviation":
                abbreviations[row["word"]] = value
            else:
                units[row["word"]] = int(value)
    return _NumberWords(units, scales, abbreviations)


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_APOS = "['\u2019\u02bc]"
_SPACE = "[ \u00a0\u202f\u2009]"

# Currency words and signs, each with the ISO code it stands for.
_CURRENCIES: tuple[tuple[str, str], ...] = (
    (r"€|euros?\b|(?-i:EUR)\b", "EUR"),
    (r"\$|dollars?\b(?:\s+américains)?|(?-i:USD)\b", "USD"),
    (r"£|livres?\s+sterling\b|(?-i:GBP)\b", "GBP"),
    (r"francs?\s+suisses\b|(?-i:CHF)\b", "CHF"),
)
_CURRENCY_WORD = "|".join(f"(?:{pattern})" for pattern, _ in _CURRENCIES)
_CURRENCY_RES = [(re.compile(pattern, re.IGNORECASE), code) for pattern, code in _CURRENCIES]
_CURRENCY_ANY_RE = re.compile(_CURRENCY_WORD, re.IGNORECASE)

# A figure as the press writes it, taken whole or not at all: "1 250 000", "12 345,50",
# "1.250.000" and "7.612,52" (dots group thousands), "1,250,000" and "1,234.5" (English), "2,5",
# "2.5". A figure glued to more digits and separators ("03.12.2026", "8.932.2", "2.3.1") is a
# date or a version number: the final look-ahead refuses any shorter piece of it.
_DIGITS = (
    r"(?<![\w.,/])"
    r"(?:"
    rf"\d{{1,3}}(?:{_SPACE}\d{{3}})+(?:,\d+|\.\d{{1,2}})?"
    r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?"
    r"|\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?"
    r"|\d{1,3}(?:,\d{3})+\.\d+"
    r"|\d+(?:[.,]\d+)?"
    r")"
    r"(?![.,]?\d)"
)
_DOT_GROUPED_RE = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_COMMA_GROUPED_RE = re.compile(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?|\d{1,3}(?:,\d{3})+\.\d+")
_PLAIN_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
# After a currency sign written first ("€1.2m", "$3bn"), the English abbreviations of a scale.
_PREFIXED_ABBREVIATIONS = {"m": 1e6, "mn": 1e6, "bn": 1e9, "M": 1e6, "Md": 1e9, "k": 1e3, "K": 1e3}

# Qualifiers before a figure, longest first so "pas moins de" wins over "moins de".
_QUALIFIERS = (
    "un peu plus de",
    "un peu moins de",
    "pas moins de",
    f"de l{_APOS}\\s?ordre de",
    "à peu près",
    "près de",
    "autour de",
    "plus de",
    "moins de",
    "au moins",
    "au total",
    f"jusqu{_APOS}\\s?à",
    "environ",
    "presque",
    "quasiment",
    "pratiquement",
    "approximativement",
    "avoisinant",
    "quelque",
)
_QUALIFIER_BEFORE_RE = re.compile(
    r"(?:^|(?<=[\s(,;:\"'\u2019\u00ab]))(?P<q>" + "|".join(_QUALIFIERS) + r")\s+$",
    re.IGNORECASE,
)
_EXACT_QUALIFIERS = ("au total",)
_ENVIRON_AFTER_RE = re.compile(r"^\s+environ\b", re.IGNORECASE)

_PERCENT_AFTER_RE = re.compile(r"^\s*(?:%|pour\s?cents?\b|points?\b)", re.IGNORECASE)
_MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
    "novembre|décembre|decembre"
)
_MONTH_AFTER_RE = re.compile(rf"^\s*(?:{_MONTHS})\b", re.IGNORECASE)
_PLACE_BEFORE_RE = re.compile(r"[A-ZÀ-Ö][\w\-'’]+ $")
_PHONE_RE = re.compile(r"(?:\+33\s?|(?<!\d)0)[1-9](?:[\s.\-]?\d{2}){4}(?!\d)")
_SENTENCE_BREAK_RE = re.compile(r"(?<=[.!?])\s+(?=[\"«A-ZÀ-ÖØ-Þ])|\n\s*")

# After a bare scale ("3 millions"), "de" + one of these still reads as money.
_MONEY_AFTER_DE = _word_set(
    """la le les l un une son sa ses leur leurs ce cet cette ces notre nos votre vos fonds
    financement financements subvention subventions aide aides crédits crédit
    investissement investissements prêt prêts dotation dotations budget soutien
    participation capital levée apport apports dépenses recettes"""
)
_MONEY_DE_AFTER_RE = re.compile(rf"^\s+(?:de|d{_APOS})\s*(?P<word>[\w\-]+)", re.IGNORECASE)
# A bare figure with an elided currency must be followed by punctuation or a function word.
_BARE_FOLLOWER_RE = re.compile(
    r"^(?:\s*(?:[,.;:)!?]|$)|\s+(?:et|pour|à|au|aux|du|dont|sur|par|en|chacun|chacune|"
    r"supplémentaires|de\s+la|de\s+l|de\s+plus|qui|soit|contre)\b)",
    re.IGNORECASE,
)
_RANGE_AND_RE = re.compile(r"^\s+et\s+$", re.IGNORECASE)
_RANGE_TO_RE = re.compile(r"^\s*(?:à|-|\u2013)\s*$", re.IGNORECASE)
_SCORE_GAP_RE = re.compile("[-\u2013]")
_ENTRE_BEFORE_RE = re.compile(r"(?:^|(?<=\W))entre\s+$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _atom_re() -> re.Pattern[str]:
    words = _number_words()
    unit = rf"\b(?:{_alternation(list(words.units))})\b"
    # "et" joins number words only in "vingt et un" ... "soixante et onze": after a tens word
    # (all end in "gt" or "te") and before "un", "une" or "onze"; "deux et trois" is a range.
    et_join = r"(?:(?<=gt)|(?<=te))[\s\-]+et[\s\-]+(?=(?:un|une|onze)\b)"
    number_words = rf"{unit}(?:(?:{et_join}|[\s\-]+){unit})*"
    scale_words = _alternation(list(words.scales) + ["mille"])
    abbreviations = _alternation(list(words.abbreviations))
    prefixed = _alternation(list(_PREFIXED_ABBREVIATIONS))
    currency_ahead = rf"(?=\s?(?:€|\$|(?-i:EUR|USD)\b|euros?\b|d{_APOS}\s?euros\b))"
    currency_after = (
        rf"(?:(?:de\s+|d{_APOS}\s?)(?=euros?\b|dollars?\b|livres?\b|francs?\b))?"
        rf"(?:{_CURRENCY_WORD})"
    )
    pattern = rf"""
        (?:(?P<pre>€|\$|£|(?-i:EUR|USD|GBP))\s?(?=\d))?
        (?P<num>{_DIGITS}|{number_words})
        (?:\s?(?P<scale>\b(?:{scale_words})\b|(?-i:{abbreviations}){currency_ahead}
            |(?(pre)(?-i:{prefixed})\b|(?!))))?
        (?P<demi>\s+et\s+demie?\b)?
        (?:\s?(?P<cur>{currency_after}))?
    """
    return re.compile(pattern, re.IGNORECASE | re.VERBOSE)


def _words_value(text: str) -> float | None:
    """Value of a run of French number words ("quatre-vingt-dix", "trois cent mille"), None if
    a word is not a number word."""
    units = _number_words().units
    total = 0
    current = 0
    for word in re.split(r"[\s\-]+", text.lower()):
        if not word or word == "et":
            continue
        value = units.get(word)
        if value is None:
            return None
        if value == 1000:
            total += max(current, 1) * 1000
            current = 0
        elif value == 100:
            current = max(current, 1) * 100 if current < 100 else current + 100
        elif value == 20 and current % 100 == 4:  # quatre-vingt(s)
            current += 76
        else:
            current += value
    return float(total + current)


def _digits_value(text: str) -> float | None:
    """The number a figure stands for ("7.612,52" -> 7612.52, "1,250,000" -> 1250000.0), None
    for a string that is no single number, so no input ever raises."""
    cleaned = re.sub(_SPACE, "", text)
    if _DOT_GROUPED_RE.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif _COMMA_GROUPED_RE.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    else:
        cleaned = cleaned.replace(",", ".")
    if not _PLAIN_NUMBER_RE.fullmatch(cleaned):
        return None
    value = float(cleaned)
    return value if math.isfinite(value) else None


def _currency_code(text: str) -> str | None:
    for pattern, code in _CURRENCY_RES:
        if pattern.search(text):
            return code
    return None


@dataclass
class _Atom:
    start: int
    end: int
    number: float  # the written number, before any scale
    scale: float | None
    abbreviated: bool
    currency: str | None
    is_words: bool
    grouped: bool  # written with thousands separators
    digit_count: int

    @property
    def value(self) -> float:
        return self.number * (self.scale or 1.0)


def _atoms(text: str, start: int, end: int) -> list[_Atom]:
    words = _number_words()
    phones = [(m.start(), m.end()) for m in _PHONE_RE.finditer(text, start, end)]
    atoms: list[_Atom] = []
    for match in _atom_re().finditer(text, start, end):
        if any(p_start < match.end() and match.start() < p_end for p_start, p_end in phones):
            continue
        num = match.group("num")
        is_words = not num[0].isdigit()
        number = _words_value(num) if is_words else _digits_value(num)
        if number is None:
            continue
        scale_text = match.group("scale")
        scale: float | None = None
        abbreviated = False
        if scale_text:
            if scale_text.lower() == "mille":
                scale = 1000.0
            elif scale_text.lower() in words.scales:
                scale = words.scales[scale_text.lower()]
            else:
                scale = words.abbreviations.get(scale_text) or _PREFIXED_ABBREVIATIONS[scale_text]
                abbreviated = True
        if match.group("demi"):
            number += 0.5
        currency_text = match.group("pre") or match.group("cur")
        atoms.append(
            _Atom(
                start=match.start(),
                end=match.end(),
                number=number,
                scale=scale,
                abbreviated=abbreviated,
                currency=_currency_code(currency_text) if currency_text else None,
                is_words=is_words,
                grouped=bool(re.search(rf"{_SPACE}|\d[.,]\d{{3}}(?!\d)", num)) and number >= 1000,
                digit_count=len(str(int(number))),
            )
        )
    return atoms


def _join_compounds(text: str, atoms: list[_Atom]) -> list[_Atom]:
    """One amount written in two parts is one atom: "1 million 500 000 euros", "2 millions
    300 mille euros" (a scale word, a space, then a smaller figure), not two amounts."""
    joined: list[_Atom] = []
    for atom in atoms:
        head = joined[-1] if joined else None
        if (
            head is not None
            and head.scale is not None
            and head.scale >= 1e6
            and not head.abbreviated
            and head.currency is None
            and _SPACE_ONLY_RE.fullmatch(text[head.end : atom.start])
            and (atom.scale or 1.0) < head.scale
            and 0 < atom.value < head.scale
        ):
            total = head.value + atom.value
            joined[-1] = _Atom(
                start=head.start,
                end=atom.end,
                number=total,
                scale=None,
                abbreviated=False,
                currency=atom.currency,
                is_words=False,
                grouped=True,
                digit_count=len(str(int(total))),
            )
            continue
        joined.append(atom)
    return joined


_SPACE_ONLY_RE = re.compile(rf"{_SPACE}+")


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    position = 0
    for match in _SENTENCE_BREAK_RE.finditer(text):
        bounds.append((position, match.start()))
        position = match.end()
    bounds.append((position, len(text)))
    return [(s, e) for s, e in bounds if e > s]


def _money_follows(text: str, end: int) -> bool:
    """False when a bare scale counts something else: "3 millions d'habitants"."""
    match = _MONEY_DE_AFTER_RE.match(text[end : end + 60])
    if match is None:
        return True
    word = match.group("word")
    return word[0].isupper() or word.lower() in _MONEY_AFTER_DE


def _range_groups(
    text: str, start: int, atoms: list[_Atom]
) -> list[tuple[_Atom, _Atom | None, int]]:
    """The sentence's atoms as (low, high or None, span start), "entre X et Y", "X à Y" and
    "X-Y" merged into ranges; a bare low end takes the high end's scale ("2 à 3 millions")."""
    groups: list[tuple[_Atom, _Atom | None, int]] = []
    index = 0
    while index < len(atoms):
        low = atoms[index]
        high = atoms[index + 1] if index + 1 < len(atoms) else None
        if high is not None and (high.scale or high.currency):
            gap = text[low.end : high.start]
            before = text[start : low.start]
            entre = _ENTRE_BEFORE_RE.search(before)
            is_range = (entre is not None and _RANGE_AND_RE.match(gap) is not None) or (
                _RANGE_TO_RE.match(gap) is not None
            )
            if is_range and low.currency in (None, high.currency):
                if low.scale is None and high.scale and low.number < 1000:
                    low.scale = high.scale
                if low.value < high.value:
                    range_start = start + entre.start() if entre else low.start
                    groups.append((low, high, range_start))
                    index += 2
                    continue
        if (
            high is not None
            and _SCORE_GAP_RE.fullmatch(text[low.end : high.start])
            and not (low.scale or low.currency or high.scale or high.currency)
        ):
            index += 2  # a score or a count pair ("3-1"), not money
            continue
        groups.append((low, None, low.start))
        index += 1
    return groups


def _reads_as_money(
    text: str,
    last: _Atom,
    span_end: int,
    after: str,
    lenient: bool,
    currency_words: list[tuple[int, str]],
) -> bool:
    """Whether a figure without a written currency is money: a scale word followed by money
    words, or a big grouped number in a sentence that names a currency; anything goes when
    `lenient`."""
    if lenient:
        return True
    if last.scale is not None:
        return _money_follows(text, span_end)
    if last.is_words:
        return False
    has_currency = any(code for _, code in currency_words)
    big_enough = last.grouped or (last.digit_count >= 5 and not _postcode(text, last))
    return bool(has_currency and big_enough and _BARE_FOLLOWER_RE.match(after))


def _postcode(text: str, atom: _Atom) -> bool:
    """Five plain digits in parentheses or after a place name: "Thann (68800)", "Pau 64000"."""
    if atom.digit_count != 5 or atom.grouped or atom.scale is not None:
        return False
    before = text[max(0, atom.start - 30) : atom.start]
    return before.endswith("(") or bool(_PLACE_BEFORE_RE.search(before))


def _find_in_sentence(text: str, start: int, end: int, lenient: bool) -> list[AmountMatch]:
    """The amounts of one sentence text[start:end]: atoms grouped into ranges, percentages and
    dates left out, figures without a currency kept only when they read as money."""
    atoms = _join_compounds(text, _atoms(text, start, end))
    currency_words = [
        (m.start(), _currency_code(m.group())) for m in _CURRENCY_ANY_RE.finditer(text, start, end)
    ]
    matches: list[AmountMatch] = []
    for low, high, span_start in _range_groups(text, start, atoms):
        last = high or low
        after = text[last.end : end]
        if _PERCENT_AFTER_RE.match(after) or _MONTH_AFTER_RE.match(after):
            continue
        stated = low.currency or last.currency
        if not stated and not _reads_as_money(text, last, last.end, after, lenient, currency_words):
            continue
        if low.value <= 0:
            continue
        matches.append(
            _amount_match(text, (start, end), span_start, low, high, stated, currency_words)
        )
    return matches


def _amount_match(
    text: str,
    bounds: tuple[int, int],
    span_start: int,
    low: _Atom,
    high: _Atom | None,
    stated: str | None,
    currency_words: list[tuple[int, str]],
) -> AmountMatch:
    """The match of one figure or range: its currency (stated, else the nearest currency word
    of the sentence) and its qualifier ("près de", "environ") taken into the span."""
    start, end = bounds
    span_end = (high or low).end
    after = text[span_end:end]
    currency = stated
    source = "stated" if stated else "unstated"
    if currency is None and currency_words:
        nearest = min(currency_words, key=lambda cw: abs(cw[0] - span_end))
        currency, source = nearest[1], "sentence"
    qualifier = None
    before = _QUALIFIER_BEFORE_RE.search(text[start:span_start])
    if before is not None:
        qualifier = before.group("q")
        span_start = start + before.start("q")
    environ = _ENVIRON_AFTER_RE.match(after)
    if environ is not None and qualifier is None:
        qualifier = "environ"
        span_end += environ.end()
    if qualifier is not None:
        qualifier = re.sub(r"\s+", " ", qualifier.lower().replace("\u2019", "'"))
    amount = Amount(
        value=low.value,
        value_max=high.value if high is not None else None,
        currency=currency,
        approximate=qualifier is not None and qualifier not in _EXACT_QUALIFIERS,
        qualifier=qualifier,
    )
    return AmountMatch(span_start, span_end, text[span_start:span_end], amount, source)


def find_amounts(text: str) -> list[AmountMatch]:
    """Every money amount in `text`, in order, with character offsets into `text`.

    Years, percentages, dates, phone numbers and counts ("30 emplois", "3 millions
    d'habitants") are skipped; a bare figure counts only when a currency is written in the
    same sentence ("200 000 euros de la Région et 150 000 de l'État").
    """
    found: list[AmountMatch] = []
    for start, end in _sentence_bounds(text):
        found.extend(_find_in_sentence(text, start, end, lenient=False))
    return found


def parse_amount(text: str) -> Amount | None:
    """Parse the first amount written in `text` ("1,5 M€", "quatre-vingts", "près de 3
    millions"); unlike `find_amounts`, a bare number counts, as the caller says it is money."""
    for start, end in _sentence_bounds(text):
        found = _find_in_sentence(text, start, end, lenient=True)
        if found:
            # "un peu plus de 1 000 €": a figure with its currency beats a bare "un".
            stated = [f for f in found if f.currency_source == "stated"]
            return (stated or found)[0].amount
    return None
