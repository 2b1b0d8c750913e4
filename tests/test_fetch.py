import gzip

import pytest

from pipeline.fetch import Fetcher, HttpSettings
from tests.httpserver import LoopbackServer, Route

PAGE = "<html lang='fr'><body><p>Économie : la grappe Topos recrute.</p></body></html>".encode()


@pytest.fixture
def fetcher():
    return Fetcher(HttpSettings(min_delay_s=0.0, backoff_s=0.01, timeout_s=2.0, max_bytes=50_000))


def test_ok_page_with_headers(fetcher):
    with LoopbackServer(
        {"/a": Route(200, PAGE, {"Content-Type": "text/html; charset=utf-8", "ETag": '"v1"'})}
    ) as srv:
        result = fetcher.get(srv.url + "/a", allow_private=True)
        user_agent = srv.hits[0][1]["User-Agent"]
    assert result.ok
    assert result.body == PAGE
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert result.headers["etag"] == '"v1"'
    assert user_agent.startswith("veille/")


def test_loopback_refused_unless_allowed(fetcher):
    with LoopbackServer({"/a": Route(200, PAGE)}) as srv:
        result = fetcher.get(srv.url + "/a")
        assert not srv.hits
    assert not result.ok
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
    assert moved.ok and moved.final_url == srv.url + "/new"
    assert not out.ok and "only http and https" in out.error


def test_404_and_retry_on_503(fetcher):
    answers = iter([Route(503, b"busy"), Route(200, PAGE)])
    with LoopbackServer({"/flaky": lambda: next(answers)}) as srv:
        missing = fetcher.get(srv.url + "/absent", allow_private=True)
        flaky = fetcher.get(srv.url + "/flaky", allow_private=True)
        hits = [path for path, _ in srv.hits]
    assert missing.status == 404 and missing.error == "HTTP 404"
    assert flaky.ok
    assert hits.count("/flaky") == 2


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
    }
    with LoopbackServer(routes) as srv:
        big = fetcher.get(srv.url + "/big", allow_private=True)
        bombed = fetcher.get(srv.url + "/bomb", allow_private=True)
        small = fetcher.get(srv.url + "/gz", allow_private=True)
    assert "larger than 50000 bytes" in big.error
    assert "decompressed body larger" in bombed.error
    assert small.ok and small.body == PAGE


def test_timeout_and_refused_connection_are_errors_not_exceptions():
    fetcher = Fetcher(HttpSettings(min_delay_s=0.0, timeout_s=0.3, retries=0))
    with LoopbackServer({"/slow": Route(200, PAGE, delay_s=1.0)}) as srv:
        slow = fetcher.get(srv.url + "/slow", allow_private=True)
        port = srv.httpd.server_port
    assert slow.error.startswith("network error")
    closed = fetcher.get(f"http://127.0.0.1:{port}/gone", allow_private=True)
    assert closed.error.startswith("network error")
    assert fetcher.get("file:///etc/passwd").error.startswith("refused: only http and https")
