"""The facts one project's documents share: parties, people, numbers, amounts and its timeline.

Every builder draws names, dates and numbers from one ``ProjectContext`` so that a project's 200
documents agree with each other (the 施工合同's amount is the one the 施工许可证 quotes, the 总监
who signs the 监理规划 signs the 竣工验收记录), the way a real archive does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁沈"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "华", "慧", "建国", "建华", "志强", "国庆", "海涛", "晓东", "文博", "宏伟", "俊", "鹏", "斌", "辉", "刚", "平", "波", "红", "霞", "宁", "峰", "宇", "浩", "凯", "琳", "雪梅", "立新", "春生", "永红", "晓燕", "振华", "德明", "卫东", "玉兰", "学军", "家豪", "子涵", "思远", "嘉怡", "明轩"]

# The further projects of a benchmark corpus: (project name, owner).
PROJECT_POOL = (
    ("市档案馆新馆建设工程", "市档案局"),
    ("区政务服务中心改扩建工程", "区行政审批服务局"),
    ("市第一中学教学楼抗震加固工程", "市教育局"),
    ("区人民法院审判业务用房建设工程", "区人民法院"),
    ("市公安局指挥中心大楼建设工程", "市公安局"),
    ("市图书馆维修改造工程", "市文化广电旅游局"),
    ("区机关幼儿园新建工程", "区机关事务服务中心"),
    ("市疾病预防控制中心实验楼建设工程", "市疾病预防控制中心"),
    ("县人民检察院办案用房改造工程", "县人民检察院"),
    ("市体育中心游泳馆屋面改造工程", "市体育局"),
    ("市税务局第二办公区综合楼工程", "市税务局"),
    ("区退役军人服务中心装修改造工程", "区退役军人事务局"),
)
DESIGNERS = (
    "江城建筑设计研究院有限公司",
    "宏图工程设计有限公司",
    "远景建筑设计院有限公司",
    "省建筑科学研究设计院",
    "中联城市规划设计有限公司",
)
CONTRACTORS = (
    "江城第三建筑工程有限公司",
    "宏达建设集团有限公司",
    "中恒建筑工程有限公司",
    "鼎盛建设有限公司",
    "城投建设工程有限公司",
    "华建安装集团有限公司",
)
SUPERVISORS = (
    "华诚工程建设监理有限公司",
    "正衡工程项目管理有限公司",
    "建宇工程咨询有限公司",
    "信达建设监理有限公司",
)
SURVEYORS = ("市勘察测绘研究院", "省地质工程勘察院", "江城岩土工程勘察有限公司")
LABS = ("市建设工程质量检测中心", "正方建设工程检测有限公司", "华测建筑工程检测有限公司")
COST_CONSULTANTS = ("信永工程造价咨询有限公司", "中审造价咨询有限公司", "明诚工程造价事务所有限公司")
BIDDING_AGENTS = ("江城公共资源招标代理有限公司", "国信招标集团股份有限公司江城分公司", "诚信工程招标代理有限公司")
SUBCONTRACTORS = ("江城幕墙装饰工程有限公司", "华冷机电安装有限公司", "捷通智能科技有限公司", "安邦消防工程有限公司")
SCOPES = (
    "新建主体建筑及配套给排水、电气、暖通、智能化、消防和室外总体工程",
    "对既有建筑进行结构加固、外立面改造及机电系统更新，并完善无障碍设施",
    "新建业务用房，含土建、装饰装修、安装、幕墙、室外道路及绿化工程",
    "实施屋面防水保温翻新、外墙外保温改造及空调系统节能改造",
    "对原有建筑进行装修改造，更新给排水、强弱电及消防系统",
)
STREETS = ("市府路", "人民路", "建设大道", "解放路", "文化路", "滨江路", "长安街", "和平路")


HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (5, 3), *((10, d) for d in range(1, 8))})


@dataclass
class ProjectContext:
    """Everything the documents of one project agree on."""

    code: str
    name: str
    owner: str
    designer: str
    surveyor: str
    contractor: str
    supervisor: str
    lab: str
    cost_consultant: str
    bidding_agent: str
    subcontractor: str
    address: str
    area: str  # 建筑面积, m²
    floors: str
    structure: str
    contract_amount: float
    supervision_fee: float
    design_fee: float
    budget: float  # 批复总投资 (元)
    start: date
    finish: date
    base: date  # the first document of the project is dated around here
    scope: str = ""  # 建设规模和内容, one sentence
    people: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)

    # -- people ---------------------------------------------------------------------------------
    def who(self, role: str) -> str:
        return self.people[role]

    # -- timeline -------------------------------------------------------------------------------
    def day(self, offset: int) -> date:
        """A date ``offset`` days after the project's base date."""
        return self.base + timedelta(days=offset)

    def during_works(self, rng: random.Random, lo: float = 0.0, hi: float = 1.0) -> date:
        """A working day between start and finish, at a fraction ``lo``..``hi`` of the way."""
        span = (self.finish - self.start).days
        when = self.start + timedelta(days=int(span * rng.uniform(lo, hi)))
        # sites work Saturdays, but paperwork is rarely dated on a Sunday or in a national holiday
        while when.weekday() == 6 or (when.month, when.day) in HOLIDAYS:
            when += timedelta(days=1)
        return when

    @property
    def acceptance(self) -> date:
        return self.finish + timedelta(days=21)

    @property
    def filing(self) -> date:
        return self.finish + timedelta(days=33)


ROLES = (
    "owner_lead",  # 建设单位项目负责人
    "owner_staff",  # 建设单位现场代表
    "owner_head",  # 建设单位法定代表人 / 局领导
    "design_lead",  # 设计项目负责人
    "design_arch",  # 建筑专业负责人
    "design_struct",  # 结构专业负责人
    "design_mep",  # 设备/电气专业负责人
    "survey_lead",  # 勘察项目负责人
    "pm",  # 施工项目经理
    "tech_lead",  # 项目技术负责人
    "qc",  # 质检员
    "foreman",  # 施工员 / 专业工长
    "surveyor_staff",  # 测量员
    "doc_clerk",  # 资料员
    "safety",  # 安全员
    "contractor_head",  # 施工单位技术负责人（公司）
    "chief",  # 总监理工程师
    "sup_civil",  # 专业监理工程师（土建）
    "sup_mep",  # 专业监理工程师（安装）
    "sup_staff",  # 监理员
    "lab_tester",  # 检测员
    "lab_checker",  # 审核
    "lab_approver",  # 批准
    "cost_engineer",  # 造价工程师
    "archivist",  # 城建档案馆经办人
)


def _people(rng: random.Random) -> dict[str, str]:
    names: set[str] = set()
    people: dict[str, str] = {}
    for role in ROLES:
        while True:
            candidate = rng.choice(SURNAMES) + rng.choice(GIVEN)
            if candidate not in names:
                names.add(candidate)
                people[role] = candidate
                break
    return people


def _numbers(rng: random.Random, year: int, region: str) -> dict[str, str]:
    return {
        "proposal": f"市发改投资〔{year}〕{rng.randint(20, 180)}号",
        "fsr": f"市发改投资〔{year}〕{rng.randint(181, 320)}号",
        "budget_approval": f"市发改投资〔{year}〕{rng.randint(321, 460)}号",
        "land_plan": f"地字第{region}{year - 6}{rng.randint(10, 99):05d}号",
        "works_plan": f"建字第{region}{year}{rng.randint(10, 99):05d}号",
        "permit": f"{region}{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}01",
        "review": f"审字〔{year}〕第{rng.randint(100, 999)}号",
        "tender": f"JC{year}-FJ-{rng.randint(10, 99):03d}",
        "contract": f"JG-{year}-{rng.randint(10, 99):03d}",
        "sup_contract": f"JL-{year}-{rng.randint(10, 99):03d}",
        "design_contract": f"SJ-{year}-{rng.randint(10, 99):03d}",
        "filing": f"备{region}{year}{rng.randint(1000, 9999)}",
        "property": f"江城({year - 6})不动产权第{rng.randint(1000000, 9999999)}号",
    }


def default_context(code: str, name: str, rng: random.Random) -> ProjectContext:
    """The demo project: a 2024 energy retrofit of a city government office building."""
    ctx = ProjectContext(
        code=code,
        name=name,
        owner="市机关事务管理局",
        designer="江城建筑设计研究院有限公司",
        surveyor="市勘察测绘研究院",
        contractor="江城第三建筑工程有限公司",
        supervisor="华诚工程建设监理有限公司",
        lab="市建设工程质量检测中心",
        cost_consultant="信永工程造价咨询有限公司",
        bidding_agent="江城公共资源招标代理有限公司",
        subcontractor="江城幕墙装饰工程有限公司",
        address="市府路18号",
        area="18650.00",
        floors="地上12层、地下1层",
        structure="框架-剪力墙结构",
        contract_amount=12_864_500.00,
        supervision_fee=268_000.00,
        design_fee=415_600.00,
        budget=14_980_000.00,
        start=date(2024, 4, 8),
        finish=date(2024, 11, 15),
        base=date(2024, 1, 8),
        scope=(
            "对办公楼外墙、外窗及屋面实施节能改造，更换空调冷热源及末端设备，改造照明、配电及能耗监测系统，"
            "更新客梯两部，新建地下设备用房一座并在屋面设置分布式光伏发电系统"
        ),
        people=_people(rng),
    )
    ctx.numbers = _numbers(rng, 2024, "320102")
    return ctx


def corpus_context(index: int, rng: random.Random) -> ProjectContext:
    """One of several varied projects for a benchmark corpus (index 0 is the demo project)."""
    if index == 0:
        return default_context("JD-2024-001", "市机关办公楼节能改造工程", rng)
    name, owner = PROJECT_POOL[(index - 1) % len(PROJECT_POOL)]
    if index > len(PROJECT_POOL):
        name = name.replace("工程", f"（{index // len(PROJECT_POOL) + 1}期）工程")
    year = 2019 + index % 6
    start = date(year, rng.randint(2, 5), rng.randint(1, 28))
    finish = start + timedelta(days=rng.randint(200, 420))
    amount = round(rng.uniform(3_000_000, 90_000_000), -2) + rng.choice((0.0, 50.0, 88.0))
    ctx = ProjectContext(
        code=f"JD-{year}-{index + 1:03d}",
        name=name,
        owner=owner,
        designer=rng.choice(DESIGNERS),
        surveyor=rng.choice(SURVEYORS),
        contractor=rng.choice(CONTRACTORS),
        supervisor=rng.choice(SUPERVISORS),
        lab=rng.choice(LABS),
        cost_consultant=rng.choice(COST_CONSULTANTS),
        bidding_agent=rng.choice(BIDDING_AGENTS),
        subcontractor=rng.choice(SUBCONTRACTORS),
        address=f"{rng.choice(STREETS)}{rng.randint(1, 300)}号",
        area=f"{rng.uniform(2500, 60000):.2f}",
        floors=f"地上{rng.randint(3, 24)}层、地下{rng.randint(0, 3)}层",
        structure=rng.choice(("框架结构", "框架-剪力墙结构", "钢结构", "砖混结构")),
        contract_amount=amount,
        supervision_fee=round(amount * rng.uniform(0.015, 0.025), -2),
        design_fee=round(amount * rng.uniform(0.025, 0.04), -2),
        budget=round(amount * rng.uniform(1.1, 1.3), -4),
        start=start,
        finish=finish,
        base=start - timedelta(days=rng.randint(95, 120)),
        scope=rng.choice(SCOPES).format(name=name),
        people=_people(rng),
    )
    ctx.numbers = _numbers(rng, year, rng.choice(("320102", "320105", "320111", "320115")))
    return ctx
