"""Bad input at run level: each bad feed or page is logged with its URL and reason, the good
article beside it is kept, and what an earlier day stored is untouched."""

from datetime import date

import pytest

from pipeline import daily
from pipeline.collect.archive import RawArchive
from pipeline.collect.fetch import Fetcher, HttpSettings
from pipeline.sources import parse_sources
from pipeline.warehouse.storage import (
    connect_work,
    read_partition,
    replace_fetch_log,
    replace_partition,
)
from tests.httpserver import LoopbackServer, Route
from tests.site_fixture import ARTICLE

DAY = date(2026, 11, 3)
EARLIER = date(2026, 11, 2)
RSS = "application/rss+xml"

BAD_PAGES = {
    "/404.html": (Route(404, b"introuvable"), "HTTP 404"),
    "/410.html": (Route(410, b"parti"), "HTTP 410"),
    "/500.html": (Route(500, b"erreur"), "HTTP 500"),
    "/503.html": (Route(503, b"indisponible"), "HTTP 503"),
    "/lente.html": (Route(200, ARTICLE.encode(), delay_s=1.5), "network error"),
    "/goutte.html": (Route(200, ARTICLE.encode()[:400], drip_s=0.01), "deadline"),
    "/tronquee.html": (Route(200, ARTICLE.encode()[:200], content_length=5000), "truncated"),
    "/enorme.html": (Route(200, b"<p>" + b"a" * 2_500_000 + b"</p>"), "larger than"),
    "/boucle.html": (Route(302, b"", {"Location": "/boucle.html"}), "redirect"),
    "/interdite.html": (Route(200, ARTICLE.encode()), "robots.txt"),
    "/fiche.pdf": (
        Route(200, b"%PDF-1.4", {"Content-Type": "application/pdf"}),
        "not an HTML page",
    ),
    # Last: a Retry-After over the cap holds back every later request to the host for 60 s.
    "/429.html": (Route(429, b"trop", {"Retry-After": "3600"}), "HTTP 429"),
}


def _feed(base: str, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Article {i}</title><link>{base}{path}</link><guid>g{i}</guid>"
        f"<pubDate>Tue, 03 Nov 2026 08:{i:02d}:00 +0100</pubDate></item>"
        for i, path in enumerate(paths)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bad")
    server = LoopbackServer({})
    pages = ["/bonne.html", *BAD_PAGES]
    many = "".join(
        f"<item><title>Brève {i}</title><link>{{base}}/breves/{i}</link>"
        f"<pubDate>Mon, 02 Nov 2026 10:00:00 +0100</pubDate></item>"
        for i in range(10_000)
    )
    server.routes.update(
        {
            "/robots.txt": Route(
                200, b"User-agent: *\nDisallow: /interdite.html\n", {"Content-Type": "text/plain"}
            ),
            "/rss.xml": Route(200, _feed(server.url, pages), {"Content-Type": RSS}),
            "/page-html.xml": Route(200, b"<html><body><p>Bienvenue</p></body></html>"),
            "/vide.xml": Route(
                200,
                b'<?xml version="1.0"?><rss version="2.0"><channel><title>V</title></channel></rss>',
                {"Content-Type": RSS},
            ),
            "/dix-mille.xml": Route(
                200,
                f'<?xml version="1.0"?><rss version="2.0"><channel><title>M</title>{many}</channel></rss>'.encode(),
                {"Content-Type": RSS},
            ),
            "/bonne.html": Route(200, ARTICLE.encode()),
            **{path: route for path, (route, _) in BAD_PAGES.items()},
        }
    )
    raw = [
        {
            "id": "journal",
            "name": "Journal",
            "feeds": [server.url + "/rss.xml"],
            "allow_private": True,
        },
        {
            "id": "portail",
            "name": "Portail",
            "feeds": [server.url + "/page-html.xml"],
            "allow_private": True,
        },
        {"id": "vide", "name": "Vide", "feeds": [server.url + "/vide.xml"], "allow_private": True},
        {
            "id": "fil",
            "name": "Fil",
            "feeds": [server.url + "/dix-mille.xml"],
            "allow_private": True,
        },
    ]
    sources = parse_sources({"sources": raw})
    settings = HttpSettings(
        min_delay_s=0.0,
        retries=1,
        backoff_s=0.01,
        timeout_s=0.5,
        deadline_s=2.0,
        max_bytes=2_000_000,
    )
    archive = RawArchive(tmp / "archive")
    db = tmp / "veille.duckdb"
    earlier = {
        "article_id": "earlier",
        "partition_date": EARLIER,
        "url": "https://x.fr/a",
        "source": "journal",
        "text": "Article de la veille, déjà stocké.",
        "n_chars": 34,
    }
    with connect_work(db) as con:
        replace_partition(con, "articles", EARLIER, [earlier])
    with server:
        fetcher = Fetcher(settings)
        entries, feed_log, _ = daily.collect_feed_entries(sources, fetcher, DAY)
        pages_rows, page_log = daily.fetch_pages(entries, sources, fetcher, DAY, archive)
    articles, article_log = daily.build_articles(pages_rows, DAY, archive, sources)
    with connect_work(db) as con:
        replace_partition(con, "feed_entries", DAY, entries)
        replace_partition(con, "articles", DAY, articles)
        for kind, rows in (("feed", feed_log), ("page", page_log), ("article", article_log)):
            replace_fetch_log(con, DAY, kind, rows)
        stored = {day: read_partition(con, "articles", day) for day in (EARLIER, DAY)}
    return {
        "base": server.url,
        "feed_log": feed_log,
        "page_log": page_log,
        "article_log": article_log,
        "stored": stored,
    }


@pytest.mark.parametrize("path", sorted(BAD_PAGES))
def test_each_bad_page_is_logged_with_its_reason(run, path):
    (row,) = [r for r in run["page_log"] + run["article_log"] if r["url"] == run["base"] + path]
    assert not row["ok"]
    assert BAD_PAGES[path][1] in row["reason"], row["reason"]


def test_the_good_article_is_kept_and_the_earlier_day_untouched(run):
    assert [a["url"] for a in run["stored"][DAY]] == [run["base"] + "/bonne.html"]
    assert [a["article_id"] for a in run["stored"][EARLIER]] == ["earlier"]


def test_bad_feeds(run):
    reasons = {r["source"]: r["reason"] for r in run["feed_log"]}
    assert "HTML page, not a feed" in reasons["portail"]
    assert reasons["vide"] is None and reasons["fil"] is None  # an empty feed is no error
