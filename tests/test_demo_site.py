"""The bundled demo news site, fetched over real HTTP on 127.0.0.1 as the pipeline would."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections import Counter
from datetime import UTC
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from demo.corpus import OUTLETS, OUTLETS_BY_ID, load_corpus
from demo.feeds import DUPLICATED_SLUG, EXTRA_ENTRIES, feed_entry_count
from demo.site import (
    DEMO_FIRST_DAY,
    DEMO_LAST_DAY,
    build_routes,
    demo_sources,
    start_demo_site,
)
from pipeline.sources import parse_sources

EXPECTED_FILE = Path(__file__).parent.parent / "demo" / "expected.json"


@pytest.fixture(scope="module")
def site():
    with start_demo_site() as running:
        yield running


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def _parse_feed(url: str) -> feedparser.FeedParserDict:
    status, content_type, body = _get(url)
    assert status == 200
    headers = {"content-type": content_type, "content-location": url}
    return feedparser.parse(body, response_headers=headers)


def _feeds(site) -> dict[str, feedparser.FeedParserDict]:
    return {s["id"]: _parse_feed(s["feeds"][0]) for s in demo_sources(site.base_url)}


def test_corpus_spans_the_demo_fortnight():
    corpus = load_corpus()
    assert len(corpus) >= 45
    days = Counter(article.paris_date for article in corpus)
    assert len(days) >= 10
    assert min(days) == DEMO_FIRST_DAY and max(days) == DEMO_LAST_DAY
    assert sum(1 for count in days.values() if count >= 2) >= 12
    assert len({a.slug for a in corpus}) == len(corpus)
    assert {a.outlet for a in corpus} == {o.id for o in OUTLETS}
    # Some articles fall on the previous day in UTC, to exercise Paris-day partitioning.
    shifted = [
        a for a in corpus if a.published_at.astimezone(UTC).date().isoformat() != a.paris_date
    ]
    assert len(shifted) >= 2
    for article in corpus:
        body_words = sum(len(p.split()) for p in article.paragraphs)
        assert 150 <= body_words <= 500, article.slug


def test_corpus_uses_every_typographic_variant():
    texts = [" ".join(a.paragraphs) for a in load_corpus()]
    assert any("\u00a0" in t for t in texts)
    assert any("\u202f" in t for t in texts)
    assert any("’" in t for t in texts) and any("'" in t for t in texts)
    assert any("«" in t for t in texts) and any('"' in t for t in texts)


def test_feeds_list_every_article_and_the_deliberate_extras(site):
    feeds = _feeds(site)
    assert feeds["territoires"].version == "atom10"
    assert feeds["courrier"].version == feeds["sud"].version == "rss20"
    corpus_urls = {site.base_url + a.path for a in load_corpus()}
    extra_urls = {site.base_url + e.path for e in EXTRA_ENTRIES}
    for outlet_id, feed in feeds.items():
        assert not feed.bozo, (outlet_id, feed.get("bozo_exception"))
        assert len(feed.entries) == feed_entry_count(outlet_id)
        links = {entry.link for entry in feed.entries}
        mine = {site.base_url + a.path for a in load_corpus() if a.outlet == outlet_id}
        assert mine <= links
        assert links <= corpus_urls | extra_urls
        for entry in feed.entries:
            assert entry.title and entry.id and entry.published_parsed and entry.summary
    guids = Counter(entry.id for entry in feeds["courrier"].entries)
    assert [guid for guid, n in guids.items() if n > 1] == [f"lcde-20261102-{DUPLICATED_SLUG}"]
    assert "+0100" in feeds["courrier"].entries[0].published


def test_sud_feed_has_relative_links(site):
    _, _, body = _get(site.base_url + OUTLETS_BY_ID["sud"].feed_path)
    assert b"<link>/sud/actualites/" in body
    assert b"<link>actualites/" in body


def test_every_feed_link_answers_html_except_the_deliberate_bad_ones(site):
    bad = {site.base_url + e.path: e.kind for e in EXTRA_ENTRIES}
    seen_bad = set()
    for feed in _feeds(site).values():
        for entry in feed.entries:
            status, content_type, body = _get(entry.link)
            kind = bad.get(entry.link)
            if kind == "not_found":
                assert status == 404
            elif kind == "pdf":
                assert status == 200 and content_type == "application/pdf"
                assert body.startswith(b"%PDF")
            else:
                assert status == 200 and content_type.startswith("text/html"), entry.link
            if kind:
                seen_bad.add(kind)
    assert seen_bad == {"not_found", "pdf"}


def test_every_article_page_holds_its_text(site):
    for article in load_corpus():
        outlet = OUTLETS_BY_ID[article.outlet]
        status, content_type, body = _get(site.base_url + article.path)
        assert status == 200
        assert content_type == f"text/html; charset={outlet.page_encoding}"
        soup = BeautifulSoup(body.decode(outlet.page_encoding), "html.parser")
        assert soup.html["lang"] == "fr"
        node = soup.find("article")
        assert node.find("h1").get_text() == article.title
        assert node.find("time")["datetime"] == article.published_at.isoformat()
        text = node.get_text()
        assert article.lead in text
        for paragraph in article.paragraphs:
            assert paragraph in text, (article.slug, paragraph[:40])
        published = soup.find("meta", property="article:published_time")["content"]
        assert published == article.published_at.isoformat()
        assert soup.find("link", rel="canonical")["href"] == site.base_url + article.path
        page = soup.get_text()
        assert "Votre email ne sera pas affiché publiquement" in page
        assert "Les plus lus" in page and "Accepter" in page


def test_windows_1252_outlet_keeps_its_accents(site):
    article = next(a for a in load_corpus() if a.slug == "capenergies-solaire-flottant-vaucluse")
    _, content_type, body = _get(site.base_url + article.path)
    assert content_type == "text/html; charset=windows-1252"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    text = body.decode("cp1252")
    assert 'content="text/html; charset=windows-1252"' in text
    assert "Capénergies" in text and "plan d’eau" in text and "«" in text
    nbsp_article = next(
        a for a in load_corpus() if a.slug == "eurobiomed-incubateur-sante-marseille"
    )
    _, _, body = _get(site.base_url + nbsp_article.path)
    assert "650\u00a0000 euros" in body.decode("cp1252")
    assert "cœur" in body.decode("cp1252")


def test_json_ld_news_article(site):
    article = next(a for a in load_corpus() if a.outlet == "courrier")
    _, _, body = _get(site.base_url + article.path)
    soup = BeautifulSoup(body, "html.parser")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title
    assert data["datePublished"] == article.published_at.isoformat()


def test_slow_page_is_slow_but_fine(site):
    slow = [a for a in load_corpus() if a.slow]
    assert len(slow) == 1
    status, content_type, _ = _get(site.base_url + slow[0].path)
    assert status == 200 and content_type.startswith("text/html")


def test_broken_feed_home_and_robots(site):
    sources = demo_sources(site.base_url, include_broken=True)
    broken = sources[-1]
    assert broken["id"] == "flux-casse"
    assert feedparser.parse(_get(broken["feeds"][0])[2]).bozo
    status, _, body = _get(site.base_url + "/")
    assert status == 200
    for outlet in OUTLETS:
        assert outlet.feed_path.encode() in body
    status, _, body = _get(site.base_url + "/robots.txt")
    assert status == 200 and b"Allow: /" in body


def test_demo_sources_shape():
    sources = demo_sources("http://127.0.0.1:8123/")
    assert [s["id"] for s in sources] == ["courrier", "territoires", "sud"]
    for source in sources:
        base = {"id", "name", "regions", "language", "feeds", "allow_private"}
        assert base | {"content_selector", "date_selector", "drop_selectors"} == set(source)
        assert source["language"] == "fr" and source["allow_private"] is True
        assert source["feeds"][0].startswith("http://127.0.0.1:8123/")
    assert len(demo_sources("http://x", include_broken=True)) == len(sources) + 1
    parse_sources({"sources": sources})  # valid as a sources file, selectors included


def test_output_is_deterministic():
    assert build_routes("http://127.0.0.1:1") == build_routes("http://127.0.0.1:1")


def test_expected_facts_are_in_the_articles():
    expected = json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))
    assert len(expected) >= 12
    corpus = {a.slug: a for a in load_corpus()}
    for facts in expected:
        article = corpus[facts["slug"]]
        assert facts["outlet"] == article.outlet and facts["paris_date"] == article.paris_date
        text = " ".join((article.title, article.lead, *article.paragraphs)).replace("’", "'")
        for name in facts["clusters"] + facts.get("not_clusters", []):
            assert name in text, (facts["slug"], name)
        for place in facts["locations"]:
            assert place.removeprefix("Le ") in text, (facts["slug"], place)
        for official in facts["officials"]:
            assert official["name"] in text, (facts["slug"], official)
        assert all(isinstance(x, int) and x > 0 for x in facts["funding_amounts_eur"])
