"""Entity resolution after loading: link name mentions to traders, never merge.

Exact keys come first (a trader id or KvK number given as the name); then the fuzzy
matcher of `graphfraud.resolve` scores normalised names and addresses with blocking.
A score above the link threshold makes a `SAME_AS` link with status `linked`; between
the thresholds, status `candidate` (for review). A link a reviewer set to `rejected` is
never made again.
"""

from __future__ import annotations

from typing import Any

from graphfraud.model.schema import DERIVED
from graphfraud.resolve.addresses import KnownAddress, StatedAddress, match_addresses
from graphfraud.resolve.matcher import Mention, TraderRecord, match_mentions
from graphfraud.store.base import GraphStore

SUPPLIER_STATUSES = frozenset({"authorised_warehousekeeper", "registered_consignee",
                               "temporary_registered_consignee", "registered_consignor"})


def is_supplier(trader: dict[str, Any]) -> bool:
    """Trades as a supplier of shops: wholesale activity (SBI 46…) or an excise
    authorisation; used to tell namesakes apart when a shopkeeper names a supplier."""
    return str(trader.get("sbi_code") or "").startswith("46") or \
        trader.get("excise_status") in SUPPLIER_STATUSES


def resolve_mentions(store: GraphStore, delivery: str) -> dict[str, Any]:
    traders = [TraderRecord(trader_id=r["trader_id"], name=r["name"] or "",
                            kvk_number=r.get("kvk_number"), excise_number=r.get("excise_number"),
                            postcode=r.get("postcode"), house_number=r.get("house_number"),
                            city=r.get("city"), street=r.get("street"), country=r.get("country"),
                            supplier=is_supplier(r))
               for r in store.stream("er_traders")]
    rows = list(store.stream("er_mentions"))
    rejected = {(r["mention_id"], t) for r in rows for t in (r.get("rejected") or []) if t}
    mentions = [Mention(mention_id=r["mention_id"], source=r.get("source") or "",
                        field=r.get("field") or "", text=r["text"] or "",
                        postcode=r.get("postcode"), city=r.get("city"), street=r.get("street"),
                        house_number=r.get("house_number"))
                for r in rows if r.get("text")]
    results = match_mentions(mentions, traders)
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
