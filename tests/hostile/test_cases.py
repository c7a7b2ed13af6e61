"""Every hostile case of the review, built by ``samples.hostile`` and taken in by ``ingest``: each
file gets exactly one report line, the hostile ones the outcome and reason below, and the good
control document beside them is archived and searchable.

In-process (fast, one case per test): memory is bounded here by the guards and the read's memory
limit, and measured per process in ``tests/hostile/test_one_batch.py`` and ``bench/hostile.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core import ArchiveService, Settings
from samples.hostile import CASES, Case, Context, write_case
from schemas.ingest import IngestRequest, IngestStatus
from schemas.search import SearchQuery
from tests import catalog_sql

pytestmark = pytest.mark.integration

Q, IN = IngestStatus.QUARANTINED, IngestStatus.INGESTED
LINK = "符号链接"
DTD = "DTD/实体声明"
BOMB = "压缩炸弹"
PIXELS = "亿像素"

# case number → {file name: (the outcome, a word its reason must contain)}; files not named: any outcome
EXPECTED: dict[int, dict[str, tuple[IngestStatus, str | None]]] = {
    1: {"压缩炸弹_2.5GB.docx": (Q, BOMB)},
    2: {"元素炸弹_1.5亿段落.docx": (Q, BOMB)},
    3: {"表格炸弹_2.5GB.xlsx": (Q, BOMB)},
    4: {"共享字符串炸弹.xlsx": (Q, BOMB)},
    5: {"合并单元格炸弹.xlsx": (IN, None)},
    6: {"跨列炸弹.docx": (IN, None)},
    7: {"十万成员.docx": (Q, "个成员")},
    8: {"嵌套压缩包.docx": (IN, None), "嵌套压缩包_1TB.zip": (Q, "unsupported")},
    9: {"穿越_成员.docx": (IN, None), "穿越.zip": (Q, "unsupported")},
    10: {"谎报大小.docx": (Q, "谎报大小")},
    11: {"外部实体_正文.docx": (Q, DTD), "外部实体_网络.docx": (Q, DTD)},
    12: {"外部实体_共享字符串.xlsx": (Q, DTD), "外部实体_网络.xlsx": (Q, DTD)},
    13: dict.fromkeys(("十亿笑声.docx", "十亿笑声.xlsx", "平方膨胀.xlsx", "平方膨胀.docx"), (Q, DTD)),
    14: dict.fromkeys(("外部实体_WordML.doc", "十亿笑声_WordML.doc", "外部实体.ofd"), (Q, DTD)),
    15: {"页面放大.ofd": (Q, "页面")},
    16: {"页面树循环.pdf": (Q, "cyclic"), "页面树自引用.pdf": (Q, "cyclic")},
    18: {"内容流炸弹_4GB.pdf": (Q, BOMB), "图像炸弹_25亿像素.pdf": (Q, PIXELS)},
    19: {"十万页空白.pdf": (Q, "100,000 页"), "三千页扫描.pdf": (Q, None)},
    20: {"加密_用户口令_RC4.pdf": (Q, "encrypted"), "加密_仅所有者口令_RC4.pdf": (IN, None)},
    21: {"脚本与启动动作.pdf": (IN, None)},
    24: dict.fromkeys(("图像炸弹_5万x5万.png", "图像炸弹_5万x5万.tif", "图像炸弹_65500.jpg", "图像_1.69亿像素.png"), (Q, PIXELS)),
    25: {"两万帧.tif": (Q, "帧"), "帧循环_自指.tif": (Q, "成环"), "帧循环_互指.tif": (Q, "成环")},
    26: dict.fromkeys(("截断.docx", "截断.xlsx", "截断.pdf", "截断.png", "截断.jpg", "截断.tif", "截断.doc", "截断.ofd"), (Q, None)) | {"截断.txt": (IN, None)},
    27: dict.fromkeys(("空文件.pdf", "空文件.docx", "空文件.xlsx", "空文件.txt", "空文件.png", "空文件_无扩展名"), (Q, "empty file")),
    28: {"实为ELF可执行.pdf": (Q, "not a PDF"), "实为PNG.pdf": (Q, "PNG"), "实为RTF.docx": (Q, "RTF"),
         "实为网页.doc": (Q, "web page"), "实为XLSX.docx": (Q, "not a Word file")},
    29: dict.fromkeys(("系统账户.txt", "进程环境.txt", "目录链接", "主机名.txt", "断链.pdf", "自指链接.txt", "循环链接A.txt", "循环链接B.txt", "指向管道.txt"), (Q, LINK))
        | {"命名管道.pdf": (Q, "命名管道"), "套接字.txt": (Q, "套接字"), "深处的施工日志.txt": (Q, "4096")},
    31: {"两亿字节单行.txt": (IN, None)},
    32: dict.fromkeys(("无BOM_UTF16LE.txt", "无BOM_UTF16BE.txt", "无BOM_UTF16LE_中英混合.txt"), (IN, None)),
    33: {"超大文件_201MiB.pdf": (Q, "exceeds the limit"), "超长字段.csv": (IN, None)},
    34: dict.fromkeys(("公式注入.txt", "=cmd公式名.txt", "公式注入2.txt"), (IN, None)),
    35: {"扇区链循环.doc": (Q, None), "DIFAT循环.doc": (Q, None)},
}


def _entries(folder: Path) -> int:
    """Everything in the folder that is not a folder (links, pipes and sockets included), at any depth."""
    return sum(len(files) + sum(1 for d in dirs if os.path.islink(os.path.join(top, d)))
               for top, dirs, files, _fd in os.fwalk(folder))


def _catalog_holds(home: Path, text: str) -> bool:
    found = catalog_sql.rows(home, "SELECT count(*) FROM document_texts WHERE content LIKE :pattern",
                             pattern=f"%{text}%")
    return found[0][0] > 0


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_case(case: Case, tmp_path: Path) -> None:
    folder = tmp_path / case.name
    write_case(case, folder, Context(markers=tmp_path / "markers"))
    settings = Settings(home=tmp_path / "档案室", watch_read_timeout=20)
    with ArchiveService(settings) as service:
        report = service.ingest(IngestRequest(paths=[folder], project="HOSTILE"))
        assert len(report.files) == _entries(folder), "every entry of the folder gets exactly one report line"
        lines = {Path(line.path).name: line for line in report.files}
        control = lines[f"设计变更通知单_{case.marker}.docx"]
        assert control.status == IN and service.search(SearchQuery(text=case.marker)).total == 1
        for name, (status, word) in EXPECTED.get(case.number, {}).items():
            line = lines[name]
            assert line.status == status, (name, line.reason)
            if status == Q:
                assert line.reason and name in line.reason, line.reason
                assert word is None or word in line.reason, line.reason
        for line in report.files:  # the catalog keeps the reason the report gave (of a document's first file)
            record = service.show(line.document_id) if line.status == Q and line.document_id else None
            if record is not None and record.original_name == Path(line.path).name:
                assert record.quarantine_reason == line.reason
        assert not _catalog_holds(settings.home, "root:x:0:0"), "a local file's content reached the catalog"
        assert service.search(SearchQuery(text='"root:x:0:0"')).total == 0
    evil = [name for _top, _dirs, names, _fd in os.fwalk(tmp_path) for name in names if name.startswith("jd_evil")]
    assert not evil and not list(Path("/tmp").glob("jd_evil*")), "a member name was used as a path"
    assert not (tmp_path / "markers" / "jd_launch_marker").exists(), "a PDF action ran"
