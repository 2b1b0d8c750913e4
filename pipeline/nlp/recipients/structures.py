"""Recipients read from the shapes the press writes a grant in, before any ranking.

Some shapes name the recipient with little doubt, and the ranker's features only see them
dimly: a counted or served group ("à quinze taxiteurs", "Huit entreprises sont lauréates ...
3,1 M€"), a name with its amount in parentheses ("MyLight System (100 millions d'euros)"), a
list line ("Novassu à Chassal-Molinges (39) : 30 570 €"), a demonstrative subject that stands
for the company named just before ("l'entreprise MAXEI ... Cette entreprise ... bénéficie d'une
aide"), the subject of a verb of receiving ("Japy Tech, à Saint-Apollinaire, percevra"), and
the counted group "elles" stands for. Each function here returns the recipient's span for one
funding amount, or None.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from pipeline.nlp.doctools import sentence_of, sentences_before
from pipeline.nlp.mention import Mention, doc_mentions

PATTERNS = Path(__file__).with_name("patterns")

NUMBER_WORDS = frozenset(
    {"deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze"}
    | {"treize", "quatorze", "quinze", "seize", "vingt", "trente", "quarante", "cinquante"}
    | {"soixante", "cent", "cents", "mille"}
)
QUANTITY_NOUNS = frozenset(
    {"dizaine", "dizaines", "douzaine", "vingtaine", "trentaine", "quarantaine", "cinquantaine"}
    | {"centaine", "centaines", "millier", "milliers"}
)
QUANTITY_WORDS = frozenset({"plusieurs", "quelques", "nombreux", "nombreuses"})
APPROXIMATIONS = frozenset({"plus", "près", "environ", "quelque", "une", "moins"})
# The word before a group that makes it the one served: "à", "pour", "en faveur de", "aider".
GROUP_CUES = frozenset(
    {"à", "aux", "pour", "entre", "faveur", "profit", "bénéfice", "soutenir", "aider"}
    | {"accompagner", "accompagnement", "financer", "soutenu", "soutenues", "soutenus"}
    | {"aidé", "aidées", "aidés"}
)
NOT_GROUP_CUES = frozenset({"avec", "dont", "parmi", "sur", "impliquant", "par", "associant"})
SKIPPED_BEFORE_GROUP = frozenset({"de", "des", "d'", "d’", "du", "les", "la", "l'", "l’", "ces"})
SKIPPED_BEFORE_GROUP |= frozenset({"ses", "leurs", "nos", "financièrement"})
DEMONSTRATIVES = frozenset({"cette", "ce", "cet"})
DEMONSTRATIVE_NOUNS = frozenset(
    {"entreprise", "société", "start-up", "startup", "pme", "association", "structure"}
    | {"coopérative", "commune", "collectivité", "pépite", "jeune", "entreprise"}
)
ANTECEDENT_SENTENCES = 2
MAX_UNCOUNTED_GAP = 15
NOT_LIST_NAMES = frozenset(
    {"au", "aux", "à", "pour", "dont", "de", "en", "sur", "avec", "total", "soit", "montant"}
    | {"coût", "budget", "objectif", "fonctionnement", "investissement", "investissements"}
)
LIST_BULLETS = " -•—–*→➡️\t§"


@cache
def _column(name: str) -> frozenset[str]:
    with (PATTERNS / name).open(encoding="utf-8") as handle:
        return frozenset(row["word"] for row in csv.DictReader(handle))


def measure_nouns() -> frozenset[str]:
    """Plural nouns a number measures ("emplois", "hectares"): never a group that receives."""
    return _column("measure_nouns.csv")


def _amount_span(doc: Doc, mention: Mention) -> Span | None:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span if span is not None and len(span) else None


def _segments(doc: Doc, sent: Span, amount: Span) -> tuple[Span, Span]:
    """The part of the sentence after the amount up to the next amount, and the part before it
    back to the previous one: where a list's item names its own recipient."""
    starts = sorted(
        s.start
        for m in doc_mentions(doc, "funding")
        if (s := doc.char_span(m.start, m.end, alignment_mode="expand")) is not None
        and sent.start <= s.start < sent.end
    )
    ends = sorted(
        s.end
        for m in doc_mentions(doc, "funding")
        if (s := doc.char_span(m.start, m.end, alignment_mode="expand")) is not None
        and sent.start <= s.start < sent.end
    )
    after_end = next((s for s in starts if s >= amount.end), sent.end)
    before_start = max((e for e in ends if e <= amount.start), default=sent.start)
    return doc[amount.end : after_end], doc[before_start : amount.start]


def _quantifier_start(doc: Doc, noun: Token, floor: int) -> int | None:
    """The first token of the count before a plural noun ("plus de 680 000", "quinze", "une
    centaine de"), over adjectives between them ("67 nouveaux projets"); None when uncounted."""
    i = noun.i - 1
    while i >= floor and doc[i].pos_ == "ADJ" and doc[i].head.i == noun.i:
        i -= 1
    start = None
    while i >= floor:
        word = doc[i].lower_
        if (
            doc[i].like_num
            or word in NUMBER_WORDS
            or word in QUANTITY_WORDS
            or word in QUANTITY_NOUNS
        ):
            start = i
        elif word in ("de", "d'", "d’") and i - 1 >= floor and doc[i - 1].lower_ in QUANTITY_NOUNS:
            start = i  # "une centaine d'artisans": the count goes on before "de"
        elif word in ("de", "d'", "d’") and i - 1 >= floor and doc[i - 1].lower_ in APPROXIMATIONS:
            start = i  # "plus de 680 000"
        elif word in APPROXIMATIONS and start is not None:
            start = i
        else:
            break
        i -= 1
    return start


def _uncued(doc: Doc, start: int, floor: int) -> bool:
    """Whether a group follows a word that makes it no recipient ("avec plusieurs dizaines de
    sociétés", "parmi les 128 dossiers", "sur 1 700 projets")."""
    i = start - 1
    while i >= floor and doc[i].lower_ in SKIPPED_BEFORE_GROUP:
        i -= 1
    return i >= floor and doc[i].lower_ in NOT_GROUP_CUES


def _cued(doc: Doc, start: int, floor: int) -> bool:
    """Whether a group starting at token `start` follows a word that serves it ("à", "pour",
    "en faveur de", "soutenir")."""
    i = start - 1
    while i >= floor and doc[i].lower_ in SKIPPED_BEFORE_GROUP:
        i -= 1
    if i < floor or doc[i].lower_ not in GROUP_CUES:
        return False
    return not (i > floor and doc[i - 1].lower_ in ("appel", "appels"))  # "appel à projets"


def _group_in(doc: Doc, part: Span, floor: int, amount: Span) -> list[Span]:
    """The counted or served groups of recipients in `part`, in text order."""
    groups = []
    for noun in part:
        word = noun.lower_
        listed = word in _column("group_nouns.csv")
        if word in _column("measure_nouns.csv") or noun.pos_ not in (
            ("NOUN", "PROPN", "ADJ") if listed else ("NOUN", "PROPN")
        ):
            continue  # "jeunes" is often tagged an adjective: "139 jeunes"
        plural = "Plur" in noun.morph.get("Number") or word.endswith(("s", "x"))
        if not (listed or plural):
            continue
        start = _quantifier_start(doc, noun, max(floor, part.start))
        counted = start is not None
        begin = start if start is not None else noun.i
        cued = _cued(doc, begin, floor)
        if _uncued(doc, begin, floor):
            continue
        if not ((listed and (counted or cued)) or (plural and counted and cued)):
            continue
        if not counted and _gap(amount, noun.i) > MAX_UNCOUNTED_GAP:
            continue  # "aux pôles" far from the amount names a policy, not its recipient
        groups.append(doc[begin : _group_end(doc, noun, part.end)])
    return groups


def _group_end(doc: Doc, noun: Token, limit: int) -> int:
    """The end of a group: its adjectives and one noun complement ("grappes d'entreprises",
    "projets numériques des collectivités territoriales", "pôles de compétitivité")."""
    end = noun.i + 1
    while end < limit and doc[end].pos_ == "ADJ" and doc[end].head.i == noun.i:
        end += 1
    if (
        end + 1 < limit
        and doc[end].lower_ in ("de", "d'", "d’", "du", "des")
        and doc[end + 1].pos_ == "NOUN"
        and doc[end + 1].lower_ not in _column("measure_nouns.csv")
    ):
        end += 2
        while end < limit and doc[end].pos_ == "ADJ" and doc[end].head.i == end - 1:
            end += 1
    return end


def counted_group(doc: Doc, mention: Mention) -> Span | None:
    """The group the amount goes to, counted or served in its sentence: "à trois entreprises",
    "pour soutenir 267 dossiers", "Huit entreprises sont lauréates ... pour 3,1 M€". Within the
    amount's stretch of the sentence (up to the amounts around it), the subject before it wins,
    else the nearest; a subject after it opens the next item ("... et cinq entreprises seront")."""
    amount = _amount_span(doc, mention)
    if amount is None:
        return None
    sent = sentence_of(doc, amount.start)
    after, before = _segments(doc, sent, amount)
    found_before = [
        g
        for g in _group_in(doc, before, sent.start, amount)
        if not any(t.text == ":" for t in doc[g.end : amount.start])
    ]  # "Deux entreprises lauréates : Forges Vautrin ..., 600 000 €": the item is named
    found_after = [
        g for g in _group_in(doc, after, sent.start, amount) if not g.root.dep_.startswith("nsubj")
    ]
    subjects = [g for g in found_before if _subject(g.root)]
    if subjects:
        return subjects[-1]
    if before.start > sent.start:
        # "300 000 € pour 40 bénéficiaires et 90 000 € pour 25 étudiants": a group between two
        # amounts is the previous one's, unless it is the subject of this one's clause.
        return found_after[0] if found_after else _shared_group(doc, sent, amount)
    found = found_after + found_before
    if not found:
        return _shared_group(doc, sent, amount)
    return min(found, key=lambda g: _gap(amount, g.root.i))


def _shared_group(doc: Doc, sent: Span, amount: Span) -> Span | None:
    """The group served after the next amount, when the two amounts are joined by "et" and
    share it: "des prêts de 626 500 euros et des subventions de 11 953 euros à 12 entreprises"."""
    after, _ = _segments(doc, sent, amount)
    if after.end >= sent.end or not any(t.lower_ == "et" for t in after):
        return None
    if any(t.text in (":", ";") or (t.text[:1].isupper() and not t.is_sent_start) for t in after):
        return None
    next_amount = next(
        (
            s
            for m in doc_mentions(doc, "funding")
            if (s := doc.char_span(m.start, m.end, alignment_mode="expand")) is not None
            and s.start == after.end
        ),
        None,
    )
    if next_amount is None:
        return None
    after_next, _ = _segments(doc, sent, next_amount)
    groups = _group_in(doc, after_next, sent.start, next_amount)
    served = [g for g in groups if _cued(doc, g.start, sent.start)]
    return served[0] if served else None


def _subject(noun: Token) -> bool:
    """The noun is a clause's subject, itself or through a relative ("18 startups qui ont levé")."""
    if noun.dep_.startswith("nsubj"):
        return True
    return any(
        c.dep_.startswith("acl")
        and any(g.lower_ == "qui" and g.dep_.startswith("nsubj") for g in c.children)
        for c in noun.children
    )


def _gap(amount: Span, i: int) -> int:
    """Tokens between the amount and token `i`."""
    return i - amount.end if i >= amount.end else amount.start - i


def parenthesised_name(doc: Doc, mention: Mention) -> Span | None:
    """The name the amount follows in parentheses: "MyLight System (100 millions d'euros)"."""
    amount = _amount_span(doc, mention)
    if amount is None or amount.start < 2 or doc[amount.start - 1].text != "(":
        return None
    end = amount.start - 1
    start = _name_start(doc, end)
    if start is None or doc[start].is_sent_start and start == end - 1 and doc[start].is_stop:
        return None
    return doc[start:end]


NAME_JOINERS = frozenset({"de", "des", "du", "d'", "d’", "et", "&", "-", "/"})
MAX_NAME_TOKENS = 6


def _name_start(doc: Doc, end: int) -> int | None:
    """The first token of the capitalised name ending before token `end` ("Fromagerie des
    Causses", "Delmon Group / SOCAT"), or None when the word before `end` starts no name."""
    start = end
    i = end - 1
    while i >= 0 and end - i <= MAX_NAME_TOKENS:
        token = doc[i]
        if "\n" in token.whitespace_ or token.is_space:
            break
        if _name_token(token) and token.text[:1].isupper():
            start = i
        elif token.lower_ in NAME_JOINERS and i > 0 and _name_token(doc[i - 1]):
            pass  # a joiner inside the name, kept only if a capitalised word precedes it
        else:
            break
        i -= 1
    return start if start < end else None


def _name_token(token: Token) -> bool:
    """A word of a proper name: capitalised, or a hyphen or '&' between such words."""
    text = token.text
    if token.is_space or "\n" in token.whitespace_:
        return False
    return (text[:1].isupper() and not token.is_punct) or text in ("-", "&", "'", "’")


def list_item_name(doc: Doc, mention: Mention) -> Span | None:
    """The name that opens the amount's line before a colon: "Novassu à Chassal-Molinges (39) :
    30 570 €", "• Davi (Nièvre) : 200 000 €"; the name stops at its town."""
    text = doc.text
    line_start = text.rfind("\n", 0, mention.start) + 1
    head = text[line_start : mention.start]
    if ":" not in head or head.rstrip().endswith(":") is False:
        return None
    name_part = head[: head.rfind(":")]
    if "\n" in name_part or len(name_part) > 120:
        return None
    offset = line_start + len(name_part) - len(name_part.lstrip(LIST_BULLETS))
    name_part = name_part.strip(LIST_BULLETS)
    for stop in (" à ", " (", ", "):
        if stop in name_part:
            name_part = name_part[: name_part.index(stop)]
    name_part = name_part.strip()
    first = name_part.split()[0].lower() if name_part else ""
    if first in NOT_LIST_NAMES or first in _column("money_nouns.csv"):
        return None  # "Au développement économique : 48 734 €", "Subvention ... : 30 000 €"
    if not name_part[:1].isupper() or len(name_part.split()) > MAX_NAME_TOKENS:
        return None
    span = doc.char_span(offset, offset + len(name_part), alignment_mode="expand")
    if span is None or any(t.pos_ in ("VERB", "AUX") for t in span):
        return None  # a clause ("La Région lance les appels à projets : 20 M€ ...")
    if not any(t.pos_ == "PROPN" or t.ent_type_ in ("ORG", "PER") for t in span) and not (
        any(t.text[:1].isupper() for t in span[1:])
    ):
        return None  # a common noun phrase ("Cofinancement d'un programme : 18 734 €")
    return span


def demonstrative_antecedent(doc: Doc, mention: Mention) -> Span | None:
    """The company a demonstrative subject stands for: "... a visité l'entreprise MAXEI. Cette
    entreprise ... bénéficie d'une aide de 777 167 euros" -> "MAXEI"."""
    amount = _amount_span(doc, mention)
    if amount is None:
        return None
    sent = sentence_of(doc, amount.start)
    subject = next(
        (
            t
            for t in sent
            if t.dep_.startswith("nsubj")
            and t.lower_ in DEMONSTRATIVE_NOUNS
            and any(c.lower_ in DEMONSTRATIVES for c in t.children)
        ),
        None,
    )
    if subject is None:
        return None
    for previous in sentences_before(doc, sent, ANTECEDENT_SENTENCES):
        for token in previous:
            if token.lower_ != subject.lower_:
                continue
            end = token.i + 1
            while end < previous.end and end - token.i <= 5 and _name_token(doc[end]):
                end += 1
            if end > token.i + 1 and doc[end - 1].text not in ("-", "&", "'", "’"):
                return doc[token.i + 1 : end]
    return None


def receiving_subject(doc: Doc, mention: Mention) -> Span | None:
    """The named subject of a verb of receiving whose clause holds the amount: "Les jeunes
    pousses de l'énergie récoltent 97,5 millions d'euros", "Japy Tech percevra 200 000 euros";
    through a relative "qui" to its antecedent."""
    amount = _amount_span(doc, mention)
    if amount is None:
        return None
    sent = sentence_of(doc, amount.start)
    verb = amount.root
    while verb.i != verb.head.i and not _receiving(verb) and sent.start <= verb.head.i < sent.end:
        verb = verb.head
    if not _receiving(verb):
        return None
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
    if subject is not None and subject.lower_ == "qui" and verb.dep_.startswith("acl"):
        subject = verb.head
    if (
        subject is not None
        and doc[subject.left_edge.i].pos_ == "ADP"
        and not any(t.text == "," for t in doc[subject.left_edge.i : subject.i])
    ):
        subject = None  # "Dans le secteur de la pêche, le GIE X a bénéficié": a fronted phrase
    if subject is None:
        return _name_before_verb(doc, verb, sent)
    while (
        subject.i >= 2
        and doc[subject.i - 1].text in ("-", "\u2011")
        and not doc[subject.i - 1].whitespace_
        and not doc[subject.i - 2].whitespace_
    ):
        subject = doc[subject.i - 2]  # "up" of "la start-up", which the parse cuts in three
    if subject.pos_ == "PRON" or subject.i >= amount.start:
        return None
    if subject.lower_ in _column("money_nouns.csv") or any(
        c.dep_ == "det" and c.lower_ in DEMONSTRATIVES | {"ces"} for c in subject.children
    ):
        return None  # "Ce soutien économique", "ces entreprises": an anaphor, not a name
    start = subject.i
    while start > subject.left_edge.i and doc[start - 1].dep_ in ("det", "amod", "nummod"):
        start -= 1
    counted = _quantifier_start(doc, subject, sent.start)
    if counted is not None:
        start = min(start, counted)  # "Plus d'une centaine d'artisans ont bénéficié"
    word_end = _compound_end(doc, subject.i)
    word = doc[subject.i : word_end].text.lower()  # "start-up", which the parse cuts in three
    singular = any(t.lower_ in SINGULAR_DETERMINERS for t in doc[start : subject.i])
    named = word_end < len(doc) and _name_token(doc[word_end])  # "la start-up Vitalis"
    group = word in _column("group_nouns.csv")
    if (
        counted is None
        and (subject.pos_ == "NOUN" or group)
        and (not group or singular)
        and all(t.dep_ == "det" for t in doc[start : subject.i])
        and not named
        and not any(
            c.dep_ in ("nmod", "amod", "appos", "flat:name")
            for c in subject.children
            if not subject.i < c.i < word_end  # the "-" and "up" of "start-up"
        )
    ):
        return None  # "Le projet", "la start-up": a common noun alone names no one
    carrier = _carrier_agent(doc, subject)
    if carrier is not None:
        return carrier  # "le projet d'acier bas carbone porté par un consortium ... recevrait"
    end = max(subject.i + 1, word_end)
    while end < amount.start and _name_token(doc[end]):
        end += 1  # "la start-up Vitalis"
    while (
        end < amount.start
        and end <= subject.right_edge.i
        and doc[end].text not in (",", "(")
        and not (doc[end].pos_ == "VERB" and doc[end].text.islower())
    ):
        end += 1
    return doc[start:end]


# A project "porté par" someone: that someone is who the project's money goes to.
CARRYING_VERBS = frozenset(
    {"porté", "portée", "piloté", "pilotée", "mené", "menée", "conduit", "conduite",
     "coordonné", "coordonnée", "développé", "développée"}
)  # fmt: skip


def _carrier_agent(doc: Doc, subject: Token) -> Span | None:
    """The agent of a carrying participle on the subject: "porté par un consortium
    d'industriels sur la zone portuaire" -> "un consortium d'industriels"."""
    verb = next(
        (c for c in subject.children if c.dep_ == "acl" and c.lower_ in CARRYING_VERBS), None
    )
    agent = (
        None
        if verb is None
        else next((c for c in verb.children if c.dep_ == "obl:agent" and c.pos_ != "PRON"), None)
    )
    if agent is None:
        return None
    start = agent.left_edge.i
    while start < agent.i and doc[start].pos_ == "ADP":
        start += 1
    end = agent.i + 1
    while end <= agent.right_edge.i and doc[end].text not in (",", "(", "qui"):
        if doc[end].pos_ == "ADP" and doc[end].lower_ not in ("de", "d'", "d’", "du", "des"):
            break
        end += 1
    return doc[start:end]


SINGULAR_DETERMINERS = frozenset({"le", "la", "l'", "l’", "un", "une"})


def _compound_end(doc: Doc, i: int) -> int:
    """The end of the hyphenated word that starts at token i ("start" "-" "up")."""
    end = i + 1
    while (
        end + 1 < len(doc)
        and doc[end].text in ("-", "\u2011")
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
    ):
        end += 2
    return end


def _name_before_verb(doc: Doc, verb: Token, sent: Span) -> Span | None:
    """The name just before a verb the parse left without a subject, over its town and its
    parenthesis: "Japy Tech, à Saint-Apollinaire, percevra", "X (13,6 M€ de CA), de Bazoche,
    décroche"."""
    i = verb.i - 1
    while i >= sent.start and doc[i].pos_ == "AUX":
        i -= 1  # "Mylight150 a obtenu"
    for _ in range(4):
        while i >= sent.start and doc[i].text == ",":
            i -= 1
        if i < sent.start:
            return None
        if doc[i].text == ")":
            while i >= sent.start and doc[i].text != "(":
                i -= 1
            i -= 1
            continue
        start = _name_start(doc, i + 1)
        if start is None:
            return None
        if start > sent.start and doc[start - 1].lower_ in ("à", "de", "d'", "d’"):
            i = start - 2  # the town: "à Saint-Apollinaire", "de Bazoche-Gouet"
            continue
        return doc[start : i + 1]
    return None


def _receiving(token: Token) -> bool:
    return token.pos_ == "VERB" and token.lower_.startswith(_receive_stems())


@cache
def _receive_stems() -> tuple[str, ...]:
    with (PATTERNS / "receive_verbs.csv").open(encoding="utf-8") as handle:
        return tuple(row["stem"] for row in csv.DictReader(handle))


PLURAL_PRONOUNS = frozenset({"ils", "elles"})
FUNDED_PARTICIPLES = ("financé", "soutenu", "aidé", "accompagné", "subventionné")


def group_antecedent(doc: Doc, mention: Mention) -> Span | None:
    """The counted group of the sentence before that "ils" / "elles" stands for, when it
    receives the amount: "... 185 000 entreprises ont été soutenues. Elles ont perçu 372
    millions d'euros", "Quatre projets sont retenus. Ils seront financés à hauteur de 5,5 M€"."""
    amount = _amount_span(doc, mention)
    if amount is None:
        return None
    sent = sentence_of(doc, amount.start)
    pronoun = next(
        (
            t
            for t in sent
            if t.lower_ in PLURAL_PRONOUNS
            and t.dep_.startswith("nsubj")
            and (_receiving(t.head) or t.head.lower_.startswith(FUNDED_PARTICIPLES))
        ),
        None,
    )
    if pronoun is None or sent.start == 0:
        return None
    previous = sentence_of(doc, sent.start - 1)
    groups = [
        g
        for g in _group_in(doc, previous, previous.start, amount)
        if g.root.lower_ in _column("group_nouns.csv") and g[0].i != g.root.i
    ]
    return groups[-1] if groups else None


def name_before_town(doc: Doc, span: Span) -> Span | None:
    """For a recipient that is the town after a name, the name: "Sintermat à Venarey-Les
    Laumes", "FEDD à Sainte-Alvère" -> "Sintermat", "FEDD"."""
    start = span.start
    while start > 0 and doc[start - 1].text[:1].isupper() and doc[start - 1].text != "À":
        start -= 1  # the whole town: "Venarey-Les Laumes"
    while start > 0 and doc[start - 1].text in ("-", "\u2011") and start - 2 >= 0:
        start -= 2
    if start < 2 or doc[start - 1].lower_ not in ("à", "de"):
        return None
    if not any(t.ent_type_ == "LOC" for t in span) and not _is_place(doc, span):
        return None
    end = start - 1
    begin = _name_start(doc, end)
    if begin is None:
        return None
    return doc[begin:end]


def _is_place(doc: Doc, span: Span) -> bool:
    return any(
        m.start < span.end_char and span.start_char < m.end for m in doc_mentions(doc, "location")
    )


RAISED_PARTICIPLES = ("levé", "obten", "obtenu", "collecté", "récolté", "perçu", "reçu", "touché")


def receiving_agent(doc: Doc, mention: Mention) -> Span | None:
    """The agent of a participle of receiving or raising that qualifies the amount: "13 millions
    d'euros levés par les acteurs de l'innovation", "2,3 millions d'euros d'aides obtenues par
    les entreprises" (who raised or obtained the money received it)."""
    amount = _amount_span(doc, mention)
    if amount is None:
        return None
    sent = sentence_of(doc, amount.start)
    heads = {t.i for t in amount}
    for token in doc[amount.end : sent.end]:  # the money noun after it: "d'aides"
        if token.dep_ == "nmod" and token.head.i in heads:
            heads.add(token.i)
    for token in doc[amount.start : sent.end]:
        if token.dep_ != "acl" or token.head.i not in heads:
            continue
        if not token.lower_.startswith(RAISED_PARTICIPLES):
            continue
        agent = next((c for c in token.children if c.dep_ == "obl:agent"), None)
        if agent is None or agent.pos_ == "PRON":
            return None
        start = agent.left_edge.i
        while start < agent.i and doc[start].pos_ in ("ADP", "DET"):
            start += 1
        end = agent.i + 1
        while end <= agent.right_edge.i and doc[end].text not in (",", "(", "qui", ";"):
            end += 1
        return doc[start:end]
    return None


RAISING_NOUNS = ("levée", "levées", "tour")


def raiser_after_amount(doc: Doc, mention: Mention) -> Span | None:
    """The company whose levée the amount is, named after it: "la levée de 160 millions d'euros
    de la start-up Ÿnsect"."""
    amount = _amount_span(doc, mention)
    if amount is None or amount.start < 2:
        return None
    before = doc[max(amount.start - 4, 0) : amount.start]
    if not any(t.lower_ in RAISING_NOUNS for t in before) or before[-1].lower_ not in (
        "de",
        "d'",
        "d’",
    ):
        return None
    sent = sentence_of(doc, amount.start)
    i = amount.end
    if i >= sent.end or doc[i].lower_ not in ("de", "du", "d'", "d’"):
        return None
    i += 1
    while i < sent.end and doc[i].pos_ == "DET":
        i += 1
    end = i
    while end < sent.end and end - i < MAX_NAME_TOKENS:
        token = doc[end]
        inner_hyphen = token.text in ("-", "\u2011") and not doc[end - 1].whitespace_
        if (token.is_punct and not inner_hyphen) or (
            end > i and token.pos_ in ("VERB", "AUX", "ADP")
        ):
            break
        end += 1
    span = doc[i:end]
    if not len(span):
        return None
    if not any(t.text[:1].isupper() for t in span):
        return _apposed_name(doc, end, sent)  # "du spécialiste girondin des batteries, Exoes,"
    return span


def _apposed_name(doc: Doc, i: int, sent: Span) -> Span | None:
    """The name set off by commas after a description: ", Exoes," in "du spécialiste girondin
    des batteries électriques, Exoes, qui ..."."""
    limit = min(sent.end, i + 8)
    while i < limit and doc[i].text != ",":
        i += 1
    if i >= limit:
        return None
    start = end = i + 1
    while end < sent.end and end - start < MAX_NAME_TOKENS and _name_token(doc[end]):
        end += 1
    if end == start or end >= sent.end or doc[end].text not in (",", ";", "."):
        return None
    return doc[start:end]


RECIPIENT_MARKERS = ("pour", "à", "au", "aux")
NOT_RECIPIENT_HEADS = frozenset(
    {"période", "année", "années", "an", "ans", "total", "montant", "mois", "durée"}
)


def _ends_party(token: Token, inside: bool) -> bool:
    """Where a party named after a marker stops: a comma, "et", "qui", or a verb or a
    preposition other than "de" that is no part of a name."""
    if token.text in (",", ";", "(", ".") or token.lower_ in ("et", "qui"):
        return True
    return (
        inside
        and token.pos_ in ("VERB", "AUX", "ADP")
        and not _name_token(token)
        and token.lower_ not in ("de", "du", "des", "d'", "d’")
    )


def marker_after_amount(doc: Doc, mention: Mention) -> Span | None:
    """The party named right after the amount by "pour" or "à", in the amount's own stretch of
    a list: "625 314 € pour la CCAVM ; 842 587 € pour le Bassin de Joinville ; 1,45 million
    d'€ pour Langres", where one marker's name was given to every amount."""
    amount = _amount_span(doc, mention)
    if amount is None:
        return None
    sent = sentence_of(doc, amount.start)
    after, _ = _segments(doc, sent, amount)
    skip = after.start
    while skip < after.end and doc[skip].lower_ in ("d'", "d’", "de", "€", "euros", "d'€", "d’€"):
        skip += 1  # "1,45 million d'€ pour Langres"
    after = doc[skip : after.end]
    if len(after) < 2 or after[0].lower_ not in RECIPIENT_MARKERS:
        return None
    if (
        not any(t.text in (";", "•") for t in sent)
        and sum(
            1 for m in doc_mentions(doc, "funding") if sent.start_char <= m.start < sent.end_char
        )
        < 3
    ):
        return None  # a list of three amounts or more, or one set out with semicolons
    start = after.start + 1
    while start < after.end and doc[start].pos_ == "DET":
        start += 1
    end = start
    while end < after.end and not _ends_party(doc[end], end > start):
        end += 1
    span = doc[start:end]
    if not len(span) or span.root.lower_ in NOT_RECIPIENT_HEADS:
        return None
    if span.root.lower_ in measure_nouns() or span.root.lower_ in _column("money_nouns.csv"):
        return None
    if not (_name_token(span[0]) or span.root.lower_ in _column("recipient_nouns.csv")):
        return None  # "pour la rénovation du lycée": a purpose, not a party
    return span
