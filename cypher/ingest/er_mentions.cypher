// name: er_mentions
// purpose: every name mention (stated supplier, tip name, licence holder, consignee) with
//   the address given beside it, and the links a reviewer rejected (never re-made).
// params: none
// mode: read
// used_by: ingest.resolution, graphfraud evaluate --er
MATCH (m:NameMention)
OPTIONAL MATCH (m)-[r:SAME_AS]->(t:Trader)
WITH m, collect(CASE WHEN r.status = 'rejected' THEN t.trader_id END) AS rejected
RETURN m.mention_id AS mention_id, m.text AS text, m.source AS source, m.field AS field,
       m.source_row AS source_row, m.addr_postcode AS postcode, m.addr_city AS city,
       m.addr_street AS street, m.addr_house_number AS house_number, rejected
ORDER BY mention_id
