"""A finding's evidence names what it points at, as its subgraph does: the director by
name and birth year, the address as "street number, postcode city"; the id stays beside
it as small code (AppTest, investigator)."""

from __future__ import annotations

import csv
from typing import Any

from test_ui_apptest import _app, _texts


def test_evidence_refs_are_named(ui_env: dict[str, Any]) -> None:
    f = ui_env["doc"]["findings"][0]
    pid = f["subjects"]["persons"][0]
    with (ui_env["data"] / "persons.csv").open(encoding="utf-8") as fh:
        person = next(p for p in csv.DictReader(fh) if p["person_id"] == pid)
    at = _app("investigator", page="views/findings.py")
    text = _texts(at)
    assert f"{person['full_name']} ({person['birth_date'][:4]}) `{pid}`" in text
    key = f["subjects"]["addresses"][0]
    postcode = key.split("|")[0]
    assert "is shared with other traders" in text
    assert f"{key} is shared" not in text  # the evidence text says the address, not its key
    assert postcode in text
