"""Field parsers for the data contract: each turns a CSV cell into a typed value or
raises `FieldError` with a reason a data manager can act on.

An empty cell means unknown and parses to None; required columns are checked by the
loader. Identifier formats are those of EMCS phase 4 (docs/data-contract.md).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from graphfraud.resolve import normalize as norm

ARC = re.compile(r"^[0-9]{2}[A-Z]{2}[A-Z0-9]{16}[0-9]$")
EXCISE = re.compile(r"^[A-Z]{2}[A-Za-z0-9]{11}$")
EPC = re.compile(r"^[A-Z][0-9]{3}$")
JOURNEY = re.compile(r"^(H(0[1-9]|1[0-9]|2[0-4])|D(0[1-9]|[1-8][0-9]|9[0-2]))$")
KVK = re.compile(r"^[0-9]{8}$")
CN = re.compile(r"^[0-9]{8}$")
ISO2 = re.compile(r"^[A-Z]{2}$")


class FieldError(ValueError):
    """A cell that does not fit its column."""


Parser = Callable[[str], Any]


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.isdigit() else default


#: the longest text property (a name, an address line, a tip's text), in characters;
#: a 9 MB name once loaded as a property (docs/data-contract.md, "Property lengths")
MAX_TEXT_CHARS = _env_int("GRAPHFRAUD_MAX_TEXT_CHARS", 10_000)


def check_length(value: str, limit: int | None = None) -> str:
    """`value`, or FieldError when it is longer than the text property limit."""
    limit = MAX_TEXT_CHARS if limit is None else limit
    if len(value) > limit:
        raise FieldError(f"text of {len(value):,} characters; at most {limit:,} "
                         "(GRAPHFRAUD_MAX_TEXT_CHARS)")
    return value


def text(value: str) -> str | None:
    value = check_length(value.strip())
    return value or None


def _required_text(value: str) -> str:
    return value.strip()


def date(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat() if len(value) == 10 else _bad_date(value)
    except ValueError:
        return _bad_date(value)


def _bad_date(value: str) -> str:
    raise FieldError(f"not a date YYYY-MM-DD: {value!r}")


def datetime(value: str) -> str | None:
    """ISO 8601 date-time, stored in UTC with `Z`; a missing zone means Europe/Amsterdam."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise FieldError(f"not an ISO 8601 date-time: {value!r}") from None
    if parsed.tzinfo is None:
        from zoneinfo import ZoneInfo

        parsed = parsed.replace(tzinfo=ZoneInfo("Europe/Amsterdam"))
    return parsed.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def date_or_datetime(value: str) -> str | None:
    value = value.strip()
    if len(value) == 10:
        return date(value)
    return datetime(value)


def number(value: str) -> float | None:
    value = value.strip()
    if not value:
        return None
    try:
        out = float(value)
    except ValueError:
        raise FieldError(f"not a number (decimal point .): {value!r}") from None
    if out != out or out in (float("inf"), float("-inf")):
        raise FieldError(f"not a finite number: {value!r}")
    return out


def non_negative(value: str) -> float | None:
    out = number(value)
    if out is not None and out < 0:
        raise FieldError(f"must not be negative: {value!r}")
    return out


def integer(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not re.fullmatch(r"-?[0-9]+", value):
        raise FieldError(f"not a whole number: {value!r}")
    return int(value)


def int_range(lo: int, hi: int) -> Parser:
    def parse(value: str) -> int | None:
        out = integer(value)
        if out is not None and not lo <= out <= hi:
            raise FieldError(f"must be between {lo} and {hi}: {value!r}")
        return out
    parse.spec = ("int_range", lo, hi)  # type: ignore[attr-defined]  # read by ingest.columnar
    return parse


def boolean(value: str) -> bool | None:
    v = value.strip().lower()
    if not v:
        return None
    if v in ("true", "1", "yes", "ja"):
        return True
    if v in ("false", "0", "no", "nee"):
        return False
    raise FieldError(f"not true/false: {value!r}")


def code(allowed: Iterable[str], lower: bool = False) -> Parser:
    allowed_set = frozenset(allowed)

    def parse(value: str) -> str | None:
        v = value.strip()
        if not v:
            return None
        v = v.lower() if lower else v
        if v not in allowed_set:
            raise FieldError(f"unknown code {value.strip()!r}; allowed: "
                             f"{', '.join(sorted(allowed_set))}")
        return v
    parse.spec = ("code", allowed_set, lower)  # type: ignore[attr-defined]
    return parse


def pattern(regex: re.Pattern[str], what: str, upper: bool = False) -> Parser:
    def parse(value: str) -> str | None:
        v = value.strip()
        if upper:
            v = v.upper()
        if not v:
            return None
        if not regex.fullmatch(v):
            raise FieldError(f"not a valid {what}: {value.strip()!r}")
        return v
    parse.spec = ("pattern", regex.pattern, upper)  # type: ignore[attr-defined]
    return parse


arc = pattern(ARC, "ARC (21 characters, e.g. 23NL00000000000000123)")
excise_number = pattern(EXCISE, "excise number ([A-Z]{2} + 11 characters)")
epc = pattern(EPC, "excise product code (e.g. T200)")
journey_time = pattern(JOURNEY, "journey time (H01-H24 or D01-D92)")
cn_code = pattern(CN, "CN code (8 digits)")
country = pattern(ISO2, "ISO 3166-1 alpha-2 country code", upper=True)
guarantor_type = pattern(re.compile(r"^[1-5]{1,4}$"), "guarantor type code (1-5, or joint e.g. 12)")


def kvk(value: str) -> str | None:
    v = value.strip()
    if not v:
        return None
    if not KVK.fullmatch(v):
        raise FieldError(f"not a KvK number (8 digits): {v!r}")
    return v


def postcode_nl(value: str) -> str | None:
    v = value.strip()
    if not v:
        return None
    out = norm.normalize_postcode(v, "NL")
    if out is None:
        raise FieldError(f"not a Dutch postcode (1234 AB): {v!r}")
    return out


def postcode_any(value: str) -> str | None:
    """Postcode of an address whose country is unknown here: NL form if it looks Dutch."""
    v = value.strip()
    if not v:
        return None
    if re.fullmatch(r"[1-9][0-9]{3}\s?[A-Za-z]{2}", v):
        return postcode_nl(v)
    return v.upper()


def latitude(value: str) -> float | None:
    out = number(value)
    if out is not None and not -90 <= out <= 90:
        raise FieldError(f"latitude out of range: {value!r}")
    return out


def longitude(value: str) -> float | None:
    out = number(value)
    if out is not None and not -180 <= out <= 180:
        raise FieldError(f"longitude out of range: {value!r}")
    return out


def multi(parse_one: Parser) -> Parser:
    """A `;`-separated cell, each part parsed; empty parts ignored."""
    def parse(value: str) -> list[Any]:
        out = []
        for part in value.split(";"):
            if part.strip():
                parsed = parse_one(part)
                if parsed is not None:
                    out.append(parsed)
        return out
    parse.spec = ("multi", parse_one)  # type: ignore[attr-defined]
    return parse


@lru_cache(maxsize=1 << 16)
def phone(value: str) -> str | None:
    """E.164 of a phone cell. Cached: parsing a number costs a tenth of a millisecond and
    one number recurs across rows and files (a tip line, a shared office)."""
    v = value.strip()
    if not v:
        return None
    out = norm.normalize_phone(v)
    if out is None:
        # A number outside today's allocated ranges is still an identifier worth keeping.
        import phonenumbers

        try:
            parsed = phonenumbers.parse(v, "NL")
        except phonenumbers.NumberParseException:
            raise FieldError(f"not a phone number: {v!r}") from None
        if not phonenumbers.is_possible_number(parsed):
            raise FieldError(f"not a phone number: {v!r}")
        out = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return out


def email(value: str) -> str | None:
    v = value.strip()
    if not v:
        return None
    out = norm.normalize_email(v)
    if out is None:
        raise FieldError(f"not an e-mail address: {v!r}")
    return out


def plate(value: str) -> str | None:
    v = value.strip()
    if not v:
        return None
    out = norm.normalize_plate(v)
    if not out or not re.fullmatch(r"[A-Z0-9]{2,12}", out):
        raise FieldError(f"not a vehicle plate: {v!r}")
    return out


# Code lists (docs/data-contract.md; EMCS code lists in domain notes A4)
LEGAL_FORMS = ("bv", "nv", "vof", "eenmanszaak", "stichting", "foreign", "cv", "maatschap",
               "vereniging", "cooperatie", "other")
EXCISE_STATUSES = ("authorised_warehousekeeper", "registered_consignee",
                   "temporary_registered_consignee", "registered_consignor", "none")
TRADER_STATUSES = ("active", "dissolved", "bankrupt")
ROLES = ("director", "shareholder", "ubo", "proxy", "employee")
PREMISE_KINDS = ("tax_warehouse", "factory", "industrial_unit", "shop", "storage", "residence",
                 "farm", "other")
DESTINATION_TYPES = ("1", "2", "3", "4", "5", "6", "8", "9", "10", "11")
ORIGIN_TYPES = ("1", "2", "3")
UNITS = ("1", "2", "3", "4")
MOVEMENT_STATUSES = ("accepted", "delivered", "cancelled", "diverted", "refused",
                     "partially_refused", "exporting", "deemed_exported", "manually_closed",
                     "stopped", "replaced", "rejected")
RECEIPT_CONCLUSIONS = ("1", "2", "3", "4", "21", "22", "23")
LICENCE_KINDS = ("possession", "manufacture", "import", "export", "intra_eu_dispatch",
                 "release")
MACHINE_TYPES = ("maker", "packer", "cutter", "filter_maker", "wrapper", "other")
LICENCE_STATUSES = ("applied", "granted", "refused", "revoked", "expired")
MACHINE_EVENTS = ("moved", "sold", "inspected", "seized", "reported_missing")
CHECK_OUTCOMES = ("no_findings", "findings")
PRODUCTS = ("cigarettes", "fine_cut", "waterpipe", "cigars", "e_liquid", "other")
CHECK_CLASSES = ("domestic_duty_paid", "non_domestic_legal", "counterfeit", "illicit_white",
                 "no_tax_stamp", "unknown")
EPS_CLASSES = ("domestic_duty_paid", "non_domestic_legal", "counterfeit", "illicit_white",
               "unknown")
TIP_CHANNELS = ("crime_line", "excise_fraud_line", "police", "other")
SEIZURE_CONTEXTS = ("port", "road", "airport", "mail", "retail", "factory", "storage", "other")
SEIZURE_PRODUCTS = PRODUCTS + ("leaf_tobacco", "cut_tobacco", "acetate_tow", "cigarette_paper",
                               "filters", "packaging", "tax_stamps")
