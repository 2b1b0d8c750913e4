"""SIGKILL in the middle of fetching, extraction, the load and the publish; then run again.

Each crash is a real SIGKILL of a real `veille run` process, at a point named by
`VEILLE_CRASH_AT` (pipeline/ops/faults.py). After it, the published snapshot is still the previous
complete one, and a plain re-run ends with exactly the data of an uninterrupted run.
"""

import shutil

import pytest

from demo.site import DEMO_FIRST_DAY, start_demo_site
from tests.runs import content as _content
from tests.runs import veille_run as _veille_run

DAY1 = DEMO_FIRST_DAY
DAY2 = "2026-11-03"


@pytest.fixture(scope="module")
def site():
    with start_demo_site() as demo:
        yield demo


@pytest.fixture(scope="module")
def after_day1(site, tmp_path_factory):
    """The state after a complete first day: copied as the start of every crash test."""
    state = tmp_path_factory.mktemp("day1")
    result = _veille_run(state, site.base_url, "--date", DAY1)
    assert result.returncode == 0, result.stderr
    return state


@pytest.fixture(scope="module")
def uninterrupted(site, after_day1, tmp_path_factory):
    state = tmp_path_factory.mktemp("uninterrupted")
    shutil.copytree(after_day1, state, dirs_exist_ok=True)
    result = _veille_run(state, site.base_url, "--date", DAY2)
    assert result.returncode == 0, result.stderr
    return _content(state / "data" / "veille.duckdb")


@pytest.mark.parametrize(
    "crash_at",
    ["fetch:2", "extract:2", "load-mentions", "publish"],
    ids=["while-fetching", "while-extracting", "while-loading", "while-publishing"],
)
def test_a_killed_run_leaves_the_last_snapshot_and_a_rerun_completes_it(
    site, after_day1, uninterrupted, tmp_path, crash_at
):
    shutil.copytree(after_day1, tmp_path, dirs_exist_ok=True)
    db = tmp_path / "data" / "veille.duckdb"
    before = _content(db)

    killed = _veille_run(tmp_path, site.base_url, "--date", DAY2, crash_at=crash_at)
    assert killed.returncode == -9, killed.stderr[-2000:]
    assert _content(db) == before  # analysts still see the complete first day

    rerun = _veille_run(tmp_path, site.base_url, "--date", DAY2)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert _content(db) == uninterrupted
    assert not (db.parent / ".veille.duckdb.tmp").exists()
