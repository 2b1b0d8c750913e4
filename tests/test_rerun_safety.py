"""Re-running a loaded day while its sources are unreachable loses nothing.

Real `veille run` and `veille reextract` processes against the real demo site: the day is
loaded, then run again with the whole site stopped, or with one outlet of three unreachable.
The snapshot keeps the day's articles, a day whose sources all failed is a failed run (exit 1,
failure notice), and `veille reextract` rebuilds the day from the archive, without the sources
file.
"""

import shlex
import shutil
import socket
import subprocess

import duckdb
import pytest

from demo.site import demo_sources, start_demo_site
from pipeline.warehouse.storage import connect_work
from tests.runs import content, veille_command, veille_run

DAY = "2026-11-10"
DOWN = "sud"  # the outlet taken down in the one-source test


def _free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _articles_of_day(db) -> list[tuple[str, str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "SELECT source, title FROM articles WHERE partition_date = ? ORDER BY ALL", [DAY]
        ).fetchall()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """A state holding DAY loaded from a demo site, and that site's address (the site stopped)."""
    state = tmp_path_factory.mktemp("loaded")
    with start_demo_site() as site:
        result = veille_run(state, site.base_url, "--date", DAY)
        assert result.returncode == 0, result.stderr[-2000:]
        (state / "first-run.out").write_text(result.stdout)
        (state / "first-run.err").write_text(result.stderr)
        return state, site.base_url


def test_the_run_prints_its_warnings_under_the_day_and_hints_that_work(loaded):
    state, _ = loaded
    out, err = (state / "first-run.out").read_text(), (state / "first-run.err").read_text()
    assert "dagster - WARNING" not in out + err  # Dagster's own lines stay in the UI
    lines = out.splitlines()
    day_line = lines.index(f"[1/1] {DAY} ...")
    # The day's PDF supplement, reported right under the day's progress line.
    assert lines[day_line + 1].startswith("    warning: page http://")
    assert lines[day_line + 1].endswith("not an HTML page (application/pdf)")
    officials = out.split("Top officials:\n")[1].split("\n\n")[0].splitlines()
    assert officials[0].split()[:3] == ["name", "role", "org"]
    assert "person:" not in out and "cluster:" not in out  # ids are for joins, not for reading
    hints = out.split("Next:\n")[1].splitlines()
    assert hints[-1].strip().startswith("DAGSTER_HOME=") or hints[-1].strip().startswith("make ui")
    query = hints[0].split("#")[0].strip()
    assert query.endswith("/bin/veille query")
    ran = subprocess.run(shlex.split(query), cwd=state, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert "Named queries" in ran.stdout


def test_a_day_whose_sources_all_fail_is_a_failed_run_and_keeps_its_rows(loaded, tmp_path):
    state, site_url = loaded
    shutil.copytree(state, tmp_path, dirs_exist_ok=True)
    db = tmp_path / "data" / "veille.duckdb"
    before = content(db)
    assert len(_articles_of_day(db)) == 3
    notice = tmp_path / "notice.txt"

    # The site that served the day is stopped: every feed is refused.
    rerun = veille_run(
        tmp_path, site_url, "--date", DAY, env={"VEILLE_NOTIFY_COMMAND": f"cat > {notice}"}
    )

    assert rerun.returncode == 1, rerun.stdout[-2000:]
    assert "0/1 day(s) loaded" in rerun.stdout
    assert f"{DAY} FAILED" in rerun.stderr
    assert f"no source of {DAY} could be read, its stored rows are kept" in rerun.stderr
    sent = notice.read_text()
    assert f"no source of {DAY} could be read" in sent and "Connection refused" in sent
    assert content(db) == before  # the snapshot keeps the day's three articles
    with connect_work(db) as con:
        (pages,) = con.execute(
            "SELECT count(*) FROM raw_pages WHERE partition_date = ?", [DAY]
        ).fetchone()
    assert pages == 3

    # Rebuilt from the archive, offline, without the sources file: the same articles.
    (tmp_path / "sources.yaml").unlink()
    rebuilt = veille_command(tmp_path, "reextract", "--date", DAY, "--db", str(db))
    assert rebuilt.returncode == 0, rebuilt.stderr[-2000:]
    assert "using the 3 sources saved by the last run" in rebuilt.stdout
    after = content(db)
    assert after["articles"] == before["articles"]
    assert after["mentions"] == before["mentions"]


def test_one_source_down_of_three_keeps_that_sources_articles(loaded, tmp_path):
    state, site_url = loaded
    shutil.copytree(state, tmp_path, dirs_exist_ok=True)
    db = tmp_path / "data" / "veille.duckdb"
    before = _articles_of_day(db)
    assert {source for source, _ in before} == {"courrier", "sud", "territoires"}

    # The same site again, at the same address, but one outlet's feed is unreachable.
    with start_demo_site(port=int(site_url.rsplit(":", 1)[1])) as site:
        sources = demo_sources(site.base_url)
        dead = f"http://127.0.0.1:{_free_port()}"
        for source in sources:
            if source["id"] == DOWN:
                source["feeds"] = [dead + url.split(site.base_url, 1)[1] for url in source["feeds"]]
        rerun = veille_run(tmp_path, site.base_url, "--date", DAY, sources=sources)

    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert "1/1 day(s) loaded" in rerun.stdout
    # The other outlets were fetched again, the unreachable one kept its stored article.
    assert _articles_of_day(db) == before
    with duckdb.connect(str(db), read_only=True) as con:
        failures = con.execute(
            "SELECT source FROM fetch_log WHERE partition_date = ? AND kind = 'feed' AND NOT ok",
            [DAY],
        ).fetchall()
    assert failures == [(DOWN,)]


def test_reextract_without_a_sources_file_or_saved_sources_is_one_line(tmp_path):
    db = tmp_path / "data" / "veille.duckdb"
    db.parent.mkdir()
    with connect_work(db):
        pass  # a working database no run has loaded yet
    result = veille_command(tmp_path, "reextract", "--date", DAY, "--db", str(db))
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("veille: error: no sources file at ")
    assert "--sources FILE" in line

    missing = veille_command(
        tmp_path, "reextract", "--date", DAY, "--db", str(db), "--sources", "nowhere.yaml"
    )
    assert missing.returncode == 2
    assert missing.stderr.splitlines() == [
        f"veille: error: sources file not found: {tmp_path / 'nowhere.yaml'}"
    ]
