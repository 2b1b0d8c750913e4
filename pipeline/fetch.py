"""One polite HTTP client for a whole run: timeouts, size cap, retries, per-host delay, SSRF guard.

Errors never raise out of `Fetcher.get`: they come back as a `FetchResult` with `error` set, so
one bad URL is logged and the run goes on.
"""

from __future__ import annotations

import gzip
import ipaddress
import socket
import threading
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit


@dataclass(frozen=True)
class HttpSettings:
    """How the fetcher behaves; one instance per run."""

    user_agent: str = "veille/0.1 (+https://github.com/veille-project/veille)"
    timeout_s: float = 15.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    retries: int = 2
    backoff_s: float = 0.5
    min_delay_s: float = 1.0


@dataclass
class FetchResult:
    """What a GET gave: the final URL, status, content type, charset and body, or an error."""

    url: str
    final_url: str
    status: int | None = None
    content_type: str | None = None
    charset: str | None = None
    body: bytes = b""
    error: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names, the ones kept

    @property
    def ok(self) -> bool:
        return self.error is None and self.status == 200


class FetchRefused(Exception):
    """The URL may not be fetched (scheme, address range, size)."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


def _is_private_host(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror as exc:
        raise FetchRefused(f"cannot resolve host {host!r}: {exc.strerror}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if address.is_private or address.is_loopback or address.is_link_local:
            return True
        if address.is_reserved or address.is_multicast or address.is_unspecified:
            return True
    return False


def _check_url(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchRefused(f"only http and https are fetched, not {parts.scheme or 'no scheme'}")
    if not parts.hostname:
        raise FetchRefused("URL has no host")
    if not allow_private and _is_private_host(parts.hostname):
        raise FetchRefused(f"{parts.hostname} is a private, loopback or link-local address")


def _read_capped(response, max_bytes: int) -> bytes:  # noqa: ANN001
    body = response.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise FetchRefused(f"body larger than {max_bytes} bytes")
    encoding = (response.headers.get("Content-Encoding") or "").lower()
    if encoding in ("gzip", "x-gzip", "deflate"):
        wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
        decompressor = zlib.decompressobj(wbits)
        body = decompressor.decompress(body, max_bytes + 1)
        if len(body) > max_bytes or decompressor.unconsumed_tail:
            raise FetchRefused(f"decompressed body larger than {max_bytes} bytes")
    return body


class Fetcher:
    """GET pages politely: one minimum delay per host, bounded retries with backoff."""

    def __init__(self, settings: HttpSettings | None = None) -> None:
        self.settings = settings or HttpSettings()
        self._opener = urllib.request.build_opener(_NoRedirect)
        self._last_hit: dict[str, float] = {}
        self._lock = threading.Lock()

    def _wait_for_host(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            ready_at = self._last_hit.get(host, 0.0) + self.settings.min_delay_s
            self._last_hit[host] = max(now, ready_at)
        if ready_at > now:
            time.sleep(ready_at - now)

    def _once(self, url: str) -> tuple[int, Message, bytes]:
        request = urllib.request.Request(
            url,
            headers={
                "User-Agent": self.settings.user_agent,
                "Accept-Encoding": "gzip",
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Language": "fr-FR,fr;q=0.9",
            },
        )
        try:
            with self._opener.open(request, timeout=self.settings.timeout_s) as response:
                return (
                    response.status,
                    response.headers,
                    _read_capped(response, self.settings.max_bytes),
                )
        except urllib.error.HTTPError as exc:
            body = b""
            if exc.code not in (301, 302, 303, 307, 308):
                try:
                    body = exc.read(min(self.settings.max_bytes, 65536))
                except OSError:
                    body = b""
            return exc.code, exc.headers, body

    def get(self, url: str, allow_private: bool = False) -> FetchResult:
        """Fetch `url`, following redirects (each hop re-checked); network errors are returned."""
        result = FetchResult(url=url, final_url=url)
        current = url
        try:
            for _ in range(self.settings.max_redirects + 1):
                _check_url(current, allow_private)
                status, headers, body = self._get_with_retries(current)
                if status in (301, 302, 303, 307, 308) and headers.get("Location"):
                    current = urljoin(current, headers["Location"])
                    continue
                result.final_url = current
                result.status = status
                result.content_type = headers.get_content_type() if headers else None
                result.charset = headers.get_content_charset() if headers else None
                result.headers = {
                    k.lower(): v
                    for k, v in (headers.items() if headers else [])
                    if k.lower() in ("content-type", "etag", "last-modified", "date")
                }
                result.body = body
                if status != 200:
                    result.error = f"HTTP {status}"
                return result
            result.error = f"more than {self.settings.max_redirects} redirects"
        except FetchRefused as exc:
            result.error = f"refused: {exc}"
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            result.error = f"network error: {reason}"
        return result

    def _get_with_retries(self, url: str) -> tuple[int, Message, bytes]:
        host = urlsplit(url).netloc
        attempt = 0
        while True:
            self._wait_for_host(host)
            try:
                status, headers, body = self._once(url)
            except (urllib.error.URLError, TimeoutError, ConnectionError):
                if attempt >= self.settings.retries:
                    raise
            else:
                if status not in (429, 500, 502, 503, 504) or attempt >= self.settings.retries:
                    return status, headers, body
            attempt += 1
            time.sleep(self.settings.backoff_s * 2 ** (attempt - 1))


def gzip_bytes(body: bytes) -> bytes:
    """Compress a page body for storage (deterministic: no timestamp in the header)."""
    return gzip.compress(body, mtime=0)


def gunzip_bytes(blob: bytes) -> bytes:
    """Inverse of gzip_bytes."""
    return gzip.decompress(blob)
