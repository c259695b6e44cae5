"""Report and spreadsheet commands: report, verify-report, import-excel, export-excel."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from core.cli.common import print_json, say, with_workspace
from core.errors import UsageError
from core.workspace import Workspace


def register(sub: Any) -> None:
    p = sub.add_parser("report", help="生成 PDF 报告：整改报告、台账、单个任务、月报")
    p.add_argument("out", help="输出的 PDF 文件（整改报告也可写 .docx：可编辑的 Word 草稿）")
    p.add_argument(
        "--kind",
        default="summary",
        choices=("summary", "ledger", "task", "monthly", "public"),
        help="summary 整改报告（默认）/ ledger 台账 / task 单个任务 / monthly 月报 / public 公示版（不含人名）",
    )
    p.add_argument("--task", help="任务编号（--kind task 时必填）")
    p.add_argument("--period", help="月报的月份 YYYY-MM（默认本月）")
    p.set_defaults(handler=with_workspace(cmd_report))

    p = sub.add_parser("report-recipient", help="查看或设置整改报告的主送机关（默认 市督查室）")
    p.add_argument("name", nargs="?", help="主送机关，例如 市委督查室；留空字符串恢复默认")
    p.set_defaults(handler=with_workspace(recipient_cmd))

    p = sub.add_parser("verify-report", help="核验 PDF 报告：台账是否仍与报告一致")
    p.add_argument("file", help="本软件生成的 PDF 报告")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=with_workspace(cmd_verify_report))

    p = sub.add_parser("import-excel", help="导入市里下发的 Excel 问题清单（.xlsx、.xls、.ods、.csv）")
    p.add_argument("file", help="问题清单 .xlsx / .xls / .ods / .csv")
    p.add_argument("--dry-run", action="store_true", help="只检查并预览，不导入（所报条数即导入时的条数）")
    p.add_argument("--sheet", help="读取哪个工作表：名称，或从 1 起的序号（默认：第一个有表头的工作表）")
    p.add_argument("--default", action="append", default=[], metavar="字段=值",
                   help="表中没有的列，所有行统一填这个值，"
                        "如 --default 来源=审计 --default 整改类别=分阶段整改（可重复；同样表头的清单下次自动沿用）")
    p.add_argument("--map", action="append", default=[], metavar="表头=字段",
                   help="把表头为此文字的列当作某字段读取，如 --map 牵头股室=责任科室；字段写“不导入”则不读该列。"
                        "会记住，下次同样表头的清单自动使用（可重复）")
    p.add_argument("--suggest", action="store_true",
                   help="列出每个可导入行的相似问题（以往任务和措施库，前 3 条；每行约需几毫秒，万行的清单约半分钟）")
    p.add_argument("--adopt", action="append", default=[], metavar="行号[:序号]",
                   help="把这一行的相似问题（默认第 1 条，可写 行号:2 取第 2 条）的整改措施和节点复制到导入的任务中"
                        "（节点期限从今天起算；可重复）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(handler=with_workspace(cmd_import_excel))

    p = sub.add_parser("export-excel", help="把台账导出为 Excel（与市里清单同样的格式）")
    p.add_argument("out", help="输出的 .xlsx 文件")
    p.add_argument("--public", action="store_true", help="公示版：不含责任人、责任领导等人名和内部说明")
    p.set_defaults(handler=with_workspace(cmd_export_excel))


def cmd_report(ws: Workspace, args: argparse.Namespace) -> int:
    from core.reports.pdf import KINDS
    from core.reports.proof import print_report, unit_has_key

    period = args.period
    if period and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period):
        raise UsageError(f"月份“{period}”格式不对。", hint="请写成 年-月，例如 2026-04。")
    out = Path(args.out)
    if out.suffix.lower() == ".docx":
        return _word_draft(ws, args.kind, out)
    with ws.read() as s:
        ws.require_unit(s)
        signed = unit_has_key(s)
    secret = None
    if signed:
        from core.cli.exchange_cmds import passphrase

        secret = passphrase("密钥密码（为报告签名）：")
    with ws.session() as s:
        path, fonts, row = print_report(
            s, ws.today, args.kind, out, actor=ws.user, passphrase=secret, task_id=args.task, period=period
        )
    say(f"已生成{KINDS[args.kind]}：{path}")
    if signed:
        say(f"已用本单位密钥签名并登记（SHA-256：{row.sha256}）。")
    else:
        say(f"已登记（SHA-256：{row.sha256}）。本单位还没有签名密钥，报告未加数字签名（keys create 建立密钥）。")
    for note in fonts.notes:
        say(f"提示：{note}")
    if fonts.missing:
        say(f"提示：字库中没有“{''.join(sorted(fonts.missing))}”，报告中以“〓”代替，请手工补写。")
    return 0


def _word_draft(ws: Workspace, kind: str, out: Path) -> int:
    from core.reports.word import write_draft

    if kind != "summary":
        raise UsageError("Word 草稿只有整改报告一种。", hint="请用 --kind summary，或把文件名改为 .pdf。")
    with ws.read() as s:
        ws.require_unit(s)
        path = write_draft(s, ws.today, out)
    say(f"已生成整改报告的 Word 草稿：{path}")
    say("提示：草稿供修改，不签名、不登记；定稿后请生成 PDF 报告作为正式文本。")
    return 0


def recipient_cmd(ws: Workspace, args: argparse.Namespace) -> int:
    from core.reports.summary import recipient, set_recipient

    if args.name is None:
        with ws.read() as s:
            say(recipient(s))
        return 0
    with ws.session() as s:
        ws.require_unit(s)
        now = set_recipient(s, ws.user, args.name)
    say(f"整改报告的主送机关：{now}")
    return 0


def cmd_verify_report(ws: Workspace, args: argparse.Namespace) -> int:
    from core.reports.stamp import verify_report

    with ws.read() as s:
        ws.require_unit(s)
        result = verify_report(s, Path(args.file))
    st = result.stamp
    if args.json:
        print_json(
            {
                "matches": result.matches,
                "genuine": True,
                "signed": result.signed,
                "signature": result.signature,
                "same_unit": result.same_unit,
                "unit": st.unit_code,
                "date": st.date,
                "kind": st.kind,
                "report_sha256": st.sha256,
                "ledger_sha256": result.current,
            }
        )
    else:
        say(f"原件：这是本单位于 {st.date} 生成并登记的报告，文件没有被改动。")
        if result.signature:
            say(result.signature)
        if result.matches:
            say("一致：生成后台账没有变动，报告内容与当前台账相符。")
        else:
            say(
                f"不一致：报告于 {st.date} 生成，此后台账已有变动（新增、修改、审核或督办等）。"
                "如需最新情况，请重新生成报告。"
            )
    return 0 if result.matches else 3


def _field_pairs(items: list[str], what: str, allow_skip: bool = False) -> dict[str, str]:
    from core.excel.columns import LABELS, field_named

    out: dict[str, str] = {}
    for item in items:
        left, sep, right = item.partition("=")
        if not sep or not left.strip():
            raise UsageError(f"{what}“{item}”应写成 名称=值。")
        if what == "--default":
            key = field_named(left)
            if key is None:
                raise UsageError(f"--default 的字段“{left}”不认识。",
                                 hint=f"可写：{'、'.join(LABELS.values())}（或 source、category 等）。")
            out[key] = right.strip()
        else:
            target = right.strip()
            key = "" if allow_skip and target in ("不导入", "忽略", "-") else field_named(target)
            if key is None:
                raise UsageError(f"--map 的字段“{target}”不认识。",
                                 hint=f"可写：{'、'.join(LABELS.values())}，或“不导入”。")
            out[" ".join(left.split())] = key
    return out


def _row_suggestions(ws: Workspace, session: Any, preview: Any, args: argparse.Namespace) -> dict[Any, Any]:
    """Each importable row's similar problems ((row, title, description) -> best first); `--adopt` copies one."""
    from core.excel.importer import row_plan, row_problems, set_row_plan
    from core.measures.similar import SimilarIndex, suggest_many

    problems = row_problems(preview)
    wanted: dict[int, int] = {}
    for item in args.adopt:
        row, _, n = item.partition(":")
        if not row.strip().isdigit() or (n and not n.strip().isdigit()) or (n and int(n) < 1):
            raise UsageError(f"--adopt“{item}”应写成 行号 或 行号:序号，如 --adopt 5 或 --adopt 5:2。")
        wanted[int(row)] = int(n or 1)
    if not args.suggest:
        problems = [p for p in problems if p[0] in wanted]
    found = suggest_many(session, SimilarIndex(ws.paths.similar_index), [(t, d) for _, t, d in problems],
                         limit=max([3, *wanted.values()]))
    by_row = dict(zip(problems, found, strict=True))
    rows = {p[0]: f for p, f in by_row.items()}
    for row, n in wanted.items():
        if row in rows and len(rows[row]) < n:
            raise UsageError(f"第 {row} 行只有 {len(rows[row])} 条相似问题，没有第 {n} 条。",
                             hint="先用 --suggest 看看每一行的相似问题。")
        set_row_plan(preview, row, row_plan(rows[row][n - 1], ws.today) if row in rows else None)
    return {p: f[:3] for p, f in by_row.items()} if args.suggest else {}


def cmd_import_excel(ws: Workspace, args: argparse.Namespace) -> int:
    from core.excel.columns import LABELS
    from core.excel.importer import header_signature, import_problem_list, read_problem_list
    from core.excel.mappings import MappingMemory

    path = Path(args.file)
    defaults = _field_pairs(args.default, "--default")
    mapping = _field_pairs(args.map, "--map", allow_skip=True) or None
    memory = MappingMemory(ws.paths.excel_mappings)
    with ws.read() as s:
        ws.require_unit(s)
        preview = read_problem_list(path, session=s, sheet=args.sheet, mapping=mapping, memory=memory,
                                    defaults=defaults or None)
        similar = _row_suggestions(ws, s, preview, args) if args.suggest or args.adopt else {}
    if mapping or defaults:
        memory.remember(header_signature(preview.headers), mapping, defaults or None)
    if not args.dry_run and preview.importable:
        with ws.session() as s:
            result = import_problem_list(s, ws.user, preview)
    else:
        result = None
    if args.json:
        out = preview.as_json()
        out["imported"] = len(result) if result is not None else 0
        out["dry_run"] = bool(args.dry_run)
        if args.suggest:
            out["suggestions"] = [{"row": row, "title": title, "suggestions": [x.as_json() for x in found]}
                                  for (row, title, _), found in similar.items()]
        if args.adopt:
            out["adopted"] = [{"row": r.row, "from": r.plan.taken_from} for r in preview.rows if r.plan]
        print_json(out)
        return 0
    say(f"“{path.name}”：工作表“{preview.sheet}”，表头在第 {preview.header_row} 行，共 {preview.row_count} 行问题。")
    if len(preview.sheets) > 1:
        say(f"  表中共有 {len(preview.sheets)} 个工作表：{'、'.join(preview.sheets)}（可用 --sheet 选另一个）。")
    if preview.unrecognised:
        say(f"  未识别的列（未导入）：{'、'.join(preview.unrecognised)}（可用 --map 表头=字段 指定）。")
    for key, value in preview.defaults.items():
        say(f"  “{LABELS.get(key, key)}”表中没有这一列，所有行统一填写“{value}”。")
    for e in preview.errors:
        say(f"  第 {e.row} 行【{e.column}】{e.reason}")
    for note in preview.notes:
        say(f"  注意：{note}")
    dups = preview.duplicates
    for d in dups[:5]:
        say(f"  第 {d.row} 行：{d.reason}，跳过。")
    if len(dups) > 5:
        say(f"  另有 {len(dups) - 5} 行已在台账中，跳过。")
    closed = preview.arriving_closed
    if closed:
        rows = "、".join(str(r.row) for r in closed[:20]) + ("等" if len(closed) > 20 else "")
        say(f"  其中 {len(closed)} 条导入后即为“已销号”（第 {rows} 行）。")
    for (row, _, _), found in similar.items() if args.suggest else ():
        say(f"  第 {row} 行 相似问题：" + ("；".join(f"{i}. {x.title}" for i, x in enumerate(found, 1)) or "无"))
    for r in preview.rows:
        if r.plan:
            say(f"  第 {r.row} 行采用“{r.plan.taken_from}”的整改措施和 {len(r.plan.nodes)} 个节点。")
    if args.dry_run:
        say(f"预览：可导入 {len(preview.importable)} 条，有问题 {preview.bad_count} 行（未导入，--dry-run）。")
    else:
        bad = preview.bad_count
        say(
            f"已导入 {len(result or [])} 条。"
            + (f"有问题的 {bad} 行未导入，请改正后重新导入（已导入的不会重复）。" if bad else "")
        )
    return 0


def cmd_export_excel(ws: Workspace, args: argparse.Namespace) -> int:
    from core.excel.exporter import export_ledger

    with ws.read() as s:
        ws.require_unit(s)
        path, count = export_ledger(s, ws.today, Path(args.out), public=args.public)
    say(f"已导出 {count} 条任务{'（公示版，不含人名）' if args.public else ''}：{path}")
    return 0
