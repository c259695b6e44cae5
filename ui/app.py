"""Starts the Qt application: translation, the data folder, the main window."""

from __future__ import annotations

import argparse
import sys


def run_app(args: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox

    from core.errors import UserError
    from core.workspace import Workspace

    app = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        ws = Workspace.open(args.data_dir, user=args.user, today=args.today)
    except UserError as exc:
        QMessageBox.critical(None, "整改通", str(exc))
        return exc.exit_code
    try:
        if args.demo and ws.unit() is None:
            from core.demo import build_demo

            build_demo(ws)
        win = QMainWindow()
        unit = ws.unit()
        win.setWindowTitle(f"整改通 — {unit.name if unit else '尚未建立台账'}")
        win.setCentralWidget(QLabel("整改通"))
        win.resize(1280, 720)
        win.show()
        if args.smoke:
            app.processEvents()
            return 0
        return int(app.exec())
    finally:
        ws.close()
