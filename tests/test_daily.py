"""The daily steps as plain functions, against a real loopback site."""

from datetime import date

import pytest

from pipeline import daily
from pipeline.fetch import Fetcher, HttpSettings
from pipeline.sources import parse_sources
from tests.site_fixture import small_site, sources_for

DAY = date(2026, 11, 3)


@pytest.fixture(scope="module")
def collected():
    with small_site() as site:
        sources = parse_sources({"sources": sources_for(site.url)})
        fetcher = Fetcher(HttpSettings(min_delay_s=0.0, retries=0))
        entries, feed_log = daily.collect_feed_entries(sources, fetcher, DAY)
        pages, page_log = daily.fetch_pages(entries, sources, fetcher, DAY)
    return entries, feed_log, pages, page_log


def test_entries_of_the_day_only(collected):
    entries, feed_log, _, _ = collected
    assert [e["url"].rsplit("/", 1)[-1] for e in entries] == [
        "kaolin.html",
        "disparue.html",
        "supplement.pdf",
    ]
    assert {e["partition_date"] for e in entries} == {DAY}
    broken = [r for r in feed_log if r["source"] == "casse"]
    assert len(broken) == 1 and not broken[0]["ok"] and "not a readable feed" in broken[0]["reason"]


def test_pages_keep_html_and_log_the_rest(collected):
    _, _, pages, page_log = collected
    assert [p["url"].rsplit("/", 1)[-1] for p in pages] == ["kaolin.html"]
    reasons = {r["url"].rsplit("/", 1)[-1]: r["reason"] for r in page_log}
    assert reasons == {
        "kaolin.html": None,
        "disparue.html": "HTTP 404",
        "supplement.pdf": "not an HTML page (application/pdf)",
    }


def test_articles_and_mentions(collected, nlp):
    _, _, pages, _ = collected
    articles, log = daily.build_articles(pages, DAY)
    assert log == []
    (article,) = articles
    assert article["title"] == "La grappe Kaolin Avenir voit le jour à Limoges"  # h1 over <title>
    assert article["published_at"].isoformat() == "2026-11-03T08:10:00+01:00"
    assert "Les plus lus" not in article["text"] and "Votre email" not in article["text"]
    mentions = daily.build_mentions(nlp, articles)
    found = {
        (m["kind"], m.get("name") or m.get("amount_eur") or m.get("speaker")) for m in mentions
    }
    assert ("cluster", "Kaolin Avenir") in found
    assert ("funding", 120000.0) in found
    assert ("location", "Limoges") in found
    assert ("quote", "Odile Marcheix") in found
    for mention in mentions:
        assert article["text"][mention["start"] : mention["end"]] == mention["text"]
    assert len({m["mention_id"] for m in mentions}) == len(mentions)
    assert daily.build_mentions(nlp, articles) == mentions  # deterministic ids and order
