"""The score of a mention against a trader, with its components and evidence (step 3 of
the pipeline in :mod:`graphfraud.resolve.matcher`, where the formula and its reasons are).

Pure string comparison on :class:`~graphfraud.resolve.match_index.Prepared` forms:
:func:`score_prepared` is the hot path, :func:`explain_prepared` the same with the why.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from graphfraud.resolve.match_index import Prepared, prepare
from graphfraud.resolve.records import Mention, TraderRecord

__all__ = [
    "BONUS_SAME_ADDRESS",
    "BONUS_SAME_CITY",
    "BONUS_SAME_POSTCODE",
    "PENALTY_OTHER_CITY",
    "PENALTY_OTHER_POSTCODE",
    "SET_RATIO_DISCOUNT",
    "explain_prepared",
    "score_pair",
    "score_prepared",
]

SET_RATIO_DISCOUNT = 0.85
BONUS_SAME_ADDRESS = 0.15
BONUS_SAME_POSTCODE = 0.05
PENALTY_OTHER_POSTCODE = 0.20
BONUS_SAME_CITY = 0.03
PENALTY_OTHER_CITY = 0.15


def _similarity(a_sorted: str, b_sorted: str) -> float:
    """max(token_sort_ratio, 0.85 * token_set_ratio) in [0, 1] on pre-sorted token strings."""
    if a_sorted == b_sorted:
        return 1.0
    sort_ratio = fuzz.ratio(a_sorted, b_sorted)
    if sort_ratio >= 100 * SET_RATIO_DISCOUNT:  # the discounted set ratio cannot beat it
        return sort_ratio / 100.0
    set_ratio = fuzz.token_set_ratio(a_sorted, b_sorted, processor=None)
    return max(sort_ratio, SET_RATIO_DISCOUNT * set_ratio) / 100.0


def _whole_name_similarity(m: Prepared, t: Prepared) -> float:
    """_similarity(), or the plain ratio in written word order when that is higher.

    Sorting tokens moves a word whose first letter is misspelt ('ufisemita tobacco'), so the
    written order is compared too.
    """
    sorted_similarity = _similarity(m.sorted_name, t.sorted_name)
    if sorted_similarity >= 0.99 or m.canonical == m.sorted_name == t.canonical:
        return sorted_similarity
    return max(sorted_similarity, fuzz.ratio(m.canonical, t.canonical) / 100.0)


def _name_parts(m: Prepared, t: Prepared) -> tuple[float, float]:
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


def _address_adjustment(m: Prepared, t: Prepared) -> tuple[float, str | None]:
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


def score_prepared(m: Prepared, t: Prepared) -> float:
    """The score of the pipeline (`graphfraud.resolve.matcher`), without the explanation
    (the hot path)."""
    full, core = _name_parts(m, t)
    adjustment, _ = _address_adjustment(m, t)
    return min(1.0, max(0.0, 0.5 * full + 0.5 * core + adjustment))


def explain_prepared(m: Prepared, t: Prepared) -> tuple[float, dict[str, float], list[str]]:
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
    """Score one mention against one trader (the formula in `graphfraud.resolve.matcher`).

    Returns (score, components, evidence); useful to explain a decision to a reviewer.
    """
    m = prepare(
        mention.text, mention.postcode, mention.house_number, mention.city, mention.street,
        mention.country,
    )  # fmt: skip
    t = prepare(
        trader.name, trader.postcode, trader.house_number, trader.city, trader.street,
        trader.country,
    )  # fmt: skip
    return explain_prepared(m, t)
