// name: known_premises
// purpose: premises already in the graph with their excise number and operator, so
//   movements can name a tax warehouse by its excise number.
// params: none
// mode: read
// used_by: ingest.run (reference index)
MATCH (p:Premise)
OPTIONAL MATCH (t:Trader)-[:OPERATES]->(p)
RETURN p.premise_id AS premise_id, p.excise_number AS excise_number,
       min(t.trader_id) AS operator
