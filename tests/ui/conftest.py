"""A tiny world for the workbench tests: its own GRAPHFRAUD_HOME and embedded server, a
sample findings document, and the environment for in-process AppTest runs and for the
`graphfraud ui` subprocess of the browser tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphfraud.config import Settings, load_settings


def sample_findings(data: Path, run_id: str = "run-ui-test") -> dict[str, Any]:
    """A small findings document about the first Dutch traders with a director in the
    world's CSV files (so its subjects exist in the graph after ingest)."""
    import csv

    from graphfraud.resolve.normalize import address_key

    with (data / "roles.csv").open(encoding="utf-8") as fh:
        person_of = {r["trader_id"]: r["person_id"] for r in csv.DictReader(fh)}
    rows = []
    with (data / "traders.csv").open(encoding="utf-8") as fh:
        for t in csv.DictReader(fh):
            if t["country"] != "NL" or t["trader_id"] not in person_of:
                continue
            rows.append({"trader": t["trader_id"], "name": t["name"],
                         "person": person_of[t["trader_id"]],
                         "address": address_key(t["postcode"], t["house_number"]),
                         "city": t["city"], "lat": float(t["lat"]), "lon": float(t["lon"])})
            if len(rows) == 3:
                break
    kinds = ["supplier_network", "factory_site", "phoenix"]
    findings = []
    for i, r in enumerate(rows):
        reasons = [
            {"signal": "shared_address", "weight": 0.5, "part": 0.35,
             "evidence": f"{r['address']} is shared with other traders", "refs": [r["address"]]},
            {"signal": "shared_director", "weight": 0.3, "part": 0.25 - 0.05 * i,
             "evidence": "a director also stands behind a dissolved trader",
             "refs": [r["person"]]},
            {"signal": "movement_pattern", "weight": 0.2, "part": 0.1,
             "evidence": "movements just under the reporting threshold", "refs": []},
        ]
        findings.append({
            "id": f"F-{i + 1:04d}", "kind": kinds[i], "rank": i + 1,
            "score": round(sum(x["part"] for x in reasons), 3),
            "title": f"{kinds[i].replace('_', ' ').title()} around {r['name']}",
            "subjects": {"traders": [r["trader"]], "persons": [r["person"]],
                         "premises": [], "addresses": [r["address"]], "movements": [],
                         "machines": []},
            "location": {"municipality": r["city"], "lat": r["lat"], "lon": r["lon"]},
            "reasons": reasons,
        })
    return {"dataset": "tiny-7", "generated_at": "2024-01-01T00:00:00Z",
            "run": {"run_id": run_id, "started_at": "2024-01-01T00:00:00Z", "seconds": 1.0,
                    "store": "embedded", "data_hash": "test", "parameters": {"demo": True},
                    "detector_versions": {"sample": "1"}, "seeds": {"sample": 7}},
            "findings": findings}


@pytest.fixture(scope="session")
def ui_world(tmp_path_factory: pytest.TempPathFactory,
             test_env: dict[str, str]) -> Iterator[dict[str, Any]]:
    """GRAPHFRAUD_HOME with the tiny world (seed 7) ingested and a findings run saved."""
    from graphfraud.detect.records import FindingsDocument
    from graphfraud.detect.runs import save_run
    from graphfraud.ingest.run import ingest_directory
    from graphfraud.servers import falkordb_local
    from graphfraud.store import open_store
    from graphfraud.synth import generate_world

    home = tmp_path_factory.mktemp("gfui")
    env = {k: v for k, v in test_env.items()}
    env.update({"GRAPHFRAUD_HOME": str(home), "GRAPHFRAUD_STORE": "embedded",
                "GRAPHFRAUD_GRAPH": "gf_ui"})
    from _auth import login_env

    env = login_env(env, "admin", home)  # users per role; the CLI (`graphfraud ui`) as admin
    settings: Settings = load_settings(env)
    data = home / "world-tiny"
    generate_world("tiny", 7, data)
    try:
        with open_store(settings, "embedded") as st:
            st.clear()
            st.apply_schema()
            ingest_directory(st, data, "tiny-7")
        doc = sample_findings(data)
        doc["dataset"] = str(data)
        save_run(settings, FindingsDocument.from_dict(doc))
        yield {"home": home, "env": env, "settings": settings, "doc": doc, "data": data}
    finally:
        falkordb_local.stop(settings)


@pytest.fixture
def ui_env(ui_world: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The process environment of the workbench, for in-process AppTest runs."""
    with pytest.MonkeyPatch.context() as mp:
        for k in [k for k in os.environ if k.startswith("GRAPHFRAUD_")]:
            mp.delenv(k)
        for k, v in ui_world["env"].items():
            if k.startswith("GRAPHFRAUD_"):
                mp.setenv(k, v)
        yield ui_world


REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "ui" / "app.py")
