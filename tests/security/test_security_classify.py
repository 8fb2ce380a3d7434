"""Investigation (Wpg) data withheld per value, on both stores: every shape of free
Cypher that can read a tip text or a seizure's detail is refused for an analyst with a
reason naming the label or property, and the same text runs for an investigator who
states a purpose. Whole nodes, paths and lists pass for the analyst but come back
withheld."""

from __future__ import annotations

import csv
import json

import pytest

from graphfraud.model.schema import CLASS_INVESTIGATION, CLASS_PERSONAL, property_classes
from graphfraud.security.classify import check_classified, requirement_refusal
from graphfraud.security.guard import QueryRefused
from graphfraud.security.session import PurposeRequired, Session
from graphfraud.security.users import User
from graphfraud.store.base import StoreError

#: (shape, free Cypher, whether an investigator's answer holds a tip text)
SHAPES: list[tuple[str, str, bool]] = [
    ("property", "MATCH (t:Tip) RETURN t.text AS x", True),
    ("string function", "MATCH (t:Tip) RETURN toLower(t.text) AS x", True),
    ("list", "MATCH (t:Tip) RETURN [t.text] AS x", True),
    ("map", "MATCH (t:Tip) RETURN {v: t.text} AS x", True),
    ("properties()", "MATCH (t:Tip) RETURN properties(t) AS x", True),
    ("keys()", "MATCH (t:Tip) RETURN keys(t) AS x", False),
    ("collect", "MATCH (t:Tip) RETURN collect(t.text) AS x", True),
    ("backticked label", "MATCH (t:`Tip`) RETURN t.text AS x", True),
    ("untyped variable", "MATCH (n) RETURN n.text AS x", True),
    ("untyped filter oracle", "MATCH (n) WHERE n.text CONTAINS 'a' RETURN count(n) AS x",
     False),
    ("untyped properties()", "MATCH (n) RETURN properties(n) AS x", True),
    ("untyped projection *", "MATCH (n) RETURN n{.*} AS x", True),
    ("untyped projection", "MATCH (n) RETURN n{.text} AS x", True),
    ("pattern map", "MATCH (n {channel: 'police'}) RETURN count(n) AS x", False),
    ("neighbour", "MATCH (v:Vehicle)<-[r]-(n) RETURN n.text AS x", True),
    ("variable length", "MATCH (v:Vehicle)<-[*1..2]-(n) RETURN collect(n.text) AS x", True),
    ("path nodes", "MATCH p = (v:Vehicle)<--(n) RETURN [x IN nodes(p) | x.text] AS x", True),
    ("UNWIND path nodes",
     "MATCH p = (v:Vehicle)<--() UNWIND nodes(p) AS m RETURN m.text AS x", True),
    ("pattern comprehension", "MATCH (v:Vehicle) RETURN [(v)<--(t) | t.text] AS x", True),
    ("alias through WITH", "MATCH (v:Vehicle)<--(t) WITH t AS alias RETURN alias.text AS x",
     True),
    ("collected then indexed",
     "MATCH (v:Vehicle)<--(t) WITH collect(t) AS ts RETURN ts[0].text AS x", True),
    ("string subscript", "MATCH (n) RETURN n['text'] AS x", True),
    ("computed subscript", "MATCH (n) WITH n, 'te' + 'xt' AS k RETURN n[k] AS x", True),
    ("labels() filter", "MATCH (n) WHERE 'Tip' IN labels(n) RETURN n.tip_id AS x", False),
    ("function result", "MATCH (n) RETURN head(collect(n)).text AS x", False),
    ("reduce", "MATCH (n) RETURN reduce(s = '', v IN collect(n) | "
               "s + coalesce(v.text, '')) AS x", True),
    ("list comprehension filter",
     "MATCH (n) RETURN [v IN collect(n) WHERE v.text IS NOT NULL | v.text] AS x", True),
    ("rebinding after WITH",
     "MATCH (x:CheckLine) WITH count(*) AS c MATCH (x) RETURN x.text AS p", True),
    ("subquery", "CALL { MATCH (n) RETURN n.text AS x } RETURN x", True),
    ("relationship type", "MATCH (t)-[:MENTIONS]->(v:Vehicle) RETURN t", False),
    ("type() string", "MATCH ()-[r]->() WHERE type(r) = 'MENTIONS' RETURN count(*) AS x",
     False),
    ("seizure detail", "MATCH (s:Seizure) RETURN s.brand AS b, s.quantity AS q", False),
    ("untyped seizure detail", "MATCH (n) RETURN n.seized_on AS x, n.case_ref AS y", False),
    ("a tip's name mention", "MATCH (m:NameMention) RETURN m.text AS x, m.source AS s",
     False),
]
#: more shapes, refused by the check alone (not every engine parses all of them)
MORE: list[tuple[str, str, bool]] = [
    ("map literal chain", "MATCH (n) RETURN {a: n}.a.text AS x", False),
    ("startNode()", "MATCH (v:Vehicle)<-[r]-(n) RETURN startNode(r).text AS x", False),
    ("properties(startNode())",
     "MATCH (v:Vehicle)<-[r]-(n) RETURN properties(startNode(r)) AS x", False),
    ("keys() comprehension", "MATCH (n) RETURN [k IN keys(n) | n[k]] AS x", False),
    ("apoc JSON", "MATCH (n) RETURN apoc.convert.toJson(n) AS x", False),
    ("toString()", "MATCH (n) RETURN toString(n) AS x", False),
    ("COUNT subquery", "MATCH (x:Vehicle) RETURN COUNT { (x)<--(t) WHERE t.text "
                       "CONTAINS 'a' } AS x", False),
    ("COLLECT subquery", "MATCH (x:Vehicle) RETURN COLLECT { MATCH (x)<--(t) "
                         "RETURN t.text } AS x", False),
    ("CALL scope clause", "MATCH (x:Trader) CALL (x) { MATCH (x)<--(t) RETURN t.text AS q }"
                          " RETURN q", False),
    ("CALL without import", "MATCH (x:CheckLine) CALL { MATCH (x) RETURN x.product AS q } "
                            "RETURN q", False),
    ("WITH * then a new variable", "MATCH (x:CheckLine) WITH * MATCH (y) RETURN y.product",
     False),
    ("negated label", "MATCH (x:!Trader) RETURN x.product AS x", False),
    ("wildcard label", "MATCH (x:%) RETURN x.product AS x", False),
    ("dynamic label", "MATCH (x:$($l)) RETURN x.product AS x", False),
    ("dynamic label any()", "MATCH (x:$any($l)) RETURN x.product AS x", False),
    ("inline WHERE", "MATCH (x WHERE x.text IS NOT NULL) RETURN count(x) AS x", False),
    ("quantified path", "MATCH (a:Vehicle) ((x)-->(y)){1,2} (b) RETURN [q IN y | q.text]",
     False),
    ("parameter key", "MATCH (n) RETURN n[$p] AS x", False),
    ("UNION branch", "MATCH (x:Trader) RETURN x.name AS v UNION MATCH (x) RETURN x.text AS v",
     False),
]
#: pass for the analyst: whole values, withheld per value by the redaction
WHOLE = [
    "MATCH (v:Vehicle)<--(n) RETURN n",
    "MATCH p = (v:Vehicle)<--() RETURN p",
    "MATCH (v:Vehicle)<--(n) RETURN collect(n) AS ns",
    "MATCH (v:Vehicle)<--(n) RETURN {node: n} AS m",
]


@pytest.fixture
def tipped(world):
    """The shared world, with the texts of its tips (what must never reach an analyst)."""
    store, settings, out = world
    with open(out / "tips.csv", encoding="utf-8") as fh:
        texts = {r["text"] for r in csv.DictReader(fh) if len(r["text"]) > 8}
    return store, settings, texts


def test_enough_shapes() -> None:
    assert len(SHAPES) >= 25


@pytest.mark.parametrize("shape,text,_tips", SHAPES + MORE, ids=[s[0] for s in SHAPES + MORE])
def test_shape_refused_for_an_analyst_with_a_reason(shape: str, text: str, _tips: bool) -> None:
    with pytest.raises(QueryRefused) as info:
        check_classified(text, User("ana", "analyst"))
    reason = info.value.reason
    assert any(w in reason for w in ("Tip", "Seizure", "MENTIONS", "NameMention.text",
                                     "investigation", "dynamic")), reason


def test_every_shape_refused_on_the_store_and_allowed_for_an_investigator(tipped) -> None:
    store, settings, texts = tipped
    analyst = Session(store, settings, User("ana", "analyst"))
    investigator = Session(store, settings, User("ivo", "investigator"), row_cap=100_000)
    got_text = 0
    for shape, text, tips in SHAPES:
        with pytest.raises(QueryRefused):
            analyst.free_cypher(text)
        with pytest.raises(PurposeRequired):
            investigator.free_cypher(text)
        try:
            res = investigator.free_cypher(text, purpose="ZAAK-2023-17 tip check")
        except StoreError as exc:  # an engine that lacks a construct: not a refusal
            assert "refused" not in str(exc).lower() or store.kind == "embedded", (shape, exc)
            continue
        if tips:
            body = json.dumps(res.rows, default=str, ensure_ascii=False).lower()
            if any(t.lower() in body for t in texts):
                got_text += 1
    assert got_text >= 20, got_text
    from graphfraud.security.audit import read

    recs = [r for r in read(settings.home / "audit.jsonl") if r["action"] == "query"]
    refused = [r for r in recs if r["detail"]["outcome"] == "refused"]
    assert len(refused) == 2 * len(SHAPES)  # the analyst's and the purpose-less ones
    assert all(r["purpose"] for r in recs if r["detail"]["outcome"] == "ok")


@pytest.mark.parametrize("text", WHOLE)
def test_whole_values_pass_but_come_back_withheld(tipped, text: str) -> None:
    store, settings, texts = tipped
    res = Session(store, settings, User("ana", "analyst")).free_cypher(text)
    body = json.dumps(res.rows, default=str)
    assert "Withheld" in body or "WITHHELD" in body
    assert not any(t in body for t in texts)


def test_allowed_register_queries_still_run(tipped) -> None:
    store, settings, _ = tipped
    analyst = Session(store, settings, User("ana", "analyst"))
    for text in ("MATCH (t:Trader) RETURN t.name AS n, properties(t) AS p LIMIT 3",
                 "MATCH (t:Trader) RETURN t{.*} AS t LIMIT 2",
                 "MATCH (c:CheckLine) RETURN c.product AS p, c.brand AS b LIMIT 2",
                 "MATCH (n) RETURN labels(n) AS l, count(*) AS c",
                 "UNWIND [1, 2] AS i RETURN i"):
        assert analyst.free_cypher(text).rows, text


def test_library_requires_is_enforced(tipped) -> None:
    from graphfraud.security.roles import PermissionDenied

    store, settings, texts = tipped
    analyst = Session(store, settings, User("ana", "analyst"))
    assert "signal_tips" not in analyst.library()
    with pytest.raises(PermissionDenied, match="investigation"):
        analyst.library_query("signal_tips")
    inv = Session(store, settings, User("ivo", "investigator"))
    with pytest.raises(PermissionDenied, match="purpose"):
        inv.library_query("signal_tips")
    assert inv.library_query("signal_tips", purpose="ZAAK-1").rows
    for plumbing in ("delete_batch", "er_links", "explorer_neighbours", "count_by_label"):
        assert plumbing not in analyst.library()
        with pytest.raises(PermissionDenied):
            analyst.library_query(plumbing)
    assert requirement_refusal(User("a", "admin"), ("view_wpg",), "x")


def test_every_property_is_classified() -> None:
    from graphfraud.model.schema import NODE_TYPES

    classes = property_classes()
    for nt in NODE_TYPES:
        for prop in (nt.key, *nt.properties):
            assert (nt.label, prop) in classes
    assert classes[("Tip", "text")].cls == CLASS_INVESTIGATION
    assert classes[("Seizure", "brand")].cls == CLASS_INVESTIGATION
    assert classes[("Person", "full_name")].cls == CLASS_PERSONAL
    assert classes[("Address", "street")].cls == CLASS_PERSONAL
    assert classes[("Trader", "name")].cls == "register"
    assert classes[("NameMention", "text")].cls == CLASS_INVESTIGATION  # may be a tip's


def test_name_mentions_come_back_without_their_text_for_an_analyst() -> None:
    from graphfraud.security.pseudonym import redact_for_role

    m = {"_id": "m1", "_labels": ["NameMention"], "mention_id": "M-1", "text": "Jan Smit",
         "text_norm": "jan smit", "source": "tip"}
    out = redact_for_role([m], "analyst", "s" * 32)[0]
    assert "text" not in out and "text_norm" not in out and out["mention_id"] == "M-1"
    assert redact_for_role([m], "investigator", "s" * 32)[0]["text"] == "Jan Smit"


def test_manager_findings_carry_no_person_ids_addresses_or_wpg_refs(tmp_path, settings) -> None:
    from dataclasses import replace

    from graphfraud.detect.records import FindingsDocument
    from graphfraud.security.session import redact_findings

    doc = FindingsDocument.from_dict({"findings": [{"id": "F-1", "kind": "factory_site",
                                                    "title": "Factory at 1234AB|5",
                         "subjects": {"persons": ["P-0000001"], "addresses": ["1234AB|5"]},
                         "reasons": [{"signal": "tip", "evidence": "TIP-000001 names P-0000001"
                                      " at 1234AB|5", "refs": ["TIP-000001", "P-0000001",
                                                               "1234AB|5", "T-1"]}]}]})
    s = replace(settings, home=tmp_path)
    out = redact_findings(doc, Session(None, s, User("mia", "manager"))).to_json()
    assert "P-0000001" not in out and "1234AB" not in out and "TIP-000001" not in out
    analyst = redact_findings(doc, Session(None, s, User("ana", "analyst"))).to_json()
    assert "TIP-000001" not in analyst and "1234AB|5" in analyst
    inv = redact_findings(doc, Session(None, s, User("ivo", "investigator"))).to_json()
    assert "TIP-000001" in inv


def test_timelines_and_paths_withhold_investigation_events(tipped) -> None:
    store, settings, texts = tipped
    inv = Session(store, settings, User("ivo", "investigator"), purpose="ZAAK-1")
    analyst = Session(store, settings, User("ana", "analyst"))
    row = inv.free_cypher("MATCH (v:Vehicle)<-[:INVOLVES]-(s:Seizure) "
                          "RETURN v, s.seizure_id AS sid LIMIT 1").rows[0]
    vehicle = row["v"]
    theirs = inv.timeline(vehicle)
    assert any(r["label"] == "Seizure" for r in theirs)
    mine = analyst.timeline(vehicle)
    body = json.dumps(mine)
    assert "Seizure" not in body and "Tip" not in body and row["sid"] not in body
    assert mine[-1]["label"] == "Withheld" and "withheld" in mine[-1]["event"]
    seizure = inv.free_cypher("MATCH (s:Seizure {seizure_id: $s}) RETURN s",
                              {"s": row["sid"]}).rows[0]["s"]
    res = analyst.path("shortest", str(vehicle["_id"]), str(seizure["_id"]), 3)
    assert res is not None
    steps = json.dumps(res.steps())
    assert row["sid"] not in steps and "Withheld" in steps


def test_a_neighbourhood_with_wpg_data_needs_the_investigators_purpose(tipped) -> None:
    from graphfraud.security.audit import read

    store, settings, texts = tipped
    inv = Session(store, settings, User("ivo", "investigator"))
    vehicle = Session(store, settings, User("ivo", "investigator"), purpose="x").free_cypher(
        "MATCH (v:Vehicle)<-[:MENTIONS]-(:Tip) RETURN v LIMIT 1").rows[0]["v"]
    before = len(read(settings.home / "audit.jsonl"))
    with pytest.raises(PurposeRequired):
        inv.neighbourhood(vehicle, 50)
    inv.purpose = "ZAAK-2023-17"
    sg = inv.neighbourhood(vehicle, 50)
    recs = read(settings.home / "audit.jsonl")[before:]
    assert [r["detail"]["outcome"] for r in recs] == ["refused", "ok"]
    assert recs[1]["detail"]["wpg"] >= 1 and recs[1]["purpose"] == "ZAAK-2023-17"
    analyst = Session(store, settings, User("ana", "analyst"))
    shown = analyst.redact_subgraph(analyst.neighbourhood(vehicle, 50))
    body = json.dumps(shown.to_dict(), default=str)
    assert len(sg) == len(shown) and "Withheld" in body
    assert not any(t in body for t in texts)


@pytest.mark.parametrize("text", [
    "MATCH (t:Trader {trader_id: $x}) RETURN t.name AS name",
    "MATCH (t:Trader {trader_id: $any}) RETURN t.name AS name",
    "RETURN {a: $p, b: $all} AS m",
])
def test_a_parameter_after_a_colon_is_a_map_value_not_a_label(text: str) -> None:
    """`{key: $param}` passes for an analyst: only `:$(...)`, `:$any(...)`, `:$all(...)`
    are dynamic labels (a map value was refused as one before)."""
    check_classified(text, User("ana", "analyst"))
