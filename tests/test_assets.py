"""The Dagster layer: one asset called directly, then the whole graph materialized on tmp_path."""

import dagster as dg
import duckdb
import pytest

from assets import checks, daily
from assets.resources import DatabaseResource, HttpResource, NlpResource, SourcesResource
from pipeline.sources import write_sources
from pipeline.warehouse.storage import connect_work
from tests.site_fixture import small_site, sources_for

DAY = "2026-11-03"


@pytest.fixture
def site_and_resources(tmp_path):
    with small_site() as site:
        sources = write_sources(tmp_path / "sources.yaml", sources_for(site.url))
        yield {
            "database": DatabaseResource(db_path=str(tmp_path / "veille.duckdb")),
            "sources": SourcesResource(path=str(sources)),
            "http": HttpResource(user_agent="veille-test", min_delay_ms=0, retries=0),
            "nlp": NlpResource(),
        }


def test_feed_entries_asset_called_directly(site_and_resources, tmp_path):
    context = dg.build_asset_context(partition_key=DAY)
    result = daily.feed_entries(
        context,
        database=site_and_resources["database"],
        sources=site_and_resources["sources"],
        http=site_and_resources["http"],
    )
    assert result.metadata["rows"] == 3
    assert result.metadata["failed_feeds"] == 1
    assert "La grappe Kaolin Avenir" in result.metadata["preview"].value
    with connect_work(tmp_path / "veille.duckdb") as con:
        assert con.execute("SELECT count(*) FROM feed_entries").fetchone() == (3,)


def test_materialize_the_graph_then_again(site_and_resources, tmp_path):
    graph = [*dg.load_assets_from_modules([daily]), *dg.load_asset_checks_from_modules([checks])]
    with dg.DagsterInstance.ephemeral() as instance:
        for _ in range(2):
            result = dg.materialize(
                graph, partition_key=DAY, resources=site_and_resources, instance=instance
            )
            assert result.success
            evaluations = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
            assert evaluations == {
                "mention_offsets_match_text": True,
                "article_ids_unique": True,
                "day_not_empty": True,
                "no_silent_source": True,  # one run day only: too early to call a source silent
                "no_extraction_failure": True,
            }
    with duckdb.connect(str(tmp_path / "veille.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (1,)
        kinds = dict(con.execute("SELECT kind, count(*) FROM mentions GROUP BY 1").fetchall())
        assert kinds["cluster"] >= 1 and kinds["funding"] == 1
        log = con.execute("SELECT kind, ok FROM fetch_log ORDER BY ALL").fetchall()
    assert log.count(("page", False)) == 2 and log.count(("feed", False)) == 1


def test_a_day_without_articles_warns_but_publishes(site_and_resources, tmp_path):
    graph = [*dg.load_assets_from_modules([daily]), *dg.load_asset_checks_from_modules([checks])]
    with dg.DagsterInstance.ephemeral() as instance:
        result = dg.materialize(
            graph, partition_key="2026-10-01", resources=site_and_resources, instance=instance
        )
    assert result.success
    (empty,) = [e for e in result.get_asset_check_evaluations() if e.check_name == "day_not_empty"]
    assert not empty.passed and empty.severity == dg.AssetCheckSeverity.WARN
    assert (tmp_path / "veille.duckdb").exists()
