// name: gds_version
// purpose: the Graph Data Science version, to tell whether GDS is present (Neo4j only).
// params: none
// mode: read
// used_by: graphfraud.detect.gds
CALL gds.version() YIELD gdsVersion
RETURN gdsVersion AS version
