import pytest

from pipeline.sources import SourcesError, load_sources, write_sources


def test_valid_file_loads(tmp_path):
    path = tmp_path / "sources.yaml"
    path.write_text(
        "sources:\n"
        "  - id: courrier-eco\n"
        "    name: Le Courrier de l'Éco\n"
        "    regions: [Nouvelle-Aquitaine]\n"
        "    feeds: [https://exemple.fr/rss.xml]\n",
        encoding="utf-8",
    )
    (source,) = load_sources(path)
    assert source.id == "courrier-eco"
    assert source.feeds == ("https://exemple.fr/rss.xml",)
    assert source.allow_private is False


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("sources:\n  - name: X\n    feeds: [https://a.fr/f]\n", "missing field 'id'"),
        (
            "sources:\n  - id: x\n    name: X\n    feeds: [ftp://a.fr/f]\n",
            "'feeds' must list http(s) URLs",
        ),
        ("sources:\n  - id: Bad Id\n    name: X\n    feeds: [https://a.fr/f]\n", "field 'id'"),
        ("nothing: here\n", "top-level 'sources:' list"),
        ("sources: [\n", "not valid YAML"),
    ],
)
def test_invalid_files_name_the_problem(tmp_path, body, message):
    path = tmp_path / "sources.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(SourcesError, match="sources.yaml") as info:
        load_sources(path)
    assert message in str(info.value)


def test_missing_file_and_duplicate_ids(tmp_path):
    with pytest.raises(SourcesError, match="not found"):
        load_sources(tmp_path / "absent.yaml")
    dup = {"id": "a", "name": "A", "feeds": ["https://a.fr/f"]}
    with pytest.raises(SourcesError, match="duplicate source id 'a'"):
        write_sources(tmp_path / "s.yaml", [dup, dup])


def test_write_then_load_round_trips(tmp_path):
    raw = [
        {
            "id": "a",
            "name": "Région Sud Actu",
            "feeds": ["http://127.0.0.1:1/f"],
            "allow_private": True,
        }
    ]
    (source,) = load_sources(write_sources(tmp_path / "s.yaml", raw))
    assert source.name == "Région Sud Actu"
    assert source.allow_private is True
