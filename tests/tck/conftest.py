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

