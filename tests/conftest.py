"""Shared fixtures: the spaCy pipeline is loaded once per test session (it takes seconds)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    from pipeline.nlp import load_nlp

    return load_nlp()
