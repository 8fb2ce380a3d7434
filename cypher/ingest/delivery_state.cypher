// name: delivery_state
// purpose: whether a run of this delivery wrote its Delivery node before (then its nodes
//   are counted by the scan) and how many deliveries have no counts kept yet.
// params:
//   delivery (string): the delivery id
// mode: read
// used_by: ingest/deliveries.py (before the first row of an ingest)
OPTIONAL MATCH (d:Delivery)
WITH collect(d) AS ds
RETURN size([d IN ds WHERE d.delivery_id = $delivery]) > 0 AS known,
       size([d IN ds WHERE d.count_labels IS NULL AND d.delivery_id <> $delivery]) AS uncounted
