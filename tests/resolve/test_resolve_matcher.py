"""Entity resolution: exact keys, fuzzy name + address matching, blocking, determinism, scale."""

from __future__ import annotations

import random

import pytest

from graphfraud.resolve.evaluate import er_metrics
from graphfraud.resolve.matcher import (
    LINK_THRESHOLD,
    REVIEW_THRESHOLD,
    MatchResult,
    Mention,
    TraderRecord,
    build_index,
    match_mentions,
    resolve_exact,
    score_pair,
)

TRADERS = [
    TraderRecord("T1", "Gebroeders Jansen Tabak B.V.", "12345678", "NL00012345678",
                 "1234 AB", "12", "Amsterdam", "Damrak"),
    TraderRecord("T2", "Tabakhandel Janssen BV", "23456789", None, "5678CD", "3", "Rotterdam"),
    TraderRecord("T3", "Noordzee Shisha Import V.O.F.", None, "NL00087654321",
                 "2511 AA", "7", "Den Haag"),
    TraderRecord("T4", "Van der Berg International Trading B.V.", "34567890", None,
                 "3011AB", "1", "Rotterdam"),
    TraderRecord("T5", "Kowalski Sp. z o.o.", None, "PL0000A123456", "00-001", "7", "Warszawa",
                 "ul. Marszałkowska", "PL"),
    TraderRecord("T6", "Zilvermeeuw Sigaren Groothandel", "45678901", None,
                 "9711 AA", "20", "Groningen"),
    TraderRecord("T7", "Kapteyn Tabak BV", "56789012", None, "6211 AB", "4", "Maastricht"),
    TraderRecord("T8", "Kapteyn Tabak BV", "67890123", None, "8011 CD", "9", "Zwolle"),
]  # fmt: skip


def _mention(text: str, mention_id: str = "m1", **address: str) -> Mention:
    return Mention(mention_id, "tips", "mentioned_name", text, **address)


def _one(text: str, **address: str) -> MatchResult | None:
    results = match_mentions([_mention(text, **address)], TRADERS)
    assert len(results) <= 1
    return results[0] if results else None


# --------------------------------------------------------------------------- exact keys


def test_exact_kvk_number() -> None:
    result = resolve_exact("12345678", build_index(TRADERS), "m1")
    assert result is not None
    assert (result.trader_id, result.score, result.status) == ("T1", 1.0, "linked")
    assert result.method == "exact:kvk_number"
    assert result.evidence[0] == "kvk_number equals 12345678"


@pytest.mark.parametrize(
    ("text", "trader_id", "method"),
    [
        ("1234 5678", "T1", "exact:kvk_number"),
        ("KvK 23456789", "T2", "exact:kvk_number"),
        ("Jansen, kvk-nr 1234.5678", "T1", "exact:kvk_number"),
        ("nl00087654321", "T3", "exact:excise_number"),
        ("levert via NL00087654321 aan ons", "T3", "exact:excise_number"),
        ("T4", "T4", "exact:trader_id"),
    ],
)
def test_exact_keys_in_match_mentions(text: str, trader_id: str, method: str) -> None:
    result = _one(text)
    assert result is not None
    assert (result.trader_id, result.method, result.score) == (trader_id, method, 1.0)


def test_unknown_key_is_not_fuzzed() -> None:
    assert resolve_exact("99999999", build_index(TRADERS)) is None
    assert _one("99999999") is None
    assert _one("NL99999999999") is None


# --------------------------------------------------------------------------- variants link


@pytest.mark.parametrize(
    ("text", "trader_id"),
    [
        ("Gebr. Jansen Tab. B.V.", "T1"),  # abbreviation
        ("Gebroeders Jansen Tabak", "T1"),  # missing legal form
        ("GEBROEDERS JANSEN TABAK BV", "T1"),  # case
        ("gebroeders-jansen-tabak b.v.", "T1"),  # punctuation
        ("Tabak Gebroeders Jansen", "T1"),  # word order
        ("Gebroeders Jansn Tabak", "T1"),  # typo
        ("Noordze Shisha Import", "T3"),  # typo in the distinctive word
        ("Shisha Import Noordzee VOF", "T3"),  # word order + legal form
        ("Van der Berg Int'l Trading", "T4"),  # abbreviation + apostrophe
        ("v.d. Berg Intl. Trading BV", "T4"),
        ("Kowalski", "T5"),  # foreign legal form dropped
        ("Zilvermeeuw Sigaren Grooth.", "T6"),
    ],
)
def test_variants_link_without_address(text: str, trader_id: str) -> None:
    result = _one(text)
    assert result is not None, text
    assert (result.trader_id, result.status) == (trader_id, "linked"), result
    assert result.score >= LINK_THRESHOLD


def test_variant_with_matching_address_scores_full() -> None:
    result = _one("Gebr Jansen Tabak", postcode="1234ab", house_number="12")
    assert result is not None and result.status == "linked"
    assert result.score == 1.0
    assert any("address equals 1234AB|12" in e for e in result.evidence)
    assert result.components["address"] == pytest.approx(0.15)


# --------------------------------------------------------------------------- different companies


def test_similar_name_at_other_address_does_not_link() -> None:
    # 'Tabakshandel Jansen' is not 'Tabakhandel Janssen BV' (T2, Rotterdam 5678CD).
    result = _one("Tabakshandel Jansen", postcode="1011 AB", house_number="5", city="Amsterdam")
    assert result is None or result.status == "candidate"


def test_similar_name_links_when_the_address_agrees() -> None:
    result = _one("Tabakshandel Jansen", postcode="5678 cd", house_number="3")
    assert result is not None
    assert (result.trader_id, result.status) == ("T2", "linked")


def test_other_city_does_not_link() -> None:
    result = _one("Tabakshandel Jansen", city="Groningen")
    assert result is None or result.status == "candidate"


def test_name_of_nobody_is_not_linked() -> None:
    for text in ("Bakkerij Het Zonnetje", "Tabakshandel Pietersen", "Sigaren", "Shisha Import"):
        result = _one(text)
        assert result is None or result.status == "candidate", (text, result)


def test_namesakes_are_ambiguous_unless_the_address_decides() -> None:
    result = _one("Kapteyn Tabak")
    assert result is not None
    assert (result.trader_id, result.status) == ("T7", "candidate")  # tie -> lowest id
    assert any("ambiguous: T8" in e for e in result.evidence)
    decided = _one("Kapteyn Tabak", city="Zwolle")
    assert decided is not None
    assert (decided.trader_id, decided.status) == ("T8", "linked")


# --------------------------------------------------------------------------- candidate band


def test_candidate_band() -> None:
    # Exact name, but another postcode: 1.0 - 0.20 = 0.80, between the thresholds.
    result = _one("Gebroeders Jansen Tabak", postcode="9999 ZZ", house_number="1")
    assert result is not None
    assert (result.trader_id, result.status) == ("T1", "candidate")
    assert REVIEW_THRESHOLD <= result.score < LINK_THRESHOLD
    assert result.components["address"] == pytest.approx(-0.20)


def test_thresholds_are_parameters() -> None:
    mentions = [_mention("Gebroeders Jansen Tabak", postcode="9999 ZZ", house_number="1")]
    assert match_mentions(mentions, TRADERS, link_threshold=0.8)[0].status == "linked"
    assert match_mentions(mentions, TRADERS, review_threshold=0.85, link_threshold=0.9) == []
    with pytest.raises(ValueError, match="review_threshold"):
        match_mentions(mentions, TRADERS, link_threshold=0.5, review_threshold=0.7)


def test_score_pair_explains_the_score() -> None:
    score, components, evidence = score_pair(_mention("Gebr. Jansen Tab."), TRADERS[0])
    assert score == 1.0
    assert set(components) == {"name_full", "name_core", "name", "address", "score"}
    assert "gebroeders jansen tabak" in evidence[0]


# --------------------------------------------------------------------------- determinism


def test_output_is_deterministic_and_sorted() -> None:
    mentions = [
        _mention("Gebr. Jansen Tab.", "m3"),
        _mention("Kapteyn Tabak", "m1"),
        _mention("12345678", "m2"),
        _mention("Noordze Shisha", "m4"),
    ]
    first = match_mentions(mentions, TRADERS)
    rng = random.Random(7)
    for _ in range(5):
        shuffled_traders = TRADERS[:]
        shuffled_mentions = mentions[:]
        rng.shuffle(shuffled_traders)
        rng.shuffle(shuffled_mentions)
        assert match_mentions(shuffled_mentions, shuffled_traders) == first
    assert [r.mention_id for r in first] == sorted(r.mention_id for r in first)


def test_parallel_workers_give_the_same_result() -> None:
    traders = _synthetic_traders(2000)
    rng = random.Random(5)
    mentions = [
        _mention(_variant(rng, traders[rng.randrange(len(traders))].name), f"p{j:05d}")
        for j in range(4000)
    ]
    serial = match_mentions(mentions, traders)
    assert match_mentions(mentions, traders, workers=2) == serial
    assert len(serial) > 3000


def test_empty_inputs() -> None:
    assert match_mentions([], TRADERS) == []
    assert match_mentions([_mention("Gebroeders Jansen Tabak")], []) == []
    assert match_mentions([_mention("   ")], TRADERS) == []


# --------------------------------------------------------------------------- blocking recall

_SYLLABLES = "ka ro mi ta ne lu vo da ri se po ma li ko tu ba de fi ga he jo ke la mo".split()
_GENERIC = ["Tabakshandel", "Sigaren", "Groothandel", "Import Export", "Trading", "Shisha",
            "Kiosk", "Supermarkt", "Logistics", "Tobacco", "Handelsonderneming", "Food"]  # fmt: skip
_FORMS = ["B.V.", "BV", "V.O.F.", "", "N.V.", "GmbH", "Sp. z o.o.", "Ltd"]


def _word(n: int) -> str:
    """A made-up, unique name word for number n (base-25 syllables)."""
    syllables = []
    while True:
        n, r = divmod(n, len(_SYLLABLES))
        syllables.append(_SYLLABLES[r])
        if n == 0:
            break
    while len(syllables) < 3:
        syllables.append("ri")
    return "".join(syllables).capitalize()


def _synthetic_traders(n: int, seed: int = 1) -> list[TraderRecord]:
    rng = random.Random(seed)
    letters = "ABCEGHJKLMNPRTVXZ"
    traders = []
    for i in range(n):
        name = f"{_word(i)} {rng.choice(_GENERIC)} {rng.choice(_FORMS)}".strip()
        postcode = f"{rng.randint(1000, 9999)} {rng.choice(letters)}{rng.choice(letters)}"
        traders.append(
            TraderRecord(f"T{i:06d}", name, f"{10_000_000 + i}", None, postcode,
                         str(rng.randint(1, 250)), rng.choice(["Venlo", "Breda", "Kerkrade"]))
        )  # fmt: skip
    return traders


def test_blocking_finds_a_variant_sharing_only_one_rare_word() -> None:
    traders = _synthetic_traders(3000)
    target = TraderRecord("X1", "Tabakshandel Zwartewaal B.V.", postcode="3238 AA",
                          house_number="1")  # fmt: skip
    traders.append(target)
    # Shares only 'zwartewaal' with its trader; every other word is common in the index, and
    # max_block is small so that the generic words cannot be used as blocks.
    mentions = [
        _mention("Zwartewaal Kiosk", "a"),
        _mention("Zwartewal Food", "b"),  # ... and misspelt
        _mention("Zwartewaal Kiosk", "c", postcode="3238AA", house_number="1"),
    ]
    results = {r.mention_id: r for r in match_mentions(mentions, traders, max_block=50)}
    assert {r.trader_id for r in results.values()} == {"X1"}
    assert results["c"].status == "linked"


def test_blocking_uses_the_postcode() -> None:
    traders = [
        *_synthetic_traders(500),
        TraderRecord("X2", "Tabakshandel Kromhout", postcode="1011 AB", house_number="3"),
    ]
    # Name words all different (a trade name vs the registered name), same address.
    results = match_mentions(
        [_mention("Kromhoudt Sigaren", "a", postcode="1011AB", house_number="3")], traders
    )
    assert results and results[0].trader_id == "X2"


# --------------------------------------------------------------------------- scale


def _variant(rng: random.Random, name: str) -> str:
    words = name.split()
    if words[-1] in {"B.V.", "BV", "V.O.F.", "N.V.", "GmbH", "Ltd"}:
        words = words[:-1]
    elif words[-3:] == ["Sp.", "z", "o.o."]:
        words = words[:-3]
    kind = rng.randrange(4)
    if kind == 0:
        return " ".join(words).upper()
    if kind == 1:
        return " ".join(reversed(words))
    if kind == 2:
        first = words[0]
        i = rng.randrange(1, len(first))
        words[0] = first[:i] + first[i + 1 :]  # drop a letter of the distinctive word
        return " ".join(words)
    return " ".join(words) + " b.v."


@pytest.mark.slow
def test_scale_50k_traders_20k_mentions() -> None:
    rng = random.Random(3)
    traders = _synthetic_traders(50_000)
    mentions: list[Mention] = []
    truth: list[dict[str, str | None]] = []
    for j in range(20_000):
        mention_id = f"M{j:06d}"
        if j % 5 == 0:  # names nobody
            text = f"{_word(900_000 + j)} {rng.choice(_GENERIC)}"
            mentions.append(_mention(text, mention_id))
            truth.append({"mention_id": mention_id, "trader_id": None})
            continue
        trader = traders[rng.randrange(len(traders))]
        address = (
            {"postcode": trader.postcode or "", "house_number": trader.house_number or ""}
            if j % 2
            else {}
        )
        mentions.append(_mention(_variant(rng, trader.name), mention_id, **address))
        truth.append({"mention_id": mention_id, "trader_id": trader.trader_id})

    results = match_mentions(mentions, traders)

    assert len({r.mention_id for r in results}) == len(results)
    metrics = er_metrics(results, truth)
    assert metrics["precision"] >= 0.99, metrics
    assert metrics["recall"] >= 0.95, metrics
    by_id = {r.mention_id: r for r in results}
    expected = {row["mention_id"]: row["trader_id"] for row in truth}
    sample = rng.sample(sorted(expected), 200)
    for mention_id in sample:
        result = by_id.get(mention_id)
        if expected[mention_id] is None:
            assert result is None or result.status == "candidate", result
        elif result is not None and result.status == "linked":
            assert result.trader_id == expected[mention_id], result
