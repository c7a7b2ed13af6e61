"""--eep: one DA/T 48-style XML per document, holding its metadata and its bytes, listed and bagged."""

from __future__ import annotations

import base64
import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import bagit
import pytest

from handover import build_bundle, verify_bundle
from tests.handover.requests import small_request


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    return Path(build_bundle(small_request(tmp_path).model_copy(update={"eep": True})).path)


def _manifest(bundle: Path) -> dict:
    return json.loads((bundle / "data" / "manifest.json").read_text(encoding="utf-8"))


def test_every_document_has_an_eep_that_carries_its_bytes_and_metadata(bundle: Path) -> None:
    documents = _manifest(bundle)["documents"]
    assert documents
    for entry in documents:
        root = ET.parse(bundle / entry["eep"]).getroot()
        assert root.tag == "电子文件封装包"
        meta = root.find("被签名对象/封装内容/文件实体块/文件实体/元数据块")
        assert meta is not None
        assert meta.findtext("档号") == entry["archive_code"]
        assert meta.findtext("题名") == entry["title"]
        assert meta.findtext("数字摘要") == entry["sha256"]
        data = root.findtext("被签名对象/封装内容/文件实体块/文件实体/文件数据/文档/文档数据/编码/编码数据")
        original = base64.b64decode("".join(data.split()))
        assert hashlib.sha256(original).hexdigest() == entry["sha256"]
        assert original == (bundle / entry["path"]).read_bytes()
        name = root.findtext(".//电子属性/计算机文件名")
        assert name == entry["original_name"]


def test_eep_bundle_is_valid_and_a_missing_eep_is_named(bundle: Path) -> None:
    assert bagit.Bag(str(bundle)).is_valid()
    assert verify_bundle(bundle).valid
    assert "EEP/" in (bundle / "data" / "README.html").read_text(encoding="utf-8")
    victim = _manifest(bundle)["documents"][0]["eep"]
    (bundle / victim).unlink()
    report = verify_bundle(bundle)
    assert not report.valid
    assert any(p.file == victim for p in report.problems)


def test_without_the_flag_there_is_no_eep(tmp_path: Path) -> None:
    plain = Path(build_bundle(small_request(tmp_path)).path)
    assert not (plain / "data" / "EEP").exists()
    assert all("eep" not in d for d in _manifest(plain)["documents"])
