"""What the review desk shows: the queue, an article with its mentions, orphaned decisions.

Mentions and articles come from the published snapshot (read-only, replaced after each run);
decisions come live from the review store, so a decision shows at once, without waiting for a
publish. The mentions decided since the publish are computed again, as live rows, once per change
of the store and shared by every request, which lays them over the snapshot's published rows.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.errors import UserError
from pipeline.review.snapshot_pool import snapshot_session
from pipeline.warehouse.review_store import (
    CORRECTABLE,
    KINDS,
    Decision,
    changes_since,
    new_batch_id,
    store_version,
)
from pipeline.warehouse.storage import read_sql

PAGE_SIZE = 50
# The longest value a reviewer may give a field (a name, a role, an organisation...).
FIELD_LIMIT = 300
# The largest amount a correction may state: a thousand billion euros, far above any grant.
MAX_AMOUNT_EUR = 1e12
# The dates a filter may name: years the press archive can hold.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
_OPEN_LOCK = threading.Lock()
BULK_LIMIT = 1000
# The desk's status filter: a label's statuses (None: every status).
STATUS_FILTERS: dict[str, tuple[str, ...] | None] = {
    "unreviewed": ("unreviewed",),
    "validated": ("accepted", "corrected", "added"),
    "accepted": ("accepted",),
    "corrected": ("corrected",),
    "added": ("added",),
    "rejected": ("rejected",),
    "all": None,
}
VALIDATED = STATUS_FILTERS["validated"]
# Fields a reviewer may correct, by kind of mention (entity_id through the merge form).
FIELDS_BY_KIND = {
    "cluster": ("name",),
    "official": ("name", "role", "org"),
    "funding": ("amount_eur", "funder", "recipient", "instrument"),
    "location": ("name",),
    "quote": ("speaker",),
}


@dataclass(frozen=True)
class QueueFilter:
    """The desk's filters; None switches one off."""

    kind: str | None = None
    cluster: str | None = None
    region: str | None = None
    source: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    status: str = "unreviewed"
    q: str | None = None

    def params(self) -> dict[str, Any]:
        """The filter as the named parameters of `sql/review/queue.sql`."""
        statuses = STATUS_FILTERS[self.status]
        return {
            "kind": self.kind,
            "cluster": self.cluster,
            "region": self.region,
            "source": self.source,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "statuses": list(statuses) if statuses else None,
            "q": self.q,
        }

    def query_items(self) -> list[tuple[str, str]]:
        """The filter as URL query items (to keep it in links and forms)."""
        items = [
            (key, str(value))
            for key, value in (
                ("kind", self.kind),
                ("cluster", self.cluster),
                ("region", self.region),
                ("source", self.source),
                ("from", self.date_from),
                ("to", self.date_to),
                ("q", self.q),
            )
            if value
        ]
        return [*items, ("status", self.status)]


def parse_filter(params: Mapping[str, str]) -> QueueFilter:
    """A QueueFilter from URL or form parameters; ValueError (in French) on a bad value."""

    def text(key: str) -> str | None:
        value = (params.get(key) or "").strip()
        return value[:200] or None

    kind = text("kind")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"type de mention inconnu : {kind}")
    status = text("status") or "unreviewed"
    if status not in STATUS_FILTERS:
        raise ValueError(f"statut inconnu : {status}")
    return QueueFilter(
        kind=kind,
        cluster=text("cluster"),
        region=text("region"),
        source=text("source"),
        date_from=_day(text("from"), "du"),
        date_to=_day(text("to"), "au"),
        status=status,
        q=text("q"),
    )


def _day(value: str | None, label: str) -> date | None:
    return None if value is None else parse_day(value, label)


def parse_day(value: str, label: str | None = None) -> date:
    """An ISO day typed in the desk, within the years DuckDB and Python both handle; a French
    message names the field (`label`) when it is wrong."""
    name = f"date « {label} »" if label else "date"
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} invalide : {value[:40]} (AAAA-MM-JJ)") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{name} hors limites : entre {FIRST_DAY.year} et {LAST_DAY.year}")
    return day


@contextmanager
def open_live(db_path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The snapshot, read-only, with the review store's decisions since its publish applied: the
    `live_mentions`, `live_decisions` and `live_queue` views of `sql/review/live_overlay.sql`."""
    with ExitStack() as stack:
        # DuckDB 2.0 may miss its Arrow scan function when two threads open the same file at
        # once ("python_arrow_scan does not exist"): opening and registering are serialised.
        with _OPEN_LOCK:
            con, snapshot = stack.enter_context(snapshot_session(db_path))
            _check_snapshot(con, db_path)
        live = _live_changes(con, snapshot, db_path)
        with _OPEN_LOCK:
            con.register("store_decisions", live.decisions)
            con.register("store_latest", live.latest)
            con.register("live_changed", live.mentions)
            con.register("live_changed_queue", live.queue)
        con.execute(read_sql("review/live_overlay.sql"))
        yield con


def prepare_live(db_path: str | Path) -> None:
    """Compute the live rows of the mentions decided since the last computation, ahead of the
    requests to come: run once a decision has been answered, so that the next request finds
    them ready rather than computing them while its reviewer waits. A missing or unusable
    snapshot is left for that request to report."""
    with ExitStack() as stack:
        try:
            with _OPEN_LOCK:
                con, snapshot = stack.enter_context(snapshot_session(db_path))
                _check_snapshot(con, db_path)
        except UserError:
            return
        _live_changes(con, snapshot, db_path)


@dataclass(frozen=True)
class LiveChanges:
    """What the review store changed since a snapshot's publish, up to decision `seen`: the
    decisions, the latest state of the mentions they touch (`store_latest`), and those mentions'
    live rows, whole (`mentions_as_reviewed` columns) and as queue rows (queue_rows.sql)."""

    snapshot: tuple[str, int, int]
    seen: int
    decisions: pa.Table
    latest: pa.Table
    mentions: pa.Table
    queue: pa.Table


_live: dict[str, LiveChanges] = {}
# One computation of the live rows at a time: the requests arriving meanwhile wait for its result.
_live_guard = threading.Lock()


def _live_changes(
    con: duckdb.DuckDBPyConnection, snapshot: tuple[str, int, int], db_path: str | Path
) -> LiveChanges:
    """The store's changes since the snapshot `con` reads was published, brought up to date when
    the store holds a newer decision than the last computation saw (one cheap read of the store
    per request otherwise). Only the mentions of the newer decisions are computed again."""
    version = store_version(db_path)
    with _live_guard:
        live = _live.get(snapshot[0])
        if live is None or live.snapshot != snapshot:
            [(published,)] = con.execute(
                "SELECT coalesce(max(decision_id), 0) FROM reviews"
            ).fetchall()
            live = _changes_for(con, None, snapshot, published, db_path)
        if version > live.seen:
            live = _changes_for(con, live, snapshot, live.seen, db_path)
        _live[snapshot[0]] = live
        return live


def _changes_for(
    con: duckdb.DuckDBPyConnection,
    known: LiveChanges | None,
    snapshot: tuple[str, int, int],
    since: int,
    db_path: str | Path,
) -> LiveChanges:
    """`known` with the decisions after `since` applied: their mentions' live rows computed by
    sql/review/live_state.sql, in a connection of their own to the same snapshot."""
    decisions, latest = changes_since(db_path, since)
    seen = max([since, *decisions.column("decision_id").to_pylist()])
    if known is not None and latest.num_rows == 0:
        return replace(known, seen=seen)
    with closing(con.cursor()) as work:
        work.execute(f"USE {_catalog(con)}")
        latest = _with_articles(work, latest)
        with _OPEN_LOCK:
            work.register("store_decisions", decisions.slice(0, 0))
            work.register("store_latest", latest)
        work.execute(live_state_sql(work))
        work.execute(read_sql("review/live_mentions.sql"))
        mentions = _live_rows(work, latest.column("mention_id").to_pylist())
        with _OPEN_LOCK:
            work.register("live_changed", mentions)
        queue_rows = read_sql("review/queue_rows.sql").replace(
            "FROM mentions_as_reviewed AS m", "FROM live_changed AS m"
        )
        queue = work.sql(queue_rows).to_arrow_table()
    if known is None:
        return LiveChanges(snapshot, seen, decisions, latest, mentions, queue)
    ids = latest.column("mention_id")

    def kept(table: pa.Table) -> pa.Table:
        return table.filter(pc.invert(pc.is_in(table.column("mention_id"), value_set=ids)))

    return LiveChanges(
        snapshot,
        seen,
        pa.concat_tables([known.decisions, decisions]),
        pa.concat_tables([kept(known.latest), latest]),
        pa.concat_tables([kept(known.mentions), mentions]),
        pa.concat_tables([kept(known.queue), queue]),
    )


# A mention id as the pipeline makes them (`pipeline.daily.mention_id`): hexadecimal digits.
_HEX_ID = re.compile(r"[0-9a-f]{1,64}")
# Up to this many mentions are looked up one by one; more, in lists of _IDS_PER_LOOKUP.
_ONE_BY_ONE = 8
_IDS_PER_LOOKUP = 500


def _live_rows(work: duckdb.DuckDBPyConnection, ids: list[str]) -> pa.Table:
    """The `live_mentions` rows of `ids`.

    A mention id compared for equality is found through the snapshot's index by mention id (about
    5 ms at 10 million mentions), where a list of ids makes DuckDB read the whole review state
    (50 to 80 ms): a few ids (one or two per new decision, usually) are looked up one by one, more
    as lists of constants. Those are written into the query, after checking that they are
    hexadecimal; any other id goes through a bound parameter (it is no id the pipeline makes)."""
    one = "SELECT * FROM live_mentions WHERE mention_id = $id"
    if not ids:
        return work.sql("SELECT * FROM live_mentions LIMIT 0").to_arrow_table()
    if len(ids) <= _ONE_BY_ONE:
        return pa.concat_tables([work.sql(one, params={"id": i}).to_arrow_table() for i in ids])
    plain = [i for i in ids if _HEX_ID.fullmatch(i)]
    parts = [
        work.sql(
            "SELECT * FROM live_mentions WHERE mention_id IN ("
            + ", ".join(f"'{i}'" for i in plain[start : start + _IDS_PER_LOOKUP])
            + ")"
        ).to_arrow_table()
        for start in range(0, len(plain), _IDS_PER_LOOKUP)
    ]
    parts += [
        work.sql(one, params={"id": i}).to_arrow_table() for i in ids if not _HEX_ID.fullmatch(i)
    ]
    return pa.concat_tables(parts)


def _catalog(con: duckdb.DuckDBPyConnection) -> str:
    [(catalog,)] = con.execute("SELECT current_database()").fetchall()
    return '"' + catalog.replace('"', '""') + '"'


def _with_articles(con: duckdb.DuckDBPyConnection, latest: pa.Table) -> pa.Table:
    """`latest` with the article of each mention whose decisions did not name it (decisions
    recorded outside the desk), looked up by mention id (indexed): the day comes from it."""
    articles = latest.column("article_id").to_pylist()
    if None not in articles:
        return latest
    for i, (mention_id, article_id) in enumerate(
        zip(latest.column("mention_id").to_pylist(), articles, strict=True)
    ):
        if article_id is None:
            found = con.execute(
                "SELECT article_id FROM mentions WHERE mention_id = ?", [mention_id]
            ).fetchall()
            articles[i] = found[0][0] if found else None
    index = latest.schema.get_field_index("article_id")
    return latest.set_column(index, "article_id", pa.array(articles, pa.string()))


_checked: set[tuple[str, int, int]] = set()


def _check_snapshot(con: duckdb.DuckDBPyConnection, db_path: str | Path) -> None:
    """Refuse a snapshot published by an older veille, without the review state's days or the
    desk's queue table (checked once per snapshot file)."""
    try:
        stat = Path(db_path).stat()
    except OSError:
        return  # replaced meanwhile: the connection holds the file it opened
    key = (str(db_path), stat.st_ino, stat.st_mtime_ns)
    if key in _checked:
        return
    [(found,)] = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() AND ("
        " (table_name = 'review_state' AND column_name = 'partition_date')"
        " OR (table_name = 'review_queue' AND column_name = 'search')"
        " OR (table_name = 'review_options' AND column_name = 'filter'))"
    ).fetchall()
    if found < 3:
        raise UserError(
            f"{db_path} was published by an older veille: rebuild it with `veille publish`"
        )
    _checked.add(key)


def live_state_sql(con: duckdb.DuckDBPyConnection) -> str:
    """sql/review/live_state.sql with `snapshot.` naming the catalog of `con`'s snapshot.

    The temporary views take the names of the snapshot's `review_state` and `added_mentions`,
    so the snapshot's own tables are reached through their catalog (a name DuckDB gives, quoted).
    """
    return read_sql("review/live_state.sql").replace("snapshot.main.", f"{_catalog(con)}.main.")


def fetch_dicts(
    con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Rows of a parameterised query as dicts."""
    cursor = con.execute(sql, dict(params or {}))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# The order of the queue: newest day and least confident first.
QUEUE_ORDER = (
    'm.day DESC, m.confidence ASC NULLS FIRST, m.published_at DESC, m.article_id, m."start"'
)
# Without dates, the queue shows the snapshot's last month: what a morning's review is about, and
# a bound on what each page reads however many years the warehouse holds. Dates widen it.
DEFAULT_WINDOW = timedelta(days=30)
# The days the queue counts first, from the newest of the filter's range; each further step counts
# the next, four times wider, slice of older days until the count and the page are settled. The
# newest slice is read whole (its count and its page together), so it is kept short: a few days
# usually hold the page and more than COUNT_CAP mentions, where a month made a search read every
# mention's text of the month (at 10 million mentions: 4 days 40-50 ms, 31 days 65-130 ms).
FIRST_SLICE_DAYS = 4


# The queue counts the mentions of a filter exactly up to COUNT_CAP; past it, it says "plus de
# 10 000" rather than count millions of rows at every page (nobody pages through them all).
COUNT_CAP = 10_000


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue: its rows, the mentions counted, and whether that count is exact
    (else more than COUNT_CAP match, and `total` is a lower bound)."""

    rows: list[dict[str, Any]]
    total: int
    exact: bool
    has_next: bool


def queue_page(
    con: duckdb.DuckDBPyConnection, flt: QueueFilter, limit: int = PAGE_SIZE, offset: int = 0
) -> QueuePage:
    """One page of the queue and how many mentions match the filter (exact up to COUNT_CAP).

    The queue's first order is the day, newest first. Matches are counted in slices of days going
    back from the newest of the filter's range (FIRST_SLICE_DAYS, then four times wider), each
    count stopping at the rows still wanted, until more than COUNT_CAP and than this page's rows
    are counted or the range is read. The page then comes from the newest slices that hold it
    (everything older sorts after them), and its rows by their ids: a filter over years reads its
    last days, not every match.
    """
    facts = snapshot_facts(con)
    newest = min(filter(None, (flt.date_to, facts["last_day"])), default=None)
    oldest = max(filter(None, (flt.date_from, facts["first_day"])), default=None)
    if newest is None or oldest is None or oldest > newest:
        return QueuePage([], 0, True, False)
    matching = read_sql("review/queue_matching.sql")
    wanted = max(COUNT_CAP, offset + limit) + 1
    counted, top, width, page_from = 0, newest, FIRST_SLICE_DAYS, oldest
    page: list[dict[str, Any]] | None = None
    while top >= oldest and counted < wanted:
        bottom = max(oldest, top - timedelta(days=width - 1))
        params = replace(flt, date_from=bottom, date_to=top).params()
        if top == newest:
            # The newest slice: its matches are read once, for their count and for the page
            # they hold (the whole page when they reach its last row, or when the range ends).
            found, rows = _count_and_page(con, matching, params, limit, offset)
            if offset + limit <= found or bottom == oldest:
                page = rows
            found = min(found, wanted)
        else:
            [(found,)] = con.execute(
                f"SELECT count(*) FROM (SELECT 1 {matching} LIMIT $wanted)",
                {**params, "wanted": wanted - counted},
            ).fetchall()
        if counted < offset + limit <= counted + found:
            page_from = bottom  # the days read so far hold the whole page
        counted += found
        top, width = bottom - timedelta(days=1), width * 4
    exact = counted < wanted
    if page is None:
        read = replace(flt, date_from=page_from, date_to=newest).params()
        page = fetch_dicts(
            con,
            f"SELECT m.mention_id, m.day {matching} ORDER BY {QUEUE_ORDER}"
            " LIMIT $limit OFFSET $offset",
            {**read, "limit": limit, "offset": offset},
        )
    has_next = counted > offset + limit
    if not page:
        return QueuePage([], counted, exact, has_next)
    days = [row["day"] for row in page]
    rows = fetch_dicts(
        con,
        read_sql("review/queue.sql"),
        {"ids": [row["mention_id"] for row in page], "first": min(days), "last": max(days)},
    )
    return QueuePage(rows, counted, exact, has_next)


def _count_and_page(
    con: duckdb.DuckDBPyConnection,
    matching: str,
    params: dict[str, Any],
    limit: int,
    offset: int,
) -> tuple[int, list[dict[str, Any]]]:
    """How many mentions match `params`, and the page of them at `offset`, from one read of the
    matches (a search reads each row's text once instead of once for the count and once for
    the page)."""
    rows = fetch_dicts(
        con,
        "WITH hits AS MATERIALIZED ("
        f' SELECT m.mention_id, m.day, m.confidence, m.published_at, m.article_id, m."start"'
        f" {matching})"
        " SELECT c.found, m.mention_id, m.day FROM (SELECT count(*) AS found FROM hits) AS c"
        " LEFT JOIN (SELECT * FROM hits AS m"
        f" ORDER BY {QUEUE_ORDER} LIMIT $limit OFFSET $offset) AS m ON true"
        f" ORDER BY {QUEUE_ORDER}",
        {**params, "limit": limit, "offset": offset},
    )
    page = [{"mention_id": r["mention_id"], "day": r["day"]} for r in rows if r["mention_id"]]
    return rows[0]["found"], page


def queue(
    con: duckdb.DuckDBPyConnection, flt: QueueFilter, limit: int = PAGE_SIZE, offset: int = 0
) -> tuple[int, list[dict[str, Any]]]:
    """One page of the queue and the number of mentions counted (`queue_page`: exact up to
    COUNT_CAP, and always at least the rows up to this page's)."""
    page = queue_page(con, flt, limit, offset)
    return page.total, page.rows


def with_default_window(con: duckdb.DuckDBPyConnection, flt: QueueFilter) -> QueueFilter:
    """The filter, given the last DEFAULT_WINDOW of the snapshot when it names no date."""
    if flt.date_from is not None or flt.date_to is not None:
        return flt
    last = snapshot_facts(con)["last_day"]
    return replace(flt, date_from=last - DEFAULT_WINDOW) if last else flt


_facts: dict[tuple[str, int, int], dict[str, Any]] = {}
_facts_guard = threading.Lock()
_facts_computing = threading.Lock()


def snapshot_facts(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The snapshot's first and last days and the values the filters offer, computed once per
    snapshot.

    The cache is keyed on the id each publish gives its snapshot (`snapshot_info`), read
    through the connection itself: a request that opened the old snapshot just before a publish
    replaced it files its facts under the old id. Cluster names corrected since the publish
    join the list at the next one.
    """
    [(path,)] = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchall()
    try:
        [(snapshot_id,)] = con.execute("SELECT snapshot_id FROM snapshot_info").fetchall()
        key: tuple[Any, ...] = (str(path), snapshot_id)
    except duckdb.CatalogException:  # a snapshot published before snapshots had an id
        stat = Path(path).stat()
        key = (str(path), stat.st_ino, stat.st_mtime_ns)
    with _facts_guard:
        if key in _facts:
            return _facts[key]
    # One request computes them; the others arriving meanwhile wait for its result.
    with _facts_computing:
        with _facts_guard:
            if key in _facts:
                return _facts[key]
        facts = _compute_facts(con)
        with _facts_guard:
            if len(_facts) > 8:
                _facts.clear()
            _facts[key] = facts
    return facts


def _compute_facts(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    options: dict[str, list[tuple[str, str]]] = {"source": [], "region": [], "cluster": []}
    for filter_name, value, label in con.execute(
        "SELECT filter, value, label FROM review_options ORDER BY filter, label"
    ).fetchall():
        options[filter_name].append((value, label))
    [(last_day,)] = con.execute(read_sql("review/latest_day.sql")).fetchall()
    [(first_day,)] = con.execute("SELECT min(partition_date) FROM articles").fetchall()
    return {"options": options, "last_day": last_day, "first_day": first_day}


def filter_options(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """The sources, régions and clusters the filters offer: (value, what to show) pairs."""
    return snapshot_facts(con)["options"]


def article(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any] | None:
    """An article of the snapshot, or None."""
    rows = fetch_dicts(con, read_sql("review/article.sql"), {"article_id": article_id})
    return rows[0] if rows else None


def article_mentions(con: duckdb.DuckDBPyConnection, article_id: str) -> list[dict[str, Any]]:
    """An article's live mentions, rejected ones included, in reading order."""
    return fetch_dicts(con, read_sql("review/article_mentions.sql"), {"article_id": article_id})


def mention(con: duckdb.DuckDBPyConnection, mention_id: str) -> dict[str, Any] | None:
    """One live mention with its article's title, link and source, or None."""
    rows = fetch_dicts(con, read_sql("review/mention.sql"), {"mention_id": mention_id})
    return rows[0] if rows else None


def orphans(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Decisions on mentions the snapshot no longer has, newest first."""
    return fetch_dicts(con, read_sql("review/orphans.sql"))


def entities(con: duckdb.DuckDBPyConnection, kind: str) -> list[dict[str, Any]]:
    """Canonical entities a mention of `kind` may be merged into."""
    return fetch_dicts(con, read_sql("review/entities.sql"), {"kind": kind})


def bulk_accept(con: duckdb.DuckDBPyConnection, flt: QueueFilter, reviewer: str) -> list[Decision]:
    """Accept decisions for every mention of the filter still to review (at most BULK_LIMIT),
    all carrying one new batch id so that they can be undone together (`reviews.undo_batch`)."""
    pending = replace(flt, status="unreviewed")
    _, rows = queue(con, pending, BULK_LIMIT, 0)
    batch_id = new_batch_id()
    return [
        Decision(
            r["mention_id"],
            "accepted",
            reviewer,
            article_id=r["article_id"],
            kind=r["kind"],
            old_value=r["review_status"],
            new_value="accepted",
            batch_id=batch_id,
        )
        for r in rows
    ]


def corrections(
    current: Mapping[str, Any], changes: Mapping[str, str], reviewer: str
) -> list[Decision]:
    """One `corrected` decision per field whose value changes, with the value it replaces.

    Empty inputs are ignored; a value has at most FIELD_LIMIT characters; an amount must be a
    finite number of euros from 0 to MAX_AMOUNT_EUR (French commas allowed).
    """
    decisions = []
    for field_name, raw in changes.items():
        if field_name not in CORRECTABLE:
            raise ValueError(f"champ non modifiable : {field_name}")
        value = (raw or "").strip()
        if not value:
            continue
        if len(value) > FIELD_LIMIT:
            raise ValueError(f"valeur trop longue : {FIELD_LIMIT} caractères au plus par champ")
        if field_name == "amount_eur":
            value = _amount(value)
        old = current.get(field_name)
        old_text = None if old is None else _text(old)
        if old_text == value:
            continue
        decisions.append(
            Decision(
                current["mention_id"],
                "corrected",
                reviewer,
                article_id=current["article_id"],
                kind=current["kind"],
                field=field_name,
                old_value=old_text,
                new_value=value,
            )
        )
    return decisions


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _amount(value: str) -> str:
    cleaned = value.replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    cleaned = cleaned.replace("€", "").replace(",", ".")
    try:
        amount = float(cleaned)
    except ValueError:
        raise ValueError(
            f"montant invalide : {value[:40]} (en euros, par exemple 1500000)"
        ) from None
    if not math.isfinite(amount) or not 0 <= amount <= MAX_AMOUNT_EUR:
        raise ValueError(f"montant invalide : {value[:40]} (de 0 à 1 000 milliards d'euros)")
    return _text(amount)


@dataclass(frozen=True)
class Segment:
    """A piece of text to show, marked when it belongs to mentions (their kinds and ids)."""

    text: str
    kinds: tuple[str, ...] = ()
    mention_ids: tuple[str, ...] = ()


def segments(text: str, spans: list[tuple[int, int, str, str]]) -> list[Segment]:
    """Cut `text` at every span boundary (start, end, kind, mention id), for highlighting.

    Overlapping spans give pieces carrying every kind that covers them; the template escapes
    each piece, so the text's markup never reaches the page.
    """
    spans = [(max(s, 0), min(e, len(text)), k, i) for s, e, k, i in spans if s < e]
    cuts = sorted({0, len(text), *(s for s, *_ in spans), *(e for _, e, *_ in spans)})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [(e - s, k, i) for s, e, k, i in spans if s <= start and end <= e]
        covering.sort()
        pieces.append(
            Segment(
                text[start:end],
                tuple(k for _, k, _ in covering),
                tuple(i for _, _, i in covering),
            )
        )
    return pieces


def evidence_segments(row: Mapping[str, Any]) -> list[Segment]:
    """The evidence of a queue row with its mention marked (first occurrence of its text)."""
    evidence = row.get("evidence") or ""
    found = evidence.find(row["text"]) if row.get("text") else -1
    if found < 0:
        return [Segment(evidence)]
    return segments(evidence, [(found, found + len(row["text"]), row["kind"], row["mention_id"])])
