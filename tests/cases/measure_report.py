"""The case report's time for a case of N nodes (docs/cases.md), on the embedded store:

    python tests/cases/measure_report.py --scale small --seed 3 --nodes 200

A generated world in a fresh home, ingested and detected; an investigator's case from
the top finding, with more findings linked (by score) until the case's network (the
union of its findings' subgraphs, what the report draws) holds at least N nodes; then
the report gathered (the Session's reads) and rendered to PDF and to HTML, timed. Not a
test (nothing to assert); it prints the figures as JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> dict[str, object]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="small")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--nodes", type=int, default=200)
    args = ap.parse_args(argv)

    from graphfraud.config import load_settings
    from graphfraud.detect.runner import detect
    from graphfraud.detect.runs import save_run
    from graphfraud.ingest.run import ingest_directory
    from graphfraud.report.content import gather
    from graphfraud.report.html import render_html
    from graphfraud.report.pdf import render_pdf
    from graphfraud.security.session import Session
    from graphfraud.security.users import User
    from graphfraud.servers import falkordb_local
    from graphfraud.store import open_store
    from graphfraud.synth import generate_world

    home = Path(tempfile.mkdtemp(prefix="gf-report-measure-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHFRAUD_")}
    env.update({"GRAPHFRAUD_HOME": str(home), "GRAPHFRAUD_STORE": "embedded",
                "GRAPHFRAUD_GRAPH": "gf_measure"})
    settings = load_settings(env)
    world = home / "world"
    out: dict[str, object] = {"scale": args.scale, "seed": args.seed}
    try:
        t = time.perf_counter()
        generate_world(args.scale, args.seed, world)
        with open_store(settings, "embedded") as st:
            st.clear()
            ingest_directory(st, world, f"{args.scale}-{args.seed}", resolve=False,
                             restart=True)
            out["ingest_s"] = round(time.perf_counter() - t, 1)
            doc = detect(st, f"{args.scale}-{args.seed}")
            save_run(settings, doc)
            inv = Session(st, settings, User("measure", "investigator"),
                          purpose="report timing")
            found = sorted(doc.findings, key=lambda f: -float(f.score))
            case = inv.create_case("OM-MEASURE-1", "Report timing", finding=found[0],
                                   run=doc.run)
            seen = set(inv.finding_subgraph(found[0]).nodes)
            linked = 1
            for f in found[1:]:
                if len(seen) >= args.nodes:
                    break
                inv.link_case_finding(case.case_id, f, doc.run)
                seen |= set(inv.finding_subgraph(f).nodes)
                linked += 1
            t = time.perf_counter()
            rc = gather(inv, case.case_id, "2026-01-01 00:00 UTC")
            out["gather_s"] = round(time.perf_counter() - t, 2)
            t = time.perf_counter()
            pdf = render_pdf(rc)
            out["pdf_s"] = round(time.perf_counter() - t, 2)
            t = time.perf_counter()
            html = render_html(rc)
            out["html_s"] = round(time.perf_counter() - t, 2)
            t = time.perf_counter()
            inv.case_report(case.case_id, "pdf")
            out["case_report_pdf_s"] = round(time.perf_counter() - t, 2)
            out.update({"findings_linked": linked, "of_findings": len(found),
                        "nodes": len(rc.nodes), "links": len(rc.edges),
                        "pdf_bytes": len(pdf), "html_bytes": len(html.encode())})
    finally:
        falkordb_local.stop(settings)
    print(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    main()
