"""`export_import_csv`: neo4j-admin import files that build the graph `ingest` builds."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from _ci import unavailable

from graphfraud.export.neo4j_admin import export_import_csv
from graphfraud.model.schema import NODE_TYPES

HEADER = re.compile(r"^(?:(\w+):ID\((\w+)\)|:START_ID\((\w+)\)|:END_ID\((\w+)\)|:TYPE|:LABEL|"
                    r"(\w+):(string|long|double|boolean)(\[\])?)$")


@pytest.fixture(scope="module")
def tiny_world(tmp_path_factory) -> Path:
    from graphfraud.synth import generate_world

    out = tmp_path_factory.mktemp("bulk") / "world"
    generate_world("tiny", 3, out)
    return out


@pytest.fixture(scope="module")
def exported(tiny_world, tmp_path_factory):
    data = tmp_path_factory.mktemp("bulkdata") / "tiny"
    shutil.copytree(tiny_world, data)
    out = tmp_path_factory.mktemp("bulkout")
    return export_import_csv(data, out), out


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def test_bulk_headers_are_typed_with_id_spaces(exported):
    summary, out = exported
    keys = {nt.label: nt.key for nt in NODE_TYPES}
    for label, name in summary["node_files"].items():
        header, rows = _read(out / name)
        assert header[0] == f"{keys[label]}:ID({label})"
        assert all(HEADER.match(h) for h in header), header
        assert len({r[0] for r in rows}) == len(rows), f"duplicate ids in {name}"
    for name in summary["relationship_files"].values():
        header, _ = _read(out / name)
        assert header[0].startswith(":START_ID(") and header[1].startswith(":END_ID(")
        assert header[2] == ":TYPE"
        assert all(HEADER.match(h) for h in header), header


def test_bulk_relationship_ends_exist(exported):
    summary, out = exported
    ids: dict[str, set[str]] = {}
    for label, name in summary["node_files"].items():
        ids[label] = {r[0] for r in _read(out / name)[1]}
    for name in summary["relationship_files"].values():
        header, rows = _read(out / name)
        start, end = header[0][len(":START_ID("):-1], header[1][len(":END_ID("):-1]
        missing = [r for r in rows if r[0] not in ids[start] or r[1] not in ids[end]]
        assert not missing, f"{name}: {len(missing)} dangling, e.g. {missing[0]}"


def test_bulk_counts_equal_embedded_ingest(exported, tiny_world, embedded_settings, tmp_path):
    from graphfraud.ingest.run import ingest_directory
    from graphfraud.store import open_store

    summary, _ = exported
    data = tmp_path / "tiny"  # same folder name: the same delivery id
    shutil.copytree(tiny_world, data)
    st = open_store(embedded_settings, "embedded")
    try:
        st.clear()
        ingest_directory(st, data, restart=True)
        labels = {r["label"]: int(r["nodes"]) for r in st.run("count_by_label")}
        types = {r["type"]: int(r["relationships"]) for r in st.run("count_by_type")}
    finally:
        st.clear()
        st.close()
    assert labels == summary["nodes"]
    assert types == summary["relationships"]


@pytest.mark.neo4j
@pytest.mark.slow
def test_bulk_neo4j_admin_import_accepts_the_files(exported, tmp_path):
    """neo4j-admin itself reads the files: no bad entries, and the counts it reports."""
    from bench.common import neo4j_admin, settings_for

    summary, out = exported
    args = [a.replace("--nodes=", f"--nodes={out}/").replace(
        "--relationships=", f"--relationships={out}/") for a in summary["admin_args"]]
    result = neo4j_admin(settings_for(tmp_path / "home"), "database", "import", "full",
                         *args, "--bad-tolerance=0", "neo4j", timeout_s=600)
    text = result.stdout + result.stderr
    if "Java" in text and result.returncode != 0 and "neo4j" not in text.lower():
        unavailable(f"neo4j-admin could not run: {text[-300:]}")
    assert result.returncode == 0, text[-3000:]
    m = re.search(r"Imported:\s*\n?\s*([\d,]+) nodes\s*\n?\s*([\d,]+) relationships", text)
    assert m, text[-2000:]
    assert int(m.group(1).replace(",", "")) == summary["node_total"]
    assert int(m.group(2).replace(",", "")) == summary["relationship_total"]
