"""Diversion by product: what destination type 8 and changes of destination mean depends
on what moves, and exports that never close.

EMCS allows destination type 8 (consignee unknown at dispatch) for energy products only:
gas oil to farms and contractors is routine. For tobacco it is a red flag. An export
(type 6) closes with a report of export; tobacco that left a tax warehouse 'for export'
and was never reported out, or was closed by hand, likely never left.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from graphfraud.detect.inputs import DetectionInputs
from graphfraud.detect.scoring import Finding, Reason, trader_location

#: statuses of an export e-AD that was not closed by a report of export
OPEN_EXPORT = frozenset({"accepted", "exporting", "manually_closed"})


def energy_only(m: dict[str, Any]) -> bool:
    """Every line of the e-AD is an energy product (EMCS excise product codes E…)."""
    epcs = m.get("epcs") or []
    return bool(epcs) and all(str(e).startswith("E") for e in epcs)


def legal_type_8(m: dict[str, Any]) -> bool:
    """Destination type 8 is allowed for the product: energy products only."""
    return m.get("destination_type") == "8" and energy_only(m)


def _days(earlier: str | None, later: str | None) -> int | None:
    try:
        return (dt.date.fromisoformat(str(later)[:10])
                - dt.date.fromisoformat(str(earlier)[:10])).days
    except (TypeError, ValueError):
        return None


def unclosed_export_findings(inputs: DetectionInputs, suspended: list[dict[str, Any]],
                             weights: dict[str, float], thresholds: dict[str, float],
                             ) -> list[Finding]:
    """Per consignor: 2+ export e-ADs (type 6) of excise goods other than energy still open
    `export_close_days` after dispatch (no report of export), or closed by hand; with how
    many of them changed destination on the way."""
    now = inputs.latest_date
    limit = thresholds["export_close_days"]
    open_by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in suspended:
        if m.get("destination_type") != "6" or energy_only(m) or not m.get("consignor"):
            continue
        status = m.get("status") or "accepted"
        age = _days(m.get("dispatched_at"), now)
        if status == "manually_closed" or (status in OPEN_EXPORT and not m.get("received_at")
                                           and age is not None and age > limit):
            open_by[m["consignor"]].append(m)
    out = []
    for consignor, ms in sorted(open_by.items()):
        if len(ms) < 2:
            continue
        arcs = sorted(m["arc"] for m in ms)
        by_hand = sum(1 for m in ms if m.get("status") == "manually_closed")
        reasons = [Reason("export_never_closed", weights["export_never_closed"],
                          f"{len(ms)} export e-AD(s) never closed by a report of export "
                          f"({len(ms) - by_hand} open over {limit:g} days after dispatch, "
                          f"{by_hand} closed by hand)", tuple(f"Movement:{a}" for a in arcs[:6]))]
        changed = sorted(m["arc"] for m in ms if (m.get("destination_changes") or 0) >= 1)
        if changed:
            reasons.append(Reason("export_after_destination_changes",
                                  weights["export_after_destination_changes"],
                                  f"{len(changed)} of them became an export by a change of "
                                  "destination", tuple(f"Movement:{a}" for a in changed[:6])))
        t = inputs.trader.get(consignor, {})
        finding = Finding("diversion", f"Trader:{consignor}",
                          f"consignor {t.get('name', consignor)}: exports that never close",
                          reasons, {"traders": [consignor], "movements": arcs[:50],
                                    "addresses": [t["address_key"]] if t.get("address_key")
                                    else []}, trader_location(t))
        if finding.score >= thresholds["min_score"]:
            out.append(finding)
    return out
