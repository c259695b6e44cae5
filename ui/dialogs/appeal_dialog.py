"""申诉: the unit asks the city to reconsider a deduction, a review (return) or a notice, with reasons and files.

The appeal and its files are saved in one transaction (core.exchange.notices.file_appeal) and travel
to the city in the next report; the city's decision (upheld / rejected) comes back with feedback.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from core.errors import InputRefused
from ui import feature_links
from ui.context import AppContext
from ui.dialogs.files import FilesDialog
from ui.guide import add_help
from ui.messages import fill
from ui.sizes import resize_to_fit

translate = QCoreApplication.translate


def target_word(target_type: str) -> str:
    return {"deduction": translate("Appeals", "deduction"), "review": translate("Appeals", "review result"),
            "notice": translate("Appeals", "supervision notice")}.get(target_type, target_type)


def result_text(appeal: dict[str, Any]) -> str:
    """待市平台答复 / 申诉成立 / 申诉不成立, with the date of the decision."""
    if not appeal["result"]:
        return translate("Appeals", "Waiting for the city's decision")
    word = (translate("Appeals", "Upheld") if appeal["result"] == "upheld"
            else translate("Appeals", "Rejected") if appeal["result"] == "rejected" else appeal["result"])
    return f"{word}（{(appeal['decided'] or '')[:10]}）"


def appeals_html(appeals: list[dict[str, Any]]) -> str:
    """The appeals against one record, for the notices page's detail view."""
    parts = []
    title, by, result, comment = (translate("Appeals", "Appeal"), translate("Appeals", "filed by"),
                                  translate("Appeals", "Result"), translate("Appeals", "City's comment"))
    for a in appeals:
        parts.append(f"<hr><p><b>{title}</b> {by} {escape(a['by'])} {a['filed'][:10]}</p>"
                     f"<p>{escape(a['reason'])}</p><p><b>{result}</b>：{escape(result_text(a))}</p>")
        if a["comment"]:
            parts.append(f"<p>{comment}：{escape(a['comment'])}</p>")
    return "".join(parts)


class AppealDialog(FilesDialog):
    def __init__(self, target_type: str, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Appeal to the city"))
        resize_to_fit(self, 620, 460)
        layout = QVBoxLayout(self)
        head = QLabel(fill(self.tr("Appeal against the %1: %2"), target_word(target_type), f"<b>{escape(what)}</b>"))
        head.setWordWrap(True)
        layout.addWidget(head)
        note = QLabel(self.tr("The appeal travels to the city with the next export; its decision comes "
                              "back with the city's feedback."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        layout.addWidget(QLabel(self.tr("Facts and reasons of the appeal:")))
        self.reason = QPlainTextEdit()
        layout.addWidget(self.reason, 2)
        self.fields = {"reason": self.reason}
        layout.addWidget(QLabel(self.tr("Evidence (drag files here, or add them):")))
        layout.addWidget(self.files_box(), 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("File the appeal"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        add_help(self, buttons, "appeal")
        layout.addWidget(buttons)


def file_appeal(parent: QWidget, ctx: AppContext, target_type: str, target_id: str, what: str,
                task_id: str | None) -> Any:
    """Asks for reasons and files, then files the appeal with its evidence in one transaction."""
    from ui.messages import show_info

    fn = feature_links.link("file_appeal").resolve()
    if fn is None:
        show_info(parent, translate("Appeals", "Appeal"), feature_links.not_ready_text())
        return None
    dialog = AppealDialog(target_type, what, parent)
    user, ws = ctx.user, ctx.ws
    filed: list[Any] = []

    def act(s: Session) -> Any:
        from core.evidence.attach import attach_file

        reason, files = dialog.reason.toPlainText(), list(dialog.files)
        if files and not task_id:
            raise InputRefused(translate("Appeals", "This record names no task of the ledger, so files cannot "
                                                    "be attached."),
                               hint=translate("Appeals", "File the appeal without files and describe the "
                                                         "evidence in the reasons."))
        if not reason.strip():  # checked before any file is stored
            return fn(s, user, target_type, target_id, reason)
        ids = [attach_file(s, ws.evidence, user, task_id, f,
                           description=translate("Appeals", "Appeal evidence")).id for f in files]
        return fn(s, user, target_type, target_id, reason, evidence_ids=ids)

    def submit() -> bool:
        result = ctx.act(dialog, act, on_refused=dialog.mark_error)
        if result is not None:
            filed.append(result)
        return result is not None

    dialog.on_accept(submit)
    dialog.exec()
    return filed[0] if filed else None
