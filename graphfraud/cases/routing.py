"""Which case and which finding the Cases page opens, from its URL (pure, no Streamlit).

The open case lives in the URL (`/cases?case=<reference>`), not in the "Open" box's own
state: the browser sends a widget's last value back with every rerun, so a box keyed to
its own state could keep showing an older case after "Open case". The page puts the
case chosen here into the box before drawing it, and the box's changes into the URL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def case_in_url(rows: Sequence[Mapping[str, Any]], reference: str | None,
                current: str | None) -> str:
    """The case id to show: the case named by `reference` if it is listed, else the
    `current` one (the box's last choice) if listed, else the first. `rows` must not be
    empty (the page says "No cases yet" instead)."""
    if not rows:
        raise ValueError("no cases to choose from")
    for r in rows:
        if reference and r["reference"] == reference:
            return str(r["case_id"])
    ids = [str(r["case_id"]) for r in rows]
    return current if current in ids else ids[0]


def preselect(options: Sequence[str], finding_id: str | None) -> str | None:
    """The "From finding" option of `finding_id` (`?from_finding=<id>`), or None if the
    run has no such finding. Options read "<id> · <kind> · <score>"."""
    if not finding_id:
        return None
    return next((o for o in options if o.split(" · ", 1)[0] == finding_id), None)
