"""The funding component: amounts in a funding context, with funder, recipient and instrument.

An amount is kept only when its sentence (or, for funder and instrument, the previous one)
carries a funding cue and the cue nearest the figure is not a non-funding one ("chiffre
d'affaires de 12 M€"). Sentences with an instrument, a funder and a funding verb but no amount
give an amount-less mention spanning the instrument phrase.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from pipeline.nlp.doctools import doc_text, entity_at
from pipeline.nlp.funding.amounts import AmountMatch, find_amounts
from pipeline.nlp.funding.lexicon import (
    LexiconEntry,
    load_funder_adjectives,
    load_lexicon,
    load_recipient_markers,
    load_scope_phrases,
    load_verb_forms,
    read_csv,
    words,
)
from pipeline.nlp.funding.written import written_recipient
from pipeline.nlp.mention import Mention, add_mention, doc_mentions
from pipeline.nlp.normalizer.normalizer import normalize_text
from pipeline.ops.faults import component_fault

# Verb kinds that make a sentence a funding one by themselves; "invest" (a company may invest
# its own money), "change" and "launch" only count together with a funder or an instrument.
FUNDING_VERB_KINDS = frozenset({"grant", "receive", "raise"})
# Verbs whose grammatical subject is the recipient ("Lumina lève 4 M€").
RECIPIENT_SUBJECT_KINDS = frozenset({"receive", "raise"})
NAME_LABELS = frozenset({"ORG", "PER", "MISC"})

# Word lists of patterns/word_lists.csv (what each is for is written there).
RECIPIENT_MARKERS = load_recipient_markers()
DETERMINERS = words("determiners")
GENERIC_HEADS = words("generic_heads")
FUNDER_INTRODUCERS = words("funder_introducers")
TERMINAL_PUNCT = words("sentence_ends")
INVESTOR_MARKERS = words("investor_markers")
SUBJECT_PRONOUNS = words("subject_pronouns")
PLACE_PREPOSITIONS = words("place_prepositions")
DIRECT_GIVER_GLUE = words("direct_giver_glue")
REMAINDER_WORDS = words("remainder_words")
SUBJECT_CLITICS = words("subject_clitics")
JOINT_FUNDER_GLUE = words("joint_funder_glue")
GIVER_AFTER_INTRODUCERS = words("giver_after_introducers")
GIVER_AFTER_ARTICLES = words("giver_after_articles")
RESPECTIVE_MARKERS = words("respective_markers")
AGENT_MARKERS = words("agent_markers")
AGENT_NOUNS = words("agent_nouns")
RELATIVE_PRONOUNS = words("relative_pronouns")
NOT_RECIPIENT_AFTER_A = words("not_recipient_after_a")
OWN_MONEY_FORM_WORDS = words("own_money_form_words")
OWN_MONEY_PURPOSE_STEMS = tuple(sorted(words("own_money_purpose_stems")))
COST_HEADS = words("cost_heads")
COST_APPOSITION_WORDS = words("cost_apposition_words")
FINANCED_SHARE_STEMS = tuple(sorted(words("financed_share_stems")))
SENTENCE_WIDE_NON_FUNDING = words("sentence_wide_non_funding")
FUNDER_ADJECTIVES = load_funder_adjectives()
RECEIVE_SUBJECT_VERBS = words("receive_subject_verbs")
PASSIVE_AUXILIARIES = words("passive_auxiliaries")
PASSIVE_PRONOUNS = words("passive_pronouns")
GRAND_NOT_AGGLOMERATION = words("grand_not_agglomeration")
LOAN_GUARANTEE_INSTRUMENTS = words("loan_guarantee_instruments")
MANY_PUBLIC_FUNDERS = words("many_public_funders")
PARTICIPLE_GLUE = words("participle_glue")
LOCAL_FUNDERS = words("local_funders")
DATIVE_MARKERS = words("dative_markers")
COUNTRIES = frozenset(row["country"] for row in read_csv("countries.csv"))
COUNTRY_AFTER_RE = re.compile(
    r"\b(?:à|au|aux)\s+(?:la\s+|le\s+|les\s+|l['’])?(?:"
    + "|".join(re.escape(c) for c in sorted(COUNTRIES, key=len, reverse=True))
    + r")(?![\w-])"
)
DATIVE_NOT_AFTER = words("dative_not_after")
SCOPE_PHRASES = load_scope_phrases()


@dataclass
class Cue:
    """A lexicon hit in the doc, as token offsets."""

    kind: str
    start: int
    end: int
    name: str
    entry: LexiconEntry | None = None
    verb_kind: str = ""
    role: str = ""  # for funders: manager | owner | co_funder, from the words just before

    def distance(self, start: int, end: int) -> int:
        """Tokens between the cue and the span start:end (0 when they overlap)."""
        if self.end <= start:
            return start - self.end
        if self.start >= end:
            return self.start - end
        return 0


@dataclass
class FoundAmount:
    """An amount match mapped onto the doc's tokens."""

    match: AmountMatch
    span: Span


@dataclass
class SentenceCues:
    """The cues of one sentence, grouped by what the rules ask of them."""

    all: list[Cue]
    instruments: list[Cue]
    funders: list[Cue]
    verbs: list[Cue]
    strong_verbs: list[Cue]
    non_funding: list[Cue]
    strong_funders: list[Cue]

    @classmethod
    def of(cls, cues: list[Cue]) -> SentenceCues:
        """Group a sentence's cues by kind (strong verbs say funding by themselves)."""
        funders = [c for c in cues if c.kind == "funder"]
        verbs = [c for c in cues if c.kind == "verb"]
        return cls(
            all=cues,
            instruments=[c for c in cues if c.kind == "instrument"],
            funders=funders,
            verbs=verbs,
            strong_verbs=[c for c in verbs if c.verb_kind in FUNDING_VERB_KINDS],
            non_funding=[c for c in cues if c.kind == "non_funding"],
            strong_funders=[
                c for c in funders if c.entry is None or c.entry.extra.get("weak") != "1"
            ],
        )


@dataclass(frozen=True)
class FunderContext:
    """What the funder rules need to know of the amount besides its cues."""

    instrument_cue: Cue | None
    instrument: str | None
    recipient_tokens: set[int]
    from_previous: bool


class FundingDetector:
    """Find funding mentions (kind "funding") and add them to `doc._.veille_mentions`."""

    def __init__(
        self, nlp: Language, name: str, cue_window: int = 8, previous_sentence: bool = True
    ) -> None:
        self.name = name
        self.cue_window = cue_window
        self.previous_sentence = previous_sentence
        self.entries = load_lexicon()
        self.verb_exact, self.verb_prefixes = load_verb_forms()
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        for index, entry in enumerate(self.entries):
            pattern = nlp.make_doc(entry.phrase)
            for token in pattern:
                token.norm_ = normalize_text(token.text)
            self.matcher.add(f"veille_funding_{index}", [pattern])
        self._entry_by_key = {
            nlp.vocab.strings[f"veille_funding_{i}"]: e for i, e in enumerate(self.entries)
        }

    # -- cues -------------------------------------------------------------------------------

    def _phrase_cues(self, doc: Doc) -> list[Cue]:
        """Lexicon hits, longest first where they overlap, with funders resolved (full name,
        role, role-only references) and place uses of funder words left out."""
        cues: list[Cue] = []
        for key, start, end in self.matcher(doc):
            entry = self._entry_by_key[key]
            if entry.cased and not _case_matches(doc[start:end].text, entry.phrase):
                continue
            cue = Cue(entry.kind, start, end, entry.name, entry)
            if entry.kind == "verb":
                cue.verb_kind = entry.name
            cues.append(cue)
        # Longest match wins where phrases overlap ("prêt d'honneur" over "prêt").
        cues.sort(key=lambda c: (-(c.end - c.start), c.start))
        kept: list[Cue] = []
        taken: set[int] = set()
        for cue in cues:
            if taken.isdisjoint(range(cue.start, cue.end)):
                kept.append(cue)
                taken.update(range(cue.start, cue.end))
        kept.sort(key=lambda c: c.start)
        kept = [c for c in kept if c.kind != "funder" or _apply_name_rule(doc, c)]
        for cue in kept:
            if cue.kind == "funder":
                cue.name, cue.end = _funder_name(doc, cue)
        kept = _drop_investor_words_before_names(kept)
        roles = [c for c in kept if c.kind == "role"]
        funders = [
            c for c in kept if c.kind in ("funder", "funder_reference") and _noun_funder(doc, c)
        ]
        for cue in funders:
            cue.role = _funder_role(doc, cue, roles)
        funders = _resolve_references(funders)
        others = [
            c for c in kept if c.kind not in ("funder", "funder_reference", "role", "not_funder")
        ]
        return sorted(others + funders, key=lambda c: c.start)

    def _verb_cues(self, doc: Doc, taken: set[int]) -> list[Cue]:
        """Single-word funding verbs (exact forms and prefixes) outside other cues."""
        cues: list[Cue] = []
        for token in doc:
            if token.i in taken or token.is_punct:
                continue
            norm = token.norm_
            kind = self.verb_exact.get(norm)
            if kind is None:
                kind = next((k for p, k in self.verb_prefixes if norm.startswith(p)), None)
            if kind and kind != "none":
                cues.append(Cue("verb", token.i, token.i + 1, norm, verb_kind=kind))
        return cues

    # -- component --------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        """Add the doc's funding mentions, sentence by sentence, keeping the funders and
        funding sentences seen so far for amounts that name none."""
        component_fault(self.name, doc.text)
        phrase_cues = self._phrase_cues(doc)
        taken = {i for c in phrase_cues if c.kind != "verb" for i in range(c.start, c.end)}
        cues = sorted(phrase_cues + self._verb_cues(doc, taken), key=lambda c: c.start)
        doc.user_data[CUES_KEY] = [_cue_record(c) for c in cues]
        sentences = _sentences(doc)
        clusters = doc_mentions(doc, "cluster")
        previous_cues: list[Cue] = []
        self._recent_funders: list[tuple[int, Cue]] = []  # (sentence number, cue)
        self._last_funding_sentence = -LIST_GAP_SENTENCES - 1
        self._last_funder: str | None = None
        self._previous_amounts = False
        added: list[Mention] = []
        self._unnamed_givers: set[int] = set()
        for number, sent in enumerate(sentences):
            self._sentence_number = number
            sent_cues = [c for c in cues if sent.start <= c.start < sent.end]
            amounts = self._amounts(doc, sent)
            sent_clusters = [m for m in clusters if sent.start_char <= m.start < sent.end_char]
            _mark_receivers(doc, sent, sent_cues, amounts)
            used_instruments: set[int] = set()
            for found in amounts:
                result = self._amount_mention(
                    doc, sent, found, amounts, sent_cues, previous_cues, sent_clusters
                )
                if result is not None:
                    mention, instrument_cue = result
                    if instrument_cue is not None:
                        used_instruments.add(instrument_cue.start)
                    add_mention(doc, mention)
                    added.append(mention)
                    self._last_funding_sentence = number
                    if mention.fields.get("amount_eur") is not None:
                        self._last_funder = _chain_funder(mention) or self._last_funder
            for mention in self._amountless_mentions(
                doc, sent, sent_cues, used_instruments, bool(amounts), sent_clusters
            ):
                add_mention(doc, mention)
            previous_cues = sent_cues
            self._previous_amounts = bool(amounts)
            self._recent_funders += [(number, c) for c in sent_cues if c.kind == "funder"]
        if self.previous_sentence:
            scoped = [m for m in added if id(m) not in self._unnamed_givers]
            _scope_funders(doc, scoped, cues)
        return doc

    def _amounts(self, doc: Doc, sent: Span) -> list[FoundAmount]:
        """The amounts of a sentence, mapped onto the doc's tokens."""
        found: list[FoundAmount] = []
        for match in find_amounts(sent.text):
            start = sent.start_char + match.start
            end = sent.start_char + match.end
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            text = doc_text(doc)[start:end]
            shifted = AmountMatch(start, end, text, match.amount, match.currency_source)
            found.append(FoundAmount(shifted, span))
        return found

    def _amount_mention(
        self,
        doc: Doc,
        sent: Span,
        found: FoundAmount,
        amounts: list[FoundAmount],
        sent_cues: list[Cue],
        previous_cues: list[Cue],
        sent_clusters: list[Mention],
    ) -> tuple[Mention, Cue | None] | None:
        """The funding mention of one amount and the instrument cue it used; None when the
        amount is no funding (no cue, a non-funding cue nearest it, own money...)."""
        span = found.span
        cues = SentenceCues.of(sent_cues)
        local = self._local_cue(span, amounts, sent_cues)
        context = self._funding_context(doc, sent, span, amounts, local, cues, previous_cues)
        if context is None:
            return None
        from_previous = context == "previous"
        recipient, recipient_tokens, recipient_rule = self._recipient(
            doc, sent, span, amounts, sent_cues, sent_clusters
        )
        if _to_a_country(doc, sent, span, recipient):
            return None  # a loan or aid to a foreign country is no regional funding
        instrument_cue = self._instrument_cue(span, local, cues, previous_cues)
        instrument = instrument_cue.name if instrument_cue else None
        if instrument is None and any(c.verb_kind == "raise" for c in cues.verbs):
            instrument = "levée de fonds"
        funder, funder_cue = self._funder(
            doc,
            sent,
            span,
            amounts,
            cues,
            previous_cues,
            FunderContext(instrument_cue, instrument, recipient_tokens, from_previous),
        )
        instrument = _investment_instrument(instrument, funder_cue, cues.verbs)
        confidence, rule = _confidence_and_rule(found, local, cues, from_previous)
        mention = _funding_mention(
            found, sent, funder, recipient, instrument, min(confidence, 0.95), rule
        )
        mention.fields.update(
            _link_fields("funder", self._funder_rule if mention.fields["funder"] else None),
        )
        mention.fields.update(_link_fields("recipient", recipient_rule if recipient else None))
        mention.fields["recipient_text"] = written_recipient(
            doc, recipient, recipient_tokens, sent_clusters
        )
        if self._funder_unnamed:
            self._unnamed_givers.add(id(mention))
        mention.fields["scope"] = funding_scope(
            mention.sentence,
            found.match.amount.amount_eur,
            mention.fields["funders"],
            instrument_cue,
        )
        return mention, instrument_cue

    def _funding_context(
        self,
        doc: Doc,
        sent: Span,
        span: Span,
        amounts: list[FoundAmount],
        local: Cue | None,
        cues: SentenceCues,
        previous_cues: list[Cue],
    ) -> str | None:
        """Whether the amount is funding: "sentence" when its own sentence says so, "previous"
        when it continues the funding of the sentences before, None when it is no funding."""
        span_cues = cues.all
        if local is not None and local.kind == "non_funding":
            return None
        if any(c.name in SENTENCE_WIDE_NON_FUNDING for c in cues.non_funding):
            return None
        if _own_money(doc, span, amounts, span_cues) or _not_funding_object(
            span, [a.span for a in amounts], span_cues
        ):
            return None
        if _cost_apposition(doc, span) or _bank_loan(span, amounts, cues):
            return None
        if _financed_share_total(doc, span, amounts, local):
            return None
        if _symbolic(found_amount_eur(amounts, span), span, cues):
            return None
        if not any(_strong_instrument(c) for c in cues.instruments) and _invests_in_itself(
            doc, span, cues.verbs
        ):
            return None
        if (
            cues.instruments
            or cues.strong_funders
            or cues.strong_verbs
            or _public_spender(doc, span, cues.funders, cues.verbs)
        ):
            return "sentence"
        if not self._continues_funding(sent, previous_cues):
            return None
        if cues.non_funding:
            return None
        if any(c.verb_kind == "invest" for c in cues.verbs) and not any(
            _passive_spending(doc, a.span, cues.verbs) for a in amounts
        ):
            return None
        return "previous"

    def _continues_funding(self, sent: Span, previous_cues: list[Cue]) -> bool:
        """A sentence without cues still tells funding after a sentence with an instrument or
        a strong funder, or as an item of a list of grants ("Suivent X (1,5 M€), Y (1 M€)")
        shortly after funding or a public funder."""
        if not self.previous_sentence:
            return False
        if any(c.kind == "instrument" or _strong_funder(c) for c in previous_cues):
            return True
        if not _list_like(sent):
            return False
        if self._sentence_number - self._last_funding_sentence <= LIST_GAP_SENTENCES:
            return True
        return any(
            self._sentence_number - n <= RECENT_FUNDER_SENTENCES and _public(c)
            for n, c in self._recent_funders
        )

    def _instrument_cue(
        self, span: Span, local: Cue | None, cues: SentenceCues, previous_cues: list[Cue]
    ) -> Cue | None:
        """The instrument of the amount: the local cue, else the sentence's instrument nearest
        the amount, else the last instrument of the sentence before (a levée de fonds there
        does not carry over to a sentence naming a public funder)."""
        if local is not None and local.kind == "instrument":
            return local
        if cues.instruments:
            return min(cues.instruments, key=lambda c: c.distance(span.start, span.end))
        if not self.previous_sentence:
            return None
        previous_instruments = [c for c in previous_cues if c.kind == "instrument"]
        cue = previous_instruments[-1] if previous_instruments else None
        return None if _inherited_levee_overridden(cue, cues.funders) else cue

    def _funder(
        self,
        doc: Doc,
        sent: Span,
        span: Span,
        amounts: list[FoundAmount],
        cues: SentenceCues,
        previous_cues: list[Cue],
        context: FunderContext,
    ) -> tuple[str | None, Cue | None]:
        """Who gives the amount, and the funder cue when one names it: a giver named by the
        amount's own phrase first, then the sentence's funders, then earlier sentences, then
        the class of an instrument (investors of a levée, the EU of FEDER)."""
        self._funder_unnamed = False
        funder, funder_cue = _named_giver(doc, sent, span, amounts, cues, context)
        rule = "amount_phrase" if funder is not None else None
        if funder is None:
            funder = _adjective_funder(doc, context.instrument_cue, span)
            rule = "instrument_adjective" if funder is not None else None
        if funder is None and context.instrument != "levée de fonds":
            funder, funder_cue = _grant_verb_giver(doc, sent, span, cues, context)
            if funder is not None:
                rule = "sentence_funder" if funder_cue is not None else "grant_subject"
        if funder is not None and funder_cue is None:
            if funder == _implied_next_to(context.instrument_cue, span):
                rule = "programme"
            elif context.instrument == "levée de fonds":
                rule = "investors"
        if funder is None:
            funder, funder_cue = self._giver_from_funders(
                doc, sent, span, amounts, cues, previous_cues, context
            )
            if funder_cue is not None:
                inside = sent.start <= funder_cue.start < sent.end
                rule = "sentence_funder" if inside else "earlier_sentence"
                if not inside and context.instrument == "levée de fonds":
                    # A levée's money is its investors': a public body of an earlier
                    # sentence gives none of it.
                    funder, funder_cue, rule = None, None, None
            elif funder is not None:
                rule = "list_chain" if funder == self._last_funder else "grant_subject"
        if funder is None and context.instrument == "levée de fonds":
            funder, rule = "investisseurs", "fundraising"
        if funder is None:
            funder = _instrument_implied_funder(
                sent, context.instrument_cue, cues.instruments, self._previous_amounts
            )
            rule = "programme" if funder is not None else None
        self._funder_rule = rule
        return funder, funder_cue

    def _giver_from_funders(
        self,
        doc: Doc,
        sent: Span,
        span: Span,
        amounts: list[FoundAmount],
        cues: SentenceCues,
        previous_cues: list[Cue],
        context: FunderContext,
    ) -> tuple[str | None, Cue | None]:
        """The giver among the sentence's funders (an owner of the money, the public funder a
        pronoun subject stands for, else the nearest), a named subject of the grant verb, or,
        with none in the sentence, a funder of the sentences before."""
        candidates = _candidate_funders(doc, sent, span, cues, context)
        owners = [c for c in candidates if c.role == "owner"]
        pronoun_giver = self._pronoun_giver(doc, sent, span, cues.verbs, candidates)
        if owners:
            # "géré par Bpifrance pour le compte de la Région": the money is the Région's.
            return owners[0].name, owners[0]
        if pronoun_giver is not None:
            return _funder_name(doc, pronoun_giver)[0], pronoun_giver
        if candidates:
            nearest = min(candidates, key=lambda c: _funder_distance(doc, c, span, amounts))
            return _joint_funders(doc, nearest, candidates), nearest
        funder = _named_subject(doc, sent, span, cues.strong_verbs)
        if funder is not None or not self.previous_sentence:
            return funder, None
        if _unnamed_funder(context.instrument_cue, span) or _unlisted_agent(
            doc, sent, span, cues.all
        ):
            self._funder_unnamed = True  # a giver is named, but none of the lexicon
            return None, None
        earlier = self._earlier_funder(
            sent, previous_cues, cues.verbs, bool(cues.instruments), context.from_previous
        )
        if earlier is not None:
            return _funder_name(doc, earlier)[0], earlier
        if self._chained(sent, cues.verbs, previous_cues, context.from_previous):
            # The next item of a list of grants: the funder of the item before.
            return self._last_funder, None
        return None, None

    def _recent_public_funders(self) -> list[Cue]:
        """Public funders of the last few sentences, managers of others' money left out."""
        return [
            c
            for n, c in self._recent_funders
            if self._sentence_number - n <= RECENT_FUNDER_SENTENCES
            and _public(c)
            and _strong_funder(c)
            and c.role not in ("manager", "recipient")
        ]

    def _pronoun_giver(
        self, doc: Doc, sent: Span, span: Span, verbs: list[Cue], candidates: list[Cue]
    ) -> Cue | None:
        """ "Elle y ajoute 45 000 euros", "Il lui verse 60 000 euros": a subject pronoun opening
        the sentence, then a grant verb before the amount, and no funder named before it. The
        giver is the public funder named last in the sentences before."""
        if sent[0].norm_ not in SUBJECT_PRONOUNS:
            return None
        if not any(c.verb_kind == "grant" and c.end <= span.start for c in verbs):
            return None
        if any(c.start < span.start for c in candidates):
            return None
        recent = self._recent_public_funders()
        return recent[-1] if recent else None

    def _earlier_funder(
        self,
        sent: Span,
        previous_cues: list[Cue],
        verbs: list[Cue],
        has_instrument: bool,
        from_previous: bool,
    ) -> Cue | None:
        """The funder of an amount whose sentence names none: the public funder of the sentence
        before (its owner when one is named as such), unless the amount continues a list of
        grants; else one named a few sentences back ("La Région a voté ... Trois PME ...")."""
        previous = [
            c
            for c in previous_cues
            if _strong_funder(c) and _public(c) and c.role not in ("manager", "recipient")
        ]
        owners = [c for c in previous if c.role == "owner"]
        if owners or previous:
            if self._chained(sent, verbs, previous_cues, from_previous, listing_only=True):
                return None
            return (owners or previous)[-1]
        if self._chained(sent, verbs, previous_cues, from_previous):
            return None
        strong = any(c.verb_kind in FUNDING_VERB_KINDS for c in verbs)
        recent = self._recent_public_funders()
        if recent and (strong or has_instrument or from_previous):
            return recent[-1]
        return None

    def _chained(
        self,
        sent: Span,
        verbs: list[Cue],
        previous_cues: list[Cue],
        from_previous: bool,
        listing_only: bool = False,
    ) -> bool:
        """The amount continues a series of grants whose last item had a funder: a list item
        ("– Optisol : 340 000 euros ;"), or (unless `listing_only`) an "X reçoit ..." sentence
        a sentence or two after a funding one ("La mégisserie Ribière reçoit 250 000 euros.")."""
        if self._last_funder is None:
            return False
        gap = self._sentence_number - self._last_funding_sentence
        if gap <= LIST_GAP_SENTENCES and (from_previous or _list_like(sent)):
            return True
        receives = any(c.verb_kind == "receive" for c in verbs)
        return not listing_only and gap <= LIST_GAP_SENTENCES and receives

    def _local_cue(self, span: Span, amounts: list[FoundAmount], cues: list[Cue]) -> Cue | None:
        """The cue nearest the amount: left within the window, or right after "de" ("12 M€ de
        chiffre d'affaires"); never across another amount."""
        best: tuple[int, Cue] | None = None
        for cue in cues:
            if cue.kind == "verb" and cue.verb_kind not in FUNDING_VERB_KINDS:
                continue
            if cue.end <= span.start:
                gap = span.start - cue.end
                if gap > self.cue_window:
                    continue
                if cue.kind == "verb":
                    # What follows "de" says what the money is ("apportent 1,5 M€ de fonds
                    # propres", "accompagné 240 M€ d'investissements"): it beats the verb.
                    gap += 2
            elif cue.start >= span.end:
                gap = cue.start - span.end
                between = [t.norm_ for t in span.doc[span.end : cue.start]]
                adjacent_price = cue.kind == "non_funding" and not between  # "un euro symbolique"
                if not adjacent_price and (
                    cue.kind not in ("instrument", "non_funding")
                    or between not in (["de"], ["d'"], ["du"])
                ):
                    continue
            else:
                continue
            low, high = (cue.end, span.start) if cue.end <= span.start else (span.end, cue.start)
            if any(low <= a.span.start and a.span.end <= high for a in amounts):
                continue
            if best is None or gap < best[0]:
                best = (gap, cue)
        return best[1] if best else None

    def _recipient(
        self,
        doc: Doc,
        sent: Span,
        span: Span,
        amounts: list[FoundAmount],
        cues: list[Cue],
        clusters: list[Mention],
    ) -> tuple[str | None, set[int], str | None]:
        """Who gets the money: subject of "bénéficie de" / "lève", object of "soutient", a name
        after "à" / "au profit de" / "pour" / "dans", or the sentence's only cluster; else None.
        Returns the name, its tokens and the rule that found it."""
        blocked = {i for c in cues if c.kind == "funder" for i in range(c.start, c.end)}
        for found in amounts:
            blocked.update(range(found.span.start, found.span.end))
        verbs = [c for c in cues if c.kind == "verb"]
        verbs.sort(key=lambda c: c.distance(span.start, span.end))
        for cue in verbs:
            if cue.verb_kind in RECIPIENT_SUBJECT_KINDS:
                found = _subject_name(doc, sent, doc[cue.start], blocked, clusters)
                if found is not None:
                    return (*found, "receiver_subject")
        for cue in verbs:
            if cue.verb_kind == "grant":
                found = _object_name(doc, sent, doc[cue.start], blocked, clusters)
                if found is not None:
                    return (*found, "grant_object")
        # Markers after the amount first, nearest first; then those before it.
        markers = _marker_positions(sent)
        markers.sort(key=lambda m: (m[0] < span.end, abs(m[0] - span.end)))
        for _, after in markers:
            found = _name_after(doc, sent, after, blocked, clusters)
            if found is not None:
                return (*found, "recipient_marker")
        if len(clusters) == 1:
            return _cluster_name(clusters[0]), set(), "only_cluster"
        return None, set(), None

    def _amountless_mentions(
        self,
        doc: Doc,
        sent: Span,
        cues: list[Cue],
        used_instruments: set[int],
        has_amount: bool,
        clusters: list[Mention],
    ) -> list[Mention]:
        """Funding news without a figure: a strong instrument, a funder and a funding verb."""
        verbs = [c for c in cues if c.kind == "verb" and c.verb_kind != "receive"]
        if not verbs or has_amount:
            return []
        funders = [c for c in cues if c.kind == "funder"]
        mentions: list[Mention] = []
        for cue in cues:
            if cue.kind != "instrument" or cue.start in used_instruments:
                continue
            if cue.entry is None or cue.entry.extra.get("strong") != "1":
                continue
            implied = cue.entry.extra.get("implied_funder") or None
            if not funders and not implied:
                continue
            if not funders and not any(
                v.verb_kind in FUNDING_VERB_KINDS and doc[v.start].pos_ in ("VERB", "AUX")
                for v in verbs
            ):
                # A programme named in passing ("le budget, ajusté pour les fonds européens,
                # met l'accent sur le soutien à ...") tells funding only with a verb (not a
                # noun: "soutien") that grants or raises money.
                continue
            funder = (
                min(funders, key=lambda c: c.distance(cue.start, cue.end)).name
                if funders
                else implied
            )
            mentions.append(_amountless_mention(doc, sent, cue, funder, bool(funders), clusters))
        return mentions


def _amountless_mention(
    doc: Doc, sent: Span, cue: Cue, funder: str | None, named: bool, clusters: list[Mention]
) -> Mention:
    """The mention of an instrument without a figure, spanning the instrument phrase; the
    sentence's only cluster is its recipient."""
    phrase = doc[cue.start : cue.end]
    recipient = _cluster_name(clusters[0]) if len(clusters) == 1 else None
    funders = split_funders(funder)
    return Mention(
        kind="funding",
        start=phrase.start_char,
        end=phrase.end_char,
        text=phrase.text,
        confidence=0.45 if named else 0.4,
        rule="instrument_without_amount",
        fields={
            "amount_eur": None,
            "amount_text": None,
            "funder": funder,
            "funders": funders,
            "recipient": recipient,
            "recipient_text": written_recipient(doc, recipient, (), clusters[:1]),
            "instrument": cue.name,
            "scope": funding_scope(sent.text, None, funders, cue),
            **_link_fields(
                "funder", ("sentence_funder" if named else "programme") if funder else None
            ),
            **_link_fields("recipient", "only_cluster" if recipient else None),
            "amount_max_eur": None,
            "approximate": False,
            "currency": None,
        },
        sentence=sent.text,
    )


# Below this, an amount is a symbolic or unit price ("1 €", "50 euros la tonne"), not funding.
MIN_FUNDING_EUR = 100
# An instrument this close to an amount names its funder (FEDER -> Union européenne).
IMPLIED_FUNDER_WINDOW = 4
# Own-money cues ("eux-mêmes", "trésorerie") this close after an amount make it no funding.
OWN_MONEY_LABEL = "investissement propre"
OWN_MONEY_WINDOW = 20
# A list of grants may have a heading line between its items ("Les principaux lauréats :").
LIST_GAP_SENTENCES = 2
# How many sentences back a funder named earlier in the article still applies to an amount.
RECENT_FUNDER_SENTENCES = 3
# How often each rule that links a funder or a recipient to an amount is right: the share
# measured on the real-press dev articles, pulled towards 0.6 where a rule fired a few times
# only; rules never seen there keep 0.6 or less.
# How many heads up the parse an amount may hang from its grant verb (amount, aid noun, verb).
GRANT_VERB_HEADS = 3
DETACHED_DEPS = frozenset({"nsubj", "nsubj:pass", "conj", "appos"})
LINK_CONFIDENCE = {
    "amount_phrase": 0.85,
    "sentence_funder": 0.67,
    "list_chain": 0.8,
    "earlier_sentence": 0.52,
    "article_funder": 0.8,
    "paragraph_funder": 0.6,
    "grant_subject": 0.6,
    "programme": 0.5,
    "investors": 0.6,
    "fundraising": 0.5,
    "receiver_subject": 0.5,
    "grant_object": 0.57,
    "recipient_marker": 0.48,
    "only_cluster": 0.3,
}
# A funder named at least twice as often as any other is the article's (or paragraph's).
DOMINANT_RATIO = 2
# An envelope this big is no région's funding unless the sentence says it lands there.
NATIONAL_ENVELOPE_EUR = 1e9


def _named_giver(
    doc: Doc,
    sent: Span,
    span: Span,
    amounts: list[FoundAmount],
    cues: SentenceCues,
    context: FunderContext,
) -> tuple[str | None, Cue | None]:
    """A giver the amount's own phrase names: investors of a levée ("auprès de X"), the funder
    paired by "respectivement", a public funder right after the amount ("de la Région"), the
    funder of an instrument by the amount (FEDER), or a named organisation right after it."""
    if context.instrument == "levée de fonds":
        investors = _investors(doc, sent, span, context.recipient_tokens, cues.all)
        if investors is not None:
            return investors, None
    for cue in (
        _respective_funder(doc, sent, span, amounts, cues.funders),
        _direct_giver(doc, span, cues.funders),
    ):
        if cue is not None:
            return _funder_name(doc, cue)[0], cue
    implied = _implied_next_to(context.instrument_cue, span)
    if implied is not None:
        return implied, None
    return _giver_after(doc, span), None


def _candidate_funders(
    doc: Doc, sent: Span, span: Span, cues: SentenceCues, context: FunderContext
) -> list[Cue]:
    """The sentence's funders that may give the amount: not the recipient (nor a body on the
    receiving side), not the manager of others' money, not a description of another funder,
    and public unless the money is invested (investors fund a levée de fonds, not a grant:
    "un fonds de 25 M€" is no funder)."""
    investing = any(c.verb_kind in ("invest", "raise") for c in cues.verbs)
    return [
        c
        for c in cues.funders
        if context.recipient_tokens.isdisjoint(range(c.start, c.end))
        and (context.instrument == "levée de fonds" or _public(c) or investing)
        and not _manager(doc, c)
        and c.role != "recipient"
        and not _describes_funder(doc, c, cues.funders, span)
    ]


def _apply_name_rule(doc: Doc, cue: Cue) -> bool:
    """Funders named with the words around their alias: "Normandie Participations" (a
    regional investment company, named by the capitalised words before "Participations") and
    "le Grand Chalon" (an agglomération: "Grand" then a capitalised name, not "Grand Est").
    Moves the cue's bounds over the name; False when the name is missing."""
    rule = cue.entry.extra.get("name_rule") if cue.entry is not None else ""
    if rule == "place_prefix":
        start = cue.start
        while start > 0 and (
            (doc[start - 1].text[:1].isupper() and doc[start - 1].is_alpha)
            or (doc[start - 1].text == "-" and not doc[start - 1].whitespace_)
        ):
            start -= 1
        if start == cue.start or doc[start].text == "-":
            return False
        cue.name = doc[start : cue.end].text
        cue.start = start
        return True
    if rule == "place_suffix":
        end = cue.end
        while end < len(doc) and (
            (doc[end].text[:1].isupper() and doc[end].is_alpha)
            or (doc[end].text == "-" and not doc[end].whitespace_)
        ):
            end += 1
        name = doc[cue.end : end]
        if not len(name) or name[0].text in GRAND_NOT_AGGLOMERATION:
            return False
        if any(t.text in GRAND_NOT_AGGLOMERATION or t.norm_ == "métropole" for t in name):
            return False
        cue.end = end
        return True
    if rule == "agent":
        return _agent_position(doc, cue)
    return True


def _agent_position(doc: Doc, cue: Cue) -> bool:
    """ "la région" in lower case names the regional council only where it acts: the subject
    of a verb ("la région fournira 135 000 €"), the agent after "par" ("financés par la
    région"), or the giver after an aid noun ("une aide de la région"); elsewhere it is the
    territory ("les entreprises de la région")."""
    token = doc[cue.start]
    before = [t.norm_ for t in doc[max(0, cue.start - 3) : cue.start]]
    if not before or before[-1] != "la":
        return False
    if token.dep_ in ("nsubj", "nsubj:pass") and token.head.pos_ in ("VERB", "AUX"):
        return True
    if len(before) >= 2 and before[-2] in AGENT_MARKERS:
        return True
    if before[-2:] != ["de", "la"]:
        return False
    giver_of = before[0] if len(before) == 3 else ""
    return giver_of in AGENT_NOUNS or giver_of == "part" or token.head.norm_ in AGENT_NOUNS


def _drop_investor_words_before_names(cues: list[Cue]) -> list[Cue]:
    """An investor word whose name is another funder of the lexicon ("le fonds régional
    Normandie Participations") gives way to that funder."""
    funders = [c for c in cues if c.kind == "funder"]
    dropped = {
        id(c)
        for c in funders
        if not _public(c) and any(o is not c and c.start < o.start < c.end for o in funders)
    }
    return [c for c in cues if id(c) not in dropped]


def found_amount_eur(amounts: list[FoundAmount], span: Span) -> float | None:
    """The euro value of the amount at `span`."""
    found = next((a for a in amounts if a.span.start == span.start), None)
    return found.match.amount.amount_eur if found is not None else None


def _symbolic(amount_eur: float | None, span: Span, cues: SentenceCues) -> bool:
    """A symbolic or unit price, never funding: below MIN_FUNDING_EUR ("cède le terrain pour
    1 €"), or covered by a non-funding phrase ("pour un euro symbolique")."""
    if amount_eur is not None and amount_eur < MIN_FUNDING_EUR:
        return True
    return any(
        c.kind == "non_funding" and c.start < span.end and c.end > span.start for c in cues.all
    )


def _cost_apposition(doc: Doc, span: Span) -> bool:
    """The amount is the cost of what a noun phrase names, in apposition: "Le projet, d'un
    montant de 3,6 M€, comprendra...", "Le parking, de 280 000 euros, sera aménagé" (a cost
    noun before the comma); "L'aide, de 28 M€" stays funding."""
    index = span.start - 1
    while index >= 0 and span.start - index <= 5 and doc[index].norm_ in COST_APPOSITION_WORDS:
        index -= 1
    if index < 1 or index == span.start - 1 or doc[index].text != ",":
        return False
    if doc[index + 1].norm_ not in ("de", "d'"):
        return False
    for token in reversed(doc[max(0, index - 4) : index]):
        if token.norm_ in COST_HEADS:
            return True
        if token.is_punct or token.pos_ == "VERB":
            break
    return False


def _financed_share_total(
    doc: Doc, span: Span, amounts: list[FoundAmount], local: Cue | None
) -> bool:
    """The amount is a cost of which a share is financed ("un budget de 22 M€, dont 9 M€ pris
    en charge par l'UE", "40 M€ de R&D financés à 60 % par les industriels"): the share may be
    funding, the total is not, unless an instrument names the total ("une aide de 5 M€, dont
    2 M€ financés par le FEDER")."""
    if local is not None and local.kind == "instrument" and local.end <= span.start:
        return False
    after = doc[span.end : min(len(doc), span.end + 4)]
    share = next((a.span for a in amounts if a.span.start > span.start), None)
    if share is not None and share.start - span.end <= 3:
        if "dont" in {t.norm_ for t in doc[span.end : share.start]}:
            after = doc[share.end : min(len(doc), share.end + 4)]
        elif share.start - span.end > 0:
            share = None
    else:
        share = None
    for i, token in enumerate(after):
        if not token.norm_.startswith(FINANCED_SHARE_STEMS):
            continue
        rest = [t.norm_ for t in after[i + 1 :]] + [
            t.norm_ for t in doc[after.end : min(len(doc), after.end + 4)]
        ]
        if share is not None and "par" in rest[:4]:
            return True
        glued = not any(t.is_punct for t in after[:i])  # "40 M€ de R&D financés à 60 %"
        if glued and "%" in rest[:4] and rest[0] in ("à", "a"):
            return True
    return False


def _bank_loan(span: Span, amounts: list[FoundAmount], cues: SentenceCues) -> bool:
    """A commercial bank's loan to a company ("un prêt de 3,2 M€ auprès d'un pool de trois
    banques", "le Crédit Agricole lui prête 2 M€"): the company's own financing, unless a
    guarantee or a public funder in the sentence makes it funding."""
    banks = [c for c in cues.all if c.kind == "bank" and c.distance(span.start, span.end) <= 8]
    if not banks:
        return False
    if any(c.name in LOAN_GUARANTEE_INSTRUMENTS for c in cues.instruments):
        return False
    if any(_public(c) and _strong_funder(c) for c in cues.funders):
        return False
    for bank in banks:
        low, high = (bank.end, span.start) if bank.end <= span.start else (span.end, bank.start)
        if not any(low <= a.span.start and a.span.end <= high for a in amounts):
            return True
    return False


def _passive_spending(doc: Doc, span: Span, verbs: list[Cue]) -> bool:
    """The amount is the subject of a passive spending verb with "y": "34 M€ y seront
    consacrés" spends the money of the funder named before, not a company's own."""
    for verb in verbs:
        if verb.verb_kind != "invest" or verb.start < span.end or verb.start - span.end > 4:
            continue
        between = [t.norm_ for t in doc[span.end : verb.start]]
        if between and between[0] in PASSIVE_PRONOUNS and set(between[1:]) <= PASSIVE_AUXILIARIES:
            return True
    return False


def _mark_receivers(doc: Doc, sent: Span, cues: list[Cue], amounts: list[FoundAmount]) -> None:
    """Give the role "recipient" to the sentence's funders that get one of its amounts: they
    give no money there, nor in the sentences after."""
    for cue in cues:
        if cue.kind == "funder" and any(_receiving_side(doc, sent, cue, a.span) for a in amounts):
            cue.role = "recipient"


def _receiving_side(doc: Doc, sent: Span, cue: Cue, span: Span) -> bool:
    """A public body that gets the amount: subject of a receiving verb ("La commune de
    Libourne reçoit 780 000 euros") or head of a list item ("• la ville de Lorient : 640 000
    euros")."""
    if cue.start >= span.end and _after_dative(doc, cue, span):
        return True
    if cue.end > span.start:
        return False
    between = doc[cue.end : span.start]
    verbs = [t for t in between if t.pos_ in ("VERB", "AUX")]
    if verbs and verbs[0].norm_ in RECEIVE_SUBJECT_VERBS:
        return all(t.norm_ not in (",", ";") for t in doc[cue.end : verbs[0].i])
    weak = cue.entry is not None and cue.entry.extra.get("weak") == "1"
    if weak and any(t.text == ":" for t in between) and not verbs:
        # Financing plans list their funders the same way ("• Région Bretagne : 2 M€"), by
        # their full names: only a weak alias ("la ville de Lorient") heads a beneficiary.
        head = doc[sent.start : cue.start]
        return len(head) <= 2 and all(t.is_punct or t.norm_ in DETERMINERS for t in head)
    return False


def _to_a_country(doc: Doc, sent: Span, span: Span, recipient: str | None) -> bool:
    """The amount goes to a foreign country: its recipient is one, or one follows "à", "au"
    or "aux" in the amount's clause ("un prêt de 500 M€ à la Tunisie")."""
    if recipient is not None and _bare_name(recipient) in COUNTRIES:
        return True
    # The amount's own clause only: "..., qui exporte au Maroc" says nothing of the money.
    after = re.split(r"[,;:(]| qui ", doc_text(doc)[span.end_char : sent.end_char])[0]
    match = COUNTRY_AFTER_RE.search(after)
    return match is not None


def _bare_name(name: str) -> str:
    """A name without its leading article ("la Tunisie" -> "Tunisie")."""
    words = name.split(maxsplit=1)
    if len(words) == 2 and words[0].lower() in ("la", "le", "les", "l'"):
        return words[1]
    return name[2:] if name.lower().startswith("l'") else name


def _after_dative(doc: Doc, cue: Cue, span: Span) -> bool:
    """A public body the amount goes to: "2,2 M€ alloués à la communauté d'agglomération",
    "500 000 euros pour la commune" (a dative marker right before the body, after the amount;
    "grâce à la Région" names a giver)."""
    if cue.start - span.end > 10:
        return False
    index = cue.start - 1
    while index >= span.end and doc[index].norm_ in DETERMINERS:
        index -= 1
    if index > span.end and doc[index].norm_ == "et":
        # The second of two bodies the amount goes to: "4,3 M€ pour Saint-Dizier et son
        # agglomération".
        index -= 1
        while index > span.end and doc[index].text[:1].isupper() and cue.start - index <= 6:
            index -= 1
        while index >= span.end and doc[index].norm_ in DETERMINERS:
            index -= 1
    elif cue.start - span.end > 6:
        return False
    if index < span.end or doc[index].norm_ not in DATIVE_MARKERS:
        return False
    return index == span.end or doc[index - 1].norm_ not in DATIVE_NOT_AFTER


def _describes_funder(doc: Doc, cue: Cue, funders: list[Cue], span: Span) -> bool:
    """A funder inside an apposition that describes the funder before it: "Occitanie
    Participations, le fonds d'investissement de la Région, a investi 3 M€"."""
    if cue.end > span.start:
        return False
    comma_before = next(
        (i for i in range(cue.start - 1, max(-1, cue.start - 9), -1) if doc[i].text == ","),
        None,
    )
    if comma_before is None:
        return False
    if not any(o is not cue and o.end == comma_before for o in funders):
        return False
    return any(t.text == "," for t in doc[cue.end : min(span.start, cue.end + 4)])


def _chain_funder(mention: Mention) -> str | None:
    """The funder the next items of a list of grants inherit: the one the amount's text names.
    A programme's funder (the EU of "au titre du FSE") is that amount's own: the grants listed
    after it are not paid from the programme."""
    if mention.fields.get("funder_rule") == "programme":
        return None
    return ", ".join(mention.fields.get("funders") or ()) or None


def _instrument_implied_funder(
    sent: Span, instrument_cue: Cue | None, instruments: list[Cue], previous_amounts: bool
) -> str | None:
    """The funder an instrument names by itself (FEDER: the EU), as a last resort when no
    giver is named. A programme of the sentence before carries over only when that sentence
    gave it no amount ("la programmation de la DETR. Au total, 4,1 M€ sont attribués"): one
    that had its own ("au titre du FSE, 55 000 € ...") is not the next grant's."""
    inherited = instrument_cue is not None and instrument_cue.start < sent.start
    own = [instrument_cue] if instrument_cue and not (inherited and previous_amounts) else []
    for cue in own + instruments:
        if cue.entry is not None and cue.entry.extra.get("implied_funder"):
            return cue.entry.extra["implied_funder"]
    return None


def _investment_instrument(
    instrument: str | None, funder_cue: Cue | None, verbs: list[Cue]
) -> str | None:
    """With no instrument named, money a funder invests is a public investment when the funder
    is public, else a levée de fonds."""
    if instrument is not None or funder_cue is None:
        return instrument
    if not any(c.verb_kind == "invest" for c in verbs):
        return instrument
    public = funder_cue.entry is not None and funder_cue.entry.extra.get("public") == "1"
    return "investissement public" if public else "levée de fonds"


CUES_KEY = "veille_funding_cues"


def _cue_record(cue: Cue) -> tuple[str, int, int, str, str, str, str, str]:
    """A cue as plain values (kind, start, end, name, verb kind or role, weak, public, implied
    funder), kept on the doc for the funder ranker."""
    extra = cue.entry.extra if cue.entry is not None else {}
    return (
        cue.kind,
        cue.start,
        cue.end,
        cue.name,
        cue.verb_kind or cue.role,
        extra.get("weak", ""),
        extra.get("public", ""),
        extra.get("implied_funder", ""),
    )


def _confidence_and_rule(
    found: FoundAmount, local: Cue | None, cues: SentenceCues, from_previous: bool
) -> tuple[float, str]:
    """How sure the mention is (more with a cue by the amount, a funder, a funding verb, a
    written currency) and the name of the rule that kept it."""
    amount = found.match.amount
    confidence = 0.45 if from_previous else 0.55
    if local is not None and local.kind in ("instrument", "funder", "verb"):
        confidence += 0.15
    if cues.funders:
        confidence += 0.1
    if cues.strong_verbs:
        confidence += 0.1
    if found.match.currency_source == "stated":
        confidence += 0.05
    if amount.currency not in (None, "EUR"):
        confidence -= 0.05
    if local is not None and local.kind == "instrument":
        rule = "amount_instrument"
    elif from_previous:
        rule = "amount_previous_sentence"
    elif cues.strong_verbs:
        rule = "amount_verb"
    elif cues.instruments:
        rule = "amount_instrument_sentence"
    else:
        rule = "amount_funder"
    return confidence, rule


def _funding_mention(
    found: FoundAmount,
    sent: Span,
    funder: str | None,
    recipient: str | None,
    instrument: str | None,
    confidence: float,
    rule: str,
) -> Mention:
    """The mention of an amount. The funders of a levée de fonds are its named investors (also
    kept in `investors`); investors left unnamed ("des investisseurs privés") name no funder."""
    investors = None
    funders = split_funders(funder)
    if instrument == "levée de fonds":
        named = [n for n in funders if n != "investisseurs"]
        investors = ", ".join(named) or None
        funder = investors
        funders = named
    amount = found.match.amount
    fields: dict[str, Any] = {
        "amount_eur": amount.amount_eur,
        "amount_text": found.match.text,
        "funder": funder,
        "funders": funders,
        "investors": investors,
        "recipient": recipient,
        "instrument": instrument,
        "amount_max_eur": amount.amount_max_eur,
        "approximate": amount.approximate,
        "currency": amount.currency or "EUR",
    }
    return Mention(
        kind="funding",
        start=found.match.start,
        end=found.match.end,
        text=found.match.text,
        confidence=confidence,
        rule=rule,
        fields=fields,
        sentence=sent.text,
    )


def _scope_funders(doc: Doc, mentions: list[Mention], cues: list[Cue]) -> None:
    """A funder stated once for a paragraph or a whole article (a list of grants voted by the
    commission permanente, "les aides accordées par la Région") gives each amount of it that
    names no funder of its own. The paragraph's funder first, else the article's, and only
    when one stands out (the only one, or named twice as often as any other)."""
    funders = [c for c in cues if c.kind == "funder" and _scoping_funder(c)]
    if not funders:
        return
    text = doc_text(doc)
    for mention in mentions:
        if mention.fields.get("amount_eur") is None or mention.fields.get("funder"):
            continue
        if mention.fields.get("instrument") == "levée de fonds":
            continue
        if mention.fields.get("scope") in ("national", "european"):
            continue  # an envelope decided above the région is not the région's grant
        if not MANY_PUBLIC_FUNDERS.isdisjoint(re.findall(r"\w+", normalize_text(mention.sentence))):
            continue
        start = text.rfind("\n", 0, mention.start) + 1
        # The paragraph's funder is stated before its grants ("La commission permanente a
        # voté : ..."); the article's anywhere in it ("... des aides accordées par la Région").
        paragraph = [c.name for c in funders if start <= doc[c.start].idx < mention.start]
        article = [c.name for c in funders]
        for names, rule in ((paragraph, "paragraph_funder"), (article, "article_funder")):
            name = _dominant(names)
            if name is not None:
                mention.fields["funder"] = name
                mention.fields["funders"] = [name]
                mention.fields["funder_rule"] = rule
                mention.fields["funder_confidence"] = LINK_CONFIDENCE[rule]
                mention.fields["scope"] = funding_scope(
                    mention.sentence, mention.fields["amount_eur"], [name], None
                )
                break
            if names:
                break


def _dominant(names: list[str]) -> str | None:
    """The one funder named, or the one named at least DOMINANT_RATIO times as often as any
    other ("la Région" five times, "l'État" once)."""
    counts = Counter(names).most_common(2)
    if not counts:
        return None
    if len(counts) == 1 or counts[0][1] >= DOMINANT_RATIO * counts[1][1]:
        return counts[0][0]
    return None


def _scoping_funder(cue: Cue) -> bool:
    """A public funder that gives money in the article: strong, not a manager of others'
    money, not on the receiving side."""
    return _public(cue) and _strong_funder(cue) and cue.role not in ("manager", "recipient")


def _link_fields(link: str, rule: str | None) -> dict[str, Any]:
    """`<link>_rule` and `<link>_confidence` of a funder or recipient link (None when unset)."""
    return {
        f"{link}_rule": rule,
        f"{link}_confidence": LINK_CONFIDENCE.get(rule) if rule else None,
    }


def funding_scope(
    sentence: str, amount_eur: float | None, funders: list[str], instrument_cue: Cue | None
) -> str:
    """Where the money lands: "european" or "national" for an envelope the sentence says is
    European or national (or any amount of a billion euros or more from the State or the
    Union), "local" for a commune's, an intercommunality's or a département's money,
    "regional" otherwise. Régions' totals count only what lands in a région."""
    text = " " + " ".join(re.findall(r"[\w']+", normalize_text(sentence))) + " "
    for phrase, scope in SCOPE_PHRASES:
        if f" {phrase} " in text:
            return scope
    first = funders[0] if funders else None
    if amount_eur is not None and amount_eur >= NATIONAL_ENVELOPE_EUR:
        if first == "Union européenne":
            return "european"
        if first in (None, "État"):
            return "national"
    if first in LOCAL_FUNDERS:
        return "local"
    return "regional"


def split_funders(funder: str | None) -> list[str]:
    """The funders of a joint funding ("Région Occitanie, Bpifrance"), in the order named."""
    if not funder:
        return []
    return list(dict.fromkeys(n.strip() for n in funder.split(", ") if n.strip()))


def _sentences(doc: Doc) -> list[Span]:
    """The parser's sentences, re-joined where it cut without terminal punctuation: it splits
    at hyphenated words such as "start-up" or "Nouvelle-Aquitaine"."""
    merged: list[Span] = []
    start = None
    for sent in doc.sents:
        if start is None:
            start = sent.start
        last = sent[-1]
        if last.text in TERMINAL_PUNCT or "\n" in last.whitespace_ or last.is_space:
            merged.append(doc[start : sent.end])
            start = None
    if start is not None:
        merged.append(doc[start : len(doc)])
    return merged


def _case_matches(text: str, phrase: str) -> bool:
    """Cased aliases ("Région", "CA") match only with the alias's capitals."""
    if phrase.isupper():
        return text == text.upper()
    return text[:1].isupper() == phrase[:1].isupper()


def _funder_name(doc: Doc, cue: Cue) -> tuple[str, int]:
    """ "Région" followed by a region's name ("la Région Nouvelle-Aquitaine", "le conseil
    régional d'Occitanie") gives "Région <name>"; other funders keep their normalised name.
    Returns the name and the token end of the funder's phrase."""
    if cue.entry is not None and cue.entry.extra.get("public") == "0":
        # An investor word followed by its name: "le fonds américain Atlas".
        for token in doc[cue.end : min(cue.end + 3, len(doc))]:
            if token.ent_type_ in NAME_LABELS:
                ent = entity_at(doc, token.i)
                return ent.text, ent.end
            if token.is_punct:
                break
        return cue.name, cue.end
    if cue.name != "Région":
        return cue.name, cue.end
    sent_end = len(doc)
    index = cue.end
    if index < sent_end and doc[index].norm_ in ("de", "d'") and cue.entry and not cue.entry.cased:
        index += 1
    if index < sent_end:
        # The places component already read the région's name, multi-word ones included
        # ("Pays de la Loire", "Centre-Val de Loire") and its aliases ("Région Sud").
        for place in doc_mentions(doc, "location"):
            starts = (doc[index].idx, doc[cue.end - 1].idx)  # "Sud" or "Région Sud"
            if place.start in starts and place.fields.get("departement_code") is None:
                end = doc.char_span(place.start, place.end, alignment_mode="expand").end
                return f"Région {place.fields['name']}", end
    parts: list[str] = []
    while index < sent_end and len(parts) < 5:
        token = doc[index]
        if token.text[:1].isupper() and token.is_alpha:
            parts.append(token.text)
        elif token.text == "-" and parts and index + 1 < sent_end:
            parts.append("-")
        else:
            break
        index += 1
    while parts and parts[-1] == "-":
        parts.pop()
        index -= 1
    if not parts:
        return cue.name, cue.end
    name = " ".join(parts).replace(" - ", "-")
    return f"Région {name}", index


def _adjective_funder(doc: Doc, instrument: Cue | None, span: Span) -> str | None:
    """The funder an adjective of the amount's instrument names: "une aide étatique de
    220 000 €", "9 000 € de subvention régionale"; only an instrument next to the amount."""
    if instrument is None or instrument.kind != "instrument":
        return None
    if not (0 <= span.start - instrument.end <= 3 or 0 <= instrument.start - span.end <= 2):
        return None
    if instrument.end < len(doc):
        return FUNDER_ADJECTIVES.get(doc[instrument.end].text.lower())
    return None


def _funder_distance(
    doc: Doc, cue: Cue, span: Span, amounts: list[FoundAmount] | None = None
) -> int:
    """Token distance from a funder to an amount; a funder after the amount counts as farther
    unless introduced as the giver ("par la Région", "de Bpifrance", "auprès de l'État"), and
    much farther when a comma or another amount stands between them (another clause: "le
    Département y consacre 700 000 euros, la Région 650 000 euros")."""
    distance = cue.distance(span.start, span.end)
    if cue.start >= span.end and cue.role == "co_funder":
        distance += 20  # "1,5 M€, aux côtés du Département": another giver
    if cue.start >= span.end:
        before = {t.norm_ for t in doc[max(span.end, cue.start - 3) : cue.start]}
        if before.isdisjoint(FUNDER_INTRODUCERS):
            distance += 4
            if any(t.text == "," for t in doc[span.end : cue.start]):
                distance += 20
    low, high = (cue.end, span.start) if cue.end <= span.start else (span.end, cue.start)
    if any(low <= a.span.start and a.span.end <= high for a in amounts or ()):
        distance += 20
    return distance


def _strong_funder(cue: Cue) -> bool:
    """A funder cue that says funding by itself (not a weak alias such as "la commune")."""
    return cue.kind == "funder" and (cue.entry is None or cue.entry.extra.get("weak") != "1")


def _list_like(sent: Span) -> bool:
    """A sentence that reads as an item of a list of grants: a dash or bullet, brackets,
    a colon or semicolons ("– Optisol (Clermont-Ferrand) : 340 000 euros ;")."""
    text = sent.text.strip()
    return text[:1] in "–-•*" or any(mark in text for mark in ("(", ";", " : "))


def _noun_funder(doc: Doc, cue: Cue) -> bool:
    """False for a weak alias used as an adjective ("une plateforme logistique commune"), as
    a place ("installés dans l'agglomération lyonnaise") or inside a compound word."""
    if cue.entry is None or cue.entry.extra.get("weak") != "1":
        return True
    if all(t.pos_ == "ADJ" for t in doc[cue.start : cue.end]):
        return False
    if cue.start >= 2 and doc[cue.start - 1].text == "-" and not doc[cue.start - 2].whitespace_:
        return False  # the end of a compound word: "en centre-ville"
    before = [t.norm_ for t in doc[max(0, cue.start - 2) : cue.start]]
    while before and before[-1] in DETERMINERS:
        before.pop()
    return not (before and before[-1] in PLACE_PREPOSITIONS)


def _resolve_references(funders: list[Cue]) -> list[Cue]:
    """Give a role-only mention ("la collectivité") the name of the public funder named last
    before it; drop it when none was named."""
    resolved: list[Cue] = []
    for cue in funders:
        if cue.kind == "funder_reference":
            named = [
                c for c in resolved if c.kind == "funder" and _public(c) and c.role != "manager"
            ]
            if not named:
                continue
            antecedent = named[-1]
            cue = Cue(
                "funder", cue.start, cue.end, antecedent.name, antecedent.entry, role=cue.role
            )
        resolved.append(cue)
    return resolved


def _funder_role(doc: Doc, cue: Cue, roles: list[Cue]) -> str:
    """The part a funder plays, from a role phrase just before it: "géré par Bpifrance"
    (manager, up to four words before), "pour le compte de la Région" (owner), "aux côtés du
    Département" (co_funder); those two only with at most a determiner between."""
    for role in sorted(roles, key=lambda r: -r.end):
        if role.end > cue.start:
            continue
        between = [t.norm_ for t in doc[role.end : cue.start]]
        if role.name == "manager" and len(between) <= 3:
            return "manager"
        if role.name != "manager" and len(between) <= 1 and set(between) <= DETERMINERS:
            return role.name
    return ""


def _manager(doc: Doc, cue: Cue) -> bool:
    """A funder cue introduced as the manager of someone else's money ("géré par Bpifrance")."""
    return cue.role == "manager"


def _public(cue: Cue) -> bool:
    """A public funder (Région, État, Bpifrance...), as opposed to private investors."""
    return cue.entry is None or cue.entry.extra.get("public") != "0"


def _inherited_levee_overridden(instrument_cue: Cue | None, funders: list[Cue]) -> bool:
    """A levée de fonds told in the sentence before does not carry over to an amount whose own
    sentence names a public funder ("La Région l'avait déjà soutenue à hauteur de ...")."""
    return (
        instrument_cue is not None
        and instrument_cue.name == "levée de fonds"
        and any(_public(c) for c in funders)
    )


def _unnamed_funder(cue: Cue | None, span: Span) -> bool:
    """An instrument that says the giver is unnamed public money ("3,5 M€ d'aides publiques",
    "des fonds publics") right by the amount: no funder is borrowed from earlier sentences."""
    if cue is None or cue.entry is None or cue.entry.extra.get("unnamed_funder") != "1":
        return False
    return cue.distance(span.start, span.end) <= IMPLIED_FUNDER_WINDOW


def _own_money(doc: Doc, span: Span, amounts: list[FoundAmount], cues: list[Cue]) -> bool:
    """The amount is the spender's own money: an own-funding cue follows it in the same
    stretch ("1,2 M€ que les fondateurs ont eux-mêmes investi", "8 M€ ..., financés sur sa
    trésorerie") with no funder or other amount between, and it is not the rest of a plan
    ("400 000 euros, le reste étant autofinancé")."""
    for cue in cues:
        if cue.kind != "non_funding" or cue.name != OWN_MONEY_LABEL:
            continue
        if cue.start < span.end or cue.start - span.end > OWN_MONEY_WINDOW:
            continue
        if doc[cue.start - 1].norm_ in OWN_MONEY_FORM_WORDS:
            continue  # "1,5 M€ en fonds propres": the form of an equity stake, not its source
        if _strengthens(doc, cue.start):
            continue  # "300 k€ destiné à renforcer les fonds propres": its purpose
        between = doc[span.end : cue.start]
        if any(t.norm_ in REMAINDER_WORDS for t in between):
            continue
        if any(span.end <= a.span.start < cue.start for a in amounts):
            continue
        if any(c.kind == "funder" and span.end <= c.start < cue.start for c in cues):
            continue
        return True
    return False


def _strengthens(doc: Doc, start: int) -> bool:
    """A verb such as "renforcer" or "consolider" just before the cue (article between)."""
    before = doc[max(0, start - 3) : start]
    return any(t.norm_.startswith(OWN_MONEY_PURPOSE_STEMS) for t in before if t.pos_ == "VERB")


def _not_funding_object(span: Span, amounts: list[Span], cues: list[Cue]) -> bool:
    """The funding verb before the amount has a non-funding object: "a attribué à Transports
    Abadie le marché du transport scolaire, pour un montant de 14 M€" (a contract, not a
    grant). True when a non-funding cue lies between that verb and the amount, with no
    instrument after it."""
    verbs = [c for c in cues if c.kind == "verb" and c.verb_kind == "grant" and c.end <= span.start]
    if not verbs:
        return False
    verb = max(verbs, key=lambda c: c.start)
    if any(verb.end <= a.start and a.end <= span.start for a in amounts):
        return False  # the verb's object is that other amount
    inside = [c for c in cues if verb.end <= c.start and c.end <= span.start]
    objects = [c for c in inside if c.kind == "non_funding"]
    if not objects:
        return False
    last_object = max(c.start for c in objects)
    return not any(c.kind == "instrument" and c.start > last_object for c in inside)


def _public_spender(doc: Doc, span: Span, funders: list[Cue], verbs: list[Cue]) -> bool:
    """A public body named by a weak alias spends the amount: "L'agglomération avait déjà
    consacré 50 000 euros à une étude" (funder, then a spending verb, then the amount).

    A body that invests in its own works is no funder: "prévoit d'investir 46 M€ en 2021",
    "investira 6,9 M€ dans la construction de son centre technique"."""
    spending = [c for c in verbs if c.verb_kind == "invest" and c.end <= span.start]
    return any(
        _public(f) and f.role != "manager" and any(f.end <= v.start for v in spending)
        for f in funders
    )


# What a body invests in that stays its own: "dans la construction de son centre technique".
OWN_WORKS = frozenset(
    {"construction", "extension", "rénovation", "réhabilitation", "aménagement", "travaux",
     "équipement", "modernisation", "achat", "acquisition", "agrandissement", "entretien"}
)  # fmt: skip
OBJECT_MARKERS = frozenset({"dans", "pour", "au", "aux", "à"})
POSSESSIVES = frozenset({"son", "sa", "ses", "leur", "leurs", "notre", "nos"})
OBJECT_WINDOW = 12


def _invests_in_itself(doc: Doc, span: Span, verbs: list[Cue]) -> bool:
    """The amount is invested by its subject in its own works, nothing named receives it:
    "prévoit d'investir 46 M€ en 2021", "investira 6,9 M€ dans la construction de son
    centre technique" (but not "investit 2 M€ dans Airbus Atlantic")."""
    spending = [c for c in verbs if c.verb_kind == "invest" and c.end <= span.start]
    if not spending or not all(_investir(doc[v.start]) for v in spending):
        return False
    sent_end = span.sent.end
    dated = False
    for i in range(span.end, min(sent_end, span.end + OBJECT_WINDOW)):
        token = doc[i]
        if token.norm_ in {"en", "d'ici"} and i + 1 < sent_end and doc[i + 1].like_num:
            dated = True  # "en 2021", a yearly budget line
        elif token.norm_ == "an" and doc[i - 1].norm_ in {"l'", "par"}:
            dated = True  # "l'an dernier", "par an"
        elif token.norm_ == "contre":
            return dated  # "46 M€ en 2021, contre 40 M€ en 2020"
        elif token.norm_ in OBJECT_MARKERS:
            j = i + 1
            while j < sent_end and (
                (doc[j].pos_ in {"DET", "ADP"} and doc[j].norm_ not in POSSESSIVES)
                or doc[j].like_num
            ):
                j += 1
            return j < sent_end and (doc[j].norm_ in POSSESSIVES or doc[j].norm_ in OWN_WORKS)
    return dated


def _strong_instrument(cue: Cue) -> bool:
    """An instrument that says funding by itself (a subvention), not a word any spender uses
    for its own money ("investit une enveloppe de 30 M€ dans son usine")."""
    return cue.entry is None or cue.entry.extra.get("strong") == "1"


def _investir(token: Token) -> bool:
    return token.norm_.startswith("invest")


def _unlisted_agent(doc: Doc, sent: Span, span: Span, cues: list[Cue]) -> bool:
    """The amount's giver is named, but is no funder of the lexicon: "sera apporté à parts
    égales par trois laboratoires". No funder is then borrowed from earlier sentences."""
    funder_starts = {c.start for c in cues if c.kind == "funder"}
    for verb in cues:
        if verb.kind != "verb" or verb.verb_kind != "grant" or verb.start < span.end:
            continue
        window = doc[verb.end : min(sent.end, verb.end + 5)]
        par = next((t.i for t in window if t.norm_ in AGENT_MARKERS), None)
        if par is None:
            continue
        index = par + 1
        while index < sent.end and (doc[index].norm_ in DETERMINERS or doc[index].like_num):
            index += 1
        if index < sent.end and index not in funder_starts and doc[index].pos_ == "NOUN":
            return True
    return False


def _direct_giver(doc: Doc, span: Span, funders: list[Cue]) -> Cue | None:
    """A public funder introduced right after the amount: "85 000 euros de la Région",
    "480 000 euros par l'ADEME". It names the giver of that amount before anything else."""
    for cue in funders:
        if cue.start < span.end or cue.start - span.end > 7 or cue.role or not _public(cue):
            continue
        tokens = list(doc[span.end : cue.start])
        # A participle may stand between: "6 M€ financés par la Région", "pris en charge par".
        while tokens and tokens[0].norm_ != "par" and _participle(tokens[0], tokens):
            tokens.pop(0)
        if len(tokens) > 3:
            continue
        between = [t.norm_ for t in tokens]
        if between and set(between) <= DIRECT_GIVER_GLUE and between[0] in FUNDER_INTRODUCERS:
            return cue
    return None


def _participle(token: Token, tokens: list[Token]) -> bool:
    """A past participle (or the words of "pris en charge") between an amount and "par"."""
    if token.norm_ in PARTICIPLE_GLUE:
        return True
    return token.pos_ in ("VERB", "AUX") and "Part" in token.morph.get("VerbForm")


def _implied_next_to(cue: Cue | None, span: Span) -> str | None:
    """The funder an instrument names by itself (FEDER: the EU) when it stands right by the
    amount ("650 000 euros de fonds européens FEDER", "financé par le FEDER à hauteur de")."""
    if cue is None or cue.entry is None or not cue.entry.extra.get("implied_funder"):
        return None
    if cue.distance(span.start, span.end) > IMPLIED_FUNDER_WINDOW:
        return None
    implied = cue.entry.extra["implied_funder"]
    # A programme of several funders (the CPER: État and Région) does not say which one gives
    # this amount: the funders the sentence names come first.
    return None if "," in implied else implied


def _respective_funder(
    doc: Doc, sent: Span, span: Span, amounts: list[FoundAmount], funders: list[Cue]
) -> Cue | None:
    """ "La Région et l'UE y apportent respectivement 400 000 et 600 000 euros": the funders
    named before "respectivement", paired in order with the amounts after it."""
    marker = next((t.i for t in sent if t.norm_ in RESPECTIVE_MARKERS), None)
    if marker is None:
        return None
    named = [c for c in sorted(funders, key=lambda c: c.start) if c.end <= marker]
    listed = [a for a in amounts if a.span.start > marker]
    distinct: list[Cue] = []
    for cue in named:
        if all(
            cue.name != d.name or _funder_name(doc, cue) != _funder_name(doc, d) for d in distinct
        ):
            distinct.append(cue)
    # "... respectivement 5 et 3,5 millions, la Métropole 1,5 million": the first amounts pair.
    if len(distinct) < 2 or len(listed) < len(distinct):
        return None
    for cue, found in zip(distinct, listed[: len(distinct)], strict=True):
        if found.span.start == span.start:
            return cue
    return None


def _organisation_at(doc: Doc, i: int) -> Span | None:
    """The organisation name starting at token `i`: an ORG/MISC entity, or a run of capitalised
    words ("Réseau Entreprendre Franche-Comté") that is not a place."""
    if i >= len(doc) or not doc[i].text[:1].isupper() or doc[i].is_sent_start:
        return None
    ent = entity_at(doc, i)
    if ent is not None and ent.start == i:
        if ent.label_ in ("ORG", "MISC"):
            return ent
        # The model often calls an organisation named after a place a place: "Réseau
        # Entreprendre Bretagne" is kept when no place starts where it does.
        place = any(m.start == ent.start_char for m in doc_mentions(doc, "location"))
        return ent if ent.label_ == "LOC" and len(ent) > 1 and not place else None
    end = i
    while (
        end < len(doc)
        and end - i < 6
        and (doc[end].text[:1].isupper() or (doc[end].text == "-" and not doc[end].whitespace_))
    ):
        end += 1
    if end - i < 2:
        return None
    span = doc[i:end]
    if any(m.start == span.start_char for m in doc_mentions(doc, "location")):
        return None
    return span


def _giver_after(doc: Doc, span: Span) -> str | None:
    """A named giver right after the amount: "30 000 euros d'Initiative Touraine"."""
    i = span.end
    if i < len(doc) and doc[i].norm_ in GIVER_AFTER_INTRODUCERS:
        i += 2 if doc[i].norm_ == "auprès" else 1
        if i < len(doc) and doc[i].norm_ in GIVER_AFTER_ARTICLES:
            return None  # a lexicon funder ("de la Région") or a common noun
        org = _organisation_at(doc, i)
        return org.text if org is not None else None
    return None


def _grant_verb_giver(
    doc: Doc, sent: Span, span: Span, cues: SentenceCues, context: FunderContext
) -> tuple[str | None, Cue | None]:
    """The giver the parse names for the grant verb that governs the amount: its subject ("la
    collectivité francilienne a débloqué 156 M€", "la DATAR, qui consacrera ..." through the
    relative's antecedent) or, in the passive, its agent ("attribuée par l'ADEME"). A funder
    of the lexicon there is taken as such, with its co-funders; else a named organisation.
    Left to the sentence rules: an owner of the money named in the sentence ("pour le compte
    de l'Union"), and a giver with another funder between it, the verb and the amount (a
    gapped clause, "la Région contribue à hauteur de 25 M€, la Métropole à hauteur de 14 M€",
    or a subject the parse took from the clause before)."""
    candidates = _candidate_funders(doc, sent, span, cues, context)
    if any(c.role == "owner" for c in candidates):
        return None, None
    verb = _governing_grant_verb(doc, span, cues.verbs)
    if verb is None:
        return None, None

    def alone(start: int, end: int) -> bool:
        low, high = min(start, verb.i, span.start), max(end, verb.i + 1, span.end)
        return not any(
            low <= c.start and c.end <= high and not (start <= c.start < end) for c in cues.funders
        )

    givers = [c for c in verb.children if c.dep_ in ("nsubj", "obl:agent")]
    if any(c.dep_ == "aux:pass" for c in verb.children):
        givers = [c for c in givers if c.dep_ == "obl:agent"]
    for giver in givers:
        if giver.norm_ in RELATIVE_PRONOUNS and verb.dep_ == "acl:relcl":
            giver = verb.head
        if giver.i in context.recipient_tokens:
            return None, None
        for cue in candidates:
            if cue.start <= giver.i < cue.end:
                if not alone(cue.start, cue.end):
                    return None, None
                return _joint_funders(doc, cue, candidates), cue
        named = [giver] + [t for t in giver.children if t.dep_ == "appos" and t.pos_ == "PROPN"]
        for token in named:
            ent = entity_at(doc, token.i)
            org = ent if ent is not None and ent.label_ == "ORG" else _organisation_at(doc, token.i)
            if (
                org is not None
                and context.recipient_tokens.isdisjoint(range(org.start, org.end))
                and alone(org.start, org.end)
            ):
                return org.text, None
    return None, None


def _governing_grant_verb(doc: Doc, span: Span, verbs: list[Cue]) -> Token | None:
    """The grant verb the amount hangs from in the parse, within a few heads ("a attribué une
    subvention de 250 000 euros": amount -> subvention -> attribué)."""
    grant_at = {c.start for c in verbs if c.verb_kind == "grant" and c.end - c.start == 1}
    token = span.root
    for _ in range(GRANT_VERB_HEADS):
        if token.head.i == token.i or token.dep_ in DETACHED_DEPS:
            return None  # a subject or a coordinated item is not what the verb gives
        token = token.head
        if token.i in grant_at and token.pos_ in ("VERB", "AUX"):
            return token
        if token.pos_ in ("VERB", "AUX"):
            return None
    return None


def _named_subject(doc: Doc, sent: Span, span: Span, verbs: list[Cue]) -> str | None:
    """A named giver as the subject of the funding verb before the amount: "Initiative Doubs lui a
    octroyé un prêt d'honneur de 30 000 euros"."""
    before = [c for c in verbs if c.end <= span.start and c.verb_kind == "grant"]
    if not before:
        return None
    i = max(before, key=lambda c: c.start).start
    while i > sent.start and doc[i - 1].norm_ in SUBJECT_CLITICS:
        i -= 1
    for start in range(max(sent.start, i - 6), i):
        org = _organisation_at(doc, start) if start > sent.start else None
        if start == sent.start and doc[start].text[:1].isupper():
            ent = entity_at(doc, start)
            org = ent if ent is not None and ent.label_ in ("ORG", "MISC") else None
            if org is None:
                end = start
                while end < i and doc[end].text[:1].isupper():
                    end += 1
                org = doc[start:end] if end - start >= 2 else None
        if org is not None and org.end == i:
            return org.text
    return None


def _joint_funders(doc: Doc, nearest: Cue, funders: list[Cue]) -> str:
    """The nearest funder and those joined to it by "et" or commas ("la Métropole et l'ADEME")."""
    ordered = sorted(funders, key=lambda c: c.start)
    position = ordered.index(nearest)
    group = [nearest]
    for step in (-1, 1):
        index = position
        while 0 <= index + step < len(ordered):
            a, b = sorted((ordered[index], ordered[index + step]), key=lambda c: c.start)
            between = [t.norm_ for t in doc[a.end : b.start]]
            if not between or len(between) > 3 or not set(between) <= JOINT_FUNDER_GLUE:
                break
            if "et" not in between and "," not in between:
                break
            index += step
            group.append(ordered[index])
    group.sort(key=lambda c: c.start)
    if not any(t.norm_ == "et" for t in doc[group[0].end : group[-1].start]):
        # A comma alone ends a clause, it does not list: "..., la Région lui a attribué".
        group = [nearest]
    names: list[str] = []
    for cue in group:
        if cue.name not in names:
            names.append(cue.name)
    return ", ".join(names)


def _marker_positions(sent: Span) -> list[tuple[int, int]]:
    """(marker start, first token after it) for every recipient marker in the sentence."""
    norms = [t.norm_ for t in sent]
    found: list[tuple[int, int]] = []
    index = 0
    while index < len(norms):
        for marker in RECIPIENT_MARKERS:
            if tuple(norms[index : index + len(marker)]) == marker:
                if marker == ("à",) and set(norms[index + 1 : index + 2]) & NOT_RECIPIENT_AFTER_A:
                    break
                found.append((sent.start + index, sent.start + index + len(marker)))
                index += len(marker) - 1
                break
        index += 1
    return found


def _cluster_name(cluster: Mention) -> str:
    """The canonical name of a cluster mention."""
    return str(cluster.fields.get("name") or cluster.text)


def _cluster_at(doc: Doc, index: int, clusters: list[Mention]) -> str | None:
    """The name of the cluster mention covering token `index`, if any."""
    token = doc[index]
    for cluster in clusters:
        if cluster.start <= token.idx < cluster.end:
            return _cluster_name(cluster)
    return None


def _name_after(
    doc: Doc, sent: Span, index: int, blocked: set[int], clusters: list[Mention]
) -> tuple[str, set[int]] | None:
    """The name starting right after a marker, skipping determiners and generic heads."""
    limit = min(sent.end, index + 4)
    after_head = False
    while index < limit and (doc[index].norm_ in DETERMINERS or doc[index].norm_ in GENERIC_HEADS):
        after_head = after_head or doc[index].norm_ in GENERIC_HEADS
        index += 1
    if index >= sent.end or index in blocked:
        return None
    cluster = _cluster_at(doc, index, clusters)
    if cluster is not None:
        return cluster, set()
    return _name_at(doc, sent, index, blocked, allow_place=after_head)


def _name_at(
    doc: Doc, sent: Span, index: int, blocked: set[int], allow_place: bool = False
) -> tuple[str, set[int]] | None:
    """A proper name starting at `index` (an ORG/PER/MISC entity or a run of capitalised
    words); None for places (unless after a generic head), funders and common words."""
    token = doc[index]
    if token.norm_ in GENERIC_HEADS or token.norm_ in DETERMINERS or index in blocked:
        return None
    if token.ent_type_ == "LOC" and not allow_place:
        return None
    if token.ent_type_ in NAME_LABELS or (token.ent_type_ == "LOC" and allow_place):
        ent = entity_at(doc, index)
        # The NER often takes in a leading adjective: "nantaise Seaboost".
        while index < ent.end - 1 and not doc[index].text[:1].isupper():
            index += 1
        tokens = set(range(index, ent.end))
        if tokens & blocked:
            return None
        return doc[index : ent.end].text, tokens
    if not (token.text[:1].isupper() and token.pos_ in ("PROPN", "NOUN", "X", "ADJ")):
        return None
    end = index
    while end < sent.end and end not in blocked:
        current = doc[end]
        if current.text[:1].isupper() or (
            current.text in ("-", "&") and end + 1 < sent.end and doc[end + 1].text[:1].isupper()
        ):
            end += 1
        else:
            break
    return doc[index:end].text, set(range(index, end))


def _name_in(
    doc: Doc, sent: Span, tokens: list[Token], blocked: set[int], clusters: list[Mention]
) -> tuple[str, set[int]] | None:
    """The first cluster or proper name among `tokens` (a subject's or object's subtree)."""
    after_head = False
    for token in tokens:
        if not sent.start <= token.i < sent.end or token.i in blocked:
            continue
        cluster = _cluster_at(doc, token.i, clusters)
        if cluster is not None:
            return cluster, set()
        if token.norm_ in GENERIC_HEADS:
            after_head = True
            continue
        found = _name_at(doc, sent, token.i, blocked, allow_place=after_head)
        if found is not None:
            return found
    return None


def _subject_name(
    doc: Doc, sent: Span, verb: Token, blocked: set[int], clusters: list[Mention]
) -> tuple[str, set[int]] | None:
    """The name of the verb's subject, from the parse or else the last name before the verb."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubj:pass"):
            found = _name_in(doc, sent, list(child.subtree), blocked, clusters)
            if found is not None:
                return found
    # The parser often misses subjects of short press sentences: take the last name before
    # the verb, provided no other verb stands between.
    index = verb.i - 1
    while index >= sent.start:
        token = doc[index]
        if token.pos_ == "VERB" and token.dep_ not in ("amod", "acl"):
            break
        cluster = _cluster_at(doc, index, clusters)
        if cluster is not None:
            return cluster, set()
        if token.i not in blocked and token.ent_type_:
            ent = entity_at(doc, index)
            head_before = ent.start > sent.start and doc[ent.start - 1].norm_ in GENERIC_HEADS
            found = _name_at(doc, sent, ent.start, blocked, allow_place=head_before)
            if found is not None:
                return found
            index = ent.start
        index -= 1
    return None


def _object_name(
    doc: Doc, sent: Span, verb: Token, blocked: set[int], clusters: list[Mention]
) -> tuple[str, set[int]] | None:
    """The name of a funding verb's object ("soutient l'entreprise Hydrogenia"), from the parse
    or else right after the verb."""
    for child in verb.children:
        if child.dep_ == "obj":
            found = _name_in(doc, sent, list(child.subtree), blocked, clusters)
            if found is not None:
                return found
    if verb.i + 1 < sent.end:
        return _name_after(doc, sent, verb.i + 1, blocked, clusters)
    return None


PLACE_PREPOSITIONS_BEFORE = frozenset({"du", "des", "en", "à"})  # "de X" may name a fund
INVESTOR_LIST_ENDS = frozenset({".", "!", "?", ";", '"', "«", "“"})


def _investors(
    doc: Doc, sent: Span, span: Span, recipient_tokens: set[int], cues: list[Cue]
) -> str | None:
    """Investors named after "auprès de" / "menée par" in a levée de fonds, joined by ", "."""
    start = next((t.i + 1 for t in doc[span.end : sent.end] if t.norm_ in INVESTOR_MARKERS), None)
    if start is None:
        return None
    names: list[str] = []
    places = {(m.start, m.end) for m in doc_mentions(doc, "location")}
    funder_tokens = {i for c in cues if c.kind == "funder" for i in range(c.start, c.end)}
    index = start
    while index < sent.end:
        token = doc[index]
        if token.text in INVESTOR_LIST_ENDS:
            break  # the next sentence or a quote ("Nos clients sont ... la Marine nationale")
        if index in funder_tokens:
            cue = next(c for c in cues if c.kind == "funder" and c.start <= index < c.end)
            if cue.name not in names:
                names.append(cue.name)
            index = cue.end
            continue
        if token.ent_type_ in NAME_LABELS | {"LOC"} and index not in recipient_tokens:
            ent = entity_at(doc, index)
            place = (ent.start_char, ent.end_char) in places or (
                ent.label_ == "LOC"
                and ent.start - 1 > start
                and (
                    doc[ent.start - 1].lower_ in PLACE_PREPOSITIONS_BEFORE
                    or _origin_of_an_investor(doc, ent.start)
                )
            )
            if ent.text not in names and not place:
                names.append(ent.text)  # "business angels du Pays basque": where, not who
            index = ent.end
            continue
        index += 1
    unnamed = all(n == "investisseurs" for n in names)
    refers_back = (
        start + 1 < sent.end
        and doc[start].lower_ in ("du", "le")
        and doc[start + 1].lower_ == "fonds"
    )
    if unnamed and refers_back:
        named = _fund_named_before(doc, sent.start)
        names = [named, *names] if named else names
    return ", ".join(names) if names else None


def _origin_of_an_investor(doc: Doc, start: int) -> bool:
    """A place after "un investisseur de" says where the investor is from ("un investisseur
    de Fribourg-en-Brisgau"), not who it is."""
    return (
        start >= 2
        and doc[start - 1].lower_ in ("de", "d'")
        and doc[start - 2].lower_.startswith("investisseur")
    )


def _fund_named_before(doc: Doc, end: int) -> str | None:
    """The fund that "le fonds" refers back to: the last name before token `end` set in
    apposition to "un fonds" ("Cap Mer Invest, un fonds d'investissement consacré ...")."""
    found = None
    for ent in doc.ents:
        if ent.end + 2 >= end or ent.label_ not in NAME_LABELS | {"LOC"}:
            continue
        after = [t.lower_ for t in doc[ent.end : ent.end + 3]]
        if after == [",", "un", "fonds"]:
            found = ent.text
    return found
