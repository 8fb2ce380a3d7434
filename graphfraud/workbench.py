"""A user's session on the graph: every consultation passes roles, the read-only guard
and the audit log here, in the core, so the CLI and the UI cannot disagree.

- what a role may do is declared once (`graphfraud.security.roles.POLICIES`);
- free Cypher passes the statement guard, then runs in a read-only transaction with a
  row cap and a time-out;
- every result is redacted for the role (managers see pseudonyms and aggregates, never
  a person's name, birth date or address) before it leaves the core;
- every search, view, query, export and decision writes one audit record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphfraud.config import Settings
from graphfraud.cypher_library import get_query
from graphfraud.security import audit as audit_mod
from graphfraud.security.guard import assert_read_only
from graphfraud.security.pseudonym import load_or_create_secret, redact_for_role
from graphfraud.security.roles import Permission, require
from graphfraud.security.users import User
from graphfraud.store.base import GraphStore, QueryResult

DEFAULT_ROW_CAP = 1000
DEFAULT_TIMEOUT_S = 30.0


class PurposeRequired(PermissionError):
    """Opening a person needs a purpose or case reference (Police Data Act)."""


def audit_path(settings: Settings) -> Path:
    return settings.home / "audit.jsonl"


def users_path(settings: Settings) -> Path:
    return settings.home / "users.json"


@dataclass
class Session:
    store: GraphStore
    settings: Settings
    user: User
    row_cap: int = DEFAULT_ROW_CAP
    timeout_s: float = DEFAULT_TIMEOUT_S

    def __post_init__(self) -> None:
        self.audit = audit_mod.AuditLog(audit_path(self.settings))
        self._secret = load_or_create_secret(self.settings.home / "pseudonym.key")

    # -- helpers --------------------------------------------------------------------
    def _record(self, action: str, detail: dict[str, Any], size: int | None = None,
                purpose: str | None = None, case_ref: str | None = None) -> None:
        self.audit.record(action, self.user.username, str(self.user.role), purpose=purpose,
                          case_ref=case_ref, detail=detail, result_size=size)

    def _redact(self, rows: list[Any]) -> list[Any]:
        return redact_for_role(rows, self.user.role, self._secret)

    # -- queries --------------------------------------------------------------------
    def library_query(self, name: str, params: dict[str, Any] | None = None) -> QueryResult:
        """A saved query from `cypher/` (read queries only)."""
        require(self.user, Permission.RUN_LIBRARY_QUERIES)
        q = get_query(name)
        if q.mode != "read":
            raise PermissionError(f"query {name!r} is a {q.mode} query; only read queries "
                                  "run from the library console")
        params = dict(params or {})
        result = self.store.read_cypher(q.text_for(self.store.dialect), params,
                                        self.row_cap, self.timeout_s)
        result.rows = self._redact(result.rows)
        self._record("query", {"name": name, "params": params}, len(result.rows))
        return result

    def free_cypher(self, text: str, params: dict[str, Any] | None = None) -> QueryResult:
        """An analyst's own Cypher: guard, read-only transaction, row cap, time-out."""
        require(self.user, Permission.RUN_FREE_CYPHER)
        params = dict(params or {})
        try:
            assert_read_only(text)
            result = self.store.read_free_cypher(text, params, self.row_cap, self.timeout_s)
        except Exception as exc:
            self._record("query", {"cypher": text, "params": params, "refused": str(exc)}, 0)
            raise
        result.rows = self._redact(result.rows)
        self._record("query", {"cypher": text, "params": params,
                               "truncated": result.truncated}, len(result.rows))
        return result

    def view_person(self, person_id: str, purpose: str, case_ref: str | None = None,
                    ) -> list[dict[str, Any]]:
        """A person's record: only for roles that may, and only with a stated purpose."""
        require(self.user, Permission.VIEW_PERSONS)
        if not (purpose or "").strip():
            raise PurposeRequired("opening a person needs a purpose or case reference")
        rows = self.store.run("person_by_id", {"person_id": person_id})
        self._record("view_person", {"person_id": person_id}, len(rows), purpose=purpose,
                     case_ref=case_ref)
        return self._redact(rows)

    def eps_shares(self) -> list[Any]:
        """EPS shares per year and municipality (aggregates: every role may)."""
        from graphfraud.eps import estimate_shares

        require(self.user, Permission.VIEW_AGGREGATES)
        return estimate_shares(self.store.stream("eps_counts"))

    def findings(self) -> dict[str, Any] | None:
        """The latest detect run, persons pseudonymised for roles that may not see them."""
        from graphfraud.detect.runs import latest_run

        require(self.user, Permission.VIEW_FINDINGS)
        doc = latest_run(self.settings)
        if doc is None:
            return None
        doc = json.loads(json.dumps(doc))
        if str(self.user.role) == "manager":
            for f in doc["findings"]:
                f["subjects"]["persons"] = [self._redact([{"person_id": p}])[0]["person_id"]
                                            for p in f["subjects"].get("persons", [])]
                f["subjects"]["addresses"] = []
                for r in f["reasons"]:
                    r["refs"] = [x for x in r["refs"] if not x.startswith(("Person:", "Address:"))]
        return doc

    def decide_finding(self, finding_id: str, decision: str, reason: str) -> dict[str, Any]:
        """Mark a finding as a case or dismiss it, with a reason (kept and audited)."""
        require(self.user, Permission.DECIDE_FINDINGS)
        if decision not in ("case", "dismissed"):
            raise ValueError("decision is 'case' or 'dismissed'")
        if not reason.strip():
            raise ValueError("a decision needs a reason")
        entry = {"finding_id": finding_id, "decision": decision, "reason": reason,
                 "user": self.user.username}
        path = self.settings.home / "decisions.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry) + "\n")
        self._record("finding_decision", entry, 1)
        return entry

    def record_export(self, what: str, rows: int) -> None:
        require(self.user, Permission.EXPORT)
        self._record("export", {"what": what}, rows)
