"""Class-data-sharing archives for the JVMs GraphFraud starts for Neo4j (the server and
neo4j-admin).

A Neo4j start spends its first seconds loading and verifying the classes of 300+ jars
(Neo4j, APOC, GDS), and every fresh home runs neo4j-admin once more to set its password;
a JVM class-data-sharing archive maps those classes instead (session 9 measured about
30 % off each start, docs/scaling.md). There is one archive per folder of jars, JVM and
class path (`kind`): the first run that finds none and can claim it writes it when it
exits (`-XX:ArchiveClassesAtExit`, to a partial file, renamed only after a clean exit);
every later run maps it (`-XX:SharedArchiveFile`). The JVM checks an archive against its
own build and class path and runs without it when they differ (`-Xshare:auto`, the
default), so an archive can make a start faster, never stop one.
`GRAPHFRAUD_NEO4J_CDS=0` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from graphfraud.servers.process import pid_alive

#: a claim older than this is taken for abandoned even if its process still lives
#: (a pid can be reused; a server that ran longer simply leaves the archive to the next)
CLAIM_MAX_AGE_S = 12 * 3600


def enabled() -> bool:
    return os.environ.get("GRAPHFRAUD_NEO4J_CDS", "1") != "0"


def java_ident(java: str) -> str:
    """A short digest of the JVM binary (path, size, time): a new JDK gets a new archive."""
    real = os.path.realpath(java)
    st = os.stat(real)
    return hashlib.sha256(f"{real}:{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Plan:
    """What one JVM run does about its archive: the options to add and, when it makes
    the archive, the partial file it writes at exit and the claim it holds."""

    args: tuple[str, ...]
    partial: Path | None = None
    final: Path | None = None
    claim: Path | None = None

    def to_json(self) -> str:
        return json.dumps({k: str(v) for k, v in (("partial", self.partial),
                                                   ("final", self.final),
                                                   ("claim", self.claim)) if v})


NOTHING = Plan(())
#: the JVM's archive messages (classes it skips, an archive it cannot map) go nowhere:
#: they would land in neo4j-admin's output, which callers read
QUIET = "-Xlog:cds*=off"


def plan(archive_dir: Path, kind: str, java: str) -> Plan:
    """Use the archive of `kind` if it exists, else claim making it, else run without."""
    if not enabled():
        return NOTHING
    try:  # a jar folder this user may not write (a shared runtime) just runs without
        final = archive_dir / f"{kind}-{java_ident(java)}.jsa"
        archive_dir.mkdir(parents=True, exist_ok=True)
        if final.is_file() and final.stat().st_size > 0:
            return Plan((f"-XX:SharedArchiveFile={final}", QUIET))
        claim = final.with_suffix(".claim")
        if not _take(claim):
            return NOTHING  # another run makes it now
    except OSError:
        return NOTHING
    partial = final.with_suffix(f".partial-{os.getpid()}-{time.monotonic_ns()}")
    return Plan((f"-XX:ArchiveClassesAtExit={partial}", QUIET), partial, final, claim)


def hold(p: Plan, pid: int) -> None:
    """Record the JVM's own pid in the claim (the server outlives this process)."""
    if p.claim is not None:
        p.claim.write_text(str(pid))


def finish(p: Plan, clean_exit: bool) -> bool:
    """After the run: keep its archive if it exited cleanly and wrote one; always let
    go of the claim. True if an archive was kept."""
    if p.partial is None or p.final is None:
        return False
    kept = False
    try:
        if clean_exit and p.partial.is_file() and p.partial.stat().st_size > 0:
            os.replace(p.partial, p.final)
            kept = True
    finally:
        p.partial.unlink(missing_ok=True)
        if p.claim is not None:
            p.claim.unlink(missing_ok=True)
    return kept


def finish_recorded(record: Path, clean_exit: bool) -> bool:
    """`finish` for a plan kept in a file by the process that started the run (`record`,
    written by `remember`), then the file removed."""
    try:
        data = json.loads(record.read_text())
    except (OSError, ValueError):
        return False
    record.unlink(missing_ok=True)
    paths = {k: Path(v) for k, v in data.items()}
    return finish(Plan((), paths.get("partial"), paths.get("final"), paths.get("claim")),
                  clean_exit)


def remember(p: Plan, record: Path) -> None:
    if p.partial is not None:
        record.write_text(p.to_json())


def _take(claim: Path) -> bool:
    """Create the claim file if no live, recent claim holds it."""
    for _ in range(2):
        try:
            fd = os.open(claim, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            if not _abandoned(claim):
                return False
            claim.unlink(missing_ok=True)
            continue
        with os.fdopen(fd, "w") as fh:
            fh.write(str(os.getpid()))
        return True
    return False


def _abandoned(claim: Path) -> bool:
    try:
        age = time.time() - claim.stat().st_mtime
        pid = int(claim.read_text().strip() or 0)
    except (OSError, ValueError):
        return True
    if not pid:  # just made, its pid not yet written: live for a few seconds
        return age > 30
    return age > CLAIM_MAX_AGE_S or not pid_alive(pid)
