"""Cases: the case list (counts only for roles without case access), a new case from a
finding of the latest run or empty, and one case's findings, notes, status, members,
saved views and report downloads. Everything through the signed-in user's Session."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from graphfraud.cases.model import STATUSES, CaseError
from graphfraud.cases.routing import case_in_url, preselect
from graphfraud.detect.records import FindingsDocument
from graphfraud.security import Permission
from graphfraud.ui import common

sess = common.need(st.session_state.get("gf_session"), Permission.VIEW_CASE_COUNTS)
st.header("GraphFraud — Cases")
if not sess.can(Permission.VIEW_CASES):
    st.subheader("Cases per status (counts)")
    with common.friendly_errors("counting cases"):
        counts = sess.case_counts()
    st.dataframe(pd.DataFrame([{"status": k, "cases": v} for k, v in counts.items()]),
                 hide_index=True)
    st.stop()

# The open case lives in the URL, `/cases?case=<reference>`: a reload, a bookmark or a
# shared link opens it again, and "Open case" shows the new case whatever the "Open" box
# held before. `?from_finding=F-…` (the Findings page's link) preselects that finding.
ss, qp = st.session_state, st.query_params
common.purpose_input(sess, key="case_purpose")
st.subheader("New case")
doc = sess.findings() or FindingsDocument()
options = ["(empty case)"] + [f"{f.id} · {f.kind} · {f.score:.3f}" for f in doc.findings]
from_finding = qp.get("from_finding")
if from_finding and from_finding != ss.get("case_from_linked"):
    ss["case_from_linked"] = from_finding
    linked = preselect(options, from_finding)
    if linked is None:
        st.warning(f"Finding {from_finding!r} is not in the latest run.")
    else:
        ss["case_from"] = linked
with st.form("case_new"):
    ref = st.text_input("Reference (OM or FIOD number)", key="case_ref")
    title = st.text_input("Title", key="case_title")
    pick = st.selectbox("From finding", options, key="case_from")
    if st.form_submit_button("Open case"):
        finding = None if pick == options[0] else doc.findings[options.index(pick) - 1]
        try:
            made = sess.create_case(ref, title, finding=finding, run=doc.run)
            qp["case"] = made.reference  # the "Open" box below follows the URL
            st.success(f"Case {made.reference} opened ({made.case_id})")
        except (CaseError, PermissionError) as exc:
            st.error(str(exc))

status = st.selectbox("Status", ["all", *STATUSES], key="case_status_filter")
with common.friendly_errors("listing cases"):
    rows = sess.cases(None if status == "all" else status)
if not rows:
    st.info("No cases yet.")
    st.stop()
st.dataframe(pd.DataFrame(rows)[["reference", "title", "status", "owner", "findings",
                                 "notes", "updated_at"]], hide_index=True)
ids = [r["case_id"] for r in rows]
label = {r["case_id"]: f"{r['reference']} · {r['title']}" for r in rows}
reference = {r["case_id"]: r["reference"] for r in rows}
wanted = qp.get("case")
shown = case_in_url(rows, wanted, ss.get("case_pick"))
if wanted and reference[shown] != wanted:
    st.info(f"Case {wanted!r} is not in this list (another status, or no such case).")
ss["case_pick"] = shown  # before the box: it shows the URL's case, not its old state
qp["case"] = reference[shown]


def _to_url() -> None:
    qp["case"] = reference[ss["case_pick"]]


chosen = st.selectbox("Open", ids, format_func=label.__getitem__, key="case_pick",
                      on_change=_to_url)
with common.friendly_errors("opening the case"):
    got = sess.case(chosen)
case = got["case"]
st.subheader(f"{case.reference} — {case.title}")
st.write(f"Status **{case.status}** · owner {case.owner} · members "
         f"{', '.join(case.members) or '-'} · opened {case.created_at}")
if got["findings"]:
    st.dataframe(pd.DataFrame([{"finding": f.finding_id, "kind": f.kind,
                                "score": round(f.score, 3), "run": f.run_id}
                               for f in got["findings"]]), hide_index=True)
st.markdown("**Notes**")
for n in got["notes"]:
    on = f" on {n.target}" if n.target else ""
    what = n.text if n.kind == "note" else f"status {n.from_status} → {n.to_status}: {n.text}"
    st.markdown(f"- {n.created_at} · {n.author}{on}: {what}")
with st.form("case_note"):
    text = st.text_area("Note", key="case_note_text")
    target = st.text_input("On (Label:key of an entity, empty for the case)",
                           key="case_note_on")
    if st.form_submit_button("Add note"):
        try:
            sess.add_case_note(chosen, text, target)
            st.rerun()
        except (CaseError, PermissionError) as exc:
            st.error(str(exc))
with st.form("case_move"):
    to = st.selectbox("New status", STATUSES, key="case_to")
    reason = st.text_input("Reason", key="case_reason")
    if st.form_submit_button("Change status"):
        try:
            sess.set_case_status(chosen, to, reason)
            st.rerun()
        except (CaseError, PermissionError) as exc:
            st.error(str(exc))
if got["findings"] and st.button("Save the findings' network as a view", key="case_save_view"):
    from graphfraud.explore.graph import key_of, label_of
    from graphfraud.report.content import layout

    with common.friendly_errors("saving the view"):
        nodes: dict[str, dict] = {}
        edges: list[tuple[str, str, str]] = []
        for lf in got["findings"]:
            sg = sess.finding_subgraph(lf.finding)
            nodes.update(sg.nodes)
            edges += [(str(e["_start"]), str(e["_end"]), str(e.get("_type")))
                      for e in sg.edges.values()]
        order = sorted(nodes, key=lambda i: (label_of(nodes[i]), key_of(nodes[i]) or "", i))
        pos = layout([(i, label_of(nodes[i])) for i in order], edges)
        saved = sess.save_case_view(chosen, {
            "name": f"network of {len(got['findings'])} finding(s)",
            "nodes": [{"id": i, "label": label_of(nodes[i]), "key": key_of(nodes[i]) or "",
                       "x": pos[i][0], "y": pos[i][1]} for i in order],
            "filters": {}})
    st.success(f"View {saved.view_id} saved ({len(saved.nodes)} nodes)")
    got = sess.case(chosen)
if got["views"]:
    st.markdown("**Saved views**: " + ", ".join(f"{v.name} ({len(v.nodes)} nodes)"
                                                for v in got["views"]))
c1, c2 = st.columns(2)
if c1.button("Prepare the report", key="case_report"):
    with common.friendly_errors("making the report"):
        st.session_state["case_pdf"] = (chosen, sess.case_report(chosen, "pdf"))
        st.session_state["case_html"] = (chosen, sess.case_report(chosen, "html"))
pdf, html = st.session_state.get("case_pdf"), st.session_state.get("case_html")
if pdf and pdf[0] == chosen and html:
    c1.download_button("Download PDF", pdf[1], f"{case.reference}.pdf", "application/pdf",
                       key="case_pdf_dl")
    c2.download_button("Download HTML", html[1], f"{case.reference}.html", "text/html",
                       key="case_html_dl")
