"""HTML pages of the demo site, rendered from `demo/templates/` with `string.Template`."""

from __future__ import annotations

import json
import zlib
from datetime import datetime
from functools import cache
from html import escape
from pathlib import Path
from string import Template

from demo.corpus import OUTLETS, OUTLETS_BY_ID, PARIS, DemoArticle, articles_of, load_corpus

TEMPLATES_DIR = Path(__file__).parent / "templates"

_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
_PHOTOGRAPHERS = ("Laurent Peyrat", "Anaïs Coudert", "Yannick Le Floch", "Sarah Benali")


@cache
def _template(name: str) -> Template:
    return Template((TEMPLATES_DIR / name).read_text(encoding="utf-8"))


def _stable_number(text: str, modulo: int) -> int:
    """A deterministic pseudo-random number (comment counters, photographers)."""
    return zlib.crc32(text.encode("utf-8")) % modulo


def french_date(moment: datetime, with_time: bool = True) -> str:
    """`jeudi 5 novembre 2026 à 07h42`, in Paris time."""
    local = moment.astimezone(PARIS)
    text = f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]} {local.year}"
    return f"{text} à {local:%Hh%M}" if with_time else text


def _links(articles: list[DemoArticle], css_class: str = "") -> str:
    attr = f' class="{css_class}"' if css_class else ""
    return "\n".join(
        f'<li{attr}><a href="{a.path}">{escape(a.title, quote=False)}</a></li>' for a in articles
    )


def _others(article: DemoArticle) -> list[DemoArticle]:
    return [a for a in articles_of(article.outlet) if a.slug != article.slug]


def _surroundings(article: DemoArticle) -> dict[str, str]:
    others = _others(article)
    # "Most read" and "most commented" boxes list other articles, as real sidebars do.
    most_read = others[:5]
    most_commented = sorted(others, key=lambda a: _stable_number(a.slug, 97), reverse=True)[:4]
    same_section = [a for a in others if a.section == article.section]
    related = (same_section + [a for a in others if a not in same_section])[:3]
    comments = _stable_number(article.slug, 38) + 2
    return {
        "most_read": _links(most_read),
        "most_commented": _links(most_commented),
        "related": _links(related, "related-item"),
        "comment_count": str(comments),
        "photographer": _PHOTOGRAPHERS[_stable_number(article.slug, len(_PHOTOGRAPHERS))],
    }


def _json_ld(article: DemoArticle, url: str, outlet_name: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.published_at.isoformat(),
        "author": [{"@type": "Person", "name": article.author}],
        "articleSection": article.section,
        "description": article.lead,
        "inLanguage": "fr-FR",
        "mainEntityOfPage": url,
        "publisher": {"@type": "Organization", "name": outlet_name},
    }
    # "</" must not appear inside a <script> element.
    return json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")


def render_article(article: DemoArticle, base_url: str) -> bytes:
    """The article's full page in its outlet's look and charset."""
    outlet = OUTLETS_BY_ID[article.outlet]
    url = base_url + article.path
    values = {
        "title": escape(article.title),
        "title_text": escape(article.title, quote=False),
        "lead": escape(article.lead, quote=False),
        "lead_attr": escape(article.lead),
        "author": escape(article.author, quote=False),
        "section": escape(article.section, quote=False),
        "section_attr": escape(article.section),
        "published_iso": article.published_at.isoformat(),
        "published_fr": french_date(article.published_at),
        "published_day_fr": french_date(article.published_at, with_time=False),
        "canonical": escape(url),
        "base_url": base_url,
        "slug": article.slug,
        "paragraphs": "\n".join(f"<p>{escape(p, quote=False)}</p>" for p in article.paragraphs),
        "json_ld": _json_ld(article, url, outlet.name),
        "share_url": escape(url),
        "charset": outlet.page_encoding,
        **_surroundings(article),
    }
    page = _template(f"{outlet.id}.html").substitute(values)
    return page.encode(outlet.page_encoding, errors="xmlcharrefreplace")


def render_outlet_index(outlet_id: str) -> bytes:
    """The outlet's home page: its articles, newest first."""
    outlet = OUTLETS_BY_ID[outlet_id]
    items = "\n".join(
        f'<li><time datetime="{a.published_at.isoformat()}">{french_date(a.published_at)}</time>'
        f' <a href="{a.path}">{escape(a.title, quote=False)}</a>'
        f"<p>{escape(a.lead, quote=False)}</p></li>"
        for a in articles_of(outlet_id)
    )
    page = _template("outlet_index.html").substitute(
        name=escape(outlet.name),
        kind=escape(outlet.kind),
        charset=outlet.page_encoding,
        feed_path=outlet.feed_path,
        items=items,
    )
    return page.encode(outlet.page_encoding, errors="xmlcharrefreplace")


def render_home() -> bytes:
    """The site's home page: the outlets and their feeds."""
    corpus = load_corpus()
    rows = "\n".join(
        f'<li><a href="/{o.id}/">{escape(o.name)}</a> ({escape(o.kind)}; '
        f"{escape(', '.join(o.regions))}) : "
        f'<a href="{o.feed_path}">flux {"Atom" if o.feed_format == "atom" else "RSS"}</a></li>'
        for o in OUTLETS
    )
    page = _template("home.html").substitute(
        outlets=rows,
        article_count=str(len(corpus)),
        first_day=corpus[0].paris_date,
        last_day=corpus[-1].paris_date,
    )
    return page.encode("utf-8")


def render_not_found(path: str) -> bytes:
    """A plain 404 page."""
    return _template("not_found.html").substitute(path=escape(path)).encode("utf-8")


def photo_svg(label: str) -> bytes:
    """A small placeholder picture for article photos."""
    hue = _stable_number(label, 360)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360" viewBox="0 0 640 360">'
        f'<rect width="640" height="360" fill="hsl({hue},35%,55%)"/>'
        f'<circle cx="480" cy="120" r="60" fill="hsl({(hue + 40) % 360},50%,75%)"/>'
        f'<path d="M0 300 L200 180 L360 280 L640 140 L640 360 L0 360Z" '
        f'fill="hsl({(hue + 180) % 360},25%,35%)"/></svg>'
    ).encode()
