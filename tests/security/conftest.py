"""The security tests' shared world: the tiny world (seed 3) ingested on each store,
and a fresh home for the session's audit log, secrets and decisions."""

from __future__ import annotations

import pytest


@pytest.fixture
def world(store, tmp_path, settings):
    from dataclasses import replace

    from graphfraud.ingest.run import ingest_directory
    from graphfraud.synth import generate_world

    out = tmp_path / "w"
    generate_world("tiny", 3, out)
    ingest_directory(store, out, "tiny", resolve=False, restart=True)
    return store, replace(settings, home=tmp_path / "home"), out
