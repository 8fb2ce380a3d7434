"""The generator writes only columns the loaders declare: an undeclared one would land on
every node of its row as an extra property (`holder_country` once did, on Machine nodes)."""

from __future__ import annotations

from graphfraud.ingest.framework import RefIndex
from graphfraud.ingest.licences import LicenceLoader
from graphfraud.ingest.run import LOADERS
from graphfraud.model.operations import NodeWrite
from graphfraud.store.statements import statement_name
from graphfraud.synth.model import COLUMNS


def test_every_generated_column_is_declared_by_its_loader():
    loaders = {cls.file_name: cls() for cls in LOADERS}
    assert set(COLUMNS) <= set(loaders)
    undeclared = {name: sorted(set(cols) - loaders[name].known_columns)
                  for name, cols in COLUMNS.items()}
    assert undeclared == {name: [] for name in COLUMNS}


def _row(**cells: str) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS["machine_licences.csv"], "")
    row.update(licence_id="ML000001", kind="intra_eu_dispatch", machine_id="M1",
               machine_type="maker", status="granted", holder_name="Maschinenbau Nord GmbH",
               holder_street="Hafenstrasse", holder_house_number="4", holder_postcode="20457",
               holder_city="Hamburg", **cells)
    return row


def test_the_holders_country_goes_with_the_holders_address_not_on_the_machine():
    loader = LicenceLoader()
    rec, errors = loader.parse_row(_row(holder_country="de"))
    assert errors == [] and "_extra" not in rec
    rec["_row"] = 2
    props = {statement_name(write): row["props"]
             for write, row in loader.operations(rec, RefIndex())
             if isinstance(write, NodeWrite)}
    assert "holder_country" not in props["upsert_machine"]
    assert "holder_country" not in props["upsert_licence"]
    assert props["upsert_namemention"]["addr_country"] == "DE"
    assert props["upsert_namemention"]["addr_city"] == "Hamburg"


def test_a_bad_holder_country_is_refused_by_name():
    rec, errors = LicenceLoader().parse_row(_row(holder_country="Duitsland"))
    assert rec is None
    assert [field for field, _ in errors] == ["holder_country"]
