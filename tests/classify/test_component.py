"""The Haystack component: reads the meta keys of schemas.meta, writes the classification back."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from haystack import Document, Pipeline

from classify import DocumentClassifier, TaxonomyError
from schemas import meta as M
from schemas.documents import Classification


def _document(title: str | None, text: str, name: str, hints: list[str] | None = None) -> Document:
    meta = {M.ORIGINAL_NAME: name, M.FOLDER_HINTS: hints or []}
    if title is not None:
        meta[M.TITLE] = title
    return Document(content=text, meta=meta)


def test_run_sets_a_classification_dict_on_each_document() -> None:
    component = DocumentClassifier()
    component.warm_up()
    documents = [
        _document("设计变更通知单", "编号：结施-变-03\n变更原因：抗渗等级调整", "变更03.pdf"),
        _document(None, "", "012_施工日志.xlsx", ["C1施工管理文件"]),
    ]
    out = component.run(documents=documents)["documents"]
    first = Classification.model_validate(out[0].meta[M.CLASSIFICATION])
    second = Classification.model_validate(out[1].meta[M.CLASSIFICATION])
    assert (first.class_code, first.item_code) == ("C2", "C2-6")
    assert second.class_code == "C1" and second.needs_review
    assert out[0].meta[M.ORIGINAL_NAME] == "变更03.pdf"  # other meta untouched
    assert isinstance(out[0].meta[M.CLASSIFICATION]["reasons"], list)


def test_neutralised_file_names_are_not_used() -> None:
    document = _document(None, "", "设计变更通知单.pdf")
    named = DocumentClassifier().run(documents=[document])["documents"][0]
    neutral = DocumentClassifier(neutralise_file_names=True).run(documents=[document])["documents"][0]
    assert named.meta[M.CLASSIFICATION]["class_code"] == "C2"
    assert neutral.meta[M.CLASSIFICATION]["class_code"] is None


def test_review_threshold_reaches_the_classifier() -> None:
    document = _document("施工日志", "天气：晴", "a.xlsx")
    strict = DocumentClassifier(review_threshold=0.999).run(documents=[document])["documents"][0]
    assert strict.meta[M.CLASSIFICATION]["needs_review"] is True


def test_component_serialises_with_its_init_parameters() -> None:
    pipeline = Pipeline()
    pipeline.add_component("classify", DocumentClassifier(review_threshold=0.6, neutralise_file_names=True))
    params = pipeline.to_dict()["components"]["classify"]["init_parameters"]
    assert params == {"taxonomy_path": None, "review_threshold": 0.6, "neutralise_file_names": True}


def test_locality_override_path_is_loaded_at_warm_up(tmp_path: Path) -> None:
    override = tmp_path / "地方补充.yaml"
    override.write_text(
        yaml.safe_dump(
            {"override": {"name": "某市"}, "items": [{"code": "E4-2", "name": "地方补充：工程建设廉政档案",
                                                       "doc_types": [{"name": "廉政档案"}]}]},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )  # fmt: skip
    component = DocumentClassifier(taxonomy_path=str(override))
    component.warm_up()
    out = component.run(documents=[_document("廉政档案", "廉政责任书", "x.docx")])["documents"][0]
    assert out.meta[M.CLASSIFICATION]["item_code"] == "E4-2"


def test_broken_taxonomy_fails_at_warm_up(tmp_path: Path) -> None:
    broken = tmp_path / "坏.yaml"
    broken.write_text("classes: [", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="not valid YAML"):
        DocumentClassifier(taxonomy_path=str(broken)).warm_up()
