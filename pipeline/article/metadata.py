"""What a page says about itself: title, date, author, section, language, canonical and AMP links.

Meta tags and JSON-LD come first (the outlet's own CMS wrote them), then visible markup
(`<time>`, breadcrumbs), then the URL.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from pipeline.article.html_tree import Element, attribute_names, element_text, select
from pipeline.collect.feeds import PARIS

_ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "blogposting", "liveblogposting", "report", "webpage",
}  # fmt: skip
# /2026/11/03/ or /2026-11-03- in a path: many CMSs put the publication day there.
_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/\-_.]|$)"
)
_FRENCH_MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
}  # fmt: skip
_FRENCH_DATE = re.compile(
    r"\b(\d{1,2})(?:er)?\s+(" + "|".join(_FRENCH_MONTHS) + r")\s+(\d{4})"
    r"(?:\D{1,6}(\d{1,2})\s*[h:]\s*(\d{2}))?",
    re.I,
)
_NUMERIC_DATE = re.compile(
    r"\b(\d{1,2})([/.])(\d{1,2})\2(\d{4})(?:\D{1,6}(\d{1,2})\s*[h:]\s*(\d{2}))?"
)
_BREADCRUMB = re.compile(r"breadcrumb|fil-?ariane|ariane", re.I)
_BREADCRUMB_SEPARATORS = re.compile(r"\s*(?:›|»|>|/|\||→)\s*")
_BYLINE_BOX = re.compile(r"byline|author|auteur|signature|date|meta|info", re.I)
# "Rédigé par" introduces a signature whatever its case ("Service communication"); a bare "Par"
# is trusted only before capitalised names.
_SIGNED_BY = re.compile(
    r"(?:[Rr]édigé|[ÉéEe]crit|[Ss]igné)\s+par\s+([^|·—–]{3,60}?)\s*(?:[|·—–]|$)"
)
_BYLINE = re.compile(
    r"(?:^|[|·—–-]\s*|\s)(?:[Pp]ar|[Bb]y)\s+"
    r"([Ll]a rédaction"
    r"|[A-ZÀ-Ý][\w’'.\-]+(?:\s+(?:de\s+|d[’']|van\s+|le\s+)?[A-ZÀ-Ý][\w’'.\-]+){1,3})"
)
_HOME_LABELS = {"accueil", "home", "à la une", "une", "actualités", "actualites", "actu"}


@dataclass(frozen=True)
class PageMetadata:
    """Metadata read from one page; every field may be missing."""

    title: str | None
    published: datetime | None
    author: str | None
    section: str | None
    lang: str | None
    canonical_url: str | None
    amp_of: str | None
    amp_url: str | None
    description: str | None
    free_access: bool | None  # JSON-LD isAccessibleForFree, when the page states it
    # The first `<time datetime>` or the URL's day: weaker than `published`, which only the
    # page's tags and JSON-LD set (see `pipeline.article.dates`).
    published_hint: datetime | None = None


def parse_datetime(value: str | None, zone: ZoneInfo = PARIS) -> datetime | None:
    """ISO 8601 or a French date (`5 novembre 2026 à 07h42`, `05/11/2026`, `05.11.2026`); no
    zone means the outlet's (Paris unless its source says otherwise)."""
    if not value:
        return None
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        moment = _french_datetime(value)
        if moment is None:
            return None
    if moment.tzinfo is None:
        # Pages that give no zone are outlets writing their local time.
        moment = moment.replace(tzinfo=zone)
    return moment


def _french_datetime(text: str) -> datetime | None:
    found = _FRENCH_DATE.search(text)
    if found:
        day, month, year = int(found[1]), _FRENCH_MONTHS[found[2].lower()], int(found[3])
    else:
        found = _NUMERIC_DATE.search(text)
        if not found:
            return None
        day, month, year = int(found[1]), int(found[3]), int(found[4])
    hours = (found[4], found[5]) if found.re is _FRENCH_DATE else (found[5], found[6])
    hour, minute = (int(hours[0]), int(hours[1])) if hours[0] else (0, 0)
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        return None


def absolute_url(url: str | None) -> str | None:
    """`url` if it is an absolute http(s) URL, else None: a relative link of a page read
    without its address ("/article/42") locates nothing."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def date_from_url(url: str | None, zone: ZoneInfo = PARIS) -> datetime | None:
    """The day in a `/2026/11/03/` style path, at midnight in the outlet's zone."""
    found = _URL_DATE.search(url or "")
    if not found:
        return None
    try:
        return datetime(int(found[1]), int(found[2]), int(found[3]), tzinfo=zone)
    except ValueError:
        return None


def json_ld_items(root: Element) -> list[dict]:
    """Every JSON-LD object of the page (lists and `@graph` flattened), article types first."""
    items: list[dict] = []
    for script in root.iter("script"):
        if script.get("type") != "application/ld+json" or len(script):
            continue
        try:
            data = json.loads(script.text or "", strict=False)
        except (json.JSONDecodeError, TypeError):
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict):
                graph = item.get("@graph")
                if isinstance(graph, list):
                    items.extend(node for node in graph if isinstance(node, dict))
                else:
                    items.append(item)
    return sorted(items, key=lambda item: not _is_article(item))


def _is_article(item: dict) -> bool:
    kinds = item.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(kind, str) and kind.lower() in _ARTICLE_TYPES for kind in kinds)


def _name(value: object) -> str | None:
    if isinstance(value, list):
        names = [name for name in (_name(v) for v in value) if name]
        return ", ".join(names) if names else None
    if isinstance(value, dict):
        value = value.get("name")
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _free_access(items: list[dict]) -> bool | None:
    for item in items:
        for part in [item, *(p for p in _as_list(item.get("hasPart")) if isinstance(p, dict))]:
            value = part.get("isAccessibleForFree")
            if isinstance(value, str):
                value = value.strip().lower() not in ("false", "no", "0")
            if isinstance(value, bool):
                return value
    return None


def _as_list(value: object) -> list:
    return value if isinstance(value, list) else [value] if value is not None else []


def _breadcrumb_trail(root: Element) -> Element | None:
    """The first element whose class, id or ARIA label names a breadcrumb trail."""
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in ("html", "body", "script"):
            continue
        names = attribute_names(element) + " " + (element.get("aria-label") or "")
        if _BREADCRUMB.search(names):
            return element
    return None


def _breadcrumb_section(root: Element, items: list[dict], title: str | None) -> str | None:
    """The last breadcrumb step that is neither the home page nor the article itself."""
    steps: list[str] = []
    for item in items:
        if item.get("@type") == "BreadcrumbList":
            elements = [e for e in _as_list(item.get("itemListElement")) if isinstance(e, dict)]
            elements.sort(key=lambda e: e.get("position") or 0)
            steps = [n for n in (_name(e.get("item")) or _name(e) for e in elements) if n]
            break
    if not steps:
        trail = _breadcrumb_trail(root)
        if trail is not None:
            text = element_text(trail)
            text = re.sub(r"^\s*vous [êe]tes ici\s*:?", "", text, flags=re.I)
            steps = [step for step in _BREADCRUMB_SEPARATORS.split(text) if step.strip()]
    wanted = " ".join((title or "").split()).casefold()
    steps = [s.strip() for s in steps if s.strip().casefold() not in _HOME_LABELS]
    if steps and " ".join(steps[-1].split()).casefold() == wanted:
        steps.pop()
    return steps[-1] if steps and len(steps[-1]) <= 60 else None


def _byline_author(root: Element) -> str | None:
    """A "Par Prénom Nom" in a short byline-like element, for pages whose tags name nobody."""
    for element in select(root, '[itemprop="author"], [rel="author"], .author, .auteur'):
        name = " ".join(element_text(element).split())
        if 2 < len(name) <= 60:
            return re.sub(r"^(?:par|by)\s+", "", name, flags=re.I)
    for element in root.iter("p", "div", "span", "footer"):
        if not _BYLINE_BOX.search(attribute_names(element)):
            continue
        text = " ".join(element_text(element).split())
        found = (_SIGNED_BY.search(text) or _BYLINE.search(text)) if len(text) <= 200 else None
        if found and len(found[1].split()) <= 5:
            return found[1].strip()
    return None


_META_ATTRS = ("property", "name", "itemprop", "http-equiv")


def _first(root: Element, tag: str, attribute: str | None = None) -> Element | None:
    """The first `tag` element of the page (having `attribute`, when given)."""
    for element in root.iter(tag):
        if attribute is None or element.get(attribute) is not None:
            return element
    return None


def read_metadata(root: Element, url: str | None = None, zone: ZoneInfo = PARIS) -> PageMetadata:
    """Collect the page's metadata from meta tags, JSON-LD, visible markup and the URL; dates
    without a zone are in `zone`."""

    # Every <meta> with content, indexed once: looking each name up in the tree is slow.
    contents: dict[tuple[str, str], str] = {}
    for element in root.iter("meta"):
        # Some CMSs write `value=` where `content=` belongs; browsers and crawlers read both.
        content = " ".join((element.get("content") or element.get("value") or "").split())
        for attr in _META_ATTRS:
            if content and element.get(attr):
                contents.setdefault((attr, element.get(attr)), content)

    def meta(*names: str) -> str | None:
        for name in names:
            for attr in _META_ATTRS:
                if (attr, name) in contents:
                    return contents[(attr, name)]
        return None

    def link(rel: str) -> str | None:
        for element in root.iter("link"):
            value = element.get("rel")
            if element.get("href") is not None and value and rel in (value, *value.split()):
                href = element.get("href").strip()
                break
        else:
            return None
        try:
            return urljoin(url or "", href) if href else None
        except ValueError:  # not a URL at all ("https://[broken")
            return None

    items = json_ld_items(root)
    article_items = [item for item in items if _is_article(item)] or items
    title = meta("og:title", "twitter:title")
    published = meta("article:published_time", "og:article:published_time", "datePublished",
                     "parsely-pub-date", "publish-date", "date", "pubdate", "dc.date",
                     "DC.date.issued", "DC.date", "DC:date", "dcterms.created",
                     "sailthru.date")  # fmt: skip
    author = meta("author", "article:author")
    if author and author.startswith("http"):
        author = None  # Facebook profile URLs, not names.
    section = meta("article:section")
    lang = None
    description = meta("og:description", "description", "twitter:description")
    # The article's JSON-LD date wins over the meta tags: CMS plug-ins fill
    # `article:published_time` with the page's (re)build date more often than JSON-LD.
    ld_published = next(
        (item["datePublished"] for item in article_items
         if _is_article(item) and isinstance(item.get("datePublished"), str)),
        None,
    )  # fmt: skip
    published = ld_published or published
    for item in article_items:
        title = title or _name(item.get("headline"))
        published = published or (item.get("datePublished") if isinstance(
            item.get("datePublished"), str) else None)  # fmt: skip
        author = author or _name(item.get("author"))
        section = section or _name(_as_list(item.get("articleSection"))[:1])
        lang = lang or (item.get("inLanguage") if isinstance(item.get("inLanguage"), str) else None)
        description = description or _name(item.get("description"))
    time_tag = _first(root, "time", "datetime")
    time_published = time_tag.get("datetime") if time_tag is not None else None
    if not title:
        h1 = _first(root, "h1")
        title = element_text(h1) if h1 is not None else None
    title_tag = _first(root, "title")
    if not title and title_tag is not None:
        title = element_text(title_tag) or None
    lang = root.get("lang") or lang or meta("content-language", "og:locale")
    canonical = link("canonical") or meta("og:url")
    if canonical and url:
        try:
            canonical = urljoin(url, canonical)
        except ValueError:
            canonical = None
    canonical = absolute_url(canonical)
    is_amp = root.get("amp") is not None or root.get("⚡") is not None
    return PageMetadata(
        title=title,
        published=parse_datetime(published, zone),
        author=author or _byline_author(root),
        section=section or _breadcrumb_section(root, items, title),
        lang=re.split(r"[-_]", lang.strip())[0].lower() if lang and lang.strip() else None,
        canonical_url=canonical,
        amp_of=canonical if is_amp and canonical and canonical != url else None,
        amp_url=None if is_amp else absolute_url(link("amphtml")),
        description=description,
        free_access=_free_access(items),
        published_hint=parse_datetime(time_published, zone) or date_from_url(url, zone),
    )
