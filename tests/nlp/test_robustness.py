"""Bad input for the extraction pipeline: no exception, and every mention's offsets point at it.

Each case runs the full pipeline (the session `nlp`) on one odd text and checks, for every mention,
`0 <= start < end <= len(text)` and `text[start:end] == mention["text"]`.
"""

from __future__ import annotations

import pytest

from pipeline.nlp import extract_text
from pipeline.nlp.pipeline import MAX_NLP_CHARS, MAX_PART_CHARS, split_text

PARAGRAPHS = (
    "Le pôle de compétitivité Aerospace Valley a tenu son assemblée générale à Toulouse. "
    "Sa présidente, Claire Moreau, a annoncé l'arrivée de douze nouvelles PME.",
    "« Nous voulons doubler le nombre de projets collaboratifs d'ici 2028 », a déclaré "
    "Claire Moreau. La Région Occitanie accorde une subvention de 1,2 million d'euros au pôle.",
    "À Limoges, le maire Émile Roux a inauguré mardi un atelier de céramique. Le projet a reçu "
    "450 000 euros de l'État. Le cluster Céramique Limousine rassemble quarante entreprises.",
    "Jean Dupont, vice-président de la Région Bretagne chargé de l'économie, a visité Lannion. "
    "La Région Bretagne investit 3 M€ dans un centre de recherche sur la photonique.",
)
BODY = "\n\n".join(PARAGRAPHS)

LARGE_ARTICLE_CHARS = 30_000
TWO_MB = 2_000_000

CONTROL_CHARS = "".join(chr(c) for c in range(0x20)) + "\u200b\ufeff"


def repeat_to(text: str, size: int) -> str:
    """`text` repeated as paragraphs until it is `size` characters long."""
    block = text + "\n\n"
    return (block * (size // len(block) + 1))[:size]


def check_mentions(nlp, text: str) -> list[dict]:
    mentions = extract_text(nlp, text)
    for m in mentions:
        assert 0 <= m["start"] < m["end"] <= len(text), m
        assert text[m["start"] : m["end"]] == m["text"], m
        assert isinstance(m["sentence"], str)
    return mentions


CASES = {
    "empty": "",
    "only_whitespace": " \n\n\t  \u00a0\n",
    "no_sentence_ends": " ".join(
        p.replace(".", "").replace("»", "").replace("«", "") for p in PARAGRAPHS * 15
    ),
    "no_sentence_ends_lowercase": ("les entreprises de la filière bois investissent " * 300),
    "only_numbers": " ".join(str(n * 7919 % 100_003) for n in range(2_000)),
    "only_amounts": "1,2 M€ 450 000 euros 3 Md€ 12 % 2024 06 12 34 56 78 " * 100,
    "only_punctuation": "... « » , ; : ! ? — – - ( ) [ ] € % \n\n" * 50,
    "mixed_languages": (
        "The Aerospace Valley cluster, based in Toulouse, raised €1.2 million last year. "
        "Der Cluster Aerospace Valley in Toulouse erhielt 1,2 Millionen Euro von der Region. "
        "Le pôle Aerospace Valley, à Toulouse, a reçu 1,2 million d'euros de la Région Occitanie. "
        "« We want to double our projects », said Claire Moreau. "
        "„Wir wollen wachsen“, sagte Jean Dupont, vice-président de la Région Bretagne."
    ),
    "control_characters": CONTROL_CHARS + BODY + CONTROL_CHARS,
    "control_characters_inside_words": (
        "\ufeffLe pôle Aero\u200bspace Valley a reçu 1,2\u200b million d'euros de la Ré\x00gion "
        "Occitanie.\x0b Sa présidente, Claire\x07 Moreau, l'a annoncé à Tou\x1flouse.\r\n"
        "« Nous voulons\x00 doubler », a déclaré Claire\u200bMoreau.\x0c Jean\tDupont, maire "
        "de Pau, a\x1b reçu 450\u00a0000\u202feuros."
    ),
    "unbalanced_quotes": "« " + BODY.replace("»", "") + " « Nous voulons doubler",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_odd_input_gives_valid_offsets(nlp, name):
    check_mentions(nlp, CASES[name])


def test_empty_text_has_no_mentions(nlp):
    assert check_mentions(nlp, "") == []


def test_large_article_keeps_valid_offsets(nlp):
    text = repeat_to(BODY, LARGE_ARTICLE_CHARS)
    mentions = check_mentions(nlp, text)
    assert {m["kind"] for m in mentions} >= {"cluster", "official", "funding", "location"}


def test_two_megabyte_article(nlp):
    text = repeat_to(BODY, TWO_MB)
    mentions = check_mentions(nlp, text)
    # Only the first MAX_NLP_CHARS are read: a 2 MB page is a dump, not an article.
    assert mentions and max(m["end"] for m in mentions) <= MAX_NLP_CHARS


def test_long_text_is_read_in_parts_with_offsets_into_the_whole(nlp):
    text = repeat_to(BODY, MAX_PART_CHARS + 5_000)
    assert len(split_text(text)) == 2
    mentions = check_mentions(nlp, text)
    assert max(m["start"] for m in mentions) > MAX_PART_CHARS
