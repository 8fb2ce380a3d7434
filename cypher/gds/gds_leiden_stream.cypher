// name: gds_leiden_stream
// purpose: Leiden communities (modularity, weighted) of a projection, one row per node
//   (Neo4j with Graph Data Science only).
// params:
//   graph_name (string): the projection's catalog name
//   seed (int): random seed (runs with concurrency 1, so the result is reproducible)
//   max_levels (int, default 10): most levels of aggregation
// mode: read
// used_by: graphfraud.detect.gds, bench detection
CALL gds.leiden.stream($graph_name, {relationshipWeightProperty: 'weight',
                                     randomSeed: $seed, concurrency: 1,
                                     maxLevels: $max_levels, gamma: 1.0, theta: 0.01,
                                     tolerance: 0.0001})
YIELD nodeId, communityId
RETURN nodeId AS node, communityId AS community
