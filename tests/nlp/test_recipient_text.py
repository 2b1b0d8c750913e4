"""`recipient_text`: the recipient as the article writes it, beside `recipient`, the name the rules
and the ranker normalise (a cluster's canonical name, no leading article)."""

from __future__ import annotations

import pytest

from pipeline.nlp.mention import doc_mentions
from pipeline.nlp.pipeline import extract_text


def _recipients(nlp, text: str) -> list[tuple[str | None, str | None]]:
    return [
        (m.fields.get("recipient"), m.fields.get("recipient_text"))
        for m in doc_mentions(nlp(text), "funding")
        if m.fields.get("amount_eur")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A cluster's canonical name, and the words that name it in the article.
        (
            "La Région Nouvelle-Aquitaine accorde 2,5 M€ au pôle Aerospace Valley pour son "
            "programme de drones.",
            [("Aerospace Valley", "pôle Aerospace Valley")],
        ),
        (
            "Le pôle Xylofutur bénéficie d'une subvention de 300 000 euros du FEDER.",
            [("Xylofutur", "Le pôle Xylofutur")],
        ),
        # A rule's name after a marker, with the article and the noun before it.
        (
            "La Région accorde une subvention de 20 000 € à la société Patalune.",
            [("Patalune", "la société Patalune")],
        ),
        # The ranker's choice, whose leading article the normalised name drops.
        (
            "Le Département a voté 120 000 € en faveur de la coopérative Lait des Vallons.",
            [("coopérative Lait des Vallons", "la coopérative Lait des Vallons")],
        ),
        (
            "La Région a arrêté la liste de ses soutiens :\n- Menuiserie Barthès (80 000 €)\n"
            "- Fromagerie des Causses (45 000 €)",
            [
                ("Menuiserie Barthès", "Menuiserie Barthès"),
                ("Fromagerie des Causses", "Fromagerie des Causses"),
            ],
        ),
        # No recipient, nothing written.
        ("Le budget régional prévoit 2 millions d'euros de subventions.", [(None, None)]),
    ],
)
def test_the_recipient_as_written_is_kept_beside_its_name(nlp, text, expected):
    assert _recipients(nlp, text) == expected


def test_the_written_recipient_is_in_the_articles_text_and_in_the_mention_dicts(nlp):
    text = "Bpifrance soutient l'entreprise Hydrogenia à hauteur de 1,2 million d'euros."
    (mention,) = [m for m in extract_text(nlp, text) if m["kind"] == "funding"]
    assert (mention["recipient"], mention["recipient_text"]) == (
        "Hydrogenia",
        "l'entreprise Hydrogenia",
    )
    assert mention["recipient_text"] in text
