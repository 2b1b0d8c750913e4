"""Exports of validated mentions: CSV and XLSX, filters honoured, formulas made inert."""

import csv
import io

from openpyxl import load_workbook

from pipeline.review.exports import HEADERS, export_rows, to_csv, to_xlsx
from pipeline.review.queue import open_live, parse_filter
from pipeline.warehouse.review_store import Decision, record
from tests.review_data import build_published, mention_id


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
    assert [(r[index["montant_eur"]], r[index["statut"]]) for r in funding] == [(1.5e6, "acceptée")]
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
