// name: known_excise_traders
// purpose: the traders already in the graph that hold an excise number, so movements
//   can name them by it (the part of known_traders a movement delivery reads: ~1k of
//   ~100k traders at the large world).
// params: none
// mode: read
// used_by: ingest.references (reference index, part "excise")
MATCH (t:Trader)
WHERE t.excise_number IS NOT NULL
RETURN t.trader_id AS trader_id, t.kvk_number AS kvk_number, t.excise_number AS excise_number
