"""veille's domain library: sources, fetching, text extraction, NLP and storage (no Dagster)."""
