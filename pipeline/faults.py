"""Crash points, so tests can kill the pipeline at a chosen moment and prove a re-run recovers.

`VEILLE_CRASH_AT=extract:3` kills the process with SIGKILL the third time the `extract` point is
reached (`:1` when no count is given). Without that variable, which only the crash-safety tests
set, a crash point does nothing.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

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
