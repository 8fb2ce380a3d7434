// name: terminate_transactions
// purpose: the embedded engine cannot end one query; nothing to run (its watchdog restarts a wedged server instead, see graphfraud.store.falkordb_store).
// params:
//   ids (list): transaction ids (always empty on this engine)
// mode: write
// used_by: store watchdog and cancel
UNWIND $ids AS transactionId
RETURN transactionId, 'not supported' AS message
