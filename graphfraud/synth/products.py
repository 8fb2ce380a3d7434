"""Excise products: EPC, CN code, unit, realistic line quantities and (fictional) brands.

Brands are invented so no real manufacturer is ever shown as a counterfeit source.
"""

from __future__ import annotations

import random

EPC_INFO = {
    # epc: (cn_code, unit, min_qty, max_qty, retail product)
    "T200": ("24022090", "4", 500, 10000, "cigarettes"),
    "T300": ("24021000", "4", 5, 400, "cigars"),
    "T400": ("24031990", "1", 200, 8000, "fine_cut"),
    "T500": ("24031100", "1", 50, 2000, "waterpipe"),
}
#: energy products (kept apart from EPC_INFO, which the legal tobacco stream draws on):
#: gas oil, the fuel a farm or contractor gets under destination type 8, which EMCS
#: allows for energy products only (consignee unknown at dispatch)
ENERGY_EPC_INFO = {"E430": ("27101943", "2", 5000, 38000, None)}
LEGAL_BRANDS = {
    "T200": ["Noordster", "Kapitein Red", "Blauwe Tulp", "Havenlicht", "Rembrand Gold",
             "Zeeland Blue", "Orion Slims", "Atlas Filter", "Meridian", "Kroon Classic",
             "Polder Lights", "Vecht Red"],
    "T300": ["Oud Brabant", "Karel Cigarillos", "Baron van Maas", "Lindeblad"],
    "T400": ["Molen Shag", "Van Dam Halfzwaar", "Zware Anker", "Kompas Shag", "Javaan Mild"],
    "T500": ["Nargila Gold", "Mint Oasis", "Shisha Nomad", "Al Waha"],
}
ILLICIT_WHITE_BRANDS = ["Golden Crest", "Minskaya", "Royal Route", "Fenix", "Marbel",
                        "Victory Line", "Queen Anne Slims", "Capital Blue", "Dubliner Red",
                        "Palace Gold", "Eagle Point", "Premier Black"]
FOREIGN_STAMPS = [("BG", "bg", 22), ("PL", "pl", 20), ("DE", "de", 16), ("TR", "tr", 10),
                  ("LU", "fr", 8), ("BE", "fr", 8), ("CZ", "cs", 5), ("HU", "hu", 4),
                  ("ES", "es", 4), ("LT", "lt", 3)]


def quantity(rng: random.Random, epc: str, scale: float = 1.0) -> str:
    """A line quantity in the EPC's unit: thousands of sticks, or kilograms."""
    _, unit, lo, hi, _ = EPC_INFO[epc]
    q = rng.uniform(lo, hi) * scale
    return str(round(q)) if unit == "4" else f"{q:.1f}"


def foreign_stamp(rng: random.Random) -> tuple[str, str]:
    codes = [(c, lang) for c, lang, _ in FOREIGN_STAMPS]
    return rng.choices(codes, [w for _, _, w in FOREIGN_STAMPS])[0]
