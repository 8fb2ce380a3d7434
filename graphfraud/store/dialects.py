"""Dialect rules: one source per Cypher statement, rendered for each backend.

Neo4j and the embedded FalkorDB read nearly all of GraphFraud's Cypher alike. Where
they do not, it is mostly the node-id idiom: Neo4j names a node by `elementId(n)`, a
string; FalkorDB by `ID(n)`, an integer, and it seeks an id only as `ID(n) = <int>`
(`ID(n) IN <list>` scans every node of the graph). So a statement writes the idiom as a
rule, and `render` replaces each rule with that backend's text (the way splink keeps SQL
dialects as a few small rules per backend). Nothing else in the text is touched.

Rules, written `@name(arguments)` anywhere in a line:

| rule | Neo4j | FalkorDB | for |
|---|---|---|---|
| `@id(x)` | `elementId(x)` | `ID(x)` | comparing or ordering by id |
| `@id_text(x)` | `elementId(x)` | `toString(ID(x))` | an id returned to Python (always a string) |
| `@id_value(e)` | `e` | `toInteger(e)` | an id from Python (a string) compared with `@id` |
| `@seek_each(x, $ids)` | `MATCH (x) WHERE elementId(x) IN $ids` | `UNWIND $ids AS i` / `WITH DISTINCT toInteger(i) AS nid` / `MATCH (x) WHERE ID(x) = nid` | the nodes of an id list, one seek per id (binds `i`, `nid` on FalkorDB) |
| `@keep_ids(x, $ids)` | (no line) | `WITH x, [i IN $ids \\| toInteger(i)] AS want` | the id list built once, for `@in_ids` after a seek |
| `@in_ids(x, $ids)` | `elementId(x) IN $ids` | `ID(x) IN want` | is x one of the list (FalkorDB: after `@keep_ids`) |

A line that starts `@neo4j:` or `@falkordb:` is sent to that backend only (without the
prefix and one space after it): for the few real differences kept beside the shared
lines, so both sides stay in view. A statement that differs throughout stays a pair of
files (`<name>.neo4j.cypher`, `<name>.falkordb.cypher`; see `graphfraud.store.library`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BACKENDS = ("neo4j", "falkordb")


class DialectError(ValueError):
    """A rule the renderer does not know, or given the wrong arguments."""


@dataclass(frozen=True)
class Rule:
    """One idiom: its arguments and the text each backend gets (`{arg}` placeholders)."""

    name: str
    args: tuple[str, ...]
    neo4j: str
    falkordb: str

    def text(self, backend: str, values: list[str]) -> str:
        template = self.neo4j if backend == "neo4j" else self.falkordb
        return template.format(**dict(zip(self.args, values, strict=True)))


RULES: dict[str, Rule] = {r.name: r for r in (
    Rule("id", ("x",), "elementId({x})", "ID({x})"),
    Rule("id_text", ("x",), "elementId({x})", "toString(ID({x}))"),
    Rule("id_value", ("e",), "{e}", "toInteger({e})"),
    Rule("seek_each", ("x", "ids"), "MATCH ({x}) WHERE elementId({x}) IN {ids}",
         "UNWIND {ids} AS i\nWITH DISTINCT toInteger(i) AS nid\nMATCH ({x}) WHERE ID({x}) = nid"),
    Rule("keep_ids", ("x", "ids"), "", "WITH {x}, [i IN {ids} | toInteger(i)] AS want"),
    Rule("in_ids", ("x", "ids"), "elementId({x}) IN {ids}", "ID({x}) IN want"),
)}

_CALL = re.compile(r"@(\w+)\(")
_ONLY = re.compile(r"^@(\w+):")


def uses_rules(text: str) -> bool:
    """Does `text` hold a rule or a backend-only line (so it renders per backend)?"""
    return any(_CALL.search(line) or _ONLY.match(line) for line in text.splitlines())


def render(text: str, backend: str) -> str:
    """`text` with every rule replaced by `backend`'s idiom and the other backend's
    lines dropped; a line that only held a rule with no text on `backend` goes too."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}")
    out: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        only = _ONLY.match(line)
        if only:
            if only.group(1) not in BACKENDS:
                raise DialectError(f"line {number}: unknown backend {only.group(1)!r} "
                                   f"(lines may start @neo4j: or @falkordb:)")
            if only.group(1) != backend:
                continue
            line = line[only.end():]
            line = line[1:] if line.startswith(" ") else line
        try:
            rendered = _expand(line, backend)
        except DialectError as exc:
            raise DialectError(f"line {number}: {exc}") from None
        if line.strip() and not rendered.strip():
            continue
        out.append(rendered)
    return "\n".join(out)


def _expand(text: str, backend: str) -> str:
    parts: list[str] = []
    pos = 0
    while (m := _CALL.search(text, pos)) is not None:
        rule = RULES.get(m.group(1))
        if rule is None:
            raise DialectError(f"unknown rule @{m.group(1)} (known: "
                               f"{', '.join('@' + n for n in RULES)})")
        args, end = _arguments(text, m.end())
        if len(args) != len(rule.args):
            raise DialectError(f"@{rule.name} takes {len(rule.args)} argument(s) "
                               f"({', '.join(rule.args)}), not {len(args)}")
        parts.append(text[pos:m.start()])
        parts.append(rule.text(backend, [_expand(a, backend) for a in args]))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _arguments(text: str, start: int) -> tuple[list[str], int]:
    """The comma-separated arguments from `start` (just after the open bracket) to the
    matching close bracket, and the offset after it."""
    depth, args, begin = 0, [], start
    for i in range(start, len(text)):
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            if depth == 0:
                args.append(text[begin:i].strip())
                return [a for a in args if a], i + 1
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(text[begin:i].strip())
            begin = i + 1
    raise DialectError("a rule's bracket is not closed on its line")
