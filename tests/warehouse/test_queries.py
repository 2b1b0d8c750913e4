import re
from datetime import date

import duckdb
import pytest

from pipeline.errors import UserError
from pipeline.warehouse.publish import build_analyst_objects
from pipeline.warehouse.queries import format_rows, get_query, list_queries, run_query, view_queries
from pipeline.warehouse.storage import SQL_DIR


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
    assert table.splitlines()[-1] == "Pôle Mer Méditerranée         1"  # numbers to the right
    assert format_rows(columns, rows, "csv").splitlines() == [
        "cluster,articles",
        "Minalogic,3",
        "Pôle Mer Méditerranée,1",
    ]
    assert (
        format_rows(columns, rows, "json").splitlines()[1]
        == '{"cluster": "Pôle Mer Méditerranée", "articles": 1}'
    )


def test_the_table_keeps_one_line_per_row_and_reads_amounts_and_quarters():
    columns = ["quarter", "region", "total_eur", "share", "quote"]
    rows = [
        (date(2026, 10, 1), "Bretagne", 1_200_000_000.0, 1 / 3, "« Nous avons\nsigné »\r\n"),
        (date(2026, 4, 1), None, 87_500.0, 0.25, "Oui"),
    ]
    lines = format_rows(columns, rows).splitlines()
    assert len(lines) == 4
    assert lines[2].split("  ")[0] == "2026-Q4"
    assert "1 200 000 000" in lines[2] and "0.333" in lines[2]
    assert lines[2].endswith("« Nous avons signé »")
    assert lines[3].startswith("2026-Q2") and "       87 500" in lines[3]
    # CSV and JSON keep the values themselves.
    assert '"« Nous avons\nsigné »\r\n"' in format_rows(columns, rows, "csv")
    assert '"total_eur": 1200000000.0' in format_rows(columns, rows, "json")


@pytest.mark.parametrize(
    ("name", "key", "value", "expected"),
    [
        ("top_clusters", "limit", "-1", "limit must be a whole number from 1 to 1000000, not '-1'"),
        ("top_clusters", "limit", "99999999999", "limit must be a whole number from 1"),
        ("funding_events", "limit", "0", "limit must be a whole number from 1"),
        ("rising_clusters", "min_articles", "-2", "min_articles must be a whole number from 0"),
        ("funding_totals", "from", "2026-13-45", "from must be a day, YYYY-MM-DD"),
        ("top_funding", "to", "30/11/2026", "to must be a day, YYYY-MM-DD"),
        ("rising_clusters", "as_of", "yesterday", "as_of must be a day, YYYY-MM-DD"),
        ("rising_clusters", "as_of", "2026-99-01", "as_of must be a day, YYYY-MM-DD"),
        ("rising_clusters", "period", "decade", "period must be one of week, month, quarter, year"),
        ("cluster_trend", "period", "Year", "period must be one of week, month, quarter, year"),
    ],
)
def test_every_parameter_is_checked_before_the_query_runs(tmp_path, name, key, value, expected):
    con = _empty_warehouse(tmp_path)
    with pytest.raises(UserError, match=re.escape(expected)) as error:
        run_query(con, get_query(name), {key: value})
    assert "\n" not in str(error.value)


def test_good_values_run(tmp_path):
    con = _empty_warehouse(tmp_path)
    for name, values in [
        ("rising_clusters", {"period": "year", "as_of": "2026-11-15", "min_articles": "0"}),
        ("funding_totals", {"by": "quarter", "from": "2026-01-01", "to": ""}),
        ("top_clusters", {"limit": "1000000"}),
    ]:
        columns, rows = run_query(con, get_query(name), values)
        assert columns and rows == []


def test_each_view_and_table_has_its_own_full_description():
    described = {q.name: q for q in view_queries()}
    weekly, monthly = described["cluster_weekly"], described["cluster_monthly"]
    assert weekly.kind == monthly.kind == "view"
    assert "week" in weekly.description and "month" in monthly.description
    assert weekly.description != monthly.description
    assert described["entity_activity"].kind == "table"
    assert described["funding_events"].kind == "table"
    assert described["funding_events"].description.endswith("sum only counted events.")
    for query in described.values():
        assert not query.description.startswith(query.name), query.name
        assert "Example:" not in query.description, query.name
    assert len({q.description for q in described.values()}) == len(described)
    share = get_query("share_of_voice")
    assert share.description.endswith("share of the articles that name officials.")


def test_top_officials_break_ties_by_use_and_recency_not_by_name(tmp_path):
    """What the run summary's "Top officials" prints: two officials named once each, in one
    article of one source; the one seen last comes first, though its name sorts after."""
    from pipeline.warehouse.storage import connect_published
    from tests.review_data import build_published

    db = build_published(tmp_path / "veille.duckdb")
    with connect_published(db) as con:
        columns, rows = run_query(con, get_query("top_officials"), {"limit": "8"})
    ranked = [(r[columns.index("name")], r[columns.index("articles")]) for r in rows]
    assert ranked == [("Marc Dupuis", 1), ("Anne Le Gall", 1)]
