// name: gds_graph_drop
// purpose: drop a projection from the GDS catalog; no error if it is gone already
//   (Neo4j with Graph Data Science only).
// params:
//   graph_name (string): the projection's catalog name
// mode: read
// used_by: graphfraud.detect.gds, bench detection
CALL gds.graph.drop($graph_name, false) YIELD graphName
RETURN graphName AS graph_name
