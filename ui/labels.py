"""Display names of the spec's enumerations, through Qt translation (English source, Chinese by default)."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QCoreApplication


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


@cache  # built once the translators are installed; reset() after a language change
def _tables() -> dict[str, dict[str, str]]:
    return {
        "source": {"inspection": _t("Inspection"), "audit": _t("Audit"), "assessment": _t("Assessment"),
                   "supervision": _t("Supervision"), "petition": _t("Petition / public report"),
                   "other": _t("Other")},
        "category": {"immediate": _t("Rectify at once"), "phased": _t("Phased rectification"),
                     "long_term": _t("Long-term rectification")},
        "status": {"open": _t("To rectify"), "in_progress": _t("In progress"),
                   "submitted": _t("Done, awaiting review"), "returned": _t("Returned"),
                   "closed": _t("Closed (signed off)")},
        "node_status": {"pending": _t("Not done"), "done": _t("Done"), "confirmed": _t("Confirmed")},
        "light": {"green": _t("Green"), "yellow": _t("Yellow"), "red": _t("Red")},
        "notice_level": {"red": _t("Listed for supervision"), "yellow": _t("Delay warning")},
        "notice_state": {"unread": _t("Unread"), "read": _t("Read"), "responded": _t("Responded"),
                         "closed": _t("Closed")},
        "deduction": {"pre": _t("Provisional deduction"), "final": _t("Deduction"),
                      "reversed": _t("Deduction withdrawn")},
        "review": {"accepted": _t("Accepted"), "returned": _t("Returned")},
        "level": {"township": _t("Township (street)"), "department": _t("County (city) department"),
                  "other": _t("Other")},
        "role": {"clerk": _t("Clerk"), "reviewer": _t("Reviewer"), "admin": _t("Administrator")},
        "action": {
            "task.create": _t("Task created"), "task.edit": _t("Task edited"), "task.delete": _t("Task deleted"),
            "task.submit": _t("Sign-off requested"), "task.review": _t("City review"),
            "node.create": _t("Node added"), "node.edit": _t("Node edited"), "node.delete": _t("Node deleted"),
            "node.done": _t("Node reported done"), "node.confirm": _t("Node confirmed"),
            "evidence.add": _t("Evidence added"), "evidence.delete": _t("Evidence removed"),
        },
    }


def label(kind: str, key: str | None) -> str:
    """The translated name of `key` in the enumeration `kind`; unknown keys are shown as they are."""
    if key is None:
        return ""
    return _tables().get(kind, {}).get(key, key)


def choices(kind: str) -> list[tuple[str, str]]:
    """(key, translated name) in the spec's order, for combo boxes."""
    return list(_tables()[kind].items())


def reset() -> None:
    _tables.cache_clear()
