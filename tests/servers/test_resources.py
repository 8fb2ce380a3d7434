"""Engine limits: sized from the machine and the heap, overridable, written into the
generated neo4j.conf and the embedded server's options."""

from __future__ import annotations

import pytest

from graphfraud.servers.resources import (
    ResourceConfigError,
    clamp_timeout_ms,
    engine_limits,
    falkordb_module_args,
    neo4j_conf_lines,
    parse_size,
)

GIB = 1 << 30


def test_sizes_parse_in_neo4j_and_redis_notation():
    assert parse_size("768m") == 768 << 20
    assert parse_size("1g") == GIB
    assert parse_size("2GiB") == 2 * GIB
    assert parse_size("1048576") == 1 << 20
    with pytest.raises(ResourceConfigError, match="GRAPHFRAUD_NEO4J_TX_MEMORY"):
        engine_limits("1g", {"GRAPHFRAUD_NEO4J_TX_MEMORY": "lots"})


def test_defaults_follow_the_heap_and_the_machine():
    lim = engine_limits("1g", {}, ram=24 * GIB, cores=2)
    assert lim.neo4j_tx_memory == GIB // 2
    assert lim.neo4j_tx_total_memory == int(GIB * 0.7)
    assert lim.embedded_query_memory == 4 * GIB  # RAM / 6
    assert lim.embedded_threads == 4
    assert lim.query_timeout_max_s == 900
    small = engine_limits("512m", {}, ram=2 * GIB, cores=8)
    assert small.embedded_query_memory == GIB and small.embedded_threads == 16


def test_the_environment_overrides():
    lim = engine_limits("1g", {"GRAPHFRAUD_NEO4J_TX_MEMORY": "2g",
                               "GRAPHFRAUD_NEO4J_TX_TOTAL_MEMORY": "800m",
                               "GRAPHFRAUD_EMBEDDED_QUERY_MEMORY": "256m",
                               "GRAPHFRAUD_EMBEDDED_THREADS": "3",
                               "GRAPHFRAUD_QUERY_TIMEOUT_MAX": "60"}, ram=8 * GIB)
    assert lim.neo4j_tx_memory == 800 << 20  # never above the total
    assert lim.embedded_query_memory == 256 << 20 and lim.embedded_threads == 3
    conf = neo4j_conf_lines(lim)
    assert conf["db.transaction.timeout"] == "60s"
    assert conf["db.memory.transaction.max"] == "800m"
    assert conf["dbms.memory.transaction.total.max"] == "800m"
    args = falkordb_module_args(lim)
    assert args[args.index("TIMEOUT_MAX") + 1] == "60000"
    assert args[args.index("QUERY_MEM_CAPACITY") + 1] == str(256 << 20)


def test_a_query_time_out_is_clamped_to_the_engine_maximum(monkeypatch):
    monkeypatch.setenv("GRAPHFRAUD_QUERY_TIMEOUT_MAX", "100")
    assert clamp_timeout_ms(30) == 30_000
    assert clamp_timeout_ms(3600) == 100_000
    assert clamp_timeout_ms(None) is None


def test_the_generated_neo4j_conf_holds_the_limits(settings, tmp_path):
    from graphfraud.servers.neo4j_local import Runtime, render_conf

    conf = render_conf(settings, Runtime(tmp_path))
    for key in ("db.transaction.timeout", "db.memory.transaction.max",
                "db.memory.transaction.total.max", "dbms.memory.transaction.total.max",
                "db.transaction.monitor.check.interval"):
        assert f"\n{key}=" in conf
