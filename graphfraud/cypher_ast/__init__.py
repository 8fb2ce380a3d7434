"""Parse Cypher into a syntax tree and say what a statement touches.

The parser is `cypherast` (pure Python, MIT, no dependencies). Measured on the 1,423
TCK analyst queries Neo4j 5.26 handles as the TCK says (see docs/dependencies.md): it
accepted all 923 valid ones in 0.3 ms each; `antlr4-cypher` accepted 827 (7.9 ms each),
`cypher-guard` 128. Like every openCypher grammar it checks syntax only: scoping and
type rules (a node variable reused as a relationship, ...) are checked by the users of
this module (`graphfraud.store.falkordb_dialect`).

Do not render a tree back to text: `cypherast`'s renderer drops parentheses
(`(a + b) * c` comes back as `a + b * c`). Rewrites edit the original text instead.

Public API:

* `parse(text) -> ParsedQuery` (raises `CypherSyntaxError`);
* `ParsedQuery.labels`, `.relationship_types`, `.properties` (keys read with `x.key`
  or written in a pattern's `{key: ...}`), `.functions` (lower-case names), `.variables`,
  `.return_items` (column names of the last RETURN, `*` when it returns all);
* `walk(node)` — every node of a (sub)tree, depth first, map entries included.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


class CypherSyntaxError(ValueError):
    """The text is not Cypher the parser can read; the message says where."""


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed statement and what it touches, for checks and classification."""

    text: str
    tree: Any
    labels: frozenset[str]
    relationship_types: frozenset[str]
    properties: frozenset[str]
    functions: frozenset[str]
    variables: frozenset[str]
    return_items: tuple[str, ...]


def walk(node: Any) -> Iterator[Any]:
    """Every AST node under `node` (itself first); also inside map entries (tuples)."""
    from cypherast.ast import AstNode

    stack = [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, AstNode):
            yield cur
            stack.extend(reversed(list(cur.args.values())))
        elif isinstance(cur, (list, tuple)):
            stack.extend(reversed(cur))


def children(node: Any) -> list[Any]:
    """The AST nodes directly under `node`."""
    from cypherast.ast import AstNode

    out: list[Any] = []
    stack = list(reversed(list(node.args.values())))
    while stack:
        cur = stack.pop()
        if isinstance(cur, AstNode):
            out.append(cur)
        elif isinstance(cur, (list, tuple)):
            stack.extend(reversed(cur))
    return out


def parse_tree(text: str) -> Any:
    """The raw `cypherast` tree of one statement."""
    import cypherast

    try:
        return cypherast.parse_one(text)
    except Exception as exc:  # the parser's own error types, and any crash in it
        raise CypherSyntaxError(f"not valid Cypher: {exc}") from exc


def column_name(item: Any, text: str | None = None) -> str:
    """The column a projection item gives: its alias, the variable, or `?` when the
    name is the expression's text (which only the original text holds)."""
    from cypherast import ast as A

    if isinstance(item, A.Alias):
        return item.args["alias"].args["this"]
    if isinstance(item, A.Identifier):
        return item.args["this"]
    if isinstance(item, A.Star):
        return "*"
    return "?"


def parse(text: str) -> ParsedQuery:
    """Parse one statement; raises `CypherSyntaxError` when it is not Cypher."""
    from cypherast import ast as A

    tree = parse_tree(text)
    labels: set[str] = set()
    types: set[str] = set()
    props: set[str] = set()
    functions: set[str] = set()
    variables: set[str] = set()
    last_return: Any = None
    for node in walk(tree):
        if isinstance(node, A.LabelExpression):
            labels.update(str(x) for x in node.args.get("labels") or [])
        elif isinstance(node, A.RelationshipPattern):
            types.update(node.args.get("types") or [])
        elif isinstance(node, A.Property):
            props.add(node.args["name"])
        elif isinstance(node, (A.NodePattern, A.RelationshipPattern)):
            pass
        elif isinstance(node, A.FunctionCall):
            functions.add(str(node.args["name"]).lower())
        elif isinstance(node, A.Identifier):
            variables.add(node.args["this"])
        elif isinstance(node, A.Return):
            last_return = node
        if isinstance(node, (A.NodePattern, A.RelationshipPattern)):
            pmap = node.args.get("properties")
            if isinstance(pmap, A.Map):
                props.update(k for k, _v in pmap.args.get("entries") or [])
    items = tuple(column_name(i) for i in (last_return.args["expressions"]
                                             if last_return is not None else []))
    return ParsedQuery(text, tree, frozenset(labels), frozenset(types), frozenset(props),
                       frozenset(functions), frozenset(variables), items)
