"""Entity resolution: which registered trader does a name seen in a source refer to?

Retail checks (``stated_supplier``), tips (``mentioned_name``), licences (``holder_name``) and
EMCS movements (``consignee_name``) name companies in free text. This module proposes the
trader each such *mention* refers to, with a score and the evidence, and never links silently
below its threshold (data contract, "Keys that tie the sources together").

Pipeline, per mention
---------------------
1. **Exact keys** (:func:`resolve_exact`): a text that is a trader id, a KvK number or an
   excise number present in the index links with score 1.0. A text that *looks like* a key
   but is not in the index gives no match at all (a number is not a name to fuzz).
2. **Blocking**: traders sharing a block key with the mention are candidates. Keys are the
   name words, pairs of name words, the postcode and the address key. A mention word that
   no trader uses is taken as misspelt and replaced by the distinctive vocabulary words
   within one edit (symmetric deletion: 'jansn' and 'jansen' share 'jansn'); a word that
   some trader does use is taken as written, so 'Janssen' is not looked up as 'Jansen'.
   A key shared by more than ``max_block`` (500) traders is not used: it cannot
   discriminate and would make the run quadratic. Keys are taken rarest first until
   ``max_pool`` (150) traders are pooled; of those, the best ``max_candidates`` (10) by
   summed IDF (log N/df) of shared keys plus the best 10 by plain string ratio are scored,
   plus every trader with exactly the best one's normalised name (to see namesakes).
3. **Score** in [0, 1]::

       full    = max(token_sort_ratio, 0.85 * token_set_ratio, ratio) on normalised names
       core    = the same on the distinctive words only (generic trade words such as
                 'tabakshandel', 'import', 'bv' removed; see normalize.is_generic_token);
                 = full when neither name has distinctive words, 0 when only one has
       name    = 0.5 * full + 0.5 * core
       address = +0.15  same address key (NL postcode + house number)
                 +0.05  same postcode, other or unknown house number
                 -0.20  both postcodes known and different
                 +0.03  same city          (only when postcodes cannot be compared)
                 -0.15  cities different   (only when postcodes cannot be compared)
                  0     mention without address
       score   = clamp(name + address, 0, 1)

   ``token_set_ratio`` is discounted (0.85) because it gives 1.0 whenever one name's words
   are a subset of the other's ('Jansen' vs 'Jansen Transport'); the core term stops two
   companies that share only trade words ('Tabakhandel Jansen' / 'Tabakhandel Pietersen')
   from scoring high.
4. **Decision**: the best trader per mention (ties by trader_id). ``score >= link_threshold``
   (0.90) -> ``'linked'``; ``>= review_threshold`` (0.75) -> ``'candidate'`` (kept for a
   reviewer); below -> dropped. A best link whose runner-up (another trader) is within
   ``ambiguity_margin`` (0.03) is demoted to ``'candidate'``: two traders with the same name
   (a phoenix successor at the same address, namesakes in two cities) cannot be told apart
   by name, and guessing would put a seizure on the wrong company.

Why these thresholds: a name variant (abbreviation, legal form, case, punctuation, word
order) normalises to the same string (name = 1.0); one typo in a distinctive word gives
about 0.90-0.97, so name-only variants link. Similar but different companies ('Tabakshandel
Jansen' vs 'Tabakhandel Janssen BV') score about 0.95 on name alone when blocking pairs
them, so they link only if the address agrees or is unknown; with a different postcode
they fall to about 0.75 (review). An exact name at another postcode scores 0.80 (review:
a branch, a move or a namesake). A mention naming nobody in the index usually shares only
trade words or a surname with its nearest trader and scores below 0.75.

Complexity: building the index is O(total name length); matching is O(mentions x
(``max_pool`` + one posting of at most ``max_block``) + mentions x 2 ``max_candidates``
string comparisons). Measured on a shared 2-core box: 100k traders index in ~10 s, 50k
mentions match in ~15 s on one core; ``workers=2`` splits the matching over processes.
"""

from __future__ import annotations

import heapq
import math
import multiprocessing
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Literal

from rapidfuzz import fuzz, process

from graphfraud.model.types import excise as excise_type
from graphfraud.model.types import kvk as kvk_type
from graphfraud.resolve.normalize import (
    address_key,
    is_generic_token,
    normalize_city,
    normalize_company_name,
    normalize_country,
    normalize_excise_number,
    normalize_kvk,
    normalize_postcode,
    strip_accents,
)

__all__ = [
    "AMBIGUITY_MARGIN",
    "LINK_THRESHOLD",
    "REVIEW_THRESHOLD",
    "MatchResult",
    "Mention",
    "TraderIndex",
    "TraderRecord",
    "build_index",
    "match_mentions",
    "resolve_exact",
    "score_pair",
]

LINK_THRESHOLD = 0.90
REVIEW_THRESHOLD = 0.75
AMBIGUITY_MARGIN = 0.03
MAX_BLOCK = 500
MAX_POOL = 150
MAX_CANDIDATES = 10

SET_RATIO_DISCOUNT = 0.85
BONUS_SAME_ADDRESS = 0.15
BONUS_SAME_POSTCODE = 0.05
PENALTY_OTHER_POSTCODE = 0.20
BONUS_SAME_CITY = 0.03
PENALTY_OTHER_CITY = 0.15

Status = Literal["linked", "candidate"]


@dataclass(frozen=True)
class TraderRecord:
    """A registered trader as the matcher sees it (a row of traders.csv)."""

    trader_id: str
    name: str
    kvk_number: str | None = None
    excise_number: str | None = None
    postcode: str | None = None
    house_number: str | None = None
    city: str | None = None
    street: str | None = None
    country: str | None = None
    #: a trade that supplies shops (wholesale activity code or an excise authorisation)
    supplier: bool = False


@dataclass(frozen=True)
class Mention:
    """A company named in a source without a key, with the address given alongside, if any.

    ``source``/``field`` say where it was seen (e.g. 'retail_checks', 'stated_supplier').
    """

    mention_id: str
    source: str
    field: str
    text: str
    postcode: str | None = None
    house_number: str | None = None
    city: str | None = None
    street: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class MatchResult:
    """The proposed trader for one mention, with why.

    ``components`` holds the score parts (name_full, name_core, name, address, score) so a
    reviewer can see what moved it; ``evidence`` says the same in words.
    """

    mention_id: str
    trader_id: str
    score: float
    status: Status
    method: str
    evidence: tuple[str, ...] = ()
    components: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class _Prepared:
    """A name + address in the form the scorer compares (computed once per record)."""

    canonical: str
    sorted_name: str
    core_sorted: str
    tokens: tuple[str, ...]
    core: tuple[str, ...]
    postcode: str | None
    address: str | None
    city: str | None


def _prepare(
    name: str | None,
    postcode: str | None,
    house_number: str | None,
    city: str | None,
    street: str | None,
    country: str | None,
) -> _Prepared:
    canonical = normalize_company_name(name)
    tokens = tuple(sorted(set(canonical.split())))
    core = tuple(t for t in tokens if not is_generic_token(t))
    cc = normalize_country(country) or "NL"
    return _Prepared(
        canonical=canonical,
        sorted_name=" ".join(sorted(canonical.split())),
        core_sorted=" ".join(core),
        tokens=tokens,
        core=core,
        postcode=normalize_postcode(postcode, cc),
        address=address_key(postcode, house_number, cc, street),
        city=normalize_city(city),
    )


def _deletions(token: str) -> set[str]:
    """The token and every variant with one letter deleted (symmetric-delete typo keys)."""
    variants = {token}
    if len(token) >= 4:
        variants.update(token[:i] + token[i + 1 :] for i in range(len(token)))
    return variants


def _shared_keys(prep: _Prepared) -> set[str]:
    """Keys that a trader and a mention both derive from their own words and address."""
    content = [t for t in prep.tokens if len(t) > 1]
    keys = {"w:" + t for t in content}
    keys.update(f"p:{a}|{b}" for a, b in combinations(content[:6], 2))
    if prep.postcode:
        keys.add("pc:" + prep.postcode)
    if prep.address:
        keys.add("a:" + prep.address)
    return keys


def _mention_keys(
    prep: _Prepared, postings: Mapping[str, list[int]], typo_map: Mapping[str, list[str]]
) -> set[str]:
    """Blocking keys of a mention.

    A word the trader vocabulary knows is looked up as itself only; a word it does not know
    is probably misspelt and is looked up as the distinctive vocabulary words within one
    edit (symmetric deletion: both sides share a one-letter-deleted variant). So 'janssen'
    finds 'jansen' only when no trader is called 'janssen' (a real, different name).
    """
    keys = _shared_keys(prep)
    for token in prep.tokens:
        if len(token) > 1 and "w:" + token not in postings:
            for variant in _deletions(token):
                keys.update("w:" + known for known in typo_map.get(variant, ()))
    return keys


@dataclass
class TraderIndex:
    """Traders prepared for matching: exact-key lookups plus the blocking postings.

    Build it once with :func:`build_index` and reuse it for several batches of mentions.
    """

    traders: list[TraderRecord]
    prepared: list[_Prepared]
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
    prepared: list[_Prepared] = []
    by_trader_id: dict[str, int] = {}
    by_kvk: dict[str, list[int]] = {}
    by_excise: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    postings: dict[str, list[int]] = {}
    vocabulary: set[str] = set()
    for i, trader in enumerate(ordered):
        prep = _prepare(
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
        for key in _shared_keys(prep):
            postings.setdefault(key, []).append(i)
    typo_map: dict[str, list[str]] = {}
    for token in sorted(vocabulary):
        for variant in _deletions(token):
            typo_map.setdefault(variant, []).append(token)
    return TraderIndex(
        ordered, prepared, by_trader_id, by_kvk, by_excise, by_name, postings, typo_map
    )


# --------------------------------------------------------------------------- exact keys



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


# --------------------------------------------------------------------------- fuzzy scoring


def _similarity(a_sorted: str, b_sorted: str) -> float:
    """max(token_sort_ratio, 0.85 * token_set_ratio) in [0, 1] on pre-sorted token strings."""
    if a_sorted == b_sorted:
        return 1.0
    sort_ratio = fuzz.ratio(a_sorted, b_sorted)
    if sort_ratio >= 100 * SET_RATIO_DISCOUNT:  # the discounted set ratio cannot beat it
        return sort_ratio / 100.0
    set_ratio = fuzz.token_set_ratio(a_sorted, b_sorted, processor=None)
    return max(sort_ratio, SET_RATIO_DISCOUNT * set_ratio) / 100.0


def _whole_name_similarity(m: _Prepared, t: _Prepared) -> float:
    """_similarity(), or the plain ratio in written word order when that is higher.

    Sorting tokens moves a word whose first letter is misspelt ('ufisemita tobacco'), so the
    written order is compared too.
    """
    sorted_similarity = _similarity(m.sorted_name, t.sorted_name)
    if sorted_similarity >= 0.99 or m.canonical == m.sorted_name == t.canonical:
        return sorted_similarity
    return max(sorted_similarity, fuzz.ratio(m.canonical, t.canonical) / 100.0)


def _name_parts(m: _Prepared, t: _Prepared) -> tuple[float, float]:
    """(whole-name similarity, distinctive-words similarity)."""
    full = _whole_name_similarity(m, t)
    if m.core and t.core:
        core = (
            full
            if (m.core == m.tokens and t.core == t.tokens)
            else _similarity(m.core_sorted, t.core_sorted)
        )
    elif not m.core and not t.core:
        core = full
    else:
        core = 0.0
    return full, core


def _address_adjustment(m: _Prepared, t: _Prepared) -> tuple[float, str | None]:
    if m.address and t.address and m.address == t.address:
        return BONUS_SAME_ADDRESS, f"address equals {m.address}"
    if m.postcode and t.postcode:
        if m.postcode == t.postcode:
            return (
                BONUS_SAME_POSTCODE,
                f"same postcode {m.postcode}, house number differs or unknown",
            )
        return -PENALTY_OTHER_POSTCODE, f"postcode differs ({m.postcode} vs {t.postcode})"
    if m.city and t.city:
        if m.city == t.city:
            return BONUS_SAME_CITY, f"same city {m.city}"
        return -PENALTY_OTHER_CITY, f"city differs ({m.city} vs {t.city})"
    return 0.0, None


def _score(m: _Prepared, t: _Prepared) -> float:
    """The score of the module docstring, without the explanation (the hot path)."""
    full, core = _name_parts(m, t)
    adjustment, _ = _address_adjustment(m, t)
    return min(1.0, max(0.0, 0.5 * full + 0.5 * core + adjustment))


def _explain(m: _Prepared, t: _Prepared) -> tuple[float, dict[str, float], list[str]]:
    """The score with its components and evidence, for the chosen trader."""
    full, core = _name_parts(m, t)
    name = 0.5 * full + 0.5 * core
    adjustment, address_evidence = _address_adjustment(m, t)
    score = min(1.0, max(0.0, name + adjustment))
    components = {
        "name_full": round(full, 4),
        "name_core": round(core, 4),
        "name": round(name, 4),
        "address": round(adjustment, 4),
        "score": round(score, 4),
    }
    evidence = [
        f"name '{m.canonical}' ~ '{t.canonical}': {name:.2f} "
        f"(whole name {full:.2f}, distinctive words {core:.2f})"
    ]
    if address_evidence:
        evidence.append(f"{address_evidence} ({adjustment:+.2f})")
    return score, components, evidence


def score_pair(mention: Mention, trader: TraderRecord) -> tuple[float, dict[str, float], list[str]]:
    """Score one mention against one trader (the formula in the module docstring).

    Returns (score, components, evidence); useful to explain a decision to a reviewer.
    """
    m = _prepare(
        mention.text, mention.postcode, mention.house_number, mention.city, mention.street,
        mention.country,
    )  # fmt: skip
    t = _prepare(
        trader.name, trader.postcode, trader.house_number, trader.city, trader.street,
        trader.country,
    )  # fmt: skip
    return _explain(m, t)


def _candidates(
    m: _Prepared, index: TraderIndex, max_block: int, max_pool: int, max_candidates: int
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
    for key in _mention_keys(m, postings, index.typo_map):
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
    m = _prepare(
        text, mention.postcode, mention.house_number, mention.city, mention.street,
        mention.country,
    )  # fmt: skip
    if not m.canonical:
        return None
    prepared = index.prepared
    candidates = _candidates(m, index, max_block, max_pool, max_candidates)
    scored = [(_score(m, prepared[i]), i) for i in candidates]
    if not scored:
        return None
    best_score, best = min(scored, key=lambda s: (-s[0], s[1]))
    if best_score < review_threshold:
        return None
    # Namesakes of the best trader may have been cut by blocking; they decide ambiguity.
    seen = candidates
    for i in index.by_name.get(prepared[best].canonical, ()):
        if i not in seen:
            scored.append((_score(m, prepared[i]), i))
    scored.sort(key=lambda s: (-s[0], s[1]))  # index order == trader_id order
    best_score, best = scored[0]
    score, components, evidence = _explain(m, prepared[best])
    status: Status = "linked" if score >= link_threshold else "candidate"
    if status == "linked" and len(scored) > 1 and scored[1][0] >= score - ambiguity_margin:
        tied = [i for s, i in scored if s >= score - ambiguity_margin]
        decided = _break_tie(text, tied, index, mention.field)
        if decided is not None:
            best, reason = decided
            score, components, evidence = _explain(m, prepared[best])
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
