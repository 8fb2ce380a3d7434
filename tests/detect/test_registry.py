"""One registry of detectors: the runner, the CLI's choices, the explorer's kinds and the
register cards all come from it, and a new detector needs its module and one line."""

from __future__ import annotations

import ast
import sys
import types
from pathlib import Path

import click
import pytest

from graphfraud.cli import main
from graphfraud.detect import register_cards, registry, runner
from graphfraud.detect.inputs import DetectionInputs
from graphfraud.detect.scoring import Finding, Reason
from graphfraud.explore import findings as explore_findings

REPO = Path(__file__).resolve().parents[2]
SHIPPED = ("factory_site", "diversion", "supplier_network", "retail_supply_chain", "phoenix")


def _kind_choices() -> tuple[str, ...]:
    detect = main.commands["detect"]
    (option,) = [p for p in detect.params if p.name == "kinds"]
    assert isinstance(option.type, click.Choice)
    return tuple(option.type.choices)


def test_every_reader_has_the_registry_kinds() -> None:
    assert registry.kinds() == SHIPPED
    assert _kind_choices() == registry.kinds()
    assert explore_findings.KINDS == registry.kinds()
    weights = registry.weights_in_file()
    assert set(weights) - set(registry.SHARED_SECTIONS) == set(registry.kinds())
    for d in registry.DETECTORS:
        assert d.version and d.inputs and d.signals and d.description
        assert set(d.signals) == set(weights[d.kind])
        assert register_cards.card(d.kind)["technical_operation"]["version"] == d.version


def test_no_other_module_spells_out_the_kinds() -> None:
    """A literal collection naming three or more detector kinds, outside the registry,
    would be a second list to keep in step."""
    offenders = []
    for root in ("graphfraud", "ingest", "ui"):
        for path in (REPO / root).rglob("*.py"):
            if path.name == "registry.py" or "synth" in path.parts:
                continue  # synth plants cases per kind: the world, not the detectors
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Tuple | ast.List | ast.Set):
                    items = node.elts
                elif isinstance(node, ast.Dict):
                    items = [k for k in node.keys if k is not None]
                else:
                    continue
                named = {e.value for e in items if isinstance(e, ast.Constant)} & set(SHIPPED)
                if len(named) >= 3:
                    offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not offenders, offenders


@pytest.fixture
def added_detector(monkeypatch: pytest.MonkeyPatch) -> registry.Detector:
    """A new detector the way a developer adds one: a module and one registry line."""
    module = types.ModuleType("graphfraud.detect.planted_example")
    module.__doc__ = "Planted example: flags every trader named PLANTED.\n\nFor the test."
    module.VERSION = "0.1"
    module.INPUTS = ("signal_traders",)

    def detect_planted(inputs: DetectionInputs, weights: dict[str, float],
                       thresholds: dict[str, float]) -> list[Finding]:
        reason = Reason("named_planted", weights["named_planted"], "a planted name")
        return [Finding("planted_example", "Trader:PLANTED", "planted", [reason],
                        {"traders": ["PLANTED"]})]

    detect_planted.__module__ = module.__name__
    module.detect_planted = detect_planted
    monkeypatch.setitem(sys.modules, module.__name__, module)
    detector = registry.Detector("planted_example", detect_planted)
    monkeypatch.setattr(registry, "DETECTORS", (*registry.DETECTORS, detector))
    weights = {**registry.weights_in_file(),
               "planted_example": {"named_planted": 0.5}}
    monkeypatch.setattr(registry, "weights_in_file", lambda: weights)
    return detector


def test_an_added_detector_runs_and_gets_a_card(added_detector: registry.Detector) -> None:
    weights = registry.weights_in_file()
    inputs = DetectionInputs.from_rows({q: [] for q in added_detector.inputs})
    found, seconds = runner.run_detectors(inputs, weights, kinds=["planted_example"])
    assert [f.kind for f in found] == ["planted_example"] and "planted_example" in seconds
    assert "planted_example" in registry.kinds()
    card = register_cards.card("planted_example")
    assert card["technical_operation"]["version"] == "0.1"
    assert card["data_used"] == ["signal_traders"]
    assert card["short_description"].startswith("Planted example")


def test_a_run_option_reaches_only_the_detectors_that_declare_it() -> None:
    seen: dict[str, object] = {}

    def takes(inputs, weights, thresholds, partition=None):  # noqa: ANN001
        seen["takes"] = partition
        return []

    def plain(inputs, weights, thresholds):  # noqa: ANN001
        seen["plain"] = True
        return []

    w = {"a": {}, "b": {}, "thresholds": {}}
    registry.Detector("a", takes, ("partition",)).run(None, w, partition="engine")  # type: ignore[arg-type]
    registry.Detector("b", plain).run(None, w, partition="engine")  # type: ignore[arg-type]
    assert seen == {"takes": "engine", "plain": True}
