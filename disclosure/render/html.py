"""index.html: one self-contained page for the 公告栏 and the website — Chinese, printable at A4,
no external asset (styles inline, fonts from the system, no images, no scripts).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from disclosure.render.meta import STATE_NAMES, PackageMeta, cn_date, numeral, redaction_counts, title_of
from schemas.disclosure import DisclosureContent

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
_ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2", "html"]),
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_html(content: DisclosureContent, meta: PackageMeta) -> bytes:
    template = _ENV.get_template("index.html.j2")
    page = template.render(
        content=content, title=title_of(content), draft=meta.draft, state_name=STATE_NAMES[meta.state],
        version=meta.version, published_on=meta.published_on, report_channel=meta.report_channel,
        numeral=numeral, cn_date=cn_date, redaction_total=len(content.redactions),
        redaction_counts=redaction_counts(content))
    return page.encode("utf-8")
