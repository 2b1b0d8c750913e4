"""Days run in parallel processes (`veille run --workers 2`) load exactly what one process does."""

import pytest

from demo.site import start_demo_site
from tests.runs import content, veille_run

RANGE = ("--from", "2026-11-02", "--to", "2026-11-05")


@pytest.fixture(scope="module")
def site():
    with start_demo_site() as demo:
        yield demo


def test_two_workers_load_the_same_data_as_one(site, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    sequential = veille_run(one, site.base_url, *RANGE)
    assert sequential.returncode == 0, sequential.stderr[-2000:]
    parallel = veille_run(two, site.base_url, *RANGE, "--workers", "2")
    assert parallel.returncode == 0, parallel.stderr[-2000:]
    assert "4 days in 2 processes" in parallel.stdout
    assert (
        len(
            {
                line.split("process ")[1]
                for line in parallel.stdout.splitlines()
                if "started (process" in line
            }
        )
        == 2
    )
    assert content(two / "data" / "veille.duckdb") == content(one / "data" / "veille.duckdb")
