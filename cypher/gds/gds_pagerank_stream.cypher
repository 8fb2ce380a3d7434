// name: gds_pagerank_stream
// purpose: weighted PageRank of a projection, one row per node (Neo4j with Graph Data
//   Science only). GDS scores are not normalised: divide by their sum to compare.
// params:
//   graph_name (string): the projection's catalog name
//   damping (float, default 0.85): damping factor
//   tolerance (float, default 1e-10): stop when no score changes more than this
//   max_iterations (int, default 1000): most iterations
// mode: read
// used_by: graphfraud.detect.gds, bench detection
CALL gds.pageRank.stream($graph_name, {relationshipWeightProperty: 'weight',
                                       dampingFactor: $damping, tolerance: $tolerance,
                                       maxIterations: $max_iterations, concurrency: 1})
YIELD nodeId, score
RETURN nodeId AS node, score
