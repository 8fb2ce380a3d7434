// name: gds_louvain_stream
// purpose: Louvain communities (modularity, weighted) of a projection, one row per node
//   (Neo4j with Graph Data Science only). GDS Louvain takes no random seed: it runs with
//   concurrency 1, which makes it reproducible.
// params:
//   graph_name (string): the projection's catalog name
//   max_levels (int, default 10): most levels of aggregation
// mode: read
// used_by: graphfraud.detect.gds, bench detection
CALL gds.louvain.stream($graph_name, {relationshipWeightProperty: 'weight',
                                      concurrency: 1,
                                      maxLevels: $max_levels, tolerance: 0.0001})
YIELD nodeId, communityId
RETURN nodeId AS node, communityId AS community
