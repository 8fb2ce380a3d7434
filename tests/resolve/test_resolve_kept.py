"""Entity resolution kept between ingests: the index read back matches as the built one,
and every key changes when anything a result depends on changes."""

from __future__ import annotations

import dataclasses
import marshal

from graphfraud.resolve.kept import (
    MATCHER_DIGEST,
    index_from_plain,
    index_to_plain,
    mention_key,
    result_from_plain,
    result_to_plain,
    traders_digest,
)
from graphfraud.resolve.matcher import Mention, TraderRecord, build_index, match_mentions

#: namesakes, a supplier, a foreign address, keys: what the index and its tie-breaks use
TRADERS = [TraderRecord(*row[:9], supplier=row[9]) for row in (
    ("T1", "Gebroeders Jansen Tabak B.V.", "12345678", "NL00012345678", "1234 AB", "12",
     "Amsterdam", "Damrak", None, False),
    ("T2", "Tabakhandel Janssen BV", "23456789", None, "5678CD", "3", "Rotterdam", None,
     None, False),
    ("T3", "Kapteyn Tabak BV", "56789012", None, "6211 AB", "4", "Maastricht", None, None,
     True),
    ("T4", "Kapteyn Tabak BV", "67890123", None, "8011 CD", "9", "Zwolle", None, None, False),
    ("T5", "Kowalski Sp. z o.o.", None, "PL0000A123456", "00-001", "7", "Warszawa",
     "ul. Marszałkowska", "PL", False),
)]
MENTIONS = [
    Mention("m1", "tips", "mentioned_name", "Gebr. Jansen tabak"),
    Mention("m2", "retail_checks", "stated_supplier", "Kapteyn Tabak"),
    Mention("m3", "tips", "mentioned_name", "Tabakhandel Jansen", postcode="5678 CD"),
    Mention("m4", "tips", "mentioned_name", "KvK 1234 5678"),
    Mention("m5", "movements", "consignee_name", "Kowalsky", country="PL"),
    Mention("m6", "tips", "mentioned_name", "Nobody Known Here"),
]


def test_the_index_read_back_gives_the_same_results_as_the_built_one():
    built = build_index(TRADERS)
    read_back = index_from_plain(marshal.loads(marshal.dumps(index_to_plain(built))))
    assert len(read_back) == len(built)
    assert read_back.traders[1] == built.traders[1] and read_back.prepared[4] == built.prepared[4]
    expected = match_mentions(MENTIONS, built)
    assert [r.status for r in expected].count("linked") >= 2  # the case is not empty
    assert match_mentions(MENTIONS, read_back) == expected


def test_a_result_survives_its_plain_form():
    for r in match_mentions(MENTIONS, build_index(TRADERS)):
        assert result_from_plain(marshal.loads(marshal.dumps(result_to_plain(r)))) == r
    assert result_to_plain(None) is None and result_from_plain(None) is None


def test_the_mention_key_covers_every_field():
    m = MENTIONS[2]
    for f in dataclasses.fields(Mention):
        changed = dataclasses.replace(m, **{f.name: "other"})
        assert mention_key(changed) != mention_key(m), f.name


def test_the_traders_digest_follows_every_value_its_type_and_order():
    columns = [["trader_id", "name"], ["T1", "T2"], ["Jansen", "Janssen"]]
    same = traders_digest([list(c) for c in columns])
    assert traders_digest(columns) == same
    assert traders_digest([columns[0], ["T1", "T2"], ["Jansen", "Jansen"]]) != same
    assert traders_digest([columns[0], ["T2", "T1"], ["Janssen", "Jansen"]]) != same
    assert traders_digest([columns[0], ["T1", 2], ["Jansen", "Janssen"]]) != \
        traders_digest([columns[0], ["T1", "2"], ["Jansen", "Janssen"]])
    assert traders_digest(columns, settings=(0.9,)) != same
    assert len(MATCHER_DIGEST) == 64
