"""The one list of detectors. The runner, the CLI's `--kind` choices, the explorer's
kinds and the algorithm-register cards all read it, so adding a detector means writing
its module (with `VERSION`, `INPUTS` and a docstring), its weights in `weights.yaml`,
and one line here.

Every detector is called the same way, `run(inputs, weights, **options)`: it receives its
own section of the weights and the shared thresholds; a run option (the community
engine for supplier networks) reaches only the detectors that declare it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from graphfraud.detect import diversion, factory_sites, phoenix, retail_chain, supplier_networks
from graphfraud.detect.inputs import DetectionInputs
from graphfraud.detect.scoring import Finding

WEIGHTS_FILE = Path(__file__).with_name("weights.yaml")
#: the weights file's shared section, not a detector
SHARED_SECTIONS = ("thresholds",)
#: what every detector function is: inputs, its weights, the thresholds (+ its options)
DetectFunction = Callable[..., list[Finding]]


@dataclass(frozen=True)
class Detector:
    """One detector: its finding kind, its function and the run options it takes.

    Version, inputs (signal queries) and description are read from the detector's own
    module, and its signals from its section of the weights, so they cannot drift."""

    kind: str
    function: DetectFunction
    options: tuple[str, ...] = ()

    @property
    def module(self) -> ModuleType:
        return sys.modules[self.function.__module__]

    @property
    def version(self) -> str:
        return str(self.module.VERSION)

    @property
    def inputs(self) -> tuple[str, ...]:
        return tuple(self.module.INPUTS)

    @property
    def description(self) -> str:
        return (self.module.__doc__ or "").strip()

    @property
    def signals(self) -> tuple[str, ...]:
        return tuple(weights_in_file().get(self.kind) or ())

    def run(self, inputs: DetectionInputs, weights: dict[str, Any],
            **options: Any) -> list[Finding]:
        """The detector over `inputs` with the whole weights document; options it does
        not declare, and options left None, are not passed."""
        given = {k: v for k, v in options.items() if k in self.options and v is not None}
        return self.function(inputs, weights[self.kind], weights["thresholds"], **given)


DETECTORS: tuple[Detector, ...] = (
    Detector("factory_site", factory_sites.detect_factory_sites),
    Detector("diversion", diversion.detect_diversion),
    Detector("supplier_network", supplier_networks.detect_supplier_networks, ("partition",)),
    Detector("retail_supply_chain", retail_chain.detect_retail_chain),
    Detector("phoenix", phoenix.detect_phoenix),
)


def kinds() -> tuple[str, ...]:
    """The finding kinds, in the order the runner runs them."""
    return tuple(d.kind for d in DETECTORS)


def get(kind: str) -> Detector:
    for d in DETECTORS:
        if d.kind == kind:
            return d
    raise KeyError(f"no detector of kind {kind!r}; known: {', '.join(kinds())}")


@lru_cache(maxsize=1)
def weights_in_file() -> dict[str, Any]:
    """The shipped weights (`weights.yaml`), read once."""
    return yaml.safe_load(WEIGHTS_FILE.read_text(encoding="utf-8"))
