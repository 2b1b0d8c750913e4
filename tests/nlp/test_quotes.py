"""Quotes component: quote marks, speech verbs and cues, and resolution of the speaker's name."""

from __future__ import annotations

import pytest

from pipeline.nlp import doc_mentions
from pipeline.nlp.quotes.quotes import find_quote_spans
from tests.inline_gold import parse

# Gold: one <quote> per expected quote (marks included); `speaker=none` when nobody is named.
CASES = {
    "verb_after_name": (
        '<quote speaker="Paul Mérand" rule="verb_after">« La filière bois a besoin de ce'
        " soutien »</quote>, explique Paul Mérand, délégué régional à l'innovation."
    ),
    "verb_after_pronoun": (
        "Claire Dumas, vice-présidente de la Région chargée de l’économie, a inauguré le site."
        ' <quote speaker="Claire Dumas" rule="pronoun">«\u00a0Nous sommes fiers de ce projet'
        " collectif\u00a0»</quote>, souligne-t-elle."
    ),
    "pronoun_skips_other_gender": (
        "Claire Dumas, vice-présidente de la Région, accompagnait Luc Arnaud, directeur du site."
        ' <quote speaker="Claire Dumas" rule="pronoun">« Ce chantier va créer des emplois'
        " durables »</quote>, insiste-t-elle."
    ),
    "cue_pour": (
        'Pour Paul Mérand, <quote speaker="Paul Mérand" rule="cue_before">« la filière a besoin'
        " d'un soutien massif »</quote>."
    ),
    "colon_after_verb": (
        'Claire Dumas résume : <quote speaker="Claire Dumas" rule="colon">« On ne lâchera rien'
        " sur ce dossier. »</quote>"
    ),
    "selon_title_resolved_by_officials": (
        "Le maire de Pau, Jean Dupuis, était présent. Selon le maire,"
        ' <quote speaker="Jean Dupuis" rule="cue_before">"il faut aller plus vite sur ce'
        ' dossier"</quote>.'
    ),
    "curly_quotes_and_multiword_verb": (
        '<quote speaker="Sophie Blanc">“Sans ce soutien, rien n’aurait été possible”</quote>, se'
        " dit convaincue Sophie Blanc, directrice de l'usine."
    ),
    "verb_que": (
        'Luc Arnaud estime que <quote speaker="Luc Arnaud" rule="verb_que">« le marché va repartir'
        " très vite »</quote>."
    ),
    "surname_speaker_without_role": (
        'Pierre Lambert cultive du maïs à Lacq. <quote speaker="Pierre Lambert">« Nous'
        " attendons ce projet depuis dix ans »</quote>, confie M. Lambert."
    ),
    "continuation": (
        '<quote speaker="Sophie Blanc">« Sans ce soutien, rien n\'aurait été possible »</quote>,'
        ' explique Sophie Blanc. <quote speaker="Sophie Blanc" rule="continuation">« Nous allons'
        " embaucher vingt personnes cette année. »</quote>"
    ),
    "unattributed": (
        '<quote speaker=none rule="unattributed">« Une très belle journée pour tous »</quote>, a'
        " déclaré un participant."
    ),
    "quoted_name_is_not_a_quote": (
        "Le label « Territoires d’industrie » a été attribué à Lacq. Le salon “French Tech"
        " Industrie Grand Sud Ouest” ouvre lundi."
    ),
}


def _quotes(nlp, text: str):
    return sorted(doc_mentions(nlp(text), "quote"), key=lambda m: m.start)


@pytest.mark.parametrize("annotated", CASES.values(), ids=CASES.keys())
def test_quotes_match_inline_gold(nlp, annotated: str) -> None:
    text, gold = parse(annotated)
    found = _quotes(nlp, text)
    assert [(m.start, m.end) for m in found] == [(g.start, g.end) for g in gold], [
        (m.text, m.rule, m.fields) for m in found
    ]
    for mention, expected in zip(found, gold, strict=True):
        speaker = expected.attrs["speaker"]
        assert mention.fields["speaker"] == (None if speaker == "none" else speaker)
        assert mention.fields["quote"] == expected.text.strip('«»“”"\u00a0 ')
        if "rule" in expected.attrs:
            assert mention.rule == expected.attrs["rule"]


def test_quote_words_exclude_marks_and_no_break_spaces() -> None:
    text = "Elle a dit :\u00a0«\u202fNous irons jusqu’au bout du projet\u202f»."
    [(start, end, words)] = find_quote_spans(text)
    assert text[start:end].startswith("«") and text[start:end].endswith("»")
    assert words == "Nous irons jusqu’au bout du projet"


def test_short_quotes_are_skipped() -> None:
    assert find_quote_spans("Le projet « Usine 4.0 » et le plan « vite et bien » avancent.") == []
