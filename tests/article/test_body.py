"""Pages whose text is built by a script, or hidden behind a paywall: their templates are not
article text. And the page's own links (canonical, AMP) are absolute or absent.

The pages are written for these tests.
"""

from __future__ import annotations

import pytest

from pipeline.article.body import without_non_prose
from pipeline.article.extract import NotAnArticle, extract_article

PROSE = (
    "La coopérative laitière a inauguré sa nouvelle tour de séchage, un investissement qui "
    "doit lui permettre de doubler ses exportations de poudre de lait d'ici trois ans. "
    "Une quarantaine d'emplois seront créés sur le site, selon la direction."
)


def test_template_lines_and_leaked_script_are_not_prose():
    text = "\n".join(
        [
            PROSE,
            "{{ article.chapo | limitTo: 200 }}",
            "Prix : [[ offre.prix ]] par mois",
            "var tracker = window.tracker || [];",
            "Les producteurs seront payés au même prix qu'aujourd'hui.",
        ]
    )
    kept, dropped = without_non_prose(text)
    assert dropped == 3
    assert kept == PROSE + "\nLes producteurs seront payés au même prix qu'aujourd'hui."


@pytest.mark.parametrize(
    "text",
    [
        "Le chiffre d'affaires atteint 12,5 M€ ; la marge {progresse} nettement.",
        "| Région | 2024 | 2025 |",
        "Le schéma [1] prévoit une aide (voir p. 12).",
    ],
)
def test_prose_with_brackets_and_tables_is_kept(text: str):
    assert without_non_prose(text) == (text, 0)


SCRIPT_RENDERED = """<html lang="fr"><head><title>Tour de séchage</title>
<meta name="description" content="La coopérative inaugure sa tour de séchage.">
</head><body ng-app="journal"><div ng-controller="ArticleCtrl">
<h1>{{ article.titre }}</h1>
<p class="chapo">{{ article.chapo }}</p>
<div class="texte"><p ng-repeat="p in article.paragraphes">{{ p.texte }}</p>
<p>{{ article.signature }} - {{ article.date | date:'dd/MM/yyyy' }}</p>
<p>[[ article.credits ]] {{ article.legende }} {{ article.source }} {{ article.tags }}</p>
</div></div></body></html>"""


def test_a_script_rendered_page_is_flagged_without_text():
    with pytest.raises(NotAnArticle, match="no text: .*template placeholders"):
        extract_article(SCRIPT_RENDERED, "https://journal.example/eco/tour")


PAYWALLED = """<html lang="fr"><head><title>Tour de séchage</title>
<meta name="description" content="La coopérative laitière inaugure sa tour de séchage et vise
l'export : une quarantaine d'emplois à la clé.">
</head><body><article><h1>Tour de séchage</h1>
<div class="article-premium"><p>{{ article.texte }}</p><p>{{ article.suite }}</p>
<p>{{ abonnement.offre }} pour {{ abonnement.prix }} par mois</p></div>
<p>Cet article est réservé aux abonnés.</p></article></body></html>"""


def test_a_paywalled_template_page_keeps_its_summary_as_teaser():
    article = extract_article(PAYWALLED, "https://journal.example/eco/tour")
    assert article.paywalled
    assert "{{" not in article.text and "inaugure sa tour de séchage" in article.text


def _with_links(links: str) -> str:
    return (
        f"<html lang='fr'><head><title>Tour</title>{links}</head><body><article><h1>Tour</h1>"
        f"<p>{PROSE}</p><p>{PROSE}</p></article></body></html>"
    )


def test_relative_canonical_is_resolved_against_the_page_address():
    html = _with_links('<link rel="canonical" href="/eco/tour-de-sechage">')
    article = extract_article(html, "https://journal.example/amp/tour")
    assert article.canonical_url == "https://journal.example/eco/tour-de-sechage"


def test_relative_links_without_a_page_address_are_dropped():
    html = _with_links(
        '<link rel="canonical" href="/eco/tour-de-sechage">'
        '<link rel="amphtml" href="amp/tour-de-sechage">'
        '<meta property="og:url" content="eco/tour">'
    )
    article = extract_article(html)
    assert article.canonical_url is None and article.amp_url is None
