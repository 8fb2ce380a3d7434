"""Which trader a mention refers to: exact keys first, then blocking, scoring and the
decision with its thresholds, ambiguity margin and tie-breaks (steps 1, 2 and 4 of the
pipeline in :mod:`graphfraud.resolve.matcher`), in process or over forked workers.
"""

from __future__ import annotations

import heapq
import math
import multiprocessing
import re
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz, process

from graphfraud.model.types import excise as excise_type
from graphfraud.model.types import kvk as kvk_type
from graphfraud.resolve.match_index import (
    Prepared,
    TraderIndex,
    build_index,
    mention_keys,
    prepare,
)
from graphfraud.resolve.match_scoring import explain_prepared, score_prepared
from graphfraud.resolve.normalize import normalize_excise_number, normalize_kvk, strip_accents
from graphfraud.resolve.records import MatchResult, Mention, Status, TraderRecord

__all__ = [
    "AMBIGUITY_MARGIN",
    "LINK_THRESHOLD",
    "MAX_BLOCK",
    "MAX_CANDIDATES",
    "MAX_POOL",
    "REVIEW_THRESHOLD",
    "SUPPLIER_FIELDS",
    "match_mentions",
    "resolve_exact",
]

LINK_THRESHOLD = 0.90
REVIEW_THRESHOLD = 0.75
AMBIGUITY_MARGIN = 0.03
MAX_BLOCK = 500
MAX_POOL = 150
MAX_CANDIDATES = 10


def _looks_like_key(text: str) -> bool:
    """True when the whole text is an id-like token (digits, or an excise-number shape)."""
    compact = text.strip()
    has_digit = any(ch.isdigit() for ch in compact)
    return bool(
        normalize_kvk(compact)
        or (has_digit and normalize_excise_number(compact))
        or re.fullmatch(r"(?:KVK|EXC):\S+", compact, re.I)
        or re.fullmatch(r"[\d\s.\-]+", compact)
    )


def resolve_exact(
    mention_text: str, index: TraderIndex, mention_id: str = ""
) -> MatchResult | None:
    """Link a text that *is* a key: a trader_id, KvK number or excise number in the index.

    Also finds a labelled KvK number ('Jansen BV, KvK 12345678') or an excise number written
    inside the text. Returns a 'linked' result with score 1.0, or None. O(1) lookups.

    >>> idx = build_index([TraderRecord("T1", "Jansen BV", kvk_number="12345678")])
    >>> resolve_exact("KvK 1234 5678", idx).evidence
    ('kvk_number equals 12345678',)
    """
    text = (mention_text or "").strip()
    if not text:
        return None
    hits: list[tuple[str, list[int], str]] = []
    if text in index.by_trader_id:
        hits.append(("trader_id", [index.by_trader_id[text]], text))
    kvk = normalize_kvk(text)
    if kvk is None:
        kvk = kvk_type.find_in_text(text)
    if kvk and kvk in index.by_kvk:
        hits.append(("kvk_number", index.by_kvk[kvk], kvk))
    excise = normalize_excise_number(text)
    if excise is None:
        excise = excise_type.find_in_text(text)
    if excise and excise in index.by_excise:
        hits.append(("excise_number", index.by_excise[excise], excise))
    if not hits:
        return None
    key_name, positions, value = hits[0]
    chosen = min(positions)  # traders are sorted by id: lowest trader_id wins
    evidence = [f"{key_name} equals {value}"]
    if len(positions) > 1:
        others = ", ".join(index.traders[p].trader_id for p in sorted(positions) if p != chosen)
        evidence.append(f"{key_name} {value} is also registered for {others}")
    return MatchResult(
        mention_id=mention_id,
        trader_id=index.traders[chosen].trader_id,
        score=1.0,
        status="linked",
        method=f"exact:{key_name}",
        evidence=tuple(evidence),
        components={"score": 1.0},
    )


def _candidates(
    m: Prepared, index: TraderIndex, max_block: int, max_pool: int, max_candidates: int
) -> set[int]:
    """Blocking: traders sharing a usable key with the mention, rarest keys first.

    Keys used by at most ``max_block`` traders are taken in order of increasing frequency
    until ``max_pool`` traders are pooled.

    If there are more than ``max_candidates``, keep the best ``max_candidates`` by summed IDF
    of shared keys plus the best ``max_candidates`` by plain string similarity (a C loop in
    rapidfuzz), so that neither a rare shared word nor a close spelling is cut.
    """
    n = len(index.traders)
    postings = index.postings
    usable = []
    for key in mention_keys(m, postings, index.typo_map):
        posting = postings.get(key)
        if posting and len(posting) <= max_block:
            usable.append((len(posting), key, posting))
    usable.sort()
    weights: dict[int, float] = {}
    for df, _, posting in usable:
        if len(weights) >= max_pool:  # enough candidates from rarer keys
            break
        w = math.log((n + 1) / df)
        for i in posting:
            weights[i] = weights.get(i, 0.0) + w
    if len(weights) <= max_candidates:
        return set(weights)
    ranked = heapq.nsmallest(max_candidates, ((-w, i) for i, w in weights.items()))
    chosen = {i for _, i in ranked}
    pool = list(weights)
    names = [index.prepared[i].sorted_name for i in pool]
    for _, _, pos in process.extract(
        m.sorted_name, names, scorer=fuzz.ratio, processor=None, limit=max_candidates
    ):
        chosen.add(pool[pos])
    return chosen


def match_mentions(
    mentions: Iterable[Mention],
    traders: Iterable[TraderRecord] | TraderIndex,
    link_threshold: float = LINK_THRESHOLD,
    review_threshold: float = REVIEW_THRESHOLD,
    *,
    ambiguity_margin: float = AMBIGUITY_MARGIN,
    max_block: int = MAX_BLOCK,
    max_pool: int = MAX_POOL,
    max_candidates: int = MAX_CANDIDATES,
    workers: int = 1,
) -> list[MatchResult]:
    """Propose the trader each mention refers to.

    Returns at most one :class:`MatchResult` per mention, sorted by mention_id: 'linked' at
    or above ``link_threshold``, 'candidate' between ``review_threshold`` and it (or an
    ambiguous best link); mentions scoring below ``review_threshold`` are left out.
    ``traders`` may be a prebuilt :class:`TraderIndex`. Pure: no I/O, deterministic.

    ``workers > 1`` matches chunks of mentions in forked processes (POSIX only; elsewhere,
    or for fewer than 4000 mentions, it runs in-process). The result is identical. Keep the
    default of 1 inside a multi-threaded host (a web server), where forking is unsafe.

    >>> traders = [TraderRecord("T1", "Gebroeders Jansen Tabak B.V.", postcode="1234AB")]
    >>> [r.status for r in match_mentions([Mention("m1", "tips", "mentioned_name",
    ...     "Gebr. Jansen tabak")], traders)]
    ['linked']
    """
    if not 0.0 <= review_threshold <= link_threshold <= 1.0:
        raise ValueError(
            f"need 0 <= review_threshold ({review_threshold}) <= link_threshold "
            f"({link_threshold}) <= 1"
        )
    index = traders if isinstance(traders, TraderIndex) else build_index(traders)
    settings = (link_threshold, review_threshold, ambiguity_margin, max_block, max_pool,
                max_candidates)  # fmt: skip
    mention_list = list(mentions)
    if workers > 1 and len(mention_list) >= 2 * _CHUNK and _can_fork():
        results = _match_parallel(mention_list, index, settings, workers)
    else:
        results = _match_chunk_with(index, settings, mention_list)
    results.sort(key=lambda r: r.mention_id)
    return results


_CHUNK = 2000
_Settings = tuple[float, float, float, int, int, int]
# The index and settings a forked worker inherits (copy-on-write), instead of pickling them.
_FORKED_STATE: tuple[TraderIndex, _Settings] | None = None


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _match_chunk_with(
    index: TraderIndex, settings: _Settings, mentions: Sequence[Mention]
) -> list[MatchResult]:
    results = []
    for mention in mentions:
        result = _match_one(mention, index, *settings)
        if result is not None:
            results.append(result)
    return results


def _match_forked_chunk(mentions: Sequence[Mention]) -> list[MatchResult]:
    if _FORKED_STATE is None:
        raise RuntimeError("a match worker was started without an index (not forked?)")
    return _match_chunk_with(*_FORKED_STATE, mentions)


def _match_parallel(
    mentions: list[Mention], index: TraderIndex, settings: _Settings, workers: int
) -> list[MatchResult]:
    """Match chunks of mentions in forked worker processes sharing the index."""
    global _FORKED_STATE
    chunks = [mentions[i : i + _CHUNK] for i in range(0, len(mentions), _CHUNK)]
    _FORKED_STATE = (index, settings)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_match_forked_chunk, chunks)
    finally:
        _FORKED_STATE = None
    return [result for part in parts for result in part]


def _literal(name: str | None) -> str:
    """The name as written, legal form included, without case, accents or punctuation."""
    return re.sub(r"[^0-9a-z]+", "", strip_accents(name or "").casefold())


def _digits(name: str | None) -> tuple[str, ...]:
    return tuple(sorted(re.findall(r"[0-9]+", name or "")))


SUPPLIER_FIELDS = frozenset({"stated_supplier"})


def _break_tie(text: str, tied: list[int], index: TraderIndex,
               field: str = "") -> tuple[int, str] | None:
    """Namesakes within the margin: the one whose registered name is written exactly so
    (legal form included, e.g. `… V.O.F.` vs `… B.V.` of a phoenix successor), else the
    only one whose numbers agree (`… 2 B.V.` vs `… B.V.`), else — for a supplier a
    shopkeeper named — the only one that trades as a supplier, decides; otherwise no one."""
    literal = _literal(text)
    exact = [i for i in tied if _literal(index.traders[i].name) == literal]
    if len(exact) == 1:
        return exact[0], "namesakes within the margin; only this one is registered exactly so"
    digits = _digits(text)
    same_numbers = [i for i in tied if _digits(index.traders[i].name) == digits]
    if len(same_numbers) == 1 and len(tied) > 1:
        return same_numbers[0], "namesakes within the margin; only this one has the same numbers"
    if field in SUPPLIER_FIELDS:
        pool = exact if len(exact) > 1 else tied
        suppliers = [i for i in pool if index.traders[i].supplier]
        if len(suppliers) == 1:
            return suppliers[0], ("namesakes within the margin; only this one trades as a "
                                  "supplier (wholesale or excise authorisation)")
    return None


def _match_one(
    mention: Mention,
    index: TraderIndex,
    link_threshold: float,
    review_threshold: float,
    ambiguity_margin: float,
    max_block: int,
    max_pool: int,
    max_candidates: int,
) -> MatchResult | None:
    text = (mention.text or "").strip()
    if not text:
        return None
    exact = resolve_exact(text, index, mention.mention_id)
    if exact is not None:
        return exact
    if _looks_like_key(text):
        return None
    m = prepare(
        text, mention.postcode, mention.house_number, mention.city, mention.street,
        mention.country,
    )  # fmt: skip
    if not m.canonical:
        return None
    prepared = index.prepared
    candidates = _candidates(m, index, max_block, max_pool, max_candidates)
    scored = [(score_prepared(m, prepared[i]), i) for i in candidates]
    if not scored:
        return None
    best_score, best = min(scored, key=lambda s: (-s[0], s[1]))
    if best_score < review_threshold:
        return None
    # Namesakes of the best trader may have been cut by blocking; they decide ambiguity.
    seen = candidates
    for i in index.by_name.get(prepared[best].canonical, ()):
        if i not in seen:
            scored.append((score_prepared(m, prepared[i]), i))
    scored.sort(key=lambda s: (-s[0], s[1]))  # index order == trader_id order
    best_score, best = scored[0]
    score, components, evidence = explain_prepared(m, prepared[best])
    status: Status = "linked" if score >= link_threshold else "candidate"
    if status == "linked" and len(scored) > 1 and scored[1][0] >= score - ambiguity_margin:
        tied = [i for s, i in scored if s >= score - ambiguity_margin]
        decided = _break_tie(text, tied, index, mention.field)
        if decided is not None:
            best, reason = decided
            score, components, evidence = explain_prepared(m, prepared[best])
            evidence.append(reason)
        else:
            runner_up = index.traders[scored[1][1]].trader_id
            evidence.append(
                f"ambiguous: {runner_up} scores {scored[1][0]:.2f}, within {ambiguity_margin:.2f}"
            )
            status = "candidate"
    return MatchResult(
        mention_id=mention.mention_id,
        trader_id=index.traders[best].trader_id,
        score=round(score, 4),
        status=status,
        method="fuzzy:name+address",
        evidence=tuple(evidence),
        components=components,
    )
