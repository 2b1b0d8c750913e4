"""What went wrong in a run, in one line per failed step, for the CLI and the failure notices."""

from collections.abc import Iterable

import dagster as dg
from dagster_shared.error import SerializableErrorInfo

# A `dg.Failure` raised on purpose already says what failed; its class path adds nothing.
_FAILURE_PREFIX = "dagster._core.definitions.events.Failure: "


def root_cause(error: SerializableErrorInfo) -> str:
    """The innermost error's message: "OSError: ... No space left", not Dagster's wrapper."""
    while error.cause is not None:
        error = error.cause
    return error.message.strip().removeprefix(_FAILURE_PREFIX)


def step_failures(events: Iterable[dg.DagsterEvent]) -> list[str]:
    """`step: root cause` for every step failure among `events`."""
    return [
        f"{event.step_key}: {root_cause(event.event_specific_data.error)}"
        for event in events
        if event.is_step_failure and event.event_specific_data.error
    ]
