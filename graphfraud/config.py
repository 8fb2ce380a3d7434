"""Settings from the environment, with defaults that need no server.

`GRAPHFRAUD_HOME` (default `./.graphfraud`) holds the embedded graph, the local Neo4j,
logs and the generated Neo4j password. A Neo4j elsewhere is named with
`GRAPHFRAUD_NEO4J_URI`, `_USER`, `_PASSWORD` and `_DATABASE`.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

STORES = ("embedded", "neo4j")


class ConfigError(RuntimeError):
    """Settings that cannot work; the message says which variable to set."""


@dataclass(frozen=True)
class Settings:
    home: Path
    store: str
    neo4j_uri: str | None  # None: the local server managed by `graphfraud neo4j`
    neo4j_user: str
    neo4j_password: str | None
    neo4j_database: str
    neo4j_bolt_port: int
    neo4j_http_port: int
    neo4j_heap: str
    neo4j_pagecache: str
    graph_name: str

    @property
    def neo4j_home(self) -> Path:
        return self.home / "neo4j"

    @property
    def falkordb_dir(self) -> Path:
        return self.home / "falkordb"

    @property
    def credentials_file(self) -> Path:
        return self.neo4j_home / "credentials.json"

    @property
    def uses_local_neo4j(self) -> bool:
        return self.neo4j_uri is None

    def bolt_uri(self) -> str:
        return self.neo4j_uri or f"bolt://127.0.0.1:{self.neo4j_bolt_port}"

    def neo4j_auth(self) -> tuple[str, str]:
        """User and password: from the environment, or the local server's credentials."""
        if self.neo4j_password is not None:
            return self.neo4j_user, self.neo4j_password
        if self.uses_local_neo4j:
            creds = read_secret_json(self.credentials_file)
            if creds:
                return creds["user"], creds["password"]
            raise ConfigError(
                f"no password for the local Neo4j in {self.credentials_file}: run "
                "`graphfraud neo4j start` first, or set GRAPHFRAUD_NEO4J_URI and "
                "GRAPHFRAUD_NEO4J_PASSWORD for a Neo4j elsewhere"
            )
        raise ConfigError("GRAPHFRAUD_NEO4J_URI is set but GRAPHFRAUD_NEO4J_PASSWORD is not")


def _int_env(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None


def load_settings(env: dict[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from `env` (default: the process environment), then `overrides`."""
    env = dict(os.environ if env is None else env)
    store = env.get("GRAPHFRAUD_STORE", "embedded")
    values: dict[str, object] = dict(
        home=Path(env.get("GRAPHFRAUD_HOME", ".graphfraud")).expanduser().absolute(),
        store=store,
        neo4j_uri=env.get("GRAPHFRAUD_NEO4J_URI") or None,
        neo4j_user=env.get("GRAPHFRAUD_NEO4J_USER", "neo4j"),
        neo4j_password=env.get("GRAPHFRAUD_NEO4J_PASSWORD"),
        neo4j_database=env.get("GRAPHFRAUD_NEO4J_DATABASE", "neo4j"),
        neo4j_bolt_port=_int_env(env, "GRAPHFRAUD_NEO4J_BOLT_PORT", 7687),
        neo4j_http_port=_int_env(env, "GRAPHFRAUD_NEO4J_HTTP_PORT", 7474),
        neo4j_heap=env.get("GRAPHFRAUD_NEO4J_HEAP", "1g"),
        neo4j_pagecache=env.get("GRAPHFRAUD_NEO4J_PAGECACHE", "512m"),
        graph_name=env.get("GRAPHFRAUD_GRAPH", "graphfraud"),
    )
    values.update({k: v for k, v in overrides.items() if v is not None})
    if values["store"] not in STORES:
        raise ConfigError(f"store must be one of {STORES}, not {values['store']!r} "
                          "(GRAPHFRAUD_STORE or --store)")
    return Settings(**values)  # type: ignore[arg-type]


def secure_home(home: Path) -> Path:
    """Make the home (police data: graphs, runs, logs, keys) its owner's only: created
    0700, and an existing one closed to group and others. Its files are made 0600 by the
    processes that write them (umask 077)."""
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    if stat.S_IMODE(home.stat().st_mode) & 0o077:
        os.chmod(home, 0o700)
    return home


def write_secret_json(path: Path, data: dict[str, str]) -> None:
    """Write a secrets file readable by its owner only (0600), created that way."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def read_secret_json(path: Path) -> dict[str, str] | None:
    if not path.exists():
        return None
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(f"{path} is readable by others (mode {mode:o}); chmod 600 it")
    return json.loads(path.read_text(encoding="utf-8"))
