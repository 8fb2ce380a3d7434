"""Maps and trends (managers): EPS shares by municipality and year with 95% intervals as
a choropleth on the municipality shapes shipped with the package (CBS/PDOK, no tile
server, nothing fetched), the national trend 2019→2021→2023, border vs. non-border, and
findings per municipality with a kind filter. Aggregates only: no names. Every share is
written the same way: a percentage with one decimal."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from graphfraud.explore.eps_shares import ILLEGAL, NOT_DUTCH
from graphfraud.explore.geo import ATTRIBUTION, municipality_shapes, unmapped
from graphfraud.explore.trends import GROUPS, map_rows
from graphfraud.security import Permission
from graphfraud.ui import common

timer = common.Timer()
sess = common.need(st.session_state.get("gf_session"), Permission.VIEW_AGGREGATES)
st.header("GraphFraud — Maps and trends")
MEASURES = {NOT_DUTCH: "not Dutch duty-paid", ILLEGAL: "illegal (counterfeit + illicit whites)"}
PCT = ".1%"  # one format for every share: legend, tooltip, axis and table
LABELLED = 8  # the largest places get their name on the map


SHAPES = "nl_municipalities"  # the shapes, sent once per map as a named dataset


def _choropleth(df: pd.DataFrame, field: str, title: str, legend: str, fmt: str,
                tooltip: list[Any], scheme: str = "orangered") -> dict[str, Any]:
    """`_choropleth_spec` (built once per data and title, for every manager) with the
    shapes added."""
    spec = _choropleth_spec(df, field, title, legend, fmt, tooltip, scheme)
    spec.setdefault("datasets", {})[SHAPES] = municipality_shapes()
    return spec


@st.cache_data(max_entries=32, show_spinner=False)
def _choropleth_spec(df: pd.DataFrame, field: str, title: str, legend: str, fmt: str,
                     _tooltip: list[Any], scheme: str) -> dict[str, Any]:
    """The Vega-Lite spec of municipality shapes coloured by `field` (joined by name);
    the others in grey; the largest places (by `field`'s weight column `_weight`) named.

    The shapes are a named dataset added to the spec after Altair built it: Altair walks
    every coordinate of inline values (0.2-0.3 s per layer, two layers per map), a name
    it does not walk, and the browser gets the shapes once instead of twice. Not
    validated against the schema at each run (this code builds the same structure every
    time; the maps tests check the spec)."""
    shapes = alt.NamedData(name=SHAPES,
                           format=alt.DataFormat(property="features", type="json"))
    lookup = alt.LookupData(data=alt.InlineData(values=df.to_dict("records")),
                            key="municipality", fields=[c for c in df.columns])
    base = alt.Chart(shapes).mark_geoshape(fill="#eeeeee", stroke="#ffffff",
                                           strokeWidth=0.4)
    filled = alt.Chart(shapes).mark_geoshape(stroke="#555555", strokeWidth=0.4).encode(
        color=alt.Color(f"{field}:Q", title=legend,
                        scale=alt.Scale(scheme=scheme, zero=True),
                        legend=alt.Legend(format=fmt)),
        tooltip=_tooltip,  # not hashed: fixed by `field` and `title` in this page
    ).transform_lookup(lookup="properties.name", from_=lookup).transform_filter(
        f"isValid(datum['{field}'])")
    big = df.sort_values("_weight", ascending=False).head(LABELLED)
    names = alt.Chart(alt.InlineData(values=big.to_dict("records"))).mark_text(
        fontSize=10, dy=-8, fontWeight="bold", color="#222222").encode(
        longitude="lon:Q", latitude="lat:Q", text="municipality:N")
    dots = alt.Chart(alt.InlineData(values=big.to_dict("records"))).mark_circle(
        size=18, color="#222222").encode(longitude="lon:Q", latitude="lat:Q")
    return (base + filled + dots + names).project(type="mercator").properties(
        height=560, title=alt.TitleParams(title, subtitle=ATTRIBUTION)).to_dict(validate=False)


def _pct_table(df: pd.DataFrame, cols: list[str]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """`df` with the fractions in `cols` as percentages with one decimal (as on the map:
    legend, tooltip, axis), and the column config that writes them so."""
    out = df.assign(**{c: (df[c] * 100).round(1) for c in cols}).rename(
        columns={c: f"{c} %" for c in cols})
    return out, {f"{c} %": st.column_config.NumberColumn(f"{c} %", format="%.1f")
                 for c in cols}


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
            mdf = pd.DataFrame(rows).assign(_weight=lambda d: d["packs"])
            missing = unmapped(mdf["municipality"].tolist())
            st.vega_lite_chart(spec=_choropleth(
                mdf, "share", f"EPS share {MEASURES[measure]}, {year}", "share", PCT, [
                    alt.Tooltip("municipality:N"), alt.Tooltip("share:Q", format=PCT),
                    alt.Tooltip("low:Q", title="95% low", format=PCT),
                    alt.Tooltip("high:Q", title="95% high", format=PCT),
                    alt.Tooltip("packs:Q", title="packs"), alt.Tooltip("border:N")]),
                width="stretch")
            if missing:
                st.caption("No shape for: " + ", ".join(missing) + " (listed in the table).")
            table = mdf[["municipality", "border", "packs", "share", "low", "high"]]
            table = table.assign(**{c: (table[c] * 100).round(1) for c in
                                    ("share", "low", "high")}).rename(columns={
                "share": "share %", "low": "95% low %", "high": "95% high %"})
            st.dataframe(table.sort_values("share %", ascending=False), hide_index=True,
                         width="stretch", column_config={
                             c: st.column_config.NumberColumn(c, format="%.1f")
                             for c in ("share %", "95% low %", "95% high %")})
        st.subheader("Trend 2019 → 2021 → 2023: national, border and non-border")
        tdf = df[(df["scope"].isin(GROUPS)) & (df["measure"] == measure)]
        line = alt.Chart(tdf).mark_line(point=True).encode(
            x=alt.X("year:O", title="survey year"),
            y=alt.Y("share:Q", title="share of packs", axis=alt.Axis(format=PCT)),
            color=alt.Color("scope:N", title="scope"),
            tooltip=["year", "scope", alt.Tooltip("share:Q", format=PCT),
                     alt.Tooltip("low:Q", title="95% low", format=PCT),
                     alt.Tooltip("high:Q", title="95% high", format=PCT), "packs"])
        band = alt.Chart(tdf).mark_errorbar().encode(
            x="year:O", y=alt.Y("low:Q", title="share of packs", axis=alt.Axis(format=PCT)),
            y2="high:Q", color="scope:N")
        st.altair_chart((band + line).properties(
            height=300, title=f"EPS share {MEASURES[measure]}: trend with 95% intervals"),
            width="stretch")
        trend, config = _pct_table(
            tdf[["year", "scope", "packs", "share", "low", "high", "clusters"]],
            ["share", "low", "high"])
        st.dataframe(trend, hide_index=True, width="stretch", column_config=config)

st.subheader("Findings by municipality")
with common.friendly_errors("counting the findings"):
    agg_doc = sess.findings_aggregates()
    if not agg_doc["per_municipality"]:
        st.info("No detect run yet.")
    else:
        agg = pd.DataFrame(agg_doc["per_municipality"])
        kinds = sorted(agg["kind"].dropna().unique().tolist())
        k1, k2, k3 = st.columns(3)
        k1.metric("Findings", f"{int(sum(agg_doc['per_kind'].values())):,}")
        k2.metric("Kinds", f"{len(agg_doc['per_kind'])}")
        k3.metric("Municipalities with a finding", f"{agg['municipality'].nunique():,}")
        kind = st.selectbox("Kind of finding", ["all kinds"] + kinds, key="m_kind")
        part = agg if kind == "all kinds" else agg[agg["kind"] == kind]
        per = (part.groupby("municipality", as_index=False)
               .agg(findings=("findings", "sum"), lat=("lat", "first"), lon=("lon", "first")))
        located = per.dropna(subset=["lat", "lon"]).assign(_weight=lambda d: d["findings"])
        if len(located):
            st.vega_lite_chart(spec=_choropleth(
                located, "findings", f"Findings by municipality: {kind}", "findings", "d",
                [alt.Tooltip("municipality:N"), alt.Tooltip("findings:Q")],
                scheme="purples"), width="stretch")
        st.dataframe(part[["municipality", "kind", "findings"]], hide_index=True,
                     width="stretch")
        kdf = pd.DataFrame([{"kind": k, "findings": n}
                            for k, n in sorted(agg_doc["per_kind"].items())])
        st.altair_chart(alt.Chart(kdf).mark_bar().encode(
            x=alt.X("kind:N", title="kind"), y=alt.Y("findings:Q", title="findings"),
            tooltip=["kind", "findings"]).properties(height=240, title="Findings by kind"),
            width="stretch")
        if agg_doc["decisions"]:
            ddf = pd.DataFrame(agg_doc["decisions"])
            st.altair_chart(alt.Chart(ddf).mark_bar().encode(
                x=alt.X("day:O", title="day"), y=alt.Y("count:Q", title="decisions"),
                color=alt.Color("decision:N", title="decision"),
                tooltip=["day", "decision", "count"]).properties(
                height=240, title="Cases and dismissals over time"), width="stretch")
st.caption(f"Page built in {timer.ms():.0f} ms")
