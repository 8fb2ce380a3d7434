"""Validate EMCS messages against the official phase-4 XSDs shipped in the package.

The schemas live in `graphfraud/data/emcs-xsd/<version>/` (Apache-2.0, see its
NOTICE.md), so a plain install validates offline. A message is validated with the
schema of the version its namespace names; a version GraphFraud does not ship is read
without validation and said so in the report (`SCHEMA_MISSING`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from lxml import etree

import graphfraud

XSD_DIR = Path(graphfraud.__file__).resolve().parent / "data" / "emcs-xsd"
_NS = re.compile(r"^urn:publicid:-:EC:DGTAXUD:EMCS:PHASE4:(IE\d{3}):(V\d+\.\d+)$")
SCHEMA_MISSING = "not validated: no schema shipped for"


def message_namespace(el: etree._Element) -> tuple[str, str] | None:
    """(message type, version) from a message root's namespace, e.g. ('IE801', 'V3.13')."""
    ns = etree.QName(el).namespace or ""
    m = _NS.match(ns)
    return (m.group(1), m.group(2)) if m else None


@lru_cache(maxsize=32)
def schema_for(kind: str, version: str) -> etree.XMLSchema | None:
    """The compiled schema of one message type and version, or None when not shipped."""
    path = XSD_DIR / version / f"{kind.lower()}.xsd"
    if not path.is_file():
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(path), parser))


def validate(el: etree._Element, kind: str, version: str) -> list[str]:
    """Schema errors of one message as 'line N: /path: reason' (empty when valid).

    A version without a shipped schema gives one line starting with SCHEMA_MISSING."""
    schema = schema_for(kind, version)
    if schema is None:
        return [f"{SCHEMA_MISSING} {kind} {version}"]
    # validate the message on its own (a national wrapper around it is not EMCS's)
    doc = etree.ElementTree(el) if el.getparent() is None else \
        etree.ElementTree(etree.fromstring(etree.tostring(el)))
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.path}: {e.message}" for e in schema.error_log][:20]


def shipped_versions() -> list[str]:
    return sorted(p.name for p in XSD_DIR.iterdir() if p.is_dir())
