"""Find person names in a doc: the model's entities, repaired, plus known first names it missed.

The French model sometimes tags a sentence-initial verb ("Interrogé Dumas") or a headline as PER,
and sometimes tags a real name as LOC or ORG; a name is kept when it has two or more capitalised
tokens and either the model called it PER or it starts with a known first name.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from pipeline.nlp.officials.lexicon import first_name_gender, load_roles, load_titles

# Lower-case particles allowed inside a name ("Jean de La Fontaine", "Ursula von der Leyen").
NAME_PARTICLES = frozenset({"de", "du", "des", "d'", "le", "la", "van", "von", "der", "den", "ben"})
# Parts of speech a name token never has; the model uses them for verbs it mistook for names.
NOT_NAME_POS = frozenset({"VERB", "AUX", "ADV", "ADP", "DET", "PRON", "SCONJ", "CCONJ", "INTJ"})
MAX_NAME_TOKENS = 5


@dataclass
class Person:
    """A person name in the doc: its tokens, an optional civil title before it, and a gender."""

    span: Span
    title: Token | None = None
    gender: str | None = None

    @property
    def name(self) -> str:
        return " ".join(self.span.text.split())

    @property
    def surname_key(self) -> str:
        return self.span[-1].norm_

    @property
    def full(self) -> bool:
        return len(self.span) >= 2

    @property
    def start_char(self) -> int:
        return self.title.idx if self.title is not None else self.span.start_char


# Hyphens written inside compound first names and surnames ("Jean‐Louis" with U+2010).
HYPHENS = frozenset("-\u2010\u2011")


def _capitalised(token: Token) -> bool:
    text = token.text
    return token.is_alpha or any(h in text for h in HYPHENS) or "'" in text.replace("\u2019", "'")


def is_name_token(token: Token) -> bool:
    """A capitalised word that may be part of a name (not a role word, not punctuation)."""
    text = token.text
    return (
        bool(text)
        and text[0].isupper()
        and _capitalised(token)
        and not token.is_punct
        and token.norm_ not in load_roles()
        and token.norm_ not in load_titles()
    )


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop leading/trailing tokens that cannot be part of a name."""
    while start < end:
        token = doc[start]
        known_first = first_name_gender(token.text) is not None
        if not is_name_token(token) or (token.pos_ in NOT_NAME_POS and not known_first):
            start += 1
            continue
        # "Bravo Vincent Carré": a word before a known first name is not part of the name.
        if not known_first and any(
            first_name_gender(doc[i].text) is not None for i in range(start + 1, end - 1)
        ):
            start += 1
            continue
        break
    while end > start and not is_name_token(doc[end - 1]):
        end -= 1
    return start, end


def _valid_inner(doc: Doc, start: int, end: int) -> bool:
    return all(is_name_token(t) or t.norm_ in NAME_PARTICLES for t in doc[start:end]) and (
        is_name_token(doc[end - 1])
    )


def _title_before(doc: Doc, start: int) -> Token | None:
    if start > 0 and doc[start - 1].norm_ in load_titles():
        return doc[start - 1]
    return None


def _gender(doc: Doc, start: int, title: Token | None) -> str | None:
    if title is not None:
        return load_titles()[title.norm_]
    return first_name_gender(doc[start].text) or None


def _attached_hyphen(doc: Doc, i: int) -> bool:
    return (
        0 < i < len(doc) - 1
        and doc[i].text in HYPHENS
        and not doc[i - 1].whitespace_
        and (not doc[i].whitespace_)
    )


def _join_hyphens(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Grow a name over hyphens the tokenizer split off: "Marc-Antoine Giraud", "Hoffmann-Roth"."""
    while start >= 2 and _attached_hyphen(doc, start - 1) and is_name_token(doc[start - 2]):
        start -= 2
    while end + 1 < len(doc) and _attached_hyphen(doc, end) and is_name_token(doc[end + 1]):
        end += 2
    return start, end


def find_persons(doc: Doc) -> list[Person]:
    """Full names (2+ tokens) and titled surnames ("M. Mérand") in text order, without overlaps."""
    candidates: list[tuple[int, int]] = []
    for ent in doc.ents:
        start, end = _trim(doc, ent.start, ent.end)
        if start >= end or not _valid_inner(doc, start, end):
            continue
        known_first = first_name_gender(doc[start].text) is not None
        full = end - start >= 2 and (ent.label_ == "PER" or known_first)
        if full or _title_before(doc, start) is not None:
            candidates.append((start, end))
    taken = {i for s, e in candidates for i in range(s, e)}
    for token in doc:
        i = token.i
        if i in taken:
            continue
        first_name = first_name_gender(token.text) is not None and is_name_token(token)
        titled = _title_before(doc, i) is not None and is_name_token(token)
        if not (first_name or titled):
            continue
        end = i + 1
        while end < len(doc) and end - i < MAX_NAME_TOKENS and end not in taken:
            nxt = doc[end]
            if is_name_token(nxt) and nxt.pos_ not in NOT_NAME_POS:
                end += 1
            elif nxt.norm_ in NAME_PARTICLES and end + 1 < len(doc) and is_name_token(doc[end + 1]):
                end += 2
            else:
                break
        if end - i >= 2 or (titled and end - i >= 1):
            candidates.append((i, end))
            taken.update(range(i, end))
    candidates = [_join_hyphens(doc, start, end) for start, end in candidates]
    persons: list[Person] = []
    for start, end in sorted(set(candidates)):
        if persons and start < persons[-1].span.end:
            continue
        title = _title_before(doc, start)
        persons.append(Person(doc[start:end], title, _gender(doc, start, title)))
    return persons


def full_names_by_surname(persons: list[Person]) -> dict[str, str]:
    """Surname norm -> the full name it belongs to, when only one full name has that surname."""
    names: dict[str, set[str]] = {}
    for person in persons:
        if person.full:
            names.setdefault(person.surname_key, set()).add(person.name)
    return {key: next(iter(found)) for key, found in names.items() if len(found) == 1}
