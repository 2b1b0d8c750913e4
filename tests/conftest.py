"""Shared fixtures, and test order: fast unit tests first, the CLI and end-to-end runs last."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent

# Modules that start subprocesses or run the whole job; they run after everything else.
SLOW_MODULES = (
    "review/test_browser.py",
    "test_cli.py",
    "test_extraction_isolation.py",
    "test_crash_safety.py",
    "test_parallel_runs.py",
    "warehouse/test_parquet.py",
    "test_end_to_end.py",
    "test_distributed.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.relative_to(TESTS).as_posix()
        return SLOW_MODULES.index(name) + 1 if name in SLOW_MODULES else 0

    items.sort(key=rank)


@pytest.fixture(scope="session")
def nlp():
    """The full extraction pipeline, loaded once for the whole session (it takes seconds)."""
    from pipeline.nlp import load_nlp

    return load_nlp()
