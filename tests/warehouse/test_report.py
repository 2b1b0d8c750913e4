"""The HTML period report: charts and figures from a real published warehouse, period filtering,
escaping of scraped text, a page that loads nothing from outside, and the `veille report` command.
"""

import re
from datetime import UTC, date, datetime

import pytest

from pipeline.errors import UserError
from pipeline.nlp.entities import assign_entities
from pipeline.warehouse.publish import publish
from pipeline.warehouse.report import (
    Period,
    SafeCell,
    data_table,
    format_eur,
    resolve_period,
    write_report,
)
from pipeline.warehouse.storage import connect_work, replace_partition
from veille.cli import main

HOSTILE = "<script>alert(1)</script>"
# One article per row: day, source, région, cluster, amount, funder, official, role, org, quote.
ARTICLES = [
    (date(2026, 9, 29), "ouest", "Bretagne", "Valorial", 1.2e6, "Bpifrance",
     "Anne Le Gall", "présidente", "Valorial", "Une étape décisive pour la filière."),
    (date(2026, 10, 6), "ouest", "Bretagne", "Valorial", 350_000, "Région Bretagne",
     "Paul Morvan", "maire", "Quimper", None),
    (date(2026, 10, 14), "midi", "Occitanie", "Aerospace Valley", 2.5e6, "Bpifrance",
     "Jean Dupont", "maire", "Toulouse", "Toulouse reste la capitale de l'aéronautique."),
    (date(2026, 10, 20), "midi", "Occitanie", HOSTILE, 4e6, f"Fonds {HOSTILE}",
     f"Eve {HOSTILE}", f"rôle {HOSTILE}", "<img src=x onerror=alert(1)>", f"</p>{HOSTILE}"),
    (date(2026, 11, 10), "ouest", "Bretagne", "Valorial", 800_000, "Bpifrance",
     "Paul Morvan", "maire", "Quimper", None),
]  # fmt: skip


def _rows(index: int, article: tuple) -> tuple[dict, list[dict]]:
    day, source, region, cluster, amount, funder, person, role, org, quote = article
    article_id = f"a{index}"
    text = f"{cluster} reçoit {amount} euros de {funder}. {person}, {role} de {org}, salue."
    hostile_url = "javascript:alert(1)" if cluster == HOSTILE else None
    row = {
        "article_id": article_id,
        "partition_date": day,
        "url": hostile_url or f"https://exemple.fr/{article_id}",
        "source": source,
        "title": f"Article {article_id}",
        "published_at": datetime(day.year, day.month, day.day, 7, 30, tzinfo=UTC),
        "text": text,
        "n_chars": len(text),
    }
    found = [
        {"kind": "cluster", "text": cluster, "name": cluster, "cluster_kind": "pole"},
        # as the pipeline stores it: the role as written, and its masculine form for grouping
        {
            "kind": "official",
            "text": person,
            "name": person,
            "role": role,
            "role_written": role,
            "role_normalised": role.removesuffix("e") if role == "présidente" else role,
            "org": org,
        },
    ]
    if amount:
        found.append(
            {
                "kind": "funding",
                "text": f"{amount} euros",
                "amount_eur": amount,
                "funder": funder,
                "recipient": cluster,
                "instrument": "subvention",
            }
        )
    if quote:
        found.append({"kind": "quote", "text": quote, "quote": quote, "speaker": person})
    mentions = assign_entities(found, region)
    for i, mention in enumerate(mentions):
        mention.update(
            mention_id=f"{article_id}-{i}",
            article_id=article_id,
            partition_date=day,
            source=source,
            start=0,
            end=len(mention["text"]),
        )
    return row, mentions


def _build(db, articles=ARTICLES) -> None:
    with connect_work(db) as con:
        for i, article in enumerate(articles):
            row, mentions = _rows(i, article)
            replace_partition(con, "articles", row["partition_date"], [row])
            replace_partition(con, "mentions", row["partition_date"], mentions)
    publish(db)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    db = tmp_path_factory.mktemp("report") / "veille.duckdb"
    _build(db)
    return db


def _report(db, tmp_path, first=None, last=None) -> str:
    out = write_report(db, tmp_path / "report.html", first, last)
    return out.read_text(encoding="utf-8")


def test_amounts_read_the_french_way():
    assert format_eur(1.2e6) == "1,2\u00a0M€"
    assert format_eur(350_000) == "350\u00a0k€"
    assert format_eur(1_209_150_000) == "1,21\u00a0Md€"
    assert format_eur(12_500_000) == "12,5\u00a0M€"
    assert format_eur(999_600) == "1\u00a0M€"
    assert format_eur(800) == "800\u00a0€"


def test_the_default_period_is_the_last_90_days_or_everything():
    assert resolve_period(date(2026, 1, 1), date(2026, 12, 31)) == Period(
        date(2026, 10, 3), date(2026, 12, 31)
    )
    assert resolve_period(date(2026, 11, 2), date(2026, 11, 15)) == Period(
        date(2026, 11, 2), date(2026, 11, 15)
    )
    assert resolve_period(None, None) is None
    only_from = resolve_period(date(2026, 11, 2), date(2026, 11, 15), first=date(2026, 11, 10))
    assert only_from == Period(date(2026, 11, 10), date(2026, 11, 15))
    after_the_data = resolve_period(date(2026, 11, 2), date(2026, 11, 15), first=date(2027, 1, 1))
    assert after_the_data == Period(date(2027, 1, 1), date(2027, 1, 1))
    with pytest.raises(UserError, match="before"):
        resolve_period(None, None, date(2026, 11, 2), date(2026, 11, 1))


def test_the_report_has_three_charts_and_the_figures(warehouse, tmp_path):
    html = _report(warehouse, tmp_path)
    assert "rapport du 29 septembre 2026 au 10 novembre 2026" in html
    assert "5 articles lus dans 2 sources" in html
    assert len(re.findall(r"<svg\b", html)) == 3
    assert html.count('role="img"') == 3 and html.count("<desc id=") == 3
    # funding by région and quarter: Bretagne T3 1,2 M€, T4 350 k€ + 800 k€; Occitanie 6,5 M€
    assert "Bretagne" in html and "Occitanie" in html
    for figure in ("1,2\u00a0M€", "1,15\u00a0M€", "6,5\u00a0M€", "T3 2026", "T4 2026"):
        assert figure in html
    assert "1\u202f150\u202f000\u00a0€" in html  # the exact amount in the table under the chart
    # clusters over time and officials with role and organisation
    assert "Valorial" in html and "Aerospace Valley" in html
    assert "Paul Morvan" in html and "maire, Quimper" in html
    assert "présidente, Valorial" in html and "président, Valorial" not in html  # as written
    # the biggest events and the quotes
    assert html.index("4\u00a0M€") < html.index("2,5\u00a0M€")
    assert "Toulouse reste la capitale de l&#x27;aéronautique." in html
    assert 'href="https://exemple.fr/a2"' in html


def test_the_period_leaves_out_what_is_outside_it(warehouse, tmp_path):
    html = _report(warehouse, tmp_path, date(2026, 10, 1), date(2026, 10, 31))
    assert "rapport du 1er octobre 2026 au 31 octobre 2026" in html
    assert "3 articles lus dans 2 sources" in html
    assert "350\u00a0k€" in html and "6,5\u00a0M€" in html
    assert "T3 2026" not in html and "1,15\u00a0M€" not in html and "1,2\u00a0M€" not in html
    assert "Anne Le Gall" not in html  # named on 29 September only
    assert "exemple.fr/a4" not in html  # 10 November


def test_scraped_text_is_inert(warehouse, tmp_path):
    html = _report(warehouse, tmp_path)
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:" not in html  # the hostile article URL is not linked


def test_a_table_escapes_text_cells_and_writes_rendered_ones_as_they_are():
    rows = [[HOSTILE, SafeCell('<time datetime="2026-11-04">4 novembre</time>', "num"), None]]
    table = data_table(None, ["Nom", "Date", "Vide"], rows, folded=False)
    assert table == (
        '<table><thead><tr><th scope="col">Nom</th><th scope="col">Date</th>'
        '<th scope="col">Vide</th></tr></thead><tbody><tr>'
        "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"
        '<td class="num"><time datetime="2026-11-04">4 novembre</time></td><td></td>'
        "</tr></tbody></table>"
    )
    folded = data_table("Chiffres", ["Nom"], [["a & b"]])
    assert folded.startswith("<details><summary>Voir les chiffres</summary><table><caption>")
    assert "<td>a &amp; b</td>" in folded


def test_the_page_loads_nothing_from_outside(warehouse, tmp_path):
    html = _report(warehouse, tmp_path)
    lowered = html.lower()
    assert not re.search(r"<[^>]*\ssrc\s*=", lowered)  # no element loads anything
    assert "<link" not in lowered and "@import" not in lowered and "url(" not in lowered
    assert "<script" not in lowered
    assert "default-src 'none'" in html


def test_an_empty_period_or_database_says_there_is_nothing(warehouse, tmp_path):
    html = _report(warehouse, tmp_path, date(2030, 1, 1), date(2030, 1, 31))
    assert "Rien à signaler pour cette période" in html and "<svg" not in html
    empty = tmp_path / "empty" / "veille.duckdb"
    _build(empty, [])
    html = _report(empty, tmp_path)
    assert "aucune mention" in html and "<svg" not in html


def test_a_period_with_articles_but_no_funding_says_so_per_section(tmp_path):
    db = tmp_path / "veille.duckdb"
    article = (date(2026, 10, 6), "ouest", "Bretagne", "Valorial", None, None,
               "Paul Morvan", "maire", "Quimper", None)  # fmt: skip
    _build(db, [article])
    html = _report(db, tmp_path)
    assert "Aucun financement chiffré sur la période." in html
    assert len(re.findall(r"<svg\b", html)) == 2


def test_the_command_writes_the_report_and_rejects_a_bad_date(
    warehouse, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VEILLE_DB", str(warehouse))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    out = tmp_path / "out" / "rapport.html"
    code = main(
        ["report", "--db", str(warehouse), "--from", "2026-10-01", "--to", "2026-10-31",
         "--out", str(out)]
    )  # fmt: skip
    assert code == 0
    assert capsys.readouterr().out.strip() == str(out.resolve())
    assert "rapport du 1er octobre 2026 au 31 octobre 2026" in out.read_text(encoding="utf-8")
    assert main(["report", "--db", str(warehouse), "--to", "2026-31-10"]) == 2
    assert "--to '2026-31-10' is not a date" in capsys.readouterr().err
    assert (
        main(["report", "--db", str(warehouse), "--from", "2026-11-02", "--to", "2026-11-01"]) == 2
    )
    assert not (warehouse.parent / "report.html").exists()
    capsys.readouterr()
    assert main(["report", "--db", str(warehouse)]) == 0
    assert capsys.readouterr().out.strip() == str(warehouse.parent / "report.html")
