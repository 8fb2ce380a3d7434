"""Findings (start page): the ranked findings of the latest detect run, filters, and a
detail view with the score waterfall, the evidence and the subgraph; investigators mark
a finding as a case or dismiss it with a reason (kept and audited). Managers see
aggregates only."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from graphfraud.explore import (
    NetworkStyle,
    Subgraph,
    caption_of,
    key_of,
    label_of,
    network_html,
)
from graphfraud.explore.findings import (
    KINDS,
    FindingFilter,
    decision_counts,
    entity_param,
    filter_findings,
    finding_rows,
    findings_of,
    parse_ref,
    per_municipality,
    waterfall,
)
from graphfraud.security import Permission, Role
from graphfraud.ui import common

timer = common.Timer()
sess = common.need(st.session_state.get("gf_session"), Permission.VIEW_FINDINGS)
st.header("GraphFraud — Findings")
doc = sess.findings()  # as this role may see it
if not doc:
    st.info("No detect run yet. Run `graphfraud detect` to produce findings.")
    st.stop()

run = doc.run
st.caption(f"Run {run.run_id} on {run.store} · generated {doc.generated_at}"
           f" · dataset {doc.dataset}")
findings = findings_of(doc)
decisions = sess.decisions()

with st.expander("Filters", expanded=True):
    c1, c2, c3, c4 = st.columns(4)
    kinds_present = sorted({f.kind for f in findings} | set(KINDS))
    kinds = c1.multiselect("Kind", kinds_present, key="f_kinds")
    min_score = c2.slider("Minimum score", 0.0, 1.0, 0.0, 0.05, key="f_score")
    munis = sorted({f.municipality or "" for f in findings} - {""})
    chosen = c3.multiselect("Municipality", munis, key="f_munis")
    status = c4.selectbox("Status", ["all", "open", "case", "dismissed"], key="f_status")
flt = FindingFilter(tuple(kinds), float(min_score), tuple(chosen), status)
shown = filter_findings(findings, flt, decisions)

if sess.role == Role.MANAGER:
    st.subheader("Findings by kind and municipality (aggregates)")
    agg = per_municipality(shown)
    if agg:
        st.dataframe(pd.DataFrame(agg)[["municipality", "kind", "findings"]],
                     hide_index=True, width="stretch")
    counts = decision_counts(decisions)  # KPI cards, not a raw dict on the page
    cards = [("Findings", len(shown)), ("Made a case", sum(sess.case_counts().values())),
             ("Dismissed", counts.get("dismissed", 0)),
             ("Municipalities", len({r["municipality"] for r in agg}))]
    for col, (name, value) in zip(st.columns(len(cards)), cards, strict=True):
        col.metric(name, f"{int(value):,}")
    st.caption(f"Page built in {timer.ms():.0f} ms")
    st.stop()

st.subheader(f"{len(shown)} of {len(findings)} findings")
rows = finding_rows(shown, decisions)
if not rows:
    st.info("No finding matches these filters.")
    st.stop()
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch",
             column_config={"score": st.column_config.ProgressColumn(
                 "score", min_value=0.0, max_value=1.0, format="%.2f")})

by_id = {str(f.id): f for f in shown}
# Deep link: ?finding=F-… opens that finding (and choosing one puts it in the URL).
linked = st.query_params.get("finding")
if linked and linked != st.session_state.get("f_linked"):
    st.session_state["f_linked"] = linked
    if linked in by_id:
        st.session_state["f_open"] = linked
    else:
        st.warning(f"Finding {linked!r} is not among the findings shown (another run, or "
                   "the filters leave it out).")
fid = st.selectbox("Open a finding", list(by_id),
                   format_func=lambda i: f"#{by_id[i].rank} {i} — {by_id[i].title}",
                   key="f_open")
f = by_id[fid]
st.query_params["finding"] = fid
st.session_state["f_linked"] = fid
st.subheader(f"{f.title}")
may_explore = sess.can(Permission.SEARCH_ENTITIES)
if may_explore:
    st.page_link("views/explorer.py", label="Open in explorer",
                 query_params={"from_finding": fid})
if sess.can(Permission.WORK_CASES):  # the Cases page, this finding in its "From finding"
    st.page_link("views/cases.py", label="Open a case", query_params={"from_finding": fid})
st.write(f"**{f.kind}** · score **{float(f.score or 0):.3f}** · rank "
         f"{f.rank} · {f.municipality or 'no municipality'}")

st.markdown("**Score waterfall** — each signal's part of the score")
wf = pd.DataFrame(waterfall(f))
chart = alt.Chart(wf).mark_bar().encode(
    x=alt.X("signal:N", sort=list(wf["signal"]), title=None),
    y=alt.Y("start:Q", title="score", scale=alt.Scale(domain=[0, 1])),
    y2="end:Q",
    color=alt.condition(alt.datum.signal == "score", alt.value("#d62728"),
                        alt.value("#1f77b4")),
    tooltip=["signal", alt.Tooltip("part:Q", format=".3f"), "weight", "evidence"],
).properties(height=260)
st.altair_chart(chart, width="stretch")

sg = Subgraph()
with common.friendly_errors("drawing the finding's subgraph"):
    sg = sess.finding_subgraph(f)  # audited, redacted for the role
# Evidence names what it points at (as the subgraph does); the ids stay as small code.
names = {key_of(n): caption_of(n, 60) for n in sg.nodes.values() if key_of(n)}
names.update({entity_param(label_of(n), k): c for n in sg.nodes.values()
              if (k := key_of(n)) and (c := names.get(k))})


def _named(text: str) -> str:
    for key, name in names.items():
        if key and key in text and key != name:
            text = text.replace(key, name)
    return text


st.markdown("**Evidence**")
in_graph = {(label_of(n), key_of(n)) for n in sg.nodes.values()}
for r in f.reasons:
    refs = [str(x) for x in r.refs[:12]]
    named = ", ".join(f"{names[x]} `{x}`" if x in names else f"`{x}`" for x in refs)
    st.markdown(f"- **{r.signal}** (part {float(r.part or 0):.3f}, weight "
                f"{float(r.weight or 0):.2f}): {_named(str(r.evidence))}"
                + (f" — refs: {named}" if named else ""))
    parsed = [ref for ref in (parse_ref(x, f) for x in refs) if ref and ref in in_graph]
    if parsed and may_explore:  # each ref opens its entity in the explorer
        for col, ref in zip(st.columns(min(4, len(parsed))) * 3, parsed, strict=False):
            col.page_link("views/explorer.py", label=f"{ref[0]}: {names.get(ref[1], ref[1])}",
                          query_params={"entity": entity_param(*ref)})

st.markdown("**Subgraph**")
if len(sg):
    with common.friendly_errors("drawing the finding's subgraph"):
        common.show_html(network_html(sg, style=NetworkStyle(height_px=420, png_button=False)),
                         height=470)
else:
    st.info("None of this finding's subjects are in the graph.")

state = decisions.get(fid)
if state:
    st.success(f"Decision: {state['decision']} by {state['user']} on {state['time']}"
               + (f" — {state['reason']}" if state.get("reason") else ""))
if sess.can(Permission.DECIDE_FINDINGS):
    with st.form("decide"):
        st.markdown("**Decide**")
        decision = st.radio("Decision", ["case", "dismissed"], horizontal=True,
                            format_func=lambda d: "Mark as case" if d == "case" else "Dismiss")
        reason = st.text_input("Reason")
        case_ref = st.text_input("Case reference (optional)")
        if st.form_submit_button("Save decision"):
            with common.friendly_errors("saving the decision"):
                sess.decide_finding(fid, decision, reason, case_ref or None,
                                    run.run_id, f.kind)
                st.success(f"Saved: {fid} → {decision}")
st.caption(f"Page built in {timer.ms():.0f} ms")
