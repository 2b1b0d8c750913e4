"""The demo news site: a stdlib HTTP server on 127.0.0.1 serving the fictional outlets and feeds.

Used by `veille demo` and by end-to-end tests; it never touches the internet and its output is
deterministic for a given base URL.
"""

from __future__ import annotations

import argparse
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

from demo.corpus import OUTLETS, OUTLETS_BY_ID, load_corpus
from demo.feeds import BROKEN_FEED, BROKEN_FEED_PATH, EXTRA_ENTRIES, render_feed
from demo.pages import (
    photo_svg,
    render_article,
    render_home,
    render_not_found,
    render_outlet_index,
)
from pipeline.article.overrides import SiteOverrides, load_site_overrides

DEMO_FIRST_DAY = "2026-11-02"
DEMO_LAST_DAY = "2026-11-15"

SLOW_PAGE_DELAY_S = 0.2
_PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
)
_ROBOTS = b"User-agent: *\nAllow: /\n"


@dataclass(frozen=True)
class _Response:
    status: int
    content_type: str
    body: bytes
    delay_s: float = 0.0


def build_routes(base_url: str) -> dict[str, _Response]:
    """Every page of the site, rendered once: URL path to response."""
    routes = {
        "/": _Response(200, "text/html; charset=utf-8", render_home()),
        "/robots.txt": _Response(200, "text/plain; charset=utf-8", _ROBOTS),
        BROKEN_FEED_PATH: _Response(
            200, "application/rss+xml; charset=utf-8", BROKEN_FEED.encode()
        ),
    }
    for outlet in OUTLETS:
        html_type = f"text/html; charset={outlet.page_encoding}"
        feed_type = (
            "application/atom+xml" if outlet.feed_format == "atom" else "application/rss+xml"
        )
        routes[outlet.feed_path] = _Response(
            200, f"{feed_type}; charset=utf-8", render_feed(outlet.id, base_url)
        )
        routes[f"/{outlet.id}/"] = _Response(200, html_type, render_outlet_index(outlet.id))
    for article in load_corpus():
        html_type = f"text/html; charset={OUTLETS_BY_ID[article.outlet].page_encoding}"
        delay = SLOW_PAGE_DELAY_S if article.slow else 0.0
        routes[article.path] = _Response(200, html_type, render_article(article, base_url), delay)
        routes[f"/media/{article.outlet}/{article.slug}.svg"] = _Response(
            200, "image/svg+xml", photo_svg(article.slug)
        )
    for extra in EXTRA_ENTRIES:
        if extra.kind == "pdf":
            routes[extra.path] = _Response(200, "application/pdf", _PDF)
    return routes


class _Handler(BaseHTTPRequestHandler):
    server_version = "DemoPresse/1.0"
    routes: dict[str, _Response] = {}

    def _respond(self, with_body: bool) -> None:
        path = urlsplit(self.path).path
        if path in ("/courrier", "/territoires", "/sud"):
            path += "/"
        response = self.routes.get(path)
        if response is None:
            response = _Response(404, "text/html; charset=utf-8", render_not_found(path))
        if response.delay_s:
            time.sleep(response.delay_s)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if with_body:
            self.wfile.write(response.body)

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's method name)
        self._respond(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(with_body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Stay quiet: tests and `veille demo` print their own progress."""


class DemoSite:
    """A running demo site; stop it with `.stop()` or use it as a context manager."""

    def __init__(self, server: ThreadingHTTPServer, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread
        host, port = server.server_address[:2]
        self.host: str = str(host)
        self.port: int = int(port)
        self.base_url: str = f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        """Shut the server down and release its port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> DemoSite:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_demo_site(host: str = "127.0.0.1", port: int = 0) -> DemoSite:
    """Start the demo site in a daemon thread (port 0 picks a free port) and return it."""
    server = ThreadingHTTPServer((host, port), _Handler)
    server.daemon_threads = True
    bound_host, bound_port = server.server_address[:2]
    handler = type("DemoHandler", (_Handler,), {})
    handler.routes = build_routes(f"http://{bound_host}:{bound_port}")
    server.RequestHandlerClass = handler
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    return DemoSite(server, thread)


def _selector_fields(overrides: SiteOverrides | None) -> dict:
    """The outlet's extraction selectors (pipeline/article/site_overrides/demo.yaml), as source
    fields."""
    if overrides is None:
        return {}
    fields = {
        "content_selector": overrides.content_selector,
        "date_selector": overrides.date_selector,
    }
    fields = {k: v for k, v in fields.items() if v}
    if overrides.drop_selectors:
        fields["drop_selectors"] = list(overrides.drop_selectors)
    return fields


def demo_sources(base_url: str, include_broken: bool = False) -> list[dict]:
    """Source definitions for the pipeline, one per outlet (plus the broken feed if asked)."""
    base_url = base_url.rstrip("/")
    selectors = load_site_overrides("demo")
    sources = [
        {
            "id": outlet.id,
            "name": outlet.name,
            "regions": list(outlet.regions),
            "language": "fr",
            "feeds": [base_url + outlet.feed_path],
            "allow_private": True,
            **_selector_fields(selectors.get(outlet.id)),
        }
        for outlet in OUTLETS
    ]
    if include_broken:
        sources.append(
            {
                "id": "flux-casse",
                "name": "Flux cassé",
                "regions": [],
                "language": "fr",
                "feeds": [base_url + BROKEN_FEED_PATH],
                "allow_private": True,
            }
        )
    return sources


def main() -> None:
    """Serve the demo site until interrupted: `python -m demo.site [--port N]`."""
    parser = argparse.ArgumentParser(prog="python -m demo.site", description=main.__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args()
    site = start_demo_site(args.host, args.port)
    print(f"Demo site on {site.base_url}/", flush=True)
    for source in demo_sources(site.base_url):
        print(f"  {source['name']}: {source['feeds'][0]}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        site.stop()


if __name__ == "__main__":
    main()
