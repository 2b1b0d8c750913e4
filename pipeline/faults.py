"""Crash points and data faults, so tests can break the pipeline on purpose and watch it cope.

`VEILLE_CRASH_AT=extract:3` kills the process with SIGKILL the third time the `extract` point is
reached (`:1` when no count is given). `VEILLE_FAULT=bad-offsets:2026-11-03` shifts one mention
of that day by a character, so its offsets no longer match its text and the blocking check must
stop the day. Without these variables, which only the tests set, both do nothing.
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
