"""The read-only guard: hostile Cypher is refused with a reason naming what; reads pass."""

from __future__ import annotations

import pytest

from graphfraud.security.guard import (
    ALLOWED_PROCEDURES,
    QueryRefused,
    assert_read_only,
    check_read_only,
    function_allowed,
    procedure_allowed,
    tokenize,
)

# (query, a fragment the reason must contain, case-insensitive)
HOSTILE: list[tuple[str, str]] = [
    # plain writes, every clause and case
    ("CREATE (n:Trader {trader_id: 'x'})", "CREATE"),
    ("create (n)", "CREATE"),
    ("CrEaTe (n)", "CREATE"),
    ("MERGE (n:Trader {trader_id: 'x'}) RETURN n", "MERGE"),
    ("MATCH (n) SET n.x = 1", "SET"),
    ("MATCH (n) set n += {x: 1}", "SET"),
    ("MATCH (n) DELETE n", "DELETE"),
    ("MATCH (n) DETACH DELETE n", "DETACH"),
    ("MATCH (n) NODETACH DELETE n", "DELETE"),
    ("MATCH (n:Label) REMOVE n:Label", "REMOVE"),
    ("MATCH (n) REMOVE n.prop", "REMOVE"),
    ("INSERT (n:Trader)", "INSERT"),
    ("MATCH (t:Trader) MERGE (t)-[:X]->(:Y) ON CREATE SET t.y = 1", "MERGE"),
    ("MATCH (t:Trader) WITH t OPTIONAL MATCH (t)--(a) CREATE (a)-[:R]->(t)", "CREATE"),
    ("FOREACH (x IN [1] | CREATE ())", "FOREACH"),
    ("MATCH p = (a)--(b) FOREACH (n IN nodes(p) | SET n.seen = true)", "FOREACH"),
    ("UNWIND range(1, 10) AS i CREATE (:N {i: i})", "CREATE"),
    ("MATCH (n) SET n:Flagged", "SET"),
    # subqueries and batching
    ("CALL { CREATE (n) RETURN n } RETURN n", "CREATE"),
    ("MATCH (n) CALL { WITH n DELETE n } IN TRANSACTIONS", "DELETE"),
    ("CALL { MATCH (n) RETURN n } IN TRANSACTIONS RETURN n", "TRANSACTIONS"),
    ("MATCH (n) CALL (n) { SET n.a = 1 } RETURN n", "SET"),
    ("CALL { CALL { MATCH (n) DETACH DELETE n } }", "DETACH"),
    ("USING PERIODIC COMMIT 500 LOAD CSV FROM 'file:///x.csv' AS l CREATE (n)", "PERIODIC"),
    ("LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", "LOAD"),
    ("load csv with headers from 'https://evil.example/x' as l return l", "LOAD"),
    # comments between and around keyword letters
    ("CRE/**/ATE (n)", "CREATE"),
    ("MATCH (n) DE/* hidden */LETE n", "DELETE"),
    ("MATCH (n) S/**/E/**/T n.a = 1", "SET"),
    ("MATCH (n) WITH n/**/SET n.a = 1", "SET"),
    ("MATCH (n) RETURN n //\nCREATE (m)", "CREATE"),
    ("MATCH (n) // just a comment\r\nDETACH DELETE n", "DETACH"),
    ("MATCH (n) RETURN n // comment ended by a carriage return\rCREATE (m)", "CREATE"),
    ("/* leading comment */ MERGE (n)", "MERGE"),
    ("MATCH (n) /* a 'quote' in a comment */ SET n.a = 1", "SET"),
    ("MATCH (n)\n\n\n  REMOVE\n n.x", "REMOVE"),
    ("RETURN 1CREATE (n)", "CREATE"),
    # Unicode tricks
    ("CRE\u200bATE (n)", "U+200B"),
    ("MATCH (n) DE\u200dLETE n", "U+200D"),
    ("MATCH (n) RETURN n \u202e;ETELED HCATED", "U+202E"),
    ("\ufeffCREATE (n)", "U+FEFF"),
    ("MATCH (n) RETURN n\x00CREATE (m)", "U+0000"),
    ("\uff23\uff32\uff25\uff21\uff34\uff25 (n)", "CREATE"),  # fullwidth ＣＲＥＡＴＥ
    ("\u0421REATE (n)", "CREATE"),  # Cyrillic С
    ("MATCH (n) D\u0415LETE n", "DELETE"),  # Cyrillic Е
    ("MATCH (n) \u0405ET n.a = 1", "SET"),  # Cyrillic Ѕ
    ("MATCH\u00a0(n) RETURN n", "U+00A0"),  # no-break space outside a literal
    ("MATCH (n) RETURN n\u2028CREATE (m)", "U+2028"),
    ("RETURN '\\u0027 CREATE (n) //'", "unicode escape"),  # \u0027 closes it for some parsers
    ("MATCH (n) RETURN n // \\u000a CREATE (m)", "unicode escape"),
    ("MATCH (`\\u0060) CREATE (m) //`) RETURN 1", "unicode escape"),
    # procedures
    ("CALL dbms.security.createUser('eve', 'pw', false)", "dbms.security.createUser"),
    ("CALL dbms.components()", "dbms.components"),
    ("CALL apoc.create.node(['X'], {})", "apoc.create.node"),
    ("CALL apoc.load.json('file:///etc/passwd')", "apoc.load.json"),
    ("CALL apoc.export.csv.all('out.csv', {})", "apoc.export.csv.all"),
    ("CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {})", "apoc.periodic"),
    ("CALL apoc.cypher.runWrite('CREATE (n)', {})", "apoc.cypher.runWrite"),
    ("CALL apoc.util.sleep(100000)", "apoc.util.sleep"),
    ("CALL gds.pageRank.write('g', {writeProperty: 'pr'})", "gds.pageRank.write"),
    ("CALL gds.pageRank.mutate('g', {mutateProperty: 'pr'})", "gds.pageRank.mutate"),
    ("CALL gds.graph.project('g', 'Trader', 'CONSIGNED_TO')", "gds.graph.project"),
    ("CALL gds.graph.project.cypher('g', 'MATCH (n) RETURN id(n) AS id', '')", "project"),
    ("CALL gds.graph.drop('g')", "gds.graph.drop"),
    ("CALL gds.graph.nodeProperties.write('g', ['pr'])", "write"),
    ("CALL algo.pageRank('Trader', 'CONSIGNED_TO')", "algo.pageRank"),
    ("CALL db.createLabel('X')", "db.createLabel"),
    ("CALL db.idx.fulltext.createNodeIndex('Trader', 'name')", "createNodeIndex"),
    ("CALL `apoc`.`create`.node(['X'], {})", "apoc.create.node"),
    ("CALL apoc.cre/**/ate.node(['X'], {})", "apoc"),
    ("MATCH (n) CALL apoc.refactor.mergeNodes([n]) YIELD node RETURN node", "apoc.refactor"),
    ("CALL", "CALL"),
    ("RETURN apoc.cypher.runFirstColumnSingle('CREATE (n) RETURN n', {})", "apoc.cypher"),
    ("RETURN dbms.info()", "dbms.info"),
    ("MATCH (a)-->(b) RETURN gds.graph.project('g', a, b)", "gds.graph.project"),
    ("RETURN `apoc`.cypher.runFirstColumnSingle('CREATE (n)', {})", "apoc.cypher"),
    ("RETURN `apoc.cypher.runFirstColumnSingle`('CREATE (n)', {})", "apoc.cypher"),
    # administration
    ("DROP INDEX trader_name", "DROP"),
    ("DROP CONSTRAINT trader_key IF EXISTS", "DROP"),
    ("CREATE INDEX x FOR (n:Trader) ON (n.name)", "CREATE"),
    ("CREATE USER eve SET PASSWORD 'secret' CHANGE NOT REQUIRED", "CREATE"),
    ("ALTER USER neo4j SET PASSWORD 'x'", "ALTER"),
    ("ALTER CURRENT USER SET PASSWORD FROM 'a' TO 'b'", "ALTER"),
    ("GRANT ROLE admin TO eve", "GRANT"),
    ("DENY READ {*} ON GRAPH * TO reader", "DENY"),
    ("REVOKE ROLE admin FROM neo4j", "REVOKE"),
    ("RENAME USER eve TO mallory", "RENAME"),
    ("START DATABASE foo", "START DATABASE"),
    ("stop database neo4j", "STOP DATABASE"),
    ("SHOW USERS", "SHOW USERS"),
    ("SHOW ROLES WITH USERS", "SHOW"),
    ("SHOW PRIVILEGES", "SHOW PRIVILEGES"),
    ("SHOW TRANSACTIONS", "SHOW TRANSACTIONS"),
    ("SHOW SETTINGS", "SHOW SETTINGS"),
    ("SHOW USERS YIELD user AS index", "SHOW USERS"),
    ("SHOW", "SHOW"),
    ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "TERMINATE"),
    ("USE system SHOW USERS", "USE"),
    ("ENABLE SERVER 'abc'", "ENABLE"),
    # statements
    ("MATCH (n) RETURN n; MATCH (m) DETACH DELETE m", "more than one statement"),
    ("RETURN 1; RETURN 2", "more than one statement"),
    ("RETURN 1;;", "more than one statement"),
    ("", "empty statement"),
    ("   \n\t ", "empty statement"),
    (";", "empty statement"),
    ("// only a comment", "empty statement"),
    ("/* only */ /* comments */", "empty statement"),
    # lexing that cannot be trusted
    ("RETURN 'unterminated", "unterminated string"),
    ("MATCH (n) RETURN n /* never closed CREATE (m)", "unterminated /*"),
    ("MATCH (`unterminated) RETURN 1", "unterminated `quoted name`"),
    ("MATCH (n) RETURN n" + " " * 100_000, "at most 100000"),
]

LEGITIMATE: list[str] = [
    "MATCH (n) RETURN n",
    "MATCH (t:Trader) RETURN t.name LIMIT 5",
    "match (t:Trader) where t.name starts with 'A' return t.name",
    "MATCH (t:Trader {trader_id: $id}) RETURN t",
    "MATCH (n) WHERE n.name = 'create; delete' RETURN n.created_on, n.offset",
    "RETURN 'CREATE (n)' AS text, \"DETACH DELETE\" AS other",
    "RETURN 'it\\'s a SET' AS s, \"say \\\"MERGE\\\"\" AS t",
    "MATCH (s:Settlement) RETURN s.name",
    "MATCH (n) RETURN n.created_on, n.offset, n.settled, n.deleted_at, n.removed_by",
    "MATCH (n:`Trader`) RETURN n.`name with space`, n.`set`, n.`CREATE`",
    "MATCH (n) RETURN n.set, n.delete, n.create AS c",
    "MATCH (n) RETURN n {.create, .name}",
    "RETURN $create AS c, $set AS s",
    "CALL db.labels()",
    "CALL db.labels() YIELD label RETURN label ORDER BY label",
    "CALL db.relationshipTypes()",
    "CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey",
    "CALL db.indexes()",
    "call DB.LABELS()",
    "CALL gds.pageRank.stream('traders', {maxIterations: 20}) YIELD nodeId, score "
    "RETURN gds.util.asNode(nodeId).name AS name, score ORDER BY score DESC LIMIT 10",
    "CALL gds.wcc.stats('traders') YIELD componentCount RETURN componentCount",
    "CALL gds.graph.list()",
    "CALL apoc.meta.stats()",
    "RETURN apoc.version()",
    "RETURN apoc.text.join(['a', 'b'], ',') AS s",
    "MATCH (t:Trader) OPTIONAL MATCH (t)-[:REGISTERED_AT]->(a:Address) RETURN t, a",
    "MATCH (t:Trader) RETURN t.name AS n UNION MATCH (p:Premise) RETURN p.kind AS n",
    "MATCH (t:Trader) RETURN t.name AS n UNION ALL MATCH (p:Premise) RETURN p.kind AS n",
    "MATCH (t:Trader) WITH t, size([(t)--() | 1]) AS degree WHERE degree > 3 RETURN t, degree",
    "RETURN [x IN range(1, 10) WHERE x % 2 = 0 | x * x] AS squares",
    "MATCH (m:Movement) RETURN CASE WHEN m.status = 'delivered' THEN 1 ELSE 0 END AS done",
    "RETURN 'a;b'",
    "MATCH (n) RETURN n;",
    "MATCH (n) RETURN n ;  // done\n",
    "// leading comment: CREATE nothing\nMATCH (n) RETURN n",
    "MATCH (n) /* SET n.x = 1 is not run */ RETURN n",
    "MATCH p = (start:Trader)-[*1..3]-(end:Trader) RETURN start, end, length(p)",
    "MATCH (t:Trader) WHERE t.name = 'Tabakshop Café Ünal' RETURN t",
    "MATCH (t:Trader) WHERE t.name CONTAINS 'ＣＲＥＡＴＥ' RETURN t",
    "MATCH (n) CALL { WITH n MATCH (n)--(m) RETURN count(m) AS c } RETURN n, c",
    "MATCH (n) WHERE n.x IN transactions RETURN n",
    "MATCH (n) RETURN count(n) AS transactions",
    "EXPLAIN MATCH (n) RETURN n",
    "SHOW INDEXES",
    "SHOW RANGE INDEXES YIELD name RETURN name",
    "SHOW CONSTRAINTS",
    "SHOW NODE KEY CONSTRAINTS",
    "MATCH (n) WHERE EXISTS { MATCH (n)-[:HAS_ROLE]->() } RETURN n",
    "MATCH (n) RETURN n SKIP 10 LIMIT 10",
    "UNWIND $rows AS r MATCH (t:Trader {trader_id: r.id}) RETURN t, r",
    "MATCH (m:Movement) WHERE m.dispatched_at >= '2024-01-01' RETURN count(*) AS moves",
    "MATCH (n) RETURN n.`weird``name`",
    "RETURN 1.5e3 AS x, 0x1F AS y, 1_000 AS z",
]


def test_enough_cases() -> None:
    assert len(HOSTILE) >= 60
    assert len(LEGITIMATE) >= 25


@pytest.mark.parametrize(("query", "named"), HOSTILE, ids=[q[:40] for q, _ in HOSTILE])
def test_hostile_query_is_refused_with_a_reason(query: str, named: str) -> None:
    verdict = check_read_only(query)
    assert not verdict.allowed
    assert named.lower() in verdict.reason.lower(), verdict.reason
    with pytest.raises(QueryRefused) as info:
        assert_read_only(query)
    assert info.value.reason == verdict.reason


@pytest.mark.parametrize("query", LEGITIMATE, ids=[q[:40] for q in LEGITIMATE])
def test_read_query_passes(query: str) -> None:
    verdict = check_read_only(query)
    assert verdict.allowed, verdict.reason
    assert_read_only(query)


@pytest.mark.parametrize("keyword", ["CREATE", "MERGE", "SET", "DELETE", "REMOVE", "DROP"])
def test_keyword_in_any_case_is_refused(keyword: str) -> None:
    for variant in (keyword, keyword.lower(), keyword.capitalize(), keyword.swapcase()):
        assert not check_read_only(f"MATCH (n) {variant} n").allowed


def test_reason_gives_line_and_column() -> None:
    reason = check_read_only("MATCH (n)\n  DETACH DELETE n").reason
    assert "line 2, column 3" in reason


def test_keywords_inside_literals_and_names_are_not_keywords() -> None:
    tokens = tokenize("RETURN 'CREATE' AS `DELETE` // SET\n")
    assert [t.kind for t in tokens] == ["word", "string", "word", "name"]


def test_allow_list_is_explicit() -> None:
    for name in ("db.labels", "db.relationshipTypes", "db.propertyKeys", "gds.graph.list"):
        assert name in ALLOWED_PROCEDURES
    assert procedure_allowed("gds.louvain.stream")
    assert procedure_allowed("gds.betweenness.stats")
    for name in ("gds.louvain.write", "gds.louvain.mutate", "gds.graph.project",
                 "gds.graph.drop", "gds.graph.project.cypher.stream", "gds.pageRank.estimate",
                 "dbms.procedures", "apoc.create.node", "algo.pageRank", "db.createLabel"):
        assert not procedure_allowed(name), name


def test_function_allow_list() -> None:
    assert function_allowed("gds.util.asNode")
    assert function_allowed("apoc.coll.sum")
    assert not function_allowed("apoc.cypher.runFirstColumnMany")
    assert not function_allowed("dbms.info")


def test_non_string_is_refused() -> None:
    assert not check_read_only(None).allowed  # type: ignore[arg-type]
