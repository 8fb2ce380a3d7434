"""The reference index of an ingest, read from the graph part by part as loaders need it.

Before, every ingest read every trader, person, premise and machine id of the graph first
(277k rows at the large world) to tell a dangling reference from a good one, although a
daily EMCS delivery only asks which trader stands behind an excise number: ~1,400 rows.
Each loader now names the parts of the index it reads (`Loader.references`, all of them
unless it says less), and a part is read from the graph once, at the first row of the
first file that needs it.

The answers are those of reading everything first: a part read later fills only what the
run has not set itself (the run's own rows win, as they did when they overwrote the
seeded values), and the sets are unions. `tests/ingest/test_references.py` runs each
loader against an index whose undeclared parts refuse to be read.
"""

from __future__ import annotations

from collections.abc import Iterable

from graphfraud.ingest.framework import RefIndex
from graphfraud.store.base import GraphStore

#: the parts of `RefIndex` a loader can name, and the reads that fill them
EXCISE = "excise"  # trader_by_excise, premise_by_excise, operator_of_premise (excise ones)
TRADERS = "traders"  # traders, trader_by_kvk, trader_by_excise
PERSONS = "persons"
PREMISES = "premises"  # premises, premise_by_excise, operator_of_premise
MACHINES = "machines"
ALL_PARTS = frozenset({EXCISE, TRADERS, PERSONS, PREMISES, MACHINES})
#: what a part's read brings, for the parts that are a subset of another's
_COVERED_BY = {EXCISE: frozenset({TRADERS, PREMISES})}


class StoredRefIndex(RefIndex):
    """A `RefIndex` whose stored part is read from `store` when a loader first needs it."""

    def __init__(self, store: GraphStore) -> None:
        super().__init__()
        self._store = store
        self._read: set[str] = set()

    def need(self, parts: Iterable[str]) -> None:
        """Read the parts of `parts` not read yet (one query each)."""
        for part in sorted(set(parts) - self._read):
            covered = _COVERED_BY.get(part)
            if covered is not None and covered <= self._read:  # read with its whole parts
                self._read.add(part)
                continue
            getattr(self, f"_read_{part}")()
            self._read.add(part)

    @property
    def parts_read(self) -> frozenset[str]:
        return frozenset(self._read)

    def _traders(self, rows: Iterable[dict]) -> None:
        kvk: dict[str, str] = {}
        excise: dict[str, str] = {}
        for r in rows:  # among stored rows the last wins, as when they were seeded first
            tid = r["trader_id"]
            self.traders.add(tid)
            if r.get("kvk_number"):
                kvk[r["kvk_number"]] = tid
            if r.get("excise_number"):
                excise[r["excise_number"]] = tid
        _fill(self.trader_by_kvk, kvk)
        _fill(self.trader_by_excise, excise)

    def _premises(self, rows: Iterable[dict]) -> None:
        excise: dict[str, str] = {}
        operator: dict[str, str] = {}
        for r in rows:
            pid = r["premise_id"]
            self.premises.add(pid)
            if r.get("excise_number"):
                excise[r["excise_number"]] = pid
            if r.get("operator"):
                operator[pid] = r["operator"]
        _fill(self.premise_by_excise, excise)
        _fill(self.operator_of_premise, operator)

    def _read_traders(self) -> None:
        self._traders(self._store.stream("known_traders"))

    def _read_premises(self) -> None:
        self._premises(self._store.stream("known_premises"))

    def _read_excise(self) -> None:
        self._traders(self._store.stream("known_excise_traders"))
        self._premises(self._store.stream("known_excise_premises"))

    def _read_persons(self) -> None:
        self.persons.update(r["person_id"] for r in self._store.stream("known_persons"))

    def _read_machines(self) -> None:
        self.machines.update(r["machine_id"] for r in self._store.stream("known_machines"))


def _fill(ran: dict[str, str], stored: dict[str, str]) -> None:
    """The stored values where the run has set none: the run's own rows win, as they did
    when they overwrote the values seeded before them."""
    for key, value in stored.items():
        ran.setdefault(key, value)
