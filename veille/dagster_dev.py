"""`make ui`: Dagster's `dagster dev` (webserver and daemon), stoppable by SIGTERM however started.

`dagster dev` makes SIGTERM do whatever SIGINT does. A process started in the background of a
script (`make ui &`, a service wrapper's shell) inherits SIGINT *ignored*, so SIGTERM is then
ignored too, and a service manager's stop waits until it kills. This restores SIGINT's default
before handing over to `dagster dev`, so SIGTERM stops it and its children in a few seconds.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    """Replace this process with `dagster dev ARGS`, SIGINT and SIGTERM at their defaults."""
    args = sys.argv[1:] if argv is None else argv
    dagster = Path(sys.executable).parent / "dagster"
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.execv(dagster, [str(dagster), "dev", *args])


if __name__ == "__main__":
    main()
