"""The `veille` command as a user runs it: a real subprocess, real files, real exit codes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.httpserver import LoopbackServer, Route

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


def veille(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("VEILLE_", "DAGSTER_"))}
    full_env["PYTHONPATH"] = str(REPO)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "veille.cli", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def sources_file(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  - id: a\n    name: A\n    feeds: [http://127.0.0.1:9/feed.xml]\n")
    return path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-13-01"], "--date '2026-13-01' is not a date in YYYY-MM-DD form"),
        (["--date", "03/11/2026"], "is not a date in YYYY-MM-DD form"),
        (
            ["--from", "2026-11-05", "--to", "2026-11-01"],
            "--to 2026-11-01 is before --from 2026-11-05",
        ),
        (["--from", "2026-11-05"], "--from and --to go together"),
        (["--sources", "absent.yaml"], "sources file not found"),
        (["--db", "/proc/veille-test/v.duckdb"], "cannot write the database"),
    ],
)
def test_bad_run_input_is_one_line_exit_2_and_writes_nothing(tmp_path, sources_file, args, message):
    before = sorted(p.name for p in tmp_path.iterdir())
    defaults = ["--sources", str(sources_file), "--db", str(tmp_path / "data" / "v.duckdb")]
    result = veille("run", *_merge(args, defaults), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def _merge(args: list[str], defaults: list[str]) -> list[str]:
    merged = list(args)
    for option, value in zip(defaults[::2], defaults[1::2], strict=True):
        if option not in args:
            merged += [option, value]
    return merged


def test_extract_html_and_text_files_as_json(tmp_path):
    text = tmp_path / "breve.txt"
    text.write_text(
        "Le pôle de compétitivité Minalogic a reçu une subvention de 1,2 million d'euros "
        "de la Région Auvergne-Rhône-Alpes, a annoncé Claire Dumas, vice-présidente de la Région.",
        encoding="utf-8",
    )
    result = veille(
        "extract", str(FIXTURES / "page_cp1252.html"), str(text), "--json", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    page, breve = (json.loads(line) for line in result.stdout.splitlines())
    assert page["title"] == "Une grappe d’entreprises pour la céramique de Limoges"
    assert page["published_at"] == "2026-11-06T06:15:00+01:00"
    assert page["lang"] == "fr"
    assert breve["text"].startswith("Le pôle de compétitivité Minalogic")
    kinds = {m["kind"] for m in breve["mentions"]}
    assert {"cluster", "funding", "official"} <= kinds
    for record in (page, breve):
        for mention in record["mentions"]:
            assert record["text"][mention["start"] : mention["end"]] == mention["text"]
            assert mention["sentence"] and 0.0 <= mention["confidence"] <= 1.0


def test_extract_reports_each_bad_input_and_exits_1(tmp_path):
    good = tmp_path / "ok.txt"
    good.write_text(
        "Une simple brève sans rien de particulier, écrite pour le test de la commande."
    )
    result = veille(
        "extract", str(tmp_path / "absent.html"), str(good), "--json", "--no-mentions", cwd=tmp_path
    )
    assert result.returncode == 1
    bad, ok = (json.loads(line) for line in result.stdout.splitlines())
    assert bad["input"].endswith("absent.html") and "no such file" in bad["error"]
    assert ok["mentions"] == [] and ok["text"].startswith("Une simple brève")


def test_extract_a_url_on_loopback(tmp_path):
    page = (FIXTURES / "page_cp1252.html").read_bytes()
    route = Route(200, page, {"Content-Type": "text/html; charset=windows-1252"})
    with LoopbackServer({"/eco/grappe": route}) as srv:
        result = veille("extract", srv.url + "/eco/grappe", "--json", "--no-mentions", cwd=tmp_path)
    record = json.loads(result.stdout)
    assert record["url"] == srv.url + "/eco/grappe"
    assert "Kaolin Avenir" in record["text"]


def test_query_lists_named_queries_and_needs_a_database(tmp_path):
    listing = veille("query", cwd=tmp_path)
    assert listing.returncode == 0
    assert "Named queries" in listing.stdout and "Views" in listing.stdout
    assert "\n  top_clusters\n" in listing.stdout and "Parameters: limit=10" in listing.stdout
    tables = listing.stdout.split("Tables, rebuilt at every publish")[1]
    assert "\n  entity_activity\n" in tables and "\n  funding_events\n" in tables
    assert "\n  cluster_weekly\n" not in tables
    records = [
        json.loads(line)
        for line in veille("query", "--format", "json", cwd=tmp_path).stdout.splitlines()
    ]
    by_name = {r["name"]: r for r in records}
    assert by_name["funding_events"]["kind"] == "table"
    assert by_name["cluster_monthly"]["kind"] == "view"
    assert by_name["rising_clusters"]["params"]["period"] == {
        "default": "month",
        "choices": ["week", "month", "quarter", "year"],
    }
    missing = veille(
        "query", "top_clusters", cwd=tmp_path, env={"VEILLE_DB": str(tmp_path / "none.duckdb")}
    )
    assert missing.returncode == 2 and "no database" in missing.stderr


def test_query_errors_name_the_valid_choices_and_a_damaged_snapshot_is_republished(tmp_path):
    from pipeline.warehouse.publish import publish
    from pipeline.warehouse.storage import connect_work

    db = tmp_path / "data" / "veille.duckdb"
    with connect_work(db):
        pass
    publish(db)
    env = {"VEILLE_DB": str(db)}
    unknown = veille("query", "top_cluster", cwd=tmp_path, env=env)
    assert unknown.returncode == 2
    assert "no query named 'top_cluster'" in unknown.stderr and "top_clusters" in unknown.stderr
    bad = veille("query", "rising_clusters", "--param", "period=fortnight", cwd=tmp_path, env=env)
    assert bad.returncode == 2 and "period must be one of week, month" in bad.stderr
    ok = veille("query", "rising_clusters", "--format", "json", cwd=tmp_path, env=env)
    assert ok.returncode == 0 and ok.stdout.strip() == ""

    db.write_bytes(b"\0garbage" * 1000)
    damaged = veille("query", "top_clusters", cwd=tmp_path, env=env)
    assert damaged.returncode == 2 and "veille publish" in damaged.stderr
    assert len(damaged.stderr.strip().splitlines()) == 1
    republished = veille("publish", cwd=tmp_path, env=env)
    assert republished.returncode == 0, republished.stderr
    assert veille("query", "top_clusters", cwd=tmp_path, env=env).returncode == 0


def test_reextract_needs_a_previous_run(tmp_path):
    result = veille(
        "reextract", "--date", "2026-11-03", "--db", str(tmp_path / "v.duckdb"), cwd=tmp_path
    )
    assert result.returncode == 2 and "run first" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("query", "param", "message"),
    [
        ("top_clusters", "limit=-1", "limit must be a whole number from 1 to 1000000, not '-1'"),
        ("funding_totals", "from=2026-13-45", "from must be a day, YYYY-MM-DD"),
        ("rising_clusters", "period=decade", "period must be one of week, month, quarter, year"),
        ("rising_clusters", "as_of=yesterday", "as_of must be a day, YYYY-MM-DD"),
        ("rising_clusters", "as_of=2026-99-01", "as_of must be a day, YYYY-MM-DD"),
    ],
)
def test_query_parameters_are_checked_in_one_line(tmp_path, query, param, message):
    from pipeline.warehouse.publish import publish
    from pipeline.warehouse.storage import connect_work

    db = tmp_path / "data" / "veille.duckdb"
    with connect_work(db):
        pass
    publish(db)
    result = veille("query", query, "--param", param, cwd=tmp_path, env={"VEILLE_DB": str(db)})
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert message in line


def test_a_closed_pipe_ends_quietly(tmp_path):
    """`veille extract ... --json | head -1`: the reader leaves, veille stops without a word."""
    inputs = [str(FIXTURES / "page_cp1252.html")] * 400  # far more than a pipe holds
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VEILLE_", "DAGSTER_"))}
    env["PYTHONPATH"] = str(REPO)
    process = subprocess.Popen(
        [sys.executable, "-m", "veille.cli", "extract", *inputs, "--json", "--no-mentions"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    first = process.stdout.readline()
    process.stdout.close()  # as `head -1` does once it has its line
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 141
    assert json.loads(first)["input"].endswith("page_cp1252.html")
    assert stderr == b""


@pytest.mark.parametrize("listing", [["query"], ["query", "--format", "json"]])
def test_the_query_listing_into_a_closed_pipe_ends_quietly(tmp_path, listing):
    """`veille query | head -1` with the reader gone before the first line is written."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VEILLE_", "DAGSTER_"))}
    env["PYTHONPATH"] = str(REPO)
    process = subprocess.Popen(
        [sys.executable, "-m", "veille.cli", *listing],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=120) == 141
    assert stderr == b""


def test_extract_checks_its_inputs_before_loading_the_model(tmp_path):
    # A model that cannot load: had it been loaded first, the command would fail on it.
    env = {"VEILLE_SPACY_MODEL": "no_such_model"}
    result = veille(
        "extract",
        "/missing.html",
        "ftp://example.org/page.html",
        str(tmp_path),
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 1
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].endswith("/missing.html: no such file")
    assert lines[1].endswith("only http:// and https:// URLs can be read, not ftp://")
    assert lines[2].endswith("a folder, not a file (give the pages inside it)")


def test_run_without_a_sources_file_says_how_to_make_one(tmp_path):
    result = veille("run", "--date", "2026-11-10", cwd=tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert f"sources file not found: {tmp_path / 'sources.yaml'}" in line
    assert "cp sources.example.yaml sources.yaml" in line
    assert list(tmp_path.iterdir()) == []
