// name: await_indexes
// purpose: wait until every index is online, so a bulk-loaded graph is queried at full
//   speed from its first query (Neo4j only: FalkorDB builds an index when it is made).
// params:
//   timeout_s (integer): seconds to wait at most; the call fails past them
// mode: read
// used_by: graphfraud.store.neo4j_store (await_indexes), ingest.bulk_neo4j
CALL db.awaitIndexes($timeout_s)
