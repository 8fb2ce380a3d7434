"""The in-memory world (everything except movement lines, which are streamed)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from graphfraud.synth import ids, names
from graphfraud.synth.config import PERIOD_END, PERIOD_START, Scale
from graphfraud.synth.geo import Address, AddressBook, Municipality, municipalities
from graphfraud.synth.model import Case, Person, Premise, Row, Trader
from graphfraud.synth.movements import Movement


def iso(d: dt.date) -> str:
    return d.isoformat()


def rand_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


@dataclass
class World:
    """Holds the generated parties and records; components add to it in a fixed order."""

    seed: int
    scale: Scale
    munis: tuple[Municipality, ...] = field(default_factory=municipalities)
    traders: list[Trader] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    roles: list[Row] = field(default_factory=list)
    premises: list[Premise] = field(default_factory=list)
    licences: list[Row] = field(default_factory=list)
    machine_events: list[Row] = field(default_factory=list)
    checks: list[Row] = field(default_factory=list)
    tips: list[Row] = field(default_factory=list)
    seizures: list[Row] = field(default_factory=list)
    case_movements: list[Movement] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    decoys: list[Case] = field(default_factory=list)
    eps_spikes: list[tuple[int, str, int]] = field(default_factory=list)
    by_id: dict[str, Trader] = field(default_factory=dict)
    by_role: dict[str, list[Trader]] = field(default_factory=dict)
    reserved: set[str] = field(default_factory=set)  # trader ids no background may taint
    similar_pairs: list[tuple[Trader, Trader]] = field(default_factory=list)
    factory_brands: dict[str, str] = field(default_factory=dict)
    #: harder profile: where each factory's brand is dropped (municipality -> unit lat, lon)
    factory_sites: dict[str, tuple[float, float]] = field(default_factory=dict)
    network_inbound: dict[str, list[str]] = field(default_factory=dict)
    network_outlets: dict[str, list[str]] = field(default_factory=dict)
    machines_of: dict[str, list[tuple[str, str, str, str, str]]] = field(default_factory=dict)
    #: harder profile: the legal wholesaler that illicit shops name as cover
    cover_wholesaler: Trader | None = None

    def __post_init__(self) -> None:
        self.address_book = AddressBook(self.rng("addresses"))
        id_rng = self.rng("ids")
        self.kvk_draw = ids.UniqueDraw(id_rng, 10_000_000, 99_999_999)
        self.excise_draw = ids.UniqueDraw(id_rng, 1_000_000, 99_999_999_999)
        self.muni_by_name = {m.name: m for m in self.munis}
        self.start, self.end = PERIOD_START, PERIOD_END
        self._counters: dict[str, int] = {}
        self._domains: set[str] = set()

    def rng(self, component: str) -> random.Random:
        """An independent stream per component, so adding one does not shift the others."""
        return random.Random(f"graphfraud-synth:{self.seed}:{component}")

    def next_id(self, prefix: str, width: int = 6) -> str:
        n = self._counters.get(prefix, 0) + 1
        self._counters[prefix] = n
        return f"{prefix}-{n:0{width}d}"

    def pick_muni(self, rng: random.Random, border: bool | None = None) -> Municipality:
        pool = [m for m in self.munis if border is None or m.border == border]
        return rng.choices(pool, [m.population for m in pool])[0]

    # -- parties -----------------------------------------------------------------------
    def add_trader(self, rng: random.Random, name: str, address: Address, legal_form: str,
                   sbi: str, registered_on: dt.date, role: str, *, excise_status: str = "none",
                   status: str = "active", dissolved_on: dt.date | None = None,
                   phone: str = "", is_chain: str = "", with_excise: bool = False) -> Trader:
        country = address.country
        excise = ids.excise_number(country, self.excise_draw) if with_excise else ""
        if country == "NL":
            kvk = ids.kvk_number(self.kvk_draw)
            tid, vat = f"KVK:{kvk}", f"NL{int(kvk) * 10 + 1:09d}B01"
        else:
            if not excise:
                excise = ids.excise_number(country, self.excise_draw)
            kvk, tid, vat = "", f"EXC:{excise}", f"{country}{self.excise_draw.draw():09d}"
        full = names.with_legal_form(name, legal_form) if country == "NL" else name
        slug = "".join(c for c in names.strip_legal_form(full).lower() if c.isalnum())[:18]
        wants_email = country == "NL" and rng.random() < 0.5
        t = Trader(
            trader_id=tid, name=full, address=address, legal_form=legal_form, sbi_code=sbi,
            registered_on=iso(registered_on), kvk_number=kvk, excise_number=excise,
            vat_number=vat, excise_status=excise_status, status=status,
            dissolved_on=iso(dissolved_on) if dissolved_on else "",
            phone=phone, email=self._email(slug, address.city) if wants_email else "",
            is_chain=is_chain, role=role,
            muni=address.city if country == "NL" else "",
        )
        self.traders.append(t)
        self.by_id[tid] = t
        self.by_role.setdefault(role, []).append(t)
        return t

    def _email(self, slug: str, city: str) -> str:
        """`info@<domain>.nl`, the domain unique per company (a domain has one owner):
        a namesake gets its city, then a number, appended. Shared e-mails are evidence of
        a tie between companies, so none may arise by accident of naming."""
        base = slug or "bedrijf"
        domain = base
        if domain in self._domains:
            domain = base + "".join(c for c in city.lower() if c.isalnum())[:12]
        n = 1
        while domain in self._domains:
            n += 1
            domain = f"{base}{n}"
        self._domains.add(domain)
        return f"info@{domain}.nl"

    def add_person(self, rng: random.Random, muni: Municipality | None = None,
                   nationality: str | None = None, born: tuple[int, int] = (1950, 2000),
                   address: Address | None = None) -> Person:
        full, nat = names.person_name(rng, nationality)
        m = muni or self.pick_muni(rng)
        birth = dt.date(rng.randint(*born), rng.randint(1, 12), rng.randint(1, 28))
        p = Person(self.next_id("P", 7), full, iso(birth), nat,
                   address or self.address_book.nl(m), phone=ids.nl_mobile(rng)
                   if rng.random() < 0.6 else "")
        self.persons.append(p)
        return p

    def add_role(self, person: Person, trader: Trader, role: str = "director",
                 since: str = "", until: str = "") -> None:
        self.roles.append({"person_id": person.person_id, "trader_id": trader.trader_id,
                           "role": role, "since": since or trader.registered_on,
                           "until": until or trader.dissolved_on})

    def add_premise(self, kind: str, address: Address, operator: Trader | None = None,
                    **extra: str) -> Premise:
        p = Premise(self.next_id("PR", 6), kind, address,
                    operator.trader_id if operator else "", **extra)
        self.premises.append(p)
        return p
