"""What every page of the workbench shares: settings, the cached store, the signed-in
user, the audit log, cached reads keyed by a data version, and clear error messages.

The pages stay thin: they call `graphfraud.explore`, `graphfraud.eps` and
`graphfraud.security`; nothing here talks to a database except through a `GraphStore`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from graphfraud.config import ConfigError, Settings, load_settings
from graphfraud.detect.runs import latest_run
from graphfraud.security import (
    AuditLog,
    Permission,
    PermissionDenied,
    QueryRefused,
    Role,
    can,
    load_or_create_secret,
    redact_for_role,
)
from graphfraud.security.users import list_users, verify
from graphfraud.store import GraphStore, StoreError, StoreUnavailable, open_store

APP_TITLE = "GraphFraud"
T = TypeVar("T")


@dataclass(frozen=True)
class Session:
    """The signed-in user as the pages need it."""

    username: str
    role: Role
    dev_mode: bool

    def can(self, permission: Permission | str) -> bool:
        return can(self.role, permission)


# --- settings, store, files ------------------------------------------------------------

def settings() -> Settings:
    return load_settings()


def users_file(s: Settings) -> Path:
    return s.home / "users.json"


def audit_log(s: Settings) -> AuditLog:
    return AuditLog(s.home / "audit.jsonl")


def pseudonym_secret(s: Settings) -> bytes:
    return load_or_create_secret(s.home / "pseudonym.key")  # shared with graphfraud.workbench


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


@st.cache_data(ttl=10, show_spinner=False)
def _node_total(kind: str, home: str) -> int:
    rows = store().run("count_by_label")
    return int(sum(int(r["nodes"]) for r in rows))


def data_version() -> str:
    """Changes after an ingest (node count) or a detect run (run id): the key of every
    cached read, so caches never outlive the data they describe."""
    s = settings()
    doc = latest_run(s)
    run_id = (doc or {}).get("run", {}).get("run_id", "none")
    try:
        total = _node_total(s.store, str(s.home))
    except StoreError:
        total = -1
    return f"{s.store}:{total}:{run_id}"


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(fn_name: str, args_json: str, version: str) -> Any:
    fn = _CACHEABLE[fn_name]
    return fn(store(), **json.loads(args_json))


_CACHEABLE: dict[str, Callable[..., Any]] = {}


def cacheable(fn: Callable[..., T]) -> Callable[..., T]:
    """Register a function `fn(store, **kwargs)` whose results `cached_call` may keep."""
    _CACHEABLE[fn.__name__] = fn
    return fn


def cached_call(fn: Callable[..., T], **kwargs: Any) -> T:
    """`fn(store, **kwargs)`, cached until the data version changes."""
    if fn.__name__ not in _CACHEABLE:
        cacheable(fn)
    return _cached(fn.__name__, json.dumps(kwargs, sort_keys=True, default=str),
                   data_version())


@cacheable
def run_named(st_: GraphStore, name: str, params: dict[str, Any] | None = None,
              ) -> list[dict[str, Any]]:
    return st_.run(name, params or {})


def latest_findings_doc() -> dict[str, Any] | None:
    return latest_run(settings())


# --- errors ------------------------------------------------------------------------------

@contextmanager
def friendly_errors(what: str) -> Iterator[None]:
    """Turn failures into a clear message instead of a traceback."""
    try:
        yield
    except QueryRefused as exc:
        st.error(f"Refused: {exc.reason}. This console runs read-only queries only.")
    except PermissionDenied as exc:
        st.error(f"Not allowed: {exc}")
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
    """The signed-in user; draws the login form or the dev-mode role picker in the
    sidebar. Without `GRAPHFRAUD_HOME/users.json` the app runs as a single-user
    investigator (dev mode) and says so."""
    s = settings()
    path = users_file(s)
    if not path.exists():
        st.sidebar.info("Dev mode: no users file (`graphfraud users add`), single user.")
        role = st.sidebar.selectbox("Role (dev mode)", [r.value for r in Role], index=0,
                                    key="dev_role")
        sess = Session("dev", Role(role), True)
        _note_login(s, sess)
        return sess
    sess = st.session_state.get("session")
    if isinstance(sess, Session):
        st.sidebar.write(f"Signed in as **{sess.username}** ({sess.role.value})")
        if st.sidebar.button("Sign out"):
            del st.session_state["session"]
            st.rerun()
        return sess
    with st.sidebar.form("login"):
        st.write("Sign in")
        username = st.text_input("User")
        password = st.text_input("Password", type="password")
        ok = st.form_submit_button("Sign in")
    if ok:
        user = verify(path, username, password)
        if user is None:
            audit_log(s).record("login_failed", username or "?", "none", result_size=0)
            st.sidebar.error("Unknown user or wrong password.")
            return None
        sess = Session(user.username, user.role, False)
        st.session_state["session"] = sess
        audit_log(s).record("login", sess.username, sess.role.value, result_size=1)
        st.rerun()
    if not list_users(path):
        st.sidebar.warning(f"{path} holds no users.")
    return None


def _note_login(s: Settings, sess: Session) -> None:
    """Audit one login per browser session and role (dev mode)."""
    marker = f"logged:{sess.role.value}"
    if not st.session_state.get(marker):
        st.session_state[marker] = True
        audit_log(s).record("login", sess.username, sess.role.value,
                            detail={"dev_mode": True}, result_size=1)


def audit(sess: Session, action: str, detail: dict[str, Any] | None = None,
          result_size: int | None = None, purpose: str | None = None,
          case_ref: str | None = None) -> None:
    audit_log(settings()).record(action, sess.username, sess.role.value, purpose=purpose,
                                 case_ref=case_ref, detail=detail, result_size=result_size)


def redact(sess: Session, rows: list[Any]) -> list[Any]:
    """Rows as the user's role may see them (pseudonyms for managers)."""
    return redact_for_role(rows, sess.role, pseudonym_secret(settings()))


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
