"""The filing data names no company, project or place of the real corpora.

Rules must generalise: a pattern keyed to one contractor's name or one project's title would score
on the corpus and fail everywhere else. This test collects the proper names that occur in the real
corpora (organisations, project names from 工程名称/项目名称 fields and file names, places) and fails
if any of them appears in a value of the shipped data files. It runs only where the corpora are
(../shared next to the clone, or $JIANDANG_SHARED); comments are not scanned, values are.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
import yaml

from classify.text import compact

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("JIANDANG_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus"
DATA_FILES = ("taxonomy.yaml", "titles.yaml", "cues.yaml", "checklist.yaml", "fields.yaml")

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real corpora not present at {CORPUS}")

_CJK_START = r"(?<![\u4e00-\u9fa5])"  # a name starts where a run of Chinese characters starts
_ORGANISATION = re.compile(
    _CJK_START + r"[\u4e00-\u9fa5A-Za-z0-9（）()]{2,24}?(?:股份有限公司|有限责任公司|有限公司|集团|研究院|设计院|勘察院|"
    r"咨询公司|监理公司|建设局|管理局|管理处|监督站|指挥部|管理中心|人民政府|住房和城乡建设局|大学)"
)
_PLACE = re.compile(_CJK_START + r"[\u4e00-\u9fa5]{2,4}?(?:省|市|县|新区|自治区)")
_LEADING_WORD = re.compile(r"^(?:致|至|由|为|向|及|和|与|经|在|据|对)")
_FIELD_NAME = re.compile(r"(?:工程名称|项目名称|建设项目名称)[:：]\s*([^\s|｜:：,，。]{4,40})")
_GENERIC = re.compile(r"某|XX|xx|\*|_|＿|本|该|全|各|城市|市区|地区|小区|社区|所在|省市|市县|县市|城乡|建设|工程|项目|单位|名称")
# a field label read as a value (项目名称：合同编号 in a blank form) or a document type, not a name
_NOT_A_NAME = re.compile(r"编号|名称|日期|单位|地址|地点|负责人|代码|类型|性质|规模|部位|电话|内容|情况")
_DOCUMENT_WORD = re.compile(r"(记录|表|单|书|报告|日志|文件|鉴定|方案|合同|纪要|意见|令|证|图|清单|目录|说明|模板|范本)$")


def _corpus_texts() -> Iterator[str]:
    for path in CORPUS.rglob("*"):
        if not path.is_file():
            continue
        yield path.stem.replace("_", " ")
        if path.suffix in (".txt", ".md", ".json"):
            yield path.read_text(encoding="utf-8", errors="replace")
    for labels in (REPO / "eval" / "labels").glob("*.yaml"):
        yield labels.read_text(encoding="utf-8")


def corpus_proper_names() -> set[str]:
    names: set[str] = set()
    for text in _corpus_texts():
        for found in (*_ORGANISATION.findall(text), *_PLACE.findall(text)):
            name = _LEADING_WORD.sub("", compact(found))
            if len(name) >= 3 and not _GENERIC.search(name[:2]) and "某" not in name:
                names.add(name)
        for found in _FIELD_NAME.findall(text):
            name = compact(found)
            if not _GENERIC.search(name[:2]) and not _NOT_A_NAME.search(name) and not _DOCUMENT_WORD.search(name):
                names.add(name)
    for path in CORPUS.rglob("*"):  # the first part of a descriptive file name is its owner or project
        head = compact(path.stem.split("_")[0])
        if "_" in path.stem and len(head) >= 4 and not _GENERIC.search(head[:2]) and not _DOCUMENT_WORD.search(head):
            names.add(head)
    return names


def _values(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _values(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _values(value)


def test_no_data_file_names_a_company_project_or_place_of_the_corpora() -> None:
    names = corpus_proper_names()
    assert len(names) > 50, "the corpus scan found too few names to be a meaningful check"
    data = resources.files("classify").joinpath("data")
    found = []
    for file_name in DATA_FILES:
        values = [compact(v) for v in _values(yaml.safe_load(data.joinpath(file_name).read_text(encoding="utf-8")))]
        text = "\n".join(values)
        found += [f"{file_name}: {name}" for name in sorted(names) if name in text]
    manifest = json.loads(data.joinpath("model", "base_examples.json").read_text(encoding="utf-8"))
    found += [f"base_examples.json: {name}" for name in sorted(names) if name in compact(json.dumps(manifest, ensure_ascii=False))]
    assert not found, "proper names of the corpora in the filing data:\n" + "\n".join(found)


def test_the_scan_would_catch_a_name_from_the_corpora() -> None:
    """The check can fail: a corpus organisation planted in a pattern is found."""
    names = corpus_proper_names()
    organisation = next(n for n in sorted(names) if n.endswith("有限公司"))
    planted = compact(yaml.safe_dump({"title_patterns": [f"{organisation}施工日志"]}, allow_unicode=True))
    assert organisation in planted and any(name in planted for name in names)
