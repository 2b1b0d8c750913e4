"""Funding in the warehouse and its outputs: scope and région totals, joint funders one row each,
the recipient and its canonical entity, `funding_received`, the report, and the review desk's
corrections and exports, on a real published DuckDB file built through the pipeline's storage.
"""

import csv
import io
import json
import re
import warnings
from datetime import UTC, date, datetime

import duckdb
import pytest

from pipeline.nlp.entities import assign_entities, name_key
from pipeline.review.exports import HEADERS, export_rows, to_csv
from pipeline.review.queue import open_live, parse_filter
from pipeline.warehouse.publish import publish
from pipeline.warehouse.queries import get_query, list_queries, run_query
from pipeline.warehouse.review_store import Decision, added_mention, record
from pipeline.warehouse.storage import (
    connect_published,
    connect_work,
    replace_partition,
    save_sources,
)
from tests.review_data import ARTICLES as ARTICLES_DESK
from tests.review_data import PASSWORD, build_published, mention_id
from veille.cli import main

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's test client suggests httpx2
    from starlette.testclient import TestClient

from veille.review.app import create_app  # noqa: E402

OCC, ARA, COPY = date(2026, 11, 9), date(2026, 11, 2), date(2026, 11, 10)
JOINT = "Région Occitanie, Bpifrance, Banque des Territoires"
OCC_TEXT = (
    "La Région Occitanie, Bpifrance et la Banque des Territoires apportent 3 millions d'euros au "
    "pôle Aerospace Valley, à Toulouse. La ville de Toulouse reçoit 400 000 euros de la Métropole. "
    "Ces 3 millions d'euros financeront des bancs d'essai."
)
ARA_TEXT = (
    "L'État consacre 1,2 milliard d'euros à sa stratégie nationale pour l'hydrogène. Sur place, la "
    "Région accorde 650 000 euros à l'entreprise Cardiosens, dont Paul Martin est le PDG, et "
    "90 000 euros à l'entreprise. Claire Roux, gérante de son entreprise, s'en félicite."
)


def _funding(text, amount, funder, recipient, scope, **extra):
    return {
        "kind": "funding",
        "text": text,
        "amount_eur": amount,
        "amount_text": text,
        "funder": funder,
        "recipient": recipient,
        "instrument": "subvention",
        "scope": scope,
        **extra,
    }


# article id -> (day, source, région, text, duplicate_of, mentions); a mention's `at` says which
# occurrence of its text it is (0: the first).
ARTICLES = {
    "occ": (OCC, "courrier", "Occitanie", OCC_TEXT, None, [
        {"kind": "cluster", "text": "pôle Aerospace Valley", "name": "Aerospace Valley",
         "cluster_kind": "pole_de_competitivite"},
        {"kind": "location", "text": "Toulouse", "name": "Toulouse", "region": "Occitanie"},
        _funding("3 millions d'euros", 3e6, JOINT, "le pôle Aerospace Valley", "regional",
                 funder_rule="joint_list", funder_confidence=0.8,
                 recipient_rule="grant_object", recipient_confidence=0.7),
        _funding("400 000 euros", 4e5, "la Métropole", "la ville de Toulouse", "local"),
        {**_funding("3 millions d'euros", 3e6, None, None, "regional"), "at": 1},
    ]),
    "ara": (ARA, "territoires", "Auvergne-Rhône-Alpes", ARA_TEXT, None, [
        _funding("1,2 milliard d'euros", 1.2e9, "État", None, "national"),
        _funding("650 000 euros", 6.5e5, "la Région", "l'entreprise Cardiosens", "regional",
                 recipient_text="l'entreprise Cardiosens"),
        _funding("90 000 euros", 9e4, "la Région", "l'entreprise", "regional"),
        {"kind": "official", "text": "Paul Martin", "name": "Paul Martin", "role": "PDG",
         "org": "Cardiosens"},
        {"kind": "official", "text": "Claire Roux", "name": "Claire Roux", "role": "gérante",
         "org": "entreprise"},
    ]),
    # The same dispatch taken up by another outlet: its amounts are never counted.
    "copy": (COPY, "sud", "Occitanie", OCC_TEXT, "occ", [
        _funding("3 millions d'euros", 3e6, JOINT, "le pôle Aerospace Valley", "regional"),
    ]),
}  # fmt: skip
SOURCE_NAMES = {"courrier": "Le Courrier", "territoires": "Territoires", "sud": "Sud Éco"}


def _rows(article_id: str) -> tuple[dict, list[dict]]:
    day, source, region, text, duplicate_of, found = ARTICLES[article_id]
    article = {
        "article_id": article_id,
        "partition_date": day,
        "url": f"https://exemple.fr/{article_id}",
        "source": source,
        "title": f"Article {article_id}",
        "published_at": datetime(day.year, day.month, day.day, 8, tzinfo=UTC),
        "text": text,
        "n_chars": len(text),
        "duplicate_of": duplicate_of,
    }
    mentions = assign_entities([{k: v for k, v in m.items() if k != "at"} for m in found], region)
    for i, (mention, spec) in enumerate(zip(mentions, found, strict=True)):
        start = -1
        for _ in range(spec.get("at", 0) + 1):
            start = text.index(mention["text"], start + 1)
        mention.update(
            mention_id=f"{article_id}-{i}",
            article_id=article_id,
            partition_date=day,
            source=source,
            start=start,
            end=start + len(mention["text"]),
            sentence=text,
            confidence=0.8,
            duplicate_of=duplicate_of,
        )
    return article, mentions


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    db = tmp_path_factory.mktemp("funding") / "veille.duckdb"
    with connect_work(db) as con:
        save_sources(con, [{"source": k, "name": v} for k, v in SOURCE_NAMES.items()])
        for article_id in ARTICLES:
            article, mentions = _rows(article_id)
            replace_partition(con, "articles", article["partition_date"], [article])
            replace_partition(con, "mentions", article["partition_date"], mentions)
    publish(db)
    return db


def _query(db, name: str, **params: str) -> list[dict]:
    with connect_published(db) as con:
        columns, rows = run_query(con, get_query(name), params)
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _sql(db, sql: str) -> list[tuple]:
    with connect_published(db) as con:
        return con.execute(sql).fetchall()


def test_entity_key_in_sql_is_the_pipelines_name_key(warehouse):
    names = [
        "la Région Occitanie",
        "L’Agglomération du Grand Périgueux",
        "Saint-Étienne Métropole",
        "Images & Réseaux",
        "l'entreprise Cardiosens",
        "Pôle  Mer\u00a0Méditerranée",
        "Aix-Marseille-Provence / Métropole",
        "les Ateliers d.Z",
    ]
    with connect_published(warehouse) as con:
        keys = [con.execute("SELECT entity_key(?)", [n]).fetchone()[0] for n in names]
    assert keys == [name_key(n) for n in names]


def test_each_event_carries_its_scope_links_and_the_recipients_entity(warehouse):
    rows = _sql(
        warehouse,
        "SELECT mention_id, scope, in_region, counted, funder_rule, funder_confidence, "
        "recipient, recipient_id, recipient_kind, recipient_rule, recipient_confidence "
        "FROM funding_events ORDER BY mention_id",
    )
    by_id = {r[0]: r[1:] for r in rows}
    assert by_id["occ-2"] == (
        "regional", True, True, "joint_list", 0.8,
        "le pôle Aerospace Valley", "cluster:aerospace-valley", "cluster", "grant_object", 0.7,
    )  # fmt: skip
    # A town is its place; a company named by an official's organisation is that organisation.
    assert by_id["occ-3"][:2] == ("local", True)
    assert by_id["occ-3"][6:8] == ("place:toulouse", "place")
    assert by_id["ara-1"][6:8] == ("org:cardiosens", "organisation")
    # A national envelope lands in no région; a common noun names no entity ("entreprise" is
    # also an official's organisation, as written in lower case).
    assert by_id["ara-0"][:2] == ("national", False)
    assert by_id["ara-2"][5:7] == ("l'entreprise", None)
    # The restated amount and the copy are kept but not counted.
    assert not by_id["occ-4"][2] and not by_id["copy-0"][2]


def test_joint_funders_are_one_row_each_and_their_shares_add_up(warehouse):
    per_funder = _sql(
        warehouse,
        "SELECT funder, funder_id, funders, share_eur, amount_eur FROM funding_event_funders "
        "WHERE mention_id = 'occ-2' ORDER BY funder",
    )
    assert per_funder == [
        ("Banque des Territoires", "funder:banque-des-territoires", 3, 1e6, 3e6),
        ("Bpifrance", "funder:bpifrance", 3, 1e6, 3e6),
        ("Région Occitanie", "funder:region-occitanie", 3, 1e6, 3e6),
    ]
    # The ids are those the pipeline gave the mention.
    ids = _sql(warehouse, "SELECT funder_ids FROM funding_events WHERE mention_id = 'occ-2'")
    assert sorted(ids[0][0]) == [r[1] for r in per_funder]
    view = _sql(
        warehouse,
        "SELECT funder, events, total_eur, participated_eur, joint_events FROM funding_totals "
        "WHERE funder IN ('Bpifrance', 'État') ORDER BY funder",
    )
    assert view == [("Bpifrance", 1, 1e6, 3e6, 1), ("État", 1, 1.2e9, 1.2e9, 0)]
    assert not _sql(warehouse, "SELECT funder FROM funding_totals WHERE funder LIKE '%,%'")
    (total,) = _sql(warehouse, "SELECT sum(total_eur) FROM funding_totals")[0]
    (events,) = _sql(
        warehouse, "SELECT sum(amount_eur) FROM funding_events WHERE counted AND amount_eur > 0"
    )[0]
    assert total == events == 3e6 + 4e5 + 1.2e9 + 6.5e5 + 9e4


def test_the_view_puts_national_envelopes_in_no_region(warehouse):
    rows = _sql(
        warehouse,
        "SELECT region, scope, sum(total_eur) FROM funding_totals GROUP BY ALL ORDER BY ALL",
    )
    assert rows == [
        ("Auvergne-Rhône-Alpes", "regional", 7.4e5),
        ("Occitanie", "local", 4e5),
        ("Occitanie", "regional", 3e6),
        (None, "national", 1.2e9),
    ]


def test_funding_totals_by_region_funder_and_recipient(warehouse):
    by_region = _query(warehouse, "funding_totals", by="region")
    assert [(r["group"], r["events"], r["total_eur"]) for r in by_region] == [
        ("Occitanie", 2, 3.4e6),
        ("Auvergne-Rhône-Alpes", 2, 7.4e5),
    ]
    by_funder = {r["group"]: r for r in _query(warehouse, "funding_totals", by="funder")}
    assert set(by_funder) == {
        "État", "Région Occitanie", "Bpifrance", "Banque des Territoires", "la Métropole",
        "Région Auvergne-Rhône-Alpes",
    }  # fmt: skip
    bpi = by_funder["Bpifrance"]
    assert (bpi["id"], bpi["events"], bpi["total_eur"], bpi["participated_eur"]) == (
        "funder:bpifrance",
        1,
        1e6,
        3e6,
    )
    assert bpi["joint_events"] == 1 and by_funder["État"]["joint_events"] == 0
    assert sum(r["total_eur"] for r in by_funder.values()) == pytest.approx(1.20414e9)
    by_recipient = _query(warehouse, "funding_totals", by="recipient")
    assert [(r["group"], r["id"], r["total_eur"]) for r in by_recipient] == [
        (None, None, 1.2e9),
        ("Aerospace Valley", "cluster:aerospace-valley", 3e6),
        ("Cardiosens", "org:cardiosens", 6.5e5),
        ("Toulouse", "place:toulouse", 4e5),
        ("l'entreprise", None, 9e4),
    ]
    november = _query(warehouse, "funding_totals", by="region", **{"from": "2026-11-05"})
    assert [r["group"] for r in november] == ["Occitanie"]


def test_top_funding_shows_recipient_and_scope(warehouse):
    rows = _query(warehouse, "top_funding", limit="3")
    assert [(r["amount_eur"], r["scope"], r["recipient"]) for r in rows] == [
        (1.2e9, "national", None),
        (3e6, "regional", "le pôle Aerospace Valley"),
        (6.5e5, "regional", "l'entreprise Cardiosens"),
    ]
    assert rows[1]["recipient_id"] == "cluster:aerospace-valley"
    # Within a région, only what lands in it.
    ara = _query(warehouse, "top_funding", region="Auvergne-Rhône-Alpes")
    assert [r["amount_eur"] for r in ara] == [6.5e5, 9e4]


@pytest.mark.parametrize("name", ["top_funding", "funding_received"])
def test_the_funding_queries_export_each_link_also_as_written(warehouse, name, capsys, monkeypatch):
    """`veille query ... --format csv`: the funder and the recipient, each as named and as the
    article wrote it, with the instrument, the amount and the scope."""
    monkeypatch.setenv("VEILLE_DB", str(warehouse))
    assert main(["query", name, "--param", "from=2026-11-02", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    cardiosens = next(r for r in rows if r["amount_eur"] == "650000.0")
    linked = ("funder", "funder_text", "recipient", "recipient_text", "instrument", "scope")
    assert tuple(cardiosens[c] for c in linked) == (
        "Région Auvergne-Rhône-Alpes",
        "la Région",
        "Cardiosens" if name == "funding_received" else "l'entreprise Cardiosens",
        "l'entreprise Cardiosens",
        "subvention",
        "regional",
    )


@pytest.mark.parametrize(
    "asked",
    ["cluster:aerospace-valley", "Aerospace Valley", "AEROSPACE-VALLEY", "pôle Aerospace Valley"],
)
def test_funding_received_finds_a_cluster_by_id_name_or_spelling(warehouse, asked):
    rows = _query(warehouse, "funding_received", recipient=asked)
    assert [(r["day"], r["recipient"], r["amount_eur"], r["funder"]) for r in rows] == [
        (OCC, "Aerospace Valley", 3e6, JOINT)
    ]
    assert rows[0]["source"] == "Le Courrier" and rows[0]["scope"] == "regional"


def test_funding_received_for_a_town_a_company_and_dates(warehouse):
    town = _query(warehouse, "funding_received", recipient="toulouse")
    assert [(r["recipient_id"], r["amount_eur"], r["funder"]) for r in town] == [
        ("place:toulouse", 4e5, "la Métropole")
    ]
    company = _query(warehouse, "funding_received", recipient="Cardiosens")
    assert [(r["recipient"], r["amount_eur"]) for r in company] == [("Cardiosens", 6.5e5)]
    assert _query(warehouse, "funding_received", recipient="Cardiosens", to="2026-11-01") == []
    everyone = _query(warehouse, "funding_received", **{"from": "2026-11-03"})
    assert [r["amount_eur"] for r in everyone] == [3e6, 4e5]  # the copy is left out
    assert _query(warehouse, "funding_received", recipient="Minalogic") == []


def test_funding_received_is_listed_and_checks_its_dates(warehouse, capsys, monkeypatch):
    monkeypatch.setenv("VEILLE_DB", str(warehouse))
    query = get_query("funding_received")
    assert query in list_queries()
    assert set(query.params) == {"recipient", "from", "to", "limit"}
    assert main(["query", "--format", "json"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    described = next(q for q in listed if q["name"] == "funding_received")
    assert described["description"].startswith("What one cluster, company or town received")
    code = main(["query", "funding_received", "--param", "to=09/11/2026"])
    assert code == 2 and "to must be a day" in capsys.readouterr().err


def test_the_reports_region_chart_leaves_national_envelopes_out(warehouse, tmp_path):
    out = tmp_path / "report.html"
    assert main(["report", "--db", str(warehouse), "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    funding = page[page.index('id="financements"') : page.index('id="responsables"')]
    assert "Total de la période : 4,14\u00a0M€" in funding
    assert "Hors de ce total : 1 enveloppe nationale ou européenne (1,2\u00a0Md€)" in funding
    events = page[page.index('id="evenements"') :]
    rows = re.findall(r"<tr>(.*?)</tr>", events)
    cells = [c for c in (re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows) if c]
    by_amount = {re.sub("<[^>]+>", "", c[1]): (c[3], c[5]) for c in cells}
    assert by_amount["3\u00a0M€"] == ("le pôle Aerospace Valley", "régionale")
    assert by_amount["650\u00a0k€"] == ("l&#x27;entreprise Cardiosens", "régionale")
    assert by_amount["1,2\u00a0Md€"] == ("", "nationale")


def _desk(db) -> TestClient:
    client = TestClient(create_app(db))
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"name": "claire", "password": PASSWORD, "csrf": token})
    return client


def _fields_shown(client: TestClient, mention: str) -> dict[str, str]:
    """The fields the desk's mention page shows: label -> value."""
    page = client.get(f"/mention/{mention}").text
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]*)</dd>", page))


def _correct_on_desk(client: TestClient, mention: str, **fields: str) -> None:
    """Correct a mention's fields through the desk's form, as a reviewer would."""
    page = client.get(f"/mention/{mention}").text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    client.post(f"/mention/{mention}/correct", data={"csrf": token, **fields})


def _correction(key: str, field: str, new_value: str, old_value: str | None = None) -> Decision:
    """Claire's correction of a field of an article's funding (the desk's test articles)."""
    return Decision(mention_id(key, "funding"), "corrected", "claire", field=field,
                    old_value=old_value, new_value=new_value)  # fmt: skip


def _publish_with(db, *decisions: Decision):
    """`decisions` recorded in the review store, then the database published; returns it."""
    record(db, *decisions)
    publish(db)
    return db


def test_the_desk_shows_and_corrects_the_recipient_and_exports_it_with_the_scope(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    funding = mention_id("valorial", "funding")
    client = _desk(db)
    fields = _fields_shown(client, funding)
    assert fields["bénéficiaire"] == "Valorial" and fields["portée"] == "régionale"
    assert 'name="recipient" value="Valorial"' in client.get(f"/mention/{funding}").text
    _correct_on_desk(client, funding, recipient="Rennes")
    assert _fields_shown(client, funding)["bénéficiaire"] == "Rennes"
    exported = client.get("/export.csv?kind=funding").content.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(exported), delimiter=";"))
    assert [(r["bénéficiaire"], r["portée"], r["statut"]) for r in table] == [
        ("Rennes", "régionale", "corrigée")
    ]
    with open_live(db) as con:
        assert to_csv(export_rows(con, parse_filter({"kind": "funding"}))).decode("utf-8-sig")
    assert "portée" in HEADERS and HEADERS.index("portée") > HEADERS.index("bénéficiaire")
    # At the next publish the warehouse takes the correction, and its canonical entity.
    publish(db)
    with connect_published(db) as con:
        row = con.execute(
            "SELECT recipient, recipient_id, review_status FROM funding_events "
            "WHERE mention_id = ?",
            [funding],
        ).fetchone()
    assert row == ("Rennes", "place:rennes", "corrected")


def test_a_reviewers_funder_correction_is_what_the_funder_rows_count(tmp_path):
    db = _publish_with(
        build_published(tmp_path / "veille.duckdb"),
        _correction("aero", "funder", "Bpifrance, Région Occitanie", old_value="Bpifrance"),
    )
    funding = mention_id("aero", "funding")
    with connect_published(db) as con:
        rows = con.execute(
            "SELECT funder, funder_id, share_eur FROM funding_event_funders "
            "WHERE mention_id = ? ORDER BY funder",
            [funding],
        ).fetchall()
    assert rows == [
        ("Bpifrance", "funder:bpifrance", 4e5),
        ("Région Occitanie", "funder:region-occitanie", 4e5),
    ]


def test_an_empty_warehouse_answers_every_funding_query(tmp_path):
    con = duckdb.connect(str(tmp_path / "empty.duckdb"))
    try:
        from pipeline.warehouse.publish import build_analyst_objects
        from pipeline.warehouse.storage import SQL_DIR

        con.execute((SQL_DIR / "schema.sql").read_text())
        build_analyst_objects(con)
        for name in ("funding_totals", "top_funding", "funding_received"):
            columns, rows = run_query(con, get_query(name))
            assert columns and rows == [], name
        columns, _ = run_query(con, get_query("funding_totals"), {"by": "recipient"})
        assert columns == ["group", "id", "events", "total_eur", "participated_eur", "joint_events"]
    finally:
        con.close()


def _funders_of(db, funding: str) -> tuple[tuple, list[tuple]]:
    """The event's funder columns, and its funder rows."""
    with connect_published(db) as con:
        event = con.execute(
            "SELECT funder, funder_id, funder_ids, funder_text FROM funding_events "
            "WHERE mention_id = ?",
            [funding],
        ).fetchone()
        rows = con.execute(
            "SELECT funder, funder_id, funders FROM funding_event_funders "
            "WHERE mention_id = ? ORDER BY funder",
            [funding],
        ).fetchall()
    return event, rows


def test_a_funder_typed_by_a_reviewer_is_canonical_as_an_extracted_one(tmp_path):
    """ "la Région" typed in an Occitan article is "Région Occitanie", as the extraction makes
    it; the event's ids and its funder rows follow the correction, and agree."""
    db = build_published(tmp_path / "veille.duckdb")
    funding = mention_id("aero", "funding")
    before, _ = _funders_of(db, funding)
    assert before[:3] == ("Bpifrance", "funder:bpifrance", ["funder:bpifrance"])
    _publish_with(db, _correction("aero", "funder", "la Région", old_value="Bpifrance"))
    event, rows = _funders_of(db, funding)
    assert event == (
        "Région Occitanie", "funder:region-occitanie", ["funder:region-occitanie"], "la Région"
    )  # fmt: skip
    assert rows == [("Région Occitanie", "funder:region-occitanie", 1)]
    rule = _sql(
        db,
        f"SELECT funder_rule, funder_confidence FROM funding_events WHERE mention_id = '{funding}'",
    )
    assert rule == [("review", None)]  # no extraction rule named it
    with connect_published(db) as con:
        entity = con.execute(
            "SELECT e.name, a.alias FROM entities AS e JOIN entity_aliases AS a USING (entity_id) "
            "WHERE entity_id = 'funder:region-occitanie'"
        ).fetchall()
    assert entity == [("Région Occitanie", "la Région")]


def test_joint_institutions_and_a_programme_typed_by_a_reviewer_are_canonical(tmp_path):
    db = _publish_with(
        build_published(tmp_path / "veille.duckdb"),
        _correction("aero", "funder", "BPI, le conseil régional"),
        _correction("valorial", "funder", "CPER"),
    )
    aero, valorial = mention_id("aero", "funding"), mention_id("valorial", "funding")
    event, rows = _funders_of(db, aero)
    assert event[:3] == (
        "Bpifrance, Région Occitanie", None, ["funder:bpifrance", "funder:region-occitanie"]
    )  # fmt: skip
    assert [r[:2] for r in rows] == [
        ("Bpifrance", "funder:bpifrance"),
        ("Région Occitanie", "funder:region-occitanie"),
    ]
    # The contrat de plan is the State's and the Région's money: in Brittany, Brittany's Région.
    event, rows = _funders_of(db, valorial)
    assert event[:3] == ("État, Région Bretagne", None, ["funder:etat", "funder:region-bretagne"])
    assert sorted(r[1] for r in rows) == sorted(event[2])


def test_a_funding_added_by_a_reviewer_has_a_canonical_funder(tmp_path):
    text = ARTICLES_DESK["valorial"][4]
    db = _publish_with(
        build_published(tmp_path / "veille.duckdb"),
        added_mention(
            "valorial", text, "funding", "Ce soutien", "claire",
            fields={"funder": "Etat, Conseil régional de Bretagne"},
        ),
    )  # fmt: skip
    with connect_published(db) as con:
        row = con.execute(
            "SELECT funder, funder_ids, review_status FROM funding_events "
            "WHERE review_status = 'added'"
        ).fetchone()
    assert row == ("État, Région Bretagne", ["funder:etat", "funder:region-bretagne"], "added")


def test_every_events_funder_ids_are_its_funder_rows(warehouse):
    rows = _sql(
        warehouse,
        "SELECT e.mention_id, list_sort(e.funder_ids), list_sort(list(f.funder_id)) "
        "FROM funding_events AS e JOIN funding_event_funders AS f USING (mention_id) "
        "WHERE e.funder IS NOT NULL GROUP BY e.mention_id, e.funder_ids",
    )
    assert rows and all(ids == per_row for _, ids, per_row in rows)


def test_the_digest_totals_only_what_lands_in_a_region_and_lists_envelopes_apart(warehouse):
    """The week of the Auvergne-Rhône-Alpes article: the State's 1,2 Md€ national strategy is
    cited, not counted in the régions' total nor listed among the new funding."""
    from pipeline.review.digest import build_digest
    from pipeline.review.users import add_user

    with open_live(warehouse) as con:
        week = build_digest(con, "week", date(2026, 11, 8))
    assert [(f["amount_eur"], f["scope"]) for f in week.funding] == [
        (6.5e5, "regional"),
        (9e4, "regional"),
    ]
    assert (week.regional_total_eur, week.regional_events) == (7.4e5, 2)
    assert [(f["amount_eur"], f["funder"], f["scope"]) for f in week.envelopes] == [
        (1.2e9, "État", "national")
    ]
    add_user(warehouse, "claire", "reviewer", PASSWORD)
    page = _desk(warehouse).get("/digest?period=week&date=2026-11-08").text
    digest = page[page.index('id="digest"') :]
    news = digest[digest.index("Nouveaux financements") : digest.index("Enveloppes nationales")]
    assert "1\u202f200\u202f000\u202f000" not in news and "650\u202f000\u00a0€" in news
    assert "Total en régions : 740\u202f000\u00a0€ (2 financements)" in news
    cited = digest[digest.index("Enveloppes nationales et européennes citées") :]
    cited = cited[: cited.index("Pôles et clusters")]
    assert "1\u202f200\u202f000\u202f000\u00a0€" in cited and "nationale" in cited


def test_an_older_warehouse_gains_the_written_recipient_and_keeps_its_mentions(tmp_path):
    """A working database made before `recipient_text` was kept: the column is added at the
    next open, its mentions keep their recipient (written one unknown until a reextract), and a
    day loaded since carries it through to funding_events."""
    from pipeline.warehouse.storage import SQL_DIR, work_path

    db = tmp_path / "veille.duckdb"
    article, mentions = _rows("occ")
    con = duckdb.connect(str(work_path(db)))
    try:
        con.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
        con.execute("ALTER TABLE mentions DROP COLUMN recipient_text")  # the schema before
        replace_partition(con, "articles", OCC, [article])
        replace_partition(con, "mentions", OCC, mentions)
    finally:
        con.close()
    publish(db)
    rows = _sql(
        db, "SELECT recipient, recipient_text FROM funding_events WHERE mention_id = 'occ-2'"
    )
    assert rows == [("le pôle Aerospace Valley", None)]
    article, mentions = _rows("ara")
    mentions[1]["recipient_text"] = "l'entreprise Cardiosens"
    with connect_work(db) as con:
        replace_partition(con, "articles", ARA, [article])
        replace_partition(con, "mentions", ARA, mentions)
    publish(db)
    rows = _sql(db, "SELECT mention_id, recipient_text FROM funding_events ORDER BY mention_id")
    assert dict(rows)["ara-1"] == "l'entreprise Cardiosens" and dict(rows)["occ-2"] is None


def test_a_corrected_recipient_keeps_the_one_the_article_wrote(tmp_path):
    db = _publish_with(
        build_published(tmp_path / "veille.duckdb"),
        _correction("valorial", "recipient", "Rennes", old_value="Valorial"),
    )
    rows = _sql(db, "SELECT recipient, recipient_text, review_status FROM funding_events")
    assert ("Rennes", "pôle Valorial", "corrected") in rows


def test_the_desk_shows_the_recipient_as_written_beside_the_corrected_one(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    funding = mention_id("valorial", "funding")
    client = _desk(db)
    before = _fields_shown(client, funding)
    assert (before["bénéficiaire"], before["bénéficiaire dans l'article"]) == (
        "Valorial",
        "pôle Valorial",
    )
    _correct_on_desk(client, funding, recipient="Rennes")
    after = _fields_shown(client, funding)
    assert (after["bénéficiaire"], after["bénéficiaire dans l'article"]) == (
        "Rennes",
        "pôle Valorial",
    )
    # A recipient written as it is named shows once.
    other = mention_id("aero", "funding")
    assert "dans l'article" not in client.get(f"/mention/{other}").text
