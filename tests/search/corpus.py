"""Seven Chinese construction documents for the search tests; expectations are read off this text."""

from __future__ import annotations

from haystack import Document

P1 = "P2024-001"
P2 = "P2023-007"


def _doc(doc_id: str, title: str, content: str, **meta: object) -> Document:
    return Document(id=doc_id, content=content, meta={"title": title, **meta})


def sample_documents() -> list[Document]:
    """Seven documents; each test's expectation can be checked by reading the text below."""
    return [
        _doc(
            "方案",
            "地下室外墙防水施工方案",
            "本工程地下室外墙采用SBS改性沥青防水卷材，两层铺设。施工缝处设置钢板止水带。"
            "混凝土强度等级C30，抗渗等级P8。",
            project=P1,
            class_code="C2",
            class_letter="C",
            doc_type="施工方案",
            date="2024-03-15",
            year=2024,
            contractor="中建三局第一建设工程有限责任公司",
        ),
        _doc(
            "屋面",
            "屋面工程验收记录",
            "屋面防水层已完成，卷材搭接宽度符合要求。找平层平整，排水坡度正确。",
            project=P1,
            class_code="C5",
            class_letter="C",
            doc_type="验收记录",
            date="2024-06-20",
            year=2024,
        ),
        _doc(
            "钢筋",
            "钢筋隐蔽工程验收记录",
            "钢筋规格HRB400，直径Φ25；图号 结施-03；检验批编号 YS-2024-031。保护层厚度25mm。",
            project=P1,
            class_code="C5",
            class_letter="C",
            doc_type="隐蔽工程验收记录",
            date="2024-04-02",
        ),
        _doc(
            "合同",
            "施工合同",
            "合同价款为人民币12,500,000.00元。工程名称：档案馆新建工程。<script>alert(1)</script> & 附件",
            project=P2,
            class_code="A4",
            class_letter="A",
            doc_type="施工合同",
            contractor="江西省建工集团有限责任公司",
            date="2023-11-08",
            amount=12_500_000.0,
        ),
        _doc(
            "变更",
            "设计变更通知单",
            "因现场条件变化，外墙保温做法调整为岩棉板；混凝土标号由Ｃ３０调整为Ｃ３５（见附图）。",
            project=P2,
            class_code="C3",
            class_letter="C",
            doc_type="设计变更",
            date="2023-12-01",
            amount=85_000.0,
        ),
        _doc(
            "检查",
            "防水专项检查",
            "检查了外墙和地下室的若干部位，未见渗漏。",
            project=P1,
            class_code="C8",
            class_letter="C",
            doc_type="检查记录",
            date="2024-07-01",
        ),
        _doc(
            "纪要",
            "监理例会纪要",
            "讨论了外墙防水和止水带的做法，要求防水施工前报验，防水材料见证取样。",
            project=P1,
            class_code="B2",
            class_letter="B",
            doc_type="会议纪要",
        ),
    ]
