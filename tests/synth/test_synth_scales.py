"""The scales: xlarge's sizes, smaller scales' output unchanged, movements streamed."""

from __future__ import annotations

import hashlib
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest

from graphfraud.synth import generate_world
from graphfraud.synth.config import SCALES, get_scale

#: sha256 over (relative path, bytes) of every file of the world, seed 11, as generated
#: before the xlarge scale was added (issue 20): adding a scale must not move a byte
BEFORE_XLARGE = {
    "tiny": "c364df6a2a65c904031a0fd71b668763f9171eae76f52fda9e0935e27c938b9b",
    "small": "088b5f042ac45246b88dafdac7cc57ff14da66cf26ec12473765f8bcec296612",
    "tiny-hard": "dd4ded51bea906e7f1630b1b420f694824842abdac83f8039711c87e98e715f6",
}


def world_digest(out: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(q for q in out.rglob("*") if q.is_file()):
        h.update(p.relative_to(out).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@pytest.mark.parametrize("scale", sorted(BEFORE_XLARGE))
def test_smaller_scales_are_byte_identical_to_before_xlarge(scale: str, tmp_path: Path) -> None:
    generate_world(scale, 11, tmp_path)
    assert world_digest(tmp_path) == BEFORE_XLARGE[scale]


def test_xlarge_is_ten_times_large_in_movements_and_grows_the_register() -> None:
    large, xlarge = get_scale("large"), get_scale("xlarge")
    assert xlarge.movement_lines == 10 * large.movement_lines == 10_000_000
    for f in ("foreign_consignors", "manufacturers", "importers", "wholesalers", "outlets",
              "transporters", "other_companies", "trust_office_companies",
              "checks_per_year", "background_tips", "background_seizures"):
        assert getattr(xlarge, f) > getattr(large, f), f
    assert (xlarge.cases_per_kind, xlarge.decoys_per_kind) == (large.cases_per_kind,
                                                                large.decoys_per_kind)
    hard = get_scale("xlarge-hard")
    assert hard.harder and replace(hard, name="xlarge", harder=False) == xlarge


def _peak_mib(scale: str, out: Path) -> float:
    tracemalloc.start()
    try:
        generate_world(scale, 3, out)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def test_movements_stream_so_memory_does_not_grow_with_the_lines(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten times the movement lines on the same register: the peak of Python memory
    stays within a quarter (it is the register's, not the movements')."""
    tiny = get_scale("tiny")
    monkeypatch.setitem(SCALES, "t-2k", replace(tiny, name="t-2k", movement_lines=2_000))
    monkeypatch.setitem(SCALES, "t-20k", replace(tiny, name="t-20k", movement_lines=20_000))
    small_peak = _peak_mib("t-2k", tmp_path / "a")
    big_peak = _peak_mib("t-20k", tmp_path / "b")
    lines = sum(1 for _ in (tmp_path / "b" / "movements.csv").open(encoding="utf-8")) - 1
    assert lines > 15_000  # the world did grow
    assert big_peak < 1.25 * small_peak, (small_peak, big_peak)
