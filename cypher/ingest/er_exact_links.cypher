// name: er_exact_links
// purpose: names resolved by an exact key at load time (a stated supplier given as trader
//   id or KvK number, a consignee with an excise number, a licence holder by trader id),
//   so entity-resolution figures count them as what they are: exact matches.
// params: none
// mode: read
// used_by: graphfraud evaluate --er
MATCH (l:CheckLine)-[:STATED_SUPPLIER]->(t:Trader)
RETURN 'retail_checks.csv' AS file, l.line_id AS entity, 'stated_supplier' AS field,
       t.trader_id AS trader_id
UNION ALL
MATCH (m:Movement)-[:CONSIGNED_TO]->(t:Trader)
RETURN 'movements.csv' AS file, m.arc AS entity, 'consignee_name' AS field,
       t.trader_id AS trader_id
UNION ALL
MATCH (l:Licence)-[:HELD_BY]->(t:Trader)
RETURN 'machine_licences.csv' AS file, l.licence_id AS entity, 'holder_name' AS field,
       t.trader_id AS trader_id
