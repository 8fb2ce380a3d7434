"""A detected world for the case and report tests: the tiny world (seed 3), with its
planted factory case, ingested and detected on each store, its run saved in a fresh home."""

from __future__ import annotations

import pytest


@pytest.fixture
def detected(store, tmp_path, settings):
    from dataclasses import replace

    from graphfraud.detect.runner import detect
    from graphfraud.detect.runs import save_run
    from graphfraud.ingest.run import ingest_directory
    from graphfraud.synth import generate_world

    out = tmp_path / "w"
    generate_world("tiny", 3, out)
    ingest_directory(store, out, "tiny", resolve=False, restart=True)
    home = replace(settings, home=tmp_path / "home")
    doc = detect(store, "tiny")
    save_run(home, doc)
    return store, home, doc, out
