"""`python -m bench <name> [--scale S]`: run a benchmark, print its table, write its JSON."""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback

from bench.common import SCALES, write_result

BENCHMARKS = ("ingest_parse", "ingest_neo4j", "ingest_embedded", "ingest_daily", "detection",
              "queries", "profile", "restart", "ui_pages", "scaling")


def run_one(name: str, scale: str) -> dict:
    module = importlib.import_module(f"bench.{name}")
    began = time.perf_counter()
    result = module.run(scale)
    result["bench_seconds"] = round(time.perf_counter() - began, 1)
    path = write_result(name, scale, result)
    print(module.render(result, scale))
    print(f"[{name} {scale}: {result['bench_seconds']} s → {path}]\n", flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("name", choices=(*BENCHMARKS, "all"))
    parser.add_argument("--scale", choices=SCALES, default="medium")
    args = parser.parse_args(argv)
    names = BENCHMARKS[:-1] if args.name == "all" else (args.name,)
    failed = []
    for name in names:
        try:
            run_one(name, args.scale)
        except Exception:  # noqa: BLE001 - one failing benchmark must not hide the others
            traceback.print_exc()
            failed.append(name)
    if args.name == "all":
        try:
            run_one("scaling", args.scale)
        except Exception:  # noqa: BLE001
            traceback.print_exc()
            failed.append("scaling")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
