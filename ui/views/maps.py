"""Maps and trends (managers): EPS shares by municipality and year with 95% intervals,
the national trend 2019→2021→2023, border vs. non-border, and findings per municipality.
Aggregates only: no names. Maps are points on a plain background (no tiles fetched);
set GRAPHFRAUD_TILE_URL to draw on a local tile server instead."""

from __future__ import annotations

import os

import altair as alt
import pandas as pd
import streamlit as st

from graphfraud.eps import ILLEGAL, NOT_DUTCH
from graphfraud.explore.trends import GROUPS, map_rows
from graphfraud.security import Permission
from ui import common

timer = common.Timer()
sess = common.need(st.session_state.get("gf_session"), Permission.VIEW_AGGREGATES)
st.header("GraphFraud — Maps and trends")
MEASURES = {NOT_DUTCH: "not Dutch duty-paid", ILLEGAL: "illegal (counterfeit + illicit whites)"}


def _map(df: pd.DataFrame, colour: str, size: str, tooltip: list[str]) -> alt.Chart:
    """Points at municipality positions on a plain background, Mercator projection."""
    base = alt.Chart(df).mark_circle(opacity=0.8, stroke="#333", strokeWidth=0.5).encode(
        longitude="lon:Q", latitude="lat:Q",
        color=alt.Color(f"{colour}:Q", scale=alt.Scale(scheme="orangered")),
        size=alt.Size(f"{size}:Q", legend=None, scale=alt.Scale(range=[30, 600])),
        tooltip=tooltip,
    ).project(type="mercator").properties(height=480)
    tile_url = os.environ.get("GRAPHFRAUD_TILE_URL")
    if tile_url:
        st.caption(f"Tile server configured ({tile_url}); drawing points only in this view.")
    return base


with common.friendly_errors("reading the EPS estimates"):
    shares = sess.share_rows()
    points = sess.municipality_points()
    if not shares:
        st.info("No Empty Pack Survey data loaded.")
    else:
        df = pd.DataFrame(shares)
        years = sorted(df["year"].unique().tolist())
        c1, c2 = st.columns(2)
        year = c1.selectbox("Survey year", years, index=len(years) - 1, key="m_year")
        measure = c2.selectbox("Measure", list(MEASURES), format_func=MEASURES.get,
                               key="m_measure")
        rows = map_rows(shares, points, int(year), measure)
        st.subheader(f"EPS share {MEASURES[measure]} by municipality, {year}")
        if rows:
            mdf = pd.DataFrame(rows)
            st.altair_chart(_map(mdf, "share", "packs", [
                "municipality", alt.Tooltip("share:Q", format=".1%"),
                alt.Tooltip("low:Q", format=".1%"), alt.Tooltip("high:Q", format=".1%"),
                "packs", "border"]), width="stretch")
            table = mdf[["municipality", "border", "packs", "share", "low", "high"]]
            st.dataframe(table.sort_values("share", ascending=False), hide_index=True,
                         width="stretch", column_config={
                             c: st.column_config.NumberColumn(c, format="percent")
                             for c in ("share", "low", "high")})
        st.subheader("Trend 2019 → 2021 → 2023: national, border and non-border")
        tdf = df[(df["scope"].isin(GROUPS)) & (df["measure"] == measure)]
        line = alt.Chart(tdf).mark_line(point=True).encode(
            x=alt.X("year:O"), y=alt.Y("share:Q", axis=alt.Axis(format="%")),
            color="scope:N", tooltip=["year", "scope", alt.Tooltip("share:Q", format=".1%"),
                                      alt.Tooltip("low:Q", format=".1%"),
                                      alt.Tooltip("high:Q", format=".1%"), "packs"])
        band = alt.Chart(tdf).mark_errorbar().encode(x="year:O", y="low:Q", y2="high:Q",
                                                     color="scope:N")
        st.altair_chart((band + line).properties(height=300), width="stretch")
        st.dataframe(tdf[["year", "scope", "packs", "share", "low", "high", "clusters"]],
                     hide_index=True, width="stretch")

st.subheader("Findings by municipality")
with common.friendly_errors("counting the findings"):
    agg_doc = sess.findings_aggregates()
    if not agg_doc["per_municipality"]:
        st.info("No detect run yet.")
    else:
        agg = pd.DataFrame(agg_doc["per_municipality"])
        located = agg.dropna(subset=["lat", "lon"])
        if len(located):
            st.altair_chart(_map(located, "findings", "findings",
                                 ["municipality", "kind", "findings"]), width="stretch")
        st.dataframe(agg[["municipality", "kind", "findings"]], hide_index=True,
                     width="stretch")
        kinds = pd.DataFrame([{"kind": k, "findings": n}
                              for k, n in sorted(agg_doc["per_kind"].items())])
        st.bar_chart(kinds.set_index("kind"))
        if agg_doc["decisions"]:
            st.markdown("**Cases and dismissals over time**")
            st.bar_chart(pd.DataFrame(agg_doc["decisions"]), x="day", y="count",
                         color="decision")
st.caption(f"Page built in {timer.ms():.0f} ms")
