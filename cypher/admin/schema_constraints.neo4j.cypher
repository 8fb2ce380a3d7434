// name: schema_constraints
// purpose: the constraints present, to check that applying the schema twice changes nothing.
// pair: each engine lists its schema with its own command and columns (Neo4j: SHOW
//   CONSTRAINTS; FalkorDB: CALL db.constraints()).
// params: none
// mode: read
// used_by: graphfraud.store (schema_snapshot; FalkorDB also apply_schema), tests
SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties
RETURN name, type, entityType, labelsOrTypes, properties
ORDER BY name
