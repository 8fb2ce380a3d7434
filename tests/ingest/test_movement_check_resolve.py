"""`MovementLoader.check_resolve`, the one look-up per row of the bulk load's parse, gives
what `check_refs` and then `resolve` give: the same errors, and the same references where
there are none (a consignee by a warehouse's excise number, warehouses as delivery place
and place of dispatch, a consignee by name only, unknown consignor and consignee,
a replaced sequence); and the deferred batches built with it are the ones built without."""

from __future__ import annotations

import csv
from pathlib import Path

from test_references import UNKNOWN_EXCISE, _delivery, _rows, tiny_world  # noqa: F401

from graphfraud.ingest.framework import RefIndex
from graphfraud.ingest.movements import MovementLoader
from graphfraud.ingest.register import PremiseLoader, TraderLoader
from graphfraud.ingest.run import FileReport, _valid_batches, parse_file


def _index(world: Path) -> RefIndex:
    """The references the world's register gives (traders, warehouses, their operators),
    as the ingest registers them."""
    refs = RefIndex()
    for cls in (TraderLoader, PremiseLoader):
        loader = cls()
        rows, _paths = parse_file(loader, world, [])
        for _batch in _valid_batches(rows, loader, refs, FileReport(loader.file_name), [], 500):
            pass
    assert refs.trader_by_excise and refs.operator_of_premise
    return refs


def _day(world: Path, out: Path) -> Path:
    """`test_references`' delivery, with an unknown consignee and a replaced sequence."""
    day = _delivery(world, out)
    head, body = _rows(day / "movements.csv")
    col = {name: i for i, name in enumerate(head)}
    body[8][col["consignee_excise_number"]] = UNKNOWN_EXCISE
    body[9][col["status"]] = "replaced"
    with open(day / "movements.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([head, *body])
    return day


def test_check_resolve_is_check_refs_then_resolve(tiny_world, tmp_path):  # noqa: F811
    loader = MovementLoader()
    refs = _index(tiny_world)
    day = _day(tiny_world, tmp_path / "day")
    rows, _paths = parse_file(loader, day, [])
    seen = {"errors": 0, "consignee": 0, "dispatch": 0, "place": 0, "replaced": 0}
    for _n, _raw, rec, _errors in rows:
        assert rec is not None
        errors = loader.check_refs(rec, refs)
        expected = (errors, None if errors else loader.resolve(rec, refs))
        assert loader.check_resolve(rec, refs) == expected
        seen["errors"] += bool(errors)
        if not errors:
            _consignor, consignee, dispatch, place = expected[1]
            seen["consignee"] += consignee is not None
            seen["dispatch"] += dispatch is not None
            seen["place"] += place is not None
            seen["replaced"] += rec["status"] == "replaced"
    assert seen["errors"] == 2 and all(seen.values()), seen


def test_deferred_batches_are_the_same_with_and_without_the_fold(tiny_world, tmp_path,  # noqa: F811
                                                                 monkeypatch):
    day = _day(tiny_world, tmp_path / "day")

    def batches() -> tuple[list, list]:
        loader, rejections = MovementLoader(), []
        rows, _paths = parse_file(loader, day, rejections)
        out = [(b.records.records, b.records.resolved, count, last) for b, count, last in
               _valid_batches(rows, loader, _index(tiny_world), FileReport(loader.file_name),
                              rejections, 7, defer=True)]
        return out, [(r.row, r.field, r.reason) for r in rejections]

    folded = batches()
    monkeypatch.delattr(MovementLoader, "check_resolve")
    assert batches() == folded
    assert len(folded[1]) == 2 and sum(c for _r, _s, c, _l in folded[0]) > 40
