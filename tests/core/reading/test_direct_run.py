"""The reading pipeline run by ``DirectRun`` gives what ``Pipeline.run`` gives, route by route."""

from __future__ import annotations

from pathlib import Path

import pytest
from haystack import Document, Pipeline, component
from haystack.dataclasses import ByteStream

from core.reading.direct_run import DirectRun, UnsupportedGraph
from core.reading.pipelines import build_reading_pipeline
from ingest import mime_type_for
from schemas import meta as M
from tests.files import write_docx, write_encrypted_pdf, write_image_only_pdf, write_pdf, write_xlsx
from tests.formats import write_dxf, write_ofd


def _files(folder: Path) -> list[Path]:
    """One file per route we have a writer for, and files each route must refuse."""
    files = [
        write_pdf(folder / "隐蔽工程质量验收记录.pdf", ["隐蔽工程质量验收记录", "工程名称：大理机场三期扩建工程",
                                                  "编号：YS-2024-031", "验收日期：2024年5月17日"]),
        write_image_only_pdf(folder / "扫描件.pdf"),
        write_encrypted_pdf(folder / "加密.pdf", ["施工合同"]),
        write_docx(folder / "单位工程开工报审表.docx", "单位工程开工报审表", ["日期：２０２４年５月１７日"],
                   [["工程名称", "大理机场三期扩建工程"], ["施工单位", "中建三局集团有限公司"]]),
        write_xlsx(folder / "监理日志.xlsx", "监理日志", [["日期", "2024-05-17"], ["天气", "晴"]]),
        write_dxf(folder / "基础平面布置图.dxf"),
        write_ofd(folder / "批复.ofd", [[(20.0, 30.0, "关于某某项目的批复"), (20.0, 40.0, "同意立项。")]]),
    ]
    (folder / "说明.txt").write_text("设计变更通知单\n变更内容：基础加深 0.5 米。", encoding="utf-8")
    (folder / "坏的.xlsx").write_bytes(b"not a workbook at all")
    (folder / "空白.docx").write_bytes(b"PK\x03\x04 truncated")
    (folder / "汇报.ppt").write_bytes(b"\xd0\xcf\x11\xe0 slides")
    (folder / "空的.txt").write_bytes(b"")
    return [*files, *(folder / name for name in ("说明.txt", "坏的.xlsx", "空白.docx", "汇报.ppt", "空的.txt"))]


def _source(path: Path) -> ByteStream:
    return ByteStream.from_file_path(path, mime_type=mime_type_for(path.name), meta={M.ORIGINAL_NAME: path.name})


def test_direct_run_equals_the_pipeline_run_for_every_file(tmp_path):
    pipeline = build_reading_pipeline()
    pipeline.warm_up()
    direct = DirectRun(pipeline)
    for path in _files(tmp_path):
        data = {"router": {"sources": [_source(path)]}}
        expected = pipeline.run(data)
        assert direct.run(data) == expected, path.name


def test_direct_run_can_run_twice_over_the_same_components(tmp_path):
    pipeline = build_reading_pipeline()
    pipeline.warm_up()
    direct = DirectRun(pipeline)
    pdf = write_pdf(tmp_path / "验收记录.pdf", ["隐蔽工程质量验收记录", "编号：YS-2024-031"])
    text = tmp_path / "说明.txt"
    text.write_text("设计变更通知单", encoding="utf-8")
    first = direct.run({"router": {"sources": [_source(pdf)]}})
    second = direct.run({"router": {"sources": [_source(text)]}})
    assert [d.meta[M.ORIGINAL_NAME] for d in first["classify"]["documents"]] == ["验收记录.pdf"]
    assert [d.meta[M.ORIGINAL_NAME] for d in second["classify"]["documents"]] == ["说明.txt"]


@component
class _Echo:
    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict:
        return {"documents": documents}


@component
class _Pair:
    @component.output_types(documents=list[Document])
    def run(self, left: list[Document], right: list[Document]) -> dict:
        return {"documents": left + right}


def test_a_graph_whose_output_fans_out_is_refused():
    pipeline = Pipeline()
    pipeline.add_component("source", _Echo())
    pipeline.add_component("sink", _Pair())
    pipeline.connect("source.documents", "sink.left")
    pipeline.connect("source.documents", "sink.right")
    with pytest.raises(UnsupportedGraph):
        DirectRun(pipeline)


@component
class _Broken:
    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict:
        raise MemoryError("no room")


def test_a_failing_component_raises_what_pipeline_run_raises():
    pipeline = Pipeline()
    pipeline.add_component("source", _Echo())
    pipeline.add_component("broken", _Broken())
    pipeline.connect("source.documents", "broken.documents")
    data = {"source": {"documents": [Document(content="监理日志")]}}
    with pytest.raises(Exception) as expected:
        pipeline.run(data)
    with pytest.raises(Exception) as direct:
        DirectRun(pipeline).run(data)
    assert type(direct.value) is type(expected.value)
    assert str(direct.value) == str(expected.value)
