"""The neo4j-admin import files, written column-wise: the types a column gets, the cells
neo4j-admin reads back (absent vs empty string, arrays, line breaks), the array delimiter."""

from __future__ import annotations

import csv
from pathlib import Path

from graphfraud.store.memory import CollectedRel, CollectingStore
from graphfraud.store.neo4j_import import column_types, write_import_csv


def test_column_types_widen_and_fall_back_as_the_cypher_ingest_keeps_them():
    records = [{"a": 1, "b": 1, "c": [1], "d": [], "e": True, "f": "x", "g": None},
               {"a": 2.5, "b": "two", "c": [2.0], "d": ["x"], "e": False, "f": {"k": 1}}]
    assert column_types(records) == {"a": "double", "b": "string", "c": "string[]",
                                     "d": "string[]", "e": "boolean", "f": "string"}
    assert column_types([{"l": [1, 2]}, {"l": [3]}]) == {"l": "long[]"}
    assert column_types([{"l": [1, 2.5]}]) == {"l": "double[]"}
    assert column_types([{"k": "x", "n": 1}], skip=("k",)) == {"n": "long"}


def _store(props: dict) -> CollectingStore:
    st = CollectingStore()
    st.nodes["Tip"]["t1"] = {"tip_id": "t1", **props}
    st.nodes["Tip"]["t2"] = {"tip_id": "t2", "note": "plain"}
    return st


def _rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_absent_values_are_empty_fields_and_empty_strings_are_quoted(tmp_path):
    files = write_import_csv(_store({"note": "", "sources": ["a", "b"], "n": 3}), tmp_path)
    text = (tmp_path / files["node_files"]["Tip"]).read_text(encoding="utf-8")
    assert text.splitlines() == ["tip_id:ID(Tip),n:long,note:string,sources:string[],:LABEL",
                                 't1,3,"",a;b,Tip', "t2,,plain,,Tip"]
    assert files["array_delimiter"] == ";" and files["multiline_fields"] is False


def test_a_line_break_asks_for_multiline_fields_and_a_delimiter_in_a_value_changes_it(tmp_path):
    files = write_import_csv(_store({"note": 'one,\n"two"', "sources": ["a;b", "c"]}), tmp_path)
    assert files["multiline_fields"] is True and files["array_delimiter"] == "|"
    assert "--multiline-fields=true" in files["admin_args"]
    assert "--array-delimiter=|" in files["admin_args"]
    rows = _rows(tmp_path / files["node_files"]["Tip"])
    assert rows[1] == ["t1", 'one,\n"two"', "a;b|c", "Tip"]


def test_relationship_files_per_type_and_end_labels_sorted_by_ends(tmp_path):
    st = CollectingStore()
    for k in ("p2", "p1"):
        st.nodes["Person"][k] = {"person_id": k}
    st.nodes["Tip"]["t"] = {"tip_id": "t"}
    for k in ("p2", "p1"):
        st.rels[(k,)] = CollectedRel("MENTIONS", "Tip", "t", "Person", k,
                                     {"weight": 0.5} if k == "p1" else {})
    files = write_import_csv(st, tmp_path)
    name = files["relationship_files"]["MENTIONS:Tip->Person"]
    assert _rows(tmp_path / name) == [
        [":START_ID(Tip)", ":END_ID(Person)", ":TYPE", "weight:double"],
        ["t", "p1", "MENTIONS", "0.5"], ["t", "p2", "MENTIONS", ""]]
    assert [r[0] for r in _rows(tmp_path / files["node_files"]["Person"])[1:]] == ["p1", "p2"]


def test_the_collector_worker_writes_the_files_the_in_process_store_writes(tmp_path):
    """The bulk route writes the import files in the collector's worker, where the graph
    is: the same rows sent there give the same files and the same admin arguments."""
    from graphfraud.ingest.collector import CollectorProcess

    extra = {"source": "test", "delivery": "d1", "legal_basis": "investigation"}
    rows = [{"key": "t1", "props": {"note": "", "score": 2}},
            {"key": "t2", "props": {"note": "line\nbreak"}}]
    here = CollectingStore()
    here.upsert("upsert_tip", rows, extra=extra)
    with CollectorProcess() as worker:
        worker.upsert("upsert_tip", rows, extra=extra)
        theirs = worker.write_import_csv(str(tmp_path / "worker"))
    ours = here.write_import_csv(str(tmp_path / "here"))
    assert theirs == ours and theirs["multiline_fields"] is True
    name = ours["node_files"]["Tip"]
    text = (tmp_path / "worker" / name).read_bytes()
    assert text == (tmp_path / "here" / name).read_bytes()
    assert b'"line\nbreak"' in text and b"d1" in text  # the rows and their provenance
