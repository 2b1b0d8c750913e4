"""The desk's login under abuse: real concurrent requests against the real server on loopback.

The desk runs under uvicorn with the configuration `veille review` uses (`server_config`), in a
thread, or as the `veille review` process itself where its memory is measured.
"""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import httpx
import pytest
import uvicorn

from pipeline.review import login_limits
from pipeline.warehouse.review_store import store_path
from tests.review_data import PASSWORD, build_published
from veille.review.serve import server_config

REPO = Path(__file__).resolve().parent.parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(db: Path, **options):
    """The desk served on 127.0.0.1:<free port> as `veille review` would; yields its base URL."""
    port = _free_port()
    server = uvicorn.Server(server_config(db, "127.0.0.1", port, **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the review desk did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def db(tmp_path):
    return build_published(tmp_path / "veille.duckdb")


class Login:
    """A login form fetched once; `post` sends it with any name, password and headers."""

    def __init__(self, base: str) -> None:
        # A connection for each request: a keep-alive connection the server has just closed,
        # reused by another of the concurrent threads, fails with EBADF instead of answering.
        fresh = httpx.Limits(max_connections=None, max_keepalive_connections=0)
        self.client = httpx.Client(base_url=base, timeout=120, limits=fresh)
        page = self.client.get("/login")
        self.token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)

    def post(self, name: str, password: str, headers: dict | None = None) -> httpx.Response:
        data = {"name": name, "password": password, "csrf": self.token, "next": "/"}
        cookie = {"cookie": f"veille_login_csrf={self.token}"}
        return self.client.post("/login", data=data, headers={**cookie, **(headers or {})})

    def close(self) -> None:
        self.client.close()


def _all_at_once(count: int, send) -> list[httpx.Response]:
    barrier = threading.Barrier(count)

    def one(i: int) -> httpx.Response:
        barrier.wait()
        return send(i)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def _statuses(responses: list[httpx.Response]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for response in responses:
        counts[response.status_code] = counts.get(response.status_code, 0) + 1
    return counts


def test_a_flood_of_new_names_from_one_address_is_refused_before_hashing(db):
    with serving(db) as base:
        login = Login(base)
        responses = _all_at_once(120, lambda i: login.post(f"nobody{i}", "mauvais-mot"))
        counts = _statuses(responses)
        assert counts.get(401, 0) <= login_limits.ADDRESS_LIMIT
        assert counts[429] >= 120 - login_limits.ADDRESS_LIMIT
        assert set(counts) == {401, 429}
        refused = next(r for r in responses if r.status_code == 429)
        assert "Trop de tentatives" in refused.text
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert "content-security-policy" in refused.headers
        login.close()


def test_concurrent_guesses_cannot_slip_between_the_check_and_the_record(db):
    with serving(db) as base:
        login = Login(base)
        counts = _statuses(_all_at_once(60, lambda i: login.post("claire", f"essai-{i}")))
        assert counts == {401: login_limits.FREE_FAILURES, 429: 60 - login_limits.FREE_FAILURES}
        login.close()


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(db):
    def guesses(login: Login) -> dict[int, int]:
        return _statuses(
            [
                login.post("claire", "mauvais-mot", {"x-forwarded-for": f"10.1.0.{i}"})
                for i in range(20)
            ]
        )

    with serving(db) as base:
        login = Login(base)
        counts = guesses(login)
        assert counts == {401: login_limits.FREE_FAILURES, 429: 20 - login_limits.FREE_FAILURES}
        login.close()
    with serving(db, forwarded_allow_ips="127.0.0.1") as base:
        login = Login(base)
        assert guesses(login) == {401: 20}
        with sqlite3.connect(store_path(db)) as con:
            clients = {c for (c,) in con.execute("SELECT DISTINCT client FROM login_attempts")}
        assert "10.1.0.7" in clients
        plain = login.post("victor", PASSWORD, {"x-forwarded-for": "10.2.0.1"})
        assert plain.status_code == 303 and "secure" not in plain.headers["set-cookie"].lower()
        https = {"x-forwarded-for": "10.2.0.2", "x-forwarded-proto": "https"}
        secure = login.post("victor", PASSWORD, https)
        assert secure.status_code == 303 and "; secure" in secure.headers["set-cookie"].lower()
        login.close()


def test_secure_cookies_option_marks_the_session_cookie(db):
    with serving(db, secure_cookies=True) as base:
        login = Login(base)
        response = login.post("claire", PASSWORD)
        assert response.status_code == 303
        assert "; secure" in response.headers["set-cookie"].lower()
        login.close()


def _age_attempts(db: Path, seconds: float) -> None:
    """Move every recorded attempt `seconds` into the past, as if that time had gone by."""
    with sqlite3.connect(store_path(db)) as con:
        rows = con.execute("SELECT attempt_id, attempted_at FROM login_attempts").fetchall()
        for attempt_id, at in rows:
            older = datetime.fromisoformat(at).timestamp() - seconds
            stamp = datetime.fromtimestamp(older, datetime.fromisoformat(at).tzinfo)
            con.execute(
                "UPDATE login_attempts SET attempted_at = ? WHERE attempt_id = ?",
                [stamp.isoformat(), attempt_id],
            )


def test_the_right_password_is_refused_no_longer_than_the_growing_delay(db):
    with serving(db) as base:
        login = Login(base)
        for i in range(login_limits.FREE_FAILURES):
            assert login.post("claire", f"essai-{i}").status_code == 401
        first = login.post("claire", PASSWORD)
        assert first.status_code == 429
        delay = login_limits.delay_after(login_limits.FREE_FAILURES).total_seconds()
        assert 1 <= int(first.headers["retry-after"]) <= delay
        # another name from the same address is not held up
        assert login.post("victor", PASSWORD).status_code == 303
        _age_attempts(db, delay)
        assert login.post("claire", "encore-faux").status_code == 401
        longer = login.post("claire", PASSWORD)
        assert longer.status_code == 429
        assert int(longer.headers["retry-after"]) > delay
        _age_attempts(db, login_limits.MAX_DELAY.total_seconds())
        assert login.post("claire", PASSWORD).status_code == 303
        # a success clears the pair's failures: the next mistake is free again
        assert login.post("claire", "faux-encore").status_code == 401
        login.close()
    assert login_limits.delay_after(100) == login_limits.MAX_DELAY


def _peak_and_current_rss(pid: int) -> tuple[int, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    peak = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
    now = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
    return peak * 1024, now * 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_concurrent_password_checks_are_bounded_in_memory(db):
    """80 logins at once from 80 addresses (a trusted proxy): each gets its password checked,
    but at most four checks of 64 MiB run at a time, so the desk stays well under 1 GB."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VEILLE_")}
    env["PYTHONPATH"] = str(REPO)
    port = _free_port()
    args = ["review", "--db", str(db), "--port", str(port), "--forwarded-allow-ips", "127.0.0.1"]
    process = subprocess.Popen(
        [sys.executable, "-m", "veille.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/login", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("veille review did not start")
                time.sleep(0.1)
        login = Login(base)
        _, before = _peak_and_current_rss(process.pid)
        responses = _all_at_once(
            80,
            lambda i: login.post(
                f"nobody{i}", "mauvais-mot", {"x-forwarded-for": f"10.3.{i // 200}.{i % 200}"}
            ),
        )
        assert _statuses(responses) == {401: 80}
        peak, _ = _peak_and_current_rss(process.pid)
        assert peak - before < 700 * 1024 * 1024
        login.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
