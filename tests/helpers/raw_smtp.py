"""An SMTP client on a bare socket: sends the bytes a test gives (smtplib re-parses and refuses CR/LF)."""

from __future__ import annotations

import base64
import socket


class RawSmtp:
    """One connection; `command()` sends a line as given and returns the (code, text) reply."""

    def __init__(self, port: int, *, timeout: float = 10.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self._file = self.sock.makefile("rb")
        self.greeting = self.reply()

    def reply(self) -> tuple[int, str]:
        """Read one (possibly multi-line) reply; (0, "") when the server closed the connection."""
        lines: list[bytes] = []
        while True:
            line = self._file.readline()
            if not line:
                return 0, ""
            lines.append(line)
            if line[3:4] != b"-":
                break
        text = b"".join(line[4:] for line in lines).decode("utf-8", "replace")
        return int(lines[-1][:3]), text.strip()

    def send(self, data: bytes) -> None:
        """Send bytes unchanged."""
        self.sock.sendall(data)

    def command(self, line: bytes | str) -> tuple[int, str]:
        """Send `line` + CRLF (str as UTF-8) and return the reply."""
        self.send((line.encode() if isinstance(line, str) else line) + b"\r\n")
        return self.reply()

    def login(self, user: str, password: str) -> tuple[int, str]:
        """EHLO and AUTH PLAIN."""
        self.command("EHLO raw.test")
        token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode()
        return self.command(f"AUTH PLAIN {token}")

    def close(self) -> None:
        """Close without QUIT."""
        self._file.close()
        self.sock.close()

    def __enter__(self) -> RawSmtp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
