"""A world delivered in two parts, the second a daily delivery onto the first, gives the
graph that ingesting it whole gives, with entity resolution kept between the two (only the
new mentions are matched), on both stores; a changed trader or a damaged cache matches
everything again, to the same links."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from graphfraud.ingest.resolution import resolve_mentions
from graphfraud.ingest.run import ingest_directory

#: provenance that says which delivery or row brought a value: not the data itself
ROW_PROVENANCE = {"deliveries", "source_row"}
PROVENANCE_LISTS = {"sources", "legal_bases"}
FIRST = ("traders.csv", "persons.csv", "roles.csv", "premises.csv")
SECOND = ("machine_licences.csv", "machine_events.csv", "retail_checks.csv",
          "eps_packs.csv", "tips.csv", "seizures.csv")


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    from graphfraud.synth import generate_world

    out = tmp_path_factory.mktemp("daily") / "world"
    generate_world("tiny", 7, out)
    return out


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def _split(world: Path, out: Path) -> tuple[Path, Path]:
    """Day 1: the registers and the first half of the e-ADs; day 2: an empty trader
    register, the other e-ADs (cut between two ARCs), the EMCS messages and the rest, so
    the files load in the order a whole ingest loads them."""
    day1, day2 = out / "day1", out / "day2"
    for d in (day1, day2):
        d.mkdir(parents=True)
    for name in FIRST:
        shutil.copy(world / name, day1 / name)
    for name in SECOND:
        shutil.copy(world / name, day2 / name)
    shutil.copytree(world / "emcs", day2 / "emcs")
    with open(world / "movements.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    arc = header.index("arc")
    cut = len(body) // 2
    while cut < len(body) and body[cut][arc] == body[cut - 1][arc]:
        cut += 1
    _write(day1 / "movements.csv", header, body[:cut])
    _write(day2 / "movements.csv", header, body[cut:])
    _write(day2 / "traders.csv", rows_header(world / "traders.csv"), [])
    return day1, day2


def rows_header(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


def _data_fingerprint(store) -> tuple[int, int, str]:
    """The graph's nodes and relationships with their properties, leaving out the
    provenance of deliveries and rows (and the Delivery nodes), provenance lists as sets."""
    def clean(props: dict) -> dict:
        return {k: sorted(v) if k in PROVENANCE_LISTS else v
                for k, v in sorted((props or {}).items()) if k not in ROW_PROVENANCE}

    names, nodes = {}, []
    for row in store.stream("graph_nodes"):
        if "Delivery" in row["labels"]:
            continue
        props = clean(row["props"])
        names[row["id"]] = json.dumps([sorted(row["labels"]), props], sort_keys=True,
                                      default=str)
        nodes.append(names[row["id"]])
    rels = [json.dumps([names[r["start"]], r["type"], names[r["end"]], clean(r["props"])],
                       sort_keys=True, default=str)
            for r in store.stream("graph_relationships")
            if r["start"] in names and r["end"] in names]
    digest = hashlib.sha256("\n".join(sorted(nodes) + ["--"] + sorted(rels)).encode())
    return len(nodes), len(rels), digest.hexdigest()


def _links(store) -> list[dict]:
    return store.run("er_links")


def test_two_deliveries_give_the_graph_of_one_and_match_only_the_new_mentions(
        store, world, tmp_path):
    ingest_directory(store, world, "whole", restart=True)
    whole, whole_links = _data_fingerprint(store), _links(store)
    assert whole[0] > 1000 and len(whole_links) > 5
    store.clear()
    store.apply_schema()

    day1, day2 = _split(world, tmp_path / "split")
    cache = tmp_path / "cache"
    first = ingest_directory(store, day1, "day1", restart=True, cache_dir=cache)
    second = ingest_directory(store, day2, "day2", restart=True, cache_dir=cache)
    assert _data_fingerprint(store) == whole
    assert [{k: v for k, v in r.items() if k != "source_row"} for r in _links(store)] == \
        [{k: v for k, v in r.items() if k != "source_row"} for r in whole_links]
    er1, er2 = first.resolution, second.resolution
    assert er1["mentions_matched"] == er1["mentions"] > 0  # nothing kept yet
    assert er2["mentions_kept"] == er1["mentions"]  # day 1's mentions: kept results
    assert er2["mentions_matched"] == er2["mentions"] - er1["mentions"] > 0
    kept = _data_fingerprint(store)
    again = ingest_directory(store, day2, "day2", cache_dir=cache)  # idempotent re-ingest
    assert again.resolution["mentions_matched"] == 0
    assert _data_fingerprint(store) == kept


def test_a_changed_trader_or_a_damaged_cache_matches_everything_again(store, world, tmp_path):
    cache = tmp_path / "cache"
    ingest_directory(store, world, "whole", restart=True, cache_dir=cache)
    with open(world / "traders.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    day = tmp_path / "renamed"
    day.mkdir()
    name = rows[0].index("name")
    rows[1][name] = rows[1][name] + " Holding"  # a renamed trader changes every candidate
    _write(day / "traders.csv", rows[0], rows[1:2])
    renamed = ingest_directory(store, day, "renamed", restart=True, cache_dir=cache)
    assert renamed.resolution["mentions_kept"] == 0
    assert renamed.resolution["mentions_matched"] == renamed.resolution["mentions"] > 0
    with_cache = _links(store)
    resolve_mentions(store, "renamed")  # no cache: everything matched from scratch
    assert _links(store) == with_cache
    for kept in cache.glob("er-*.bin"):
        kept.write_bytes(b"\x00damaged")
    damaged = ingest_directory(store, day, "renamed", cache_dir=cache)
    assert damaged.resolution["mentions_matched"] == damaged.resolution["mentions"]
    assert _links(store) == with_cache
    assert ingest_directory(store, day, "renamed",
                            cache_dir=cache).resolution["mentions_matched"] == 0
