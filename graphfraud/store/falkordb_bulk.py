"""FalkorDB's bulk-insert command (`GRAPH.BULK`) fed from a collected graph: the embedded
store's path for an initial load, as `neo4j-admin database import` is Neo4j's.

The command takes binary blobs, one per label or relationship type: a header (the name,
the number of properties, their names) and then every entity's values, each a type byte
and the value. A node's internal id is its position in the order nodes are sent;
relationships name their ends by those ids. This is the wire format of FalkorDB's own
bulk loader (`falkordb-bulk-loader`); that tool reads CSV and guesses the type of every
list element from its text (a postcode "1012" inside a list would become a number), so
the values are encoded here from the Python values themselves, types kept exactly.

The graph must not exist yet (the command's `BEGIN` creates it). Indexes are made after
the load (`FalkorDBStore.apply_schema`).
"""

from __future__ import annotations

import struct
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import accumulate, repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graphfraud.store.memory import CollectedRel

# value types of the bulk format (falkordb-bulk-loader's `Type`)
_NULL, _BOOL, _DOUBLE, _STRING, _LONG, _ARRAY = 0, 1, 2, 3, 4, 5
_INT64 = (-(2 ** 63), 2 ** 63 - 1)

_NULL_BYTES = struct.pack("=B", _NULL)
_TRUE = struct.pack("=B?", _BOOL, True)
_FALSE = struct.pack("=B?", _BOOL, False)
_PACK_LONG = struct.Struct("=Bq").pack
_PACK_DOUBLE = struct.Struct("=Bd").pack
_PACK_ENDS = struct.Struct("=QQ").pack
_START_LABEL, _START, _END_LABEL, _END, _PROPS = map(
    attrgetter, ("start_label", "start", "end_label", "end", "props"))
_STRING_TAG = bytes([_STRING])

#: bytes per GRAPH.BULK call; the loader's default ceiling is 64 MB per call and per blob
DEFAULT_BATCH_BYTES = 32_000_000


class BulkEncodingError(ValueError):
    """A value the bulk format cannot carry."""


def encode_value(value: Any) -> bytes:
    """One property value: a type byte, then the value (strings NUL-terminated)."""
    out = bytearray()
    _encode_into(out, value)
    return bytes(out)


def _encode_into(out: bytearray, value: Any) -> None:
    kind = type(value)
    if kind is str:
        if "\x00" in value:
            raise BulkEncodingError(f"a NUL character inside the string {value[:40]!r}")
        out += _STRING_TAG
        out += value.encode("utf-8")
        out += b"\x00"
    elif value is None:
        out += _NULL_BYTES
    elif kind is bool:
        out += _TRUE if value else _FALSE
    elif kind is int:
        try:
            out += _PACK_LONG(_LONG, value)
        except struct.error as exc:
            raise BulkEncodingError(f"{value} does not fit in 64 bits") from exc
    elif kind is float:
        out += _PACK_DOUBLE(_DOUBLE, value)
    elif kind is list or kind is tuple:
        out += _PACK_LONG(_ARRAY, len(value))
        for v in value:
            _encode_into(out, v)
    else:
        raise BulkEncodingError(f"no bulk encoding for {kind.__name__} {value!r}")


def _nul_check(strings: Sequence[str]) -> None:
    if "\x00" in "".join(strings):
        bad = next(v for v in strings if "\x00" in v)
        raise BulkEncodingError(f"a NUL character inside the string {bad[:40]!r}")


def encode_column(values: Sequence[Any]) -> list[bytes]:
    """One property's values over many entities, each encoded as `encode_value` does it.
    Lists (provenance: sources, deliveries, legal bases) repeat a lot and are encoded
    once per distinct value."""
    kinds = set(map(type, values))
    has_null = type(None) in kinds
    kinds.discard(type(None))
    if kinds == {str}:
        _nul_check(list(filter(None, values)))
        return [_NULL_BYTES if v is None else b"\x03%b\x00" % v.encode() for v in values]
    if kinds == {float} and not has_null:
        return list(map(_PACK_DOUBLE, repeat(_DOUBLE), values))
    if kinds == {int} and not has_null:
        if not _INT64[0] <= min(values) <= max(values) <= _INT64[1]:
            bad = next(v for v in values if not _INT64[0] <= v <= _INT64[1])
            raise BulkEncodingError(f"{bad} does not fit in 64 bits")
        return list(map(_PACK_LONG, repeat(_LONG), values))
    if kinds == {list} and not has_null:
        # the collected graph shares one list object among the entities with the same
        # provenance: looked up by identity first (the values keep the objects alive)
        same: dict[int, bytes] = {}
        distinct: dict[tuple, bytes] = {}
        out = []
        try:
            for v in values:
                encoded = same.get(id(v))
                if encoded is None:
                    key = tuple(v)
                    encoded = distinct.get(key)
                    if encoded is None:
                        encoded = distinct[key] = encode_value(v)
                    same[id(v)] = encoded
                out.append(encoded)
            return out
        except TypeError:  # an unhashable element: one by one
            pass
    return list(map(encode_value, values))  # ints (range-checked), booleans, mixes


def encode_rows(props: Sequence[str], rows: Sequence[Mapping[str, Any]],
                prefix: Sequence[bytes] | None = None) -> list[bytes]:
    """Every row's values of `props` in order (NULL where absent), after `prefix` (a
    relationship's two ends).

    Most of the load's Python time is here. A row is one `bytes %` of a template made
    per label: a string column that is never null is a `\\x03%b\\x00` slot filled with
    the value's UTF-8, any other column a `%b` slot filled by `encode_column`."""
    template = b"%b" if prefix is not None else b""
    columns: list[Sequence[bytes]] = [prefix] if prefix is not None else []
    for p in props:
        values = list(map(dict.get, rows, repeat(p)))
        if set(map(type, values)) == {str}:
            _nul_check(values)
            template += _STRING_TAG + b"%b\x00"
            columns.append(list(map(str.encode, values)))
        else:
            template += b"%b"
            columns.append(encode_column(values))
    if not columns:
        return [b""] * len(rows)
    return list(map(template.__mod__, zip(*columns, strict=True)))


def _header(name: str, props: Sequence[str]) -> bytes:
    parts = [name.encode("utf-8") + b"\x00", struct.pack("=I", len(props))]
    parts += [p.encode("utf-8") + b"\x00" for p in props]
    return b"".join(parts)


def property_names(records: Iterable[Mapping[str, Any]]) -> list[str]:
    """The sorted union of the records' property names (a name that is None on every
    record is sent as NULLs, which set nothing)."""
    return sorted(set().union(*records))


class BulkBatcher:
    """Cuts encoded entities into GRAPH.BULK argument lists of at most `batch_bytes`
    each (a label's or type's header again in every call it continues into)."""

    def __init__(self, batch_bytes: int = DEFAULT_BATCH_BYTES) -> None:
        self.batch_bytes = batch_bytes
        self.nodes_sent = 0
        self.rels_sent = 0
        self._begun = False
        self._reset()

    def _reset(self) -> None:
        self._labels: list[bytes] = []
        self._types: list[bytes] = []
        self._nodes = self._rels = 0
        self._size = 0

    def flush(self) -> list[Any] | None:
        """The arguments of one GRAPH.BULK call (after the graph name), or None if empty."""
        if not self._nodes and not self._rels:
            return None
        args: list[Any] = [self._nodes, self._rels, len(self._labels), len(self._types),
                           *self._labels, *self._types]
        if not self._begun:
            args.insert(0, "BEGIN")
            self._begun = True
        self.nodes_sent += self._nodes
        self.rels_sent += self._rels
        self._reset()
        return args

    def add(self, is_node: bool, name: str, props: Sequence[str],
            entities: Sequence[bytes]) -> Iterator[list[Any]]:
        """Queue one label's (or type's) entities; yields the batches that filled up."""
        header = _header(name, props)
        offsets = list(accumulate(map(len, entities), initial=0))
        i, n = 0, len(entities)
        while i < n:
            room = self.batch_bytes - self._size - len(header)
            j = bisect_right(offsets, offsets[i] + room, lo=i) - 1
            if j == i and not (self._nodes or self._rels):
                j = i + 1  # one entity larger than a batch goes alone
            if j == i:  # not even one more fits: send what is queued, then go on
                full = self.flush()
                if full:
                    yield full
                continue
            blob = header + b"".join(entities[i:j])
            (self._labels if is_node else self._types).append(blob)
            self._size += len(blob)
            if is_node:
                self._nodes += j - i
            else:
                self._rels += j - i
            i = j
            if i < n:
                full = self.flush()
                if full:
                    yield full


def node_ids_in_send_order(nodes: Mapping[str, Mapping[str, Any]],
                           ) -> dict[str, dict[str, int]]:
    """label -> key -> the node's id in GRAPH.BULK: its position in the order
    `bulk_batches` sends the nodes (labels sorted, each table in its own order)."""
    node_ids: dict[str, dict[str, int]] = {}
    first = 0
    for label in sorted(nodes):
        table = nodes[label]
        node_ids[label] = dict(zip(table, range(first, first + len(table)), strict=True))
        first += len(table)
    return node_ids


def _ends(group: Sequence[CollectedRel], side: tuple[Callable[[Any], Any], ...],
          node_ids: Mapping[str, Mapping[str, int]]) -> Iterator[int]:
    """The ids of one end (start or end) of every relationship in `group`: one id table
    when they all have the same label there (most types), else one per relationship."""
    label_of, key_of = side
    labels = set(map(label_of, group))
    if len(labels) == 1:
        return map(node_ids[labels.pop()].__getitem__, map(key_of, group))
    return map(lambda label, key: node_ids[label][key], map(label_of, group),
               map(key_of, group))


#: one label's or type's encoded entities: (name, property names, one bytes per entity)
EncodedPart = tuple[str, list[str], list[bytes]]


def node_parts(nodes: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> Iterator[EncodedPart]:
    """Every label's nodes encoded, labels sorted, nodes in their table's order (the
    order they were collected in: sorting them would scatter the reads over memory and
    cost more than the encoding)."""
    for label in sorted(nodes):
        rows = list(nodes[label].values())
        props = property_names(rows)
        yield label, props, encode_rows(props, rows)


def rel_parts(rels: Iterable[CollectedRel], node_ids: Mapping[str, Mapping[str, int]],
              ) -> Iterator[EncodedPart]:
    """Every relationship type's relationships encoded, types sorted, each naming its
    ends by their ids in `node_ids` (`node_ids_in_send_order`)."""
    by_type: dict[str, list[CollectedRel]] = {}
    for r in rels:
        by_type.setdefault(r.type, []).append(r)
    for rtype in sorted(by_type):
        group = by_type[rtype]
        try:
            ends = list(map(_PACK_ENDS, _ends(group, (_START_LABEL, _START), node_ids),
                            _ends(group, (_END_LABEL, _END), node_ids)))
        except KeyError:
            bad = next((r.start_label, r.start) if r.start not in node_ids.get(
                r.start_label, {}) else (r.end_label, r.end) for r in group
                if r.start not in node_ids.get(r.start_label, {})
                or r.end not in node_ids.get(r.end_label, {}))
            raise BulkEncodingError(f"{rtype} names a node not sent: {bad}") from None
        rows = list(map(_PROPS, group))
        props = property_names(rows)
        yield rtype, props, encode_rows(props, rows, ends)


def bulk_batches(nodes: Mapping[str, Mapping[str, Mapping[str, Any]]],
                 rels: Iterable[CollectedRel], batch_bytes: int = DEFAULT_BATCH_BYTES,
                 encoded_rels: Iterable[EncodedPart] | None = None,
                 ) -> Iterator[list[Any]]:
    """GRAPH.BULK argument lists for `nodes` (label -> key -> properties, the key
    property included) and then `rels` (`node_parts`, then `rel_parts`). A node's id is
    its position in that order; relationships name their ends by it. `encoded_rels`, if
    given, are `rel_parts` of the same relationships made elsewhere (a second process,
    while these nodes are encoded); the batches are the same bytes."""
    batcher = BulkBatcher(batch_bytes)
    for label, props, entities in node_parts(nodes):
        yield from batcher.add(True, label, props, entities)
    if encoded_rels is None:
        encoded_rels = rel_parts(rels, node_ids_in_send_order(nodes))
    for rtype, props, entities in encoded_rels:
        yield from batcher.add(False, rtype, props, entities)
    last = batcher.flush()
    if last:
        yield last
