"""报告与表格: PDF reports, the ledger as Excel, and the city's Excel problem list (previewed, then imported).

Lives on the Data exchange page; the work runs in the background and each file is written by core.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ui import feature_links
from ui.background import BackgroundJob, Progress, run_in_background
from ui.context import AppContext
from ui.dialogs import file_dialogs
from ui.dialogs.saved_file import offer_saved_file
from ui.messages import fill, show_error, show_info


def write_pdf_report(parent: QWidget, ctx: AppContext, path: Path, kind: str,
                     task_id: str | None = None) -> BackgroundJob | None:
    """One PDF report (整改报告, 台账, 月报, or one task) written by core in the background."""
    render = feature_links.link("render_report").resolve()
    if render is None:
        show_info(parent, QCoreApplication.translate("ReportsBox", "PDF report"), feature_links.not_ready_text())
        return None
    ws = ctx.ws

    def task(_p: Progress) -> tuple[Path, Any]:
        with ws.read() as s:
            ws.require_unit(s)
            return render(s, ws.today, kind, path, task_id=task_id)

    def done(result: tuple[Path, Any]) -> None:
        written, fonts = result
        notes = [*getattr(fonts, "notes", [])]
        if getattr(fonts, "missing", None):
            notes.append(QCoreApplication.translate("ReportsBox", "Characters missing from the fonts were printed "
                                                    "as 〓: %s") % "".join(sorted(fonts.missing)))
        summary = "\n".join([QCoreApplication.translate("ReportsBox", "Report written: %s") % written, *notes])
        offer_saved_file(parent, QCoreApplication.translate("ReportsBox", "PDF report"), summary, Path(written))

    return run_in_background(parent, task, done, lambda exc: show_error(parent, exc),
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
                          ("monthly", self.tr("Monthly report"))):
            self.kind.addItem(text, key)
        pdf = QPushButton(self.tr("Make PDF…"))
        pdf.clicked.connect(self.choose_pdf)
        excel_out = QPushButton(self.tr("Export ledger to Excel…"))
        excel_out.clicked.connect(self.choose_excel_out)
        excel_in = QPushButton(self.tr("Import the city's Excel problem list…"))
        excel_in.clicked.connect(self.choose_excel_in)
        row1 = QHBoxLayout()
        row1.addWidget(self.kind)
        row1.addWidget(pdf)
        row1.addStretch(1)
        row2 = QHBoxLayout()
        row2.addWidget(excel_out)
        row2.addWidget(excel_in)
        row2.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row1)
        layout.addLayout(row2)

    # -- PDF ---------------------------------------------------------------------------------
    def choose_pdf(self) -> None:
        name = f"{self.kind.currentText()}-{self.ctx.ws.today.isoformat()}.pdf"
        path = file_dialogs.save_file(self, "reports", self.tr("Save the PDF report"), name, "PDF (*.pdf)")
        if path:
            self.make_pdf(path, self.kind.currentData())

    def make_pdf(self, path: Path, kind: str) -> None:
        self.last_job = write_pdf_report(self, self.ctx, path, kind)

    # -- Excel -------------------------------------------------------------------------------
    def choose_excel_out(self) -> None:
        name = f"整改台账-{self.ctx.ws.today.isoformat()}.xlsx"
        path = file_dialogs.save_file(self, "reports", self.tr("Save the ledger as Excel"), name, "Excel (*.xlsx)")
        if path:
            self.export_excel(path)

    def export_excel(self, path: Path) -> None:
        export = feature_links.link("export_excel").resolve()
        if export is None:
            show_info(self, self.tr("Export to Excel"), feature_links.not_ready_text())
            return
        ws = self.ctx.ws

        def task(_p: Progress) -> tuple[Path, int]:
            with ws.read() as s:
                ws.require_unit(s)
                return export(s, ws.today, path)

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

            dialog = ExcelImportDialog(path, preview, reader, self)
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
