"""Politeness shared between processes: one lock file per host, holding when it was last asked.

Each fetcher spaces its own requests to a host (`pipeline.collect.fetch`); several processes
fetching at once (`veille run --workers N`, runs launched side by side) would each keep their own
distance and together go faster than the host's delay. With a shared folder, a request to a host
first takes that host's file lock, so only one request per host is in flight on the machine, and
waits until the host's delay has passed since the last request any process sent it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path


def host_locks_dir(db_path: str | Path) -> Path:
    """Where the host locks of a database's runs live: `host_locks/` beside it."""
    return Path(db_path).resolve().parent / "host_locks"


class SharedHostLocks:
    """The per-host lock files of one folder, shared by every process that uses the folder."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, host: str) -> Path:
        return self.folder / f"{hashlib.sha256(host.encode('utf-8')).hexdigest()[:24]}.lock"

    @contextlib.contextmanager
    def hold(self, host: str, delay_s: float) -> Iterator[Callable[[], None]]:
        """Hold `host` for one request, once `delay_s` has passed since its last start.

        Yields a function to call when the request really starts (it is the start that counts).
        The lock goes with the file descriptor, so a killed process never leaves it held.
        """
        fd = os.open(self._path(host), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            wait_s = _last_start(fd) + delay_s - time.time()
            if wait_s > 0:
                time.sleep(min(wait_s, delay_s))  # a clock set back must not stall the host

            def started() -> None:
                os.pwrite(fd, f"{time.time():.6f}\n".encode().ljust(24), 0)

            started()
            yield started
        finally:
            os.close(fd)


def _last_start(fd: int) -> float:
    try:
        return float(os.pread(fd, 64, 0).decode("ascii").strip() or 0)
    except (ValueError, UnicodeDecodeError):
        return 0.0  # an empty or damaged file: no request on record
