"""The real-press gold's files: annotation checks, the text cache, the site split, `add`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import real_gold
from pipeline.errors import UserError
from pipeline.real_gold import (
    cached_text,
    load_real_gold,
    part_of_site,
    problems,
    site_of,
    store_text,
    text_sha256,
)

TEXT = (
    "Réunie vendredi, la commission permanente de la Région a voté 120 000 € pour le pôle "
    "Granitec. « Un signal fort », salue Odile Marchand, présidente du pôle, à Quimper."
)


def annotation(**changes) -> dict:
    row = {
        "id": "t-1",
        "url": "https://www.exemple-presse.fr/eco/granitec",
        "query": "pôle subvention commission permanente",
        "text_sha256": text_sha256(TEXT),
        "region": "Bretagne",
        "year": 2021,
        "case_type": "positive",
        "clusters": [{"name": "Granitec", "kind": "pole_de_competitivite"}],
        "officials": [{"name": "Odile Marchand", "role": "présidente", "org": "pôle"}],
        "persons": ["Odile Marchand"],
        "funding": [
            {
                "amount_eur": 120000,
                "text": "120 000 €",
                "funder": "la Région",
                "recipient": "le pôle Granitec",
                "instrument": None,
            }
        ],
        "non_funding_amounts": [],
        "locations": ["Quimper"],
    }
    row.update(changes)
    return row


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "texts"
    monkeypatch.setenv("VEILLE_REAL_TEXTS", str(folder))
    return folder


def test_a_faithful_annotation_has_no_problem():
    assert problems(annotation(), TEXT) == []


def test_a_string_not_in_the_text_is_named():
    row = annotation(locations=["Brest"])
    assert problems(row, TEXT) == ["locations: 'Brest' does not occur verbatim in the text"]


def test_a_hard_negative_with_funding_is_refused():
    found = problems(annotation(case_type="hard_negative"), TEXT)
    assert "a hard negative has no cluster and no funding" in found


def test_missing_keys_and_bad_kinds_are_reported():
    row = annotation(clusters=[{"name": "Granitec", "kind": "pôle"}])
    del row["region"]
    assert "missing 'region'" in problems(row, TEXT)
    row = annotation(clusters=[{"name": "Granitec", "kind": "pôle"}])
    assert any(p.startswith("cluster 'Granitec': kind") for p in problems(row, TEXT))


def test_held_out_urls_are_refused(monkeypatch, tmp_path):
    url = annotation()["url"]
    (tmp_path / "heldout-exclude.txt").write_text(real_gold.url_sha256(url) + "\n")
    monkeypatch.setattr(real_gold, "SHARED_DIR", tmp_path)
    assert "this URL is held out for independent measurement: drop the article" in problems(
        annotation(), TEXT
    )


def test_the_text_cache_keeps_texts_by_hash_and_notices_changes(cache):
    digest = store_text(TEXT + "\r\n")
    assert digest == text_sha256(TEXT)
    assert cached_text(digest) == TEXT
    (cache / f"{digest}.txt").write_text(TEXT.replace("120 000", "210 000"), encoding="utf-8")
    assert cached_text(digest) is None


def test_sites_fall_in_one_part_only():
    assert site_of("https://WWW.Exemple-Presse.fr/a?b=1") == "exemple-presse.fr"
    sites = [f"site{i}.fr" for i in range(200)]
    heldout = [s for s in sites if part_of_site(s) == "heldout"]
    assert 25 <= len(heldout) <= 75  # about a quarter, by hash
    assert all(part_of_site(s) == part_of_site(s) for s in sites)


def test_add_then_load_then_check(cache, tmp_path, capsys):
    gold_dir = tmp_path / "real"
    gold_dir.mkdir()
    site = next(f"site{i}.fr" for i in range(100) if part_of_site(f"site{i}.fr") == "dev")
    row = annotation(url=f"https://{site}/eco/granitec")
    del row["text_sha256"]
    (tmp_path / "a.json").write_text(json.dumps(row), encoding="utf-8")
    (tmp_path / "t.json").write_text(json.dumps(TEXT), encoding="utf-8")
    target = gold_dir / "dev-x.jsonl"
    assert (
        real_gold.main(["add", str(target), str(tmp_path / "a.json"), str(tmp_path / "t.json")])
        == 0
    )
    assert (
        real_gold.main(["add", str(target), str(tmp_path / "a.json"), str(tmp_path / "t.json")])
        == 1
    )
    assert "already in" in capsys.readouterr().err
    # The same page under another id, in another file of the set, is refused too.
    row["id"] = "t-2"
    (tmp_path / "a.json").write_text(json.dumps(row), encoding="utf-8")
    other = gold_dir / "dev-y.jsonl"
    assert (
        real_gold.main(["add", str(other), str(tmp_path / "a.json"), str(tmp_path / "t.json")]) == 1
    )
    assert "url is already annotated in dev-x.jsonl" in capsys.readouterr().err
    gold = load_real_gold(gold_dir)
    assert [a.id for a in gold.part("dev")] == ["t-1"] and gold.missing() == []
    assert gold.part("dev")[0].text == TEXT
    assert real_gold.main(["check", str(gold_dir)]) == 0
    for path in cache.iterdir():
        path.unlink()
    assert [a.id for a in load_real_gold(gold_dir).missing()] == ["t-1"]
    assert real_gold.main(["check", str(gold_dir)]) == 1


def test_a_dev_file_refuses_a_held_out_site(cache, tmp_path, capsys):
    site = next(f"site{i}.fr" for i in range(100) if part_of_site(f"site{i}.fr") == "heldout")
    row = annotation(url=f"https://{site}/x")
    del row["text_sha256"]
    (tmp_path / "a.json").write_text(json.dumps(row), encoding="utf-8")
    (tmp_path / "t.txt").write_text(TEXT, encoding="utf-8")
    target = tmp_path / "dev-x.jsonl"
    assert (
        real_gold.main(["add", str(target), str(tmp_path / "a.json"), str(tmp_path / "t.txt")]) == 1
    )
    assert "belongs to the heldout part" in capsys.readouterr().err
    assert not target.exists()


def test_a_file_outside_the_two_parts_is_an_error(tmp_path):
    (tmp_path / "extra.jsonl").write_text("")
    with pytest.raises(UserError, match="starts with one of dev, heldout"):
        load_real_gold(tmp_path)


def test_the_committed_real_gold_is_well_formed():
    """Every committed line parses and follows the schema (texts are not needed for this)."""
    gold = load_real_gold()
    assert len(gold.part("dev")) > 0 and len(gold.part("heldout")) > 0
    for article in gold.articles:
        schema = [p for p in problems(article.row, None, article.part) if "cache" not in p]
        assert schema == [], (article.id, schema)
