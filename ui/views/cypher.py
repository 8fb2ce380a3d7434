"""Cypher: the saved library this role is offered, with descriptions and typed
parameters, and a free editor for read-only Cypher (guarded, classified, row cap,
time-out). Everything runs through the signed-in user's Session. Results as a table
with a CSV download (roles with the export right) and, when they hold nodes or paths,
as a network."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

from graphfraud.explore import NetworkStyle, Subgraph, caption_of, label_of, network_html
from graphfraud.explore.export import rows_csv
from graphfraud.security import Permission
from graphfraud.store.library import NamedQuery, QueryParam
from graphfraud.store.values import is_node, is_path, is_relationship
from graphfraud.ui import common

timer = common.Timer()
sess = common.need(st.session_state.get("gf_session"), Permission.RUN_LIBRARY_QUERIES)
st.header("GraphFraud — Cypher")
ss = st.session_state


def _input(q: NamedQuery, p: QueryParam) -> Any:
    """A typed input for one parameter; returns the value to send."""
    key = f"cy_{q.name}_{p.name}"
    label = f"{p.name} ({p.type}) — {p.description}"
    default = None if p.default in (None, "null") else p.default
    if p.type == "int":
        return int(st.number_input(label, value=int(default or 0), step=1, key=key))
    if p.type == "float":
        return float(st.number_input(label, value=float(default or 0.0), key=key))
    if p.type == "bool":
        return st.checkbox(label, value=str(default).lower() == "true", key=key)
    if p.type == "list":
        raw = st.text_input(label + " (comma-separated)", value=default or "", key=key)
        return [x.strip() for x in raw.split(",") if x.strip()]
    if p.type == "map":
        raw = st.text_area(label + " (JSON)", value=default or "{}", key=key)
        try:
            return json.loads(raw or "{}")
        except json.JSONDecodeError as exc:
            st.error(f"{p.name}: not valid JSON ({exc.msg})")
            return {}
    raw = st.text_input(label, value=default or "", key=key)
    return raw if raw != "" or default is not None else None


def _cell(v: Any) -> Any:
    if is_node(v):
        return f"({label_of(v)}: {caption_of(v, 60)})"
    if is_relationship(v):
        return f"[{v.get('_type')}]"
    if is_path(v):
        return " ".join(f"({caption_of(n, 30)})" for n in v.get("nodes", []))
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False, default=str)[:500]
    return v


def _graph_of(rows: list[dict[str, Any]]) -> Subgraph:
    sg = Subgraph()

    def walk(v: Any) -> None:
        if is_node(v):
            sg.add_node(v)
        elif is_relationship(v):
            sg.add_edge(v)
        elif is_path(v):
            sg.add_path(v)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)

    for row in rows:
        walk(row)
    return sg


def _show(rows: list[dict[str, Any]], columns: list[str], truncated: bool, cap: int) -> None:
    """Rows the Session already redacted for this role."""
    if not rows:
        st.info("The query returned no rows.")
        return
    note = f" (cut at the row cap of {cap})" if truncated else ""
    st.success(f"{len(rows)} rows{note}")
    df = pd.DataFrame([{c: _cell(r.get(c)) for c in (columns or list(r))} for r in rows])
    st.dataframe(df, hide_index=True, width="stretch")
    if sess.can(Permission.EXPORT):
        table = [{c: _cell(r.get(c)) for c in (columns or list(r))} for r in rows]
        st.download_button("Download CSV", rows_csv(table, columns or None), "result.csv",
                           "text/csv", key="cy_csv", on_click=sess.export,
                           args=("cypher result", "csv", len(rows)))
    sg = _graph_of(rows)
    if len(sg):
        if len(sg) > 300:
            st.warning(f"{len(sg)} nodes: the network shows the first 300.")
            sg.nodes = dict(list(sg.nodes.items())[:300])
        common.show_html(network_html(sg, style=NetworkStyle(height_px=450, png_button=False)), height=500)


c1, c2 = st.columns(2)
row_cap = int(c1.number_input("Row cap", 1, 100_000, 1000, key="cy_cap"))
timeout = float(c2.number_input("Time-out (seconds)", 1.0, 300.0, 30.0, key="cy_timeout"))
sess.row_cap, sess.timeout_s = row_cap, timeout
st.caption(f"Every query runs read-only, cut at {row_cap} rows and stopped after "
           f"{timeout:g} s.")
common.purpose_input(sess, "cy_purpose")

lib_tab, free_tab = st.tabs(["Library", "Free Cypher"])
with lib_tab:
    lib = sess.library()
    if not lib:
        st.info("No saved queries are offered to your role.")
    else:
        name = st.selectbox("Saved query", list(lib), key="cy_name",
                            format_func=lambda n: f"{lib[n].group}/{n}")
        q = lib[name]
        st.markdown(f"**{q.name}** — {q.purpose}")
        st.caption(f"used by: {q.used_by}")
        params = {p.name: _input(q, p) for p in q.params}
        if q.requires:
            st.caption(f"requires: {', '.join(q.requires)}")
        with st.expander("Statement"):
            st.code(q.texts.get("any") or q.texts.get("neo4j", ""), language="cypher")
        if st.button("Run saved query", type="primary", key="cy_run"):
            with common.friendly_errors(f"running {name}"):
                res = sess.library_query(name, params)
                _show(res.rows, res.columns, res.truncated, row_cap)


with free_tab:
    if not sess.can(Permission.RUN_FREE_CYPHER):
        st.info(f"Free Cypher is not open to your role ({sess.role.value}); it may run "
                "the saved library.")
    else:
        text = st.text_area("Cypher (read-only)", height=160, key="cy_text",
                            value="MATCH (t:Trader) RETURN t.name AS name, t.status AS status "
                                  "LIMIT 25")
        raw = st.text_input("Parameters (JSON)", value="{}", key="cy_params")
        if st.button("Run", type="primary", key="cy_free"):
            with common.friendly_errors("running the query"):
                try:
                    fparams = json.loads(raw or "{}")
                except json.JSONDecodeError as exc:
                    raise ValueError(f"parameters are not valid JSON: {exc.msg}") from None
                res = sess.free_cypher(text, fparams)
                _show(res.rows, res.columns, res.truncated, row_cap)
st.caption(f"Page built in {timer.ms():.0f} ms")
