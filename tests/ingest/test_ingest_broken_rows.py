"""A delivery full of broken rows: the good rows load, each bad row is quarantined with
the file, row, field and reason; whole-file problems are reported, not hidden."""

import csv
import json
from pathlib import Path

import pytest

from graphfraud.ingest.run import ingest_directory

TRADERS_H = "trader_id,name,kvk_number,excise_number,legal_form,excise_status,status,registered_on,dissolved_on,street,house_number,postcode,city,country,lat,lon,phone,email"
GOOD_TRADERS = [
    "T1,Groothandel Noord B.V.,12345678,NL00012345678,bv,registered_consignee,active,2015-01-01,,Industrieweg,12,5911 AB,Venlo,NL,51.37,6.17,+31612345678,info@noord.nl",
    "T2,Tabak Zuid,23456789,NL00023456789,bv,authorised_warehousekeeper,active,2010-03-01,,Havenweg,3,6221 AA,Maastricht,NL,,,,",
    "T3,Kiosk De Hoek,34567890,,eenmanszaak,none,active,2019-05-05,,Markt,1,1011 AB,Amsterdam,NL,,,,",
]
# (row text, field, reason fragment) — one kind of breakage each
BAD_TRADERS = [
    (",No Id B.V.,45678901,,bv,,active,,,,,,,NL,,,,", "trader_id", "required value is missing"),
    ("T5,Bad KvK,1234,,bv,,active,,,,,,,NL,,,,", "kvk_number", "not a KvK number"),
    ("T6,Bad Excise,56789012,XX123,bv,,active,,,,,,,NL,,,,", "excise_number", "not a valid excise number"),
    ("T7,Bad Form,67890123,,llc,,active,,,,,,,NL,,,,", "legal_form", "unknown code"),
    ("T8,Bad Status,78901234,,bv,,sleeping,,,,,,,NL,,,,", "status", "unknown code"),
    ("T9,Bad Date,89012345,,bv,,active,2020-02-30,,,,,,NL,,,,", "registered_on", "not a date"),
    ("T10,Bad Postcode,90123456,,bv,,active,,,Straat,1,0123 AB,Stad,NL,,,,", "postcode", "not a Dutch postcode"),
    ("T11,Bad Lat,11223344,,bv,,active,,,,,,,NL,95.0,5.0,,", "lat", "latitude out of range"),
    ("T12,Bad Phone,22334455,,bv,,active,,,,,,,NL,,,12,", "phone", "not a phone number"),
    ("T13,Bad Mail,33445566,,bv,,active,,,,,,,NL,,,,no-at-sign", "email", "not an e-mail"),
    ("T14,Dissolved Early,44556677,,bv,,dissolved,2020-01-01,2019-01-01,,,,,NL,,,,", "dissolved_on", "dissolved before"),
    ("T1,Duplicate Of T1,55667788,,bv,,active,,,,,,,NL,,,,", "trader_id", "duplicate key"),
    ("T16,Extra Cells,66778899,,bv,,active,,,,,,,NL,,,,,surplus", "", "extra columns"),
    ("T17,Too Few", "", "row has 2 cells"),
    (TRADERS_H, "", "repeated header row"),
    ("T18,Bad Country,77889900,,bv,,active,,,,,,,Netherlands,,,,", "country", "country code"),
]
MOVE_H = "arc,sequence,line,consignor_excise_number,consignee_excise_number,destination_type,origin_type,epc,cn_code,quantity,unit,dispatched_at,journey_time,status,received_at,receipt_conclusion,shortage_or_excess,observed_difference,vehicle_plate,guarantor_type"
GOOD_ARC = "23NL00000000000000123"
GOOD_MOVES = [
    f"{GOOD_ARC},1,1,NL00023456789,NL00012345678,2,1,T200,24022090,500,4,2023-03-01T08:00:00,H10,delivered,2023-03-01,1,,,VX-123-B,1",
    f"{GOOD_ARC},1,2,NL00023456789,NL00012345678,2,1,T400,24031990,20,1,2023-03-01T08:00:00,H10,delivered,2023-03-01,1,S,0.5,VX-123-B,1",
]
BAD_MOVES = [
    ("23NL0000000000000012,1,1,NL00023456789,NL00012345678,2,1,T200,,1,4,2023-03-01,,delivered,,,,,,", "arc", "not a valid ARC"),
    (f"{GOOD_ARC},1,3,NL00023456789,NL00012345678,7,1,T200,,1,4,2023-03-01,,delivered,,,,,,", "destination_type", "unknown code"),
    (f"{GOOD_ARC},1,4,NL00023456789,NL00012345678,2,1,X2,,1,4,2023-03-01,,delivered,,,,,,", "epc", "excise product code"),
    (f"{GOOD_ARC},1,5,NL00023456789,NL00012345678,2,1,T200,,-5,4,2023-03-01,,delivered,,,,,,", "quantity", "must not be negative"),
    (f"{GOOD_ARC},1,6,NL00023456789,NL00012345678,2,1,T200,,abc,4,2023-03-01,,delivered,,,,,,", "quantity", "not a number"),
    (f"{GOOD_ARC},1,7,NL00023456789,NL00012345678,2,1,T200,,1,4,yesterday,,delivered,,,,,,", "dispatched_at", "ISO 8601"),
    (f"{GOOD_ARC},1,8,NL00023456789,NL00012345678,2,1,T200,,1,4,2023-03-01,Q12,delivered,,,,,,", "journey_time", "journey time"),
    (f"{GOOD_ARC},1,9,NL00023456789,NL00012345678,2,1,T200,,1,4,2023-03-01,,lost,,,,,,", "status", "unknown code"),
    (f"{GOOD_ARC},1,10,NL00099999999,NL00012345678,2,1,T200,,1,4,2023-03-01,,delivered,,,,,,", "consignor_excise_number", "no trader or tax warehouse"),
    (f"{GOOD_ARC},1,11,NL00023456789,NL00012345678,2,1,T200,,1,4,2023-03-05,,delivered,2023-03-01,,,,,", "received_at", "received before"),
    (f"{GOOD_ARC},1,1000,NL00023456789,NL00012345678,2,1,T200,,1,4,2023-03-01,,delivered,,,,,,", "line", "between 1 and 999"),
    (f"{GOOD_ARC},1,12,NL00023456789,NL00012345678,2,1,T200,123,1,4,2023-03-01,,delivered,,,,,,", "cn_code", "CN code"),
    (f"{GOOD_ARC},1,13,NL00023456789,NL00012345678,2,1,T200,,1,4,2023-03-01,,delivered,,9,,,,", "receipt_conclusion", "unknown code"),
    (f"{GOOD_ARC},1,14,NL00023456789,NL00012345678,2,1,T200,,1,4,2023-03-01,,delivered,,,S,,,", "observed_difference", "without a quantity"),
    (f"{GOOD_ARC},1,1,NL00023456789,NL00012345678,2,1,T200,,1,4,2023-03-01,,delivered,,,,,,", "arc", "duplicate key"),
    (f"{GOOD_ARC},1,15,NL00023456789,NL00012345678,2,1,T200,,1,4,2023-03-01,,delivered,,,,,,9", "guarantor_type", "guarantor type"),
]
ROLES_H = "person_id,trader_id,role,since,until"
BAD_ROLES = [
    ("P9,T1,director,,", "person_id", "no person 'P9'"),
    ("P1,T99,director,,", "trader_id", "no trader 'T99'"),
    ("P1,T1,king,,", "role", "unknown code"),
    ("P1,T2,director,2020-01-01,2019-01-01", "until", "ends before it begins"),
]


def _write(path: Path, header: str, rows: list[str]) -> None:
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")


@pytest.fixture
def broken_delivery(tmp_path: Path) -> Path:
    d = tmp_path / "broken"
    d.mkdir()
    _write(d / "traders.csv", TRADERS_H, GOOD_TRADERS + [r for r, _, _ in BAD_TRADERS])
    # a row in Latin-1 (wrong encoding) after the others
    with open(d / "traders.csv", "ab") as fh:
        fh.write("T19,Caf\u00e9 Wrong Encoding,99887766,,bv,,active,,,,,,,NL,,,,\n".encode("latin-1"))
    _write(d / "persons.csv", "person_id,full_name,birth_date", ["P1,Jan Jansen,1970-01-01",
                                                                 "P2,,1980-01-01"])
    _write(d / "roles.csv", ROLES_H, ["P1,T1,director,2015-01-01,"] + [r for r, _, _ in BAD_ROLES])
    _write(d / "movements.csv", MOVE_H, GOOD_MOVES + [r for r, _, _ in BAD_MOVES])
    (d / "tips.csv").write_text("")  # empty file
    _write(d / "seizures.csv", "seizure_id,seized_on,seizure_id", ["S1,2023-01-01,S1"])  # dup header
    _write(d / "eps_packs.csv", "pack_id,survey_year,municipality", ["E1,2023,Venlo"])  # no classification column
    return d


def _quarantine(d: Path, name: str) -> list[dict[str, str]]:
    with open(d / ".graphfraud" / "quarantine" / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_good_rows_load_and_every_bad_row_is_quarantined_with_its_reason(store, broken_delivery):
    report = ingest_directory(store, broken_delivery, "broken")
    by_file = {f.file: f for f in report.files}
    kinds = 0
    for name, good, bad in (("traders.csv", GOOD_TRADERS, BAD_TRADERS),
                            ("movements.csv", GOOD_MOVES, BAD_MOVES),
                            ("roles.csv", ["x"], BAD_ROLES)):
        q = _quarantine(broken_delivery, name)
        for i, (_row, field, reason) in enumerate(bad):
            row_no = len(good) + i + 1
            hits = [r for r in q if int(r["row"]) == row_no]
            assert hits, f"{name} row {row_no} ({reason}) not quarantined"
            assert any(h["field"] == field and reason in h["reason"] for h in hits), (name, row_no, hits)
            kinds += 1
        assert by_file[name].loaded == len(good)
    enc = [r for r in _quarantine(broken_delivery, "traders.csv") if "encoding" in r["reason"]]
    assert len(enc) == 1 and enc[0]["field"] == "name" and "Caf" in json.loads(enc[0]["raw"])["name"]
    persons = _quarantine(broken_delivery, "persons.csv")
    assert persons[0]["field"] == "full_name" and persons[0]["row"] == "2"
    kinds += 2
    for name, reason in (("tips.csv", "empty file"), ("seizures.csv", "duplicate header"),
                         ("eps_packs.csv", "required column(s) missing")):
        assert by_file[name].status == "unreadable" and reason in by_file[name].reason
        assert reason in _quarantine(broken_delivery, name)[0]["reason"]
        kinds += 1
    assert kinds >= 30
    counts = {r["label"]: r["nodes"] for r in store.run("count_by_label")}
    assert counts["Trader"] == 3 and counts["Movement"] == 1 and counts["MovementLine"] == 2
    assert counts["Person"] == 1


def test_cli_exits_non_zero_naming_the_unreadable_file(embedded_settings, test_env,
                                                       broken_delivery):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "graphfraud.cli", "ingest",
                          str(broken_delivery)], env=test_env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 1
    assert "UNREADABLE tips.csv: tips.csv: empty file" in out.stderr
    assert "traders.csv" in out.stdout
