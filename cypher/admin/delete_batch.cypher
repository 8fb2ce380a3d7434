// name: delete_batch
// purpose: delete up to $batch nodes with their relationships; called until it deletes
//   none, so a large graph is cleared in bounded transactions.
// params:
//   batch (int, default 10000): nodes deleted per call
// mode: write
// used_by: graphfraud.store (clear), `graphfraud ingest --fresh`, tests
MATCH (n)
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted
