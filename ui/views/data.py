"""Data: what is loaded (per label, relationship type and delivery), the quarantine of
a dataset folder, and the last detect run with its metadata."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from graphfraud.security import Permission
from graphfraud.store import StoreError
from graphfraud.ui import common

timer = common.Timer()
sess = common.need(st.session_state.get("gf_session"), Permission.VIEW_AGGREGATES)
st.header("GraphFraud — Data")
s = common.settings()
st.caption(f"Store: {s.store} · home: {s.home}")



def _counts(statistics: str, full: str) -> list[dict]:
    """Counts from the engine's statistics (O(1)); where the engine does not give them
    (a Neo4j user without the statistics procedure), by reading every node/relationship."""
    try:
        return sess.aggregate(statistics)
    except StoreError:
        st.caption(f"Counted by reading the graph ({full}): the engine's statistics were "
                   "not available.")
        return sess.aggregate(full)


with common.friendly_errors("counting what is loaded"):
    labels = _counts("data_label_counts", "count_by_label")
    types = _counts("data_relationship_counts", "count_by_type")
    c1, c2 = st.columns(2)
    c1.subheader("Nodes per label")
    c1.dataframe(pd.DataFrame(labels), hide_index=True, width="stretch")
    c2.subheader("Relationships per type")
    c2.dataframe(pd.DataFrame(types), hide_index=True, width="stretch")
    if not labels:
        st.info("The graph is empty: `graphfraud ingest DIR` loads a dataset.")
    per = sess.aggregate("explorer_delivery_counts") or \
        sess.aggregate("explorer_nodes_per_delivery")
    if per:
        st.subheader("Per delivery")
        pdf = pd.DataFrame(per).pivot_table(index="label", columns="delivery",
                                            values="nodes", fill_value=0)
        st.dataframe(pdf, width="stretch")

doc = sess.latest_run_info()
st.subheader("Quarantine")
default_dir = os.environ.get("GRAPHFRAUD_DATASET", "") or str((doc.dataset if doc else "") or "")
folder = st.text_input("Dataset folder", value=default_dir, key="d_folder")
qdir = Path(folder) / ".graphfraud" / "quarantine" if folder else None
if qdir and qdir.is_dir():
    rows = []
    for path in sorted(qdir.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            reasons: dict[str, int] = {}
            for rec in csv.DictReader(fh):
                reason = rec.get("reason") or rec.get("field") or "?"
                reasons[reason] = reasons.get(reason, 0) + 1
        for reason, n in sorted(reasons.items()):
            rows.append({"file": path.name, "reason": reason, "rows": n})
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.success("No quarantined rows.")
elif folder:
    st.info(f"No quarantine folder in {folder} (nothing was quarantined, or it was not "
            "ingested from there).")

st.subheader("Last detect run")
if not doc:
    st.info("No detect run yet: `graphfraud detect`.")
else:
    run = doc.run.to_dict()
    st.write({k: run.get(k) for k in ("run_id", "started_at", "seconds", "store",
                                      "data_hash")}
             | {"dataset": doc.dataset, "findings": doc.findings})
    with st.expander("Parameters, detector versions and seeds"):
        st.json({k: run.get(k) for k in ("parameters", "detector_versions", "seeds")})
st.caption(f"Page built in {timer.ms():.0f} ms")
