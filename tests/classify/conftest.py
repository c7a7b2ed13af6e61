"""Fixtures for the classify tests: the shipped taxonomy (loaded once) and a classifier on it."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from classify import RuleClassifier, load_taxonomy
from schemas.taxonomy import Taxonomy


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture(scope="session")
def classifier(taxonomy: Taxonomy) -> RuleClassifier:
    return RuleClassifier(taxonomy, review_threshold=0.5)
