"""Parse one EMCS XML file without trusting it.

lxml with entity resolution, DTD loading and network access off, and `huge_tree` off
(libxml2 then refuses nesting deeper than 256 and text nodes over 10 MB). A document
type declaration is refused outright: EMCS messages never carry one, and it is how
external-entity (XXE) and entity-expansion ("billion laughs") attacks start. Every
refusal is a `MessageRefused` whose text names the reason.
"""

from __future__ import annotations

import re

from lxml import etree

MAX_FILE_BYTES = 200 * 1024 * 1024  # a national batch of a few hundred thousand messages
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


class MessageRefused(ValueError):
    """A file or message that cannot be read: the text says why."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True)


def _prolog(data: bytes) -> bytes:
    """The bytes before the root element's start tag (where a DTD would have to be)."""
    pos = 0
    while True:
        lt = data.find(b"<", pos)
        if lt < 0:
            return data
        nxt = data[lt + 1:lt + 2]
        if nxt == b"?":
            pos = data.find(b"?>", lt) + 2 or len(data)
        elif data.startswith(b"<!--", lt):
            end = data.find(b"-->", lt)
            pos = len(data) if end < 0 else end + 3
        elif nxt == b"!":
            return data[:data.find(b">", lt) + 1 or len(data)] + b"<!"
        else:
            return data[:lt]
        if pos <= 0:
            return data


def parse_safely(data: bytes) -> etree._Element:
    """The root element of `data`; MessageRefused for a DTD, bad XML or a bomb."""
    if len(data) > MAX_FILE_BYTES:
        raise MessageRefused(f"file larger than {MAX_FILE_BYTES // 2**20} MB")
    if not data.strip():
        raise MessageRefused("empty file")
    if _DOCTYPE.search(_prolog(data)):
        raise MessageRefused("DOCTYPE/ENTITY declaration refused (EMCS messages carry "
                             "none; external entities and entity expansion are not read)")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise MessageRefused(f"not well-formed XML: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise MessageRefused("DOCTYPE declaration refused")
    for el in root.iter(etree.Entity):
        raise MessageRefused(f"entity reference &{el.name}; refused")
    return root
