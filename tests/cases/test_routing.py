"""The Cases page's URL routing (pure): the case the URL names wins over the box's last
choice, an unknown or filtered-out reference falls back to it, and a finding link picks
its option."""

from __future__ import annotations

import pytest

from graphfraud.cases.routing import case_in_url, preselect

ROWS = [{"case_id": "CASE-a", "reference": "OM-1"}, {"case_id": "CASE-b", "reference": "OM-2"},
        {"case_id": "CASE-c", "reference": "OM-3"}]


def test_the_url_case_wins_over_the_box() -> None:
    assert case_in_url(ROWS, "OM-3", "CASE-a") == "CASE-c"


def test_without_a_listed_reference_the_box_or_the_first_case() -> None:
    assert case_in_url(ROWS, None, "CASE-b") == "CASE-b"
    assert case_in_url(ROWS, "OM-9", "CASE-b") == "CASE-b"
    assert case_in_url(ROWS, "OM-9", "CASE-gone") == "CASE-a"
    assert case_in_url(ROWS, "", None) == "CASE-a"


def test_no_cases_is_refused() -> None:
    with pytest.raises(ValueError, match="no cases"):
        case_in_url([], "OM-1", None)


def test_a_finding_link_picks_its_option() -> None:
    options = ["(empty case)", "F-0001 · phoenix · 0.700", "F-0010 · factory_site · 0.500"]
    assert preselect(options, "F-0010") == options[2]
    assert preselect(options, "F-0001") == options[1]
    assert preselect(options, "F-00") is None
    assert preselect(options, None) is None
