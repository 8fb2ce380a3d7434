"""The one way an address reads to a person: "street number, postcode city"."""

from __future__ import annotations

import pytest

from graphfraud.model.addresses import address_line, address_line_of


@pytest.mark.parametrize("args,text", [
    (("Industrieweg", "55A", "6211VR", "Maastricht"), "Industrieweg 55A, 6211VR Maastricht"),
    (("Markt", "2", None, "Venlo"), "Markt 2, Venlo"),
    ((None, None, None, None, "6211VR|2"), "number 2, 6211VR"),
    ((None, None, None, "Maastricht", "6211VR|2"), "number 2, 6211VR Maastricht"),
    (("Markt", None, None, None, "6211VR|2"), "Markt 2, 6211VR"),
    ((), ""),
])
def test_address_line(args, text):
    assert address_line(*args) == text
    assert "|" not in address_line(*args)


def test_address_line_of_a_row_with_a_prefix():
    row = {"to_street": "Havenweg", "to_house_number": "3", "to_postcode": "6221AA",
           "to_city": "Maastricht", "to_address_key": "6221AA|3"}
    assert address_line_of(row, "to_") == "Havenweg 3, 6221AA Maastricht"
