from datetime import UTC, date, datetime

import duckdb
import pytest

from pipeline.errors import UserError
from pipeline.warehouse.storage import (
    check_writable,
    connect_published,
    connect_work,
    read_partition,
    read_sql,
    replace_fetch_log,
    replace_partition,
    work_path,
)

DAY = date(2026, 11, 4)


def _article(article_id: str, day: date = DAY) -> dict:
    return {
        "article_id": article_id,
        "partition_date": day,
        "url": f"https://exemple.fr/{article_id}",
        "source": "courrier",
        "title": "Le pôle Valorial fête ses vingt ans",
        "published_at": datetime(2026, 11, 4, 7, 30, tzinfo=UTC),
        "text": "Le pôle Valorial a réuni ses adhérents à Rennes.",
        "n_chars": 48,
    }


def test_work_database_sits_beside_the_published_one(tmp_path):
    assert work_path(tmp_path / "veille.duckdb") == tmp_path / "veille.work.duckdb"


def test_replacing_a_partition_twice_keeps_one_copy(tmp_path):
    db = tmp_path / "veille.duckdb"
    rows = [_article("a1"), _article("a2")]
    with connect_work(db) as con:
        replace_partition(con, "articles", DAY, rows)
        replace_partition(con, "articles", DAY, rows)
        replace_partition(con, "articles", date(2026, 11, 5), [_article("b1", date(2026, 11, 5))])
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (3,)
        again = read_partition(con, "articles", DAY)
    assert sorted(r["article_id"] for r in again) == ["a1", "a2"]
    assert again[0]["title"] == "Le pôle Valorial fête ses vingt ans"


def test_an_article_that_moves_day_is_not_kept_twice(tmp_path):
    with connect_work(tmp_path / "v.duckdb") as con:
        replace_partition(con, "articles", DAY, [_article("a1")])
        replace_partition(con, "articles", date(2026, 11, 5), [_article("a1", date(2026, 11, 5))])
        assert con.execute("SELECT partition_date FROM articles").fetchall() == [
            (date(2026, 11, 5),)
        ]


def test_a_failed_load_leaves_the_previous_rows(tmp_path):
    with connect_work(tmp_path / "v.duckdb") as con:
        replace_partition(con, "articles", DAY, [_article("a1")])
        broken = _article("a2")
        broken["text"] = None  # violates NOT NULL
        with pytest.raises(duckdb.ConstraintException):
            replace_partition(con, "articles", DAY, [broken])
        assert [r["article_id"] for r in read_partition(con, "articles", DAY)] == ["a1"]


def test_fetch_log_is_replaced_per_step(tmp_path):
    row = {
        "partition_date": DAY,
        "source": "s",
        "url": "u",
        "status": 404,
        "ok": False,
        "reason": "HTTP 404",
    }
    with connect_work(tmp_path / "v.duckdb") as con:
        replace_fetch_log(con, DAY, "feed", [{**row, "kind": "feed"}])
        replace_fetch_log(con, DAY, "page", [{**row, "kind": "page"}] * 2)
        replace_fetch_log(con, DAY, "page", [{**row, "kind": "page"}])
        kinds = con.execute("SELECT kind, count(*) FROM fetch_log GROUP BY 1 ORDER BY 1").fetchall()
    assert kinds == [("feed", 1), ("page", 1)]


def test_unwritable_locations_are_user_errors(tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    with pytest.raises(UserError, match="is not a folder"):
        check_writable(a_file / "data" / "veille.duckdb")
    # /proc refuses new files even to root.
    with pytest.raises(UserError, match="cannot write the database"):
        check_writable("/proc/veille-test/veille.duckdb")
    check_writable(tmp_path / "new" / "veille.duckdb")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]
    with (
        pytest.raises(UserError, match="no database"),
        connect_published(tmp_path / "absent.duckdb"),
    ):
        pass


def test_an_include_line_stands_for_the_shared_file():
    """The columns of a mention added by hand are written once and read by both statements that
    build such rows: the published ones and the desk's live ones."""
    shared = read_sql("review/added_mention_columns.sql").rstrip("\n")
    for name in ("review_state.sql", "review/live_state.sql"):
        text = read_sql(name)
        assert "-- include:" not in text and text.count(shared) == 1
    with duckdb.connect() as con:
        con.execute(
            "CREATE TABLE reviews AS SELECT 'm1' AS mention_id, 'a1' AS article_id, "
            "'funding' AS kind, ? AS payload",
            ['{"text": "2 M€", "start": "4", "amount_eur": "2000000", "recipient": "Valorial"}'],
        )
        con.execute(
            "CREATE TABLE articles AS SELECT 'a1' AS article_id, DATE '2026-11-04' AS "
            "partition_date, 'ouest' AS source, NULL AS duplicate_of;"
            "CREATE TABLE regions AS SELECT 'a1' AS article_id, 'Bretagne' AS article_region"
        )
        row = con.execute(
            f"SELECT {read_sql('review/added_mention_columns.sql')} FROM reviews AS r "
            "JOIN articles AS a USING (article_id) JOIN regions AS g USING (article_id)"
        ).fetchone()
    assert row == ("m1", "a1", DAY, "funding", "2 M€", 4, None, None, None, None, 2e6, None,
                   "Valorial", None, None, None, "review", "ouest", None, "Bretagne")  # fmt: skip
