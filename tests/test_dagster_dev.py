"""`make ui` stops on SIGTERM even when started with SIGINT ignored (a script's background job).

`dagster dev` alone then ignores SIGTERM (docs/services.md); `python -m veille.dagster_dev`,
what `make ui` runs, puts the signals back first. A real `dagster dev` on a free loopback port,
its whole process group sent SIGTERM as a service manager does.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _group_alive(pgid: int) -> bool:
    return subprocess.run(["pgrep", "-g", str(pgid)], capture_output=True).returncode == 0


def _wait(condition, limit_s: float) -> bool:
    """Poll `condition` until it holds or `limit_s` has passed (a bound, not a measure)."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return condition()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


def test_make_ui_stops_on_sigterm_to_its_group_with_sigint_ignored(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VEILLE_", "DAGSTER_"))}
    env.update(
        PYTHONPATH=str(REPO),
        DAGSTER_HOME=str(tmp_path / "dagster_home"),
        VEILLE_DB=str(tmp_path / "data" / "veille.duckdb"),
        VEILLE_SOURCES=str(tmp_path / "sources.yaml"),
        VEILLE_USER_AGENT="veille-test",
        VEILLE_HTTP_MIN_DELAY_MS="0",
        VEILLE_HTTP_TIMEOUT_S="10",
        VEILLE_SPACY_MODEL="fr_core_news_md",
    )
    (tmp_path / "dagster_home").mkdir()
    log = (tmp_path / "ui.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "veille.dagster_dev", "-w", "workspace.yaml", "-p", str(port)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        # As in `make ui &` from a script: the job starts with SIGINT ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    try:
        up = _wait(lambda: _answers(f"http://127.0.0.1:{port}/server_info"), 180)
        assert up, (tmp_path / "ui.log").read_text()[-3000:]
        os.killpg(process.pid, signal.SIGTERM)
        stopped = _wait(lambda: process.poll() is not None and not _group_alive(process.pid), 60)
        assert stopped, (tmp_path / "ui.log").read_text()[-3000:]
        assert process.returncode == 0
    finally:
        if _group_alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        log.close()
