"""A real HTTP server on a loopback address serving canned responses, for fetch and feed tests."""

from __future__ import annotations

import contextlib
import inspect
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """One canned answer.

    `content_length` overrides the declared length, `send_length=False` declares none (the body
    then ends when the connection closes), `drip_s` pauses after each byte of the body.
    """

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(
        default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"}
    )
    delay_s: float = 0.0
    content_length: int | None = None
    send_length: bool = True
    drip_s: float = 0.0


# A route is a Route, or a callable returning one, given nothing or the request headers.
RouteSpec = Route | Callable[[], Route] | Callable[[dict[str, str]], Route]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up early (timeouts, size caps) are what the tests provoke


def _resolve(route: RouteSpec | None, headers: dict[str, str]) -> Route | None:
    if route is None or isinstance(route, Route):
        return route
    if inspect.signature(route).parameters:
        return route(headers)  # type: ignore[call-arg]
    return route()  # type: ignore[call-arg]


class LoopbackServer:
    """Serve `routes` (path -> RouteSpec) on a free port of `host`, any address in 127.0.0.0/8.

    `hits` lists (path, request headers); `timeline` lists (path, start, end) in
    `time.monotonic()` seconds, end being when the response was fully written. Leaving the
    `with` block waits (up to 2 s) for requests being answered, so both lists are then complete.
    """

    def __init__(self, routes: dict[str, RouteSpec], host: str = "127.0.0.1") -> None:
        self.routes = routes
        self.hits: list[tuple[str, dict[str, str]]] = []
        self.timeline: list[tuple[str, float, float]] = []
        self._idle = threading.Condition()
        self._active = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                start = time.monotonic()
                headers = dict(self.headers)
                with server._idle:
                    server.hits.append((self.path, headers))
                    server._active += 1
                try:
                    self._serve(start, headers)
                finally:
                    with server._idle:
                        server._active -= 1
                        server._idle.notify_all()

            def _serve(self, start: float, headers: dict[str, str]) -> None:
                route = _resolve(server.routes.get(self.path), headers)
                if route is None:
                    route = Route(404, b"not found")
                time.sleep(route.delay_s)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._answer(route)
                with server._idle:
                    server.timeline.append((self.path, start, time.monotonic()))

            def _answer(self, route: Route) -> None:
                self.send_response(route.status)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                if route.send_length:
                    length = route.content_length
                    declared = len(route.body) if length is None else length
                    self.send_header("Content-Length", str(declared))
                self.end_headers()
                if not route.drip_s:
                    self.wfile.write(route.body)
                    return
                for index in range(len(route.body)):
                    self.wfile.write(route.body[index : index + 1])
                    self.wfile.flush()
                    time.sleep(route.drip_s)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = _QuietServer((host, 0), Handler)
        self.url = f"http://{host}:{self.httpd.server_port}"
        # A short poll interval: shutdown() waits up to one interval.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> LoopbackServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        with self._idle:
            self._idle.wait_for(lambda: self._active == 0, timeout=2.0)
        self.httpd.server_close()
