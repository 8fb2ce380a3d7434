// name: known_traders
// purpose: ids, KvK and excise numbers of the traders already in the graph, so a later
//   delivery's references to them are not taken for dangling ones.
// params: none
// mode: read
// used_by: ingest.run (reference index)
MATCH (t:Trader)
RETURN t.trader_id AS trader_id, t.kvk_number AS kvk_number, t.excise_number AS excise_number
