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
from graphfraud.security.auth import (
    SESSION_COOKIE,
    TOKEN_HOURS,
    AuthError,
    authenticate,
    has_users,
    issue_session_token,
    read_session_token,
    revoke_session_token,
    user_for_session_token,
)
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

def _cookie_token() -> str | None:
    """The session cookie the browser sent when this Streamlit session connected."""
    try:
        value = st.context.cookies.get(SESSION_COOKIE)
    except Exception:  # noqa: BLE001 - no browser (AppTest) or an old Streamlit
        return None
    return value if isinstance(value, str) and value else None


def _cookie_script(token: str | None, until: float) -> None:
    """Set (or, without a token, delete) the session cookie on the workbench's own page.

    A cookie, not the URL: links are bookmarked and shared, and a token in them would
    hand the sign-in to whoever gets the link (and leave it in history and proxy logs).
    Streamlit offers no Set-Cookie header, so a one-line script of our own on the page
    (`st.html`, no iframe, nothing loaded) writes it: `SameSite=Strict`, path `/`,
    `Secure` over https. It cannot be HttpOnly, which is why the token is signed,
    expires and is revoked server-side on sign-out."""
    import json
    from email.utils import formatdate

    expires = formatdate(until if token else 0, usegmt=True)
    value = f"{SESSION_COOKIE}={token or ''}; Path=/; Expires={expires}; SameSite=Strict"
    st.html("<script>(function(){document.cookie=" + json.dumps(value)
            + "+(location.protocol==='https:'?'; Secure':'');})();</script>",
            unsafe_allow_javascript=True)


def current_session() -> Session | None:
    """The signed-in user's Session, or None; draws the sign-in form in the sidebar.
    Fails closed: without users nothing runs (the first admin is made on the command
    line). A sign-in lasts `TOKEN_HOURS` and survives a reload: a signed token
    (`graphfraud.security.auth.issue_session_token`) in a cookie; signing out revokes it."""
    s = settings()
    if not has_users(s.home):
        st.sidebar.error("No users yet. Create the first admin on the command line: "
                         "`graphfraud users add NAME --role admin`.")
        return None
    login = st.session_state.get("gf_login")
    cookie = _cookie_token()
    if not isinstance(login, dict) and cookie and st.session_state.get("gf_dead") != cookie:
        try:
            user = user_for_session_token(s.home, cookie)
            login = {"user": user, "token": cookie,
                     "until": read_session_token(s.home, cookie).expires}
            st.session_state["gf_login"] = login
        except AuthError as exc:
            st.session_state["gf_dead"] = cookie
            st.sidebar.info(str(exc))
    if isinstance(login, dict) and login.get("until", 0) > time.time():
        try:
            user = user_for_session_token(s.home, str(login.get("token")))
        except AuthError as exc:  # expired, revoked elsewhere, role changed
            st.session_state.pop("gf_login", None)
            st.session_state["gf_dead"] = str(login.get("token"))
            st.sidebar.info(str(exc))
            return current_session()
        sess = Session(lambda: store(), s, user, check_account=True)
        sess.purpose = st.session_state.get("gf_purpose") or None
        with st.sidebar:  # first, so the cookie is written before the page shows
            _cookie_script(str(login["token"]), float(login["until"]))
        st.sidebar.write(f"Signed in as **{sess.username}** ({sess.role.value})")
        if st.sidebar.button("Sign out", key="signout"):
            revoke_session_token(s.home, str(login["token"]))
            st.session_state["gf_dead"] = str(login["token"])
            del st.session_state["gf_login"]
            st.rerun()
        return sess
    st.session_state.pop("gf_login", None)
    if cookie or st.session_state.get("gf_dead"):
        with st.sidebar:
            _cookie_script(None, 0)
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
        tok = issue_session_token(s.home, user, TOKEN_HOURS)
        st.session_state["gf_login"] = {"user": user, "token": tok.token,
                                        "until": tok.expires}
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
