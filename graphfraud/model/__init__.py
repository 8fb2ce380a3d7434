"""The one graph schema: labels, keys, properties and relationship types.

Everything else (loaders, schema statements, UI legends, docs) reads it from here.
"""

from graphfraud.model.keys import mention_id
from graphfraud.model.schema import (
    LEGAL_BASES,
    NODE_TYPES,
    REL_TYPES,
    NodeType,
    RelType,
    node_type,
    rel_type,
)

__all__ = [
    "LEGAL_BASES",
    "NODE_TYPES",
    "REL_TYPES",
    "NodeType",
    "RelType",
    "mention_id",
    "node_type",
    "rel_type",
]
