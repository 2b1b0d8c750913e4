"""The summary printed after a run: what was kept, what was found, and what to try next."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from pipeline.warehouse.queries import format_rows, get_query, run_query
from pipeline.warehouse.storage import connect_published

SECTIONS = (
    ("Articles kept per source", "articles_per_source", {}),
    ("Mentions per kind", "mentions_per_kind", {}),
    ("Top clusters", "top_clusters", {"limit": "8"}),
    ("Top officials", "top_officials", {"limit": "8"}),
    ("Largest funding amounts", "top_funding", {"limit": "8"}),
    ("Failed fetches", "fetch_failures", {"limit": "10"}),
)

# Identifiers for joins, not for reading: left out of the printed tables.
HIDDEN_COLUMNS = frozenset({"entity_id", "person_id"})
EXAMPLE_PAGE = Path("tests/fixtures/page_cp1252.html")


def _veille_command() -> str:
    """How to type `veille` from here: `.venv/bin/veille` when it is not on the PATH."""
    script = Path(sys.executable).parent / "veille"
    if shutil.which("veille") == str(script) or not script.exists():
        return "veille"
    try:
        return str(script.relative_to(Path.cwd()))
    except ValueError:
        return str(script)


def next_steps() -> str:
    """Commands to try next, each working as typed from the current folder."""
    veille = _veille_command()
    ui = (
        "make ui"
        if Path("Makefile").is_file() and "\nui:" in Path("Makefile").read_text(encoding="utf-8")
        else f"DAGSTER_HOME={os.environ.get('DAGSTER_HOME', '$DAGSTER_HOME')} "
        f"{Path(sys.executable).parent / 'dagster'} dev -w workspace.yaml"
    )
    lines = [
        (f"{veille} query", "the analyst queries, views and tables"),
        (f"{veille} query top_clusters --param limit=20", ""),
        (f"{veille} report", "an HTML report of the period"),
        (f"{veille} users add NAME --role reviewer", "then: veille review, the review desk"),
    ]
    if EXAMPLE_PAGE.is_file():
        lines.append((f"{veille} extract {EXAMPLE_PAGE} --json", "one page, no database"))
    lines.append((ui, "the Dagster UI: assets, runs, schedule"))
    width = max(len(command) for command, _ in lines) + 2
    return "Next:\n" + "\n".join(
        f"  {command.ljust(width)}# {why}" if why else f"  {command}" for command, why in lines
    )


def summary_text(db_path: str | Path) -> str:
    """A plain-text report of the published database."""
    parts: list[str] = []
    with connect_published(db_path) as con:
        for title, name, params in SECTIONS:
            columns, rows = run_query(con, get_query(name), params)
            keep = [i for i, c in enumerate(columns) if c not in HIDDEN_COLUMNS]
            columns = [columns[i] for i in keep]
            rows = [tuple(row[i] for i in keep) for row in rows]
            parts.append(
                f"{title}:\n" + ("  (none)" if not rows else _indent(format_rows(columns, rows)))
            )
    parts.append(f"Database: {Path(db_path).resolve()}")
    parts.append(next_steps())
    return "\n\n".join(parts)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
