"""One article whose extraction raises costs that article's mentions, never the day.

The failure is injected with `VEILLE_FAULT=extract-error:DAY` (pipeline/ops/faults.py): the funding
component raises on the first article of that day, as a parsing bug in it once did.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipeline import daily
from pipeline.nlp import ExtractionFailed, extract_each, extract_many, extract_text
from pipeline.ops.faults import EXTRACT_FAULT_MARK

DAY = date(2026, 11, 3)
TEXTS = [
    "Le pôle de compétitivité Minalogic reçoit 2 M€ de la Région Auvergne-Rhône-Alpes.",
    "La Région Bretagne verse 300 000 euros à la société Lumina, basée à Lannion.",
    "Le cluster Xylofutur obtient 1,5 million d'euros de Bpifrance pour son programme.",
]


@pytest.fixture
def extract_fault(monkeypatch):
    monkeypatch.setenv("VEILLE_FAULT", f"extract-error:{DAY.isoformat()}")


def test_a_failing_text_is_reported_and_the_others_are_extracted(nlp, extract_fault):
    marked = [(TEXTS[0], "a"), (EXTRACT_FAULT_MARK + TEXTS[1], "b"), (TEXTS[2], "c")]
    results = dict(extract_each(nlp, marked))
    assert list(results) == ["a", "b", "c"]
    failed = results["b"]
    assert isinstance(failed, ExtractionFailed)
    assert failed.component == "veille_funding"
    assert isinstance(failed.error, ValueError)
    assert str(failed) == "veille_funding: ValueError: injected fault in veille_funding"
    assert results["a"] == extract_text(nlp, TEXTS[0])
    assert results["c"] == extract_text(nlp, TEXTS[2])
    assert any(m["kind"] == "funding" for m in results["c"])


def test_extract_many_still_raises_at_a_failing_text(nlp, extract_fault):
    with pytest.raises(ExtractionFailed, match="veille_funding"):
        list(extract_many(nlp, [(TEXTS[0], "a"), (EXTRACT_FAULT_MARK + TEXTS[1], "b")]))


def test_a_failure_in_a_batch_of_many_costs_only_its_text(nlp, extract_fault):
    texts = [(f"{TEXTS[i % 3]} Article {i}.", str(i)) for i in range(20)]
    texts[5] = (EXTRACT_FAULT_MARK + texts[5][0], "5")
    results = list(extract_each(nlp, texts, batch_size=8))
    assert [key for key, _ in results] == [str(i) for i in range(20)]
    failed = [key for key, r in results if isinstance(r, ExtractionFailed)]
    assert failed == ["5"]
    clean = dict(extract_each(nlp, [t for t in texts if t[1] != "5"], batch_size=8))
    assert {k: r for k, r in results if k != "5"} == clean


def _articles() -> list[dict]:
    return [
        {
            "article_id": f"{letter}{'0' * 15}",
            "partition_date": DAY,
            "url": f"https://exemple.fr/eco/{letter}.html",
            "source": "exemple",
            "text": text,
        }
        for letter, text in zip("abc", TEXTS, strict=True)
    ]


def test_build_mentions_logs_the_failed_article_and_keeps_the_others(nlp, monkeypatch):
    clean, no_failure = daily.build_mentions(nlp, _articles())
    assert no_failure == []
    monkeypatch.setenv("VEILLE_FAULT", f"extract-error:{DAY.isoformat()}")
    rows, failures = daily.build_mentions(nlp, _articles())
    first = "a" + "0" * 15  # the fault picks the day's first article id
    assert rows == [m for m in clean if m["article_id"] != first]
    assert any(m["article_id"] == first for m in clean)
    (failure,) = failures
    assert failure["kind"] == "extract" and failure["ok"] is False
    assert failure["article_id"] == first and failure["component"] == "veille_funding"
    assert failure["url"] == "https://exemple.fr/eco/a.html"
    assert failure["reason"] == "veille_funding: ValueError: injected fault in veille_funding"


# --- The CLI and the daily run, as a user runs them ---------------------------------------

REPO = Path(__file__).parent.parent


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VEILLE_", "DAGSTER_"))}
    env["PYTHONPATH"] = str(REPO)
    env.update(extra)
    return env


def test_veille_extract_prints_the_failing_input_and_goes_on(tmp_path):
    import json

    inputs = []
    for name, text in (
        ("premier.txt", TEXTS[0]),
        ("casse.txt", EXTRACT_FAULT_MARK + TEXTS[1]),
        ("bourse.txt", "Le CAC 40 termine à 7.612,52 points ; la Région verse 40.126,35 €."),
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        inputs.append(str(path))
    result = subprocess.run(
        [sys.executable, "-m", "veille.cli", "extract", *inputs, "--json"],
        cwd=tmp_path,
        env=_env(VEILLE_FAULT="extract-error:any"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    first, failed, market = (json.loads(line) for line in result.stdout.splitlines())
    assert failed == {
        "input": inputs[1],
        "error": "veille_funding: ValueError: injected fault in veille_funding",
    }
    assert any(m["kind"] == "cluster" for m in first["mentions"])
    amounts = [m["amount_eur"] for m in market["mentions"] if m["kind"] == "funding"]
    assert amounts == [40_126.35]


def _veille(state: Path, *args: str, fault: str | None = None) -> subprocess.CompletedProcess:
    extra = {
        "VEILLE_USER_AGENT": "veille-test",
        "VEILLE_HTTP_MIN_DELAY_MS": "0",
        "VEILLE_HTTP_TIMEOUT_S": "10",
        "VEILLE_SOURCES": str(state / "sources.yaml"),
        "VEILLE_DB": str(state / "data" / "veille.duckdb"),
        "DAGSTER_HOME": str(state / "dagster_home"),
    }
    if fault:
        extra["VEILLE_FAULT"] = fault
    return subprocess.run(
        [sys.executable, "-m", "veille.cli", *args],
        cwd=state,
        env=_env(**extra),
        capture_output=True,
        text=True,
        timeout=600,
    )


def _published(state: Path) -> dict:
    with duckdb.connect(str(state / "data" / "veille.duckdb"), read_only=True) as con:
        return {
            "articles": con.execute("SELECT article_id, text FROM articles ORDER BY 1").fetchall(),
            "mentions": con.execute(
                "SELECT article_id, mention_id, kind, text FROM mentions ORDER BY 2"
            ).fetchall(),
            "failed": con.execute(
                "SELECT article_id, component, reason FROM fetch_log WHERE kind = 'extract'"
            ).fetchall(),
            "runs": con.execute("SELECT partition_date, articles FROM runs").fetchall(),
            "health": con.execute(
                "SELECT sum(failed_extractions) FROM source_health WHERE day = ?", [DAY]
            ).fetchone()[0],
        }


def test_a_day_with_a_failing_article_loads_the_rest_and_reextract_retries_it(tmp_path):
    from demo.site import demo_sources, start_demo_site
    from pipeline.sources import write_sources

    with start_demo_site() as site:
        write_sources(tmp_path / "sources.yaml", demo_sources(site.base_url))
        run = _veille(tmp_path, "run", "--date", DAY.isoformat(), fault=f"extract-error:{DAY}")
    assert run.returncode == 0, run.stderr[-3000:]
    assert "1/1 day(s) loaded" in run.stdout
    assert "veille_funding: ValueError: injected fault" in run.stdout  # the summary's failures
    faulty = _published(tmp_path)
    (failed,) = faulty["failed"]
    failed_id = failed[0]
    assert failed[1:] == (
        "veille_funding",
        "veille_funding: ValueError: injected fault in veille_funding",
    )
    assert faulty["health"] == 1
    assert failed_id in {a for a, _ in faulty["articles"]}  # the article is kept
    assert all(m[0] != failed_id for m in faulty["mentions"])  # without mentions

    # The warning check says how many failed, and the run still published.
    import dagster as dg

    with dg.DagsterInstance.from_config(str(tmp_path / "dagster_home")) as instance:
        run_id = instance.get_runs(limit=1)[0].run_id
        checks = [
            r.dagster_event.event_specific_data
            for r in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
        ]
    (check,) = [c for c in checks if c.check_name == "no_extraction_failure"]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    assert check.metadata["failed_articles"].value == 1

    # After the fix (here: without the fault), reextract retries it offline.
    again = _veille(tmp_path, "reextract", "--date", DAY.isoformat())
    assert again.returncode == 0, again.stderr[-3000:]
    fixed = _published(tmp_path)
    assert fixed["failed"] == [] and fixed["health"] == 0
    assert fixed["articles"] == faulty["articles"]
    assert any(m[0] == failed_id for m in fixed["mentions"])
    assert faulty["mentions"] == [m for m in fixed["mentions"] if m[0] != failed_id]
