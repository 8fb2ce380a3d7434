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

Where it lives: this module is the public API only (what loaders, the evaluation and the
tests import). The records are in :mod:`.records`, the index and blocking keys (steps 1-2)
in :mod:`.match_index`, the score (step 3) in :mod:`.match_scoring`, exact keys, candidate
selection and the decision (steps 1, 2 and 4) in :mod:`.match_decision`.
"""

from __future__ import annotations

from graphfraud.resolve.match_decision import (
    AMBIGUITY_MARGIN,
    LINK_THRESHOLD,
    MAX_BLOCK,
    MAX_CANDIDATES,
    MAX_POOL,
    REVIEW_THRESHOLD,
    SUPPLIER_FIELDS,
    match_mentions,
    resolve_exact,
)
from graphfraud.resolve.match_index import TraderIndex, build_index
from graphfraud.resolve.match_scoring import (
    BONUS_SAME_ADDRESS,
    BONUS_SAME_CITY,
    BONUS_SAME_POSTCODE,
    PENALTY_OTHER_CITY,
    PENALTY_OTHER_POSTCODE,
    SET_RATIO_DISCOUNT,
    score_pair,
)
from graphfraud.resolve.records import MatchResult, Mention, Status, TraderRecord

__all__ = [
    "AMBIGUITY_MARGIN",
    "BONUS_SAME_ADDRESS",
    "BONUS_SAME_CITY",
    "BONUS_SAME_POSTCODE",
    "LINK_THRESHOLD",
    "MAX_BLOCK",
    "MAX_CANDIDATES",
    "MAX_POOL",
    "PENALTY_OTHER_CITY",
    "PENALTY_OTHER_POSTCODE",
    "REVIEW_THRESHOLD",
    "SET_RATIO_DISCOUNT",
    "SUPPLIER_FIELDS",
    "MatchResult",
    "Mention",
    "Status",
    "TraderIndex",
    "TraderRecord",
    "build_index",
    "match_mentions",
    "resolve_exact",
    "score_pair",
]
