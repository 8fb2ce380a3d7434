"""Names of people and companies, and the ways a shopkeeper or caller mangles them."""

from __future__ import annotations

import random

FIRST_NAMES = {
    "NL": ["Jan", "Pieter", "Kees", "Henk", "Sander", "Bas", "Mark", "Ruud", "Anouk", "Sanne",
           "Lotte", "Eva", "Femke", "Marieke", "Johan", "Gerrit", "Wim", "Daan", "Sem", "Lisa",
           "Niels", "Joost", "Marco", "Ingrid", "Monique", "Bram", "Thijs", "Rob", "Paul", "Ellen"],
    "TR": ["Mehmet", "Ahmet", "Mustafa", "Emre", "Ayse", "Fatma", "Hakan", "Murat", "Kemal"],
    "MA": ["Mohamed", "Youssef", "Said", "Fatima", "Karim", "Nadia", "Rachid", "Hamza"],
    "PL": ["Piotr", "Tomasz", "Krzysztof", "Agnieszka", "Marek", "Pawel", "Katarzyna"],
    "BG": ["Georgi", "Ivan", "Dimitar", "Elena", "Nikolai"],
    "UA": ["Oleksandr", "Andriy", "Olena", "Serhiy", "Dmytro"],
    "SY": ["Ahmad", "Omar", "Khaled", "Rami"],
}
SURNAMES = {
    "NL": ["de Vries", "Jansen", "Janssen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer",
           "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen",
           "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
           "Kok", "Jacobs", "Vermeulen", "van Dijk", "Willems", "Schouten", "Hoekstra"],
    "TR": ["Yilmaz", "Kaya", "Demir", "Sahin", "Celik", "Ozturk", "Aydin", "Arslan"],
    "MA": ["El Amrani", "Bouzid", "Benali", "El Idrissi", "Haddou", "Ouali"],
    "PL": ["Nowak", "Kowalski", "Wisniewski", "Wojcik", "Kaminski", "Lewandowski"],
    "BG": ["Ivanov", "Petrov", "Georgiev", "Dimitrov"],
    "UA": ["Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko"],
    "SY": ["Al-Hassan", "Haddad", "Khalil", "Nasser"],
}
NATIONALITY_WEIGHTS = [("NL", 70), ("TR", 8), ("MA", 7), ("PL", 6), ("BG", 3), ("UA", 3), ("SY", 3)]

WORDS = ["Noord", "Zuid", "Delta", "Atlas", "Anker", "Kroon", "Linde", "Horizon", "Orion",
         "Meridiaan", "Tulp", "Haven", "Polder", "Zeeland", "Limes", "Brabant", "Maas", "Rijn",
         "Eems", "Vecht", "Dommel", "Kempen", "Peel", "Veluwe", "Twente", "Achterhoek",
         "Centraal", "Oost", "West", "Ster", "Valk", "Adelaar", "Leeuw", "Eik", "Merel",
         "Zwaluw", "Kompas", "Baken", "Vuurtoren", "Kade", "Sluis", "Dijk", "Duin", "Heide"]
SHOP_WORDS = ["De Hoek", "Het Pleintje", "De Kiosk", "Centrum", "Om de Hoek", "De Markt",
              "Het Station", "De Brink", "Zon", "Tabakszaak", "Rookwaren", "Gemak"]
CHAINS = ["Primera", "Tabaronde", "AKO", "Rookwarenhuis", "Sigarenspeciaalzaak Plus"]
LEGAL_SUFFIX = {"bv": "B.V.", "nv": "N.V.", "vof": "V.O.F.", "eenmanszaak": "",
                "stichting": "", "foreign": ""}
FOREIGN_LEGAL = {"DE": "GmbH", "BE": "BV", "LU": "S.à r.l.", "PL": "Sp. z o.o.",
                 "CZ": "s.r.o.", "HU": "Kft.", "BG": "EOOD", "LT": "UAB", "CY": "Ltd",
                 "GR": "S.A."}
FOREIGN_STEMS = {
    "DE": ["Tabakwerke", "Rauchwaren Handel", "Zigarettenfabrik", "Tabak Logistik"],
    "BE": ["Tabacs", "Tabaknatie", "Tabac Distribution"],
    "LU": ["Tabacs Grand-Ducal", "Tabac Trading"],
    "PL": ["Tyton Polska", "Papierosy Trade", "Tytoniowa Hurtownia"],
    "CZ": ["Tabak Export", "Cigarety Trade"],
    "HU": ["Dohány Kereskedelmi", "Dohánygyár"],
    "BG": ["Tobacco Trade", "Tyutyun Export"],
    "LT": ["Tabako Prekyba"],
    "CY": ["Tobacco Holdings"],
    "GR": ["Kapnos Trading"],
}


def person_name(rng: random.Random, nationality: str | None = None) -> tuple[str, str]:
    """A (full_name, nationality) pair; the nationality drives first and last name."""
    if nationality is None:
        codes, weights = zip(*NATIONALITY_WEIGHTS, strict=True)
        nationality = rng.choices(codes, weights)[0]
    return f"{rng.choice(FIRST_NAMES[nationality])} {rng.choice(SURNAMES[nationality])}", nationality


def with_legal_form(base: str, legal_form: str) -> str:
    suffix = LEGAL_SUFFIX.get(legal_form, "")
    return f"{base} {suffix}".strip()


def wholesaler_name(rng: random.Random) -> str:
    w = rng.choice(WORDS)
    s = rng.choice(SURNAMES["NL"] + SURNAMES["TR"])
    form = rng.randrange(6)
    return [f"Tabakshandel {w}", f"{w} Groothandel", f"{s} Tabak en Rookwaren",
            f"Groothandel {s}", f"{w} Distributie", f"{w} Rookwaren Import"][form]


def outlet_name(rng: random.Random, city: str) -> str:
    s = rng.choice(sum(SURNAMES.values(), []))
    form = rng.randrange(7)
    return [f"Tabakszaak {rng.choice(SHOP_WORDS)}", f"Avondwinkel {s}", f"Kiosk {city}",
            f"Nachtwinkel {rng.choice(WORDS)}", f"Rookwaren {s}", f"Gemakswinkel {s}",
            f"Supermarkt {rng.choice(WORDS)}"][form]


def generic_company(rng: random.Random) -> str:
    w = rng.choice(WORDS)
    return rng.choice([f"{w} Holding", f"{w} Trading", f"{w} Logistiek", f"{w} Vastgoed",
                       f"{w} Services", f"{w} Import Export", f"{w} Handelsonderneming",
                       f"{w} Beheer", f"{w} Projecten"])


def foreign_name(rng: random.Random, country: str) -> str:
    return f"{rng.choice(FOREIGN_STEMS[country])} {rng.choice(WORDS)} {FOREIGN_LEGAL[country]}"


ABBREVIATIONS = [("Groothandel", "Grooth."), ("Tabakshandel", "Tabakshand."),
                 ("Distributie", "Distr."), ("Rookwaren", "Rookw."), ("Import", "Imp."),
                 (" en ", " & "), ("Handelsonderneming", "Handelsond.")]


def strip_legal_form(name: str) -> str:
    for suffix in ("B.V.", "N.V.", "V.O.F.", "BV", "VOF"):
        if name.endswith(" " + suffix):
            return name[: -len(suffix) - 1]
    return name


def typo(rng: random.Random, text: str) -> str:
    """One keyboard slip: a swapped, dropped or doubled letter inside a word."""
    idx = [i for i, c in enumerate(text) if c.isalpha()]
    if len(idx) < 4:
        return text + "s"
    i = rng.choice(idx[1:-1])
    kind = rng.randrange(3)
    if kind == 0 and i + 1 < len(text) and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]


def name_variant(rng: random.Random, name: str) -> str:
    """How the name reaches us through a shopkeeper, a caller or a form.

    Always differs from `name`; often two manglings are stacked.
    """
    for _ in range(10):
        out = name
        ops = rng.sample(range(6), k=rng.choice((1, 1, 2)))
        for op in ops:
            if op == 0:
                out = strip_legal_form(out)
            elif op == 1:
                out = out.lower() if rng.random() < 0.5 else out.upper()
            elif op == 2:
                for long, short in ABBREVIATIONS:
                    if long in out:
                        out = out.replace(long, short)
                        break
                else:
                    out = strip_legal_form(out) + " bv"
            elif op == 3:
                out = typo(rng, out)
            elif op == 4:
                out = out.replace("B.V.", "BV").replace("V.O.F.", "vof") if "." in out else \
                    out + " B.V."
            else:
                words = strip_legal_form(out).split()
                out = " ".join(words[-2:] if len(words) > 2 else words[::-1])
        if out != name:
            return out
    return name + "."


def similar_but_different(rng: random.Random, name: str) -> str:
    """A real-looking other company whose name is close to `name` (a precision trap)."""
    out = strip_legal_form(name)
    swaps = [("Tabakshandel", "Tabakhandel"), ("Groothandel", "Groothandel en Import"),
             ("Jansen", "Janssen"), ("Distributie", "Distributiecentrum"),
             ("Rookwaren", "Rookartikelen"), ("Noord", "Nord"), ("Delta", "Deltaland")]
    for a, b in rng.sample(swaps, k=len(swaps)):
        if a in out:
            return out.replace(a, b, 1) + rng.choice([" B.V.", "", " V.O.F."])
    return f"{out} {rng.choice(['Twee', 'Nieuw', 'Plus', '2000'])}".strip()
