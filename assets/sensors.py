"""Sensors: a failed run of any veille job is announced through the notification hook."""

import os

import dagster as dg

from assets.failures import step_failures
from assets.tags import PID_TAG
from pipeline.ops.notify import NotifySettings, failure_notice, notify


@dg.run_failure_sensor(
    name="notify_on_failure",
    description="Announce failed runs through VEILLE_NOTIFY_COMMAND / _WEBHOOK / _SMTP_*.",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def notify_on_failure(context: dg.RunFailureSensorContext) -> dg.SkipReason | None:
    """Send the failure notice; the outcome of each channel goes to the sensor's log."""
    settings = NotifySettings.from_env()
    if not settings.channels:
        return dg.SkipReason("no notification channel configured (VEILLE_NOTIFY_*)")
    run = context.dagster_run
    if PID_TAG in run.tags:
        return dg.SkipReason("started by `veille run`, which sends its own notice")
    failures = step_failures(context.get_step_failure_events())
    if not failures and context.failure_event.message:
        failures = [context.failure_event.message]
    notice = failure_notice(
        run.job_name,
        run.run_id,
        run.tags.get("dagster/partition"),
        failures,
        os.environ.get("VEILLE_DAGSTER_URL"),
    )
    for channel, error in notify(settings, notice).items():
        if error:
            context.log.error(f"notification by {channel} failed: {error}")
        else:
            context.log.info(f"notified by {channel}")
    return None
