"""Keys the model derives from other facts, in one place for every layer that needs
them: the loaders make them, the evaluation finds them again."""

from __future__ import annotations


def mention_id(file_name: str, entity_key: str, field: str) -> str:
    """A NameMention's key, stable across deliveries: the file, the entity the name
    belongs to, the column."""
    return f"{file_name}:{entity_key}:{field}"
