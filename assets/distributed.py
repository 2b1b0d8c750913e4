"""The distributed profile: the backfill's days on Celery workers, the warehouse a shared lake.

`distributed_backfill_job` has the shape of `backfill_job` (one step per day, then one publish)
and runs under Dagster's Celery executor: each day's step is a Celery task that any worker
(`celery -A assets.celery_worker worker`, on any machine) picks up. A worker loads its day into
a private DuckDB file, writes the day as Parquet into the lake (`pipeline/warehouse/lake.py`) in the
shared folder `VEILLE_SHARED`, and drops the private file. `publish_lake` runs on the workers of
the `publish` queue (the machine that serves analysts): it merges the run's days from the lake
into the working database beside `VEILLE_DB`, records their loads and publishes the snapshot as
the single-machine profile does, so `veille query`, the views and the review desk read it
unchanged. Dagster's run and event storage is Postgres (`assets/dagster.distributed.yaml`).
"""

import os
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dagster as dg
from dagster_celery import celery_executor

from assets.backfill import backfill_days, backfill_run_config, day_steps
from assets.resources import (
    DatabaseResource,
    HttpResource,
    NlpResource,
    SourcesResource,
    resources_from_env,
)
from pipeline.daily import load_summary, source_rows
from pipeline.warehouse.lake import merge_day, write_day
from pipeline.warehouse.storage import record_load, save_sources

DISTRIBUTED_JOB = "distributed_backfill_job"
# The Celery queue of the publish step: served by the worker on the analysts' machine.
PUBLISH_QUEUE = "publish"


class LakeResource(dg.ConfigurableResource):
    """The folder every machine shares: the lake of days, the raw archive, the steps' outputs.

    `scratch` is each worker's own folder for the throw-away DuckDB file of the day it loads
    (the system's temporary folder by default).
    """

    shared: str
    scratch: str | None = None

    @property
    def lake(self) -> Path:
        return Path(self.shared) / "lake"

    @property
    def archive(self) -> Path:
        return Path(self.shared) / "archive"

    def day_database(self, run_id: str, day: str) -> DatabaseResource:
        """A fresh private database for one day of one run, with the shared raw archive."""
        root = Path(self.scratch or tempfile.gettempdir()) / "veille-scratch"
        folder = root / f"{run_id}-{day}-{os.getpid()}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return DatabaseResource(db_path=str(folder / "day.duckdb"), archive_path=str(self.archive))


@dg.op(description="Collect, extract and check one day on a worker; write it to the lake.")
def lake_day(
    context: dg.OpExecutionContext,
    day: str,
    lake: LakeResource,
    sources: SourcesResource,
    http: HttpResource,
    nlp: NlpResource,
) -> Iterator[dg.AssetMaterialization | dg.AssetCheckEvaluation | dg.Output[dict]]:
    """The day's chain (`day_steps`) in a private database, then the day's Parquet in the lake.

    The day becomes visible in the lake in one rename, only once every table is written: a
    worker killed before leaves the lake as it was, and the retry writes the day again.
    """
    database = lake.day_database(context.run_id, day)
    folder = Path(database.db_path).parent
    try:
        yield from day_steps(context, day, database, sources, http, nlp)
        with database.connect() as con:
            started = time.perf_counter()
            attempt = write_day(con, lake.lake, date.fromisoformat(day))
            took = time.perf_counter() - started
            (articles,) = con.execute("SELECT count(*) FROM articles").fetchone()
            (mentions,) = con.execute("SELECT count(*) FROM mentions").fetchone()
        context.log.info(
            f"{day}: {articles} articles, {mentions} mentions written to the lake in "
            f"{took:.2f} s ({attempt})"
        )
        yield dg.Output(
            {
                "day": day,
                "articles": articles,
                "mentions": mentions,
                "host": socket.gethostname(),
                "pid": os.getpid(),
            }
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@dg.op(
    description="Merge the run's days from the lake into the working database and publish.",
    tags={"dagster-celery/queue": PUBLISH_QUEUE},
)
def publish_lake(
    context: dg.OpExecutionContext,
    loads: list[dict],
    database: DatabaseResource,
    lake: LakeResource,
    sources: SourcesResource,
) -> Iterator[dg.AssetMaterialization | dg.Output[str]]:
    """The warehouse partition of each day is materialized once that day is in the snapshot."""
    summaries = {}
    started = time.perf_counter()
    with database.connect() as con:
        save_sources(con, source_rows(sources.load()))
        for load in sorted(loads, key=lambda row: row["day"]):
            day = date.fromisoformat(load["day"])
            merge_day(con, lake.lake, day)
            summary = load_summary(con, day, context.run_id, context.job_name)
            record_load(con, summary)
            summaries[load["day"]] = summary
    merged = time.perf_counter() - started
    path = str(database.publish())
    published = time.perf_counter() - started - merged
    for day, summary in summaries.items():
        metadata = {
            k: v for k, v in summary.items() if k in ("articles", "mentions", "failed_fetches")
        }
        metadata["path"] = dg.MetadataValue.path(path)
        yield dg.AssetMaterialization(asset_key="warehouse", partition=day, metadata=metadata)
    context.log.info(
        f"merged {len(loads)} day(s) from the lake in {merged:.2f} s, published {path} in "
        f"{published:.2f} s"
    )
    yield dg.Output(path)


# Broker and result store from the environment (`scripts/services.sh` writes them); one task at
# a time per worker, so a worker takes a day only when it is free.
distributed_executor = celery_executor.configured(
    {
        "broker": {"env": "VEILLE_CELERY_BROKER"},
        "backend": {"env": "VEILLE_CELERY_BACKEND"},
        "config_source": {"worker_prefetch_multiplier": 1},
    },
    name="veille_celery",
)


@dg.job(
    name=DISTRIBUTED_JOB,
    executor_def=distributed_executor,
    description=(
        "Load a range of days on Celery workers, each day written to the shared lake, then "
        "publish the snapshot once from the lake."
    ),
)
def distributed_backfill_job() -> None:
    loads = backfill_days().map(lake_day)
    publish_lake(loads.collect())


distributed_defs = dg.Definitions(
    jobs=[distributed_backfill_job],
    resources={
        **resources_from_env(),
        "lake": LakeResource(shared=dg.EnvVar("VEILLE_SHARED")),
        # Steps hand their outputs over through the shared folder, not memory.
        "io_manager": dg.FilesystemIOManager(base_dir=dg.EnvVar("VEILLE_SHARED")),
    },
)


def define_distributed_job() -> dg.JobDefinition:
    """The distributed job with its resources: what each Celery worker rebuilds."""
    return distributed_defs.resolve_job_def(DISTRIBUTED_JOB)


def distributed_run_config(days: list[date], db_path: str) -> dict:
    """Run config loading `days` (a range, possibly with gaps) on the workers and publishing the
    snapshot at `db_path` (a path on the machine of the `publish` queue's worker)."""
    config = backfill_run_config(days, workers=1)
    del config["execution"]  # the Celery executor takes its settings from the environment
    config["resources"] = {"database": {"config": {"db_path": db_path}}}
    return config
