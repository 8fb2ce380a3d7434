"""Refusals for free Cypher on the embedded engine: what Neo4j rejects at compile time,
and each class of query the engine was measured to answer differently (openCypher TCK,
docs/cypher-dialects.md). Each refusal names the construct and the alternative.

`check_tree` reads the parsed query (`graphfraud.cypher_ast`); `check_result_rows`
reads the engine's answer. The rewrites live in `falkordb_dialect`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphfraud.cypher_ast import children, walk
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


def check_result_rows(rows: list[dict[str, Any]], ordered: bool) -> None:
    """Refuse a result that holds temporal values (see `EngineTemporal`), or a NaN in a
    sorted result (the engine sorts NaN below the other numbers; Neo4j above)."""
    for row in rows:
        for value in row.values():
            if _has_disordered_path(value):
                raise DialectRefused("the embedded engine returned a path whose "
                                     "relationships are out of order (a variable-length "
                                     "path that returns to a node)", "use Neo4j for this one")
            if ordered and _has_nan(value):
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


def node_kind(node: Any) -> str:
    return type(node).__name__


def var_name(ident: Any) -> str | None:
    return None if ident is None else ident.args.get("this")


def check_tree(tree: Any) -> dict[int, set[str]]:
    """Refuse what must be refused; returns the relationship variables each MATCH
    (by `id`) matches again after an earlier clause bound them."""
    from cypherast import ast as A

    rebound: dict[int, set[str]] = {}
    for node in walk(tree):
        kind = node_kind(node)
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
            chain = [kind] + [node_kind(c) for c in children(node) if node_kind(c) in _COMPARISONS]
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
            varlen_paths.add(var_name(node.args["variable"]))
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
    bound = {var_name(e.args.get("variable")) for e in path.args["elements"]}
    bound.add(var_name(path.args.get("variable")))
    bound.add(var_name(node.args.get("variable")))
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
            alias = var_name(clause.args["alias"])
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
                    scope.kinds.setdefault(var_name(node.args["alias"]), "value")
    _check_expressions(query, scope)


def _conflict(name: str, was: str, now: str) -> DialectRefused:
    return DialectRefused(f"variable {name} is bound as a {was} and used as a {now} "
                          "(Neo4j rejects it)", "use a new variable name")


def _bind_match(clause: Any, scope: _Scope, rebound: dict[int, set[str]]) -> None:
    from cypherast import ast as A

    local_rels: set[str] = set()
    for path in clause.args["pattern"].args["paths"]:
        pvar = var_name(path.args.get("variable"))
        for el in path.args["elements"]:
            name = var_name(el.args.get("variable"))
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
            out.append((var_name(item.args["alias"]), item.args["this"]))
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

    return any(isinstance(n, (A.ListComprehension,)) and var_name(n.args.get("variable")) == name
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
