"""Address resolution: a street + house number + place without a postcode, matched to
the addresses the graph knows.

Tips rarely give a postcode: a caller says "Industrieweg 55a in Venlo". The graph's
address key is postcode + number, so such a tip reached no address at all. Here the
street (abbreviations expanded, typos tolerated), the house number with its addition
('55a', '55-A', '12 bis') and the place are normalised the way every other source's are
(`graphfraud.resolve.normalize`) and compared. The result is a scored link with its
evidence, never a merge: `linked` when one address clearly fits, `candidate` when two or
more fit about as well (a street that runs through several postcodes), for review.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from graphfraud.resolve import normalize as norm
from graphfraud.resolve.matcher import AMBIGUITY_MARGIN, LINK_THRESHOLD, REVIEW_THRESHOLD

#: a street this similar (rapidfuzz ratio / 100) still counts: one or two typos
STREET_MIN_SIMILARITY = 0.85
#: the same number without the addition the other side gives ('55' for '55A'): a
#: different door as often as not, so at most a candidate
PENALTY_ADDITION_MISSING = 0.15
_DIGITS = re.compile(r"^(\d+)")


@dataclass(frozen=True, slots=True)
class KnownAddress:
    """An address node of the graph, as far as matching needs it."""

    address_key: str
    street: str | None
    house_number: str | None
    city: str | None


@dataclass(frozen=True, slots=True)
class StatedAddress:
    """An address as a source states it, without a postcode (a tip's)."""

    ref: str
    street: str | None
    house_number: str | None
    city: str | None


@dataclass(frozen=True, slots=True)
class AddressMatch:
    ref: str
    address_key: str
    score: float
    status: str  # 'linked' or 'candidate'
    method: str
    evidence: tuple[str, ...]


def _base_number(number: str) -> str | None:
    m = _DIGITS.match(number)
    return m.group(1) if m else None


@dataclass(frozen=True, slots=True)
class _Norm:
    street: str
    number: str
    base: str
    city: str


def _normalise(street: object, number: object, city: object) -> _Norm | None:
    s = norm.normalize_street(street)
    n = norm.normalize_house_number(number)
    c = norm.normalize_city(city)
    if not (s and n and c):
        return None
    base = _base_number(n)
    return _Norm(s, n, base or n, c) if base else None


def score_address(stated: StatedAddress, known: KnownAddress) -> tuple[float, list[str]]:
    """The score of one stated address against one known address, with the evidence.

    Place and base number must agree (else 0). The street similarity is the score; an
    addition on one side only costs PENALTY_ADDITION_MISSING, two different additions
    ('55A' vs '55B') are different doors (0)."""
    a = _normalise(stated.street, stated.house_number, stated.city)
    b = _normalise(known.street, known.house_number, known.city)
    if a is None or b is None or a.city != b.city or a.base != b.base:
        return 0.0, []
    return _score_norm(a, b)


def _score_norm(a: _Norm, b: _Norm) -> tuple[float, list[str]]:
    street = 1.0 if a.street == b.street else fuzz.ratio(a.street, b.street) / 100.0
    if street < STREET_MIN_SIMILARITY:
        return 0.0, []
    evidence = [f"street '{a.street}' ~ '{b.street}': {street:.2f}", f"same place {a.city}"]
    score = street
    if a.number == b.number:
        evidence.append(f"house number {a.number} equals {b.number}")
    elif a.number == a.base or b.number == b.base:
        score -= PENALTY_ADDITION_MISSING
        evidence.append(f"house number {a.number} vs {b.number}: the addition is missing on "
                        f"one side (-{PENALTY_ADDITION_MISSING:.2f})")
    else:
        return 0.0, []
    return round(score, 4), evidence


def match_addresses(stated: Iterable[StatedAddress],
                    known: Iterable[KnownAddress]) -> list[AddressMatch]:
    """Each stated address -> the known addresses it matches (blocked on place and base
    number), best first. One clear best above LINK_THRESHOLD is `linked`; the others
    above REVIEW_THRESHOLD, and every one of a near tie, are `candidate`s."""
    block: dict[tuple[str, str], list[tuple[KnownAddress, _Norm]]] = defaultdict(list)
    for k in known:
        n = _normalise(k.street, k.house_number, k.city)
        if n is not None:
            block[(n.city, n.base)].append((k, n))
    out: list[AddressMatch] = []
    for s in stated:
        a = _normalise(s.street, s.house_number, s.city)
        if a is None:
            continue
        scored = []
        for k, n in block.get((a.city, a.base), []):
            score, evidence = _score_norm(a, n)
            if score >= REVIEW_THRESHOLD:
                scored.append((score, k.address_key, evidence))
        scored.sort(key=lambda x: (-x[0], x[1]))
        for i, (score, key, evidence) in enumerate(scored):
            clear = i == 0 and (len(scored) == 1 or score - scored[1][0] >= AMBIGUITY_MARGIN)
            status = "linked" if clear and score >= LINK_THRESHOLD else "candidate"
            if status == "candidate" and len(scored) > 1 and i == 0 and not clear:
                evidence = [*evidence, f"{len(scored)} addresses fit about as well"]
            out.append(AddressMatch(s.ref, key, score, status, "street_number_place",
                                    tuple(evidence)))
    return out
