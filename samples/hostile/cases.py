"""The 35 hostile cases of the hostile-inputs review, each a folder: the hostile files and one good
control document (a 设计变更通知单 with a marker no other file has), which must be archived and
searchable whatever its neighbours do.

``write_case(case, folder, context)`` builds one case; ``CASES`` lists them all in order. The
``context`` carries what some cases point at: a local listener URL (an external entity or a PDF
script that calls it would show up there) and a folder for marker files (a /Launch action that
ran would create one).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from docx import Document as DocxDocument

from samples.hostile import files, images, office, pdfs

BILLION, QUADRATIC = office.BILLION_LAUGHS, office.QUADRATIC


@dataclass(frozen=True)
class Context:
    listener: str = "http://127.0.0.1:9/"  # a port nobody listens on unless a test starts a listener
    markers: Path = Path("/nonexistent")


Build = Callable[[Path, Context], list[str]]


@dataclass(frozen=True)
class Case:
    number: int
    name: str
    build: Build
    expect: str

    @property
    def marker(self) -> str:
        """The control document's unique word: search for it to see the control was archived."""
        return f"KZ{self.number:02d}HQ"


def control_docx(case: Case) -> bytes:
    document = DocxDocument()
    document.add_heading("设计变更通知单", level=1)
    document.add_paragraph(f"工程名称：市机关办公楼改造工程。变更编号 {case.marker}。")
    document.add_paragraph("变更内容：外墙保温做法由挤塑板调整为岩棉板，监理单位审核同意。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_case(case: Case, folder: Path, context: Context | None = None) -> list[str]:
    """Write the case's files and its control document into ``folder``; the hostile files' names."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"设计变更通知单_{case.marker}.docx").write_bytes(control_docx(case))
    return case.build(folder, context or Context())


def _one(name: str, make: Callable[[Path], Path]) -> Build:
    def build(folder: Path, _context: Context) -> list[str]:
        make(folder / name)
        return [name]
    return build


def _many(*builds: Build) -> Build:
    def build(folder: Path, context: Context) -> list[str]:
        return [name for part in builds for name in part(folder, context)]
    return build


def _entities(folder: Path, context: Context) -> list[str]:
    return _many(_one("十亿笑声.docx", lambda p: office.docx_entity(p, BILLION, "&l9;")),
                 _one("十亿笑声.xlsx", lambda p: office.xlsx_entity(p, BILLION, "&l9;")),
                 _one("平方膨胀.xlsx", lambda p: office.xlsx_entity(p, QUADRATIC, "&a;" * 50_000)),
                 _one("平方膨胀.docx", lambda p: office.docx_entity(p, QUADRATIC, "&a;" * 50_000)))(folder, context)


def _xxe(kind: str) -> Build:
    def build(folder: Path, context: Context) -> list[str]:
        passwd, oob = office.external_entity("file:///etc/passwd"), office.external_entity(context.listener)
        if kind == "docx":
            office.docx_entity(folder / "外部实体_正文.docx", passwd, "&xxe;")
            office.docx_entity(folder / "外部实体_网络.docx", oob, "&xxe;")
            return ["外部实体_正文.docx", "外部实体_网络.docx"]
        office.xlsx_entity(folder / "外部实体_共享字符串.xlsx", passwd, "&xxe;")
        office.xlsx_entity(folder / "外部实体_网络.xlsx", oob, "&xxe;")
        return ["外部实体_共享字符串.xlsx", "外部实体_网络.xlsx"]
    return build


def _wordml_ofd(folder: Path, context: Context) -> list[str]:
    office.wordml_entity(folder / "外部实体_WordML.doc", office.external_entity("file:///etc/passwd"), "&xxe;")
    office.wordml_entity(folder / "十亿笑声_WordML.doc", BILLION, "&l9;")
    office.ofd_external_entity(folder / "外部实体.ofd", "file:///etc/passwd")
    return ["外部实体_WordML.doc", "十亿笑声_WordML.doc", "外部实体.ofd"]


def _actions(folder: Path, context: Context) -> list[str]:
    pdfs.with_actions(folder / "脚本与启动动作.pdf", ["脚本与启动动作的文件", "施工日志"],
                      context.markers / "jd_launch_marker", context.listener)
    return ["脚本与启动动作.pdf"]


def _encrypted(folder: Path, _context: Context) -> list[str]:
    pdfs.encrypted(folder / "加密_用户口令_RC4.pdf", ["用户口令加密的文件"], "用户口令")
    pdfs.encrypted(folder / "加密_仅所有者口令_RC4.pdf", ["仅有所有者口令的监理通知 所有者口令可读"], "")
    return ["加密_用户口令_RC4.pdf", "加密_仅所有者口令_RC4.pdf"]


def _listing(make: Callable[[Path], list[str]]) -> Build:
    return lambda folder, _context: make(folder)


CASES: tuple[Case, ...] = (
    Case(1, "01_docx_bomb_2g5", _one("压缩炸弹_2.5GB.docx", office.docx_zip_bomb), "quarantined (zip bomb) in seconds"),
    Case(2, "02_docx_element_bomb", _one("元素炸弹_1.5亿段落.docx", office.docx_element_bomb), "quarantined; RSS bounded"),
    Case(3, "03_xlsx_sheet_bomb_2g5", _one("表格炸弹_2.5GB.xlsx", office.xlsx_sheet_bomb), "quarantined (zip bomb)"),
    Case(4, "04_xlsx_sharedstrings_bomb", _one("共享字符串炸弹.xlsx", office.xlsx_shared_strings_bomb), "quarantined"),
    Case(5, "05_xlsx_merge_bomb", _one("合并单元格炸弹.xlsx", office.xlsx_merge_bomb), "read or quarantined quickly"),
    Case(6, "06_docx_gridspan_bomb", _one("跨列炸弹.docx", office.docx_gridspan_bomb), "read or quarantined quickly"),
    Case(7, "07_docx_100k_members", _one("十万成员.docx", office.docx_many_members), "read or quarantined in seconds"),
    Case(8, "08_docx_nested_zip", _many(_one("嵌套压缩包.docx", office.docx_nested_zip),
                                        _one("嵌套压缩包_1TB.zip", office.nested_zip)),
         "docx read, embedded zip not expanded; the .zip quarantined as unsupported"),
    Case(9, "09_zip_path_traversal", _many(_one("穿越_成员.docx", office.docx_traversal_members),
                                           _one("穿越.zip", office.zip_traversal),
                                           _one("穿越_关系.docx", office.docx_traversal_relationship)),
         "no jd_evil file anywhere outside the archive home"),
    Case(10, "10_zip_size_lie", _one("谎报大小.docx", office.docx_size_lie), "quarantined: the size lie named"),
    Case(11, "11_docx_xxe", _xxe("docx"), "no /etc/passwd text anywhere; no request to the listener"),
    Case(12, "12_xlsx_xxe", _xxe("xlsx"), "no /etc/passwd text anywhere; no request to the listener"),
    Case(13, "13_entity_expansion", _entities, "quarantined or read in seconds without expanding"),
    Case(14, "14_wordml_ofd_xxe", _wordml_ofd, "no /etc/passwd text; entity bombs not expanded"),
    Case(15, "15_ofd_page_amplification", _one("页面放大.ofd", office.ofd_page_amplification), "bounded time and RSS"),
    Case(16, "16_pdf_pages_cycle", _many(_one("页面树循环.pdf", pdfs.pages_cycle), _one("页面树自引用.pdf", pdfs.pages_mutual)),
         "quarantined (corrupt) or read in seconds"),
    Case(17, "17_pdf_prev_loop", _many(_one("交叉引用循环.pdf", pdfs.prev_loop),
                                       _one("交叉引用互指.pdf", lambda p: pdfs.prev_loop(p, mutual=True))),
         "read or quarantined in seconds"),
    Case(18, "18_pdf_flate_bomb", _many(_one("内容流炸弹_4GB.pdf", pdfs.content_bomb),
                                        _one("图像炸弹_25亿像素.pdf", pdfs.image_bomb)), "quarantined in seconds; RSS bounded"),
    Case(19, "19_pdf_100k_pages", _many(_one("十万页空白.pdf", pdfs.many_pages),
                                        _one("三千页扫描.pdf", lambda p: pdfs.many_pages(p, 3000, images.scan_jpeg()))),
         "read or quarantined with a reason within the time limit"),
    Case(20, "20_pdf_encrypted", _encrypted, "user password: quarantined ENCRYPTED; owner-only: read"),
    Case(21, "21_pdf_actions", _actions, "read; nothing executed; no request to the listener"),
    Case(22, "22_pdf_deep_nesting", _many(_one("深度嵌套数组.pdf", pdfs.deep_nesting),
                                          _one("深度嵌套字典.pdf", lambda p: pdfs.deep_nesting(p, kind="dict"))),
         "read or quarantined in seconds, no RecursionError"),
    Case(23, "23_pdf_xref_huge", _many(_one("交叉引用表巨大.pdf", pdfs.huge_xref),
                                       _one("交叉引用流巨大.pdf", lambda p: pdfs.huge_xref(p, stream=True))),
         "read or quarantined in seconds"),
    Case(24, "24_image_bombs", _many(_one("图像炸弹_5万x5万.png", lambda p: images.png(p, 50_000, 50_000)),
                                     _one("图像炸弹_5万x5万.tif", lambda p: images.tiff(p, 50_000, 50_000)),
                                     _one("图像炸弹_65500.jpg", lambda p: images.jpeg_declaring(p, 65_500, 65_500)),
                                     _one("图像_1.69亿像素.png", lambda p: images.png(p, 13_000, 13_000, full=True))),
         "quarantined TOO_LARGE naming the file, in seconds"),
    Case(25, "25_tiff_frames", _many(_one("两万帧.tif", images.tiff_frames),
                                     _one("帧循环_自指.tif", lambda p: images.tiff_frames(p, loop="self")),
                                     _one("帧循环_互指.tif", lambda p: images.tiff_frames(p, loop="mutual"))),
         "kept or quarantined within the time limit; no infinite loop"),
    Case(26, "26_truncated", _listing(files.truncated), "each quarantined CORRUPT naming the file"),
    Case(27, "27_empty", _listing(files.empty), "each quarantined EMPTY naming the file"),
    Case(28, "28_wrong_type", _listing(files.wrong_types), "quarantined saying what the bytes are, or read as what they are"),
    Case(29, "29_special_files", _listing(files.special_files), "links, pipes, sockets never followed; a line each"),
    Case(30, "30_names", _listing(files.hostile_names), "every file read or quarantined; names shown readably"),
    Case(31, "31_text_200mb_line", _one("两亿字节单行.txt", files.text_one_line), "read or quarantined, bounded"),
    Case(32, "32_utf16_nobom", _listing(files.utf16_without_bom), "decoded as UTF-16 or quarantined"),
    Case(33, "33_oversize_and_csv", _many(_one("超大文件_201MiB.pdf", files.oversize),
                                          _one("超长字段.csv", files.csv_long_field)),
         "201 MiB file stored and quarantined TOO_LARGE; CSV read or quarantined"),
    Case(34, "34_formula_injection", _listing(files.formula_text), "searchable; exports never live formulas"),
    Case(35, "35_ole_hostile", _many(_one("扇区链循环.doc", files.ole_sector_loop), _one("DIFAT循环.doc", files.ole_difat_loop)),
         "quarantined CORRUPT in seconds"),
)
