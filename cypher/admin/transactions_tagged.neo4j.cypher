// name: transactions_tagged
// purpose: the engine's ids of the running transactions a GraphFraud query tagged, so the watchdog or a cancel can end them (Neo4j: SHOW TRANSACTIONS, Community too).
// params:
//   query_id (string): the tag GraphFraud put in the transaction's metadata
// mode: read
// used_by: store watchdog and cancel (graphfraud.store.neo4j_store)
SHOW TRANSACTIONS YIELD transactionId, metaData
WHERE metaData.graphfraud_query = $query_id
RETURN transactionId
