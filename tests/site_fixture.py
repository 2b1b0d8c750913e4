"""A tiny regional outlet on loopback for step and asset tests: one feed, three linked pages."""

from __future__ import annotations

from tests.httpserver import LoopbackServer, Route

ARTICLE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>La grappe Kaolin Avenir | Le Réveil</title>
<meta property="article:published_time" content="2026-11-03T08:10:00+01:00"></head>
<body><nav><a href="/">Accueil</a> <a href="/eco">Économie</a></nav>
<article><h1>La grappe Kaolin Avenir voit le jour à Limoges</h1>
<p>Onze entreprises de la porcelaine ont fondé mardi à Limoges (87) la grappe Kaolin Avenir,
présidée par Odile Marcheix, dirigeante d’une manufacture de Saint-Yrieix-la-Perche.</p>
<p>La Région Nouvelle-Aquitaine accorde une subvention de 120 000 euros pour financer un poste
d’animateur pendant trois ans et une première mission à l’export.</p>
<p>« Ensemble, nous pèserons davantage face aux grands donneurs d’ordres », résume Odile Marcheix.</p>
</article><aside><h2>Les plus lus</h2><ol><li>Travaux sur la RN 141</li></ol></aside>
<section><h3>2 commentaires</h3><p>Votre email ne sera pas affiché publiquement.</p></section>
</body></html>"""

FEED = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Le Réveil</title>
<link>{base}/</link>
<item><title>La grappe Kaolin Avenir voit le jour</title><link>{base}/eco/kaolin.html</link>
<guid>reveil-1</guid><pubDate>Tue, 03 Nov 2026 07:10:00 GMT</pubDate></item>
<item><title>Page disparue</title><link>{base}/eco/disparue.html</link>
<guid>reveil-2</guid><pubDate>Tue, 03 Nov 2026 09:00:00 GMT</pubDate></item>
<item><title>Le supplément en PDF</title><link>{base}/eco/supplement.pdf</link>
<guid>reveil-3</guid><pubDate>Tue, 03 Nov 2026 10:00:00 GMT</pubDate></item>
<item><title>Hier</title><link>{base}/eco/hier.html</link>
<guid>reveil-4</guid><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item>
</channel></rss>"""


def small_site() -> LoopbackServer:
    """Start nothing yet: use as a context manager; the feed is at /rss.xml, a broken one at /casse.xml."""
    server = LoopbackServer({})
    server.routes.update(
        {
            "/rss.xml": Route(
                200, FEED.format(base=server.url).encode(), {"Content-Type": "application/rss+xml"}
            ),
            "/casse.xml": Route(
                200, b"<rss><channel><item><title>coup", {"Content-Type": "application/rss+xml"}
            ),
            "/eco/kaolin.html": Route(200, ARTICLE.encode()),
            "/eco/supplement.pdf": Route(
                200, b"%PDF-1.4 fake", {"Content-Type": "application/pdf"}
            ),
        }
    )
    return server


def sources_for(url: str) -> list[dict]:
    """The small site's source, plus a second one whose feed is broken."""
    return [
        {"id": "reveil", "name": "Le Réveil", "feeds": [url + "/rss.xml"], "allow_private": True},
        {"id": "casse", "name": "Flux cassé", "feeds": [url + "/casse.xml"], "allow_private": True},
    ]
