"""What every benchmark shares: worlds, homes, servers, timers, tables and results.

Each benchmark runs in its own GRAPHFRAUD_HOME under `bench/.work/homes/` and its Neo4j
on its own ports (27687/27474 by default, `BENCH_BOLT_PORT`/`BENCH_HTTP_PORT`), so it
never touches a developer's data or the test server; every server a benchmark starts is
stopped when it ends, also on error.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
WORK = Path(os.environ.get("BENCH_WORK", BENCH_DIR / ".work"))
RESULTS = BENCH_DIR / "results"
SEED = int(os.environ.get("BENCH_SEED", "7"))
BOLT_PORT = int(os.environ.get("BENCH_BOLT_PORT", "27687"))
HTTP_PORT = int(os.environ.get("BENCH_HTTP_PORT", "27474"))
NEO4J_HEAP = os.environ.get("BENCH_NEO4J_HEAP", "2g")
NEO4J_PAGECACHE = os.environ.get("BENCH_NEO4J_PAGECACHE", "1g")
SCALES = ("tiny", "small", "medium", "large")


# -- worlds and homes --------------------------------------------------------------------
def world(scale: str, seed: int = SEED) -> Path:
    """The synthetic world of `scale` (generated once and kept under bench/.work)."""
    from graphfraud.synth import generate_world

    out = WORK / "worlds" / f"{scale}-{seed}"
    done = out / ".complete"
    if not done.exists():
        if out.exists():
            shutil.rmtree(out)
        generate_world(scale, seed, out)
        done.write_text("ok\n")
    return out


def fresh_copy(src: Path, name: str) -> Path:
    """A copy of a dataset without a previous run's checkpoint and quarantine."""
    dst = WORK / "datasets" / name
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".graphfraud", ".complete"))
    return dst


def data_rows(directory: Path) -> dict[str, int]:
    """Data rows per contract file (CSV rows; EMCS XML counted as its body lines)."""
    out: dict[str, int] = {}
    for p in sorted(directory.glob("*.csv")):
        with open(p, "rb") as fh:
            out[p.name] = max(sum(1 for _ in fh) - 1, 0)
    xml = sorted((directory / "emcs").glob("*.xml")) if (directory / "emcs").is_dir() else []
    if xml:
        out["emcs/*.xml"] = sum(p.read_text(encoding="utf-8").count("<BodyEad>")
                                for p in xml)
    return out


def home(name: str, wipe: bool = True) -> Path:
    path = WORK / "homes" / name
    if wipe and path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings_for(home_dir: Path, **env: str):
    from graphfraud.config import load_settings

    base = {k: v for k, v in os.environ.items() if not k.startswith("GRAPHFRAUD_")}
    base.update({"GRAPHFRAUD_HOME": str(home_dir),
                 "GRAPHFRAUD_NEO4J_BOLT_PORT": str(BOLT_PORT),
                 "GRAPHFRAUD_NEO4J_HTTP_PORT": str(HTTP_PORT),
                 "GRAPHFRAUD_NEO4J_HEAP": NEO4J_HEAP,
                 "GRAPHFRAUD_NEO4J_PAGECACHE": NEO4J_PAGECACHE, **env})
    return load_settings(base)


@contextmanager
def neo4j_server(home_dir: Path) -> Iterator[Any]:
    """A local Neo4j in `home_dir` on the bench ports; stopped on the way out."""
    from graphfraud.servers import neo4j_local

    settings = settings_for(home_dir)
    try:
        neo4j_local.start(settings, timeout_s=300)
    except BaseException:
        neo4j_local.stop(settings)  # a server that began but did not answer is ended too
        raise
    try:
        yield settings
    finally:
        neo4j_local.stop(settings)


@contextmanager
def embedded_server(home_dir: Path) -> Iterator[Any]:
    """The embedded graph in `home_dir`; its server is stopped on the way out."""
    from graphfraud.servers import falkordb_local

    settings = settings_for(home_dir)
    try:
        yield settings
    finally:
        falkordb_local.stop(settings)


def neo4j_admin(settings, *args: str, timeout_s: float = 3600) -> subprocess.CompletedProcess:
    """Run neo4j-admin (from the cached jars) against the home of `settings`, as the
    product runs it (`neo4j_local.admin`), with the bench's heap."""
    from graphfraud.servers import neo4j_local

    return neo4j_local.admin(settings, *args, heap=NEO4J_HEAP, timeout_s=timeout_s)


# -- measuring ---------------------------------------------------------------------------
class Timer:
    def __init__(self) -> None:
        self.seconds = 0.0

    def __enter__(self) -> Timer:
        self._t = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._t


def measure(fn: Callable[[], Any], memory: bool = True) -> tuple[Any, float, float | None]:
    """(result, seconds, peak MiB allocated by Python while it ran)."""
    if memory:
        tracemalloc.start()
    began = time.perf_counter()
    try:
        result = fn()
    finally:
        seconds = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1] / 2**20 if memory else None
        if memory:
            tracemalloc.stop()
    return result, seconds, peak


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    s = sorted(samples_ms)
    if not s:
        return {"n": 0}

    def pct(p: float) -> float:
        k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
        return round(s[k], 2)
    return {"n": len(s), "p50_ms": pct(50), "p95_ms": pct(95), "max_ms": round(s[-1], 2),
            "mean_ms": round(statistics.fmean(s), 2)}


def rate(rows: int, seconds: float | None) -> float | None:
    return round(rows / seconds, 1) if seconds else None


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a and b else None


# -- output ------------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    return {"python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "mem_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30,
                             1)}


def write_result(name: str, scale: str, result: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    doc = {"benchmark": name, "scale": scale, "seed": SEED,
           "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
           "machine": machine(), **result}
    path = RESULTS / f"{name}-{scale}.json"
    text = json.dumps(doc, indent=1, sort_keys=False, default=str) + "\n"
    path.write_text(text, encoding="utf-8")
    latest = RESULTS / "latest.json"
    merged: dict[str, Any] = {}
    if latest.exists():
        try:
            merged = json.loads(latest.read_text(encoding="utf-8"))
        except ValueError:
            merged = {}
    merged[f"{name}-{scale}"] = doc
    latest.write_text(json.dumps(merged, indent=1, default=str) + "\n", encoding="utf-8")
    return path


def table(title: str, headers: list[str], rows: list[list[Any]]) -> str:
    """A plain-text table (no dependency), numbers right-aligned."""
    def fmt(v: Any) -> str:
        if v is None:
            return "—"
        if isinstance(v, float):
            return f"{v:,.3f}" if abs(v) < 10 else f"{v:,.1f}"
        if isinstance(v, int):
            return f"{v:,}"
        return str(v)
    cells = [[fmt(v) for v in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
              for i, h in enumerate(headers)]
    num = [all(isinstance(r[i], int | float) or r[i] is None for r in rows) for i in
           range(len(headers))]
    line = "  ".join(h.rjust(w) if n else h.ljust(w) for h, w, n in zip(headers, widths, num,
                                                                          strict=True))
    out = [title, line, "  ".join("-" * w for w in widths)]
    for r in cells:
        out.append("  ".join(c.rjust(w) if n else c.ljust(w)
                             for c, w, n in zip(r, widths, num, strict=True)))
    return "\n".join(out)
