"""The explorer's timeline and search panels in-process (AppTest) on the tiny world, as
an investigator sees them: every retail check of an outlet on the time axis, a range
that filters the network, address search, risk badges, click to open."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from typing import Any

from test_ui_apptest import _app, _texts


def _busiest_outlet(data: Any) -> tuple[str, list[str]]:
    """The outlet with the most retail checks in the world's CSV, and their dates."""
    with (data / "retail_checks.csv").open(encoding="utf-8") as fh:
        rows = {r["check_id"]: r for r in csv.DictReader(fh)}
    outlet, _n = Counter(r["outlet_trader_id"] for r in rows.values()).most_common(1)[0]
    return outlet, sorted(r["checked_on"] for r in rows.values()
                          if r["outlet_trader_id"] == outlet)


def _open(at: Any, text: str) -> Any:
    at.text_input(key="x_purpose").set_value("case 2023-17")
    at.text_input(key="x_query").set_value(text)
    next(b for b in at.button if b.label == "Search").click().run()
    at.button(key="x_open").click().run()
    assert not at.exception, at.exception
    return at


def test_timeline_shows_every_check_and_its_range_filters_the_network(ui_env: dict[str, Any],
                                                                      ) -> None:
    outlet, dates = _busiest_outlet(ui_env["data"])
    at = _open(_app(page="views/explorer.py"), outlet.split(":")[1])
    text = _texts(at)
    assert f"{len(dates)} retail check" in text, text
    charts = list(at.get("vega_lite_chart"))
    assert any("Timeline:" in str(getattr(c, "proto", c)) for c in charts)
    first, last = date.fromisoformat(dates[0]), date.fromisoformat(dates[-1])
    assert first < last
    at.slider(key="tl_range").set_value((first, first)).run()
    assert not at.exception, at.exception
    hidden = dates.count(dates[0])
    drawn = next(c.value for c in at.caption if "nodes drawn" in c.value)
    n_drawn, n_all = (int(x) for x in drawn.split(": ")[1].split(" nodes")[0].split(" of "))
    assert n_drawn == n_all - (len(dates) - hidden), drawn  # the other checks are gone
    assert f"{hidden} of " in _texts(at)


def test_search_by_street_address_with_risk_badge_and_click_to_open(ui_env: dict[str, Any],
                                                                    ) -> None:
    with (ui_env["data"] / "traders.csv").open(encoding="utf-8") as fh:
        t = next(r for r in csv.DictReader(fh) if r["country"] == "NL" and r["street"])
    at = _app(page="views/explorer.py")
    at.text_input(key="x_query").set_value(f"{t['street']} {t['house_number']} {t['city']}")
    next(b for b in at.button if b.label == "Search").click().run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert set(table["label"]) == {"Address"}, table
    assert "risk" in table.columns
    opens = [b for b in at.button if b.key and b.key.startswith("x_hit_")]
    assert opens, "a hit cannot be clicked"
    opens[0].click().run()
    at.text_input(key="x_purpose").set_value("case 2023-17")
    opens = [b for b in at.button if b.key and b.key.startswith("x_hit_")]
    opens[0].click().run()
    assert not at.exception, at.exception
    assert f"Network: {t['street']}" in _texts(at) or "Network:" in _texts(at)
