// name: bench_neighbourhood_2hop
// purpose: the explorer's second expansion of a trader: distinct nodes two steps away
//   (through any relationship), capped, with how many paths reach each. Benchmark of
//   issue 7.
// params:
//   trader_id (string): the trader's key
//   limit (int, default 300): most neighbours returned
// mode: read
// used_by: bench queries
MATCH (t:Trader {trader_id: $trader_id})-[]-(m)-[]-(n)
WHERE n <> t
WITH n, count(*) AS paths
RETURN labels(n)[0] AS label, n.trader_id AS trader_id, n.address_key AS address_key,
       n.person_id AS person_id, paths
ORDER BY paths DESC, trader_id
LIMIT $limit
