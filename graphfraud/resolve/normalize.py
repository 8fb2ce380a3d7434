"""Value normalisation: where a postcode, plate, phone or name gets its key form.

The identifiers' normalisers (excise, KvK, postcode, country, phone, e-mail, plate) live
beside their strict parsers in `graphfraud.model.types` and are re-exported here under
their old names; addresses and names are normalised here. Every loader and the matcher call these functions, so two sources that write the same thing
differently ("1234 ab" and "1234AB", "06-12345678" and "+31 6 1234 5678") meet on the same
graph key (see "Keys that tie the sources together" in ``docs/data-contract.md``).

All functions are pure, accept ``None`` or any text, never raise on bad input and return
``None`` when the value cannot be a valid key: a wrong key is worse than no key, because it
would tie unrelated entities together.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from graphfraud.model.types import country as _country_type
from graphfraud.model.types import email as _email_type
from graphfraud.model.types import excise as _excise_type
from graphfraud.model.types import kvk as _kvk_type
from graphfraud.model.types import phone as _phone_type
from graphfraud.model.types import plate as _plate_type
from graphfraud.model.types import postcode as _postcode_type
from graphfraud.model.types.base import cell_text as _text
from graphfraud.model.types.base import strip_accents

# The identifier normalisers live beside their strict parsers in graphfraud.model.types;
# these names stay for the matcher, the loaders and the search.
normalize_country = _country_type.normalize
normalize_email = _email_type.normalize
normalize_phone = _phone_type.normalize
normalize_plate = _plate_type.normalize
normalize_excise_number = _excise_type.normalize
normalize_kvk = _kvk_type.normalize
normalize_postcode = _postcode_type.normalize

__all__ = [
    "address_key",
    "company_core_tokens",
    "is_generic_token",
    "name_tokens",
    "normalize_city",
    "normalize_company_name",
    "normalize_country",
    "normalize_email",
    "normalize_excise_number",
    "normalize_house_number",
    "normalize_kvk",
    "normalize_phone",
    "normalize_plate",
    "normalize_postcode",
    "normalize_street",
    "split_multi",
    "strip_accents",
]


# --------------------------------------------------------------------------- generic helpers


def split_multi(value: object) -> list[str]:
    """Split a multi-valued cell on ';' (data contract), dropping empty parts."""
    text = _text(value)
    if text is None:
        return []
    return [part.strip() for part in text.split(";") if part.strip()]


# --------------------------------------------------------------------------- addresses

_NON_ALNUM = re.compile(r"[^A-Z0-9]")
_FLOAT_NUMBER = re.compile(r"^(\d+)\.0+$")
_NUMBER_LABEL = re.compile(r"^(NR|NO|NUMMER)\.?\s*")
_PUNCTUATION = re.compile(r"[^\w\s]")
_HOUSE_NUMBER = re.compile(r"^0*(\d+)\s*[-/\s]?\s*(.*)$")


def normalize_house_number(value: object) -> str | None:
    """House number with its addition in one canonical spelling, or None.

    '12' -> '12', '12 a' / '12-a' / '12A' -> '12A' (huisletter), '12-1' / '12 1' / '12/1' ->
    '12-1' (numeric addition keeps a dash so it cannot be read as 121), '12 hs' -> '12HS',
    '12.0' (a spreadsheet float) -> '12'. Text that does not start with a number is kept
    upper case without spaces (foreign addresses), but an empty or all-punctuation value is None.
    """
    text = _text(value)
    if text is None:
        return None
    text = strip_accents(text).upper()
    text = _FLOAT_NUMBER.sub(r"\1", text)  # '12.0' from a spreadsheet
    text = _NUMBER_LABEL.sub("", text)
    match = _HOUSE_NUMBER.match(text)
    if not match:
        compact = _NON_ALNUM.sub("", text)
        return compact or None
    number, addition = match.groups()
    addition = _NON_ALNUM.sub("", addition)
    if not addition:
        return number
    if addition.isdigit() and number.isdigit() and int(number) > 0:
        # '12-1' is a floor/unit, not number 121.
        return f"{number}-{addition}"
    return f"{number}{addition}"


_STREET_SUFFIXES = {
    # (countries, abbreviation) -> expansion; only at the end of a word.
    "NL": (("str", "straat"), ("ln", "laan"), ("wg", "weg"), ("pln", "plein")),
    "BE": (("str", "straat"), ("ln", "laan"), ("stwg", "steenweg")),
    "DE": (("str", "strasse"),),
    "AT": (("str", "strasse"),),
    "CH": (("str", "strasse"),),
}


def normalize_street(value: object, country: str | None = "NL") -> str | None:
    """Street name in lower case without accents or punctuation, abbreviations expanded.

    'Hauptstr. ' (DE) -> 'hauptstrasse', 'Kerkstr.' (NL) -> 'kerkstraat'. Used for the
    address key outside the Netherlands, where postcode + number is not unique enough.
    """
    text = _text(value)
    if text is None:
        return None
    text = strip_accents(text.casefold())  # casefold turns ß into ss
    text = re.sub(r"^(ul|ulica)\.?\s+", "", text)  # Polish street prefix
    text = re.sub(r"[^\w\s]", " ", text)
    words = text.split()
    if not words:
        return None
    suffixes = _STREET_SUFFIXES.get(normalize_country(country) or "NL", ())
    last = words[-1]
    for short, full in suffixes:
        if last == short:
            words[-1] = full
            break
        if last.endswith(short) and len(last) > len(short) + 2:
            words[-1] = last[: -len(short)] + full
            break
    return " ".join(words)


_CITY_ALIASES = {
    "s gravenhage": "den haag",
    "the hague": "den haag",
    "s hertogenbosch": "den bosch",
    "hertogenbosch": "den bosch",
}


def normalize_city(value: object) -> str | None:
    """City in lower case without accents/punctuation; "'s-Gravenhage" -> 'den haag'."""
    text = _text(value)
    if text is None:
        return None
    text = strip_accents(text.casefold())
    text = _PUNCTUATION.sub(" ", text)
    text = " ".join(text.split())
    if not text:
        return None
    return _CITY_ALIASES.get(text, text)


def address_key(
    postcode: object,
    house_number: object,
    country: object = "NL",
    street: object = None,
) -> str | None:
    """Graph key of an address, or None when there is not enough to identify it.

    NL: ``"<postcode>|<house number>"`` e.g. ``"1234AB|12A"`` (the contract's ``addresses``
    subject format). Elsewhere: ``"<CC>|<street>|<house number>|<postcode>"`` with the
    postcode part left empty when unknown; street and number are required there, since a
    foreign postcode often covers a whole village.

    >>> address_key("1234 ab", "12 a")
    '1234AB|12A'
    """
    cc = normalize_country(country) or "NL"
    number = normalize_house_number(house_number)
    if number is None:
        return None
    if cc == "NL":
        pc = normalize_postcode(postcode, "NL")
        return f"{pc}|{number}" if pc else None
    street_norm = normalize_street(street, cc)
    if street_norm is None:
        return None
    pc = normalize_postcode(postcode, cc) or ""
    return f"{cc}|{street_norm}|{number}|{pc}"


# --------------------------------------------------------------------------- company names

# Legal forms, as token sequences after punctuation removal. Stripped only at the start or
# end of a name: 'sa', 'ag' or 'as' inside a name are words, not legal forms.
_LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(
    tuple(form.split())
    for form in (
        # NL / BE
        "bv", "b v", "nv", "n v", "vof", "v o f", "cv", "eenmanszaak", "stichting", "vereniging", "maatschap",
        "cooperatie", "coop", "ua", "wa", "ba", "io", "firma", "fa", "bvba", "bv bvba",
        "comm v", "commv", "cvba", "vzw", "sprl", "srl", "scrl", "sa", "snc", "scs",
        # DE / AT / CH
        "gmbh", "gmbh en co kg", "gmbh en co", "ag", "kg", "ohg", "ug", "eg", "ev", "gbr",
        "ek", "haftungsbeschrankt",
        # PL / CZ / SK / HU / Baltic / Nordic
        "sp z oo", "spzoo", "sp zoo", "sp j", "sp k", "spolka z oo", "sro", "as", "kft", "zrt",
        "bt", "uab", "sia", "ou", "oy", "ab", "aps",
        # FR / IT / ES / PT / RO / BG / GR
        "sarl", "sas", "sasu", "eurl", "spa", "sl", "slu", "lda", "ltda", "ood", "eood",
        "ae", "ike", "epe",
        # EN
        "ltd", "limited", "llc", "llp", "lp", "inc", "plc", "corp", "co ltd", "pty ltd",
        "fzco", "fze", "dmcc",
    )
)  # fmt: skip
_LEGAL_FORM_SET = frozenset(_LEGAL_FORMS)
_DOTTED_INITIALS = re.compile(r"\b(?:[a-z][./])+[a-z]\b\.?")
_APOSTROPHES = re.compile(r"['`´’]")
_NAME_PUNCTUATION = re.compile(r"[^\w\s]|_")
_LEGAL_FORM_LENGTHS = sorted({len(form) for form in _LEGAL_FORMS}, reverse=True)

# Abbreviations written out, so 'Gebr. Jansen Tab. Hdl.' meets 'Gebroeders Jansen Tabak Handel'.
_ABBREVIATIONS = {
    "int": "international",
    "intl": "international",
    "internat": "international",
    "hdl": "handel",
    "hdls": "handels",
    "hndl": "handel",
    "tab": "tabak",
    "gebr": "gebroeders",
    "gebrs": "gebroeders",
    "zn": "zonen",
    "mij": "maatschappij",
    "mpij": "maatschappij",
    "imp": "import",
    "exp": "export",
    "grooth": "groothandel",
    "distr": "distributie",
    "vd": "van de",
    "vh": "voorheen",
    "and": "en",
    "und": "en",
    "et": "en",
}

# Words so common in this trade's company names that sharing them says little about identity.
# A token is generic when it is made up entirely of these stems ('tabakshandel' =
# 'tabaks' + 'handel'); see is_generic_token().
_GENERIC_STEMS = (
    "tabaks", "tabak", "tobacco", "tabac", "tabacs", "tabakwaren", "tabakwaaren",
    "sigaretten", "sigaret", "sigaren", "sigaar", "cigarettes", "cigarette", "cigars", "cigar",
    "zigaretten", "zigarren", "papierosy", "shisha", "waterpijp", "hookah", "vape",
    "handels", "handel", "handelsonderneming", "groot", "trading", "trade", "traders",
    "import", "export", "impex", "international", "internationaal", "holding", "beheer",
    "shop", "winkel", "kiosk", "speciaalzaak", "speciaal", "zaak", "magazijn", "store",
    "supermarkt", "super", "markt", "market", "tankstation", "tank", "station", "food", "foods",
    "logistics", "logistiek", "transport", "transporten", "services", "service", "diensten",
    "group", "groep", "company", "compagnie", "onderneming", "maatschappij", "gebroeders",
    "zonen", "distributie", "distribution", "wholesale", "retail", "products", "product",
    "general", "global", "euro", "europe", "europa", "benelux", "nederland", "holland",
    "netherlands", "dutch", "nl", "and", "en", "co", "the", "de", "het", "van", "der", "den",
    "te", "t", "s",
)  # fmt: skip
_GENERIC_RE = re.compile(
    "(?:" + "|".join(sorted(map(re.escape, _GENERIC_STEMS), key=len, reverse=True)) + ")+"
)
# Words that carry no identity at all; dropped from blocking tokens.
_STOPWORDS = frozenset({"en", "the", "de", "het", "van", "der", "den", "te", "t", "s", "of"})


def _strip_legal_forms(tokens: list[str]) -> list[str]:
    """Drop legal forms at either end, repeatedly ('Jansen Holding B.V. i.o.' -> 'jansen holding').

    Longest form first, and never the last remaining word.
    """
    changed = True
    while changed:
        changed = False
        for n in _LEGAL_FORM_LENGTHS:
            if len(tokens) <= n:
                continue
            if tuple(tokens[-n:]) in _LEGAL_FORM_SET:
                tokens = tokens[:-n]
                changed = True
                break
            if tuple(tokens[:n]) in _LEGAL_FORM_SET:
                tokens = tokens[n:]
                changed = True
                break
    return tokens


@lru_cache(maxsize=262_144)
def normalize_company_name(name: str | None) -> str:
    """Canonical form of a company name for matching, '' when nothing is left.

    Case-folded, accents stripped, '&'/'+' -> 'en', dotted initials joined ('B.V.' -> 'bv'),
    other punctuation -> space, abbreviations expanded ('Gebr.' -> 'gebroeders',
    'Int.' -> 'international', 'Hdl' -> 'handel', 'Tab.' -> 'tabak'), legal forms dropped at
    the start or end ('B.V.', 'V.O.F.', 'GmbH & Co. KG', 'Sp. z o.o.', 'Ltd', 'Stichting' ...).

    'Holding' is kept on purpose: a holding and its operating company are different legal
    entities (and a favourite construction for moving assets away before a bankruptcy).

    >>> normalize_company_name("Gebr. Jansen Tab. & Hdl. B.V.")
    'gebroeders jansen tabak en handel'
    """
    text = _text(name)
    if text is None:
        return ""
    text = strip_accents(text.casefold())
    text = text.replace("&", " en ").replace("+", " en ")
    # Dotted initials and 'v/d': 'b.v.' -> 'bv', 'v.o.f.' -> 'vof', 'v/d' -> 'vd'.
    text = _DOTTED_INITIALS.sub(lambda m: m.group(0).replace(".", "").replace("/", ""), text)
    text = _APOSTROPHES.sub("", text)  # "Jansen's" -> 'jansens', "'t Hoekje" -> 't hoekje'
    text = _NAME_PUNCTUATION.sub(" ", text)
    tokens: list[str] = []
    for token in text.split():
        tokens.extend(_ABBREVIATIONS.get(token, token).split())
    stripped = _strip_legal_forms(tokens)
    return " ".join(stripped)


def name_tokens(name: str | None) -> list[str]:
    """Distinct content words of a company name, sorted; stopwords and legal forms removed.

    >>> name_tokens("Tabakshandel Van der Berg B.V.")
    ['berg', 'tabakshandel']
    """
    canonical = normalize_company_name(name)
    return sorted({t for t in canonical.split() if t not in _STOPWORDS})


# Whole generic words (stems and their usual compounds) to recognise a misspelt one.
_GENERIC_WORDS = tuple(
    sorted(
        {stem for stem in _GENERIC_STEMS if len(stem) >= 5}
        | {
            "tabakshandel", "tabakhandel", "sigarenhandel", "sigarenmagazijn", "groothandel",
            "tabaksspeciaalzaak", "handelsonderneming", "handelsmaatschappij", "importexport",
            "supermarkt", "tankstation", "tabakswaren",
        }
    )
)  # fmt: skip


@lru_cache(maxsize=65_536)
def is_generic_token(token: str) -> bool:
    """True for words of the trade that do not identify a company ('tabakshandel', 'import').

    Numbers count as generic too ('24', '2000'): they rarely decide who a company is. So does
    a word of 6+ letters within about one typo of a generic word ('logistcs', 'supermakt'):
    a misspelt trade word must not pass for the distinctive part of a name.
    """
    if token.isdigit() or _GENERIC_RE.fullmatch(token) is not None:
        return True
    if len(token) < 6:
        return False
    return process.extractOne(token, _GENERIC_WORDS, scorer=fuzz.ratio, score_cutoff=85) is not None


def company_core_tokens(name: str | None) -> list[str]:
    """The distinctive words of a name: name_tokens() minus generic trade words.

    >>> company_core_tokens("Tabakshandel Jansen Import B.V.")
    ['jansen']
    """
    return [t for t in name_tokens(name) if not is_generic_token(t)]


# --------------------------------------------------------------------------- column-wise
# The rules above over whole columns, for the columnar ingest (`ingest/columnar/`): the
# same output strings (tests/resolve/test_normalize_columns.py compares them cell by cell).
# A cell the vectorised kernel is not sure of (not ASCII, not a string) gets the per-row
# function; so do all cells of a rule that has no kernel, once per distinct value.

def normalize_postcodes(values: list[object], country: str | None = "NL") -> list[str | None]:
    """`normalize_postcode(v, country)` for every value of a column."""
    import polars as pl

    if (normalize_country(country) or "NL") != "NL":
        return _per_distinct(lambda v: normalize_postcode(v, country), values)
    plain = [v if isinstance(v, str) and v.isascii() and v.isprintable() else None
             for v in values]
    s = pl.Series(plain, dtype=pl.String)
    compact = s.str.strip_chars().str.replace_all(r"[ \t\n\r\f\v\-.]", "").str.to_uppercase()
    compact = pl.select(pl.when(pl.lit(compact).str.starts_with("NL")
                                & (pl.lit(compact).str.len_chars() == 8))
                        .then(pl.lit(compact).str.slice(2))
                        .otherwise(pl.lit(compact))).to_series()
    ok = compact.str.contains(_postcode_type.NL_KEY.pattern) & ~compact.str.slice(4).is_in(
        sorted(_postcode_type.NL_BANNED_LETTERS))
    out = pl.select(pl.when(pl.lit(ok)).then(pl.lit(compact))).to_series().to_list()
    for i, v in enumerate(values):
        if plain[i] is None and v is not None:  # not printable ASCII: the per-row rule
            out[i] = normalize_postcode(v, country)
    return out


def address_keys(postcodes: list[object], numbers: list[object], countries: list[object],
                 streets: list[object]) -> list[str | None]:
    """`address_key` for every row of four columns, once per distinct address."""
    rows = list(zip(postcodes, numbers, countries, streets, strict=True))
    return _per_distinct(lambda r: address_key(*r), rows)


def house_numbers(values: list[object]) -> list[str | None]:
    """`normalize_house_number` for every value of a column, once per distinct value."""
    return _per_distinct(normalize_house_number, values)


def _per_distinct(fn, values: list) -> list:
    """`fn` of every value, computed once per distinct (hashable) value."""
    seen: dict = {}
    out = []
    for v in values:
        try:
            r = seen[v]
        except KeyError:
            r = seen[v] = fn(v)
        except TypeError:  # an unhashable value
            r = fn(v)
        out.append(r)
    return out
