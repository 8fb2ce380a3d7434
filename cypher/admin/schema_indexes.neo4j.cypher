// name: schema_indexes
// purpose: the indexes present, to check that applying the schema twice changes nothing.
// pair: each engine lists its schema with its own command and columns (Neo4j: SHOW
//   INDEXES; FalkorDB: CALL db.indexes()).
// params: none
// mode: read
// used_by: graphfraud.store (schema_snapshot; FalkorDB also apply_schema), tests,
//   `graphfraud schema --show`
SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties
RETURN name, type, entityType, labelsOrTypes, properties
ORDER BY name
