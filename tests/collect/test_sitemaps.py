import gzip
from datetime import date, datetime

import pytest

from pipeline.collect import sitemaps
from pipeline.collect.feeds import FeedEntry, entries_of_day, paris_day, undated_entries
from pipeline.collect.sitemaps import (
    ChildSitemap,
    SitemapError,
    children_to_fetch,
    parse_sitemap,
    parse_w3c_datetime,
)

NEWS = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://www.gazette-exemple.fr/economie/2026/11/03/lacq-hydrogene.html</loc>
    <news:news>
      <news:publication><news:name>La Gazette d'Exemple</news:name><news:language>fr</news:language></news:publication>
      <news:publication_date>2026-11-03T00:20:00+01:00</news:publication_date>
      <news:title>Lacq : le projet d’hydrogène vert &amp; ses 120 emplois</news:title>
    </news:news>
  </url>
  <url>
    <loc>https://www.gazette-exemple.fr/economie/2026/11/02/pau-start-up.html</loc>
    <news:news>
      <news:publication><news:name>La Gazette d'Exemple</news:name><news:language>fr</news:language></news:publication>
      <news:publication_date>2026-11-02T23:50:00Z</news:publication_date>
      <news:title>Pau : une start-up lève 3 millions d'euros</news:title>
    </news:news>
  </url>
  <url>
    <loc>/vie-locale/2026/11/03/marche-de-noel.html</loc>
    <lastmod>2026-11-03</lastmod>
  </url>
  <url><loc>https://www.gazette-exemple.fr/a-propos.html</loc></url>
  <url><loc>mailto:redaction@gazette-exemple.fr</loc></url>
</urlset>
""".encode()

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://www.gazette-exemple.fr/sitemaps/2026-11.xml.gz</loc><lastmod>2026-11-03T06:00:00+01:00</lastmod></sitemap>
  <sitemap><loc>https://www.gazette-exemple.fr/sitemaps/2026-10.xml.gz</loc><lastmod>2026-10-31T23:00:00+01:00</lastmod></sitemap>
  <sitemap><loc>/sitemaps/rubriques.xml</loc></sitemap>
</sitemapindex>
"""

URL = "https://www.gazette-exemple.fr/sitemap-news.xml"


def test_news_sitemap_gives_feed_entries():
    sitemap = parse_sitemap(NEWS, URL, "gazette")
    assert sitemap.children == []
    lacq, pau, marche, apropos = sitemap.entries
    assert lacq == FeedEntry(
        source="gazette",
        feed_url=URL,
        url="https://www.gazette-exemple.fr/economie/2026/11/03/lacq-hydrogene.html",
        guid="https://www.gazette-exemple.fr/economie/2026/11/03/lacq-hydrogene.html",
        title="Lacq : le projet d’hydrogène vert & ses 120 emplois",
        published_at=datetime.fromisoformat("2026-11-03T00:20:00+01:00"),
        summary="",
    )
    # 23:50 UTC on 2 November is 00:50 on 3 November in Paris.
    assert paris_day(pau.published_at) == date(2026, 11, 3)
    # Without news:news, <lastmod> dates the page; relative locations are resolved.
    assert marche.url == "https://www.gazette-exemple.fr/vie-locale/2026/11/03/marche-de-noel.html"
    assert marche.published_at.isoformat() == "2026-11-03T00:00:00+01:00"
    assert apropos.published_at is None
    day = entries_of_day(sitemap.entries, date(2026, 11, 3))
    assert [e.url.rsplit("/", 1)[-1] for e in day] == [
        "lacq-hydrogene.html",
        "pau-start-up.html",
        "marche-de-noel.html",
    ]
    assert undated_entries(sitemap.entries) == [apropos]


def test_sitemap_index_lists_children_to_fetch():
    index = parse_sitemap(INDEX, "https://www.gazette-exemple.fr/sitemap.xml", "gazette")
    assert index.entries == []
    assert [c.url for c in index.children] == [
        "https://www.gazette-exemple.fr/sitemaps/2026-11.xml.gz",
        "https://www.gazette-exemple.fr/sitemaps/2026-10.xml.gz",
        "https://www.gazette-exemple.fr/sitemaps/rubriques.xml",
    ]
    # Children last changed before the day cannot list its articles.
    wanted = children_to_fetch(index.children, date(2026, 11, 3))
    assert [c.url.rsplit("/", 1)[-1] for c in wanted] == ["2026-11.xml.gz", "rubriques.xml"]


def test_gzip_sitemaps_are_inflated_whatever_their_name():
    plain = parse_sitemap(NEWS, URL, "gazette").entries
    assert parse_sitemap(gzip.compress(NEWS), URL, "gazette").entries == plain
    named = parse_sitemap(gzip.compress(NEWS), URL + ".gz", "gazette").entries
    assert [e.url for e in named] == [e.url for e in plain]


def _long_sitemap(count: int) -> bytes:
    items = "".join(
        f"<url><loc>https://www.gazette-exemple.fr/breves/{i}.html</loc>"
        f"<lastmod>2026-11-03T{i % 24:02d}:00:00+01:00</lastmod></url>\n"
        for i in range(count)
    )
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</urlset>'.encode()


def test_cut_off_download_keeps_complete_items_only():
    cut = NEWS[: NEWS.index(b"/pau-start-up.html") + 5]
    (lacq,) = parse_sitemap(cut, URL, "gazette").entries
    assert lacq.url.endswith("lacq-hydrogene.html")
    gz = gzip.compress(_long_sitemap(500))
    partial = parse_sitemap(gz[: len(gz) // 2], URL, "gazette").entries
    assert 0 < len(partial) < 500
    assert [e.url for e in partial] == [
        f"https://www.gazette-exemple.fr/breves/{i}.html" for i in range(len(partial))
    ]
    assert all(e.published_at is not None for e in partial)


def test_malformed_but_readable_xml_is_used():
    broken = NEWS.replace(b"&amp; ses", b"& ses").replace(
        b"</loc>\n    <lastmod>", b"</loc><lastmod>"
    )
    entries = parse_sitemap(broken, URL, "gazette").entries
    assert len(entries) == 4


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty response"),
        (b"\x00\xff\xfe garbage", "not XML"),
        (b"<!DOCTYPE html><html><body>Erreur 404</body></html>", "HTML page, not a sitemap"),
        (b'<rss version="2.0"><channel></channel></rss>', "root element <rss>"),
        (b"\x1f\x8b\x08\x00garbage", "corrupt gzip data"),
        (b"\x1f\x8bnot deflate", "corrupt gzip data"),
    ],
)
def test_unreadable_sitemaps_raise_sitemap_error(body, reason):
    with pytest.raises(SitemapError, match="not a readable sitemap") as info:
        parse_sitemap(body, URL, "gazette")
    assert reason in info.value.reason


def test_gzip_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(sitemaps, "MAX_SITEMAP_BYTES", 100_000)
    bomb = gzip.compress(_long_sitemap(2_000))
    with pytest.raises(SitemapError, match="more than 100000 bytes once decompressed"):
        parse_sitemap(bomb, URL, "gazette")
    assert len(parse_sitemap(gzip.compress(_long_sitemap(500)), URL, "gazette").entries) == 500


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("motdepasse", encoding="utf-8")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY x SYSTEM "file://{secret}">]>
<urlset><url><loc>https://www.gazette-exemple.fr/a.html?&x;</loc></url></urlset>""".encode()
    entries = parse_sitemap(body, URL, "gazette").entries
    assert all("motdepasse" not in e.url for e in entries)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-03T08:15+01:00", "2026-11-03T08:15:00+01:00"),
        ("2026-11-03T07:15:00.250Z", "2026-11-03T07:15:00.250000+00:00"),
        ("2026-11-03", "2026-11-03T00:00:00+01:00"),
        # No zone given: the outlet's local time, Europe/Paris.
        ("2026-07-03T08:15:00", "2026-07-03T08:15:00+02:00"),
        ("hier", None),
        ("", None),
        (None, None),
    ],
)
def test_w3c_datetimes(text, expected):
    moment = parse_w3c_datetime(text)
    assert (moment.isoformat() if moment else None) == expected


def test_child_without_lastmod_is_always_fetched():
    child = ChildSitemap("https://www.gazette-exemple.fr/s.xml", None)
    assert children_to_fetch([child], date(2026, 11, 3)) == [child]
