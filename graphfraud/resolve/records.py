"""The records of entity resolution: a registered trader, a mention of a company in a
source, and the trader proposed for it (kept apart so that the index, the scorer and the
decision share them without importing each other)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["MatchResult", "Mention", "Status", "TraderRecord"]

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
