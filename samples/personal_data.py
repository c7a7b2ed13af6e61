"""Personal data planted in a generated project, for the disclosure tests and the redaction figures.

``plant_personal_data(folder, seed)`` writes four documents into a project's folder, each the
source of a disclosure item and each carrying personal data as real archives do: a 监理 中标通知书
naming the 总监 with an ID number and a mobile; a 设计变更 whose 变更原因 quotes a resident by name
and phone; a 监理合同 with the company's bank account and its representative's ID and home address;
a 质量安全监督 registration with the site contact's mobile and a bank card number. It returns
every planted value with its kind, so a test can check that none leaves in a package and that each
is listed as a redaction.

ID numbers get a valid check digit and a birth date of a working adult; card numbers pass the Luhn
check; mobiles are 1[3-9]X numbers written the ways people write them (plain, dashed, spaced).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from samples.context import GIVEN, SURNAMES
from samples.model import Doc, Fields, Heading, Para, Signatures
from samples.text import cn_date, rmb_upper, yuan
from samples.writer import Renderer, safe_stem, write_file

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
REGIONS = ("320102", "320105", "110101", "440304", "510107", "330106")


@dataclass(frozen=True)
class Planted:
    kind: str  # id_number | mobile | bank_account | address | person_name
    value: str
    file: str


def id_number(rng: random.Random) -> str:
    born = date(1965, 1, 1) + timedelta(days=rng.randint(0, 365 * 35))
    first17 = f"{rng.choice(REGIONS)}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def mobile(rng: random.Random, style: int) -> str:
    digits = f"1{rng.choice('3456789')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"
    return [digits, f"{digits[:3]}-{digits[3:7]}-{digits[7:]}", f"{digits[:3]} {digits[3:7]} {digits[7:]}"][style % 3]


def _luhn_complete(partial: str) -> str:
    total = 0
    for position, char in enumerate(reversed(partial)):
        value = int(char)
        if position % 2 == 0:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return partial + str((10 - total % 10) % 10)


def card_number(rng: random.Random) -> str:
    return _luhn_complete("622202" + "".join(str(rng.randint(0, 9)) for _ in range(12)))


def _name(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in taken:
            taken.add(name)
            return name


def plant_personal_data(folder: Path, seed: int = 18, project_name: str = "市机关办公楼节能改造工程",
                        owner: str = "市机关事务管理局", start: date = date(2024, 3, 10)) -> list[Planted]:
    """Write the four documents into ``folder``; return every planted value."""
    rng = random.Random(seed)
    taken: set[str] = set()
    planted: list[Planted] = []
    docs: list[Doc] = []

    def plant(kind: str, value: str, stem: str) -> str:
        planted.append(Planted(kind, value, stem))
        return value

    stem = "中标通知书（监理）"
    chief = _name(rng, taken)
    chief_id, chief_phone = id_number(rng), mobile(rng, 1)
    amount = float(rng.randint(2_400, 3_200) * 100)
    docs.append(Doc("A4-5", "中标通知书", "中标通知书", "pdf", [
        Heading("中标通知书"), Para(f"招标编号：JL-{start.year}-ZB-{rng.randint(10, 99)}"), Para("华信工程监理咨询有限公司："),
        Para(f"我方组织的{project_name}监理招标，经评标委员会评审，确定你方为中标人。"),
        Fields((("中标价", f"{yuan(amount)}（大写：{rmb_upper(amount)}）"), ("服务期", "240日历天"),
                ("总监理工程师", chief)), columns=1),
        Para(f"总监理工程师身份证号：{plant('id_number', chief_id, stem)}，联系电话：{plant('mobile', chief_phone, stem)}。"),
        Signatures((("招标人", owner, cn_date(start)),), seal="（盖章）"),
    ], stem, start, author=owner))

    stem = "设计变更通知单（给排水-变-05）"
    resident = _name(rng, taken)
    resident_phone = mobile(rng, 0)
    when = start + timedelta(days=rng.randint(60, 90))
    docs.append(Doc("C2-6", "设计变更通知单", "设计变更通知单", "docx", [
        Heading("设计变更通知单"),
        Fields((("工程名称", project_name), ("变更编号", "给排水-变-05"), ("变更日期", cn_date(when))), columns=1),
        Para(f"变更原因：应相邻住户{plant('person_name', resident, stem)}（电话{plant('mobile', resident_phone, stem)}）"
             "反映雨水排放影响其院落要求调整排水口位置"),
        Para("变更内容：北侧雨水管出口由原设计位置向东移设3米，增设检查井一座。"),
        Para(f"增加费用：{yuan(float(rng.randint(80, 160) * 100))}"),
        Signatures((("设计单位", "江城建筑设计研究院有限公司", cn_date(when)),)),
    ], safe_stem(stem), when))

    stem = "建设工程监理合同（JL-合同）"
    representative = _name(rng, taken)
    account = " ".join(card_number(rng)[i:i + 4] for i in range(0, 19, 4))
    home = f"江城市鼓楼区和平街道{rng.randint(1, 99)}号{rng.randint(1, 30)}栋{rng.randint(101, 2408)}室"
    signed = start + timedelta(days=12)
    docs.append(Doc("A4-6", "监理合同", "建设工程监理合同", "docx", [
        Heading("建设工程监理合同"),
        Fields((("合同编号", f"JL-HT-{start.year}-{rng.randint(10, 99)}"), ("工程名称", project_name),
                ("委托人", owner), ("监理人", "华信工程监理咨询有限公司"),
                ("签约酬金", yuan(amount)), ("签订日期", cn_date(signed))), columns=1),
        Para(f"监理人开户银行：中国工商银行江城分行营业部  银行账号：{plant('bank_account', account, stem)}"),
        Para(f"监理人委托代理人：{plant('person_name', representative, stem)}，"
             f"身份证号：{plant('id_number', id_number(rng), stem)}，家庭住址：{plant('address', home, stem)}。"),
        Signatures((("委托人（盖章）", owner, cn_date(signed)), ("监理人（盖章）", "华信工程监理咨询有限公司", cn_date(signed)))),
    ], safe_stem(stem), signed))

    stem = "工程质量安全监督登记书"
    contact = _name(rng, taken)
    registered = start + timedelta(days=20)
    docs.append(Doc("A5-2", "质量监督登记", "工程质量安全监督登记书", "pdf", [
        Heading("工程质量安全监督登记书"),
        Fields((("工程名称", project_name), ("建设单位", owner), ("监督机构", "市建设工程质量安全监督站"),
                ("监督登记号", f"ZJ{start.year}-{rng.randint(100, 999)}"), ("登记日期", cn_date(registered))), columns=1),
        Para(f"建设单位现场联系人：{plant('person_name', contact, stem)}  手机：{plant('mobile', mobile(rng, 2), stem)}"),
        Para(f"农民工工资专用账户银行卡号：{plant('bank_account', card_number(rng), stem)}"),
        Signatures((("监督机构", "市建设工程质量安全监督站", cn_date(registered)),), seal="（监督专用章）"),
    ], safe_stem(stem), registered))

    render = Renderer()
    folder.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        write_file(folder / f"{safe_stem(doc.file_stem)}.{doc.format}", render(doc))
    return planted
