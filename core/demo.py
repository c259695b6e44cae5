"""A realistic sample ledger (演示台账) for training, screenshots and `--demo`."""

from __future__ import annotations

import random
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from core import audit
from core.dates import now_ts
from core.evidence.attach import attach_file
from core.ledger.tasks import NodeInput, TaskInput, complete_node, confirm_node, create_task, refresh
from core.unit import init_unit
from core.workspace import Workspace
from db.models import Person, Task, Unit

DEMO_UNIT = ("442000-017", "中山市某某镇人民政府", "township")
DEMO_ADMIN = "陈晓红"

SECTIONS = {
    "党政办": ["陈晓红", "李志强"],
    "财政所": ["黄伟明", "吴丽芳"],
    "农业农村办": ["梁国栋", "何静"],
    "规划建设办": ["刘建华", "郑思远"],
    "社会事务办": ["周敏", "林嘉欣"],
    "综合行政执法办": ["杨帆", "冯志勇"],
    "纪检监察办": ["谢婉婷"],
}
LEADERS = ["王副镇长", "张副书记", "赵副镇长", "孙纪委书记"]

# (source, batch, [(title, description, category)])
PROBLEMS: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    ("inspection", "2026年市委第一轮巡察", [
        ("“三重一大”事项集体决策记录不完整", "2025年有4项重大事项未见党委会会议记录。", "phased"),
        ("基层党组织“三会一课”落实不到位", "抽查3个村党支部，支部党员大会记录缺失。", "phased"),
        ("村级工程项目招投标不规范", "2个村道硬化项目未按规定公开招标。", "phased"),
        ("公务用车使用登记不规范", "公车出车登记表缺少事由和里程。", "immediate"),
        ("扶贫资产管理台账不清", "产业帮扶项目形成的资产未登记入账。", "phased"),
        ("意识形态工作责任制落实不到位", "未按要求每半年专题研究意识形态工作。", "long_term"),
        ("干部档案专项审核遗留问题未整改", "5份干部档案出生日期认定材料不全。", "phased"),
        ("村务公开不及时", "部分村财务公开栏超过3个月未更新。", "immediate"),
        ("食堂采购无比价记录", "机关食堂大宗食材采购无询价比价记录。", "immediate"),
        ("党费收缴管理不规范", "个别党员党费未按月足额缴纳。", "immediate"),
        ("巡察反馈问题整改“回头看”不深入", "上轮巡察3个问题出现反弹。", "long_term"),
        ("干部队伍年龄结构老化", "35岁以下干部占比偏低，后备力量不足。", "long_term"),
    ]),
    ("audit", "2025年度经济责任审计", [
        ("专项资金滞留未拨付", "上级下达的农田水利专项资金120万元滞留超过一年。", "phased"),
        ("往来款项长期挂账未清理", "其他应收款中3年以上挂账48.6万元。", "phased"),
        ("固定资产账实不符", "盘点发现11台电脑已报废未核销。", "immediate"),
        ("政府采购未按规定执行", "办公家具采购化整为零规避集中采购。", "phased"),
        ("差旅费报销超标准", "4笔住宿费超出标准共计2,860元。", "immediate"),
        ("债务化解计划未落实", "隐性债务年度化解任务完成率不足60%。", "long_term"),
        ("工程结算未经审核即支付", "镇文化广场工程未经结算审核支付尾款。", "phased"),
        ("非税收入未及时上缴", "场地租金收入未及时缴入国库。", "immediate"),
        ("内部控制制度不健全", "未建立合同管理和印章使用内控制度。", "long_term"),
        ("村级“三资”监管平台数据不全", "5个村“三资”数据未录入平台。", "phased"),
    ]),
    ("assessment", "2026年度绩效考核", [
        ("营商环境投诉办结率偏低", "第一季度企业诉求按期办结率82%。", "phased"),
        ("人居环境整治考核排名靠后", "农村人居环境季度考核全市排名第18位。", "phased"),
        ("安全生产隐患整改闭环率不足", "排查的隐患中有9处未按期闭环。", "immediate"),
        ("政务服务“一网通办”事项覆盖不全", "镇级事项网上可办率未达到90%。", "phased"),
        ("耕地保护目标任务未完成", "撂荒地复耕完成面积不足年度任务。", "long_term"),
        ("河长制巡河记录不全", "镇级河长巡河次数不达标。", "immediate"),
        ("项目投资进度滞后", "重点项目投资完成率低于序时进度。", "phased"),
        ("信访积案化解进度慢", "3宗信访积案未按期化解。", "phased"),
    ]),
    ("supervision", "2026年市督查室专项督查", [
        ("消防通道被占用问题反复出现", "镇区两个老旧小区消防通道长期被占用。", "immediate"),
        ("垃圾分类示范村建设滞后", "示范村建设未按计划推进。", "phased"),
        ("违法建设整治不彻底", "督查发现新增违建5宗未及时查处。", "phased"),
        ("防汛物资储备不足", "镇防汛仓库救生衣、沙袋数量不足。", "immediate"),
        ("燃气安全排查不到位", "餐饮场所燃气报警器安装率不达标。", "immediate"),
        ("“厕所革命”后续管护缺位", "部分公厕无人管护、设施损坏。", "phased"),
        ("农贸市场环境卫生差", "督查暗访发现市场内污水横流。", "immediate"),
        ("校园周边交通秩序混乱", "上下学时段校门口乱停乱放。", "phased"),
        ("高标准农田建设进度滞后", "年度建设任务完成不足一半。", "long_term"),
        ("道路破损修复不及时", "镇主干道多处坑槽未修复。", "immediate"),
    ]),
    ("petition", "2026年12345热线交办", [
        ("居民反映夜间施工噪音扰民", "某工地夜间22时后仍在施工。", "immediate"),
        ("村民反映饮用水水质浑浊", "雨后自来水浑浊，村民多次投诉。", "phased"),
        ("群众反映路灯长期不亮", "工业大道一段路灯损坏超过一个月。", "immediate"),
        ("反映养殖场异味扰民", "某生猪养殖场粪污处理不规范。", "phased"),
        ("反映小区物业乱收费", "小区物业擅自提高停车费。", "phased"),
        ("反映农村低保评定不公", "群众反映个别低保户家庭条件较好。", "phased"),
        ("反映工资拖欠问题", "某建筑工地拖欠农民工工资。", "immediate"),
        ("反映占道经营问题", "墟日期间商贩占道经营影响通行。", "long_term"),
    ]),
    ("other", "2026年上级交办事项", [
        ("档案数字化工作推进缓慢", "2010年以前文书档案未完成数字化。", "long_term"),
        ("政务公开网站栏目更新不及时", "政策解读栏目超过半年未更新。", "immediate"),
        ("网络安全等级保护未落实", "镇政务网站未完成等保测评。", "phased"),
        ("统计数据质量问题", "规上企业统计数据多次退回修改。", "phased"),
        ("机关节能降耗未达标", "公共机构能耗指标超出定额。", "long_term"),
        ("应急预案未及时修订", "镇突发事件总体应急预案超过3年未修订。", "phased"),
        ("保密自查发现问题", "个别涉密计算机违规连接互联网。", "immediate"),
        ("文明城市创建短板", "公益广告数量和质量不达标。", "phased"),
        ("老年人助餐服务覆盖不足", "长者饭堂覆盖村居不足一半。", "long_term"),
        ("社保待遇资格认证滞后", "年度待遇资格认证完成率偏低。", "immediate"),
        ("安全生产培训走过场", "企业负责人培训签到与实际不符。", "immediate"),
        ("耕地“非粮化”整治进度慢", "部分地块仍种植苗木。", "phased"),
    ]),
]

NODE_PLANS = {
    "immediate": [("立即整改并形成整改报告", 0)],
    "phased": [("制定整改方案", 0), ("组织实施整改", 1), ("验收并提交佐证材料", 2)],
    "long_term": [("制定整改方案", 0), ("完善相关制度", 1), ("建立长效机制", 2), ("开展效果评估", 3)],
}
CITY_PREFIX = {"inspection": "XC", "audit": "SJ", "assessment": "JX", "supervision": "DC", "petition": "XF",
               "other": "QT"}


def _png_bytes(seed: int) -> bytes:
    """A tiny valid PNG (1x1 pixel) so evidence has real, distinct image files."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"\x00" + bytes([seed % 256, (seed * 7) % 256, (seed * 13) % 256])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def build_demo(ws: Workspace, seed: int = 2026) -> dict[str, Any]:
    """Fill the workspace with the sample ledger, relative to the workspace's today."""
    rng = random.Random(seed)
    today = ws.today
    with ws.session() as s:
        if s.scalar(select(Unit).limit(1)) is None:
            init_unit(s, *DEMO_UNIT, admin=DEMO_ADMIN)
        people_sections = [(p, sec) for sec, ps in SECTIONS.items() for p in ps]
        for name, sec in people_sections:
            if s.scalar(select(Person).where(Person.name == name)) is None:
                from core.ledger.people import person_named, section_named

                person_named(s, name, section_named(s, sec))
        admin = s.scalar(select(Person).where(Person.name == "陈晓红"))
        if admin is not None:
            admin.role = "admin"
        reviewer = s.scalar(select(Person).where(Person.name == "李志强"))
        if reviewer is not None:
            reviewer.role = "reviewer"
    created = 0
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        n = 0
        for source, batch, problems in PROBLEMS:
            for i, (title, desc, category) in enumerate(problems, start=1):
                n += 1
                owner, section = people_sections[(n * 3) % len(people_sections)]
                start = today - timedelta(days=rng.randint(20, 200))
                span = {"immediate": 30, "phased": 120, "long_term": 240}[category]
                deadline = start + timedelta(days=span + rng.randint(-20, 20))
                plan = NODE_PLANS[category]
                nodes = [NodeInput(t, (start + timedelta(days=int(span * (k + 1) / len(plan)))).isoformat())
                         for t, k in plan]
                nodes[-1] = NodeInput(nodes[-1].title, deadline.isoformat())
                data = TaskInput(title=title, source=source, category=category, owner=owner,
                                 deadline=deadline.isoformat(),
                                 section=section, leader=LEADERS[n % len(LEADERS)], batch=batch, description=desc,
                                 measures="明确责任人和时间节点，逐项对账销号。", nodes=nodes)
                city_ref = f"ZS-{CITY_PREFIX[source]}-2026-{i:03d}" if source != "other" else None
                with ws.session() as s:
                    task = create_task(s, owner, data, city_ref=city_ref, from_city=False)
                    task_id = task.id
                    created += 1
                    # Progress: nodes whose due date has passed are mostly done, some lag behind.
                    roll = rng.random()
                    for node in list(task.nodes):
                        due = date.fromisoformat(node.due)
                        if due <= today and roll > 0.25 or due > today and roll > 0.85:
                            done = min(due - timedelta(days=rng.randint(0, 5)), today)
                            complete_node(s, owner, task_id, node.seq, done=done, note="已按要求完成。", today=today)
                            if rng.random() > 0.3:
                                confirm_node(s, "李志强" if owner != "李志强" else "陈晓红", task_id, node.seq)
                    if rng.random() < 0.4:
                        f = tmpdir / f"整改佐证_{n:02d}.png"
                        f.write_bytes(_png_bytes(n))
                        attach_file(s, ws.evidence, owner, task_id, f, node_seq=1, description="现场整改照片")
                    t = s.get(Task, task_id)
                    assert t is not None
                    if t.status == "submitted" and rng.random() < 0.7:
                        # The city has accepted it (销号), as a feedback package would.
                        t.review_state = "accepted"
                        t.closed_on = min(today, deadline).isoformat()
                        refresh(t)
                        audit.record(s, "市督查平台", "task.review", "task", t.id, obj=t, task_id=t.id)
                    t.created = start.isoformat() + "T09:00:00+08:00"
                    t.updated = now_ts()
    return {"tasks": created}
