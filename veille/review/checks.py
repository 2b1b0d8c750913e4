"""The desk's checks of what a browser sends: redirect targets, page numbers, digest dates.

Each check returns a clean value or raises ValueError with a French message the desk shows in
a 400 page, so no parameter reaches DuckDB or the date arithmetic unchecked.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit, urlunsplit

from pipeline.review.queue import parse_day

MAX_PAGE = 100_000
PERIODS = ("day", "week")
MAX_TARGET = 2000


def local_target(raw: str | None, default: str = "/") -> str:
    """A redirect target on this site, rebuilt from its parsed path, query and fragment.

    Refused (the default instead): anything with a control character, a space or a backslash,
    a scheme or a host once parsed, or a path not starting with a single "/". Browsers drop tabs
    and newlines from URLs, so "/\\t/evil.example" would otherwise lead off-site.
    """
    if not raw or len(raw) > MAX_TARGET:
        return default
    if any(ord(c) < 0x21 or ord(c) == 0x7F or c.isspace() or c == "\\" for c in raw):
        return default
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return default
    if parts.path.startswith("//"):
        return default
    return urlunsplit(("", "", parts.path, parts.query, parts.fragment))


def page_number(raw: str | None) -> int:
    """The queue's page number, 1 to MAX_PAGE."""
    if raw is None or raw == "":
        return 1
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6 or not 1 <= int(raw) <= MAX_PAGE:
        raise ValueError(f"numéro de page invalide : un nombre entier de 1 à {MAX_PAGE}")
    return int(raw)


def digest_period(raw: str | None) -> str:
    """The digest's period: day (default) or week."""
    period = raw or "day"
    if period not in PERIODS:
        raise ValueError("période invalide : « day » (jour) ou « week » (semaine)")
    return period


def digest_day(raw: str | None) -> date | None:
    """The digest's last day (None: the latest day of the snapshot)."""
    return parse_day(raw) if raw else None


def count(raw: str | None) -> str | None:
    """The number shown with a message ("n mentions acceptées"), or None if it is not one."""
    return raw if raw and raw.isascii() and raw.isdigit() and len(raw) <= 7 else None
