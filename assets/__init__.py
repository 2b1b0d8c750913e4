"""The Dagster layer: assets, resources, checks and schedule over the `pipeline` library."""
