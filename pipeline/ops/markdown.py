"""Small Markdown tables, for Dagster metadata previews and printed summaries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def _cell(value: Any, width: int) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= width else text[: width - 1] + "…"


def markdown_table(
    rows: Iterable[dict[str, Any]], columns: Sequence[str], limit: int = 10, width: int = 60
) -> str:
    """The first `limit` rows as a Markdown table with the given columns."""
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for i, row in enumerate(rows):
        if i >= limit:
            break
        lines.append("| " + " | ".join(_cell(row.get(c), width) for c in columns) + " |")
    return "\n".join(lines)
