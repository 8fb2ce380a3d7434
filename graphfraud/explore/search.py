"""Find entities from what an investigator types: a name, KvK or excise number, address,
postcode, plate, phone or e-mail, tolerant of case, spaces and small typos.

Two passes. First exact keys: the text is normalised every way it could be meant
(`graphfraud.resolve.normalize`: plate, phone, postcode, KvK, excise number, address
key) and looked up with one indexed query (`explorer_search_keys`). Text that reads as a
street address ("Industrieweg 20 Delft") is looked up by street, number and city
(`explorer_search_street`); then it is an address search, and names that merely contain
the city are not offered. Then names: trader and person names containing a few 3-letter
fragments of the words (so one typo still leaves a fragment intact) are scored in Python
with rapidfuzz and kept above a threshold. Persons carry their birth year and home city
(`context`), and a year or city typed with the name counts for the person who has it, so
23 people of one name are told apart.
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
    normalize_house_number,
    normalize_kvk,
    normalize_phone,
    normalize_plate,
    normalize_postcode,
    normalize_street,
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
    #: what tells namesakes apart: a person's birth year and city, a trader's city
    context: str = ""

    @property
    def id(self) -> str:
        return str(self.node.get("_id"))

    def to_row(self) -> dict[str, Any]:
        return {"label": self.label, "key": self.key, "name": self.caption,
                "context": self.context, "matched": self.matched,
                "score": round(self.score, 1)}


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
    """Entities matching `text`, best first: exact key matches (score 100), street
    addresses (100), then names.

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
                        str(row["matched"]), 100.0, node, _context(node, None))
        hits.setdefault(hit.id, hit)
    street = street_address(text)
    if street is not None:
        for row in store.run("explorer_search_street", {**street.params(), "limit": limit}):
            node = row["n"]
            hit = SearchHit(label_of(node), key_of(node) or "", caption_of(node, 60),
                            str(row["matched"]), 100.0, node, _context(node, None))
            hits.setdefault(hit.id, hit)
        if hits:  # an address was meant: shops named after the city are no answer
            return _ranked(hits, limit)
    frags = name_fragments(text)
    if frags:
        rows = store.run("explorer_search_candidates", {"fragments": frags, "limit": 2000})
        for row in rows:
            node, city = row["n"], row.get("city")
            score = candidate_score(text, _name_of(node), _birth_year(node), city)
            if score < NAME_THRESHOLD:
                continue
            hit = SearchHit(label_of(node), key_of(node) or "", caption_of(node, 60),
                            "name", float(score), node, _context(node, city))
            if hit.id not in hits:
                hits[hit.id] = hit
    return _ranked(hits, limit)


def _ranked(hits: dict[str, SearchHit], limit: int) -> list[SearchHit]:
    ranked = sorted(hits.values(), key=lambda h: (-h.score, h.label, h.caption,
                                                  h.context, h.key))
    return ranked[:limit]


# --- street addresses, namesakes, suggestions (issue #18 part B) -------------------------
_STREET = re.compile(r"^(?P<street>[^\d,]*[^\d\s,])\s+(?P<number>\d+(?:[-/]?[A-Za-z0-9]{1,3})?)"
                     r"\b\s*,?\s*(?P<postcode>[1-9]\d{3}\s?[A-Za-z]{2}\b)?\s*,?\s*"
                     r"(?P<city>[^\d,]*)$")
#: a name alone scores at most this; the birth year or city typed with it makes 100
NAME_ONLY_MAX = 95.0
_YEAR = re.compile(r"\b(19\d{2}|20[0-2]\d)\b")


@dataclass(frozen=True)
class StreetAddress:
    """A search text read as `street number [postcode] [city]`."""

    street: str
    number: str
    city: str | None

    def params(self) -> dict[str, Any]:
        streets = sorted({self.street.casefold(), normalize_street(self.street) or ""} - {""})
        numbers = sorted({self.number, self.number.upper(),
                          normalize_house_number(self.number) or ""} - {""})
        return {"streets": streets, "numbers": numbers,
                "city": self.city.casefold() if self.city else None}


def street_address(text: str) -> StreetAddress | None:
    """`text` as a street address, or None (pure): "Industrieweg 20 Delft" →
    street "Industrieweg", number "20", city "Delft"."""
    m = _STREET.match(" ".join(text.split()))
    if not m:
        return None
    city = (m.group("city") or "").strip() or None
    return StreetAddress(m.group("street").strip(), m.group("number"), city)


def _birth_year(node: Node) -> str | None:
    if label_of(node) != "Person":
        return None
    bd = str(node.get("birth_date") or "")
    return bd[:4] if len(bd) >= 4 and bd[:4].isdigit() else None


def _context(node: Node, city: Any) -> str:
    """What tells namesakes apart: "born 1971, Delft" for a person, the city else."""
    parts = []
    year = _birth_year(node)
    if year:
        parts.append(f"born {year}")
    place = city or node.get("city")
    if place:
        parts.append(str(place))
    return ", ".join(parts)


def candidate_score(query: str, name: str, birth_year: str | None, city: Any) -> float:
    """`name_score` of the words that are not the candidate's birth year or city (at
    most `NAME_ONLY_MAX`), plus a little for a year or city typed that the candidate
    has, and less for a year typed that is not theirs (pure)."""
    words = query.split()
    city_words = set(strip_accents(str(city or "").casefold()).split())
    years = _YEAR.findall(query)
    rest = [w for w in words if w not in years
            and strip_accents(w.casefold()) not in city_words]
    score = min(name_score(" ".join(rest) or query, name), NAME_ONLY_MAX)
    if years and birth_year:
        score += 5.0 if birth_year in years else -15.0
    if city_words and len(rest) < len(words) - len(years):
        score += 5.0
    return min(score, 100.0)


def suggestions(store: GraphStore, text: str, limit: int = 8) -> list[str]:
    """Trader names and street addresses for what has been typed so far (register
    data only: no persons), for the search box's suggestions while typing."""
    raw = " ".join((text or "").split())
    if len(raw) < 2:
        return []
    prefix = normalize_company_name(raw) or strip_accents(raw.casefold())
    m = re.match(r"^([^\d]*?)\s*(\d[\w-]*)?\s*$", strip_accents(raw.casefold()))
    street = (m.group(1) if m else raw.casefold()).strip()
    number = m.group(2).upper() if m and m.group(2) else None
    rows = store.run("explorer_suggestions", {"prefix": prefix, "street": street,
                                              "number": number, "limit": limit})
    seen: dict[str, None] = {}
    for r in rows:
        seen.setdefault(" ".join(str(r["text"]).split()), None)
    return list(seen)[: 2 * limit]
