"""The day a page was first published: its own metadata, checked by htmldate and its byline.

Three readings of one page:
- the page's structured metadata: JSON-LD `datePublished` of the article, then the meta tags of
  publication (`article:published_time`, `og:article:published_time` with `content` or
  `value`, `itemprop="datePublished"`, Dublin Core...). It carries a time of day and a zone.
- htmldate (the field's reference date extractor), with `original_date=True` so that a
  publication date wins over a modification date, run on the page without its comment threads
  (their dates are not the article's).
- the visible byline: "Publié le 29 juin 2019", "Par X le 07 Mai 2020", "17/03/2020" in a short
  element whose class says date, time, byline or meta, or `<abbr class="published" title=...>`.

The metadata is kept (with its time) when htmldate agrees with it within a day; otherwise
htmldate arbitrates, and when htmldate and the byline disagree the earlier day wins: a later one
is a modification, an edition or a comment. Every instant is turned into the outlet's local day
(Europe/Paris unless its source says otherwise).
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pipeline.article.html_tree import Element, attribute_names, element_text

PARIS = ZoneInfo("Europe/Paris")
_log = logging.getLogger(__name__)

# class / id tokens of comment threads and forums, whose dates are readers', not the article's.
_COMMENT_BLOCK = re.compile(
    r"(?:^|[\s_-])(?:comments?|commentlist|commentaires?|forum|forums|replies|reply|respond)"
    r"(?:$|[\s_-])",
    re.I,
)
_BYLINE_CLASS = re.compile(
    r"date|time|publi|byline|meta|info|auteur|author|signature|posted|created|chapo|entry-",
    re.I,
)
_PUBLISHED_CLASS = re.compile(r"(?:^|\s)(?:published|date-publication|datePublished)(?:\s|$)")
_FRENCH_MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
}  # fmt: skip
_FRENCH_DATE = re.compile(
    r"\b(\d{1,2})(?:er)?\s+(" + "|".join(_FRENCH_MONTHS) + r")\s+(\d{4})\b", re.I
)
_NUMERIC_DATE = re.compile(r"(?<![\d./-])(\d{1,2})([/.])(\d{1,2})\2((?:19|20)\d\d)(?![\d./-])")
_PUBLISHED_WORDS = re.compile(
    r"(?:publié|publiée|mis en ligne|mise en ligne|posted|published)\s*(?:le|on|:)?\s*$", re.I
)
_UPDATED_WORDS = re.compile(r"(?:mis à jour|mise à jour|modifié|actualisé|updated)\W*\w*\W*$", re.I)


@dataclass(frozen=True)
class PageDate:
    """The page's publication instant in the outlet's zone, and the reading it comes from
    (`metadata`, `htmldate`, `byline`, `time` or `url`)."""

    published: datetime | None
    source: str | None


def local(moment: datetime | None, zone: ZoneInfo = PARIS) -> datetime | None:
    """`moment` in the outlet's zone: an instant in UTC late at night is the next local day."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def _at_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone)


def _without_comments(root: Element) -> Element:
    """A copy of the page without its comment threads (htmldate edits the tree it reads)."""
    tree = copy.deepcopy(root)
    for element in list(tree.iter()):
        if not isinstance(element.tag, str) or element.tag in ("html", "body"):
            continue
        if _COMMENT_BLOCK.search(attribute_names(element)) and element.getparent() is not None:
            element.drop_tree()
    return tree


def htmldate_day(root: Element, url: str | None) -> date | None:
    """htmldate's original publication day of the page, None when it finds none."""
    from htmldate import find_date

    try:
        found = find_date(
            _without_comments(root), url=url, original_date=True, outputformat="%Y-%m-%d"
        )
    except Exception as exc:  # htmldate on a page it cannot read: no date, not a failed page
        _log.debug("htmldate failed on %s: %s", url, exc)
        return None
    try:
        return date.fromisoformat(found) if found else None
    except ValueError:
        return None


def _day_in(text: str) -> date | None:
    """The first French or numeric date of `text` ("07 Mai 2020", "17/03/2020", "23.05.2011")
    that is not introduced as an update."""
    matches = [(m.start(), m) for m in _FRENCH_DATE.finditer(text)]
    matches += [(m.start(), m) for m in _NUMERIC_DATE.finditer(text)]
    for start, match in sorted(matches, key=lambda pair: pair[0]):
        if _UPDATED_WORDS.search(text[max(0, start - 30) : start]):
            continue
        try:
            if match.re is _FRENCH_DATE:
                month = _FRENCH_MONTHS[match[2].lower()]
                return date(int(match[3]), month, int(match[1]))
            return date(int(match[4]), int(match[3]), int(match[1]))
        except ValueError:
            continue
    return None


def byline_day(root: Element) -> date | None:
    """The publication day a reader sees near the title: a date after "Publié le" or in a short
    date / byline element, or an `<abbr class="published">`; comment threads left out."""
    in_comments = {
        inner
        for block in root.iter()
        if isinstance(block.tag, str) and _COMMENT_BLOCK.search(attribute_names(block))
        for inner in block.iter()
    }
    for element in root.iter("abbr", "time", "span", "p", "div", "small", "li", "header"):
        if element in in_comments:
            continue
        names = attribute_names(element)
        if element.tag == "abbr" and _PUBLISHED_CLASS.search(element.get("class") or ""):
            title = element.get("title") or ""
            try:
                return date.fromisoformat(title[:10])
            except ValueError:
                pass
        if not _BYLINE_CLASS.search(names):
            continue
        text = " ".join(element_text(element).split())
        if len(text) > 200:
            continue
        day = _day_in(text)
        if day is not None:
            return day
    return _published_phrase_day(root)


def _published_phrase_day(root: Element) -> date | None:
    """A date right after "Publié le" / "Mis en ligne" anywhere in the page's text."""
    body = root.find("body")
    text = " ".join(element_text(body if body is not None else root).split())
    for match in _FRENCH_DATE.finditer(text):
        if _PUBLISHED_WORDS.search(text[max(0, match.start() - 25) : match.start()]):
            return _day_in(match.group(0))
    for match in _NUMERIC_DATE.finditer(text):
        if _PUBLISHED_WORDS.search(text[max(0, match.start() - 25) : match.start()]):
            return _day_in(match.group(0))
    return None


def _near(a: date, b: date) -> bool:
    return abs(a - b) <= timedelta(days=1)


def page_date(
    root: Element,
    url: str | None,
    metadata: datetime | None,
    fallback: datetime | None = None,
    zone: ZoneInfo = PARIS,
    fallback_source: str = "time",
) -> PageDate:
    """The page's publication instant (see the module docstring for the order of readings).

    `metadata` is the structured date read from the page's tags; `fallback` a weaker one
    (a bare `<time datetime>`, the URL) used when nothing else is found.
    """
    metadata = local(metadata, zone)
    checked = htmldate_day(root, url)
    if metadata is not None and (checked is None or _near(metadata.date(), checked)):
        return PageDate(metadata, "metadata")
    seen = byline_day(root)
    if checked is not None:
        if metadata is not None:
            _log.info("page %s: metadata says %s, htmldate %s", url, metadata.date(), checked)
        if seen is not None and not _near(seen, checked) and seen < checked:
            return PageDate(_at_midnight(seen, zone), "byline")
        return PageDate(_at_midnight(checked, zone), "htmldate")
    if seen is not None:
        return PageDate(_at_midnight(seen, zone), "byline")
    fallback = local(fallback, zone)
    return PageDate(fallback, fallback_source if fallback else None)


# Readings that state the page's own publication, strong enough to correct a feed's date.
_OWN_READINGS = ("selector", "metadata", "byline", "htmldate")


def choose_published(
    feed: datetime | None,
    page: datetime | None,
    page_source: str | None,
    zone: ZoneInfo = PARIS,
) -> tuple[datetime | None, str | None]:
    """The article's publication instant from its feed entry's and its page's, and which was
    kept: "page", "feed", or, when they disagree by more than a day, "page over feed DAY" /
    "feed over page DAY".

    Within a day the page's wins (same day, and the page's own zone). Beyond, the page's wins
    only when it is the earlier and read from the page itself: the feed then carries a
    modification (an updated article re-listed); a later page date is an update shown on the
    page, or a date picked from elsewhere on it, and the feed's is kept.
    """
    feed, page = local(feed, zone), local(page, zone)
    if page is None or feed is None:
        return (page, "page") if page is not None else (feed, "feed" if feed else None)
    if _near(page.date(), feed.date()):
        return page, "page"
    if page < feed and page_source in _OWN_READINGS:
        _log.warning("feed date %s and page date %s disagree: kept the page's", feed, page)
        return page, f"page over feed {feed.date().isoformat()}"
    _log.warning("feed date %s and page date %s disagree: kept the feed's", feed, page)
    return feed, f"feed over page {page.date().isoformat()}"
