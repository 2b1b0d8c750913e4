"""Survival on real pages: every page of the shared benchmarks goes through article extraction
and the mention pipeline without raising, and gets a result.

The pages (207 real news pages, mostly English, some French, gzipped or plain HTML) live in the
`shared/benchmarks/` folder beside the repository; this checks survival, not quality (the
quality figures are `bench/extraction_quality.py`'s).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from pipeline.article.body import without_non_prose
from pipeline.article.extract import NotAnArticle, decode_html, extract_article
from pipeline.nlp import ExtractionFailed, extract_each

BENCHMARKS = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks"
PAGES = (
    sorted(p for p in BENCHMARKS.rglob("*") if p.name.endswith((".html", ".html.gz")))
    if BENCHMARKS.is_dir()
    else []
)

pytestmark = pytest.mark.skipif(
    not PAGES, reason=f"no benchmark pages: {BENCHMARKS} is absent (it sits beside the clone)"
)


def _html(path: Path) -> str:
    data = path.read_bytes()
    return decode_html(gzip.decompress(data) if path.suffix == ".gz" else data)


def test_the_benchmark_pages_are_all_there():
    assert len(PAGES) == 207


def test_every_real_page_gets_an_article_and_its_mentions(nlp):
    results: dict[str, str | list] = {}
    texts: list[tuple[str, str]] = []
    for path in PAGES:
        key = str(path.relative_to(BENCHMARKS))
        try:
            article = extract_article(_html(path), "https://example.org/article")
        except NotAnArticle as exc:  # a page without article text is a result too
            results[key] = f"not an article: {exc}"
            continue
        assert article.text.strip(), key
        assert without_non_prose(article.text)[1] == 0, key  # no template or script as text
        assert article.canonical_url is None or article.canonical_url.startswith("http"), key
        texts.append((article.text, key))
    by_key = {key: text for text, key in texts}
    failed = []
    for key, mentions in extract_each(nlp, texts, batch_size=32):
        if isinstance(mentions, ExtractionFailed):
            failed.append(f"{key}: {mentions}")
            continue
        results[key] = mentions
        for mention in mentions:
            assert by_key[key][mention["start"] : mention["end"]] == mention["text"], key
    assert failed == []
    assert sorted(results) == sorted(str(p.relative_to(BENCHMARKS)) for p in PAGES)
