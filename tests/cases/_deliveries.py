"""Two deliveries of one generated world: the first holds the registers and every dated
event before a cut-off day, the second the whole world (the registers again, and the
events from the cut-off on). Pure file work, for the alert tests."""

from __future__ import annotations

import csv
from pathlib import Path

#: each event file's date column; premises by their lease start
DATED = {"movements.csv": "dispatched_at", "tips.csv": "received_on",
         "seizures.csv": "seized_on", "machine_events.csv": "at",
         "retail_checks.csv": "checked_on", "eps_packs.csv": "collected_on",
         "premises.csv": "lease_start"}


def split_world(world: Path, out: Path, cutoff: str) -> tuple[Path, Path]:
    """`out/d1` (before `cutoff`) and `out/d2` (everything); CSV files only."""
    first, second = out / "d1", out / "d2"
    for d in (first, second):
        d.mkdir(parents=True)
    for path in sorted(world.glob("*.csv")):
        text = path.read_text(encoding="utf-8")
        (second / path.name).write_text(text, encoding="utf-8")
        column = DATED.get(path.name)
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        fields = list(rows[0]) if rows else text.splitlines()[0].split(",")
        keep = [r for r in rows if not column or not r[column] or r[column][:10] < cutoff]
        with (first / path.name).open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=fields)
            w.writeheader()
            w.writerows(keep)
    return first, second


def later_rows(world: Path, name: str, cutoff: str) -> list[dict[str, str]]:
    """The rows of an event file that only the second delivery holds."""
    with (world / name).open(newline="", encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r[DATED[name]][:10] >= cutoff]


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


def held_back_deliveries(world: Path, out: Path, held: list[str],
                         new_trader: dict[str, str]) -> list[Path]:
    """`out/d1`: the world's CSV files without the movements `held` (all their lines);
    then one delivery per held movement (the trader register and that movement), the
    first of which also registers `new_trader` (a whole trader row)."""
    m_fields, movements = _rows(world / "movements.csv")
    t_fields, traders = _rows(world / "traders.csv")
    first = out / "d1"
    for path in sorted(world.glob("*.csv")):
        fields, rows = _rows(path)
        if path.name == "movements.csv":
            rows = [r for r in rows if r["arc"] not in held]
        _write(first / path.name, fields, rows)
    later = []
    for i, arc in enumerate(held):
        d = out / f"d{i + 2}"
        traders_now = traders + [new_trader]
        _write(d / "traders.csv", t_fields, traders_now)
        _write(d / "movements.csv", m_fields, [r for r in movements if r["arc"] == arc])
        later.append(d)
    return [first, *later]
