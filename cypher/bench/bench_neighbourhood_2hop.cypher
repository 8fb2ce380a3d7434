// name: bench_neighbourhood_2hop
// purpose: the explorer's second expansion of a trader: distinct nodes two steps away
//   (through any relationship), capped, with how many paths reach each. Benchmark of
//   issue 7. The path is named and r1 <> r2 written out: without them the embedded
//   engine joins each pair of nodes once (parallel relationships count as one path) and
//   may reuse one relationship for both steps; Neo4j does neither (issue 14).
// params:
//   trader_id (string): the trader's key
//   limit (int, default 300): most neighbours returned
// mode: read
// used_by: bench queries
MATCH p = (t:Trader {trader_id: $trader_id})-[r1]-(m)-[r2]-(n)
WHERE n <> t AND r1 <> r2
WITH n, count(*) AS paths
RETURN labels(n)[0] AS label, n.trader_id AS trader_id, n.address_key AS address_key,
       n.person_id AS person_id, paths
ORDER BY paths DESC, trader_id
LIMIT $limit
