"""CSV and XLSX exports of the mentions reviewers validated, for any filter of the desk.

Validated means accepted, corrected or added by a reviewer; corrections are applied. Cells come
from scraped text, so any text a spreadsheet would read as a formula (=, +, -, @) is written as
plain text: quoted with an apostrophe in CSV, typed as a string in XLSX.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
from openpyxl import Workbook
from openpyxl.styles import Font

from pipeline.review.queue import STATUS_FILTERS, VALIDATED, QueueFilter, queue
from pipeline.warehouse.french import FIELD_LABELS, KIND_LABELS, SCOPE_LABELS, STATUS_LABELS

PARIS = ZoneInfo("Europe/Paris")
EXPORT_LIMIT = 100_000
# (header, queue column), in the order of the file; a mention's fields are headed as the desk
# labels them (FIELD_LABELS), so a reviewer finds in the file what the page showed.
COLUMNS = (
    ("date", "day"),
    ("source", "source_name"),
    ("titre", "title"),
    ("lien", "url"),
    ("type", "kind"),
    ("mention", "text"),
    *(
        (FIELD_LABELS[field], field)
        for field in (
            "name",
            "role",
            "org",
            "amount_eur",
            "funder",
            "funder_text",
            "recipient",
            "recipient_text",
            "instrument",
            "scope",  # where a funding lands: locale, régionale, nationale, européenne
            "speaker",
        )
    ),
    ("citation", "quote"),
    (FIELD_LABELS["entity_id"], "entity_id"),
    ("région", "article_region"),
    ("statut", "review_status"),
    ("phrase", "evidence"),
    ("mention_id", "mention_id"),
)
HEADERS = tuple(header for header, _ in COLUMNS)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_filter(flt: QueueFilter) -> QueueFilter:
    """The filter restricted to validated mentions (keeping a narrower validated status)."""
    statuses = STATUS_FILTERS[flt.status]
    if statuses and set(statuses) <= set(VALIDATED):
        return flt
    return replace(flt, status="validated")


def export_rows(con: duckdb.DuckDBPyConnection, flt: QueueFilter) -> list[tuple[Any, ...]]:
    """The validated mentions of a filter, one tuple per mention in the order of HEADERS.

    Values are written for French readers: the kind ("financement"), status ("acceptée") and a
    funding's scope ("régionale") in French, and each source by its name rather than its id. A
    funding's funder and recipient come twice: as extracted or corrected, and as the article
    wrote them (which a correction leaves as they were).
    """
    _, rows = queue(con, export_filter(flt), EXPORT_LIMIT, 0)
    french = {"kind": KIND_LABELS, "review_status": STATUS_LABELS, "scope": SCOPE_LABELS}
    return [
        tuple(
            _plain(
                french[column].get(row[column], row[column]) if column in french else row[column]
            )
            for _, column in COLUMNS
        )
        for row in rows
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(PARIS).replace(tzinfo=None)
    return value


def _inert(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, made plain text."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: list[tuple[Any, ...]]) -> bytes:
    """CSV for a French spreadsheet: UTF-8 with BOM, semicolons, a header line."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(["" if v is None else _inert(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: list[tuple[Any, ...]]) -> bytes:
    """An XLSX workbook of one sheet, every text cell typed as text (never a formula)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "mentions validées"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([None if isinstance(v, str) else v for v in row])
        for cell, value in zip(sheet[sheet.max_row], row, strict=True):
            if isinstance(value, str):
                cell.value = value
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJKLMNOPQRST", (11, 12, 40, 30, 9, 25), strict=False):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
