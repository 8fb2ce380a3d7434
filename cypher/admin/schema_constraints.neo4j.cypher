// name: schema_constraints
// purpose: the constraints present, to check that applying the schema twice changes nothing.
// params: none
// mode: read
// used_by: graphfraud.store (schema_snapshot), tests
SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties
RETURN name, type, entityType, labelsOrTypes, properties
ORDER BY name
