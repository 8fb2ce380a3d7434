// name: schema_indexes
// purpose: the indexes present, to check that applying the schema twice changes nothing.
// params: none
// mode: read
// used_by: graphfraud.store (schema_snapshot, apply_schema), tests
CALL db.indexes() YIELD label, properties, types, entitytype
RETURN label, properties, types, entitytype
ORDER BY label
