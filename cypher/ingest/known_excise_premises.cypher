// name: known_excise_premises
// purpose: the premises already in the graph that hold an excise number (tax
//   warehouses), with their operator, so movements can name a warehouse by its excise
//   number (the part of known_premises a movement delivery reads).
// params: none
// mode: read
// used_by: ingest.references (reference index, part "excise")
MATCH (p:Premise)
WHERE p.excise_number IS NOT NULL
OPTIONAL MATCH (t:Trader)-[:OPERATES]->(p)
RETURN p.premise_id AS premise_id, p.excise_number AS excise_number,
       min(t.trader_id) AS operator
