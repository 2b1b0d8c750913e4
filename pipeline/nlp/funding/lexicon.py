"""The funding component's data: phrase lexicon, verb forms and word lists, all read from
`patterns/` beside this module (the code holds no word lists).

What each file holds:
- instruments.csv: instrument phrases (subvention, prêt d'honneur, FEDER...), whether they say
  funding by themselves (strong), the funder they imply (FEDER: Union européenne) and whether
  they mark unnamed public money (aides publiques);
- funders.csv: funder aliases with their normalised name, case rule, public flag, weak flag
  (a weak alias such as "la commune" names a funder only when another cue says funding) and
  name rule (place_prefix: "Normandie Participations" is named by the words before the alias;
  place_suffix: "le Grand Chalon" needs a name after the alias);
- banks.csv: commercial banks and bank loans: a loan they give a company is its own financing;
- non_funding.csv: cues of amounts that are no funding (chiffre d'affaires, coût total...);
- verbs.csv: funding verbs as exact forms, prefixes or phrases, with their kind (grant, receive,
  raise, invest, change, launch, none);
- not_funders.csv: a funder's word used for a place or a building ("en préfecture");
- funder_references.csv: role-only references to the public funder named before ("la
  collectivité");
- funder_roles.csv: words before a funder saying the part it plays (manager, owner, co_funder);
- recipient_markers.csv: words before a recipient's name ("au profit de", "à", "pour");
- funder_adjectives.csv: adjectives after an instrument that name its funder ("une aide
  régionale", "une subvention étatique");
- word_lists.csv: small closed word lists used by the rules, one word a row with the list's
  name and, on its first row, what the list is for;
- number_words.csv: number words for amounts (read by `amounts.py`).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

PATTERNS_DIR = Path(__file__).parent / "patterns"


@dataclass(frozen=True)
class LexiconEntry:
    """One pattern row: the phrase, its kind, normalised name and extra columns."""

    kind: str  # instrument | funder | non_funding | verb | not_funder | funder_reference | role
    phrase: str
    name: str
    cased: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def read_csv(name: str) -> list[dict[str, str]]:
    """The rows of a pattern file, values stripped, rows with an empty first column left out."""
    with open(PATTERNS_DIR / name, encoding="utf-8", newline="") as handle:
        return [
            {k: (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(handle)
            if row.get(next(iter(row)))
        ]


@dataclass(frozen=True)
class Programme:
    """A funding programme and the institutions whose money it is (FEDER: the Union)."""

    name: str
    funders: tuple[str, ...]
    scope: str


def load_programmes() -> dict[str, Programme]:
    """patterns/programmes.csv by programme name (the `instrument` of instruments.csv)."""
    with open(PATTERNS_DIR / "programmes.csv", encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    programmes = {}
    for row in csv.DictReader(lines):
        funders = tuple(f.strip() for f in row["funders"].split(";") if f.strip())
        programmes[row["programme"]] = Programme(row["programme"], funders, row["scope"])
    return programmes


def _instrument_entries() -> list[LexiconEntry]:
    """Instrument phrases, with their strength, implied funder (the programme's funders, else
    the row's own) and unnamed-funder flag."""
    programmes = load_programmes()
    entries = []
    for row in read_csv("instruments.csv"):
        programme = programmes.get(row["instrument"])
        implied = ", ".join(programme.funders) if programme else row["implied_funder"]
        entries.append(
            LexiconEntry(
                "instrument",
                row["phrase"],
                row["instrument"],
                cased=row["phrase"].isupper(),
                extra={
                    "strong": row["strong"],
                    "implied_funder": implied,
                    "unnamed_funder": row.get("unnamed_funder") or "0",
                    "scope": programme.scope if programme else "",
                },
            )
        )
    return entries


def _funder_entries() -> list[LexiconEntry]:
    """Funder aliases; a weak alias ("la commune") names a funder only with another cue."""
    return [
        LexiconEntry(
            "funder",
            row["alias"],
            row["funder"],
            cased=row["cased"] == "1" or row["alias"].isupper(),
            extra={
                "public": row["public"],
                "weak": row.get("weak") or "0",
                "name_rule": row.get("name_rule") or "",
            },
        )
        for row in read_csv("funders.csv")
    ]


def _other_entries() -> list[LexiconEntry]:
    """Non-funding cues, verb phrases, funder words used as places, role-only references to a
    funder and the role words before a funder."""
    entries = [
        LexiconEntry("non_funding", row["phrase"], row["label"], cased=row["phrase"].isupper())
        for row in read_csv("non_funding.csv")
    ]
    entries += [
        LexiconEntry("verb", row["form"], row["kind"])
        for row in read_csv("verbs.csv")
        if row["match"] == "phrase"
    ]
    entries += [
        LexiconEntry("not_funder", row["phrase"], row["label"], cased=row["phrase"][:1].isupper())
        for row in read_csv("not_funders.csv")
    ]
    entries += [
        LexiconEntry("funder_reference", row["phrase"], row["phrase"])
        for row in read_csv("funder_references.csv")
    ]
    entries += [
        LexiconEntry("role", row["phrase"], row["role"]) for row in read_csv("funder_roles.csv")
    ]
    entries += [
        LexiconEntry("bank", row["phrase"], "banque", cased=row["phrase"][:1].isupper())
        for row in read_csv("banks.csv")
    ]
    return entries


def load_lexicon() -> list[LexiconEntry]:
    """All phrase entries of `patterns/`: instruments, funders, non-funding cues, verb phrases."""
    return _instrument_entries() + _funder_entries() + _other_entries()


def load_verb_forms() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Single-word verb cues: exact forms and prefixes, each with its kind (grant, raise...)."""
    exact: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    for row in read_csv("verbs.csv"):
        if row["match"] == "exact":
            exact[row["form"]] = row["kind"]
        elif row["match"] == "prefix":
            prefixes.append((row["form"], row["kind"]))
    prefixes.sort(key=lambda item: len(item[0]), reverse=True)
    return exact, prefixes


def load_word_lists() -> dict[str, frozenset[str]]:
    """The closed word lists of `word_lists.csv`, by list name."""
    lists: dict[str, set[str]] = defaultdict(set)
    for row in read_csv("word_lists.csv"):
        lists[row["list"]].add(row["word"])
    return {name: frozenset(words) for name, words in lists.items()}


def load_recipient_markers() -> tuple[tuple[str, ...], ...]:
    """Recipient markers as word tuples, in file order (longest phrases first)."""
    return tuple(tuple(row["phrase"].split()) for row in read_csv("recipient_markers.csv"))


WORDS = load_word_lists()


def words(name: str) -> frozenset[str]:
    """One list of `word_lists.csv`; a missing list is an error in the data, not an empty set."""
    return WORDS[name]


def load_funder_adjectives() -> dict[str, str]:
    """Adjective -> funder of patterns/funder_adjectives.csv ("régionale" -> "Région")."""
    return {row["adjective"]: row["funder"] for row in read_csv("funder_adjectives.csv")}


def load_scope_phrases() -> tuple[tuple[str, str], ...]:
    """(normalised phrase, scope) pairs of patterns/scope_phrases.csv, longest first."""
    from pipeline.nlp.normalizer.normalizer import normalize_text

    rows = [
        (" ".join(re.findall(r"[\w']+", normalize_text(row["phrase"]))), row["scope"])
        for row in read_csv("scope_phrases.csv")
    ]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))
