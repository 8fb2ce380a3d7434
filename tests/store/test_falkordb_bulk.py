"""The GRAPH.BULK encoding: exact value types, batches split under the byte ceiling, and
relationships that name nodes by their position in the order sent."""

import struct

import pytest

from graphfraud.store.falkordb_bulk import (
    BulkEncodingError,
    bulk_batches,
    encode_value,
)
from graphfraud.store.memory import CollectedRel


def test_values_keep_their_python_types():
    assert encode_value("1012") == b"\x031012\x00"  # a numeric-looking string stays text
    assert encode_value(7) == struct.pack("=Bq", 4, 7)
    assert encode_value(True) == struct.pack("=B?", 1, True)
    assert encode_value(1.5) == struct.pack("=Bd", 2, 1.5)
    assert encode_value(None) == b"\x00"
    assert encode_value(["a", 2]) == struct.pack("=Bq", 5, 2) + b"\x03a\x00" + \
        struct.pack("=Bq", 4, 2)


@pytest.mark.parametrize("bad", ["nul\x00inside", 2 ** 64, {"a": 1}])
def test_values_the_format_cannot_carry_are_refused(bad):
    with pytest.raises(BulkEncodingError):
        encode_value(bad)


def _nodes(n: int) -> dict:
    return {"Tip": {f"t{i:04d}": {"tip_id": f"t{i:04d}", "text": "x" * 50}
                    for i in range(n)},
            "Area": {"a": {"area_id": "a"}}}


def test_batches_stay_under_the_ceiling_and_count_everything():
    rels = [CollectedRel("ABOUT", "Tip", f"t{i:04d}", "Area", "a", {"w": i}) for i in range(300)]
    batches = list(bulk_batches(_nodes(300), rels, batch_bytes=5_000))
    assert len(batches) > 5
    assert batches[0][0] == "BEGIN" and all(b[0] != "BEGIN" for b in batches[1:])
    counted = [b[1:5] if b[0] == "BEGIN" else b[0:4] for b in batches]
    assert sum(c[0] for c in counted) == 301
    assert sum(c[1] for c in counted) == 300
    carried = set()
    for b in batches:
        blobs = b[5:] if b[0] == "BEGIN" else b[4:]
        assert sum(len(x) for x in blobs) <= 5_000 + 200  # one header may ride over
        for blob in blobs:
            carried.update(x[:5] for x in blob.split(b"\x03")[1:] if x.startswith(b"t0"))
    assert carried == {f"t{i:04d}".encode() for i in range(300)}  # none lost at a split


def test_relationships_name_nodes_by_send_order():
    rels = [CollectedRel("ABOUT", "Tip", "t0002", "Area", "a", {})]
    (only,) = list(bulk_batches(_nodes(3), rels))
    rel_blob = only[-1]
    header = b"ABOUT\x00" + struct.pack("=I", 0)
    assert rel_blob.startswith(header)
    # labels in sorted order: Area's one node is 0, then Tip t0000..t0002 are 1..3
    assert struct.unpack("=QQ", rel_blob[len(header):]) == (3, 0)


def test_a_relationship_to_a_node_not_sent_is_refused():
    rels = [CollectedRel("ABOUT", "Tip", "nope", "Area", "a", {})]
    with pytest.raises(BulkEncodingError, match="not sent"):
        list(bulk_batches(_nodes(1), rels))
