"""``generate_corpus``: thousands of varied documents from several projects, for benchmarks.

The corpus uses the same builders as the sample project, spread over a dozen invented projects
(different owners, contractors, years and amounts), so an index sees realistic vocabulary and
realistic repetition. Each document is padded with site-report sentences to 1–3 KB of text, the
size of a typical form once converted. The first documents cover every sub-class once, so even a
small corpus exercises all of them.
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from samples import writer
from samples.catalogue import ALL_SUBCLASSES, TEMPLATES
from samples.context import ProjectContext, corpus_context
from samples.kit import Kit, Template
from samples.model import FORMATS, Doc, Heading, Para, SampleFile

logger = logging.getLogger(__name__)

_PARTS = ("外墙", "屋面", "设备用房", "三层走道", "地下室", "门厅", "楼梯间", "机房", "东立面", "北侧广场", "卫生间", "配电间")
_WORKS = ("保温层施工", "防水层铺贴", "钢筋绑扎", "模板安装", "混凝土浇筑", "管道安装", "桥架敷设", "风管安装", "门窗安装",
          "吊顶龙骨安装", "设备基础施工", "脚手架搭设", "抹灰施工", "涂料施工", "电缆敷设", "灯具更换")
_ACTORS = ("专业监理工程师", "项目质检员", "施工员", "建设单位现场代表", "总监理工程师", "项目技术负责人", "安全员")
_FINDINGS = ("符合设计要求", "个别部位需局部修补", "质量满足规范规定", "资料齐全有效", "未发现质量问题",
             "已按要求整改完毕", "观感质量良好", "数据记录完整", "需补充影像资料", "工序交接手续齐全")
_REASONS = ("天气晴好", "材料已全部进场", "按照专项方案", "经各方协商", "根据监理例会要求", "为保证办公不受影响",
            "结合现场实际情况", "依据施工图及变更")
_FOLLOWUPS = ("下一步将组织分项验收。", "相关记录已归档。", "已拍照留存。", "整改情况将在下次例会通报。",
              "相关检测报告附后。", "请各单位按时签认。", "资料员已同步收集。", "后续工序可以开始。")


def _filler(rng: random.Random, ctx: ProjectContext) -> str:
    """One site-report sentence, recombined from parts so the corpus is not a few phrases repeated."""
    when = ctx.during_works(rng)
    return (f"{when.month}月{when.day}日，{rng.choice(_REASONS)}，{rng.choice(_PARTS)}{rng.choice(_WORKS)}完成后，"
            f"经{rng.choice(_ACTORS)}{rng.choice(('检查', '复查', '巡视', '验收'))}，{rng.choice(_FINDINGS)}。"
            f"{rng.choice(_FOLLOWUPS)}")


def _pad(doc: Doc, rng: random.Random, ctx: ProjectContext) -> None:
    """Grow a document to its target size (1–3 KB of UTF-8 text) with a 补充说明 section.

    Drawings stay as they are: a sheet carries little text, and padding it would be unrealistic.
    """
    target = rng.randint(340, 1000)  # CJK characters: about 1–3 KB in UTF-8
    if doc.class_code == "D" or doc.text_length() >= target:
        return
    doc.blocks.append(Heading(rng.choice(("补充说明", "备注", "附：情况说明", "其他说明")), 2))
    while doc.text_length() < target:
        doc.blocks.append(Para("".join(_filler(rng, ctx) for _ in range(rng.randint(2, 4)))))


def _by_subclass() -> dict[str, list[Template]]:
    groups: dict[str, list[Template]] = {}
    for template in TEMPLATES:
        groups.setdefault(template.class_code, []).append(template)
    return groups


def _schedule(n: int, rng: random.Random) -> list[Template]:
    """Every sub-class once (while n allows), then templates drawn at random, C-heavy as archives are."""
    groups = _by_subclass()
    first = [rng.choice(groups[code]) for code in ALL_SUBCLASSES][:n]
    rest = [rng.choice(TEMPLATES) for _ in range(n - len(first))]
    return first + rest


def generate_corpus(
    root: Path,
    n: int,
    *,
    seed: int = 7,
    formats: Iterable[str] = FORMATS,
    write_manifest: bool = True,
    workers: int = 1,
) -> list[SampleFile]:
    """Write ``n`` documents under ``root/<project>/<class folders>/`` and return what they are.

    ``formats`` limits the file formats; a document whose usual format is not allowed is written
    in one that is (a 检验批 record as a PDF, say). A manifest ``root/样例清单.json`` lists the files.
    ``workers`` > 1 renders in that many processes (same files, faster on several cores).
    """
    if n < 0:
        raise ValueError("n must not be negative")
    allowed = tuple(dict.fromkeys(formats))
    if not allowed or any(f not in FORMATS for f in allowed):
        raise ValueError(f"formats must be a non-empty selection of {FORMATS}")
    started = time.perf_counter()
    rng = random.Random(f"{seed}/corpus")
    project_count = max(2, min(40, n // 300 + 2))
    kits = [Kit(corpus_context(i, random.Random(f"{seed}/project/{i}")), random.Random(0)) for i in range(project_count)]
    copies: Counter[tuple[int, int]] = Counter()
    template_index = {id(t): i for i, t in enumerate(TEMPLATES)}
    docs: list[Doc] = []
    prefixes: list[str] = []
    for number, template in enumerate(_schedule(n, rng)):
        project = rng.randrange(project_count)
        kit = kits[project]
        key = (project, template_index[id(template)])
        kit.rng = random.Random(f"{seed}/doc/{number}")
        doc = template.build(kit, copies[key])
        copies[key] += 1
        if doc.format not in allowed:
            doc.format = kit.rng.choice(allowed)
        _pad(doc, kit.rng, kit.ctx)
        docs.append(doc)
        prefixes.append(f"{kit.ctx.code} {writer.safe_stem(kit.ctx.name)}/")
    paths = _corpus_paths(docs, prefixes)
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    old = writer.previous_paths(root)
    files = writer.write_all(root, docs, paths, workers)
    writer.remove_stale(root, old, paths)
    if write_manifest:
        header = {"generator": "samples.corpus", "version": 1, "seed": seed, "documents": n,
                  "projects": [{"code": k.ctx.code, "name": k.ctx.name} for k in kits], "formats": list(allowed)}
        writer.write_manifest(root, header, files)
    elapsed = time.perf_counter() - started
    logger.info("corpus: %d documents in %.1f s (%.0f docs/s) under %s", n, elapsed, n / elapsed if elapsed else 0.0, root)
    return files


def _corpus_paths(docs: list[Doc], prefixes: list[str]) -> list[str]:
    """Folder paths per project, unique across the whole corpus."""
    by_prefix: dict[str, list[int]] = {}
    for index, prefix in enumerate(prefixes):
        by_prefix.setdefault(prefix, []).append(index)
    paths = [""] * len(docs)
    for prefix, indexes in by_prefix.items():
        for index, path in zip(indexes, writer.folder_paths([docs[i] for i in indexes], prefix), strict=True):
            paths[index] = path
    return paths
