from datetime import date

import pytest

from pipeline.feeds import FeedError, entries_of_day, paris_day, parse_feed

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
    "body", [b"", b"<html><body>Erreur 500</body></html>", b"\x00\xff\xfe garbage"]
)
def test_unreadable_feed_raises_feed_error(body):
    with pytest.raises(FeedError, match="not a readable feed"):
        parse_feed(body, "https://echo.example/rss.xml", "echo")
