from datetime import date

import pytest

from pipeline.collect.feeds import FeedError, entries_of_day, paris_day, parse_feed, undated_entries

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>L'Écho des Vallées - Économie</title>
<link>https://echo.example/</link>
<item><title>Le pôle Xylofutur ouvre un appel à projets</title>
  <link>/eco/2026/11/03/xylofutur-appel-a-projets.html?utm_source=rss</link>
  <guid>echo-1201</guid><pubDate>Mon, 02 Nov 2026 23:30:00 GMT</pubDate>
  <description>Les entreprises de la filière bois ont jusqu'au 15 janvier.</description></item>
<item><title>Le pôle Xylofutur ouvre un appel à projets</title>
  <link>https://echo.example/eco/2026/11/03/xylofutur-appel-a-projets.html</link>
  <guid>echo-1201</guid><pubDate>Mon, 02 Nov 2026 23:30:00 GMT</pubDate></item>
<item><title>Marché de Noël : les exposants retenus</title>
  <link>https://echo.example/vie-locale/marche-noel.html</link>
  <guid>echo-1202</guid><pubDate>Tue, 03 Nov 2026 18:05:00 +0100</pubDate></item>
<item><title>Brève sans date</title><link>https://echo.example/breve.html</link></item>
</channel></rss>""".encode()

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Hebdo</title><id>urn:hebdo</id>
<updated>2026-11-04T09:00:00+01:00</updated>
<entry><title>Minalogic accueille douze nouveaux adhérents</title><id>urn:hebdo:88</id>
<link href="https://hebdo.example/minalogic-adherents"/><updated>2026-11-04T09:00:00+01:00</updated>
<summary>Le pôle grenoblois poursuit sa croissance.</summary></entry>
</feed>""".encode()


def test_rss_entries_resolve_relative_links_and_keep_dates():
    entries = parse_feed(RSS, "https://echo.example/rss.xml", "echo")
    assert len(entries) == 4
    first = entries[0]
    assert first.url.startswith("https://echo.example/eco/2026/11/03/xylofutur")
    assert first.title == "Le pôle Xylofutur ouvre un appel à projets"
    assert first.published_at.isoformat() == "2026-11-02T23:30:00+00:00"
    assert entries[3].published_at is None


def test_day_filter_uses_paris_time_and_collapses_duplicates():
    entries = parse_feed(RSS, "https://echo.example/rss.xml", "echo")
    # 23:30 UTC on 2 November is 00:30 on 3 November in Paris.
    assert paris_day(entries[0].published_at) == date(2026, 11, 3)
    day = entries_of_day(entries, date(2026, 11, 3))
    # feedparser reads an RSS guid as a permalink and resolves it against the feed URL.
    assert [e.guid.rsplit("/", 1)[-1] for e in day] == ["echo-1201", "echo-1202"]
    assert entries_of_day(entries, date(2026, 11, 2)) == []


def test_atom_feed():
    (entry,) = parse_feed(ATOM, "https://hebdo.example/atom.xml", "hebdo")
    assert entry.guid == "urn:hebdo:88"
    assert entry.url == "https://hebdo.example/minalogic-adherents"
    assert paris_day(entry.published_at) == date(2026, 11, 4)


def test_truncated_feed_keeps_readable_entries():
    cut = RSS[: RSS.index("<item><title>Brève".encode())]
    entries = parse_feed(cut, "https://echo.example/rss.xml", "echo")
    assert len(entries) == 3


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty response"),
        (b"  \n", "empty response"),
        (b"\x00\xff\xfe garbage", "not well-formed"),
        (b"<?xml version='1.0'?><rss version='2.0'><channel><title>Coup", "no element found"),
    ],
)
def test_unreadable_feed_raises_feed_error(body, reason):
    with pytest.raises(FeedError, match="not a readable feed") as info:
        parse_feed(body, "https://echo.example/rss.xml", "echo")
    assert reason in info.value.reason


PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>L'Écho des Vallées</title>
<link rel="alternate" type="application/rss+xml" title="Économie" href="/economie/rss.xml">
</head><body><h1>Toute l'actualité économique des vallées</h1></body></html>""".encode()


@pytest.mark.parametrize(
    ("body", "content_type", "hint"),
    [
        (
            PAGE,
            "text/html; charset=utf-8",
            " (the page lists a feed at https://echo.example/economie/rss.xml)",
        ),
        (b"<html><body>Erreur 500</body></html>", None, ""),
        (
            b"\xef\xbb\xbf\n<!-- cache -->\n<HTML><body>Maintenance</body></HTML>",
            "application/rss+xml",
            "",
        ),
        # Served as HTML and readable as neither: the header decides.
        (b"<div>Page introuvable</div>", "text/html", ""),
    ],
)
def test_html_page_is_reported_as_such(body, content_type, hint):
    with pytest.raises(FeedError) as info:
        parse_feed(body, "https://echo.example/flux", "echo", content_type)
    assert info.value.reason == "HTML page, not a feed" + hint


def test_feed_served_as_html_is_still_read():
    (entry,) = parse_feed(ATOM, "https://hebdo.example/atom.xml", "hebdo", "text/html")
    assert entry.guid == "urn:hebdo:88"


def test_valid_feed_without_items_is_empty_not_an_error():
    rss = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Le Petit Journal - Agriculture</title>
<link>https://petit.example/agriculture</link><description>Aucun article publié ce mois-ci</description>
</channel></rss>""".encode()
    assert parse_feed(rss, "https://petit.example/agriculture/rss", "petit") == []
    atom = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Vide</title><id>urn:vide</id></feed>'
    assert parse_feed(atom, "https://petit.example/atom", "petit") == []


def test_undated_entries_are_kept_for_dating_from_their_page():
    rss = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>La Gazette du Lot</title><link>https://gazette.example/</link>
<item><title>Cahors : la foire aux vins reportée</title><link>/cahors/foire.html</link></item>
<item><title>Cahors : la foire aux vins reportée</title><link>/cahors/foire.html#reactions</link></item>
<item><title>Figeac : un nouvel atelier pour Ratier</title><link>/figeac/ratier.html</link>
  <pubDate>Tue, 03 Nov 2026 10:00:00 +0100</pubDate></item>
<item><title>Souillac : marché couvert rénové</title><link>/souillac/marche.html</link>
  <pubDate>pas de date</pubDate></item>
</channel></rss>""".encode()
    entries = parse_feed(rss, "https://gazette.example/rss", "gazette")
    assert len(entries) == 4
    undated = undated_entries(entries)
    assert [e.url for e in undated] == [
        "https://gazette.example/cahors/foire.html",
        "https://gazette.example/souillac/marche.html",
    ]
    assert all(e.published_at is None for e in undated)
    assert [e.title for e in entries_of_day(entries, date(2026, 11, 3))] == [
        "Figeac : un nouvel atelier pour Ratier"
    ]


def test_ten_thousand_entries_are_all_read():
    items = "".join(
        f"<item><title>Brève n°{i} : la communauté de communes vote son budget</title>"
        f"<link>https://fil.example/breves/{i}.html</link>"
        f"<pubDate>Tue, 03 Nov 2026 {i // 600 % 24:02d}:{i // 10 % 60:02d}:00 +0100</pubDate></item>"
        for i in range(10_000)
    )
    rss = f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Fil</title>{items}</channel></rss>'
    entries = parse_feed(rss.encode(), "https://fil.example/rss", "fil")
    assert len(entries) == 10_000
    assert len(entries_of_day(entries, date(2026, 11, 3))) == 10_000
