// name: schema_indexes
// purpose: the indexes present, to check that applying the schema twice changes nothing.
// params: none
// mode: read
// used_by: graphfraud.store (schema_snapshot), tests, `graphfraud schema --show`
SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties
RETURN name, type, entityType, labelsOrTypes, properties
ORDER BY name
