"""The mail server is set from the environment (README: DJANGO_EMAIL_*): a real
SMTP conversation with a small server on loopback, from a real ``manage.py``
process configured only by its environment, login included."""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class SmtpServer:
    """Just enough SMTP (EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT) to receive one
    conversation at a time and keep what it was told."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.logins: list[str] = []
        self.messages: list[tuple[str, list[str], str]] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn, conn.makefile("rb") as lines:
                self._converse(conn, lines)

    def _converse(self, conn, lines) -> None:
        def say(text: str) -> None:
            conn.sendall(text.encode() + b"\r\n")

        say("220 test SMTP")
        sender, recipients = "", []
        for raw in lines:
            line = raw.decode().rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                say("250-test\r\n250 AUTH PLAIN")
            elif verb == "AUTH":
                self.logins.append(base64.b64decode(line.split()[-1]).decode())
                say("235 accepted")
            elif verb == "MAIL":
                sender = line.split(":", 1)[1].strip(" <>")
                say("250 ok")
            elif verb == "RCPT":
                recipients.append(line.split(":", 1)[1].strip(" <>"))
                say("250 ok")
            elif verb == "DATA":
                say("354 go on")
                body = []
                for data in lines:
                    if data == b".\r\n":
                        break
                    body.append(data.decode())
                self.messages.append((sender, recipients, "".join(body)))
                say("250 queued")
            elif verb == "QUIT":
                say("221 bye")
                return
            else:
                say("250 ok")

    def close(self) -> None:
        self.sock.close()


def test_mail_goes_to_the_server_the_environment_names_with_its_login(tmp_path):
    server = SmtpServer()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="1",
        DJANGO_SECRET_KEY="mail-test-key",
        DJANGO_SQLITE_PATH=str(tmp_path / "mail.sqlite3"),
        DATABASE_URL="", REDIS_URL="",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(server.port),
        DJANGO_EMAIL_HOST_USER="secretariat@assembly.example.org",
        DJANGO_EMAIL_HOST_PASSWORD="s3cret",
        DJANGO_DEFAULT_FROM_EMAIL="secretariat@assembly.example.org",
    )
    code = ("from django.core.mail import send_mail; "
            "send_mail('Reminder', 'Please post your progress.', None, "
            "['owner@agency.example.org'])")
    try:
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )
    finally:
        server.close()
    assert done.returncode == 0, done.stderr
    assert server.logins == ["\0secretariat@assembly.example.org\0s3cret"]
    [(sender, recipients, body)] = server.messages
    assert sender == "secretariat@assembly.example.org"
    assert recipients == ["owner@agency.example.org"]
    assert "Please post your progress." in body
