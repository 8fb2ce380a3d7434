"""Shared generated worlds for the synth tests (generated once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphfraud.synth import generate_world


@pytest.fixture(scope="session")
def tiny_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tiny")
    generate_world("tiny", 11, out)
    return out


@pytest.fixture(scope="session")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small")
    generate_world("small", 11, out)
    return out


@pytest.fixture(scope="session")
def small_hard_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small-hard")
    generate_world("small-hard", 11, out)
    return out
