"""数据交换: import the city's feedback, export the unit's report, and the history of packages."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core import settings as core_settings
from core.errors import UserError
from core.ledger.queries import package_rows
from core.text import human_size
from ui import feature_links, labels
from ui.background import Progress, run_in_background
from ui.context import AppContext
from ui.dialogs import file_dialogs
from ui.messages import fill, plain, show_error, show_info, tooltip
from ui.pages import LazyPage

log = logging.getLogger(__name__)


class ExchangePage(LazyPage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setAcceptDrops(True)
        self.last_job: Any = None
        from core.sections.common import is_section_desk

        # A section desk (内部督办) takes its tasks from the unit and reports to it, never to the city.
        self.at_desk = bool(ctx.read(is_section_desk))

        imp = QGroupBox(self.tr("Import the city’s feedback"))
        il = QVBoxLayout(imp)
        drop = QLabel(self.tr("Drop a feedback package (.zgb) here, or choose it from a folder or USB drive. "
                              "You will see what changes before anything is applied."))
        drop.setWordWrap(True)
        drop.setStyleSheet("QLabel { border: 2px dashed #9aa9c2; border-radius: 6px; padding: 18px; "
                           "color: #445; }")
        drop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.import_button = QPushButton(self.tr("Import feedback…"))
        self.import_button.clicked.connect(self.choose_feedback)
        il.addWidget(drop)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addStretch(1)
        il.addLayout(row)

        exp = QGroupBox(self.tr("Export a report to the city"))
        form = QFormLayout(exp)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Changes since the last report (delta)"), "delta")
        self.kind.addItem(self.tr("Everything (full)"), "full")
        self.volume = QSpinBox()
        self.volume.setRange(1, 4096)
        self.volume.setSuffix(" MB")
        self.volume.setValue(self.ctx.read(lambda s: core_settings.get_int(s, "volume_limit_mb")))
        self.export_button = QPushButton(self.tr("Export report…"))
        self.export_button.clicked.connect(self.choose_export_folder)
        form.addRow(self.tr("Contents"), self.kind)
        form.addRow(self.tr("Volume size"), self.volume)
        form.addRow("", self.export_button)
        self.report_button = QPushButton(self.tr("Report to the unit…"))
        self.report_button.setToolTip(tooltip(self.tr(
            "Writes a signed section report (nodes done, evidence) to a folder or USB drive for the unit")))
        self.report_button.clicked.connect(self.choose_unit_report_folder)
        form.addRow("", self.report_button)
        self.report_button.setVisible(self.at_desk)
        from core.sections.progress import section_progress

        if not self.at_desk and ctx.read(lambda s: section_progress(s, ctx.ws.today)):
            drop.setText(self.tr("Drop a feedback package from the city or a section's report (.zgb) here, or "
                                 "choose it from a folder or USB drive. You will see what changes before anything "
                                 "is applied."))
            self.import_button.setToolTip(tooltip(self.tr("The city's feedback packages and the section desks' "
                                                          "reports")))
        if self.at_desk:
            imp.setTitle(self.tr("Import a tasks package from the unit"))
            drop.setText(self.tr("Drop the unit's tasks package (.zgb) here, or choose it from a folder or USB "
                                 "drive. You will see what it brings before anything is applied."))
            self.import_button.setText(self.tr("Import tasks package…"))
            exp.setTitle(self.tr("Report to the unit"))
            why = self.tr("This PC is a section desk: it reports to the unit, and the unit reports to the city.")
            for row_widget in (self.kind, self.volume):
                form.setRowVisible(row_widget, False)
            self.export_button.setEnabled(False)
            self.export_button.setVisible(False)
            self.export_button.setToolTip(tooltip(why))
            note = plain(QLabel(why))
            note.setWordWrap(True)
            form.insertRow(0, note)

        hist = QGroupBox(self.tr("Package history"))
        hl = QVBoxLayout(hist)
        self.history = QTreeWidget()
        self.history.setRootIsDecorated(False)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history.setHeaderLabels([self.tr("Direction"), self.tr("Type"), self.tr("Sequence"),
                                      self.tr("Created"), self.tr("File"), self.tr("State")])
        self.history.header().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        hl.addWidget(self.history)

        from ui.pages.reports_box import ReportsBox

        self.reports = ReportsBox(ctx)
        top = QHBoxLayout()
        top.addWidget(imp, 1)
        top.addWidget(exp, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.reports)
        layout.addWidget(hist, 1)

    def refresh(self) -> None:
        from core.exchange.refusals import recent

        self.history.clear()
        direction = {"in": self.tr("Received"), "out": self.tr("Sent")}
        rows: list[tuple[str, QTreeWidgetItem]] = []
        for p in self.ctx.read(package_rows):
            part = f" ({p['part']}/{p['parts']})" if p["parts"] > 1 else ""
            rows.append((p["logged"] or p["created"], QTreeWidgetItem([
                direction.get(p["direction"], p["direction"]), labels.label("package_type", p["type"]),
                f"{p['sequence']}{part}", p["created"][:19].replace("T", " "), p["file_name"],
                labels.label("package_status", p["status"]) + (f"：{p['ack_reason']}" if p["ack_reason"] else "")])))
        # Refused packages are no part of the data (spec §8): they come from their own short history.
        refused = self.tr("Refused")
        for r in recent(self.ctx.ws.paths):
            item = QTreeWidgetItem([direction["in"], labels.label("package_type", "city-feedback"), "—",
                                    r.at[:19].replace("T", " "), r.file, f"{refused}：{r.message}"])
            item.setToolTip(5, tooltip(f"{r.message} {r.window_hint}".strip()))
            item.setToolTip(3, tooltip(self.tr("Refused at %s") % r.at[:19].replace("T", " ")))
            for col in range(6):
                item.setForeground(col, QBrush(QColor("#c5221f")))
            rows.append((r.at, item))
        rows.sort(key=lambda pair: _moment(pair[0]), reverse=True)
        self.history.addTopLevelItems([item for _, item in rows])
        for i in (0, 1, 2, 3):
            self.history.resizeColumnToContents(i)

    # -- import ------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.import_feedback(files)

    def choose_feedback(self) -> None:
        title = self.tr("Choose the unit's tasks packages") if self.at_desk else self.tr("Choose feedback packages")
        files = file_dialogs.open_files(self, "feedback", title, self.tr("Feedback packages (*.zgb *.zip)"))
        if files:
            self.import_feedback(files)

    def import_feedback(self, files: list[Path]) -> None:
        """Preview every package first (nothing changes), then apply the ones the user accepts. Each file goes
        to its reader by its Package-Type: the city's feedback, a section's report (at the unit), or the unit's
        tasks package (at a section desk)."""
        importer = feature_links.link("feedback_importer").resolve()
        if importer is None:
            show_info(self, self.tr("Import feedback"), feature_links.not_ready_text())
            return
        ws, at_desk = self.ctx.ws, self.at_desk

        def preview(progress: Progress) -> list[tuple[Path, Any, UserError | None]]:
            from core.sections.report import package_type_of

            rows: dict[Path, tuple[Path, Any, UserError | None]] = {}
            city = []
            for f in files:
                if at_desk or package_type_of(f) == "section-report":
                    rows[f] = _section_preview(ws, f, at_desk)
                else:
                    city.append(f)
            if city:
                imp = importer(ws, progress=progress.report, cancel=lambda: progress.cancelled)
                rows.update((row[0], row) for row in imp.preview_files(city))  # each on its own
            return [rows[f] for f in files if f in rows]

        self.last_job = run_in_background(self, preview, lambda rows: self._confirm_import(importer, rows),
                                          self._failed, title=self.tr("Checking the packages…"))

    def _confirm_import(self, importer: Any, rows: list[tuple[Path, Any, UserError | None]]) -> None:
        from ui.dialogs.import_preview import ImportPreviewDialog, is_new

        dialog = ImportPreviewDialog(rows, self)
        self.preview_dialog = dialog
        acceptable = [(f, pv) for f, pv, err in rows if err is None and is_new(pv)]
        applied = dialog.exec()  # shown even when all are refused: the user must see why
        if any(err is not None for _, _, err in rows):
            self.refresh()  # the refusals are in the history now
        if not acceptable or not applied:
            return
        ws = self.ctx.ws

        def apply(progress: Progress) -> Any:
            outcomes: dict[Path, Any] = {}
            city = [f for f, pv in acceptable if getattr(pv, "kind", "") not in SECTION_KINDS]
            for f, pv in acceptable:
                if getattr(pv, "kind", "") in SECTION_KINDS:
                    outcomes[f] = _section_import(ws, f, pv.kind)
            if city:
                imp = importer(ws, progress=progress.report, cancel=lambda: progress.cancelled)
                outcomes.update((o.path, o) for o in imp.import_files(city))
            return [outcomes[f] for f, _ in acceptable if f in outcomes]

        self.last_job = run_in_background(self, apply, self._imported, self._failed,
                                          title=self.tr("Importing…"))

    def _imported(self, outcomes: Any) -> None:
        from ui.reminders import schedule_rechecks

        schedule_rechecks(self.ctx)  # tasks the city just closed get their 回头看 dates
        self.ctx.changed.emit()
        lines = []
        for o in outcomes:
            if o.error is not None:
                why = self.tr("%1: refused — %2")
                lines.append(fill(why, o.path.name, o.error.for_window()))
            else:
                lines.append(o.result.headline())
                lines.extend(f"  ⚠ {w}" for w in o.result.warnings)
        self.last_summary = "\n".join(lines)
        show_info(self, self.tr("Import feedback"), self.last_summary)

    # -- export ------------------------------------------------------------------------------
    def choose_export_folder(self) -> None:
        title = self.tr("Choose a folder or USB drive for the report")
        folder = file_dialogs.choose_folder(self, "report-out", title)
        if folder:
            self.export_report(folder)

    def ask_passphrase(self, *, ignore_env: bool = False) -> str | None:
        """The passphrase, checked against the key before anything is written (asked again in place)."""
        from ui.dialogs.key_dialogs import ask_signing_passphrase

        prompt = self.tr("Passphrase of this section desk's signing key:") if self.at_desk else ""
        return ask_signing_passphrase(self, self.ctx, ignore_env=ignore_env, prompt=prompt)

    def export_report(self, folder: Path) -> None:
        """First what the report will carry (computed in the background), then the passphrase, then writing."""
        exporter = feature_links.link("report_exporter").resolve()
        if exporter is None:
            show_info(self, self.tr("Export report"), feature_links.not_ready_text())
            return
        ws, full = self.ctx.ws, self.kind.currentData() == "full"
        self.last_job = run_in_background(self, lambda _p: exporter(ws).plan(full=full),
                                          lambda plan: self._confirm_export(folder, plan), self._failed,
                                          title=self.tr("Collecting what the report carries…"))

    def _confirm_export(self, folder: Path, plan: Any) -> None:
        from ui.messages import confirm

        names = {"task": self.tr("tasks"), "node": self.tr("nodes"), "evidence": self.tr("evidence records"),
                 "response": self.tr("notice responses"), "deletion": self.tr("deletions"),
                 "handover": self.tr("handovers"), "appeal": self.tr("appeals"),
                 "report_print": self.tr("printed reports")}
        parts = [f"{names.get(k, k)} {v}" for k, v in plan.counts.items() if v and k in names]
        size = human_size(plan.file_bytes)
        text = (fill(self.tr("Report no. %1 will carry: %2; %3 evidence file(s), %4. Write it to %5?"),
                     str(plan.sequence), "、".join(parts) or self.tr("no changes"), str(plan.files), size, str(folder)))
        if not confirm(self, self.tr("Export report"), text):
            return
        self._write_report(folder)

    def _write_report(self, folder: Path, *, ignore_env: bool = False) -> None:
        exporter = feature_links.link("report_exporter").resolve()
        passphrase = self.ask_passphrase(ignore_env=True) if ignore_env else self.ask_passphrase()
        if passphrase is None:
            return
        ws = self.ctx.ws
        full, volume = self.kind.currentData() == "full", self.volume.value()
        current_key = feature_links.link("current_unit_key").resolve()
        fmt = feature_links.link("format_key_id").resolve() or str

        def task(progress: Progress) -> tuple[Any, str]:
            exp = exporter(ws, progress=progress.report, cancel=lambda: progress.cancelled)
            result = exp.export(folder, passphrase=passphrase, full=full, volume_mb=volume)
            key_id = ""
            if current_key is not None:
                with ws.read() as s:
                    key = current_key(s)
                    key_id = fmt(key.key_id) if key is not None else ""
            return result, key_id

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserError) and exc.field == "passphrase":  # e.g. a stale one in the environment
                self._write_report(folder, ignore_env=True)
                return
            self._failed(exc)

        self.last_job = run_in_background(self, task, self._exported, failed,
                                          title=self.tr("Writing the report…"))

    def _exported(self, done: tuple[Any, str]) -> None:
        result, key_id = done
        self.ctx.changed.emit()
        files = "\n".join(f"  {p}" for p in result.paths)
        text = (fill(self.tr("Report no. %1 written (%2 file(s)), signed with key %3:"), str(result.sequence),
                     str(len(result.paths)), key_id))
        self.last_summary = "\n".join([text, files, *(f"⚠ {w}" for w in result.warnings)])
        show_info(self, self.tr("Export report"), self.last_summary)

    # -- 报送单位 (at a section desk) ----------------------------------------------------------------
    def choose_unit_report_folder(self) -> None:
        folder = file_dialogs.choose_folder(self, "section-report",
                                            self.tr("Choose a folder or USB drive for the report to the unit"))
        if folder:
            self.report_to_unit(folder)

    def report_to_unit(self, folder: Path) -> None:
        """The passphrase (checked first), then the section report written and read back in the background."""
        from core.sections.report import export_report

        passphrase = self.ask_passphrase()
        if passphrase is None:
            return
        ws = self.ctx.ws

        def task(_progress: Progress) -> tuple[Any, str]:
            from core.exchange.keys import current_unit_key, format_key_id

            result = export_report(ws, folder, passphrase)
            with ws.read() as s:
                key = current_unit_key(s)
            return result, str(format_key_id(key.key_id)) if key is not None else ""

        self.last_job = run_in_background(self, task, self._reported, self._failed,
                                          title=self.tr("Writing the report to the unit…"))

    def _reported(self, done: tuple[Any, str]) -> None:
        result, key_id = done
        self.ctx.changed.emit()
        lines = [fill(self.tr("Section report no. %1 written (%2 node(s) done, %3 evidence file(s)), checked:"),
                      result.sequence, result.nodes, result.evidence), f"  {result.path}"]
        if result.public_key_file is not None:
            lines += [self.tr("The first time, this desk's public key file was written beside it:"),
                      f"  {result.public_key_file}",
                      fill(self.tr("Carry both files to the unit and compare the key id %1 by phone."), key_id)]
        self.last_summary = "\n".join(lines)
        show_info(self, self.tr("Report to the unit"), self.last_summary)

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)


SECTION_KINDS = ("section-report", "section-tasks")


@dataclass
class _Outcome:
    """One section package applied, or refused (as the city importer's ImportOutcome)."""

    path: Path
    result: Any = None
    error: UserError | None = None


def _section_preview(ws: Any, path: Path, at_desk: bool) -> tuple[Path, Any, UserError | None]:
    from core.exchange.importer import _unexpected
    from core.sections.preview import preview_report, preview_tasks

    try:
        return path, (preview_tasks(ws, path) if at_desk else preview_report(ws, path)), None
    except UserError as exc:
        return path, None, exc
    except Exception:  # noqa: BLE001 - a bug on one package must not stop the others
        log.exception("section package %s: unexpected error in preview", path)
        return path, None, _unexpected()


def _section_import(ws: Any, path: Path, kind: str) -> _Outcome:
    from core.errors import Cancelled, MachineError
    from core.exchange.importer import _unexpected
    from core.sections.desk import import_tasks
    from core.sections.report import import_report

    try:
        return _Outcome(path, result=import_tasks(ws, path) if kind == "section-tasks" else import_report(ws, path))
    except (MachineError, Cancelled):
        raise
    except UserError as exc:
        return _Outcome(path, error=exc)
    except Exception:  # noqa: BLE001
        log.exception("section package %s: unexpected error", path)
        return _Outcome(path, error=_unexpected())


def _moment(stamp: str) -> float:
    """An RFC 3339 time for sorting the history (the city's clock and ours may carry different offsets)."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return 0.0
    return moment.timestamp() if moment.tzinfo else moment.replace(tzinfo=None).timestamp()
