"""Display names of the spec's enumerations, through Qt translation (English source, Chinese by default)."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate


@cache  # built once the translators are installed; reset() after a language change
def _tables() -> dict[str, dict[str, str]]:
    return {
        "source": {
            "inspection": translate("Labels", "Inspection"),
            "audit": translate("Labels", "Audit"),
            "assessment": translate("Labels", "Assessment"),
            "supervision": translate("Labels", "Supervision"),
            "petition": translate("Labels", "Petition / public report"),
            "other": translate("Labels", "Other"),
        },
        "category": {
            "immediate": translate("Labels", "Rectify at once"),
            "phased": translate("Labels", "Phased rectification"),
            "long_term": translate("Labels", "Long-term rectification"),
        },
        "status": {
            "open": translate("Labels", "To rectify"),
            "in_progress": translate("Labels", "In progress"),
            "submitted": translate("Labels", "Done, awaiting review"),
            "returned": translate("Labels", "Returned"),
            "closed": translate("Labels", "Closed (signed off)"),
        },
        "node_status": {
            "pending": translate("Labels", "Not done"),
            "done": translate("Labels", "Done"),
            "confirmed": translate("Labels", "Confirmed"),
        },
        "light": {
            "green": translate("Labels", "Green"),
            "yellow": translate("Labels", "Yellow"),
            "red": translate("Labels", "Red"),
        },
        "notice_level": {
            "red": translate("Labels", "Listed for supervision"),
            "yellow": translate("Labels", "Delay warning"),
        },
        "notice_state": {
            "unread": translate("Labels", "Unread"),
            "read": translate("Labels", "Read"),
            "responded": translate("Labels", "Responded"),
            "closed": translate("Labels", "Closed"),
        },
        "deduction": {
            "pre": translate("Labels", "Provisional deduction"),
            "final": translate("Labels", "Deduction"),
            "reversed": translate("Labels", "Deduction withdrawn"),
        },
        "review": {
            "accepted": translate("Labels", "Accepted"),
            "returned": translate("Labels", "Returned"),
        },
        "level": {
            "township": translate("Labels", "Township (street)"),
            "department": translate("Labels", "County (city) department"),
            "other": translate("Labels", "Other"),
        },
        "role": {
            "clerk": translate("Labels", "Clerk"),
            "reviewer": translate("Labels", "Reviewer"),
            "admin": translate("Labels", "Administrator"),
        },
        "package_status": {
            "accepted": translate("Labels", "Imported"),
            "waiting": translate("Labels", "Waiting for its other parts"),
            "sent": translate("Labels", "Sent, no receipt yet"),
            "acknowledged": translate("Labels", "Received by the city"),
            "rejected": translate("Labels", "Refused by the city"),
        },
        "package_type": {
            "city-feedback": translate("Labels", "Feedback"),
            "unit-report": translate("Labels", "Report"),
        },
        "field": {
            "title": translate("Labels", "Title"),
            "description": translate("Labels", "Description"),
            "measures": translate("Labels", "Measures"),
            "source": translate("Labels", "Source"),
            "category": translate("Labels", "Category"),
            "batch": translate("Labels", "Batch"),
            "leader": translate("Labels", "Leader"),
            "deadline": translate("Labels", "Deadline"),
            "city_ref": translate("Labels", "City ref."),
            "review_state": translate("Labels", "Review"),
            "review_comment": translate("Labels", "Review comment"),
            "closed_on": translate("Labels", "Closed on"),
            "seq": translate("Labels", "No."),
            "due": translate("Labels", "Due"),
            "done": translate("Labels", "Done on"),
            "status": translate("Labels", "Status"),
            "note": translate("Labels", "Note"),
            "done_by": translate("Labels", "Reported by"),
            "confirmed_by": translate("Labels", "Confirmed by"),
            "city_result": translate("Labels", "City result"),
            "filename": translate("Labels", "File"),
            "size": translate("Labels", "Size"),
            "media_type": translate("Labels", "File type"),
        },
        "action": {
            "task.create": translate("Labels", "Task created"),
            "task.edit": translate("Labels", "Task edited"),
            "task.delete": translate("Labels", "Task deleted"),
            "task.submit": translate("Labels", "Sign-off requested"),
            "task.review": translate("Labels", "City review"),
            "node.create": translate("Labels", "Node added"),
            "node.edit": translate("Labels", "Node edited"),
            "node.delete": translate("Labels", "Node deleted"),
            "node.done": translate("Labels", "Node reported done"),
            "node.confirm": translate("Labels", "Node confirmed"),
            "evidence.add": translate("Labels", "Evidence added"),
            "evidence.delete": translate("Labels", "Evidence removed"),
            "evidence.restore": translate("Labels", "Evidence removal undone"),
            "node.undo_done": translate("Labels", "Node done undone"),
            "node.reorder": translate("Labels", "Node moved"),
            "notice.read": translate("Labels", "Notice read"),
            "notice.respond": translate("Labels", "Notice answered"),
            "appeal.file": translate("Labels", "Appeal filed"),
            "appeal.result": translate("Labels", "Appeal decided"),
            "recheck.schedule": translate("Labels", "Re-check scheduled"),
            "recheck.passed": translate("Labels", "Re-check passed"),
            "recheck.failed": translate("Labels", "Re-check failed"),
            "recheck.cancel": translate("Labels", "Re-check cancelled"),
            "task.reopen": translate("Labels", "Task reopened"),
            "task.assign": translate("Labels", "Assigned by the city"),
            "node.assign": translate("Labels", "Node assigned by the city"),
            "node.renumber": translate("Labels", "Node renumbered"),
            "deduction.receive": translate("Labels", "Deduction received"),
            "task.handover": translate("Labels", "Handed over"),
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
