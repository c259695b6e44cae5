"""The words of the 整改情况报告, once: the signed PDF (core.reports.pdf) and the Word draft (core.reports.docx)
lay out the same blocks.

A report stays a report however large the ledger: the body names unfinished problems one by one only while
there are few of them (`LISTED_IN_BODY`); past that it gives the counts by 责任科室 and leaves the lists to
the annex (附件：整改问题清单).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from core import enums
from core.reports.data import LedgerData

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

LISTED_IN_BODY = 10
DEFAULT_RECIPIENT = "市督查室"
RECIPIENT_KEY = "report_recipient"  # declared in core.settings.TEXT_SPECS


@dataclass(frozen=True)
class Block:
    """One paragraph: `role` is title, recipient, h1, h2, body, blank, annex or signature."""

    role: str
    text: str = ""


def cn_date(d: date | str) -> str:
    """2026年4月15日: the date in Arabic numerals, as GB/T 9704 asks."""
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return f"{d.year}年{d.month}月{d.day}日"


def percent(x: float) -> str:
    return f"{x * 100:.1f}%"


def title_of(data: LedgerData) -> str:
    return f"{data.unit_name}关于整改工作进展情况的报告"


def summary_blocks(data: LedgerData, recipient: str = DEFAULT_RECIPIENT) -> list[Block]:
    f = data.figures
    a = data.activity
    total, closed = f["total"], f["closed"]
    st = f["by_status"]
    lights = f["by_light"]
    out: list[Block] = [Block("title", title_of(data)), Block("blank")]
    if recipient.strip():
        out.append(Block("recipient", f"{recipient.strip()}："))

    def body(text: str) -> None:
        out.append(Block("body", text))

    body(
        f"截至{cn_date(data.today)}，本单位共承担整改任务{total}项，已整改完成并销号{closed}项，整改完成率"
        f"{percent(f['completion_rate'])}；正在整改{st['open'] + st['in_progress'] + st['returned']}项，"
        f"已完成待审核{st['submitted']}项。现将有关情况报告如下。"
    )
    out.append(Block("h1", "一、整改工作开展情况"))
    body(
        f"本单位对照问题清单逐项明确整改措施、责任人和整改时限，共细化整改节点{a['nodes_total']}个，"
        f"已完成{a['nodes_done']}个，其中经第二人核查确认{a['nodes_confirmed']}个；上传佐证材料"
        f"{a['evidence']}份；收到上级督办通知{a['notices']}份，已反馈{a['responses']}次；"
        f"因人员变动办理责任交接{a['handovers']}次；申请销号{a['submitted']}项。"
    )
    out.append(Block("h1", "二、整改任务完成情况"))
    out.append(Block("h2", "（一）总体情况"))
    body(
        f"全部{total}项任务中，红灯{lights['red']}项、黄灯{lights['yellow']}项、绿灯{lights['green']}项；"
        f"逾期未完成任务{f['overdue_tasks']}项，逾期未完成节点{f['overdue_nodes']}个，近期到期节点"
        f"{f['due_soon_nodes']}个。尚未办结的督办通知：挂牌督办{f['open_notices']['red']}份、滞后警示"
        f"{f['open_notices']['yellow']}份。"
    )
    out.append(Block("h2", "（二）按问题来源"))
    parts = [
        f"{enums.label('source', k)}反馈问题{v}项，已完成{f['closed_by_source'].get(k, 0)}项"
        for k, v in sorted(f["by_source"].items(), key=lambda kv: -kv[1])
    ]
    body("；".join(parts) + "。" if parts else "暂无整改任务。")
    out.append(Block("h2", "（三）按整改类别"))
    closed_by_cat: Counter[str] = Counter(r.category for r in data.rows if r.status == "closed")
    parts = [
        f"{enums.label('category', k)}{v}项，已完成{closed_by_cat.get(k, 0)}项"
        for k, v in sorted(f["by_category"].items(), key=lambda kv: -kv[1])
    ]
    body("；".join(parts) + "。" if parts else "暂无整改任务。")
    ded = f["deductions"]
    if ded["pre"] or ded["final"]:
        body(f"上级考核预扣分{ded['pre']:g}分、扣分{ded['final']:g}分，本单位正在按要求整改或申诉。")
    out.append(Block("h1", "三、尚未完成的问题及原因"))
    pending = [r for r in data.rows if r.status != "closed"]
    flagged = sorted((r for r in pending if r.light in ("red", "yellow")), key=lambda r: (r.light != "red",))
    if not pending:
        body("全部问题均已整改完成。" if total else "本单位目前没有整改任务。")
    elif len(flagged) <= LISTED_IN_BODY:
        for i, r in enumerate(flagged, start=1):
            who = "、".join(x for x in (r.section, r.owner) if x) or "未明确责任人"
            light = enums.label("light", r.light)
            body(f"{i}．{r.title}（{who}，整改期限{cn_date(r.deadline)}）：{light}，{r.light_reason}。")
        rest = len(pending) - len(flagged)
        if rest:
            body(f"其余{rest}项未完成任务均在整改期限内按计划推进，详见附件。")
    else:
        red = [r for r in flagged if r.light == "red"]
        by_section = Counter(r.section or "未明确责任科室" for r in flagged).most_common(5)
        spread = "、".join(f"{name}{n}项" for name, n in by_section)
        body(
            f"尚未完成的{len(pending)}项任务中，红灯{len(red)}项、黄灯{len(flagged) - len(red)}项，"
            f"主要集中在{spread}。主要原因：部分问题涉及资金、项目审批或多部门协调，整改周期较长；"
            "个别节点佐证材料不齐，未能按期申请销号。逐项情况、责任科室和整改期限详见附件。"
        )
        rest = len(pending) - len(flagged)
        if rest:
            body(f"其余{rest}项未完成任务均在整改期限内按计划推进。")
    out.append(Block("h1", "四、下一步工作打算"))
    body(
        f"一是对{lights['red']}项红灯、{lights['yellow']}项黄灯任务逐项督促，由责任领导牵头，明确时间表，"
        f"确保限期销号。二是对近期到期的{f['due_soon_nodes']}个节点提前调度，确保按期完成、佐证材料齐全。"
        f"三是对已销号的{closed}项问题开展“回头看”，防止问题反弹，建立健全长效机制。"
    )
    out.append(Block("blank"))  # GB/T 9704 §7.3.4: 附件说明 one line below the body, two characters in
    out.append(Block("annex", "附件：整改问题清单"))
    out.append(Block("blank"))  # §7.3.5.2: the 署名 one line below, 右空二字; the date on the next line
    out.append(Block("signature", data.unit_name))
    out.append(Block("signature", cn_date(data.today)))
    return out


def recipient(session: Session) -> str:
    """The 主送机关 written under the title (a setting; 市督查室 unless changed)."""
    from core.settings import get_text

    return get_text(session, RECIPIENT_KEY)


def set_recipient(session: Session, actor: str, name: str) -> str:
    """Change the 主送机关 (the admin's setting, audited); blank puts 市督查室 back. Returns the new value."""
    from core import audit
    from core.settings import get_text, set_text
    from core.team.users import require_role

    require_role(session, actor, "admin", action="修改设置")
    before = get_text(session, RECIPIENT_KEY)
    set_text(session, RECIPIENT_KEY, name)
    after = get_text(session, RECIPIENT_KEY)
    audit.record(session, actor, "setting.set", "setting", RECIPIENT_KEY, before={"value": before},
                 after={"value": after})
    return after
