"""Property tests of page decoding and article extraction on arbitrary bytes: `decode_html` never
raises, `extract_article` raises nothing but NotAnArticle, and each page is done in bounded time.

Hypothesis runs with `derandomize=True`: the examples are derived from the test itself, so CI
sees the same inputs on every run and never flakes on a newly drawn one. Its own deadline is off
(this 2-core CI machine is slow and busy); the time bound is measured around each call instead.
"""

from __future__ import annotations

import time

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.article.extract import NotAnArticle, decode_html, extract_article

# Generous against the ~0.1 s a real page takes here: what it catches is a hang, not slowness.
SECONDS_PER_PAGE = 5.0
PROPERTIES = settings(max_examples=40, deadline=None, derandomize=True)

PAGE_URL = "https://www.reveil-limousin.example/eco/2026/11/06/grappe-ceramique.html"

SENTENCES = (
    "Onze ateliers de porcelaine et deux laboratoires ont signé jeudi la charte de la grappe.",
    "La Région Nouvelle-Aquitaine accorde une subvention de 120 000 euros au projet.",
    "« Nous voulons exporter davantage », explique Hélène Vialle, présidente de la grappe.",
    "Le pôle de compétitivité Xylofutur lance un appel à projets doté de 1,5 M€.",
    "À Brive-la-Gaillarde (19), l’usine emploiera quarante salariés d’ici 2028.",
)
BOILERPLATE = (
    "Les plus lus",
    "Votre email ne sera pas affiché publiquement",
    "Nous utilisons des cookies",
    "Partager sur Facebook",
    "3 commentaires",
    "Réservé aux abonnés",
)
# Labels a header or a meta tag may declare: real ones, Python-only codecs, and nonsense.
CHARSET_LABELS = (
    "utf-8",
    "UTF-8",
    "iso-8859-1",
    "windows-1252",
    "iso-8859-15",
    "latin1",
    "ascii",
    "utf-16",
    "utf-16le",
    "utf-32",
    "koi8-r",
    "shift_jis",
    "gb18030",
    "utf-7",
    "idna",
    "punycode",
    "unicode_escape",
    "rot13",
    "base64",
    "x-user-defined",
    "unicode",
    "none",
    "",
)
BOMS = (b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
ENCODINGS = ("utf-8", "cp1252", "latin-1", "utf-16", "utf-16-be", "shift_jis", "koi8-r")

text_pieces = st.one_of(
    st.sampled_from(SENTENCES),
    st.sampled_from(BOILERPLATE),
    st.text(max_size=40),
    st.sampled_from(("&eacute;", "&#0;", "&#x110000;", "&nbsp;", "&amp", "\x00", "\u202f")),
)
# Links without "[": a bracket that opens an IPv6 host has its own test below.
link_text = st.one_of(
    st.sampled_from(("/eco/grappe-ceramique", "https://www.reveil-limousin.example/", "amp/", "")),
    st.text(max_size=20).map(lambda s: s.replace("[", "")),
)
tag_names = st.sampled_from(
    ("p", "div", "article", "main", "section", "span", "h1", "a", "table", "td", "li", "br")
)


@st.composite
def markup(draw: st.DrawFn) -> str:
    """A run of HTML pieces: text, open and close tags, comments, scripts, JSON-LD, metadata."""
    pieces: list[str] = []
    for kind in draw(st.lists(st.integers(min_value=0, max_value=9), max_size=30)):
        if kind <= 3:
            pieces.append(draw(text_pieces))
        elif kind == 4:
            pieces.append(f'<{draw(tag_names)} class="{draw(st.text(max_size=6))}">')
        elif kind == 5:
            pieces.append(f"</{draw(tag_names)}>")
        elif kind == 6:
            pieces.append(
                draw(
                    st.sampled_from(
                        ("<!--", "-->", "<![CDATA[", "]]>", "<script>", "</script>", "<style>")
                    )
                )
            )
        elif kind == 7:
            value = draw(
                st.sampled_from(("", "2026-11-06", "06/11/2026", "hier", "9999-99-99T99:99"))
            )
            pieces.append(
                draw(
                    st.sampled_from(
                        (
                            f'<meta property="article:published_time" content="{value}">',
                            f'<time datetime="{value}">{value}</time>',
                            f'<link rel="canonical" href="{draw(link_text)}">',
                            f'<link rel="amphtml" href="{draw(link_text)}">',
                            '<meta property="og:title" content="Une grappe pour la céramique">',
                            '<html lang="' + draw(st.text(max_size=5)) + '">',
                        )
                    )
                )
            )
        elif kind == 8:
            payload = draw(
                st.sampled_from(
                    (
                        '{"@type": "NewsArticle", "datePublished": "' + "2026-11-06" + '"',
                        '{"@type": ["NewsArticle"], "author": {"name": null}, '
                        '"isAccessibleForFree": "False", "datePublished": 20261106}',
                        '[{"@graph": [{"@type": "BreadcrumbList", "itemListElement": 3}]}]',
                        "{]",
                        '"\\ud800"',
                    )
                )
            )
            pieces.append(f'<script type="application/ld+json">{payload}</script>')
        else:
            depth = draw(st.integers(min_value=1, max_value=400))
            tag = draw(tag_names)
            pieces.append(f"<{tag}>" * depth + draw(st.sampled_from(SENTENCES)))
    return "".join(pieces)


@st.composite
def junk_pages(draw: st.DrawFn) -> bytes:
    """Page bytes as a broken server may send them: a BOM, a meta charset (true or false), an
    encoding of its own, truncation, NUL bytes, very long lines or a wall of nested tags."""
    charset = draw(st.sampled_from(CHARSET_LABELS))
    head = draw(
        st.sampled_from(
            (
                f"<!doctype html><html><head><meta charset={charset}>",
                f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">',
                "<html><head>",
                "",
            )
        )
    )
    html = head + "<title>" + draw(st.text(max_size=30)) + "</title></head><body>" + draw(markup())
    if draw(st.booleans()):
        html += "<article>" + "<p>" + "</p><p>".join(SENTENCES) + "</p></article></body></html>"
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        html += "<p>" + "Le pôle Cosmetic Valley recrute. " * draw(st.integers(1, 3000)) + "</p>"
    body = html.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    body = draw(st.sampled_from(BOMS)) + body
    if draw(st.booleans()):
        body = body[: draw(st.integers(min_value=0, max_value=len(body)))]
    if draw(st.booleans()):
        position = draw(st.integers(min_value=0, max_value=len(body)))
        body = body[:position] + draw(st.binary(max_size=20)) + b"\x00" + body[position:]
    return body


any_page_bytes = st.one_of(st.binary(max_size=4_000), junk_pages())
header_charsets = st.one_of(st.none(), st.sampled_from(CHARSET_LABELS))


def _timed(call, *args):
    started = time.monotonic()
    try:
        return call(*args)
    finally:
        elapsed = time.monotonic() - started
        assert elapsed < SECONDS_PER_PAGE, f"{call.__name__} took {elapsed:.1f} s"


@PROPERTIES
@given(body=any_page_bytes, header_charset=header_charsets)
@example(body=b"\xef\xbb\xbf<p>caf\xc3\xa9</p>\xff", header_charset="utf-8")
@example(body=b"<meta charset=iso-8859-1><p>\x92\x80 \x9c</p>", header_charset="utf-8")
@example(body=b"<meta charset=unicode_escape><p>\\N{zz} \\x</p>\xff", header_charset=None)
def test_decode_html_returns_text_for_any_bytes(body: bytes, header_charset: str | None) -> None:
    html = _timed(decode_html, body, header_charset)
    assert isinstance(html, str)
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return
    if not body.startswith(b"\xef\xbb\xbf"):
        assert html == body.decode("utf-8")  # valid UTF-8 is read as UTF-8, whatever is declared


@PROPERTIES
@given(body=any_page_bytes.map(lambda b: b"<meta charset=undefined>" + b + b"\xff"))
@example(body=b"<meta charset=undefined><p>caf\xe9</p>")
def test_decode_html_never_raises_whatever_the_page_declares(body: bytes) -> None:
    assert isinstance(decode_html(body, None), str)


@PROPERTIES
@given(body=any_page_bytes, header_charset=header_charsets)
@example(body=b"", header_charset=None)
@example(body=b"\x00" * 3_000, header_charset=None)
@example(body=b"<div>" * 5_000 + "Le pôle recrute.".encode(), header_charset=None)
@example(body=b"<p>" + b"a" * 200_000 + b"</p>", header_charset=None)
def test_extract_article_raises_only_not_an_article_in_bounded_time(
    body: bytes, header_charset: str | None
) -> None:
    html = decode_html(body, header_charset)
    try:
        article = _timed(extract_article, html, PAGE_URL)
    except NotAnArticle:
        return
    assert article.text


ARTICLE_BODY = "<article><p>" + "</p><p>".join(SENTENCES) + "</p></article>"


@PROPERTIES
@given(
    rel=st.sampled_from(("canonical", "amphtml")),
    href=st.sampled_from(("https://[www.reveil-limousin.example/eco/a", "//[", "http://[::1/a")),
)
@example(rel="canonical", href="https://[www.reveil-limousin.example/eco/a")
def test_extract_article_survives_a_malformed_canonical_link(rel: str, href: str) -> None:
    html = f'<html><head><link rel="{rel}" href="{href}"></head><body>{ARTICLE_BODY}</body></html>'
    assert extract_article(html, PAGE_URL).text
