"""Watchlists and alerts: the rules, as pure functions over plain rows.

Rules (each alert belongs to one user, links to a finding or an entity):

- `new_finding` / `risen`: a run's new finding, or one whose score rose past the
  threshold (`graphfraud.detect.changes`), concerning an entity the user watches;
- `disappeared`: a finding linked to a case the user owns or is a member of is not in
  the new run any more;
- `touched`: a delivery brought something new around a watched entity (a movement, a
  check, a licence event, a new link one hop away; a tip or seizure naming it one step
  further).

An alert's id is a hash of what it says, so raising alerts again adds none twice."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from graphfraud.cases.model import subjects_of
from graphfraud.detect.records import Changes, FindingsDocument

WATCHABLE = ("Trader", "Person", "Address", "Vehicle", "Phone", "Email")


@dataclass(frozen=True)
class Watch:
    username: str
    label: str
    key: str

    @property
    def watch_id(self) -> str:
        return _hash(self.username, self.label, self.key)


@dataclass(frozen=True)
class Alert:
    username: str
    rule: str
    subject: str  # "Finding:<id>" or "Label:key" of the watched entity
    detail: str
    run_id: str = ""
    delivery: str = ""

    @property
    def alert_id(self) -> str:
        return _hash(self.username, self.rule, self.subject, self.detail, self.run_id,
                     self.delivery)

    def to_dict(self) -> dict[str, Any]:
        return {"alert_id": self.alert_id, **asdict(self)}


def _hash(*parts: str) -> str:
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:20]


def watches_by_entity(watches: list[Watch]) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for w in watches:
        out.setdefault((w.label, w.key), []).append(w.username)
    return out


def finding_alerts(document: FindingsDocument, watches: list[Watch],
                   case_members: dict[str, list[str]]) -> list[Alert]:
    """Alerts from a run's changes. `case_members`: finding id -> users of the cases
    that link it."""
    changes = document.run.changes or Changes()
    run_id = str(document.run.run_id or "")
    by_id = {str(f.id): f for f in document.findings}
    watched = watches_by_entity(watches)
    out: set[Alert] = set()
    for rule, changed in (("new", changes.new), ("risen", changes.risen)):
        for ch in changed:
            f = by_id.get(str(ch.id))
            if f is None:
                continue
            for label, keys in subjects_of(f).items():
                for key in keys:
                    for user in watched.get((label, key), []):
                        out.add(Alert(user, "new_finding" if rule == "new" else "risen",
                                      f"Finding:{f.id}", f"{f.kind} concerns "
                                      f"watched {label}:{key}", run_id))
    for gone in changes.disappeared:
        for user in case_members.get(str(gone.id), []):
            out.add(Alert(user, "disappeared", f"Finding:{gone.id}",
                          f"{gone.kind} linked to your case is not in run {run_id}",
                          run_id))
    return sorted(out, key=lambda a: (a.username, a.rule, a.subject, a.detail))


def touch_alerts(rows: list[dict[str, Any]], watches: list[Watch],
                 delivery: str) -> list[Alert]:
    """Alerts from `watch_touches` rows (label, key, rel, other as label:key)."""
    watched = watches_by_entity(watches)
    out: set[Alert] = set()
    for r in rows:
        for user in watched.get((str(r["label"]), str(r["key"])), []):
            out.add(Alert(user, "touched", f"{r['label']}:{r['key']}",
                          f"{r['rel']} {r['other']}", "", delivery))
    return sorted(out, key=lambda a: (a.username, a.subject, a.detail))
