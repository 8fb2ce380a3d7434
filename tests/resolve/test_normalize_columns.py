"""The column-wise normalisation gives the per-row functions' strings, cell by cell, on
hand-made edge values (a generated world's address columns: tests/ingest/
test_columnar_parse.py)."""

from __future__ import annotations

import pytest

from graphfraud.resolve import normalize as norm

EDGE_POSTCODES = ["1234 ab", "1234AB", " 1234-ab ", "1234.AB", "NL-1234AB", "nl1234ab",
                  "0123 AB", "1234 SA", "1234 ss", "12345", "", None, "1234\tAB", "1234\x1cAB",
                  "１２３４AB", "1234 ÅB", 1234.0, "D-10115", "NL 1234 AB", "1234 A B"]


@pytest.mark.parametrize("country", ["NL", "DE", None, "nederland"])
def test_postcodes_match_the_per_row_rule(country):
    assert norm.normalize_postcodes(EDGE_POSTCODES, country) == [
        norm.normalize_postcode(v, country) for v in EDGE_POSTCODES]
    assert norm.normalize_postcodes(["1234 ab"], "NL") == ["1234AB"]


def test_house_numbers_and_address_keys_match_the_per_row_rules():
    numbers = ["12", "12 a", "12-1", "012", "12.0", "nr. 5", "hs", "", None, "12 hs", "12/1"]
    assert norm.house_numbers(numbers) == [norm.normalize_house_number(v) for v in numbers]
    pcs = ["1234 ab", "1234AB", None, "10115", "0123 AB"] * 2
    nums = ["12", "12a", "3", "7", "1"] * 2
    ccs = ["NL", None, "NL", "DE", "NL"] * 2
    streets = ["Markt", None, "Dorpsstraat", "Hauptstr.", "X"] * 2
    assert norm.address_keys(pcs, nums, ccs, streets) == [
        norm.address_key(*r) for r in zip(pcs, nums, ccs, streets, strict=True)]
