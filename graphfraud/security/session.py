"""A user's session on the graph: the ONE way any page or command reads or writes.

Library queries, free Cypher, entity search and views, paths, timelines, findings,
decisions and exports all go through a `Session`, so the CLI and the UI cannot disagree:

- what a role may do is declared once (`graphfraud.security.roles.POLICIES`), including
  where a purpose or case reference is required;
- free Cypher passes the statement guard and the classification check (no withheld
  label or property reachable), then runs read-only with a row cap and a time-out;
- library queries declare what they need (`requires:` in their header);
- every result is redacted for the role before it leaves the core;
- every consultation writes exactly one audit record, with its outcome, BEFORE the
  result is handed back (no record, no result).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from graphfraud.cases.session import CaseSessionMixin
from graphfraud.config import Settings
from graphfraud.detect.records import Finding, FindingsDocument, Reason, RunInfo
from graphfraud.security import audit as audit_mod
from graphfraud.security.classify import check_classified, requirement_refusal
from graphfraud.security.guard import QueryRefused, assert_read_only
from graphfraud.security.pseudonym import load_or_create_secret, redact_for_role
from graphfraud.security.roles import (
    Permission,
    PermissionDenied,
    Role,
    can,
    needs_purpose,
    require,
)
from graphfraud.security.users import User
from graphfraud.store.base import GraphStore, QueryResult
from graphfraud.store.library import NamedQuery, default_library, get_query

DEFAULT_ROW_CAP = 1000
DEFAULT_TIMEOUT_S = 30.0
#: Library groups offered on the console; the rest is plumbing (ingest, load, schema,
#: benchmarks, GDS projections) and is offered to nobody but run by the core itself.
CONSOLE_GROUPS = ("queries", "analytics", "signals")
DECISIONS = ("case", "dismissed")
T = TypeVar("T")


@dataclass(frozen=True)
class RunSummary:
    """The latest run for the data page: its metadata and how many findings it has."""

    run: RunInfo
    dataset: str
    generated_at: str | None
    findings: int


class PurposeRequired(PermissionError):
    """This consultation needs a purpose or case reference (Police Data Act)."""


def audit_path(settings: Settings) -> Path:
    return settings.home / "audit.jsonl"


def users_path(settings: Settings) -> Path:
    return settings.home / "users.json"


def decisions_path(settings: Settings) -> Path:
    from graphfraud.explore.findings import decisions_path as path_in

    return path_in(settings.home)


@dataclass
class Session(CaseSessionMixin):
    #: the graph store, or a function returning it (the UI opens it on first use)
    store: GraphStore | Callable[[], GraphStore] | None
    settings: Settings
    user: User
    row_cap: int = DEFAULT_ROW_CAP
    timeout_s: float = DEFAULT_TIMEOUT_S
    #: the purpose or case reference the user states for this session's consultations
    purpose: str | None = None
    case_ref: str | None = None
    #: check on every request that the account is still active with this role (the
    #: workbench sets it: a user disabled while signed in can do nothing more)
    check_account: bool = False
    audit: audit_mod.AuditLog = field(init=False)

    def __post_init__(self) -> None:
        self.audit = audit_mod.AuditLog(audit_path(self.settings))
        self._secret = load_or_create_secret(self.settings.home / "pseudonym.key")

    # -- who ------------------------------------------------------------------------
    @property
    def role(self) -> Role:
        return Role(str(self.user.role))

    @property
    def username(self) -> str:
        return self.user.username

    def can(self, permission: Permission | str) -> bool:
        return can(self.user, permission)

    def _require(self, permission: Permission | str) -> None:
        """The account still active (`check_account`) and its role holding `permission`;
        `PermissionError` (an `AuthError` for the account) if not."""
        if self.check_account:
            from graphfraud.security.auth import active_user

            active_user(self.settings.home, self.username, str(self.user.role))
        require(self.user, permission)

    # -- helpers --------------------------------------------------------------------
    def _store(self) -> GraphStore:
        if self.store is None:
            raise RuntimeError("this session has no graph store")
        if isinstance(self.store, GraphStore):
            return self.store
        return self.store()

    def record(self, action: str, detail: dict[str, Any], size: int | None = None,
               purpose: str | None = None, case_ref: str | None = None,
               outcome: str = "ok") -> None:
        """One audit record; raises `AuditError` (and so withholds the result) when the
        record cannot be written durably."""
        self.audit.record(action, self.user.username, str(self.user.role),
                          purpose=purpose or self.purpose, case_ref=case_ref or self.case_ref,
                          detail={**detail, "outcome": outcome}, result_size=size)

    def _purpose(self, permission: Permission, purpose: str | None,
                 case_ref: str | None) -> tuple[str | None, str | None]:
        p = (purpose or self.purpose or "").strip() or None
        c = (case_ref or self.case_ref or "").strip() or None
        if needs_purpose(self.user, permission) and not (p or c):
            raise PurposeRequired(
                f"role {self.role.value!r} needs a purpose or case reference to "
                f"{permission.value.replace('_', ' ')} (Police Data Act, Wpg art. 6)")
        return p, c

    def _consult(self, action: str, permission: Permission, detail: dict[str, Any],
                 fn: Callable[[], T], size: Callable[[T], int | None] = lambda _r: None,
                 purpose: str | None = None, case_ref: str | None = None) -> T:
        """Check the permission and purpose, run `fn`, record the outcome once."""
        try:
            self._require(permission)
            p, c = self._purpose(permission, purpose, case_ref)
        except PermissionError as exc:
            self.record(action, {**detail, "refused": str(exc)}, 0, purpose, case_ref,
                        outcome="refused")
            raise
        try:
            result = fn()
        except QueryRefused as exc:
            self.record(action, {**detail, "refused": exc.reason}, 0, p, c, outcome="refused")
            raise
        except PermissionError as exc:  # refused by what the query requires
            self.record(action, {**detail, "refused": str(exc)}, 0, p, c, outcome="refused")
            raise
        except Exception as exc:
            self.record(action, {**detail, "error": f"{type(exc).__name__}: {exc}"[:500]},
                        0, p, c, outcome="failed")
            raise
        self.record(action, detail, size(result), p, c)
        return result

    def redact(self, rows: list[Any]) -> list[Any]:
        """Rows as this role may see them (withheld classes, pseudonyms)."""
        return redact_for_role(rows, self.user.role, self._secret)

    def redact_subgraph(self, sg: Any) -> Any:
        """A copy of an explorer `Subgraph` with its nodes and edges redacted."""
        from graphfraud.explore.graph import Subgraph

        out = Subgraph.from_dict(sg.to_dict())
        out.nodes = {str(n["_id"]): n for n in self.redact(list(sg.nodes.values()))}
        out.edges = {str(e["_id"]): e for e in self.redact(list(sg.edges.values()))}
        return out

    # -- the library ----------------------------------------------------------------
    def library(self) -> dict[str, NamedQuery]:
        """The saved queries this role is offered: read queries of the console groups
        whose `requires:` the role meets (plumbing is offered to nobody)."""
        if not self.can(Permission.RUN_LIBRARY_QUERIES):
            return {}
        return {n: q for n, q in default_library().items()
                if q.mode == "read" and q.group.split("/")[0] in CONSOLE_GROUPS
                and requirement_refusal(self.user, q.requires, purpose="-") is None}

    def library_query(self, name: str, params: dict[str, Any] | None = None,
                      purpose: str | None = None, case_ref: str | None = None,
                      query_id: str | None = None) -> QueryResult:
        """A saved query from `cypher/` (console read queries only)."""
        params = dict(params or {})

        def run() -> QueryResult:
            q = get_query(name)
            if q.mode != "read" or q.group.split("/")[0] not in CONSOLE_GROUPS:
                raise PermissionDenied(f"query {name!r} is internal plumbing "
                                       f"({q.group or 'top'}, {q.mode}); it is not offered "
                                       "on the console")
            refusal = requirement_refusal(self.user, q.requires,
                                          purpose=purpose or self.purpose or case_ref
                                          or self.case_ref)
            if refusal:
                raise PermissionDenied(f"query {name!r}: {refusal}")
            result = self._store().read_cypher(q.text_for(self._store().dialect), params,
                                               self.row_cap, self.timeout_s, query_id)
            result.rows = self.redact(result.rows)
            return result

        return self._consult("query", Permission.RUN_LIBRARY_QUERIES,
                             {"name": name, "params": params}, run,
                             lambda r: len(r.rows), purpose, case_ref)

    def free_cypher(self, text: str, params: dict[str, Any] | None = None,
                    purpose: str | None = None, case_ref: str | None = None,
                    query_id: str | None = None) -> QueryResult:
        """The user's own Cypher: guard, classification, read-only, row cap, time-out."""
        params = dict(params or {})

        def run() -> QueryResult:
            assert_read_only(text)
            check_classified(text, self.user)
            result = self._store().read_free_cypher(text, params, self.row_cap,
                                                     self.timeout_s, query_id)
            result.rows = self.redact(result.rows)
            return result

        detail = {"cypher": text, "params": params}
        return self._consult("query", Permission.RUN_FREE_CYPHER, detail, run,
                             lambda r: len(r.rows), purpose, case_ref)

    # -- entities -------------------------------------------------------------------
    def search(self, text: str, limit: int = 25) -> list[Any]:
        from graphfraud.explore import search_entities

        return self._consult("search", Permission.SEARCH_ENTITIES, {"text": text},
                             lambda: search_entities(self._store(), text, limit), len)

    def _view(self, what: dict[str, Any], fn: Callable[[], Any]) -> Any:
        """An explorer view, audited once: `view_person` (with its purpose) when it holds
        persons, else `view_entity`; persons and visible Wpg data need the role's
        purpose where the role table asks for one."""
        from graphfraud.explore.graph import label_of
        from graphfraud.model.schema import INVESTIGATION, withheld_labels
        from graphfraud.security.roles import may_see

        wpg_labels = withheld_labels(INVESTIGATION)
        try:
            self._require(Permission.SEARCH_ENTITIES)
            sg = fn()
            labels = [label_of(n) for n in sg.nodes.values()]
            persons = labels.count("Person")
            wpg = sum(lb in wpg_labels for lb in labels) if may_see(
                self.user, INVESTIGATION) else 0
            p, c = self._purpose(Permission.SEARCH_ENTITIES, None, None)
            if persons:
                self._require(Permission.VIEW_PERSONS)
                p, c = self._purpose(Permission.VIEW_PERSONS, None, None)
            if wpg:
                p, c = self._purpose(Permission.VIEW_WPG, None, None)
        except PermissionError as exc:
            self.record("view_entity", {**what, "refused": str(exc)}, 0, outcome="refused")
            raise
        except Exception as exc:
            self.record("view_entity", {**what, "error": f"{type(exc).__name__}: {exc}"[:500]},
                        0, outcome="failed")
            raise
        self.record("view_person" if persons else "view_entity",
                    {**what, "persons": persons, "wpg": wpg}, len(sg), p, c)
        return sg

    def neighbourhood(self, centre: dict[str, Any], cap: int, mode: str = "aggregate",
                      only_label: str | None = None) -> Any:
        from graphfraud.explore import label_of, neighbourhood_of_node
        from graphfraud.explore.graph import key_of

        what = {"label": label_of(centre), "key": key_of(centre), "only": only_label}
        return self._view(what, lambda: neighbourhood_of_node(
            self._store(), centre, cap, mode, only_label))

    def open_entity(self, label: str, key: str, cap: int, mode: str = "aggregate") -> Any:
        """The neighbourhood of the entity `label`/`key` (a deep link names it so)."""
        from graphfraud.explore import neighbourhood

        return self._view({"label": label, "key": key, "link": True},
                          lambda: neighbourhood(self._store(), label, key, cap, mode))

    def expand(self, sg: Any, node_id: str, cap: int, mode: str = "aggregate",
               rel_type: str | None = None) -> Any:
        from graphfraud.explore import expand

        return self._view({"expand": node_id, "via": rel_type},
                          lambda: expand(self._store(), sg, node_id, cap, mode,
                                         rel_type=rel_type))

    def path(self, kind: str, a: str, b: str, max_hops: int, into: Any = None) -> Any:
        """A shortest or time-respecting path; its nodes (and so its steps) redacted.
        With `into` (the explorer's view, like `expand`'s), the path's nodes and edges
        the view lacks are added to it, so the path can be drawn in place."""
        from graphfraud.explore import shortest_path, time_respecting_path
        from graphfraud.explore.graph import Subgraph

        fn = shortest_path if kind == "shortest" else time_respecting_path
        res = self._consult("view_entity", Permission.SEARCH_ENTITIES,
                            {"path": kind, "from": a, "to": b},
                            lambda: fn(self._store(), a, b, max_hops=max_hops),
                            lambda r: 0 if r is None else len(r.node_ids))
        if res is not None:
            if into is not None:
                into.merge(Subgraph.from_dict(res.subgraph.to_dict()))
            res.subgraph = self.redact_subgraph(res.subgraph)
        return res

    def timeline(self, centre: dict[str, Any]) -> list[dict[str, Any]]:
        """Dated events around a node; events of a withheld class (a tip, a seizure, or
        reached through one) are counted, not shown."""
        from graphfraud.explore import timeline_of_node
        from graphfraud.security.workbench import _withhold

        rows = self._consult("view_entity", Permission.SEARCH_ENTITIES,
                             {"timeline": str(centre.get("_id"))},
                             lambda: [e.to_row() for e in
                                      timeline_of_node(self._store(), centre)], len)
        return _withhold(self, rows)

    def risk(self, node_ids: list[str],
             keys: dict[str, tuple[str, str]] | None = None) -> dict[str, float]:
        """Scores per node id (numbers only; part of a view already audited): the highest
        score of the latest run's findings that touch it. The graph's (:Finding) index
        says which findings touch a node, the run file what they score; `keys` (node id
        -> (label, key)) adds, for roles that see findings, those whose subjects name it
        past the index's cap."""
        from graphfraud.explore.findings import findings_touching, node_risk
        from graphfraud.security.run_cache import latest_run

        self._require(Permission.SEARCH_ENTITIES)
        touching = findings_touching(self._store(), node_ids)
        return node_risk(touching, latest_run(self.settings), keys,
                         self.findings_risk() if keys else None)

    def rel_type_counts(self, node_ids: list[str]) -> dict[str, list[tuple[str, int]]]:
        """Per node id, its relationship types with counts (numbers only, of nodes in a
        view already audited): the node menu's "Expand by"."""
        from graphfraud.explore.neighbourhood import rel_type_counts

        self._require(Permission.SEARCH_ENTITIES)
        return rel_type_counts(self._store(), node_ids)

    def view_person(self, person_id: str, purpose: str | None = None,
                    case_ref: str | None = None) -> list[dict[str, Any]]:
        """A person's record: only for roles that may, and only with a stated purpose."""
        rows = self._consult("view_person", Permission.VIEW_PERSONS,
                             {"person_id": person_id},
                             lambda: self._store().run("person_by_id",
                                                       {"person_id": person_id}),
                             len, purpose or "", case_ref)
        return self.redact(rows)

    # -- aggregates -----------------------------------------------------------------
    def aggregate(self, name: str, params: dict[str, Any] | None = None) -> list[Any]:
        """Counts from a named aggregate query (every role with view_aggregates)."""
        if name not in AGGREGATES:
            raise PermissionDenied(f"{name!r} is not an aggregate query")
        return self.redact(self._consult("query", Permission.VIEW_AGGREGATES, {"name": name},
                                         lambda: self._store().run(name, params or {}), len))

    def eps_shares(self) -> list[Any]:
        """EPS shares per year and municipality (aggregates: every role may)."""
        from graphfraud.explore.eps_shares import estimate_shares

        return self._consult("query", Permission.VIEW_AGGREGATES, {"name": "eps_shares"},
                             lambda: estimate_shares(self._store().stream("eps_counts")), len)

    def share_rows(self) -> list[dict[str, Any]]:
        from dataclasses import asdict

        return [asdict(e) for e in self.eps_shares()]

    def municipality_points(self) -> dict[str, dict[str, Any]]:
        rows = self.aggregate("explorer_municipality_points")
        return {str(r["municipality"]): r for r in rows}

    def latest_run_info(self) -> RunSummary | None:
        """The latest detect run's metadata and its number of findings (no findings)."""
        from graphfraud.security.run_cache import latest_run

        self._require(Permission.VIEW_AGGREGATES)
        doc = latest_run(self.settings)
        if doc is None:
            return None
        return RunSummary(doc.run, doc.dataset, doc.generated_at, len(doc.findings))

    def findings_aggregates(self) -> dict[str, Any]:
        """Counts only: findings per municipality and kind, per kind, decisions per day."""
        from collections import Counter

        from graphfraud.explore.findings import findings_of, per_municipality
        from graphfraud.security.run_cache import latest_run

        self._require(Permission.VIEW_AGGREGATES)
        found = findings_of(latest_run(self.settings))
        days = Counter((str(d.get("time", ""))[:10], str(d.get("decision")))
                       for d in load_decisions(self.settings).values())
        return {"per_municipality": per_municipality(found),
                "per_kind": dict(Counter(str(f.kind) for f in found)),
                "decisions": [{"day": k[0], "decision": k[1], "count": n}
                              for k, n in sorted(days.items())]}

    @property
    def dialect(self) -> str:
        return self._store().dialect

    # -- findings -------------------------------------------------------------------
    def findings(self) -> FindingsDocument | None:
        """The latest detect run as this role may see it (see `redact_findings`),
        redacted once per run version and role (`run_cache.derived`): a frozen record
        shared between pages and runs."""
        from graphfraud.security.run_cache import derived, latest_run

        self._require(Permission.VIEW_FINDINGS)

        def make() -> FindingsDocument | None:
            doc = latest_run(self.settings)
            return None if doc is None else redact_findings(doc, self)

        return derived(self.settings, f"findings:{self._secret_tag()}", str(self.user.role),
                       make)

    def _secret_tag(self) -> str:
        """Which pseudonym key redacted a cached document (a new key: new pseudonyms)."""
        import hashlib

        return hashlib.sha256(self._secret).hexdigest()[:12]

    def findings_risk(self) -> dict[tuple[str, str], float]:
        """(label, key) -> highest score of the latest run's findings that concern it
        (empty for a role that may not see findings); once per run version and role."""
        from graphfraud.explore.findings import risk_by_key
        from graphfraud.security.run_cache import derived

        if not self.can(Permission.VIEW_FINDINGS):
            return {}
        return derived(self.settings, f"risk:{self._secret_tag()}", str(self.user.role),
                       lambda: risk_by_key(self.findings()))

    def finding_subgraph(self, finding: Finding) -> Any:
        """A finding's subjects, evidence and ties; a role that may not see investigation
        data gets no tip or seizure brought in as a tie (its refs are gone already)."""
        from graphfraud.explore.findings import finding_subgraph
        from graphfraud.model.schema import INVESTIGATION, withheld_labels
        from graphfraud.security.roles import may_see

        skip = () if may_see(self.user, INVESTIGATION) else tuple(
            sorted(withheld_labels(INVESTIGATION)))
        sg = self._consult("view_entity", Permission.VIEW_FINDINGS,
                           {"finding_id": str(finding.id)},
                           lambda: finding_subgraph(self._store(), finding, skip=skip), len)
        return self.redact_subgraph(sg)

    def decisions(self) -> dict[str, dict[str, Any]]:
        """The latest decision per finding id (reasons only for roles that decide)."""
        self._require(Permission.VIEW_FINDINGS)
        out = load_decisions(self.settings)
        if not self.can(Permission.DECIDE_FINDINGS):
            out = {k: {"decision": v.get("decision"), "time": v.get("time")}
                   for k, v in out.items()}
        return out

    def decide_finding(self, finding_id: str, decision: str, reason: str,
                       case_ref: str | None = None, run_id: str | None = None,
                       kind: str | None = None) -> dict[str, Any]:
        """Mark a finding as a case or dismiss it, with a reason: the one writer of
        `decisions.jsonl` (audited first, then kept)."""
        if decision not in DECISIONS:
            raise ValueError(f"decision must be one of {DECISIONS}, not {decision!r}")
        if not (reason or "").strip():
            raise ValueError("a decision needs a reason")
        entry = {"finding_id": str(finding_id), "run_id": run_id, "kind": kind,
                 "decision": decision, "reason": reason.strip(),
                 "case_ref": (case_ref or "").strip() or None,
                 "user": self.user.username, "role": str(self.user.role),
                 "time": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")}

        def keep() -> dict[str, Any]:
            _append_line(decisions_path(self.settings), entry)
            return entry

        return self._consult("finding_decision", Permission.DECIDE_FINDINGS,
                             {"finding_id": entry["finding_id"], "run_id": run_id,
                              "decision": decision}, keep, lambda _e: 1,
                             purpose=reason.strip(), case_ref=entry["case_ref"])

    # -- exports --------------------------------------------------------------------
    def export(self, what: str, fmt: str, rows: int, purpose: str | None = None) -> None:
        """Record one export (what, format, rows, purpose); refuses roles without the
        export right. Call it when the file is handed over (a download's click)."""
        self._consult("export", Permission.EXPORT, {"what": what, "format": fmt},
                      lambda: None, lambda _r: rows, purpose)

    def record_export(self, what: str, rows: int) -> None:
        self.export(what, "file", rows)


#: Named queries that return counts only, for `Session.aggregate`.
AGGREGATES = frozenset({"count_by_label", "count_by_type", "data_label_counts",
                        "data_relationship_counts", "explorer_delivery_counts",
                        "explorer_nodes_per_delivery", "explorer_municipality_points"})


def redact_findings(doc: FindingsDocument, session: Session) -> FindingsDocument:
    """A findings document for the session's role (new records; the shared one stays).
    Roles without `view_persons` get pseudonyms for persons, no addresses, no titles or
    evidence text that could name them; roles that may not see investigation data get no
    Tip/Seizure references."""
    from graphfraud.model.schema import INVESTIGATION
    from graphfraud.security.roles import may_see

    hide_persons = not session.can(Permission.VIEW_PERSONS)
    hide_wpg = not may_see(session.user, INVESTIGATION)
    withheld_prefixes = ("Tip:", "Seizure:", "TIP-", "SZ-") if hide_wpg else ()

    def reason(r: Reason, personal: set[str]) -> Reason:
        refs = [str(x) for x in r.refs]
        evidence = r.evidence
        if hide_persons:
            refs = [x for x in refs if x not in personal
                    and not x.startswith(("Person:", "Address:", "P-0", "PER-"))]
            if any(p and p in str(evidence or "") for p in personal) or evidence:
                evidence = f"{r.signal} (details for investigators)"
        if withheld_prefixes:
            hidden = [x for x in refs if x.startswith(withheld_prefixes)]
            refs = [x for x in refs if x not in hidden]
            if hidden:
                evidence = f"{r.signal}: investigation (Wpg) data withheld"
        return replace(r, refs=tuple(refs), evidence=evidence)

    def finding(f: Finding) -> Finding:
        personal = {str(x) for x in f.subject_ids("persons")} | {
            str(x) for x in f.subject_ids("addresses")}
        subjects, title = dict(f.subjects), f.title
        if hide_persons:
            for key in ("persons", "addresses"):
                subjects.setdefault(key, ())
            subjects["persons"] = tuple(
                session.redact([{"person_id": p}])[0].get("person_id", "")
                for p in f.subject_ids("persons"))
            subjects["addresses"] = ()
            title = _title_without(str(f.title or ""), personal) or \
                f"{str(f.kind or 'finding').replace('_', ' ')} {f.id}"
        return replace(f, subjects=subjects, title=title,
                       reasons=tuple(reason(r, personal) for r in f.reasons))

    return replace(doc, findings=tuple(finding(f) for f in doc.findings))


def _title_without(title: str, personal: set[str]) -> str:
    """A finding's title with its person ids and address keys taken out, so a role
    without `view_persons` still reads what the finding is about ("industrial unit in
    Maastricht", "consignee Kade Import Export B.V.": register names stay)."""
    for value in sorted(personal, key=len, reverse=True):
        if value:
            title = title.replace(value, "")
    return " ".join(title.split())


def load_decisions(settings: Settings) -> dict[str, dict[str, Any]]:
    """The latest decision per finding id, from `decisions.jsonl`."""
    from graphfraud.explore.findings import load_decisions as read_decisions

    return read_decisions(settings.home)


def _append_line(path: Path, entry: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = (json.dumps(entry, ensure_ascii=True, sort_keys=True) + "\n").encode("ascii")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        if os.write(fd, data) != len(data):
            raise OSError(f"short write to {path}")
        os.fsync(fd)
    finally:
        os.close(fd)


# --- issue #18 part B: the workbench's timeline, search, history, cancel and admin -------
def _fold_workbench() -> None:
    """Fold `graphfraud.security.workbench` into Session (one Session for every page)."""
    from graphfraud.security.workbench import WorkbenchSessionMixin

    for name, fn in vars(WorkbenchSessionMixin).items():
        if callable(fn) and not name.startswith("__"):
            setattr(Session, name, fn)


_fold_workbench()
