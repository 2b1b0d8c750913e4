"""Cluster mentions (pôles de compétitivité, clusters, grappes, networks of clusters)."""

from pipeline.nlp.clusters.clusters import ClusterEntry, canonical_cluster

__all__ = ["ClusterEntry", "canonical_cluster"]
