// name: explorer_delivery_counts
// purpose: nodes per label per delivery as counted at the end of each ingest (kept on the
//   Delivery nodes by ingest/deliveries.py), so the data page need not scan the graph.
// params: none
// mode: read
// used_by: ui data page
MATCH (d:Delivery)
WHERE d.count_labels IS NOT NULL
UNWIND range(0, size(d.count_labels) - 1) AS i
RETURN d.delivery_id AS delivery, d.count_labels[i] AS label, d.count_nodes[i] AS nodes
ORDER BY delivery, label
