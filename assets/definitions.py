"""Everything Dagster loads: assets, checks, jobs, schedule, sensor, and resources from env."""

import dagster as dg

from assets import checks, daily
from assets.backfill import backfill_job
from assets.jobs import daily_job, reextract_job
from assets.resources import resources_from_env
from assets.schedules import daily_schedule
from assets.sensors import notify_on_failure

defs = dg.Definitions(
    assets=dg.load_assets_from_modules([daily]),
    asset_checks=dg.load_asset_checks_from_modules([checks]),
    jobs=[daily_job, reextract_job, backfill_job],
    schedules=[daily_schedule],
    sensors=[notify_on_failure],
    resources=resources_from_env(),
)
