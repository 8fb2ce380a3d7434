"""What the detectors read: the `cypher/signals/` queries, indexed once.

`DetectionInputs.from_rows` is pure (tests build inputs by hand); `load_inputs` in
`graphfraud.detect.runner` fills it from a store's columns (`from_columns`). Each query
is kept as an Arrow table (`frames`), which the inputs' hash is computed from. The
movements, by far the largest input, are read as columns only (`movement_frame`, a
Polars frame): no row dict is made for them; the smaller tables are rows too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import polars as pl
import pyarrow as pa

from graphfraud.detect.columns import movement_frame, present
from graphfraud.detect.frames import (
    Columns,
    columns_to_rows,
    frames_hash,
    rows_to_columns,
    to_frame,
)

#: inputs the detectors read as columns only (no row dicts)
COLUMNS_ONLY = ("signal_movements",)
SIGNAL_QUERIES = ("signal_traders", "signal_roles", "signal_identifiers", "signal_premises",
                  "signal_licences", "signal_machine_events", "signal_seizures", "signal_tips",
                  "signal_check_lines", "signal_movements", "eps_counts", "signal_eps_packs")

Row = dict[str, Any]


@dataclass
class DetectionInputs:
    rows: dict[str, list[Row]] = field(default_factory=dict)
    #: each query as an Arrow table (`frames.to_frame`), made on first use from the rows
    #: if the inputs were built from rows
    frames: dict[str, pa.Table] = field(default_factory=dict, compare=False, repr=False)
    #: what several detectors derive from the same inputs (`derived`), made once
    _derived: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_rows(cls, rows: dict[str, list[Row]]) -> DetectionInputs:
        return cls({q: list(rows.get(q, [])) for q in SIGNAL_QUERIES})

    @classmethod
    def from_columns(cls, columns: Mapping[str, Columns],
                     tables: Mapping[str, pa.Table] | None = None) -> DetectionInputs:
        """From each query's (names, column values), as a store's `read_columns` gives
        them: the table and the row dicts are made from the same columns. `tables`: the
        tables (`frames.to_frame`'s) of inputs read as columns only (`COLUMNS_ONLY`),
        made already (the e-ADs, a part at a time)."""
        rows: dict[str, list[Row]] = {}
        frames: dict[str, pa.Table] = {}
        for q in SIGNAL_QUERIES:
            if tables and q in tables:
                if q not in COLUMNS_ONLY:
                    raise ValueError(f"{q} has row dicts: give its columns, not its table")
                frames[q], rows[q] = tables[q], []
                continue
            names, values = columns.get(q, ([], []))
            frames[q] = to_frame(names, values)
            rows[q] = [] if q in COLUMNS_ONLY else columns_to_rows(names, values)
        return cls(rows, frames)

    def frame(self, query: str) -> pa.Table:
        """The query's Arrow table (made from the rows if the inputs were built from rows)."""
        if query not in self.frames:
            self.frames[query] = to_frame(*rows_to_columns(self.rows.get(query, [])))
        return self.frames[query]

    def derived(self, key: Any, make: Callable[[], Any]) -> Any:
        """`make()`, once per key for these inputs: a value several detectors derive
        alike (successions), which they read and do not change."""
        if key not in self._derived:
            self._derived[key] = make()
        return self._derived[key]

    def data_hash(self) -> str:
        """sha256 over every input table, canonically (`frames.frames_hash`): the data
        the findings came from, the same on both stores."""
        return frames_hash({q: self.frame(q) for q in SIGNAL_QUERIES}, SIGNAL_QUERIES)

    # --- tables --------------------------------------------------------------------
    @property
    def traders(self) -> list[Row]:
        return self.rows["signal_traders"]

    @cached_property
    def trader(self) -> dict[str, Row]:
        return {t["trader_id"]: t for t in self.traders}

    @cached_property
    def roles_by_trader(self) -> dict[str, list[Row]]:
        out: dict[str, list[Row]] = defaultdict(list)
        for r in self.rows["signal_roles"]:
            out[r["trader_id"]].append(r)
        return out

    @cached_property
    def roles_by_person(self) -> dict[str, list[Row]]:
        out: dict[str, list[Row]] = defaultdict(list)
        for r in self.rows["signal_roles"]:
            out[r["person_id"]].append(r)
        return out

    @cached_property
    def traders_at_address(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for t in self.traders:
            if t.get("address_key"):
                out[t["address_key"]].append(t["trader_id"])
        return out

    @cached_property
    def identifiers_of(self) -> dict[tuple[str, str], set[str]]:
        """(owner kind, owner id) -> phones and e-mails."""
        out: dict[tuple[str, str], set[str]] = defaultdict(set)
        for r in self.rows["signal_identifiers"]:
            out[(r["owner_kind"], r["owner"])].add(r["value"])
        return out

    @cached_property
    def identifier_owners(self) -> dict[str, list[tuple[str, str]]]:
        """phone or e-mail -> its (owner kind, owner id) pairs, sorted."""
        out: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for r in self.rows["signal_identifiers"]:
            out[r["value"]].append((r["owner_kind"], r["owner"]))
        return {v: sorted(set(owners)) for v, owners in out.items()}

    @cached_property
    def premises(self) -> dict[str, Row]:
        """premise_id -> row with `operators` (a premise may have several)."""
        out: dict[str, Row] = {}
        for r in self.rows["signal_premises"]:
            p = out.setdefault(r["premise_id"], {**r, "operators": []})
            if r.get("operator"):
                p["operators"].append(r["operator"])
        return out

    @cached_property
    def movement_frame(self) -> pl.DataFrame:
        """The e-ADs with their lines as columns (`columns.MOVEMENT_SCHEMA`, in the
        query's order, `_i` the row's position)."""
        return movement_frame(self.frame("signal_movements"))

    @cached_property
    def check_lines(self) -> list[Row]:
        return self.rows["signal_check_lines"]

    @property
    def seizures(self) -> list[Row]:
        return self.rows["signal_seizures"]

    @property
    def tips(self) -> list[Row]:
        return self.rows["signal_tips"]

    @property
    def licences(self) -> list[Row]:
        return self.rows["signal_licences"]

    @property
    def machine_events(self) -> list[Row]:
        return self.rows["signal_machine_events"]

    @property
    def eps(self) -> list[Row]:
        return self.rows["eps_counts"]

    @property
    def eps_packs(self) -> list[Row]:
        """Illicit-white packs with brand and coordinates (factory sites: brand near site)."""
        return self.rows["signal_eps_packs"]

    @cached_property
    def latest_date(self) -> str:
        """The most recent date in the data: 'now' for every age-based signal, so a
        re-run on the same data gives the same answer whatever today is."""
        dispatched = self.movement_frame.select(
            pl.col("dispatched_at").filter(present("dispatched_at")).str.slice(0, 10).max()
        ).item()
        dates = [dispatched or ""]
        dates += [c.get("checked_on") or "" for c in self.check_lines]
        dates += [t.get("received_on") or "" for t in self.tips]
        dates += [s.get("seized_on") or "" for s in self.seizures]
        dates += [t.get("registered_on") or "" for t in self.traders]
        return max((d[:10] for d in dates if d), default="1970-01-01")

    @cached_property
    def dissolved_companies_of_person(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for pid, roles in self.roles_by_person.items():
            out[pid] = sorted({r["trader_id"] for r in roles
                               if self.trader.get(r["trader_id"], {}).get("status")
                               in ("dissolved", "bankrupt")})
        return out
