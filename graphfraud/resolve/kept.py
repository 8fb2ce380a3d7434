"""Entity resolution kept between ingests: the trader index and the results per mention
as plain values, keyed by exactly what they were computed from.

A daily delivery adds a few dozen name mentions to a graph of 100k traders; building the
index again (every name and address normalised, ~4 s at large) and matching every old
mention again (~3 s) would cost more than the delivery itself. The result of a mention is
a pure function of the mention's fields, the traders' rows and the matcher's code
(:func:`graphfraud.resolve.matcher.match_mentions` is deterministic), so a result kept
under a key that covers all three is the result a new run would give: nothing here
decides whether something changed, the digests do. Pure: no files (the ingest keeps the
values, `ingest/resolution_cache.py`).
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

from graphfraud.resolve.match_index import Prepared, TraderIndex
from graphfraud.resolve.records import MatchResult, Mention, TraderRecord

__all__ = ["MATCHER_DIGEST", "index_from_plain", "index_to_plain", "mention_key",
           "result_from_plain", "result_to_plain", "traders_digest"]

_MATCHER_FILES = ("match_decision.py", "match_index.py", "match_scoring.py", "normalize.py",
                  "records.py", "kept.py")


def _matcher_digest() -> str:
    """The matcher's own code (and the value format): a change to a rule, a threshold or
    a normalisation gives other keys, so no result of the old code is reused."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{sys.version_info[:2]}|{marshal.version}".encode())
    for name in _MATCHER_FILES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


MATCHER_DIGEST = _matcher_digest()


def traders_digest(columns: Sequence[Sequence[Any]], settings: Sequence[Any] = ()) -> str:
    """The digest of the traders' rows (the `er_traders` columns, values and types), the
    matcher settings and code: what the index and every result depend on."""
    digest = hashlib.sha256(MATCHER_DIGEST.encode())
    digest.update(marshal.dumps((tuple(settings), [list(c) for c in columns])))
    return digest.hexdigest()


def mention_key(m: Mention) -> tuple[Any, ...]:
    """Every field of a mention the matcher reads."""
    return (m.mention_id, m.source, m.field, m.text, m.postcode, m.house_number, m.city,
            m.street, m.country)


def result_to_plain(r: MatchResult | None) -> tuple[Any, ...] | None:
    if r is None:
        return None
    return (r.mention_id, r.trader_id, r.score, r.status, r.method, tuple(r.evidence),
            dict(r.components))


def result_from_plain(t: tuple[Any, ...] | None) -> MatchResult | None:
    if t is None:
        return None
    mention_id, trader_id, score, status, method, evidence, components = t
    return MatchResult(mention_id, trader_id, score, status, method, tuple(evidence),
                       dict(components))


_PREPARED_FIELDS = ("canonical", "sorted_name", "core_sorted", "tokens", "core", "postcode",
                    "address", "city")


def index_to_plain(index: TraderIndex) -> tuple[Any, ...]:
    """The index as tuples, lists and dicts only (what `marshal` writes and reads fast:
    30 MB at large, read back in ~0.5 s against ~4 s to build)."""
    return ([(t.trader_id, t.name, t.kvk_number, t.excise_number, t.postcode, t.house_number,
              t.city, t.street, t.country, t.supplier) for t in index.traders],
            [tuple(getattr(p, f) for f in _PREPARED_FIELDS) for p in index.prepared],
            index.by_trader_id, index.by_kvk, index.by_excise, index.by_name,
            index.postings, index.typo_map)


T = TypeVar("T")


class _Rebuilt(Sequence[T], Generic[T]):
    """A list of records made from their tuples when first read: a delivery's mentions
    read a few hundred of the 100k traders."""

    def __init__(self, rows: list[tuple[Any, ...]], make: Callable[..., T]) -> None:
        self._rows = rows
        self._make = make
        self._made: dict[int, T] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        made = self._made.get(i)
        if made is None:
            made = self._made[i] = self._make(*self._rows[i])
        return made


def index_from_plain(plain: tuple[Any, ...]) -> TraderIndex:
    traders, prepared, by_id, by_kvk, by_excise, by_name, postings, typo = plain
    return TraderIndex(_Rebuilt(traders, TraderRecord), _Rebuilt(prepared, Prepared),  # type: ignore[arg-type]
                       by_id, by_kvk, by_excise, by_name, postings, typo)
