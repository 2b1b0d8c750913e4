"""Everything Dagster loads: assets, checks, jobs, schedule, sensor, and resources from env."""

import dagster as dg

from assets import checks, daily
from assets.backfill import backfill_job
from assets.jobs import daily_job, reextract_job
from assets.resources import DatabaseResource, HttpResource, NlpResource, SourcesResource
from assets.schedules import daily_schedule
from assets.sensors import notify_on_failure

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([daily]),
    asset_checks=dg.load_asset_checks_from_modules([checks]),
    jobs=[daily_job, reextract_job, backfill_job],
    schedules=[daily_schedule],
    sensors=[notify_on_failure],
    resources={
        "database": DatabaseResource(db_path=dg.EnvVar("VEILLE_DB")),
        "sources": SourcesResource(path=dg.EnvVar("VEILLE_SOURCES")),
        "http": HttpResource(
            user_agent=dg.EnvVar("VEILLE_USER_AGENT"),
            min_delay_ms=dg.EnvVar.int("VEILLE_HTTP_MIN_DELAY_MS"),
            timeout_s=dg.EnvVar.int("VEILLE_HTTP_TIMEOUT_S"),
            db_path=dg.EnvVar("VEILLE_DB"),
        ),
        "nlp": NlpResource(model=dg.EnvVar("VEILLE_SPACY_MODEL")),
    },
)
