"""The digest and the review-based precision honour review decisions."""

from pipeline.review.digest import build_digest, funding_events, period_days
from pipeline.review.evaluation import format_scores, review_scores
from pipeline.review.queue import open_live
from pipeline.warehouse.review_store import Decision, added_mention, record
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


def _funding(article, amount, text, sentence, **fields):
    row = {
        "mention_id": f"{article}-{amount}-{len(sentence)}",
        "article_id": article,
        "day": DAY,
        "amount_eur": amount,
        "amount_max_eur": None,
        "amount_text": text,
        "text": text,
        "sentence": sentence,
        "funder": None,
        "recipient": None,
        "instrument": None,
    }
    return {**row, **fields}


def test_the_digest_keeps_real_funding_events_once_biggest_first():
    plan = "L'avenant au contrat de plan consacre 9 millions d'euros au port de Sète."
    parts = "L'État apporte 5 millions d'euros, la Région 3 millions et la métropole 1 million."
    rows = [
        # Named in passing, three times: no amount, no event.
        _funding("a1", None, "crédits d'animation", "L'État réduit ses crédits d'animation."),
        _funding("a2", None, "crédits d'animation", "Les crédits d'animation baissent."),
        # A total and its parts in one article: one event, its funders named.
        _funding("a3", 9e6, "9 millions d'euros", plan, instrument="CPER"),
        _funding("a3", 5e6, "5 millions d'euros", parts, funder="État"),
        _funding("a3", 3e6, "3 millions", parts, funder="Région Occitanie"),
        _funding("a3", 1e6, "1 million", parts, funder="Métropole"),
        # An average, a ceiling and a bracket are not events.
        _funding("a4", 2.4e6, "2,4 M€", "Douze lauréats se partagent 2,4 M€ d'aides.",
                 funder="Région Occitanie"),
        _funding("a4", 2e5, "200 000 euros",
                 "Le montant moyen par lauréat atteint 200 000 euros.", funder="Région Occitanie"),
        _funding("a5", 4e4, "jusqu'à 40 000 euros",
                 "Chaque PME pourra recevoir jusqu'à 40 000 euros."),
        _funding("a5", 1e4, "10 000 à 30 000 euros", "Des prêts de 10 000 à 30 000 euros.",
                 amount_max_eur=3e4),
        # One amount written twice in an article: once, with the details of both.
        _funding("a6", 1.5e6, "1,5 million d'euros", "Le projet reçoit 1,5 million d'euros.",
                 recipient="Axelera"),
        _funding("a6", 1.5e6, "1,5 million d'euros",
                 "L'ADEME soutient le projet à hauteur de 1,5 million d'euros.", funder="ADEME"),
    ]  # fmt: skip
    events = funding_events(rows, limit=10)
    assert [(e["amount_eur"], e["funder"], e["recipient"], e["instrument"]) for e in events] == [
        (9e6, "État, Région Occitanie, Métropole", None, "CPER"),
        (2.4e6, "Région Occitanie", None, None),
        (1.5e6, "ADEME", "Axelera", None),
    ]
    assert funding_events(rows, limit=2) == events[:2]


def test_precision_from_reviews_leaves_out_an_undone_bulk_acceptance(tmp_path):
    """Mentions a bulk acceptance accepted, then given back by its undo, count as unjudged; one
    that had been rejected before the batch counts as rejected again."""
    from pipeline.warehouse.review_store import new_batch_id, undo_batch

    db = build_published(tmp_path / "veille.duckdb")
    rejected = mention_id("aero", "location")
    record(db, Decision(rejected, "rejected", "paul", reason="hors sujet"))
    batch_id = new_batch_id()
    record(
        db,
        *(
            Decision(mention_id(key, "location"), "accepted", "claire", batch_id=batch_id)
            for key in ("valorial", "aero")
        ),
    )
    assert {(s.kind, s.accepted) for s in review_scores(db) if s.rule is None} == {("location", 2)}
    undo_batch(db, batch_id, "claire")
    (location,) = [s for s in review_scores(db) if s.rule is None]
    assert (location.kind, location.accepted, location.rejected) == ("location", 0, 1)
