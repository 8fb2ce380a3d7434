"""The reference index read part by part (`ingest.references`): a movement delivery reads
only the excise part of the graph's references, and gives the graph and the quarantine
that reading every reference first gives."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

import graphfraud.ingest.references as references
from graphfraud.ingest.framework import RefIndex
from graphfraud.ingest.movements import MovementLoader
from graphfraud.ingest.references import ALL_PARTS, EXCISE, StoredRefIndex
from graphfraud.ingest.run import FileReport, _valid_batches, ingest_directory, parse_file
from graphfraud.store.graphhash import graph_fingerprint
from graphfraud.synth.daily import daily_delivery

UNKNOWN_EXCISE = "NL99999999999"


@pytest.fixture(scope="module")
def tiny_world(tmp_path_factory) -> Path:
    from graphfraud.synth import generate_world

    out = tmp_path_factory.mktemp("refsworld") / "world"
    generate_world("tiny", 5, out)
    return out


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as fh:
        head, *body = list(csv.reader(fh))
    return head, body


def _delivery(world: Path, out: Path) -> Path:
    """The bench's daily delivery, with what a reference can be: a consignee named by a
    tax warehouse's excise number (its operator stands behind it), delivered to and
    dispatched from warehouses, a consignee named without a number (a mention), and an
    unknown consignor (quarantined)."""
    daily_delivery(world, out, rows=60, prefix="27")
    head, body = _rows(out / "movements.csv")
    col = {name: i for i, name in enumerate(head)}
    _, premises = _rows(world / "premises.csv")
    p_head = _rows(world / "premises.csv")[0]
    warehouses = [r[p_head.index("excise_number")] for r in premises
                  if r[p_head.index("excise_number")]]
    assert warehouses, "the tiny world has tax warehouses"
    for i, row in enumerate(body):
        if i % 7 == 1:
            row[col["consignee_excise_number"]] = warehouses[i % len(warehouses)]
        if i % 7 == 2:
            row[col["delivery_place"]] = warehouses[i % len(warehouses)]
            row[col["place_of_dispatch"]] = warehouses[(i + 1) % len(warehouses)]
        if i % 7 == 3 and row[col["consignee_name"]]:
            row[col["consignee_excise_number"]] = ""
    body[5][col["consignor_excise_number"]] = UNKNOWN_EXCISE
    with open(out / "movements.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([head, *body])
    return out


def _quarantine(day: Path) -> list[list[str]]:
    q = day / ".graphfraud" / "quarantine" / "movements.csv"
    return _rows(q)[1] if q.exists() else []


def _load(store, world: Path, tmp: Path) -> None:
    """The world loaded by the ordinary ingest, from the same path each time (the
    Delivery node records it)."""
    store.clear()
    data = tmp / "data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(world, data, ignore=shutil.ignore_patterns(".graphfraud"))
    ingest_directory(store, data, "tiny")


def _deliver(store, day: Path) -> tuple[str, list, list]:
    shutil.rmtree(day / ".graphfraud", ignore_errors=True)
    report = ingest_directory(store, day, "day")
    files = [(f.file, f.read, f.loaded, f.quarantined) for f in report.files]
    return graph_fingerprint(store), files, _quarantine(day)


def test_a_movement_delivery_reads_the_excise_part_and_gives_the_whole_reads_graph(
        store, tiny_world, tmp_path, monkeypatch):
    day = _delivery(tiny_world, tmp_path / "day")
    asked: list[str] = []
    stream = store.stream

    def recording(name, *args, **kwargs):
        asked.append(name)
        return stream(name, *args, **kwargs)

    monkeypatch.setattr(store, "stream", recording)
    parts: list[frozenset[str]] = []
    need = StoredRefIndex.need

    def recorded_need(self, wanted):
        need(self, wanted)
        parts.append(self.parts_read)

    monkeypatch.setattr(StoredRefIndex, "need", recorded_need)
    _load(store, tiny_world, tmp_path)
    asked.clear()
    parts.clear()
    lazy = _deliver(store, day)
    # the delivery's register is empty: only movements.csv has rows, and it reads the
    # excise part alone (two reads of ~the warehouses), none of the whole-graph reads
    assert set(parts) == {frozenset({EXCISE})}
    known = {n for n in asked if n.startswith("known_")}
    assert known == {"known_excise_traders", "known_excise_premises"}
    moved = next(f for f in lazy[1] if f[0] == "movements.csv")
    assert moved[3] == 1 and moved[2] == moved[1] - 1  # the unknown consignor

    # the same delivery with every part read first (what every ingest did before)
    monkeypatch.setattr(StoredRefIndex, "need", lambda self, _w: need(self, ALL_PARTS))
    _load(store, tiny_world, tmp_path)
    asked.clear()
    whole = _deliver(store, day)
    assert {"known_traders", "known_persons", "known_premises", "known_machines",
            "known_excise_traders", "known_excise_premises"} <= set(asked)
    assert lazy == whole
    assert any(UNKNOWN_EXCISE in " ".join(row) for row in lazy[2])


class Refused(dict):
    """A container of a part the loader did not name: any read or write fails."""

    def _refuse(self, *_a, **_k):
        raise AssertionError("a loader read a part of the reference index it did not name")

    __contains__ = __getitem__ = get = add = update = __setitem__ = setdefault = _refuse
    __iter__ = __len__ = _refuse


_PART_FIELDS = {
    "traders": ("traders", "trader_by_kvk"),
    "persons": ("persons",),
    "premises": ("premises",),
    "machines": ("machines", "licences"),
}


def test_the_movement_loader_reads_only_the_parts_it_names(tiny_world):
    """Every row of the tiny world's movements.csv checked, resolved and written against an
    index whose unnamed parts refuse to be read, with the same batches as a whole index."""
    loader = MovementLoader()
    assert loader.references == frozenset({EXCISE})
    whole = RefIndex()
    for attr in ("trader_by_excise", "premise_by_excise", "operator_of_premise"):
        assert not getattr(whole, attr)
    # the excise part as the graph would give it, from the world's register
    head, traders = _rows(tiny_world / "traders.csv")
    for r in traders:
        row = dict(zip(head, r, strict=True))
        whole.traders.add(row["trader_id"])
        if row.get("excise_number"):
            whole.trader_by_excise[row["excise_number"]] = row["trader_id"]
    head, premises = _rows(tiny_world / "premises.csv")
    for r in premises:
        row = dict(zip(head, r, strict=True))
        if row.get("excise_number"):
            whole.premise_by_excise[row["excise_number"]] = row["premise_id"]
    strict = RefIndex(trader_by_excise=dict(whole.trader_by_excise),
                      premise_by_excise=dict(whole.premise_by_excise),
                      operator_of_premise=dict(whole.operator_of_premise))
    for part, fields in _PART_FIELDS.items():
        assert part not in loader.references
        for name in fields:
            setattr(strict, name, Refused())

    def batches(refs: RefIndex) -> list:
        rows, _paths = parse_file(loader, tiny_world, [])
        report = FileReport(loader.file_name)
        return [(batch(), count) for batch, count, _last in
                _valid_batches(rows, loader, refs, report, [], 500)]

    got = batches(strict)
    assert got == batches(whole) and sum(c for _b, c in got) > 100


def test_refused_really_refuses():
    with pytest.raises(AssertionError):
        _ = "x" in Refused()
    assert references.ALL_PARTS >= {EXCISE}


class _Reads:
    """A store answering the reference reads with nothing, and counting them."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def stream(self, name: str, *_a, **_k):
        self.asked.append(name)
        return iter(())


def test_each_part_is_read_once_and_excise_comes_with_traders_and_premises():
    st = _Reads()
    refs = StoredRefIndex(st)  # type: ignore[arg-type]
    refs.need({EXCISE})
    refs.need({EXCISE})
    assert st.asked == ["known_excise_traders", "known_excise_premises"]
    st.asked.clear()
    refs.need(ALL_PARTS)
    assert sorted(st.asked) == ["known_machines", "known_persons", "known_premises",
                                "known_traders"]
    st.asked.clear()
    other = StoredRefIndex(st)  # type: ignore[arg-type]
    other.need({"traders", "premises"})
    other.need({EXCISE})  # already held whole: not read again
    assert sorted(st.asked) == ["known_premises", "known_traders"]
    assert other.parts_read == {"traders", "premises", EXCISE}
