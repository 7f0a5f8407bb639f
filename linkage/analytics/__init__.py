"""Linkage analytics over the resolved entity graph: search, linked entities, paths, linked
venues, networks (community detection), flags and exports. Algorithms run in networkx on a
projection of the store (projection.py); the same questions are written as named Cypher in
cypher/analytics/ for analysts using Neo4j Browser."""
