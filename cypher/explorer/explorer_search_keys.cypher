// name: explorer_search_keys
// purpose: entities whose key or identifier equals a normalised search text: KvK, excise and
//   trader id, address key, postcode, plate, phone, e-mail, premise, ARC, person id.
// params:
//   raw (string): the text as typed, trimmed and upper-cased
//   kvk (string, default null): normalised KvK number
//   excise (string, default null): normalised excise number
//   address_key (string, default null): `POSTCODE|NUMBER`
//   postcode (string, default null): normalised NL postcode
//   plate (string, default null): normalised plate
//   phone (string, default null): E.164 phone
//   email (string, default null): lower-case e-mail
//   limit (int): most rows per kind
// mode: read
// used_by: graphfraud.explore (search), ui explorer
MATCH (n:Trader) WHERE n.kvk_number = $kvk OR n.excise_number = $excise OR n.trader_id = $raw
RETURN n, 'trader key' AS matched LIMIT $limit
UNION ALL
MATCH (n:Address) WHERE n.address_key = $address_key OR n.postcode = $postcode
RETURN n, 'address' AS matched LIMIT $limit
UNION ALL
MATCH (n:Vehicle) WHERE n.plate = $plate
RETURN n, 'plate' AS matched LIMIT $limit
UNION ALL
MATCH (n:Phone) WHERE n.e164 = $phone
RETURN n, 'phone' AS matched LIMIT $limit
UNION ALL
MATCH (n:Email) WHERE n.email = $email
RETURN n, 'e-mail' AS matched LIMIT $limit
UNION ALL
MATCH (n:Premise) WHERE n.premise_id = $raw OR n.excise_number = $excise
RETURN n, 'premise' AS matched LIMIT $limit
UNION ALL
MATCH (n:Movement) WHERE n.arc = $raw
RETURN n, 'ARC' AS matched LIMIT $limit
UNION ALL
MATCH (n:Person) WHERE n.person_id = $raw
RETURN n, 'person id' AS matched LIMIT $limit
