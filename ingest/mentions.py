"""Names seen without a key become NameMention nodes, for entity resolution to link."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from graphfraud.ingest.framework import Op, link, node
from graphfraud.model.keys import mention_id
from graphfraud.resolve import normalize as norm

__all__ = ["mention_id", "mention_ops"]

#: one name recurs on many rows (a foreign consignee on each of its e-ADs)
_company_name = lru_cache(maxsize=1 << 16)(norm.normalize_company_name)


def mention_ops(file_name: str, row: int, entity_label: str, entity_key: str, field: str,
                text: str, address: dict[str, Any] | None = None) -> list[Op]:
    mid = mention_id(file_name, entity_key, field)
    props: dict[str, Any] = {"text": text, "text_norm": _company_name(text),
                             "source": file_name, "field": field, "source_row": row}
    for k, v in (address or {}).items():
        if v is not None:
            props[f"addr_{k}"] = v
    return [node("NameMention", mid, props),
            link("NAMED_IN", "NameMention", mid, entity_label, entity_key)]
