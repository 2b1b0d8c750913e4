"""The daily steps as plain functions, against a real loopback site."""

from datetime import date

import pytest

from pipeline import daily
from pipeline.collect.archive import RawArchive
from pipeline.collect.fetch import Fetcher, HttpSettings
from pipeline.sources import parse_sources
from tests.site_fixture import small_site, sources_for

DAY = date(2026, 11, 3)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return RawArchive(tmp_path_factory.mktemp("archive"))


@pytest.fixture(scope="module")
def collected(archive):
    with small_site() as site:
        sources = parse_sources({"sources": sources_for(site.url)})
        fetcher = Fetcher(HttpSettings(min_delay_s=0.0, retries=0))
        entries, feed_log, _ = daily.collect_feed_entries(sources, fetcher, DAY)
        pages, page_log = daily.fetch_pages(entries, sources, fetcher, DAY, archive)
        hits_before = len(site.hits)
        again, _ = daily.fetch_pages(entries, sources, fetcher, DAY, archive, pages)
        refetched = [path for path, _ in site.hits[hits_before:]]
    return entries, feed_log, pages, page_log, again, refetched


def test_entries_of_the_day_only(collected):
    entries, feed_log, *_ = collected
    assert [e["url"].rsplit("/", 1)[-1] for e in entries] == [
        "kaolin.html",
        "disparue.html",
        "supplement.pdf",
    ]
    assert {e["partition_date"] for e in entries} == {DAY}
    broken = [r for r in feed_log if r["source"] == "casse"]
    assert len(broken) == 1 and not broken[0]["ok"] and "not a readable feed" in broken[0]["reason"]


def test_pages_keep_html_and_log_the_rest(collected, archive):
    _, _, pages, page_log, _, _ = collected
    assert [p["url"].rsplit("/", 1)[-1] for p in pages] == ["kaolin.html"]
    reasons = {r["url"].rsplit("/", 1)[-1]: r["reason"] for r in page_log}
    assert reasons == {
        "kaolin.html": None,
        "disparue.html": "HTTP 404",
        "supplement.pdf": "not an HTML page (application/pdf)",
    }
    (page,) = pages
    assert archive.get(page["content_sha256"]).startswith(b"<!DOCTYPE html>")
    assert '"content-type": "text/html; charset=utf-8"' in page["headers"]


def test_pages_already_archived_are_not_fetched_again(collected):
    _, _, pages, _, again, refetched = collected
    assert again == pages
    assert "/eco/kaolin.html" not in refetched  # only the failed ones are tried again
    assert sorted(refetched) == ["/eco/disparue.html", "/eco/supplement.pdf"]


def test_a_page_that_cannot_be_fetched_again_keeps_its_row(collected, tmp_path):
    """The body went missing from the archive and the site is down: the stored row stays."""
    entries, _, pages, *_ = collected
    sources = parse_sources({"sources": sources_for("http://127.0.0.1:9")})
    fetcher = Fetcher(HttpSettings(min_delay_s=0.0, retries=0))
    empty = RawArchive(tmp_path / "empty")
    again, log = daily.fetch_pages(entries, sources, fetcher, DAY, empty, pages)
    assert again == pages
    assert all(not row["ok"] for row in log)


def test_sources_unreachable_and_entries_merged(collected):
    entries, feed_log, *_ = collected
    sources = parse_sources({"sources": sources_for("http://127.0.0.1:9")})
    assert daily.sources_reached(feed_log) == {"reveil"}
    assert list(daily.unreachable_reasons(sources, feed_log)) == ["casse"]
    assert "not a readable feed" in daily.unreachable_reasons(sources, feed_log)["casse"]
    # A re-run that found one entry again keeps the two others stored before.
    fresh = [{**entries[0], "title": "Titre corrigé"}]
    merged = daily.merge_entries(entries, fresh)
    assert [e["article_id"] for e in merged] == [e["article_id"] for e in entries]
    assert merged[0]["title"] == "Titre corrigé"
    assert daily.merge_entries(entries, []) == entries
    # A source taken out of the sources file keeps nothing.
    assert daily.merge_entries(entries, [], ["casse"]) == []
    assert daily.merge_entries(entries, [], ["reveil", "casse"]) == entries


def test_a_page_that_breaks_the_extractor_is_logged_not_raised(collected, archive, monkeypatch):
    _, _, pages, *_ = collected

    def breaks(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(daily, "extract_article", breaks)
    articles, log = daily.build_articles(pages, DAY, archive)
    assert articles == []
    (row,) = log
    assert row["kind"] == "article" and not row["ok"]
    assert row["reason"] == "extraction failed: RecursionError: maximum recursion depth exceeded"


def test_articles_and_mentions(collected, archive, nlp):
    _, _, pages, *_ = collected
    articles, log = daily.build_articles(pages, DAY, archive)
    assert log == []
    (article,) = articles
    assert article["title"] == "La grappe Kaolin Avenir voit le jour à Limoges"  # h1 over <title>
    assert article["published_at"].isoformat() == "2026-11-03T08:10:00+01:00"
    assert "Les plus lus" not in article["text"] and "Votre email" not in article["text"]
    assert article["content_hash"] == daily.content_hash(article["text"].upper())
    mentions, failures = daily.build_mentions(nlp, articles)
    assert failures == []
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
    assert daily.build_mentions(nlp, articles) == (mentions, [])  # deterministic ids and order


def test_feeds_are_fetched_conditionally(tmp_path):
    from tests.httpserver import LoopbackServer, Route
    from tests.site_fixture import FEED

    server = LoopbackServer({})

    def feed(headers: dict[str, str]) -> Route:
        if headers.get("If-None-Match") == '"v1"':
            return Route(304, b"", {"ETag": '"v1"'})
        body = FEED.format(base=server.url).encode()
        return Route(200, body, {"Content-Type": "application/rss+xml", "ETag": '"v1"'})

    server.routes["/rss.xml"] = feed
    archive, state = RawArchive(tmp_path), {}
    with server:
        sources = parse_sources({"sources": sources_for(server.url)[:1]})
        fetcher = Fetcher(HttpSettings(min_delay_s=0.0, retries=0))
        first, log1, _ = daily.collect_feed_entries(sources, fetcher, DAY, {}, archive, state)
        second, log2, _ = daily.collect_feed_entries(sources, fetcher, DAY, {}, archive, state)
    assert [r["status"] for r in log1] == [200] and [r["status"] for r in log2] == [304]
    assert second == first and len(first) == 3
    assert state[server.url + "/rss.xml"]["etag"] == '"v1"'


SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{base}/eco/kaolin.html</loc><news:news><news:publication_date>2026-11-03T08:10:00+01:00</news:publication_date>
<news:title>La grappe Kaolin Avenir voit le jour</news:title></news:news></url>
</urlset>"""

UNDATED_FEED = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Brèves</title>
<item><title>Sans date dans le flux</title><link>{base}/eco/kaolin-bis.html</link></item></channel></rss>"""


def test_news_sitemaps_and_undated_entries_dated_from_their_page():
    from tests.httpserver import Route
    from tests.site_fixture import ARTICLE

    with small_site() as site:
        site.routes["/news-sitemap.xml"] = Route(
            200, SITEMAP.format(base=site.url).encode(), {"Content-Type": "application/xml"}
        )
        site.routes["/breves.xml"] = Route(
            200,
            UNDATED_FEED.format(base=site.url).encode(),
            {"Content-Type": "application/rss+xml"},
        )
        site.routes["/eco/kaolin-bis.html"] = Route(200, ARTICLE.encode())
        raw = [
            {
                "id": "plan",
                "name": "Plan du site",
                "sitemaps": [site.url + "/news-sitemap.xml"],
                "allow_private": True,
            },
            {
                "id": "breves",
                "name": "Brèves",
                "feeds": [site.url + "/breves.xml"],
                "allow_private": True,
            },
        ]
        sources = parse_sources({"sources": raw})
        fetcher = Fetcher(HttpSettings(min_delay_s=0.0, retries=0))
        entries, _, new_dates = daily.collect_feed_entries(sources, fetcher, DAY)
        known = {row["url"]: row["published_at"] for row in new_dates}
        before = len(site.hits)
        again, _, more_dates = daily.collect_feed_entries(sources, fetcher, DAY, known)
        page_hits = [path for path, _ in site.hits[before:] if path.startswith("/eco/")]
    assert sorted((e["source"], e["url"].rsplit("/", 1)[-1]) for e in entries) == [
        ("breves", "kaolin-bis.html"),
        ("plan", "kaolin.html"),
    ]
    assert [row["published_at"].isoformat() for row in new_dates] == ["2026-11-03T08:10:00+01:00"]
    assert again == entries and more_dates == [] and page_hits == []


def _article(article_id: str, text: str, hour: int, canonical: str | None = None) -> dict:
    from datetime import UTC, datetime

    return {
        "article_id": article_id,
        "url": f"https://exemple.fr/{article_id}",
        "canonical_url": canonical,
        "text": text,
        "published_at": datetime(2026, 11, 3, hour, tzinfo=UTC),
    }


DISPATCH = (
    "Le pôle de compétitivité Vegepolys Valley annonce l'ouverture d'un appel à projets consacré "
    "aux semences adaptées à la sécheresse. Les dossiers sont attendus jusqu'au 15 janvier. Le "
    "pôle accompagnera les lauréats dans leurs demandes de financement auprès de la Région et "
    "de Bpifrance, et organisera une journée d'information à Angers le 2 décembre prochain."
)


def test_duplicates_are_kept_and_pointed_at_the_first_copy():
    articles = [
        _article("b", DISPATCH.replace("prochain", "prochain, précise le communiqué"), 9),
        _article("a", DISPATCH, 7),
        _article("c", "Un tout autre sujet : la rocade sera fermée la nuit pour travaux. " * 5, 8),
        _article("d", "Version mobile du même article. " * 6, 10, canonical="https://exemple.fr/a"),
    ]
    daily.mark_duplicates(articles)
    marks = {a["article_id"]: (a["duplicate_of"], a["similarity"]) for a in articles}
    assert marks["a"] == (None, None) and marks["c"] == (None, None)
    assert marks["d"] == ("a", 1.0)
    assert marks["b"][0] == "a" and 0.8 <= marks["b"][1] < 1.0


def test_a_lost_archive_body_keeps_the_stored_article(collected, tmp_path):
    _, _, pages, *_ = collected
    (page,) = pages
    archive = RawArchive(tmp_path / "empty-archive")  # the body is not there any more
    stored = [
        {
            **page,
            "article_id": page["article_id"],
            "title": "Déjà stocké",
            "published_at": None,
            "canonical_url": None,
            "text": "Le texte stocké la veille reste en place.",
        }
    ]
    articles, log = daily.build_articles(pages, DAY, archive, stored=stored)
    assert [a["title"] for a in articles] == ["Déjà stocké"]
    assert len(log) == 1 and "missing" in log[0]["reason"]


def test_a_damaged_cached_feed_is_fetched_again_in_full(tmp_path):
    import gzip

    from tests.httpserver import LoopbackServer, Route
    from tests.site_fixture import FEED

    server = LoopbackServer({})

    def feed(headers: dict[str, str]) -> Route:
        if headers.get("If-None-Match") == '"v1"':
            return Route(304, b"", {"ETag": '"v1"'})
        return Route(
            200,
            FEED.format(base=server.url).encode(),
            {"Content-Type": "application/rss+xml", "ETag": '"v1"'},
        )

    server.routes["/rss.xml"] = feed
    archive, state = RawArchive(tmp_path), {}
    with server:
        sources = parse_sources({"sources": sources_for(server.url)[:1]})
        fetcher = Fetcher(HttpSettings(min_delay_s=0.0, retries=0))
        first, _, _ = daily.collect_feed_entries(sources, fetcher, DAY, {}, archive, state)
        digest = state[server.url + "/rss.xml"]["content_sha256"]
        (tmp_path / digest[:2] / f"{digest}.gz").write_bytes(gzip.compress(b"abime"))
        second, log, _ = daily.collect_feed_entries(sources, fetcher, DAY, {}, archive, state)
    assert second == first and [r["status"] for r in log] == [200]
    assert archive.get(digest).startswith(b"<?xml")  # the damaged copy was replaced
