"""The named analyst queries of `sql/queries/`, each file's header saying what it answers.

Header format: the first comment line is the description, then `-- param: NAME = DEFAULT` lines,
optionally followed by the allowed values in parentheses (`-- param: period = week (week, month)`);
the query uses `$NAME` placeholders, so values are always bound, never formatted in.

Every view of `sql/views/` can be run by name too (`SELECT * FROM view LIMIT $limit`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from pipeline.errors import UserError
from pipeline.storage import SQL_DIR

QUERIES_DIR = SQL_DIR / "queries"
VIEWS_DIR = SQL_DIR / "views"
TABLES_DIR = SQL_DIR / "tables"
_PARAM = re.compile(r"^--\s*param:\s*([a-z_][a-z0-9_]*)\s*=\s*(.*?)\s*(?:\(([^)]*)\))?\s*$", re.I)
_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_VIEW = re.compile(r"CREATE\s+OR\s+REPLACE\s+(?:VIEW|TABLE)\s+([a-z_][a-z0-9_]*)", re.I)


@dataclass(frozen=True)
class NamedQuery:
    """One query file: its name, description, parameters with defaults, and SQL."""

    name: str
    description: str
    params: dict[str, str] = field(default_factory=dict)
    sql: str = ""
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    is_view: bool = False


def parse_query_file(path: Path) -> NamedQuery:
    """Read a query file's header and body."""
    text = path.read_text(encoding="utf-8")
    description = ""
    params: dict[str, str] = {}
    choices: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        match = _PARAM.match(line)
        if match:
            params[match.group(1)] = match.group(2)
            if match.group(3):
                choices[match.group(1)] = tuple(c.strip() for c in match.group(3).split(","))
        elif not description:
            description = line.lstrip("-").strip()
    return NamedQuery(path.stem, description, params, text, choices)


def view_queries(folder: Path = VIEWS_DIR) -> list[NamedQuery]:
    """One query per view, and per table built at publish (`SELECT * ... LIMIT $limit`).

    Each is described by its file's header.
    """
    found = []
    folders = [folder] + ([TABLES_DIR] if folder == VIEWS_DIR else [])
    for path in sorted(p for f in folders for p in f.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        header = text.splitlines()[0].lstrip("-").strip()
        description = header.split(":", 1)[1].strip() if ":" in header else header
        for name in _VIEW.findall(text):
            sql = f'SELECT * FROM "{name}" LIMIT CAST($limit AS INTEGER)'
            found.append(NamedQuery(name, description, {"limit": "100"}, sql, is_view=True))
    return found


def list_queries(folder: Path = QUERIES_DIR, views: Path | None = VIEWS_DIR) -> list[NamedQuery]:
    """All named queries sorted by name, then the views (when `views` is a folder)."""
    named = [parse_query_file(p) for p in sorted(folder.glob("*.sql"))]
    return named + (sorted(view_queries(views), key=lambda q: q.name) if views else [])


def get_query(name: str, folder: Path = QUERIES_DIR, views: Path | None = VIEWS_DIR) -> NamedQuery:
    """The query or view called `name`; a UserError lists the known names when there is none.

    Only a listed name is accepted, never a path: `../review/x` or `/tmp/y` name no query.
    """
    path = folder / f"{name}.sql"
    if _NAME.fullmatch(name) and path.is_file():
        return parse_query_file(path)
    for query in view_queries(views) if views else []:
        if query.name == name:
            return query
    known = ", ".join(q.name for q in list_queries(folder, views))
    raise UserError(f"no query named {name!r} (known: {known})")


def run_query(
    con: duckdb.DuckDBPyConnection, query: NamedQuery, values: dict[str, str] | None = None
) -> tuple[list[str], list[tuple]]:
    """Run `query` with its defaults overridden by `values`; returns (column names, rows)."""
    values = values or {}
    unknown = set(values) - set(query.params)
    if unknown:
        raise UserError(
            f"query {query.name!r} has no parameter {', '.join(sorted(unknown))} "
            f"(parameters: {', '.join(query.params) or 'none'})"
        )
    for key, allowed in query.choices.items():
        if key in values and values[key] not in allowed:
            raise UserError(
                f"query {query.name!r}: {key} must be one of {', '.join(allowed)}, "
                f"not {values[key]!r}"
            )
    for key, value in values.items():
        if query.params[key].lstrip("-").isdigit() and not value.lstrip("-").isdigit():
            raise UserError(f"query {query.name!r}: {key} must be a whole number, not {value!r}")
    bound = {k: values.get(k, default) for k, default in query.params.items()}
    try:
        cursor = con.execute(query.sql, bound or None)
    except duckdb.ConversionException as exc:
        given = ", ".join(f"{k}={v!r}" for k, v in values.items())
        message = str(exc).splitlines()[0]
        raise UserError(
            f"query {query.name!r}: a parameter has the wrong type ({given}): {message}"
        ) from exc
    return [d[0] for d in cursor.description], cursor.fetchall()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def format_rows(columns: list[str], rows: list[tuple], fmt: str = "table") -> str:
    """Rows as an aligned text table, CSV or JSON lines."""
    if fmt == "json":
        return "\n".join(
            json.dumps(
                {c: _plain(v) for c, v in zip(columns, row, strict=True)}, ensure_ascii=False
            )
            for row in rows
        )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_plain(v) for v in row] for row in rows])
        return out.getvalue().rstrip("\n")
    cells = [[("" if v is None else str(_plain(v))) for v in row] for row in rows]
    cells = [[c if len(c) <= 70 else c[:69] + "…" for c in row] for row in cells]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    return "\n".join(lines)
