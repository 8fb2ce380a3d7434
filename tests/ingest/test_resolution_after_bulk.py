"""The bulk load leaves entity resolution's cache the next ingest would have written for
the store it loaded, so the first delivery after it is warm (no index built, only its new
mentions matched), and the graph after that delivery is the one a cold cache gives."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from test_ingest_bulk import _copy, embedded, tiny_world  # noqa: F401  (fixtures)

import graphfraud.ingest.resolution as resolution
from graphfraud.ingest.bulk import bulk_ingest
from graphfraud.ingest.resolution_cache import ResolutionCache, cache_dir_of
from graphfraud.ingest.run import ingest_directory
from graphfraud.store.graphhash import graph_fingerprint
from graphfraud.synth.daily import daily_delivery


def _delivery(world: Path, out: Path, rows: int = 40) -> Path:
    """The bench's daily delivery (the world's last `rows` movement lines under new ARCs,
    an empty register), with a few consignees named without their excise number, so the
    delivery brings name mentions of its own."""
    daily_delivery(world, out, rows=rows, prefix="27")
    with open(out / "movements.csv", encoding="utf-8", newline="") as fh:
        head, *body = list(csv.reader(fh))
    excise, name = head.index("consignee_excise_number"), head.index("consignee_name")
    for row in body[::8]:
        if row[name]:
            row[excise] = ""
    with open(out / "movements.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([head, *body])
    return out


def _load_and_deliver(store, data: Path, day: Path, cold: bool, monkeypatch) -> dict:
    store.clear()
    for d in (data, day):
        shutil.rmtree(d / ".graphfraud", ignore_errors=True)
    cache_dir = cache_dir_of(store)
    shutil.rmtree(cache_dir, ignore_errors=True)
    bulk_ingest(store, data, "tiny")
    if cold:
        shutil.rmtree(cache_dir)
    else:
        def no_build(_records):
            raise AssertionError("the delivery after a bulk load built the trader index")
        monkeypatch.setattr(resolution, "build_index", no_build)
    report = ingest_directory(store, day, "day", cache_dir=cache_dir)
    monkeypatch.undo()
    return report.resolution


def test_the_delivery_after_a_bulk_load_is_warm_and_gives_the_cold_graph(
        embedded, tiny_world, tmp_path, monkeypatch):  # noqa: F811
    data = _copy(tiny_world, tmp_path / "tiny")
    day = _delivery(tiny_world, tmp_path / "day")
    cache_dir = cache_dir_of(embedded)
    assert cache_dir == embedded.home() / "cache"  # where `graphfraud ingest` keeps it

    warm = _load_and_deliver(embedded, data, day, cold=False, monkeypatch=monkeypatch)
    warm_graph = graph_fingerprint(embedded)
    kept = ResolutionCache(cache_dir, embedded.identity())
    names, columns = embedded.read_columns("er_traders", types=resolution.TRADER_COLUMNS)
    digest = resolution.traders_digest([names, *columns])
    assert kept.index(digest) is not None and len(kept.results(digest)) == warm["mentions"]

    cold = _load_and_deliver(embedded, data, day, cold=True, monkeypatch=monkeypatch)
    assert graph_fingerprint(embedded) == warm_graph
    # warm: only the delivery's own mentions were matched; cold: every mention
    assert cold["mentions_matched"] == cold["mentions"] == warm["mentions"]
    assert 0 < warm["mentions_matched"] < warm["mentions"]
    assert warm["mentions_kept"] == warm["mentions"] - warm["mentions_matched"]
    assert {k: v for k, v in warm.items() if not k.startswith("mentions_")} == \
        {k: v for k, v in cold.items() if not k.startswith("mentions_")}


def test_a_store_without_a_home_leaves_no_cache(tmp_path):
    class NoHome:
        pass

    assert cache_dir_of(NoHome()) is None
    assert resolution.warm_cache_after_bulk(NoHome()) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("home", [None])
def test_cache_dir_of_a_store_whose_server_is_not_ours(home):
    class Foreign:
        def home(self):
            return home

    assert cache_dir_of(Foreign()) is None
