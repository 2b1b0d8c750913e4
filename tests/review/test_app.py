"""The review desk over HTTP: login, permissions, CSRF, escaping of scraped text, decisions."""

import re
import warnings
from html import unescape

import pytest

with warnings.catch_warnings():
    # Starlette 1.x suggests httpx2 for its test client; httpx (what Dagster ships) still works.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from pipeline.review.login_limits import FREE_FAILURES
from pipeline.warehouse.review_store import read_decisions
from tests.review_data import EVIL, PASSWORD, build_published, mention_id
from veille.review.app import create_app


@pytest.fixture
def db(tmp_path):
    return build_published(tmp_path / "veille.duckdb")


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _login(client: TestClient, name: str, password: str = PASSWORD, next_url: str = "/"):
    token = _csrf(client.get("/login").text)
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf": token, "next": next_url},
        follow_redirects=False,
    )


def _client(db, name: str | None = None) -> TestClient:
    client = TestClient(create_app(db))
    if name:
        assert _login(client, name).status_code == 303
    return client


def test_pages_need_a_login_and_the_session_cookie_is_http_only(db):
    client = _client(db)
    response = client.get("/digest", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2Fdigest"
    response = _login(client, "claire", next_url="/digest")
    assert response.status_code == 303 and response.headers["location"] == "/digest"
    cookie = response.headers["set-cookie"]
    assert "veille_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    page = client.get("/")
    assert page.status_code == 200 and "File de revue" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    # an off-site "next" is ignored
    other = _client(db)
    assert _login(other, "claire", next_url="//evil.example/").headers["location"] == "/"


def test_failed_logins_are_refused_then_rate_limited(db):
    client = _client(db)
    for _ in range(FREE_FAILURES):
        assert _login(client, "claire", "mauvais").status_code == 401
    blocked = _login(client, "claire", PASSWORD)
    assert blocked.status_code == 429 and "Trop de tentatives" in blocked.text
    assert int(blocked.headers["retry-after"]) >= 1


def test_every_form_needs_the_session_csrf_token(db):
    client = _client(db, "claire")
    target = f"/mention/{mention_id('valorial', 'cluster')}/accept"
    assert client.post(target, data={"next": "/"}).status_code == 403
    assert client.post(target, data={"csrf": "faux", "next": "/"}).status_code == 403
    assert client.post("/logout", data={}).status_code == 403
    login = TestClient(create_app(db)).post(
        "/login", data={"name": "claire", "password": PASSWORD, "csrf": "x"}
    )
    assert login.status_code == 403
    assert read_decisions(db) == []
    assert _client(db).post(target, data={"csrf": "x"}).status_code == 401


def test_viewers_read_and_export_but_cannot_decide(db):
    client = _client(db, "victor")
    page = client.get("/")
    assert page.status_code == 200 and "Accepter" not in page.text
    token = _csrf(page.text)  # the logout form's token
    target = f"/mention/{mention_id('valorial', 'cluster')}/accept"
    assert client.post(target, data={"csrf": token, "next": "/"}).status_code == 403
    assert client.post("/bulk-accept", data={"csrf": token}).status_code == 403
    assert client.get("/export.csv").status_code == 200
    assert read_decisions(db) == []


def test_scraped_markup_is_shown_inert(db):
    client = _client(db, "claire")
    for url in (
        "/article/piege",
        "/?q=piégé&status=all",
        f"/mention/{mention_id('piege', 'cluster')}",
    ):
        html = client.get(url).text
        assert EVIL not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<img" not in html and "onerror=alert" not in html.replace(
            "&lt;img src=x onerror=alert", ""
        )
        assert 'href="javascript:' not in html.lower()
        assert "lien d'origine non sûr" in html


def test_a_reviewer_accepts_rejects_corrects_adds_and_bulk_accepts(db):
    client = _client(db, "claire")
    token = _csrf(client.get("/").text)
    cluster, funding = mention_id("valorial", "cluster"), mention_id("valorial", "funding")
    ok = client.post(f"/mention/{cluster}/accept", data={"csrf": token, "next": "/?kind=cluster"})
    assert ok.url.path == "/" and "Mention acceptée" in ok.text
    bad = client.post(
        f"/mention/{funding}/reject", data={"csrf": token, "reason": "je ne sais pas"}
    )
    assert bad.status_code == 400
    client.post(f"/mention/{funding}/correct", data={"csrf": token, "amount_eur": "1 500 000"})
    page = client.get(f"/mention/{funding}")
    assert "1\u202f500\u202f000\u00a0€" in page.text and "claire" in page.text
    assert "1200000" in page.text  # the audit trail keeps the previous value
    added = client.post(
        "/article/aero/add",
        data={"csrf": token, "kind": "cluster", "text": "appel à projets", "name": "AAP"},
    )
    assert "Mention ajoutée" in added.text and "ajoutée" in added.text
    client.post("/bulk-accept", data={"csrf": token, "kind": "location", "status": "unreviewed"})
    statuses = [(d["kind"], d["status"]) for d in read_decisions(db)]
    assert statuses == [
        ("cluster", "accepted"),
        ("funding", "corrected"),
        ("cluster", "added"),
        ("location", "accepted"),
        ("location", "accepted"),
    ]
    csv_text = client.get("/export.csv?kind=funding").content.decode("utf-8-sig")
    assert "1500000" in csv_text and "corrigée" in csv_text
    assert client.get("/digest?period=week&date=2026-11-05").status_code == 200
    assert client.get("/digest?period=mois").status_code == 400


def test_a_bulk_acceptance_is_undone_in_one_click_by_its_author_only(db):
    from pipeline.review.users import add_user

    add_user(db, "paul", "reviewer", PASSWORD)
    claire = _client(db, "claire")
    token = _csrf(claire.get("/").text)
    done = claire.post("/bulk-accept", data={"csrf": token, "kind": "location"})
    assert "2 mentions acceptées." in done.text
    assert 'action="/bulk-undo"' in done.text and ">Annuler</button>" in done.text
    batch_id = re.search(r'name="batch" value="([0-9a-f]{16})"', done.text).group(1)
    after_bulk = len(read_decisions(db))
    form = {"batch": batch_id, "kind": "location", "status": "unreviewed"}

    # Neither a viewer nor another reviewer may undo it; the other reviewer is not offered to.
    victor = _client(db, "victor")
    refused = victor.post("/bulk-undo", data={**form, "csrf": _csrf(victor.get("/").text)})
    assert refused.status_code == 403
    paul = _client(db, "paul")
    shown = paul.get(f"/?kind=location&msg=bulk&n=2&batch={batch_id}")
    assert "2 mentions acceptées." in shown.text and "/bulk-undo" not in shown.text
    other = paul.post("/bulk-undo", data={**form, "csrf": _csrf(shown.text)})
    assert other.status_code == 403 and "Annulation refusée : seul·e claire" in other.text
    assert len(read_decisions(db)) == after_bulk

    undone = claire.post("/bulk-undo", data={**form, "csrf": token})
    assert undone.status_code == 200 and undone.url.path == "/"
    assert "Acceptation en lot annulée : 2 mentions remises dans l'état d'avant." in unescape(
        undone.text
    )
    assert re.search(r'id="total">2<', undone.text)  # both back in the queue
    assert "/bulk-undo" not in undone.text
    again = claire.post("/bulk-undo", data={**form, "csrf": token})
    assert again.status_code == 400 and "Annulation impossible : rien à annuler" in again.text
    assert [d["status"] for d in read_decisions(db)][-3:] == ["accepted", "undone", "undone"]

    page = unescape(claire.get(f"/mention/{mention_id('valorial', 'location')}").text)
    history = page.split('<table class="history">')[1].split("</table>")[0]
    assert "annulation de l'acceptation en lot" in history
    assert "acceptée en lot (annulée depuis)" in history and "à revoir" in history
    assert "unreviewed" not in history


def test_a_mention_that_cannot_be_added_is_refused_in_french(db):
    client = _client(db, "claire")
    token = _csrf(client.get("/").text)
    for data, words in (
        ({"kind": "cluster", "text": "Minalogic"}, "ce texte n'est pas dans l'article"),
        ({"kind": "cluster", "text": "   "}, "le texte de la mention est vide"),
        ({"kind": "pays", "text": "Toulouse"}, "type de mention inconnu"),
    ):
        response = client.post("/article/aero/add", data={"csrf": token, **data})
        assert response.status_code == 400
        assert f"Mention non ajoutée : {words}" in unescape(response.text)
        assert not re.search(r"\b(the|is|not in|unknown|empty)\b", response.text.split("<main")[1])
    assert read_decisions(db) == []


def test_a_missing_snapshot_gets_a_french_page_and_the_cause_goes_to_the_log(db, caplog):
    client = _client(db, "claire")
    db.unlink()
    with caplog.at_level("WARNING", logger="veille.review.app"):
        response = client.get("/")
    assert response.status_code == 503
    assert "Base indisponible : la base publiée est absente" in response.text
    assert "no database" not in response.text and str(db) not in response.text
    assert "no database at" in caplog.text


def test_the_frameworks_own_errors_are_said_in_french(db):
    client = _client(db, "claire")
    for response, status, words in (
        (client.get("/nulle-part"), 404, "Page introuvable"),
        (client.get("/static/absent.css"), 404, "Page introuvable"),
        (client.post("/", data={}), 405, "méthode non autorisée"),
    ):
        assert response.status_code == status
        assert words in response.text
        assert "Not Found" not in response.text and "Method Not Allowed" not in response.text


def test_once_a_decision_is_answered_its_rows_are_computed_for_the_next_request(db):
    # The rows a decision changes are computed after its answer is sent, so the next request,
    # whoever makes it, reads them ready rather than computing them.
    from pipeline.review import queue as rq
    from pipeline.warehouse.review_store import store_version

    client = _client(db, "claire")
    token = _csrf(client.get("/").text)
    cluster = mention_id("valorial", "cluster")
    done = client.post(
        f"/mention/{cluster}/reject",
        data={"csrf": token, "reason": "doublon", "next": "/"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    live = rq._live[str(db.resolve())]
    assert live.seen == store_version(db) > 0
    rows = live.mentions.to_pylist()
    statuses = {row["mention_id"]: row["review_status"] for row in rows}
    assert statuses == {cluster: "rejected"}
