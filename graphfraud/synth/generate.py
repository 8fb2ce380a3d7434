"""`generate_world`: build a world in a fixed order and write it (the public entry point)."""

from __future__ import annotations

import datetime as dt
import heapq
import json
from pathlib import Path
from typing import Any

from graphfraud.synth import noise
from graphfraud.synth.cases.decoys import plant_decoys
from graphfraud.synth.cases.diversion import plant_diversions
from graphfraud.synth.cases.factory import plant_factories
from graphfraud.synth.cases.supplier import plant_suppliers
from graphfraud.synth.config import get_scale
from graphfraud.synth.emcs_writer import LATER_DIR
from graphfraud.synth.eps import eps_rows, eps_targets
from graphfraud.synth.legal_stream import ArcMinter, legal_movements
from graphfraud.synth.licences import legal_licences
from graphfraud.synth.market import build_market
from graphfraud.synth.retail import background_checks
from graphfraud.synth.world import World
from graphfraud.synth.writer import (
    NameVariantLog,
    renumber,
    renumber_checks,
    write_movements,
    write_table,
)


def generated_at(seed: int) -> str:
    """A fixed timestamp derived from the seed, so output is byte-identical per seed."""
    base = dt.datetime(2024, 1, 15, 6, 0, 0)
    return (base + dt.timedelta(minutes=seed % 1440)).isoformat() + "+01:00"


def generate_world(scale: str, seed: int, out: Path, xml_share: float = 0.05) -> dict[str, int]:
    """Generate a synthetic world into `out`; return the number of rows per file written.

    Same (scale, seed) gives byte-identical files; `xml_share` of the movements is
    written as EMCS phase-4 messages in `out/emcs/` instead of movements.csv, without
    changing the world itself; some of their follow-ups go to `out/later/emcs/`, a second
    delivery to ingest after `out`.
    """
    if not 0.0 <= xml_share <= 1.0:
        raise ValueError(f"xml_share must be between 0 and 1, got {xml_share}")
    sc = get_scale(scale)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for folder in (out / "emcs", out / LATER_DIR):
        for old in sorted(folder.glob("*.xml")):
            old.unlink()  # a previous run's messages would double movements

    world = World(seed, sc)
    market = build_market(world)
    legal_licences(world)
    arcs = ArcMinter(world.rng("arcs"))
    plant_decoys(world, market, arcs)
    plant_factories(world, arcs)
    plant_diversions(world, arcs)
    plant_suppliers(world, arcs)
    background_checks(world)
    noise.background(world)

    log = NameVariantLog()
    counts: dict[str, int] = {}
    counts["traders.csv"] = write_table(out, "traders.csv", (t.row() for t in world.traders), log)
    counts["persons.csv"] = write_table(out, "persons.csv", (p.row() for p in world.persons), log)
    counts["roles.csv"] = write_table(out, "roles.csv", world.roles, log)
    counts["premises.csv"] = write_table(out, "premises.csv", (p.row() for p in world.premises), log)
    case_mv = sorted(world.case_movements, key=lambda m: m.sort_key)
    stream = heapq.merge(legal_movements(world, market, arcs), case_mv, key=lambda m: m.sort_key)
    counts.update(write_movements(out, stream, xml_share, world.rng("xml-share"), log,
                                  world.traders))
    counts["machine_licences.csv"] = write_table(out, "machine_licences.csv", world.licences, log)
    counts["machine_events.csv"] = write_table(
        out, "machine_events.csv", sorted(world.machine_events, key=lambda r: (r["at"], r["event_id"])), log)
    counts["retail_checks.csv"] = write_table(out, "retail_checks.csv",
                                              renumber_checks(world.checks), log)
    counts["eps_packs.csv"] = write_table(out, "eps_packs.csv", eps_rows(world), log)
    counts["tips.csv"] = write_table(out, "tips.csv",
                                     renumber(world.tips, "tip_id", "received_on", "TIP"), log)
    counts["seizures.csv"] = write_table(out, "seizures.csv",
                                         renumber(world.seizures, "seizure_id", "seized_on", "SZ"), log)

    truth: dict[str, Any] = {
        "dataset": f"graphfraud-synth-{sc.name}-{seed}",
        "seed": seed,
        "scale": sc.name,
        "generated_at": generated_at(seed),
        "cases": [c.as_dict() for c in world.cases],
        "decoys": [d.as_dict() for d in world.decoys],
        "name_variants": log.entries,
        "eps_targets": {
            "years": eps_targets(),
            "spikes": [{"year": y, "municipality": m, "extra_illicit_white": n}
                       for y, m, n in world.eps_spikes],
        },
    }
    with (out / "truth.json").open("w", encoding="utf-8", newline="\n") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    counts["truth_cases"] = len(world.cases)
    counts["truth_decoys"] = len(world.decoys)
    return counts
