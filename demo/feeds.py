"""The demo outlets' RSS 2.0 and Atom 1.0 feeds, with the bad entries the pipeline must survive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from demo.corpus import OUTLETS_BY_ID, PARIS, DemoArticle, Outlet, articles_of


@dataclass(frozen=True)
class FeedExtra:
    """A feed entry that is not a corpus article: its link answers 404 or with a PDF."""

    outlet: str
    title: str
    path: str
    published_at: datetime
    summary: str
    kind: str  # "not_found" or "pdf"


EXTRA_ENTRIES: tuple[FeedExtra, ...] = (
    FeedExtra(
        outlet="courrier",
        title="Le cahier Industrie du Sud-Ouest de novembre en version PDF",
        path="/courrier/supplements/cahier-industrie-novembre-2026.pdf",
        published_at=datetime(2026, 11, 10, 6, 0, tzinfo=PARIS),
        summary="Retrouvez notre supplément mensuel consacré à l'industrie régionale.",
        kind="pdf",
    ),
    FeedExtra(
        outlet="territoires",
        title="Sous-traitance automobile : le point sur les défaillances dans la vallée de l’Arve",
        path="/territoires/articles/sous-traitance-automobile-defaillances-vallee-arve",
        published_at=datetime(2026, 11, 6, 17, 20, tzinfo=PARIS),
        summary="Cet article a été dépublié par la rédaction.",
        kind="not_found",
    ),
)

# The daily's CMS republishes an updated article as a second item with the same guid.
DUPLICATED_SLUG = "aerospace-valley-appel-a-projets-drones-occitanie"

BROKEN_FEED_PATH = "/broken/feed.xml"
BROKEN_FEED = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
    "<title>Flux cassé</title><link>http://127.0.0.1/</link>\n"
    "<item><title>Un article dont le flux s'interrompt"
)


def extras_of(outlet: str) -> list[FeedExtra]:
    """The deliberate bad entries listed in one outlet's feed."""
    return [extra for extra in EXTRA_ENTRIES if extra.outlet == outlet]


def feed_entry_count(outlet: str) -> int:
    """How many entries the outlet's feed lists: its articles, its bad entries and duplicates."""
    duplicates = sum(1 for a in articles_of(outlet) if a.slug == DUPLICATED_SLUG)
    return len(articles_of(outlet)) + len(extras_of(outlet)) + duplicates


def _guid(article: DemoArticle) -> str:
    return f"lcde-{article.published_at.astimezone(PARIS):%Y%m%d}-{article.slug}"


def _entries(outlet: Outlet) -> list[DemoArticle | FeedExtra]:
    entries: list[DemoArticle | FeedExtra] = [*articles_of(outlet.id), *extras_of(outlet.id)]
    entries.sort(key=lambda e: (e.published_at, e.path), reverse=True)
    return entries


def _courrier_rss(outlet: Outlet, base_url: str) -> str:
    items = []
    for entry in _entries(outlet):
        # This outlet writes RFC 822 dates in Paris time with a numeric offset (+0100).
        pub_date = format_datetime(entry.published_at.astimezone(PARIS))
        if isinstance(entry, FeedExtra):
            guid, summary, category = base_url + entry.path, entry.summary, "Suppléments"
        else:
            guid, summary, category = _guid(entry), entry.lead, entry.section
        item = (
            "    <item>\n"
            f"      <title>{escape(entry.title)}</title>\n"
            f"      <link>{escape(base_url + entry.path)}</link>\n"
            f'      <guid isPermaLink="false">{escape(guid)}</guid>\n'
            f"      <pubDate>{pub_date}</pubDate>\n"
            f"      <category>{escape(category)}</category>\n"
            f"      <description>{escape(summary)}</description>\n"
            "    </item>\n"
        )
        items.append(item)
        if isinstance(entry, DemoArticle) and entry.slug == DUPLICATED_SLUG:
            items.append(item)
    last_build = format_datetime(_entries(outlet)[0].published_at.astimezone(PARIS))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">\n'
        "  <channel>\n"
        f"    <title>{escape(outlet.name)} - Économie</title>\n"
        f"    <link>{base_url}/courrier/</link>\n"
        f'    <atom:link href="{base_url}{outlet.feed_path}" rel="self" '
        'type="application/rss+xml"/>\n'
        "    <description>L'actualité économique du Sud-Ouest, chaque jour.</description>\n"
        "    <language>fr-FR</language>\n"
        f"    <lastBuildDate>{last_build}</lastBuildDate>\n"
        "    <ttl>30</ttl>\n" + "".join(items) + "  </channel>\n</rss>\n"
    )


def _territoires_atom(outlet: Outlet, base_url: str) -> str:
    entries = []
    for entry in _entries(outlet):
        stamp = entry.published_at.isoformat()
        tag = f"tag:entreprises-territoires.demo,2026:{entry.path.rsplit('/', 1)[-1]}"
        if isinstance(entry, FeedExtra):
            author, summary, category = "La rédaction", entry.summary, "Industrie"
        else:
            author, summary, category = entry.author, entry.lead, entry.section
        href = quoteattr(base_url + entry.path)
        entries.append(
            "  <entry>\n"
            f"    <title>{escape(entry.title)}</title>\n"
            f'    <link rel="alternate" type="text/html" href={href}/>\n'
            f"    <id>{escape(tag)}</id>\n"
            f"    <published>{stamp}</published>\n"
            f"    <updated>{stamp}</updated>\n"
            f"    <author><name>{escape(author)}</name></author>\n"
            f"    <category term={quoteattr(category)}/>\n"
            f'    <summary type="text">{escape(summary)}</summary>\n'
            "  </entry>\n"
        )
    updated = _entries(outlet)[0].published_at.isoformat()
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">\n'
        f"  <title>{escape(outlet.name)}</title>\n"
        "  <subtitle>L’hebdomadaire de l’économie en Auvergne-Rhône-Alpes et dans le Grand Est"
        "</subtitle>\n"
        f'  <link rel="alternate" type="text/html" href="{base_url}/territoires/"/>\n'
        f'  <link rel="self" type="application/atom+xml" href="{base_url}{outlet.feed_path}"/>\n'
        "  <id>tag:entreprises-territoires.demo,2026:feed</id>\n"
        f"  <updated>{updated}</updated>\n" + "".join(entries) + "</feed>\n"
    )


def _sud_rss(outlet: Outlet, base_url: str) -> str:
    items = []
    for index, entry in enumerate(_entries(outlet)):
        # The agency's old CMS writes links three ways; readers must resolve them.
        if index % 3 == 0:
            link = entry.path
        elif index % 3 == 1:
            link = entry.path.removeprefix("/sud/")
        else:
            link = base_url + entry.path
        pub_date = format_datetime(entry.published_at.astimezone(UTC), usegmt=True)
        summary = entry.summary if isinstance(entry, FeedExtra) else entry.lead
        items.append(
            "<item>\n"
            f"<title>{escape(entry.title)}</title>\n"
            f"<link>{escape(link)}</link>\n"
            f'<guid isPermaLink="false">sudterritoires-actu-{1400 + len(_entries(outlet)) - index}'
            "</guid>\n"
            f"<pubDate>{pub_date}</pubDate>\n"
            f"<description><![CDATA[<p>{escape(summary)}</p>]]></description>\n"
            "</item>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0">\n<channel>\n'
        f"<title>{escape(outlet.name)}</title>\n"
        f"<link>{base_url}/sud/</link>\n"
        "<description>Le fil d’actualité de l’agence régionale de développement Sud Territoires"
        "</description>\n"
        "<language>fr</language>\n" + "".join(items) + "</channel>\n</rss>\n"
    )


def render_feed(outlet_id: str, base_url: str) -> bytes:
    """The outlet's feed document, UTF-8 encoded, with links on `base_url`."""
    outlet = OUTLETS_BY_ID[outlet_id]
    if outlet.id == "courrier":
        text = _courrier_rss(outlet, base_url)
    elif outlet.id == "territoires":
        text = _territoires_atom(outlet, base_url)
    else:
        text = _sud_rss(outlet, base_url)
    return text.encode("utf-8")
