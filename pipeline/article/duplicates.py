"""Find articles that repeat another: exact copies, and near copies of one dispatch or release.

Duplicates are grouped, never deleted: each maps to the group's representative (the earliest
listed article) with its similarity, the Jaccard index of their word 5-shingle sets. Candidates
come from MinHash signatures with banded LSH, so 10,000 articles need no 50 million comparisons.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
import zlib
from array import array
from collections import defaultdict
from collections.abc import Sequence
from functools import cache

SHINGLE_WORDS = 5
SIGNATURE_SIZE = 128

# Typographic variants folded before comparing: apostrophes, quotes, dashes.
_FOLDS = (
    ("\u2019", "'"),
    ("\u2018", "'"),
    ("\u02bc", "'"),
    ("\u2032", "'"),
    ("\u00b4", "'"),
    ("`", "'"),
    ("\u00ab", '"'),
    ("\u00bb", '"'),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u201e", '"'),
    ("\u2010", "-"),
    ("\u2011", "-"),
    ("\u2013", "-"),
    ("\u2014", "-"),
)
_WORD = re.compile(r"\w+")

# Fixed seeds: the same texts give the same signatures and groups in every run and process.
_MIX = 0x9E3779B97F4A7C15
_MASK64 = (1 << 64) - 1
_BIN_BITS = SIGNATURE_SIZE.bit_length() - 1
_VALUE_MASK = (1 << (64 - _BIN_BITS)) - 1
_EMPTY = 1 << 64
_PROBES = [
    random.Random(7919 + i).sample(range(SIGNATURE_SIZE), SIGNATURE_SIZE)
    for i in range(SIGNATURE_SIZE)
]


def normalize_text(text: str) -> str:
    """The text with Unicode compatibility forms, typographic apostrophes, quotes and dashes,
    case and whitespace folded, so copies that differ only in typography compare equal."""
    # str.replace per variant: several times faster than str.translate with a mapping.
    folded = unicodedata.normalize("NFKC", text)
    for variant, plain in _FOLDS:
        if variant in folded:
            folded = folded.replace(variant, plain)
    return " ".join(folded.casefold().split())


def content_hash(text: str) -> str:
    """A hex SHA-256 of the normalised text: equal for exact duplicates."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def _words(normalized: str) -> list[str]:
    return _WORD.findall(normalized)


def _shingle_hashes(words: list[str]) -> array:
    """The distinct 64-bit hashes of the word 5-shingles (one shingle for shorter texts).

    Words are hashed with CRC-32 and shingles as tuples of those: hash() of a tuple of ints does
    not depend on PYTHONHASHSEED, so the hashes are the same in every process.
    """
    codes = list(map(zlib.crc32, map(str.encode, words)))
    if len(codes) < SHINGLE_WORDS:
        return array("q", [hash(tuple(codes))] if codes else [])
    windows = zip(*(codes[k:] for k in range(SHINGLE_WORDS)), strict=False)
    return array("q", set(map(hash, windows)))


def _signature(hashes: array) -> tuple[int, ...]:
    """A MinHash signature by one-permutation hashing with densification.

    Each shingle is hashed once into one of SIGNATURE_SIZE bins and each bin keeps its minimum;
    empty bins borrow from a fixed pseudo-random probe order. Classic MinHash would hash every
    shingle SIGNATURE_SIZE times, which pure Python cannot do for 10,000 articles in seconds.
    """
    bins = [_EMPTY] * SIGNATURE_SIZE
    shift = 64 - _BIN_BITS
    for value in hashes:
        mixed = (value * _MIX) & _MASK64
        slot = mixed >> shift
        low = mixed & _VALUE_MASK
        if low < bins[slot]:
            bins[slot] = low
    if _EMPTY in bins:
        filled = list(bins)
        for slot, value in enumerate(bins):
            if value == _EMPTY:
                donor = next(j for j in _PROBES[slot] if bins[j] != _EMPTY)
                filled[slot] = bins[donor]
        bins = filled
    return tuple(bins)


@cache
def _bands(threshold: float) -> int:
    """Rows per LSH band: as many as keep a pair at `threshold` a candidate with 99% chance."""
    for rows in range(SIGNATURE_SIZE, 0, -1):
        bands = SIGNATURE_SIZE // rows
        if 1 - (1 - threshold**rows) ** bands >= 0.99:
            return rows
    return 1


def _jaccard(a: array, b: array) -> float:
    if not a or not b:
        return 0.0
    common = len(set(a).intersection(b))
    return common / (len(a) + len(b) - common)


def similarity(text_a: str, text_b: str) -> float:
    """The Jaccard index of the two texts' word 5-shingle sets (1.0: same words in same order)."""
    return _jaccard(
        _shingle_hashes(_words(normalize_text(text_a))),
        _shingle_hashes(_words(normalize_text(text_b))),
    )


def group_duplicates(
    articles: Sequence[tuple[str, str]], threshold: float = 0.8
) -> dict[str, tuple[str, float]]:
    """Map each duplicate article id to (its representative's id, their similarity).

    `articles` are (article_id, text) pairs; the earliest listed article of a group represents
    it and is not in the result. Exact copies (after `normalize_text`) score 1.0; near copies
    score their shingle Jaccard index, at least `threshold`. Texts without words are skipped.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    rows = _bands(threshold)
    band_count = SIGNATURE_SIZE // rows
    buckets: list[dict[tuple[int, ...], list[int]]] = [defaultdict(list) for _ in range(band_count)]
    first_by_hash: dict[str, int] = {}
    shingles: dict[int, array] = {}
    result: dict[str, tuple[str, float]] = {}
    seen_ids: set[str] = set()
    for index, (article, text) in enumerate(articles):
        if article in seen_ids:
            raise ValueError(f"article id {article!r} is listed twice")
        seen_ids.add(article)
        normalized = normalize_text(text)
        words = _words(normalized)
        if not words:
            continue
        digest = hashlib.sha256(normalized.encode("utf-8")).hexdigest()
        if digest in first_by_hash:
            first = articles[first_by_hash[digest]][0]
            result[article] = result.get(first, (first, 1.0))
            continue
        first_by_hash[digest] = index
        hashes = _shingle_hashes(words)
        signature = _signature(hashes)
        keys = [signature[b * rows : (b + 1) * rows] for b in range(band_count)]
        candidates = {rep for band, key in enumerate(keys) for rep in buckets[band].get(key, ())}
        best: tuple[float, int] | None = None
        for rep in sorted(candidates):
            score = _jaccard(hashes, shingles[rep])
            if score >= threshold and (best is None or score > best[0]):
                best = (score, rep)
        if best is not None:
            result[article] = (articles[best[1]][0], round(best[0], 4))
            continue
        shingles[index] = hashes
        for band, key in enumerate(keys):
            buckets[band][key].append(index)
    return result
