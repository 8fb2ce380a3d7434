"""Admin (admins only): the audit log filtered by user, action and time, with a check of
its hash chain; user management: add, disable or enable, reset a password, change a
role. Everything goes through the admin's Session, so each reading and each change is
itself an audit record, and other roles are refused there, not only here."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from graphfraud.security import ACTIONS, Permission, Role
from graphfraud.security.users import MIN_PASSWORD_LENGTH
from graphfraud.ui import common

timer = common.Timer()
sess = common.need(st.session_state.get("gf_session"), Permission.VIEW_AUDIT)
st.header("GraphFraud — Admin")
ROLES = [r.value for r in Role]


def _done(message: str) -> None:
    """Keep the message for the next run and redraw, so the table shows the change."""
    st.session_state["ad_flash"] = message
    st.rerun()

audit_tab, users_tab = st.tabs(["Audit log", "Users"])
with audit_tab:
    c1, c2, c3, c4 = st.columns(4)
    who = c1.text_input("User (empty: everyone)", key="ad_user").strip()
    what = c2.selectbox("Action", ["(all)", *sorted(ACTIONS)], key="ad_action")
    since = c3.date_input("From", value=date.today() - timedelta(days=30), key="ad_since")
    until = c4.date_input("Until (inclusive)", value=date.today(), key="ad_until")
    with common.friendly_errors("reading the audit log"):
        rows = sess.audit_records(user=who or None,
                                  action=None if what == "(all)" else what,
                                  since=since, until=until, limit=2000)
        table = pd.DataFrame([{
            "seq": r["seq"], "time": r["time"], "user": r["user"], "role": r["role"],
            "action": r["action"], "outcome": (r.get("detail") or {}).get("outcome", ""),
            "purpose": r.get("purpose") or "", "case": r.get("case_ref") or "",
            "rows": r.get("result_size"),
            "detail": json.dumps({k: v for k, v in (r.get("detail") or {}).items()
                                  if k != "outcome"}, ensure_ascii=False, default=str)[:300],
        } for r in rows])
        st.markdown(f"**{len(rows)} records** (newest first)"
                    + (" — cut at 2,000" if len(rows) == 2000 else ""))
        if len(table):
            st.dataframe(table, hide_index=True, width="stretch")
    if st.button("Verify the chain", type="primary", key="ad_verify"):
        with common.friendly_errors("verifying the audit log"):
            res = sess.verify_audit()
            if res.ok:
                st.success(f"Chain intact: {res.records} records, each linked to the one "
                           "before and the last one matching the anchored head.")
            else:
                st.error(f"Chain broken at record {res.first_bad_seq} (line "
                         f"{res.first_bad_line}): {res.reason}")

with users_tab:
    if not sess.can(Permission.MANAGE_USERS):
        st.info(f"Your role ({sess.role.value}) may not manage users.")
        st.stop()
    if st.session_state.get("ad_flash"):
        st.success(st.session_state.pop("ad_flash"))
    with common.friendly_errors("listing the users"):
        users = sess.user_list()
        st.dataframe(pd.DataFrame([{"user": u.username, "role": u.role.value,
                                    "state": "disabled" if u.disabled else "active",
                                    "changed": u.changed} for u in users]),
                     hide_index=True, width="stretch")
    st.subheader("Add a user")
    with st.form("ad_add", clear_on_submit=True):
        c1, c2 = st.columns(2)
        name = c1.text_input("User name", key="ad_new_name")
        role = c2.selectbox("Role", ROLES, key="ad_new_role")
        pw1 = c1.text_input(f"Password (at least {MIN_PASSWORD_LENGTH} characters)",
                            type="password", key="ad_new_pw")
        pw2 = c2.text_input("Password again", type="password", key="ad_new_pw2")
        add = st.form_submit_button("Add user")
    if add:
        if pw1 != pw2:
            st.error("The two passwords differ.")
        else:
            with common.friendly_errors("adding the user"):
                sess.add_user(name.strip(), role, pw1)
                _done(f"User {name.strip()!r} added as {role}.")

    st.subheader("Change a user")
    names = [u.username for u in users] if users else []
    if names:
        target = st.selectbox("User", names, key="ad_target")
        entry = next(u for u in users if u.username == target)
        c1, c2, c3 = st.columns(3)
        label = "Enable" if entry.disabled else "Disable"
        if c1.button(f"{label} {target}", key="ad_toggle"):
            with common.friendly_errors(f"{label.lower()}ing the user"):
                sess.set_user_disabled(target, not entry.disabled)
                _done(f"{target} is now {'active' if entry.disabled else 'disabled'}.")
        new_role = c2.selectbox("New role", ROLES, index=ROLES.index(entry.role.value),
                                key="ad_role")
        if c2.button("Change role", key="ad_set_role"):
            with common.friendly_errors("changing the role"):
                sess.change_role(target, new_role)
                _done(f"{target} is now {new_role}.")
        new_pw = c3.text_input("New password", type="password", key="ad_pw")
        if c3.button("Reset password", key="ad_reset"):
            with common.friendly_errors("resetting the password"):
                sess.reset_password(target, new_pw)
                _done(f"New password set for {target}.")
st.caption(f"Page built in {timer.ms():.0f} ms")
