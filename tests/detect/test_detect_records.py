"""The run file as typed records: a file written by main before the records existed
(`data/run_main_tiny5.json`: `graphfraud detect` on the tiny world, seed 5, a first run)
reads into `FindingsDocument` and writes back to the same bytes; the records keep every
key, even ones they do not know, in the contract's order."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError, replace
from pathlib import Path

import pytest

from graphfraud.detect.changes import compare
from graphfraud.detect.records import (
    VOLATILE_RUN_KEYS,
    Changes,
    Finding,
    FindingsDocument,
    Reason,
    RunInfo,
)
from graphfraud.detect.runs import latest_run, list_runs, load_run, read_run_file, save_run
from graphfraud.detect.scoring import Finding as DetectorFinding

OLD_RUN = Path(__file__).parent / "data" / "run_main_tiny5.json"


def test_a_run_file_of_main_reads_and_writes_back_to_the_same_bytes() -> None:
    text = OLD_RUN.read_text()
    doc = FindingsDocument.from_dict(json.loads(text))
    assert doc.to_json() == text
    assert json.dumps(doc.to_dict(), indent=2, ensure_ascii=False) == text
    assert len(doc.findings) == 17 and doc.run.run_id == "20261201T174924-9bd2b9"
    assert {f.kind for f in doc.findings} == {"factory_site", "diversion", "supplier_network",
                                               "retail_supply_chain", "phoenix"}
    assert isinstance(doc.run.changes, Changes) and len(doc.run.changes.new) == 17
    assert doc.run.changes.previous_run is None
    first = doc.findings[0]
    assert isinstance(first, Finding) and all(isinstance(r, Reason) for r in first.reasons)
    assert sum(r.part for r in first.reasons) == pytest.approx(first.score, abs=1e-5)


def test_saved_and_loaded_through_the_runs_module(tmp_path: Path, settings) -> None:
    home = replace(settings, home=tmp_path / "home")
    doc = read_run_file(OLD_RUN)
    path = save_run(home, doc)
    assert path.read_text() == OLD_RUN.read_text()  # byte for byte
    assert load_run(home, str(doc.run.run_id)) == doc == latest_run(home)
    assert list_runs(home) == [doc.run]


def test_reproducible_leaves_out_exactly_the_volatile_run_keys() -> None:
    raw = json.loads(OLD_RUN.read_text())
    got = FindingsDocument.from_dict(raw).reproducible().to_dict()
    want = {**raw, "run": {k: v for k, v in raw["run"].items() if k not in VOLATILE_RUN_KEYS}}
    assert json.dumps(got) == json.dumps(want)
    assert "community_engine" in got["run"] and "run_id" not in got["run"]


def test_unknown_keys_are_kept_in_place_and_missing_ones_load() -> None:
    raw = json.loads(OLD_RUN.read_text())
    raw["run"]["operator_note"] = "kept"
    raw["findings"][0]["reviewed"] = True
    raw["findings"][0]["location"]["region"] = "Zuid"
    raw["reviewer"] = "x"
    text = json.dumps(raw, indent=2, ensure_ascii=False)
    assert FindingsDocument.from_json(text).to_json() == text
    bare = FindingsDocument.from_dict({"findings": [{"id": "F-1", "kind": "phoenix"}]})
    assert bare.findings[0].subject_ids("traders") == () and bare.run == RunInfo()


def test_records_are_frozen() -> None:
    doc = read_run_file(OLD_RUN)
    with pytest.raises(FrozenInstanceError):
        doc.findings[0].title = "changed"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        doc.run.run_id = "other"  # type: ignore[misc]


def test_a_detector_finding_records_as_the_contract_writes_it() -> None:
    f = DetectorFinding("phoenix", "Trader:T-2", "successor T-2",
                        [Reason("b_signal", 0.3, "b", ("Trader:T-1",)),
                         Reason("a_signal", 0.5, "a", ("Person:P-1",))],
                        {"traders": ["T-2", "T-1", "T-2"]}, {"municipality": "Ede"})
    rec = f.record(rank=3)
    assert (rec.id, rec.rank, rec.score) == (f.id, 3, round(f.score, 6))
    assert [r.signal for r in rec.reasons] == ["a_signal", "b_signal"]  # by weight
    assert [r.part for r in rec.reasons] == [0.5, 0.15]
    assert rec.subjects["traders"] == ("T-1", "T-2") and rec.subjects["machines"] == ()
    d = rec.to_dict()
    assert list(d) == ["id", "kind", "rank", "score", "primary", "title", "subjects",
                       "location", "reasons"]
    assert list(d["reasons"][0]) == ["signal", "weight", "part", "evidence", "refs"]
    assert Finding.from_dict(json.loads(json.dumps(d))) == rec


def test_changes_are_records_with_the_contract_keys() -> None:
    now = [Finding.from_dict({"id": "a", "kind": "k", "score": 0.55}),
           Finding.from_dict({"id": "d", "kind": "k", "score": 0.2})]
    got = compare([{"finding_id": "a", "kind": "k", "score": 0.3},
                   {"finding_id": "c", "kind": "k", "score": 0.4}], now, 0.5, "r1")
    assert got.ids("new") == {"d"} and got.ids("risen") == {"a"}
    assert got.ids("disappeared") == {"c"}
    assert Changes.from_dict(json.loads(json.dumps(got.to_dict()))) == got
    assert got.to_dict()["risen"] == [{"id": "a", "kind": "k", "from": 0.3, "to": 0.55}]
