// name: schema_constraints
// purpose: the constraints present, to check that applying the schema twice changes nothing.
// pair: each engine lists its schema with its own command and columns (Neo4j: SHOW
//   CONSTRAINTS; FalkorDB: CALL db.constraints()).
// params: none
// mode: read
// used_by: graphfraud.store (schema_snapshot; FalkorDB also apply_schema), tests
CALL db.constraints() YIELD type, label, properties, entitytype, status
RETURN type, label, properties, entitytype, status
ORDER BY label, type
