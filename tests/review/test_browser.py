"""The review desk driven like a person would, in Debian's chromium through Playwright.

The real app runs in-process under uvicorn on a free loopback port, over a published database
built in tmp_path. Screenshots of the queue and the article view go to the test's tmp_path and to
test-output/screenshots/ for a human to look at. Without a browser the tests fail on CI (env
`CI`) and are skipped elsewhere.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from pipeline.warehouse.publish import publish
from pipeline.warehouse.review_store import read_decisions
from pipeline.warehouse.storage import connect_published
from tests.review_data import PASSWORD, build_published, mention_id
from veille.review.app import create_app

SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "test-output" / "screenshots"


def _browser_path() -> str:
    found = os.environ.get("VEILLE_BROWSER") or shutil.which("chromium")
    if found and Path(found).exists():
        return found
    reason = (
        "no chromium: install Debian's chromium (apt-get install chromium) or set VEILLE_BROWSER"
    )
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def desk(tmp_path):
    """The desk served on 127.0.0.1:<free port>; yields (base URL, database)."""
    db = build_published(tmp_path / "veille.duckdb")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the review desk did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", db
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(desk):
    from playwright.sync_api import sync_playwright

    executable = _browser_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        yield context.new_page()
        context.close()
        browser.close()


def _shot(page, tmp_path: Path, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(tmp_path / name), full_page=True)
    shutil.copyfile(tmp_path / name, SCREENSHOTS / name)


def _log_in(page, base: str, name: str, start: str = "/login") -> None:
    """Open `start` (a page that asks to log in first), log in as `name` and wait for the queue."""
    page.goto(base + start)
    page.get_by_label("Nom d'utilisateur").fill(name)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("heading", name="File de revue").wait_for()


def test_a_reviewer_works_through_the_morning_queue(desk, page, tmp_path):
    base, db = desk
    _log_in(page, base, "claire", start="/")
    _shot(page, tmp_path, "queue.png")

    # filter: funding only, then accept the first one with the keyboard
    page.get_by_label("Type").select_option("funding")
    page.get_by_role("button", name="Filtrer").click()
    assert page.locator("#total").inner_text() == "2"
    page.keyboard.press("a")
    page.get_by_text("Mention acceptée.").wait_for()
    assert page.locator("#total").inner_text() == "1"

    # reject the other one with a reason from the list
    item = page.locator("li.mention").first
    item.get_by_label("Motif du rejet").select_option("doublon")
    item.get_by_role("button", name="Rejeter").click()
    page.get_by_text("Mention rejetée.").wait_for()
    assert page.locator("#total").inner_text() == "0"

    # correct the accepted one's amount from the mention page
    page.goto(f"{base}/mention/{mention_id('aero', 'funding')}")
    page.get_by_label("montant (€)").fill("1 500 000")
    page.get_by_role("button", name="Enregistrer la correction").click()
    page.get_by_text("Correction enregistrée.").wait_for()
    assert "1\u202f500\u202f000\u00a0€" in page.locator("dl.fields").inner_text()
    assert page.locator("table.history tbody tr").count() == 2

    # the article view, scraped markup inert
    page.goto(f"{base}/article/piege")
    page.get_by_role("heading", name="Titre piégé <script>alert(1)</script>").wait_for()
    assert page.locator("#article-text script, #article-text img").count() == 0
    _shot(page, tmp_path, "article.png")

    # export the validated mentions as CSV
    page.goto(f"{base}/?status=validated")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert content.count("\n") == 2 and "1500000" in content  # header + the accepted one

    # the digest
    page.get_by_role("link", name="Synthèse").click()
    page.get_by_label("Période", exact=True).select_option("week")
    page.get_by_role("button", name="Afficher").click()
    digest = page.locator("#digest").inner_text()
    assert "1\u202f500\u202f000\u00a0€" in digest and "1\u202f200\u202f000" not in digest
    _shot(page, tmp_path, "digest.png")
    assert [d["status"] for d in read_decisions(db)] == ["accepted", "rejected", "corrected"]


def test_a_missed_mention_is_added_by_selecting_text(desk, page):
    base, db = desk
    _log_in(page, base, "claire")
    page.goto(f"{base}/article/aero")
    page.evaluate(
        """() => {
            const node = document.getElementById('article-text');
            const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
            let text;
            while ((text = walker.nextNode())) {
                const at = text.data.indexOf('appel à projets');
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(text, at);
                    range.setEnd(text, at + 'appel à projets'.length);
                    getSelection().removeAllRanges();
                    getSelection().addRange(range);
                    node.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
                    return;
                }
            }
        }"""
    )
    assert page.get_by_label("Texte exact").input_value() == "appel à projets"
    page.get_by_role("button", name="Ajouter la mention").click()
    page.get_by_text("Mention ajoutée.").wait_for()
    (added,) = read_decisions(db)
    assert added["status"] == "added" and '"start": 46' in added["payload"]


def test_the_mention_page_speaks_french_without_jargon(desk, page):
    """Confidence as a percentage, the canonical entity by its name, no rule or id shown."""
    base, _ = desk
    _log_in(page, base, "victor")
    page.goto(base + f"/mention/{mention_id('valorial', 'official')}")
    meta = page.locator("p.muted").first.inner_text()
    assert re.fullmatch(r"Confiance de l'extraction : \d{1,3}\u00a0%.*", meta, re.S), meta
    body = page.locator("main").inner_text()
    assert "Règle" not in body and "_rule" not in body
    assert "person:" not in body and "cluster:" not in body
    assert "présidente" in page.locator("dl.fields").inner_text()  # the role as written
    page.goto(base + "/")
    # Sources by their name, in the list and in the filter.
    assert "Sud Éco" in page.locator("main").inner_text()
    labels = page.locator("#f-source option").all_inner_texts()
    assert labels == ["tous", "Ouest Éco", "Sud Éco"]
    assert page.locator("#f-source option", has_text="Sud Éco").get_attribute("value") == "sud"
    confidences = page.locator("text=/confiance \\d+\u00a0%/").count()
    assert confidences > 0 and page.locator("text=/confiance 0[.,]\\d/").count() == 0


def test_decisions_are_taken_on_the_article_page_which_opens_at_its_title(desk, page):
    base, db = desk
    _log_in(page, base, "claire")

    # Open the article from the queue: its title is in view, the mention outlined.
    page.get_by_label("Type").select_option("official")
    page.get_by_role("button", name="Filtrer").click()
    wanted = mention_id("valorial", "official")
    page.locator(f'a.open[href$="m={wanted}"]').click()
    title = page.get_by_role("heading", level=1)
    title.wait_for()
    box = title.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"]
    item = page.locator(f"#m-{wanted}")
    assert "current" in (item.get_attribute("class") or "")

    # Accept it there, then reject another with a reason, without going back to the queue.
    item.get_by_role("button", name="Accepter").click()
    page.get_by_text("Mention acceptée.").wait_for()
    assert "/article/" in page.url
    item = page.locator(f"#m-{wanted}")
    assert item.locator(".badge.s-accepted").inner_text() == "acceptée"
    other = page.locator(f"#m-{mention_id('valorial', 'location')}")
    other.locator("select[name=reason]").select_option(index=1)
    other.get_by_role("button", name="Rejeter").click()
    page.get_by_text("Mention rejetée.").wait_for()
    statuses = {d["mention_id"]: d["status"] for d in read_decisions(db)}
    assert statuses[wanted] == "accepted"
    assert statuses[mention_id("valorial", "location")] == "rejected"


def test_accepting_a_whole_filter_asks_first_with_the_count(desk, page):
    base, db = desk
    _log_in(page, base, "claire")
    page.get_by_label("Type").select_option("location")
    page.get_by_role("button", name="Filtrer").click()
    total = int(page.locator("#total").inner_text())
    assert total >= 2

    page.get_by_text(f"Tout accepter ({total})…").click()  # asks, decides nothing
    confirm = page.get_by_role("button", name=f"Oui, accepter les {total} mentions")
    confirm.wait_for()
    assert f"Accepter d'un coup les {total} mentions" in page.locator("details.bulk").inner_text()
    assert read_decisions(db) == []

    confirm.click()
    page.get_by_text(f"{total} mentions acceptées.").wait_for()
    accepted = [d for d in read_decisions(db) if d["status"] == "accepted"]
    assert len(accepted) == total


def test_a_bulk_acceptance_is_undone_in_one_click_and_the_publish_agrees(desk, page, tmp_path):
    base, db = desk
    _log_in(page, base, "claire")
    # One mention accepted on its own first: the batch does not include it, the undo keeps it.
    page.keyboard.press("a")
    page.get_by_text("Mention acceptée.").wait_for()
    (alone,) = [d["mention_id"] for d in read_decisions(db)]
    total = int(page.locator("#total").inner_text())
    assert total == 10

    page.get_by_text(f"Tout accepter ({total})…").click()
    page.get_by_role("button", name=f"Oui, accepter les {total} mentions").click()
    flash = page.get_by_role("status")
    flash.get_by_text(f"{total} mentions acceptées.").wait_for()
    assert page.locator("#total").inner_text() == "0"
    _shot(page, tmp_path, "bulk-undo.png")

    flash.get_by_role("button", name="Annuler").click()
    page.get_by_text(
        f"Acceptation en lot annulée : {total} mentions remises dans l'état d'avant."
    ).wait_for()
    assert page.locator("#total").inner_text() == str(total)
    assert page.get_by_role("button", name="Annuler").count() == 0
    statuses = [d["status"] for d in read_decisions(db)]
    assert statuses == ["accepted"] + ["accepted"] * total + ["undone"] * total

    # The mention's history shows the batch, marked as taken back, and the undo.
    undone = next(d["mention_id"] for d in read_decisions(db) if d["status"] == "undone")
    page.goto(f"{base}/mention/{undone}")
    rows = page.locator("table.history tbody tr").all_inner_texts()
    assert len(rows) == 2
    assert "annulation de l'acceptation en lot" in rows[0] and "à revoir" in rows[0]
    assert "acceptée en lot (annulée depuis)" in rows[1]

    publish(db)
    with connect_published(db) as con:
        published = dict(
            con.execute("SELECT mention_id, review_status FROM reviewed_mentions").fetchall()
        )
    assert len(published) == total + 1
    assert published.pop(alone) == "accepted"
    assert set(published.values()) == {"unreviewed"}
