"""The toolbox every document builder uses: numbering, dates, header fields and signature blocks.

Builders get a ``Kit`` for one project. It owns the random stream, so the order in which builders
run decides every choice; running the same plan with the same seed gives the same documents.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from samples.context import ProjectContext
from samples.model import Block, Doc, Fields, Para, Signatures
from samples.text import any_date, cn_date, pick


@dataclass
class Kit:
    ctx: ProjectContext
    rng: random.Random
    counters: dict[str, int] = field(default_factory=dict)

    # -- numbering ------------------------------------------------------------------------------
    def next(self, key: str, start: int = 1) -> int:
        """The next number in a series (设计变更 01, 02 …); series never skip, as archives expect."""
        value = self.counters.get(key, start - 1) + 1
        self.counters[key] = value
        return value

    def number(self, prefix: str, width: int = 3, key: str | None = None) -> str:
        return f"{prefix}-{self.next(key or prefix):0{width}d}"

    # -- dates ----------------------------------------------------------------------------------
    def d(self, when: date) -> str:
        return any_date(self.rng, when)

    def works(self, lo: float = 0.0, hi: float = 1.0) -> date:
        return self.ctx.during_works(self.rng, lo, hi)

    def after(self, when: date, lo: int, hi: int) -> date:
        return when + timedelta(days=self.rng.randint(lo, hi))

    # -- wording --------------------------------------------------------------------------------
    def pick(self, options: Sequence[str]) -> str:
        return pick(self.rng, options)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def project_label(self) -> str:
        return self.pick(("工程名称", "工程名称", "项目名称", "单位工程名称"))

    def head(self, number: str, when: date | None, *extra: tuple[str, str], number_label: str = "编号") -> Fields:
        pairs: list[tuple[str, str]] = [(self.project_label(), self.ctx.name), (number_label, number)]
        pairs.extend(extra)
        if when is not None:
            pairs.append((self.pick(("日期", "日期", "填表日期", "时间")), self.d(when)))
        return Fields(tuple(pairs))

    def parties(self, *roles: str) -> Fields:
        names = {
            "建设单位": self.ctx.owner,
            "设计单位": self.ctx.designer,
            "勘察单位": self.ctx.surveyor,
            "施工单位": self.ctx.contractor,
            "监理单位": self.ctx.supervisor,
            "检测单位": self.ctx.lab,
            "分包单位": self.ctx.subcontractor,
        }
        return Fields(tuple((role, names[role]) for role in roles))

    # -- signatures -----------------------------------------------------------------------------
    def sign_contractor(self, when: date, *, tech: bool = True, qc: bool = True) -> Signatures:
        lines = [("施工单位项目负责人", self.ctx.who("pm"), cn_date(when))]
        if tech:
            lines.append(("项目技术负责人", self.ctx.who("tech_lead"), cn_date(when)))
        if qc:
            lines.append(("质检员", self.ctx.who("qc"), cn_date(when)))
        return Signatures(tuple(lines), seal=f"{self.ctx.contractor}（项目章）")

    def sign_record(self, when: date) -> Signatures:
        """The usual foot of a 施工记录: 专业技术负责人, 质检员, 工长 and the 专业监理工程师."""
        sup = self.ctx.who(self.pick(("sup_civil", "sup_mep")))
        return Signatures(
            (
                ("施工单位 专业技术负责人", self.ctx.who("tech_lead"), cn_date(when)),
                ("专业质检员", self.ctx.who("qc"), cn_date(when)),
                ("专业工长", self.ctx.who("foreman"), cn_date(when)),
                ("监理单位 专业监理工程师", sup, cn_date(when)),
            )
        )

    def sign_supervisor(self, when: date, *, chief: bool = True, engineer: bool = True) -> Signatures:
        lines = []
        if engineer:
            lines.append(("专业监理工程师", self.ctx.who("sup_civil"), cn_date(when)))
        if chief:
            lines.append(("总监理工程师", self.ctx.who("chief"), cn_date(when)))
        return Signatures(tuple(lines), seal=f"{self.ctx.supervisor}（项目监理机构章）")

    def sign_five(self, when: date, *, survey: bool = True) -> Signatures:
        """Five parties' project leads, as on 单位工程 and 竣工验收 records."""
        lines = [
            ("建设单位（项目负责人）", self.ctx.who("owner_lead"), cn_date(when)),
            ("监理单位（总监理工程师）", self.ctx.who("chief"), cn_date(when)),
            ("施工单位（项目负责人）", self.ctx.who("pm"), cn_date(when)),
            ("设计单位（项目负责人）", self.ctx.who("design_lead"), cn_date(when)),
        ]
        if survey:
            lines.append(("勘察单位（项目负责人）", self.ctx.who("survey_lead"), cn_date(when)))
        return Signatures(tuple(lines), seal="（各单位盖章）")

    # -- assembling -----------------------------------------------------------------------------
    def doc(
        self,
        item: str,
        doc_type: str,
        title: str,
        blocks: list[Block],
        when: date,
        *,
        stem: str | None = None,
        author: str | None = None,
        fmt: str = "pdf",
        sheet: str = "",
    ) -> Doc:
        variant = self.rng.randrange(60)
        embedded: str | None = None
        roll = self.rng.random()
        if roll < 0.12:
            embedded = ""  # many offices never fill the property in
        elif roll < 0.2:
            embedded = self.pick(("文档1", "新建 Microsoft Word 文档", "Sheet1", "扫描件", "模板"))
        return Doc(
            item_code=item,
            doc_type=doc_type,
            title=title,
            format=fmt,
            blocks=blocks,
            file_stem=stem or title,
            when=when,
            author=author if author is not None else self.ctx.who("doc_clerk"),
            embedded_title=embedded,
            variant=variant,
            sheet_name=sheet or doc_type,
        )

    def paras(self, options: Sequence[str], low: int, high: int, **values: str) -> list[Block]:
        """Between ``low`` and ``high`` of the given sentence templates, filled with ``values``."""
        count = min(len(options), self.rng.randint(low, high))
        chosen = sorted(self.rng.sample(range(len(options)), count))
        fill = self.fill_values() | values
        return [Para(options[i].format(**fill)) for i in chosen]

    def fill_values(self) -> dict[str, str]:
        ctx = self.ctx
        return {
            "name": ctx.name,
            "owner": ctx.owner,
            "designer": ctx.designer,
            "contractor": ctx.contractor,
            "supervisor": ctx.supervisor,
            "surveyor": ctx.surveyor,
            "lab": ctx.lab,
            "address": ctx.address,
            "area": ctx.area,
            "floors": ctx.floors,
            "structure": ctx.structure,
        }


Builder = Callable[[Kit, int], Doc]


@dataclass(frozen=True)
class Template:
    """One way of writing one kind of document; ``build(kit, n)`` writes its n-th copy (0-based)."""

    item: str
    doc_type: str
    build: Builder

    @property
    def class_code(self) -> str:
        return self.item.split("-", 1)[0]
