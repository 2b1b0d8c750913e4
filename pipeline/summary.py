"""The summary printed after a run: what was kept, what was found, and what to try next."""

from __future__ import annotations

from pathlib import Path

from pipeline.queries import format_rows, get_query, run_query
from pipeline.storage import connect_published

SECTIONS = (
    ("Articles kept per source", "articles_per_source", {}),
    ("Mentions per kind", "mentions_per_kind", {}),
    ("Top clusters", "top_clusters", {"limit": "8"}),
    ("Top officials", "top_officials", {"limit": "8"}),
    ("Largest funding amounts", "top_funding", {"limit": "8"}),
    ("Failed fetches", "fetch_failures", {"limit": "10"}),
)

NEXT_STEPS = """Next:
  veille query                      # list the analyst queries
  veille query top_clusters --param limit=20
  veille extract some-article.html --json
  dagster dev -w workspace.yaml     # the Dagster UI: assets, runs, schedule"""


def summary_text(db_path: str | Path) -> str:
    """A plain-text report of the published database."""
    parts: list[str] = []
    with connect_published(db_path) as con:
        for title, name, params in SECTIONS:
            columns, rows = run_query(con, get_query(name), params)
            parts.append(
                f"{title}:\n" + ("  (none)" if not rows else _indent(format_rows(columns, rows)))
            )
    parts.append(f"Database: {Path(db_path).resolve()}")
    parts.append(NEXT_STEPS)
    return "\n\n".join(parts)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())
