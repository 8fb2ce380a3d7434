"""GraphFraud workbench: `graphfraud ui` runs `streamlit run ui/app.py`.

Pages: Findings (start), Explorer, Cypher, Maps and trends, Data. Nothing shows until a
user signs in (and nothing at all before the first admin exists); which pages a user
gets follows their role (graphfraud.security.roles): managers see Findings (aggregated,
pseudonymised) and Maps; admins see Data and Maps. Every page works through the signed
-in user's core Session.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import streamlit as st

_REPO = Path(__file__).resolve().parent.parent
if str(_REPO) not in sys.path:  # `streamlit run ui/app.py` from anywhere
    sys.path.insert(0, str(_REPO))

from graphfraud.security import Permission, Role  # noqa: E402
from graphfraud.ui import common  # noqa: E402

os.umask(0o077)  # police data: whatever the workbench writes is its owner's only

st.set_page_config(page_title=common.APP_TITLE, layout="wide")  # no icon: it would be fetched
st.sidebar.title("GraphFraud")
st.sidebar.caption("Excise-fraud graph workbench")

session = common.current_session()
HERE = Path(__file__).resolve().parent
pages = []
if session is not None:
    if session.can(Permission.VIEW_FINDINGS):
        pages.append(st.Page(str(HERE / "views" / "findings.py"), title="Findings",
                             default=True, url_path="findings"))
    if session.can(Permission.SEARCH_ENTITIES):
        pages.append(st.Page(str(HERE / "views" / "explorer.py"), title="Explorer",
                             url_path="explorer"))
    if session.can(Permission.RUN_LIBRARY_QUERIES):
        pages.append(st.Page(str(HERE / "views" / "cypher.py"), title="Cypher",
                             url_path="cypher"))
    if session.can(Permission.VIEW_AGGREGATES):
        pages.append(st.Page(str(HERE / "views" / "maps.py"), title="Maps and trends",
                             url_path="maps", default=not pages))
    if session.can(Permission.VIEW_AGGREGATES) and session.role != Role.MANAGER:
        pages.append(st.Page(str(HERE / "views" / "data.py"), title="Data",
                             url_path="data"))
    if session.can(Permission.VIEW_CASE_COUNTS):
        pages.append(st.Page(str(HERE / "views" / "cases.py"), title="Cases", url_path="cases"))
    if session.can(Permission.VIEW_ALERTS):
        pages.append(st.Page(str(HERE / "views" / "alerts.py"), title="Alerts", url_path="alerts"))
if not pages:
    pages.append(st.Page(str(HERE / "views" / "signin.py"), title="Sign in",
                         url_path="signin", default=True))
st.session_state["gf_session"] = session
# No page icons: Streamlit would fetch them from a font CDN as the tab's favicon.
nav = st.navigation(pages)
nav.run()
