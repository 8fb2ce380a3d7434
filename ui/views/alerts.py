"""Alerts: the signed-in user's alerts with the unread count, marking one or all read,
watching an entity or a saved query, the user's watches, and raising the alerts of the
latest run and of a delivery. Everything through the user's Session (audited)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graphfraud.cases.alerts import WATCHABLE
from graphfraud.cases.model import CaseError
from graphfraud.cases.query_watch import entity_refs
from graphfraud.detect.runs import latest_run
from graphfraud.security import Permission
from graphfraud.ui import common
from graphfraud.ui.views import watch_query

sess = common.need(st.session_state.get("gf_session"), Permission.VIEW_ALERTS)
ss = st.session_state
with common.friendly_errors("reading your alerts"):
    mine = sess.alerts()
unread = sum(not a.get("read") for a in mine)
st.header(f"GraphFraud — Alerts ({unread} unread)")
if ss.pop("al_said", None):
    st.success(ss.pop("al_said_text", ""))
common.purpose_input(sess, key="alert_purpose")

with st.expander("Watch an entity or a saved query", expanded=not mine):
    with st.form("watch"):
        c1, c2 = st.columns([1, 3])
        label = c1.selectbox("Watch a", WATCHABLE, key="watch_label")
        key = c2.text_input("Key (e.g. KVK:12345678, a postcode|number, a plate)",
                            key="watch_key")
        if st.form_submit_button("Watch"):
            try:
                sess.watch(label, key.strip())
                st.success(f"Watching {label}:{key.strip()}")
            except (CaseError, PermissionError) as exc:
                st.error(str(exc))
    library = sorted(sess.library()) if sess.can(Permission.RUN_LIBRARY_QUERIES) else []
    with st.form("watch_query"):
        st.write("A saved query (new rows after a delivery or run raise an alert)")
        kind = st.radio("Query", ["library query", "my own Cypher"], horizontal=True,
                        key="wq_kind")
        name = st.selectbox("Library query", library, key="wq_name") if library else None
        cypher = st.text_area("My own read-only Cypher", key="wq_cypher")
        wq_label = st.text_input("Name of this watch (own Cypher)", value="my query",
                                 key="wq_label")
        raw = st.text_input("Parameters (JSON)", value="{}", key="wq_params")
        if st.form_submit_button("Watch this query"):
            own = kind == "my own Cypher"
            watch_query.watch(sess, None if own else name, cypher if own else None, raw,
                              wq_label)

with st.expander("My watches"):
    with common.friendly_errors("reading your watches"):
        watches = sess.watches()
    if watches:
        st.dataframe(pd.DataFrame(watches).drop(columns=["params"], errors="ignore"),
                     hide_index=True)
        ids = [w["watch_id"] for w in watches]
        gone = st.selectbox("Watch", ids, key="wq_unwatch_pick", format_func=lambda i: next(
            f"{w['label']}:{w['key']}" for w in watches if w["watch_id"] == i))
        if st.button("Stop watching", key="wq_unwatch"):
            with common.friendly_errors("ending the watch"):
                sess.unwatch(gone)
            st.rerun()
    else:
        st.caption("You watch nothing yet.")

delivery = st.text_input("Delivery id to check for new data (optional)", key="alert_delivery")
if st.button("Check the latest run and delivery", key="alert_refresh"):
    with common.friendly_errors("raising alerts"):
        got = sess.raise_alerts(latest_run(sess.settings), delivery.strip() or None)
        ss["al_said"], ss["al_said_text"] = True, (
            f"{got['new']} new alerts ({got['query_watches']} watched queries run)"
            + "".join(f"; not run: {p}" for p in got["problems"]))
        st.rerun()
if not mine:
    st.info("No alerts. Watch an entity or a query, then check after the next delivery or run.")
    st.stop()

only_unread = st.checkbox("Only unread", key="al_only_unread")
shown = [a for a in mine if not (only_unread and a.get("read"))]
st.dataframe(pd.DataFrame(shown or mine)[["created_at", "rule", "subject", "detail",
                                          "run_id", "delivery", "read"]], hide_index=True)
by_id = {a["alert_id"]: a for a in mine}
unread_ids = [a["alert_id"] for a in mine if not a.get("read")]
c1, c2 = st.columns([3, 1])
pick = c1.selectbox("Alert", unread_ids or list(by_id), key="al_pick",
                    format_func=lambda i: f"{by_id[i]['rule']} · {by_id[i]['subject']} · "
                                          f"{by_id[i]['detail'][:80]}")
if c2.button("Mark read", key="al_read_one", disabled=not unread_ids):
    with common.friendly_errors("marking the alert read"):
        sess.mark_alerts_read([pick])
    st.rerun()
if st.button(f"Mark all read ({unread})", key="al_read_all", disabled=not unread):
    with common.friendly_errors("marking your alerts read"):
        sess.mark_alerts_read()
    st.rerun()

alert = by_id[pick]
refs = entity_refs(str(alert["subject"])) + entity_refs(str(alert["detail"]))
if str(alert["subject"]).startswith("Finding:"):  # the finding's own links
    fid = str(alert["subject"])[8:]
    st.caption(f"This alert is about finding {fid}.")
    if sess.can(Permission.VIEW_FINDINGS):
        st.page_link("views/findings.py", label=f"Open finding {fid}",
                     query_params={"finding": fid})
    if sess.can(Permission.WORK_CASES):
        st.page_link("views/cases.py", label=f"Open a case from finding {fid}",
                     query_params={"from_finding": fid})
if refs and sess.can(Permission.SEARCH_ENTITIES):
    target = st.selectbox("Entity of this alert", refs, key="al_entity",
                          format_func=lambda r: f"{r[0]}:{r[1]}")
    if st.button("Find it in the explorer", key="al_explore"):
        ss["x_query"] = target[1]
        st.switch_page("views/explorer.py")
