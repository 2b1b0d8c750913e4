"""Officials: a person named with a role (and an organisation when stated), plus later mentions.

Persons come from `persons.find_persons`; roles from `patterns/roles.csv` matched on NORM. A role
phrase is its head ("vice-présidente"), a qualifier ("chargée de l'économie") and an
organisation ("de la Région"). Persons and role phrases are linked by position (apposition,
role before, possessive, verbal cues, "respectivement"), then later mentions ("M. Mérand",
"Mérand", "la vice-présidente") are resolved to the names already linked in the article.

Every role of a person is kept (one mention per role). `role` is the role as written, with its
gender, its complement and verbal forms ("présidente de l'agglomération", "présidé par");
`role_normalised` is the masculine singular role without its organisation ("président"), and
`role_category` the kind of office.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from pipeline.nlp.doctools import (
    doc_text,
    entity_at,
    noun_chunk_at,
    sentence_ents,
    sentence_of,
)
from pipeline.nlp.mention import Mention, add_mention, doc_mentions
from pipeline.nlp.normalizer.normalizer import normalize_text
from pipeline.nlp.officials.lexicon import (
    RoleEntry,
    RoleVerb,
    load_qualifiers,
    load_role_verbs,
    load_roles,
    load_speech_verbs,
    norm_key,
    normalize_role,
    org_category,
    role_category,
    role_entry,
)
from pipeline.nlp.officials.persons import Person, find_persons, full_names_by_surname

ARTICLES = frozenset({"le", "la", "les", "l'"})
DE_PREPOSITIONS = frozenset({"de", "du", "des", "d'"})
PREPOSITIONS = DE_PREPOSITIONS | {"à", "au", "aux", "chez"}
DETERMINERS = frozenset(
    {
        "le",
        "la",
        "l'",
        "les",
        "un",
        "une",
        "son",
        "sa",
        "ses",
        "leur",
        "notre",
        "cette",
        "ce",
        "cet",
    }
)
# Counts before a plural role ("les deux délégués syndicaux").
COUNTS = frozenset({"deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"})
POSSESSIVES = frozenset({"son", "sa", "ses", "leur", "leurs"})
DEFINITE = frozenset({"le", "la", "l'"})
DEMONSTRATIVE = frozenset({"ce", "cet", "cette"})
# Words allowed between a determiner and a role ("la nouvelle directrice").
PRE_MODIFIERS = frozenset({"nouveau", "nouvel", "nouvelle", "actuel", "actuelle", "jeune"})
# Ordinals before a role ("3e vice-président", "deuxième adjointe"), kept in the written role.
ORDINAL = re.compile(
    r"^(\d+(e|er|re|ère|eme|ème|è)|premier|première|deuxième|second|seconde"
    r"|[a-zé]+ième|[a-z]+ieme)$"
)
# Words between "par" and the agent's name ("par le Brestois X", "par son père X").
MAX_AGENT_GAP = 3
# Words opening a duration before a post ("Après 12 ans à la tête du pôle, X").
DURATION_OPENERS = frozenset({"après", "depuis", "pendant", "durant"})
# The longest bracket between a name and its apposition ("X (Menuiseries B & D), trésorier").
MAX_BRACKET_AFTER_NAME = 8
# "Le président du pôle est X": the copulas that may put the role before the name.
REVERSED_COPULAS = frozenset({"est", "était", "sera", "fut", "reste", "demeure", "devient"})
# The parser's labels of a grammatical subject.
SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass"})
# "X et Y sont respectivement président et trésorière".
PLURAL_COPULAS = frozenset(
    {"sont", "seront", "étaient", "furent", "restent", "deviennent", "demeurent"}
)
# A role glued to this prefix is a former one ("ex-PDG").
EX_PREFIX = "ex-"
# Adjectives and adverbs between a determiner and a role ("son très actif PDG").
MAX_PRE_ADJECTIVES = 3
# A role preceded by one of these is not held now ("l'ancien maire").
FORMER = frozenset({"ancien", "ancienne", "ex", "ex-", "futur", "future", "prochain", "prochaine"})
TAIL_POS = frozenset({"DET", "NOUN", "PROPN", "ADJ", "NUM"})
MAX_TAIL_TOKENS = 24
# How far a sentence-initial role may run on before the comma and the name it introduces
# ("Conseillère régionale déléguée à l'agriculture et à l'alimentation, Magali Teisseire").
MAX_CLAUSE_GAP = 12
CLOSING_QUOTES = frozenset({'"', "»", "\u201d"})
CLAUSE_OPENERS = frozenset({",", ":", ";", "(", '"', "«", ".", "!", "?"})
ORG_LABELS = frozenset({"ORG", "MISC"})
# An organisation written only as its kind ("le directeur du pôle") is the article's cluster.
GENERIC_CLUSTER_NOUNS = frozenset(
    {"pôle", "cluster", "technopole", "technopôle", "grappe", "réseau", "pôle de compétitivité"}
)
# Adverbs allowed between an incise and the verb that gives a role ("préside par ailleurs").
ADVERBS = frozenset(
    {
        "aussi", "également", "egalement", "désormais", "toujours", "déjà", "récemment",
        "actuellement", "aujourd'hui", "lui-même", "elle-même", "officiellement",
        "alors", "précédemment", "auparavant", "anciennement", "jusqu'", "ici", "jusque-là",
        "naguère",
    }
)  # fmt: skip
PRONOUN_GENDER = {"il": "m", "elle": "f"}
# Words allowed between a participle and its "par" ("présidé aujourd'hui par").
MAX_PARTICIPLE_GAP = 3
# Incises between a name and its role ("X, par ailleurs directeur de Y", "X, en personne, ...").
# "la nomination de X comme directrice générale"
APPOINTING_NOUNS = frozenset(
    {"nomination", "élection", "réélection", "désignation", "arrivée", "promotion"}
)
AVOIR = frozenset({"a", "ont", "avait", "avaient", "aura", "auront", "avoir", "ayant"})
# The first letters of the verbs whose object leaves the post the subject takes.
SUCCESSION_VERBS = frozenset({"remplac", "succède", "succede", "succédé", "succéde"})
# "Le conseil a élu X président": the verb forms whose object takes the role that follows.
APPOINTING_VERBS = frozenset(
    {"élu", "élue", "élit", "réélu", "réélue", "nommé", "nommée", "nomme", "désigné", "désignée",
     "choisi", "choisie", "renouvelé", "renouvelée", "reconduit", "reconduite", "porté", "portée"}
)  # fmt: skip
# "a été officiellement élu", "vient d'être nommée": at most this many words before "à la tête".
MAX_APPOINTMENT_WORDS = 5
# "Le 31 août, le nouveau député ...": the longest circumstance before a role opening a sentence.
MAX_CIRCUMSTANCE = 8
APPOINTMENT_GLUE = frozenset(
    {"d'", "de", "être", "été", "hier", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
     "samedi", "dimanche"}
)  # fmt: skip
INCISES = (
    ("par", "ailleurs"), ("en", "personne", ","), ("quant", "à", "lui"), ("à", "la", "fois"),
)  # fmt: skip
# Dashes that open an apposition as a comma does ("Paul Roux – président de X –").
APPOSITION_DASHES = frozenset({"–", "—"})

CONFIDENCE = {
    "apposition": 0.9,
    "role_before": 0.85,
    "role_before_comma": 0.8,
    "copula": 0.8,
    "respectivement": 0.8,
    "possessive": 0.75,
    "verb_by": 0.75,
    "verb_relative": 0.75,
    "verb_fronted": 0.7,
    "introduced": 0.7,
    "appointed": 0.75,
    "pronoun": 0.6,
    "next_sentence": 0.6,
    "coref_name": 0.7,
    "coref_title": 0.65,
    "coref_surname": 0.55,
    "coref_role": 0.5,
}


@dataclass
class RolePhrase:
    """A role as written: determiner/modifiers, the lexicon head, its qualifier and organisation."""

    start: int
    head_start: int
    end: int
    entry: RoleEntry
    role_text: str
    determiner: str | None
    former: bool
    org: str | None = None
    org_chars: tuple[int, int] | None = None
    written: str = ""


@dataclass
class Link:
    """The role found for one person occurrence, with the rule that found it."""

    role: str
    entry: RoleEntry | None
    org: str | None
    rule: str
    org_chars: tuple[int, int] | None = None
    phrase: RolePhrase | None = None
    written: str = ""


@dataclass
class Known:
    """What the article says about one official, for resolving later mentions."""

    name: str
    role: str
    org: str | None
    category: str
    base_role: str
    positions: list[int] = field(default_factory=list)
    normalised: str = ""


def _fwd(doc: Doc, i: int) -> int:
    """Token `i`, or the first token after it that is not a line break or run of spaces."""
    while i < len(doc) and doc[i].is_space:
        i += 1
    return i


def _back(doc: Doc, i: int) -> int:
    """The last token before `i` that is not a line break or run of spaces (-1 if none)."""
    i -= 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    return i


def _index_phrases(doc: Doc, phrases: list[RolePhrase]) -> tuple[dict, dict]:
    """Role phrases by start and by end, also reachable across line breaks beside them."""
    by_start: dict[int, RolePhrase] = {}
    by_end: dict[int, RolePhrase] = {}
    for phrase in phrases:
        by_start[phrase.start] = phrase
        i = phrase.start - 1
        while i >= 0 and doc[i].is_space:
            by_start[i] = phrase
            i -= 1
        by_end[phrase.end] = phrase
        by_end.setdefault(_fwd(doc, phrase.end), phrase)
        past = _past_parenthesis(doc, phrase.end)
        if past != phrase.end and past - phrase.end <= 4:
            # "le président de la communauté de communes des Savanes (CCDS), X"
            by_end.setdefault(past, phrase)
        if phrase.end < len(doc) and doc[phrase.end].text in CLOSING_QUOTES:
            # "à la demande de « la ministre des Outre-mer » Anne Roy"
            by_end.setdefault(_fwd(doc, phrase.end + 1), phrase)
    return by_start, by_end


def _adjective(doc: Doc, i: int) -> bool:
    return i < len(doc) and doc[i].pos_ == "ADJ" and doc[i].is_lower and doc[i].is_alpha


def _lone_and(doc: Doc, chunk: list, i: int) -> bool:
    """The chunk is the bare "et" right before token `i`: the preposition at `i` goes with it."""
    return chunk[0] == "prep" and chunk[1] + 1 == chunk[2] == i and doc[chunk[1]].norm_ == "et"


def _strip_articles(doc: Doc, start: int, end: int) -> int:
    while start < end and doc[start].norm_ in ARTICLES:
        start += 1
    return start


class OfficialsComponent:
    """Add `official` mentions (name, role, org, role_category) to each doc."""

    def __init__(self, nlp: Language, name: str, resolve_later_mentions: bool = True) -> None:
        self.name = name
        self.resolve_later_mentions = resolve_later_mentions
        self.roles = load_roles()
        self.qualifiers = load_qualifiers()
        self.role_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.role_matcher.add("ROLE", [self._pattern(nlp, form) for form in self.roles])
        self.verbs = {verb.form: verb for verb in load_role_verbs()}
        self.verb_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.verb_matcher.add("VERB", [self._pattern(nlp, form) for form in self.verbs])
        self.participles = {
            norm_key(form[: -len(" par")]): verb
            for form, verb in self.verbs.items()
            if form.endswith(" par") and len(form.split()) == 2
        }

    @staticmethod
    def _pattern(nlp: Language, form: str) -> Doc:
        if form.endswith(("'", "\u2019")):
            # A final elision ("à la tête d'") only splits as in running text before a word.
            pattern = nlp.make_doc(form + "un")[:-1].as_doc()
        else:
            pattern = nlp.make_doc(form)
        for token in pattern:
            token.norm_ = normalize_text(token.text)
        return pattern

    def _verb_matches(self, doc: Doc) -> list[tuple[int, int, RoleVerb]]:
        """Verbal cues: the listed forms, and a participle whose "par" comes a few words later
        ("présidé aujourd'hui par", "créée en 2010 par")."""
        found = [(s, e, self.verbs[norm_key(doc[s:e].text)]) for _, s, e in self.verb_matcher(doc)]
        listed = {s for s, _, _ in found}
        for token in doc:
            verb = self.participles.get(token.norm_)
            if verb is None or token.i in listed:
                continue
            for j in range(token.i + 2, min(len(doc), token.i + 2 + MAX_PARTICIPLE_GAP)):
                if doc[j].norm_ == "par":
                    found.append((token.i, j + 1, verb))
                    break
                if doc[j].is_punct or doc[j].is_space or doc[j].pos_ in ("VERB", "AUX"):
                    break
        return sorted(found, key=lambda f: f[0])

    # ---------------------------------------------------------------- role phrases

    def _starts_domain(self, norm: str) -> bool:
        return self.qualifiers.get(norm, ("", False))[1]

    def _continues(self, doc: Doc, i: int) -> bool:
        token = doc[i]
        if _spaced_dash(doc, i) and not (i + 1 < len(doc) and doc[i + 1].text[:1].isupper()):
            return False  # "X - directeur de l'agence - a dit": the dash closes the role
        if token.text in {"-", "&"} or token.norm_ in {"l'", "d'"}:
            return True
        if token.is_punct:
            return False
        if i > 0 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_:
            return True  # "start-up", "Saint-Denis"
        return token.pos_ in TAIL_POS or token.text[:1].isupper()

    def _modifies_role(self, token, nouns: int) -> bool:
        """A lower-case adjective ("syndical") or, up to two, bare nouns ("responsable
        communication", "directeur innovation") right after a role head are part of the role."""
        if not token.text.islower() or not token.is_alpha or self._starts_domain(token.norm_):
            return False
        return token.pos_ == "ADJ" or (token.pos_ == "NOUN" and nouns < 2)

    def _org_looking(self, doc: Doc, start: int, end: int) -> bool:
        body = [t for t in doc[start:end] if t.norm_ not in PREPOSITIONS | ARTICLES | {"et"}]
        if any(t.text[:1].isupper() for t in body):
            return True
        return org_category(" ".join(t.text for t in body)) is not None

    def _parse_phrase(self, doc: Doc, head: Span, blocked: set[int]) -> RolePhrase | None:
        key = norm_key(head.text)
        entry = self.roles.get(key) or self.roles.get(key.removeprefix(EX_PREFIX))
        if entry is None:
            return None
        start = head.start
        determiner = None
        former = key.startswith(EX_PREFIX) and key not in self.roles
        while start > 0 and (
            doc[start - 1].norm_ in PRE_MODIFIERS | FORMER or ORDINAL.match(doc[start - 1].norm_)
        ):
            former = former or doc[start - 1].norm_ in FORMER
            start -= 1
        while start > 0 and entry.plural and doc[start - 1].norm_ in COUNTS:
            start -= 1  # "les deux délégués syndicaux"
        written_start = start
        # "son très actif PDG", "l'emblématique président": adjectives between a determiner
        # and the role, kept out of the written role.
        modifiers = start
        while (
            modifiers > 0
            and start - modifiers < MAX_PRE_ADJECTIVES
            and (
                doc[modifiers - 1].pos_ in ("ADJ", "ADV")
                and doc[modifiers - 1].is_alpha
                and doc[modifiers - 1].is_lower
            )
        ):
            modifiers -= 1
        if modifiers < start and modifiers > 0 and doc[modifiers - 1].norm_ in DETERMINERS:
            start = modifiers
        if start > 0 and doc[start - 1].norm_ in DETERMINERS:
            start -= 1
            determiner = doc[start].norm_
        elif (
            entry.plural
            and start > 1
            and doc[start - 1].norm_ == "des"
            and doc[start - 2].norm_ in {"un", "une"}
        ):
            # "l'un des fondateurs", "une des associées": one person of a plural role.
            start -= 3 if start > 2 and doc[start - 3].norm_ == "l'" else 2
            written_start, determiner = start, "un"
        if head.start > 0 and doc[head.start - 1].text.endswith("-"):
            former = former or doc[head.start - 1].norm_.startswith("ex")

        i = head.end
        limit = min(len(doc), head.end + MAX_TAIL_TOKENS)
        nouns = 0
        while i < limit and i not in blocked:
            token = doc[i]
            if token.is_space and token.text.count("\n") == 1 and i + 1 < limit:
                # "délégué\nsyndical CGT": a role cut by a line break in a PDF page.
                if self._modifies_role(doc[i + 1], nouns):
                    i += 1
                    continue
                break
            if not self._modifies_role(token, nouns):
                break
            nouns += token.pos_ == "NOUN"
            i += 1
        # "déléguée CFDT", "représentant FO": a union or body in capitals right after the role.
        while (
            i < limit
            and i not in blocked
            and len(doc[i].text) >= 2
            and doc[i].text.replace("-", "").replace("&", "").isalpha()
            and doc[i].text.isupper()
            and not doc[i].is_sent_start
        ):
            i += 1
        # "le maire (PS) de Pau", "élu (LR) en charge de": a party label inside the role.
        if i < limit and i not in blocked and doc[i].text == "(":
            close = _past_parenthesis(doc, i)
            if close != i and close - i <= 4:
                i = close
        head_text_end = i
        chunks: list[list] = []
        while i < limit and i not in blocked:
            norm = doc[i].norm_
            following = doc[i + 1].norm_ if i + 1 < len(doc) else ""
            if norm == "," and chunks and following in PREPOSITIONS and i + 2 < limit:
                # "ministre de l'Agriculture, de l'Alimentation et de la Pêche"
                body = _strip_articles(doc, i + 2, min(len(doc), i + 4))
                if body < len(doc) and doc[body].text[:1].isupper() and body not in blocked:
                    i += 1
                    continue
                break
            if not chunks and doc[i].pos_ == "PROPN" and doc[i].text[:1].isupper():
                chunks.append(["name", i, i + 1])  # "préfet de région Bourgogne-Franche-Comté"
            elif self._starts_domain(norm) or (norm == "en" and following == "charge"):
                chunks.append(["qual", i, i + 1])
            elif norm == "et" and chunks and _adjective(doc, i + 1):
                chunks[-1][2] = i + 1  # "à l'économie sociale et solidaire"
            elif norm in PREPOSITIONS and chunks and _lone_and(doc, chunks[-1], i):
                chunks[-1][2] = i + 1  # "à l'économie sociale et à l'innovation"
            elif norm in PREPOSITIONS or (norm == "et" and chunks and following in PREPOSITIONS):
                chunks.append(["prep", i, i + 1])
            elif chunks and self._continues(doc, i):
                chunks[-1][2] = i + 1
            else:
                break
            i += 1

        qualifiers: list[tuple[int, int]] = []
        org: tuple[int, int] | None = None
        end = head_text_end
        state = None
        for kind, c_start, c_end in chunks:
            first = doc[c_start].norm_
            if kind == "qual":
                qualifiers.append((c_start, c_end))
                state, end = "qual", c_end
                continue
            if kind == "name":
                org, state, end = (c_start, c_end), "org", c_end
                continue
            body_start = c_start + (2 if first == "et" else 1)
            if _strip_articles(doc, body_start, c_end) >= c_end:
                break
            if state == "org":
                if first not in DE_PREPOSITIONS:
                    break
                org, end = (org[0], c_end), c_end
            elif org is None and self._org_looking(doc, c_start, c_end):
                org, state, end = (c_start, c_end), "org", c_end
            else:
                qualifiers.append((c_start, c_end))
                state, end = "qual", c_end

        pieces = [doc[head.start : head_text_end].text] + [doc[s:e].text for s, e in qualifiers]
        phrase = RolePhrase(start, head.start, end, entry, " ".join(pieces), determiner, former)
        phrase.written = doc[written_start:end].text
        if org is not None:
            first = doc[org[0]].norm_
            body = org[0] + (2 if first == "et" else 1)
            if chunks and chunks[0][0] == "name" and chunks[0][1] == org[0]:
                body = org[0]
            body = _strip_articles(doc, body, org[1])
            span = doc[body : org[1]]
            phrase.org = span.text
            phrase.org_chars = (span.start_char, span.end_char)
        return phrase

    def _role_phrases(self, doc: Doc, blocked: set[int]) -> list[RolePhrase]:
        heads = [doc[s:e] for _, s, e in self.role_matcher(doc)]
        # "ex-PDG", "ex-présidente" written as one token: a former role.
        heads += [
            doc[t.i : t.i + 1]
            for t in doc
            if t.norm_.startswith(EX_PREFIX) and t.norm_.removeprefix(EX_PREFIX) in self.roles
        ]
        heads = [h for h in heads if not any(i in blocked for i in range(h.start, h.end))]
        # "Le conseil a élu X": a participle after "avoir" is the verb, not "un élu".
        heads = [
            h
            for h in heads
            if not (h.start > 0 and doc[h.start - 1].norm_ in AVOIR and doc[h.start].pos_ == "VERB")
        ]
        # Longest head first, then no overlaps: "président du directoire" beats "président".
        chosen: list[Span] = []
        for head in sorted(heads, key=lambda h: (-(h.end - h.start), h.start)):
            if all(head.end <= c.start or head.start >= c.end for c in chosen):
                chosen.append(head)
        phrases = []
        for head in sorted(chosen, key=lambda h: h.start):
            phrase = self._parse_phrase(doc, head, blocked)
            if phrase is not None:
                phrases.append(phrase)
        return phrases

    # ---------------------------------------------------------------- organisations by context

    def _context_org(self, doc: Doc, index: int) -> tuple[str, tuple[int, int]] | None:
        """The last cluster or ORG named before token `index`, in its or the previous sentence."""
        sent = sentence_of(doc, index)
        window_start = (
            sentence_of(doc, sent.start - 1).start_char if sent.start > 0 else sent.start_char
        )
        before_char = doc[index].idx
        candidates: list[tuple[int, int, str]] = []
        for mention in doc_mentions(doc, "cluster"):
            if window_start <= mention.start and mention.end <= before_char:
                candidates.append((mention.start, mention.end, mention.fields.get("name") or ""))
        for ent in sentence_ents(doc, window_start, before_char):
            if ent.label_ in ORG_LABELS:
                span = doc[_strip_articles(doc, ent.start, ent.end) : ent.end]
                candidates.append((span.start_char, span.end_char, span.text))
        window = doc.char_span(window_start, before_char, alignment_mode="contract")
        for start, end in self._named_orgs(doc, window.start if window else index, index):
            span = doc[start:end]
            candidates.append((span.start_char, span.end_char, span.text))
        candidates = [c for c in candidates if c[2]]
        if not candidates:
            return None
        start, end, text = max(candidates, key=lambda c: (c[1], c[1] - c[0]))
        return text, (start, end)

    def _named_orgs(self, doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
        """Token ranges like "groupe Lacroix Électronique": an organisation noun and a name."""
        found = []
        for i in range(start, end - 1):
            if doc[i].text[:1].isupper() or org_category(doc[i].text) is None:
                continue
            j = i + 1
            while j < end and doc[j].text[:1].isupper() and not doc[j].is_punct:
                j += 1
            if j > i + 1:
                found.append((i, j))
        return found

    def _org_before(self, doc: Doc, index: int) -> tuple[str, tuple[int, int]] | None:
        """The organisation just before token `index` ("le pôle X, présidé par")."""
        i = index - 1
        while i >= 0 and doc[i].text == ",":
            i -= 1
        if i < 0:
            return None
        token = doc[i]
        for mention in doc_mentions(doc, "cluster"):
            if mention.start <= token.idx < mention.end:
                return mention.fields.get("name") or mention.text, (mention.start, mention.end)
        found = entity_at(doc, i) if token.ent_type_ else None
        found = found or noun_chunk_at(doc, i)
        if found is not None and any(t.is_punct or t.ent_type_ == "PER" for t in found):
            found = _noun_phrase_back(doc, i)  # the parser's chunk ran over a whole clause
        if found is None:
            return None
        start = _strip_articles(doc, found.start, found.end)
        span = doc[start : found.end]
        return span.text, (span.start_char, span.end_char)

    def _org_after(self, doc: Doc, index: int) -> tuple[str, tuple[int, int]] | None:
        """The organisation phrase starting at token `index` ("qui dirige la PME Lacroix")."""
        start = _strip_articles(doc, index, min(len(doc), index + 3))
        end = start
        while end < len(doc) and end - start < 8:
            token = doc[end]
            name_part = self._continues(doc, end) and token.pos_ != "DET"
            if name_part or (token.norm_ in PREPOSITIONS and end + 1 < len(doc) and end > start):
                end += 1
            else:
                break
        while end > start and doc[end - 1].norm_ in PREPOSITIONS | ARTICLES:
            end -= 1
        if end <= start:
            return None
        span = doc[start:end]
        return span.text, (span.start_char, span.end_char)

    # ---------------------------------------------------------------- linking

    @staticmethod
    def _article_cluster(doc: Doc, org: str | None, before_char: int):
        """ "le pôle", "du cluster": the cluster the article named last before (else first)."""
        if org is None or norm_key(org) not in GENERIC_CLUSTER_NOUNS:
            return None
        clusters = sorted(doc_mentions(doc, "cluster"), key=lambda m: m.start)
        if not clusters:
            return None
        earlier = [m for m in clusters if m.end <= before_char]
        chosen = earlier[-1] if earlier else clusters[0]
        return chosen.fields.get("name") or chosen.text, (chosen.start, chosen.end)

    def _link_from_phrase(self, doc: Doc, phrase: RolePhrase, rule: str) -> Link:
        org, org_chars = phrase.org, phrase.org_chars
        resolved = self._article_cluster(doc, org, doc[phrase.start].idx)
        if resolved is not None:
            org, org_chars = resolved
        if phrase.determiner in POSSESSIVES:
            rule = "possessive"
            if org is None:
                found = self._context_org(doc, phrase.start)
                if found:
                    org, org_chars = found
        return Link(phrase.role_text, phrase.entry, org, rule, org_chars, phrase, phrase.written)

    def _link_persons(
        self, doc: Doc, persons: list[Person], phrases: list[RolePhrase]
    ) -> dict[int, Link]:
        by_start, by_end = _index_phrases(doc, phrases)
        person_ends = {_fwd(doc, p.span.end) for p in persons}
        verbs = self._verb_matches(doc)
        links: dict[int, Link] = {}
        claimed: set[int] = set()

        for k, person in enumerate(persons):
            begin = person.title.i if person.title is not None else person.span.start
            phrase = by_end.get(begin)
            if phrase is not None:
                links[k] = self._link_from_phrase(doc, phrase, "role_before")
                claimed.add(phrase.start)
                continue
            after = _fwd(doc, person.span.end)
            party = _past_parenthesis(doc, after)
            if (
                after < party <= after + MAX_BRACKET_AFTER_NAME
                and party < len(doc)
                and doc[party].text == ","
                and after + 1 not in by_start
            ):
                after = party  # "Paul Marty (PS), maire de Pau", not "Paul Marty (trésorier),"
            comma = _back(doc, begin)
            if after < len(doc) and (doc[after].text in {",", "("} or _spaced_dash(doc, after)):
                phrase = by_start.get(after + 1) or by_start.get(_past_incise(doc, after + 1))
                before = by_end.get(comma) if comma >= 0 and doc[comma].text == "," else None
                if before is not None and (
                    before.start in claimed
                    or (
                        doc[_back(doc, before.start)].text == ","
                        and _back(doc, before.start) in person_ends
                    )
                ):
                    before = None  # "X, sous-préfète de Y, Z, députée" : X's role, not Z's
                if phrase is not None and phrase.org is None and before and before.org:
                    # "La présidente de X, Sylvie Garnier, conseillère régionale" : keep the org.
                    links[k] = self._link_from_phrase(doc, before, "role_before_comma")
                    claimed.update({before.start, phrase.start})
                    continue
                if phrase is not None:
                    links[k] = self._link_from_phrase(doc, phrase, "apposition")
                    claimed.add(phrase.start)
                    continue
            for v_start, v_end, verb in verbs:
                relative = after + 1 < len(doc) and doc[_fwd(doc, after + 1)].norm_ == "qui"
                copula_at = v_start in (after, party) or (
                    after < len(doc)
                    and doc[after].text == ","
                    and v_start
                    in (
                        _fwd(doc, after + 1),
                        _past_incise(doc, after + 1),
                        # "X, qui est aussi maire de Y"
                        _fwd(doc, _fwd(doc, after + 1) + 1) if relative else -1,
                    )
                )
                role_at = _past_adverbs(doc, v_end)
                if verb.direction == "copula" and copula_at and role_at in by_start:
                    phrase = by_start[role_at]
                    links[k] = self._link_from_phrase(doc, phrase, "copula")
                    claimed.add(phrase.start)
                    break
            if k in links:
                continue
            # "Marie Roux la présidente de l'université", "Paul Brun président du conseil"
            phrase = by_start.get(after) if after == person.span.end else None
            phrase = phrase or by_start.get(person.span.end)
            if phrase is not None and phrase.determiner in (None, *DEFINITE, "son", "sa"):
                links[k] = self._link_from_phrase(doc, phrase, "apposition")
                claimed.add(phrase.start)
                continue
            # "L'association, dont le président est X", "La directrice du pôle sera Y"
            for v_start, v_end, verb in verbs:
                if norm_key(verb.form) not in REVERSED_COPULAS or _fwd(doc, v_end) != begin:
                    continue
                phrase = by_end.get(v_start)
                if phrase is not None and phrase.determiner in DEFINITE and not phrase.former:
                    if phrase.start not in claimed:
                        links[k] = self._link_from_phrase(doc, phrase, "copula")
                        claimed.add(phrase.start)
                    break

        self._link_respectively(doc, persons, phrases, links)

        for k, person in enumerate(persons):
            if k in links:
                continue
            begin = person.title.i if person.title is not None else person.span.start
            comma = _back(doc, _past_demonym_back(doc, begin))
            for v_start, v_end, verb in verbs:
                org = None
                if verb.direction == "person_after" and _names_after(doc, v_end, begin):
                    org, rule = self._org_before(doc, v_start), "verb_by"
                elif verb.direction == "person_before" and self._verb_after(doc, person, v_start):
                    org, rule = self._org_after(doc, v_end), "verb_relative"
                elif verb.direction == "person_before" and _fronted(doc, v_start, v_end, comma):
                    org, rule = self._org_after(doc, v_end), "verb_fronted"
                else:
                    continue
                links[k] = self._verb_link(doc, v_start, v_end, verb.role, org, rule)
                break
            if k in links or comma < 1 or doc[comma].text not in {",", ":"}:
                continue
            phrase = by_end.get(comma)
            if doc[comma].text == ",":
                phrase = phrase or self._clause_role(doc, phrases, comma)
            if phrase is None or phrase.start in claimed:
                continue
            # "X, maire de Pau, Y" : the role is X's apposition, not Y's.
            if (
                doc[_back(doc, phrase.start)].text == ","
                and _back(doc, phrase.start) in person_ends
            ):
                continue
            links[k] = self._link_from_phrase(doc, phrase, "role_before_comma")
            claimed.add(phrase.start)
        self._share_in_lists(doc, persons, phrases, links, claimed)
        return links

    @staticmethod
    def _listed_with(doc: Doc, persons: list[Person], k: int, step: int) -> list[int]:
        """The persons listed right before (`step` -1) or after (+1) person `k`, joined by a
        comma or "et" ("A, B et C")."""
        found: list[int] = []
        while 0 <= k + step < len(persons):
            pair = (persons[k], persons[k + step])
            left, right = pair[::-1] if step < 0 else pair
            # "A (CCI Sud) et B (CCI Nord)": each name may carry its organisation in brackets.
            after_left = _past_parenthesis(doc, _fwd(doc, left.span.end))
            between = [t for t in doc[after_left : right.start_token] if not t.is_space]
            if not between or len(between) > 2 or any(t.norm_ not in {",", "et"} for t in between):
                break
            k += step
            found.append(k)
        return found

    def _share_in_lists(
        self, doc: Doc, persons: list[Person], phrases: list[RolePhrase], links: dict[int, Link],
        claimed: set[int],
    ) -> None:  # fmt: skip
        """A plural role or a verb shared by a list of people: "A, B et C, délégués syndicaux",
        "les trois fondateurs, A, B et C", "créé par A et B"."""
        for k in sorted(links):
            link = links[k]
            shared = link.rule == "verb_by" or (
                link.phrase is not None and link.phrase.entry.plural
            )
            if not shared:
                continue
            step = -1 if link.rule in ("apposition", "copula") else 1
            for other in self._listed_with(doc, persons, k, step):
                links.setdefault(other, replace(link))
        # A plural role, a dash, colon or comma, the list: "dirigeants fondateurs – A, B et C"
        for phrase in phrases:
            if phrase.former or phrase.start in claimed or not phrase.entry.plural:
                continue
            j = _fwd(doc, phrase.end)
            if j < len(doc) and doc[j].text in {"-", "–", "—", ":", ","}:
                j = _fwd(doc, j + 1)
            k = next((n for n, p in enumerate(persons) if p.start_token == j), None)
            if k is None or k in links:
                continue
            claimed.add(phrase.start)
            for other in [k, *self._listed_with(doc, persons, k, 1)]:
                links.setdefault(other, self._link_from_phrase(doc, phrase, "role_before_comma"))

    def _phrase_before_comma(
        self, doc: Doc, persons: list[Person], phrases: list[RolePhrase], begin: int, used: set
    ) -> RolePhrase | None:
        """The role ending at the comma before a name, when it belongs to no one before."""
        comma = _back(doc, begin)
        if comma < 1 or doc[comma].text != ",":
            return None
        _, by_end = _index_phrases(doc, phrases)
        phrase = by_end.get(comma) or self._clause_role(doc, phrases, comma)
        if phrase is None or id(phrase) in used:
            return None
        person_ends = {_fwd(doc, p.span.end) for p in persons}
        before = _back(doc, phrase.start)
        if before >= 0 and doc[before].text == "," and before in person_ends:
            return None
        return phrase

    @staticmethod
    def _verb_link(
        doc: Doc, v_start: int, v_end: int, role: str, org: tuple[str, tuple[int, int]] | None,
        rule: str,
    ) -> Link:  # fmt: skip
        """A role carried by a verb: written as the verb ("présidé par"), normalised as a noun."""
        return Link(
            role, role_entry(role), org[0] if org else None, rule, org[1] if org else None,
            None, doc[v_start:v_end].text,
        )  # fmt: skip

    def _verb_after(self, doc: Doc, person: Person, v_start: int) -> bool:
        """The verb follows the person, right after it, after a comma, or after an incise."""
        after = _fwd(doc, person.span.end)
        if after >= len(doc):
            return False
        if v_start == after or (doc[after].text == "," and v_start == _fwd(doc, after + 1)):
            return not _replaced(doc, person)
        # "X a été élu à la présidence du pôle", "Y vient d'être nommée à la tête de l'agence"
        if doc[v_start].norm_ in {"à", "aux"} and _past_appointment(doc, after) == v_start:
            return not _replaced(doc, person)
        # "X, à la tête d'un groupe familial, préside aussi le pôle"
        if after >= len(doc) or doc[after].text != "," or v_start - after > MAX_CLAUSE_GAP + 2:
            return False
        gap = doc[after + 1 : v_start]
        closing = [t.i for t in gap if t.text == ","]
        if not closing:
            return False
        last = closing[-1]
        if any(t.norm_ not in ADVERBS for t in doc[last + 1 : v_start]):
            return False
        inner = doc[after + 1 : last]
        return len(inner) > 0 and not any(
            t.pos_ in ("VERB", "AUX") or t.ent_type_ == "PER" or t.text in {".", ";", ":"}
            for t in inner
        )

    def _more_links(
        self,
        doc: Doc,
        persons: list[Person],
        phrases: list[RolePhrase],
        links: dict[int, Link],
    ) -> dict[int, list[Link]]:
        """Every further role of a person: chained roles ("député et maire de X, président de
        Y"), an apposition after a role before the name, a verb, a role opening the next sentence.
        """
        by_start, _ = _index_phrases(doc, phrases)
        used = {id(link.phrase) for link in links.values() if link.phrase is not None}
        verbs = self._verb_matches(doc)
        more: dict[int, list[Link]] = {}

        def add(k: int, link: Link) -> None:
            more.setdefault(k, []).append(link)
            if link.phrase is not None:
                used.add(id(link.phrase))

        def chain(k: int, phrase: RolePhrase) -> None:
            j = _past_parenthesis(doc, _fwd(doc, phrase.end))
            while j + 1 < len(doc) and doc[j].norm_ in {"et", ","}:
                nxt = by_start.get(j + 1)
                if nxt is None or id(nxt) in used or nxt.determiner in POSSESSIVES:
                    break
                add(k, self._link_from_phrase(doc, nxt, "apposition"))
                j = _past_parenthesis(doc, _fwd(doc, nxt.end))

        def chain_back(k: int, phrase: RolePhrase) -> None:
            # "Présidente de la technopole et maire du Haillan, X"
            j = _back(doc, phrase.start)
            while j > 0 and doc[j].norm_ in {"et", ","}:
                prev = next((p for p in phrases if p.end == j and not p.former), None)
                if prev is None or id(prev) in used or prev.determiner in POSSESSIVES:
                    break
                if doc[_back(doc, prev.start)].text == ",":
                    break  # may be the apposition of someone named before
                add(k, self._link_from_phrase(doc, prev, "role_before_comma"))
                j = _back(doc, prev.start)

        for k, person in enumerate(persons):
            link = links.get(k)
            after = _fwd(doc, person.span.end)
            begin = person.title.i if person.title is not None else person.span.start
            if link is not None and link.phrase is not None:
                chain(k, link.phrase)
                if link.rule in ("role_before", "role_before_comma"):
                    chain_back(k, link.phrase)
                if link.rule in ("role_before", "role_before_comma") and (
                    after + 1 < len(doc) and doc[after].text in {",", "("}
                ):
                    phrase = by_start.get(after + 1)
                    if phrase is not None and id(phrase) not in used:
                        add(k, self._link_from_phrase(doc, phrase, "apposition"))
                        chain(k, phrase)
            if link is not None and link.rule not in ("role_before", "role_before_comma"):
                before = self._phrase_before_comma(doc, persons, phrases, begin, used)
                if before is not None:
                    add(k, self._link_from_phrase(doc, before, "role_before_comma"))
            if link is None:
                continue
            for v_start, v_end, verb in verbs:
                if verb.direction == "person_after" and _names_after(doc, v_end, begin):
                    org, rule = self._org_before(doc, v_start), "verb_by"
                elif verb.direction == "person_before" and self._verb_after(doc, person, v_start):
                    org, rule = self._org_after(doc, v_end), "verb_relative"
                else:
                    continue
                if doc[v_start:v_end].text != link.written:
                    add(k, self._verb_link(doc, v_start, v_end, verb.role, org, rule))

        # "X, le patron d'Apizee, en est le vice-président", "X, maire de Y, a été élu président"
        copulas = [(s, e) for s, e, verb in verbs if verb.direction == "copula"]
        for k, person in enumerate(persons):
            for v_start, v_end in copulas:
                phrase = by_start.get(_past_adverbs(doc, v_end))
                if phrase is None or id(phrase) in used or phrase.determiner in POSSESSIVES:
                    continue
                if doc[v_start - 1].norm_ in {"en", "y"} and v_start > 1:
                    v_start -= 1
                if doc[_back(doc, v_start)].text == "," and self._verb_after(doc, person, v_start):
                    add(k, self._link_from_phrase(doc, phrase, "copula"))

        # "X est le président du pôle. Il fut aussi directeur de Y."
        for v_start, v_end in copulas:
            pronoun = doc[v_start - 1] if v_start > 0 else None
            if pronoun is None or pronoun.norm_ not in PRONOUN_GENDER:
                continue
            if not (pronoun.is_sent_start or doc[_back(doc, pronoun.i)].text in {",", ";"}):
                continue
            phrase = by_start.get(_past_adverbs(doc, v_end))
            if phrase is None or id(phrase) in used or phrase.determiner not in (None, *DEFINITE):
                continue
            k = self._antecedent(doc, persons, pronoun.i, PRONOUN_GENDER[pronoun.norm_])
            if k is not None:
                add(k, self._link_from_phrase(doc, phrase, "pronoun"))

        # "Le conseil a élu X président du pôle", "ont nommé Y, ingénieur, comme directrice"
        for k, person in enumerate(persons):
            begin = person.title.i if person.title is not None else person.span.start
            appointing = begin > 0 and doc[begin - 1].norm_ in APPOINTING_VERBS
            appointing = appointing or (
                begin > 1
                and doc[begin - 1].norm_ in {"de", "d'"}
                and doc[begin - 2].norm_ in APPOINTING_NOUNS
            )
            if not appointing:
                continue
            j = _past_parenthesis(doc, _fwd(doc, person.span.end))
            if j < len(doc) and doc[j].text == "," and k in links and links[k].phrase:
                j = _fwd(doc, links[k].phrase.end)
                j = _fwd(doc, j + 1) if j < len(doc) and doc[j].text == "," else j
            if j < len(doc) and doc[j].norm_ in {"comme", "au", "en"}:
                j += 1
                while j < len(doc) and doc[j].norm_ in {"poste", "tant", "que", "de", "qualité"}:
                    j += 1
            phrase = by_start.get(j)
            if phrase is not None and id(phrase) not in used and phrase.determiner is None:
                add(k, self._link_from_phrase(doc, phrase, "appointed"))

        # "renouvelé X au poste de président", "Y, recruté en tant que directeur technique"
        for v_start, v_end, verb in verbs:
            phrase = by_start.get(v_end) if verb.direction == "introduces" else None
            if phrase is None or id(phrase) in used or phrase.determiner is not None:
                continue
            sent = sentence_of(doc, v_start)
            before = [k for k, p in enumerate(persons) if sent.start <= p.span.start < v_start]
            if before:
                add(before[-1], self._link_from_phrase(doc, phrase, "introduced"))

        # "... le vœu de Paul Marty. Le président du cluster, de passage à Pau, ..."
        for k, person in enumerate(persons):
            if k in links or k in more or not person.full:
                continue
            sent = sentence_of(doc, person.span.start)
            if sent.end >= len(doc) or any(
                p.span.start >= person.span.end and p.span.start < sent.end for p in persons
            ):
                continue
            phrase = by_start.get(sent.end) or by_start.get(_past_circumstance(doc, sent.end))
            if phrase is not None and phrase.determiner is None:
                # "X. Directeur de l'usine depuis 2012, il connaît chaque machine."
                phrase = self._role_then_pronoun(doc, phrase, person.gender)
            elif phrase is None or phrase.determiner not in DEFINITE | DEMONSTRATIVE:
                continue
            if phrase is None or id(phrase) in used:
                continue
            if person.gender and phrase.entry.gender and person.gender != phrase.entry.gender:
                continue
            if any(_names_own_person(doc, phrase, p) for p in persons):
                continue  # "Le président du pôle, (le Palois) Paul Marty, ..." names its own
            add(k, self._link_from_phrase(doc, phrase, "next_sentence"))
        self._speaker_roles(doc, persons, phrases, links, used, add)
        self._subject_roles(doc, persons, phrases, links, more, used, add)
        return more

    def _subject_roles(self, doc, persons, phrases, links, more, used, add) -> None:  # noqa: ANN001
        """ "Paul Marty arrive à Saumur. Depuis mars, le préfet arpente le département.": a role
        noun with its article, subject of its verb, names the subject named last in this or the
        previous sentence, when that person has no role yet."""
        for phrase in phrases:
            if id(phrase) in used or phrase.determiner not in DEFINITE | DEMONSTRATIVE:
                continue
            head = doc[phrase.head_start]
            if head.dep_ not in SUBJECT_DEPS or head.head.i < head.i:
                continue  # not a subject, or one after its verb ("indique le président de X")
            if any(
                phrase.end <= p.start_token <= phrase.end + 2
                or phrase.start - 2 <= p.span.end <= phrase.start
                for p in persons
            ):
                continue  # "le président, Paul Marty", "Paul Marty, le président": apposition
            sent = sentence_of(doc, phrase.start)
            first = sentence_of(doc, sent.start - 1).start if sent.start > 0 else sent.start
            subjects = [
                k
                for k, p in enumerate(persons)
                if first <= p.span.start < phrase.start and p.span.root.dep_ in SUBJECT_DEPS
            ]
            if not subjects:
                continue
            k = subjects[-1]
            surname = persons[k].surname_key
            if not persons[k].full or any(
                (j in links or j in more) and p.surname_key == surname
                for j, p in enumerate(persons)
            ):
                continue  # a role of a person already known is their role said again
            gender = persons[k].gender
            if gender and phrase.entry.gender and gender != phrase.entry.gender:
                continue
            add(k, self._link_from_phrase(doc, phrase, "coref_role"))

    def _speaker_roles(self, doc, persons, phrases, links, used, add) -> None:  # noqa: ANN001
        """ "« ... », explique le dirigeant.": a role noun without a named organisation right
        after a speech verb is the speaker, the person named last in this or the two sentences
        before, when that person has no role yet and nobody else is named in between."""
        speech = load_speech_verbs()
        for phrase in phrases:
            if phrase.former or id(phrase) in used or phrase.determiner not in DEFINITE:
                continue
            if phrase.org is not None and norm_key(phrase.org) not in GENERIC_CLUSTER_NOUNS:
                continue  # "indique le président de Capvalor": someone the article may not name
            verb = _back(doc, phrase.start)
            if verb < 0 or doc[verb].norm_ not in speech:
                continue
            if any(phrase.end <= p.span.start <= phrase.end + 2 for p in persons):
                continue  # "explique le président du pôle, Paul Marty"
            first = sentence_of(doc, verb)
            for _ in range(2):
                if first.start > 0:
                    first = sentence_of(doc, first.start - 1)
            before = [k for k, p in enumerate(persons) if first.start <= p.span.start < verb]
            if not before:
                continue
            k = before[-1]
            keys = {persons[n].surname_key for n in before}
            if len(keys) > 1 or k in links:
                continue
            gender = persons[k].gender
            if gender and phrase.entry.gender and gender != phrase.entry.gender:
                continue
            add(k, self._link_from_phrase(doc, phrase, "coref_role"))

    @staticmethod
    def _antecedent(doc: Doc, persons: list[Person], before: int, gender: str) -> int | None:
        """The full name a pronoun at `before` stands for: the person named last in its or the
        previous sentence, of a compatible gender, with no other one named since."""
        sent = sentence_of(doc, before)
        earliest = sentence_of(doc, sent.start - 1).start if sent.start > 0 else sent.start
        named = [k for k, p in enumerate(persons) if earliest <= p.span.start < before]
        if not named:
            return None
        k = named[-1]
        person = persons[k]
        if not person.full or (person.gender and person.gender != gender):
            return None
        if any(
            persons[n].surname_key != person.surname_key
            for n in named[:-1]
            if persons[n].span.start >= sent.start
        ):
            return None  # two people named in the pronoun's own sentence: which one is unclear
        return k

    def _role_then_pronoun(
        self, doc: Doc, phrase: RolePhrase, gender: str | None
    ) -> RolePhrase | None:
        """A role opening a sentence whose subject is "il" or "elle" after the comma, when the
        pronoun fits the person's gender."""
        for c in range(phrase.end, min(len(doc) - 1, phrase.end + MAX_CLAUSE_GAP + 1)):
            if doc[c].text != ",":
                continue
            pronoun = doc[c + 1].norm_
            if pronoun not in PRONOUN_GENDER or (gender and gender != PRONOUN_GENDER[pronoun]):
                return None
            return self._clause_role(doc, [phrase], c)
        return None

    def _link_respectively(
        self, doc: Doc, persons: list[Person], phrases: list[RolePhrase], links: dict[int, Link]
    ) -> None:
        """ "X et Y, respectivement directeur et secrétaire général de Z"."""
        by_start = {p.start: p for p in phrases}
        by_end = {p.span.end: k for k, p in enumerate(persons)}
        for token in doc:
            if token.norm_ != "respectivement" or token.i < 2:
                continue
            # "X et Y, respectivement ...", "X et Y seront respectivement ..."
            before = doc[token.i - 1]
            if before.text != "," and before.norm_ not in PLURAL_COPULAS:
                continue
            group: list[int] = []
            i = token.i - 1
            while i in by_end:
                k = by_end[i]
                group.insert(0, k)
                begin = persons[k].span.start
                if begin > 0 and doc[begin - 1].norm_ in {"et", ","}:
                    i = begin - 1
                else:
                    break
            roles: list[RolePhrase] = []
            j = token.i + 1
            while j in by_start:
                roles.append(by_start[j])
                j = by_start[j].end
                if j < len(doc) and doc[j].norm_ in {"et", ","}:
                    j += 1
                else:
                    break
            if len(roles) == 1 and roles[0].org is None:
                # One role for all: "respectivement chef de file du port et de l'aéroport"
                # (with an organisation each, "maires de A et de B", the role is not one).
                roles = roles * len(group)
            if len(group) < 2 or len(roles) != len(group):
                continue
            shared = roles[-1]
            for k, phrase in zip(group, roles, strict=True):
                org = phrase.org or shared.org
                org_chars = phrase.org_chars or shared.org_chars
                links[k] = Link(
                    phrase.role_text, phrase.entry, org, "respectivement", org_chars, phrase,
                    phrase.written,
                )  # fmt: skip

    # ---------------------------------------------------------------- output

    def _is_cluster(self, doc: Doc, chars: tuple[int, int] | None) -> bool:
        if chars is None:
            return False
        return any(m.start < chars[1] and chars[0] < m.end for m in doc_mentions(doc, "cluster"))

    def _emit(
        self, doc: Doc, start: int, end: int, rule: str, name: str, role: str, org, category: str,
        normalised: str,
    ) -> None:  # fmt: skip
        """One official: `role` as written (gender, verb and complement kept), `role_normalised`
        in the masculine singular without its organisation, `role_category` apart."""
        add_mention(
            doc,
            Mention(
                kind="official",
                start=start,
                end=end,
                text=doc_text(doc)[start:end],
                confidence=CONFIDENCE[rule],
                rule=rule,
                fields={
                    "name": name,
                    "role": role,
                    "role_normalised": normalised,
                    "role_written": role,  # the column the desk and the views show
                    "org": org,
                    "role_category": category,
                },
            ),
        )

    @staticmethod
    def _clause_role(doc: Doc, phrases: list[RolePhrase], comma: int) -> RolePhrase | None:
        """A role opening the clause that ends at `comma`, when only modifiers follow it.

        The tail is kept in the role when it extends it ("... et à l'alimentation"), dropped
        when it is a circumstance ("PDG de l'entreprise depuis 2009").
        """
        for phrase in phrases:
            if phrase.former or not phrase.end < comma <= phrase.end + MAX_CLAUSE_GAP:
                continue
            opens_clause = phrase.start == 0 or doc[phrase.start].is_sent_start
            opens_clause = opens_clause or doc[phrase.start - 1].text in CLAUSE_OPENERS
            tail = doc[phrase.end : comma]
            # A comma inside the tail continues an enumeration ("à la recherche, à l'innovation").
            listed = all(
                t.text != "," or (t.i + 1 < comma and doc[t.i + 1].norm_ in PREPOSITIONS | {"et"})
                for t in tail
            )
            if (
                not opens_clause
                or not listed
                or any(
                    t.pos_ in ("VERB", "AUX")
                    or (t.is_punct and t.text != ",")
                    or t.ent_type_ == "PER"
                    or "\n" in t.text
                    for t in tail
                )
            ):
                continue
            written = doc[phrase.start : comma].text
            if phrase.determiner is not None:
                written = doc[phrase.start + 1 : comma].text
            if tail[0].norm_ in {"et", ","} or tail[0].norm_ in PREPOSITIONS:
                role_text = f"{phrase.role_text} {tail.text}"
                return replace(phrase, role_text=role_text, end=comma, written=written)
            return replace(phrase, end=comma, written=written)
        return None

    def __call__(self, doc: Doc) -> Doc:
        persons = find_persons(doc)
        blocked = {t.i for p in persons for t in p.span}
        blocked |= {p.title.i for p in persons if p.title is not None}
        phrases = self._role_phrases(doc, blocked)
        links = self._link_persons(doc, persons, phrases)
        more = self._more_links(doc, persons, phrases, links)
        surnames = full_names_by_surname(persons)

        known: dict[str, Known] = {}
        emitted: set[int] = set()
        for k, person in enumerate(persons):
            found = ([links[k]] if k in links else []) + more.get(k, [])
            if not found:
                continue
            name = person.name if person.full else surnames.get(person.surname_key, person.name)
            seen: set[str] = set()
            for link in found:
                role, _ = normalize_role(link.role)
                written = link.written or link.role
                if norm_key(written) in seen:
                    continue
                seen.add(norm_key(written))
                is_cluster = self._is_cluster(doc, link.org_chars)
                category = role_category(link.entry, link.org, is_cluster)
                self._emit(
                    doc, person.start_char, person.span.end_char, link.rule, name, written,
                    link.org, category, role,
                )  # fmt: skip
                if k not in emitted:
                    base = link.entry.role if link.entry else role
                    record = known.setdefault(
                        name, Known(name, written, link.org, category, base, normalised=role)
                    )
                    record.positions.append(person.start_char)
                emitted.add(k)
        if self.resolve_later_mentions and known:
            self._resolve_later(doc, persons, phrases, links, known, emitted)
        return doc

    def _org_compatible(self, doc: Doc, phrase: RolePhrase, record: Known) -> bool:
        """A title's organisation fits a known official's ("le président du pôle" for a cluster)."""
        if phrase.org is None or record.org is None or _same_org(phrase.org, record.org):
            return True
        is_cluster = self._is_cluster(doc, phrase.org_chars)
        return role_category(phrase.entry, phrase.org, is_cluster) == record.category

    def _resolve_later(
        self,
        doc: Doc,
        persons: list[Person],
        phrases: list[RolePhrase],
        links: dict[int, Link],
        known: dict[str, Known],
        emitted: set[int],
    ) -> None:
        """Emit later mentions of known officials: repeated names, "M. X", surnames, titles."""
        by_surname: dict[str, list[Known]] = {}
        for record in known.values():
            by_surname.setdefault(norm_key(record.name.split()[-1]), []).append(record)
        covered: set[int] = set()
        for k, person in enumerate(persons):
            covered.update(range(person.span.start, person.span.end))
            if k in emitted:
                continue
            if person.full:
                record = known.get(person.name)
                rule = "coref_name"
            else:
                candidates = by_surname.get(person.surname_key, [])
                record = candidates[0] if len(candidates) == 1 else None
                rule = "coref_title" if person.title is not None else "coref_surname"
            if record is None:
                continue
            self._emit(
                doc, person.start_char, person.span.end_char, rule, record.name, record.role,
                record.org, record.category, record.normalised,
            )  # fmt: skip
            record.positions.append(person.start_char)

        for token in doc:
            if token.i in covered or not token.text[:1].isupper():
                continue
            candidates = by_surname.get(token.norm_, [])
            if len(candidates) != 1 or len(token.text) < 3:
                continue
            if token.ent_type_ and token.ent_type_ != "PER":
                ent = next(e for e in doc.ents if e.start <= token.i < e.end)
                if len(ent) > 1:
                    continue
            record = candidates[0]
            self._emit(
                doc, token.idx, token.idx + len(token.text), "coref_surname", record.name,
                record.role, record.org, record.category, record.normalised,
            )  # fmt: skip
            record.positions.append(token.idx)

        used = {id(link.phrase) for link in links.values() if link.phrase is not None}
        for phrase in phrases:
            if id(phrase) in used or phrase.former or phrase.determiner not in DEFINITE:
                continue
            start_char = doc[phrase.start].idx
            matches = [
                r
                for r in known.values()
                if r.base_role == phrase.entry.role
                and any(pos < start_char for pos in r.positions)
                and self._org_compatible(doc, phrase, r)
            ]
            if not matches:
                continue
            record = max(matches, key=lambda r: max(p for p in r.positions if p < start_char))
            end_char = doc[phrase.end - 1].idx + len(doc[phrase.end - 1].text)
            self._emit(
                doc, start_char, end_char, "coref_role", record.name, record.role,
                record.org, record.category, record.normalised,
            )  # fmt: skip


def _noun_phrase_back(doc: Doc, i: int) -> Span | None:
    """The noun phrase ending at token `i`, back to its determiner ("ce groupe familial")."""
    start = i
    while start >= 0 and doc[start].pos_ in ("NOUN", "ADJ", "PROPN") and not doc[start].is_punct:
        start -= 1
    if start < 0 or start == i or doc[start].pos_ != "DET":
        return None
    return doc[start : i + 1]


def _names_after(doc: Doc, v_end: int, begin: int) -> bool:
    """The name at `begin` is the agent of a verb ending at `v_end` ("présidé par X"), maybe
    behind an article and a demonym or a kin word ("par le Brestois X", "fondé par son père X")."""
    start = _fwd(doc, v_end)
    if start == begin:
        return True
    gap = doc[start:begin]
    return (
        0 < len(gap) <= MAX_AGENT_GAP
        and gap[0].norm_ in DETERMINERS
        and all(t.pos_ in ("DET", "NOUN", "ADJ", "PROPN") and t.is_alpha for t in gap[1:])
        and not any(t.ent_type_ in ORG_LABELS or t.norm_ in load_roles() for t in gap)
    )


def _past_demonym_back(doc: Doc, begin: int) -> int:
    """The start of "le Rochefortais" before a name ("..., le Rochefortais Paul Marty"), else
    `begin`."""
    if begin >= 3 and doc[begin - 2].pos_ == "DET" and doc[begin - 3].text == ",":
        word = doc[begin - 1]
        if word.text[:1].isupper() and word.is_alpha and word.pos_ != "VERB":
            return begin - 2
    return begin


def _replaced(doc: Doc, person: Person) -> bool:
    """The person is the one replaced: "Y remplace X à la présidence", "succède à X"."""
    i = person.start_token - 1
    if i >= 0 and doc[i].norm_ in {"à", "a"}:
        i -= 1
    return i >= 0 and doc[i].norm_[:7] in SUCCESSION_VERBS


def _names_own_person(doc: Doc, phrase: RolePhrase, person: Person) -> bool:
    """A person named right after the role, maybe behind a comma and an article with a
    demonym or a title: "Le président du pôle, (le Rochefortais) Paul Marty"."""
    if person.start_token < phrase.end:
        return False
    gap = doc[phrase.end : person.start_token]
    if len(gap) > 4:
        return False
    return all(
        t.text in {",", "(", ":"} or t.pos_ == "DET" or (t.text[:1].isupper() and t.pos_ != "VERB")
        for t in gap
    )


def _fronted(doc: Doc, v_start: int, v_end: int, comma: int) -> bool:
    """A clause opening the sentence with a post ("Nommée à la tête de l'agence en mars, X",
    "À la tête du groupe depuis 2010, X") that ends at the comma before the name."""
    if comma < 0 or doc[comma].text != "," or not v_end <= comma <= v_end + MAX_CLAUSE_GAP:
        return False
    if doc[v_start].norm_ not in {"à", "aux"}:
        return False
    opening = v_start
    while opening > 0 and not doc[opening].is_sent_start and doc[opening - 1].text not in "\n":
        if doc[opening - 1].text in CLAUSE_OPENERS:
            break
        opening -= 1
    if _past_appointment(doc, _past_duration(doc, opening)) != v_start:
        return False
    return not any(
        t.pos_ in ("VERB", "AUX") or t.is_punct or t.ent_type_ == "PER" or "\n" in t.text
        for t in doc[v_end:comma]
    )


def _spaced_dash(doc: Doc, i: int) -> bool:
    """A dash between spaces, opening an apposition ("Paul Roux – président de X")."""
    return (
        (doc[i].text in APPOSITION_DASHES or doc[i].text == "-")
        and i > 0
        and bool(doc[i - 1].whitespace_)
        and bool(doc[i].whitespace_)
    )


def _past_duration(doc: Doc, i: int) -> int:
    """The token after a duration opening a clause at `i` ("Après 12 ans", "Depuis 2015"),
    else `i`."""
    if i >= len(doc) or doc[i].norm_ not in DURATION_OPENERS:
        return i
    j = i + 1
    while j < len(doc) and j - i <= 3 and doc[j].pos_ in ("NUM", "NOUN", "DET", "ADJ"):
        j += 1
    return j if j > i + 1 else i


def _past_circumstance(doc: Doc, start: int) -> int:
    """The token after a short circumstance opening a sentence at `start` ("Le 31 août, ...",
    "Depuis son arrivée, ..."), else `start`."""
    for i in range(start, min(len(doc), start + MAX_CIRCUMSTANCE)):
        token = doc[i]
        if token.text == ",":
            return _fwd(doc, i + 1) if i > start else start
        if token.pos_ in ("VERB", "AUX") or token.ent_type_ == "PER" or token.is_sent_end:
            return start
    return start


def _past_adverbs(doc: Doc, i: int) -> int:
    """The token after the adverbs at `i` ("est aujourd'hui vice-président", "fut aussi")."""
    while i < len(doc) and (doc[i].norm_ in ADVERBS or doc[i].pos_ == "ADV"):
        i += 1
    return i


def _past_appointment(doc: Doc, i: int) -> int:
    """The token after the verbs that put someone in a post ("a été élu", "vient d'être
    nommée", "est appelé"), or `i` when none start there."""
    j = i
    while j < len(doc) and j - i < MAX_APPOINTMENT_WORDS:
        token = doc[j]
        participle = token.pos_ == "VERB" and "Part" in token.morph.get("VerbForm")
        if not (
            token.pos_ == "AUX"
            or participle
            or token.lemma_ == "venir"
            or token.norm_ in APPOINTMENT_GLUE
            or token.norm_ in ADVERBS
        ):
            break
        j += 1
    return j


def _past_incise(doc: Doc, i: int) -> int:
    """The token after adverbs or a short incise starting at `i` ("par ailleurs", "récemment",
    "en personne,"), else `i`."""
    moved = True
    while moved and i < len(doc):
        moved = False
        if doc[i].norm_ in ADVERBS:
            i, moved = _fwd(doc, i + 1), True
            continue
        if (
            doc[i].like_num
            and i + 2 < len(doc)
            and doc[i + 1].norm_ == "ans"
            and doc[i + 2].text == ","
        ):
            i, moved = _fwd(doc, i + 3), True  # "X, 45 ans, directrice de ..."
            continue
        for words in INCISES:
            if tuple(t.norm_ for t in doc[i : i + len(words)]) == words:
                i, moved = _fwd(doc, i + len(words)), True
                break
    return i


def _past_parenthesis(doc: Doc, i: int) -> int:
    """The token after a short parenthesis opening at `i` ("Pradeo (cybersécurité) et ..."),
    else `i`."""
    if i >= len(doc) or doc[i].text != "(":
        return i
    for j in range(i + 1, min(len(doc), i + MAX_CLAUSE_GAP)):
        if doc[j].text == ")":
            return _fwd(doc, j + 1)
        if doc[j].text in {"(", ".", "\n"}:
            break
    return i


def _same_org(left: str, right: str) -> bool:
    a, b = norm_key(left), norm_key(right)
    return a in b or b in a
