"""One window per data folder: a second start hands its files to the running window and brings it to the front.

The running window listens on a local socket (a named pipe on Windows) whose name is derived from the data
folder and the user, so two users of one PC, or two data folders, never meet. A second `RectiDesk.exe` —
started from the Start menu, or by a double-click on a `.zgb` in Explorer — connects, sends one line of JSON
(`{"files": [...]}`), waits for "ok" and ends; the running window comes to the front and opens the import
preview with those files. No window running: the caller starts one.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

log = logging.getLogger(__name__)
CONNECT_MS = 1000
REPLY_MS = 5000
MAX_MESSAGE = 64 * 1024


def server_name(data_root: Path) -> str:
    """Short and stable: the same folder (any spelling of it on Windows) and user give the same name."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some Windows set-ups
        user = ""
    folder = str(data_root.resolve())
    if sys.platform == "win32":
        folder = folder.casefold()
    digest = hashlib.sha256(f"{user}\n{folder}".encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return f"rectidesk-{digest}"


def hand_over(name: str, files: list[Path]) -> bool:
    """Give `files` to the window already running on this data folder; False when there is none."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(CONNECT_MS):
        return False
    _allow_foreground()
    message = json.dumps({"files": [str(f.resolve()) for f in files]}, ensure_ascii=False) + "\n"
    socket.write(message.encode("utf-8"))
    socket.flush()
    reply = b""
    while b"\n" not in reply and socket.waitForReadyRead(REPLY_MS):
        reply += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return reply.strip() == b"ok"


def _allow_foreground() -> None:
    """Windows lets only the foreground process raise a window: this one (just started by the user) allows it."""
    if sys.platform != "win32":
        return
    try:
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(-1)  # ASFW_ANY
    except Exception:  # noqa: BLE001 - the window then flashes in the taskbar instead
        pass


class InstanceServer(QObject):
    """Listens for later starts; `received` carries their files (an empty list: just come to the front).

    Give it a Qt parent (the application): its sockets' signal connections make a reference cycle, and a
    parentless one could be collected by Python's cycle collector in the middle of Qt's event processing.
    """

    received = Signal(list)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}
        self.pending: list[list[Path]] = []  # requests that arrived before anyone listened
        self._handler: Callable[[list[Path]], None] | None = None

    def listen(self) -> bool:
        if self.server.listen(self.name):
            return True
        if self.server.serverError() == QAbstractSocket.SocketError.AddressInUseError:
            # A socket file left by a program that crashed (Unix); nobody answered on it (hand_over failed).
            QLocalServer.removeServer(self.name)
            if self.server.listen(self.name):
                return True
        log.warning("second-start server %s not available: %s", self.name, self.server.errorString())
        return False

    def close(self) -> None:
        """Stop listening and drop the connections, their signals first: a socket being destroyed emits
        `disconnected`, which must not reach a handler whose server is going away with it."""
        for socket in list(self._buffers):
            try:
                socket.readyRead.disconnect()
                socket.disconnected.disconnect()
                socket.abort()
            except (RuntimeError, TypeError):  # already gone
                pass
        self._buffers.clear()
        self.server.close()

    def set_handler(self, handler: Callable[[list[Path]], None]) -> None:
        """From now on requests go to `handler`, those that waited first."""
        self._handler = handler
        waiting, self.pending = self.pending, []
        for files in waiting:
            handler(files)

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))
            if socket.bytesAvailable():
                self._read(socket)

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        try:
            socket.deleteLater()
        except RuntimeError:  # already gone with the server
            pass

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in data:
            if len(data) > MAX_MESSAGE:
                socket.abort()
            else:
                self._buffers[socket] = data
            return
        self._buffers[socket] = b""
        line = data.split(b"\n", 1)[0]
        try:
            files = [Path(f) for f in json.loads(line.decode("utf-8"))["files"]]
        except (ValueError, KeyError, TypeError):
            log.warning("second start sent something unreadable: %r", line[:200])
            socket.write(b"error\n")
            socket.flush()
            return
        socket.write(b"ok\n")
        socket.flush()
        log.info("a second start handed over %d file(s)", len(files))
        if self._handler is None:  # the window is not there yet (the first-run dialog, the login)
            self.pending.append(files)
            _raise_open_dialog()
        else:
            self.received.emit(files)
            self._handler(files)


def _raise_open_dialog() -> None:
    from PySide6.QtWidgets import QApplication

    dialog = QApplication.activeModalWidget()
    if dialog is not None:
        dialog.raise_()
        dialog.activateWindow()
