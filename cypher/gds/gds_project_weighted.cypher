// name: gds_project_weighted
// purpose: project a weighted undirected graph given as an edge list into the GDS
//   catalog (Neo4j with Graph Data Science only). Nodes are integer ids chosen by the
//   caller; parallel edges must already be merged and self-loops dropped.
// params:
//   graph_name (string): catalog name of the projection (drop it afterwards)
//   edges (list): maps with source (int), target (int), weight (float)
// mode: read
// used_by: graphfraud.detect.gds, bench detection, tests/detect/test_gds_parity.py
UNWIND $edges AS e
WITH gds.graph.project($graph_name, e.source, e.target,
       {relationshipProperties: {weight: toFloat(e.weight)}},
       {undirectedRelationshipTypes: ['*']}) AS g
RETURN g.graphName AS graph_name, g.nodeCount AS node_count,
       g.relationshipCount AS relationship_count, g.projectMillis AS project_millis
