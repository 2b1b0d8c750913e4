"""Funder ranker: the funder of each funding amount chosen among the funders around it."""
