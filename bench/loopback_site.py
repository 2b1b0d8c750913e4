"""A loopback news site for the benchmarks: N demo-style article pages over D days (no timing).

Not a benchmark itself: `end_to_end.py` and `backfill_memory.py` serve their articles with it.

Each of the three demo outlets gets its own loopback host (127.0.0.2-4, as real outlets are
different hosts), pages rendered by `demo.pages.render_article` in the outlet's look and
charset, an RSS feed listing the entries of the last day (as a real feed lists only the latest
ones) and, when D > 1, a news sitemap index with one child sitemap per day (how a backfill finds
older articles). Reading every day's feed on every day of a backfill would instead cost about
1 ms of feedparser per entry, N x D times.

Article texts come from the demo corpus and the dev gold files (`tests/gold/dev*.jsonl`, never
the held-out ones). Article n uses base text n mod K; the first K articles are the base texts
as written, later ones keep their base's title (numbered) and lead but draw their paragraphs
from the whole pool with a seeded generator. Their word 5-shingle Jaccard index to any other
article is then well under the 0.8 of `pipeline.article.duplicates`, so neither the content
hash nor the near-duplicate detection groups them. Everything is deterministic for given N, D
and first day.
"""

from __future__ import annotations

import json
import random
import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from email.utils import format_datetime
from functools import cached_property
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parent.parent
DEV_GOLD = sorted((REPO / "tests" / "gold").glob("dev*.jsonl"))
FIRST_DAY = date(2026, 3, 2)
OUTLET_IDS = ("courrier", "territoires", "sud")
ROBOTS = b"User-agent: *\nAllow: /\n"
SEED = 20260302

if TYPE_CHECKING:
    from demo.corpus import DemoArticle


@dataclass(frozen=True)
class BaseText:
    """One source text: a title, a lead (chapô) and its paragraphs."""

    outlet: str
    slug: str
    title: str
    author: str
    section: str
    lead: str
    paragraphs: tuple[str, ...]


def _gold_title(text: str) -> str:
    words = text.split()
    return " ".join(words[:12]).rstrip(",;:") + ("…" if len(words) > 12 else "")


def base_texts() -> list[BaseText]:
    """The demo corpus's articles, then the dev gold articles (outlets assigned in turn)."""
    from demo.corpus import load_corpus

    texts = [
        BaseText(a.outlet, a.slug, a.title, a.author, a.section, a.lead, a.paragraphs)
        for a in load_corpus()
    ]
    gold_lines = [line for path in DEV_GOLD for line in path.read_text("utf-8").splitlines()]
    for number, line in enumerate(filter(str.strip, gold_lines)):
        row = json.loads(line)
        parts = [p.strip() for p in row["text"].split("\n\n") if p.strip()]
        lead, paragraphs = parts[0], tuple(parts[1:]) or (parts[0],)
        texts.append(
            BaseText(
                outlet=OUTLET_IDS[number % len(OUTLET_IDS)],
                slug=f"gold-{row['id']}",
                title=_gold_title(lead),
                author="La rédaction",
                section="Économie",
                lead=lead,
                paragraphs=paragraphs,
            )
        )
    return texts


@dataclass(frozen=True)
class Plan:
    """Which articles the site serves: `articles` of them over `days` days from `first_day`."""

    articles: int
    days: int
    first_day: date = FIRST_DAY

    @property
    def day_list(self) -> list[date]:
        return [self.first_day + timedelta(days=i) for i in range(self.days)]

    @property
    def last_day(self) -> date:
        return self.day_list[-1]

    def day_of(self, number: int) -> date:
        """Articles are spread evenly, in order, over the days."""
        return self.first_day + timedelta(days=number * self.days // self.articles)


class ArticleBook:
    """The N bench articles as `demo.corpus.DemoArticle`s, built on demand (pages are lazy)."""

    def __init__(self, plan: Plan) -> None:
        from demo.corpus import PARIS

        self.plan = plan
        self.bases = base_texts()
        self.pool = [p for base in self.bases for p in base.paragraphs]
        self._paris = PARIS

    def article(self, number: int) -> DemoArticle:
        """Article `number` (0-based): its base text, varied after the first round."""
        from demo.corpus import DemoArticle

        base = self.bases[number % len(self.bases)]
        copy = number // len(self.bases)
        paragraphs, title = base.paragraphs, base.title
        if copy:
            drawn = random.Random(SEED + number).sample(range(len(self.pool)), len(paragraphs))
            paragraphs = tuple(self.pool[i] for i in drawn)
            title = f"{base.title} ({copy + 1})"
        day = self.plan.day_of(number)
        # Published between 06:00 and 21:59 Paris time, spread by the article's number.
        minute = 6 * 60 + (number * 37) % (16 * 60)
        moment = datetime.combine(day, time(minute // 60, minute % 60), self._paris)
        return DemoArticle(
            outlet=base.outlet,
            slug=f"{base.slug}-n{number:05d}",
            title=title,
            published_at=moment,
            author=base.author,
            section=base.section,
            lead=base.lead,
            paragraphs=paragraphs,
        )

    def plain_text(self, number: int) -> str:
        """The article's body as the pipeline should extract it (lead, then paragraphs)."""
        article = self.article(number)
        return "\n\n".join((article.lead, *article.paragraphs))

    @cached_property
    def by_path(self) -> dict[str, int]:
        """URL path -> article number."""
        return {self.article(n).path: n for n in range(self.plan.articles)}

    @cached_property
    def by_outlet_day(self) -> dict[tuple[str, date], list[int]]:
        """(outlet, day) -> article numbers, oldest first."""
        listed: dict[tuple[str, date], list[int]] = {}
        for n in range(self.plan.articles):
            outlet = self.bases[n % len(self.bases)].outlet
            listed.setdefault((outlet, self.plan.day_of(n)), []).append(n)
        return listed


def _rss(book: ArticleBook, outlet: str, base_url: str, day: date) -> bytes:
    items = []
    for n in reversed(book.by_outlet_day.get((outlet, day), [])):
        article = book.article(n)
        link = base_url + article.path
        items.append(
            "<item>"
            f"<title>{escape(article.title)}</title>"
            f"<link>{escape(link)}</link>"
            f'<guid isPermaLink="false">bench-{outlet}-{n}</guid>'
            f"<pubDate>{format_datetime(article.published_at)}</pubDate>"
            f"<description>{escape(article.lead)}</description>"
            "</item>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>bench {outlet}</title><link>{base_url}/{outlet}/</link>"
        "<description>bench</description><language>fr</language>\n"
        + "".join(items)
        + "</channel></rss>\n"
    ).encode()


def _sitemap(book: ArticleBook, outlet: str, base_url: str, day: date) -> bytes:
    urls = []
    for n in book.by_outlet_day.get((outlet, day), []):
        article = book.article(n)
        urls.append(
            f"<url><loc>{escape(base_url + article.path)}</loc><news:news>"
            "<news:publication><news:name>bench</news:name><news:language>fr</news:language>"
            f"</news:publication><news:publication_date>{article.published_at.isoformat()}"
            f"</news:publication_date><news:title>{escape(article.title)}</news:title>"
            "</news:news></url>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        + "".join(urls)
        + "</urlset>\n"
    ).encode()


def _sitemap_index(book: ArticleBook, outlet: str, base_url: str) -> bytes:
    from demo.corpus import PARIS

    children = "".join(
        f"<sitemap><loc>{base_url}/{outlet}/sitemap-{day.isoformat()}.xml</loc>"
        f"<lastmod>{datetime.combine(day, time(23, 0), PARIS).isoformat()}</lastmod></sitemap>\n"
        for day in book.plan.day_list
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + children
        + "</sitemapindex>\n"
    ).encode()


@dataclass(frozen=True)
class _Answer:
    status: int
    content_type: str
    body: bytes


class _Handler(BaseHTTPRequestHandler):
    site: LoopbackSite

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's method name)
        answer = self.site.answer(self.server.server_address[0], urlsplit(self.path).path)
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    def log_message(self, *args: object) -> None:
        pass


class LoopbackSite:
    """The three outlets on 127.0.0.2-4 (free ports); stop with `.stop()` or a `with` block."""

    def __init__(self, plan: Plan) -> None:
        self.book = ArticleBook(plan)
        self.plan = plan
        handler = type("BenchHandler", (_Handler,), {"site": self})
        self._servers = {
            outlet: ThreadingHTTPServer((f"127.0.0.{2 + i}", 0), handler)
            for i, outlet in enumerate(OUTLET_IDS)
        }
        self.base_urls = {
            outlet: f"http://{server.server_address[0]}:{server.server_address[1]}"
            for outlet, server in self._servers.items()
        }
        self._outlet_of_host = {s.server_address[0]: o for o, s in self._servers.items()}
        self._fixed = self._fixed_routes()
        self._threads = []
        for server in self._servers.values():
            server.daemon_threads = True
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def _fixed_routes(self) -> dict[tuple[str, str], _Answer]:
        routes: dict[tuple[str, str], _Answer] = {}
        xml = "application/xml; charset=utf-8"
        for outlet, base_url in self.base_urls.items():
            routes[(outlet, "/robots.txt")] = _Answer(200, "text/plain", ROBOTS)
            routes[(outlet, f"/{outlet}/rss.xml")] = _Answer(
                200,
                "application/rss+xml; charset=utf-8",
                _rss(self.book, outlet, base_url, self.plan.last_day),
            )
            routes[(outlet, f"/{outlet}/sitemap.xml")] = _Answer(
                200, xml, _sitemap_index(self.book, outlet, base_url)
            )
            for day in self.plan.day_list:
                routes[(outlet, f"/{outlet}/sitemap-{day.isoformat()}.xml")] = _Answer(
                    200, xml, _sitemap(self.book, outlet, base_url, day)
                )
        return routes

    def answer(self, host: str, path: str) -> _Answer:
        """The response to GET `path` on `host`; article pages are rendered on each request."""
        from demo.corpus import OUTLETS_BY_ID
        from demo.pages import render_article

        outlet = self._outlet_of_host[host]
        fixed = self._fixed.get((outlet, path))
        if fixed is not None:
            return fixed
        number = self.book.by_path.get(path)
        if number is None:
            return _Answer(404, "text/plain", b"not found")
        article = self.book.article(number)
        if article.outlet != outlet:
            return _Answer(404, "text/plain", b"not found")
        charset = OUTLETS_BY_ID[outlet].page_encoding
        body = render_article(article, self.base_urls[outlet])
        return _Answer(200, f"text/html; charset={charset}", body)

    def sources(self, sitemaps: bool | None = None) -> list[dict]:
        """Source definitions for the three outlets (the demo's selectors, no politeness delay).

        Sitemaps are listed when the plan has more than one day, unless `sitemaps` says.
        """
        from demo.site import demo_sources

        with_sitemaps = self.plan.days > 1 if sitemaps is None else sitemaps
        sources = []
        for source in demo_sources("http://127.0.0.1"):
            base_url = self.base_urls[source["id"]]
            source = {**source, "feeds": [f"{base_url}/{source['id']}/rss.xml"]}
            if with_sitemaps:
                source["sitemaps"] = [f"{base_url}/{source['id']}/sitemap.xml"]
            source["allow_private"] = True
            source["min_delay_s"] = 0
            sources.append(source)
        return sources

    def write_sources(self, path: Path, sitemaps: bool | None = None) -> Path:
        """Write the sources file (validated by `pipeline.sources.write_sources`)."""
        from pipeline.sources import write_sources

        return write_sources(path, self.sources(sitemaps))

    def stop(self) -> None:
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> LoopbackSite:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_loopback_site(articles: int, days: int = 1, first_day: date = FIRST_DAY) -> LoopbackSite:
    """Serve `articles` bench articles spread over `days` days from `first_day`."""
    if articles < 1 or days < 1:
        raise ValueError("articles and days must be at least 1")
    return LoopbackSite(Plan(articles, days, first_day))
