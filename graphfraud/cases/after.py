"""Alerts after an ingest or a detect run, for every watcher, each raised by a Session of
that user: their role from the users file now, their own audit records (an `alerts`
record, and a `query` record per watched query), nothing seen by whoever ran the ingest
or the run (an admin, who may not read alerts at all). One call at the end of
`graphfraud ingest` and `graphfraud detect` (`graphfraud.cli.case.alerts_after`)."""

from __future__ import annotations

from typing import Any

from graphfraud.detect.records import FindingsDocument


def raise_after(store: Any, settings: Any, document: FindingsDocument | None = None,
                delivery: str | None = None) -> dict[str, Any]:
    """Raise every watcher's alerts (and those of case members, for a run's vanished
    findings); `new` alerts, the `users` served and a line per user or watch that could
    not be (`problems`)."""
    from graphfraud.cases import graph
    from graphfraud.security.roles import Permission
    from graphfraud.security.session import Session, users_path
    from graphfraud.security.users import get_user

    names = {str(r["username"]) for r in store.run("watches_all")}
    if document is not None:
        for c in graph.list_cases(store):
            names |= {str(c["owner"]), *(str(m) for m in c.get("members") or [])}
    out: dict[str, Any] = {"new": 0, "users": 0, "problems": []}
    for name in sorted(names):
        user = get_user(users_path(settings), name)
        if user is None:
            out["problems"].append(f"user {name} is not in the users file: no alerts raised")
            continue
        session = Session(store, settings, user)
        if not session.can(Permission.VIEW_ALERTS):
            out["problems"].append(f"user {name} ({user.role}) may not have alerts now")
            continue
        got = session.raise_alerts(document, delivery, only_user=name)
        out["new"] += got["new"]
        out["users"] += 1
        out["problems"] += got["problems"]
    return out
