"""Value types: the strict patterns against their standard, the lenient side beside them,
and the excise-number case where the two former copies disagreed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from importlib.resources import files
from pathlib import Path

import pytest

from graphfraud.model.types import (
    FieldError,
    arc,
    codes,
    country,
    email,
    excise,
    kvk,
    phone,
    plate,
    postcode,
)

XS = "{http://www.w3.org/2001/XMLSchema}"
REPO = Path(__file__).resolve().parents[2]


def _xsd_pattern(type_name: str) -> str:
    """The `xs:pattern` of a simple type in the shipped EMCS phase 4 `types.xsd`."""
    xsd = files("graphfraud.data") / "emcs-xsd" / "V3.13" / "types.xsd"
    root = ET.fromstring(xsd.read_text(encoding="utf-8"))
    for simple in root.iter(f"{XS}simpleType"):
        if simple.get("name") == type_name:
            return simple.find(f"{XS}restriction/{XS}pattern").get("value")
    raise AssertionError(f"{type_name} not in types.xsd")


def test_excise_number_is_the_xsd_excise_number_type():
    assert excise.PATTERN.pattern == f"^{_xsd_pattern('ExciseNumberType')}$".replace(
        "a-zA-Z", "A-Za-z")


def test_cn_code_and_member_state_are_the_xsd_types():
    assert codes.CN.pattern == f"^{_xsd_pattern('CnCodeType')}$"
    assert country.PATTERN.pattern == f"^{_xsd_pattern('MemberStateCodeType')}$"


def test_journey_time_is_the_xsd_type_without_zero():
    xsd = re.compile(_xsd_pattern("JourneyTimeType"))
    every = [f"{p}{n:02d}" for p in "HD" for n in range(100)]
    ours = {v for v in every if codes.JOURNEY.fullmatch(v)}
    theirs = {v for v in every if xsd.fullmatch(v)}
    assert ours == theirs - {"H00", "D00"}  # a journey of no time is refused (data contract)


def test_an_arc_has_the_xsd_length_and_its_structure():
    assert arc.parse(" 23NL00000000000000123 ") == "23NL00000000000000123"
    for bad in ("23NL0000000000000012", "23nl00000000000000123", "2XNL00000000000000123"):
        with pytest.raises(FieldError, match="not a valid ARC"):
            arc.parse(bad)


def test_a_lower_case_excise_number_keeps_its_case_on_both_sides():
    # The XSD lets the 11 characters be lower case. The strict parse took this number as
    # it is, but the old normaliser upper-cased it into another valid number
    # ('NL0001234567A'), so a search or a match by the normalised form missed the node.
    assert excise.parse("NL0001234567a") == "NL0001234567a"
    assert excise.normalize("NL0001234567a") == "NL0001234567a"
    assert excise.normalize("nl 000 1234 567a") == "NL0001234567a"
    assert excise.find_in_text("leverancier nl0001234567a, Venlo") == "NL0001234567a"
    with pytest.raises(FieldError, match="not a valid excise number"):
        excise.parse("nl00012345678")  # strict: the member state is upper case


@pytest.mark.parametrize("raw, key", [
    ("nl 000 1234 5678", "NL00012345678"),
    ("EXC:NL00012345678", "NL00012345678"),
    ("exc:NL00012345678", "NL00012345678"),
    ("NL-0001-2345-678", "NL00012345678"),
    ("Tabak Hoesstra", None),
    ("NL0001234567", None),
])
def test_excise_number_lenient(raw: str, key: str | None):
    assert excise.normalize(raw) == key


@pytest.mark.parametrize("raw, key", [
    ("KvK 1234 5678", "12345678"), ("KVK:12345678", "12345678"), ("12.345.678", "12345678"),
    (1234567.0, "01234567"), ("123456789012", None), ("123456", None),
])
def test_kvk_lenient(raw: object, key: str | None):
    assert kvk.normalize(raw) == key


def test_kvk_strict_and_in_text():
    assert kvk.parse("12345678") == "12345678"
    with pytest.raises(FieldError, match=r"not a KvK number \(8 digits\)"):
        kvk.parse("1234 5678")
    assert kvk.find_in_text("Jansen BV, KvK-nr. 1234 5678") == "12345678"


@pytest.mark.parametrize("raw, key", [
    ("1234 ab", "1234AB"), ("NL-1234AB", "1234AB"), ("1234 SS", None), ("0123 AB", None),
])
def test_dutch_postcode_lenient(raw: str, key: str | None):
    assert postcode.normalize(raw) == key


def test_postcode_strict_and_foreign():
    assert postcode.parse_nl("1234 ab") == "1234AB"
    with pytest.raises(FieldError, match="not a Dutch postcode"):
        postcode.parse_nl("1234 SD")
    assert postcode.parse_any("d-10115") == "D-10115"
    assert postcode.normalize("D-10115", "Deutschland") == "D10115"


@pytest.mark.parametrize("module, valid", [
    (excise, ["NL00012345678", "NL0001234567a", "DEabcdefghijk"]),
    (kvk, ["12345678", "01234567"]),
    (country, ["NL", "GR", "DE"]),
    (phone, ["+31612345678", "+3215123456"]),
    (email, ["info@jansen.nl"]),
    (plate, ["VX123B", "12AB34"]),
])
def test_a_valid_value_normalises_to_itself(module, valid: list[str]):
    for value in valid:
        assert module.normalize(module.parse(value)) == value


def test_a_valid_dutch_postcode_normalises_to_itself():
    for value in ("1234AB", "9999ZZ", "1000AA"):
        assert postcode.normalize(postcode.parse_nl(value)) == value


def test_the_excise_and_arc_patterns_are_written_once():
    """No module outside graphfraud/model/types spells them again."""
    spelled = {"[A-Z]{2}[A-Za-z0-9]{11}", "[A-Z]{2}[A-Z0-9]{11}",
               "[0-9]{2}[A-Z]{2}[A-Z0-9]{16}[0-9]"}
    home = REPO / "graphfraud" / "model" / "types"
    found = []
    for folder in ("graphfraud", "ingest", "ui", "tests"):
        for path in (REPO / folder).rglob("*.py"):
            if home in path.parents or path == Path(__file__).resolve():
                continue
            text = path.read_text(encoding="utf-8")
            found += [f"{path.relative_to(REPO)}: {s}" for s in spelled if s in text]
    assert found == []


def test_phone_dutch_e164_shortcut_gives_what_phonenumbers_gives():
    """`phone.parse` answers +31 and nine digits itself: for every three-digit start
    (mobile, geographic, service, unallocated) what the `phonenumbers` path gives."""
    import random

    import phonenumbers

    from graphfraud.model.types.phone import _DUTCH_E164

    def slow(v: str) -> str:  # `parse` without the shortcut
        out = phone.normalize(v)
        if out is None:
            parsed = phonenumbers.parse(v, "NL")
            assert phonenumbers.is_possible_number(parsed)
            out = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        return out

    rng = random.Random(20)
    for start in range(100, 1000):
        for _ in range(3):
            v = f"+31{start}{rng.randrange(10**6):06d}"
            assert _DUTCH_E164.fullmatch(v)
            assert phone.parse(f" {v} ") == slow(v) == v
    for other in ("+310612345678", "+3161234567", "+316123456789", "+31 612345678"):
        assert not _DUTCH_E164.fullmatch(other)


def test_phone_strict_keeps_a_possible_number_the_lenient_side_drops():
    assert phone.normalize("06-12345678") == phone.parse("0031 6 1234 5678") == "+31612345678"
    # possible by length, in no allocated range: an identifier in a register, noise in a tip
    assert phone.normalize("+31 99 1234567") is None
    assert phone.parse("+31 99 1234567") == "+31991234567"
    with pytest.raises(FieldError, match="not a phone number"):
        phone.parse("12")


def test_email_and_plate_strict_and_lenient():
    assert email.normalize("<mailto:Info@Jansen.NL>") == "info@jansen.nl"
    with pytest.raises(FieldError, match="not an e-mail address"):
        email.parse("info at jansen")
    assert plate.parse(" vx-123-b ") == plate.normalize("VX 123 B") == "VX123B"
    with pytest.raises(FieldError, match="not a vehicle plate"):
        plate.parse("-")
