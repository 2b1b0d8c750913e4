"""Exports of validated mentions: CSV and XLSX, filters honoured, formulas made inert, a
funding's links (funder, recipient, each also as the article wrote it) in columns headed as the
desk labels them."""

import csv
import io
import re
import warnings

from openpyxl import load_workbook

from pipeline.review.exports import HEADERS, export_rows, to_csv, to_xlsx
from pipeline.review.queue import open_live, parse_filter
from pipeline.warehouse.review_store import Decision, record
from tests.review_data import PASSWORD, build_published, mention_id
from veille.review.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's test client suggests httpx2
    from starlette.testclient import TestClient


def _decide(db):
    record(
        db,
        Decision(mention_id("valorial", "funding"), "accepted", "claire"),
        Decision(
            mention_id("valorial", "funding"),
            "corrected",
            "claire",
            field="amount_eur",
            old_value="1200000",
            new_value="1500000",
        ),
        Decision(mention_id("aero", "funding"), "rejected", "claire", reason="doublon"),
        Decision(mention_id("aero", "cluster"), "accepted", "claire"),
        Decision(
            mention_id("valorial", "official"),
            "corrected",
            "claire",
            field="role",
            new_value='=HYPERLINK("http://x")',
        ),
    )


def test_only_validated_mentions_of_the_filter_are_exported(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    _decide(db)
    with open_live(db) as con:
        everything = export_rows(con, parse_filter({}))
        funding = export_rows(con, parse_filter({"kind": "funding", "status": "all"}))
        bretagne = export_rows(con, parse_filter({"region": "Bretagne"}))
    index = {h: i for i, h in enumerate(HEADERS)}
    # Values in French, sources by name.
    kinds = sorted(r[index["type"]] for r in everything)
    assert kinds == ["financement", "pôle / cluster", "responsable"]
    assert [(r[index["montant (€)"]], r[index["statut"]]) for r in funding] == [(1.5e6, "acceptée")]
    assert {r[index["source"]] for r in everything} <= {"Ouest Éco", "Sud Éco"}
    assert {r[index["région"]] for r in bretagne} == {"Bretagne"}


def test_csv_and_xlsx_open_cleanly_and_never_run_formulas(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    _decide(db)
    with open_live(db) as con:
        rows = export_rows(con, parse_filter({"status": "validated"}))
    data = to_csv(rows)
    assert data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == list(HEADERS) and len(table) == 4
    roles = [line[HEADERS.index("rôle")] for line in table[1:]]
    assert '\'=HYPERLINK("http://x")' in roles
    sheet = load_workbook(io.BytesIO(to_xlsx(rows))).active
    assert [c.value for c in sheet[1]] == list(HEADERS)
    values = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value]
    formula = [c for c in values if str(c.value).startswith("=")]
    assert formula and all(c.data_type == "s" for c in formula)
    assert any(c.value == 1.5e6 for c in values)


FUNDING_HEADERS = (
    "montant (€)",
    "financeur",
    "financeur dans l'article",
    "bénéficiaire",
    "bénéficiaire dans l'article",
    "dispositif",
    "portée",
)


def test_a_fundings_links_are_exported_as_written_and_as_corrected_under_the_desks_labels(
    tmp_path,
):
    """The CSV and XLSX files the desk serves carry the amount, both forms of the funder and of
    the recipient, the instrument and the scope; a recipient typed as a formula stays text."""
    db = build_published(tmp_path / "veille.duckdb")
    funding = mention_id("valorial", "funding")
    formula = '=HYPERLINK("http://exemple.invalid","Valorial")'
    record(
        db,
        Decision(funding, "corrected", "claire", field="recipient", old_value="Valorial",
                 new_value=formula),
    )  # fmt: skip
    client = TestClient(create_app(db))
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"name": "victor", "password": PASSWORD, "csrf": token})
    page = client.get(f"/mention/{funding}").text
    shown = re.findall(r"<dt>([^<]+)</dt>", page.replace("&#39;", "'"))
    # Every field the desk shows for the funding is a column of the same name.
    assert {"montant (€)", "bénéficiaire dans l'article", "portée"} <= set(shown) <= set(HEADERS)
    assert set(FUNDING_HEADERS) <= set(HEADERS)
    expected = (1.2e6, "Région Bretagne", "la Région Bretagne", formula, "pôle Valorial",
                "subvention", "régionale")  # fmt: skip

    response = client.get("/export.csv?kind=funding")
    assert response.status_code == 200
    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [tuple(r[h] for h in FUNDING_HEADERS) for r in table] == [
        ("1200000.0", *expected[1:3], "'" + formula, *expected[4:])
    ]

    response = client.get("/export.xlsx?kind=funding")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = sheet.iter_rows()
    column = {cell.value: i for i, cell in enumerate(header)}
    assert len(rows) == 1
    assert tuple(rows[0][column[h]].value for h in FUNDING_HEADERS) == expected
    recipient = rows[0][column["bénéficiaire"]]
    assert recipient.data_type == "s"  # text, never a formula
