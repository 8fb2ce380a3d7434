"""The harder profile (`<scale>-hard`): the evasive variants and the look-alike decoys it
adds are really in the data, and the plain scales are left as they were."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

from graphfraud.synth import generate_world
from graphfraud.synth.config import SCALES, get_scale, planted_per_kind


def _read(out: Path, name: str) -> list[dict[str, str]]:
    with (out / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _truth(out: Path) -> dict:
    return json.loads((out / "truth.json").read_text(encoding="utf-8"))


def test_every_scale_has_a_hard_twin_of_the_same_size():
    for name in ("tiny", "small", "medium", "large", "xlarge"):
        plain, hard = get_scale(name), get_scale(f"{name}-hard")
        assert hard.harder and not plain.harder
        # the same cases; where a farm barn is planted (3+ factories) its webshop is also
        # listed as a retail supply chain
        barn = plain.cases_per_kind >= 3
        assert planted_per_kind(hard) == {**planted_per_kind(plain), "retail_supply_chain":
                                          planted_per_kind(plain)["retail_supply_chain"] + barn}
        assert hard.movement_lines == plain.movement_lines
    assert len(SCALES) == 10


def test_the_plain_world_has_none_of_the_harder_variants(small_world: Path):
    truth = _truth(small_world)
    variants = {c["variant"] for c in truth["cases"] + truth["decoys"]}
    assert not variants & {"fan_out_temporary_consignees", "relative_successor_proxy_phone",
                           "cover_wholesaler", "trust_office_nominee_succession",
                           "shop_succession"}


def test_harder_world_plants_the_evasive_variants(small_hard_world: Path):
    truth = _truth(small_hard_world)
    variants = Counter(c["variant"].split(":")[0] for c in truth["cases"])
    assert variants["fan_out_temporary_consignees"] >= 1
    assert variants["relative_successor_proxy_phone"] >= 1
    assert variants["front_company"] >= 1
    assert variants["through_people"] == 1
    per_kind = Counter(c["kind"] for c in truth["cases"])
    assert dict(per_kind) == planted_per_kind(get_scale("small-hard"))


def test_the_barn_webshop_is_planted_as_a_site_and_as_the_lounges_supplier(small_hard_world):
    """The truth says what the world holds: the barn is the factory site, and the webshop
    that rents it is the supplier the lounges name, a retail supply chain."""
    truth = _truth(small_hard_world)
    site = next(c for c in truth["cases"] if c["variant"] == "waterpipe_farm_barn_webshop")
    chain = next(c for c in truth["cases"] if c["variant"] == "waterpipe_webshop_supplier")
    assert site["kind"] == "factory_site" and chain["kind"] == "retail_supply_chain"
    assert site["primary"] == {"type": "premise", "id": site["subjects"]["premises"][0]}
    webshop = site["subjects"]["traders"][0]
    assert chain["primary"] == {"type": "trader", "id": webshop}
    premises = {p["premise_id"]: p for p in _read(small_hard_world, "premises.csv")}
    assert premises[site["primary"]["id"]]["kind"] == "farm"
    lounges = chain["subjects"]["traders"][1:]
    assert len(lounges) >= 3
    traders = {t["trader_id"]: t for t in _read(small_hard_world, "traders.csv")}
    for lounge in lounges:  # the description names them, and each names the webshop
        assert traders[lounge]["name"] in chain["description"]
    naming = {c["outlet_trader_id"] for c in _read(small_hard_world, "retail_checks.csv")
              if c["stated_supplier"] and c["product"] == "waterpipe"
              and c["stated_supplier"][:6].lower() == traders[webshop]["name"][:6].lower()}
    assert set(lounges) <= naming
    # tiny-hard plants no barn, so no such entry either
    assert planted_per_kind(get_scale("tiny-hard")) == planted_per_kind(get_scale("tiny"))


def test_relative_successor_is_a_relative_with_the_old_director_as_proxy(small_hard_world):
    truth = _truth(small_hard_world)
    persons = {p["person_id"]: p for p in _read(small_hard_world, "persons.csv")}
    traders = {t["trader_id"]: t for t in _read(small_hard_world, "traders.csv")}
    roles = _read(small_hard_world, "roles.csv")
    for case in (c for c in truth["cases"] if c["variant"] == "relative_successor_proxy_phone"):
        old_id, new_id = case["subjects"]["traders"]
        lead, old_director = (persons[p] for p in case["subjects"]["persons"])
        assert lead["full_name"].split()[-1] == old_director["full_name"].split()[-1]
        assert (lead["street"], lead["house_number"]) == (old_director["street"],
                                                          old_director["house_number"])
        assert {"person_id": old_director["person_id"], "trader_id": new_id,
                "role": "proxy"}.items() <= next(
            r for r in roles if r["trader_id"] == new_id and r["role"] == "proxy").items()
        old, new = traders[old_id], traders[new_id]
        assert old["status"] == "bankrupt" and old["phone"] == new["phone"]
        assert old["postcode"] != new["postcode"] or old["house_number"] != new["house_number"]


def test_fan_out_consignees_each_receive_little_and_declare_short_journeys(small_hard_world):
    truth = _truth(small_hard_world)
    case = next(c for c in truth["cases"] if c["variant"] == "fan_out_temporary_consignees")
    traders = {t["trader_id"]: t for t in _read(small_hard_world, "traders.csv")}
    consignees = {traders[t]["excise_number"] for t in case["subjects"]["traders"][1:]}
    assert len(consignees) >= 5
    assert all(traders[t]["excise_status"] == "temporary_registered_consignee"
               for t in case["subjects"]["traders"][1:])
    arcs = set(case["subjects"]["movements"])
    rows = [m for m in _read(small_hard_world, "movements.csv") if m["arc"] in arcs]
    per = Counter(m["consignee_excise_number"] for m in rows if m["line"] == "1")
    assert per and max(per.values()) <= 2
    assert all(m["journey_time"].startswith("H") for m in rows)


def test_harder_decoys_are_in_the_data(small_hard_world: Path):
    truth = _truth(small_hard_world)
    decoys = Counter(d["variant"] for d in truth["decoys"])
    for twist in ("refused_then_granted", "sold_to_licensed_buyer",
                  "expired_at_licensed_maker"):
        assert decoys[f"licensed_factory_industrial_unit:{twist}"] >= 1
    assert decoys["trust_office_nominee_succession"] >= 2
    assert decoys["shop_succession"] >= 3
    cover = next(d for d in truth["decoys"] if d["variant"] == "cover_wholesaler")
    licences = _read(small_hard_world, "machine_licences.csv")
    refused = {r["machine_id"] for r in licences if r["status"] == "refused"}
    granted = {r["machine_id"] for r in licences if r["status"] == "granted"}
    assert refused & granted  # a refusal put right for the same machine
    # the cover wholesaler is named on many clean lines, and on a few illicit ones
    name = next(t["name"] for t in _read(small_hard_world, "traders.csv")
                if t["trader_id"] == cover["primary"]["id"])
    named = [c for c in _read(small_hard_world, "retail_checks.csv")
             if c["stated_supplier"] and c["stated_supplier"][:6].lower() == name[:6].lower()]
    clean = sum(c["classification"] == "non_domestic_legal" for c in named)
    assert clean >= 10 and clean > 2 * (len(named) - clean) > 0


def test_hard_worlds_are_deterministic_and_differ_from_plain(tmp_path: Path):
    generate_world("tiny-hard", 3, tmp_path / "a")
    generate_world("tiny", 3, tmp_path / "b")
    assert (tmp_path / "a" / "traders.csv").read_bytes() \
        != (tmp_path / "b" / "traders.csv").read_bytes()


def test_through_people_outlets_never_name_their_supplier(small_hard_world: Path):
    truth = _truth(small_hard_world)
    case = next(c for c in truth["cases"] if c["variant"] == "through_people")
    supplier, *outlets = case["subjects"]["traders"]
    traders = {t["trader_id"]: t for t in _read(small_hard_world, "traders.csv")}
    name = traders[supplier]["name"].lower()[:8]
    checks = [c for c in _read(small_hard_world, "retail_checks.csv")
              if c["outlet_trader_id"] in outlets]
    assert checks and not any(c["stated_supplier"].lower().startswith(name) for c in checks)
    roles = _read(small_hard_world, "roles.csv")
    tied = {r["trader_id"] for r in roles if r["person_id"] in case["subjects"]["persons"]}
    phones = {traders[o]["phone"] for o in outlets} & {
        p["phone"] for p in _read(small_hard_world, "persons.csv")
        if p["person_id"] in case["subjects"]["persons"]}
    assert supplier in tied and len(set(outlets) & tied) >= 2 and phones


def test_harder_tips_name_sites_and_shops_by_street_without_postcode(small_hard_world: Path,
                                                                     small_world: Path):
    from graphfraud.resolve import normalize as norm

    def street_only(out: Path) -> list[dict[str, str]]:
        return [t for t in _read(out, "tips.csv")
                if t["mentioned_street"] and not t["mentioned_postcode"]]

    assert street_only(small_world) == []  # the plain profile has none
    tips = street_only(small_hard_world)
    truth = _truth(small_hard_world)
    premises = {p["premise_id"]: p for p in _read(small_hard_world, "premises.csv")}
    sites = [premises[p] for c in truth["cases"] if c["kind"] == "factory_site"
             and c["variant"] != "waterpipe_residence" for p in c["subjects"]["premises"]]
    site_doors = {(norm.normalize_city(p["city"]), norm.normalize_house_number(p["house_number"]))
                  for p in sites}
    said = {(norm.normalize_city(t["mentioned_city"]),
             norm.normalize_house_number(t["mentioned_house_number"])) for t in tips}
    assert said & site_doors, "no tip names a factory site by street and place"
    assert len(said - site_doors) >= 3, "no noise tips naming innocent addresses"
    # some sites are split halls ('55A'), and the tips write the addition as callers do
    assert any(not p["house_number"].isdigit() for p in sites)


def test_harder_factory_brand_lies_in_the_packs_around_the_unit(small_hard_world: Path):
    from graphfraud.synth.geo import km

    truth = _truth(small_hard_world)
    premises = {p["premise_id"]: p for p in _read(small_hard_world, "premises.csv")}
    packs = [p for p in _read(small_hard_world, "eps_packs.csv")
             if p["classification"] == "illicit_white"]
    checked = 0
    for c in truth["cases"]:
        if c["kind"] != "factory_site" or "eps_illicit_white_spike" not in c["signals"]:
            continue
        brand = c["description"].rsplit("brand ", 1)[1].rstrip(".")
        site = premises[c["primary"]["id"]]
        mine = [p for p in packs if p["brand"] == brand]
        near = [p for p in mine if km(float(p["lat"]), float(p["lon"]), float(site["lat"]),
                                      float(site["lon"])) <= 1.5]
        assert len(near) >= 3 and len(near) >= 0.4 * len(mine), (c["case_id"], len(near), len(mine))
        checked += 1
    assert checked >= 1


def test_harder_plants_fuel_under_type_8_and_exports_that_never_close(small_hard_world: Path):
    from graphfraud.ingest.emcs import read_movement_rows

    truth = _truth(small_hard_world)
    rows = _read(small_hard_world, "movements.csv") + list(read_movement_rows(
        small_hard_world / "emcs", small_hard_world / "later" / "emcs"))
    by_arc: dict[str, list[dict]] = {}
    for r in rows:
        by_arc.setdefault(r["arc"], []).append(r)
    fuel = [d for d in truth["decoys"] if d["variant"] == "fuel_under_destination_type_8"]
    assert fuel and all(d["looks_like"] == "diversion" for d in fuel)
    for d in fuel:
        for arc in d["subjects"]["movements"]:
            assert {r["epc"] for r in by_arc[arc]} == {"E430"}
            assert {r["destination_type"] for r in by_arc[arc]} == {"8"}
    export = [c for c in truth["cases"] if c["variant"] == "type8_changes_export_never_closed"]
    assert export
    for arc in export[0]["subjects"]["movements"]:
        final = max(by_arc[arc], key=lambda r: int(r["sequence"]))
        assert final["destination_type"] == "6" and not final.get("received_at")
        assert int(final["destination_changes"]) >= 1 and final["epc"] == "T200"
