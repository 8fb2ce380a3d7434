// name: er_links
// purpose: the entity-resolution links and candidates with score and evidence, for review
//   and for `graphfraud evaluate --er`.
// params: none
// mode: read
// used_by: graphfraud evaluate --er, ui data page
MATCH (m:NameMention)-[r:SAME_AS]->(t:Trader)
RETURN m.mention_id AS mention_id, m.source AS source, m.field AS field,
       m.source_row AS source_row, m.text AS text, t.trader_id AS trader_id,
       r.score AS score, r.status AS status, r.method AS method, r.evidence AS evidence
ORDER BY mention_id, trader_id
