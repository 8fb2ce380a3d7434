"""An in-memory graph store: the load statements' semantics applied to Python dicts.

`CollectingStore` takes the rows of the very pipeline `graphfraud ingest` runs
(`graphfraud.ingest.run.ingest_directory`: the same loaders, validation, quarantine,
reference checks, batching and entity resolution) and keeps the graph they make instead
of sending it to a database:

- a `NodeWrite` (`upsert_<label>`): MERGE by the model key, then `SET n += props` (later
  rows win), and the provenance lists `sources`, `deliveries`, `legal_bases` grow without
  repeats;
- a `LinkWrite` (`link_<type>__<start>_<end>`): both ends must exist (else no
  relationship, like the statement's MATCH); MERGE on start, end and the type's key
  properties; a single-valued type drops the start's other relationship of that type
  first.

The ingest hands it typed writes; a caller that names the statement (entity resolution,
the delivery record) is answered through the write that statement performs.

Two bulk paths read the collected graph: `graphfraud.export.neo4j_admin` (import CSVs for
`neo4j-admin`) and `graphfraud.ingest.bulk` (FalkorDB's `GRAPH.BULK`). The whole graph is
held in memory (about 1 KiB per node; the large synthetic world, ~3.5M nodes, needs a few
GiB).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter
from typing import Any

from graphfraud.model.operations import LinkWrite, NodeWrite, Write
from graphfraud.model.schema import NODE_TYPES
from graphfraud.store.base import GraphStore, QueryResult, StoreError
from graphfraud.store.statements import write_named

PROVENANCE_LISTS = {"source": "sources", "delivery": "deliveries",
                    "legal_basis": "legal_bases"}


#: the reads a collecting store answers with no rows whatever it holds: the import is
#: always into an empty database, so the graph has no earlier traders, messages or
#: movements for the ingest to build on (the collector's worker answers them without a
#: round trip: `ingest.collector.CollectorProcess.stream`)
EMPTY_READS = frozenset({"known_traders", "known_persons", "known_premises", "known_machines",
                         "known_excise_traders", "known_excise_premises",
                         "emcs_events_by_arc", "emcs_movement_base"})


#: the relationship types entity resolution reads back or clears: each kept in an index of
#: its own too (`CollectingStore._typed`), so those reads do not scan the millions of
#: movement relationships of a bulk load
INDEXED_TYPES = ("SAME_AS", "MENTIONS", "REGISTERED_AT")


@dataclass(slots=True)
class CollectedRel:
    """One collected relationship. Slots, no `__dict__`: a large load holds millions
    (4.36M at the large world), and the medium world's statement rows replayed into a
    collecting store took 4.07 -> 3.77 s of CPU and 325 -> 294 MiB with them."""

    type: str
    start_label: str
    start: str
    end_label: str
    end: str
    props: dict[str, Any] = field(default_factory=dict)


def _add_provenance(props: dict[str, Any], extra: Mapping[str, Any]) -> None:
    _add_lists(props, _provenance(extra))


def _provenance(extra: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """(list property, value) of a batch's provenance, worked out once per batch."""
    return tuple((prop, extra[param]) for param, prop in PROVENANCE_LISTS.items()
                 if extra.get(param) is not None)


def _add_lists(props: dict[str, Any], provenance: tuple[tuple[str, Any], ...]) -> None:
    """Each provenance value added to its list, without repeats (an unknown or empty
    list is a new one)."""
    for prop, value in provenance:
        current = props.get(prop)
        if not current:
            props[prop] = [value]
        elif value not in current:
            props[prop] = [*current, value]


def _add_shared(props: dict[str, Any], lists: tuple[tuple[str, list[Any]], ...]) -> None:
    """`_add_lists` with the batch's shared one-value lists (`CollectingStore._lists`):
    a list that is already the shared one is checked by identity alone."""
    for prop, shared in lists:
        current = props.get(prop)
        if current is not shared:
            if not current:
                props[prop] = shared
            elif shared[0] not in current:
                props[prop] = [*current, shared[0]]


class CollectingStore(GraphStore):
    """A GraphStore that keeps the graph in memory, applying the generated load
    statements' semantics (see the module docstring). It answers only the queries the
    ingest pipeline asks: reference seeding (an empty graph), entity resolution's
    `er_traders` and `er_mentions`, `er_clear_automatic_links`, address resolution's
    `er_tip_addresses`, `er_addresses` and `er_clear_address_links`, and the per-delivery
    count the ingest keeps on Delivery nodes."""

    dialect = "neo4j"
    kind = "collect"

    def __init__(self) -> None:
        #: label -> key -> properties (the key property included)
        self.nodes: dict[str, dict[str, dict[str, Any]]] = {nt.label: {} for nt in NODE_TYPES}
        #: (type, start label, start, end label, end, key values) -> relationship
        self.rels: dict[tuple, CollectedRel] = {}
        #: (type, start label, start) -> identities, for single-valued replacement
        self._single: dict[tuple[str, str, str], tuple] = {}
        #: (list property, value) -> the shared one-value provenance list (`_lists`)
        self._shared: dict[tuple[str, Any], list[Any]] = {}
        #: type -> the identities of its relationships, in `rels` order (`INDEXED_TYPES`)
        self._typed: dict[str, dict[tuple, None]] = {t: {} for t in INDEXED_TYPES}

    def _take_slot(self, slots: dict, ident: tuple) -> None:
        """A single-valued relationship type keeps one end per start node: the new end
        takes the start's slot, and a relationship to another end is dropped."""
        slot = ident[:3]  # (type, start label, start)
        old = slots.get(slot)
        if old is not None and old[3:5] != ident[3:5]:
            self._drop(old)
        slots[slot] = ident

    def _drop(self, ident: tuple) -> None:
        """A relationship removed (from its type's index too)."""
        self.rels.pop(ident, None)
        typed = self._typed.get(ident[0])
        if typed is not None:
            typed.pop(ident, None)

    def _of_type(self, rtype: str) -> list[CollectedRel]:
        """The relationships of an indexed type, in `rels` order."""
        rels = self.rels
        return [rels[i] for i in self._typed[rtype]]

    # -- writes ---------------------------------------------------------------------------
    def upsert(self, name: Write | str, rows: Iterable[Mapping[str, Any]],
               batch_size: int = 5000, extra: Mapping[str, Any] | None = None) -> int:
        write = write_named(name) if type(name) is str else name
        if isinstance(write, NodeWrite):
            return self._upsert_nodes(write, rows, extra or {})
        if isinstance(write, LinkWrite):
            return self._upsert_links(write, rows, extra or {})
        raise StoreError(f"CollectingStore cannot run {name!r}: only node upserts and "
                         "links are collected")

    def _lists(self, extra: Mapping[str, Any]) -> tuple[tuple[str, list[Any]], ...]:
        """(list property, its one-value list) of a batch's provenance. The list is
        shared by every node and relationship that has only that value (never changed in
        place: a second value makes a new list), so a row seen again checks it by
        identity, and millions of equal one-value lists are one object."""
        out = []
        for prop, value in _provenance(extra):
            try:
                shared = self._shared.get((prop, value))
            except TypeError:  # an unhashable value: a list of its own
                out.append((prop, [value]))
                continue
            if shared is None:
                shared = self._shared[(prop, value)] = [value]
            out.append((prop, shared))
        return tuple(out)

    def _upsert_nodes(self, write: NodeWrite, rows: Iterable[Mapping[str, Any]],
                      extra: Mapping[str, Any]) -> int:
        key_prop, table = write.key, self.nodes[write.label]
        lists, add_shared = self._lists(extra), _add_shared
        get = table.get
        n = 0
        for row in rows:
            key = row["key"]
            props = get(key)
            if props is None:
                props = table[key] = {key_prop: key}
            new = row.get("props")
            if new:
                props.update(new)
            add_shared(props, lists)
            n += 1
        return n

    def _upsert_links(self, write: LinkWrite, rows: Iterable[Mapping[str, Any]],
                      extra: Mapping[str, Any]) -> int:
        rtype, s_label, e_label, keys = write.rel, write.start, write.end, write.keys
        starts, ends = self.nodes[s_label], self.nodes[e_label]
        rels, single, slots = self.rels, write.single, self._single
        typed = self._typed.get(rtype)
        lists, add_shared = self._lists(extra), _add_shared
        get = rels.get
        n = 0
        for row in rows:
            start, end = row["start"], row["end"]
            if start not in starts or end not in ends:
                continue  # the statement's MATCH finds no node: nothing is made
            keyvals = tuple(row.get(k) for k in keys) if keys else ()
            ident = (rtype, s_label, start, e_label, end, keyvals)
            if single:
                self._take_slot(slots, ident)
            rel = get(ident)
            if rel is None:
                rel = rels[ident] = CollectedRel(rtype, s_label, start, e_label, end,
                                                 {k: v for k, v in zip(keys, keyvals,
                                                                       strict=True)
                                                  if v is not None} if keys else {})
                if typed is not None:
                    typed[ident] = None
            props = rel.props
            new = row.get("props")
            if new:
                props.update(new)
            add_shared(props, lists)
            n += 1
        return n

    def upsert_many(self, items: Iterable[tuple[Write | str, Iterable[Mapping[str, Any]]]],
                    extra: Mapping[str, Any] | None = None) -> int:
        """Each `(write, rows)` collected in order, as `upsert` does it."""
        return sum(self.upsert(name, rows, extra=extra) for name, rows in items)

    def upsert_records(self, batch: Any, extra: Mapping[str, Any] | None = None) -> int:
        """A batch of records whose statement rows this store builds itself (the
        ingest's `RecordBatch`: `items()` gives the rows the ingest would have sent), so
        a bulk load's parsing process only parses and validates. A batch that can apply
        itself through `upsert_keyed` / `upsert_edges` (`RecordBatch.apply`: the
        movements, most of a load) does, where this store takes those (`keyed_writes`)."""
        apply = getattr(batch, "apply", None) if self.keyed_writes else None
        if apply is not None:
            return apply(self, extra or {})
        return self.upsert_many(batch.items(), extra=extra)

    #: whether `upsert_keyed` / `upsert_edges` are this store's writes (a subclass that
    #: diverts some writes elsewhere, `store.spill.SpillingStore`, says no)
    keyed_writes = True

    def upsert_keyed(self, write: NodeWrite, props_by_key: Mapping[Any, Mapping[str, Any]],
                     extra: Mapping[str, Any]) -> int:
        """`upsert` of one batch's rows already grouped per key (key -> properties, in
        the order `Grouped` keeps), without a row dict per node: the same graph."""
        key_prop, table = write.key, self.nodes[write.label]
        lists = self._lists(extra)
        get = table.get
        for key, new in props_by_key.items():
            props = get(key)
            if props is None:
                props = table[key] = {key_prop: key}
            if new:
                props.update(new)
            for prop, shared in lists:  # `_add_shared`, inline: it runs per node
                current = props.get(prop)
                if current is not shared:
                    if not current:
                        props[prop] = shared
                    elif shared[0] not in current:
                        props[prop] = [*current, shared[0]]
        return len(props_by_key)

    def upsert_edges(self, write: LinkWrite, pairs: Iterable[tuple[Any, Any]],
                     extra: Mapping[str, Any]) -> int:
        """`upsert` of a batch's rows of a link without key or properties, as (start,
        end) pairs grouped as `Grouped.edge` keeps them: the same graph, in fewer steps."""
        if write.keys:
            raise StoreError(f"{write} has key properties: use upsert")
        rtype, s_label, e_label, single = write.rel, write.start, write.end, write.single
        starts, ends = self.nodes[s_label], self.nodes[e_label]
        rels, slots, typed = self.rels, self._single, self._typed.get(rtype)
        lists = self._lists(extra)
        fresh = dict(lists)  # a new relationship's properties: the batch's lists alone
        get = rels.get
        n = 0
        for start, end in pairs:
            if start not in starts or end not in ends:
                continue
            ident = (rtype, s_label, start, e_label, end, ())
            if single:
                self._take_slot(slots, ident)
            rel = get(ident)
            n += 1
            if rel is None:
                rels[ident] = CollectedRel(rtype, s_label, start, e_label, end, fresh.copy())
                if typed is not None:
                    typed[ident] = None
                continue
            props = rel.props
            for prop, shared in lists:  # `_add_shared`, inline
                current = props.get(prop)
                if current is not shared:
                    if not current:
                        props[prop] = shared
                    elif shared[0] not in current:
                        props[prop] = [*current, shared[0]]
        return n

    def run(self, name: str, params: Mapping[str, Any] | None = None,
            timeout_s: float | None = None) -> list[dict[str, Any]]:
        if name == "er_clear_automatic_links":
            rels = self.rels
            gone = [k for k in self._typed["SAME_AS"]
                    if rels[k].props.get("status") in ("linked", "candidate")]
            for k in gone:
                self._drop(k)
            return [{"removed": len(gone)}]
        if name == "er_clear_address_links":
            gone = [k for k in self._typed["MENTIONS"] if k[3] == "Address"
                    and self.rels[k].props.get("status") in ("linked", "candidate")]
            for k in gone:
                self._drop(k)
            return [{"removed": len(gone)}]
        return list(self.stream(name, params))

    def stream(self, name: str, params: Mapping[str, Any] | None = None,
               ) -> Iterator[dict[str, Any]]:
        if name in EMPTY_READS:
            return iter(())  # the import is always into an empty database
        if name == "er_traders":
            return iter(self._er_traders())
        if name == "er_mentions":
            return iter(self._er_mentions())
        if name == "er_tip_addresses":
            return iter(self._er_tip_addresses())
        if name == "er_addresses":
            return iter(self._er_addresses())
        if name == "explorer_nodes_per_delivery":
            return iter(self._nodes_per_delivery())
        raise StoreError(f"CollectingStore cannot answer {name!r}")

    def read_columns(self, name: str, params: Mapping[str, Any] | None = None,
                     types: Mapping[str, str] | None = None,
                     ) -> tuple[list[str], list[list[Any]]]:
        """The columns of a query `stream` answers (entity resolution reads `er_traders`
        so); with no rows, the names are those of `types`."""
        rows = list(self.stream(name, params))
        columns = list(rows[0]) if rows else list(types or ())
        return columns, [[r.get(c) for r in rows] for c in columns]

    def _nodes_per_delivery(self) -> list[dict[str, Any]]:
        """What `explorer_nodes_per_delivery` answers (the ingest counts each delivery)."""
        counts: dict[tuple[str, str], int] = {}
        for label, table in self.nodes.items():
            # the lists are mostly a batch's shared one (`_lists`): counted per list
            # object in C, then each distinct list's deliveries once
            found = list(map(dict.get, table.values(), repeat("deliveries")))
            lists = dict(zip(map(id, found), found, strict=True))
            for ident, n in Counter(map(id, found)).items():
                for d in lists[ident] or []:
                    counts[(d, label)] = counts.get((d, label), 0) + n
        return [{"delivery": d, "label": label, "nodes": n}
                for (d, label), n in sorted(counts.items())]

    def _er_traders(self) -> list[dict[str, Any]]:
        address_of = {r.start: r.end for r in self._of_type("REGISTERED_AT")
                      if r.start_label == "Trader"}
        out = []
        for tid in sorted(self.nodes["Trader"]):
            t = self.nodes["Trader"][tid]
            a = self.nodes["Address"].get(address_of.get(tid, ""), {})
            out.append({"trader_id": tid, "name": t.get("name"),
                        "kvk_number": t.get("kvk_number"),
                        "excise_number": t.get("excise_number"),
                        "postcode": a.get("postcode"), "house_number": a.get("house_number"),
                        "city": a.get("city"), "street": a.get("street"),
                        "country": a.get("country")})
        return out

    def _er_mentions(self) -> list[dict[str, Any]]:
        rejected: dict[str, list[str]] = {}
        for r in self._of_type("SAME_AS"):
            if r.props.get("status") == "rejected":
                rejected.setdefault(r.start, []).append(r.end)
        out = []
        for mid in sorted(self.nodes["NameMention"]):
            m = self.nodes["NameMention"][mid]
            out.append({"mention_id": mid, "text": m.get("text"), "source": m.get("source"),
                        "field": m.get("field"), "source_row": m.get("source_row"),
                        "postcode": m.get("addr_postcode"), "city": m.get("addr_city"),
                        "street": m.get("addr_street"),
                        "house_number": m.get("addr_house_number"),
                        "rejected": rejected.get(mid, [])})
        return out

    def _er_tip_addresses(self) -> list[dict[str, Any]]:
        rejected: dict[str, list[str]] = {}
        for r in self._of_type("MENTIONS"):
            if r.end_label == "Address" and r.props.get("status") == "rejected":
                rejected.setdefault(r.start, []).append(r.end)
        return [{"tip_id": tid, "street": t.get("mentioned_street"),
                 "house_number": t.get("mentioned_house_number"),
                 "city": t.get("mentioned_city"), "rejected": rejected.get(tid, [])}
                for tid, t in sorted(self.nodes["Tip"].items())
                if t.get("mentioned_street") and t.get("mentioned_house_number")
                and t.get("mentioned_city")]

    def _er_addresses(self) -> list[dict[str, Any]]:
        return [{"address_key": k, "street": a.get("street"),
                 "house_number": a.get("house_number"), "city": a.get("city")}
                for k, a in sorted(self.nodes["Address"].items())
                if a.get("country") == "NL" and a.get("street") and a.get("city")
                and a.get("house_number")]

    # -- the rest of the seam: nothing to do in memory -----------------------------------
    def _read(self, text, params, timeout_s, row_cap=None) -> QueryResult:
        raise StoreError("CollectingStore runs no Cypher")

    def _write(self, text, params, timeout_s) -> QueryResult:
        raise StoreError("CollectingStore runs no Cypher")

    def _stream(self, text, params) -> Iterator[dict[str, Any]]:
        raise StoreError("CollectingStore runs no Cypher")

    def apply_schema(self) -> None:
        pass

    def schema_snapshot(self) -> list[tuple[str, ...]]:
        return []

    def health(self) -> dict[str, Any]:
        return {"ok": True, "backend": "collect"}

    def clear(self) -> None:
        self.__init__()  # type: ignore[misc]

    def close(self) -> None:
        pass

    def counts(self) -> dict[str, dict[str, int]]:
        labels = {label: len(t) for label, t in self.nodes.items() if t}
        types = Counter(map(attrgetter("type"), self.rels.values()))  # in C: millions
        return {"nodes": dict(sorted(labels.items())), "relationships": dict(sorted(types.items()))}

    def write_import_csv(self, out_dir: str) -> dict[str, Any]:
        """The collected graph as `neo4j-admin database import` files in `out_dir`
        (`graphfraud.store.neo4j_import.write_import_csv`); a method so the collector's
        worker writes them where the graph is, and only the file lists cross its pipe."""
        from pathlib import Path

        from graphfraud.store.neo4j_import import write_import_csv

        return write_import_csv(self, Path(out_dir))

    def write_bolt(self, uri: str, auth: tuple[str, str], database: str,
                   batch_rows: int | None = None, sessions: int | None = None,
                   ) -> dict[str, Any]:
        """The collected graph created over Bolt in an empty Neo4j
        (`graphfraud.store.neo4j_bolt_load.bolt_load`); a method so the collector's
        worker writes it from where the graph is, and only the counts cross its pipe."""
        from graphfraud.store import neo4j_bolt_load as bolt

        return bolt.bolt_load(self.nodes, self.rels.values(), uri, tuple(auth), database,
                              batch_rows or bolt.DEFAULT_BATCH_ROWS,
                              sessions or bolt.DEFAULT_SESSIONS)
