"""robots.txt: how each answer is read, the run-long cache, and the fetcher obeying it."""

import threading
import time

import pytest

from pipeline.collect.fetch import Fetcher, FetchRequest, HttpSettings
from pipeline.collect.robots import RobotsCache, origin_of, robots_url, rules_from_response
from tests.httpserver import LoopbackServer, Route

UA = "veille/0.1 (+https://github.com/veille-project/veille)"
ORIGIN = "https://www.lepopulaire.fr"
ROBOTS = b"""# Le Populaire du Centre
User-agent: *
Disallow: /abonnes/
Crawl-delay: 5

User-agent: veille
Disallow: /recherche
Allow: /
Request-rate: 10/4

User-agent: GPTBot
Disallow: /
"""


def test_origin_and_robots_url():
    assert origin_of("HTTPS://WWW.LePopulaire.fr:443/limoges/eco.html?x=1#a") == (
        "https://www.lepopulaire.fr:443"
    )
    assert robots_url("http://127.0.0.2:8080/a/b") == "http://127.0.0.2:8080/robots.txt"


def test_our_own_group_wins_over_the_star_group():
    rules = rules_from_response(ORIGIN, 200, ROBOTS, UA)
    assert rules.allows(f"{ORIGIN}/abonnes/article.html")  # only `*` forbids it
    assert not rules.allows(f"{ORIGIN}/recherche?q=kaolin")
    assert rules.crawl_delay() == 0.4  # Request-rate: 10 requests per 4 s
    star = rules_from_response(ORIGIN, 200, ROBOTS, "autrebot/1.0")
    assert not star.allows(f"{ORIGIN}/abonnes/article.html")
    assert star.crawl_delay() == 5.0


@pytest.mark.parametrize(
    ("line", "delay"),
    [("Crawl-delay: 2.5", 3.0), ("crawl-delay:0.5 # gentle", 1.0), ("Crawl-delay: 4", 4.0)],
)
def test_a_decimal_crawl_delay_is_rounded_up_not_dropped(line, delay):
    body = f"User-agent: *\n{line}\nDisallow: /prive/\n".encode()
    rules = rules_from_response(ORIGIN, 200, body, UA)
    assert rules.crawl_delay() == delay
    assert not rules.allows(f"{ORIGIN}/prive/a.html")


@pytest.mark.parametrize(
    ("status", "allowed", "reason"),
    [
        (200, True, "HTTP 200: rules parsed"),
        (404, True, "HTTP 404: no usable robots.txt, all allowed"),
        (410, True, "HTTP 410: no usable robots.txt, all allowed"),
        (301, True, "HTTP 301: no usable robots.txt, all allowed"),  # too many redirects
        (401, False, "HTTP 401: all disallowed"),
        (403, False, "HTTP 403: all disallowed"),
        (429, False, "HTTP 429: unavailable, all disallowed for this run"),
        (500, False, "HTTP 500: unavailable, all disallowed for this run"),
        (503, False, "HTTP 503: unavailable, all disallowed for this run"),
        (None, False, "network error: unavailable, all disallowed for this run"),
    ],
)
def test_status_policy(status, allowed, reason):
    rules = rules_from_response(ORIGIN, status, b"User-agent: *\nAllow: /\n", UA)
    assert rules.allows(f"{ORIGIN}/limoges/economie.html") is allowed
    assert rules.reason == reason
    assert rules.crawl_delay() is None


def test_empty_or_garbled_robots_allows_all():
    for body in (b"", b"\xff\xfe<html>Bienvenue</html>", b"Disallow /sans-deux-points\n"):
        assert rules_from_response(ORIGIN, 200, body, UA).allows(f"{ORIGIN}/a")


def test_cache_fetches_each_origin_once_even_from_many_threads():
    calls: list[str] = []

    def fetch(url: str, allow_private: bool) -> tuple[int | None, bytes, str | None]:
        calls.append(url)
        time.sleep(0.05)
        return 200, b"User-agent: *\nDisallow: /prive/\n", None

    cache = RobotsCache(UA, fetch)
    assert cache.cached(f"{ORIGIN}/a") is None
    threads = [
        threading.Thread(target=cache.rules_for, args=(f"{ORIGIN}/page{i}",)) for i in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cache.rules_for("http://autre.example/x")
    assert calls == [f"{ORIGIN}/robots.txt", "http://autre.example/robots.txt"]
    assert not cache.cached(f"{ORIGIN}/prive/x").allows(f"{ORIGIN}/prive/x")


def fetcher() -> Fetcher:
    return Fetcher(HttpSettings(min_delay_s=0.0, backoff_s=0.01, retries=1))


@pytest.mark.parametrize(
    ("robots", "error"),
    [
        (Route(404, b"absent"), None),
        (Route(403, b"interdit"), "refused: robots.txt disallows {url} (HTTP 403: all disallowed)"),
        (Route(401, b"auth"), "refused: robots.txt disallows {url} (HTTP 401: all disallowed)"),
        (
            Route(503, b"surcharge"),
            "refused: robots.txt disallows {url} (HTTP 503: unavailable, all disallowed for this run)",
        ),
    ],
)
def test_fetcher_obeys_robots_status(robots, error):
    with LoopbackServer(
        {"/robots.txt": robots, "/a": Route(200, b"<p>a</p>"), "/b": Route(200, b"<p>b</p>")}
    ) as srv:
        client = fetcher()
        first, second = client.get_many(
            [FetchRequest(srv.url + "/a", True), FetchRequest(srv.url + "/b", True)]
        )
    hits = [path for path, _ in srv.hits]
    assert first.error == (error.format(url=srv.url + "/a") if error else None)
    # Fetched once per run: a 503 is retried within the fetch, then kept for the run.
    assert hits.count("/robots.txt") == (2 if robots.status == 503 else 1)
    assert ("/a" in hits) is (error is None)
    assert second.error == (error.format(url=srv.url + "/b") if error else None)
    assert client.robots_rules(srv.url + "/c", True).status == robots.status


def test_robots_can_be_switched_off():
    with LoopbackServer({"/robots.txt": Route(200, b"User-agent: *\nDisallow: /\n")}) as srv:
        result = Fetcher(HttpSettings(min_delay_s=0.0, obey_robots=False)).get(
            srv.url + "/a", allow_private=True
        )
    assert result.error == "HTTP 404"
    assert [path for path, _ in srv.hits] == ["/a"]
