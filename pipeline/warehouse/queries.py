"""The named analyst queries of `sql/queries/`, each file's header saying what it answers.

Header format: the first comment line is the description, then `-- param: NAME = DEFAULT` lines,
optionally followed by the allowed values in parentheses (`-- param: period = week (week, month)`);
the query uses `$NAME` placeholders, so values are always bound, never formatted in.

Every view of `sql/views/` and table of `sql/tables/` can be run by name too
(`SELECT * FROM view LIMIT $limit`). Values are checked before they reach DuckDB: a number, a
date or a choice that does not fit gets one line naming what would.
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from pipeline.errors import UserError
from pipeline.warehouse.storage import SQL_DIR

QUERIES_DIR = SQL_DIR / "queries"
VIEWS_DIR = SQL_DIR / "views"
TABLES_DIR = SQL_DIR / "tables"
_PARAM = re.compile(r"^--\s*param:\s*([a-z_][a-z0-9_]*)\s*=\s*(.*?)\s*(?:\(([^)]*)\))?\s*$", re.I)
_CREATE = re.compile(r"^CREATE\s+OR\s+REPLACE\s+(VIEW|TABLE)\s+([a-z_][a-z0-9_]*)", re.I)
# Parameters holding days, and the least value of whole-number parameters (0 otherwise).
DATE_PARAMS = frozenset({"from", "to", "as_of"})
MINIMUM = {"limit": 1, "days": 1}
MAXIMUM = 1_000_000
_NAME = re.compile(r"[a-z_][a-z0-9_]*")


@dataclass(frozen=True)
class NamedQuery:
    """One query file: its name, description, parameters with defaults, and SQL."""

    name: str
    description: str
    params: dict[str, str] = field(default_factory=dict)
    sql: str = ""
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    is_view: bool = False  # a view or table run by name
    kind: str = "query"  # query | view | table


def parse_query_file(path: Path) -> NamedQuery:
    """Read a query file's header and body."""
    text = path.read_text(encoding="utf-8")
    description = ""
    params: dict[str, str] = {}
    choices: dict[str, tuple[str, ...]] = {}
    described = True
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        match = _PARAM.match(line)
        if match:
            described = False  # the description is the comment above the parameters
            params[match.group(1)] = match.group(2)
            if match.group(3):
                choices[match.group(1)] = tuple(c.strip() for c in match.group(3).split(","))
        elif described:
            description = f"{description} {line.lstrip('-').strip()}".strip()
    return NamedQuery(path.stem, description, params, text, choices)


def _header(lines: list[str]) -> str:
    """A comment block as one paragraph, without its `Example:` line and `name:` prefix."""
    text = " ".join(
        line.lstrip("-").strip()
        for line in lines
        if line.startswith("--") and not line.lstrip("-").strip().startswith("Example:")
    )
    prefix, sep, rest = text.partition(": ")
    if sep and re.fullmatch(r"[a-z_][a-z0-9_]*(?: / [a-z_][a-z0-9_]*)*", prefix):
        text = rest
    text = text.strip()
    return text[:1].upper() + text[1:]


def _described_objects(text: str) -> list[tuple[str, str, str]]:
    """(name, view or table, description) of each object a file creates.

    An object's description is the comment block right above its `CREATE` when there is one
    below the file's header, else the file's header.
    """
    lines = text.splitlines()
    header_end = next((i for i, line in enumerate(lines) if not line.startswith("--")), len(lines))
    header = _header(lines[:header_end])
    found = []
    for i, line in enumerate(lines):
        match = _CREATE.match(line)
        if not match:
            continue
        start = i
        while start > header_end and lines[start - 1].startswith("--"):
            start -= 1
        own = _header(lines[start:i]) if start < i else ""
        found.append((match.group(2), match.group(1).lower(), own or header))
    return found


def view_queries(folder: Path = VIEWS_DIR) -> list[NamedQuery]:
    """One query per view, and per table built at publish (`SELECT * ... LIMIT $limit`).

    Each is described by its own comment (see `_described_objects`).
    """
    found = []
    folders = [folder] + ([TABLES_DIR] if folder == VIEWS_DIR else [])
    for path in sorted(p for f in folders for p in f.glob("*.sql")):
        for name, kind, description in _described_objects(path.read_text(encoding="utf-8")):
            sql = f'SELECT * FROM "{name}" LIMIT CAST($limit AS INTEGER)'
            found.append(
                NamedQuery(name, description, {"limit": "100"}, sql, is_view=True, kind=kind)
            )
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
    for key, value in values.items():
        problem = value_problem(query, key, value)
        if problem:
            raise UserError(f"query {query.name!r}: {key} {problem}, not {value!r}")
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


def value_problem(query: NamedQuery, key: str, value: str) -> str | None:
    """What is wrong with `value` for the parameter `key` of `query`, or None when it fits.

    Choices come from the query's header; a parameter whose default is a whole number takes a
    whole number in its range; `from`, `to` and `as_of` take a day, YYYY-MM-DD (or nothing).
    """
    if key in query.choices:
        allowed = query.choices[key]
        return None if value in allowed else f"must be one of {', '.join(allowed)}"
    if query.params.get(key, "").isdigit():
        least = MINIMUM.get(key, 0)
        if not value.lstrip("-").isdigit() or not least <= int(value) <= MAXIMUM:
            return f"must be a whole number from {least} to {MAXIMUM}"
        return None
    if key in DATE_PARAMS and value and not _is_day(value):
        return "must be a day, YYYY-MM-DD (e.g. 2026-11-30), or empty for no bound"
    return None


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def listing(queries: list[NamedQuery], fmt: str = "table", width: int = 100) -> str:
    """What `veille query` without a name prints: the named queries, then the views, then the
    tables, each with its full description and parameters (JSON lines or CSV on demand)."""
    records = [
        {
            "name": q.name,
            "kind": q.kind,
            "description": q.description,
            "params": {
                k: {"default": v, **({"choices": list(q.choices[k])} if k in q.choices else {})}
                for k, v in q.params.items()
            },
        }
        for q in queries
    ]
    if fmt == "json":
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    if fmt == "csv":
        rows = [(q.name, q.kind, q.description, _param_text(q)) for q in queries]
        return format_rows(["name", "kind", "description", "params"], rows, "csv")
    headings = {
        "query": "Named queries (veille query NAME --param KEY=VALUE):",
        "view": "Views (veille query VIEW --param limit=N, or SELECT * FROM VIEW):",
        "table": "Tables, rebuilt at every publish (veille query TABLE --param limit=N):",
    }
    parts = []
    for kind, heading in headings.items():
        lines = [heading]
        for query in (q for q in queries if q.kind == kind):
            lines.append(f"  {query.name}")
            indent = {"initial_indent": " " * 6, "subsequent_indent": " " * 6}
            lines += textwrap.wrap(query.description, width, **indent)
            if kind == "query" and query.params:
                lines += textwrap.wrap(f"Parameters: {_param_text(query)}", width, **indent)
        if len(lines) > 1:
            parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _param_text(query: NamedQuery) -> str:
    """`limit=10 period=month (week|month|quarter|year) as_of` for a query's parameters."""
    out = []
    for key, default in query.params.items():
        text = f"{key}={default}" if default else key
        if key in query.choices:
            text += f" ({'|'.join(query.choices[key])})"
        elif key in DATE_PARAMS:
            text += " (YYYY-MM-DD)"
        out.append(text)
    return ", ".join(out)


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
    cells = [[_cell(c, v) for c, v in zip(columns, row, strict=True)] for row in rows]
    cells = [[c if len(c) <= 70 else c[:69] + "…" for c in row] for row in cells]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    numeric = [
        bool(rows) and all(isinstance(r[i], int | float | Decimal) or r[i] is None for r in rows)
        for i in range(len(columns))
    ]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if right else v.ljust(w)
            for v, w, right in zip(values, widths, numeric, strict=True)
        ).rstrip()

    lines = [line(list(columns)), "  ".join("-" * w for w in widths)]
    lines += [line(row) for row in cells]
    return "\n".join(lines)


def quarter_label(day: date) -> str:
    """A quarter from its first day: 2026-Q4."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _cell(column: str, value: Any) -> str:
    """One value of a text table, on one line: amounts in euros grouped by thousands, quarters
    as 2026-Q4, other decimals to three places."""
    if value is None:
        return ""
    if column == "quarter" and isinstance(value, date):
        return quarter_label(value)
    if isinstance(value, float | Decimal):
        if column.endswith("_eur"):
            return f"{value:,.0f}".replace(",", " ")
        return f"{value:.3f}".rstrip("0").rstrip(".")
    return " ".join(str(_plain(value)).split())
