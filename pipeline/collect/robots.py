"""robots.txt for one run: fetched once per origin, cached, read with `urllib.robotparser`.

How a robots.txt answer is read (RFC 9309, and the usual reading of 401/403): 2xx is parsed;
401 and 403 disallow everything; 429, 5xx and network errors disallow everything for this run
(the server may be overloaded); any other 4xx, or too many redirects, allows everything.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

# Fetches a robots.txt URL, given whether private addresses are allowed; returns the final HTTP
# status (None when there was no answer), the body, and the error met (None if none).
RobotsFetch = Callable[[str, bool], tuple[int | None, bytes, str | None]]


_DECIMAL_CRAWL_DELAY = re.compile(r"^(\s*crawl-delay\s*:\s*)(\d*\.\d+)\s*(#.*)?$", re.I)


def whole_second_delays(lines: list[str]) -> list[str]:
    """Round decimal Crawl-delay values up to whole seconds.

    `urllib.robotparser` reads only whole numbers and silently drops "Crawl-delay: 2.5";
    rounding up keeps the site's wish and errs on the polite side.
    """
    rounded = []
    for line in lines:
        found = _DECIMAL_CRAWL_DELAY.match(line)
        rounded.append(f"{found[1]}{math.ceil(float(found[2]))}" if found else line)
    return rounded


def origin_of(url: str) -> str:
    """The scheme://host[:port] part of `url`, lower-cased: robots.txt applies per origin."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))


def robots_url(url: str) -> str:
    """Where the robots.txt governing `url` lives."""
    return origin_of(url) + "/robots.txt"


@dataclass(frozen=True)
class RobotsRules:
    """What one origin's robots.txt says for our user agent, and why (`reason`).

    `error` is the fetch error when robots.txt could not be had at all (status None).
    """

    origin: str
    status: int | None
    reason: str
    user_agent: str
    parser: RobotFileParser = field(repr=False, compare=False)
    error: str | None = None

    def allows(self, url: str) -> bool:
        """True when `url` may be fetched by our user agent."""
        return self.parser.can_fetch(self.user_agent, url)

    def crawl_delay(self) -> float | None:
        """Seconds to wait between two requests, from Crawl-delay or Request-rate, if given."""
        delays: list[float] = []
        crawl_delay = self.parser.crawl_delay(self.user_agent)
        if crawl_delay is not None:
            delays.append(float(crawl_delay))
        rate = self.parser.request_rate(self.user_agent)
        if rate is not None and rate.requests > 0:
            delays.append(rate.seconds / rate.requests)
        return max(delays) if delays else None


def rules_from_response(
    origin: str, status: int | None, body: bytes, user_agent: str, error: str | None = None
) -> RobotsRules:
    """Turn the answer to GET /robots.txt into rules, following the module's status policy."""
    parser = RobotFileParser(origin + "/robots.txt")
    if status is not None and 200 <= status < 300:
        parser.parse(whole_second_delays(body.decode("utf-8", errors="replace").splitlines()))
        reason = f"HTTP {status}: rules parsed"
    elif status in (401, 403):
        parser.disallow_all = True
        reason = f"HTTP {status}: all disallowed"
    elif status is None or status == 429 or status >= 500:
        parser.disallow_all = True
        shown = "network error" if status is None else f"HTTP {status}"
        reason = f"{shown}: unavailable, all disallowed for this run"
    else:
        parser.allow_all = True
        reason = f"HTTP {status}: no usable robots.txt, all allowed"
    return RobotsRules(
        origin, status, reason, user_agent, parser, error if status is None else None
    )


class RobotsCache:
    """Fetch each origin's robots.txt at most once per run (thread-safe) and keep its rules."""

    def __init__(self, user_agent: str, fetch: RobotsFetch) -> None:
        self.user_agent = user_agent
        self._fetch = fetch
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def cached(self, url: str) -> RobotsRules | None:
        """The rules for `url`'s origin if already fetched, without fetching."""
        return self._rules.get(origin_of(url))

    def rules_for(self, url: str, allow_private: bool = False) -> RobotsRules:
        """The rules for `url`'s origin, fetching its robots.txt the first time it is asked."""
        origin = origin_of(url)
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            rules = self._rules.get(origin)
            if rules is None:
                status, body, error = self._fetch(origin + "/robots.txt", allow_private)
                rules = rules_from_response(origin, status, body, self.user_agent, error)
                self._rules[origin] = rules
            return rules
