// name: explorer_nodes_per_delivery
// purpose: how many nodes of each label each delivery brought (provenance `deliveries`).
// params: none
// mode: read
// used_by: ingest/deliveries.py (once at the end of an ingest); ui data page when no
//   delivery has been counted yet (a graph loaded before counts were kept)
MATCH (n)
WHERE n.deliveries IS NOT NULL
UNWIND n.deliveries AS delivery
RETURN delivery, labels(n)[0] AS label, count(*) AS nodes
ORDER BY delivery, label
