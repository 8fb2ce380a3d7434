"""Alerts: the signed-in user's alerts with the unread count, watching an entity, and
raising the alerts of the latest run and of a delivery."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graphfraud.cases.alerts import WATCHABLE
from graphfraud.cases.model import CaseError
from graphfraud.detect.runs import latest_run
from graphfraud.security import Permission
from graphfraud.ui import common

sess = common.need(st.session_state.get("gf_session"), Permission.VIEW_ALERTS)
with common.friendly_errors("reading your alerts"):
    mine = sess.alerts()
unread = sum(not a.get("read") for a in mine)
st.header(f"GraphFraud — Alerts ({unread} unread)")
with st.form("watch"):
    c1, c2 = st.columns([1, 3])
    label = c1.selectbox("Watch a", WATCHABLE, key="watch_label")
    key = c2.text_input("Key (e.g. KVK:12345678, a postcode|number, a plate)", key="watch_key")
    if st.form_submit_button("Watch"):
        try:
            sess.watch(label, key.strip())
            st.success(f"Watching {label}:{key.strip()}")
        except (CaseError, PermissionError) as exc:
            st.error(str(exc))
delivery = st.text_input("Delivery id to check for new data (optional)", key="alert_delivery")
if st.button("Check the latest run and delivery", key="alert_refresh"):
    with common.friendly_errors("raising alerts"):
        n = sess.refresh_alerts(latest_run(sess.settings), delivery.strip() or None)
    st.success(f"{n} new alerts")
    st.rerun()
if not mine:
    st.info("No alerts. Watch an entity, then check after the next delivery or run.")
    st.stop()
st.dataframe(pd.DataFrame(mine)[["created_at", "rule", "subject", "detail", "run_id",
                                 "delivery", "read"]], hide_index=True)
