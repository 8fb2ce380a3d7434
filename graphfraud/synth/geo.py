"""Real Dutch municipalities, addresses with regional postcodes, and distances."""

from __future__ import annotations

import csv
import math
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

RESIDENTIAL_STREETS = [
    "Kerkstraat", "Dorpsstraat", "Schoolstraat", "Molenweg", "Julianastraat", "Beatrixlaan",
    "Wilhelminastraat", "Hoofdstraat", "Nieuwstraat", "Marktstraat", "Stationsweg",
    "Parallelweg", "Lindelaan", "Eikenlaan", "Berkenlaan", "Prins Bernhardlaan",
    "Oranjestraat", "Van Goghstraat", "Rembrandtlaan", "Vondelstraat", "Tulpstraat",
    "Rozenstraat", "Zonnebloemstraat", "Kastanjelaan", "Mozartlaan", "Beethovenstraat",
    "Dahliastraat", "Emmastraat", "Burgemeester de Withstraat", "Kloosterstraat",
]
SHOP_STREETS = [
    "Markt", "Hoogstraat", "Winkelcentrum", "Grote Markt", "Langestraat", "Kleine Markt",
    "Steenweg", "Brinkstraat", "Bredestraat", "Korte Kerkstraat", "Passage", "Stationsplein",
]
INDUSTRIAL_STREETS = [
    "Industrieweg", "Nijverheidsweg", "Ambachtsweg", "Bedrijvenweg", "Energieweg",
    "Transportweg", "Havenweg", "Edisonstraat", "Celsiusweg", "Handelsweg", "Keulenstraat",
    "Galvanistraat", "Produktieweg", "Zuiderhaven", "Distributieweg",
]
POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
FORBIDDEN_PC_LETTERS = {"SA", "SD", "SS"}

FOREIGN_CITIES: dict[str, list[tuple[str, str, float, float]]] = {
    "DE": [("Aachen", "52062", 50.78, 6.08), ("Köln", "50667", 50.94, 6.96),
           ("Duisburg", "47051", 51.43, 6.76), ("Hamburg", "20095", 53.55, 9.99),
           ("Bremen", "28195", 53.08, 8.80), ("Trier", "54290", 49.75, 6.64)],
    "BE": [("Antwerpen", "2000", 51.22, 4.40), ("Liège", "4000", 50.63, 5.57),
           ("Gent", "9000", 51.05, 3.72), ("Brussel", "1000", 50.85, 4.35)],
    "LU": [("Luxembourg", "L-1009", 49.61, 6.13)],
    "PL": [("Poznań", "60-001", 52.41, 16.93), ("Łódź", "90-001", 51.76, 19.46),
           ("Kraków", "30-001", 50.06, 19.94), ("Radom", "26-600", 51.40, 21.15)],
    "CZ": [("Kutná Hora", "284 01", 49.95, 15.27), ("Praha", "110 00", 50.08, 14.42)],
    "HU": [("Pécs", "7621", 46.07, 18.23), ("Budapest", "1051", 47.50, 19.04)],
    "BG": [("Sofia", "1000", 42.70, 23.32), ("Plovdiv", "4000", 42.14, 24.75)],
    "LT": [("Klaipėda", "91001", 55.71, 21.13)],
    "CY": [("Limassol", "3036", 34.68, 33.04)],
    "GR": [("Thessaloniki", "546 25", 40.64, 22.94)],
}
FOREIGN_STREETS = {
    "DE": ["Hauptstraße", "Industriestraße", "Hafenstraße", "Gewerbering"],
    "BE": ["Rue de l'Industrie", "Nijverheidsstraat", "Havenlaan"],
    "LU": ["Rue de Hollerich", "Zone Industrielle"],
    "PL": ["ul. Przemysłowa", "ul. Magazynowa", "ul. Fabryczna"],
    "CZ": ["Průmyslová", "Tovární"],
    "HU": ["Ipari út", "Gyár utca"],
    "BG": ["bul. Tsarigradsko shose", "ul. Industrialna"],
    "LT": ["Pramonės g."],
    "CY": ["Industrial Area Rd"],
    "GR": ["Odos Viomichanias"],
}


@dataclass(frozen=True, slots=True)
class Municipality:
    name: str
    province: str
    lat: float
    lon: float
    population: int
    border: bool
    eps: bool
    pc4_min: int
    pc4_max: int


@dataclass(slots=True)
class Address:
    street: str
    house_number: str
    postcode: str
    city: str
    country: str
    lat: float
    lon: float

    @property
    def key(self) -> str:
        """The contract's address key: postcode without space, upper case, `|` number."""
        return f"{self.postcode.replace(' ', '').upper()}|{self.house_number}"


@lru_cache(maxsize=1)
def municipalities() -> tuple[Municipality, ...]:
    """The shipped list of real municipalities (approximate centres, 2023 populations)."""
    text = resources.files("graphfraud.synth").joinpath("data/municipalities.csv").read_text(
        encoding="utf-8"
    )
    rows = csv.DictReader(text.splitlines())
    return tuple(
        Municipality(
            r["name"], r["province"], float(r["lat"]), float(r["lon"]), int(r["population"]),
            r["border"] == "true", r["eps"] == "true", int(r["pc4_min"]), int(r["pc4_max"]),
        )
        for r in rows
    )


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


class AddressBook:
    """Hands out addresses that never collide by accident.

    Unrelated parties sharing an address would plant false links, so every
    (postcode, number) is used once unless a case shares it on purpose.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[tuple[str, str]] = set()
        self.street_of: dict[str, str] = {}

    def _postcode(self, m: Municipality, streets: list[str]) -> tuple[str, str]:
        rng = self.rng
        while True:
            pc4 = rng.randint(m.pc4_min, m.pc4_max)
            letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
            if letters in FORBIDDEN_PC_LETTERS:
                continue
            pc = f"{pc4} {letters}"
            street = self.street_of.get(pc)
            if street is None:
                street = rng.choice(streets)
                self.street_of[pc] = street
            return pc, street

    def nl(self, m: Municipality, kind: str = "residential") -> Address:
        streets = {"shop": SHOP_STREETS, "industrial": INDUSTRIAL_STREETS}.get(
            kind, RESIDENTIAL_STREETS
        )
        rng = self.rng
        spread = 0.03 if m.population < 60000 else 0.06
        while True:
            pc, street = self._postcode(m, streets)
            number = str(rng.randint(1, 180 if kind != "industrial" else 60))
            if (pc, number) in self.used:
                continue
            self.used.add((pc, number))
            return Address(
                street, number, pc, m.name, "NL",
                round(m.lat + rng.uniform(-spread, spread), 5),
                round(m.lon + rng.uniform(-spread, spread) * 1.6, 5),
            )

    def next_door(self, a: Address) -> Address:
        """Another number in the same street and postcode (a neighbouring unit)."""
        base = int(re.match(r"\d+", a.house_number).group())  # '55A' -> 55
        for delta in (2, 4, 1, 6, 3, 8, 10, 12):
            number = str(base + delta)
            if (a.postcode, number) not in self.used:
                self.used.add((a.postcode, number))
                return Address(a.street, number, a.postcode, a.city, a.country,
                               round(a.lat + 0.0004, 5), round(a.lon + 0.0004, 5))
        return a

    def foreign(self, country: str) -> Address:
        rng = self.rng
        city, pc, lat, lon = rng.choice(FOREIGN_CITIES[country])
        while True:
            street = rng.choice(FOREIGN_STREETS[country])
            number = str(rng.randint(1, 250))
            if (f"{country}{pc}{street}", number) in self.used:
                continue
            self.used.add((f"{country}{pc}{street}", number))
            return Address(street, number, pc, city, country,
                           round(lat + rng.uniform(-0.05, 0.05), 5),
                           round(lon + rng.uniform(-0.05, 0.05), 5))


def journey_time(distance_km: float) -> str:
    """Declared journey time: generous hours for short trips, days beyond 24 hours."""
    hours = max(2, math.ceil(distance_km / 55 + 2))
    if hours <= 24:
        return f"H{hours:02d}"
    return f"D{min(92, math.ceil(hours / 24) + 1):02d}"
