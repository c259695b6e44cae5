"""The files the city attached to its notices (督办单 …): listed with name and size, opened or saved as."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from core.errors import UserError
from core.ledger.queries import NoticeAttachment, copy_attachment
from ui.context import AppContext
from ui.messages import show_user_error

translate = QCoreApplication.translate


def attachment_line(att: NoticeAttachment) -> str:
    """督办通知附件.pdf（120 KB）, or that it did not arrive."""
    if not att.present:
        missing = translate("Attachments", "not received with the package")
        return f"{att.name}（{missing}）"
    return f"{att.name}（{att.size_text}）"


def attachments_html(atts: list[NoticeAttachment]) -> str:
    """For the notice view: each file with a link that opens it (anchor `attachment:<n>`)."""
    if not atts:
        return ""
    head = translate("Attachments", "Files sent by the city")
    items = []
    for i, a in enumerate(atts):
        text = escape(attachment_line(a))
        items.append(f'<li><a href="attachment:{i}">{text}</a></li>' if a.present else f"<li>{text}</li>")
    hint = translate("Attachments", "Click a file to open it, or use “Save attachment as…”.")
    return f"<p><b>{head}</b></p><ul>{''.join(items)}</ul><p style='color:#555'>{escape(hint)}</p>"


def open_attachment(parent: QWidget | None, ctx: AppContext, att: NoticeAttachment) -> Path | None:
    """A copy under its readable name in the program's temporary folder, opened with the system's viewer."""
    target = ctx.ws.paths.tmp / "open" / att.sha256[:16] / att.name
    try:
        if not target.exists():
            copy_attachment(att, target)
    except UserError as exc:
        show_user_error(parent, exc)
        return None
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
    return target


def save_attachment_as(parent: QWidget | None, att: NoticeAttachment, folder: str = "") -> Path | None:
    from ui.dialogs import file_dialogs

    if folder:
        file_dialogs.remember("attachments", Path(folder) / att.save_name())
    path = file_dialogs.save_file(parent, "attachments", translate("Attachments", "Save the city's attachment"),
                                  att.save_name())
    if not path:
        return None
    try:
        return copy_attachment(att, Path(path))
    except UserError as exc:
        show_user_error(parent, exc)
        return None


def read_attachments(ctx: AppContext, **where: Any) -> list[NoticeAttachment]:
    from core.ledger.queries import notice_attachments

    store = ctx.ws.evidence
    return ctx.read(lambda s: notice_attachments(s, store, **where))
