"""A hostile CSV delivery: a 50 MB cell, NUL bytes, control characters, over-long text.
Every good row loads, each bad row is quarantined with its reason, the run goes on to
the next files, and nothing prints a traceback."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from graphfraud.ingest.run import ingest_directory

TRADERS_H = ("trader_id,name,kvk_number,excise_number,legal_form,excise_status,status,"
             "registered_on,dissolved_on,street,house_number,postcode,city,country,lat,lon,"
             "phone,email")
TAIL = ",bv,none,active,2015-01-01,,Markt,1,1011 AB,Amsterdam,NL,,,,"


def _trader(tid: str, name: str, kvk: str) -> str:
    return f"{tid},{name},{kvk},{TAIL}"


@pytest.fixture(scope="module")
def hostile_delivery(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("hostile") / "delivery"
    d.mkdir()
    rows = [
        _trader("T1", "Groothandel Noord", "12345678"),
        _trader("T2", '"' + "A" * 50_000_000 + '"', "23456789"),  # a 50 MB quoted cell
        _trader("T3", "Tabak Zuid", "34567890"),
        _trader("T4", "Nul\x00Byte B.V.", "45678901"),
        _trader("T5", "Bell\x07Ring", "56789012"),
        _trader("T6", "Kiosk De Hoek", "67890123"),
        _trader("T7", "L" * 20_000, "78901234"),  # over the text property limit
        _trader("T8", "Esc\x1b[31m", "89012345"),
        _trader("T9", "A" * 60_000_000, "90123456"),  # a 60 MB unquoted cell
        _trader("T10", "Laatste Rij", "11223344"),
    ]
    with open(d / "traders.csv", "w", encoding="utf-8", newline="") as fh:
        fh.write(TRADERS_H + "\n" + "\n".join(rows) + "\n")
    with open(d / "persons.csv", "w", encoding="utf-8", newline="") as fh:
        fh.write("person_id,full_name,birth_date,note\n"
                 "P1,Jan Jansen,1970-01-01,\n"
                 f"P2,Piet\x00Nul,1971-01-01,\n"
                 f"P3,Kees Klaas,1972-02-02,{'n' * 12_000}\n"
                 "P4,Marie Maas,1973-03-03,ok\n")
    return d


def _quarantine(d: Path, name: str) -> list[dict[str, str]]:
    with open(d / ".graphfraud" / "quarantine" / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _reason(rows: list[dict[str, str]], row: int) -> tuple[str, str]:
    hits = [r for r in rows if int(r["row"]) == row]
    assert len(hits) == 1, (row, hits)
    return hits[0]["field"], hits[0]["reason"]


def test_hostile_cells_are_quarantined_and_the_good_rows_load(store, hostile_delivery):
    report = ingest_directory(store, hostile_delivery, "hostile", resolve=False)
    by_file = {f.file: f for f in report.files}
    assert by_file["traders.csv"].status == "loaded"
    assert by_file["traders.csv"].loaded == 4 and by_file["traders.csv"].quarantined == 6
    q = _quarantine(hostile_delivery, "traders.csv")
    assert "unparseable row" in _reason(q, 2)[1] and "1,000,000" in _reason(q, 2)[1]
    assert _reason(q, 4) == ("name", "NUL byte at character 4 of the cell")
    assert _reason(q, 5) == ("name", "control character U+0007 at character 5 of the cell")
    assert _reason(q, 7)[0] == "name" and "20,000 characters; at most 10,000" in _reason(q, 7)[1]
    assert _reason(q, 8)[0] == "name" and "U+001B" in _reason(q, 8)[1]
    assert "unparseable row" in _reason(q, 9)[1]
    raw7 = json.loads(next(r for r in q if r["row"] == "7")["raw"])
    assert len(raw7["name"]) < 1100 and "(20,000 characters)" in raw7["name"]
    assert (hostile_delivery / ".graphfraud" / "quarantine" / "traders.csv").stat().st_size < 100_000
    # the run went on to the next file
    assert by_file["persons.csv"].loaded == 2 and by_file["persons.csv"].quarantined == 2
    p = _quarantine(hostile_delivery, "persons.csv")
    assert _reason(p, 2)[0] == "full_name" and "NUL byte" in _reason(p, 2)[1]
    assert _reason(p, 3)[0] == "note" and "12,000 characters" in _reason(p, 3)[1]
    names = {r["name"] for r in store.read_cypher(
        "MATCH (t:Trader) RETURN t.name AS name", row_cap=100).rows}
    assert names == {"Groothandel Noord", "Tabak Zuid", "Kiosk De Hoek", "Laatste Rij"}
    people = store.read_cypher("MATCH (p:Person) RETURN p.person_id AS id ORDER BY id").rows
    assert [r["id"] for r in people] == ["P1", "P4"]


def test_the_cli_reports_without_a_traceback(embedded_settings, test_env, hostile_delivery):
    out = subprocess.run([sys.executable, "-m", "graphfraud.cli", "ingest",
                          str(hostile_delivery)], env=test_env,
                         capture_output=True, text=True, timeout=600)
    assert "Traceback" not in out.stderr and "Traceback" not in out.stdout
    assert out.returncode == 0, out.stderr
    assert "traders.csv" in out.stdout
