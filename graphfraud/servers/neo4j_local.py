"""The local Neo4j: Community 5.26 LTS with APOC core and GDS, run by GraphFraud.

The jars come from a pinned Maven project (`deploy/neo4j/pom.xml`, package data
`graphfraud.deploy`, so an installed wheel has it too), copied once into a cache folder
shared by every GraphFraud home. The server runs through Neo4j's own entry
point (`org.neo4j.server.CommunityEntryPoint`) with a `neo4j.conf` generated here:
loopback only, auth on, a password generated at first start and kept in a 0600 file.
No Docker is involved.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from graphfraud.config import Settings, read_secret_json, write_secret_json
from graphfraud.servers import jvm_cds
from graphfraud.servers.process import pid_alive, private_files, read_pid, tail, terminate
from graphfraud.servers.resources import engine_limits, neo4j_conf_lines

#: `deploy/` in a checkout, `graphfraud/deploy/` in an installed wheel
POM = Path(str(files("graphfraud.deploy"))) / "neo4j" / "pom.xml"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
#: neo4j-admin's tool itself. Its launcher script's class (`org.neo4j.server.startup.
#: Neo4jAdminCommand`) only starts a second JVM on this one, with the class path and
#: options `admin_command` gives; going straight to it saves a JVM start and its classes
#: (the second JVM had no class-data archive either)
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
MIN_JAVA = 17


class Neo4jSetupError(RuntimeError):
    """Something the local Neo4j needs is missing; the message says what to install."""


@dataclass(frozen=True)
class Runtime:
    """The resolved jars: `lib` is the class path, `plugins` holds APOC and GDS."""

    dir: Path

    @property
    def lib(self) -> Path:
        return self.dir / "lib"

    @property
    def plugins(self) -> Path:
        return self.dir / "plugins"

    @property
    def complete(self) -> bool:
        return (self.dir / "COMPLETE").exists()


def pinned_versions(pom: Path = POM) -> dict[str, str]:
    text = pom.read_text(encoding="utf-8")
    return {k: re.search(rf"<{k}.version>([^<]+)<", text).group(1)  # type: ignore[union-attr]
            for k in ("neo4j", "apoc", "gds")}


def runtime_for(pom: Path = POM) -> Runtime:
    """The cache folder for the jars this pom pins (a new pom gets a new folder)."""
    base = Path(os.environ.get("GRAPHFRAUD_NEO4J_RUNTIME",
                               Path.home() / ".cache" / "graphfraud" / "neo4j-runtime"))
    digest = hashlib.sha256(pom.read_bytes()).hexdigest()[:12]
    return Runtime(base / digest)


def java_version(java: str = "java") -> int | None:
    exe = shutil.which(java)
    if not exe:
        return None
    out = subprocess.run([exe, "-version"], capture_output=True, text=True, check=False)
    m = re.search(r'version "(\d+)', out.stderr + out.stdout)
    return int(m.group(1)) if m else None


def check_java() -> str:
    version = java_version()
    if version is None:
        raise Neo4jSetupError(
            "Java is not installed: the local Neo4j needs a Java 17 or 21 runtime "
            "(Debian: apt-get install openjdk-17-jre-headless), or point GraphFraud at a "
            "Neo4j elsewhere with GRAPHFRAUD_NEO4J_URI.")
    if version < MIN_JAVA:
        raise Neo4jSetupError(f"Java {version} is too old for Neo4j 5.26: install Java 17 or 21")
    return shutil.which("java")  # type: ignore[return-value]


def install(pom: Path = POM, quiet: bool = True) -> Runtime:
    """Resolve the pinned jars with Maven into the cache (once; later calls return it)."""
    runtime = runtime_for(pom)
    if runtime.complete:
        return runtime
    check_java()
    mvn = shutil.which("mvn")
    if not mvn:
        raise Neo4jSetupError(
            "Maven is not installed: it fetches the Neo4j, APOC and GDS jars "
            "(Debian: apt-get install maven).")
    if runtime.dir.exists():
        shutil.rmtree(runtime.dir)
    runtime.dir.mkdir(parents=True)
    project = runtime.dir / "pom.xml"  # Maven's target/ goes to the cache, not beside the
    shutil.copyfile(pom, project)      # package (site-packages may be read-only)
    cmd = [mvn, "-B", "-f", str(project), "package",
           f"-Dneo4j.lib.dir={runtime.lib}", f"-Dneo4j.plugins.dir={runtime.plugins}"]
    if quiet:
        cmd.insert(2, "-q")
    result = subprocess.run(cmd, capture_output=quiet, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stdout or "")[-3000:] if quiet else ""
        raise Neo4jSetupError(f"Maven could not resolve the Neo4j jars (exit "
                              f"{result.returncode}):\n{detail}")
    (runtime.dir / "COMPLETE").write_text("\n".join(f"{k}={v}" for k, v in
                                                    pinned_versions(pom).items()) + "\n")
    return runtime


def render_conf(settings: Settings, runtime: Runtime) -> str:
    """The generated `neo4j.conf`: loopback only, auth on, APOC and GDS allowed."""
    home = settings.neo4j_home
    lines = {
        "server.default_listen_address": "127.0.0.1",
        "server.default_advertised_address": "127.0.0.1",
        "server.bolt.listen_address": f"127.0.0.1:{settings.neo4j_bolt_port}",
        "server.bolt.advertised_address": f"127.0.0.1:{settings.neo4j_bolt_port}",
        "server.http.listen_address": f"127.0.0.1:{settings.neo4j_http_port}",
        "server.http.advertised_address": f"127.0.0.1:{settings.neo4j_http_port}",
        "server.https.enabled": "false",
        "server.directories.data": str(home / "data"),
        "server.directories.logs": str(home / "logs"),
        "server.directories.plugins": str(runtime.plugins),
        "server.directories.run": str(home / "run"),
        "server.directories.import": str(home / "import"),
        "dbms.security.auth_enabled": "true",
        "dbms.security.procedures.unrestricted": "gds.*,apoc.*",
        "dbms.security.procedures.allowlist": "gds.*,apoc.*",
        "server.memory.pagecache.size": settings.neo4j_pagecache,
        "dbms.usage_report.enabled": "false",
        "db.tx_log.rotation.retention_policy": "2 files",
        # one query cannot take the server down: time-out and memory limits, sized
        # from the heap (graphfraud/servers/resources.py)
        **neo4j_conf_lines(engine_limits(settings.neo4j_heap)),
    }
    head = ("# Generated by `graphfraud neo4j start`; edits are overwritten.\n"
            "# Loopback only: GraphFraud's local Neo4j is not reachable from the network.\n")
    return head + "".join(f"{k}={v}\n" for k, v in lines.items())


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _pidfile(settings: Settings) -> Path:
    return settings.neo4j_home / "run" / "graphfraud-neo4j.pid"


def running_pid(settings: Settings) -> int | None:
    pid = read_pid(_pidfile(settings))
    return pid if pid and pid_alive(pid) else None


def _set_initial_password(settings: Settings, runtime: Runtime, java: str) -> None:
    creds = read_secret_json(settings.credentials_file)
    if creds:
        return
    if (settings.neo4j_home / "data" / "dbms" / "auth.ini").exists() or (
        settings.neo4j_home / "data" / "databases" / "system").exists():
        raise Neo4jSetupError(
            f"{settings.neo4j_home / 'data'} holds a database but its password file "
            f"{settings.credentials_file} is gone: restore it, or remove the data folder "
            "to start afresh")
    # A leading letter: a token starting with "-" is read by neo4j-admin as an option.
    password = "g" + secrets.token_urlsafe(24)
    env = dict(os.environ, NEO4J_HOME=str(settings.neo4j_home),
               NEO4J_CONF=str(settings.neo4j_home / "conf"))
    # The password never goes on the command line (where `ps` shows it): neo4j-admin
    # reads it from an argument file (`@file`, picocli), 0600, removed right after.
    argfile = settings.neo4j_home / "conf" / f".initial-password-{os.getpid()}"
    fd = os.open(argfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(password + "\n")
    cds = jvm_cds.plan(_cds_dir(runtime), ADMIN_CDS_KIND, java)
    result = None
    try:
        result = subprocess.run(
            admin_command(java, runtime, settings.neo4j_home, cds.args, None, "dbms",
                          "set-initial-password", f"@{argfile}"),
            env=env, capture_output=True, text=True, check=False, cwd=settings.neo4j_home)
    finally:
        argfile.unlink(missing_ok=True)
        jvm_cds.finish(cds, result is not None and result.returncode == 0)
    if result.returncode != 0:
        raise Neo4jSetupError(f"neo4j-admin set-initial-password failed: "
                              f"{result.stderr.replace(password, '***')[-2000:]}")
    write_secret_json(settings.credentials_file, {"user": "neo4j", "password": password})


def start(settings: Settings, timeout_s: float = 180.0) -> dict[str, object]:
    """Start the local server (installing the jars if needed); wait until Bolt answers."""
    with private_files():  # conf, password file, logs and store: the owner's only
        return _start(settings, timeout_s)


def _start(settings: Settings, timeout_s: float) -> dict[str, object]:
    if not settings.uses_local_neo4j:
        raise Neo4jSetupError("GRAPHFRAUD_NEO4J_URI points at a Neo4j elsewhere; "
                              "`graphfraud neo4j start` only runs the local one")
    pid = running_pid(settings)
    if pid:
        wait_for_bolt(settings, timeout_s)
        return {"pid": pid, "uri": settings.bolt_uri(), "already_running": True}
    if _port_open(settings.neo4j_bolt_port):
        raise Neo4jSetupError(
            f"port {settings.neo4j_bolt_port} is taken by another program: set "
            "GRAPHFRAUD_NEO4J_BOLT_PORT (and _HTTP_PORT) to free ports")
    java = check_java()
    runtime = install()
    home = settings.neo4j_home
    for sub in ("conf", "data", "logs", "run", "import"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    home.chmod(0o700)  # a home made before files were private: closed from here on
    (home / "conf" / "neo4j.conf").write_text(render_conf(settings, runtime))
    _set_initial_password(settings, runtime, java)
    cds = jvm_cds.plan(_cds_dir(runtime), "server", java)
    cmd = [java, *cds.args, f"-Xms{settings.neo4j_heap}", f"-Xmx{settings.neo4j_heap}",
           "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8",
           "-cp", f"{runtime.plugins}/*:{runtime.lib}/*", ENTRY_POINT,
           f"--home-dir={home}", f"--config-dir={home / 'conf'}"]
    began = time.monotonic()
    with open(home / "logs" / "console.log", "ab") as console:
        proc = subprocess.Popen(cmd, stdout=console, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True, cwd=home)
    _pidfile(settings).write_text(str(proc.pid))
    jvm_cds.hold(cds, proc.pid)  # the archive is written when this JVM stops: `stop`
    jvm_cds.remember(cds, _cds_record(settings))
    try:
        wait_for_bolt(settings, timeout_s, proc=proc)
    except BaseException:  # any failure while starting: leave no server behind
        terminate(proc.pid, timeout_s=20)
        _pidfile(settings).unlink(missing_ok=True)
        jvm_cds.finish_recorded(_cds_record(settings), clean_exit=False)
        raise
    return {"pid": proc.pid, "uri": settings.bolt_uri(), "already_running": False,
            "seconds": round(time.monotonic() - began, 1)}


def wait_for_bolt(settings: Settings, timeout_s: float, proc=None) -> None:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, ServiceUnavailable

    deadline = time.monotonic() + timeout_s
    log = settings.neo4j_home / "logs" / "neo4j.log"
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise Neo4jSetupError(f"Neo4j exited with code {proc.returncode} while starting; "
                                  f"{log}:\n{tail(log, 30)}")
        if _port_open(settings.neo4j_bolt_port):
            try:
                with GraphDatabase.driver(settings.bolt_uri(), auth=settings.neo4j_auth()) as d:
                    d.verify_connectivity()
                    return
            except AuthError:
                raise
            except (ServiceUnavailable, OSError) as exc:
                last = exc
        time.sleep(0.5)
    raise Neo4jSetupError(f"Neo4j did not answer on {settings.bolt_uri()} within "
                          f"{timeout_s:.0f} s ({last}); {log}:\n{tail(log, 30)}")


def stop(settings: Settings, timeout_s: float = 90.0) -> bool:
    """Stop the local server. True if one was running."""
    pid = running_pid(settings)
    if not pid:
        _pidfile(settings).unlink(missing_ok=True)
        return False
    clean = terminate(pid, timeout_s=timeout_s)
    _pidfile(settings).unlink(missing_ok=True)
    # a server that was making the class-data-sharing archive wrote it as it exited
    jvm_cds.finish_recorded(_cds_record(settings), clean_exit=clean)
    return True


def _cds_dir(runtime: Runtime) -> Path:
    """Where the JVMs' class-data-sharing archives of `runtime`'s jars are kept."""
    return Path(runtime.lib).parent / "cds"  # beside lib/ and plugins/


def _cds_record(settings: Settings) -> Path:
    return settings.neo4j_home / "run" / "cds-pending.json"


#: the archive of the tool's own classes (the launcher's, "admin", held far fewer)
ADMIN_CDS_KIND = "admin-tool"


def admin_command(java: str, runtime: Runtime, home: Path, jvm_args: tuple[str, ...],
                  heap: str | None, *args: str) -> list[str]:
    """The command neo4j-admin's launcher would run for `args` on `home`: plugins, the
    home's conf and the jars on the class path, the heap fixed at `heap` (the launcher's
    HEAP_SIZE; None: the JVM's default), UTF-8 file names."""
    heap_args = [f"-Xms{heap}", f"-Xmx{heap}"] if heap else []
    return [java, *jvm_args, *heap_args, "-Dfile.encoding=UTF-8", "-cp",
            f"{runtime.plugins}/*:{home / 'conf'}/*:{runtime.lib}/*", ADMIN_TOOL, *args]


def admin(settings: Settings, *args: str, heap: str | None = None,
          timeout_s: float = 6 * 3600) -> subprocess.CompletedProcess:
    """Run `neo4j-admin` (from the cached jars) on the local home of `settings`, with the
    server's own generated configuration; in the home folder, where `database import`
    writes its `import.report`. The server must be stopped for an import."""
    if not settings.uses_local_neo4j:
        raise Neo4jSetupError("neo4j-admin runs on the local Neo4j's home only")
    java = check_java()
    runtime = install()
    home = settings.neo4j_home
    for sub in ("conf", "data", "logs", "run", "import"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    (home / "conf" / "neo4j.conf").write_text(render_conf(settings, runtime))
    heap = heap or settings.neo4j_heap
    env = dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
    cds = jvm_cds.plan(_cds_dir(runtime), ADMIN_CDS_KIND, java)
    result = None
    try:
        result = subprocess.run(admin_command(java, runtime, home, cds.args, heap, *args),
                                env=env, capture_output=True, text=True, check=False,
                                timeout=timeout_s, cwd=home)
    finally:
        jvm_cds.finish(cds, result is not None and result.returncode == 0)
    return result


def server_versions(settings: Settings) -> dict[str, str]:
    """What answers on Bolt: Neo4j kernel, APOC and GDS versions."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(settings.bolt_uri(), auth=settings.neo4j_auth()) as driver:
        db = settings.neo4j_database
        comp = driver.execute_query(
            "CALL dbms.components() YIELD name, versions, edition "
            "RETURN name, versions[0] AS version, edition", database_=db).records
        out = {"neo4j": comp[0]["version"], "edition": comp[0]["edition"]}
        for key, stmt in (("apoc", "RETURN apoc.version() AS v"),
                          ("gds", "CALL gds.version() YIELD gdsVersion RETURN gdsVersion AS v")):
            try:
                out[key] = driver.execute_query(stmt, database_=db).records[0]["v"]
            except Exception as exc:  # noqa: BLE001 - a missing plugin is a status, not a crash
                out[key] = f"not available ({type(exc).__name__})"
    return out


def status(settings: Settings) -> dict[str, object]:
    info: dict[str, object] = {"uri": settings.bolt_uri(), "local": settings.uses_local_neo4j}
    if settings.uses_local_neo4j:
        info["pid"] = running_pid(settings)
        info["running"] = bool(info["pid"])
        info["home"] = str(settings.neo4j_home)
        if not info["running"]:
            return info
    try:
        info.update(server_versions(settings))
        info["running"] = True
    except Exception as exc:  # noqa: BLE001
        info["running"] = False
        info["error"] = f"{type(exc).__name__}: {exc}"
    return info
