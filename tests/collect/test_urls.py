import pytest

from pipeline.collect.urls import article_id, canonicalize_url, choose_canonical


def test_canonical_form_drops_tracking_fragment_and_default_port():
    url = "HTTPS://Www.Exemple.FR:443/eco/article-12?utm_source=rss&id=4&xtor=RSS-3#commentaires"
    assert canonicalize_url(url) == "https://www.exemple.fr/eco/article-12?id=4"


def test_canonicalisation_is_idempotent_and_keeps_other_ports():
    url = "http://127.0.0.1:8765/courrier/2026/11/02/article.html"
    once = canonicalize_url(url)
    assert once == url
    assert canonicalize_url(once) == once


def test_article_id_is_stable_across_tracking_variants():
    a = article_id("https://exemple.fr/a?utm_medium=social")
    assert a == article_id("https://exemple.fr/a#top")
    assert a != article_id("https://exemple.fr/b")
    assert len(a) == 16


@pytest.mark.parametrize(
    "amp_url",
    [
        "https://www.exemple.fr/amp/eco/2026/11/03/usine-de-batteries.html",
        "https://www.exemple.fr/eco/2026/11/03/usine-de-batteries.html?amp=1",
        "https://www.exemple.fr/eco/2026/11/03/usine-de-batteries.html?amp",
        "https://www.exemple.fr/eco/2026/11/03/usine-de-batteries.amp.html",
        "https://amp.exemple.fr/eco/2026/11/03/usine-de-batteries.html",
        "https://www.exemple.fr/eco/2026/11/03/usine-de-batteries.html?outputType=amp&utm_source=x",
    ],
)
def test_amp_variants_map_to_the_article(amp_url):
    article = "https://www.exemple.fr/eco/2026/11/03/usine-de-batteries.html"
    assert canonicalize_url(amp_url) == article
    assert canonicalize_url(canonicalize_url(amp_url)) == article
    assert article_id(amp_url) == article_id(article)


def test_wordpress_amp_suffix_and_lookalikes():
    assert canonicalize_url("https://blog.exemple.fr/2026/11/aides-regionales/amp/") == (
        "https://blog.exemple.fr/2026/11/aides-regionales/"
    )
    # Words that merely contain "amp" are not AMP markers.
    kept = "https://www.exemple.fr/campagne/ampoules-led.html?camp=1"
    assert canonicalize_url(kept) == kept
    assert canonicalize_url("https://amp.fr/a") == "https://amp.fr/a"


@pytest.mark.parametrize(
    ("url", "declared", "chosen"),
    [
        # Same host, a subdomain, the AMP host: the page's canonical wins.
        (
            "https://www.exemple.fr/a?id=4",
            "https://www.exemple.fr/eco/a",
            "https://www.exemple.fr/eco/a",
        ),
        ("https://www.exemple.fr/a", "https://exemple.fr/a", "https://exemple.fr/a"),
        ("https://amp.exemple.fr/a", "https://www.exemple.fr/a", "https://www.exemple.fr/a"),
        (
            "https://lyon.exemple.fr/a",
            "https://www.exemple.fr/lyon/a",
            "https://www.exemple.fr/lyon/a",
        ),
        (
            "https://www.exemple.fr/eco/a",
            "/eco/article-12",
            "https://www.exemple.fr/eco/article-12",
        ),
        # Another site, another scheme, nothing, or the home page: the fetched URL stays.
        ("https://www.exemple.fr/a", "https://www.autre-journal.fr/a", "https://www.exemple.fr/a"),
        ("https://www.exemple.fr/a", "https://exemple.fr.evil.com/a", "https://www.exemple.fr/a"),
        ("https://www.exemple.fr/a", "javascript:alert(1)", "https://www.exemple.fr/a"),
        ("https://www.exemple.fr/a", "ftp://www.exemple.fr/a", "https://www.exemple.fr/a"),
        ("https://www.exemple.fr/a", None, "https://www.exemple.fr/a"),
        ("https://www.exemple.fr/a", "  ", "https://www.exemple.fr/a"),
        ("https://www.exemple.fr/eco/a", "https://www.exemple.fr/", "https://www.exemple.fr/eco/a"),
        ("http://127.0.0.1:8765/a", "http://127.0.0.1:8765/b", "http://127.0.0.1:8765/b"),
        ("http://127.0.0.1:8765/a", "http://10.127.0.0.1/b", "http://127.0.0.1:8765/a"),
    ],
)
def test_choose_canonical(url, declared, chosen):
    assert choose_canonical(url, declared) == chosen
