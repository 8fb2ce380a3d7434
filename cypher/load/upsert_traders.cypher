// name: upsert_traders
// purpose: create or update traders by trader_id from traders.csv rows; idempotent.
// params:
//   rows (list): maps with trader_id and props (a map of the trader's properties)
//   source (string): the source file name, added to the node's sources
//   delivery (string): the delivery id, added to the node's deliveries
// mode: write
// used_by: ingest.traders (TraderLoader), tests
UNWIND $rows AS row
MERGE (t:Trader {trader_id: row.trader_id})
SET t += row.props,
    t.legal_basis = 'register',
    t.sources = CASE WHEN $source IN coalesce(t.sources, []) THEN t.sources
                     ELSE coalesce(t.sources, []) + $source END,
    t.deliveries = CASE WHEN $delivery IN coalesce(t.deliveries, []) THEN t.deliveries
                        ELSE coalesce(t.deliveries, []) + $delivery END
