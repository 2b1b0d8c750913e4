import duckdb
import pytest

from pipeline.errors import UserError
from pipeline.publish import build_analyst_objects
from pipeline.queries import format_rows, get_query, list_queries, run_query, view_queries
from pipeline.storage import SQL_DIR


def _empty_warehouse(tmp_path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / "q.duckdb"))
    con.execute((SQL_DIR / "schema.sql").read_text())
    build_analyst_objects(con)
    return con


def test_every_query_and_view_has_a_description_and_runs_on_an_empty_database(tmp_path):
    con = _empty_warehouse(tmp_path)
    queries = list_queries()
    names = {q.name for q in queries}
    assert {"top_clusters", "rising_clusters", "share_of_voice", "funding_totals"} <= names
    assert {"cluster_weekly", "cluster_monthly", "official_quotes", "source_health"} <= names
    for query in queries:
        assert query.description, query.name
        columns, rows = run_query(con, query)
        assert columns and rows == [], query.name


def test_every_view_file_starts_with_a_comment_naming_its_views_and_an_example():
    for view in sorted((SQL_DIR / "views").glob("*.sql")):
        lines = view.read_text().splitlines()
        header = lines[0].removeprefix("-- ").split(":")[0]
        names = {q.name for q in view_queries() if q.sql and f'"{q.name}"' in q.sql}
        assert header.split(" / ")[0] in names, view.name
        assert any(line.startswith("-- Example:") for line in lines), view.name


def test_parameters_are_bound_and_unknown_ones_refused(tmp_path):
    con = _empty_warehouse(tmp_path)
    query = get_query("top_clusters")
    assert query.params == {"limit": "10"}
    with pytest.raises(UserError, match="no parameter cluster.*parameters: limit"):
        run_query(con, query, {"cluster": "x"})
    with pytest.raises(UserError, match="no query named 'nope'.*top_clusters"):
        get_query("nope")


def test_values_with_quotes_or_sql_are_values(tmp_path):
    con = _empty_warehouse(tmp_path)
    con.execute(
        'INSERT INTO mentions (mention_id, article_id, partition_date, kind, text, "start",'
        " \"end\", name, entity_id, source) VALUES ('m1', 'a1', DATE '2026-11-04', 'cluster',"
        " 'x', 0, 1, 'Pôle d''Excellence''; DROP TABLE mentions; --', 'cluster:x', 's')"
    )
    build_analyst_objects(con)  # as a publish does after a load
    hostile = "Pôle d'Excellence'; DROP TABLE mentions; --"
    columns, rows = run_query(con, get_query("cluster_trend"), {"cluster": hostile})
    assert [r[columns.index("cluster")] for r in rows] == [hostile]
    columns, rows = run_query(con, get_query("cluster_trend"), {"cluster": "' OR 1=1 --"})
    assert rows == []
    assert con.execute("SELECT count(*) FROM mentions").fetchone() == (1,)


def test_choices_and_types_of_parameters_are_checked(tmp_path):
    con = _empty_warehouse(tmp_path)
    rising = get_query("rising_clusters")
    assert rising.choices["period"] == ("week", "month", "quarter", "year")
    with pytest.raises(UserError, match="period must be one of week, month"):
        run_query(con, rising, {"period": "fortnight"})
    with pytest.raises(UserError, match="limit must be a whole number"):
        run_query(con, get_query("top_clusters"), {"limit": "ten"})


def test_views_run_by_name_with_a_limit(tmp_path):
    con = _empty_warehouse(tmp_path)
    view = get_query("funding_events")
    assert view.is_view and view.params == {"limit": "100"}
    assert run_query(con, view, {"limit": "5"})[1] == []


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
