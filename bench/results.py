"""The result rows every benchmark ends with, in the one shape `run_all.py` reads.

A script prints one `BENCH-RESULT [...]` line: a JSON list of rows, each a figure beside the
bound it is compared with. The ratio is above 1 when the goal is met: figure / bound for a
minimum, bound / figure for a maximum.
"""

from __future__ import annotations

import json
from typing import Literal

RESULT_PREFIX = "BENCH-RESULT "


def result_row(
    capability: str,
    measure: str,
    figure: float,
    unit: str,
    bound: float,
    kind: Literal["min", "max"],
    *,
    digits: int = 3,
    strict: bool = False,
    note: str | None = None,
) -> dict:
    """One row; `strict` when the goal is to beat the bound, not only reach it."""
    if kind == "min":
        ratio = figure / bound if bound else 0.0
        ok = figure > bound if strict else figure >= bound
    else:
        ratio = bound / figure if figure else 0.0
        ok = figure < bound if strict else figure <= bound
    row = {
        "capability": capability,
        "measure": measure,
        "figure": round(figure, digits),
        "unit": unit,
        "bound": bound,
        "bound_kind": kind,
        "ratio": round(ratio, 3),
        "ok": ok,
    }
    if note is not None:
        row["note"] = note
    return row


def print_results(rows: list[dict]) -> None:
    """The machine-readable last line that `run_all.py` collects."""
    print(RESULT_PREFIX + json.dumps(rows, ensure_ascii=False), flush=True)
