import duckdb
import pytest

from pipeline.errors import UserError
from pipeline.queries import format_rows, get_query, list_queries, run_query
from pipeline.storage import SQL_DIR


def test_every_query_file_has_a_description_and_runs_on_an_empty_database(tmp_path):
    con = duckdb.connect(str(tmp_path / "q.duckdb"))
    con.execute((SQL_DIR / "schema.sql").read_text())
    for view in sorted((SQL_DIR / "views").glob("*.sql")):
        con.execute(view.read_text())
    queries = list_queries()
    assert {"top_clusters", "top_officials", "top_funding", "articles_per_source"} <= {
        q.name for q in queries
    }
    for query in queries:
        assert query.description, query.name
        columns, rows = run_query(con, query)
        assert columns and rows == []


def test_every_view_file_starts_with_a_comment_naming_it_and_an_example():
    for view in sorted((SQL_DIR / "views").glob("*.sql")):
        lines = view.read_text().splitlines()
        assert lines[0].startswith(f"-- {view.stem}:"), view.name
        assert any(line.startswith("-- Example:") for line in lines), view.name


def test_parameters_are_bound_and_unknown_ones_refused():
    con = duckdb.connect()
    con.execute((SQL_DIR / "schema.sql").read_text())
    con.execute((SQL_DIR / "views" / "cluster_mentions.sql").read_text())
    query = get_query("top_clusters")
    assert query.params == {"limit": "10"}
    with pytest.raises(UserError, match="no parameter"):
        run_query(con, query, {"cluster": "x"})
    with pytest.raises(UserError, match="no query named 'nope'"):
        get_query("nope")


def test_formats():
    columns, rows = ["cluster", "articles"], [("Minalogic", 3), ("Pôle Mer Méditerranée", 1)]
    table = format_rows(columns, rows)
    assert table.splitlines()[0].split() == ["cluster", "articles"]
    assert "Pôle Mer Méditerranée  1" in table
    assert format_rows(columns, rows, "csv").splitlines() == [
        "cluster,articles",
        "Minalogic,3",
        "Pôle Mer Méditerranée,1",
    ]
    assert (
        format_rows(columns, rows, "json").splitlines()[1]
        == '{"cluster": "Pôle Mer Méditerranée", "articles": 1}'
    )
