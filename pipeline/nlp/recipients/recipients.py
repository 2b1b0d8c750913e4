"""Who receives each funding amount, chosen among the noun phrases around it by a linear ranker.

The funding component's rules name a recipient only in the sentence shapes they were written for;
real press puts recipients in many more places ("X (Ville) : 40 000 €", "la société X ... Elle
bénéficie d'une aide de ...", "3 M€ pour X"). This component lists candidates (noun chunks,
entities and clusters of the amount's sentence and the one before it), describes each with a few
dozen features (side and distance, the words before it, its syntactic role, what it is), and
scores them with logistic-regression weights trained on the real-press `real_dev` gold
(`python -m pipeline.nlp.recipients.train`). Where the funding rules named no recipient, the best
candidate is named when its probability passes the threshold chosen by cross-validation.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from pipeline.nlp.doctools import doc_text, sentence_of, sentences_before
from pipeline.nlp.funding.funding import CUES_KEY
from pipeline.nlp.funding.lexicon import load_verb_forms, read_csv
from pipeline.nlp.funding.written import written_span
from pipeline.nlp.mention import Mention, doc_mentions
from pipeline.nlp.recipients import structures

PATTERNS = Path(__file__).with_name("patterns")
MONEY_WORDS = frozenset({"€", "euros", "euro", "m€", "k€", "md€", "meur", "millions", "milliards"})
SUBJECT_PRONOUNS = frozenset({"elle", "il", "elles", "ils"})
DATIVE_PRONOUNS = frozenset({"lui", "leur"})
NAME_LABELS = ("ORG", "PER", "LOC", "MISC")
MAX_TOKEN_DISTANCE = 60


@cache
def _words(name: str, column: str) -> tuple[str, ...]:
    with (PATTERNS / name).open(encoding="utf-8") as handle:
        return tuple(row[column] for row in csv.DictReader(handle))


@cache
def _preceding_phrases() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(phrase, its words) of `preceding_words.csv`, longest first, read once."""
    phrases = sorted(_words("preceding_words.csv", "words"), key=len, reverse=True)
    return tuple((phrase, tuple(phrase.split())) for phrase in phrases)


@cache
def _recipient_nouns() -> frozenset[str]:
    return frozenset(_words("recipient_nouns.csv", "word"))


@cache
def _money_nouns() -> frozenset[str]:
    return frozenset(_words("money_nouns.csv", "word"))


@cache
def _funder_words() -> frozenset[str]:
    """Lower-cased funder aliases of the funding lexicon ("région", "bpifrance", "feder"...)."""
    return frozenset(row["alias"].lower() for row in read_csv("funders.csv"))


def _has_funder_word(text: str) -> bool:
    words = set(text.lower().replace("’", "'").split())
    return any(
        alias in words or (" " in alias and alias in text.lower()) for alias in _funder_words()
    )


@cache
def _verb_kinds() -> tuple[dict[str, str], list[tuple[str, str]]]:
    return load_verb_forms()


def verb_kind(word: str) -> str | None:
    """The funding lexicon's kind of a verb form (grant, receive, raise...), or None."""
    exact, prefixes = _verb_kinds()
    word = word.lower()
    if word in exact:
        return exact[word]
    return next((kind for prefix, kind in prefixes if word.startswith(prefix)), None)


@dataclass
class Candidate:
    """One possible recipient of one amount, with the features the ranker reads."""

    span: Span
    features: dict[str, float]

    @property
    def text(self) -> str:
        return self.span.text


def _candidate_spans(doc: Doc, scope: Span) -> Iterator[Span]:
    """Noun chunks, entities and clusters inside `scope`, each once."""
    seen: set[tuple[int, int]] = set()
    spans: list[Span] = []
    for chunk in _noun_chunks(doc):
        if scope.start <= chunk.start and chunk.end <= scope.end:
            spans.append(chunk)
    spans += [e for e in doc.ents if scope.start <= e.start and e.end <= scope.end]
    for cluster in doc_mentions(doc, "cluster"):
        span = doc.char_span(cluster.start, cluster.end, alignment_mode="expand")
        if span is not None and scope.start <= span.start and span.end <= scope.end:
            spans.append(span)
    for span in spans:
        span = _trim(span)
        if span is None:
            continue
        for candidate in (span, _extend(span, scope)):
            if (candidate.start, candidate.end) not in seen:
                seen.add((candidate.start, candidate.end))
                yield candidate


NAME_JOINERS = frozenset({"de", "du", "des", "d'", "d’", "et", "&", "-", "sur", "en"})
MAX_NAME_TOKENS = 10


def _capitalised(token) -> bool:  # noqa: ANN001
    return token.text[:1].isupper() and not token.is_punct


def _extend(span: Span, scope: Span) -> Span:
    """The span run on over the capitalised name around it: "la coopérative" + "Lait des
    Vallons", "Barthès" <- "Menuiserie" (the model's noun chunks stop at each proper noun)."""
    doc = span.doc

    def name_word(i: int) -> bool:
        token = doc[i]
        return (_capitalised(token) or token.pos_ == "PROPN") and not (
            token.is_space or token.is_punct
        )

    def line_break(i: int) -> bool:  # between token i - 1 and token i
        return "\n" in doc[i - 1].whitespace_ or doc[i].is_space or doc[i - 1].is_space

    start, end = span.start, span.end
    while start > scope.start and end - start < MAX_NAME_TOKENS and not line_break(start):
        if name_word(start - 1) and not doc[start].is_sent_start:
            start -= 1
        elif (
            doc[start - 1].lower_ in NAME_JOINERS
            and start - 2 >= scope.start
            and name_word(start - 2)
            and not line_break(start - 1)
        ):
            start -= 2
        else:
            break
    while end < scope.end and end - start < MAX_NAME_TOKENS and not line_break(end):
        if name_word(end) and not doc[end].is_sent_start:
            end += 1
        elif (
            doc[end].lower_ in NAME_JOINERS
            and end + 1 < scope.end
            and name_word(end + 1)
            and not doc[end + 1].is_sent_start
            and not line_break(end + 1)
        ):
            end += 2
        else:
            break
    return doc[start:end]


def _noun_chunks(doc: Doc) -> list[Span]:
    """The doc's noun chunks, computed once per doc."""
    cached = doc.user_data.get("veille_noun_chunks")
    if cached is None:
        try:
            cached = list(doc.noun_chunks)
        except ValueError:  # no parse: no chunks
            cached = []
        doc.user_data["veille_noun_chunks"] = cached
    return cached


def _trim(span: Span) -> Span | None:
    """Drop punctuation at the edges and a verb with what follows it; refuse pronouns, money
    and bare numbers."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if end <= start:
        return None
    for i in range(start + 1, end):
        if doc[i].pos_ in ("VERB", "AUX") and doc[i].text.islower():
            end = i  # "la société Patatam basée à Bayonne (64) compte 22 salariés"
            break
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    span = doc[start:end]
    if span.root.pos_ == "PRON" or any(t.lower_ in MONEY_WORDS for t in span):
        return None
    if all(t.like_num or t.is_punct or t.is_space for t in span):
        return None
    return span


def _preceding(doc: Doc, start: int) -> str | None:
    """The longest listed phrase ending just before token `start` ("au profit de", "à")."""
    for phrase, words in _preceding_phrases():
        begin = start - len(words)
        if begin < 0:
            continue
        if tuple(t.lower_ for t in doc[begin:start]) == words:
            return phrase
    return None


def _line_bounds(text: str, char: int) -> tuple[int, int]:
    return text.rfind("\n", 0, char) + 1, (text.find("\n", char) % (len(text) + 1)) or len(text)


def features(
    doc: Doc,
    amount: Span,
    span: Span,
    rule_recipient: str | None,
    funder: str | None,
    lead_end: int = 0,
):
    """The ranker's features of one candidate for one amount (names -> values)."""
    text = doc_text(doc)
    f: dict[str, float] = {"bias": 1.0}
    after = span.start >= amount.end
    gap = span.start - amount.end if after else amount.start - span.end
    f["after" if after else "before"] = 1.0
    f["log_gap"] = math.log1p(max(gap, 0))
    f["adjacent"] = 1.0 if gap <= 1 else 0.0
    amount_sent = sentence_of(doc, amount.start)
    same_sentence = amount_sent.start <= span.start < amount_sent.end
    f["same_sentence" if same_sentence else "previous_sentence"] = 1.0
    line_start, line_end = _line_bounds(text, amount.start_char)
    same_line = line_start <= span.start_char < line_end
    f["same_line"] = 1.0 if same_line else 0.0
    f["line_head"] = (
        1.0 if same_line and not text[line_start : span.start_char].strip(" -•—*\t") else 0.0
    )
    between = text[span.end_char : amount.start_char] if not after else ""
    f["paren_then_amount"] = (
        1.0 if not after and between.strip().startswith("(") and gap <= 3 else 0.0
    )
    f["colon_then_amount"] = (
        1.0 if not after and between.strip() in (":", "(") and gap <= 2 else 0.0
    )
    before = _preceding(doc, span.start)
    f[f"prev={before}"] = 1.0 if before else 0.0
    if before is None:
        f["prev=none"] = 1.0
    side = "after" if after else "before"
    f[f"{side}:prev={before}"] = 1.0
    root = span.root
    dep = root.dep_.split(":")[0]
    f[
        f"dep={dep}"
        if dep in ("nsubj", "obj", "obl", "nmod", "conj", "appos", "ROOT", "iobj")
        else "dep=other"
    ] = 1.0
    head_kind = verb_kind(root.head.text) if root.head is not root else None
    if head_kind:
        f[f"head_verb={head_kind}"] = 1.0
        if dep == "nsubj":
            f[f"subject_of={head_kind}"] = 1.0
        if dep in ("obj", "obl", "iobj"):
            f[f"object_of={head_kind}"] = 1.0
    f[f"{side}:dep={dep}"] = 1.0
    if root.head == amount.root.head and root.head is not root:
        f["sibling_of_amount"] = 1.0
    if root.head.i in range(amount.start, amount.end):
        f["governed_by_amount"] = 1.0
    for label in NAME_LABELS:
        if any(t.ent_type_ == label for t in span):
            f[f"ent={label}"] = 1.0
    clusters = doc_mentions(doc, "cluster")
    if any(span.start_char < c.end and c.start < span.end_char for c in clusters):
        f["cluster"] = 1.0
    propn = sum(1 for t in span if t.pos_ == "PROPN")
    f["propn_share"] = propn / len(span)
    f["starts_upper"] = 1.0 if any(t.text[:1].isupper() for t in span if not t.is_stop) else 0.0
    f["starts_number"] = 1.0 if span[0].like_num or span[0].lower_ in ("plus", "près") else 0.0
    nouns = _recipient_nouns()
    f["recipient_noun"] = 1.0 if any(t.lower_ in nouns for t in span) else 0.0
    if root.lower_ in _money_nouns():
        f["money_noun"] = 1.0
    if all(t.ent_type_ == "LOC" or t.is_stop or t.is_punct for t in span):
        f["place_only"] = 1.0
    if any(
        c.dep_ == "acl:relcl" and (verb_kind(c.text) or c.lower_.startswith("annon"))
        for c in root.children
    ):
        f["relative_funding_verb"] = 1.0  # "Cardiosens, ..., qui annonce une levée de fonds"
    f["log_length"] = math.log1p(len(span))
    if any(_capitalised(t) for t in span[1:]) and not span[0].text[:1].isupper():
        f["common_noun_then_name"] = 1.0
    if _has_funder_word(span.text):
        f["has_funder_word"] = 1.0
    outer = _outer_chunk(doc, span)
    if outer is not None:
        f["nested"] = 1.0
        if _has_funder_word(outer.text):
            f["nested_in_funder_phrase"] = 1.0
    low = span.text.lower()
    if funder and (funder.lower() in low or low in funder.lower()):
        f["is_funder"] = 1.0
    if rule_recipient and (rule_recipient.lower() in low or low in rule_recipient.lower()):
        f["rule_pick"] = 1.0
    subject_pronoun = any(
        t.dep_.startswith("nsubj") and t.lower_ in SUBJECT_PRONOUNS for t in amount_sent
    )
    dative_pronoun = any(t.lower_ in DATIVE_PRONOUNS and t.pos_ == "PRON" for t in amount_sent)
    if not same_sentence and subject_pronoun and dep == "nsubj":
        f["antecedent_of_pronoun"] = 1.0
    if not same_sentence and dative_pronoun:
        f["antecedent_of_dative"] = 1.0  # "La Région lui accorde ..."
        if dep == "nsubj":
            f["subject_antecedent_of_dative"] = 1.0
    if span.start < lead_end:
        f["lead"] = 1.0
        if not same_sentence and span.start < amount_sent.start:
            f["lead_only"] = 1.0
            f["lead_pronoun"] = 1.0 if (subject_pronoun or dative_pronoun) else 0.0
    return f


def _may_name_party(candidate: Candidate) -> bool:
    """A candidate the ranker may name: no verb at its head, some word in it, and no
    parenthesis left open or closed ("dessus),vont", where the page glued words together)."""
    span = candidate.span
    text = span.text
    return (
        span.root.pos_ not in ("VERB", "AUX")
        and any(c.isalpha() for c in text)
        and text.count("(") == text.count(")")
        and not _opening_participle(span)
    )


def _opening_participle(span: Span) -> bool:
    """A participle that opens its sentence, capitalised only for that ("Doté initialement
    par l'État de 400 millions d'euros", "Fléché vers les PME"), which the parse may take for a
    name."""
    if len(span) != 1 or not span[0].is_sent_start:
        return False
    word = span[0].lower_
    following = span.doc[span.end] if span.end < len(span.doc) else None
    return word.endswith(("é", "ée", "és", "ées")) and (
        following is None or not following.text[:1].isupper()
    )


LOCATIVE_WORDS = frozenset({"en", "dans", "depuis", "vers"})
OF_WORDS = frozenset({"de", "du", "des", "d'", "d’"})


def _located_place(candidate: Candidate) -> bool:
    """A place alone that says where, not who: after "en", "dans" ("90 M€ de subventions en
    Dordogne"), or naming the place of the common noun just before it ("la région
    Haute-Normandie", "le département du Val-de-Marne"), unless that noun may receive ("la
    commune de Vesseaux")."""
    if not candidate.features.get("place_only"):
        return False
    span = candidate.span
    doc = span.doc
    if span.start > 0 and doc[span.start - 1].lower_ in LOCATIVE_WORDS:
        return True
    before = span.start - 1
    if before > 0 and doc[before].lower_ in OF_WORDS:
        before -= 1
    return (
        before >= 0
        and doc[before].pos_ == "NOUN"
        and doc[before].text.islower()
        and doc[before].lower_ not in _recipient_nouns()  # "la commune de Vesseaux" receives
    )


def _outer_chunk(doc: Doc, span: Span) -> Span | None:
    """The noun chunk or entity strictly larger than `span` that holds it, if any."""
    for outer in [*_noun_chunks(doc), *doc.ents]:
        if outer.start <= span.start and span.end <= outer.end and len(outer) > len(span):
            return outer
    return None


def candidates(doc: Doc, mention: Mention) -> tuple[Span | None, list[Candidate]]:
    """The amount's span and its candidates (its sentence, the sentence before, and the
    article's first sentence, whom the article is about)."""
    amount = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if amount is None or not len(amount):
        return None, []
    sent = sentence_of(doc, amount.start)
    first = sentence_of(doc, sent.start - 1).start if sent.start > 0 else sent.start
    scope = doc[first : sent.end]
    rule = mention.fields.get("recipient")  # the funding rules' choice, before this component
    funder = mention.fields.get("funder")
    lead = sentence_of(doc, 0)  # the article's title or first sentence: whom it is about
    found = []
    scopes = [scope] if lead.end > first else [lead, scope]
    named = _named_cues(doc)
    for part in scopes:
        for span in _candidate_spans(doc, part):
            if span.start < amount.end and amount.start < span.end:
                continue
            if any(
                start <= span.start and span.end <= end and end - start > len(span)
                for _, start, end in named
            ):
                continue  # a piece of a funder's or programme's name ("Aquitaine", "France")
            if (
                funder
                and any(
                    kind == "funder" and start < span.end and span.start < end
                    for kind, start, end in named
                )
                and any(f.lower() in span.text.lower() for f in funder.split(", "))
            ):
                continue  # the amount's own funder
            if part is scope and abs(span.start - amount.start) > MAX_TOKEN_DISTANCE:
                continue
            candidate = Candidate(span, features(doc, amount, span, rule, funder, lead.end))
            for kind, start, end in named:
                if start < span.end and span.start < end:
                    candidate.features[f"overlaps_{kind}"] = 1.0
            found.append(candidate)
    return amount, found


def _named_cues(doc: Doc) -> list[tuple[str, int, int]]:
    """(kind, start, end) of the funder and instrument cues the funding component found
    ("Région Nouvelle-Aquitaine", "France 2030", "FEDER"), a funder's over the capitalised
    words that go on naming it ("la métropole Toulon Provence Méditerranée")."""
    cues = []
    for kind, start, end, *_ in doc.user_data.get(CUES_KEY, []):
        if kind == "funder":
            while end < len(doc) and (_name_word(doc[end]) or _inner_hyphen(doc, end)):
                end += 1
        if kind in ("funder", "instrument"):
            cues.append((kind, start, end))
    return cues


def _name_word(token: Token) -> bool:
    """A capitalised word, hyphenated ones included ("Haute-Normandie")."""
    word = token.text.replace("-", "").replace("\u2011", "")
    return bool(word) and word.isalpha() and token.text[:1].isupper()


def _inner_hyphen(doc: Doc, i: int) -> bool:
    """A hyphen inside a compound name ("Aix-Marseille-Provence"), between capitalised words."""
    return (
        doc[i].text in ("-", "\u2010", "\u2011")
        and not doc[i - 1].whitespace_
        and not doc[i].whitespace_
        and i + 1 < len(doc)
        and _name_word(doc[i + 1])
    )


@dataclass(frozen=True)
class Ranker:
    """Logistic-regression weights over candidate features, and the threshold to name one."""

    weights: dict[str, float]
    threshold: float

    def probability(self, candidate: Candidate) -> float:
        score = sum(self.weights.get(k, 0.0) * v for k, v in candidate.features.items())
        return 1.0 / (1.0 + math.exp(-max(min(score, 30.0), -30.0)))

    def best(self, found: list[Candidate]) -> tuple[Candidate | None, float]:
        if not found:
            return None, 0.0
        scored = max(found, key=self.probability)
        return scored, self.probability(scored)

    def choose(self, found: list[Candidate]) -> Candidate | None:
        """The best candidate over the threshold, widened to the longest candidate over the
        threshold that holds it ("Vallons" -> "la coopérative Lait des Vallons")."""
        best, probability = self.best(found)
        if best is None or probability < self.threshold:
            return None
        holding = [
            c
            for c in found
            if c.span.start <= best.span.start
            and best.span.end <= c.span.end
            and self.probability(c) >= self.threshold
        ]
        return max(holding, key=lambda c: len(c.span))


def load_ranker(name: str = "ranker.json") -> Ranker | None:
    """The trained ranker of `patterns/NAME`, or None where none was trained yet."""
    path = PATTERNS / name
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return Ranker(data["weights"], data["threshold"])


class RecipientRanker:
    """Name the recipient of every funding amount the rules left without one: the shapes of
    `structures` first, then the syntax of pronouns and levées, then the ranker.

    Where the rules name one it is mostly kept: on real_dev the rules and the ranker are as often
    right where both answer, and the rules' names are the written sets' regression tests. A list
    line or a name before its amount in parentheses still wins, a counted group wins over a rule
    that is seldom right, and a funder's name or a piece of a programme's is dropped."""

    def __init__(self, name: str, model: str = "ranker.json") -> None:
        self.name = name
        self.ranker = load_ranker(model)

    def __call__(self, doc: Doc) -> Doc:
        if self.ranker is None:
            return doc
        for mention in doc_mentions(doc, "funding"):
            if mention.fields.get("amount_eur") is None:
                continue
            if mention.fields.get("recipient") and not _rule_may_receive(doc, mention):
                _set(mention, None, None, None)  # a funder's name, or a piece of a programme's
            if mention.fields.get("recipient"):
                self._revise(doc, mention)
                continue
            for rule, found_by in (
                *STRUCTURES,
                # The syntax next where it is sure: whom "lui" stands for, who raises the funds.
                ("pronoun_antecedent", pronoun_antecedent),
                ("fundraiser", fundraiser),
                ("raiser_after_amount", structures.raiser_after_amount),
                ("receiving_agent", structures.receiving_agent),
                ("receiving_subject", structures.receiving_subject),
                ("group_antecedent", structures.group_antecedent),
                ("counted_group", structures.counted_group),
            ):
                span = found_by(doc, mention)
                if span is not None and _may_receive(span, rule):
                    _set_span(doc, mention, span, rule, STRUCTURE_CONFIDENCE[rule])
                    break
            else:
                _, found = candidates(doc, mention)
                found = [c for c in found if _may_name_party(c)]
                chosen = self.ranker.choose(found)
                if chosen is not None and _located_place(chosen):
                    chosen = self.ranker.choose([c for c in found if not _located_place(c)])
                if chosen is not None and chosen.span.root.lower_ in structures.measure_nouns():
                    chosen = None  # "pour 30 emplois": what the money makes, not who gets it
                if chosen is not None:
                    span = structures.name_before_town(doc, chosen.span) or chosen.span
                    probability = round(self.ranker.probability(chosen), 3)
                    _set_span(doc, mention, span, "ranker", probability)
                    continue
                lead = lead_subject(doc, mention)
                if lead is not None:
                    _set_span(doc, mention, lead, "lead_subject", LEAD_CONFIDENCE)
        for mention in doc_mentions(doc, "funding"):
            if mention.fields.get("recipient") and not names_a_recipient(
                mention.fields["recipient"]
            ):
                _set(mention, None, None, None)
        share_recipients(doc)
        return doc

    def _revise(self, doc: Doc, mention: Mention) -> None:
        """Where the funding rules named a recipient: a shape that names one surely (a list line,
        a name before its amount in parentheses) wins, a counted group wins over a rule that is
        seldom right, and a town named after its company gives way to the company."""
        weak = (mention.fields.get("recipient_confidence") or 0.0) <= WEAK_RULE_CONFIDENCE
        shapes = [*STRUCTURES, *(WEAK_RULE_SHAPES if weak else [])]
        for rule, found_by in shapes:
            span = found_by(doc, mention)
            if span is not None and _may_receive(span, rule):
                _set_span(doc, mention, span, rule, STRUCTURE_CONFIDENCE[rule])
                return
        span = _span_near(doc, mention, mention.fields["recipient"])
        if span is not None:
            company = structures.name_before_town(doc, span)
            if company is not None and names_a_recipient(company.text):
                rule = mention.fields.get("recipient_rule")
                confidence = mention.fields.get("recipient_confidence")
                _set_span(doc, mention, company, rule, confidence)


# A list names each item's own recipient: no other amount shares it.
ITEM_RULES = frozenset({"list_item", "parenthesised_name"})
SHARED_CONFIDENCE = {"same_amount": 0.5, "co_funded": 0.45}
SAME_AMOUNT_TOLERANCE = 0.01


def share_recipients(doc: Doc) -> None:
    """Name the recipient of an amount left without one from the amounts it is one event with:
    the same amount written again in the article (a title's "8,7 millions d'euros" and its
    body's), then the other funders' shares in its sentence ("L'État apporte 6 millions
    d'euros, la Région 5 millions et la métropole 1,5 million": co-funders fund one thing)."""
    mentions = [m for m in doc_mentions(doc, "funding") if m.fields.get("amount_eur") is not None]
    named = [m for m in mentions if m.fields.get("recipient")]
    if not named:
        return
    for mention in mentions:
        if mention.fields.get("recipient"):
            continue
        amount = mention.fields["amount_eur"]
        same = [
            m
            for m in named
            if abs(m.fields["amount_eur"] - amount) <= SAME_AMOUNT_TOLERANCE * amount
            and not _same_sentence(doc, mention, m)  # "25 M€ chacune ... et 25 M€ pour"
            and m.fields.get("recipient_rule") not in ITEM_RULES | {"marker_after_amount"}
        ]
        rule = "same_amount"
        if not same:
            same = [m for m in named if _co_funded(doc, mention, m)]
            rule = "co_funded"
        if not same:
            continue
        source = min(same, key=lambda m: abs(m.start - mention.start))
        mention.fields["recipient"] = source.fields["recipient"]
        mention.fields["recipient_text"] = source.fields.get("recipient_text")
        mention.fields["recipient_rule"] = rule
        mention.fields["recipient_confidence"] = SHARED_CONFIDENCE[rule]


def _co_funded(doc: Doc, mention: Mention, other: Mention) -> bool:
    """Two amounts of one sentence, each with its own funder: shares of one funding."""
    funder, other_funder = mention.fields.get("funder"), other.fields.get("funder")
    if not funder or not other_funder or funder == other_funder:
        return False
    if other.fields.get("recipient_rule") in ITEM_RULES:
        return False  # a list names each item's recipient, not a shared one
    return _same_sentence(doc, mention, other)


def _same_sentence(doc: Doc, mention: Mention, other: Mention) -> bool:
    a = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    b = doc.char_span(other.start, other.end, alignment_mode="expand")
    if a is None or b is None or not len(a) or not len(b):
        return False
    return sentence_of(doc, a.start).start == sentence_of(doc, b.start).start


# Shapes that name the recipient surely, tried first; confidences as measured on real_dev.
STRUCTURES = (
    ("list_item", structures.list_item_name),
    ("parenthesised_name", structures.parenthesised_name),
    ("marker_after_amount", structures.marker_after_amount),
    ("demonstrative_antecedent", structures.demonstrative_antecedent),
)
STRUCTURE_CONFIDENCE = {
    "list_item": 0.7,
    "marker_after_amount": 0.6,
    "parenthesised_name": 0.7,
    "demonstrative_antecedent": 0.6,
    "pronoun_antecedent": 0.5,
    "fundraiser": 0.5,
    "receiving_subject": 0.6,
    "group_antecedent": 0.5,
    "counted_group": 0.6,
    "raiser_after_amount": 0.5,
    "receiving_agent": 0.55,
}
WEAK_RULE_CONFIDENCE = 0.5
# What wins over a rule that is seldom right: who receives or raises by the syntax, a group.
WEAK_RULE_SHAPES = (
    ("receiving_agent", structures.receiving_agent),
    ("receiving_subject", structures.receiving_subject),
    ("counted_group", structures.counted_group),
)


def _rule_may_receive(doc: Doc, mention: Mention) -> bool:
    """The funding rules' recipient names no funder and is no piece of a funder's or a
    programme's name ("l'Avenir" of "Programme d'Investissement pour l'Avenir")."""
    name = mention.fields["recipient"]
    if not names_a_recipient(name):
        return False
    span = _span_near(doc, mention, name)
    if span is None:
        return True
    return not any(
        start <= span.start and span.end <= end and end - start > len(span)
        for _, start, end in _named_cues(doc)
    )


GROUP_RULES = frozenset({"counted_group", "group_antecedent"})


def _may_receive(span: Span, rule: str) -> bool:
    """A shape's name is no funder ("Bpi France en Auvergne-Rhône-Alpes : 3 Md€"); a group
    may name one as its complement ("les entreprises du département")."""
    if rule in GROUP_RULES:
        return names_a_recipient(span.text)
    return names_a_recipient(span.text) and not _has_funder_word(span.text)


def _set_span(doc: Doc, mention: Mention, span: Span, rule: str, confidence: float | None) -> None:
    """Name the recipient the article writes at `span`."""
    _set(mention, recipient_name(doc, span), rule, confidence, written_span(doc, span).text)


def _set(
    mention: Mention,
    name: str | None,
    rule: str | None,
    confidence: float | None,
    text: str | None = None,
) -> None:
    """Name the amount's recipient (or none), as normalised and as the article wrote it."""
    mention.fields["recipient"] = name
    mention.fields["recipient_text"] = text if name else None
    mention.fields["recipient_rule"] = rule
    mention.fields["recipient_confidence"] = confidence


def _span_near(doc: Doc, mention: Mention, name: str) -> Span | None:
    """Where the amount's sentence writes `name`, the occurrence nearest the amount."""
    amount = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if amount is None or not len(amount):
        return None
    sent = sentence_of(doc, amount.start)
    text = doc.text
    best = None
    at = text.find(name, sent.start_char, sent.end_char)
    while at != -1:
        if best is None or abs(at - mention.start) < abs(best - mention.start):
            best = at
        at = text.find(name, at + 1, sent.end_char)
    if best is None:
        return None
    return doc.char_span(best, best + len(name), alignment_mode="expand")


@cache
def _funding_names() -> frozenset[str]:
    """Funder aliases, programme names and `not_recipients.csv`, lower-cased: where money comes
    from, never who receives it."""
    instruments = read_csv("instruments.csv")
    names = {row["phrase"].lower() for row in instruments if row["strong"] == "1"}
    names |= {row["instrument"].lower() for row in instruments}
    names |= {name.lower() for name in _words("not_recipients.csv", "name")}
    return _funder_words() | names


def names_a_recipient(name: str) -> bool:
    """Whether a recipient can receive: not a funder's or a programme's name ("FEDER", "la
    Commission"), which is where the money comes from."""
    words = name.replace("’", "'").split()
    while words and words[0].lower() in ("le", "la", "les", "l'", "un", "une", "des", "du"):
        words = words[1:]
    if not words:
        return False
    return " ".join(words).lower() not in _funding_names()


LEAD_CONFIDENCE = 0.35


def lead_subject(doc: Doc, mention: Mention) -> Span | None:
    """Whom the article is about, for an amount given to no one named: the named subject of
    its first sentence ("Un consortium d'industriels béarnais va produire ..."), when that is
    no funder, and the amount's sentence names no other party to receive it."""
    if mention.fields.get("scope") in ("national", "european"):
        return None
    lead = sentence_of(doc, 0)
    amount = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if amount is None or amount.start < lead.end:
        return None
    cluster = _lead_cluster(doc, _opening(doc, lead, amount))
    if cluster is not None:
        return cluster
    subjects = [t for t in lead if _main_subject(t)]
    if not subjects:
        return None
    subject = subjects[0]
    if verb_kind(subject.head.text) == "grant":
        return None  # the lead's subject gives: "La commission permanente a voté ..."
    end = subject.i + 1
    while end <= subject.right_edge.i and doc[end].text not in (",", "(", "qui"):
        end += 1
    span = _trim(doc[max(subject.left_edge.i, lead.start) : end])
    if span is None or "\n" in span.text or _has_funder_word(span.text):
        return None
    clusters = doc_mentions(doc, "cluster")
    is_cluster = any(span.start_char < c.end and c.start < span.end_char for c in clusters)
    if subject.lower_ not in _recipient_nouns() and not is_cluster:
        return None  # a company, a cluster, a project, a consortium: not a minister or a vote
    named = _named_cues(doc)
    if any(s < span.end and span.start < e for _, s, e in named):
        return None
    return span


OPENING_PARAGRAPHS = 2


def _opening(doc: Doc, lead: Span, amount: Span) -> Span:
    """The article's first paragraphs (a standfirst and the opening paragraph: what the
    article is about), or only its first sentence where the amount is among them."""
    text = doc.text
    end = -1
    for _ in range(OPENING_PARAGRAPHS):
        end = text.find("\n", end + 1)
        if end == -1:
            return lead
        while end + 1 < len(text) and text[end + 1] == "\n":
            end += 1
    span = doc.char_span(0, end, alignment_mode="contract")
    if span is None or span.end > amount.start or span.end < lead.end:
        return lead
    return span


def _main_subject(token: Token) -> bool:
    """The named subject of the sentence's main verb, also after a title's kicker ("Castres :
    vingt entreprises lancent ...", where the parse makes the kicker the root)."""
    if token.dep_ not in ("nsubj", "nsubj:pass") or token.pos_ == "PRON":
        return False
    verb = token.head
    if verb.dep_ == "ROOT":
        return True
    root = verb.head
    return (
        verb.dep_ == "parataxis"
        and root.dep_ == "ROOT"
        and root.i < verb.i
        and root.i + 1 < len(root.doc)
        and root.doc[root.i + 1].text == ":"
    )


def _lead_cluster(doc: Doc, lead: Span) -> Span | None:
    """The cluster the article is about: named in its opening, and no other cluster
    named anywhere in it, the subject or object of its main verb ("Castres : vingt entreprises
    lancent le cluster Granit Numérique")."""
    clusters = doc_mentions(doc, "cluster")
    names = {(c.fields.get("name") or c.text).lower() for c in clusters}
    if len(names) != 1:
        return None
    first = next((c for c in clusters if lead.start_char <= c.start < lead.end_char), None)
    if first is None:
        return None
    span = doc.char_span(first.start, first.end, alignment_mode="expand")
    if span is None:
        return None
    root = span.root
    if root.dep_ in ("nmod", "flat:name", "appos") and root.head.i == span.start - 1:
        root = root.head  # "le cluster" + "Granit Numérique"
    if root.dep_ not in ("nsubj", "nsubj:pass", "obj"):
        return None  # a kicker ("Valorial : un pôle bien lancé") is no party to the story
    verb = root.head
    if verb.dep_ != "ROOT" and not any(_main_subject(c) for c in verb.children):
        return None
    return span


ANTECEDENT_CONFIDENCE = 0.5


def pronoun_antecedent(doc: Doc, mention: Mention) -> Span | None:
    """Who "lui" / "leur" or the subject "il" / "elle" of a receiving verb stands for in the
    amount's sentence ("Le projet est porté par ... La Région lui accorde 650 000 euros"): the
    named subject of the nearest sentence before it that has one, if it is no funder."""
    amount = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if amount is None or not len(amount):
        return None
    sent = sentence_of(doc, amount.start)
    if not any(_receiving_pronoun(t) or _demonstrative_project(t) for t in sent):
        return None
    named = _named_cues(doc)
    for previous in sentences_before(doc, sent, structures.ANTECEDENT_SENTENCES):
        subjects = [
            t
            for t in previous
            if t.dep_ in ("nsubj", "nsubj:pass") and t.head.dep_ == "ROOT" and t.pos_ != "PRON"
        ]
        if not subjects:
            continue
        subject = subjects[0]
        span = _trim(doc[subject.left_edge.i : subject.i + 1])
        if span is None or "\n" in span.text:
            return None
        span = _extend(span, previous)
        if span.root.lower_ in CARRIED_NOUNS:
            # "Le projet est porté par la coopérative X": the carrier receives the money.
            span = _carrier(doc, subject, previous) or span
        if any(s < span.end and span.start < e for kind, s, e in named if kind == "funder"):
            return None
        if _has_funder_word(span.text) or span.root.lower_ in _money_nouns():
            return None
        return span
    return None


# A project "porté par" someone: that someone is who the project's money goes to.
CARRIED_NOUNS = frozenset({"projet", "programme", "initiative", "démonstrateur"})
CARRYING_VERBS = structures.CARRYING_VERBS


def _carrier(doc: Doc, subject: Token, sentence: Span) -> Span | None:
    """Who carries the project `subject` names: the agent of "le projet est porté par X" or of
    "Porté par X, le projet ...", else the name it was given ("Le projet, baptisé Posidonie,")."""
    named = _given_name(doc, subject, sentence)
    if named is not None:
        return named
    verb = subject.head
    if verb.lower_ not in CARRYING_VERBS:
        verb = next((t for t in sentence[:2] if t.lower_ in CARRYING_VERBS), verb)
        if verb.lower_ not in CARRYING_VERBS:
            return None
    for token in sentence:
        if token.head.i != verb.i or not token.dep_.startswith("obl"):
            continue
        if doc[token.left_edge.i].lower_ != "par":
            continue
        end = token.i + 1
        for child in token.rights:
            if child.dep_ in ("conj", "cc", "punct", "acl", "acl:relcl"):
                break
            end = child.right_edge.i + 1
        start = token.left_edge.i + 1
        while start < token.i and doc[start].pos_ == "DET":
            start += 1
        return _trim(doc[start:end])
    return None


def _given_name(doc: Doc, subject: Token, sentence: Span) -> Span | None:
    """ "Le projet, baptisé Usine Connectée Ouest, ...": the capitalised name after the verb."""
    i = subject.i + 1
    if i + 2 >= sentence.end or doc[i].text != "," or doc[i + 1].lower_ not in NAMING_VERBS:
        return None
    start = end = i + 2
    while end < sentence.end and (doc[end].text[:1].isupper() or doc[end].text in {"&", "-"}):
        end += 1
    return doc[start:end] if end > start else None


NAMING_VERBS = frozenset({"baptisé", "baptisée", "nommé", "nommée", "appelé", "appelée", "dénommé"})


def fundraiser(doc: Doc, mention: Mention) -> Span | None:
    """Who raises the funds of a levée de fonds: the subject of the verb whose object is the
    "levée" ("La start-up d'Anglet ... annonce une levée de fonds"), through a relative "qui"
    to its antecedent, and to the company named in "le pari de Cardiosens, ..., qui annonce"."""
    if mention.fields.get("instrument") != "levée de fonds":
        return None
    amount = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if amount is None or not len(amount):
        return None
    sent = sentence_of(doc, amount.start)
    for token in sent:
        if not token.lower_.startswith("levée") or token.dep_ != "obj":
            continue
        verb = token.head
        subject = next((c for c in verb.children if c.dep_.startswith("nsubj")), None)
        if subject is not None and subject.lower_ == "qui" and verb.dep_ == "acl:relcl":
            subject = verb.head
        if subject is None or subject.pos_ == "PRON":
            return None
        named = [c for c in subject.children if c.dep_ == "nmod" and c.pos_ == "PROPN"]
        if subject.pos_ == "NOUN" and subject.dep_ == "ROOT" and named:
            subject = named[0]  # "le pari de Cardiosens": the company, not the bet
        end = subject.i + 1
        while end <= subject.right_edge.i and doc[end].text not in (",", "(", "qui"):
            end += 1
        start = max(subject.left_edge.i, sent.start)
        while start < subject.i and doc[start].pos_ == "ADP":
            start += 1
        span = _trim(doc[start:end])
        if span is None or _has_funder_word(span.text):
            return None
        return span
    return None


DEMONSTRATIVE_PROJECTS = frozenset(
    {"projet", "programme", "investissement", "opération", "société", "entreprise", "start-up"}
)


def _demonstrative_project(token: Token) -> bool:
    """A project or a company the funder backs, named by a demonstrative: "La Région
    accompagnera ce projet à hauteur de 4,2 M€", "Ce programme d'investissement sera accompagné
    par le Département", "l'État accorde à cette société 1,2 M€"."""
    return (
        token.lower_ in DEMONSTRATIVE_PROJECTS
        and token.dep_ in ("obj", "nsubj", "nsubj:pass", "obl", "obl:arg", "iobj")
        and any(c.dep_ == "det" and c.lower_ in ("ce", "cet", "cette") for c in token.children)
    )


def _receiving_pronoun(token) -> bool:  # noqa: ANN001
    """A dative pronoun of the sentence, or a subject pronoun of a receiving verb."""
    if token.pos_ != "PRON":
        return False
    if token.lower_ in DATIVE_PRONOUNS and token.dep_ in ("iobj", "obj", "obl:arg", "obl"):
        return True
    return (
        token.lower_ in SUBJECT_PRONOUNS
        and token.dep_.startswith("nsubj")
        and verb_kind(token.head.text) == "receive"
    )


LEADING_DETERMINERS = ("le ", "la ", "les ", "l'", "l’")


def recipient_name(doc: Doc, span: Span) -> str:
    """How a chosen candidate is written: the cluster it holds, else its text without a leading
    article ("Le pôle Xylofutur" -> the cluster "Xylofutur")."""
    for cluster in doc_mentions(doc, "cluster"):
        if span.start_char <= cluster.start and cluster.end <= span.end_char:
            return cluster.fields.get("name") or cluster.text
    text = span.text
    for determiner in LEADING_DETERMINERS:
        if text.lower().startswith(determiner) and len(text) > len(determiner) + 1:
            return text[len(determiner) :].lstrip()
    return text
