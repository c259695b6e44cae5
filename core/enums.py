"""The closed enumerations of zgb/1 (spec §5) with the government's Chinese terms."""

from __future__ import annotations

import unicodedata

from core.errors import InputRefused

SOURCES: dict[str, str] = {
    "inspection": "巡察",
    "audit": "审计",
    "assessment": "绩效考核",
    "supervision": "督查",
    "petition": "信访/群众反映",
    "other": "其他",
}
CATEGORIES: dict[str, str] = {
    "immediate": "立行立改",
    "phased": "分阶段整改",
    "long_term": "长效整改",
}
TASK_STATUSES: dict[str, str] = {
    "open": "待整改",
    "in_progress": "整改中",
    "submitted": "已完成待审核",
    "returned": "退回",
    "closed": "已销号",
}
NODE_STATUSES: dict[str, str] = {"pending": "未完成", "done": "已完成", "confirmed": "已核查"}
LIGHTS: dict[str, str] = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}
NOTICE_LEVELS: dict[str, str] = {"red": "挂牌督办", "yellow": "滞后警示"}
DEDUCTION_KINDS: dict[str, str] = {"pre": "预扣分", "final": "扣分", "reversed": "撤销扣分"}
UNIT_LEVELS: dict[str, str] = {"township": "乡镇（街道）", "department": "县（市）直部门", "other": "其他"}
ROLES: dict[str, str] = {"clerk": "填报员", "reviewer": "审核人", "admin": "管理员"}

# Words people type for the same thing (Excel lists, the command line).
_SYNONYMS: dict[str, dict[str, str]] = {
    "source": {
        "巡视": "inspection", "巡察": "inspection", "巡视巡察": "inspection",
        "审计": "audit", "审计整改": "audit",
        "绩效": "assessment", "绩效考核": "assessment", "考核": "assessment",
        "督查": "supervision", "督察": "supervision", "督办": "supervision",
        "信访": "petition", "群众反映": "petition", "信访/群众反映": "petition", "12345": "petition",
        "其他": "other",
    },
    "category": {
        "立行立改": "immediate", "立即整改": "immediate",
        "分阶段整改": "phased", "阶段整改": "phased", "限期整改": "phased",
        "长效整改": "long_term", "长期整改": "long_term", "建章立制": "long_term",
        "长效整改(建章立制)": "long_term", "长效整改（建章立制）": "long_term", "持续整改": "long_term",
    },
    "status": {"待整改": "open", "未整改": "open", "整改中": "in_progress", "正在整改": "in_progress",
               "已完成待审核": "submitted", "待审核": "submitted", "退回": "returned",
               "已销号": "closed", "销号": "closed", "已完成": "closed"},
    "light": {"绿": "green", "绿灯": "green", "黄": "yellow", "黄灯": "yellow", "红": "red", "红灯": "red"},
    "level": {"乡镇": "township", "街道": "township", "乡镇（街道）": "township", "部门": "department",
              "县（市）直部门": "department", "其他": "other"},
    "role": {"填报员": "clerk", "审核人": "reviewer", "管理员": "admin"},
}
_TABLES: dict[str, dict[str, str]] = {
    "source": SOURCES,
    "category": CATEGORIES,
    "status": TASK_STATUSES,
    "light": LIGHTS,
    "level": UNIT_LEVELS,
    "role": ROLES,
}
_NAMES = {"source": "来源", "category": "类别", "status": "状态", "light": "预警灯", "level": "单位层级",
          "role": "角色"}


# Words that name one source or category inside longer wording: 市委巡察, 巡察反馈, 督查督办, 分阶段.
_KEYWORDS: dict[str, dict[str, str]] = {
    "source": {"巡视": "inspection", "巡察": "inspection", "审计": "audit", "绩效": "assessment",
               "考核": "assessment", "督查": "supervision", "督察": "supervision", "督办": "supervision",
               "信访": "petition", "群众": "petition", "12345": "petition"},
    "category": {"立行立改": "immediate", "立即": "immediate", "阶段": "phased", "限期": "phased",
                 "长效": "long_term", "建章立制": "long_term"},
}


def _norm(text: str) -> str:
    """Full-width letters, digits and brackets as half-width, no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).lower()


_LOOKUP: dict[str, dict[str, str]] = {
    kind: {**{_norm(k): k for k in table}, **{_norm(label): k for k, label in table.items()},
           **{_norm(word): k for word, k in _SYNONYMS.get(kind, {}).items()}}
    for kind, table in _TABLES.items()
}


def try_parse(kind: str, value: str) -> str | None:
    """The spec's English word for `value` (English or Chinese, as typed), or None when unclear."""
    text = _norm(value)
    if not text:
        return None
    found = _LOOKUP[kind].get(text)
    if found is not None:
        return found
    hits = {key for word, key in _KEYWORDS.get(kind, {}).items() if word in text}
    return hits.pop() if len(hits) == 1 else None


def parse(kind: str, value: str) -> str:
    found = try_parse(kind, value)
    if found is None:
        allowed = "、".join(f"{label}（{key}）" for key, label in _TABLES[kind].items())
        raise InputRefused(f"{_NAMES[kind]}“{value}”无法识别。", hint=f"可用的有：{allowed}。")
    return found


def label(kind: str, key: str | None) -> str:
    if key is None:
        return ""
    return _TABLES[kind].get(key, key)
