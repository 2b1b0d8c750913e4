import gzip

import pytest

from pipeline.collect.archive import ArchiveError, RawArchive, archive_dir

PAGE = "<p>Le pôle Xylofutur lance un appel à projets pour la filière bois.</p>".encode()


def test_put_is_content_addressed_and_idempotent(tmp_path):
    archive = RawArchive(tmp_path)
    digest = archive.put(PAGE)
    assert archive.put(PAGE) == digest
    assert archive.get(digest) == PAGE
    assert digest in archive
    files = list(tmp_path.rglob("*.gz"))
    assert files == [tmp_path / digest[:2] / f"{digest}.gz"]
    assert gzip.decompress(files[0].read_bytes()) == PAGE


def test_missing_or_damaged_bodies_are_errors(tmp_path):
    archive = RawArchive(tmp_path)
    with pytest.raises(ArchiveError, match="missing"):
        archive.get("0" * 64)
    digest = archive.put(PAGE)
    path = tmp_path / digest[:2] / f"{digest}.gz"
    path.write_bytes(gzip.compress(b"autre chose"))
    with pytest.raises(ArchiveError, match="does not match"):
        archive.get(digest)
    path.write_bytes(b"not gzip")
    with pytest.raises(ArchiveError, match="damaged"):
        archive.get(digest)


def test_archive_lives_beside_the_database(tmp_path):
    assert archive_dir(tmp_path / "veille.duckdb") == tmp_path / "archive"


def test_a_damaged_copy_is_replaced_when_the_body_comes_again(tmp_path):
    archive = RawArchive(tmp_path)
    digest = archive.put(PAGE)
    (tmp_path / digest[:2] / f"{digest}.gz").write_bytes(b"not gzip")
    assert archive.put(PAGE) == digest
    assert archive.get(digest) == PAGE
