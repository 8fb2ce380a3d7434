"""Explorer (investigators): search an entity, draw its neighbourhood (supernode guard),
expand it, find the shortest and the time-respecting path, read its timeline, export
the view. Every search, view and export is audited."""

from __future__ import annotations

from dataclasses import replace

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
from graphfraud.explore.findings import (
    entity_param,
    parse_ref,
    primary_ref,
)
from graphfraud.explore.graph import key_of
from graphfraud.explore.network import quiet_groups
from graphfraud.security import Permission
from graphfraud.ui import common
from graphfraud.ui.components.network import network
from graphfraud.ui.views import search_panel, timeline_panel

timer = common.Timer()
sess = common.need(st.session_state.get("gf_session"), Permission.SEARCH_ENTITIES)
st.header("GraphFraud — Explorer")
ss = st.session_state


def _view() -> Subgraph | None:
    data = ss.get("x_view")
    return Subgraph.from_dict(data) if data else None


def _set_view(sg: Subgraph, centre: str) -> None:
    """A new view: what was hidden, pinned, chosen or found in the old one goes."""
    ss["x_view"] = sg.to_dict()
    ss["x_centre"] = centre
    for k in ("x_hidden", "x_pinned", "x_path", "x_from", "x_to", "x_detail",
              "x_expand_pick"):
        ss.pop(k, None)


# Deep links: ?entity=Label:key opens that entity's neighbourhood, ?from_finding=F-… a
# finding's subgraph (the Findings page's "open in explorer"); ?case=… fills the purpose
# box (the case the link was shared for).
qp = st.query_params
if qp.get("case") and not ss.get("x_purpose"):
    ss["x_purpose"] = qp["case"]
purpose = common.purpose_input(sess, "x_purpose")


def _link(entity: str | None = None, finding: str | None = None) -> None:
    """Put what the view shows in the URL, so a reload or a bookmark opens it again."""
    qp.clear()
    if entity:
        qp["entity"] = entity
    if finding:
        qp["from_finding"] = finding
    if purpose:
        qp["case"] = purpose
    ss["x_linked"] = entity or finding


wanted = qp.get("entity") or qp.get("from_finding")
if wanted and ss.get("x_linked") != wanted:
    with common.friendly_errors("opening the link"):
        cap0 = int(ss.get("x_cap", DEFAULT_CAP))
        if qp.get("entity"):
            ref = parse_ref(str(qp["entity"]))
            if ref is None:
                raise LookupError(f"the link names no entity the graph knows: {wanted!r} "
                                  "(expected Label:key, e.g. Trader:KVK:12345678)")
            sg0 = sess.open_entity(ref[0], ref[1], cap0, ss.get("x_mode", "aggregate"))
        else:
            doc0 = sess.findings() if sess.can(Permission.VIEW_FINDINGS) else None
            f0 = doc0.finding(str(wanted)) if doc0 else None
            if f0 is None:
                raise LookupError(f"no finding {wanted!r} in the latest detect run")
            sg0 = sess.finding_subgraph(f0)
            ref = primary_ref(f0)
        if not len(sg0):
            raise LookupError(f"nothing of {wanted!r} is in the graph")
        centre0 = next((i for i, n in sg0.nodes.items()
                        if ref and (label_of(n), key_of(n)) == ref), next(iter(sg0.nodes)))
        _set_view(sg0, centre0)
        ss["x_linked"] = wanted


def _open(sg0: Subgraph, centre0: str) -> None:
    """A search hit opened: the new view, and its deep link in the URL."""
    _set_view(sg0, centre0)
    node = sg0.nodes.get(centre0) or {}
    _link(entity=entity_param(label_of(node), key_of(node) or ""))


search_panel.render(sess, _open)


def _rel_types(ids: list[str]) -> dict[str, list[tuple[str, int]]]:
    """The drawn nodes' own relationship types with counts, read once per set of nodes
    (the page reruns on every click)."""
    view = tuple(sorted(ids))
    kept = ss.get("x_rel_types")
    if isinstance(kept, tuple) and kept[0] == view:
        return kept[1]
    counts = sess.rel_type_counts(list(view))
    ss["x_rel_types"] = (view, counts)
    return counts

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
    cap = int(ss.get("x_cap", DEFAULT_CAP))
    hidden = set(ss.get("x_hidden") or []) & set(sg.nodes)
    path = ss.get("x_path") or {}
    shown = sess.redact_subgraph(timeline_panel.in_range(
        sg, centre, frozenset(path.get("nodes") or [])))
    risk: dict[str, float] = {}
    with common.friendly_errors("drawing the network"):
        risk = sess.risk(list(sg.nodes), {nid: (label_of(n), key_of(n) or "")
                                          for nid, n in sg.nodes.items()})
        drawn = Subgraph.from_dict(shown.to_dict())
        for nid in hidden:
            drawn.nodes.pop(nid, None)
        style = NetworkStyle(colour_by=colour, highlight=frozenset({centre}), png_button=False,
                             path_nodes=frozenset(path.get("nodes") or []),
                             path_edges=frozenset(path.get("edges") or []))
        agg = ("Neighbourhood above the cap, counted by type: " + ", ".join(
            f"{k} {v:,}" for k, v in sorted(sg.aggregated.items()))) if sg.aggregated else ""
        told: set[str] = set()
        for (hub, lb), ids in quiet_groups(drawn, style.highlight | style.path_nodes).items():
            if set(ids) <= told:  # the same movements around a trader and its premise
                continue
            told |= set(ids)
            st.caption(f"{len(ids)} {lb} nodes around {caption_of(drawn.nodes[hub], 40)} "
                       "are drawn without labels (too many to read): hover one for its "
                       "name, or pick it in the boxes below.")
        ev = network(drawn, risk, style, positions=ss.get("x_positions"),
                     pinned=ss.get("x_pinned"), key="x_net", aggregate_note=agg,
                     rel_types=_rel_types(list(drawn.nodes)))
        if ev is not None and ev.seq != ss.get("x_seq") and ev.node in sg.nodes:
            ss["x_seq"] = ev.seq  # each event once: the value stays until the next one
            ss["x_positions"] = ev.positions
            ss["x_pinned"] = list(ev.pinned)
            if ev.event == "expand":
                sess.expand(sg, ev.node, cap, ss.get("x_mode", "aggregate"), ev.rel_type)
                ss["x_view"] = sg.to_dict()
            elif ev.event == "hide":
                ss["x_hidden"] = sorted(hidden | {ev.node})
            elif ev.event in ("path_start", "path_end"):
                ss["x_from" if ev.event == "path_start" else "x_to"] = ev.node
            elif ev.event == "details":
                ss["x_detail"] = ev.node
                ss["x_show_detail"] = True
            if ev.event != "pin":
                st.rerun()
    st.caption(f"{len(sg)} nodes, {len(sg.drawable_edges())} relationships"
               + (f" · {len(hidden)} hidden" if hidden else "")
               + (" · " + "; ".join(sg.notes) if sg.notes else ""))
    if hidden and st.button(f"Unhide {len(hidden)} nodes", key="x_unhide"):
        ss["x_hidden"] = []
        st.rerun()

    names = {nid: f"{label_of(n)}: {caption_of(n, 50)}" for nid, n in shown.nodes.items()}
    order = sorted(names, key=lambda i: names[i])
    if ss.pop("x_show_detail", False) and ss.get("x_detail") in shown.nodes:
        with st.expander(f"Details: {names[ss['x_detail']]}", expanded=True):
            st.json(shown.nodes[ss["x_detail"]], expanded=True)
    c1, c2 = st.columns([3, 1])
    c1.selectbox("Expand a node", order, format_func=names.get, key="x_expand_pick")

    def _expand_picked(view: Subgraph = sg) -> None:
        """The Expand button's work, done before the page's next run draws it: one
        run instead of a run that expands and a second that draws (st.rerun)."""
        with common.friendly_errors("expanding"):
            sess.expand(view, ss["x_expand_pick"], cap, ss.get("x_mode", "aggregate"))
            ss["x_view"] = view.to_dict()

    c2.button("Expand", key="x_expand", on_click=_expand_picked)

    tabs = st.tabs(["Paths", "Timeline", "Export", "Details"])
    with tabs[0]:
        c1, c2, c3 = st.columns(3)
        a = c1.selectbox("From", order, format_func=names.get, key="x_from")
        b = c2.selectbox("To", order, format_func=names.get, key="x_to",
                         **({} if "x_to" in ss else {"index": len(order) - 1}))
        hops = int(c3.number_input("Max steps", 1, 10, 6, key="x_hops"))
        p1, p2 = st.columns(2)
        kind = None
        if p1.button("Shortest path", key="x_sp"):
            kind = "shortest"
        if p2.button("Time-respecting path", key="x_tp"):
            kind = "time"
        if kind:
            with common.friendly_errors("searching a path"):
                res = sess.path(kind, a, b, hops, into=sg)
                ss["x_path"] = {"kind": kind, "hops": hops, "found": res is not None}
                if res is not None:  # kept so the main network shows it in place:
                    ss["x_view"] = sg.to_dict()  # with the nodes between not yet drawn
                    ss["x_hidden"] = sorted(set(ss.get("x_hidden") or [])
                                            - set(res.node_ids))  # and none hidden
                    ss["x_path"].update(
                        nodes=list(res.node_ids), edges=list(res.subgraph.edges),
                        steps=sess.redact(res.steps()), length=res.hops,
                        subgraph=res.subgraph.to_dict())
                st.rerun()
        if path:
            kind = path["kind"]
            if not path.get("found"):
                st.info("No " + ("" if kind == "shortest" else "time-respecting ")
                        + f"path within {path['hops']} steps.")
            else:
                st.success(f"{'Shortest' if kind == 'shortest' else 'Time-respecting'} "
                           f"path: {path['length']} steps (drawn in red in the network)")
                st.dataframe(pd.DataFrame(path["steps"]), hide_index=True, width="stretch")
                psg = Subgraph.from_dict(path["subgraph"])  # redacted by the Session
                common.show_html(network_html(psg, style=NetworkStyle(
                    height_px=300, png_button=False, highlight=frozenset(path["nodes"]))),
                    height=340)
                if st.button("Clear the path", key="x_clear_path"):
                    ss.pop("x_path", None)
                    st.rerun()
    with tabs[1]:
        timeline_panel.render_safely(sess, sg, centre)
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
