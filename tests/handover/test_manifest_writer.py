"""manifest.json is streamed one document at a time, yet reads back as ordinary indented JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handover import build_bundle
from handover.errors import ManifestInvalid
from handover.manifest import write_manifest
from tests.handover.requests import small_request


@pytest.fixture
def written(tmp_path: Path) -> tuple[Path, dict]:
    bundle = Path(build_bundle(small_request(tmp_path)).path)
    path = bundle / "data" / "manifest.json"
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_streamed_bytes_equal_a_plain_dump(written: tuple[Path, dict]) -> None:
    path, document = written
    assert document["documents"], "the sample request has documents"
    assert path.read_text(encoding="utf-8") == json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def test_no_documents_gives_an_empty_array(written: tuple[Path, dict], tmp_path: Path) -> None:
    _, document = written
    target = tmp_path / "空清单.json"
    write_manifest(target, {**document, "documents": []}, [])
    assert json.loads(target.read_text(encoding="utf-8"))["documents"] == []


def test_a_bad_entry_names_its_place_and_leaves_no_file(written: tuple[Path, dict], tmp_path: Path) -> None:
    _, document = written
    entries = [dict(e) for e in document["documents"]]
    entries[1]["sha256"] = "不是校验值"
    target = tmp_path / "坏清单.json"
    with pytest.raises(ManifestInvalid, match=r"at \$\.documents\[1\]\.sha256"):
        write_manifest(target, {**document, "documents": []}, entries)
    assert not target.exists()
    assert not list(tmp_path.glob("*.part"))
