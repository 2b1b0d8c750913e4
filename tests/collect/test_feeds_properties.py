"""Property tests of the feed reader: on arbitrary bytes `parse_feed` raises nothing but FeedError
and is done in bounded time; well-formed feeds give back their items; the day filter never raises.

Hypothesis runs with `derandomize=True`: the examples are derived from the test itself, so CI
sees the same inputs on every run and never flakes on a newly drawn one. Its own deadline is off
(this 2-core CI machine is slow and busy); the time bound is measured around each call instead.
"""

from __future__ import annotations

import contextlib
import time
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.collect.feeds import FeedError, entries_of_day, paris_day, parse_feed, undated_entries
from pipeline.collect.urls import canonicalize_url

# Generous against the few milliseconds a real feed takes: what it catches is a hang.
SECONDS_PER_FEED = 5.0
PROPERTIES = settings(max_examples=60, deadline=None, derandomize=True)

FEED_URL = "https://www.echo-des-vallees.example/economie/rss.xml"
SOURCE = "echo"

TITLES = (
    "Le pôle Xylofutur ouvre un appel à projets",
    "Minalogic accueille douze nouveaux adhérents",
    "La Région accorde 1,2 M€ à une start-up de Pessac",
    "À Limoges, la grappe céramique signe sa charte",
    "Bpifrance et l’ADEME soutiennent l’usine de batteries",
    "« Nous voulons doubler nos projets », dit la présidente",
)
LINKS = (
    "https://www.echo-des-vallees.example/eco/2026/11/03/xylofutur-appel-a-projets.html",
    "https://www.echo-des-vallees.example/eco/minalogic-adherents?utm_source=rss",
    "/eco/2026/11/03/region-start-up-pessac.html",
    "eco/grappe-ceramique.html",
    "https://amp.echo-des-vallees.example/eco/usine-batteries.amp.html#top",
    "http://127.0.0.1:8765/courrier/article.html",
    "https://www.echo-des-vallees.example/eco/%C3%A9conomie/p%C3%B4le",
)
DECLARED_ENCODINGS = ("utf-8", "UTF-8", "iso-8859-1", "windows-1252", "utf-16", "ascii", "koi8-r")
CONTENT_TYPES = (
    None,
    "application/rss+xml",
    "application/atom+xml; charset=utf-8",
    "text/xml; charset=iso-8859-1",
    "text/html; charset=utf-8",
    "application/octet-stream",
)
BOMS = (b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

junk_text = st.one_of(st.sampled_from(TITLES), st.text(max_size=30))
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
)


@st.composite
def feed_items(draw: st.DrawFn) -> tuple[str, str, datetime | None]:
    """(title, link, publication time or None) of one item: what a newsroom CMS publishes."""
    title = draw(st.sampled_from(TITLES))
    link = draw(st.sampled_from(LINKS))
    moment = draw(st.one_of(st.none(), moments))
    return title, link, moment


def rss(items: list[tuple[str, str, datetime | None]]) -> bytes:
    """An RSS 2.0 document of `items`, written as a regional site's CMS does."""
    rendered = "".join(
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
        + (f"<pubDate>{format_datetime(moment)}</pubDate>" if moment else "")
        + "<description>Les entreprises de la filière ont jusqu’au 15 janvier.</description>"
        "</item>"
        for title, link, moment in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        "<title>L’Écho des Vallées - Économie</title>"
        f"<link>https://www.echo-des-vallees.example/</link>{rendered}</channel></rss>"
    ).encode()


def atom(items: list[tuple[str, str, datetime | None]]) -> bytes:
    """An Atom document of `items`."""
    rendered = "".join(
        f"<entry><title>{escape(title)}</title><id>urn:echo:{number}</id>"
        f"<link href={quoteattr(link)}/>"
        + (f"<updated>{moment.isoformat()}</updated>" if moment else "")
        + "</entry>"
        for number, (title, link, moment) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Hebdo</title><id>urn:echo</id>{rendered}</feed>"
    ).encode()


@st.composite
def junk_feeds(draw: st.DrawFn) -> bytes:
    """Feed bytes as a broken server may send them: a declared encoding (true or not), a BOM,
    junk fields, unclosed tags, truncation, NUL bytes, an HTML page, very long fields."""
    encoding = draw(st.sampled_from(DECLARED_ENCODINGS))
    items = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        pub = draw(st.one_of(st.just(""), st.text(max_size=20), moments.map(format_datetime)))
        items.append(
            f"<item><title>{draw(junk_text)}</title><link>{draw(st.sampled_from(LINKS))}</link>"
            f"<guid>{draw(junk_text)}</guid><pubDate>{pub}</pubDate>"
            + draw(st.sampled_from(("</item>", "", "<item>", "</channel>", "<![CDATA[", "&nbsp;")))
        )
    prolog = draw(
        st.sampled_from(
            (
                f'<?xml version="1.0" encoding="{encoding}"?>',
                "",
                "<!doctype html><html><head>",
                '<!DOCTYPE rss [<!ENTITY a "Le pôle"><!ENTITY b "&a;&a;&a;&a;&a;">]>',
            )
        )
    )
    root = draw(st.sampled_from(('<rss version="2.0"><channel>', "<rdf:RDF>", "<feed>", "")))
    text = prolog + root + "<title>" + draw(junk_text) + "</title>" + "".join(items)
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        text += "<item><title>" + "Brève " * draw(st.integers(1, 20_000)) + "</title></item>"
    text += draw(st.sampled_from(("</channel></rss>", "</feed>", "")))
    body = draw(st.sampled_from(BOMS)) + text.encode(
        draw(st.sampled_from(("utf-8", "cp1252", "utf-16"))), errors="replace"
    )
    if draw(st.booleans()):
        body = body[: draw(st.integers(min_value=0, max_value=len(body)))]
    if draw(st.booleans()):
        position = draw(st.integers(min_value=0, max_value=len(body)))
        body = body[:position] + draw(st.binary(max_size=12)) + b"\x00" + body[position:]
    return body


any_feed_bytes = st.one_of(
    st.binary(max_size=3_000), junk_feeds(), st.lists(feed_items(), max_size=5).map(rss)
)


def _parse_timed(body: bytes, content_type: str | None):
    started = time.monotonic()
    try:
        return parse_feed(body, FEED_URL, SOURCE, content_type)
    finally:
        elapsed = time.monotonic() - started
        assert elapsed < SECONDS_PER_FEED, f"parse_feed took {elapsed:.1f} s"


@PROPERTIES
@given(body=any_feed_bytes, content_type=st.sampled_from(CONTENT_TYPES))
@example(body=b"", content_type=None)
@example(body=b"\x00" * 2_000, content_type="application/rss+xml")
@example(body=b"<html><body><p>Page introuvable</p></body></html>", content_type=None)
@example(body=rss([(TITLES[0], LINKS[0], None)])[:-30], content_type=None)
def test_parse_feed_raises_only_feed_error_in_bounded_time(
    body: bytes, content_type: str | None
) -> None:
    try:
        entries = _parse_timed(body, content_type)
    except FeedError as error:
        assert error.reason
        return
    for entry in entries:
        assert entry.url
        assert (entry.source, entry.feed_url) == (SOURCE, FEED_URL)
        assert entry.published_at is None or entry.published_at.tzinfo is not None


@PROPERTIES
@given(items=st.lists(feed_items(), min_size=1, max_size=6), form=st.sampled_from((rss, atom)))
def test_well_formed_feed_gives_back_its_items(items, form) -> None:
    entries = _parse_timed(form(items), None)
    assert [e.title for e in entries] == [title for title, _, _ in items]
    assert [e.url.startswith(("https://", "http://")) for e in entries] == [True] * len(items)
    assert [e.published_at for e in entries] == [
        moment.replace(microsecond=0) if moment else None for _, _, moment in items
    ]


@PROPERTIES
@given(items=st.lists(feed_items(), max_size=8), day_offset=st.integers(min_value=-1, max_value=1))
def test_day_filter_keeps_only_that_paris_day_once_per_article(items, day_offset: int) -> None:
    entries = parse_feed(rss(items), FEED_URL, SOURCE)
    dated = [e for e in entries if e.published_at]
    day = (
        paris_day(dated[0].published_at) + timedelta(days=day_offset)
        if dated
        else date(2026, 11, 3)
    )
    of_day = entries_of_day(entries, day)
    assert all(paris_day(e.published_at) == day for e in of_day)
    assert len({canonicalize_url(e.url) for e in of_day}) == len(of_day)
    assert all(e.published_at is None for e in undated_entries(entries))


@PROPERTIES
@given(items=st.lists(feed_items(), max_size=3))
@example(items=[])
def test_parse_feed_raises_feed_error_for_an_undefined_declared_encoding(items) -> None:
    body = rss(items).replace(b'encoding="UTF-8"', b'encoding="undefined"') + b"\xff"
    with contextlib.suppress(FeedError):
        parse_feed(body, FEED_URL, SOURCE)


@PROPERTIES
@given(
    items=st.lists(feed_items(), max_size=3),
    port=st.integers(min_value=65_536, max_value=999_999),
)
@example(items=[], port=99_999)
def test_day_filter_survives_an_item_link_with_a_bad_port(items, port: int) -> None:
    moment = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)
    bad = (TITLES[0], f"https://www.echo-des-vallees.example:{port}/eco/a.html", moment)
    entries = parse_feed(rss([*items, bad]), FEED_URL, SOURCE)
    entries_of_day(entries, paris_day(moment))
