"""The managers' maps page read as a manager reads it (AppTest): every chart has a title,
every share is a percentage with one decimal (map legend and tooltip, trend axis on both
layers, both tables), the largest places are named on the map, and the kind filter
maps one kind of finding."""

from __future__ import annotations

import json
from typing import Any

from test_ui_apptest import _app


def _specs(at: Any) -> list[dict[str, Any]]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def _walk(spec: Any, key: str) -> list[Any]:
    found = []
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k == key:
                found.append(v)
            found.extend(_walk(v, key))
    elif isinstance(spec, list):
        for v in spec:
            found.extend(_walk(v, key))
    return found


def test_charts_are_titled_and_shares_read_one_way(ui_env: dict[str, Any]) -> None:
    at = _app("manager", page="views/maps.py")
    assert not at.exception, at.exception
    specs = _specs(at)
    assert len(specs) >= 3
    assert all(s.get("title") for s in specs), [s.get("title") for s in specs]
    share_charts = [s for s in specs if "EPS share" in json.dumps(s.get("title"))]
    assert len(share_charts) == 2  # the map and the trend
    for s in share_charts:
        formats = {a.get("format") for a in _walk(s, "axis") if isinstance(a, dict)}
        formats |= {lg.get("format") for lg in _walk(s, "legend") if isinstance(lg, dict)}
        formats |= {t.get("format") for t in _walk(s, "tooltip") for t in
                    (t if isinstance(t, list) else [t])
                    if isinstance(t, dict) and t.get("field") in ("share", "low", "high")}
        assert formats - {None} == {".1%"}, formats
    tables = [d.value for d in at.dataframe]
    pct_cols = [(t, c) for t in tables for c in t.columns if str(c).endswith("%")]
    assert len({id(t) for t, _c in pct_cols}) >= 2  # the map's table and the trend's
    for t, c in pct_cols:
        assert all(0 <= v <= 100 and round(v, 1) == v for v in t[c].dropna()), (c, t[c])


def test_largest_places_are_named_and_findings_filter_by_kind(ui_env: dict[str, Any]) -> None:
    at = _app("manager", page="views/maps.py")
    eps_map = next(s for s in _specs(at) if "by municipality" not in json.dumps(s["title"])
                   and "trend" not in json.dumps(s["title"]))
    texts = [layer for layer in eps_map.get("layer", []) if json.dumps(layer.get("mark"))
             .find("text") >= 0]
    assert texts, "no place names on the map"
    kinds = at.selectbox(key="m_kind").options
    kind = next(k for k in kinds if k == "factory_site")
    at.selectbox(key="m_kind").set_value(kind).run()
    titles = [json.dumps(s["title"]) for s in _specs(at)]
    assert any(f"Findings by municipality: {kind}" in t for t in titles), titles
    part = next(d.value for d in at.dataframe if "kind" in d.value.columns)
    assert set(part["kind"]) == {kind}
