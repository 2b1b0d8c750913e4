"""A small published database for the review desk's tests: realistic French mentions, plus one
scraped article full of markup that must stay inert (script, onerror, javascript: links)."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from pipeline.nlp.entities import assign_entities
from pipeline.review.users import add_user
from pipeline.warehouse.publish import publish
from pipeline.warehouse.review_store import new_mention_id, store_path
from pipeline.warehouse.storage import connect_work, replace_partition, save_sources, work_path

DAY = date(2026, 11, 4)
NEXT_DAY = date(2026, 11, 5)
PASSWORD = "mot-de-passe-solide"
EVIL = "<script>alert(1)</script>"
EVIL_IMG = "<img src=x onerror=alert(1)>"

SOURCES = {"ouest": "Ouest Éco", "sud": "Sud Éco"}  # id -> name, as in a sources file
ARTICLES = {
    "valorial": (
        DAY,
        "ouest",
        "https://www.ouest-eco.fr/valorial-region",
        "Valorial soutenu par la Région",
        "À Rennes, la Région Bretagne accorde 1,2 million d'euros au pôle Valorial pour son "
        "programme agroalimentaire. « Ce soutien change tout pour nos PME », salue Anne Le Gall, "
        "présidente du pôle Valorial.",
        "Bretagne",
    ),
    "aero": (
        NEXT_DAY,
        "sud",
        "https://www.sud-eco.fr/aerospace-valley",
        "Aerospace Valley accélère à Toulouse",
        "À Toulouse, le pôle Aerospace Valley lance un appel à projets. Bpifrance apporte "
        "800 000 euros aux lauréats. « Nous voulons des projets concrets », indique Marc Dupuis, "
        "directeur général d'Aerospace Valley.",
        "Occitanie",
    ),
    "piege": (
        NEXT_DAY,
        "sud",
        "javascript:alert(1)",
        f"Titre piégé {EVIL}",
        f"Le cluster Eurobiomed {EVIL} annonce {EVIL_IMG} une levée. Voir "
        '<a href="javascript:alert(1)">ici</a> et javascript:alert(2).',
        "Provence-Alpes-Côte d'Azur",
    ),
}

MENTIONS = {
    "valorial": [
        {"kind": "location", "text": "Rennes", "name": "Rennes", "region": "Bretagne"},
        {
            "kind": "funding",
            "text": "1,2 million d'euros",
            "amount_eur": 1.2e6,
            "amount_text": "1,2 million d'euros",
            "funder": "la Région Bretagne",
            "recipient": "Valorial",
            "recipient_text": "pôle Valorial",
            "instrument": "subvention",
            "scope": "regional",
        },
        {"kind": "cluster", "text": "pôle Valorial", "name": "Valorial", "cluster_kind": "pole"},
        {
            "kind": "quote",
            "text": "Ce soutien change tout pour nos PME",
            "speaker": "Anne Le Gall",
            "quote": "Ce soutien change tout pour nos PME",
        },
        {
            "kind": "official",
            "text": "Anne Le Gall",
            "name": "Anne Le Gall",
            "role": "présidente",
            "role_written": "présidente",  # as the pipeline stores it: as written, and
            "role_normalised": "président",  # its masculine form for grouping
            "org": "Valorial",
        },
    ],
    "aero": [
        {"kind": "location", "text": "Toulouse", "name": "Toulouse", "region": "Occitanie"},
        {
            "kind": "cluster",
            "text": "pôle Aerospace Valley",
            "name": "Aerospace Valley",
            "cluster_kind": "pole",
        },
        {
            "kind": "funding",
            "text": "800 000 euros",
            "amount_eur": 8e5,
            "funder": "Bpifrance",
            "amount_text": "800 000 euros",
        },
        {
            "kind": "quote",
            "text": "Nous voulons des projets concrets",
            "speaker": "Marc Dupuis",
            "quote": "Nous voulons des projets concrets",
        },
        {
            "kind": "official",
            "text": "Marc Dupuis",
            "name": "Marc Dupuis",
            "role": "directeur général",
            "org": "Aerospace Valley",
        },
    ],
    "piege": [
        {
            "kind": "cluster",
            "text": "cluster Eurobiomed",
            "name": "Eurobiomed",
            "cluster_kind": "cluster",
        },
    ],
}


def article_row(key: str) -> dict:
    day, source, url, title, text, _ = ARTICLES[key]
    return {
        "article_id": key,
        "partition_date": day,
        "url": url,
        "source": source,
        "title": title,
        "published_at": datetime(day.year, day.month, day.day, 7, 30, tzinfo=UTC),
        "text": text,
        "n_chars": len(text),
    }


def mention_rows(key: str, found: list[dict] | None = None) -> list[dict]:
    """The article's mentions as the pipeline stores them (offsets, ids, entities, région)."""
    day, source, _, _, text, region = ARTICLES[key]
    rows = assign_entities([dict(m) for m in (found or MENTIONS[key])], region)
    for i, row in enumerate(rows):
        start = text.find(row["text"])
        assert start >= 0, row["text"]
        value = row.get("name") or row.get("amount_eur") or row.get("quote")
        row.update(
            start=start,
            end=start + len(row["text"]),
            mention_id=new_mention_id(key, row["kind"], start, start + len(row["text"]), value),
            article_id=key,
            partition_date=day,
            source=source,
            sentence=text,
            confidence=0.5 + 0.05 * i,
            rule=f"{row['kind']}_rule",
        )
    return rows


def load_day(db: Path, day: date, mentions: dict[str, list[dict]] | None = None) -> None:
    """Replace one day's articles and mentions in the working database."""
    keys = [k for k, a in ARTICLES.items() if a[0] == day]
    rows = [m for k in keys for m in (mentions or {}).get(k, mention_rows(k))]
    with connect_work(db) as con:
        replace_partition(con, "articles", day, [article_row(k) for k in keys])
        replace_partition(con, "mentions", day, rows)


_TEMPLATE: list[Path] = []


def build_published(db: Path) -> Path:
    """Both days loaded and published, with a reviewer (claire) and a viewer (victor).

    Built once per test session, then copied (snapshot, working database, review store): a
    publish and two argon2 hashes cost seconds.
    """
    if not _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="veille-review-")) / db.name
        load_day(template, DAY)
        load_day(template, NEXT_DAY)
        with connect_work(template) as con:
            save_sources(con, [{"source": key, "name": name} for key, name in SOURCES.items()])
        publish(template)
        add_user(template, "claire", "reviewer", PASSWORD)
        add_user(template, "victor", "viewer", PASSWORD)
        _TEMPLATE.append(template)
    template = _TEMPLATE[0]
    db.parent.mkdir(parents=True, exist_ok=True)
    for source in (template, work_path(template), store_path(template)):
        shutil.copyfile(source, db.with_name(source.name.replace(template.stem, db.stem, 1)))
    return db


def mention_id(key: str, kind: str) -> str:
    """The id of an article's first mention of a kind."""
    return next(m["mention_id"] for m in mention_rows(key) if m["kind"] == kind)
