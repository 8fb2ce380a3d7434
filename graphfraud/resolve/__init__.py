"""Entity resolution: value normalisation and name + address matching of traders.

Pure functions only (no database, no files): loaders call :mod:`.normalize` for keys, and
:func:`match_mentions` proposes which trader a free-text name refers to.
"""

from __future__ import annotations

from graphfraud.resolve.evaluate import er_metrics
from graphfraud.resolve.matcher import (
    LINK_THRESHOLD,
    REVIEW_THRESHOLD,
    MatchResult,
    Mention,
    TraderIndex,
    TraderRecord,
    build_index,
    match_mentions,
    resolve_exact,
    score_pair,
)

__all__ = [
    "LINK_THRESHOLD",
    "REVIEW_THRESHOLD",
    "MatchResult",
    "Mention",
    "TraderIndex",
    "TraderRecord",
    "build_index",
    "er_metrics",
    "match_mentions",
    "resolve_exact",
    "score_pair",
]
