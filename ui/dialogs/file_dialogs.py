"""Every file chooser of the window, through one place: it starts in the folder last used for the same
purpose (feedback packages, reports, backups …) or else in Documents — never in the program's own folder —
and remembers the folder chosen (QSettings `folders/<purpose>`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget


def documents() -> Path:
    """The user's Documents folder (“文档”), or the home folder where there is none."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def start_folder(purpose: str) -> Path:
    last = QSettings().value(f"folders/{purpose}")
    if isinstance(last, str) and last and Path(last).is_dir():
        return Path(last)
    return documents()


def has_folder(purpose: str) -> bool:
    last = QSettings().value(f"folders/{purpose}")
    return isinstance(last, str) and bool(last) and Path(last).is_dir()


def remember(purpose: str, chosen: Path) -> None:
    folder = chosen if chosen.is_dir() else chosen.parent
    QSettings().setValue(f"folders/{purpose}", str(folder))


def open_file(parent: QWidget | None, purpose: str, title: str, filters: str = "") -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, str(start_folder(purpose)), filters)
    return _chosen(purpose, path)


def open_files(parent: QWidget | None, purpose: str, title: str, filters: str = "") -> list[Path]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, str(start_folder(purpose)), filters)
    if paths:
        remember(purpose, Path(paths[0]))
    return [Path(p) for p in paths]


def save_file(parent: QWidget | None, purpose: str, title: str, name: str, filters: str = "") -> Path | None:
    """`name` is the suggested file name; the folder is the remembered one."""
    safe = "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in name).strip() or "file"
    path, _ = QFileDialog.getSaveFileName(parent, title, str(start_folder(purpose) / safe), filters)
    return _chosen(purpose, path)


def choose_folder(parent: QWidget | None, purpose: str, title: str) -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, title, str(start_folder(purpose)))
    return _chosen(purpose, folder)


def _chosen(purpose: str, path: str) -> Path | None:
    if not path:
        return None
    remember(purpose, Path(path))
    return Path(path)
