"""The queue over years: counted in slices of days from the newest, exact up to a cap ("plus de
10 000" past it), each page the same rows, in the same order, as one query over every match."""

import importlib.util
import re
from dataclasses import replace
from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from pipeline.review import queue as rq
from pipeline.review.queue import open_live
from pipeline.review.users import add_user
from pipeline.warehouse.publish import publish
from pipeline.warehouse.storage import SQL_DIR, read_sql
from tests.review_data import PASSWORD, build_published
from veille.review.app import create_app

_SPEC = importlib.util.spec_from_file_location(
    "bench_warehouse", SQL_DIR.parent / "bench" / "warehouse.py"
)
warehouse = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(warehouse)


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """A year of generated news (2,000 articles, about 20,000 mentions, some reviewed),
    published, with a reviewer."""
    db = tmp_path_factory.mktemp("year") / "w.duckdb"
    warehouse.generate(db, 2000, 10, 1, 600)
    publish(db)
    add_user(db, "claire", "reviewer", PASSWORD)
    return db


def _every_match(con, flt: rq.QueueFilter) -> list[str]:
    """The queue's mention ids for `flt` in one query over every match (what a page must cut)."""
    matching = read_sql("review/queue_matching.sql")
    rows = con.execute(
        f"SELECT m.mention_id {matching} ORDER BY {rq.QUEUE_ORDER}", flt.params()
    ).fetchall()
    return [mention_id for (mention_id,) in rows]


FILTERS = [
    {},
    {"kind": "official"},
    {"status": "all", "q": "RÉGION"},
    {"status": "all", "kind": "funding"},
    {"region": "Bretagne"},
    {"status": "accepted"},
    {"status": "rejected"},
]


@pytest.mark.parametrize("params", FILTERS)
def test_each_page_is_the_slice_of_every_match_and_the_count_is_exact_below_the_cap(
    year, monkeypatch, params
):
    monkeypatch.setattr(rq, "COUNT_CAP", 300)
    monkeypatch.setattr(rq, "FIRST_SLICE_DAYS", 3)  # many slices over the year
    with open_live(year) as con:
        first_day = rq.snapshot_facts(con)["first_day"]
        flt = rq.parse_filter({**params, "from": str(first_day)})
        every = _every_match(con, flt)
        assert every, params
        for offset in (0, 50, 250, 300, 400, len(every) - 10, len(every) + 50):
            if offset < 0:
                continue
            page = rq.queue_page(con, flt, 50, offset)
            assert [r["mention_id"] for r in page.rows] == every[offset : offset + 50], offset
            assert page.has_next == (len(every) > offset + 50)
            if page.exact:
                assert page.total == len(every)
            else:
                assert 300 < page.total <= len(every) and page.total > offset + 50
        assert rq.queue_page(con, flt, 50, 0).exact == (len(every) <= 300)


def test_a_date_range_is_counted_and_paged_within_its_days(year, monkeypatch):
    monkeypatch.setattr(rq, "FIRST_SLICE_DAYS", 2)
    with open_live(year) as con:
        last = rq.snapshot_facts(con)["last_day"]
        flt = rq.parse_filter(
            {
                "status": "all",
                "from": str(last - timedelta(days=40)),
                "to": str(last - timedelta(days=10)),
            }
        )
        every = _every_match(con, flt)
        page = rq.queue_page(con, flt, 20, 30)
        assert page.exact and page.total == len(every) > 50
        assert [r["mention_id"] for r in page.rows] == every[30:50]
        days = {r["day"] for r in page.rows}
        assert all(last - timedelta(days=40) <= day <= last - timedelta(days=10) for day in days)
        backwards = replace(flt, date_from=flt.date_to, date_to=flt.date_from)
        assert rq.queue_page(con, backwards) == rq.QueuePage([], 0, True, False)


def _client(db):
    client = TestClient(create_app(db))
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"name": "claire", "password": PASSWORD, "csrf": token})
    return client


def test_the_desk_says_plus_de_past_the_cap_and_still_offers_the_next_page(year, monkeypatch):
    monkeypatch.setattr(rq, "COUNT_CAP", 100)
    client = _client(year)
    with open_live(year) as con:
        first_day = rq.snapshot_facts(con)["first_day"]
    page = client.get("/", params={"from": str(first_day), "page": "2"})
    assert page.status_code == 200
    total = re.search(r'<strong id="total">([^<]+)</strong>', page.text).group(1)
    assert total == "plus de 100"
    assert "mentions · page 2</p>" in page.text  # no "/ N": the last page is not known
    assert "Tout accepter (plus de 100)…" in page.text
    assert 'rel="next"' in page.text and 'rel="prev"' in page.text
    assert page.text.count('class="mention"') == rq.PAGE_SIZE


def test_below_the_cap_the_desk_shows_the_exact_count_and_the_last_page(year):
    client = _client(year)
    with open_live(year) as con:
        flt = rq.with_default_window(con, rq.parse_filter({"kind": "funding", "status": "all"}))
        expected = len(_every_match(con, flt))
    assert 0 < expected <= rq.COUNT_CAP
    pages = (expected + rq.PAGE_SIZE - 1) // rq.PAGE_SIZE
    page = client.get("/", params={"kind": "funding", "status": "all", "page": str(pages)})
    assert re.search(r'<strong id="total">([^<]+)</strong>', page.text).group(1) == str(expected)
    if pages > 1:
        assert f"page {pages} / {pages}" in page.text
    assert 'rel="next"' not in page.text


def test_the_search_is_literal_and_ignores_case(tmp_path):
    db = build_published(tmp_path / "veille.duckdb")
    with open_live(db) as con:

        def found(q):
            return rq.queue(con, rq.parse_filter({"status": "all", "q": q}))[0]

        assert found("1,2 million") > 0  # "1,2 million d'euros au pôle Valorial"
        assert found("1.2 million") == 0  # the dot is a dot, not any character
        assert found("RÉGION BRETAGNE") == found("région bretagne") > 0
        assert found("alert(1)") > 0  # in a title: parentheses are plain characters too
        assert found("[") == found("*") == found("?") == 0
