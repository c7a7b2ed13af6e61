"""Generated files of the formats added for scans, drawings and legacy documents (DXF, OFD, photos)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import ezdxf
from PIL import ExifTags, Image


def write_dxf(path: Path, version: str = "R2018", encoding: str | None = None, revision: str = "B") -> Path:
    doc = ezdxf.new(version)
    if encoding:
        doc.encoding = encoding  # written as $DWGCODEPAGE ANSI_936: how Chinese AutoCAD saved R2000 files
    msp = doc.modelspace()
    msp.add_text("一层平面图 1:100", dxfattribs={"height": 5, "insert": (10, 250)})
    msp.add_mtext("说明：\\P混凝土强度等级C30，钢筋HRB400。", dxfattribs={"char_height": 3.5, "insert": (10, 230)})
    block = doc.blocks.new("图签")
    for tag, y in (("DWGNO", 30), ("TITLE", 20)):
        block.add_attdef(tag, (330, y), dxfattribs={"height": 3})
    msp.add_blockref("图签", (0, 0)).add_auto_attribs({"DWGNO": "结施-03", "TITLE": "基础平面布置图"})
    for label, value, y in (("图号", None, 30), ("图名", None, 20), ("专业", "结构", 40), ("版本", revision, 10)):
        msp.add_text(label, dxfattribs={"height": 3, "insert": (300, y)})
        if value:
            msp.add_text(value, dxfattribs={"height": 3, "insert": (330, y)})
    msp.add_text("竣工图", dxfattribs={"height": 4, "insert": (200, 60)})
    msp.add_text("编制人：李工", dxfattribs={"height": 3, "insert": (200, 52)})
    doc.saveas(path)
    return path


def write_ofd(path: Path, pages: list[list[tuple[float, float, str]]], title: str | None = "关于某某项目的批复") -> Path:
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    info = f"<ofd:DocInfo><ofd:Title>{title}</ofd:Title></ofd:DocInfo>" if title else ""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} DocType="OFD" Version="1.0"><ofd:DocBody>'
            f"{info}<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        listed = "".join(
            f'<ofd:Page ID="{n + 1}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(len(pages))
        )
        archive.writestr(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}><ofd:CommonData><ofd:MaxUnitID>99</ofd:MaxUnitID>'
            f"</ofd:CommonData><ofd:Pages>{listed}</ofd:Pages></ofd:Document>",
        )
        for n, objects in enumerate(pages):
            body = "".join(
                f'<ofd:TextObject ID="{i + 10}" Boundary="{x} {y} 120 6" Font="3" Size="4.2">'
                f'<ofd:TextCode X="0" Y="4.5">{text}</ofd:TextCode></ofd:TextObject>'
                for i, (x, y, text) in enumerate(objects)
            )
            archive.writestr(
                f"Doc_0/Pages/Page_{n}/Content.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content><ofd:Layer ID="2">{body}'
                "</ofd:Layer></ofd:Content></ofd:Page>",
            )
    return path


def site_photo() -> bytes:
    """A JPEG with EXIF: taken 2024-05-16 08:15:42 at 25.605 N, 100.32 E with a HUAWEI P60."""
    image = Image.new("RGB", (320, 240), (120, 160, 90))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "HUAWEI"
    exif[ExifTags.Base.Model] = "P60"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2024:05:16 08:15:42"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (25.0, 36.0, 18.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (100.0, 19.0, 12.0),
        }
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()
