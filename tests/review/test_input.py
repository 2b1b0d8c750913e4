"""What the desk does with hostile or absurd input: redirects off-site, huge numbers, dates at the
calendar's ends, infinite amounts, oversized fields and bodies; and `veille query` given a path."""

import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import duckdb
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from pipeline.warehouse.review_store import read_decisions
from pipeline.warehouse.storage import connect_published
from tests.review_data import PASSWORD, build_published, mention_id
from veille.review.app import MAX_BODY, SecurityHeaders, create_app
from veille.review.checks import local_target

REPO = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return build_published(tmp_path_factory.mktemp("desk") / "veille.duckdb")


@pytest.fixture
def client(db):
    client = TestClient(create_app(db))
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    login = client.post(
        "/login",
        data={"name": "claire", "password": PASSWORD, "csrf": token},
        follow_redirects=False,
    )
    assert login.status_code == 303
    client.token = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)
    return client


def _refused(response, words: str) -> None:
    assert response.status_code == 400, response.text[:300]
    assert words in response.text
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example/x",
        "/\n/evil.example/x",
        "/\r\n/evil.example",
        "/ /evil.example",
        "//evil.example/x",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "evil.example",
        "/\x00/evil.example",
        "/\u2028/evil.example",
        " /ok",
    ],
)
def test_redirect_targets_off_site_or_with_control_characters_are_refused(target):
    assert local_target(target, "/defaut") == "/defaut"


def test_redirect_targets_on_site_are_kept_as_parsed():
    assert local_target("/?kind=cluster&status=all#m1") == "/?kind=cluster&status=all#m1"
    assert local_target("/mention/abc?next=%2F") == "/mention/abc?next=%2F"


def test_the_back_link_of_a_mention_never_leads_off_site(client):
    mention = mention_id("valorial", "cluster")
    page = client.get(f"/mention/{mention}?next=/%09/evil.example/x")
    assert page.status_code == 200
    back = re.search(r'<a href="([^"]*)">← Retour</a>', page.text).group(1)
    assert back == "/" and "evil.example" not in page.text


def test_a_decision_with_a_bad_next_lands_on_the_queue_not_a_405(client, db):
    mention = mention_id("valorial", "location")
    response = client.post(
        f"/mention/{mention}/accept",
        data={"csrf": client.token, "next": "/\t/evil.example"},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/?msg=accepted"
    assert client.get(response.headers["location"]).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/?page=9999999999999999999",
        "/?page=0",
        "/?page=-3",
        "/?page=deux",
        "/?page=%D9%A3",  # an Arabic-Indic digit three: a digit to Python, not a page number
    ],
)
def test_bad_page_numbers_get_a_400_in_french(client, url):
    _refused(client.get(url), "numéro de page invalide")


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/digest?date=0001-01-01&period=week", "date hors limites"),
        ("/digest?date=9999-12-31", "date hors limites"),
        ("/digest?date=demain", "date invalide"),
        ("/digest?period=year", "période invalide"),
        ("/?from=0001-01-01", "hors limites"),
        ("/export.csv?to=9999-12-31", "hors limites"),
    ],
)
def test_bad_dates_and_periods_get_a_400_in_french(client, url, words):
    _refused(client.get(url), words)


@pytest.mark.parametrize("amount", ["inf", "-inf", "1e400", "1e308", "nan", "-5", "2e12"])
def test_amounts_must_be_finite_and_sane(client, db, amount):
    funding = mention_id("valorial", "funding")
    before = len(read_decisions(db))
    response = client.post(
        f"/mention/{funding}/correct", data={"csrf": client.token, "amount_eur": amount}
    )
    _refused(response, "montant invalide")
    added = client.post(
        "/article/aero/add",
        data={
            "csrf": client.token,
            "kind": "funding",
            "text": "800 000 euros",
            "amount_eur": amount,
        },
    )
    _refused(added, "montant invalide")
    assert len(read_decisions(db)) == before


def test_text_fields_are_capped(client, db):
    funding = mention_id("valorial", "funding")
    before = len(read_decisions(db))
    long_name = client.post(
        f"/mention/{funding}/correct", data={"csrf": client.token, "funder": "R" * 301}
    )
    _refused(long_name, "300 caractères au plus")
    long_quote = client.post(
        "/article/aero/add",
        data={"csrf": client.token, "kind": "quote", "text": "« " + "x" * 3000 + " »"},
    )
    _refused(long_quote, "3000 caractères au plus")
    long_field = client.post(
        "/article/aero/add",
        data={"csrf": client.token, "kind": "cluster", "text": "appel", "name": "n" * 301},
    )
    _refused(long_field, "300 caractères au plus")
    assert len(read_decisions(db)) == before
    fits = client.post(
        f"/mention/{funding}/correct", data={"csrf": client.token, "funder": "R" * 300}
    )
    assert fits.status_code == 200 and len(read_decisions(db)) == before + 1


def test_oversized_bodies_are_refused_with_the_security_headers(client, db):
    before = len(read_decisions(db))
    funding = mention_id("valorial", "funding")
    response = client.post(
        f"/mention/{funding}/correct",
        data={"csrf": client.token, "funder": "R" * (MAX_BODY + 1)},
    )
    assert response.status_code == 413 and "trop volumineuse" in response.text
    assert "default-src 'none'" in response.headers["content-security-policy"]
    chunked = client.post(
        f"/mention/{funding}/correct",
        content=iter([b"csrf=x&funder=", b"R" * MAX_BODY, b"R" * 10]),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert chunked.status_code == 413
    assert len(read_decisions(db)) == before


def test_an_unexpected_error_gets_a_french_500_with_the_security_headers():
    def broken(request):
        raise OverflowError("date value out of range")

    app = Starlette(routes=[Route("/", broken)], middleware=[Middleware(SecurityHeaders)])
    response = TestClient(app, raise_server_exceptions=False).get("/")
    assert response.status_code == 500 and "Erreur interne" in response.text
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "OverflowError" not in response.text


def _veille(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VEILLE_")}
    env.update(PYTHONPATH=str(REPO), VEILLE_DB=str(db))
    return subprocess.run(
        [sys.executable, "-m", "veille.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_veille_query_accepts_only_listed_names_never_paths(db, tmp_path):
    evil = tmp_path / "evil.sql"
    evil.write_text("SELECT content FROM read_text('/etc/hostname')\n")
    for name in ("../review/latest_day", str(evil.with_suffix("")), "../queries/top_clusters"):
        done = _veille("query", name, db=db)
        assert done.returncode == 2 and "no query named" in done.stderr
    assert _veille("query", "top_clusters", db=db).returncode == 0


def test_the_analysts_connection_cannot_reach_other_files(db, tmp_path):
    with connect_published(db, external_access=False) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] > 0
        with pytest.raises(duckdb.PermissionException):
            con.execute("SELECT content FROM read_text('/etc/hostname')")
        with pytest.raises(duckdb.Error):
            con.execute(f"COPY articles TO '{tmp_path / 'out.csv'}'")
    assert not (tmp_path / "out.csv").exists()
