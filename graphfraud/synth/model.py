"""Records of the synthetic world and the fixed column order of every output file."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphfraud.synth.geo import Address

COLUMNS: dict[str, list[str]] = {
    "traders.csv": ["trader_id", "name", "kvk_number", "excise_number", "vat_number",
                    "legal_form", "sbi_code", "excise_status", "status", "registered_on",
                    "dissolved_on", "street", "house_number", "postcode", "city", "country",
                    "lat", "lon", "phone", "email", "is_chain"],
    "persons.csv": ["person_id", "full_name", "birth_date", "nationality", "street",
                    "house_number", "postcode", "city", "country", "phone", "email"],
    "roles.csv": ["person_id", "trader_id", "role", "since", "until"],
    "premises.csv": ["premise_id", "kind", "excise_number", "operator_trader_id", "street",
                     "house_number", "postcode", "city", "country", "lat", "lon",
                     "lease_start", "lease_end", "floor_area_m2"],
    "movements.csv": ["arc", "sequence", "line", "consignor_excise_number",
                      "place_of_dispatch", "consignee_excise_number", "consignee_name",
                      "consignee_street", "consignee_postcode", "consignee_city",
                      "consignee_country", "delivery_place", "destination_type",
                      "origin_type", "epc", "cn_code", "brand", "quantity", "unit",
                      "dispatched_at", "journey_time", "transport_mode", "transporter_name",
                      "transporter_vat", "vehicle_plate", "guarantor_type", "status",
                      "received_at", "receipt_conclusion", "shortage_or_excess",
                      "observed_difference", "cancelled_at", "destination_changes"],
    "machine_licences.csv": ["licence_id", "holder_trader_id", "holder_name", "holder_street",
                             "holder_house_number", "holder_postcode", "holder_city",
                             "holder_country", "kind", "machine_id", "machine_type",
                             "manufacturer", "model", "capacity_per_minute", "site_premise_id",
                             "site_street", "site_house_number", "site_postcode", "site_city",
                             "site_country", "recipient_trader_id", "applied_on",
                             "granted_on", "valid_until", "status"],
    "machine_events.csv": ["event_id", "machine_id", "event", "at", "from_premise_id",
                           "to_premise_id", "to_street", "to_house_number", "to_postcode",
                           "to_city", "counterparty_trader_id"],
    "retail_checks.csv": ["check_id", "checked_on", "outlet_trader_id", "team", "outcome",
                          "product", "brand", "classification", "stamp_country", "quantity",
                          "unit", "seized", "stated_supplier", "invoice_number", "fine_eur"],
    # pack_id is an extension column: the contract gives a pack no key of its own.
    "eps_packs.csv": ["pack_id", "survey_year", "wave", "municipality", "border_municipality",
                      "route_id", "collected_on", "lat", "lon", "brand", "stamp_country",
                      "warning_language", "classification", "pack_size"],
    "tips.csv": ["tip_id", "received_on", "channel", "text", "mentioned_name",
                 "mentioned_street", "mentioned_house_number", "mentioned_postcode",
                 "mentioned_city", "mentioned_plate", "mentioned_phone"],
    "seizures.csv": ["seizure_id", "seized_on", "context", "street", "house_number",
                     "postcode", "city", "country", "lat", "lon", "product", "brand",
                     "classification", "quantity", "unit", "trader_id", "person_id",
                     "vehicle_plate", "case_ref"],
}

Row = dict[str, str]


@dataclass(slots=True)
class Trader:
    trader_id: str
    name: str
    address: Address
    legal_form: str
    sbi_code: str
    registered_on: str
    kvk_number: str = ""
    excise_number: str = ""
    vat_number: str = ""
    excise_status: str = "none"
    status: str = "active"
    dissolved_on: str = ""
    phone: str = ""
    email: str = ""
    is_chain: str = ""
    role: str = ""  # generator-internal: manufacturer, importer, wholesaler, outlet, ...
    muni: str = ""  # generator-internal: municipality name (NL only)

    def row(self) -> Row:
        a = self.address
        return {
            "trader_id": self.trader_id, "name": self.name, "kvk_number": self.kvk_number,
            "excise_number": self.excise_number, "vat_number": self.vat_number,
            "legal_form": self.legal_form, "sbi_code": self.sbi_code,
            "excise_status": self.excise_status, "status": self.status,
            "registered_on": self.registered_on, "dissolved_on": self.dissolved_on,
            "street": a.street, "house_number": a.house_number, "postcode": a.postcode,
            "city": a.city, "country": a.country, "lat": f"{a.lat:.5f}", "lon": f"{a.lon:.5f}",
            "phone": self.phone, "email": self.email, "is_chain": self.is_chain,
        }


@dataclass(slots=True)
class Person:
    person_id: str
    full_name: str
    birth_date: str
    nationality: str
    address: Address
    phone: str = ""
    email: str = ""

    def row(self) -> Row:
        a = self.address
        return {
            "person_id": self.person_id, "full_name": self.full_name,
            "birth_date": self.birth_date, "nationality": self.nationality,
            "street": a.street, "house_number": a.house_number, "postcode": a.postcode,
            "city": a.city, "country": a.country, "phone": self.phone, "email": self.email,
        }


@dataclass(slots=True)
class Premise:
    premise_id: str
    kind: str
    address: Address
    operator_trader_id: str = ""
    excise_number: str = ""
    lease_start: str = ""
    lease_end: str = ""
    floor_area_m2: str = ""

    def row(self) -> Row:
        a = self.address
        return {
            "premise_id": self.premise_id, "kind": self.kind,
            "excise_number": self.excise_number, "operator_trader_id": self.operator_trader_id,
            "street": a.street, "house_number": a.house_number, "postcode": a.postcode,
            "city": a.city, "country": a.country, "lat": f"{a.lat:.5f}", "lon": f"{a.lon:.5f}",
            "lease_start": self.lease_start, "lease_end": self.lease_end,
            "floor_area_m2": self.floor_area_m2,
        }


@dataclass(slots=True)
class Subjects:
    traders: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    premises: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    movements: list[str] = field(default_factory=list)
    machines: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        def uniq(xs: list[str]) -> list[str]:
            return list(dict.fromkeys(xs))

        return {"traders": uniq(self.traders), "persons": uniq(self.persons),
                "premises": uniq(self.premises), "addresses": uniq(self.addresses),
                "movements": uniq(self.movements), "machines": uniq(self.machines)}


@dataclass(slots=True)
class Case:
    """A planted case (or a decoy when `looks_like` is set) as written to truth.json."""

    case_id: str
    kind: str
    variant: str
    description: str
    subjects: Subjects
    primary_type: str
    primary_id: str
    looks_like: str = ""
    signals: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        d: dict[str, object] = {
            "case_id": self.case_id, "kind": self.kind, "variant": self.variant,
            "description": self.description, "subjects": self.subjects.as_dict(),
            "primary": {"type": self.primary_type, "id": self.primary_id},
            "signals": list(self.signals),
        }
        if self.looks_like:
            d["looks_like"] = self.looks_like
        return d
