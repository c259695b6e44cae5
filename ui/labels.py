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
            "section-tasks": translate("Labels", "Section tasks"),
            "section-report": translate("Labels", "Section report"),
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
            "notice_id": translate("Labels", "Notice no."),
            "points": translate("Labels", "Points"),
            "kind": translate("Labels", "Kind"),
            "result": translate("Labels", "Result"),
            "target": translate("Labels", "Appeal against"),
            "name": translate("Labels", "Name"),
            "role": translate("Labels", "Role"),
            "active": translate("Labels", "Active"),
            "left_on": translate("Labels", "Left on"),
            "value": translate("Labels", "Value"),
            "sequence": translate("Labels", "Package no."),
            "owner": translate("Labels", "Owner"),
            "code": translate("Labels", "Unit code"),
            "full": translate("Labels", "Full report"),
            "keys": translate("Labels", "Keys"),
            "valid_from": translate("Labels", "Valid from package"),
            "counts": translate("Labels", "Contents"),
            "summary": translate("Labels", "Contents"),
            "reason": translate("Labels", "Reason"),
        },
        "result": {
            "passed": translate("Labels", "Passed"),
            "failed": translate("Labels", "Failed"),
            "cancelled": translate("Labels", "Cancelled"),
            "upheld": translate("Labels", "Appeal upheld"),
            "rejected": translate("Labels", "Appeal rejected"),
            "accepted": translate("Labels", "Accepted"),
            "returned": translate("Labels", "Returned"),
        },
        "target": {
            "deduction": translate("Labels", "Deduction"),
            "review": translate("Labels", "Review result"),
            "notice": translate("Labels", "Supervision notice"),
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
            "task.review.accepted": translate("Labels", "City review: accepted"),
            "task.review.returned": translate("Labels", "City review: returned"),
            "node.review.accepted": translate("Labels", "Node reviewed by the city: accepted"),
            "node.review.returned": translate("Labels", "Node reviewed by the city: returned"),
            "user.add": translate("Labels", "User added"),
            "user.disable": translate("Labels", "User disabled"),
            "user.password": translate("Labels", "Password set"),
            "user.role": translate("Labels", "Role changed"),
            "person.left": translate("Labels", "Person left"),
            "setting.set": translate("Labels", "Setting changed"),
            "unit.init": translate("Labels", "Ledger set up"),
            "package.import": translate("Labels", "Feedback imported"),
            "package.export": translate("Labels", "Report exported"),
            "package.export.undone": translate("Labels", "Report export undone"),
            "key.create": translate("Labels", "Signing key created"),
            "key.trust": translate("Labels", "City key trusted"),
            "key.restore": translate("Labels", "Keys restored"),
            "key.rotate": translate("Labels", "Signing key changed"),
        },
    }


def label(kind: str, key: str | None) -> str:
    """The translated name of `key` in the enumeration `kind`; unknown keys are shown as they are."""
    if key is None:
        return ""
    return _tables().get(kind, {}).get(key, key)


# Internal ids and hashes mean nothing to a clerk: a change history leaves them out.
HIDDEN_FIELDS = {"task_id", "node_id", "section_id", "owner_id", "sha256", "deleted", "id", "evidence_ids"}
VALUE_KINDS = {"status": ("status", "node_status"), "source": ("source",), "category": ("category",),
               "review_state": ("review",), "city_result": ("review",), "kind": ("deduction",),
               "result": ("result",), "role": ("role",), "level": ("level",)}


def media_type(value: str) -> str:
    """image/jpeg → 图片, application/pdf → PDF 文档 …: a file's kind in the user's words."""
    v = (value or "").lower()
    kinds = (
        (v.startswith("image/"), translate("Labels", "Image")),
        (v == "application/pdf", translate("Labels", "PDF document")),
        (v.startswith("video/"), translate("Labels", "Video")),
        (v.startswith("audio/"), translate("Labels", "Audio recording")),
        ("wordprocessing" in v or v == "application/msword", translate("Labels", "Word document")),
        ("spreadsheet" in v or "ms-excel" in v, translate("Labels", "Excel spreadsheet")),
        ("presentation" in v or "powerpoint" in v, translate("Labels", "Presentation")),
        (v in ("application/zip", "application/x-zip-compressed", "application/x-7z-compressed",
               "application/vnd.rar"), translate("Labels", "Archive")),
        (v.startswith("text/"), translate("Labels", "Text file")),
    )
    return next((text for hit, text in kinds if hit), translate("Labels", "Other file"))


def change_value(field: str, value: object) -> str:
    """One value of a change history entry, as the window names it."""
    from core.text import human_size

    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return translate("Labels", "yes") if value else translate("Labels", "no")
    if field == "media_type":
        return media_type(str(value))
    if field == "size" and isinstance(value, (int, float)):
        return human_size(value)
    if field == "points" and isinstance(value, (int, float)):
        return f"{value:g}"
    if field == "target" and isinstance(value, str) and ":" in value:
        kind, _, ref = value.partition(":")
        return f"{label('target', kind)} {ref}"
    if isinstance(value, dict):
        return "，".join(f"{label('field', k)} {change_value(k, v)}" for k, v in value.items() if v)
    for kind in VALUE_KINDS.get(field, ()):
        text = label(kind, str(value))
        if text != value:
            return text
    return str(value)


def _field_label(field: str, action: str) -> str:
    if field == "description" and action.startswith("evidence."):
        return translate("Labels", "About the file")  # an evidence file's own note, not the problem's
    return label("field", field)


def change_summary(text: str, action: str = "") -> str:
    """An audit entry's changes in one line, in the user's words: 字段：旧 → 新 (internal ids left out)."""
    import json

    try:
        data = json.loads(text or "{}")
    except ValueError:
        return text
    if not isinstance(data, dict):
        return str(text)
    if "changes" in data:
        items = [(k, f"{change_value(k, v[0])} → {change_value(k, v[1])}") for k, v in data["changes"].items()]
    else:
        after = data.get("after") or {}
        items = [(k, change_value(k, v)) for k, v in after.items() if v not in (None, "", False)]
    return "；".join(f"{_field_label(k, action)}：{v}" for k, v in items if k not in HIDDEN_FIELDS)[:300]


def choices(kind: str) -> list[tuple[str, str]]:
    """(key, translated name) in the spec's order, for combo boxes."""
    return list(_tables()[kind].items())


def reset() -> None:
    _tables.cache_clear()
