"""A full disk under the embedded graph: one clear message naming the path, never a
traceback; reads keep working; writes work again once space is freed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from _auth import login_env
from _ci import unavailable

from graphfraud.servers import falkordb_local
from graphfraud.store.base import StoreDiskFull
from graphfraud.store.falkordb_store import FalkorDBStore

PROV = {"source": "t", "delivery": "d", "legal_basis": "register"}


def test_the_engine_s_disk_errors_are_named_in_plain_words(settings, tmp_path):
    import redis

    st = FalkorDBStore.__new__(FalkorDBStore)
    st.socket_path, st._settings = "/x.sock", replace(settings, home=tmp_path)
    err = st._engine_error(redis.exceptions.ResponseError(
        "MISCONF Errors writing to the AOF file: No space left on device"), None)
    assert isinstance(err, StoreDiskFull) and str(tmp_path / "falkordb") in str(err)
    assert "Free space" in str(err) and "reads still work" in str(err)
    assert falkordb_local.disk_full_hint(tmp_path) == ""


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 48 MB file system of its own (tmpfs), to fill without touching the machine's."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        unavailable("filling a disk needs a small tmpfs, which needs root to mount")
    mnt = tmp_path / "disk"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(mnt)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        unavailable(f"could not mount a tmpfs: {done.stderr.strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def _fill(mnt: Path) -> Path:
    filler = mnt / "filler"
    with open(filler, "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * (1 << 20))
                fh.flush()
        except OSError:
            pass
    return filler


def test_a_full_disk_says_so_and_reads_go_on(settings, test_env, small_disk):
    s = replace(settings, home=small_disk / "home")
    s.home.mkdir(parents=True, exist_ok=True)
    admin = login_env(dict(test_env, GRAPHFRAUD_HOME=str(s.home)), "admin")
    env = login_env(admin, "analyst")  # the library and free Cypher are the analyst's
    try:
        st = FalkorDBStore.from_settings(s)
        st.apply_schema()
        st.upsert("upsert_trader", [{"key": f"T{i}", "props": {"name": f"n{i}"}}
                                    for i in range(200)], extra=PROV)
        first = subprocess.run([sys.executable, "-m", "graphfraud.cli", "query",
                                "trader_by_id", "--param", "trader_id=T7"], env=env,
                               capture_output=True, text=True, timeout=120)
        assert first.returncode == 0, first.stderr  # makes the home's key files
        filler = _fill(small_disk)
        with pytest.raises(StoreDiskFull) as info:
            for i in range(50):  # the server notices at its next log write
                st.upsert("upsert_trader", [{"key": f"X{i}-{k}", "props": {"name": "x" * 200}}
                                            for k in range(500)], extra=PROV)
                time.sleep(0.05)
        assert str(s.home / "falkordb") in str(info.value) and "full" in str(info.value)
        assert st.read_cypher("MATCH (t:Trader {trader_id: 'T7'}) RETURN t.name AS n").rows \
            == [{"n": "n7"}]
        for args, as_user in ((["query", "trader_by_id", "--param", "trader_id=T7"], env),
                              (["query", "--cypher", "MATCH (t:Trader) RETURN count(t) AS c"],
                               env),
                              (["embedded", "status"], admin)):
            out = subprocess.run([sys.executable, "-m", "graphfraud.cli", *args],
                                 env=as_user, capture_output=True, text=True, timeout=120)
            assert "Traceback" not in out.stderr, (args, out.stderr)
            # the store still reads, but no result leaves before its audit record is on
            # disk (issue 15): the command refuses, naming the log and the full disk
            assert out.returncode == 1, (args, out.stdout, out.stderr)
            assert "audit.jsonl" in out.stderr and "No space left" in out.stderr, out.stderr
            assert "T7" not in out.stdout and "n7" not in out.stdout
        st.close()
        assert falkordb_local.stop(s) is True  # stops although it cannot flush its log
        st = FalkorDBStore.from_settings(s)  # and starts again on the full disk
        assert st.read_cypher("MATCH (t:Trader {trader_id: 'T7'}) RETURN t.name AS n").rows \
            == [{"n": "n7"}]
        filler.unlink()
        deadline = time.monotonic() + 10
        while True:  # writes work again once the server sees the space
            try:
                st.upsert("upsert_trader", [{"key": "T9999", "props": {"name": "back"}}],
                          extra=PROV)
                break
            except StoreDiskFull:
                assert time.monotonic() < deadline
                time.sleep(0.5)
        st.close()
    finally:
        falkordb_local.stop(s)
