"""The Session's case methods (a mixin, so the Session class gains them with one line).

Every read and change goes through `Session._consult`: the role table's permission
first, then one audit record with the case reference as its case_ref, before the
result is handed back. Changes are for the case's owner and members only."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from graphfraud.cases import graph
from graphfraud.cases.alert_session import AlertSessionMixin
from graphfraud.cases.model import (
    Case,
    CaseError,
    LinkedFinding,
    Note,
    SavedView,
    ViewNode,
    check_transition,
    subjects_of,
)
from graphfraud.detect.records import Finding, FindingsDocument, RunInfo
from graphfraud.security.roles import Permission, PermissionDenied


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class CaseSessionMixin(AlertSessionMixin):
    """Cases through the Session: create, list, show, notes, status, members, views."""

    # -- reads ------------------------------------------------------------------------
    def case_counts(self) -> dict[str, int]:
        """Cases per status: all a manager sees of them."""
        return self._consult("case_counts", Permission.VIEW_CASE_COUNTS, {},  # type: ignore[attr-defined]
                             lambda: graph.case_counts(self._store()),  # type: ignore[attr-defined]
                             lambda r: sum(r.values()))

    def cases(self, status: str | None = None, mine: bool = False) -> list[dict[str, Any]]:
        user = self.user.username if mine else None  # type: ignore[attr-defined]
        return self._consult("case_list", Permission.VIEW_CASES,  # type: ignore[attr-defined]
                             {"status": status, "mine": mine},
                             lambda: graph.list_cases(self._store(), status, user), len)  # type: ignore[attr-defined]

    def _get_case(self, case_id: str) -> Case:
        case = graph.get_case(self._store(), case_id)  # type: ignore[attr-defined]
        if case is None:
            raise CaseError(f"no case {case_id!r}")
        return case

    def case(self, case_id: str) -> dict[str, Any]:
        """A case with its notes, saved views, linked findings and entities."""
        st = lambda: self._store()  # noqa: E731  # type: ignore[attr-defined]

        def read() -> dict[str, Any]:
            case = self._get_case(case_id)
            return {"case": case, "notes": graph.notes(st(), case_id),
                    "views": graph.views(st(), case_id),
                    "findings": graph.findings(st(), case_id),
                    "entities": graph.entities(st(), case_id)}

        return self._consult("case_view", Permission.VIEW_CASES,  # type: ignore[attr-defined]
                             {"case_id": case_id}, read, lambda r: len(r["findings"]),
                             case_ref=self._ref(case_id))

    def _ref(self, case_id: str) -> str | None:
        try:
            case = graph.get_case(self._store(), case_id)  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - the audit record names the id anyway
            return None
        return case.reference if case else None

    # -- changes ----------------------------------------------------------------------
    def _change(self, action: str, case_id: str, detail: dict[str, Any], fn: Any) -> Any:
        def run() -> Any:
            case = self._get_case(case_id)
            if not case.may_work(self.user.username):  # type: ignore[attr-defined]
                raise PermissionDenied(f"user {self.user.username!r} is neither the owner "  # type: ignore[attr-defined]
                                       f"nor a member of case {case.reference!r}")
            return fn(case)

        return self._consult(action, Permission.WORK_CASES,  # type: ignore[attr-defined]
                             {"case_id": case_id, **detail}, run, lambda _r: 1,
                             case_ref=self._ref(case_id))

    def create_case(self, reference: str, title: str, members: tuple[str, ...] = (),
                    finding: Finding | None = None, run: RunInfo | None = None,
                    view: dict[str, Any] | None = None) -> Case:
        """A new case: empty, from a finding (with its run) or from an explorer view
        (`{"name", "nodes": [ViewNode fields], "filters"}`)."""
        reference, title = (reference or "").strip(), (title or "").strip()
        if not reference or not title:
            raise CaseError("a case needs a reference (OM or FIOD number) and a title")
        me = self.user.username  # type: ignore[attr-defined]
        stamp = now()
        case = Case(f"CASE-{uuid.uuid4().hex[:10]}", reference, title, "open", me,
                    sorted({m for m in members if m and m != me}), stamp, stamp, me)

        def make() -> Case:
            st = self._store()  # type: ignore[attr-defined]
            if any(r["reference"] == reference for r in graph.list_cases(st)):
                raise CaseError(f"a case with reference {reference!r} exists already")
            graph.put_case(st, case)
            if finding is not None:
                self._link(st, case, finding, run or RunInfo(), stamp)
            if view is not None:
                self._save_view(st, case, view, stamp)
            return case

        source = "finding" if finding is not None else "view" if view is not None else "empty"
        return self._consult("case_create", Permission.WORK_CASES,  # type: ignore[attr-defined]
                             {"case_id": case.case_id, "from": source,
                              "finding_id": finding.id if finding else None}, make, lambda _c: 1,
                             case_ref=reference)

    def _link(self, st: Any, case: Case, finding: Finding, run: RunInfo,
              stamp: str) -> str:
        run = replace(run, changes=None)  # the finding's run, not its diff
        lf = LinkedFinding(str(finding.id), str(run.run_id or ""),
                           str(finding.kind or ""), float(finding.score or 0),
                           str(finding.title or ""), finding, run, stamp,
                           self.user.username)  # type: ignore[attr-defined]
        key = graph.link_finding(st, case.case_id, lf)
        graph.link_entities(st, case.case_id, subjects_of(finding))
        return key

    def _save_view(self, st: Any, case: Case, view: dict[str, Any], stamp: str) -> SavedView:
        have = len(graph.views(st, case.case_id))
        sv = SavedView(f"{case.case_id}-V{have + 1:03d}", str(view.get("name") or "view"),
                       [ViewNode(str(n["id"]), str(n["label"]), str(n["key"]),
                                 float(n["x"]), float(n["y"])) for n in view["nodes"]],
                       dict(view.get("filters") or {}), self.user.username, stamp)  # type: ignore[attr-defined]
        graph.save_view(st, case.case_id, sv)
        graph.link_entities(st, case.case_id, sv.keys_by_label())
        return sv

    def link_case_finding(self, case_id: str, finding: Finding, run: RunInfo) -> str:
        return self._change("case_link_finding", case_id, {"finding_id": finding.id,
                                                           "run_id": run.run_id},
                            lambda c: self._link(self._store(), c, finding, run, now()))  # type: ignore[attr-defined]

    def save_case_view(self, case_id: str, view: dict[str, Any]) -> SavedView:
        return self._change("case_save_view", case_id, {"name": view.get("name"),
                                                        "nodes": len(view["nodes"])},
                            lambda c: self._save_view(self._store(), c, view, now()))  # type: ignore[attr-defined]

    def add_case_note(self, case_id: str, text: str, target: str = "") -> Note:
        if not (text or "").strip():
            raise CaseError("a note needs text")

        def add(case: Case) -> Note:
            st = self._store()  # type: ignore[attr-defined]
            n = len(graph.notes(st, case_id))
            note = Note(f"{case_id}-N{n + 1:04d}", "note", text.strip(),
                        self.user.username, now(), target.strip())  # type: ignore[attr-defined]
            graph.add_note(st, case_id, note)
            return note

        return self._change("case_note", case_id, {"target": target}, add)

    def set_case_status(self, case_id: str, status: str, reason: str) -> Note:
        def change(case: Case) -> Note:
            check_transition(case.status, status, reason)
            st = self._store()  # type: ignore[attr-defined]
            stamp = now()
            n = len(graph.notes(st, case_id))
            note = Note(f"{case_id}-N{n + 1:04d}", "status", reason.strip(),
                        self.user.username, stamp, "", case.status, status)  # type: ignore[attr-defined]
            graph.add_note(st, case_id, note)
            case.status, case.updated_at = status, stamp
            graph.put_case(st, case)
            return note

        return self._change("case_status", case_id, {"to": status}, change)

    def set_case_members(self, case_id: str, add: tuple[str, ...] = (),
                         remove: tuple[str, ...] = (), owner: str | None = None) -> Case:
        def change(case: Case) -> Case:
            members = (set(case.members) | set(add)) - set(remove)
            if owner:
                members |= {case.owner}
                case.owner = owner
            case.members = sorted(members - {case.owner})
            case.updated_at = now()
            graph.put_case(self._store(), case)  # type: ignore[attr-defined]
            return case

        return self._change("case_members", case_id, {"add": list(add), "remove": list(remove),
                                                      "owner": owner}, change)

    def restore_case_view(self, case_id: str, view_id: str) -> tuple[Any, dict[str, tuple[float, float]]]:
        """A saved view again: its nodes (by their keys) and their positions by node id.
        Audited as an explorer view (persons in it need the investigator's purpose)."""
        from graphfraud.explore.graph import Subgraph, key_of, label_of

        got = [v for v in self.case(case_id)["views"] if v.view_id == view_id]
        if not got:
            raise CaseError(f"case {case_id!r} has no view {view_id!r}")
        view = got[0]

        def load() -> Any:
            sg = Subgraph()
            for row in self._store().run("explorer_nodes_by_keys",  # type: ignore[attr-defined]
                                         {"keys": view.keys_by_label()}):
                node = row["n"]
                sg.nodes[str(node["_id"])] = node
            return sg

        sg = self._view({"case_id": case_id, "view_id": view_id}, load)  # type: ignore[attr-defined]
        sg = self.redact_subgraph(sg)  # type: ignore[attr-defined]
        by_key = {(n.label, n.key): (n.x, n.y) for n in view.nodes}
        positions = {nid: by_key[(label_of(n), key_of(n) or "")]
                     for nid, n in sg.nodes.items() if (label_of(n), key_of(n) or "") in by_key}
        return sg, positions

    # -- the report -------------------------------------------------------------------
    def case_report(self, case_id: str, fmt: str = "pdf",
                    printed_at: str | None = None) -> bytes:
        """The case report (PDF or self-contained HTML) for this reader's role; one
        `case_export` record besides the reads it makes."""
        from graphfraud.report.content import gather
        from graphfraud.report.html import render_html
        from graphfraud.report.pdf import render_pdf
        from graphfraud.security.roles import require

        if fmt not in ("pdf", "html"):
            raise CaseError(f"report format must be pdf or html, not {fmt!r}")

        def make() -> bytes:
            require(self.user, Permission.EXPORT)  # type: ignore[attr-defined]
            rc = gather(self, case_id, printed_at)
            return render_pdf(rc) if fmt == "pdf" else render_html(rc).encode("utf-8")

        return self._consult("case_export", Permission.VIEW_CASES,  # type: ignore[attr-defined]
                             {"case_id": case_id, "format": fmt}, make, len,
                             case_ref=self._ref(case_id))

    # -- watchlists and alerts ----------------------------------------------------------
    def watch(self, label: str, key: str) -> str:
        """Watch an entity (trader, person, address, plate, phone, e-mail) by its key."""
        from graphfraud.cases.alerts import WATCHABLE, Watch

        if label not in WATCHABLE:
            raise CaseError(f"one can watch {', '.join(WATCHABLE)}, not {label!r}")
        w = Watch(self.user.username, label, key)  # type: ignore[attr-defined]

        def keep() -> str:
            self._store().upsert("upsert_watch", [{"key": w.watch_id, "props": {  # type: ignore[attr-defined]
                "username": w.username, "target_label": label, "target_key": key,
                "created_at": now()}}], extra={"source": "graphfraud watch",
                                               "delivery": w.username, "legal_basis": "derived"})
            return w.watch_id

        return self._consult("watch", Permission.VIEW_ALERTS,  # type: ignore[attr-defined]
                             {"label": label, "key": key}, keep, lambda _r: 1)

    def refresh_alerts(self, document: FindingsDocument | None = None,
                       delivery: str | None = None) -> int:
        """Raise the team's alerts for a run's changes, for a delivery's new data around
        watched entities and for new rows of watched queries; how many alerts were new."""
        return int(self.raise_alerts(document, delivery)["new"])

    def raise_alerts(self, document: FindingsDocument | None = None,
                     delivery: str | None = None, only_user: str | None = None,
                     ) -> dict[str, Any]:
        """`refresh_alerts` with its summary: `new` alerts, the `query_watches` that ran
        and a line for each watch that could not (`problems`). `only_user`: that user's
        watches, cases and alerts only (`graphfraud.cases.after` raises each watcher's
        own)."""
        from graphfraud.cases import alerts as rules
        from graphfraud.cases.query_watch import QUERY_LABEL
        from graphfraud.explore.graph import key_of, label_of

        run_id = str((document.run.run_id if document else None) or "")
        detail: dict[str, Any] = {"refresh": True, "delivery": delivery, "run_id": run_id or None,
                                  "only_user": only_user}
        mine = lambda name: only_user is None or name == only_user  # noqa: E731

        def raise_them() -> dict[str, Any]:
            st = self._store()  # type: ignore[attr-defined]
            all_watches = [r for r in st.run("watches_all") if mine(r["username"])]
            watches = [rules.Watch(r["username"], r["target_label"], r["target_key"])
                       for r in all_watches if r["target_label"] != QUERY_LABEL]
            found: list[rules.Alert] = []
            if document is not None:
                members: dict[str, list[str]] = {}
                for c in graph.list_cases(st):
                    for lf in graph.findings(st, str(c["case_id"])):
                        members.setdefault(lf.finding_id, []).extend(
                            [str(c["owner"]), *(c.get("members") or [])])
                found += rules.finding_alerts(document, watches, members)
            if delivery:
                keys: dict[str, list[str]] = {}
                for w in watches:
                    keys.setdefault(w.label, []).append(w.key)
                rows = [{"label": r["label"], "key": r["key"], "rel": r["rel"],
                         "other": f"{label_of(r['other'])}:{key_of(r['other'])}"}
                        for r in st.run("watch_touches", {"keys": keys, "delivery": delivery})]
                found += rules.touch_alerts(rows, watches, delivery)
            queried = self._query_watch_alerts(all_watches, run_id, delivery or "")  # type: ignore[attr-defined]
            found = [a for a in found + queried.alerts if mine(a.username)]
            have = {str(r["alert_id"]) for u in sorted({a.username for a in found})
                    for r in st.run("alerts_for_user", {"username": u})}
            fresh = list({a.alert_id: a for a in found if a.alert_id not in have}.values())
            st.upsert("upsert_alert", [{"key": a.alert_id, "props": {
                **{k: v for k, v in a.to_dict().items() if k != "alert_id"},
                "created_at": now(), "read": False}} for a in fresh],
                extra={"source": "graphfraud alerts", "delivery": delivery or "",
                       "legal_basis": "derived"})
            for w in queried.updated:  # after the alerts: a failed write loses no row
                self._put_query_watch(w)  # type: ignore[attr-defined]
            # the refresh's one audit record names what ran (the dict is recorded after)
            detail.update({"query_watches": [w.watch_id for w in queried.updated],
                           "problems": queried.problems})
            return {"new": len(fresh), "query_watches": len(queried.updated),
                    "problems": queried.problems}

        return self._consult("alerts", Permission.VIEW_ALERTS, detail,  # type: ignore[attr-defined]
                             raise_them, lambda r: r["new"])

    def alerts(self, username: str | None = None) -> list[dict[str, Any]]:
        """A user's own alerts (nobody reads another's)."""
        me = self.user.username  # type: ignore[attr-defined]

        def read() -> list[dict[str, Any]]:
            if username and username != me:
                raise PermissionDenied(f"user {me!r} may read only their own alerts")
            return self._store().run("alerts_for_user", {"username": me})  # type: ignore[attr-defined]

        return self._consult("alerts", Permission.VIEW_ALERTS, {"user": username or me},  # type: ignore[attr-defined]
                             read, len)
