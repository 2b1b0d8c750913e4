"""Publication-date accuracy on the french-pages benchmark, against days checked by hand.

Run: `.venv/bin/python bench/date_accuracy.py [--benchmarks DIR] [--errors]`.
`bench/date_gold.json` holds, for each page whose date could be verified by reading it, its
SHA-256 and its publication day (the outlet's local day). A page is right when the day of
`published_at` (as veille writes it, in the outlet's zone) is that day. htmldate alone
(`find_date(original_date=True)` on the whole page) is measured beside it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/results.py
from results import print_results, result_row  # noqa: E402

from pipeline.article.extract import NotAnArticle, decode_html, extract_article  # noqa: E402

DEFAULT_BENCHMARKS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"
GOLD = Path(__file__).resolve().parent / "date_gold.json"
# The accuracy the day must reach on these pages.
GOAL = 0.9


def veille_day(html: str, url: str) -> str | None:
    """The day of veille's `published_at` for a page, None when it gives none."""
    try:
        published = extract_article(html, url).published_at
    except NotAnArticle:
        return None
    return published.date().isoformat() if published else None


def htmldate_day(html: str, url: str) -> str | None:
    """htmldate's original publication day of the whole page."""
    from htmldate import find_date

    return find_date(html, url=url, original_date=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmarks", type=Path, default=DEFAULT_BENCHMARKS)
    parser.add_argument("--errors", action="store_true", help="list the pages dated wrong")
    args = parser.parse_args()
    folder = args.benchmarks / "french-pages"
    urls = {
        entry["file"]: url
        for url, entry in json.loads((folder / "expected.json").read_text()).items()
    }
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["pages"]
    right = {"veille": 0, "htmldate": 0}
    for page in gold:
        data = (folder / "html" / page["file"]).read_bytes()
        if hashlib.sha256(data).hexdigest() != page["sha256"]:
            raise SystemExit(f"{page['file']}: not the page whose date was checked")
        html = decode_html(data)
        for name, reader in (("veille", veille_day), ("htmldate", htmldate_day)):
            found = reader(html, urls[page["file"]])
            right[name] += found == page["published"]
            if args.errors and found != page["published"]:
                print(f"  {name}: {page['file']}: {found} instead of {page['published']}")
    total = len(gold)
    for name, count in right.items():
        print(f"{name:9} {count}/{total} = {count / total:.3f}")
    print_results(
        [
            result_row(
                "page dates",
                f"{name}: publication day right on the verified french-pages",
                count / total,
                "share",
                GOAL,
                "min",
            )
            for name, count in right.items()
        ]
    )


if __name__ == "__main__":
    main()
