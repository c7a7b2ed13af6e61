"""Form names from the public standards and form sets (titles.yaml), each family with an example written for the test.

The titles are the names GB 50300 表H.0.1-2/-3, the installation acceptance codes (GB 50242, GB 50303, GB 50243,
GB 50339, GB 50310), DB11/T 808's 施表 and the 进场复验 clauses give their records; the field lines under them are
made up in the shape such forms take. No text is copied from the corpora; names of companies and places are invented.
"""

from __future__ import annotations

import pytest

from classify import RuleClassifier

HEAD = "工程名称：某机关办公楼维修改造工程\n施工单位：甲建设有限公司\n"

FORM_NAMES = [
    # 给水排水及供暖 (GB 50242)
    ("C6-45", "消防管道压力试验记录",
     HEAD + "试验部位：地下一层喷淋干管\n工作压力（MPa）：0.8 试验压力（MPa）：1.4\n稳压时间：2h 压力降：0.02MPa\n试验结论：合格"),
    ("C6-45", "采暖系统试压记录",
     HEAD + "系统名称：三层散热器采暖\n试验压力：0.6MPa 稳压10min\n检查结果：不渗不漏"),
    ("C6-44", "卫生器具满水试验记录",
     HEAD + "器具名称：洗脸盆、拖布池\n满水时间：24h\n检查结果：无渗漏"),
    ("C6-47", "给水管道冲洗消毒记录",
     HEAD + "冲洗介质：自来水 冲洗流速：1.5m/s\n消毒方式：含氯消毒液浸泡24h\n水质检验：符合生活饮用水标准"),
    # 建筑电气 (GB 50303)
    ("C6-61", "照明全负荷通电试运行记录",
     HEAD + "回路编号：2AL1～2AL6\n试运行时间：2023年5月6日8时至16时\n电压（V）：220 电流（A）：12.4\n结论：灯具运行正常"),
    ("C6-62", "灯具固定装置及悬吊装置的载荷强度试验记录",
     HEAD + "灯具名称：大堂吊灯 灯具重量（kg）：18\n试验荷载：5倍灯具重量，持续15min\n结果：固定装置无变形"),
    ("C6-63", "剩余电流动作保护器测试记录",
     HEAD + "配电箱编号：3AL2\n额定动作电流（mA）：30 实测动作时间（ms）：22\n结论：动作可靠"),
    # 通风与空调 (GB 50243)
    ("C6-75", "风管漏风量测试记录",
     HEAD + "系统名称：新风系统XF-1\n系统工作压力（Pa）：600\n试验压力下漏风量：1.8m³/(h·m²)\n结论：合格"),
    ("C6-77", "风量、温度测试记录",
     HEAD + "房间：三层会议室\n设计风量（m³/h）：1200 实测风量（m³/h）：1150\n室内温度：24.5℃"),
    ("C6-79", "通风、空调系统调试记录",
     HEAD + "系统名称：K-2空调系统\n调试内容：风量平衡、温湿度测定\n调试结果：满足设计要求"),
    ("C6-1", "制冷机组试运行调试记录",
     HEAD + "设备型号：螺杆式冷水机组 编号LS-1\n连续运转时间：8h\n出水温度：7℃ 回水温度：12℃"),
    # 智能建筑 (GB 50339) and 电梯 (GB 50310)
    ("C6-68", "综合布线系统测试记录",
     HEAD + "测试仪器：线缆认证测试仪\n链路类别：六类非屏蔽 测试点数：240\n不合格点数：0"),
    ("C6-69", "光纤链路测试记录",
     HEAD + "链路编号：FD1-FD3\n波长（nm）：1310/1550\n衰减（dB）：1.2/0.9"),
    ("C6-71", "视频监控系统检测记录",
     HEAD + "检测项目：图像质量、回放、存储时间\n抽检数量：20路\n检测结论：符合设计要求"),
    ("C5-3", "电梯机房、井道土建交接检验记录",
     HEAD + "电梯编号：1号客梯\n井道尺寸：2200×2400mm 底坑深度：1500mm\n交接意见：符合安装条件"),
    # 结构与装饰 tests (DB11/T 808 施表C6-2, GB 50203/50204/50205/50210)
    ("C6-12", "砌筑砂浆配合比申请单",
     HEAD + "砂浆种类：水泥混合砂浆 强度等级：M7.5\n水泥品种：P·O 42.5 砂规格：中砂\n委托单位：甲建设有限公司"),
    ("C6-13", "砂浆试块强度试验报告",
     HEAD + "强度等级：M10 龄期：28d\n试件尺寸：70.7×70.7×70.7mm\n抗压强度代表值（MPa）：11.6"),
    ("C6-21", "外墙饰面砖粘结强度检测报告",
     HEAD + "检测部位：南立面三层\n粘结强度平均值（MPa）：0.52\n结论：符合JGJ/T 110要求"),
    ("C6-35", "外窗气密性、水密性、抗风压性能检测报告",
     HEAD + "试件名称：断桥铝合金平开窗\n气密性能：6级 水密性能：3级 抗风压性能：5级"),
    ("C6-41", "室内环境污染物浓度检测报告",
     HEAD + "检测房间：二层办公室 共12间\n甲醛（mg/m³）：0.05 TVOC（mg/m³）：0.32\n氡（Bq/m³）：45"),
    ("C6-23", "焊缝超声波探伤报告",
     HEAD + "构件名称：钢梁GL-3 焊缝等级：二级\n探伤比例：20%\n评定结果：Ⅱ级合格"),
    # 进场复试 (GB 50210, GB 50205, GB 50411)
    ("C4-22", "人造木板甲醛释放量复试报告",
     HEAD + "样品名称：细木工板 规格：1220×2440×18mm\n甲醛释放量（mg/L）：0.8\n结论：E1级"),
    ("C4-25", "外墙面砖吸水率复试报告",
     HEAD + "样品名称：陶瓷面砖 规格：45×95mm\n吸水率（%）：0.4\n抗冻性：合格"),
    ("C4-28", "焊接材料复试报告",
     HEAD + "样品名称：焊丝ER50-6 批号：23-117\n检验项目：熔敷金属力学性能"),
    ("C4-32", "电线电缆见证取样检测报告",
     HEAD + "规格型号：BV-450/750V 2.5mm²\n导体电阻（Ω/km）：7.35\n见证人：某某"),
    ("C4-33", "岩棉板检验报告",
     HEAD + "规格：1200×600×100mm 密度：140kg/m³\n导热系数（W/(m·K)）：0.039\n燃烧性能：A级"),
    # 施工记录 (DB11/T 808 施表C5)
    ("C5-15", "预拌混凝土发货单",
     HEAD + "强度等级：C30 坍落度：180mm\n本车方量（m³）：12 出站时间：8:40\n浇筑部位：四层楼板"),
    ("C5-25", "抽气（风）道检查记录",
     HEAD + "检查部位：1～6层卫生间排气道\n检查方法：观察、烟雾检查\n结果：通畅，无串烟"),
    ("C5", "电缆接头制作记录",
     HEAD + "电缆型号：YJV22-8.7/10kV 3×95\n接头形式：冷缩式中间接头\n制作人：某某"),
    # 监理 quality control (GB/T 50319 §5.2.11, §5.2.12)
    ("B3", "监理巡视检查记录",
     "工程名称：某机关办公楼维修改造工程\n巡视时间：2023年4月12日\n巡视部位：屋面防水层\n发现问题及处理：附加层宽度不足，已要求整改\n"
     "监理人员："),
    ("B3", "平行检验记录",
     "工程名称：某机关办公楼维修改造工程\n检验项目：钢筋保护层厚度\n检验部位：三层梁板\n检验结果：符合要求\n专业监理工程师："),
    # government forms
    ("A5", "工程建设项目安全生产备案表",
     "建设单位：＿＿＿＿\n工程名称：＿＿＿＿\n安全生产许可证号：＿＿＿＿\n项目负责人：＿＿ 专职安全员：＿＿\n受理机关：＿＿"),
    ("A5", "建设工程质量监督交底记录",
     "监督机构：＿＿＿＿\n交底时间：＿＿年＿＿月＿＿日\n交底内容：监督工作计划、参建各方质量责任\n参加单位：建设、勘察、设计、施工、监理"),
    ("A3", "人民防空工程建设审批文件",
     "建设单位：＿＿＿＿\n项目名称：＿＿＿＿\n应建防空地下室面积：＿＿m²\n审批意见：＿＿＿＿"),
    ("A3", "节能设计审查备案登记表",
     "工程名称：＿＿＿＿\n设计单位：＿＿＿＿\n节能设计标准：＿＿＿＿\n备案机关（盖章）"),
    ("E1", "人防工程竣工验收备案表",
     "建设单位：＿＿＿＿\n工程名称：＿＿＿＿\n防护等级：＿＿ 平战功能：＿＿\n备案意见：＿＿＿＿"),
    ("E1", "特种设备使用登记证",
     "使用单位：＿＿＿＿\n设备种类：电梯 设备品种：曳引驱动乘客电梯\n登记证编号：＿＿＿＿\n登记机关：＿＿"),
]


@pytest.mark.parametrize(("expected", "title", "body"), FORM_NAMES, ids=[row[1] for row in FORM_NAMES])
def test_a_form_named_by_its_standard_files_under_its_row(
    classifier: RuleClassifier, expected: str, title: str, body: str
) -> None:
    verdict = classifier.classify(None, f"{title}\n{body}")
    got = verdict.item_code if "-" in expected else verdict.class_code
    assert got == expected, verdict.reasons


NOT_THESE = [
    ("给水管道及配件安装检验批质量验收记录", "C7-1"),  # a 检验批 record of the pipework, not its pressure test
    ("电线电缆进场检验记录", "C4-8"),  # the delivery check, not the 见证取样 retest
    ("外窗气密性现场实体检验报告", "C6-40"),  # 围护结构现场实体检验, not the 三性 laboratory report
    ("管道试压方案报审表", "C2-2"),  # the method statement of a test, not the test
    ("安全技术交底记录", "C2-4"),  # a 交底 by the contractor, not the authority's 监督交底
]


@pytest.mark.parametrize(("title", "expected"), NOT_THESE, ids=[row[0] for row in NOT_THESE])
def test_near_names_keep_their_own_row(classifier: RuleClassifier, title: str, expected: str) -> None:
    verdict = classifier.classify(None, f"{title}\n{HEAD}检查日期：2023年5月6日")
    assert verdict.item_code == expected, verdict.reasons
