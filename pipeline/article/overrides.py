"""Per-site extraction overrides: CSS selectors for outlets whose layout defeats the generic path.

Overrides are data, kept in `pipeline/article/site_overrides/<name>.yaml` as a mapping from a
source id to its selectors, so a source definition can name its entry instead of carrying code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

OVERRIDES_DIR = Path(__file__).parent / "site_overrides"
_KEYS = ("content_selector", "date_selector", "drop_selectors")


@dataclass(frozen=True)
class SiteOverrides:
    """CSS selectors that replace the generic extraction for one site (see
    `pipeline.article.html_tree`).

    `drop_selectors` are removed first; `content_selector` then gives the body (the selected
    elements' text, one paragraph a line) instead of trafilatura; `date_selector` gives the date.
    """

    content_selector: str | None = None
    date_selector: str | None = None
    drop_selectors: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, data: dict) -> SiteOverrides:
        """Build from a YAML/JSON mapping, refusing unknown keys so a typo does not go unnoticed."""
        unknown = sorted(set(data) - set(_KEYS))
        if unknown:
            raise ValueError(f"unknown site override keys: {unknown} (allowed: {list(_KEYS)})")
        drop = data.get("drop_selectors") or ()
        if isinstance(drop, str):
            drop = (drop,)
        return cls(
            content_selector=data.get("content_selector") or None,
            date_selector=data.get("date_selector") or None,
            drop_selectors=tuple(str(selector) for selector in drop),
        )


def load_site_overrides(name_or_path: str | Path) -> dict[str, SiteOverrides]:
    """Read an overrides file (a name in `pipeline/article/site_overrides/`, or a path):
    id -> overrides."""
    path = Path(name_or_path)
    if not path.suffix:
        path = OVERRIDES_DIR / f"{name_or_path}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping from source id to selectors")
    return {str(source): SiteOverrides.from_mapping(value or {}) for source, value in data.items()}
