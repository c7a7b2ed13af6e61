"""Broken, mis-named, oddly named and special files: truncated and empty files of every type, wrong
extensions, names no file should have, huge text, formula-looking text, looping OLE files, and
the things a share can hold that are not files at all (links, pipes, sockets, very deep paths).
"""

from __future__ import annotations

import os
import socket
import struct
from pathlib import Path

from PIL import Image

from samples.hostile.office import base_docx, base_xlsx, ofd_bytes
from samples.hostile.pdfs import chinese_pdf

MiB = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def _image_bytes(kind: str, folder: Path) -> bytes:
    scratch = folder / f".scratch.{kind}"
    Image.new("L", (64, 64), 200).save(scratch, {"png": "PNG", "jpg": "JPEG", "tif": "TIFF"}[kind])
    data = scratch.read_bytes()
    scratch.unlink()
    return data


def truncated(folder: Path) -> list[str]:
    """Each type cut in half."""
    whole = {
        "截断.docx": base_docx("截断的文件"), "截断.xlsx": base_xlsx(True), "截断.pdf": chinese_pdf(["截断的文件"]),
        "截断.png": _image_bytes("png", folder), "截断.jpg": _image_bytes("jpg", folder),
        "截断.tif": _image_bytes("tif", folder), "截断.txt": "截断的文本文件".encode(),
        "截断.doc": OLE_MAGIC + b"\0" * 600, "截断.ofd": ofd_bytes("截断的 OFD"),
    }
    for name, data in whole.items():
        (folder / name).write_bytes(data[: len(data) // 2])
    return list(whole)


def empty(folder: Path) -> list[str]:
    names = ["空文件.pdf", "空文件.docx", "空文件.xlsx", "空文件.txt", "空文件.png", "空文件_无扩展名"]
    for name in names:
        (folder / name).write_bytes(b"")
    return names


def wrong_types(folder: Path) -> list[str]:
    pdf, docx, xlsx = chinese_pdf(["实为PDF的文件"]), base_docx("实为DOCX"), base_xlsx(True)
    files = {
        "实为PDF.docx": pdf, "实为PNG.pdf": _image_bytes("png", folder), "实为DOCX.xlsx": docx,
        "实为XLSX.docx": xlsx, "实为ELF可执行.pdf": b"\x7fELF\x02\x01\x01" + b"\0" * 200,
        "实为网页.doc": "<html><body><p>网页另存为 doc</p></body></html>".encode(),
        "实为RTF.docx": rb"{\rtf1\ansi hello}", "实为PDF": pdf,
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return list(files)


def hostile_names(folder: Path) -> list[str]:
    """Names with controls, separators, only spaces, percent signs, GBK bytes, a leading '='."""
    names = ["回车\r符.txt", "制表\t符.txt", "换行\n符.txt", "转义\x1b[31m红色.txt", "下一行分隔\u2028.txt",
             "反转\u202egpj.txt", "100%完成.txt", "%s%n%x.txt", "   ", "=1+1公式开头.txt", "长" * 81 + ".txt"]
    for n, name in enumerate(names):
        (folder / name).write_text(f"奇怪的文件名 第{n}号：施工日志", encoding="utf-8")
    gbk = os.fsencode(folder) + b"/" + "国标编码名称.txt".encode("gbk")
    with open(gbk, "wb") as handle:
        handle.write("国标编码的文件名：监理通知".encode())
    return [*names, "国标编码名称.txt (GBK bytes)"]


def text_one_line(path: Path, megabytes: int = 200) -> Path:
    """``megabytes`` MB of Chinese text with no line break at all."""
    chunk = ("施工日志外墙保温岩棉板" * 10_000).encode()
    with path.open("wb") as handle:
        for _ in range(megabytes * MiB // len(chunk)):
            handle.write(chunk)
    return path


def utf16_without_bom(folder: Path) -> list[str]:
    text = "设计变更通知单：外墙保温做法调整。\n监理单位意见：同意。\n"
    (folder / "无BOM_UTF16LE.txt").write_bytes(text.encode("utf-16-le"))
    (folder / "无BOM_UTF16BE.txt").write_bytes(text.encode("utf-16-be"))
    (folder / "无BOM_UTF16LE_中英混合.txt").write_bytes(("Design change 设计变更 C30 混凝土\n" * 5).encode("utf-16-le"))
    return ["无BOM_UTF16LE.txt", "无BOM_UTF16BE.txt", "无BOM_UTF16LE_中英混合.txt"]


def oversize(path: Path, size: int = 201 * MiB) -> Path:
    """A sparse file over the 200 MiB limit (cheap on disk)."""
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(size)
    return path


def csv_long_field(path: Path, megabytes: int = 10) -> Path:
    path.write_text("编号,说明\n1," + "长" * (megabytes * MiB // 3) + "\n2,正常的一行\n", encoding="utf-8")
    return path


FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0", '=HYPERLINK("http://127.0.0.1/","点击")']


def formula_text(folder: Path) -> list[str]:
    files = {"公式注入.txt": f"{FORMULAS[0]}\n公式注入测试 施工日志\n", "=cmd公式名.txt": "文件名以等号开头 施工日志\n",
             "公式注入2.txt": "\n".join([*FORMULAS[1:], "公式注入测试二 监理通知"])}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return list(files)


def _ole(sectors: list[bytes], fat_sectors: list[int], first_dir: int, difat_first: int = END,
         difat_count: int = 0, fat_count: int | None = None) -> bytes:
    header = OLE_MAGIC + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, fat_count if fat_count is not None else len(fat_sectors), first_dir, 0,
                          4096, END, 0, difat_first, difat_count)
    difat = fat_sectors[:109] + [FREE] * (109 - len(fat_sectors[:109]))
    header += struct.pack("<109I", *difat)
    return header + b"".join(s.ljust(512, b"\0") for s in sectors)


def _fat(entries: list[int]) -> bytes:
    return struct.pack("<128I", *(entries + [FREE] * (128 - len(entries))))


def _directory() -> bytes:
    name = "Root Entry".encode("utf-16-le") + b"\0\0"
    entry = name.ljust(64, b"\0") + struct.pack("<HBBIII", len(name), 5, 1, FREE, FREE, FREE) + b"\0" * 36
    return entry.ljust(128, b"\0") + struct.pack("<II", END, 0)


def ole_sector_loop(path: Path) -> Path:
    """The directory's sector chain points back at itself."""
    path.write_bytes(_ole([_fat([FATSECT, 1]), _directory()], fat_sectors=[0], first_dir=1))
    return path


def ole_difat_loop(path: Path) -> Path:
    """A DIFAT sector whose 'next' pointer is itself, and a header claiming 200 FAT sectors."""
    difat = struct.pack("<127I", *([0] + [FREE] * 126)) + struct.pack("<I", 2)
    path.write_bytes(_ole([_fat([FATSECT, END, 0xFFFFFFFC]), _directory(), difat], fat_sectors=[0] * 109,
                          first_dir=1, difat_first=2, difat_count=1, fat_count=200))
    return path


def special_files(folder: Path) -> list[str]:
    """Links out of the folder, a loop, a dangling link, a pipe, a socket, a very deep path."""
    links = {"系统账户.txt": "/etc/passwd", "进程环境.txt": "/proc/self/environ", "目录链接": "/etc",
             "主机名.txt": "/etc/hostname", "断链.pdf": str(folder / "不存在.pdf"), "自指链接.txt": "自指链接.txt",
             "循环链接A.txt": "循环链接B.txt", "循环链接B.txt": "循环链接A.txt"}
    for name, target in links.items():
        os.symlink(target, folder / name)
    os.mkfifo(folder / "命名管道.pdf")
    os.symlink(folder / "命名管道.pdf", folder / "指向管道.txt")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(folder / "套接字.txt"))
    server.close()
    _deep_file(folder, levels=20)
    return [*links, "命名管道.pdf", "指向管道.txt", "套接字.txt", "深处的施工日志.txt (4,800+ byte path)"]


def _deep_file(folder: Path, levels: int) -> None:
    """A file under ``levels`` folders whose full path is longer than PATH_MAX (made through folder fds)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for n in range(levels):
            name = f"第{n:02d}层" + "深" * 78
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = inner
        out = os.open("深处的施工日志.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, "深层目录中的施工日志：外墙保温".encode())
        os.close(out)
    finally:
        os.close(fd)
