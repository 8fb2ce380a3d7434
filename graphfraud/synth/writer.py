"""Writes the world to the data-contract files and records where name variants landed."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from graphfraud.synth.emcs_writer import LATER_DIR, EmcsXmlWriter, Party, split_street
from graphfraud.synth.model import COLUMNS, Row, Trader
from graphfraud.synth.movements import Movement, movement_rows


class NameVariantLog:
    """Collects name_variants entries of truth.json (1-based data row numbers)."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []

    def add(self, file: str, row_no: int, field: str, text: str, trader_id: str | None) -> None:
        self.entries.append({"file": file, "row": row_no, "field": field, "text": text,
                             "trader_id": trader_id})


def write_table(out: Path, name: str, rows: Iterable[Row], log: NameVariantLog) -> int:
    """Write one CSV with the contract's column order; `_nv` markers go to the log."""
    columns = COLUMNS[name]
    n = 0
    with (out / name).open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(columns)
        for row in rows:
            n += 1
            w.writerow([row.get(c, "") for c in columns])
            nv = row.get("_nv")
            if nv:
                field, trader_id = nv  # type: ignore[misc]
                log.add(name, n, field, row[field], trader_id)
    return n


def renumber(rows: list[Row], id_field: str, date_field: str, prefix: str) -> list[Row]:
    """Sort by date (stable) and give ids in that order, e.g. TIP-000001."""
    rows.sort(key=lambda r: r[date_field])
    for i, r in enumerate(rows, start=1):
        r[id_field] = f"{prefix}-{i:06d}"
    return rows


def renumber_checks(rows: list[Row]) -> list[Row]:
    """Checks keep their lines together: ids follow (date, provisional id)."""
    rows.sort(key=lambda r: (r["checked_on"], r["check_id"]))
    final: dict[str, str] = {}
    for r in rows:
        if r["check_id"] not in final:
            final[r["check_id"]] = f"RC-{r['checked_on'][:4]}-{len(final) + 1:06d}"
        r["check_id"] = final[r["check_id"]]
    return rows


def parties(traders: Iterable[Trader]) -> dict[str, Party]:
    """Register names and addresses by excise and VAT number (an e-AD requires the
    consignor's and the transporter's)."""
    out: dict[str, Party] = {}
    for t in traders:
        a = t.address
        p = Party(t.name, a.street, a.house_number, a.postcode, a.city)
        if not a.house_number:
            street, number = split_street(a.street)
            p = Party(t.name, street, number, a.postcode, a.city)
        for key in (t.excise_number, t.vat_number):
            if key:
                out.setdefault(key, p)
    return out


def write_movements(out: Path, movements: Iterator[Movement], xml_share: float,
                    xml_rng: Any, log: NameVariantLog,
                    traders: Iterable[Trader] = ()) -> dict[str, int]:
    """Stream movements: a share goes to EMCS XML (`emcs/`, some follow-ups in the later
    delivery `later/emcs/`), the rest to movements.csv."""
    name = "movements.csv"
    columns = COLUMNS[name]
    n_rows = n_xml_lines = 0
    with (out / name).open("w", encoding="utf-8", newline="") as fh, \
            EmcsXmlWriter(out / "emcs", out / LATER_DIR, parties(traders)) as xml:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(columns)
        for m in movements:
            if xml_rng.random() < xml_share:
                xml.write(m)
                n_xml_lines += len(m.lines) * len(m.destinations)
                continue
            for row, truth in movement_rows(m):
                n_rows += 1
                w.writerow([row[c] for c in columns])
                if truth is not None:
                    log.add(name, n_rows, "consignee_name", row["consignee_name"], truth[0])
        files, later = xml.files, xml.later_files
        xml_movements = xml.movements
    return {"movements.csv": n_rows, "emcs_xml_files": files, "emcs_later_files": later,
            "emcs_xml_movements": xml_movements, "emcs_xml_lines": n_xml_lines}
