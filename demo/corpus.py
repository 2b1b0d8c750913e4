"""The demo corpus: fictional outlets and their articles, read from `demo/articles/`.

Each article is a small text file with a front matter block (`key: value` lines between `---`
lines) followed by its paragraphs separated by blank lines; no YAML library is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

ARTICLES_DIR = Path(__file__).parent / "articles"
PARIS = ZoneInfo("Europe/Paris")

_REQUIRED = ("outlet", "slug", "title", "published_at", "author", "section", "lead")


@dataclass(frozen=True)
class Outlet:
    """A fictional outlet: its identity, where its pages live and how its feed is written."""

    id: str
    name: str
    kind: str
    regions: tuple[str, ...]
    feed_path: str
    feed_format: str  # "rss" or "atom"
    page_encoding: str  # the charset its HTML pages are served in


OUTLETS: tuple[Outlet, ...] = (
    Outlet(
        id="courrier",
        name="Le Courrier de l'Éco",
        kind="quotidien régional, pages Économie",
        regions=("Nouvelle-Aquitaine", "Occitanie"),
        feed_path="/courrier/rss.xml",
        feed_format="rss",
        page_encoding="utf-8",
    ),
    Outlet(
        id="territoires",
        name="Entreprises & Territoires",
        kind="hebdomadaire économique régional",
        regions=("Auvergne-Rhône-Alpes", "Grand Est"),
        feed_path="/territoires/atom.xml",
        feed_format="atom",
        page_encoding="utf-8",
    ),
    Outlet(
        id="sud",
        name="Sud Territoires Actu",
        kind="fil d'actualité de l'agence régionale de développement Sud Territoires",
        regions=("Provence-Alpes-Côte d'Azur", "Occitanie"),
        feed_path="/sud/feed.rss",
        feed_format="rss",
        # An old CMS: pages are still served in Windows-1252.
        page_encoding="windows-1252",
    ),
)

OUTLETS_BY_ID = {outlet.id: outlet for outlet in OUTLETS}


@dataclass(frozen=True)
class DemoArticle:
    """One article of the demo corpus, as written in its file under `demo/articles/`."""

    outlet: str
    slug: str
    title: str
    published_at: datetime
    author: str
    section: str
    lead: str
    paragraphs: tuple[str, ...]
    slow: bool = False

    @property
    def paris_date(self) -> str:
        """The publication day in Europe/Paris, `YYYY-MM-DD` (the pipeline's partition key)."""
        return self.published_at.astimezone(PARIS).date().isoformat()

    @property
    def path(self) -> str:
        """The URL path of the article's page on the demo site."""
        return article_path(self.outlet, self.slug, self.published_at)

    @property
    def word_count(self) -> int:
        """Words in the body (chapô and paragraphs)."""
        return sum(len(text.split()) for text in (self.lead, *self.paragraphs))


def article_path(outlet: str, slug: str, published_at: datetime) -> str:
    """Each outlet has its own URL layout, as real sites do."""
    if outlet == "courrier":
        return f"/courrier/economie/{published_at.astimezone(PARIS):%Y/%m/%d}/{slug}.html"
    if outlet == "territoires":
        return f"/territoires/articles/{slug}"
    if outlet == "sud":
        return f"/sud/actualites/{slug}.htm"
    raise ValueError(f"unknown outlet: {outlet}")


def parse_article(text: str, origin: str = "article") -> DemoArticle:
    """Parse one article file (front matter, then paragraphs separated by blank lines)."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        raise ValueError(f"{origin}: must start with a '---' front matter line")
    try:
        end = lines.index("---", 1)
    except ValueError:
        raise ValueError(f"{origin}: front matter is not closed by '---'") from None
    fields: dict[str, str] = {}
    for line in lines[1:end]:
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise ValueError(f"{origin}: front matter line without ':': {line!r}")
        fields[key.strip()] = value.strip()
    missing = [key for key in _REQUIRED if not fields.get(key)]
    if missing:
        raise ValueError(f"{origin}: missing front matter fields {missing}")
    body = "\n".join(lines[end + 1 :])
    paragraphs = tuple(" ".join(p.split("\n")).strip() for p in body.split("\n\n") if p.strip())
    if not paragraphs:
        raise ValueError(f"{origin}: no paragraphs")
    published_at = datetime.fromisoformat(fields["published_at"])
    if published_at.tzinfo is None:
        raise ValueError(f"{origin}: published_at needs a UTC offset")
    if fields["outlet"] not in OUTLETS_BY_ID:
        raise ValueError(f"{origin}: unknown outlet {fields['outlet']!r}")
    return DemoArticle(
        outlet=fields["outlet"],
        slug=fields["slug"],
        title=fields["title"],
        published_at=published_at,
        author=fields["author"],
        section=fields["section"],
        lead=fields["lead"],
        paragraphs=paragraphs,
        slow=fields.get("slow", "").lower() in ("true", "yes", "1"),
    )


@cache
def _load_corpus(articles_dir: Path) -> tuple[DemoArticle, ...]:
    articles = []
    for path in sorted(articles_dir.glob("*/*.md")):
        article = parse_article(path.read_text(encoding="utf-8"), origin=str(path))
        if path.parent.name != article.outlet:
            raise ValueError(f"{path}: outlet {article.outlet!r} does not match its folder")
        articles.append(article)
    slugs = [a.slug for a in articles]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicates:
        raise ValueError(f"duplicate article slugs: {duplicates}")
    return tuple(sorted(articles, key=lambda a: (a.published_at, a.slug)))


def load_corpus(articles_dir: Path = ARTICLES_DIR) -> list[DemoArticle]:
    """All demo articles, oldest first (the files are parsed once per process)."""
    return list(_load_corpus(Path(articles_dir)))


def articles_of(outlet: str, articles_dir: Path = ARTICLES_DIR) -> list[DemoArticle]:
    """One outlet's articles, newest first, as its feed and home page list them."""
    mine = [a for a in load_corpus(articles_dir) if a.outlet == outlet]
    return sorted(mine, key=lambda a: (a.published_at, a.slug), reverse=True)
