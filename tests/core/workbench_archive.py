"""A small real archive for the workbench tests: two projects, INBOX, a quarantined file.

Files are written with the office libraries (reportlab, python-docx, openpyxl) and ingested
through the service like any upload; nothing is stubbed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core import ArchiveService
from schemas.ingest import IngestRequest
from schemas.projects import NewProject
from tests.files import write_docx, write_pdf, write_xlsx

MAIN = "XM-2024-017"
OTHER = "XM-2025-002"


@dataclass
class Archive:
    service: ArchiveService
    ids: dict[str, str]  # file name → document id


def build(service: ArchiveService, folder: Path) -> Archive:
    service.projects.add(NewProject(code=MAIN, name="市民服务中心大楼", owner="市机关事务管理局",
                                    figures={"建筑面积": "12,000 ㎡"}), who="tests")
    service.projects.add(NewProject(code=OTHER, name="市档案馆新馆"), who="tests")
    main, inbox = folder / "main", folder / "inbox"
    main.mkdir(parents=True)
    inbox.mkdir()
    write_pdf(main / "设计变更通知单.pdf", ["设计变更通知单", "工程名称：市民服务中心大楼", "编号：结施-变-02",
                                       "日期：2024年3月15日", "变更内容：外墙保温改为岩棉板", "变更金额：128,000.00元"])
    write_pdf(main / "施工组织设计.pdf", ["施工组织设计", "工程名称：市民服务中心大楼", "编制日期：2024年1月8日"])
    write_docx(main / "监理月报.docx", "监理月报", ["2024年4月监理工作情况", "监理单位：华诚监理公司"],
               table=[["项目", "情况"], ["进度", "正常"]])
    write_xlsx(main / "隐蔽工程验收记录.xlsx", "隐蔽工程验收记录", [["部位", "结论"], ["一层梁板", "合格"]])
    (main / "空白.pdf").write_bytes(b"")
    write_pdf(inbox / "竣工验收报告.pdf", ["竣工验收报告", "验收日期：2024年11月20日"])
    report = service.ingest(IngestRequest(paths=[main], project=MAIN))
    report.files += service.ingest(IngestRequest(paths=[inbox])).files
    return Archive(service=service, ids={Path(f.path).name: f.document_id for f in report.files})
