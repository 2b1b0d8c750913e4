"""Real-press gold: annotations of third-party articles whose texts are never committed.

Each line of `tests/gold/real/{dev,heldout}-*.jsonl` annotates one article read through a search of
public web pages (``../shared/ANNOTATION.md``). The line carries the article's `url`, the `query`
that returned it and the SHA-256 of its text; the text itself lives in a local cache outside the
repository (`text_cache_dir`), keyed by that hash, and is fetched again by re-running the query.

The split between `real_dev` and `real_heldout` is by site: an article is held out when the
SHA-256 of its site's domain starts with 0-3 (a quarter of all sites), so the two parts never share
a site, and every annotator's queries feed one part only.

Run ``python -m pipeline.real_gold --help`` for the annotators' commands (add, check, url).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline.errors import UserError

REAL_GOLD_DIR = Path(__file__).resolve().parent.parent / "tests" / "gold" / "real"
SHARED_DIR = Path(__file__).resolve().parent.parent.parent / "shared"
PARTS = ("dev", "heldout")
HELDOUT_DOMAIN_PREFIXES = "0123"
CASE_TYPES = ("positive", "hard_negative")
CLUSTER_KINDS = ("pole_de_competitivite", "cluster", "cluster_network", "other")
NON_FUNDING_KINDS = (
    "turnover",
    "own_investment",
    "budget",
    "cost",
    "price",
    "valuation",
    "salary",
    "fine",
    "share_sale",
    "dividend",
    "saving",
    "loan_to_state",
    "other",
)
REGIONS = (
    "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comté",
    "Bretagne",
    "Centre-Val de Loire",
    "Corse",
    "Grand Est",
    "Hauts-de-France",
    "Île-de-France",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur",
    "Guadeloupe",
    "Martinique",
    "Guyane",
    "La Réunion",
    "Mayotte",
    "national",
)


# ------------------------------------------------------------------------------ texts and hashes


def normalise_text(text: str) -> str:
    """The stored form of an article text: NFC, Unix line ends, no surrounding blank space."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def text_sha256(text: str) -> str:
    """SHA-256 of the stored form of `text`, as written in the annotation's `text_sha256`."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def url_sha256(url: str) -> str:
    """SHA-256 of a URL exactly as the search returned it (UTF-8, no trailing newline)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def text_cache_dir() -> Path:
    """Where real texts are kept: `$VEILLE_REAL_TEXTS`, else `~/.cache/veille/real-texts`."""
    configured = os.environ.get("VEILLE_REAL_TEXTS")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "veille" / "real-texts"


def store_text(text: str, cache: Path | None = None) -> str:
    """Keep `text` in the cache under its hash and return the hash."""
    cache = cache or text_cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    digest = text_sha256(text)
    (cache / f"{digest}.txt").write_text(normalise_text(text), encoding="utf-8")
    return digest


def cached_text(digest: str, cache: Path | None = None) -> str | None:
    """The cached text of that hash, or None when it is missing or no longer matches it."""
    path = (cache or text_cache_dir()) / f"{digest}.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return text if text_sha256(text) == digest else None


def excluded_url_hashes(shared: Path | None = None) -> set[str]:
    """URL hashes held out for independent measurement (`heldout-exclude.txt`), or none."""
    try:
        lines = (
            ((shared or SHARED_DIR) / "heldout-exclude.txt")
            .read_text(encoding="utf-8")
            .splitlines()
        )
    except OSError:
        return set()
    return {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}


def site_of(url: str) -> str:
    """The site of a URL: its host, lower-cased, without a leading `www.`."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def part_of_site(site: str) -> str:
    """`heldout` for a quarter of all sites (by the hash of their name), `dev` for the rest."""
    first = hashlib.sha256(site.encode("utf-8")).hexdigest()[0]
    return "heldout" if first in HELDOUT_DOMAIN_PREFIXES else "dev"


# ------------------------------------------------------------------------------ annotations


@dataclass
class RealArticle:
    """One annotation line, with its text when the cache holds it."""

    row: dict[str, Any]
    part: str
    source: str
    text: str | None = None

    @property
    def id(self) -> str:
        return str(self.row["id"])


@dataclass
class RealGold:
    """The real gold set: its articles by part, and the lines whose text is not cached."""

    articles: list[RealArticle] = field(default_factory=list)

    def part(self, name: str) -> list[RealArticle]:
        return [a for a in self.articles if a.part == name]

    def missing(self) -> list[RealArticle]:
        return [a for a in self.articles if a.text is None]


def part_of_file(path: Path) -> str:
    """A gold file belongs to the part its name starts with (`dev-a.jsonl`, `heldout-b.jsonl`)."""
    for part in PARTS:
        if path.name.startswith(part):
            return part
    raise UserError(f"{path}: a real gold file's name starts with one of {', '.join(PARTS)}")


def load_real_gold(directory: Path = REAL_GOLD_DIR, cache: Path | None = None) -> RealGold:
    """Read every `dev*.jsonl` and `heldout*.jsonl` of `directory` and attach the cached texts."""
    if not directory.is_dir():
        raise UserError(f"no real gold folder at {directory}")
    gold = RealGold()
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.jsonl")):
        part = part_of_file(path)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UserError(f"{where}: not valid JSON ({exc.msg})") from None
            if not isinstance(row, dict) or not isinstance(row.get("id"), str):
                raise UserError(f"{where}: expected an object with a string 'id'")
            if row["id"] in seen:
                raise UserError(f"{where}: id {row['id']!r} already used in {seen[row['id']]}")
            seen[row["id"]] = where
            digest = str(row.get("text_sha256", ""))
            gold.articles.append(RealArticle(row, part, where, cached_text(digest, cache)))
    return gold


def _strings(row: dict[str, Any]) -> Iterable[tuple[str, Any]]:
    """Every surface string of an annotation that must occur verbatim in the text."""
    for cluster in row.get("clusters", []):
        yield "clusters.name", cluster.get("name")
        for variant in cluster.get("name_variants", []) or []:
            yield "clusters.name_variants", variant
    for official in row.get("officials", []):
        yield "officials.name", official.get("name")
        yield "officials.role", official.get("role")
        if official.get("org") is not None:
            yield "officials.org", official.get("org")
    for person in row.get("persons", []):
        yield "persons", person
    for funding in row.get("funding", []):
        yield "funding.text", funding.get("text")
        for key in ("funder", "recipient", "instrument"):
            if funding.get(key) is not None:
                yield f"funding.{key}", funding.get(key)
    for amount in row.get("non_funding_amounts", []):
        yield "non_funding_amounts.text", amount.get("text")
    for location in row.get("locations", []):
        yield "locations", location


def problems(row: dict[str, Any], text: str | None, part: str | None = None) -> list[str]:
    """What is wrong with one annotation line (empty when it follows ANNOTATION.md)."""
    found: list[str] = []
    for key in ("id", "url", "query", "text_sha256", "region", "case_type", "year"):
        if key not in row:
            found.append(f"missing {key!r}")
    if row.get("case_type") not in CASE_TYPES:
        found.append(f"case_type must be one of {CASE_TYPES}")
    if row.get("region") not in REGIONS:
        found.append(f"region {row.get('region')!r} is not one of {REGIONS}")
    year = row.get("year")
    if year is not None and not (isinstance(year, int) and 1990 <= year <= 2030):
        found.append("year must be an integer year or null")
    for key in ("clusters", "officials", "persons", "funding", "non_funding_amounts", "locations"):
        if not isinstance(row.get(key, []), list):
            found.append(f"{key!r} must be a list")
    if found:
        return found
    url = str(row["url"])
    if url_sha256(url) in excluded_url_hashes():
        found.append("this URL is held out for independent measurement: drop the article")
    if part is not None and part_of_site(site_of(url)) != part:
        found.append(f"site {site_of(url)!r} belongs to the {part_of_site(site_of(url))} part")
    for cluster in row["clusters"]:
        if cluster.get("kind") not in CLUSTER_KINDS:
            found.append(f"cluster {cluster.get('name')!r}: kind must be one of {CLUSTER_KINDS}")
    for official in row["officials"]:
        if not official.get("name") or not official.get("role") or "org" not in official:
            found.append(f"official {official!r} needs name, role and org (org may be null)")
    for funding in row["funding"]:
        amount = funding.get("amount_eur")
        if amount is not None and not isinstance(amount, int | float):
            found.append(f"funding {funding.get('text')!r}: amount_eur must be a number or null")
        for key in ("text", "funder", "recipient", "instrument"):
            if key not in funding:
                found.append(f"funding {funding.get('text')!r}: needs {key!r} (null allowed)")
    for amount in row["non_funding_amounts"]:
        if amount.get("kind") not in NON_FUNDING_KINDS:
            found.append(f"non-funding {amount.get('text')!r}: kind one of {NON_FUNDING_KINDS}")
    if row["case_type"] == "hard_negative" and (row["clusters"] or row["funding"]):
        found.append("a hard negative has no cluster and no funding")
    if text is None:
        found.append("its text is not in the cache (or no longer matches text_sha256)")
        return found
    for key, value in _strings(row):
        if not isinstance(value, str) or not value:
            found.append(f"{key}: {value!r} is not a string")
        elif value not in text:
            found.append(f"{key}: {value!r} does not occur verbatim in the text")
    return found


# ------------------------------------------------------------------------------ annotators' CLI


def _cmd_url(args: argparse.Namespace) -> int:
    site = site_of(args.url)
    excluded = url_sha256(args.url) in excluded_url_hashes()
    print(
        json.dumps(
            {"site": site, "part": part_of_site(site), "excluded": excluded},
            ensure_ascii=False,
        )
    )
    return 1 if excluded else 0


def _cmd_add(args: argparse.Namespace) -> int:
    """Store the text, check the annotation against it, and append it to the part file."""
    text = Path(args.text).read_text(encoding="utf-8")
    if args.text.endswith(".json"):
        # The excerpt pasted as the JSON string literal the search answered with: exact escapes.
        text = json.loads(text)
    row = json.loads(Path(args.annotation).read_text(encoding="utf-8"))
    row["text_sha256"] = text_sha256(text)
    target = Path(args.file)
    part = part_of_file(target)
    stored = normalise_text(text)
    issues = problems(row, stored, part)
    issues = [i for i in issues if not i.startswith("its text is not in the cache")]
    if target.exists():
        ids = {json.loads(line)["id"] for line in target.read_text().splitlines() if line.strip()}
        if row.get("id") in ids:
            issues.append(f"id {row.get('id')!r} is already in {target}")
    for other in sorted(target.parent.glob("*.jsonl")):
        for line in other.read_text(encoding="utf-8").splitlines():
            if line.strip() and json.loads(line).get("url") == row.get("url"):
                issues.append(f"its url is already annotated in {other.name}")
    if issues:
        for issue in issues:
            print(f"{row.get('id')}: {issue}", file=sys.stderr)
        return 1
    store_text(text)
    ordered = {"id": row["id"], "url": row["url"], "query": row["query"]}
    ordered.update({k: v for k, v in row.items() if k not in ordered})
    with target.open("a", encoding="utf-8") as out:
        out.write(json.dumps(ordered, ensure_ascii=False) + "\n")
    print(f"{row['id']}: added to {target} ({row['text_sha256'][:12]})")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    gold = load_real_gold(Path(args.directory))
    bad = 0
    for article in gold.articles:
        for issue in problems(article.row, article.text, article.part):
            print(f"{article.source} {article.id}: {issue}")
            bad += 1
    print(f"{len(gold.articles)} articles, {bad} problems")
    return 1 if bad else 0


def _cmd_stats(args: argparse.Namespace) -> int:
    """Counts by part: kinds, case types, régions, sites and years."""
    from collections import Counter

    gold = load_real_gold(Path(args.directory))
    for part in PARTS:
        rows = [a.row for a in gold.part(part)]
        both = [
            r for r in rows if any(f.get("funder") and f.get("recipient") for f in r["funding"])
        ]
        print(f"real_{part}: {len(rows)} articles")
        print(f"  case types: {dict(Counter(r['case_type'] for r in rows))}")

        def having(key: str, rows: list = rows) -> int:
            return sum(bool(r.get(key)) for r in rows)

        def items(key: str, rows: list = rows) -> int:
            return sum(len(r.get(key, [])) for r in rows)

        print(
            f"  with clusters {having('clusters')}, officials {having('officials')}, funding "
            f"{having('funding')} (with a stated funder and recipient {len(both)})"
        )
        print(
            f"  items: clusters {items('clusters')}, officials {items('officials')}, persons "
            f"{items('persons')}, funding {items('funding')}, places {items('locations')}"
        )
        regions = Counter(r["region"] for r in rows)
        print(f"  régions ({len(regions)}): {dict(regions.most_common())}")
        sites = Counter(site_of(r["url"]) for r in rows)
        print(f"  sites: {len(sites)}")
        years = Counter(r.get("year") for r in rows)
        print(f"  years: {dict(sorted(years.items(), key=lambda kv: kv[0] or 0))}")
    rows = [a.row for a in gold.articles]
    covered = {r.get("year") for r in rows}
    print(
        f"all: {len(rows)} articles, {len({site_of(r['url']) for r in rows})} sites, "
        f"{len({r['region'] for r in rows} - {'national'})} régions; years 2008-2026 missing: "
        f"{[y for y in range(2008, 2027) if y not in covered] or 'none'}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.real_gold", description=__doc__)
    sub = parser.add_subparsers(required=True)
    url = sub.add_parser("url", help="the site, the part and whether a URL is held out")
    url.add_argument("url")
    url.set_defaults(func=_cmd_url)
    add = sub.add_parser("add", help="check one annotation, cache its text, append it")
    add.add_argument("file", help="the part file, e.g. tests/gold/real/dev-a.jsonl")
    add.add_argument("annotation", help="a JSON file holding the annotation (no text_sha256)")
    add.add_argument(
        "text",
        help="the article text as read: UTF-8, or a .json file holding its JSON string literal",
    )
    add.set_defaults(func=_cmd_add)
    check = sub.add_parser("check", help="check every line of the real gold folder")
    check.add_argument("directory", nargs="?", default=str(REAL_GOLD_DIR))
    check.set_defaults(func=_cmd_check)
    stats = sub.add_parser("stats", help="counts by part: kinds, régions, sites, years")
    stats.add_argument("directory", nargs="?", default=str(REAL_GOLD_DIR))
    stats.set_defaults(func=_cmd_stats)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
