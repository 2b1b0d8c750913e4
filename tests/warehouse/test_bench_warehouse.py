"""The warehouse benchmark's generator, at a size that runs in seconds."""

import importlib.util
import subprocess
import sys

import duckdb

from pipeline.warehouse.publish import publish
from pipeline.warehouse.queries import list_queries, run_query
from pipeline.warehouse.storage import SQL_DIR, connect_published, work_path

_SPEC = importlib.util.spec_from_file_location(
    "bench_warehouse", SQL_DIR.parent / "bench" / "warehouse.py"
)
warehouse = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(warehouse)


def test_generated_warehouse_has_the_real_shape_and_every_query_runs(tmp_path):
    db = tmp_path / "w.duckdb"
    generated = warehouse.generate(db, 2000, 10, 1, 600)

    stored = generated["stored"]
    assert stored["articles"] == 2000
    assert 15_000 < stored["mentions"] < 25_000
    assert stored["reviews"] >= 100
    kinds = generated["kinds"]
    assert kinds["location"] > kinds["official"] > kinds["cluster"] > kinds["funding"]
    with duckdb.connect(str(work_path(db)), read_only=True) as con:
        assert con.execute(
            "SELECT count(*) FILTER (WHERE substr(a.text, m.start + 1, m.end - m.start) <> m.text),"
            " count(DISTINCT m.mention_id) = count(*)"
            " FROM mentions AS m JOIN articles AS a USING (article_id)"
        ).fetchone() == (0, True)
        prefixes = con.execute(
            "SELECT kind, list(DISTINCT split_part(entity_id, ':', 1)) FROM mentions"
            " WHERE entity_id IS NOT NULL GROUP BY kind ORDER BY kind"
        ).fetchall()
        assert prefixes == [
            ("cluster", ["cluster"]),
            ("location", ["place"]),
            ("official", ["person"]),
        ]
        assert con.execute(
            "SELECT count(*) FROM mentions WHERE kind = 'funding'"
            " AND (funder_ids IS NULL OR NOT starts_with(funder_ids[1], 'funder:'))"
        ).fetchone() == (0,)

    publish(db)
    with connect_published(db) as con:
        statuses = dict(
            con.execute(
                "SELECT review_status, count(*) FROM reviewed_mentions GROUP BY ALL"
            ).fetchall()
        )
        assert {"accepted", "corrected", "unreviewed"} <= set(statuses)
        for query in list_queries():
            columns, rows = run_query(con, query)
            assert columns, query.name
            if query.name not in ("co_mentions",):  # no cluster named: nothing to show
                assert rows, query.name


def test_the_desk_benchmark_takes_the_generators_arguments_and_its_own():
    """bench/review_desk.py builds on the generator's parser: one set of size arguments."""
    defaults = vars(warehouse.generation_parser("").parse_args([]))
    assert defaults == {
        "articles": 1_000_000,
        "mentions_per_article": 10,
        "years": 5,
        "text_chars": 1500,
        "dir": None,
        "keep": False,
    }
    helped = subprocess.run(
        [sys.executable, str(SQL_DIR.parent / "bench" / "review_desk.py"), "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for option in ("--articles", "--text-chars", "--dir", "--keep", "--decisions", "--think"):
        assert helped.count(option) == 2, option  # in the usage line and the options, once each
