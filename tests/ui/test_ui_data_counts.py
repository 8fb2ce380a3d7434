"""The Data page's counts come from the engine's statistics (O(1), issue 18's benchmark:
reading every relationship took 1.1 s on the medium world) and show the same numbers as
counting every node and relationship; where the statistics fail, the page counts the slow
way and says so."""

from __future__ import annotations

from typing import Any

import pytest
from test_ui_apptest import _app, _texts

from graphfraud.store import open_store


def _tables(at: Any) -> tuple[dict[str, int], dict[str, int]]:
    labels = types = None
    for df in at.dataframe:
        v = df.value
        if list(v.columns) == ["label", "nodes"]:
            labels = {r["label"]: int(r["nodes"]) for r in v.to_dict("records")}
        elif list(v.columns) == ["type", "relationships"]:
            types = {r["type"]: int(r["relationships"]) for r in v.to_dict("records")}
    assert labels is not None and types is not None, [list(d.value.columns)
                                                      for d in at.dataframe]
    return labels, types


def _full(ui_env: dict[str, Any]) -> tuple[dict[str, int], dict[str, int]]:
    with open_store(ui_env["settings"], "embedded") as st:
        return ({r["label"]: int(r["nodes"]) for r in st.run("count_by_label")},
                {r["type"]: int(r["relationships"]) for r in st.run("count_by_type")})


def test_data_page_counts_equal_full_counts(ui_env: dict[str, Any]) -> None:
    labels, types = _tables(_app("admin", page="views/data.py"))
    full_labels, full_types = _full(ui_env)
    assert labels == full_labels and types == full_types
    assert labels["Trader"] > 0 and types["REGISTERED_AT"] > 0


def test_without_statistics_the_page_counts_and_says_so(
        ui_env: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from graphfraud.security.session import Session
    from graphfraud.store import StoreError

    real = Session.aggregate

    def no_stats(self: Session, name: str, params: Any = None) -> Any:
        if name.startswith("data_"):
            raise StoreError("There is no procedure with the name `db.stats.retrieve` (test)")
        return real(self, name, params)

    monkeypatch.setattr(Session, "aggregate", no_stats)
    at = _app("admin", page="views/data.py")
    assert _tables(at) == _full(ui_env)
    assert "the engine's statistics were not available" in _texts(at)
