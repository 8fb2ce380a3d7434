// name: bench_search_name
// purpose: search traders by the start of their normalised name (indexed name_norm), as
//   the explorer's search box does first. Benchmark of issue 7.
// params:
//   prefix (string): lower-case start of the name
//   limit (int, default 20): most traders returned
// mode: read
// used_by: bench queries
MATCH (t:Trader)
WHERE t.name_norm STARTS WITH $prefix
RETURN t.trader_id AS trader_id, t.name AS name
ORDER BY name, trader_id
LIMIT $limit
