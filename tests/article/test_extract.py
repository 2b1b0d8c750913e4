from datetime import datetime
from pathlib import Path

import pytest

from demo.corpus import articles_of
from demo.pages import render_article
from pipeline.article.body import without_boilerplate_lines
from pipeline.article.extract import (
    NotAnArticle,
    SiteOverrides,
    decode_html,
    extract_article,
    load_site_overrides,
)
from pipeline.collect.feeds import PARIS

FIXTURES = Path(__file__).parent.parent / "fixtures"


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


# --- metadata: section, dates, canonical and AMP -------------------------------------------------


def test_amp_page_points_to_its_canonical_article():
    html = (FIXTURES / "amp_article.html").read_text(encoding="utf-8")
    url = "https://golfe-hebdo.example/amp/sport/vannes-piscine-kercado-reouverture"
    article = extract_article(html, url)
    canonical = "https://golfe-hebdo.example/sport/vannes-piscine-kercado-reouverture"
    assert article.canonical_url == canonical  # relative href resolved against the page URL
    assert article.amp_of == canonical
    assert article.amp_url is None
    assert article.lang == "fr"
    assert article.section == "Sport"  # first articleSection of the JSON-LD list
    assert article.author == "Yann Guégan"
    assert article.published_at == datetime.fromisoformat("2026-11-09T17:45:00+01:00")
    assert article.text.startswith("Les nageurs vannetais retrouvent leur bassin.")
    assert "pompe à chaleur" in article.text
    assert "Crédit photo" not in article.text
    assert not article.paywalled


BODY = "".join(
    f"<p>{sentence} Le chantier de la halle de Saint-Gaudens avance au rythme prévu par la communauté de communes.</p>"
    for sentence in (
        "Les charpentiers ont posé la dernière ferme.",
        "La couverture suivra en décembre.",
        "Les commerçants attendent l'ouverture au printemps.",
    )
)


def test_regular_page_advertises_its_amp_version_and_og_url_stands_for_canonical():
    html = (
        '<html lang="fr"><head><meta property="og:url" content="https://comminges.example/a/halle">'
        '<link rel="amphtml" href="https://comminges.example/amp/a/halle"></head>'
        f"<body><article><h1>La halle couverte d'ici Noël</h1>{BODY}</article></body></html>"
    )
    article = extract_article(html, "https://comminges.example/a/halle?utm_source=rss")
    assert article.canonical_url == "https://comminges.example/a/halle"
    assert article.amp_url == "https://comminges.example/amp/a/halle"
    assert article.amp_of is None


def test_section_from_breadcrumb_and_date_from_url():
    html = (
        '<html lang="fr"><body><nav class="breadcrumb"><a href="/">Accueil</a> › '
        '<a href="/economie">Économie</a> › <span>La halle couverte d’ici Noël</span></nav>'
        f"<article><h1>La halle couverte d’ici Noël</h1>{BODY}</article></body></html>"
    )
    article = extract_article(html, "https://comminges.example/2026/11/03/halle-couverte")
    assert article.section == "Économie"
    assert article.published_at == datetime(2026, 11, 3, tzinfo=PARIS)
    assert article.text.startswith("Les charpentiers ont posé la dernière ferme.")


def test_json_ld_date_wins_over_the_url_and_time_tag():
    html = (
        '<html lang="fr"><head><script type="application/ld+json">'
        '{"@type": "NewsArticle", "datePublished": "2026-11-04T06:00:00+01:00", "articleSection": "Commerce"}'
        '</script></head><body><article><time datetime="2026-11-05T10:00:00+01:00">jeudi</time>'
        f"{BODY}</article></body></html>"
    )
    article = extract_article(html, "https://comminges.example/2026/11/03/halle-couverte")
    assert article.published_at == datetime.fromisoformat("2026-11-04T06:00:00+01:00")
    assert article.section == "Commerce"


# --- paywall -------------------------------------------------------------------------------------


def test_paywalled_teaser_is_kept_and_flagged():
    html = (FIXTURES / "paywall_teaser.html").read_text(encoding="utf-8")
    article = extract_article(
        html, "https://estuaire-matin.example/economie/saint-nazaire-chantier-soudeurs"
    )
    assert article.paywalled
    assert article.section == "Économie"
    assert "ni autant de mal à trouver des bras" in article.text
    for prompt in ("Déjà abonné", "Il vous reste", "réservé aux abonnés", "Je m'abonne"):
        assert prompt not in article.text


def test_paywall_marker_with_a_short_text_is_flagged_without_json_ld():
    html = (
        '<html lang="fr"><body><article><h1>Le port de Sète investit</h1>'
        "<p>Le port de Sète (34) lance un plan de 40 millions d'euros pour accueillir des ferries plus grands, "
        "annonce la Région Occitanie, qui en est propriétaire depuis 2007.</p>"
        '<div class="article-premium"><p>Article réservé aux abonnés</p><p>Déjà abonné ? Se connecter</p></div>'
        "</article></body></html>"
    )
    assert extract_article(html).paywalled


def test_a_full_article_next_to_a_subscription_box_is_not_paywalled():
    long_body = BODY * 4
    html = (
        f'<html lang="fr"><body><article><h1>La halle</h1>{long_body}</article>'
        '<aside class="paywall-promo">Le classement des communes est réservé aux abonnés.</aside>'
        "</body></html>"
    )
    assert not extract_article(html).paywalled


# --- per-site overrides --------------------------------------------------------------------------


def test_overrides_select_the_body_drop_the_ad_and_read_a_french_date():
    html = (FIXTURES / "override_layout.html").read_text(encoding="utf-8")
    overrides = SiteOverrides(
        content_selector="td.centre .corps",
        date_selector=".infos",
        drop_selectors=(".pub",),
    )
    article = extract_article(html, "https://rouergat.example/politique/budget-rodez", overrides)
    assert article.text.split("\n") == [
        "Réuni lundi soir, le conseil municipal de Rodez (12) a adopté le budget primitif 2027 par 27 voix contre 8, après plus de trois heures de débats.",
        "Le document prévoit 14,2 millions d'euros d'investissements, dont la moitié pour la rénovation des écoles du Faubourg et de Bourran.",
        "L'opposition a dénoncé une hausse de 3 % de la taxe foncière, que le maire justifie par l'envolée des coûts de l'énergie.",
    ]
    assert article.published_at == datetime(2026, 11, 3, 18, 5, tzinfo=PARIS)


def test_overrides_file_rejects_unknown_keys(tmp_path):
    path = tmp_path / "sites.yaml"
    path.write_text("rouergat:\n  content_selecter: .corps\n", encoding="utf-8")
    with pytest.raises(ValueError, match="content_selecter"):
        load_site_overrides(path)


@pytest.mark.parametrize("outlet", ["courrier", "territoires", "sud"])
def test_demo_overrides_give_exactly_the_chapo_and_paragraphs(outlet):
    article = articles_of(outlet)[0]
    base_url = "http://demo.example"
    html = decode_html(render_article(article, base_url))
    url = base_url + article.path
    expected = [article.lead, *article.paragraphs]
    with_overrides = extract_article(html, url, load_site_overrides("demo")[outlet])
    assert with_overrides.text.split("\n") == expected
    generic = extract_article(html, url)
    assert all(paragraph in generic.text.split("\n") for paragraph in expected)
    for extracted in (with_overrides, generic):
        assert extracted.section == article.section
        assert extracted.author == article.author
        assert extracted.published_at == article.published_at
        assert not extracted.paywalled


# --- text clean-up and encodings -----------------------------------------------------------------


def test_boilerplate_lines_are_dropped_but_article_lines_kept():
    text = "\n".join(
        [
            "Le maire a signé la convention mardi.",
            "À lire aussi : Rodez, le budget adopté",
            "Partager cet article",
            "12 commentaires",
            "Photo d’illustration",
            "© Jean Dupont / Le Rouergat",
            "Lire aussi nos articles sur l’eau",
            "Photos et vidéos seront diffusées lors de la réunion publique du 12 décembre, a précisé la mairie devant le conseil.",
        ]
    )
    assert without_boilerplate_lines(text).split("\n") == [
        "Le maire a signé la convention mardi.",
        "Photos et vidéos seront diffusées lors de la réunion publique du 12 décembre, a précisé la mairie devant le conseil.",
    ]


@pytest.mark.parametrize(
    ("declared", "header"), [("utf-8", "utf-8"), ("shift_jis", None), ("x-inconnu", "utf-8")]
)
def test_bytes_invalid_in_the_declared_encoding_do_not_raise(declared, header):
    body = f"<meta charset={declared}><p>Délégué à l’emploi ".encode("cp1252") + b"\x81\x8d\xff</p>"
    html = decode_html(body, header_charset=header)
    assert "<p>D" in html and "emploi" in html
