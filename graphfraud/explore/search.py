"""Find entities from what an investigator types: a name, KvK or excise number, address,
postcode, plate, phone or e-mail, tolerant of case, spaces and small typos.

Two passes. First exact keys: the text is normalised every way it could be meant
(`graphfraud.resolve.normalize`: plate, phone, postcode, KvK, excise number, address
key) and looked up with one indexed query (`explorer_search_keys`). Then names: trader
and person names containing a few 3-letter fragments of the words (so one typo still
leaves a fragment intact) are scored in Python with rapidfuzz and kept above a threshold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from graphfraud.explore.graph import Node, caption_of, key_of, label_of
from graphfraud.resolve.normalize import (
    normalize_company_name,
    normalize_email,
    normalize_excise_number,
    normalize_kvk,
    normalize_phone,
    normalize_plate,
    normalize_postcode,
    strip_accents,
)
from graphfraud.store.base import GraphStore

#: Lowest rapidfuzz score (0-100) for a name match to be shown.
NAME_THRESHOLD = 72.0
_POSTCODE_NUMBER = re.compile(r"^\s*([1-9]\d{3}\s*[A-Za-z]{2})\W*(\d+\s*[A-Za-z0-9-]*)\s*$")
_PLATE_SHAPE = re.compile(r"^[A-Z0-9]{6,8}$")


@dataclass(frozen=True)
class SearchHit:
    """One entity found: its label, key, caption, why it matched and how well (0-100)."""

    label: str
    key: str
    caption: str
    matched: str
    score: float
    node: Node

    @property
    def id(self) -> str:
        return str(self.node.get("_id"))

    def to_row(self) -> dict[str, Any]:
        return {"label": self.label, "key": self.key, "name": self.caption,
                "matched": self.matched, "score": round(self.score, 1)}


@dataclass(frozen=True)
class KeyForms:
    """The search text normalised as each kind of key (None where it cannot be one)."""

    raw: str
    kvk: str | None
    excise: str | None
    address_key: str | None
    postcode: str | None
    plate: str | None
    phone: str | None
    email: str | None

    def params(self) -> dict[str, Any]:
        return {"raw": self.raw, "kvk": self.kvk, "excise": self.excise,
                "address_key": self.address_key, "postcode": self.postcode,
                "plate": self.plate, "phone": self.phone, "email": self.email}


def key_forms(text: str) -> KeyForms:
    """Every key the text could be, normalised (pure; see the module docstring)."""
    raw = text.strip()
    upper = raw.upper()
    address_key = None
    m = _POSTCODE_NUMBER.match(raw)
    if m:
        pc = normalize_postcode(m.group(1))
        number = re.sub(r"[\s]", "", m.group(2)).upper()
        if pc:
            address_key = f"{pc}|{number}"
    plate = normalize_plate(raw)
    if plate and not _PLATE_SHAPE.match(plate):
        plate = None
    digits = re.sub(r"\D", "", raw)
    phone = normalize_phone(raw) if len(digits) >= 9 else None
    return KeyForms(
        raw=upper, kvk=normalize_kvk(raw), excise=normalize_excise_number(raw),
        address_key=address_key, postcode=normalize_postcode(raw), plate=plate,
        phone=phone, email=normalize_email(raw) if "@" in raw else None,
    )


def name_fragments(text: str) -> list[str]:
    """Lower-case fragments to find candidate names: each word (3+ letters) and its first
    and last three letters, so one typo in a word still leaves a fragment that matches."""
    norm = normalize_company_name(text) or strip_accents(text.casefold())
    frags: set[str] = set()
    for word in re.split(r"\W+", norm):
        if len(word) < 3:
            continue
        frags.update({word, word[:3], word[-3:]})
    return sorted(frags)


def _name_of(node: Node) -> str:
    if label_of(node) == "Trader":
        return str(node.get("name_norm") or normalize_company_name(node.get("name")) or "")
    return strip_accents(str(node.get("full_name") or "").casefold())


def name_score(query: str, name: str) -> float:
    """How well `name` matches what was typed (0-100), forgiving word order and typos."""
    q = normalize_company_name(query) or strip_accents(query.casefold())
    if not q or not name:
        return 0.0
    return max(fuzz.WRatio(q, name), fuzz.token_set_ratio(q, name))


def search_entities(store: GraphStore, text: str, limit: int = 20) -> list[SearchHit]:
    """Entities matching `text`, best first: exact key matches (score 100), then names.

    Example: `search_entities(store, "delta  distributei")` finds "Delta Distributie B.V."
    despite the extra space, the case and the swapped letters.
    """
    text = (text or "").strip()
    if not text:
        return []
    hits: dict[str, SearchHit] = {}
    forms = key_forms(text)
    for row in store.run("explorer_search_keys", {**forms.params(), "limit": limit}):
        node = row["n"]
        hit = SearchHit(label_of(node), key_of(node) or "", caption_of(node, 60),
                        str(row["matched"]), 100.0, node)
        hits.setdefault(hit.id, hit)
    frags = name_fragments(text)
    if frags:
        rows = store.run("explorer_search_names", {"fragments": frags, "limit": 2000})
        for row in rows:
            node = row["n"]
            score = name_score(text, _name_of(node))
            if score < NAME_THRESHOLD:
                continue
            hit = SearchHit(label_of(node), key_of(node) or "", caption_of(node, 60),
                            "name", float(score), node)
            if hit.id not in hits:
                hits[hit.id] = hit
    ranked = sorted(hits.values(), key=lambda h: (-h.score, h.label, h.caption, h.key))
    return ranked[:limit]
