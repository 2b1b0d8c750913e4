"""The digest and the review-based precision honour review decisions."""

from pipeline.digest import build_digest, period_days
from pipeline.review_eval import format_scores, review_scores
from pipeline.review_queue import open_live
from pipeline.reviews import Decision, added_mention, record
from tests.review_data import ARTICLES, DAY, NEXT_DAY, build_published, mention_id


def test_the_weekly_digest_applies_rejections_corrections_and_merges(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    record(
        db,
        Decision(mention_id("aero", "funding"), "rejected", "claire", reason="doublon"),
        Decision(
            mention_id("valorial", "funding"),
            "corrected",
            "claire",
            field="amount_eur",
            new_value="1500000",
        ),
        Decision(
            mention_id("piege", "cluster"),
            "corrected",
            "claire",
            field="entity_id",
            new_value="cluster:aerospace-valley",
        ),
    )
    with open_live(db) as con:
        week = build_digest(con, "week", NEXT_DAY)
        day = build_digest(con, "day", DAY, validated_only=True)
    assert (week.first, week.last) == period_days("week", NEXT_DAY)
    assert [(f["amount_eur"], f["funder"]) for f in week.funding] == [(1.5e6, "Région Bretagne")]
    assert [(c["cluster"], c["articles"]) for c in week.clusters][:2] == [
        ("Aerospace Valley", 2),
        ("Valorial", 1),
    ]
    assert [(q["speaker"], q["role"]) for q in week.quotes] == [
        ("Marc Dupuis", "directeur général"),
        ("Anne Le Gall", "présidente"),
    ]
    assert [f["amount_eur"] for f in day.funding] == [1.5e6]
    assert day.clusters == [] and day.quotes == []


def test_precision_from_reviews_per_kind_and_rule(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    assert review_scores(db) == []
    assert "no reviewed mention" in format_scores([])
    record(
        db,
        Decision(mention_id("valorial", "cluster"), "accepted", "claire"),
        Decision(mention_id("aero", "cluster"), "rejected", "claire", reason="hors sujet"),
        Decision(
            mention_id("piege", "cluster"),
            "corrected",
            "claire",
            field="name",
            new_value="Eurobiomed",
        ),
        Decision(mention_id("aero", "funding"), "accepted", "claire"),
        Decision(mention_id("aero", "funding"), "rejected", "paul", reason="doublon"),
        added_mention("aero", ARTICLES["aero"][4], "cluster", "Bpifrance", "claire"),
    )
    scores = {(s.kind, s.rule): s for s in review_scores(db)}
    cluster = scores[("cluster", None)]
    assert (cluster.accepted, cluster.corrected, cluster.rejected, cluster.added) == (2, 1, 1, 1)
    assert round(cluster.precision, 3) == 0.667
    assert scores[("cluster", "cluster_rule")].precision == cluster.precision
    assert scores[("funding", None)].precision == 0.0
    table = format_scores(list(scores.values()))
    assert "cluster_rule" in table and "0.667" in table
