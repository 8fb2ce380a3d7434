// name: link_trader_addresses
// purpose: create or update each trader's registered address and the REGISTERED_AT link.
// params:
//   rows (list): maps with trader_id, address_key and addr (the address's properties)
//   source (string): the source file name
//   delivery (string): the delivery id
// mode: write
// used_by: ingest.traders (TraderLoader), tests
UNWIND $rows AS row
MATCH (t:Trader {trader_id: row.trader_id})
MERGE (a:Address {address_key: row.address_key})
SET a += row.addr,
    a.legal_basis = 'register',
    a.sources = CASE WHEN $source IN coalesce(a.sources, []) THEN a.sources
                     ELSE coalesce(a.sources, []) + $source END,
    a.deliveries = CASE WHEN $delivery IN coalesce(a.deliveries, []) THEN a.deliveries
                        ELSE coalesce(a.deliveries, []) + $delivery END
MERGE (t)-[r:REGISTERED_AT]->(a)
SET r.legal_basis = 'register',
    r.sources = CASE WHEN $source IN coalesce(r.sources, []) THEN r.sources
                     ELSE coalesce(r.sources, []) + $source END
