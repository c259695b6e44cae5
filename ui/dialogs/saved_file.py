"""After a report or spreadsheet is saved: open it, open its folder, or (a PDF) see it in a print preview.

The preview draws the PDF's own pages (rendered with PDFium) into Qt's print preview, so what is printed
is exactly the file the city receives; where that cannot be done the system's viewer opens it instead.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QMarginsF, QRect, QSizeF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

translate = QCoreApplication.translate
PREVIEW_DPI = 150  # sharp enough on paper and on screen; a 1200 dpi printer page would take seconds each
MAX_PREVIEW_PAGES = 200  # longer documents are printed from the system's PDF viewer


def open_path(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_folder_of(path: Path) -> bool:
    """The folder, with the file selected where the system can (Windows Explorer)."""
    if sys.platform == "win32" and path.exists():
        try:
            subprocess.Popen(["explorer", "/select,", str(path)])  # noqa: S603, S607 - the system's own shell
            return True
        except OSError:
            pass
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


class SavedFileBox(QMessageBox):
    """“Saved to …” with 打印预览… (PDF), 打开文件, 打开所在文件夹 and 关闭."""

    def __init__(self, parent: QWidget | None, title: str, text: str, path: Path) -> None:
        super().__init__(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Close, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)  # the text quotes file names
        self.path = Path(path)
        self.print_button: QPushButton | None = None
        if self.path.suffix.lower() == ".pdf":
            self.print_button = self.addButton(translate("SavedFile", "Print preview…"),
                                               QMessageBox.ButtonRole.ActionRole)
        self.open_button = self.addButton(translate("SavedFile", "Open the file"), QMessageBox.ButtonRole.ActionRole)
        self.folder_button = self.addButton(translate("SavedFile", "Open its folder"),
                                            QMessageBox.ButtonRole.ActionRole)
        self.setDefaultButton(self.print_button or self.open_button)

    def act(self, button: Any) -> None:
        if button is None:
            return
        if button is self.print_button:
            print_preview(self.parentWidget(), self.path)
        elif button is self.open_button:
            open_path(self.path)
        elif button is self.folder_button:
            open_folder_of(self.path)

    def run(self) -> None:
        self.exec()
        self.act(self.clickedButton())


def offer_saved_file(parent: QWidget | None, title: str, text: str, path: Path) -> SavedFileBox:
    box = SavedFileBox(parent, title, text, path)
    box.run()
    return box


# -- print preview ----------------------------------------------------------------------------------

def pdf_pages(path: Path) -> Any | None:
    """The PDF opened with PDFium, or None where it cannot be (then the system viewer prints)."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return None
    try:
        return pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError):
        return None


def page_image(doc: Any, index: int, dpi: int = PREVIEW_DPI) -> QImage:
    page = doc[index]
    try:
        bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                       QImage.Format.Format_RGB888 if bitmap.n_channels == 3 else QImage.Format.Format_RGBA8888)
        return image.copy()  # the buffer belongs to PDFium
    finally:
        page.close()


def print_preview(parent: QWidget | None, path: Path) -> Any:
    """Qt's print preview (with 打印) over the PDF's pages; the system viewer where that is not possible."""
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    doc = pdf_pages(path)
    if doc is None or len(doc) == 0 or len(doc) > MAX_PREVIEW_PAGES:
        if doc is not None:
            doc.close()
        open_path(path)
        return None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    width, height = doc[0].get_size()  # points
    printer.setPageLayout(QPageLayout(QPageSize(QSizeF(min(width, height), max(width, height)),
                                                QPageSize.Unit.Point),
                                      QPageLayout.Orientation.Landscape if width > height
                                      else QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    printer.setFullPage(True)  # the PDF carries its own margins
    printer.setDocName(path.name)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.printer = printer  # the dialog does not own it: it must live as long as the dialog
    dialog.document = doc
    dialog.setWindowTitle(translate("SavedFile", "Print preview — %s") % path.name)
    dialog.paintRequested.connect(lambda p: paint_pages(doc, p))
    dialog.finished.connect(lambda _r: doc.close())
    if parent is not None:
        dialog.resize(min(1100, parent.window().width()), min(760, parent.window().height()))
    dialog.open()
    return dialog


def paint_pages(doc: Any, printer: Any) -> None:
    painter = QPainter(printer)
    try:
        for i in range(len(doc)):
            if i:
                printer.newPage()
            image = page_image(doc, i)
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(area.x() + (area.width() - size.width()) // 2,
                           area.y() + (area.height() - size.height()) // 2, size.width(), size.height())
            painter.drawImage(target, image)
    finally:
        painter.end()
