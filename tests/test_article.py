from datetime import datetime
from pathlib import Path

import pytest

from pipeline.article import NotAnArticle, decode_html, extract_article

FIXTURES = Path(__file__).parent / "fixtures"


def test_windows_1252_page_decodes_even_when_the_header_says_utf8():
    body = (FIXTURES / "page_cp1252.html").read_bytes()
    html = decode_html(body, header_charset="utf-8")
    assert "céramique" in html
    assert "s’associent" in html
    assert "Les œuvres" in html


def test_latin1_label_is_read_as_windows_1252():
    body = "<meta charset=iso-8859-1><p>L’aide atteint 2 M€ : une œuvre collective.</p>".encode(
        "cp1252"
    )
    assert "L’aide atteint 2 M€ : une œuvre" in decode_html(body, header_charset=None)


def test_utf8_wins_over_a_wrong_meta_charset():
    body = "<meta charset='iso-8859-1'><p>Délégué régional à l’innovation</p>".encode()
    assert "Délégué régional à l’innovation" in decode_html(body, header_charset="iso-8859-1")


def test_article_text_and_metadata_without_boilerplate():
    html = decode_html((FIXTURES / "page_cp1252.html").read_bytes())
    article = extract_article(html, "https://reveil-limousin.example/eco/grappe-ceramique")
    assert article.title == "Une grappe d’entreprises pour la céramique de Limoges"
    assert article.published_at == datetime.fromisoformat("2026-11-06T06:15:00+01:00")
    assert article.author == "Hélène Vialle"
    assert article.lang == "fr"
    assert article.canonical_url.endswith("/eco/grappe-ceramique")
    assert article.text.startswith("Onze ateliers et deux laboratoires")  # headline not repeated
    assert "la charte constitutive de la grappe Kaolin Avenir" in article.text
    assert "subvention de 120 000 euros" in article.text
    for boilerplate in (
        "cookies",
        "Les plus lus",
        "Votre email",
        "Mentions légales",
        "Partager",
        "3 commentaires",
    ):
        assert boilerplate not in article.text


@pytest.mark.parametrize(
    "html", ["", "<html><body><nav>Accueil</nav></body></html>", "%PDF-1.4 \x00\x01"]
)
def test_pages_without_text_raise(html):
    with pytest.raises(NotAnArticle):
        extract_article(html)
