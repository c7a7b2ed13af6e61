"""Field extraction: the title and the fields an auditor filters on, read from cleaned text.

:func:`extract_fields` is pure (text in, :class:`~schemas.documents.ExtractedFields` out) so every
rule can be tested on a snippet; :class:`FieldExtractor` applies it to pipeline documents. Every
field is optional and stays None when the text does not state it: a wrong project name or amount
in the catalog is worse than a missing one, because people trust what the archive shows.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from haystack import Document, component

from ingest.amounts import find_amounts, main_amount, unique_amounts
from ingest.cleaning import normalise_fullwidth
from ingest.dates import find_dates, main_date, unique_dates
from ingest.identifiers import document_number, drawing_number, revision
from ingest.labels import find_labelled, label_regex, spaced
from ingest.titles import find_title
from schemas import meta as meta_keys
from schemas.documents import ExtractedFields

logger = logging.getLogger(__name__)

PARTY_ROLES = ("建设单位", "设计单位", "施工单位", "监理单位", "勘察单位")
MAX_NAME_CHARS = 80

_PROJECT_LABEL = label_regex(
    r"(?:(?:单位|建设)\s*(?:[(（]\s*子\s*单\s*位\s*[)）])?\s*)?"
    r"(?:" + "|".join(spaced(w) for w in ("工程项目名称", "建设项目名称", "工程名称", "项目名称")) + r")"
)
# "分部工程名称", "分项工程名称" … name a part of the work, not the project.
_PART_OF_WORK = re.compile(r"(?:分部|分项|子分部|检验批|分包)\s*(?:[(（][^()（）]{0,8}[)）])?\s*$")
_PARTY_LABEL = label_regex(
    r"(?:建\s*设|设\s*计|施\s*工|监\s*理|勘\s*察)\s*(?:总\s*承\s*包\s*)?单\s*位(?:\s*名\s*称)?"
)


def project_name(text: str) -> str | None:
    """工程名称/项目名称 of the project (not of a 分部/分项 part of it)."""
    for found in find_labelled(text, _PROJECT_LABEL):
        if _PART_OF_WORK.search(text[max(0, found.start - 12) : found.start]):
            continue
        if re.search(r"[\u4e00-\u9fff]", found.value) and len(found.value) <= MAX_NAME_CHARS:
            return found.value
    return None


def parties(text: str) -> dict[str, str]:
    """Role (建设单位, 设计单位, 施工单位, 监理单位, 勘察单位) → the first organisation named for it."""
    named: dict[str, str] = {}
    for found in find_labelled(text, _PARTY_LABEL):
        if found.start and re.match(r"[\u4e00-\u9fff]", text[found.start - 1]):
            continue  # "配合比设计单位" names someone else's role
        role = found.label[:2] + "单位"
        name = found.value
        if (
            role not in named
            and len(re.findall(r"[\u4e00-\u9fff]", name)) >= 4
            and len(name) <= MAX_NAME_CHARS
        ):
            named[role] = name
    return {role: named[role] for role in PARTY_ROLES if role in named}


def extract_fields(text: str) -> ExtractedFields:
    """Every field the text states; anything it does not state stays None/empty."""
    text = normalise_fullwidth(text)
    date_hits = find_dates(text)
    amount_hits = find_amounts(text)
    drawing = drawing_number(text)
    return ExtractedFields(
        project_name=project_name(text),
        number=document_number(text, drawing),
        date=main_date(date_hits),
        dates=unique_dates(date_hits),
        amount=main_amount(amount_hits),
        amounts=unique_amounts(amount_hits),
        parties=parties(text),
        drawing_number=drawing,
        revision=revision(text),
    )


def _with_title_block(
    fields: ExtractedFields, title: str | None, block: dict[str, str] | None
) -> tuple[ExtractedFields, str | None]:
    """A drawing's title block (read by position, ingest/drawings) beats patterns in running text."""
    if not block:
        return fields, title
    updates = {
        key: block[source]
        for key, source in (("drawing_number", "drawing_number"), ("revision", "revision"))
        if block.get(source)
    }
    return fields.model_copy(update=updates), block.get("drawing_title") or title


@component
class FieldExtractor:
    """Sets meta "title" and meta "fields" (ExtractedFields as JSON) on every document."""

    @component.output_types(documents=list[Document])
    def run(self, documents: list[Document]) -> dict:
        """Return the documents with title and fields added to their meta (ids unchanged)."""
        out = []
        for document in documents:
            text = document.content or ""
            meta = dict(document.meta)
            try:
                fields = extract_fields(text)
                title = find_title(normalise_fullwidth(text), meta.get(meta_keys.EMBEDDED_TITLE))
            except Exception:  # a rule bug must not lose the document; it is filed without fields
                logger.exception(
                    "field extraction failed for %s", meta.get(meta_keys.ORIGINAL_NAME, document.id)
                )
                fields, title = ExtractedFields(), None
            fields, title = _with_title_block(fields, title, meta.get(meta_keys.TITLE_BLOCK))
            meta[meta_keys.FIELDS] = fields.model_dump(mode="json")
            if title:
                meta[meta_keys.TITLE] = title
            out.append(replace(document, meta=meta))
        return {"documents": out}
