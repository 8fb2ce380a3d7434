"""GraphFraud workbench: `graphfraud ui` runs `streamlit run ui/app.py`.

Pages: Findings (start), Explorer, Cypher, Maps and trends, Data. Nothing shows until a
user signs in (and nothing at all before the first admin exists); which pages a user
gets follows their role (graphfraud.security.roles): managers see Findings (aggregated,
pseudonymised) and Maps; admins see Data and Maps. Every page works through the signed
-in user's core Session.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from graphfraud.security import Permission, Role
from graphfraud.security.session import Session
from graphfraud.ui import common

os.umask(0o077)  # police data: whatever the workbench writes is its owner's only

st.set_page_config(page_title=common.APP_TITLE, layout="wide")  # no icon: it would be fetched
st.sidebar.title("GraphFraud")
st.sidebar.caption("Excise-fraud graph workbench")

session = common.current_session()
HERE = Path(__file__).resolve().parent


def _analyst_data(sess: Session) -> bool:
    return sess.can(Permission.VIEW_AGGREGATES) and sess.role != Role.MANAGER


#: Every page of the workbench: (script, title, url path, who may open it). A page's url
#: path is its deep link (`/explorer?entity=Trader:T-1`, `/findings?finding=F-1`); it is
#: registered for everyone, so a link opened by someone not signed in asks them to sign in,
#: and one opened by a role without the right says so, instead of "Page not found".
PAGES: list[tuple[str, str, str, Callable[[Session], bool]]] = [
    ("findings.py", "Findings", "findings", lambda s: s.can(Permission.VIEW_FINDINGS)),
    ("explorer.py", "Explorer", "explorer", lambda s: s.can(Permission.SEARCH_ENTITIES)),
    ("cypher.py", "Cypher", "cypher", lambda s: s.can(Permission.RUN_LIBRARY_QUERIES)),
    ("maps.py", "Maps and trends", "maps", lambda s: s.can(Permission.VIEW_AGGREGATES)),
    ("data.py", "Data", "data", _analyst_data),
    ("cases.py", "Cases", "cases", lambda s: s.can(Permission.VIEW_CASE_COUNTS)),
    ("alerts.py", "Alerts", "alerts", lambda s: s.can(Permission.VIEW_ALERTS)),
    ("admin.py", "Admin", "admin", lambda s: s.can(Permission.VIEW_AUDIT)),
]


def _refusal(title: str, signed_in: Session | None) -> Callable[[], None]:
    def page() -> None:
        st.header(f"GraphFraud — {title}")
        if signed_in is None:
            st.info(f"Sign in in the sidebar to open {title}; the link you followed "
                    "opens once you are signed in.")
        else:
            st.warning(f"Your role ({signed_in.role.value}) may not open {title}.")
    return page


pages = []
allowed = [row for row in PAGES if session is not None and row[3](session)]
for script, title, path, _may in allowed:
    if path == "alerts":
        title = session.alerts_title()  # "Alerts (N)": the user's unread alerts
    pages.append(st.Page(str(HERE / "views" / script), title=title, url_path=path))
if pages:
    # Streamlit serves its default page at "/" only (its own path would say "Page not
    # found"), so the default is a hidden start that moves on to the role's first page.
    first = pages[0]
    pages.insert(0, st.Page(lambda: st.switch_page(first), title="Start", url_path="start",
                            default=True, visibility="hidden"))
else:
    pages.append(st.Page(str(HERE / "views" / "signin.py"), title="Sign in",
                         url_path="signin", default=True))
for _script, title, path, _may in PAGES:
    if all(row[2] != path for row in allowed):
        pages.append(st.Page(_refusal(title, session), title=title, url_path=path,
                             visibility="hidden"))
st.session_state["gf_session"] = session
# No page icons: Streamlit would fetch them from a font CDN as the tab's favicon.
nav = st.navigation(pages)
nav.run()
