"""Entity resolution after loading: link name mentions to traders, never merge.

Exact keys come first (a trader id or KvK number given as the name); then the fuzzy
matcher of `graphfraud.resolve` scores normalised names and addresses with blocking.
A score above the link threshold makes a `SAME_AS` link with status `linked`; between
the thresholds, status `candidate` (for review). A link a reviewer set to `rejected` is
never made again.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from graphfraud.ingest.resolution_cache import ResolutionCache, cache_dir_of
from graphfraud.model.schema import DERIVED
from graphfraud.resolve import kept
from graphfraud.resolve.addresses import KnownAddress, StatedAddress, match_addresses
from graphfraud.resolve.kept import mention_key, result_from_plain, result_to_plain, traders_digest
from graphfraud.resolve.matcher import (
    MatchResult,
    Mention,
    TraderRecord,
    build_index,
    match_mentions,
)
from graphfraud.store.base import GraphStore

SUPPLIER_STATUSES = frozenset({"authorised_warehousekeeper", "registered_consignee",
                               "temporary_registered_consignee", "registered_consignor"})


def is_supplier(trader: dict[str, Any]) -> bool:
    """Trades as a supplier of shops: wholesale activity (SBI 46…) or an excise
    authorisation; used to tell namesakes apart when a shopkeeper names a supplier."""
    return str(trader.get("sbi_code") or "").startswith("46") or \
        trader.get("excise_status") in SUPPLIER_STATUSES


#: the kinds of the `er_traders` columns (a typed read: no [type, value] pair per cell)
TRADER_COLUMNS = {c: "string" for c in (
    "trader_id", "name", "kvk_number", "excise_number", "sbi_code", "excise_status",
    "postcode", "house_number", "city", "street", "country")}


def _trader_records(names: list[str], columns: list[list[Any]]) -> list[TraderRecord]:
    rows = [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]
    return [TraderRecord(trader_id=r["trader_id"], name=r["name"] or "",
                         kvk_number=r.get("kvk_number"), excise_number=r.get("excise_number"),
                         postcode=r.get("postcode"), house_number=r.get("house_number"),
                         city=r.get("city"), street=r.get("street"), country=r.get("country"),
                         supplier=is_supplier(r))
            for r in rows]


def match_all(store: GraphStore, mentions: list[Mention],
              cache: ResolutionCache | None = None) -> tuple[list[MatchResult], dict[str, int]]:
    """The matcher's result for every mention against every trader in the graph, and how
    many were matched now (`matched`) or taken from the cache (`kept`).

    With a `cache`, a mention whose fields and traders are those of a kept result takes
    that result, and the index is read back instead of built when the traders are those
    it was built from (`graphfraud.resolve.kept`: the keys are digests of all the inputs,
    so the results are the ones matching everything again gives)."""
    names, columns = store.read_columns("er_traders", types=TRADER_COLUMNS)
    digest = traders_digest([names, *columns])
    results = cache.results(digest) if cache is not None else {}
    keyed = [(mention_key(m), m) for m in mentions]
    todo = [m for key, m in keyed if key not in results]
    if todo:
        plain = cache.index(digest) if cache is not None else None
        if plain is not None:
            index = kept.index_from_plain(plain)
        else:
            index = build_index(_trader_records(names, columns))
            if cache is not None:
                cache.save_index(digest, kept.index_to_plain(index))
        made = {r.mention_id: r for r in match_mentions(todo, index)}
        for m in todo:
            results[mention_key(m)] = result_to_plain(made.get(m.mention_id))
    current = {key: results[key] for key, _m in keyed}
    if cache is not None and (todo or len(current) != len(results)):
        cache.save_results(digest, current)  # only the mentions the graph holds now
    out = [r for r in (result_from_plain(current[key]) for key, _m in keyed) if r is not None]
    out.sort(key=lambda r: r.mention_id)
    return out, {"matched": len(todo), "kept": len(keyed) - len(todo)}


def _mentions(rows: list[dict[str, Any]]) -> list[Mention]:
    """The `er_mentions` rows the matcher takes (a mention without text matches nothing)."""
    return [Mention(mention_id=r["mention_id"], source=r.get("source") or "",
                    field=r.get("field") or "", text=r["text"] or "",
                    postcode=r.get("postcode"), city=r.get("city"), street=r.get("street"),
                    house_number=r.get("house_number"))
            for r in rows if r.get("text")]


def warm_cache_after_bulk(store: GraphStore, cache_dir: Path | None = None,
                          ) -> dict[str, Any] | None:
    """After a bulk load: write the index and results the next ingest's `match_all` reads
    for the store just loaded (its identity, the digest of its own `er_traders`), so the
    first delivery after the load is warm.

    The bulk load resolved on the in-memory store, under another identity and from trader
    rows read otherwise (the collector's `er_traders` has no `sbi_code`/`excise_status`,
    so another digest and another supplier flag): nothing of it can stand for the stored
    graph's result. The mentions are matched here against the stored traders, which is
    exactly the run the next ingest would otherwise make cold. `cache_dir` defaults to the
    home's (`resolution_cache.cache_dir_of`); None when the store has no home."""
    cache_dir = cache_dir or cache_dir_of(store)
    if cache_dir is None:
        return None
    began = time.perf_counter()
    mentions = _mentions(list(store.stream("er_mentions")))
    _results, counts = match_all(store, mentions, ResolutionCache(cache_dir, store.identity()))
    return {**counts, "seconds": round(time.perf_counter() - began, 3)}


def resolve_mentions(store: GraphStore, delivery: str,
                     cache_dir: Path | None = None) -> dict[str, Any]:
    """Link every name mention in the graph to its trader (`SAME_AS` with score, status
    and evidence), replacing the automatic links of the last run. `cache_dir` keeps the
    trader index and the results between runs (`match_all`); the links are the same."""
    rows = list(store.stream("er_mentions"))
    rejected = {(r["mention_id"], t) for r in rows for t in (r.get("rejected") or []) if t}
    mentions = _mentions(rows)
    cache = ResolutionCache(cache_dir, store.identity()) if cache_dir is not None else None
    results, counts = match_all(store, mentions, cache)
    links = [{"start": m.mention_id, "end": m.trader_id,
              "props": {"score": round(float(m.score), 4), "status": m.status,
                        "method": m.method, "evidence": list(m.evidence)}}
             for m in results if (m.mention_id, m.trader_id) not in rejected]
    store.run("er_clear_automatic_links")
    store.upsert("link_same_as__namemention_trader", links,
                 extra={"source": "entity_resolution", "delivery": delivery,
                        "legal_basis": DERIVED})
    linked = sum(1 for x in links if x["props"]["status"] == "linked")
    return {"mentions": len(mentions), "linked": linked, "candidates": len(links) - linked,
            "mentions_matched": counts["matched"], "mentions_kept": counts["kept"],
            **resolve_tip_addresses(store, delivery)}


def resolve_tip_addresses(store: GraphStore, delivery: str) -> dict[str, int]:
    """Tips with a street, number and place but no postcode -> `MENTIONS` links to the
    addresses they match (`graphfraud.resolve.addresses`), with score and evidence."""
    rows = list(store.stream("er_tip_addresses"))
    if not rows:
        return {"tip_addresses": 0, "tip_addresses_linked": 0, "tip_addresses_candidates": 0}
    rejected = {(r["tip_id"], k) for r in rows for k in (r.get("rejected") or []) if k}
    known = [KnownAddress(r["address_key"], r.get("street"), r.get("house_number"), r.get("city"))
             for r in store.stream("er_addresses")]
    stated = [StatedAddress(r["tip_id"], r.get("street"), r.get("house_number"), r.get("city"))
              for r in rows]
    links = [{"start": m.ref, "end": m.address_key,
              "props": {"score": m.score, "status": m.status, "method": m.method,
                        "evidence": list(m.evidence)}}
             for m in match_addresses(stated, known) if (m.ref, m.address_key) not in rejected]
    store.run("er_clear_address_links")
    store.upsert("link_mentions__tip_address", links,
                 extra={"source": "entity_resolution", "delivery": delivery,
                        "legal_basis": DERIVED})
    linked = sum(1 for x in links if x["props"]["status"] == "linked")
    return {"tip_addresses": len(stated), "tip_addresses_linked": linked,
            "tip_addresses_candidates": len(links) - linked}
