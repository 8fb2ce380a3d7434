"""Identifier formats of the sources (KvK, SEED excise numbers, ARCs, phones, plates).

One place for every format so the regexes in the data contract hold by construction.
"""

from __future__ import annotations

import random
import string

ARC_ALPHABET = string.digits + string.ascii_uppercase
PLATE_LETTERS = "BDFGHJKLNPRSTVXZ"  # NL plates avoid vowels and confusable letters


class UniqueDraw:
    """Draws unique integers in a range without keeping a giant set for small ranges."""

    def __init__(self, rng: random.Random, low: int, high: int) -> None:
        self.rng, self.low, self.high = rng, low, high
        self.used: set[int] = set()

    def draw(self) -> int:
        while True:
            n = self.rng.randint(self.low, self.high)
            if n not in self.used:
                self.used.add(n)
                return n


def kvk_number(draw: UniqueDraw) -> str:
    """8-digit Chamber of Commerce number."""
    return f"{draw.draw():08d}"


def excise_number(country: str, draw: UniqueDraw) -> str:
    """SEED number: ISO country + 11 characters, zero-padded (`NL00012345678`)."""
    return f"{country}{draw.draw():011d}"


def arc_check_digit(body: str) -> str:
    """Check digit over the first 20 characters (a weighted base-36 sum mod 10).

    EMCS does not publish its algorithm; this one only makes ARCs self-consistent.
    """
    total = sum((i + 1) * ARC_ALPHABET.index(c) for i, c in enumerate(body))
    return str(total % 10)


def arc(year: int, country: str, office: str, serial: int) -> str:
    """21-char ARC: 2-digit year, member state, 16 alphanumerics, check digit."""
    middle = (office.upper() + f"{serial:012d}")[-16:].rjust(16, "0")
    body = f"{year % 100:02d}{country}{middle}"
    return body + arc_check_digit(body)


def nl_mobile(rng: random.Random) -> str:
    """A Dutch mobile number in a range that is handed out (06-1…5 and 06-8)."""
    return f"+316{rng.choice('123458')}{rng.randint(1000000, 9999999)}"


def nl_landline(rng: random.Random, area: str = "20") -> str:
    rest = 9 - len(area)
    return f"+31{area}{rng.randint(10 ** (rest - 1), 10**rest - 1)}"


# Mobile number plans: country code, leading digits, number of digits after them.
_FOREIGN_MOBILE = {"DE": ("49", "151", 8), "BE": ("32", "47", 7), "PL": ("48", "50", 7),
                   "LU": ("352", "621", 6), "BG": ("359", "88", 7), "CZ": ("420", "603", 6),
                   "HU": ("36", "30", 7), "LT": ("370", "6", 7), "CY": ("357", "99", 6),
                   "GR": ("30", "69", 8), "AE": ("971", "50", 7)}


def foreign_phone(rng: random.Random, country: str) -> str:
    """A mobile number that fits the country's numbering plan (so E.164 parsing keeps it)."""
    cc, lead, rest = _FOREIGN_MOBILE.get(country, _FOREIGN_MOBILE["DE"])
    return f"+{cc}{lead}{rng.randrange(10 ** (rest - 1), 10 ** rest)}"


def nl_plate(rng: random.Random) -> str:
    """Dutch side codes 7-11 style, e.g. `VX-123-B`, `12-BDF-3`, `1-TBX-23`."""
    L = PLATE_LETTERS
    form = rng.randrange(4)
    if form == 0:
        return f"{rng.choice(L)}{rng.choice(L)}-{rng.randint(100, 999)}-{rng.choice(L)}"
    if form == 1:
        return f"{rng.randint(10, 99)}-{''.join(rng.choices(L, k=3))}-{rng.randint(1, 9)}"
    if form == 2:
        return f"{rng.randint(1, 9)}-{''.join(rng.choices(L, k=3))}-{rng.randint(10, 99)}"
    return f"{''.join(rng.choices(L, k=2))}-{''.join(rng.choices(L, k=2))}-{rng.randint(10, 99)}"


def messy_plate(rng: random.Random, plate: str) -> str:
    """The plate as a caller writes it: spaces, no dashes, lower case."""
    form = rng.randrange(4)
    if form == 0:
        return plate.replace("-", " ")
    if form == 1:
        return plate.replace("-", "")
    if form == 2:
        return plate.lower()
    return plate


def messy_phone(rng: random.Random, phone: str) -> str:
    """A phone as written in a tip: national format, spaces."""
    if phone.startswith("+316") and rng.random() < 0.6:
        local = "06" + phone[4:]
        return local if rng.random() < 0.5 else f"{local[:2]}-{local[2:]}"
    return phone


def spoken_house_number(rng: random.Random, number: str) -> str:
    """A house number as a caller writes it: '55A' -> '55a', '55-a', '55 A'; '12' stays."""
    digits = number.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    addition = number[len(digits):]
    if not addition:
        return number
    return rng.choice([f"{digits}{addition.lower()}", f"{digits}-{addition.lower()}",
                       f"{digits} {addition}"])
