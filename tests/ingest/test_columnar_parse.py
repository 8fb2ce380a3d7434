"""The columnar parse gives what the per-row parse gives: the same rows, records,
errors and unreadable-row rejections, in the same order, on broken, hostile and edge
files and on a generated world (old and new run on the same files); and the column-wise
address normalisation gives the per-row strings on the world's address columns."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from test_ingest_broken_rows import broken_delivery  # noqa: F401  (a fixture)
from test_ingest_hostile_csv import hostile_delivery  # noqa: F401  (a fixture)
from test_ingest_world import tiny_world  # noqa: F401  (a fixture)

from graphfraud.ingest import columnar
from graphfraud.ingest.framework import FileUnreadable, open_csv
from graphfraud.ingest.movements import MovementLoader
from graphfraud.ingest.register import TraderLoader
from graphfraud.ingest.run import LOADERS
from graphfraud.resolve import normalize as norm


def _both(directory: Path, chunk_rows: int = 3) -> list[tuple[str, list, list]]:
    """Per loader file: (name, per-row result, columnar result), each the yielded rows
    followed by the rejections list. A small chunk puts chunk edges among the rows."""
    out = []
    for cls in LOADERS:
        loader = cls()
        path = directory / loader.file_name
        if not path.exists():
            continue
        try:
            csv_file = open_csv(path, loader)
        except FileUnreadable:
            continue
        r_old: list = []
        old = [(n, raw, *loader.parse_row(raw)) for n, raw in csv_file.rows(r_old)]
        r_new: list = []
        new = [(n, raw(), rec, err) for n, raw, rec, err in
               columnar.parsed_rows(loader, csv_file, r_new, chunk_rows=chunk_rows)]
        out.append((loader.file_name, old + r_old, new + r_new))
    return out


def _assert_same(directory: Path, chunk_rows: int = 3) -> int:
    compared = 0
    for name, old, new in _both(directory, chunk_rows):
        assert new == old, name
        compared += len(old)
    return compared


def test_broken_rows_give_the_same_records_and_reasons(broken_delivery):  # noqa: F811
    results = _both(broken_delivery)
    assert {name for name, _, _ in results} >= {"traders.csv", "movements.csv", "roles.csv"}
    for name, old, new in results:
        assert new == old, name
    traders = dict((n, o) for n, o, _ in results)["traders.csv"]
    assert any(isinstance(x, tuple) and x[3] for x in traders)  # rows with errors compared


def test_hostile_cells_give_the_same_rejections(hostile_delivery):  # noqa: F811
    results = _both(hostile_delivery)
    traders = dict((n, new) for n, _, new in results)["traders.csv"]
    reasons = " ".join(r.reason for r in traders if not isinstance(r, tuple))
    assert "NUL byte" in reasons and "unparseable row" in reasons
    for name, old, new in results:
        assert new == old, name


MOVE_H = ("arc,sequence,line,consignor_excise_number,consignee_excise_number,consignee_name,"
          "consignee_postcode,consignee_country,epc,quantity,dispatched_at,status,received_at,"
          "vehicle_plate,note")
ARC = "23NL00000000000000123"
EDGE_MOVES = [
    # daylight saving: an hour that happens twice, an hour that never happens, zones
    f"{ARC},1,1,NL00023456789,,Naam,1234 ab,nl,T200,5,2023-10-29T02:30:00,delivered,,,",
    f"{ARC},1,2,NL00023456789,,Naam,1234AB,NL,T200,5,2023-03-26T02:30:00,delivered,,,",
    f"{ARC},1,3,NL00023456789,,,,,T200,5,2023-03-01T08:00:00Z,delivered,,,",
    f"{ARC},1,4,NL00023456789,,,,,T200,5,2023-03-01T08:00:00+05:30,delivered,,,",
    f"{ARC},1,5,NL00023456789,,,,,T200,5,2023-03-01T08:00:00.123,delivered,,,",
    f"{ARC},1,6,NL00023456789,,,,,T200,5,2023-W09-3,delivered,,,",
    f"{ARC},1,7,NL00023456789,,,,,T200,5,0000-01-01,delivered,,,",
    f"{ARC},1,8,NL00023456789,,,,,T200,5,2023-03-01T24:00:00,delivered,,,",
    f"{ARC},1,9,NL00023456789,,,,,T200,5,2023-03-01 08:00:00,delivered,,,",
    # numbers Python reads and a strict rule might not
    f"{ARC},1,10,NL00023456789,,,,,T200,1_000,2023-03-01,delivered,,,",
    f"{ARC},1,11,NL00023456789,,,,,T200,+5,2023-03-01,delivered,,,",
    f"{ARC},1,12,NL00023456789,,,,,T200,.5,2023-03-01,delivered,,,",
    f"{ARC},1,13,NL00023456789,,,,,T200,1e3,2023-03-01,delivered,,,",
    f"{ARC},1,14,NL00023456789,,,,,T200,nan,2023-03-01,delivered,,,",
    f"{ARC},1,15,NL00023456789,,,,,T200,{'9' * 400},2023-03-01,delivered,,,",
    f"{ARC},+1,16,NL00023456789,,,,,T200,5,2023-03-01,delivered,,,",
    f"{ARC},01,017,NL00023456789,,,,,T200,-0,2023-03-01,delivered,,,",
    # case, whitespace Python strips and Rust might not, text beyond the contract
    f"{ARC},1,18,NL00023456789,,,,,T200,5,2023-03-01,DELIVERED,,,",
    f"{ARC},1,19,nl00023456789,,,,,t200,5,2023-03-01,delivered,,,",
    f"{ARC},1,20,NL00023456789,,\u00a0Naam\u3000,,,T200\u2003,5,2023-03-01,delivered,,,",
    f"{ARC},1,21,NL00023456789,,,,,T200,5,2023-03-01,Deliver\u0130d,,,",
    f"{ARC},1,22,NL00023456789,,,,,T200,5,2023-03-01,delivered,2023-02-01,,  kept  ",
    f"{ARC},1,23,NL00023456789,,,,,T200,5,2023-03-01,delivered,,AB-12-CD; 12-ABC-3;,",
    f"{ARC},1,24,NL00023456789,,,,,T200,5,2023-03-01,delivered,,!!,",
    "",
    ",,,,,,,,,,,,,,",
    f"{ARC},1,25,NL00023456789,,,,,T200,5,2023-03-01,delivered,,,{'x' * 10_001}",
    f"{ARC},1,1,NL00023456789,,,,,T200,5,2023-03-01,delivered,,,",
    f"{ARC},1,26,NL00023456789,,,,,T200,5,2023-03-01,delivered,,,\"quoted, with comma\"",
    # a declared text cell over the limit (the chunk's longest row says: measure)
    f"{ARC},1,27,NL00023456789,,{'n' * 10_001},,,T200,5,2023-03-01,delivered,,,",
]


@pytest.fixture
def edge_delivery(tmp_path: Path) -> Path:
    d = tmp_path / "edges"
    d.mkdir()
    (d / "movements.csv").write_text(MOVE_H + "\n" + "\n".join(EDGE_MOVES) + "\n",
                                     encoding="utf-8")
    (d / "traders.csv").write_text(
        "trader_id,name,phone,email,postcode,country,is_chain,lat\n"
        "T1,A,+31612345678;0612345678,INFO@A.NL,1234 ab,,ja,52.1\n"
        "T2,B,12,x@y,0123 AB,NL,maybe,91\n"
        "T3,C,,,D-10115,de,NEE,-0.0\n"
        "T4,D,,,1234\tab,NL,,\n"
        "T5,E,,,1234 SA,NL,,\n"
        "T6,F,,,nl-1234ab,NL,,\n", encoding="utf-8")
    return d


@pytest.mark.parametrize("chunk_rows", [1, 4, 50_000])
def test_edge_cells_give_the_same_records(edge_delivery, chunk_rows):
    assert _assert_same(edge_delivery, chunk_rows) == len(EDGE_MOVES) - 2 + 6
    rows = [r for r in _both(edge_delivery, chunk_rows)[1][2] if isinstance(r, tuple)]
    by_line: dict = {}
    for r in rows:
        if r[2]:
            by_line.setdefault(r[2]["line"], r[2])
    assert by_line[1]["dispatched_at"] == "2023-10-29T00:30:00Z"  # the earlier offset
    assert by_line[18]["status"] == "delivered"


def test_the_generated_world_gives_the_same_records(tiny_world):  # noqa: F811
    assert _assert_same(tiny_world, chunk_rows=257) > 1_000


def test_a_movement_line_parses_to_typed_values(edge_delivery):
    loader = MovementLoader()
    rows = list(columnar.parsed_rows(loader, open_csv(edge_delivery / "movements.csv",
                                                      loader), []))
    rec = rows[2][2]
    assert rec["dispatched_at"] == "2023-03-01T08:00:00Z" and rec["quantity"] == 5.0
    assert isinstance(rec["sequence"], int) and rec["vehicle_plate"] == []
    assert TraderLoader().known_columns >= {"phone", "email"}


def test_a_world_s_address_columns_match_the_per_row_rules(tiny_world):  # noqa: F811
    compared = 0
    for path in sorted(tiny_world.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        for col in (rows[0].keys() if rows else ()):
            if not col.endswith("postcode"):
                continue
            prefix = col[: -len("postcode")]
            cells = [r[col] for r in rows]
            countries = [r.get(f"{prefix}country") or "NL" for r in rows]
            for cc in sorted(set(countries)):
                part = [c for c, k in zip(cells, countries, strict=True) if k == cc]
                assert norm.normalize_postcodes(part, cc) == [
                    norm.normalize_postcode(v, cc) for v in part], (path.name, col, cc)
            numbers = [r.get(f"{prefix}house_number") for r in rows]
            streets = [r.get(f"{prefix}street") for r in rows]
            assert norm.house_numbers(numbers) == [norm.normalize_house_number(v)
                                                   for v in numbers]
            assert norm.address_keys(cells, numbers, countries, streets) == [
                norm.address_key(*r) for r in zip(cells, numbers, countries, streets,
                                                  strict=True)]
            compared += len(cells)
    assert compared > 1_000


def test_a_chunk_s_text_is_cleared_only_without_control_or_undecodable_characters():
    """The reader's one scan of a chunk (`read._clean_text`): a chunk it clears skips the
    column scans, so it must refuse every control character and lone surrogate."""
    from graphfraud.ingest.columnar.read import _clean_text

    assert _clean_text("plain, ascii\ttab\r\n") and _clean_text("Poznań Zürich Łódź €")
    for bad in ("\x00", "\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\x7f", "\x80", "\x85",
                "\x9f", "\udc80", "\udcff", "\u00a0"):
        assert not _clean_text(f"ok{bad}ok"), repr(bad)
