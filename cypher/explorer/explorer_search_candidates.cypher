// name: explorer_search_candidates
// purpose: traders and persons whose name contains any of a few fragments of the search
//   text, with the city of their (registered or home) address and, for persons, the birth
//   date: what tells 23 people of one name apart. Python scores the candidates (rapidfuzz).
// params:
//   fragments (list): lower-case fragments (3+ characters) of the search words
//   limit (int): most candidates per kind
// mode: read
// used_by: graphfraud.explore (search)
MATCH (n:Trader) WHERE any(f IN $fragments WHERE n.name_norm CONTAINS f)
WITH n LIMIT $limit
OPTIONAL MATCH (n)-[:REGISTERED_AT]->(a:Address)
RETURN n, a.city AS city
UNION ALL
MATCH (n:Person) WHERE any(f IN $fragments WHERE toLower(n.full_name) CONTAINS f)
WITH n LIMIT $limit
OPTIONAL MATCH (n)-[:LIVES_AT]->(a:Address)
RETURN n, a.city AS city
