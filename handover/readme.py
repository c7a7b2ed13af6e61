"""``README.html``: the bundle explained, in Chinese, to a reader who has never heard of jiandang.

It says what the bundle is, how it is laid out, how 档号 are built, how to check it with tools
that exist everywhere (``sha256sum``, ``certutil``, bagit), what was checked at export and what
is left to do before signing. Plain HTML with inline CSS, no scripts, no external files: it must
open in any browser in twenty years.
"""

from __future__ import annotations

from html import escape
from typing import Any

from handover.plan import ARCHIVE_CODE_SCHEME, Volume
from schemas.handover import HandoverRequest

_RESULT = {"passed": "通过", "failed": "未通过", "warning": "有提示", "not_checked": "未检测"}
_CSS = ("body{font-family:'宋体',SimSun,'Noto Serif CJK SC',serif;max-width:60em;margin:2em auto;line-height:1.7}"
        "table{border-collapse:collapse}td,th{border:1px solid #888;padding:2px 8px}th{background:#eee}"
        "code,pre{font-family:monospace;background:#f4f4f4}")


def _table(columns: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def render_readme(request: HandoverRequest, volumes: list[Volume], manifest: dict[str, Any]) -> str:
    p = request.project
    counts = manifest["counts"]
    classes: dict[str, list[Volume]] = {}
    for v in volumes:
        classes.setdefault(v.class_code, []).append(v)
    class_rows: list[list[object]] = [
        [code, vs[0].class_name, len(vs), sum(len(v.documents) for v in vs)] for code, vs in classes.items()
    ]
    files_rows: list[list[object]] = [[f["path"], f.get("description", "")] for f in manifest["files"]]
    checks = manifest["checks"]
    check_rows: list[list[object]] = [
        [c["name"], _RESULT[c["result"]], "；".join(c["details"])] for c in checks.values()
    ]
    completeness = manifest["completeness"]
    completeness_text = ("已评估，详见 manifest.json 的 completeness.report" if completeness["status"] == "assessed"
                         else "尚未评估（completeness not yet assessed）：移交前请档案员核对归档范围。")
    selection = manifest["selection"]
    scope = "全部类目" if not selection["only"] else "仅 " + "、".join(selection["only"])
    first = volumes[0].documents[0].archive_code if volumes else "—"
    last = volumes[-1].documents[-1].archive_code if volumes else "—"
    review = sum(1 for v in volumes for d in v.documents if d.doc.review_status in ("needs_review", "unreadable"))
    eep_line = ("  EEP/件档号.xml       每件文件一个 DA/T 48 式电子文件封装包（XML：元数据与 Base64 编码的原件）\n"
                if request.eep else "")
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(p.name)} 档案移交包说明</title>
<style>{_CSS}</style></head><body>
<h1>{escape(p.name)}<br>建设项目档案移交包说明</h1>
<p>本文件夹是 <b>{escape(p.agency)}</b> 移交的建设项目电子档案，项目代号 <b>{escape(p.code)}</b>，
范围：{escape(scope)}{"，资产：" + escape(selection["asset"]) if selection["asset"] else ""}。
共 <b>{counts["volumes"]}</b> 卷、<b>{counts["documents"]}</b> 件电子文件，{counts["bytes"]:,} 字节；
起止档号 {escape(first)} 至 {escape(last)}。档案目录数据截至 {escape(str(manifest["catalog_as_of"] or "—"))}。</p>
<p>文件原样保存：包内每个电子文件与归档时收到的文件逐字节相同，不曾转换或改名以外的任何处理。
打开本包不需要任何专门软件。</p>

<h2>一、包的结构</h2>
<p>本包按国际通用的 BagIt 格式（RFC 8493）封装，便于长期保存和校验：</p>
<pre>
bagit.txt              BagIt 版本声明
bag-info.txt           移交单位、项目、日期、文件数量与字节数（Payload-Oxum）
manifest-sha256.txt    data/ 下每个文件的 SHA-256 校验值
manifest-sha512.txt    data/ 下每个文件的 SHA-512 校验值
tagmanifest-*.txt      以上说明文件本身的校验值
data/
  README.html          本说明
  manifest.json        全部案卷和文件的著录数据（机器可读）
  manifest.schema.json manifest.json 的格式定义（JSON Schema 2020-12）
  目录/                 移交清单、案卷目录、卷内目录、卷内备考表（XLSX 与 DOCX）、交付使用资产登记表
  档案/分类号/案卷档号/件档号 原文件名   电子文件，按档号排列
{eep_line}</pre>
{_table(["文件", "说明"], files_rows)}

<h2>二、档号与排列</h2>
<p>档号结构：{escape(ARCHIVE_CODE_SCHEME)}。例如 <code>{escape(first)}</code>。
分类号采用《建设工程文件归档规范》GB/T 50328-2014（2019年版）附录 A 的二级类目（A1…E4、D 竣工图）。
文件名中的 <code>%</code>、<code>/</code>、<code>:</code> 等字符已换成全角字符（如 ％），以便各种系统和 BagIt 工具都能读取；
原始文件名保存在 manifest.json 的 original_name 中。</p>
{_table(["分类号", "类目名称", "卷数", "件数"], class_rows)}

<h2>三、如何校验</h2>
<p>在本包根目录（bagit.txt 所在目录）执行以下任一方法，全部显示“OK”或“valid”即说明文件完好、未被改动：</p>
<ul>
<li>Linux / macOS：<code>sha256sum -c manifest-sha256.txt</code></li>
<li>任何装有 Python 的电脑：<code>python -m pip install bagit</code>，然后 <code>bagit.py --validate 本包目录</code></li>
<li>jiandang：<code>jiandang verify-bundle 本包目录</code>（同时核对 manifest.json 与其格式定义）</li>
<li>Windows：<code>certutil -hashfile 文件名 SHA256</code>，与 manifest-sha256.txt 中的值比对</li>
</ul>

<h2>四、移交时的检测结果（四性检测，DA/T 70-2018）</h2>
{_table(["检测项", "结果", "说明"], check_rows)}
<p>归档范围完整性：{escape(completeness_text)}</p>

<h2>五、签收前请注意</h2>
<ul>
<li>有 {review} 件文件的分类待复核或无法读取，已在卷内目录“备注”栏注明。</li>
<li>移交清单、案卷目录、卷内备考表中的签名、印章和日期栏留空，由交接双方打印后填写。</li>
<li>密级栏留空：jiandang 不判断密级，请移交单位填写。</li>
<li>保管期限为依据归档规范的建议值，案卷取卷内文件的最长期限，请档案部门确认。</li>
</ul>
<p style="color:#666">本包由 {escape(request.software)} 生成。</p>
</body></html>
"""
