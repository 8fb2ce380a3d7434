// name: signal_check_lines
// purpose: retail check lines with findings, the outlet, where it is, and the supplier
//   the shopkeeper named (by id, or resolved by entity resolution); `candidates` are the
//   traders entity resolution only proposed for review (status 'candidate'), which the
//   retail supply-chain detector weighs as weaker evidence.
// params: none
// mode: read
// used_by: graphfraud.detect (retail supply chain, networks, factory sites nearby)
MATCH (c:RetailCheck)-[:HAS_CHECK_LINE]->(l:CheckLine)
OPTIONAL MATCH (c)-[:AT_OUTLET]->(o:Trader)
OPTIONAL MATCH (o)-[:REGISTERED_AT]->(a:Address)
OPTIONAL MATCH (l)-[:STATED_SUPPLIER]->(s1:Trader)
OPTIONAL MATCH (l)<-[:NAMED_IN]-(:NameMention)-[r:SAME_AS]->(s2:Trader)
WHERE r.status = 'linked'
OPTIONAL MATCH (l)<-[:NAMED_IN]-(:NameMention)-[rc:SAME_AS]->(s3:Trader)
WHERE rc.status = 'candidate'
WITH c, l, o, a, coalesce(s1.trader_id, s2.trader_id) AS supplier,
     collect(DISTINCT s3.trader_id) AS candidates
RETURN c.check_id AS check_id, l.line_id AS line_id, c.checked_on AS checked_on,
       c.outcome AS outcome, l.classification AS classification, l.brand AS brand,
       l.product AS product, l.quantity AS quantity, o.trader_id AS outlet,
       a.city AS city, a.lat AS lat, a.lon AS lon, supplier, candidates
ORDER BY line_id
