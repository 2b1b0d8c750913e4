"""The daily job over all assets, and its schedule: at 06:00 Paris time, yesterday's partition."""

import dagster as dg

daily_job = dg.define_asset_job(
    name="daily_job",
    selection=dg.AssetSelection.groups("daily"),
    description="Collect, extract and load one day of regional news, then publish the snapshot.",
)

daily_schedule = dg.build_schedule_from_partitioned_job(
    daily_job, hour_of_day=6, minute_of_hour=0, name="daily_schedule"
)
