"""The daily schedule: at 06:00 Paris time, the daily job on yesterday's partition."""

import dagster as dg

from assets.jobs import daily_job

daily_schedule = dg.build_schedule_from_partitioned_job(
    daily_job, hour_of_day=6, minute_of_hour=0, name="daily_schedule"
)
