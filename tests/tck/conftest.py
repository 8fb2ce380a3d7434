"""The TCK jar (resolved by Maven, cached) and its analyst subset, once per session."""

from __future__ import annotations

import pytest
from _ci import unavailable


@pytest.fixture(scope="session")
def tck_jar():
    from graphfraud.servers import tck_kit

    try:
        return tck_kit.install()
    except tck_kit.TckSetupError as exc:
        unavailable(str(exc))


@pytest.fixture(scope="session")
def tck_subset(tck_jar):
    from tck_features import analyst_subset

    from graphfraud.servers.tck_kit import read_features

    return analyst_subset(read_features(tck_jar))


def open_tck_store(kind: str, request: pytest.FixtureRequest):
    """The store under test; the embedded one on a graph of its own ("tck")."""
    from graphfraud.store import open_store

    if kind == "neo4j":
        return open_store(request.getfixturevalue("neo4j_settings"), "neo4j")
    from dataclasses import replace

    settings = request.getfixturevalue("embedded_settings")
    return open_store(replace(settings, graph_name="tck"), "embedded")
