"""Per-host politeness across processes: two fetchers sharing a lock folder keep one host's pace."""

import subprocess
import sys
import textwrap
import time

from pipeline.collect.host_locks import SharedHostLocks, host_locks_dir
from tests.httpserver import LoopbackServer, Route

DELAY_S = 0.3
PAGES = 4

# One process of a run: fetch PAGES pages of the host with the given lock folder (or none).
FETCH = textwrap.dedent(
    """
    import sys
    from pipeline.collect.fetch import Fetcher, FetchRequest, HttpSettings

    base, folder, who = sys.argv[1], sys.argv[2] or None, sys.argv[3]
    settings = HttpSettings(min_delay_s={delay}, obey_robots=False, host_locks_dir=folder)
    urls = [f"{{base}}/{{who}}-{{i}}.html" for i in range({pages})]
    results = Fetcher(settings).get_many([FetchRequest(u, allow_private=True) for u in urls])
    sys.exit(0 if all(r.ok for r in results) else 1)
    """
).format(delay=DELAY_S, pages=PAGES)


def _two_processes_fetch(server: LoopbackServer, folder: str) -> list[tuple[float, float]]:
    processes = [
        subprocess.Popen([sys.executable, "-c", FETCH, server.url, folder, who])
        for who in ("a", "b")
    ]
    assert [p.wait(timeout=60) for p in processes] == [0, 0]
    time.sleep(0.1)
    return sorted((start, end) for _, start, end in server.timeline)


def _routes() -> dict[str, Route]:
    page = Route(body=b"<html><body><p>Page</p></body></html>", delay_s=0.05)
    return {f"/{who}-{i}.html": page for who in ("a", "b") for i in range(PAGES)}


def test_two_processes_sharing_the_folder_keep_the_hosts_delay(tmp_path):
    with LoopbackServer(_routes()) as server:
        timeline = _two_processes_fetch(server, str(tmp_path / "locks"))
    assert len(timeline) == 2 * PAGES
    starts = [start for start, _ in timeline]
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= DELAY_S - 0.02, gaps
    # Never two requests at once to the host, whichever process sent them.
    assert all(
        end <= next_start + 0.01
        for (_, end), (next_start, _) in zip(timeline, timeline[1:], strict=False)
    )


def test_without_the_folder_each_process_keeps_only_its_own_pace(tmp_path):
    # The control: the same two processes without a shared folder do crowd the host.
    with LoopbackServer(_routes()) as server:
        timeline = _two_processes_fetch(server, "")
    starts = [start for start, _ in timeline]
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) < DELAY_S / 2, gaps


def test_a_damaged_lock_file_counts_as_no_request_on_record(tmp_path):
    locks = SharedHostLocks(tmp_path)
    with locks.hold("exemple.fr", 0.0):
        pass
    (lock_file,) = tmp_path.glob("*.lock")
    lock_file.write_bytes(b"\xff\xfe pas une heure")
    started = time.monotonic()
    with locks.hold("exemple.fr", 5.0):
        pass
    assert time.monotonic() - started < 1.0


def test_the_folder_sits_beside_the_database(tmp_path):
    assert host_locks_dir(tmp_path / "data" / "veille.duckdb") == tmp_path / "data" / "host_locks"
