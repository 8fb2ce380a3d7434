"""Determinism, formats, references and planted typologies of generated worlds."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import pytest

from graphfraud.detect import registry
from graphfraud.ingest import fields
from graphfraud.ingest.emcs import read_movement_rows
from graphfraud.model.types import arc, codes, excise, kvk
from graphfraud.resolve import normalize
from graphfraud.synth import generate_world
from graphfraud.synth.config import get_scale, planted_per_kind
from graphfraud.synth.model import COLUMNS

KINDS = set(registry.kinds())  # every detector has planted cases
# the identifiers' standard patterns (graphfraud.model.types, checked against the EMCS XSD)
ARC, EXCISE, KVK, JOURNEY = arc.PATTERN, excise.PATTERN, kvk.PATTERN, codes.JOURNEY
#: the form the generator writes, with its space
POSTCODE = re.compile(r"^[1-9][0-9]{3} [A-Z]{2}$")
PHONE = re.compile(r"^\+[1-9][0-9]{7,14}$")
PLATE = re.compile(r"^[A-Z0-9]{1,3}-[A-Z0-9]{2,3}-[A-Z0-9]{1,2}$")


def read(out: Path, name: str) -> list[dict[str, str]]:
    with (out / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def digest(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("scale", ["tiny", "small", "tiny-hard"])
def test_same_seed_is_byte_identical(tmp_path: Path, scale: str) -> None:
    generate_world(scale, 5, tmp_path / "a")
    generate_world(scale, 5, tmp_path / "b")
    assert digest(tmp_path / "a") == digest(tmp_path / "b")


def test_different_seed_differs(tmp_path: Path) -> None:
    generate_world("tiny", 1, tmp_path / "a")
    generate_world("tiny", 2, tmp_path / "b")
    a, b = digest(tmp_path / "a"), digest(tmp_path / "b")
    assert a["traders.csv"] != b["traders.csv"]
    assert a["movements.csv"] != b["movements.csv"]


def test_exact_files_and_column_order(tiny_world: Path) -> None:
    names = {p.name for p in tiny_world.iterdir() if p.is_file()}
    assert names == set(COLUMNS) | {"truth.json"}
    assert list((tiny_world / "emcs").glob("*.xml"))
    for name, columns in COLUMNS.items():
        with (tiny_world / name).open(encoding="utf-8") as fh:
            assert next(csv.reader(fh)) == columns
    assert COLUMNS["eps_packs.csv"][0] == "pack_id"


@pytest.mark.parametrize("world", ["tiny_world", "small_world", "small_hard_world"])
def test_formats(world: str, request: pytest.FixtureRequest) -> None:
    out: Path = request.getfixturevalue(world)
    for t in read(out, "traders.csv"):
        if t["kvk_number"]:
            assert KVK.match(t["kvk_number"]), t
        if t["excise_number"]:
            assert EXCISE.match(t["excise_number"]), t
        if t["country"] == "NL":
            assert POSTCODE.match(t["postcode"]), t
        for phone in filter(None, t["phone"].split(";")):
            assert PHONE.match(phone), t
    for p in read(out, "premises.csv"):
        if p["excise_number"]:
            assert EXCISE.match(p["excise_number"])
    for m in read(out, "movements.csv"):
        assert ARC.match(m["arc"]), m["arc"]
        assert EXCISE.match(m["consignor_excise_number"])
        assert not m["consignee_excise_number"] or EXCISE.match(m["consignee_excise_number"])
        assert JOURNEY.match(m["journey_time"]), m["journey_time"]
        for plate in m["vehicle_plate"].split(";"):
            assert PLATE.match(plate), plate
        if m["epc"] == "T200":
            assert m["unit"] == "4" and 1 <= float(m["quantity"]) <= 10000
        if m["epc"] in ("T400", "T500"):
            assert m["unit"] == "1"
    for p in read(out, "eps_packs.csv"):
        assert re.match(r"^EPS-\d{4}-\d+$", p["pack_id"])


@pytest.mark.parametrize("world", ["tiny_world", "small_world", "small_hard_world"])
def test_references_resolve(world: str, request: pytest.FixtureRequest) -> None:
    out: Path = request.getfixturevalue(world)
    traders = {t["trader_id"] for t in read(out, "traders.csv")}
    excise = {t["excise_number"] for t in read(out, "traders.csv") if t["excise_number"]}
    persons = {p["person_id"] for p in read(out, "persons.csv")}
    premises = read(out, "premises.csv")
    premise_ids = {p["premise_id"] for p in premises}
    excise |= {p["excise_number"] for p in premises if p["excise_number"]}
    assert len(traders) == len(read(out, "traders.csv"))
    for r in read(out, "roles.csv"):
        assert r["trader_id"] in traders and r["person_id"] in persons
    for p in premises:
        assert not p["operator_trader_id"] or p["operator_trader_id"] in traders
    rows = read(out, "movements.csv") + read_movement_rows(out / "emcs", out / "later" / "emcs")
    for m in rows:
        assert m["consignor_excise_number"] in excise
        assert m["place_of_dispatch"] in excise
        assert not m["consignee_excise_number"] or m["consignee_excise_number"] in excise
    keys = [(m["arc"], m["sequence"], m["line"]) for m in rows]
    assert len(keys) == len(set(keys))
    for lic in read(out, "machine_licences.csv"):
        assert lic["holder_trader_id"] in traders or lic["holder_name"]
        assert not lic["site_premise_id"] or lic["site_premise_id"] in premise_ids
        assert not lic["recipient_trader_id"] or lic["recipient_trader_id"] in traders
    for e in read(out, "machine_events.csv"):
        assert not e["to_premise_id"] or e["to_premise_id"] in premise_ids
        assert not e["counterparty_trader_id"] or e["counterparty_trader_id"] in traders
    for c in read(out, "retail_checks.csv"):
        assert c["outlet_trader_id"] in traders
    for s in read(out, "seizures.csv"):
        assert not s["trader_id"] or s["trader_id"] in traders
        assert not s["person_id"] or s["person_id"] in persons


@pytest.mark.parametrize("world", ["tiny_world", "small_world", "small_hard_world"])
def test_truth_covers_every_typology(world: str, request: pytest.FixtureRequest) -> None:
    out: Path = request.getfixturevalue(world)
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    assert {c["kind"] for c in truth["cases"]} == KINDS
    assert {d["looks_like"] for d in truth["decoys"]} >= {"factory_site", "diversion",
                                                          "supplier_network",
                                                          "retail_supply_chain"}
    traders = {t["trader_id"] for t in read(out, "traders.csv")}
    premises = {p["premise_id"] for p in read(out, "premises.csv")}
    arcs = {m["arc"] for m in read(out, "movements.csv")}
    arcs |= {r["arc"] for r in read_movement_rows(out / "emcs", out / "later" / "emcs")}
    for case in truth["cases"] + truth["decoys"]:
        s = case["subjects"]
        assert set(s["traders"]) <= traders, case["case_id"]
        assert set(s["premises"]) <= premises, case["case_id"]
        assert set(s["movements"]) <= arcs, case["case_id"]
        # the contract's key: postcode without space | number, with a huisletter (the
        # harder profile's split halls, '55A') only in its canonical upper-case form
        assert all(re.match(r"^[0-9]{4}[A-Z]{2}\|\d+[A-Z]?$", a) for a in s["addresses"])
        assert all(a == normalize.address_key(*a.split("|")) for a in s["addresses"])
    assert any(c["variant"] == "waterpipe_residence" for c in truth["cases"])
    if world == "small_world":
        per_kind = {k: sum(c["kind"] == k for c in truth["cases"]) for k in KINDS}
        assert min(per_kind.values()) >= 3


@pytest.mark.parametrize("world", ["tiny_world", "small_world"])
def test_name_variants_point_at_written_text(world: str, request: pytest.FixtureRequest) -> None:
    out: Path = request.getfixturevalue(world)
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    traders = {t["trader_id"]: t["name"] for t in read(out, "traders.csv")}
    tables: dict[str, list[dict[str, str]]] = {}
    fields = set()
    negatives = positives_inexact = 0
    for nv in truth["name_variants"]:
        rows = tables.setdefault(nv["file"], read(out, nv["file"]))
        assert rows[nv["row"] - 1][nv["field"]] == nv["text"], nv
        fields.add(nv["field"])
        if nv["trader_id"] is None:
            negatives += 1
        else:
            assert nv["trader_id"] in traders
            positives_inexact += traders[nv["trader_id"]] != nv["text"]
    assert {"stated_supplier", "mentioned_name", "consignee_name"} <= fields
    assert negatives > 0 and positives_inexact > 0


def test_similar_names_are_different_companies(small_world: Path) -> None:
    names = [t["name"] for t in read(small_world, "traders.csv")]
    assert any(n.startswith("Tabakshandel Jansen") for n in names)
    assert any(n.startswith("Tabakhandel Janssen") for n in names)


def test_xml_share_does_not_change_the_world(tmp_path: Path) -> None:
    generate_world("tiny", 3, tmp_path / "csv", xml_share=0.0)
    generate_world("tiny", 3, tmp_path / "mix", xml_share=0.4)
    assert not list((tmp_path / "csv" / "emcs").glob("*.xml"))
    whole = read(tmp_path / "csv", "movements.csv")
    parts = read(tmp_path / "mix", "movements.csv")
    xml_rows = read_movement_rows(tmp_path / "mix" / "emcs", tmp_path / "mix" / "later" / "emcs")
    assert xml_rows and parts
    key = lambda r: (r["arc"], int(r["sequence"]), int(r["line"]))  # noqa: E731

    def in_utc(r: dict[str, str]) -> dict[str, str]:
        """Messages carry the dispatch state's wall clock, read back in UTC; the CSV
        view writes Amsterdam time without a zone: compare the instants."""
        return {**r, **{c: fields.date_or_datetime(r[c]) or "" for c in
                        ("dispatched_at", "cancelled_at", "received_at")}}
    assert sorted(map(in_utc, parts + xml_rows), key=key) == \
        sorted(map(in_utc, whole), key=key)
    xml_arcs = {r["arc"] for r in xml_rows}
    assert not xml_arcs & {r["arc"] for r in parts}


@pytest.mark.parametrize("world, scale", [("tiny_world", "tiny"), ("small_world", "small")])
def test_cases_and_decoys_per_kind_follow_the_scale(world: str, scale: str,
                                                    request: pytest.FixtureRequest) -> None:
    out: Path = request.getfixturevalue(world)
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    per_kind = {k: sum(c["kind"] == k for c in truth["cases"]) for k in KINDS}
    assert per_kind == planted_per_kind(get_scale(scale))
    decoys = {k: sum(d["looks_like"] == k for d in truth["decoys"])
              for k in ("diversion", "factory_site", "retail_supply_chain")}
    assert decoys == dict.fromkeys(decoys, get_scale(scale).decoys_per_kind)


def test_medium_plants_at_most_eight_cases_of_a_kind_and_more_decoys() -> None:
    """So that every planted case can be in the top 10 of its kind, among 10 decoys."""
    medium = get_scale("medium")
    assert max(planted_per_kind(medium).values()) <= 8
    assert medium.decoys_per_kind == 10


def test_no_two_companies_share_an_email_by_accident(small_world: Path) -> None:
    """Namesakes (frequent in bigger worlds) must not share a domain: a shared e-mail is a
    tie between companies to the network detector."""
    emails = [t["email"] for t in read(small_world, "traders.csv") if t["email"]]
    assert len(emails) > 100 and len(emails) == len(set(emails))


def test_names_of_nobody_resolve_to_no_trader(small_world: Path) -> None:
    """Truth says these name nobody; a generated namesake would make that untrue."""
    from graphfraud.resolve.matcher import Mention, TraderRecord, match_mentions
    from graphfraud.synth.retail import NOBODY

    traders = [TraderRecord(t["trader_id"], t["name"], postcode=t["postcode"],
                            house_number=t["house_number"], city=t["city"])
               for t in read(small_world, "traders.csv")]
    traders.append(TraderRecord("PROBE", "Ster Groothandel B.V."))  # the clash there was
    mentions = [Mention(f"m{i}", "retail_checks", "stated_supplier", n)
                for i, n in enumerate(NOBODY)]
    assert match_mentions(mentions, traders) == []
