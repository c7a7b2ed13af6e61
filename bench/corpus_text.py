"""Generated Chinese construction text for search benchmarks (about 2 KB per document).

Words are drawn with Zipf-like weights (weight ∝ 1/rank) from a construction vocabulary, so
query terms span common, medium and rare document frequencies the way real archives do; a
benchmark where every term hits every document would only measure the worst case.
"""

from __future__ import annotations

import itertools
import random
from functools import cache
from pathlib import Path

USERDICT = Path(__file__).resolve().parents[1] / "search" / "data" / "userdict.txt"

PLACES = ["地下室", "屋面", "卫生间", "首层", "二层", "三层", "楼板", "框架梁", "剪力墙", "后浇带", "基础底板",
          "配电间", "空调机房", "外窗", "幕墙", "楼梯间", "机房", "走廊", "会议室", "档案库房", "车库", "门厅"]
WORKS = ["防水卷材", "混凝土浇筑", "钢筋安装", "模板拆除", "管道试压", "电缆敷设", "保温层", "防腐涂漆",
         "设备安装", "闭水试验", "焊缝探伤", "砂浆试块", "阀门安装", "桥架安装", "风管制作", "灯具安装",
         "吊顶龙骨", "石材铺贴", "涂料饰面", "门窗安装", "接地装置", "消防喷淋", "给水管道", "排水管道"]
FILLER = ["符合设计要求", "经监理工程师检查合格", "按设计变更通知单执行", "依据施工图", "材料进场复试合格",
          "同意进行下道工序", "整改后复查合格", "强度等级C30", "采用HRB400钢筋", "SBS改性沥青", "工程洽商记录已签认",
          "增加造价", "检验批容量", "见证取样", "旁站监理", "隐蔽验收", "质量控制资料", "观感质量"]
TITLES = [("隐蔽工程验收记录", "C5"), ("设计变更通知单", "C2"), ("检验批质量验收记录", "C7"),
          ("工程洽商记录", "C2"), ("监理通知单", "B1"), ("施工日志", "C1"), ("材料进场检验记录", "C4"),
          ("混凝土抗压强度检验报告", "C6"), ("分项工程质量验收记录", "C7"), ("竣工图", "D")]
PROJECTS = [f"P{i:02d}" for i in range(1, 21)]


@cache
def vocabulary() -> tuple[list[str], list[float]]:
    """Construction words in a fixed shuffled order, with weights falling as 1/rank."""
    words = [w.split()[0] for w in USERDICT.read_text(encoding="utf-8").splitlines() if w.strip()]
    words += [p + w for p, w in itertools.product(PLACES, WORKS)] + FILLER
    words = sorted(set(words))
    random.Random(1).shuffle(words)
    return words, [1.0 / rank for rank in range(1, len(words) + 1)]


def terms_by_rank(start: int, count: int, max_chars: int = 4) -> list[str]:
    """Vocabulary words (at most ``max_chars`` long, as people type them) from rank ``start`` on."""
    words, _ = vocabulary()
    short = [w for w in words if len(w) <= max_chars]
    return short[start : start + count]


GLUE = ["施工单位应按照", "的要求进行", "并做好记录", "经现场检查", "项目监理机构", "已按规范完成", "报请验收",
        "各方确认", "详见附件", "本次", "部位", "发现问题已整改", "质量员复核", "技术负责人审核", "数量", "规格"]


def random_document_text(rng: random.Random) -> tuple[str, str, dict]:
    """One document: a handful of topic words (Zipf-chosen) woven into general site language."""
    words, weights = vocabulary()
    topic = list(dict.fromkeys(rng.choices(words, weights, k=14)))
    title, class_code = rng.choice(TITLES)
    lines = [title, f"工程名称：市机关第{rng.randint(1, 40)}号楼改造工程"]
    length = 0
    while length < 700:  # about 2 KB of UTF-8
        line = (f"{rng.choice(GLUE)}{rng.choice(topic)}{rng.choice(GLUE)}，{rng.choice(GLUE)}"
                f"{rng.choice(topic)}{rng.choice(GLUE)}。")
        lines.append(line)
        length += len(line)
    year = rng.randint(2015, 2025)
    meta = {
        "project": rng.choice(PROJECTS),
        "class_code": class_code,
        "class_letter": class_code[0],
        "date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "year": year,
        "amount": float(rng.randint(1, 500) * 1000),
    }
    return title, "\n".join(lines), meta
