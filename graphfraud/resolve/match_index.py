"""The trader index of the matcher: names and addresses prepared once, exact-key lookups
and the blocking postings (steps 1-2 of the pipeline in :mod:`graphfraud.resolve.matcher`).

Building it is O(total name length); :func:`build_index` sorts traders by trader_id so that
every later tie-break is deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

from graphfraud.resolve.normalize import (
    address_key,
    is_generic_token,
    normalize_city,
    normalize_company_name,
    normalize_country,
    normalize_excise_number,
    normalize_kvk,
    normalize_postcode,
)
from graphfraud.resolve.records import TraderRecord

__all__ = [
    "Prepared",
    "TraderIndex",
    "build_index",
    "deletions",
    "mention_keys",
    "prepare",
    "shared_keys",
]

@dataclass(frozen=True)
class Prepared:
    """A name + address in the form the scorer compares (computed once per record)."""

    canonical: str
    sorted_name: str
    core_sorted: str
    tokens: tuple[str, ...]
    core: tuple[str, ...]
    postcode: str | None
    address: str | None
    city: str | None


def prepare(
    name: str | None,
    postcode: str | None,
    house_number: str | None,
    city: str | None,
    street: str | None,
    country: str | None,
) -> Prepared:
    canonical = normalize_company_name(name)
    tokens = tuple(sorted(set(canonical.split())))
    core = tuple(t for t in tokens if not is_generic_token(t))
    cc = normalize_country(country) or "NL"
    return Prepared(
        canonical=canonical,
        sorted_name=" ".join(sorted(canonical.split())),
        core_sorted=" ".join(core),
        tokens=tokens,
        core=core,
        postcode=normalize_postcode(postcode, cc),
        address=address_key(postcode, house_number, cc, street),
        city=normalize_city(city),
    )


def deletions(token: str) -> set[str]:
    """The token and every variant with one letter deleted (symmetric-delete typo keys)."""
    variants = {token}
    if len(token) >= 4:
        variants.update(token[:i] + token[i + 1 :] for i in range(len(token)))
    return variants


def shared_keys(prep: Prepared) -> set[str]:
    """Keys that a trader and a mention both derive from their own words and address."""
    content = [t for t in prep.tokens if len(t) > 1]
    keys = {"w:" + t for t in content}
    keys.update(f"p:{a}|{b}" for a, b in combinations(content[:6], 2))
    if prep.postcode:
        keys.add("pc:" + prep.postcode)
    if prep.address:
        keys.add("a:" + prep.address)
    return keys


def mention_keys(
    prep: Prepared, postings: Mapping[str, list[int]], typo_map: Mapping[str, list[str]]
) -> set[str]:
    """Blocking keys of a mention.

    A word the trader vocabulary knows is looked up as itself only; a word it does not know
    is probably misspelt and is looked up as the distinctive vocabulary words within one
    edit (symmetric deletion: both sides share a one-letter-deleted variant). So 'janssen'
    finds 'jansen' only when no trader is called 'janssen' (a real, different name).
    """
    keys = shared_keys(prep)
    for token in prep.tokens:
        if len(token) > 1 and "w:" + token not in postings:
            for variant in deletions(token):
                keys.update("w:" + known for known in typo_map.get(variant, ()))
    return keys


@dataclass
class TraderIndex:
    """Traders prepared for matching: exact-key lookups plus the blocking postings.

    Build it once with :func:`build_index` and reuse it for several batches of mentions.
    """

    traders: list[TraderRecord]
    prepared: list[Prepared]
    by_trader_id: dict[str, int]
    by_kvk: dict[str, list[int]]
    by_excise: dict[str, list[int]]
    by_name: dict[str, list[int]]
    postings: dict[str, list[int]]
    typo_map: dict[str, list[str]]

    def __len__(self) -> int:
        return len(self.traders)


def build_index(traders: Iterable[TraderRecord]) -> TraderIndex:
    """Index traders for :func:`resolve_exact` and :func:`match_mentions`.

    Traders are ordered by trader_id so that every later tie-break is deterministic.
    O(total length of names).
    """
    ordered = sorted(traders, key=lambda t: t.trader_id)
    prepared: list[Prepared] = []
    by_trader_id: dict[str, int] = {}
    by_kvk: dict[str, list[int]] = {}
    by_excise: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    postings: dict[str, list[int]] = {}
    vocabulary: set[str] = set()
    for i, trader in enumerate(ordered):
        prep = prepare(
            trader.name,
            trader.postcode,
            trader.house_number,
            trader.city,
            trader.street,
            trader.country,
        )
        prepared.append(prep)
        by_trader_id.setdefault(trader.trader_id, i)
        kvk = normalize_kvk(trader.kvk_number)
        if kvk:
            by_kvk.setdefault(kvk, []).append(i)
        excise = normalize_excise_number(trader.excise_number)
        if excise:
            by_excise.setdefault(excise, []).append(i)
        by_name.setdefault(prep.canonical, []).append(i)
        vocabulary.update(prep.core)
        for key in shared_keys(prep):
            postings.setdefault(key, []).append(i)
    typo_map: dict[str, list[str]] = {}
    for token in sorted(vocabulary):
        for variant in deletions(token):
            typo_map.setdefault(variant, []).append(token)
    return TraderIndex(
        ordered, prepared, by_trader_id, by_kvk, by_excise, by_name, postings, typo_map
    )
