// name: explorer_search_street
// purpose: addresses by street and house number (and city when given), for a search typed
//   as an address ("Industrieweg 20 Delft"): the address itself, not shops named after the city.
// params:
//   streets (list): lower-case spellings of the street (as typed, normalised)
//   numbers (list): spellings of the house number with its addition
//   city (string, default null): lower-case city, or null for any
//   limit (int): most rows
// mode: read
// used_by: graphfraud.explore (search)
MATCH (n:Address)
WHERE n.house_number IN $numbers AND toLower(n.street) IN $streets
  AND ($city IS NULL OR toLower(n.city) = $city)
RETURN n, 'street address' AS matched
LIMIT $limit
