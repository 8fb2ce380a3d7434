"""Servers GraphFraud runs itself: the embedded FalkorDB and the local Neo4j."""
