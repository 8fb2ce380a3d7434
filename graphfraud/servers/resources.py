"""Resource limits the engines enforce themselves, sized from the machine, overridable.

One query must not take a server down for everyone (issue #16). The limits here go into
the generated `neo4j.conf` and the embedded server's start options; a Neo4j elsewhere
needs the same settings in its own `neo4j.conf` (docs/limits.md).

| what | default | environment variable |
|---|---|---|
| longest any query may run, both engines | 900 s | `GRAPHFRAUD_QUERY_TIMEOUT_MAX` (s) |
| Neo4j memory of one transaction | half the heap | `GRAPHFRAUD_NEO4J_TX_MEMORY` (e.g. `512m`) |
| Neo4j memory of all transactions | 70 % of the heap | `GRAPHFRAUD_NEO4J_TX_TOTAL_MEMORY` |
| embedded memory of one query | RAM / 6, 1-6 GB | `GRAPHFRAUD_EMBEDDED_QUERY_MEMORY` |
| embedded worker threads | 2 × cores, at least 4 | `GRAPHFRAUD_EMBEDDED_THREADS` |

Why these: 900 s is three times the longest time-out the UI offers (300 s) and above the
longest detection read of the large benchmark world, so it only stops what nothing
legitimate does. Half the heap per Neo4j transaction leaves the other half for the page
cache's helpers and a second user; the total stays under the heap so a transaction is
refused (`MemoryPoolOutOfMemoryError`) before the JVM runs out (with
`-XX:+ExitOnOutOfMemoryError` an exhausted heap ends the process). More embedded
workers than cores keep a worker free for a simple query while two heavy ones run.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

_GIB = 1 << 30
_SIZE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


class ResourceConfigError(ValueError):
    """A limit set in the environment that cannot be read; the message names it."""


def parse_size(value: str, name: str = "size") -> int:
    """Bytes of a size such as `768m`, `1g`, `512MiB` or `1048576`."""
    m = _SIZE.match(value)
    if not m:
        raise ResourceConfigError(f"{name} must be a size such as 512m or 2g, not {value!r}")
    return int(float(m.group(1)) * _UNITS[m.group(2).lower()])


def neo4j_size(size: int) -> str:
    """A byte count in Neo4j's notation (whole mebibytes)."""
    return f"{max(1, size >> 20)}m"


def machine_memory() -> int:
    """Physical memory in bytes (4 GiB when the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 4 * _GIB


@dataclass(frozen=True)
class EngineLimits:
    query_timeout_max_s: int
    neo4j_tx_memory: int
    neo4j_tx_total_memory: int
    embedded_query_memory: int
    embedded_threads: int


def engine_limits(neo4j_heap: str = "1g", env: dict[str, str] | None = None,
                  ram: int | None = None, cores: int | None = None) -> EngineLimits:
    """The limits for this machine and heap, with the environment's overrides."""
    env = dict(os.environ if env is None else env)
    heap = parse_size(neo4j_heap, "GRAPHFRAUD_NEO4J_HEAP")
    ram = ram or machine_memory()
    cores = cores or os.cpu_count() or 2

    def size(name: str, default: int) -> int:
        raw = env.get(name)
        return parse_size(raw, name) if raw else default

    timeout_raw = env.get("GRAPHFRAUD_QUERY_TIMEOUT_MAX") or "900"
    threads_raw = env.get("GRAPHFRAUD_EMBEDDED_THREADS") or str(max(4, 2 * cores))
    try:
        timeout, threads = int(timeout_raw), int(threads_raw)
    except ValueError:
        raise ResourceConfigError("GRAPHFRAUD_QUERY_TIMEOUT_MAX and "
                                  "GRAPHFRAUD_EMBEDDED_THREADS are whole numbers") from None
    if timeout < 1 or threads < 1:
        raise ResourceConfigError("GRAPHFRAUD_QUERY_TIMEOUT_MAX and "
                                  "GRAPHFRAUD_EMBEDDED_THREADS must be at least 1")
    total = size("GRAPHFRAUD_NEO4J_TX_TOTAL_MEMORY", int(heap * 0.7))
    per_tx = min(size("GRAPHFRAUD_NEO4J_TX_MEMORY", heap // 2), total)
    embedded = size("GRAPHFRAUD_EMBEDDED_QUERY_MEMORY",
                    min(6 * _GIB, max(_GIB, ram // 6)))
    return EngineLimits(timeout, per_tx, total, embedded, threads)


def clamp_timeout_ms(timeout_s: float | None) -> int | None:
    """A query time-out for the embedded engine in ms, at most its TIMEOUT_MAX (a larger
    one is refused by the engine)."""
    if not timeout_s or timeout_s <= 0:
        return None
    try:
        cap = int(os.environ.get("GRAPHFRAUD_QUERY_TIMEOUT_MAX") or 900)
    except ValueError:
        cap = 900
    return max(1, min(int(timeout_s * 1000), cap * 1000))


def neo4j_conf_lines(limits: EngineLimits) -> dict[str, str]:
    """The `neo4j.conf` settings that make Neo4j stop a query itself."""
    return {
        "db.transaction.timeout": f"{limits.query_timeout_max_s}s",
        # the monitor looks for timed-out transactions this often (default 2 s, which
        # let a 2 s time-out run to 4 s)
        "db.transaction.monitor.check.interval": "100ms",
        "db.memory.transaction.max": neo4j_size(limits.neo4j_tx_memory),
        "db.memory.transaction.total.max": neo4j_size(limits.neo4j_tx_total_memory),
        "dbms.memory.transaction.total.max": neo4j_size(limits.neo4j_tx_total_memory),
    }


def falkordb_module_args(limits: EngineLimits) -> list[str]:
    """The embedded engine's module options (after `--loadmodule falkordb.so`)."""
    timeout_ms = str(limits.query_timeout_max_s * 1000)
    return ["TIMEOUT_MAX", timeout_ms, "TIMEOUT_DEFAULT", timeout_ms,
            "QUERY_MEM_CAPACITY", str(limits.embedded_query_memory),
            "THREAD_COUNT", str(limits.embedded_threads),
            "MAX_QUEUED_QUERIES", "256"]
