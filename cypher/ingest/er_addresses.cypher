// name: er_addresses
// purpose: Dutch addresses with street, house number and place: what a tip's address
//   without a postcode is matched against.
// params: none
// mode: read
// used_by: ingest.resolution
MATCH (a:Address)
WHERE a.country = 'NL' AND a.street IS NOT NULL AND a.city IS NOT NULL
  AND a.house_number IS NOT NULL
RETURN a.address_key AS address_key, a.street AS street, a.house_number AS house_number,
       a.city AS city
ORDER BY address_key
