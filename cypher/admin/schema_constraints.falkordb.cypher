// name: schema_constraints
// purpose: the constraints present, to check that applying the schema twice changes nothing.
// params: none
// mode: read
// used_by: graphfraud.store (schema_snapshot, apply_schema), tests
CALL db.constraints() YIELD type, label, properties, entitytype, status
RETURN type, label, properties, entitytype, status
ORDER BY label, type
