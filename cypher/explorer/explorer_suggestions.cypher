// name: explorer_suggestions
// purpose: suggestions while typing: trader names and street addresses starting with (or,
//   for longer text, containing) what was typed. Register data only, never persons.
// params:
//   prefix (string): normalised text typed so far (2+ characters)
//   street (string): lower-case text before the first digit (the street, if an address)
//   number (string, default null): the house number typed so far, or null
//   limit (int): most suggestions per kind
// mode: read
// used_by: graphfraud.explore (search), ui explorer search box
MATCH (n:Trader)
WHERE n.name_norm STARTS WITH $prefix OR (size($prefix) >= 4 AND n.name_norm CONTAINS $prefix)
RETURN n.name AS text, 'Trader' AS label
LIMIT $limit
UNION ALL
MATCH (n:Address)
WHERE n.street IS NOT NULL AND size($street) >= 3 AND toLower(n.street) STARTS WITH $street
  AND ($number IS NULL OR n.house_number STARTS WITH $number)
RETURN DISTINCT n.street + ' ' + n.house_number + ' ' + coalesce(n.city, '') AS text,
       'Address' AS label
LIMIT $limit
