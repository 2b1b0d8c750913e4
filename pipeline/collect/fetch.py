"""One polite HTTP client for a whole run: timeouts, deadline, size cap, retries, robots.txt,
per-host delay, parallel hosts, SSRF guard.

Errors never raise out of `Fetcher.get`, `Fetcher.fetch` or `Fetcher.get_many`: they come back as
a `FetchResult` with `error` set, so one bad URL is logged and the run goes on.
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import ipaddress
import random
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from functools import partial
from typing import Any
from urllib.parse import quote, urldefrag, urljoin, urlsplit, urlunsplit

from pipeline.collect.host_locks import SharedHostLocks
from pipeline.collect.robots import RobotsCache, RobotsRules, origin_of

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
KEPT_HEADERS = ("content-type", "etag", "last-modified", "date", "retry-after")
ERROR_BODY_BYTES = 65_536
_CHUNK = 65_536


@dataclass(frozen=True)
class HttpSettings:
    """How the fetcher behaves; one instance per run. Times are in seconds."""

    user_agent: str = "veille/0.1 (+https://github.com/veille-project/veille)"
    connect_timeout_s: float = 10.0
    timeout_s: float = 15.0  # read timeout: the longest silence allowed between two reads
    deadline_s: float = 60.0  # wall-clock cap on one exchange: connect, headers and body
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    retries: int = 2
    backoff_s: float = 0.5
    max_backoff_s: float = 30.0
    max_retry_after_s: float = 60.0  # a longer Retry-After is not waited for: no retry
    min_delay_s: float = 1.0  # between the starts of two requests to one host
    max_crawl_delay_s: float = 30.0  # robots.txt Crawl-delay honoured up to this
    max_workers: int = 8  # requests in flight at once, all hosts together
    obey_robots: bool = True
    # With a folder, per-host politeness also holds across the processes sharing it.
    host_locks_dir: str | None = None


@dataclass(frozen=True)
class FetchRequest:
    """One URL to GET, whether private addresses may be reached, and conditional-GET validators."""

    url: str
    allow_private: bool = False
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class FetchResult:
    """What a GET gave: the final URL, status, content type, charset and body, or an error.

    `attempts` counts the HTTP requests sent for it (retries and redirect hops included,
    robots.txt not); `elapsed_s` runs from the call to the result, politeness waits included.
    """

    url: str
    final_url: str
    status: int | None = None
    content_type: str | None = None
    charset: str | None = None
    body: bytes = b""
    error: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names: KEPT_HEADERS
    not_modified: bool = False
    attempts: int = 0
    elapsed_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and self.status == 200


class FetchRefused(Exception):
    """The URL may not be fetched (scheme, address range, size, robots.txt)."""


class _DeadlineExceeded(Exception):
    """The exchange did not finish within the total deadline (not retried: the server is slow)."""


class _RobotsUnreachable(Exception):
    """robots.txt could not be fetched at all; the page is not fetched either (RFC 9309)."""


class _Truncated(Exception):
    """The connection closed before the declared Content-Length was read (retried)."""


class _CorruptBody(Exception):
    """The body could not be decoded with its Content-Encoding (not retried)."""


_RETRYABLE = (urllib.error.URLError, OSError, http.client.HTTPException, _Truncated)


@dataclass
class _Answer:
    status: int
    headers: Message
    body: bytes
    note: str | None = None  # why a retryable status was not retried


def _is_private_address(text: str) -> bool:
    address = ipaddress.ip_address(text.split("%")[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def _is_private_host(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror as exc:
        raise FetchRefused(f"cannot resolve host {host!r}: {exc.strerror}") from exc
    return any(_is_private_address(info[4][0]) for info in infos)


def _check_url(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchRefused(f"only http and https are fetched, not {parts.scheme or 'no scheme'}")
    if not parts.hostname:
        raise FetchRefused("URL has no host")
    if not allow_private and _is_private_host(parts.hostname):
        raise FetchRefused(f"{parts.hostname} is a private, loopback or link-local address")


def _as_uri(url: str) -> str:
    """`url` with its fragment dropped, host IDNA-encoded and non-ASCII path/query %-escaped."""
    parts = urlsplit(urldefrag(url)[0])
    netloc = parts.netloc
    if not netloc.isascii():
        try:
            host = (parts.hostname or "").encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise FetchRefused(f"invalid host name {parts.hostname!r}") from exc
        netloc = host + (f":{parts.port}" if parts.port else "")
    safe = "/%:@!$&'()*+,;=-._~?"
    return urlunsplit(
        (parts.scheme, netloc, quote(parts.path, safe=safe), quote(parts.query, safe=safe), "")
    )


def _is_certificate_error(exc: BaseException) -> bool:
    return isinstance(getattr(exc, "reason", exc), ssl.SSLCertVerificationError)


def _host_key(url: str) -> str:
    """Politeness is per host name, whatever the scheme or port."""
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or HTTP-date), None if unusable."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)  # RFC 9110 says an integer; a decimal is read too
    except ValueError:
        pass
    else:
        return seconds if seconds >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class _Exchange:
    """One request/response on one socket; the deadline timer shuts the socket down when due."""

    def __init__(self, host: str, allow_private: bool, read_timeout_s: float) -> None:
        self.host = host
        self.allow_private = allow_private
        self.read_timeout_s = read_timeout_s
        self.expired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()

    def connected(self, connection: http.client.HTTPConnection) -> None:
        """Check where we are connected, then arm the read timeout and the deadline."""
        sock = connection.sock
        with self._lock:
            if self.expired:
                raise TimeoutError("deadline passed while connecting")
            self._sock = sock
        # Re-checked on the connected socket: a host name may resolve differently the second
        # time (DNS rebinding). Through a proxy the peer is the proxy, so the check is skipped.
        direct = connection._tunnel_host is None and connection.host == self.host  # type: ignore[attr-defined]
        if not self.allow_private and direct and _is_private_address(sock.getpeername()[0]):
            raise FetchRefused(
                f"{self.host} connected to a private, loopback or link-local address"
            )
        sock.settimeout(self.read_timeout_s)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            sock = self._sock
        if sock is not None:
            # The plain-socket shutdown, also for TLS sockets: it wakes a blocked read.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Guarded:
    """Mixed into an http.client connection: reports the connected socket to its exchange."""

    def __init__(self, *args: Any, exchange: _Exchange, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exchange = exchange

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self.exchange.connected(self)


class _GuardedHTTPConnection(_Guarded, http.client.HTTPConnection):
    pass


class _GuardedHTTPSConnection(_Guarded, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        factory = partial(_GuardedHTTPConnection, exchange=req.veille_exchange)  # type: ignore[attr-defined]
        return self.do_open(factory, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        factory = partial(_GuardedHTTPSConnection, exchange=req.veille_exchange)  # type: ignore[attr-defined]
        return self.do_open(factory, req, context=self._context)  # type: ignore[attr-defined]


def _build_opener() -> urllib.request.OpenerDirector:
    """An opener that only speaks http(s), follows no redirect and raises on no status code."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        _HTTPHandler(),
        _HTTPSHandler(context=ssl.create_default_context()),
    ):
        opener.add_handler(handler)
    return opener


def _read_body(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    """Read the whole body, capped before and after decompression; detect a truncated body."""
    declared = response.headers.get("Content-Length")
    declared_bytes = int(declared) if declared and declared.strip().isdigit() else None
    if declared_bytes is not None and declared_bytes > max_bytes:
        raise FetchRefused(f"body larger than {max_bytes} bytes (Content-Length {declared_bytes})")
    encoding = (response.headers.get("Content-Encoding") or "").strip().lower()
    decompressor = None
    if encoding in ("gzip", "x-gzip", "deflate"):
        wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
        decompressor = zlib.decompressobj(wbits)
    received = 0
    body = bytearray()
    try:
        while chunk := response.read(_CHUNK):
            received += len(chunk)
            if received > max_bytes:
                raise FetchRefused(f"body larger than {max_bytes} bytes")
            if decompressor is None:
                body += chunk
                continue
            body += decompressor.decompress(chunk, max_bytes + 1 - len(body))
            if len(body) > max_bytes or decompressor.unconsumed_tail:
                raise FetchRefused(f"decompressed body larger than {max_bytes} bytes")
        if declared_bytes is not None and received < declared_bytes:
            raise _Truncated(f"body truncated: got {received} of {declared_bytes} bytes")
        if decompressor is not None:
            body += decompressor.flush()
            if len(body) > max_bytes:
                raise FetchRefused(f"decompressed body larger than {max_bytes} bytes")
    except zlib.error as exc:
        raise _CorruptBody(f"corrupt {encoding} body: {exc}") from exc
    return bytes(body)


def _read_error_body(response: http.client.HTTPResponse) -> bytes:
    """The start of an error page, for the log; its problems do not matter."""
    try:
        return response.read(ERROR_BODY_BYTES)
    except (OSError, http.client.HTTPException):
        return b""


class _HostGate:
    """Per-host politeness: one request at a time per host, a delay between two starts.

    A host's delay is its own minimum (the run's default unless set) or its robots.txt
    crawl delay, whichever is longer.
    """

    def __init__(self, default_delay_s: float) -> None:
        self.default_delay_s = default_delay_s
        self._cond = threading.Condition()
        self._min_delay: dict[str, float] = {}
        self._crawl_delay: dict[str, float] = {}
        self._last_start: dict[str, float] = {}
        self._not_before: dict[str, float] = {}
        self._busy: set[str] = set()

    def delay(self, host: str) -> float:
        own = self._min_delay.get(host, self.default_delay_s)
        return max(own, self._crawl_delay.get(host, 0.0))

    def _ready_at(self, host: str) -> float:
        last = self._last_start.get(host)
        ready = 0.0 if last is None else last + self.delay(host)
        return max(ready, self._not_before.get(host, 0.0))

    def ready_at(self, host: str) -> float:
        """The `time.monotonic()` from which the next request to `host` may start."""
        with self._cond:
            return self._ready_at(host)

    def set_min_delay(self, host: str, seconds: float) -> None:
        """Use `seconds` instead of the default between two requests to `host`."""
        with self._cond:
            self._min_delay[host] = seconds

    def set_crawl_delay(self, host: str, seconds: float) -> None:
        """The delay asked by `host`'s robots.txt; it wins when longer than the host's own."""
        with self._cond:
            self._crawl_delay[host] = max(self._crawl_delay.get(host, 0.0), seconds)

    def defer(self, host: str, until: float) -> None:
        """No request to `host` before `time.monotonic()` reaches `until` (Retry-After, backoff)."""
        with self._cond:
            self._not_before[host] = max(self._not_before.get(host, 0.0), until)

    def acquire(self, host: str) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                ready = self._ready_at(host)
                if host not in self._busy and now >= ready:
                    self._busy.add(host)
                    self._last_start[host] = now
                    return
                self._cond.wait(None if host in self._busy else ready - now)

    def restart(self, host: str) -> None:
        """Count the delay from now: the request really starts later than it acquired the host."""
        with self._cond:
            self._last_start[host] = time.monotonic()

    def release(self, host: str) -> None:
        with self._cond:
            self._busy.discard(host)
            self._cond.notify_all()


class Fetcher:
    """GET pages politely for a whole run: robots.txt, per-host delay, retries, parallel hosts."""

    def __init__(self, settings: HttpSettings | None = None) -> None:
        self.settings = settings or HttpSettings()
        self._opener = _build_opener()
        self._gate = _HostGate(self.settings.min_delay_s)
        folder = self.settings.host_locks_dir
        self._host_locks = SharedHostLocks(folder) if folder else None
        self._workers = max(1, self.settings.max_workers)
        self._slots = threading.BoundedSemaphore(self._workers)
        self._robots = RobotsCache(self.settings.user_agent, self._fetch_robots)

    # -- public API -------------------------------------------------------------------------

    def get(
        self,
        url: str,
        allow_private: bool = False,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """Fetch `url`, following redirects (each hop re-checked); network errors are returned."""
        return self.fetch(FetchRequest(url, allow_private, etag, last_modified))

    def fetch(self, request: FetchRequest) -> FetchResult:
        """Fetch one request; a 304 answer to a conditional GET comes back with `not_modified`."""
        return self._fetch(request, obey_robots=self.settings.obey_robots)

    def get_many(self, requests: Iterable[FetchRequest]) -> Iterator[FetchResult]:
        """Fetch many requests on a thread pool and yield their results in input order.

        At most `max_workers` requests are in flight, never two on one host, each host waiting
        its delay; fetching advances while the caller iterates.
        """
        items = list(requests)
        queues: dict[str, deque[int]] = {}
        for index, request in enumerate(items):
            queues.setdefault(_host_key(request.url), deque()).append(index)
        finished: dict[int, FetchResult] = {}
        running: dict[Future[Any], tuple[str, int | None]] = {}
        robots_asked: set[str] = set()
        next_index = 0
        with ThreadPoolExecutor(self._workers, thread_name_prefix="fetch") as pool:
            while next_index < len(items):
                wake_at = self._dispatch(pool, items, queues, running, robots_asked)
                while next_index in finished:
                    yield finished.pop(next_index)
                    next_index += 1
                if next_index >= len(items):
                    break
                timeout = None if wake_at is None else max(0.0, wake_at - time.monotonic())
                done, _ = wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
                for future in done:
                    _, index = running.pop(future)
                    if index is not None:
                        finished[index] = future.result()

    def set_host_delay(self, url_or_host: str, seconds: float) -> None:
        """Use `seconds` between two requests to this host instead of `min_delay_s`, for this run.

        A longer Crawl-delay in the host's robots.txt still wins.
        """
        host = _host_key(url_or_host) if "://" in url_or_host else url_or_host.lower()
        self._gate.set_min_delay(host, seconds)

    def host_delay(self, url_or_host: str) -> float:
        """The delay now applied between two requests to this host."""
        host = _host_key(url_or_host) if "://" in url_or_host else url_or_host.lower()
        return self._gate.delay(host)

    def robots_rules(self, url: str, allow_private: bool = False) -> RobotsRules:
        """The robots.txt rules for `url`'s origin (fetched once per run), for logging."""
        return self._rules_for(url, allow_private)

    # -- scheduling -------------------------------------------------------------------------

    def _dispatch(
        self,
        pool: ThreadPoolExecutor,
        items: list[FetchRequest],
        queues: dict[str, deque[int]],
        running: dict[Future[Any], tuple[str, int | None]],
        robots_asked: set[str],
    ) -> float | None:
        """Start what may start now; return when the next host becomes ready, if one waits."""
        busy = {host for host, _ in running.values()}
        while len(running) < self._workers:
            waiting = [
                (self._gate.ready_at(h), h) for h, q in queues.items() if q and h not in busy
            ]
            if not waiting:
                return None
            ready_at, host = min(waiting)
            if ready_at > time.monotonic():
                return ready_at
            request = items[queues[host][0]]
            origin = origin_of(request.url)
            if (
                self.settings.obey_robots
                and origin not in robots_asked
                and self._robots.cached(request.url) is None
            ):
                # robots.txt first, as a task of its own, so no worker sleeps through the delay.
                robots_asked.add(origin)
                future = pool.submit(self._prefetch_robots, request)
                running[future] = (host, None)
            else:
                index = queues[host].popleft()
                running[pool.submit(self.fetch, request)] = (host, index)
            busy.add(host)
        return None

    def _prefetch_robots(self, request: FetchRequest) -> None:
        try:
            _check_url(request.url, request.allow_private)
        except (FetchRefused, ValueError):
            return  # the page request itself reports the refusal
        self._rules_for(request.url, request.allow_private)

    # -- one request ------------------------------------------------------------------------

    def _rules_for(self, url: str, allow_private: bool) -> RobotsRules:
        rules = self._robots.rules_for(url, allow_private)
        delay = rules.crawl_delay()
        if delay is not None:
            self._gate.set_crawl_delay(_host_key(url), min(delay, self.settings.max_crawl_delay_s))
        return rules

    def _fetch_robots(self, url: str, allow_private: bool) -> tuple[int | None, bytes, str | None]:
        result = self._fetch(FetchRequest(url, allow_private), obey_robots=False)
        return result.status, result.body, result.error

    def _fetch(self, request: FetchRequest, obey_robots: bool) -> FetchResult:
        started = time.monotonic()
        result = FetchResult(url=request.url, final_url=request.url)
        try:
            self._follow(request, obey_robots, result)
        except FetchRefused as exc:
            result.error = f"refused: {exc}"
        except _RobotsUnreachable as exc:
            result.error = str(exc)
        except (_DeadlineExceeded, _Truncated, _CorruptBody) as exc:
            result.error = f"network error: {exc}"
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            result.error = f"network error: {str(reason) or type(reason).__name__}"
        except Exception as exc:  # one odd URL must not stop a run of thousands
            result.error = f"internal error: {type(exc).__name__}: {exc}"
        result.elapsed_s = time.monotonic() - started
        return result

    def _follow(self, request: FetchRequest, obey_robots: bool, result: FetchResult) -> None:
        current = _as_uri(request.url)
        seen: set[str] = set()
        for _ in range(self.settings.max_redirects + 1):
            seen.add(current)
            result.final_url = current
            _check_url(current, request.allow_private)
            if obey_robots:
                rules = self._rules_for(current, request.allow_private)
                if rules.status is None:
                    # No answer at all: report why, rather than a robots.txt verdict.
                    raise _RobotsUnreachable(f"{rules.error} (fetching robots.txt)")
                if not rules.allows(current):
                    why = "" if rules.status and 200 <= rules.status < 300 else f" ({rules.reason})"
                    raise FetchRefused(f"robots.txt disallows {current}{why}")
            answer = self._get_with_retries(current, request, result)
            result.status = answer.status
            location = answer.headers.get("Location")
            if answer.status in REDIRECT_STATUSES and location:
                current = _as_uri(urljoin(current, location.strip()))
                if current in seen:
                    result.error = f"redirect loop: {current} was already visited"
                    return
                continue
            self._fill(result, answer)
            return
        result.error = f"more than {self.settings.max_redirects} redirects"

    @staticmethod
    def _fill(result: FetchResult, answer: _Answer) -> None:
        headers = answer.headers
        result.content_type = headers.get_content_type() if headers.get("Content-Type") else None
        result.charset = headers.get_content_charset()
        result.headers = {k.lower(): v for k, v in headers.items() if k.lower() in KEPT_HEADERS}
        result.body = answer.body
        if answer.status == 304:
            result.not_modified = True
        elif answer.status != 200:
            result.error = f"HTTP {answer.status}"
            if answer.note:
                result.error += f" ({answer.note})"

    def _get_with_retries(self, url: str, request: FetchRequest, result: FetchResult) -> _Answer:
        host = _host_key(url)
        settings = self.settings
        attempt = 0
        while True:
            self._gate.acquire(host)
            try:
                with self._shared_hold(host) as started:
                    result.attempts += 1
                    with self._slots:
                        self._gate.restart(host)
                        started()
                        answer = self._exchange(url, request)
            except _RETRYABLE as exc:
                if attempt >= settings.retries or _is_certificate_error(exc):
                    raise
                wait_s = self._backoff(attempt)
            else:
                if answer.status not in RETRY_STATUSES:
                    return answer
                retry_after = retry_after_seconds(answer.headers.get("Retry-After"))
                if retry_after is not None:
                    # The server's own word on when to come back holds for every URL of the host.
                    capped = min(retry_after, settings.max_retry_after_s)
                    self._gate.defer(host, time.monotonic() + capped)
                    if retry_after > settings.max_retry_after_s:
                        answer.note = (
                            f"Retry-After {retry_after:g} s is over the "
                            f"{settings.max_retry_after_s:g} s cap; not retried"
                        )
                        return answer
                if attempt >= settings.retries:
                    return answer
                wait_s = retry_after if retry_after is not None else self._backoff(attempt)
            finally:
                self._gate.release(host)
            self._gate.defer(host, time.monotonic() + wait_s)
            attempt += 1

    def _shared_hold(self, host: str) -> AbstractContextManager[Callable[[], None]]:
        """The host's lock shared with other processes, if configured (else a no-op)."""
        if self._host_locks is None:
            return contextlib.nullcontext(lambda: None)
        return self._host_locks.hold(host, self._gate.delay(host))

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter: between half and all of backoff_s * 2**attempt."""
        ceiling = min(self.settings.max_backoff_s, self.settings.backoff_s * 2**attempt)
        return ceiling * random.uniform(0.5, 1.0)

    def _exchange(self, url: str, request: FetchRequest) -> _Answer:
        """One request and its whole response, under the connect/read timeouts and deadline."""
        settings = self.settings
        exchange = _Exchange(_host_key(url), request.allow_private, settings.timeout_s)
        headers = {
            "User-Agent": settings.user_agent,
            "Accept-Encoding": "gzip",
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "fr-FR,fr;q=0.9",
        }
        if request.etag:
            headers["If-None-Match"] = request.etag
        if request.last_modified:
            headers["If-Modified-Since"] = request.last_modified
        http_request = urllib.request.Request(url, headers=headers)
        http_request.veille_exchange = exchange  # type: ignore[attr-defined]
        timer = threading.Timer(settings.deadline_s, exchange.expire)
        timer.daemon = True
        timer.start()
        try:
            with self._opener.open(http_request, timeout=settings.connect_timeout_s) as response:
                status = response.status
                if status in REDIRECT_STATUSES or status in (204, 304):
                    body = b""
                elif 200 <= status < 300:
                    body = _read_body(response, settings.max_bytes)
                else:
                    body = _read_error_body(response)
                answer = _Answer(status, response.headers, body)
        except (*_RETRYABLE, FetchRefused) as exc:
            if exchange.expired:
                raise self._deadline_error() from exc
            raise
        finally:
            timer.cancel()
        if exchange.expired:  # a shut-down socket can also look like a short, complete body
            raise self._deadline_error()
        return answer

    def _deadline_error(self) -> _DeadlineExceeded:
        return _DeadlineExceeded(
            f"no complete answer within the {self.settings.deadline_s:g} s deadline"
        )
