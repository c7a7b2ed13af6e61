"""Tampering with a bundle makes bagit-python and verify_bundle fail, and verify_bundle names the file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import bagit
import pytest

from handover import build_bundle, verify_bundle
from tests.handover.requests import small_request


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(build_bundle(small_request(tmp_path_factory.mktemp("原包"))).path)


@pytest.fixture
def bundle(pristine: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(pristine, tmp_path / "副本"))


def a_document(bundle: Path) -> str:
    manifest = json.loads((bundle / "data" / "manifest.json").read_text(encoding="utf-8"))
    return next(d["path"] for d in manifest["documents"] if "100％" in d["path"])


def problems_by_file(bundle: Path) -> dict[str | None, set[str]]:
    report = verify_bundle(bundle)
    assert not report.valid
    found: dict[str | None, set[str]] = {}
    for problem in report.problems:
        found.setdefault(problem.file, set()).add(problem.kind)
    return found


def test_pristine_copy_is_valid(bundle: Path) -> None:
    assert verify_bundle(bundle).valid
    assert bagit.Bag(str(bundle)).is_valid()


def test_one_flipped_byte_is_named(bundle: Path) -> None:
    victim = a_document(bundle)
    data = bytearray((bundle / victim).read_bytes())
    data[len(data) // 2] ^= 0x01
    (bundle / victim).write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError) as caught:
        bagit.Bag(str(bundle)).validate()
    assert {d.path for d in caught.value.details} == {victim}
    assert problems_by_file(bundle) == {victim: {"checksum_mismatch"}}


def test_a_deleted_file_is_named(bundle: Path) -> None:
    victim = a_document(bundle)
    (bundle / victim).unlink()
    assert not bagit.Bag(str(bundle)).is_valid()
    found = problems_by_file(bundle)
    assert found[victim] >= {"missing", "listed_missing"}


def test_an_edited_manifest_is_named(bundle: Path) -> None:
    path = bundle / "data" / "manifest.json"
    path.write_text(path.read_text(encoding="utf-8").replace("设计变更通知单（第1号）", "设计变更通知单（第9号）"),
                    encoding="utf-8")
    with pytest.raises(bagit.BagValidationError) as caught:
        bagit.Bag(str(bundle)).validate()
    assert {d.path for d in caught.value.details} == {"data/manifest.json"}
    assert problems_by_file(bundle) == {"data/manifest.json": {"checksum_mismatch"}}


def test_an_added_file_is_named(bundle: Path) -> None:
    (bundle / "data" / "档案" / "夹带.pdf").write_bytes(b"%PDF extra")
    assert not bagit.Bag(str(bundle)).is_valid()
    found = problems_by_file(bundle)
    assert found["data/档案/夹带.pdf"] >= {"unexpected", "not_listed"}


def test_a_rebagged_manifest_that_breaks_the_schema_is_named(bundle: Path) -> None:
    """Someone edits manifest.json *and* re-bags: the checksums agree, the schema does not."""
    path = bundle / "data" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["documents"][0]["sha256"] = "不是校验值"
    del manifest["documents"][1]
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    bag = bagit.Bag(str(bundle))
    bag.save(manifests=True)
    assert bag.is_valid()
    found = problems_by_file(bundle)
    assert found.pop("data/manifest.json") == {"manifest_schema"}
    assert not found


def test_a_rebagged_manifest_missing_a_document_is_named(bundle: Path) -> None:
    path = bundle / "data" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    dropped = manifest["documents"].pop(0)["path"]
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    bagit.Bag(str(bundle)).save(manifests=True)
    assert problems_by_file(bundle) == {dropped: {"not_listed"}}


def test_not_a_bundle(tmp_path: Path) -> None:
    (tmp_path / "空").mkdir()
    report = verify_bundle(tmp_path / "空")
    assert not report.valid
    assert {p.kind for p in report.problems} >= {"not_a_bag", "manifest_missing"}
