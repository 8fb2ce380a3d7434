"""A batch of movement records applied to a collecting store in one pass, for the bulk
load's worker: most of a large load's statement rows are the movements', and building
each one as a row dict (`MovementLoader.statements_into` into a `Grouped`), then reading
it back in the store, was most of the worker's time.

Here each write's rows are grouped per key exactly as `Grouped` groups them (a node's
properties merged in row order, a later value winning; a link kept once per key in the
order of its last occurrence, a single-valued one once per start node), then handed to
the store's `upsert_keyed` / `upsert_edges` in the loader's `query_order`: the same
writes in the same order, so the same graph (`tests/ingest/test_deferred_statements.py`
compares the graphs, relationship order and GRAPH.BULK bytes included).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graphfraud.ingest.batch import Grouped
from graphfraud.ingest.mentions import mention_ops
from graphfraud.ingest.movements import (
    _ADDRESS,
    _CARRIED_BY,
    _CONSIGNED_BY,
    _CONSIGNED_TO,
    _DISPATCHED_FROM,
    _HAS_LINE,
    _LINE,
    _MOVEMENT,
    _TO_ADDRESS,
    _TO_PREMISE,
    _VEHICLE,
    HEADER_PROPS,
    LINE_PROPS,
    Resolved,
    _address,
)
from graphfraud.model.operations import link_write, node_write

_MENTION, _NAMED_IN = node_write("NameMention"), link_write("NAMED_IN", "NameMention",
                                                            "Movement")


def _last(bucket: dict[Any, tuple[Any, Any]], key: Any, pair: tuple[Any, Any]) -> None:
    """A link's row kept once per key, in the order of its last occurrence."""
    bucket.pop(key, None)
    bucket[key] = pair


def apply_movements(store: Any, file_name: str, records: Sequence[dict[str, Any]],
                    resolved: Sequence[Resolved], extra: Mapping[str, Any]) -> int:
    """The batch's statement rows (`MovementLoader.statements_into` of each record with
    its references) written into `store`; the number of rows written."""
    heads: dict[str, dict[str, Any]] = {}
    lines: dict[str, dict[str, Any]] = {}
    addresses: dict[str, dict[str, Any]] = {}
    vehicles: dict[str, dict[str, Any]] = {}
    has_line: dict[Any, tuple[Any, Any]] = {}
    carried: dict[Any, tuple[Any, Any]] = {}
    by: dict[Any, tuple[Any, Any]] = {}  # the single-valued ones: one per start
    to: dict[Any, tuple[Any, Any]] = {}
    dispatched: dict[Any, tuple[Any, Any]] = {}
    to_address: dict[Any, tuple[Any, Any]] = {}
    to_premise: dict[Any, tuple[Any, Any]] = {}
    mentions = Grouped()  # rare (a consignee named, not known): the ordinary way
    pop_by, pop_has = by.pop, has_line.pop
    for rec, (consignor, consignee, dispatch, place) in zip(records, resolved, strict=True):
        get = rec.get
        arc = rec["arc"]
        line_id = f"{arc}/{rec['sequence']}/{rec['line']}"
        header = {n: v for n, v in zip(HEADER_PROPS, map(get, HEADER_PROPS), strict=True)
                  if v is not None}
        line = {"arc": arc}
        line.update((n, v) for n, v in zip(LINE_PROPS, map(get, LINE_PROPS), strict=True)
                    if v is not None)
        cells = get("_extra")
        if cells:
            for k, v in cells.items():
                header.setdefault(k, v)
                line.setdefault(k, v)
        known = heads.get(arc)
        if known is None:
            heads[arc] = header
        else:
            known.update(header)
        known = lines.get(line_id)
        if known is None:
            lines[line_id] = line
        else:
            known.update(line)
        pair = (arc, line_id)
        pop_has(pair, None)
        has_line[pair] = pair
        pop_by(arc, None)
        by[arc] = (arc, consignor)
        if consignee:
            _last(to, arc, (arc, consignee))
        elif get("consignee_name"):
            mentions.extend(mention_ops(file_name, get("_row", 0), "Movement", arc,
                                        "consignee_name", rec["consignee_name"],
                                        {"postcode": get("consignee_postcode"),
                                         "city": get("consignee_city"),
                                         "street": get("consignee_street")}))
        if dispatch:
            _last(dispatched, arc, (arc, dispatch))
        if get("status") != "replaced":
            if place:
                _last(to_premise, arc, (arc, place))
            else:
                key, addr = _address(rec, "delivery_place_")
                if key is None:
                    key, addr = _address(rec, "consignee_")
                if key is not None:
                    known = addresses.get(key)
                    if known is None:
                        addresses[key] = dict(addr)  # shared (cached): copied
                    else:
                        known.update(addr)
                    _last(to_address, arc, (arc, key))
        for plate in rec["vehicle_plate"]:
            if plate not in vehicles:
                vehicles[plate] = {}
            _last(carried, (arc, plate), (arc, plate))
    named = dict(mentions.items((_MENTION, _NAMED_IN)))
    n = 0
    for write, rows in ((_MOVEMENT, heads), (_LINE, lines), (_ADDRESS, addresses),
                        (_VEHICLE, vehicles)):
        if rows:
            n += store.upsert_keyed(write, rows, extra)
    if _MENTION in named:
        n += store.upsert(_MENTION, named[_MENTION], extra=extra)
    for link, pairs in ((_HAS_LINE, has_line), (_CONSIGNED_BY, by), (_CONSIGNED_TO, to),
                        (_DISPATCHED_FROM, dispatched), (_TO_ADDRESS, to_address),
                        (_TO_PREMISE, to_premise), (_CARRIED_BY, carried)):
        if pairs:
            n += store.upsert_edges(link, pairs.values(), extra)
    if _NAMED_IN in named:
        n += store.upsert(_NAMED_IN, named[_NAMED_IN], extra=extra)
    return n
