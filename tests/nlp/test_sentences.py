import pytest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "La Région Nouvelle-Aquitaine accorde 2,5 M€ à la start-up Lumina. Elle recrute.",
            ["La Région Nouvelle-Aquitaine accorde 2,5 M€ à la start-up Lumina.", "Elle recrute."],
        ),
        (
            "Topos, ou encore la grappe Médoc Aéro Services, créée par M. Dupont. Le budget atteint 1,2 Md€. J. Martin approuve.",
            [
                "Topos, ou encore la grappe Médoc Aéro Services, créée par M. Dupont.",
                "Le budget atteint 1,2 Md€.",
                "J. Martin approuve.",
            ],
        ),
        (
            "« C’est une bonne nouvelle. » Le maire est satisfait.\nDeuxième paragraphe sans point final\nTroisième.",
            [
                "« C’est une bonne nouvelle. »",
                "Le maire est satisfait.",
                "Deuxième paragraphe sans point final",
                "Troisième.",
            ],
        ),
        (
            "Le pôle compte 3 adhérents... et vise 40 en 2027.",
            ["Le pôle compte 3 adhérents... et vise 40 en 2027."],
        ),
    ],
)
def test_rule_sentences(nlp, text, expected):
    assert [s.text.strip() for s in nlp(text).sents] == expected


def test_evidence_of_a_quote_spans_its_sentences(nlp):
    from pipeline.nlp import doc_to_dicts

    text = "« Seuls, nous n’avions pas les moyens. Ensemble, c’est autre chose », résume sa présidente, Odile Marcheix."
    (quote,) = [m for m in doc_to_dicts(nlp(text)) if m["kind"] == "quote"]
    assert quote["sentence"] == text
    assert quote["speaker"] == "Odile Marcheix"
