"""`veille export-parquet`: two demo days out as day-partitioned Parquet, read back unchanged."""

import os
import resource
import signal
import subprocess
import sys

import duckdb
import pytest

from demo.site import start_demo_site
from tests.runs import REPO, veille_run

KEYS = {"articles": "article_id", "mentions": "mention_id", "funding_events": "mention_id"}
DAYS = {"partition_date=2026-11-02", "partition_date=2026-11-03"}


@pytest.fixture(scope="module")
def state(tmp_path_factory):
    """Two demo days loaded and published by `veille run`."""
    state = tmp_path_factory.mktemp("export")
    with start_demo_site() as site:
        result = veille_run(state, site.base_url, "--from", "2026-11-02", "--to", "2026-11-03")
    assert result.returncode == 0, result.stderr[-2000:]
    return state


def _run_export(state, out, *args, preexec_fn=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VEILLE_", "DAGSTER_"))}
    db = state / "data" / "veille.duckdb"
    cmd = [sys.executable, "-m", "veille.cli", "export-parquet", str(out), "--db", str(db), *args]
    return subprocess.run(
        cmd,
        cwd=state,
        env={**env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        preexec_fn=preexec_fn,
    )


def _export(state, out, *args):
    result = _run_export(state, out, *args)
    assert result.returncode == 0, result.stderr
    return result


def _files(out):
    return {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _snapshot_rows(state, table):
    with duckdb.connect(str(state / "data" / "veille.duckdb"), read_only=True) as con:
        cursor = con.execute(f"SELECT * FROM {table} ORDER BY {KEYS[table]}")
        return [d[0] for d in cursor.description], cursor.fetchall()


def _parquet_rows(out, table, columns):
    with duckdb.connect() as con:  # a fresh, in-memory DuckDB: nothing of veille's
        selected = ", ".join(f'"{c}"' for c in columns)
        return con.execute(
            f"SELECT {selected} FROM read_parquet('{out}/{table}/*/*.parquet', "
            f"hive_partitioning = true) ORDER BY {KEYS[table]}"
        ).fetchall()


def test_export_reads_back_as_the_snapshot_and_is_idempotent(state, tmp_path):
    out = tmp_path / "lake"
    first = _export(state, out)
    assert "mentions" in first.stdout
    files = sorted(p.relative_to(out) for p in out.rglob("*.parquet"))
    for table in KEYS:
        assert {p.name for p in (out / table).iterdir()} == DAYS, table

    _export(state, out)  # the same export again
    _export(state, out, "--from", "2026-11-03", "--to", "2026-11-03")  # one day again
    assert sorted(p.relative_to(out) for p in out.rglob("*.parquet")) == files

    for table in KEYS:
        columns, expected = _snapshot_rows(state, table)
        assert expected, table
        assert _parquet_rows(out, table, columns) == expected, table
    with duckdb.connect() as con:
        (mismatched,) = con.execute(
            f"SELECT count(*) FROM read_parquet('{out}/funding_events/*/*.parquet', "
            "hive_partitioning = true) WHERE partition_date <> day"
        ).fetchone()
    assert mismatched == 0


def test_a_range_export_writes_only_its_days(state, tmp_path):
    out = tmp_path / "lake"
    _export(state, out, "--from", "2026-11-03", "--to", "2026-11-03")
    for table in KEYS:
        assert {p.name for p in (out / table).iterdir()} == {"partition_date=2026-11-03"}
    with duckdb.connect() as con:
        days = con.execute(
            f"SELECT DISTINCT partition_date::VARCHAR FROM read_parquet('{out}/mentions/*/*.parquet',"
            " hive_partitioning = true)"
        ).fetchall()
    assert days == [("2026-11-03",)]


def test_a_full_disk_fails_clearly_and_keeps_the_previous_export(state, tmp_path):
    out = tmp_path / "lake"
    _export(state, out)
    before = _files(out)

    def small_disk() -> None:  # a file-size limit fails the writes as a full disk would
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2_000, 2_000))

    failed = _run_export(state, out, preexec_fn=small_disk)
    assert failed.returncode == 2
    assert "Traceback" not in failed.stderr
    assert f"cannot write {out}" in failed.stderr
    assert "the previous export is intact" in failed.stderr
    assert _files(out) == before
    assert not (out / ".staging").exists()


def test_a_target_that_is_a_file_is_a_plain_error(state, tmp_path):
    out = tmp_path / "lake.parquet"
    out.write_bytes(b"not a folder")
    result = _run_export(state, out)
    assert result.returncode == 2
    assert f"cannot write {out}" in result.stderr
    assert "Traceback" not in result.stderr
    assert out.read_bytes() == b"not a folder"
