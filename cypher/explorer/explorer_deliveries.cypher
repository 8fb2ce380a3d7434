// name: explorer_deliveries
// purpose: each ingested delivery (dataset directory) with its path, load times and files.
// params: none
// mode: read
// used_by: ui data page
MATCH (d:Delivery)
RETURN d.delivery_id AS delivery, d.path AS path, d.first_loaded_at AS first_loaded_at,
       d.last_loaded_at AS last_loaded_at, d.files AS files
ORDER BY last_loaded_at DESC
