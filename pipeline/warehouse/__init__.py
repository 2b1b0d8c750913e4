"""The warehouse: the working DuckDB database, the published snapshot and what reads
it (named queries, report, Parquet, the shared lake), and the review store publish applies.
"""
