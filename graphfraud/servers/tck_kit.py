"""The openCypher TCK jar: resolved once by Maven from a pinned pom, cached like the
Neo4j jars, and read in place (its `features/*.feature` files are the test cases).

Only the dialect tests and their report use it; nothing at run time needs it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
POM = REPO_ROOT / "deploy" / "tck" / "pom.xml"


class TckSetupError(RuntimeError):
    """Maven is missing or could not resolve the TCK; the message says what to do."""


def pinned_version(pom: Path = POM) -> str:
    match = re.search(r"<tck.version>([^<]+)<", pom.read_text(encoding="utf-8"))
    if not match:
        raise TckSetupError(f"{pom} names no <tck.version>")
    return match.group(1)


def cache_dir(pom: Path = POM) -> Path:
    """The cache folder for the jar this pom pins (a new pom gets a new folder)."""
    base = Path(os.environ.get("GRAPHFRAUD_TCK_CACHE",
                               Path.home() / ".cache" / "graphfraud" / "tck"))
    return base / hashlib.sha256(pom.read_bytes()).hexdigest()[:12]


def install(pom: Path = POM) -> Path:
    """The path of the pinned TCK jar, resolving it with Maven the first time."""
    folder = cache_dir(pom)
    jar = folder / f"tck-{pinned_version(pom)}.jar"
    if jar.exists() and (folder / "COMPLETE").exists():
        return jar
    mvn = shutil.which("mvn")
    if not mvn:
        raise TckSetupError("Maven is not installed: it fetches the openCypher TCK jar "
                            "(Debian: apt-get install maven)")
    folder.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([mvn, "-B", "-q", "-f", str(pom), "package",
                             f"-Dtck.dir={folder}"], capture_output=True, text=True,
                            check=False)
    if result.returncode != 0 or not jar.exists():
        raise TckSetupError(f"Maven could not resolve the TCK jar (exit {result.returncode}):"
                            f"\n{(result.stdout + result.stderr)[-3000:]}")
    (folder / "COMPLETE").write_text(f"tck={pinned_version(pom)}\n")
    return jar


def read_features(jar: Path) -> dict[str, str]:
    """Every feature file in the jar, by its path inside it (`features/clauses/...`)."""
    with zipfile.ZipFile(jar) as zf:
        return {name: zf.read(name).decode("utf-8") for name in zf.namelist()
                if name.startswith("features/") and name.endswith(".feature")}


def read_graph(jar: Path, name: str) -> str:
    """The CREATE script of a named TCK graph (`Given the binary-tree-1 graph`)."""
    with zipfile.ZipFile(jar) as zf:
        return zf.read(f"graphs/{name}/{name}.cypher").decode("utf-8")
