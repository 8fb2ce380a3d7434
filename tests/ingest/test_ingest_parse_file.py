"""`parse_file`, the public parse of one loader's file (the benchmarks time it apart from
the write): the same records on the columnar and the row-by-row path, a bad cell named."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphfraud.ingest.register import TraderLoader
from graphfraud.ingest.run import parse_file

ROWS = ("trader_id,name,kvk_number,excise_number,postcode,country\n"
        "T1,Jansen BV,12345678,NL00012345678,1234 ab,nl\n"
        "T2,Pietersen VOF,1234,,,NL\n")


@pytest.mark.parametrize("columnar", ["1", "0"])
def test_parse_file_gives_records_and_names_the_bad_cell(tmp_path: Path, columnar: str,
                                                         monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GRAPHFRAUD_COLUMNAR", columnar)
    (tmp_path / "traders.csv").write_text(ROWS, encoding="utf-8")
    rows, sources = parse_file(TraderLoader(), tmp_path, [])
    parsed = {n: (rec, errors) for n, _, rec, errors in rows}
    assert sources == [tmp_path / "traders.csv"]
    good, _ = parsed[1]
    assert (good["kvk_number"], good["excise_number"], good["postcode"], good["country"]) == (
        "12345678", "NL00012345678", "1234AB", "NL")
    bad, errors = parsed[2]
    assert bad is None and [field for field, _ in errors] == ["kvk_number"]
