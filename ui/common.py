"""What every page of the workbench shares: settings, the signed-in user's core
`Session` (graphfraud.security.session), the store it uses, and clear error messages.

The pages stay thin: every read, view, query, decision and export goes through the
`Session` of the signed-in user, so the UI takes the same route as the CLI and the
security tests. No page touches a store; only this module opens one, for the Session.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from graphfraud.config import ConfigError, Settings, load_settings
from graphfraud.security import Permission, PermissionDenied, QueryRefused
from graphfraud.security.audit import AuditError
from graphfraud.security.auth import TOKEN_HOURS, AuthError, authenticate, has_users
from graphfraud.security.session import PurposeRequired, Session
from graphfraud.store import GraphStore, StoreError, StoreUnavailable, open_store

APP_TITLE = "GraphFraud"


# --- settings, store, files ------------------------------------------------------------

def settings() -> Settings:
    from graphfraud.config import secure_home

    s = load_settings()
    secure_home(s.home)
    return s


@st.cache_resource(show_spinner=False)
def _open_store(kind: str, home: str) -> GraphStore:
    return open_store(load_settings(), kind)


def store() -> GraphStore:
    """The configured store, opened once per process (reopened after a failure)."""
    s = settings()
    return _open_store(s.store, str(s.home))


def reset_store() -> None:
    """Forget the cached connection so the next call reconnects (Neo4j came back)."""
    _open_store.clear()


# --- errors ------------------------------------------------------------------------------

@contextmanager
def friendly_errors(what: str) -> Iterator[None]:
    """Turn failures into a clear message instead of a traceback."""
    try:
        yield
    except QueryRefused as exc:
        st.error(f"Refused: {exc.reason}")
    except PurposeRequired as exc:
        st.error(f"Purpose required: {exc}")
    except PermissionDenied as exc:
        st.error(f"Not allowed: {exc}")
    except AuditError as exc:
        st.error(f"Refused: the audit record could not be written ({exc}); nothing is "
                 "shown without it")
    except StoreUnavailable as exc:
        reset_store()
        st.error(f"The graph store cannot be reached while {what}: {exc}. "
                 "Start it (`graphfraud neo4j start` or `graphfraud embedded start`) "
                 "and reload the page.")
    except StoreError as exc:
        st.error(f"The graph store could not answer while {what}: {exc}")
    except ConfigError as exc:
        st.error(f"Configuration problem: {exc}")
    except LookupError as exc:
        st.warning(str(exc).strip("'\""))
    except (ValueError, OSError) as exc:
        st.error(f"Could not finish {what}: {exc}")


# --- the user ------------------------------------------------------------------------------

def current_session() -> Session | None:
    """The signed-in user's Session, or None; draws the sign-in form in the sidebar.
    Fails closed: without users nothing runs (the first admin is made on the command
    line), and a sign-in lasts `TOKEN_HOURS`."""
    s = settings()
    if not has_users(s.home):
        st.sidebar.error("No users yet. Create the first admin on the command line: "
                         "`graphfraud users add NAME --role admin`.")
        return None
    login = st.session_state.get("gf_login")
    if isinstance(login, dict) and login.get("until", 0) > time.time():
        sess = Session(lambda: store(), s, login["user"])
        sess.purpose = st.session_state.get("gf_purpose") or None
        st.sidebar.write(f"Signed in as **{sess.username}** ({sess.role.value})")
        if st.sidebar.button("Sign out", key="signout"):
            del st.session_state["gf_login"]
            st.rerun()
        return sess
    st.session_state.pop("gf_login", None)
    with st.sidebar.form("login"):
        st.write("Sign in")
        username = st.text_input("User", key="login_user")
        password = st.text_input("Password", type="password", key="login_password")
        ok = st.form_submit_button("Sign in")
    if ok:
        try:
            user = authenticate(s.home, username, password, via="ui")
        except AuthError as exc:
            st.sidebar.error(str(exc))
            return None
        st.session_state["gf_login"] = {"user": user, "until": time.time() + TOKEN_HOURS * 3600}
        st.rerun()
    return None


def purpose_input(sess: Session, key: str = "gf_purpose") -> str | None:
    """The purpose or case reference box; its value goes with every consultation."""
    value = st.text_input("Purpose or case reference (recorded with what you open)",
                          key=key)
    sess.purpose = (value or "").strip() or None
    return sess.purpose


def need(sess: Session | None, permission: Permission) -> Session:
    """Stop the page with a clear message unless the user may do this."""
    if sess is None:
        st.info("Sign in in the sidebar to continue.")
        st.stop()
    assert sess is not None
    if not sess.can(permission):
        st.warning(f"Your role ({sess.role.value}) may not open this page.")
        st.stop()
    return sess


def show_html(page: str, height: int) -> None:
    """Embed a standalone page (the offline network) in an iframe."""
    if hasattr(st, "iframe"):
        st.iframe(page, height=height)
    else:  # older Streamlit
        import streamlit.components.v1 as components

        components.html(page, height=height)


class Timer:
    """Measure a block's wall time for the page footer (page-load figures)."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    def ms(self) -> float:
        return (time.perf_counter() - self.start) * 1000
