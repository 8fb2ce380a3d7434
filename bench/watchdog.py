"""The xlarge bench's memory watchdog: run a step, sample the resident memory of each of
its processes, stop it past a limit.

Per process, not only the sum: a step's memory is its own Python process, any worker it
starts, and the server it talks to (the embedded FalkorDB, the Neo4j JVM, neo4j-admin).
A sum cannot say which one grew — session 9's `detect_neo4j` at the 2M prefix passed
7 GiB with +2.7 GiB in its last 35 s from a process nobody could name. So each sample
is kept per process (peak and when), the split by role at the total's peak is part of
the result, and a side log (`rss_log`) holds the split every few seconds and at the end.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any, TextIO

#: the Java entry points of the Neo4j server and of neo4j-admin (`servers/neo4j_local`)
NEO4J_SERVER = "org.neo4j.server.CommunityEntryPoint"
NEO4J_ADMIN = "org.neo4j.server.startup.Neo4jAdminCommand"
#: a line in `rss_log` this often, and whenever the total rose this much since the last
LOG_EVERY_S = 5.0
LOG_RISE_MIB = 256.0


# -- /proc -------------------------------------------------------------------------------
def _proc_rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as fh:
                out.extend(int(c) for c in fh.read().split())
    except OSError:
        pass
    return out


def _tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(_children(p))
    return seen


def _matching(needle: str) -> list[int]:
    """Processes whose command line holds `needle` (a daemonised server of one home)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as fh:
                    if needle.encode() in fh.read():
                        out.append(int(entry))
            except OSError:
                continue
    return out


def _identity(pid: int) -> tuple[str, list[str]]:
    """(comm, argv) of `pid`; empty when it has gone."""
    try:
        with open(f"/proc/{pid}/comm", encoding="utf-8", errors="replace") as fh:
            comm = fh.read().strip()
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            argv = [a.decode(errors="replace") for a in fh.read().split(b"\0") if a]
    except OSError:
        return "", []
    return comm, argv


# -- roles -------------------------------------------------------------------------------
def role(is_root: bool, comm: str, argv: list[str]) -> str:
    """What a watched process is, for the split: the step itself, a worker it started
    (named by its module when it runs one: the EMCS prefetch, the collector), one of
    the servers, or else its command name."""
    if is_root:
        return "step"
    if NEO4J_SERVER in argv:
        return "neo4j server"
    if NEO4J_ADMIN in argv:
        return "neo4j-admin"
    if comm.startswith("redis-server") or any(a.endswith("falkordb.so") for a in argv):
        return "embedded server"
    if comm.startswith("python") or (argv and Path(argv[0]).name.startswith("python")):
        module = argv[argv.index("-m") + 1] if "-m" in argv[:-1] else ""
        return f"worker {module}" if module else "step worker"
    return comm or "?"


class _Peaks:
    """Per-process peaks and the split by role at the total's peak, from the samples."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.procs: dict[int, dict[str, Any]] = {}
        self.peak = self.peak_at = 0.0
        self.split_at_peak: dict[str, float] = {}
        self.last_split: dict[str, float] = {}

    def sample(self, pids: set[int], t: float) -> float:
        """Record one sample of `pids` at `t` seconds; the total in MiB."""
        split: dict[str, float] = {}
        for pid in sorted(pids):
            mib = _proc_rss_kib(pid) / 1024
            rec = self.procs.get(pid)
            if rec is None:
                comm, argv = _identity(pid)
                if not comm and not mib:
                    continue  # ended between the listing and the read
                rec = self.procs[pid] = {"pid": pid, "role": role(pid == self.root, comm, argv),
                                         "comm": comm, "peak_rss_mib": 0.0, "peak_at_s": 0.0,
                                         "first_seen_s": round(t, 1)}
            if mib > rec["peak_rss_mib"]:
                rec["peak_rss_mib"], rec["peak_at_s"] = round(mib, 1), round(t, 1)
            split[rec["role"]] = split.get(rec["role"], 0.0) + mib
        total = sum(split.values())
        self.last_split = {k: round(v, 1) for k, v in split.items()}
        if total > self.peak:
            self.peak, self.peak_at, self.split_at_peak = total, t, self.last_split
        return total

    def result(self) -> dict[str, Any]:
        procs = sorted(self.procs.values(), key=lambda r: -r["peak_rss_mib"])
        return {"peak_split_mib": self.split_at_peak, "last_split_mib": self.last_split,
                "process_peaks": procs}


def _log_line(fh: TextIO, t: float, total: float, split: dict[str, float], what: str) -> None:
    parts = " ".join(f"{k.replace(' ', '_')}={v:.0f}" for k, v in sorted(split.items()))
    fh.write(f"{what} t={t:.1f} total_mib={total:.0f} {parts}\n")
    fh.flush()


def watched(cmd: list[str], limit_mib: float, *, also: str | None = None,
            env: dict[str, str] | None = None, log: Path | None = None,
            rss_log: Path | None = None, poll_s: float = 0.5,
            timeout_s: float = 4 * 3600) -> dict[str, Any]:
    """Run `cmd` and sample the resident memory of each process of its tree (plus any
    process whose command line holds `also`, e.g. the embedded server of its home) every
    `poll_s`; past `limit_mib` in all the tree is killed and the result says so. This is
    how a step that cannot fit the shared machine is measured up to its limit instead of
    letting the machine swap or the OOM killer pick another job."""
    out_fh = open(log, "w", encoding="utf-8") if log else subprocess.DEVNULL  # noqa: SIM115
    rss_fh = open(rss_log, "w", encoding="utf-8") if rss_log else None  # noqa: SIM115
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=out_fh, stderr=subprocess.STDOUT,
                            start_new_session=True)
    peaks = _Peaks(proc.pid)
    logged_at, logged_total = -LOG_EVERY_S, 0.0
    killed = False
    try:
        while proc.poll() is None:
            t = time.perf_counter() - began
            pids = set(_tree(proc.pid)) | (set(_matching(also)) if also else set())
            rss = peaks.sample(pids, t)
            over = rss > limit_mib or t > timeout_s
            if rss_fh and (over or t - logged_at >= LOG_EVERY_S
                           or rss - logged_total >= LOG_RISE_MIB):
                _log_line(rss_fh, t, rss, peaks.last_split, "limit" if over else "rss")
                logged_at, logged_total = t, rss
            if over:
                killed = True
                os.killpg(proc.pid, signal.SIGKILL)
                for p in (set(_matching(also)) if also else set()):
                    try:
                        os.kill(p, signal.SIGKILL)
                    except OSError:
                        pass
                proc.wait()
                break
            time.sleep(poll_s)
        seconds = time.perf_counter() - began
        if rss_fh:
            _log_line(rss_fh, seconds, peaks.peak, peaks.split_at_peak, "peak")
    finally:
        if log:
            out_fh.close()  # type: ignore[union-attr]
        if rss_fh:
            rss_fh.close()
    tail = log.read_text(encoding="utf-8", errors="replace")[-4000:] if log else ""
    return {"cmd": cmd, "seconds": round(seconds, 1), "peak_rss_mib": round(peaks.peak, 1),
            "peak_at_s": round(peaks.peak_at, 1), "limit_mib": limit_mib,
            "limit_reached": killed, "returncode": proc.returncode, "log_tail": tail,
            **peaks.result()}
