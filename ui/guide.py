"""操作指南: the user guide shipped with the program (resources/guide), shown offline in a QTextBrowser.

F1 and 帮助 → 操作指南 open it; each dialog's 帮助 button (`add_help`) opens its own section (an anchor of
resources/guide/index.html). `refresh_images` copies the current screenshots into the guide, scaled.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

translate = QCoreApplication.translate
SECTIONS = ("first-day", "import", "respond", "task", "two-person", "export", "print", "backup", "users", "appeal",
            "rechecks", "keys", "excel", "sections")
# docs/screenshots/<name> → resources/guide/img/<name>, scaled to this width (the guide shows them smaller).
IMAGES = ("first-run.png", "import-preview.png", "exchange.png", "notices.png", "task-editor-nodes.png",
          "print-preview.png", "settings.png", "import-similar.png", "sections.png")
IMAGE_WIDTH = 900


def guide_folder() -> Path:
    from ui.app import RESOURCES

    return RESOURCES / "guide"


class GuideDialog(QDialog):
    """The guide, non-modal: it stays open beside the window while the clerk follows it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("Guide", "User guide"))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(True)
        self.browser.setOpenExternalLinks(False)  # offline: only the guide's own pages and anchors
        self.browser.anchorClicked.connect(self._external)
        index = guide_folder() / "index.html"
        self.browser.setSearchPaths([str(guide_folder())])
        self.browser.setSource(QUrl.fromLocalFile(str(index)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        from ui.sizes import resize_to_fit

        resize_to_fit(self, 820, 680)

    def show_section(self, section: str = "") -> None:
        self.browser.setSource(QUrl.fromLocalFile(str(guide_folder() / "index.html")))
        if section:
            self.browser.scrollToAnchor(section)
        else:
            self.browser.verticalScrollBar().setValue(0)
        self.show()
        self.raise_()
        self.activateWindow()

    @staticmethod
    def _external(url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)


_guide: GuideDialog | None = None


def show_guide(parent: QWidget | None = None, section: str = "") -> GuideDialog:
    """The one guide window, opened at `section` (an anchor such as "import")."""
    global _guide  # noqa: PLW0603 - one guide window for the whole program
    top = parent.window() if parent is not None else None
    if _guide is not None and _guide.parentWidget() is not top:
        # Opened from a modal dialog, the guide must be that dialog's child, or the dialog blocks it.
        _guide.hide()
        _guide.setParent(top, _guide.windowFlags())
    if _guide is None:
        _guide = GuideDialog(top)
        _guide.destroyed.connect(_forget)
    _guide.show_section(section)
    return _guide


def _forget() -> None:
    global _guide  # noqa: PLW0603
    _guide = None


def add_help(dialog: QWidget, buttons: QDialogButtonBox, section: str) -> None:
    """A 帮助 button (and F1) in `dialog` that opens the guide at `section`."""
    assert section in SECTIONS, section
    button = buttons.addButton(QDialogButtonBox.StandardButton.Help)
    button.setText(translate("Guide", "Help"))
    buttons.helpRequested.connect(lambda: show_guide(dialog, section))
    shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents), dialog)
    shortcut.activated.connect(lambda: show_guide(dialog, section))
    dialog.setProperty("guide_section", section)


def refresh_images(screenshots: Path, out: Path | None = None) -> list[Path]:
    """The guide's pictures from the current screenshots, scaled down (the guide ships inside the program)."""
    out = out or guide_folder() / "img"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in IMAGES:
        image = QImage(str(screenshots / name))
        if image.isNull():
            continue
        if image.width() > IMAGE_WIDTH:
            image = image.scaledToWidth(IMAGE_WIDTH, Qt.TransformationMode.SmoothTransformation)
        image.save(str(out / name), "PNG")
        written.append(out / name)
    return written
