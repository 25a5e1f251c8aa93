"""One app per user and data dir: a second start asks the first to show itself, then exits."""

from __future__ import annotations

import getpass
import hashlib

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

_TIMEOUT_MS = 1000
_SHOW = b"show\n"


def server_name(data_dir: str) -> str:
    """A local socket name unique per user and data dir (no path separators, short enough everywhere)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "user"
    digest = hashlib.sha256(f"{user}\0{data_dir}".encode()).hexdigest()[:16]
    return f"missend-guard-{digest}"


class SingleInstance(QObject):
    """`acquire()` is True for the first instance; later ones signal it and get False."""

    show_requested = Signal()

    def __init__(self, data_dir: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(data_dir)
        self.server: QLocalServer | None = None

    def acquire(self) -> bool:
        """Become the running instance, or tell the running one to show itself."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if socket.waitForConnected(_TIMEOUT_MS):
            socket.write(_SHOW)
            socket.waitForBytesWritten(_TIMEOUT_MS)
            socket.disconnectFromServer()
            return False
        # Nobody answered: a socket file left by a crashed instance must not block us.
        QLocalServer.removeServer(self.name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            return False
        server.newConnection.connect(self._on_new_connection)
        self.server = server
        return True

    @Slot()
    def _on_new_connection(self) -> None:
        assert self.server is not None
        while (conn := self.server.nextPendingConnection()) is not None:
            conn.readyRead.connect(self._on_ready_read)
            conn.disconnected.connect(conn.deleteLater)

    @Slot()
    def _on_ready_read(self) -> None:
        conn = self.sender()
        if isinstance(conn, QLocalSocket) and bytes(conn.readAll().data()).startswith(_SHOW.strip()):
            self.show_requested.emit()

    def release(self) -> None:
        """Stop listening (clean shutdown)."""
        if self.server is not None:
            self.server.close()
            self.server = None
