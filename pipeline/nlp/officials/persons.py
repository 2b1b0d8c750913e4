"""Find person names in a doc: the model's entities, repaired, plus known first names it missed.

The French model sometimes tags a sentence-initial verb ("Interrogé Dumas") or a headline as PER,
and sometimes tags a real name as LOC or ORG; a name is kept when it has two or more capitalised
tokens and either the model called it PER or it starts with a known first name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from pipeline.nlp.doctools import doc_text
from pipeline.nlp.officials.lexicon import (
    first_name_gender,
    is_given_name,
    load_roles,
    load_titles,
    not_person_words,
    role_entry,
)

# Lower-case particles allowed inside a name ("Jean de La Fontaine", "Ursula von der Leyen").
NAME_PARTICLES = frozenset({"de", "du", "des", "d'", "le", "la", "van", "von", "der", "den", "ben"})
# Parts of speech a name token never has; the model uses them for verbs it mistook for names.
NOT_NAME_POS = frozenset({"VERB", "AUX", "ADV", "ADP", "DET", "PRON", "SCONJ", "CCONJ", "INTJ"})
MAX_NAME_TOKENS = 5
# A lower-case letter then a capital after four letters or more: two words glued together
# ("RoyPaul"), not "McCourt" or "MacArthur".
GLUED_WORDS = re.compile(r"[a-zà-ÿ]{4}[A-ZÀ-Þ][a-zà-ÿ]")
SAINT_PLACE = re.compile(r"^(?:Saint|Sainte|St|Ste)[-‐‑]", re.IGNORECASE)
# Words that open a by-line or a photo credit on the same line as a name.
CREDIT_CUES = frozenset(
    {"texte", "textes", "photo", "photos", "crédit", "crédits", "©", "@", "|", "vidéo", "reportage"}
)
BYLINE_VERBS = frozenset(
    {"publié", "rédigé", "recueillis", "écrit", "signé", "article", "édité", "éditée"}
)
CREDIT_AFTER_RE = re.compile(r"^\s*(?:/\s*[A-Z]|\(AFP\)|dit\s*:|a dit\s*:|says\s*:)")
TEASER_OPENERS = ("lire aussi", "à lire aussi", "a lire aussi", "voir aussi", "sur le même sujet")
REPORTER_TITLES = ("envoyé spécial", "envoyée spéciale", "journaliste", "rédaction")
DATE_RE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")
PUBLISHED = ("publié", "publiée", "mis à jour")
# A by-line's date after the name: "Anne Roy - 13 janv. 2021", "Anne Roy | 3 mars 2024".
BYLINE_DATE_AFTER = re.compile(r"^\s*[-–|]\s*\d{1,2}(?:er)?\s+\w+\.?\s+\d{4}")
# A photo credit naming the outlet then the photographer: "(Le Courrier/Anne Roy)".
CREDIT_SLASH_BEFORE = re.compile(r"\(\s*[A-ZÉ][^()/]{1,40}/\s*$")
# A line holding a name and at most this many other characters is a by-line ("Anne Roy, à Pau").
BYLINE_REST = 28


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
    def start_token(self) -> int:
        """The first token of the mention: its title when it has one."""
        return self.title.i if self.title is not None else self.span.start

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
    if len(text) >= 4 and text.isupper() and text.isalpha():
        return True  # a surname in capitals may be a word too ("Bruno LE MAIRE")
    return (
        bool(text)
        and text[0].isupper()
        and _capitalised(token)
        and not token.is_punct
        and token.norm_ not in load_roles()
        and token.norm_ not in load_titles()
    )


def _particle_surname(doc: Doc, i: int) -> bool:
    """A capitalised word after a capitalised particle inside a name is a surname, even when it
    is also a role word: "Bruno Le Maire", "Anne Le Préfet"."""
    token = doc[i]
    return (
        i >= 2
        and token.is_alpha
        and token.text[:1].isupper()
        and doc[i - 1].text in {"Le", "La"}
        and doc[i - 1].whitespace_ != ""
        and is_name_token(doc[i - 2])
    )


def _name_part(doc: Doc, i: int) -> bool:
    return is_name_token(doc[i]) or _particle_surname(doc, i)


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
    while end > start and not _name_part(doc, end - 1):
        end -= 1
    return start, end


def _valid_inner(doc: Doc, start: int, end: int) -> bool:
    return all(
        _name_part(doc, t.i) or t.norm_ in NAME_PARTICLES or _attached_hyphen(doc, t.i)
        for t in doc[start:end]
    ) and _name_part(doc, end - 1)


def _title_before(doc: Doc, start: int) -> Token | None:
    if start > 0 and doc[start - 1].norm_ in load_titles():
        title = doc[start - 1]
        if title.text.isupper() and title.is_alpha and len(title) > 1:
            return None  # "CE QUI ME FAIT AVANCER": a headline in capitals, not "Me X"
        return title
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
    # "Manac’h": the tokenizer leaves the letter after the apostrophe apart.
    last = doc[end - 1]
    if (
        end < len(doc)
        and last.text[-1:] in {"'", "\u2019"}
        and not last.whitespace_
        and doc[end].is_alpha
        and doc[end].is_lower
        and len(doc[end]) <= 2
    ):
        end += 1
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
        first_name = (
            first_name_gender(token.text) is not None and is_name_token(token)
        ) or _initial_with_role(doc, i)
        titled = _title_before(doc, i) is not None and is_name_token(token)
        if not (first_name or titled):
            continue
        end = i + 1
        while end < len(doc) and end - i < MAX_NAME_TOKENS and end not in taken:
            nxt = doc[end]
            if is_name_token(nxt) and nxt.pos_ not in NOT_NAME_POS:
                end += 1
            elif nxt.norm_ in NAME_PARTICLES and end + 1 < len(doc) and _name_part(doc, end + 1):
                end += 2
            else:
                break
        if end - i >= 2 or (titled and end - i >= 1):
            candidates.append((i, end))
            taken.update(range(i, end))
    candidates = [
        _cut_before_org(doc, *_join_hyphens(doc, start, end)) for start, end in candidates
    ]
    candidates = [_with_first_name_before(doc, start, end) for start, end in candidates]
    persons: list[Person] = []
    for start, end in sorted(set(candidates)):
        if persons and start < persons[-1].span.end:
            continue
        if _not_a_person(doc, start, end):
            continue
        title = _title_before(doc, start)
        persons.append(Person(doc[start:end], title, _gender(doc, start, title)))
        if title is not None and title.norm_.rstrip(".") in PLURAL_TITLES:
            persons.extend(_listed_after_title(doc, end, title))
    return persons


PLURAL_TITLES = frozenset({"mm", "mmes"})
OF_PARTICLES = frozenset({"de", "du", "des", "d'"})


INITIAL = re.compile(r"^[A-ZÉ]\.$")


def _initial_with_role(doc: Doc, i: int) -> bool:
    """ "B. Valmont, administrateur général": an initial and a surname followed by a role."""
    if not INITIAL.match(doc[i].text) or i + 3 >= len(doc) or _title_before(doc, i + 1):
        return False
    surname, comma = doc[i + 1], doc[i + 2]
    return (
        is_name_token(surname)
        and len(surname) >= 3
        and comma.text == ","
        and role_entry(doc[i + 3 : i + 8].text) is not None
    )


def _with_first_name_before(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """ "Frank Le Rebeller" when the model tagged only "Le Rebeller": a known first name right
    before a surname with a capitalised particle belongs to it."""
    if (
        start > 0
        and doc[start].text in {"Le", "La", "De", "Du", "Des", "Van", "Von", "Di", "Da"}
        and first_name_gender(doc[start - 1].text) is not None
        and is_name_token(doc[start - 1])
        and doc[start - 1].whitespace_
    ):
        return start - 1, end
    return start, end


def _cut_before_org(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """ "Paul Marty de Schneider Electric": a name run on into its company after "de" ends
    before the "de" (the company has a word no name has)."""
    org_words = not_person_words("org_word")
    for i in range(start + 2, end - 1):
        if doc[i].norm_ in OF_PARTICLES and any(t.norm_ in org_words for t in doc[i + 1 : end]):
            return start, i
    return start, end


def _listed_after_title(doc: Doc, i: int, title: Token) -> list[Person]:
    """The surnames a plural title goes on naming: "MM. Barot, Chapuis et Jollet"."""
    found: list[Person] = []
    while i + 1 < len(doc) and doc[i].norm_ in {",", "et"} and is_name_token(doc[i + 1]):
        end = i + 2
        while end < len(doc) and is_name_token(doc[end]) and end - i < MAX_NAME_TOKENS:
            end += 1
        found.append(Person(doc[i + 1 : end], title, None))
        i = end
    return found


def _agency_credit(before: str, after: str) -> bool:
    """Inside an agency's credit in parentheses: "(Anne Roy, avec Paul Gros, édité par Luc Bas)"."""
    opening = before.rfind("(")
    closing = after.find(")")
    if opening < 0 or closing < 0 or ")" in before[opening:]:
        return False
    inside = (before[opening:] + " " + after[:closing]).lower()
    return "édité par" in inside or "éditée par" in inside


# Words that may stand between a role noun and the name it introduces ("l'architecte
# italienne Anna Rossi"); a preposition or a determiner there makes the name the role's
# complement ("président de la filière Vitelor Blé") instead.
_APPOSITION_GAP = frozenset({"ADJ", "PUNCT", "NOUN", "PROPN"})
_APPOSITION_WINDOW = 4


def _plausible_name(doc: Doc, start: int, end: int) -> bool:
    """A name shaped like a person's: it starts with a given name (INSEE's list, which any
    person born in France is in), or ends with one after a surname in capitals ("KADDOURI
    Leïla"), or has a civil title (here or on its surname elsewhere: "Me Halvek"), or stands in
    apposition to a role ("l'architecte Ordyn Halvek", "Yeltan Kaddouri, délégué CGT").
    Companies the model tags as persons ("Sodimar Ondaine", "Kermaho Boisson") have none."""
    if is_given_name(doc[start].text) or _title_before(doc, start) is not None:
        return True
    if end - start >= 2 and doc[start].text.isupper() and is_given_name(doc[end - 1].text):
        return True
    after = doc[end : end + 6]
    if after.text.lstrip(" ,(").strip() and role_entry(after.text.lstrip(" ,(")) is not None:
        return True
    surname = doc[end - 1].norm_
    if any(t.norm_ == surname and _title_before(doc, t.i) is not None for t in doc):
        return True  # "Zofrak Hadrani" is "Me Hadrani" further on
    sentence_start = doc[start].sent.start
    for k in range(start - 1, max(sentence_start, start - _APPOSITION_WINDOW) - 1, -1):
        between = doc[k + 1 : start]
        if any(t.pos_ not in _APPOSITION_GAP or t.text == "," for t in between):
            break
        if role_entry(doc[k:start].text) is not None:
            return True
    return False


def _not_a_person(doc: Doc, start: int, end: int) -> bool:
    """An organisation or place ("Socopa Viandes"), or a journalist's by-line or photo credit."""
    if not _plausible_name(doc, start, end):
        return True
    if any(GLUED_WORDS.search(t.text) for t in doc[start:end]):
        return True  # "Jean RoyPaul Marty": two lines glued by the page's extraction
    if SAINT_PLACE.match(doc[start:end].text):
        return True  # "Saint-Aubin de Lusac": a place named after a saint
    if end - start >= 2 and len(doc[start:end].text.split()[-1]) == 1:
        return True  # "Premier M", a word cut off: no surname is one letter
    # "Aboleris Pharma", "Château Latour", "Picard Surgelés": an organisation or a place.
    if any(t.norm_ in not_person_words("org_word") for t in doc[start:end]):
        return True
    if " ".join(t.norm_ for t in doc[start:end]) in not_person_words("company"):
        return True
    if doc[end - 1].norm_ == "france" and first_name_gender(doc[start].text) is None:
        return True  # "Finsa France", "Cargill France": a company's French arm
    if start > 0 and doc[start - 1].text in HYPHENS and not doc[start - 1].whitespace_:
        return True  # inside a compound place name
    # "les Laboratoires Paul Roux", "le cabinet Grant Thornton", "Saint Jean de Losne"
    if start > 0 and doc[start - 1].norm_ in not_person_words("named_after"):
        return True
    span_text = doc[start:end].text
    if (
        not any(c.isspace() for c in span_text)
        and _title_before(doc, start) is None
        and first_name_gender(doc[start].text) is None
    ):
        return True  # one hyphenated word: "Lejay-Lagoute", "Franche-Comté"
    text = doc_text(doc)
    line_start = text.rfind("\n", 0, doc[start].idx) + 1
    line_end = text.find("\n", doc[end - 1].idx)
    line_end = len(text) if line_end < 0 else line_end
    before = text[line_start : doc[start].idx]
    after = text[doc[end - 1].idx + len(doc[end - 1]) : line_end]
    words = before.replace("(", " ").replace(":", " ").split()
    cues = [k for k, w in enumerate(words[-4:]) if w.lower().strip("–-/,") in CREDIT_CUES]
    # "Photo Yann Tessier", "Crédit photo : X" credit a name; "Interview vidéo exclusive de X"
    # is prose: a lower-case word between the cue and the name.
    if cues and not any(w.isalpha() and w.islower() for w in words[-4:][cues[-1] + 1 :]):
        return True
    lowered = [w.lower() for w in words]
    if lowered[-1:] == ["par"] and (len(lowered) == 1 or set(lowered) & BYLINE_VERBS):
        return True
    if lowered[-1:] == ["par"] and after.lstrip(" ,").lower().startswith(PUBLISHED):
        return True  # "Par Anne Roy Publié le 22/11/2021"
    if before.rstrip().lower().endswith(("article de", "article d'", "article d\u2019")):
        return True  # "Un article d'Anne Roy"
    if BYLINE_DATE_AFTER.match(after) or CREDIT_SLASH_BEFORE.search(before):
        return True  # "Anne Roy - 13 janv. 2021 à 06:30", "(Le Courrier/Anne Roy)"
    if lowered[-1:] == ["par"] and " ".join(lowered[-6:]).startswith("mis à jour"):
        return True  # "Mis à jour le 3 mars par Anne Roy"
    if "|" in after[:3]:
        return True
    if _agency_credit(before, after) or DATE_RE.search(" ".join(words[-3:])):
        return True  # "(Anne Roy, avec Paul Gros, édité par Luc Bas)", "Le Parisien 17/05/2022 X"
    if after.lstrip(" ,").lower().startswith(REPORTER_TITLES):
        return True  # "Anne Roy, envoyée spéciale"
    if CREDIT_AFTER_RE.match(after):
        return True  # "Anne Roy / AFP", "Anne Roy dit :" (a reader's comment)
    if before.lstrip(" -•–").lower().startswith(TEASER_OPENERS):
        return True  # "Lire aussi : Anne Roy quitte la présidence du pôle"
    if text[doc[end - 1].idx + len(doc[end - 1]) :].strip() == "" and before.endswith("."):
        return True  # a signature glued to the article's last sentence: "...structure.Anne Roy"
    if not before.strip() and after.lstrip().startswith(":") and after.rstrip().endswith("?"):
        return True  # the interviewer's question: "Anne Roy : Que change la réforme ?"
    # "Anne Roy,\ndirectrice du pôle": the sentence goes on over the line break.
    following = text[line_end + 1 : line_end + 3].strip()
    if after.rstrip().endswith(",") or (following[:1].islower()):
        return False
    # "Anne Roy\nDirectrice de la communication": a contact block or a caption, not a by-line.
    next_line = text[line_end + 1 : line_end + 80].split("\n", 1)[0]
    if following[:1].isupper() and role_entry(next_line) is not None:
        return False
    rest = (before + after).strip(" \t,.–-:")
    if len(rest) > BYLINE_REST:
        return False
    return not any(t.norm_ in load_roles() for t in doc[start:end].sent if not t.is_space)


def full_names_by_surname(persons: list[Person]) -> dict[str, str]:
    """Surname norm -> the full name it belongs to, when only one full name has that surname."""
    names: dict[str, set[str]] = {}
    for person in persons:
        if person.full:
            names.setdefault(person.surname_key, set()).add(person.name)
    return {key: next(iter(found)) for key, found in names.items() if len(found) == 1}
