// name: explorer_nodes_per_delivery
// purpose: how many nodes of each label each delivery brought (provenance `deliveries`).
// params: none
// mode: read
// used_by: ui data page
MATCH (n)
WHERE n.deliveries IS NOT NULL
UNWIND n.deliveries AS delivery
RETURN delivery, labels(n)[0] AS label, count(*) AS nodes
ORDER BY delivery, label
