"""Publication dates of pages as real sites write them, and the feed-versus-page choice.

The pages are written for these tests, one per way a site states (or hides) its date.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pipeline.article.dates import PARIS, choose_published
from pipeline.article.extract import extract_article

BODY = (
    "<p>La communauté de communes a présenté son nouveau schéma de développement économique, "
    "qui réunit les entreprises du territoire autour de trois priorités : l'emploi, la "
    "formation et l'accueil des jeunes pousses. Le document sera soumis au vote en janvier.</p>"
    "<p>Les élus ont insisté sur la place des filières locales, du bois à l'agroalimentaire, "
    "et sur le soutien aux commerces de centre-bourg, fragilisés depuis plusieurs années.</p>"
)


def page(head: str = "", before: str = "", after: str = "", title: str = "Un schéma") -> str:
    """A news page: `head` in <head>, `before` between the title and the text, `after` below."""
    return (
        f"<html lang='fr'><head><title>{title}</title>{head}</head><body>"
        f"<article><h1>{title}</h1>{before}{BODY}</article>{after}</body></html>"
    )


def day_of(html: str, url: str = "https://journal.example/eco/schema", **kwargs) -> str | None:
    published = extract_article(html, url, **kwargs).published_at
    return published.date().isoformat() if published else None


def test_json_ld_date_wins_over_article_published_time():
    html = page(
        head=(
            '<meta property="article:published_time" content="2024-03-20T08:00:00+01:00">'
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            '"datePublished": "2024-03-12T09:30:00+01:00"}</script>'
        ),
        before="<p class='date'>Publié le 12 mars 2024</p>",
    )
    assert day_of(html) == "2024-03-12"


def test_utc_instant_late_at_night_is_the_next_paris_day():
    html = page(head='<meta property="article:published_time" content="2024-01-07T23:30:00Z">')
    published = extract_article(html, "https://journal.example/a").published_at
    assert published.isoformat() == "2024-01-08T00:30:00+01:00"


def test_overseas_outlet_dates_on_its_own_day():
    html = page(head='<meta property="article:published_time" content="2024-01-08T02:00:00Z">')
    cayenne = ZoneInfo("America/Cayenne")
    published = extract_article(html, "https://guyane.example/a", zone=cayenne).published_at
    assert published.isoformat() == "2024-01-07T23:00:00-03:00"
    assert day_of(html) == "2024-01-08"  # the same instant, for a Paris outlet


def test_meta_written_with_value_instead_of_content():
    html = page(
        head='<meta name="og:article:published_time" value="2023-10-05T07:15:00+02:00">',
    )
    assert day_of(html) == "2023-10-05"


def test_abbr_published_title():
    html = page(before='<p>Par Jeanne Martin, <abbr class="published" title="2022-06-14T10:00">'
                       "mardi</abbr></p>")  # fmt: skip
    assert day_of(html) == "2022-06-14"


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("<p class='article-date'>Publié le 29 juin 2019</p>", "2019-06-29"),
        ("<div class='infos'>Par Paul Roux le 07 Mai 2020</div>", "2020-05-07"),
        ("<p class='meta'>17/03/2020</p>", "2020-03-17"),
        ("<span class='date'>Date 23.05.2011</span>", "2011-05-23"),
    ],
)
def test_date_only_in_a_byline(byline: str, expected: str):
    assert day_of(page(before=byline)) == expected


def test_visible_date_wins_over_a_datetime_attribute_that_contradicts_it():
    byline = "<p class='date'>Publié le <time datetime='2019-07-02'>29 juin 2019</time></p>"
    assert day_of(page(before=byline)) == "2019-06-29"


def test_time_of_another_post_is_not_the_articles_date():
    other_posts = (
        "<section class='comments'><h2>Commentaires</h2><ul>"
        "<li class='comment'><time datetime='2021-02-01T10:00'>1 février 2021</time> Bravo !</li>"
        "<li class='comment'><time datetime='2021-02-03T10:00'>3 février 2021</time> Merci.</li>"
        "</ul></section>"
    )
    html = page(before="<p class='byline'>Par Léa Petit | 15 février 2021</p>", after=other_posts)
    assert day_of(html) == "2021-02-15"


def test_original_publication_over_modification():
    html = page(
        head=(
            '<meta property="article:published_time" content="2017-04-12T18:00:00+02:00">'
            '<meta property="article:modified_time" content="2020-02-19T15:00:00+01:00">'
        ),
        before="<p class='date'>Le 19 février 2020</p>",
    )
    assert day_of(html) == "2017-04-12"


def test_no_date_anywhere_gives_none():
    assert day_of(page(), url="https://journal.example/eco/schema") is None


# --- Feed and page -------------------------------------------------------------------------


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_feed_and_page_within_a_day_keep_the_page():
    kept, note = choose_published(
        at("2024-05-02T06:00:00+02:00"), at("2024-05-01T23:30:00+02:00"), "metadata"
    )
    assert kept == at("2024-05-01T23:30:00+02:00") and note == "page"


def test_feed_carrying_a_modification_gives_way_to_the_pages_original_date():
    kept, note = choose_published(
        at("2024-05-10T06:00:00+02:00"), at("2024-05-02T09:00:00+02:00"), "metadata"
    )
    assert kept.date().isoformat() == "2024-05-02"
    assert note == "page over feed 2024-05-10"


def test_page_later_than_the_feed_keeps_the_feed():
    kept, note = choose_published(
        at("2024-05-02T06:00:00+02:00"), at("2024-06-20T00:00:00+02:00"), "htmldate"
    )
    assert kept.date().isoformat() == "2024-05-02"
    assert note == "feed over page 2024-06-20"


def test_weak_page_date_does_not_override_the_feed():
    kept, note = choose_published(
        at("2024-05-10T06:00:00+02:00"), at("2024-05-02T00:00:00+02:00"), "url"
    )
    assert kept.date().isoformat() == "2024-05-10" and note == "feed over page 2024-05-02"


def test_only_one_date():
    feed = at("2024-05-10T04:00:00+00:00")
    assert choose_published(feed, None, None) == (feed.astimezone(PARIS), "feed")
    assert choose_published(None, None, None) == (None, None)
