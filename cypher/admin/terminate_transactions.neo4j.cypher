// name: terminate_transactions
// purpose: end the running transactions with these ids at the engine (a query over its time-out, or cancelled by the user).
// params:
//   ids (list): transaction ids from transactions_tagged
// mode: write
// used_by: store watchdog and cancel (graphfraud.store.neo4j_store)
TERMINATE TRANSACTIONS $ids
YIELD transactionId, message
RETURN transactionId, message
