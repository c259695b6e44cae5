"""Restore in the window, off the GUI thread: check the backup (with progress), ask, swap (with progress).

1. `prepare_restore` runs in the background helper: extract, hashes, SQLite's integrity check, the schema,
   the unit, the keys. Nothing in the data folder changes.
2. On the GUI thread: which unit, from when — and, when the restore would change the trusted city key or
   the unit's own key, both key ids and a second question (issue 15: an intruder's backup must not bring
   its own city key in silently).
3. `finish_open_workspace` runs in the background helper: the safety copy of the current data, the
   evidence brought in, the database swapped last. Closing the window meanwhile asks and waits
   (ui.background); core finishes an interrupted swap at the next start anyway.

`restore_damaged` is the same for a data folder whose database is damaged at start (no window yet).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from ui.background import BackgroundJob, Progress, run_in_background
from ui.context import AppContext
from ui.messages import confirm, fill, show_error, show_info

translate = QCoreApplication.translate


def key_question(change: Any) -> str:
    return "\n".join(
        [
            translate("Restore", "This backup uses other keys than this ledger does now:"),
            *change.lines(),
            "",
            translate(
                "Restore",
                "Restore it only if you know why the keys differ (the unit changed its key, or the "
                "city announced a new one). A backup from an unknown source can bring in a forged "
                "city key. Restore it with these keys?",
            ),
        ]
    )


class RestoreFlow(QObject):
    """One restore started from the settings page; `done(restored)` at the end, whatever happened."""

    done = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QWidget, path: Path) -> None:
        super().__init__(parent)
        self.ctx, self.parent_widget, self.path = ctx, parent, path
        self.job: BackgroundJob | None = None
        self.plan: Any = None
        self.result: Any = None

    def start(self) -> None:
        from core.team.backup import prepare_restore

        ws, actor, path = self.ctx.ws, self.ctx.user, self.path
        self.job = run_in_background(
            self.parent_widget,
            lambda p: prepare_restore(ws.paths.root, path, actor=actor, report=p.report),
            self._prepared,
            self._failed,
            title=translate("Restore", "Checking the backup…"),
        )

    def _prepared(self, plan: Any) -> None:
        self.plan = plan
        info = plan.info
        question = fill(
            translate(
                "Restore",
                "The backup of %1 made on %2 replaces the data in this folder (the current data is "
                "kept aside). Restore it?",
            ),
            f"{info.unit_name}（{info.unit_code}）",
            str(info.created)[:19].replace("T", " "),
        )
        if not confirm(self.parent_widget, translate("Restore", "Restore from a backup"), question):
            return self._drop()
        accept_keys = False
        if plan.key_change is not None:
            if not confirm(
                self.parent_widget, translate("Restore", "The keys would change"), key_question(plan.key_change)
            ):
                return self._drop()
            accept_keys = True
        from core.team.backup import finish_open_workspace

        ws = self.ctx.ws

        def swap(p: Progress) -> Any:
            return finish_open_workspace(ws, plan, accept_new_keys=accept_keys, report=p.report)

        self.job = run_in_background(
            self.parent_widget, swap, self._restored, self._failed, title=translate("Restore", "Restoring the backup…")
        )
        return None

    def _drop(self) -> None:
        self.plan.discard()
        self.done.emit(False)

    def _restored(self, result: Any) -> None:
        self.result = result
        self.ctx.changed.emit()
        kept = (
            fill(translate("Restore", "The replaced data is kept in %1."), result.previous) if result.previous else ""
        )
        show_info(
            self.parent_widget,
            translate("Restore", "Restore from a backup"),
            " ".join([translate("Restore", "The backup was restored."), kept]).strip(),
        )
        self.done.emit(True)

    def _failed(self, exc: BaseException) -> None:
        try:
            show_error(self.parent_widget, exc, where=self.ctx.ws.paths.database)
        finally:
            self.done.emit(False)


def wait_for(job: BackgroundJob) -> None:
    """Before the window exists: a local event loop until the job is done (its progress dialog shows)."""
    from ui.background import unfinished_jobs

    if job not in unfinished_jobs():
        return
    loop = QEventLoop()
    job.done.connect(loop.quit)
    loop.exec()


def restore_damaged(exc: Any, data_dir: Path, user: str, ask_file: Callable[[Path], Path | None] | None = None) -> bool:
    """The database is damaged at start: say so, offer the latest backup (恢复备份…); True when restored."""
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        translate("Restore", "The ledger's database is damaged"),
        exc.message,
        QMessageBox.StandardButton.NoButton,
    )
    from PySide6.QtCore import Qt

    box.setTextFormat(Qt.TextFormat.PlainText)
    latest = getattr(exc, "backup", None)
    box.setInformativeText(
        fill(
            translate(
                "Restore",
                "The latest backup is %1. Restore it (the damaged files are kept aside for support), or "
                "choose another backup.",
            ),
            Path(latest).name,
        )
        if latest
        else translate(
            "Restore",
            "No backup was found in the data folder. Choose a backup file (for example on a USB stick), or "
            "ask your technical support.",
        )
    )
    restore_button = box.addButton(translate("Restore", "Restore backup…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(translate("Restore", "Quit"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore_button)
    box.exec()
    if box.clickedButton() is not restore_button:
        return False
    chosen = (ask_file or _ask_backup_file)(Path(latest) if latest else data_dir / "backups")
    if chosen is None:
        return False
    from core.team.backup import restore

    outcome: dict[str, Any] = {}
    job = run_in_background(
        None,
        lambda p: restore(data_dir, chosen, actor=user, report=p.report),
        lambda r: outcome.setdefault("result", r),
        lambda e: outcome.setdefault("error", e),
        title=translate("Restore", "Restoring the backup…"),
    )
    wait_for(job)
    if "error" in outcome:
        show_error(None, outcome["error"])
        return False
    return True


def _ask_backup_file(start: Path) -> Path | None:
    from ui.dialogs import file_dialogs

    if not file_dialogs.has_folder("backup-restore"):
        file_dialogs.remember("backup-restore", start / "backup.zip")  # the backups folder the first time
    return file_dialogs.open_file(None, "backup-restore", translate("Restore", "Restore from a backup"),
                                  translate("Restore", "Backup (*.zip)"))
