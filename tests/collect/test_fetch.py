"""The HTTP client against real loopback servers: errors, limits, politeness and parallel hosts."""

import gzip
import time
from datetime import UTC, datetime

import pytest

import pipeline.collect.fetch as fetch_module
from pipeline.collect.fetch import Fetcher, FetchRequest, HttpSettings, retry_after_seconds
from tests.httpserver import LoopbackServer, Route

PAGE = "<html lang='fr'><body><p>Économie : la grappe Topos recrute.</p></body></html>".encode()


def fast(**overrides) -> Fetcher:
    """A fetcher with test-sized timings; `overrides` replace HttpSettings fields."""
    settings = {"min_delay_s": 0.0, "backoff_s": 0.01, "timeout_s": 2.0, "max_bytes": 50_000}
    return Fetcher(HttpSettings(**{**settings, **overrides}))


def starts(server: LoopbackServer, path: str) -> list[float]:
    return [start for hit, start, _ in server.timeline if hit == path]


@pytest.fixture
def fetcher():
    return fast()


def test_ok_page_with_headers(fetcher):
    with LoopbackServer(
        {"/a": Route(200, PAGE, {"Content-Type": "text/html; charset=utf-8", "ETag": '"v1"'})}
    ) as srv:
        result = fetcher.get(srv.url + "/a", allow_private=True)
        user_agents = {headers["User-Agent"] for _, headers in srv.hits}
    assert result.ok and result.attempts == 1 and result.elapsed_s > 0
    assert result.body == PAGE
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert result.headers["etag"] == '"v1"'
    assert user_agents == {HttpSettings().user_agent}  # robots.txt and page alike


def test_loopback_refused_unless_allowed(fetcher):
    with LoopbackServer({"/a": Route(200, PAGE)}) as srv:
        result = fetcher.get(srv.url + "/a")
        assert not srv.hits
    assert not result.ok and result.attempts == 0
    assert "private, loopback or link-local" in result.error


def test_redirect_is_followed_and_rechecked(fetcher):
    routes = {
        "/old": Route(301, b"", {"Location": "/new"}),
        "/new": Route(200, PAGE),
        "/out": Route(302, b"", {"Location": "ftp://files.example/x"}),
    }
    with LoopbackServer(routes) as srv:
        moved = fetcher.get(srv.url + "/old", allow_private=True)
        out = fetcher.get(srv.url + "/out", allow_private=True)
    assert moved.ok and moved.final_url == srv.url + "/new" and moved.attempts == 2
    assert not out.ok and "only http and https" in out.error


def test_redirect_loop_and_too_many_redirects():
    chain = {f"/r{i}": Route(302, b"", {"Location": f"/r{i + 1}"}) for i in range(10)}
    loop = {"/a": Route(302, b"", {"Location": "/b"}), "/b": Route(301, b"", {"Location": "/a"})}
    with LoopbackServer({**chain, **loop}) as srv:
        looped = fast().get(srv.url + "/a", allow_private=True)
        long = fast(max_redirects=3).get(srv.url + "/r0", allow_private=True)
        paths = [path for path, _ in srv.hits]
    assert looped.error == f"redirect loop: {srv.url}/a was already visited"
    assert looped.status == 301 and looped.attempts == 2
    assert long.error == "more than 3 redirects"
    assert paths.count("/r4") == 0 and paths.count("/a") == 1


def test_redirect_to_a_private_address_is_refused(monkeypatch):
    # 127.0.0.2 plays a public outlet; its redirect to `localhost` must still be refused.
    real = fetch_module._is_private_address
    monkeypatch.setattr(
        fetch_module, "_is_private_address", lambda ip: ip != "127.0.0.2" and real(ip)
    )
    with LoopbackServer({"/secret": Route(200, PAGE)}) as inner:
        port = inner.httpd.server_port
        to_inner = Route(302, b"", {"Location": f"http://localhost:{port}/secret"})
        with LoopbackServer({"/go": to_inner}, host="127.0.0.2") as outer:
            result = fast().get(outer.url + "/go")
            assert [path for path, _ in outer.hits] == ["/robots.txt", "/go"]
        assert not inner.hits
    assert result.error == "refused: localhost is a private, loopback or link-local address"
    assert result.final_url == f"http://localhost:{port}/secret"


def test_rebinding_host_is_refused_on_the_connected_socket(monkeypatch):
    # The name "resolved" to a public address, but the socket ends up on loopback.
    monkeypatch.setattr(fetch_module, "_is_private_host", lambda host: False)
    with LoopbackServer({"/a": Route(200, PAGE)}) as srv:
        result = fast(obey_robots=False).get(srv.url + "/a")
        assert not srv.hits
    assert (
        result.error == "refused: 127.0.0.1 connected to a private, loopback or link-local address"
    )


def test_404_and_retry_on_503(fetcher):
    answers = iter([Route(503, b"busy"), Route(200, PAGE)])
    with LoopbackServer({"/flaky": lambda: next(answers)}) as srv:
        missing = fetcher.get(srv.url + "/absent", allow_private=True)
        flaky = fetcher.get(srv.url + "/flaky", allow_private=True)
        hits = [path for path, _ in srv.hits]
    assert missing.status == 404 and missing.error == "HTTP 404"
    assert flaky.ok and flaky.attempts == 2
    assert hits.count("/flaky") == 2


def test_client_errors_are_not_retried_server_errors_are(fetcher):
    routes = {f"/{code}": Route(code, b"nope") for code in (404, 410, 500, 503)}
    with LoopbackServer(routes) as srv:
        results = {code: fetcher.get(f"{srv.url}/{code}", allow_private=True) for code in routes}
    assert {r.status: (r.error, r.attempts) for r in results.values()} == {
        404: ("HTTP 404", 1),
        410: ("HTTP 410", 1),
        500: ("HTTP 500", 3),
        503: ("HTTP 503", 3),
    }
    assert results["/500"].body == b"nope"


def test_429_waits_for_retry_after():
    answers = iter([Route(429, b"", {"Retry-After": "1"}), Route(200, PAGE)])
    with LoopbackServer({"/busy": lambda: next(answers), "/later": Route(200, PAGE)}) as srv:
        fetcher = fast()
        busy = fetcher.get(srv.url + "/busy", allow_private=True)
        later = fetcher.get(srv.url + "/later", allow_private=True)
    first, second = starts(srv, "/busy")
    assert busy.ok and busy.attempts == 2 and "retry-after" not in busy.headers
    assert 0.98 <= second - first < 1.5
    assert later.ok


def test_retry_after_over_the_cap_is_not_retried():
    with LoopbackServer({"/busy": Route(429, b"", {"Retry-After": "120"})}) as srv:
        result = fast(max_retry_after_s=0.2).get(srv.url + "/busy", allow_private=True)
    assert result.error == "HTTP 429 (Retry-After 120 s is over the 0.2 s cap; not retried)"
    assert result.attempts == 1 and result.headers["retry-after"] == "120"


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2026, 11, 3, 8, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("7", now) == 7.0
    assert retry_after_seconds("Tue, 03 Nov 2026 08:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Tue, 03 Nov 2026 07:59:00 GMT", now) == 0.0
    assert retry_after_seconds("demain", now) is None
    assert retry_after_seconds(None, now) is None


def test_size_cap_applies_before_and_after_decompression(fetcher):
    huge = b"<p>" + b"a" * 200_000 + b"</p>"
    bomb = gzip.compress(huge)
    assert len(bomb) < 50_000
    routes = {
        "/big": Route(200, huge),
        "/bomb": Route(200, bomb, {"Content-Type": "text/html", "Content-Encoding": "gzip"}),
        "/gz": Route(
            200, gzip.compress(PAGE), {"Content-Type": "text/html", "Content-Encoding": "gzip"}
        ),
        "/undeclared": Route(200, huge, content_length=10),
    }
    with LoopbackServer(routes) as srv:
        big = fetcher.get(srv.url + "/big", allow_private=True)
        bombed = fetcher.get(srv.url + "/bomb", allow_private=True)
        small = fetcher.get(srv.url + "/gz", allow_private=True)
    assert big.error == "refused: body larger than 50000 bytes (Content-Length 200007)"
    assert big.attempts == 1
    assert "decompressed body larger" in bombed.error
    assert small.ok and small.body == PAGE


def test_oversized_body_without_content_length_is_cut_off(fetcher):
    # No Content-Length: the cap applies while reading.
    with LoopbackServer({"/big": Route(200, b"x" * 60_000, send_length=False)}) as srv:
        result = fetcher.get(srv.url + "/big", allow_private=True)
    assert result.error == "refused: body larger than 50000 bytes"


def test_truncated_body_is_an_error_and_retried():
    with LoopbackServer({"/cut": Route(200, b"<p>moiti", content_length=1000)}) as srv:
        result = fast(retries=1).get(srv.url + "/cut", allow_private=True)
        hits = [path for path, _ in srv.hits]
    assert result.error == "network error: body truncated: got 8 of 1000 bytes"
    assert result.attempts == 2 and hits.count("/cut") == 2


def test_timeout_and_refused_connection_are_errors_not_exceptions():
    fetcher = Fetcher(HttpSettings(min_delay_s=0.0, timeout_s=0.3, retries=0))
    with LoopbackServer({"/slow": Route(200, PAGE, delay_s=1.0)}) as srv:
        slow = fetcher.get(srv.url + "/slow", allow_private=True)
        port = srv.httpd.server_port
    assert slow.error == "network error: timed out" and slow.elapsed_s < 0.9
    closed = fetcher.get(f"http://127.0.0.1:{port}/gone", allow_private=True)
    assert closed.error == "network error: [Errno 111] Connection refused"  # robots.txt cached
    unknown = Fetcher(HttpSettings(min_delay_s=0.0, retries=0)).get(
        f"http://127.0.0.1:{port}/gone", allow_private=True
    )
    assert unknown.error == "network error: [Errno 111] Connection refused (fetching robots.txt)"
    assert fetcher.get("file:///etc/passwd").error.startswith("refused: only http and https")


def test_slow_drip_hits_the_total_deadline():
    # Each byte arrives well within the read timeout, but the whole page would take 10 s.
    drip = Route(200, b"x" * 200, drip_s=0.05)
    with LoopbackServer({"/drip": drip}) as srv:
        started = time.monotonic()
        result = fast(timeout_s=1.0, deadline_s=0.5, retries=2).get(
            srv.url + "/drip", allow_private=True
        )
        took = time.monotonic() - started
    assert result.error == "network error: no complete answer within the 0.5 s deadline"
    assert result.attempts == 1 and 0.5 <= took < 1.0


def test_non_html_page_reports_its_type(fetcher):
    pdf = Route(200, b"%PDF-1.4 fake", {"Content-Type": "application/pdf"})
    with LoopbackServer({"/doc.pdf": pdf, "/bare": Route(200, b"?", {})}) as srv:
        result = fetcher.get(srv.url + "/doc.pdf", allow_private=True)
        bare = fetcher.get(srv.url + "/bare", allow_private=True)
    assert result.ok and result.content_type == "application/pdf" and result.charset is None
    assert bare.ok and bare.content_type is None


def test_conditional_get_gives_304_not_modified(fetcher):
    stamp = "Tue, 03 Nov 2026 07:10:00 GMT"

    def page(headers: dict[str, str]) -> Route:
        if headers.get("If-None-Match") == '"v1"' or headers.get("If-Modified-Since") == stamp:
            return Route(304, b"", {"ETag": '"v1"'})
        return Route(
            200, PAGE, {"Content-Type": "text/html", "ETag": '"v1"', "Last-Modified": stamp}
        )

    with LoopbackServer({"/a": page}) as srv:
        first = fetcher.get(srv.url + "/a", allow_private=True)
        by_etag, by_date = fetcher.get_many(
            [
                FetchRequest(srv.url + "/a", True, etag=first.headers["etag"]),
                FetchRequest(srv.url + "/a", True, last_modified=first.headers["last-modified"]),
            ]
        )
    assert first.ok and not first.not_modified
    for again in (by_etag, by_date):
        assert again.status == 304 and again.not_modified and again.error is None
        assert again.body == b"" and not again.ok


def test_robots_disallow_refuses_without_fetching(fetcher):
    robots = b"User-agent: *\nDisallow: /prive/\n\nUser-agent: veille\nDisallow: /abonnes/\n"
    routes = {
        "/robots.txt": Route(200, robots, {"Content-Type": "text/plain"}),
        "/prive/a": Route(200, PAGE),
        "/abonnes/b": Route(200, PAGE),
        "/eco/c": Route(200, PAGE),
    }
    with LoopbackServer(routes) as srv:
        results = [
            fetcher.get(srv.url + path, allow_private=True)
            for path in routes
            if path != "/robots.txt"
        ]
        hits = [path for path, _ in srv.hits]
    assert [r.error for r in results] == [
        None,  # our own group replaces the `*` group
        f"refused: robots.txt disallows {srv.url}/abonnes/b",
        None,
    ]
    assert hits == ["/robots.txt", "/prive/a", "/eco/c"]
    assert results[1].attempts == 0


def test_host_delay_can_be_set_per_host():
    fetcher = fast(min_delay_s=1.0)
    fetcher.set_host_delay("Presse.Example", 0.25)
    assert fetcher.host_delay("https://presse.example/eco/a.html") == 0.25
    assert fetcher.host_delay("autre.example") == 1.0


def test_non_ascii_url_is_escaped(fetcher):
    with LoopbackServer({"/%C3%A9conomie?q=c%C3%A9ramique": Route(200, PAGE)}) as srv:
        result = fetcher.get(srv.url + "/économie?q=céramique#haut", allow_private=True)
    assert result.ok and result.final_url == srv.url + "/%C3%A9conomie?q=c%C3%A9ramique"


def test_robots_crawl_delay_sets_the_host_delay():
    robots = Route(200, b"User-agent: *\nCrawl-delay: 1\n", {"Content-Type": "text/plain"})
    with LoopbackServer(
        {"/robots.txt": robots, "/a": Route(200, PAGE), "/b": Route(200, PAGE)}
    ) as srv:
        fetcher = fast(min_delay_s=0.1)
        fetcher.set_host_delay(srv.url, 0.2)  # the longer Crawl-delay still wins
        results = list(fetcher.get_many(FetchRequest(srv.url + p, True) for p in ("/a", "/b")))
    times = sorted(start for _, start, _ in srv.timeline)
    assert all(r.ok for r in results) and fetcher.host_delay(srv.url) == 1.0
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert len(gaps) == 2 and all(0.98 <= gap < 1.4 for gap in gaps)


def test_get_many_overlaps_hosts_but_keeps_each_host_polite():
    delay = 0.5
    servers = [
        LoopbackServer(
            {f"/p{i}": Route(200, PAGE, delay_s=0.2) for i in range(3)}, host=f"127.0.0.{n}"
        )
        for n in (1, 2, 3)
    ]
    for server in servers:
        server.__enter__()
    try:
        requests = [
            FetchRequest(f"{s.url}/p{i}", allow_private=True) for i in range(3) for s in servers
        ]
        started = time.monotonic()
        results = list(fast(min_delay_s=delay, max_workers=3).get_many(requests))
        wall = time.monotonic() - started
    finally:
        for server in servers:
            server.__exit__()
    assert [r.url for r in results] == [r.url for r in requests]  # input order
    assert all(r.ok for r in results)
    intervals = []
    for server in servers:
        spans = sorted((start, end) for _, start, end in server.timeline)
        assert [path for path, _, _ in sorted(server.timeline, key=lambda t: t[1])][
            0
        ] == "/robots.txt"
        for (start, end), (next_start, _) in zip(spans, spans[1:], strict=False):
            assert next_start >= end  # never two at once on one host
            assert (
                next_start - start >= delay - 0.05
            )  # and the delay (server-side clocks) between two starts
        intervals.append(spans)
    overlapping = any(
        a_start < b_end and b_start < a_end
        for a_start, a_end in intervals[0]
        for other in intervals[1:]
        for b_start, b_end in other
    )
    assert overlapping
    # Sequentially: 3 hosts x (robots + 3 pages spaced by the delay); in parallel about one host.
    assert wall < 2.5


def test_get_many_keeps_the_global_limit():
    servers = [
        LoopbackServer({"/p": Route(200, PAGE, delay_s=0.3)}, host=f"127.0.0.{n}")
        for n in range(1, 5)
    ]
    for server in servers:
        server.__enter__()
    try:
        requests = [FetchRequest(s.url + "/p", allow_private=True) for s in servers]
        results = list(fast(max_workers=2, obey_robots=False).get_many(requests))
    finally:
        for server in servers:
            server.__exit__()
    assert all(r.ok for r in results)
    spans = [(start, end) for s in servers for _, start, end in s.timeline]
    # Spans are server-side; 10 ms of slack covers a handler still logging its end.
    in_flight = max(sum(1 for s, e in spans if s <= moment < e - 0.01) for moment, _ in spans)
    assert in_flight == 2


def test_get_many_reports_bad_requests_in_place(fetcher):
    with LoopbackServer({"/a": Route(200, PAGE)}) as srv:
        results = list(
            fetcher.get_many(
                [
                    FetchRequest("file:///etc/passwd"),
                    FetchRequest(srv.url + "/a", allow_private=True),
                    FetchRequest(srv.url + "/a"),
                    FetchRequest("http:///no-host"),
                ]
            )
        )
    assert [r.error for r in results] == [
        "refused: only http and https are fetched, not file",
        None,
        "refused: 127.0.0.1 is a private, loopback or link-local address",
        "refused: URL has no host",
    ]
    assert list(fetcher.get_many([])) == []
