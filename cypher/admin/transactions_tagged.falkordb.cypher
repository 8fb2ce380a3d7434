// name: transactions_tagged
// purpose: the embedded engine has no transaction list; no ids (its watchdog probes the workers instead, see graphfraud.store.falkordb_store).
// params:
//   query_id (string): the tag GraphFraud gave the query (unused here)
// mode: read
// used_by: store watchdog and cancel
UNWIND [] AS transactionId
RETURN transactionId
