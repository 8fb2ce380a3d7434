"""The named Cypher library: every statement GraphFraud runs lives in `cypher/`.

A file `cypher/<group>/<name>.cypher` holds one statement for both backends. Where the
backends' idioms differ (mostly node ids), it writes them as dialect rules (`@id(n)`,
`@seek_each(n, $ids)`, lines for one backend only), rendered per backend by
`graphfraud.store.dialects`. Only a statement that differs throughout (the admin and
schema listings, transactions) is a pair `<name>.neo4j.cypher` and
`<name>.falkordb.cypher` (or `<name>.cypher` with a `.falkordb` variant): both carry the
same header, checked equal, with a `// pair:` line saying why they are two. Each file
starts with a header of `//` lines:

    // name: trader_neighbourhood
    // purpose: nodes and relationships around one entity, for the explorer.
    // params:
    //   key (string): the entity's key value
    //   limit (int, default 300): most relationships returned
    // mode: read            (read | write | schema)
    // used_by: ui explorer, bench queries
    // requires: view_wpg, purpose   (optional: what the console asks of the user)
    // note: ...             (optional: anything a reader of the statement should know)
    // pair: ...             (pairs only: why the backends need two statements)

The loader parses the header so the UI can show descriptions and typed inputs, and so a
write statement can never be run through a read path by mistake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from graphfraud.store.dialects import DialectError, render, uses_rules

BACKENDS = ("neo4j", "falkordb")
MODES = ("read", "write", "schema")
#: the `cypher/` folder, installed as the data package `graphfraud.cypher`: found through
#: package resources so a wheel and an editable checkout read the same files (the package
#: is installed unzipped, so its resources are plain files)
CYPHER_DIR = Path(str(files("graphfraud.cypher")))

_PARAM = re.compile(r"^(\w+)\s*\(([^)]*)\)\s*:\s*(.*)$")


class QueryNotFound(KeyError):
    """A named query that the library does not hold."""


class QueryFileError(ValueError):
    """A `.cypher` file whose header is missing or malformed."""


@dataclass(frozen=True)
class QueryParam:
    name: str
    type: str  # string | int | float | bool | list | map | date
    description: str
    default: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    """One library statement with its header and per-backend text."""

    name: str
    group: str
    purpose: str
    mode: str
    used_by: str
    params: tuple[QueryParam, ...]
    texts: dict[str, str] = field(hash=False)
    paths: dict[str, Path] = field(hash=False)
    #: what a user needs to run it from the console (`// requires: view_wpg, purpose`):
    #: permissions of `graphfraud.security.roles`, and `purpose`
    requires: tuple[str, ...] = ()
    #: for a pair of files: why the backends need two statements (`// pair:`)
    pair: str = ""

    def text_for(self, backend: str) -> str:
        """The statement to send to `backend` (the shared text or its own variant)."""
        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r}")
        return self.texts.get(backend) or self.texts["any"]

    @property
    def portable(self) -> bool:
        """The same text on every backend (no dialect rule, no pair)."""
        return "any" in self.texts and len(self.texts) == 1

    def statements_for(self, backend: str) -> list[str]:
        """For schema files: the `;`-separated statements."""
        return [s.strip() for s in self.text_for(backend).split(";") if s.strip()]


def _parse_header(path: Path, raw: str) -> tuple[dict[str, str], list[QueryParam], str]:
    header: dict[str, str] = {}
    params: list[QueryParam] = []
    body: list[str] = []
    current: str | None = None
    in_header = True
    for line in raw.splitlines():
        stripped = line.strip()
        if in_header and stripped.startswith("//"):
            content = stripped[2:]
            m = re.match(r"^ ?(\w+):\s*(.*)$", content)
            if m and not content.startswith("   ") and m.group(1) in (
                "name", "purpose", "params", "mode", "used_by", "note", "requires", "pair",
            ):
                current = m.group(1)
                if current != "params":
                    header[current] = m.group(2).strip()
                elif m.group(2).strip() and m.group(2).strip() != "none":
                    raise QueryFileError(f"{path}: put each parameter on its own line")
                continue
            text = content.strip()
            if current == "params" and text:
                pm = _PARAM.match(text)
                if not pm:
                    raise QueryFileError(f"{path}: bad parameter line {text!r}; "
                                         "expected `name (type[, default X]): description`")
                kind, _, default = pm.group(2).partition(",")
                default = default.strip()
                if default.startswith("default"):
                    default = default[len("default"):].strip()
                params.append(QueryParam(pm.group(1), kind.strip(), pm.group(3).strip(),
                                         default or None))
            elif current and text:
                header[current] = (header.get(current, "") + " " + text).strip()
            continue
        if stripped:
            in_header = False
        if stripped.startswith("//"):
            continue  # comments are not sent: not every engine parses them
        body.append(line)
    for required in ("name", "purpose", "mode", "used_by"):
        if not header.get(required):
            raise QueryFileError(f"{path}: header lacks `// {required}:`")
    if header["mode"] not in MODES:
        raise QueryFileError(f"{path}: mode must be one of {MODES}, not {header['mode']!r}")
    text = "\n".join(body).strip().rstrip(";").strip()
    if not text:
        raise QueryFileError(f"{path}: no statement after the header")
    return header, params, text


def _backend_of(path: Path) -> tuple[str, str]:
    stem = path.name[: -len(".cypher")]
    base, dot, suffix = stem.rpartition(".")
    if dot and suffix in BACKENDS:
        return base, suffix
    return stem, "any"


def load_library(root: Path = CYPHER_DIR) -> dict[str, NamedQuery]:
    """Read every `.cypher` file under `root` into named queries."""
    grouped: dict[str, dict[str, tuple[Path, dict[str, str], list[QueryParam], str]]] = {}
    for path in sorted(root.rglob("*.cypher")):
        stem, backend = _backend_of(path)
        header, params, text = _parse_header(path, path.read_text(encoding="utf-8"))
        if header["name"] != stem:
            raise QueryFileError(f"{path}: header name {header['name']!r} differs from "
                                 f"the file name {stem!r}")
        variants = grouped.setdefault(stem, {})
        if backend in variants:
            raise QueryFileError(f"{path}: query {stem!r} defined twice")
        variants[backend] = (path, header, params, text)
    library: dict[str, NamedQuery] = {}
    for name, variants in grouped.items():
        if "any" not in variants and set(variants) != set(BACKENDS):
            missing = sorted(set(BACKENDS) - set(variants))
            raise QueryFileError(f"query {name!r} has backend variants but lacks {missing}")
        if len(variants) > 1:
            _check_pair(name, variants)
        first_path, header, params, _ = next(iter(variants.values()))
        group = first_path.parent.relative_to(root).as_posix()
        library[name] = NamedQuery(
            name=name, group="" if group == "." else group, purpose=header["purpose"],
            mode=header["mode"], used_by=header["used_by"], params=tuple(params),
            texts=_texts(variants), paths={b: v[0] for b, v in variants.items()},
            requires=tuple(x.strip() for x in header.get("requires", "").split(",")
                           if x.strip() and x.strip() != "none"),
            pair=header.get("pair", ""),
        )
    return dict(sorted(library.items()))


def _texts(variants: dict[str, tuple[Path, dict[str, str], list[QueryParam], str]]
           ) -> dict[str, str]:
    """Each backend's text: a variant file's own, or the one source rendered by the
    dialect rules (kept as `any` when it has none)."""
    texts: dict[str, str] = {}
    for backend, (path, _, _, text) in variants.items():
        if not uses_rules(text):
            texts[backend] = text
        elif backend != "any":
            raise QueryFileError(f"{path}: a backend's own file takes no dialect rules "
                                 "(write one `<name>.cypher` with the rules instead)")
        else:
            try:
                texts.update({b: render(text, b) for b in BACKENDS})
            except DialectError as exc:
                raise QueryFileError(f"{path}: {exc}") from None
    return texts


def _check_pair(name: str, variants: dict[str, tuple[Path, dict[str, str],
                                                     list[QueryParam], str]]) -> None:
    """A pair carries one header twice: equal in every field, with `pair:` saying why."""
    (path_a, head_a, params_a, _), *others = variants.values()
    if not head_a.get("pair"):
        raise QueryFileError(f"{path_a}: query {name!r} is a pair of files; its header "
                             "lacks `// pair:` (why the backends need two statements)")
    for path_b, head_b, params_b, _ in others:
        for key in sorted(set(head_a) | set(head_b)):
            if head_a.get(key) != head_b.get(key):
                raise QueryFileError(f"{path_b}: header field `{key}` differs from "
                                     f"{path_a.name}'s (a pair shares one header)")
        if params_a != params_b:
            raise QueryFileError(f"{path_b}: parameters differ from {path_a.name}'s "
                                 "(a pair shares one header)")


@lru_cache(maxsize=1)
def default_library() -> dict[str, NamedQuery]:
    """The project's library, read once per process."""
    return load_library(CYPHER_DIR)


def get_query(name: str) -> NamedQuery:
    try:
        return default_library()[name]
    except KeyError:
        raise QueryNotFound(f"no query named {name!r} in {CYPHER_DIR}") from None
