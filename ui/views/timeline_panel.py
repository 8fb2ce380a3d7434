"""The explorer's timeline: every dated event of the entity and of the view drawn around
it, as marks and bars on a time axis (Altair / Vega-Lite, served by Streamlit itself:
nothing is fetched), with a time range that filters the network.

How the explorer uses it (two calls, agreed by signature):

* `render(sess, sg, centre) -> tuple[str, str] | None` draws the chart, the range slider
  and the event table; it returns the chosen range as ISO dates (start, end), or None
  when nothing in the view is dated. Each call is one audited consultation.
* `in_range(sg, centre) -> Subgraph` is the view within the range last chosen (read from
  `st.session_state["tl_range"]`, so it works on the rerun the slider starts, before the
  slider is drawn again): dated nodes with no date in the range are left out with their
  relationships; undated nodes and the centre stay. Without a range it returns `sg`;
  with one it writes a caption saying how many nodes the range hides.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from graphfraud.explore import Subgraph
from graphfraud.explore.network import LABEL_COLOURS
from graphfraud.explore.timeline import TimelineEvent, spans
from graphfraud.explore.timeline import in_range as view_in_range
from graphfraud.ui import common

RANGE_KEY = "tl_range"
TITLE = "Timeline"


def selected_range() -> tuple[str, str] | None:
    """The (start, end) ISO dates last chosen on the slider, if any."""
    value = st.session_state.get(RANGE_KEY)
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return str(value[0])[:10], str(value[1])[:10]
    return None


def in_range(sg: Subgraph, centre: str | None = None, keep: frozenset[str] = frozenset(),
             ) -> Subgraph:
    """`sg` within the chosen range (see the module docstring); the nodes in `keep` (a
    path found) stay drawn as the centre does."""
    rng = selected_range()
    if rng is None or st.session_state.get("tl_for") != centre:
        return sg
    nodes, edges = view_in_range(sg.nodes, sg.edges, rng[0], rng[1],
                                 keep | (frozenset({centre}) if centre else frozenset()))
    out = Subgraph.from_dict(sg.to_dict())
    out.nodes, out.edges = nodes, edges
    hidden = len(sg.nodes) - len(nodes)
    if hidden:
        st.caption(f"Time range {rng[0]} – {rng[1]}: {len(nodes)} of {len(sg.nodes)} nodes "
                   f"drawn, {hidden} dated nodes outside it hidden (Timeline tab)")
    return out


def _chart(events: pd.DataFrame, bars: pd.DataFrame, title: str) -> dict[str, Any]:
    """One row per kind of event: a tick per event in its type's legend colour, and a
    thinner bar behind it, in the same colour, for what lasted (a licence, a role, a
    lease, a registration). Everything is opaque, so what is painted is the legend's
    colour (a pale bar read as another type's colour); the legend's symbols are solid."""
    labels = sorted(set(events["label"]) | set(bars["label"] if len(bars) else []))
    colour = alt.Color("label:N", title="Type", scale=alt.Scale(
        domain=labels, range=[LABEL_COLOURS.get(lb, "#999999") for lb in labels]),
        legend=alt.Legend(symbolType="square", symbolOpacity=1.0, symbolStrokeWidth=0))
    rows = sorted(set(events["event"]))
    y = alt.Y("event:N", title=None, sort=rows, scale=alt.Scale(domain=rows))
    marks = alt.Chart(events).mark_tick(thickness=4, size=22, opacity=1.0).encode(
        x=alt.X("when:T", title="date"), y=y, color=colour,
        tooltip=["date", "event", "name", "via", "detail"])
    layers: list[Any] = [marks]
    if len(bars):
        layers.insert(0, alt.Chart(bars).mark_bar(opacity=1.0, height=5).encode(
            x="from:T", x2="to:T", y=y, color=colour, tooltip=["name", "from", "to"]))
    return alt.layer(*layers).properties(title=title, height=alt.Step(34)).to_dict()


def _rows(sess: Any, sg: Subgraph, centre: str) -> tuple[Any, list[dict[str, Any]]]:
    """The view's timeline, read (and audited) once per view: the page reruns on every
    click, and the same view's events need not be read again. With the view's key."""
    view = (sess.username, centre, tuple(sorted(sg.nodes)), tuple(sorted(sg.edges)))
    kept = st.session_state.get("tl_rows")
    if isinstance(kept, tuple) and kept[0] == view:
        return view, kept[1]
    rows = sess.view_timeline(sg.nodes[centre], sg)
    st.session_state["tl_rows"] = (view, rows)
    return view, rows


def _spec(view: Any, dated: list[dict[str, Any]], title: str) -> dict[str, Any]:
    """The chart's Vega-Lite spec, built once per view (Altair took ~90 ms a rerun)."""
    kept = st.session_state.get("tl_chart")
    if isinstance(kept, tuple) and kept[0] == view:
        return kept[1]
    events = pd.DataFrame(dated)
    events["when"] = pd.to_datetime(events["date"], errors="coerce")
    bars = pd.DataFrame([{"event": s.row, "label": s.label, "name": s.name,
                          "from": s.start, "to": s.end}
                         for s in spans([TimelineEvent(**r) for r in dated])])
    spec = _chart(events, bars, title)
    st.session_state["tl_chart"] = (view, spec)
    return spec


def render(sess: Any, sg: Subgraph, centre: str) -> tuple[str, str] | None:
    """Draw the timeline of the view around `centre`; return the range chosen."""
    view, rows = _rows(sess, sg, centre)
    dated = [r for r in rows if r.get("date")]
    withheld = [r for r in rows if not r.get("date")]
    for r in withheld:
        st.caption(str(r["event"]))
    if not dated:
        st.info("No dated events in this view.")
        st.session_state.pop(RANGE_KEY, None)
        return None
    counts = Counter(str(r["event"]) for r in dated)
    st.markdown(f"**{len(dated)} dated events**: "
                + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    first, last = date.fromisoformat(dated[0]["date"]), date.fromisoformat(dated[-1]["date"])
    title = f"{TITLE}: {len(dated)} events, {first.isoformat()} – {last.isoformat()}"
    st.vega_lite_chart(spec=_spec(view, dated, title), width="stretch")
    if st.session_state.get("tl_for") != centre:  # another entity: the whole period again
        st.session_state.pop(RANGE_KEY, None)
        st.session_state["tl_for"] = centre
    rng: tuple[str, str] | None = None
    if first < last:
        picked = st.slider("Time range (filters the network)", min_value=first,
                           max_value=last, value=(first, last), key=RANGE_KEY,
                           format="YYYY-MM-DD")
        rng = (picked[0].isoformat(), picked[1].isoformat())
    else:
        rng = (first.isoformat(), last.isoformat())
    shown = [r for r in dated if rng[0] <= r["date"] <= rng[1]]
    st.caption(f"{len(shown)} of {len(dated)} events in {rng[0]} – {rng[1]}")
    st.dataframe(pd.DataFrame(shown), hide_index=True, width="stretch")
    return rng


def render_safely(sess: Any, sg: Subgraph, centre: str) -> tuple[str, str] | None:
    """`render` with the workbench's plain error messages (the explorer's one call)."""
    with common.friendly_errors("reading the timeline"):
        return render(sess, sg, centre)
    return None
