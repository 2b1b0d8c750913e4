from pipeline.urls import article_id, canonicalize_url


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
