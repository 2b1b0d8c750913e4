import re
from pathlib import Path

import pytest

from pipeline.article.overrides import SiteOverrides
from pipeline.sources import (
    Source,
    SourcesError,
    load_sources,
    parse_sources,
    region_names,
    write_sources,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "sources.example.yaml"

FULL = """\
sources:
  - id: courrier-eco
    name: Le Courrier de l'Éco
    regions: [Nouvelle-Aquitaine, "Provence-Alpes-Côte d'Azur"]
    language: fr
    feeds: [https://exemple.fr/rss.xml]
    sitemaps:
      - https://exemple.fr/sitemap-news.xml.gz
    content_selector: "article .corps"
    date_selector: "time[datetime]"
    drop_selectors: [".pub", "aside.lire-aussi"]
    min_delay_s: 2.5
    max_pages_per_run: 150
    silent_after_days: 7
    allow_private: false
  - id: hebdo
    name: L'Hebdo
    sitemaps: https://hebdo.fr/sitemap.xml
"""


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_every_field_is_read(tmp_path):
    courrier, hebdo = load_sources(_write(tmp_path, FULL))
    assert courrier.id == "courrier-eco"
    assert courrier.regions == ("Nouvelle-Aquitaine", "Provence-Alpes-Côte d'Azur")
    assert courrier.feeds == ("https://exemple.fr/rss.xml",)
    assert courrier.sitemaps == ("https://exemple.fr/sitemap-news.xml.gz",)
    assert courrier.overrides == SiteOverrides(
        content_selector="article .corps",
        date_selector="time[datetime]",
        drop_selectors=(".pub", "aside.lire-aussi"),
    )
    assert (courrier.min_delay_s, courrier.max_pages_per_run) == (2.5, 150)
    assert courrier.silent_after_days == 7
    assert courrier.allow_private is False
    # Optional fields default to "use the run's settings"; a sitemap alone is enough.
    assert hebdo.feeds == () and hebdo.sitemaps == ("https://hebdo.fr/sitemap.xml",)
    assert hebdo.overrides == SiteOverrides()
    assert (hebdo.min_delay_s, hebdo.max_pages_per_run, hebdo.silent_after_days) == (None, None, 3)
    assert hebdo.language == "fr" and hebdo.regions == ()


def test_example_file_is_valid_and_uses_every_field():
    sources = load_sources(EXAMPLE)
    assert len(sources) >= 2
    text = EXAMPLE.read_text(encoding="utf-8")
    fields = [f for f in Source.__dataclass_fields__ if f != "overrides"]
    for field in [*fields, *SiteOverrides.__dataclass_fields__]:
        assert re.search(rf"^  (- |  ){field}:", text, re.MULTILINE), field


def test_region_list_holds_todays_eighteen():
    assert len(region_names()) == 18
    assert "Occitanie" in region_names() and "Midi-Pyrénées" not in region_names()


BASE = (
    "sources:\n  - id: courrier-eco\n    name: Le Courrier\n    feeds: [https://exemple.fr/rss]\n"
)


@pytest.mark.parametrize(
    ("extra", "line", "field", "message"),
    [
        ("    regions: [Bretagne, Midi-Pyrénées]\n", 5, "regions", "write today's 'Occitanie'"),
        (
            "    regions:\n      - Bretagne\n      - Bretagnee\n",
            7,
            "regions",
            "did you mean 'Bretagne'?",
        ),
        ("    regions: [PACA]\n", 5, "regions", "write 'Provence-Alpes-Côte d'Azur'"),
        ("    regions: [Atlantide]\n", 5, "regions", "today's régions are: Auvergne"),
        ("    sitemap: https://exemple.fr/s.xml\n", 5, "sitemap", "did you mean 'sitemaps'?"),
        ("    régions: [Bretagne]\n", 5, "régions", "did you mean 'regions'?"),
        (
            "    contentselector: article\n",
            5,
            "contentselector",
            "did you mean 'content_selector'?",
        ),
        ("    content_selector: 'article >'\n", 5, "content_selector", "not a valid CSS selector"),
        (
            "    drop_selectors:\n      - .pub\n      - '[['\n",
            7,
            "drop_selectors",
            "not a valid CSS",
        ),
        ("    min_delay_s: -1\n", 5, "min_delay_s", "at least 0"),
        ("    max_pages_per_run: 2.5\n", 5, "max_pages_per_run", "whole number"),
        ("    silent_after_days: 0\n", 5, "silent_after_days", "at least 1"),
        ("    allow_private: 'oui'\n", 5, "allow_private", "true or false"),
        ("    language: français\n", 5, "language", "two-letter language code"),
        ("    timezone: Europe/Parsi\n", 5, "timezone", "not a time zone name"),
        ("    sitemaps: []\n", 5, "sitemaps", "the list is empty"),
        ("    feeds: [https://exemple.fr/rss]\n", 5, "feeds", "appears twice (first on line 4)"),
    ],
)
def test_field_errors_name_file_line_and_field(tmp_path, extra, line, field, message):
    path = _write(tmp_path, BASE + extra)
    with pytest.raises(SourcesError) as info:
        load_sources(path)
    text = str(info.value)
    assert text.startswith(f"{path}:{line}: "), text
    assert f"'{field}'" in text and message in text, text


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (
            "sources:\n  - name: X\n    feeds: [https://a.fr/f]\n",
            2,
            "sources[0]: missing field 'id'",
        ),
        (
            "sources:\n  - id: x\n    name: X\n    feeds: [https://a.fr/ok, ftp://a.fr/f]\n",
            4,
            "source 'x': field 'feeds': must list http(s) URLs; 'ftp://a.fr/f'",
        ),
        (
            "sources:\n  - id: x\n    name: X\n    feeds:\n      - https://a.fr/ok\n      - /rss\n",
            6,
            "field 'feeds'",
        ),
        (
            "sources:\n  - id: Bad Id\n    name: X\n    feeds: [https://a.fr/f]\n",
            2,
            "field 'id': must be lower-case",
        ),
        (
            "sources:\n  - id: x\n    name: 2026\n    feeds: [https://a.fr/f]\n",
            3,
            "field 'name': must be non-empty text",
        ),
        ("sources:\n  - id: x\n    name: X\n", 2, "source 'x': missing field 'feeds'"),
        ("sources:\n  - just a string\n", 2, "sources[0]: each source must be a mapping"),
        ("nothing: here\n", 1, "expected a top-level 'sources:' list (found 'nothing')"),
        ("sources: []\n", 1, "the 'sources:' list is empty"),
        ("sources: [\n", 2, "not valid YAML"),
        (
            "sources:\n  - id: a\n    name: A\n    feeds: [https://a.fr/f]\nextra: 1\n",
            5,
            "unknown top-level field 'extra'",
        ),
        (
            "sources:\n  - id: a\n    name: A\n    feeds: [https://a.fr/f]\n"
            "  - id: a\n    name: B\n    feeds: [https://b.fr/f]\n",
            5,
            "duplicate source id 'a' (first on line 2)",
        ),
        (
            "sources:\n  - id: a\n    name: A\n    feeds: [https://a.fr/f]\n"
            "  - id: b\n    name: B\n    feeds: [https://a.fr/f]\n",
            5,
            "URL https://a.fr/f is already listed by 'a'",
        ),
    ],
)
def test_document_errors_name_file_and_line(tmp_path, body, line, message):
    path = _write(tmp_path, body)
    with pytest.raises(SourcesError) as info:
        load_sources(path)
    assert str(info.value).startswith(f"{path}:{line}: "), str(info.value)
    assert message in str(info.value)


def test_missing_file_and_duplicate_ids_from_code(tmp_path):
    with pytest.raises(SourcesError, match="not found"):
        load_sources(tmp_path / "absent.yaml")
    dup = {"id": "a", "name": "A", "feeds": ["https://a.fr/f"]}
    # Mappings built in code have no lines: the message names the file and the source.
    with pytest.raises(SourcesError, match=r"s\.yaml: duplicate source id 'a'"):
        write_sources(tmp_path / "s.yaml", [dup, dup])
    with pytest.raises(SourcesError, match=r"^sources: source 'b': field 'regions'"):
        parse_sources(
            {
                "sources": [
                    {"id": "b", "name": "B", "feeds": ["https://b.fr/f"], "regions": "Alsace"}
                ]
            }
        )


def test_write_then_load_round_trips(tmp_path):
    raw = [
        {
            "id": "a",
            "name": "Région Sud Actu",
            "regions": ["Provence-Alpes-Côte d'Azur"],
            "feeds": ["http://127.0.0.1:1/f"],
            "allow_private": True,
            "drop_selectors": [".pub"],
        }
    ]
    (source,) = load_sources(write_sources(tmp_path / "s.yaml", raw))
    assert source.name == "Région Sud Actu"
    assert source.allow_private is True
    assert source.overrides.drop_selectors == (".pub",)


def test_a_source_saved_as_a_mapping_reads_back_the_same():
    """What a run saves in `sources.config` is what `veille reextract` rebuilds without the file."""
    from demo.site import demo_sources
    from pipeline.sources import source_mapping

    listed = demo_sources("http://127.0.0.1:8765") + [
        {
            "id": "lent",
            "name": "Un site lent",
            "sitemaps": ["https://lent.example/news-sitemap.xml"],
            "min_delay_s": 2.5,
            "max_pages_per_run": 40,
            "silent_after_days": 7,
            "drop_selectors": ["aside", ".pub"],
        }
    ]
    sources = parse_sources({"sources": listed})
    again = parse_sources({"sources": [source_mapping(s) for s in sources]})
    assert again == sources
    assert any(s.overrides.content_selector for s in again)  # the demo's selectors kept


def test_timezone_of_an_overseas_outlet(tmp_path):
    (source,) = load_sources(_write(tmp_path, BASE + "    timezone: America/Cayenne\n"))
    assert source.timezone == "America/Cayenne" and str(source.zone) == "America/Cayenne"
    (default,) = load_sources(_write(tmp_path, BASE))
    assert default.timezone == "Europe/Paris"
