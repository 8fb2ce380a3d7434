"""Cypher: the saved library this role is offered, with descriptions and typed
parameters, and a free editor for read-only Cypher (guarded, classified, row cap,
time-out). Everything runs through the signed-in user's Session. Results as a table
with a CSV download (roles with the export right) and, when they hold nodes or paths,
as a network.

A query runs in a worker: one that answers within `QUICK_S` shows at once; a longer one
leaves the page usable, shows how long it has run and offers Cancel (Neo4j ends the
transaction; the embedded engine stops it at its time-out, the result is dropped).
Engine errors are shown in plain words with their line and column
(`graphfraud.security.engine_errors`); the History tab lists the user's own queries
from the audit log and loads one back into the editor."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from typing import Any

import pandas as pd
import streamlit as st

from graphfraud.explore import NetworkStyle, Subgraph, caption_of, label_of, network_html
from graphfraud.explore.export import rows_csv
from graphfraud.security import Permission, QueryRefused
from graphfraud.security.engine_errors import plain_error
from graphfraud.store.base import QueryTimedOut, StoreError, StoreUnavailable
from graphfraud.store.library import NamedQuery, QueryParam
from graphfraud.store.values import is_node, is_path, is_relationship
from graphfraud.ui import common
from graphfraud.ui.views import watch_query

timer = common.Timer()
sess = common.need(st.session_state.get("gf_session"), Permission.RUN_LIBRARY_QUERIES)
st.header("GraphFraud — Cypher")
ss = st.session_state
QUICK_S = 1.5  # a query answering within this shows at once; a longer one gets Cancel


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


@contextmanager
def _engine_errors(what: str, text: str) -> Iterator[None]:
    """Engine errors and refusals in plain words with their position; the rest as on
    every page (store down, permissions, purpose)."""
    with common.friendly_errors(what):
        try:
            yield
        except QueryRefused as exc:
            err = plain_error(exc.reason, text)
            st.error(f"Refused: {err.text() if err.line else exc.reason}")
        except (StoreUnavailable, QueryTimedOut):
            raise
        except StoreError as exc:
            err = plain_error(str(exc), text)
            st.error(err.text())
            lines = text.splitlines()
            if err.line and 0 < err.line <= len(lines):
                st.code(lines[err.line - 1] + "\n" + " " * ((err.column or 1) - 1) + "^",
                        language=None)


def _launch(kind: str, text: str, params: dict[str, Any], shown: str) -> None:
    """Start the query in a worker; show it now if it answers quickly."""
    ss.pop("cy_running", None)
    with _engine_errors(f"running {shown}", "" if kind == "library" else text):
        rq = sess.start_query(kind, text, params)
        try:
            res = rq.future.result(timeout=QUICK_S)
        except FutureTimeout:
            ss["cy_running"] = rq
            ss["cy_running_label"] = shown
            return
        _show(res.rows, res.columns, res.truncated, sess.row_cap)


@st.fragment(run_every=1.0)
def _watch() -> None:
    """While a query runs: its time and a Cancel button; its result when it is done."""
    rq = ss.get("cy_running")
    if rq is None:
        return
    if rq.future.done():
        st.rerun(scope="app")
    st.info(f"Running {ss.get('cy_running_label', 'the query')} for {rq.seconds():.0f} s "
            f"(time-out {sess.timeout_s:g} s) — the page stays usable.")
    if st.button("Cancel the query", key="cy_cancel", type="primary"):
        with common.friendly_errors("cancelling the query"):
            how = sess.cancel_query(rq)
            ss.pop("cy_running", None)
            ss["cy_flash"] = f"Query cancelled: {how}."
        st.rerun(scope="app")


def _finished() -> None:
    """The result of a query that ran in the worker, once it is done."""
    rq = ss.get("cy_running")
    if rq is None or not rq.future.done():
        return
    ss.pop("cy_running", None)
    if rq.cancelled:
        return
    with _engine_errors(f"running {ss.get('cy_running_label', 'the query')}",
                        "" if rq.kind == "library" else rq.text):
        res = rq.future.result()
        st.subheader("Result")
        _show(res.rows, res.columns, res.truncated, sess.row_cap)


def _load(entry: dict[str, Any]) -> None:
    """Put a query of the history back into the editor (a button's callback, so it runs
    before the widgets are drawn)."""
    if entry["kind"] == "free":
        ss["cy_text"] = entry["query"]
        ss["cy_params"] = json.dumps(entry["params"], ensure_ascii=False)
    else:
        ss["cy_name"] = entry["query"]
    ss["cy_flash"] = ("Loaded into the " + ("Free Cypher" if entry["kind"] == "free"
                                            else "Library") + " tab.")


c1, c2 = st.columns(2)
row_cap = int(c1.number_input("Row cap", 1, 100_000, 1000, key="cy_cap"))
timeout = float(c2.number_input("Time-out (seconds)", 1.0, 300.0, 30.0, key="cy_timeout"))
sess.row_cap, sess.timeout_s = row_cap, timeout
st.caption(f"Every query runs read-only, cut at {row_cap} rows and stopped after "
           f"{timeout:g} s.")
common.purpose_input(sess, "cy_purpose")

if ss.get("cy_flash"):
    st.success(ss.pop("cy_flash"))
lib_tab, free_tab, history_tab = st.tabs(["Library", "Free Cypher", "History"])
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
            _launch("library", name, params, name)
        watch_query.watch_button(sess, name=name, params=params, key="cy_watch_lib")


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
            try:
                fparams = json.loads(raw or "{}")
            except json.JSONDecodeError as exc:
                st.error(f"Parameters are not valid JSON: {exc.msg} (line {exc.lineno}, "
                         f"column {exc.colno})")
            else:
                _launch("free", text, fparams, "the query")
        watch_query.watch_button(sess, cypher=text, params=raw, key="cy_watch_free")

with history_tab:
    with common.friendly_errors("reading your query history"):
        history = sess.query_history(50)
        if not history:
            st.info("No queries yet: what you run here is listed (from the audit log).")
        else:
            st.dataframe(pd.DataFrame(history), hide_index=True, width="stretch")
            pick = st.selectbox("Query", range(len(history)), key="cy_hist_pick",
                                format_func=lambda i: f"{history[i]['time']} · "
                                f"{history[i]['kind']} · {str(history[i]['query'])[:80]}")
            allowed = history[pick]["kind"] == "library" or sess.can(Permission.RUN_FREE_CYPHER)
            st.button("Load into the editor", key="cy_hist_load", on_click=_load,
                      args=(history[pick],), disabled=not allowed)
_watch()
_finished()
st.caption(f"Page built in {timer.ms():.0f} ms")
