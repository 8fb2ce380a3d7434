"""Measure entity resolution in the graph against a synthetic world's `truth.json`.

The truth names each name variant by file, data row and field; the mention it became
in the graph is found with the same rule the loaders use (`graphfraud.model.keys.mention_id`
of the row's entity), so the figures judge exactly what ingest linked.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from graphfraud.model.keys import mention_id
from graphfraud.resolve.evaluate import er_metrics
from graphfraud.resolve.matcher import MatchResult
from graphfraud.store.base import GraphStore

_ENTITY_KEY = {
    "tips.csv": lambda row, _n: row["tip_id"],
    "machine_licences.csv": lambda row, _n: row["licence_id"],
    "movements.csv": lambda row, _n: row["arc"],
    "retail_checks.csv": lambda row, n: f"{row['check_id']}/{n}",
}


def truth_mentions(world: Path, variants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The truth's name variants as `{"mention_id", "trader_id"}`."""
    wanted: dict[str, dict[int, dict[str, Any]]] = {}
    for v in variants:
        wanted.setdefault(v["file"], {})[int(v["row"])] = v
    out: list[dict[str, Any]] = []
    for file_name, rows in wanted.items():
        key_of = _ENTITY_KEY.get(file_name)
        if key_of is None or not (world / file_name).exists():
            continue
        ordinal: dict[str, int] = {}
        with open(world / file_name, encoding="utf-8-sig", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh), start=1):
                if "check_id" in row:
                    ordinal[row["check_id"]] = ordinal.get(row["check_id"], 0) + 1
                v = rows.get(n)
                if v is None:
                    continue
                entity = key_of(row, ordinal.get(row.get("check_id", ""), 0))
                out.append({"mention_id": mention_id(file_name, entity, v["field"]),
                            "trader_id": v.get("trader_id"), "file": file_name})
    # one judgement per mention (several rows of one e-AD share its consignee mention)
    return list({m["mention_id"]: m for m in out}.values())


def evaluate_er(store: GraphStore, world: Path, truth: dict[str, Any]) -> dict[str, Any]:
    """Precision and recall of the SAME_AS links, overall and per source file."""
    links = [MatchResult(r["mention_id"], r["trader_id"], float(r["score"] or 0), r["status"],
                         r["method"] or "") for r in store.run("er_links")
             if r["status"] in ("linked", "candidate")]
    fuzzy = {lk.mention_id for lk in links}
    links += [MatchResult(mid, r["trader_id"], 1.0, "linked", "exact key at load")
              for r in store.run("er_exact_links")
              if (mid := mention_id(r["file"], r["entity"], r["field"])) not in fuzzy]
    judged = truth_mentions(world, truth.get("name_variants", []))
    report: dict[str, Any] = {"overall": er_metrics(links, judged)}
    for file_name in sorted({m["file"] for m in judged}):
        subset = [m for m in judged if m["file"] == file_name]
        ids = {m["mention_id"] for m in subset}
        report[file_name] = er_metrics([lk for lk in links if lk.mention_id in ids], subset)
    return report
