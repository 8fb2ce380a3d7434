// name: bench_neighbourhood_1hop
// purpose: the explorer's first expansion of a trader: its direct neighbours (any
//   relationship, either direction) with label and key, capped. Benchmark of issue 7.
// params:
//   trader_id (string): the trader's key
//   limit (int, default 300): most neighbours returned
// mode: read
// used_by: bench queries
MATCH (t:Trader {trader_id: $trader_id})-[r]-(n)
RETURN type(r) AS rel, labels(n)[0] AS label, n.trader_id AS trader_id,
       n.address_key AS address_key, n.person_id AS person_id, n.arc AS arc
LIMIT $limit
