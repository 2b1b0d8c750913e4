"""The raw archive: every fetched body stored once, gzip-compressed, named by its SHA-256.

Pages are kept as fetched so articles and mentions can be rebuilt offline (`veille reextract`)
when the extractor improves. The fetch metadata (URL, status, headers, time) lives in the
`raw_pages` table, keyed by partition and URL hash; the archive only holds content.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path


class ArchiveError(Exception):
    """A body the archive should hold is missing or damaged."""


def archive_dir(db_path: str | Path) -> Path:
    """Where the archive of a database lives: `archive/` beside it."""
    return Path(db_path).resolve().parent / "archive"


class RawArchive:
    """Content-addressed store of page and feed bodies under one folder."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, digest: str) -> Path:
        return self.root / digest[:2] / f"{digest}.gz"

    def put(self, body: bytes) -> str:
        """Store `body` (once: identical bodies share a file) and return its SHA-256.

        A file already there is checked first, and rewritten if damaged.
        """
        digest = hashlib.sha256(body).hexdigest()
        path = self._path(digest)
        if path.exists():
            try:
                self.get(digest)
                return digest
            except ArchiveError:
                pass  # a damaged copy is replaced by the good body
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole under a temporary name, then renamed: a crash never leaves half a file.
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            tmp.write(gzip.compress(body, mtime=0))
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp.name, path)
        return digest

    def get(self, digest: str) -> bytes:
        """The body stored under `digest`; ArchiveError if it is missing or does not match."""
        path = self._path(digest)
        try:
            body = gzip.decompress(path.read_bytes())
        except FileNotFoundError as exc:
            raise ArchiveError(f"archived body {digest} is missing ({path})") from exc
        except (OSError, EOFError) as exc:
            raise ArchiveError(f"archived body {digest} is damaged: {exc}") from exc
        if hashlib.sha256(body).hexdigest() != digest:
            raise ArchiveError(f"archived body {digest} does not match its hash")
        return body

    def __contains__(self, digest: str) -> bool:
        return self._path(digest).exists()
