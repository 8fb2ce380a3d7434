"""A "Watch this query" control, for the Cypher page and the Alerts page: not a page
itself. The watch goes through the Session (guard, classification, role table, the
purpose in force, one `watch` audit record); new rows of the query after a later
delivery or run raise an alert for this user.

On the Cypher page, one call beside each Run button (outside its `if`, so it stays
after the run's rerun), with `from ui.views import watch_query`:
    `watch_query.watch_button(sess, name=name, params=params, key="cy_watch_lib")`
    `watch_query.watch_button(sess, cypher=text, params=raw, key="cy_watch_free")`
(`params` a dict, or the page's JSON text)."""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from graphfraud.cases.model import CaseError
from graphfraud.security import Permission
from graphfraud.security.guard import QueryRefused
from graphfraud.store import StoreError


def watch(sess: Any, name: str | None = None, cypher: str | None = None,
          params: dict[str, Any] | str | None = None, label: str | None = None) -> bool:
    """Watch the query now; says what happened on the page. True if it is watched."""
    if isinstance(params, str):
        try:
            params = json.loads(params or "{}")
        except json.JSONDecodeError as exc:
            st.error(f"Not watched: the parameters are not valid JSON ({exc.msg})")
            return False
    try:
        w = sess.watch_query(name or None, cypher or None, params or {}, label or None)
    except (CaseError, PermissionError, QueryRefused, StoreError) as exc:
        st.error(f"Not watched: {getattr(exc, 'reason', None) or exc}")
        return False
    st.success(f"Watching {w.name}: {len(w.last)} rows now; new rows after a delivery or "
               "run raise an alert (Alerts page).")
    return True


def watch_button(sess: Any, name: str | None = None, cypher: str | None = None,
                 params: dict[str, Any] | str | None = None, key: str = "wq") -> bool:
    """A name box (for one's own Cypher) and a "Watch this query" button."""
    if not sess.can(Permission.VIEW_ALERTS):
        return False
    label = None
    if cypher:
        label = st.text_input("Name of this watch", value="my query", key=f"{key}_label")
    if st.button("Watch this query", key=f"{key}_button",
                 help="Alert me when a later delivery or run adds rows to its result"):
        return watch(sess, name, cypher, params, label)
    return False
