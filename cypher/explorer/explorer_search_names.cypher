// name: explorer_search_names
// purpose: traders and persons whose normalised name contains any of a few fragments of the
//   search text; Python scores the candidates for small typos (rapidfuzz).
// params:
//   fragments (list): lower-case fragments (3+ characters) of the search words
//   limit (int): most candidates per kind
// mode: read
// used_by: graphfraud.explore (search), ui explorer
MATCH (n:Trader) WHERE any(f IN $fragments WHERE n.name_norm CONTAINS f)
RETURN n LIMIT $limit
UNION ALL
MATCH (n:Person) WHERE any(f IN $fragments WHERE toLower(n.full_name) CONTAINS f)
RETURN n LIMIT $limit
