"""The builder's toolbox: one document's random layout of label/value pairs (a form grid, a table
or sentences), signature blocks, and the ``Doc`` it hands to the sample writers.
"""

from __future__ import annotations

import random
from datetime import date

from samples.context import GIVEN, SURNAMES
from samples.model import Block, Doc, Fields, Heading, Para, Signatures, Table
from samples.oversight.scenario import Scenario
from samples.oversight.styles import Styles


class Paper:
    """Builds the documents of one scenario; every choice comes from the scenario's rng stream."""

    def __init__(self, scenario: Scenario, rng: random.Random) -> None:
        self.s = scenario
        self.rng = rng
        self.style = Styles(rng)

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def date(self, when: date) -> str:
        return self.style.date(when)

    def money(self, amount: float, *, signed: bool = False) -> str:
        return self.style.money(amount, signed=signed)

    def pick(self, options):
        return self.style.pick(options)

    def pairs(self, pairs: list[tuple[str, str]]) -> list[Block]:
        """Label/value pairs as a form grid, a two-column table, or one "label：value" line each."""
        layout = self.rng.randrange(4)
        if layout == 0:
            return [Fields(tuple(pairs), columns=1)]
        if layout == 1 and all(len(v) < 20 and len(k) < 7 for k, v in pairs):
            return [Fields(tuple(pairs), columns=2)]
        if layout == 2:
            return [Table(("项目", "内容"), tuple(pairs))]
        separator = self.pick(("：", ":", "： ", "为"))
        return [Para(f"{label}{separator}{value}") for label, value in pairs]

    def sign(self, parties: list[str], when: date, *, label: str = "日期") -> Signatures | Para:
        """Signatures dated ``when`` (the document's date); always the last dated thing in a document."""
        if self.style.chance(0.3):
            return Para(f"{parties[0]}（盖章）    {label}：{self.date(when)}")
        return Signatures(tuple((party, self.person(), self.date(when)) for party in parties), seal="（盖章）")

    def doc(self, title: str, item: str, doc_type: str, blocks: list[Block], when: date, *,
            stem: str | None = None, fmt: str | None = None, heading: bool = True) -> Doc:
        body = [Heading(title), *blocks] if heading else blocks
        return Doc(item_code=item, doc_type=doc_type, title=title, format=fmt or self.style.fmt(), blocks=body,
                   file_stem=stem or title, when=when, author=self.person(), variant=self.rng.randrange(60),
                   sheet_name=doc_type[:20])

    def noise(self) -> Para:
        """A sentence with figures and dates that are not the facts a reader wants."""
        return Para(self.pick((
            f"综合单价{self.rng.randint(180, 900)}元/m²，按实际完成工程量计量。",
            f"工程地点：{self.s.name[:2]}市府路{self.rng.randint(1, 300)}号，建筑面积{self.rng.randint(3000, 20000)}平方米。",
            f"依据《建设工程工程量清单计价规范》GB 50500-2013 及本市2023年第{self.rng.randint(1, 4)}季度信息价。",
            f"联系电话：0{self.rng.randint(100, 999)}-{self.rng.randint(1000000, 9999999)}。",
        )))
