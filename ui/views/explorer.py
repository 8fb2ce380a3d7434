"""Explorer (investigators): search an entity, draw its neighbourhood (supernode guard),
expand it, find the shortest and the time-respecting path, read its timeline, export
the view. Every search, view and export is audited."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from graphfraud.explore import (
    DEFAULT_CAP,
    NetworkStyle,
    Subgraph,
    caption_of,
    edges_csv,
    graph_json,
    html_snapshot,
    label_of,
    network_html,
    nodes_csv,
)
from graphfraud.explore.findings import risk_by_key
from graphfraud.explore.graph import key_of
from graphfraud.security import Permission
from graphfraud.ui import common

timer = common.Timer()
sess = common.need(st.session_state.get("gf_session"), Permission.SEARCH_ENTITIES)
st.header("GraphFraud — Explorer")
ss = st.session_state


def _hits(text: str) -> list[dict[str, Any]]:
    return [{"id": h.id, **h.to_row(), "node": h.node} for h in sess.search(text, 25)]


def _view() -> Subgraph | None:
    data = ss.get("x_view")
    return Subgraph.from_dict(data) if data else None


def _set_view(sg: Subgraph, centre: str) -> None:
    ss["x_view"] = sg.to_dict()
    ss["x_centre"] = centre


common.purpose_input(sess, "x_purpose")
with st.form("search"):
    c1, c2 = st.columns([4, 1])
    text = c1.text_input("Search: name, KvK, excise number, address, postcode, plate, phone",
                         key="x_query")
    go = c2.form_submit_button("Search")
if go and text.strip():
    with common.friendly_errors("searching"):
        hits = _hits(text)
        ss["x_hits"] = hits
hits = ss.get("x_hits") or []
if go and not hits:
    st.info("Nothing found. Try fewer words, a postcode (1234AB) or a number.")
if hits:
    table = sess.redact([{k: v for k, v in h.items() if k != "node"} for h in hits])
    st.dataframe(pd.DataFrame(table).drop(columns=["id"]), hide_index=True, width="stretch")
    by_id = {h["id"]: h for h in hits}
    pick = st.selectbox("Entity", list(by_id), key="x_pick",
                        format_func=lambda i: f"{by_id[i]['label']}: {by_id[i]['name']} "
                                              f"({by_id[i]['key']})")
    c1, c2, c3 = st.columns(3)
    cap = int(c1.number_input("Node cap", 10, 2000, DEFAULT_CAP, 10, key="x_cap"))
    mode = c2.radio("Above the cap", ["aggregate", "sample"], horizontal=True, key="x_mode")
    if c3.button("Open neighbourhood", type="primary", key="x_open"):
        with common.friendly_errors("opening the neighbourhood"):
            sg = sess.neighbourhood(by_id[pick]["node"], cap, mode)
            _set_view(sg, pick)

sg = _view()
if sg is not None:
    centre = ss.get("x_centre", next(iter(sg.nodes)))
    st.subheader(f"Network: {caption_of(sg.nodes.get(centre, {'_id': centre}), 60)}")
    if sg.aggregated:
        st.warning("Supernode guard: the neighbourhood is above the cap of "
                   f"{ss.get('x_cap', DEFAULT_CAP)} nodes; counted by type: "
                   + ", ".join(f"{k} {v:,}" for k, v in sorted(sg.aggregated.items())))
        only = st.selectbox("Draw only this type", ["(all)"] + sorted(sg.aggregated),
                            key="x_only")
        if only != "(all)" and st.button("Filter", key="x_filter"):
            with common.friendly_errors("filtering the neighbourhood"):
                part = sess.neighbourhood(sg.nodes[centre], int(ss.get("x_cap", DEFAULT_CAP)),
                                          only_label=only)
                _set_view(part, centre)
                st.rerun()
    colour = st.radio("Colour by", ["type", "risk"], horizontal=True, key="x_colour")
    with common.friendly_errors("drawing the network"):
        risk = sess.risk(list(sg.nodes))
        by_key = risk_by_key(sess.findings() if sess.can(Permission.VIEW_FINDINGS) else None)
        for nid, node in sg.nodes.items():
            score = by_key.get((label_of(node), key_of(node) or ""))
            if score is not None:
                risk[nid] = max(risk.get(nid, 0.0), score)
        shown = sess.redact_subgraph(sg)
        style = NetworkStyle(colour_by=colour, highlight=frozenset({centre}), png_button=False)
        common.show_html(network_html(shown, risk, style), height=660)
    st.caption(f"{len(sg)} nodes, {len(sg.drawable_edges())} relationships"
               + (" · " + "; ".join(sg.notes) if sg.notes else ""))

    names = {nid: f"{label_of(n)}: {caption_of(n, 50)}" for nid, n in shown.nodes.items()}
    order = sorted(names, key=lambda i: names[i])
    c1, c2 = st.columns([3, 1])
    target = c1.selectbox("Expand a node", order, format_func=names.get, key="x_expand_pick")
    if c2.button("Expand", key="x_expand"):
        with common.friendly_errors("expanding"):
            sess.expand(sg, target, int(ss.get("x_cap", DEFAULT_CAP)),
                        ss.get("x_mode", "aggregate"))
            ss["x_view"] = sg.to_dict()
            st.rerun()

    tabs = st.tabs(["Paths", "Timeline", "Export", "Details"])
    with tabs[0]:
        c1, c2, c3 = st.columns(3)
        a = c1.selectbox("From", order, format_func=names.get, key="x_from")
        b = c2.selectbox("To", order, index=len(order) - 1, format_func=names.get, key="x_to")
        hops = int(c3.number_input("Max steps", 1, 10, 6, key="x_hops"))
        p1, p2 = st.columns(2)
        kind = None
        if p1.button("Shortest path", key="x_sp"):
            kind = "shortest"
        if p2.button("Time-respecting path", key="x_tp"):
            kind = "time"
        if kind:
            with common.friendly_errors("searching a path"):
                res = sess.path(kind, a, b, hops)
                if res is None:
                    st.info("No " + ("" if kind == "shortest" else "time-respecting ")
                            + f"path within {hops} steps.")
                else:
                    st.success(f"{'Shortest' if kind == 'shortest' else 'Time-respecting'} "
                               f"path: {res.hops} steps")
                    st.dataframe(pd.DataFrame(sess.redact(res.steps())),
                                 hide_index=True, width="stretch")
                    psg = sess.redact_subgraph(res.subgraph)
                    common.show_html(network_html(psg, style=NetworkStyle(
                        height_px=300, png_button=False, highlight=frozenset(res.node_ids))), height=340)
    with tabs[1]:
        with common.friendly_errors("reading the timeline"):
            events = sess.timeline(sg.nodes[centre])
            if events:
                st.dataframe(pd.DataFrame(events), hide_index=True, width="stretch")
            else:
                st.info("No dated events around this entity.")
    with tabs[2]:
        if not sess.can(Permission.EXPORT):
            st.info(f"Your role ({sess.role.value}) may not export.")
        else:
            c1, c2, c3, c4 = st.columns(4)
            c1.download_button("Nodes CSV", nodes_csv(shown), "nodes.csv", "text/csv",
                               on_click=sess.export, args=("explorer view", "nodes_csv",
                                                           len(shown)), key="x_dl_nodes")
            c2.download_button("Edges CSV", edges_csv(shown), "edges.csv", "text/csv",
                               on_click=sess.export, args=("explorer view", "edges_csv",
                                                           len(shown.edges)),
                               key="x_dl_edges")
            c3.download_button("Graph JSON", graph_json(shown), "graph.json",
                               "application/json", on_click=sess.export,
                               args=("explorer view", "json", len(shown)), key="x_dl_json")
            snapshot = html_snapshot(shown, risk, replace(style, png_button=True))
            c4.download_button("HTML snapshot", snapshot,
                               "graphfraud-snapshot.html", "text/html", on_click=sess.export,
                               args=("explorer view", "html", len(shown)), key="x_dl_html")
            st.caption("PNG: open the HTML snapshot and use its PNG button (the download "
                       "is audited; the network on this page has none).")
    with tabs[3]:
        pick_node = st.selectbox("Node", order, format_func=names.get, key="x_detail")
        st.json(shown.nodes[pick_node], expanded=True)
st.caption(f"Page built in {timer.ms():.0f} ms")
