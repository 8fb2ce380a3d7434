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
from typing import Any

from graphfraud.model.types import FieldError, codes, excise, pattern_parser
from graphfraud.model.types import arc as _arc
from graphfraud.model.types import country as _country
from graphfraud.model.types import email as _email
from graphfraud.model.types import kvk as _kvk
from graphfraud.model.types import phone as _phone
from graphfraud.model.types import plate as _plate
from graphfraud.model.types import postcode as _postcode

# The identifier patterns and their strict parsers live with their value types
# (graphfraud.model.types); these names stay for the loaders and the columnar parse.
ARC, EXCISE, KVK, ISO2 = _arc.PATTERN, excise.PATTERN, _kvk.PATTERN, _country.PATTERN
EPC, JOURNEY, CN = codes.EPC, codes.JOURNEY, codes.CN

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


pattern = pattern_parser
arc, excise_number, kvk, country = _arc.parse, excise.parse, _kvk.parse, _country.parse
epc, journey_time, cn_code = codes.epc, codes.journey_time, codes.cn_code
guarantor_type = codes.guarantor_type
postcode_nl, postcode_any = _postcode.parse_nl, _postcode.parse_any


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


phone, email, plate = _phone.parse, _email.parse, _plate.parse


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
