"""Crash points and data faults, so tests can break the pipeline on purpose and watch it cope.

`VEILLE_CRASH_AT=extract:3` kills the process with SIGKILL the third time the `extract` point is
reached (`:1` when no count is given). `VEILLE_FAULT=bad-offsets:2026-11-03` shifts one mention
of that day by a character, so its offsets no longer match its text and the blocking check must
stop the day. `VEILLE_FAULT=extract-error:2026-11-03` makes the funding component raise on the
first article of that day (by article id), as a parsing bug would. Without these variables,
which only the tests set, they do nothing.
"""

from __future__ import annotations

import os
import signal
from collections import Counter
from datetime import date
from typing import Any

_reached: Counter[str] = Counter()


def crash_point(name: str) -> None:
    """Die here, as abruptly as a power cut, if `VEILLE_CRASH_AT` names this point."""
    spec = os.environ.get("VEILLE_CRASH_AT")
    if not spec:
        return
    point, _, nth = spec.partition(":")
    if point != name:
        return
    _reached[name] += 1
    if _reached[name] == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)


def fault_on(name: str, day: date) -> bool:
    """Whether `VEILLE_FAULT` asks for the fault `name` on `day` (`name:YYYY-MM-DD`)."""
    fault, _, on = os.environ.get("VEILLE_FAULT", "").partition(":")
    return fault == name and on == day.isoformat()


def bad_offsets(mentions: list[dict[str, Any]], day: date) -> list[dict[str, Any]]:
    """The mentions, one of them a character off its text if `VEILLE_FAULT=bad-offsets:day`."""
    if not fault_on("bad-offsets", day):
        return mentions
    for mention in mentions:
        if mention["end"] - mention["start"] > 1:
            mention["start"] += 1
            break
    return mentions


# Put before the text of the article `extract_error` picks; invisible, and never in real text.
EXTRACT_FAULT_MARK = "\u2063\u2063veille-fault\u2063\u2063 "


def extract_error(texts: list[tuple[str, str]], day: date | None) -> list[tuple[str, str]]:
    """The (text, article id) pairs, the first article's text marked so that a component raises
    on it (`component_fault`) if `VEILLE_FAULT=extract-error:day`."""
    if day is None or not texts or not fault_on("extract-error", day):
        return texts
    first = min(range(len(texts)), key=lambda i: texts[i][1])
    marked = list(texts)
    marked[first] = (EXTRACT_FAULT_MARK + texts[first][0], texts[first][1])
    return marked


def component_fault(component: str, text: str) -> None:
    """Raise inside `component` on a text marked by `extract_error` (only under the fault)."""
    if text.startswith(EXTRACT_FAULT_MARK) and os.environ.get("VEILLE_FAULT", "").startswith(
        "extract-error:"
    ):
        raise ValueError(f"injected fault in {component}")
