"""The explorer's search: suggestions while typing (trader names and street addresses,
never persons), a tolerant search by name, key or street address, hits that tell
namesakes apart (birth year, city) with a risk badge, and a click that opens a hit's
neighbourhood and makes it the explorer's focus.

Suggestions come from a keystroke input (`streamlit-keyup`, a components-v2 element: no
iframe, its script inline, nothing fetched) in a fragment, so typing reruns only the
fragment. The explorer calls `render(sess, open_view)` once; `open_view(sg, centre_id)` is the
explorer's own function that keeps a view and its centre. Widget keys stay those the
explorer had (`x_query`, `x_pick`, `x_cap`, `x_mode`, `x_open`), so deep links and tests
that drive them keep working.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from graphfraud.explore import DEFAULT_CAP
from graphfraud.ui import common

SUGGEST_KEY = "x_suggest"


def badge(score: float | None) -> str:
    """A risk badge in words and colour dots (dataframes show text, not HTML)."""
    if score is None:
        return "· none"
    if score >= 0.8:
        return f"🔴 high {score:.2f}"
    if score >= 0.5:
        return f"🟠 medium {score:.2f}"
    return f"🟡 low {score:.2f}"


def _pick(text: str) -> None:
    """A suggestion's button: put it in the search field and search (a callback, so it
    runs before the field is drawn)."""
    st.session_state["x_query"] = text
    st.session_state["x_search_now"] = True
    st.session_state["x_sugg_picked"] = True


@st.fragment
def _suggestions(sess: Any) -> None:
    """Suggestions while typing: every keystroke (debounced) reruns only this fragment,
    not the page with its network; a click on one searches for it."""
    try:
        from st_keyup import st_keyup
    except ImportError:  # the search form alone still works
        return
    typed = st_keyup("Type a trader name or a street: suggestions appear as you type",
                     key=SUGGEST_KEY, debounce=250,
                     placeholder="e.g. Groothandel, Industrieweg 2")
    if st.session_state.pop("x_sugg_picked", False):
        st.rerun(scope="app")  # a suggestion was picked: the whole page searches
    if not typed or len(typed.strip()) < 2:
        return
    try:
        found = sess.suggest(typed)
    except Exception:  # noqa: BLE001 - a suggestion never breaks the page
        found = []
    if not found:
        st.caption("No suggestions; press Search for a tolerant search.")
        return
    cols = st.columns(min(len(found), 4))
    for i, text in enumerate(found[:8]):
        cols[i % len(cols)].button(text, key=f"x_sugg_{i}", on_click=_pick, args=(text,))


def _run_search(sess: Any, text: str) -> None:
    with common.friendly_errors("searching"):
        found = sess.search_with_risk(text, 25)
        st.session_state["x_hits"] = [
            {"id": h.id, **h.to_row(), "risk": risk, "node": h.node} for h, risk in found]


def _open(sess: Any, hit: dict[str, Any], open_view: Callable[[Any, str], None]) -> None:
    ss = st.session_state
    with common.friendly_errors("opening the neighbourhood"):
        sg = sess.neighbourhood(hit["node"], int(ss.get("x_cap", DEFAULT_CAP)),
                                ss.get("x_mode", "aggregate"))
        open_view(sg, hit["id"])


def render(sess: Any, open_view: Callable[[Any, str], None]) -> None:
    """Draw the search and its hits; a click calls `open_view(subgraph, centre_id)`."""
    ss = st.session_state
    _suggestions(sess)
    with st.form("search"):
        c1, c2 = st.columns([4, 1])
        text = c1.text_input("Search: name, KvK, excise number, address, postcode, plate, "
                             "phone — or a street and number (Industrieweg 20 Delft), a "
                             "name with birth year or city", key="x_query")
        go = c2.form_submit_button("Search")
    if ss.pop("x_search_now", False):
        go, text = True, ss.get("x_query", "")
    if go and text.strip():
        _run_search(sess, text)
    hits = ss.get("x_hits") or []
    if go and not hits:
        st.info("Nothing found. Try fewer words, a postcode (1234AB), a street and "
                "number, or a number.")
    if not hits:
        return
    rows = sess.redact([{k: v for k, v in h.items() if k not in ("node", "id")}
                        for h in hits])
    table = pd.DataFrame([{"badge": badge(h.get("risk")), **r} for h, r in zip(hits, rows,
                                                                                 strict=True)])
    st.dataframe(table[["badge", "label", "name", "context", "matched", "score", "risk",
                        "key"]], hide_index=True, width="stretch", column_config={
        "badge": st.column_config.TextColumn("risk badge"),
        "risk": st.column_config.ProgressColumn("risk score", min_value=0.0, max_value=1.0,
                                                format="%.2f")})
    c1, c2 = st.columns(2)
    c1.number_input("Node cap", 10, 2000, DEFAULT_CAP, 10, key="x_cap")
    c2.radio("Above the cap", ["aggregate", "sample"], horizontal=True, key="x_mode")
    st.caption("Click a hit to open its neighbourhood:")
    for i, (h, r) in enumerate(zip(hits[:12], rows[:12], strict=False)):
        context = f" — {r.get('context')}" if r.get("context") else ""
        if st.button(f"{badge(h.get('risk'))} · {r.get('label')}: {r.get('name')}{context}",
                     key=f"x_hit_{i}"):
            _open(sess, h, open_view)
    by_id = {h["id"]: (h, r) for h, r in zip(hits, rows, strict=True)}
    pick = st.selectbox("Entity", list(by_id), key="x_pick",
                        format_func=lambda i: f"{by_id[i][1]['label']}: {by_id[i][1]['name']}"
                                              + (f" ({by_id[i][1]['context']})"
                                                 if by_id[i][1].get("context") else ""))
    if st.button("Open neighbourhood", type="primary", key="x_open"):
        _open(sess, by_id[pick][0], open_view)
