// name: terminate_transactions
// purpose: end the running transactions with these ids at the engine (a query over its
//   time-out, or cancelled by the user).
// pair: Neo4j ends them with TERMINATE TRANSACTIONS; the embedded engine cannot end one
//   query, so nothing runs there and each id comes back 'not supported' (its watchdog
//   restarts a wedged server instead, see graphfraud.store.falkordb_store).
// params:
//   ids (list): transaction ids from transactions_tagged (always empty on the embedded engine)
// mode: write
// used_by: store watchdog and cancel (graphfraud.store.neo4j_store)
TERMINATE TRANSACTIONS $ids
YIELD transactionId, message
RETURN transactionId, message
