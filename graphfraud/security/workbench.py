"""The workbench's Session methods of issue #18 part B: the timeline of a whole view,
search hits with a risk badge, the user's query history, cancelling a running query,
and the admins' audit page and user management.

They are folded into `Session` (end of `session.py`), so every page still goes through
one Session: permissions from the role table, one audit record per consultation or
change, redaction before anything leaves the core.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphfraud.security.roles import Permission, Role, as_role

if TYPE_CHECKING:
    from graphfraud.security.session import Session


def _withhold(sess: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Timeline rows of a class the role may not see are counted, not shown."""
    from graphfraud.security.pseudonym import withheld_basis

    def names(r: dict[str, Any]) -> list[str]:
        return [str(r.get("label"))] + str(r.get("via") or "").split(" → ")

    kept = [r for r in rows if not withheld_basis(names(r), sess.user.role)]
    if len(kept) < len(rows):
        kept.append({"date": "", "event": f"{len(rows) - len(kept)} events withheld "
                     "(investigation data your role may not see)", "label": "Withheld",
                     "key": "", "name": "", "via": "", "detail": ""})
    return sess.redact(kept)


class WorkbenchSessionMixin:
    """Methods folded into `Session` (see the module docstring)."""

    # -- timeline of a view -----------------------------------------------------------
    def view_timeline(self: Session, centre: dict[str, Any], sg: Any = None,  # type: ignore[misc]
                      ) -> list[dict[str, Any]]:
        """Every dated event of the entity and of the view around it (movements,
        receipts, checks, licences, machine events, tips, seizures, roles, leases, the
        findings about what is drawn and the decisions on them), in date order; events
        of a withheld class are counted, not shown. One audit record."""
        from graphfraud.explore.graph import key_of, label_of
        from graphfraud.explore.timeline import finding_events, full_timeline, merge_events

        nodes = list(sg.nodes.values()) if sg is not None else [centre]
        edges = list(sg.edges.values()) if sg is not None else []

        def run() -> list[dict[str, Any]]:
            events = full_timeline(self._store(), centre, nodes, edges)
            if self.can(Permission.VIEW_FINDINGS):
                from graphfraud.explore.findings import findings_of

                doc = self.findings()  # as this role may see them (titles, references)
                keys = {(label_of(n), key_of(n) or "") for n in nodes}
                run_date = str((doc.run.started_at if doc else None) or "")
                events = merge_events(events, finding_events(
                    findings_of(doc), self.decisions(), run_date, keys))
            return [e.to_row() for e in events]

        rows = self._consult("view_entity", Permission.SEARCH_ENTITIES,
                             {"timeline": str(centre.get("_id")), "view": len(nodes)}, run, len)
        return _withhold(self, rows)

    # -- search: risk badges and suggestions -------------------------------------------
    def search_with_risk(self: Session, text: str, limit: int = 25,  # type: ignore[misc]
                         ) -> list[tuple[Any, float | None]]:
        """Search hits (one audited search) with each hit's highest finding score in the
        latest detect run (`Session.risk`: the graph's index finds them, the run scores)."""

        hits = self.search(text, limit)
        risk = self.risk([h.id for h in hits], {h.id: (h.label, h.key) for h in hits}) \
            if hits else {}
        return [(h, risk.get(h.id)) for h in hits]

    def suggest(self: Session, text: str, limit: int = 8) -> list[str]:  # type: ignore[misc]
        """Suggestions while typing: trader names and street addresses (register data,
        never persons); audited like a search."""
        from graphfraud.explore.search import suggestions

        return self._consult("search", Permission.SEARCH_ENTITIES, {"suggest": text},
                             lambda: suggestions(self._store(), text, limit), len)

    # -- admins: the audit log and users ------------------------------------------------
    def audit_records(self: Session, user: str | None = None,  # type: ignore[misc]
                      action: str | None = None, since: Any = None, until: Any = None,
                      limit: int = 1000) -> list[dict[str, Any]]:
        """Audit records, newest first, filtered by user, action and time (admins only;
        the reading is recorded too)."""
        from graphfraud.security.audit import _parse_time, _since

        def run() -> list[dict[str, Any]]:
            rows = self.audit.read(user=user or None, since=since, action=action or None)
            if until is not None:
                end = _since(until)
                if not hasattr(until, "hour"):  # a date: the whole day
                    from datetime import timedelta

                    end += timedelta(days=1)
                rows = [r for r in rows if _parse_time(r["time"]) < end]
            return list(reversed(rows))[:limit]

        return self._consult("audit_read", Permission.VIEW_AUDIT,
                             {"user": user, "action": action, "since": str(since or ""),
                              "until": str(until or "")}, run, len)

    def verify_audit(self: Session) -> Any:  # type: ignore[misc]
        """Check the hash chain and its anchored head; the check is recorded after it."""
        res = self._consult("audit_verify", Permission.VIEW_AUDIT, {}, self.audit.verify,
                            lambda r: r.records)
        return res

    def user_list(self: Session) -> list[Any]:  # type: ignore[misc]
        from graphfraud.security.session import users_path
        from graphfraud.security.users import user_entries

        return self._consult("user_list", Permission.MANAGE_USERS, {},
                             lambda: user_entries(users_path(self.settings)), len)

    def _user_change(self: Session, action: str, username: str,  # type: ignore[misc]
                     detail: dict[str, Any], fn: Any) -> Any:
        return self._consult(action, Permission.MANAGE_USERS,
                             {"target": username, **detail}, fn, lambda _r: 1)

    def add_user(self: Session, username: str, role: Role | str,  # type: ignore[misc]
                 password: str) -> Any:
        from graphfraud.security.session import users_path
        from graphfraud.security.users import add_user

        r = as_role(role)
        return self._user_change("user_add", username, {"new_role": r.value},
                                 lambda: add_user(users_path(self.settings), username, r,
                                                  password))

    def _not_last_admin(self: Session, username: str) -> None:  # type: ignore[misc]
        from graphfraud.security.session import users_path
        from graphfraud.security.users import UserFileError, user_entries

        admins = [e.username for e in user_entries(users_path(self.settings))
                  if e.role == Role.ADMIN and not e.disabled]
        if admins == [username]:
            raise UserFileError(f"{username!r} is the last active admin; make another "
                                "admin first")

    def set_user_disabled(self: Session, username: str, disabled: bool,  # type: ignore[misc]
                          ) -> Any:
        from graphfraud.security.session import users_path
        from graphfraud.security.users import UserFileError, set_disabled

        def run() -> Any:
            if disabled and username == self.username:
                raise UserFileError("you cannot disable yourself")
            if disabled:
                self._not_last_admin(username)
            return set_disabled(users_path(self.settings), username, disabled)

        return self._user_change("user_disable" if disabled else "user_enable", username,
                                 {}, run)

    def reset_password(self: Session, username: str, password: str) -> Any:  # type: ignore[misc]
        from graphfraud.security.session import users_path
        from graphfraud.security.users import set_password

        return self._user_change("user_password", username, {},
                                 lambda: set_password(users_path(self.settings), username,
                                                      password))

    def change_role(self: Session, username: str, role: Role | str) -> Any:  # type: ignore[misc]
        from graphfraud.security.session import users_path
        from graphfraud.security.users import set_role

        r = as_role(role)

        def run() -> Any:
            if r != Role.ADMIN:
                self._not_last_admin(username)
            return set_role(users_path(self.settings), username, r)

        return self._user_change("user_role", username, {"new_role": r.value}, run)

    # -- analysts: history, queries in a worker, cancel ---------------------------------
    def query_history(self: Session, limit: int = 50) -> list[dict[str, Any]]:  # type: ignore[misc]
        """This user's own queries, newest first, from the audit log (which keeps them
        anyway): when, library name or Cypher, parameters, outcome, rows."""
        self._require(Permission.RUN_LIBRARY_QUERIES)
        out = []
        for r in reversed(self.audit.read(user=self.username, action="query")):
            d = r.get("detail") or {}
            if "cypher" not in d and ("name" not in d or "params" not in d):
                continue  # aggregates of the maps page, not typed by the user
            out.append({"time": r["time"], "kind": "free" if "cypher" in d else "library",
                        "query": d.get("cypher") or d.get("name"),
                        "params": d.get("params") or {}, "outcome": d.get("outcome"),
                        "rows": r.get("result_size"),
                        "why": d.get("refused") or d.get("error") or ""})
            if len(out) >= limit:
                break
        return out

    def start_query(self: Session, kind: str, text: str,  # type: ignore[misc]
                    params: dict[str, Any] | None = None) -> RunningQuery:
        """Run a library (`kind="library"`, `text` its name) or free query in a worker;
        the caller polls `RunningQuery.future` and may `cancel_query` it."""
        import uuid
        from dataclasses import replace

        qid = uuid.uuid4().hex
        # the store is opened here, in the caller's thread (the UI's cache lives there)
        worker = replace(self, store=self._store())
        worker.purpose, worker.case_ref = self.purpose, self.case_ref
        fn = worker.library_query if kind == "library" else worker.free_cypher
        future = _pool().submit(fn, text, dict(params or {}), query_id=qid)
        return RunningQuery(qid, kind, text, future, time.monotonic())

    def cancel_query(self: Session, running: RunningQuery) -> str:  # type: ignore[misc]
        """Stop a running query: Neo4j ends its transaction at once; the embedded engine
        cannot end one query, so it stops at its own time-out (and the watchdog restarts
        a wedged server). The page is free again either way; the cancel is audited."""
        if running.future.done():
            return "the query had already finished"
        running.cancelled = True
        ended = self._store().cancel(running.query_id)
        how = ("ended at the engine" if ended else
               "the engine stops it at its time-out; its result will be dropped")
        self.record("query_cancel", {"query_id": running.query_id, "kind": running.kind,
                                     "query": running.text[:500], "ended": ended}, 0,
                    outcome="cancelled")
        return how


@dataclass
class RunningQuery:
    """A query running in a worker for the console, by the id that tags it at the engine."""

    query_id: str
    kind: str
    text: str
    future: Future[Any]
    started: float
    cancelled: bool = False

    def seconds(self) -> float:
        return time.monotonic() - self.started


_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    """A few workers for console queries, shared by every session of the process."""
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="gf-query")
    return _POOL
