// name: transactions_tagged
// purpose: the engine's ids of the running transactions a GraphFraud query tagged, so the
//   watchdog or a cancel can end them.
// pair: Neo4j lists them with SHOW TRANSACTIONS (Community too); the embedded engine has no
//   transaction list, so it gives no ids (its watchdog probes the workers instead, see
//   graphfraud.store.falkordb_store).
// params:
//   query_id (string): the tag GraphFraud put in the transaction's metadata (unused by the embedded engine)
// mode: read
// used_by: store watchdog and cancel (graphfraud.store.neo4j_store)
SHOW TRANSACTIONS YIELD transactionId, metaData
WHERE metaData.graphfraud_query = $query_id
RETURN transactionId
