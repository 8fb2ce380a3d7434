"""Schema statements generated from the model, one dialect per backend.

Neo4j gets named, idempotent constraints and indexes (`IF NOT EXISTS`). FalkorDB has no
`IF NOT EXISTS`; its backend applies these statements only for indexes it lacks and adds
unique constraints through the client (see `graphfraud.store.falkordb_store`).
"""

from __future__ import annotations

from dataclasses import dataclass

from graphfraud.model.schema import NODE_TYPES, NodeType


@dataclass(frozen=True)
class IndexSpec:
    """One index: `unique` for a node type's key."""

    label: str
    prop: str
    unique: bool

    @property
    def name(self) -> str:
        suffix = "key" if self.unique else "idx"
        return f"{self.label.lower()}_{self.prop}_{suffix}"


def index_specs(node_types: tuple[NodeType, ...] = NODE_TYPES) -> list[IndexSpec]:
    """The key constraint and look-up indexes of every node type, in model order."""
    specs: list[IndexSpec] = []
    for nt in node_types:
        specs.append(IndexSpec(nt.label, nt.key, unique=True))
        specs.extend(IndexSpec(nt.label, p, unique=False) for p in nt.indexed)
    return specs


def neo4j_statement(spec: IndexSpec) -> str:
    if spec.unique:
        return (f"CREATE CONSTRAINT {spec.name} IF NOT EXISTS "
                f"FOR (n:{spec.label}) REQUIRE n.{spec.prop} IS UNIQUE;")
    return f"CREATE INDEX {spec.name} IF NOT EXISTS FOR (n:{spec.label}) ON (n.{spec.prop});"


def falkordb_statement(spec: IndexSpec) -> str:
    return f"CREATE INDEX FOR (n:{spec.label}) ON (n.{spec.prop});"


#: one header for both files (the library checks a pair's headers equal)
_HEADER = """// name: schema
// purpose: constraints and indexes of the GraphFraud model; applying it twice changes
//   nothing.
// pair: Neo4j 5 keys are named unique constraints (`IF NOT EXISTS`); FalkorDB gets plain
//   indexes, no unique constraints (their replay from the append-only file stops the
//   server; keys stay unique by MERGE).
// params: none
// mode: schema
// used_by: graphfraud.store (both backends), `graphfraud schema`
// GENERATED from graphfraud/model/schema.py by `graphfraud schema --write`: do not edit.
"""


def render_schema_file(backend: str) -> str:
    """The text of `cypher/schema.cypher` (neo4j) or `cypher/schema.falkordb.cypher`."""
    if backend == "neo4j":
        head = _HEADER
        body = [neo4j_statement(s) for s in index_specs()]
    elif backend == "falkordb":
        head = _HEADER
        body = [falkordb_statement(s) for s in index_specs()]
        body.append("// no unique constraints: their replay from the append-only file stops the "
                    "server; keys stay unique by MERGE")
    else:
        raise ValueError(f"unknown backend {backend!r}")
    return head + "\n" + "\n".join(body) + "\n"
