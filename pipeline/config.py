"""Settings read from the environment, with the defaults documented in `.env.example`."""

from __future__ import annotations

import os
from pathlib import Path

from dotenv import load_dotenv

DEFAULTS: dict[str, str] = {
    "VEILLE_DB": "data/veille.duckdb",
    "VEILLE_SOURCES": "sources.yaml",
    "VEILLE_USER_AGENT": "veille/0.1 (regional news monitoring; +https://github.com/veille-project/veille)",
    "VEILLE_HTTP_TIMEOUT_S": "15",
    "VEILLE_HTTP_MIN_DELAY_MS": "1000",
    "VEILLE_SPACY_MODEL": "fr_core_news_md",
}


def apply_env_defaults() -> None:
    """Read `./.env`, fill unset variables with defaults (absolute paths), DAGSTER_HOME by the DB.

    Creates nothing: call `ensure_dagster_home()` once the inputs are known to be valid.
    """
    load_dotenv(Path.cwd() / ".env", override=False)
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
    for key in ("VEILLE_DB", "VEILLE_SOURCES"):
        os.environ[key] = str(Path(os.environ[key]).expanduser().resolve())
    if not os.environ.get("DAGSTER_HOME"):
        home = Path(os.environ["VEILLE_DB"]).parent / "dagster_home"
        os.environ["DAGSTER_HOME"] = str(home)
    os.environ["DAGSTER_HOME"] = str(Path(os.environ["DAGSTER_HOME"]).expanduser().resolve())


INSTANCE_TEMPLATE = Path(__file__).resolve().parent.parent / "assets" / "dagster.yaml"


def ensure_dagster_home() -> Path:
    """Create `$DAGSTER_HOME` (where runs are recorded), with veille's dagster.yaml."""
    home = Path(os.environ["DAGSTER_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    instance_file = home / "dagster.yaml"
    if not instance_file.exists():
        instance_file.write_text(INSTANCE_TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    return home
