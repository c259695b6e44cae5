"""报告与表格: PDF reports, the ledger as Excel, and the city's Excel problem list (previewed, then imported).

Lives on the Data exchange page; the work runs in the background and each file is written by core.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import feature_links
from ui.background import BackgroundJob, Progress, run_in_background
from ui.context import AppContext
from ui.dialogs import file_dialogs
from ui.dialogs.saved_file import offer_saved_file
from ui.messages import fill, show_error, show_info


def ask_passphrase(parent: QWidget, ctx: AppContext) -> str | None:
    """The key passphrase to sign a PDF report with: the same prompt as for the report to the city."""
    from ui.dialogs.key_dialogs import ask_signing_passphrase

    return ask_signing_passphrase(parent, ctx, help_section="print", prompt=QCoreApplication.translate(
        "ReportsBox", "Passphrase of the unit's signing key (the report is signed and registered):"))


def write_pdf_report(parent: QWidget, ctx: AppContext, path: Path, kind: str,
                     task_id: str | None = None) -> BackgroundJob | None:
    """One PDF report (整改报告, 台账, 月报, 公示版 or one task) written by core in the background, signed with
    the unit's key and registered in the ledger (so that 核验报告 can vouch for this very file)."""
    print_report = feature_links.link("print_report").resolve()
    has_key = feature_links.link("current_unit_key").resolve()
    if print_report is None or has_key is None:
        show_info(parent, QCoreApplication.translate("ReportsBox", "PDF report"), feature_links.not_ready_text())
        return None
    secret = None
    if ctx.read(lambda s: has_key(s) is not None):
        secret = ask_passphrase(parent, ctx)
        if secret is None:
            return None
    ws = ctx.ws

    def task(s: Any, _p: Progress) -> tuple[Path, Any, Any]:
        ws.require_unit(s)
        return print_report(s, ws.today, kind, path, actor=ctx.user, passphrase=secret, task_id=task_id)

    def done(result: tuple[Path, Any, Any]) -> None:
        written, fonts, row = result
        notes = [*getattr(fonts, "notes", [])]
        if getattr(fonts, "missing", None):
            notes.append(QCoreApplication.translate("ReportsBox", "Characters missing from the fonts were printed "
                                                    "as 〓: %s") % "".join(sorted(fonts.missing)))
        signed = (QCoreApplication.translate("ReportsBox", "Signed with the unit's key and registered.")
                  if row.key_id else
                  QCoreApplication.translate("ReportsBox", "Registered, but not signed: the unit has no signing "
                                             "key yet (Settings → Signing keys → Create signing key…)."))
        summary = "\n".join([QCoreApplication.translate("ReportsBox", "Report written: %s") % written, signed,
                             *notes])
        offer_saved_file(parent, QCoreApplication.translate("ReportsBox", "PDF report"), summary, Path(written))

    return ctx.act_in_background(parent, task, done,
                                 title=QCoreApplication.translate("ReportsBox", "Making the report…"))


class ReportsBox(QGroupBox):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_job: Any = None
        self.last_summary = ""
        self.setTitle(self.tr("Reports and spreadsheets"))
        self.kind = QComboBox()
        for key, text in (("summary", self.tr("Rectification report")), ("ledger", self.tr("Ledger table")),
                          ("monthly", self.tr("Monthly report")),
                          ("public", self.tr("Public version (no names)"))):
            self.kind.addItem(text, key)
        pdf = QPushButton(self.tr("Make PDF…"))
        pdf.clicked.connect(self.choose_pdf)
        word = QPushButton(self.tr("Word draft…"))
        word.setToolTip(self.tr("The rectification report as an editable Word document, for the leader to edit "
                                "before signing; the signed PDF stays the official copy"))
        word.clicked.connect(self.choose_word)
        verify = QPushButton(self.tr("Verify a printed report…"))
        verify.setToolTip(self.tr("Checks that a PDF is exactly a report this unit printed, and whether the "
                                  "ledger changed since"))
        verify.clicked.connect(self.choose_verify)
        excel_out = QPushButton(self.tr("Export ledger to Excel…"))
        excel_out.clicked.connect(self.choose_excel_out)
        excel_public = QPushButton(self.tr("Public version to Excel…"))
        excel_public.setToolTip(self.tr("Every problem with its source, measures, deadline and state, without "
                                        "any person's name, for publishing"))
        excel_public.clicked.connect(self.choose_excel_public)
        excel_in = QPushButton(self.tr("Import the city's Excel problem list…"))
        excel_in.clicked.connect(self.choose_excel_in)
        self.font_note = QLabel()
        self.font_note.setWordWrap(True)
        self.font_note.setVisible(False)
        row1 = QHBoxLayout()
        row1.addWidget(self.kind)
        row1.addWidget(pdf)
        row1.addWidget(word)
        row1.addWidget(verify)
        row1.addStretch(1)
        row2 = QHBoxLayout()
        row2.addWidget(excel_out)
        row2.addWidget(excel_public)
        row2.addWidget(excel_in)
        row2.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addWidget(self.font_note)
        self._fonts_checked = False

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._fonts_checked:
            self._fonts_checked = True
            self.check_fonts()

    def check_fonts(self) -> None:
        """Say before printing which standard faces this computer lacks (and that stand-ins are used)."""
        missing_faces = feature_links.link("missing_standard_faces").resolve()
        if missing_faces is None:
            return

        def shown(missing: list[str]) -> None:
            if not missing:
                self.font_note.setVisible(False)
                return
            self.font_note.setText(fill(self.tr("Note: this computer lacks the standard fonts %1. Reports use "
                                                "the nearest fonts instead; install them for official documents."),
                                        "、".join(missing)))
            self.font_note.setVisible(True)

        self.fonts_job = run_in_background(self, lambda _p: missing_faces(), shown, lambda _e: None,
                                           title=self.tr("Checking the fonts…"))

    # -- PDF ---------------------------------------------------------------------------------
    def choose_pdf(self) -> None:
        name = f"{self.kind.currentText()}-{self.ctx.ws.today.isoformat()}.pdf"
        path = file_dialogs.save_file(self, "reports", self.tr("Save the PDF report"), name, "PDF (*.pdf)")
        if path:
            self.make_pdf(path, self.kind.currentData())

    def make_pdf(self, path: Path, kind: str) -> None:
        self.last_job = write_pdf_report(self, self.ctx, path, kind)

    def choose_word(self) -> None:
        name = f"{self.tr('Rectification report')}-{self.ctx.ws.today.isoformat()}.docx"
        path = file_dialogs.save_file(self, "reports", self.tr("Save the Word draft"), name, "Word (*.docx)")
        if path:
            self.make_word(path)

    def make_word(self, path: Path) -> None:
        draft = feature_links.link("word_draft").resolve()
        if draft is None:
            show_info(self, self.tr("Word draft"), feature_links.not_ready_text())
            return
        ws = self.ctx.ws

        def task(_p: Progress) -> Path:
            with ws.read() as s:
                ws.require_unit(s)
                return Path(draft(s, ws.today, path))

        def done(written: Path) -> None:
            self.last_summary = fill(self.tr("Word draft written: %1\nIt is neither signed nor registered; "
                                             "when the text is final, make the PDF report as the official copy."),
                                     str(written))
            show_info(self, self.tr("Word draft"), self.last_summary)

        self.last_job = run_in_background(self, task, done, self._failed, title=self.tr("Writing the draft…"))

    def choose_verify(self) -> None:
        path = file_dialogs.open_file(self, "reports", self.tr("The printed report to verify"), "PDF (*.pdf)")
        if path:
            self.verify_pdf(path)

    def verify_pdf(self, path: Path) -> None:
        verify = feature_links.link("verify_report").resolve()
        if verify is None:
            show_info(self, self.tr("Verify a report"), feature_links.not_ready_text())
            return
        ws = self.ctx.ws

        def task(_p: Progress) -> Any:
            with ws.read() as s:
                ws.require_unit(s)
                return verify(s, path)

        def done(result: Any) -> None:
            lines = [fill(self.tr("Original: this is the report this unit printed on %1, unchanged."),
                          result.stamp.date)]
            if result.signature:
                lines.append(result.signature)
            lines.append(self.tr("The ledger has not changed since it was printed.") if result.matches else
                         self.tr("The ledger has changed since it was printed; make a new report for the "
                                 "current state."))
            self.last_summary = "\n".join(lines)
            show_info(self, self.tr("Verify a report"), self.last_summary)

        self.last_job = run_in_background(self, task, done, self._failed, title=self.tr("Verifying…"))

    # -- Excel -------------------------------------------------------------------------------
    def choose_excel_out(self) -> None:
        name = f"整改台账-{self.ctx.ws.today.isoformat()}.xlsx"
        path = file_dialogs.save_file(self, "reports", self.tr("Save the ledger as Excel"), name, "Excel (*.xlsx)")
        if path:
            self.export_excel(path)

    def choose_excel_public(self) -> None:
        name = f"整改落实情况公示-{self.ctx.ws.today.isoformat()}.xlsx"
        path = file_dialogs.save_file(self, "reports", self.tr("Save the public version as Excel"), name,
                                      "Excel (*.xlsx)")
        if path:
            self.export_excel(path, public=True)

    def export_excel(self, path: Path, *, public: bool = False) -> None:
        export = feature_links.link("export_excel").resolve()
        if export is None:
            show_info(self, self.tr("Export to Excel"), feature_links.not_ready_text())
            return
        ws = self.ctx.ws

        def task(_p: Progress) -> tuple[Path, int]:
            with ws.read() as s:
                ws.require_unit(s)
                return export(s, ws.today, path, public=public)

        def done(result: tuple[Path, int]) -> None:
            self.last_summary = (fill(self.tr("%1 tasks exported to %2"), str(result[1]), str(result[0])))
            offer_saved_file(self, self.tr("Export to Excel"), self.last_summary, Path(result[0]))

        self.last_job = run_in_background(self, task, done, self._failed, title=self.tr("Writing the spreadsheet…"))

    def choose_excel_in(self) -> None:
        path = file_dialogs.open_file(self, "problem-list", self.tr("The city's problem list"),
                                      self.tr("Spreadsheets (*.xlsx *.xls *.ods *.csv)"))
        if path:
            self.import_excel(path)

    def import_excel(self, path: Path) -> None:
        """Read and check the whole list first; the clerk sees how each column is read and every refused row,
        may map a column or give a missing one a value, and only then imports."""
        read = feature_links.link("read_problem_list").resolve()
        apply = feature_links.link("import_problem_list").resolve()
        if read is None or apply is None:
            show_info(self, self.tr("Import a problem list"), feature_links.not_ready_text())
            return
        from core.excel.importer import header_signature
        from core.excel.mappings import MappingMemory

        ws = self.ctx.ws
        memory = MappingMemory(ws.paths.excel_mappings)

        def reader(sheet: Any, mapping: dict[str, str] | None, defaults: dict[str, str] | None) -> Any:
            with ws.read() as s:
                ws.require_unit(s)
                return read(path, session=s, sheet=sheet, mapping=mapping, memory=memory, defaults=defaults)

        def checked(preview: Any) -> None:
            from ui.dialogs.excel_import import ExcelImportDialog

            dialog = ExcelImportDialog(path, preview, reader, self, ctx=self.ctx)
            self.import_dialog = dialog
            accepted = dialog.exec()
            self.last_summary = dialog.summary.toPlainText()
            if not accepted:
                return
            preview = dialog.preview
            if dialog.remember.isChecked() and (dialog.mapping or preview.defaults):
                memory.remember(header_signature(preview.headers), dialog.mapping, preview.defaults)
            user = self.ctx.user

            def imported(added: list[str]) -> None:
                show_info(self, self.tr("Import a problem list"), self.tr("%s tasks imported.") % len(added))

            self.last_job = self.ctx.act_in_background(self, lambda s, _p: apply(s, user, preview), imported,
                                                       title=self.tr("Importing the problem list…"))

        self.last_job = run_in_background(self, lambda _p: reader(None, None, None), checked, self._failed,
                                          title=self.tr("Reading the problem list…"))

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)
