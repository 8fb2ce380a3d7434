"""The Session's methods for watched queries and for reading alerts (a mixin the case
mixin carries, so the Session gains them without a line of its own).

A watched query runs again, after a delivery or a run, as ITS user would run it: a
Session of the watcher (their role from the users file, today, not when they watched),
with the purpose they stated, through the same guard, classification check, row cap and
redaction as on the console; that run is the watcher's audited `query` record (with
their stated purpose, which then also names the watch; never a purpose they did not
state). Whoever raises the alerts gets one `alerts` record naming the
watches that ran."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from graphfraud.cases.alerts import Alert
from graphfraud.cases.model import CaseError
from graphfraud.cases.query_watch import QUERY_LABEL, QueryWatch, query_row_alerts, row_keys
from graphfraud.security.roles import Permission


@dataclass
class QueryWatchRun:
    """What raising the alerts of the watched queries did: the alerts, the watches with
    their new last result, and a line for every watch that could not run."""

    alerts: list[Alert] = field(default_factory=list)
    updated: list[QueryWatch] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _now() -> str:
    from graphfraud.cases.session import now

    return now()


class AlertSessionMixin:
    """Watch a saved query; list and end watches; mark alerts read; count unread ones."""

    # -- watching a query -------------------------------------------------------------
    def _run_watched(self, w: QueryWatch) -> Any:
        """The watch's query, run by this Session (guard, row cap, redaction, audit)."""
        if w.kind == "library":
            return self.library_query(w.name, w.params)  # type: ignore[attr-defined]
        return self.free_cypher(w.text, w.params)  # type: ignore[attr-defined]

    def watch_query(self, name: str | None = None, cypher: str | None = None,
                    params: dict[str, Any] | None = None, label: str | None = None,
                    ) -> QueryWatch:
        """Watch a library query (`name`) or one's own read-only Cypher (`cypher`, named
        `label`): its result now is the first "last result"; later rows that are new
        raise a `query_row` alert. Audited as `watch` (and the query as `query`)."""
        if bool(name) == bool(cypher):
            raise CaseError("watch either a library query (by name) or Cypher, not both")
        me = self.user.username  # type: ignore[attr-defined]
        kind = "library" if name else "cypher"
        w = QueryWatch(me, kind, (name or label or "my query").strip(),
                       (cypher or "").strip(), dict(params or {}),
                       str(self.purpose or ""), str(self.case_ref or ""))  # type: ignore[attr-defined]

        def keep() -> QueryWatch:
            result = self._run_watched(w)
            done = replace(w, last=row_keys(result.rows, result.columns),
                           last_checked=_now())
            self._put_query_watch(done, created=True)
            return done

        return self._consult("watch", Permission.VIEW_ALERTS,  # type: ignore[attr-defined]
                             {"query": w.name, "kind": kind, "params": w.params,
                              "watch_id": w.watch_id}, keep, lambda r: len(r.last))

    def _put_query_watch(self, w: QueryWatch, created: bool = False) -> None:
        props = {"username": w.username, "target_label": QUERY_LABEL, "target_key": w.name,
                 "query": w.to_json()}
        if created:
            props["created_at"] = _now()
        self._store().upsert("upsert_watch", [{"key": w.watch_id, "props": props}],  # type: ignore[attr-defined]
                             extra={"source": "graphfraud watch", "delivery": w.username,
                                    "legal_basis": "derived"})

    def watches(self) -> list[dict[str, Any]]:
        """This user's watches: entities and queries (a query's definition, without its
        last result, which is the watcher's data)."""
        me = self.user.username  # type: ignore[attr-defined]

        def read() -> list[dict[str, Any]]:
            out = []
            for r in self._store().run("watches_all"):  # type: ignore[attr-defined]
                if r["username"] != me:
                    continue
                row = {"watch_id": r["watch_id"], "label": r["target_label"],
                       "key": r["target_key"], "created_at": r.get("created_at") or ""}
                if r["target_label"] == QUERY_LABEL:
                    w = QueryWatch.from_json(me, str(r.get("query") or "{}"))
                    row.update({"kind": w.kind, "query": w.text or w.name,
                                "params": w.params, "rows": len(w.last),
                                "last_checked": w.last_checked})
                out.append(row)
            return out

        return self._consult("watch", Permission.VIEW_ALERTS, {"list": me}, read, len)  # type: ignore[attr-defined]

    def unwatch(self, watch_id: str) -> bool:
        """End one of this user's watches; its alerts stay."""
        me = self.user.username  # type: ignore[attr-defined]

        def remove() -> bool:
            rows = self._store().run("watch_remove", {"username": me, "watch_id": watch_id})  # type: ignore[attr-defined]
            if not rows or not int(rows[0]["removed"]):
                raise CaseError(f"user {me!r} has no watch {watch_id!r}")
            return True

        return self._consult("watch", Permission.VIEW_ALERTS, {"remove": watch_id},  # type: ignore[attr-defined]
                             remove, lambda _r: 1)

    def _query_watch_alerts(self, watches: list[dict[str, Any]], run_id: str,
                            delivery: str) -> QueryWatchRun:
        """Run every watched query as its user and compare with its last result."""
        from graphfraud.security.guard import QueryRefused
        from graphfraud.security.session import users_path
        from graphfraud.security.users import get_user
        from graphfraud.store import StoreError

        out = QueryWatchRun()
        refresher = self.user.username  # type: ignore[attr-defined]
        for r in watches:
            if r["target_label"] != QUERY_LABEL:
                continue
            try:
                w = QueryWatch.from_json(str(r["username"]), str(r.get("query") or "{}"))
            except (ValueError, TypeError) as exc:
                out.problems.append(f"watch {r['watch_id']}: unreadable definition ({exc})")
                continue
            try:
                user = get_user(users_path(self.settings), w.username)  # type: ignore[attr-defined]
            except (OSError, ValueError) as exc:
                user, why = None, str(exc)
            else:
                why = "not in the users file"
            if user is None:
                out.problems.append(f"watch {w.watch_id} of {w.username}: user {why}; not run")
                continue
            # the purpose the watcher stated, and only that: a run never gains one
            said = (f"{w.purpose} (watch {w.watch_id}, raised by {refresher})"
                    if w.purpose else None)
            as_watcher = type(self)(self.store, self.settings, user,  # type: ignore[call-arg,attr-defined]
                                    row_cap=self.row_cap, timeout_s=self.timeout_s,  # type: ignore[attr-defined]
                                    purpose=said, case_ref=w.case_ref or None)
            try:
                result = as_watcher._run_watched(w)
            except (PermissionError, QueryRefused, StoreError, CaseError) as exc:
                out.problems.append(f"watch {w.watch_id} of {w.username} ({w.name}): "
                                    f"{type(exc).__name__}: {exc}; not run")
                continue
            keys = row_keys(result.rows, result.columns)
            if result.truncated:
                out.problems.append(f"watch {w.watch_id} of {w.username} ({w.name}): the "
                                    f"result was cut at {len(result.rows)} rows; rows past "
                                    "the cap are not compared")
            out.alerts += query_row_alerts(w, keys, run_id, delivery)
            out.updated.append(replace(w, last=keys, last_checked=_now()))
        return out

    # -- reading alerts ---------------------------------------------------------------
    def mark_alerts_read(self, alert_ids: list[str] | None = None) -> int:
        """Mark some of this user's alerts read, or all (`None`); how many changed."""
        me = self.user.username  # type: ignore[attr-defined]
        ids = None if alert_ids is None else [str(a) for a in alert_ids]

        def mark() -> int:
            rows = self._store().run("alerts_mark_read", {"username": me,  # type: ignore[attr-defined]
                                                          "alert_ids": ids})
            return int(rows[0]["marked"]) if rows else 0

        return self._consult("alerts", Permission.VIEW_ALERTS,  # type: ignore[attr-defined]
                             {"mark_read": "all" if ids is None else ids}, mark, lambda n: n)

    def unread_alerts(self) -> int:
        """How many of this user's alerts are unread: a count of one's own alerts, shown
        on every page's navigation, so it is not an audit record each time (the alerts
        themselves are read through `alerts`, audited)."""
        from graphfraud.security.roles import require

        require(self.user, Permission.VIEW_ALERTS)  # type: ignore[attr-defined]
        rows = self._store().run("alerts_unread", {"username": self.user.username})  # type: ignore[attr-defined]
        return int(rows[0]["unread"]) if rows else 0

    def alerts_title(self) -> str:
        """The navigation's "Alerts (3)"; plain "Alerts" when the store cannot answer,
        so every page still opens (the Alerts page then says what is wrong)."""
        from graphfraud.store import StoreError

        try:
            return f"Alerts ({self.unread_alerts()})"
        except StoreError:
            return "Alerts"
