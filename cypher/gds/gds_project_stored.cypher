// name: gds_project_stored
// purpose: project the weighted undirected trader graph into the GDS catalog from the
//   stored graph, inside the server (no edge list over Bolt): the ties
//   `supplier_networks.network_edges` builds from the signal queries (shared director,
//   registered address, phone or e-mail, each weighted w/(n-1) for 2..$max_shared
//   traders; a check line's stated or linked supplier 1.0; trade between consignor and
//   consignee 0.2*min(e-ADs, 10)/10), plus `$extra` ties the graph does not hold (the
//   candidate suppliers detection decides). Parallel ties summed, no self-loops; node ids
//   are indexes into the sorted trader ids, edges sent in (source, target) order, as
//   `gds_project_weighted` gets them, so both projections are the same graph. Neo4j
//   with Graph Data Science and APOC only.
// params:
//   graph_name (string): catalog name of the projection (drop it afterwards)
//   max_shared (int): a group of more traders than this is a hub, not a tie
//   extra (list): maps with a, b (trader ids, a < b) and weight (float)
// mode: read
// used_by: graphfraud.detect.gds, tests/detect/test_gds_stored.py
CALL {
  MATCH (p:Person)-[:HAS_ROLE]->(t:Trader)
  WITH p, collect(DISTINCT t.trader_id) AS ms
  WITH ms, size(ms) AS n
  WHERE 2 <= n <= $max_shared
  UNWIND ms AS a
  UNWIND ms AS b
  WITH a, b, n
  WHERE a < b
  RETURN a, b, 3.0 / (n - 1) AS w
  UNION ALL
  MATCH (t:Trader)-[:REGISTERED_AT]->(ad:Address)
  WITH ad, collect(DISTINCT t.trader_id) AS ms
  WITH ms, size(ms) AS n
  WHERE 2 <= n <= $max_shared
  UNWIND ms AS a
  UNWIND ms AS b
  WITH a, b, n
  WHERE a < b
  RETURN a, b, 2.0 / (n - 1) AS w
  UNION ALL
  MATCH (x)-[:HAS_PHONE|HAS_EMAIL]->(i)
  WHERE x:Trader OR x:Person
  OPTIONAL MATCH (x:Person)-[:HAS_ROLE]->(pt:Trader)
  WITH coalesce(i.e164, i.email) AS value,
       CASE WHEN x:Trader THEN x.trader_id ELSE pt.trader_id END AS m
  WITH value, collect(DISTINCT m) AS ms
  WITH ms, size(ms) AS n
  WHERE 2 <= n <= $max_shared
  UNWIND ms AS a
  UNWIND ms AS b
  WITH a, b, n
  WHERE a < b
  RETURN a, b, 2.0 / (n - 1) AS w
  UNION ALL
  MATCH (c:RetailCheck)-[:HAS_CHECK_LINE]->(l:CheckLine)
  OPTIONAL MATCH (c)-[:AT_OUTLET]->(o:Trader)
  OPTIONAL MATCH (o)-[:REGISTERED_AT]->(ad:Address)
  OPTIONAL MATCH (l)-[:STATED_SUPPLIER]->(s1:Trader)
  OPTIONAL MATCH (l)<-[:NAMED_IN]-(:NameMention)-[r:SAME_AS]->(s2:Trader)
  WHERE r.status = 'linked'
  WITH DISTINCT c, l, o, ad, coalesce(s1.trader_id, s2.trader_id) AS supplier
  WITH o.trader_id AS outlet, supplier
  WHERE outlet IS NOT NULL AND supplier IS NOT NULL AND outlet <> '' AND supplier <> ''
    AND outlet <> supplier
  RETURN CASE WHEN supplier < outlet THEN supplier ELSE outlet END AS a,
         CASE WHEN supplier < outlet THEN outlet ELSE supplier END AS b, 1.0 AS w
  UNION ALL
  MATCH (m:Movement)-[:CONSIGNED_BY]->(cr:Trader)
  MATCH (m)-[:CONSIGNED_TO]->(ce:Trader)
  WITH cr.trader_id AS s, ce.trader_id AS t
  WHERE s <> t AND t <> ''
  WITH CASE WHEN s < t THEN s ELSE t END AS a, CASE WHEN s < t THEN t ELSE s END AS b,
       count(*) AS n
  RETURN a, b, 0.2 * (CASE WHEN n < 10 THEN n ELSE 10 END) / 10.0 AS w
  UNION ALL
  UNWIND $extra AS e
  RETURN e.a AS a, e.b AS b, toFloat(e.weight) AS w
}
WITH a, b, sum(w) AS weight
WHERE a <> b
WITH collect({a: a, b: b, weight: weight}) AS es
CALL {
  WITH es
  UNWIND es AS e
  UNWIND [e.a, e.b] AS name
  WITH DISTINCT name
  ORDER BY name
  RETURN collect(name) AS nodes
}
WITH es, nodes, apoc.map.fromLists(nodes, range(0, size(nodes) - 1)) AS idx
UNWIND es AS e
WITH nodes, idx[e.a] AS source, idx[e.b] AS target, e.weight AS weight
ORDER BY source, target
WITH nodes, gds.graph.project($graph_name, source, target,
       {relationshipProperties: {weight: weight}},
       {undirectedRelationshipTypes: ['*']}) AS g
RETURN g.graphName AS graph_name, g.nodeCount AS node_count,
       g.relationshipCount AS relationship_count, g.projectMillis AS project_millis,
       nodes
