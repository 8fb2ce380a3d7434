"""Value normalisers: the keys that tie sources together (data contract)."""

from __future__ import annotations

import pytest

from graphfraud.resolve.normalize import (
    address_key,
    company_core_tokens,
    is_generic_token,
    name_tokens,
    normalize_city,
    normalize_company_name,
    normalize_country,
    normalize_email,
    normalize_excise_number,
    normalize_house_number,
    normalize_kvk,
    normalize_phone,
    normalize_plate,
    normalize_postcode,
    normalize_street,
    split_multi,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234 ab", "1234AB"),
        ("1234AB", "1234AB"),
        (" 1234  ab ", "1234AB"),
        ("1234-AB", "1234AB"),
        ("NL-1234 AB", "1234AB"),
        ("9999 ZZ", "9999ZZ"),
        ("0123 AB", None),  # first digit 1-9
        ("1234 SA", None),  # never issued
        ("1234 SD", None),
        ("1234 SS", None),
        ("123 AB", None),
        ("1234 A", None),
        ("1234 A1", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_postcode_nl(raw: str | None, expected: str | None) -> None:
    assert normalize_postcode(raw) == expected


def test_normalize_postcode_foreign_is_compacted_not_validated() -> None:
    assert normalize_postcode("D-10115", "DE") == "D10115"
    assert normalize_postcode("sw1a 1aa", "GB") == "SW1A1AA"
    assert normalize_postcode("2000", "BE") == "2000"
    assert normalize_postcode("2000", "NL") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", "12"),
        (" 12 ", "12"),
        (12, "12"),
        (12.0, "12"),
        ("12.0", "12"),
        ("012", "12"),
        ("12 a", "12A"),
        ("12-a", "12A"),
        ("12A", "12A"),
        ("12-1", "12-1"),
        ("12 1", "12-1"),
        ("12/1", "12-1"),
        ("12 hs", "12HS"),
        ("nr. 5", "5"),
        ("", None),
        ("-", None),
        (None, None),
    ],
)
def test_normalize_house_number(raw: object, expected: str | None) -> None:
    assert normalize_house_number(raw) == expected


def test_address_key_nl() -> None:
    assert address_key("1234 ab", "12 a") == "1234AB|12A"
    assert address_key("1234AB", "12", country="nl") == "1234AB|12"
    assert address_key("1234AB", "12", country=None) == "1234AB|12"
    assert address_key("1234 ab", "12-a") == address_key("1234AB", "12A")


def test_address_key_nl_needs_postcode_and_number() -> None:
    assert address_key("1234AB", None) is None
    assert address_key(None, "12") is None
    assert address_key("1234 SS", "12") is None


def test_address_key_foreign_uses_street() -> None:
    assert address_key("10115", "12", "DE", "Hauptstr.") == "DE|hauptstrasse|12|10115"
    assert address_key("10115", "12", "DE", "Hauptstraße") == "DE|hauptstrasse|12|10115"
    assert address_key(None, "3", "BE", "Kerkstraat") == "BE|kerkstraat|3|"
    assert address_key("10115", "12", "DE", None) is None
    assert address_key("00-001", "7", "PL", "ul. Marszałkowska") == "PL|marszalkowska|7|00001"


def test_street_city_country() -> None:
    assert normalize_street("Kerkstr.") == "kerkstraat"
    assert normalize_street("  ") is None
    assert normalize_city("'s-Gravenhage") == "den haag"
    assert normalize_city("Den Haag") == "den haag"
    assert normalize_city("Zoeterwoude-Dorp") == "zoeterwoude dorp"
    assert normalize_country("nl") == "NL"
    assert normalize_country("Nederland") == "NL"
    assert normalize_country("Netherlands of Europe") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" vx-123-b ", "VX123B"),
        ("VX 123 B", "VX123B"),
        ("vx123b", "VX123B"),
        ("B-AB 1234", "BAB1234"),
        ("1-ABC-123", "1ABC123"),
        ("", None),
        ("-", None),
        ("X", None),
        (None, None),
    ],
)
def test_normalize_plate(raw: str | None, expected: str | None) -> None:
    assert normalize_plate(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0612345678", "+31612345678"),
        ("06-12345678", "+31612345678"),
        ("+31 6 1234 5678", "+31612345678"),
        ("0031612345678", "+31612345678"),
        ("020-5550101", "+31205550101"),
        ("+49 30 1234567", "+49301234567"),
        ("12345", None),
        ("not a phone", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_phone(raw: str | None, expected: str | None) -> None:
    assert normalize_phone(raw) == expected


def test_normalize_phone_default_region() -> None:
    assert normalize_phone("030 1234567", default_region="DE") == "+49301234567"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" Info@Jansen-Tabak.NL ", "info@jansen-tabak.nl"),
        ("mailto:a.b@x.com", "a.b@x.com"),
        ("<a@b.nl>", "a@b.nl"),
        ("no-at-sign.nl", None),
        ("a@@b.nl", None),
        ("a@b", None),
        ("a b@c.nl", None),
        ("", None),
    ],
)
def test_normalize_email(raw: str, expected: str | None) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12345678", "12345678"),
        ("1234 5678", "12345678"),
        ("12.345.678", "12345678"),
        ("KvK 12345678", "12345678"),
        ("KVK:12345678", "12345678"),
        ("kvk-nummer: 1234 5678", "12345678"),
        ("1234567", "01234567"),  # Excel dropped the leading zero
        (1234567, "01234567"),
        (12345678.0, "12345678"),
        ("123456", None),
        ("123456789012", None),  # a branch (vestiging) number, not a KvK number
        ("1234567a", None),
        ("Jansen BV", None),
        (None, None),
    ],
)
def test_normalize_kvk(raw: object, expected: str | None) -> None:
    assert normalize_kvk(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("NL00012345678", "NL00012345678"),
        ("nl00012345678", "NL00012345678"),
        (" nl 000 1234 5678 ", "NL00012345678"),
        ("EXC:NL00012345678", "NL00012345678"),
        ("FR012345E1234", "FR012345E1234"),
        ("NL0001234567", None),  # 10 + 2 characters
        ("1200012345678", None),  # no country prefix
        ("NL000123456789", None),
        ("Tabak Hoesstra", None),  # 13 letters once the space is gone: a name
        ("", None),
    ],
)
def test_normalize_excise_number(raw: str, expected: str | None) -> None:
    assert normalize_excise_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jansen Tabak B.V.", "jansen tabak"),
        ("JANSEN TABAK BV", "jansen tabak"),
        ("Jansen Tabak b.v.", "jansen tabak"),
        ("B.V. Jansen Tabak", "jansen tabak"),
        ("Jansen Tabak B. V.", "jansen tabak"),
        ("Gebr. Jansen Tab. & Hdl. B.V.", "gebroeders jansen tabak en handel"),
        ("Jansen Int. Trading", "jansen international trading"),
        ("Jansen Intl Trading", "jansen international trading"),
        ("V.O.F. 't Hoekje", "t hoekje"),
        ("Jansen Holding B.V. i.o.", "jansen holding"),
        ("Müller GmbH & Co. KG", "muller"),
        ("Kowalski Sp. z o.o.", "kowalski"),
        ("Tabac Dupont S.A.R.L.", "tabac dupont"),
        ("Smith & Sons Ltd.", "smith en sons"),
        ("Café Ünal", "cafe unal"),
        ("Gebr. v.d. Berg", "gebroeders van de berg"),
        ("Stichting Rookvrij", "rookvrij"),
        ("B.V.", "bv"),  # never strip a name to nothing
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_company_name(raw: str | None, expected: str) -> None:
    assert normalize_company_name(raw) == expected


def test_holding_is_kept_because_it_is_another_legal_entity() -> None:
    assert normalize_company_name("Jansen Holding BV") != normalize_company_name("Jansen BV")


def test_name_tokens_and_core_tokens() -> None:
    assert name_tokens("Tabakshandel Van der Berg B.V.") == ["berg", "tabakshandel"]
    assert company_core_tokens("Tabakshandel Jansen Import B.V.") == ["jansen"]
    assert company_core_tokens("Int. Tobacco Traders Ltd") == []


@pytest.mark.parametrize(
    ("token", "generic"),
    [
        ("tabakshandel", True),
        ("groothandel", True),
        ("import", True),
        ("2000", True),
        ("logistcs", True),  # a misspelt trade word is still a trade word
        ("supermakt", True),
        ("jansen", False),
        ("hendriks", False),
        ("hoekje", False),
    ],
)
def test_is_generic_token(token: str, generic: bool) -> None:
    assert is_generic_token(token) is generic


def test_split_multi() -> None:
    assert split_multi("06-1; 06-2 ;;") == ["06-1", "06-2"]
    assert split_multi(None) == []
    assert split_multi("") == []
