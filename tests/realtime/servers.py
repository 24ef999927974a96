"""Real server processes for the multi-process and fault tests, and for the bench.

``Daphne`` runs ``config.asgi:application`` in its own process with a given
environment (``DATABASE_URL``, ``REDIS_URL``, ``DJANGO_SQLITE_PATH`` ...);
``RedisServer`` a private redis-server that a test may stop and start again
(never the machine's shared one); ``Nginx`` Debian's nginx in front of several
daphne processes, with a generated configuration under a temporary directory.
Everything listens on 127.0.0.1 on a free port and is stopped by ``stop()``.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
LOOPBACK = "127.0.0.1"


# As in deploy/samatcha@.service: a listen backlog for a crowd. daphne's -b/-p
# listen with Twisted's default backlog of 50: 300 ballots at once overflowed the
# kernel's accept queue and dozens of connections were reset unanswered.
LISTEN_BACKLOG = 1024


def endpoint(host: str, port: int) -> str:
    """daphne's ``-e`` endpoint for ``host:port`` with the listen backlog."""
    return f"tcp:port={port}:interface={host}:backlog={LISTEN_BACKLOG}"


# As in deploy/samatcha@.service: a socket may wait for its accept while a
# crowd reconnects at once (daphne's default gives up after 5 s).
DAPHNE_OPTIONS = [
    "--websocket_connect_timeout",
    "30",
    "--application-close-timeout",
    "5",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def wait_for_port(port: int, *, timeout: float = 20.0, process=None) -> None:
    """Wait until something accepts connections on ``port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode}")
        try:
            with socket.create_connection((LOOPBACK, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {LOOPBACK}:{port} after {timeout}s")


def _stop(process: subprocess.Popen | None, *, timeout: float = 5.0) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


class Daphne:
    """One daphne process serving the project on a free loopback port."""

    def __init__(
        self,
        env: dict[str, str],
        *,
        port: int | None = None,
        log_dir: Path | None = None,
        name: str = "daphne",
        app: str = "config.asgi:application",
    ):
        self.app = app
        self.port = port or free_port()
        self.env = env
        self.name = name
        self.log_dir = Path(log_dir or tempfile.mkdtemp(prefix="samatcha-daphne-"))
        self.log_path = self.log_dir / f"{name}-{self.port}.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self, *, timeout: float = 30.0) -> "Daphne":
        env = {**os.environ, **self.env}
        env.setdefault("PYTHONUNBUFFERED", "1")
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-e",
                endpoint(LOOPBACK, self.port),
                *DAPHNE_OPTIONS,
                self.app,
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(self.port, timeout=timeout, process=self.process)
        except Exception as exc:
            self.stop()
            raise RuntimeError(
                f"{self.name} did not start: {exc}\n{self.log()}"
            ) from exc
        return self

    def kill(self) -> None:
        """SIGKILL: the process dies mid-whatever, as on a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)

    def stop(self) -> None:
        _stop(self.process)
        if getattr(self, "_log", None):
            self._log.close()

    def log(self, tail: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except OSError:
            return ""


class RedisServer:
    """A private redis-server on a free port, without persistence."""

    def __init__(self, *, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                LOOPBACK,
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, timeout=10, process=self.process)
        return self

    def stop(self) -> None:
        _stop(self.process)


NGINX_CONF = """\
{user}worker_processes 1;
error_log {tmp}/error.log warn;
pid {tmp}/nginx.pid;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{body}
}}
"""


def nginx_site(upstreams: list[str], *, listen: str, name: str = "samatcha") -> str:
    """The server part of deploy/nginx.conf for the given daphne addresses."""
    servers = "\n".join(
        f"        server {u} max_fails=1 fail_timeout=10s;" for u in upstreams
    )
    return f"""\
    upstream {name} {{
{servers}
        keepalive 32;
    }}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      '';
    }}
    server {{
        listen {listen};
        client_max_body_size 12m;
        location / {{
            proxy_pass http://{name};
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
            proxy_connect_timeout 2s;
            proxy_next_upstream error timeout http_502;
        }}
    }}"""


DEPLOY_NGINX = BASE_DIR / "deploy" / "nginx.conf"


def deploy_site(upstreams: list[str], *, listen: str, static_root: Path) -> str:
    """deploy/nginx.conf as CI runs it: the same upstream, proxy and WebSocket
    settings, with the test's daphne processes, plain HTTP on ``listen``, and
    no port-80 redirect (the only parts that differ from production)."""
    text = DEPLOY_NGINX.read_text()
    begin, end = "# --- begin http redirect", "# --- end http redirect"
    text = text[: text.index(begin)] + text[text.index(end) + len(end) :]
    servers = "\n".join(
        f"    server {u} max_fails=1 fail_timeout=10s;" for u in upstreams
    )
    text, n = re.subn(r"(?m)^\s*server 127\.0\.0\.1:800\d[^;]*;\n", "", text)
    assert n >= 1, "deploy/nginx.conf: no upstream server lines found"
    text = text.replace(
        "upstream samatcha {\n", "upstream samatcha {\n" + servers + "\n", 1
    )
    text, n = re.subn(r"(?m)^\s*listen 443 ssl[^;]*;\n", "", text)
    assert n >= 1, "deploy/nginx.conf: no TLS listen line found"
    text = re.sub(r"(?m)^\s*listen \[::\]:443[^;]*;\n", "", text)
    text = re.sub(r"(?m)^\s*ssl_[a-z_]+ [^;]*;\n", "", text)
    text = text.replace(
        "server_name assembly.example.org;", f"listen {listen};\n    server_name _;", 1
    )
    text = text.replace("alias /srv/samatcha/staticfiles/;", f"alias {static_root}/;")
    return text


class Nginx:
    """Debian's nginx on a free port in front of ``upstreams`` (host:port)."""

    def __init__(
        self,
        upstreams: list[str],
        *,
        port: int | None = None,
        from_deploy: bool = True,
        tmp: Path | None = None,
    ):
        self.port = port or free_port()
        self.upstreams = upstreams
        self.from_deploy = from_deploy
        # A folder given by the caller (a test's tmp_path) is the caller's to
        # keep or clean; one made here is removed by stop().
        self._own_tmp = tmp is None
        self.tmp = Path(tmp or tempfile.mkdtemp(prefix="samatcha-nginx-"))
        self.tmp.mkdir(parents=True, exist_ok=True)
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def config(self) -> str:
        listen = f"{LOOPBACK}:{self.port}"
        if self.from_deploy:
            body = deploy_site(
                self.upstreams, listen=listen, static_root=BASE_DIR / "static"
            )
        else:
            body = nginx_site(self.upstreams, listen=listen)
        # As root, workers would drop to "nobody", who cannot use the private
        # temporary directory; tests and CI run as root, production does not.
        user = "user root root;\n" if os.geteuid() == 0 else ""
        return NGINX_CONF.format(tmp=self.tmp, body=body, user=user)

    def start(self) -> "Nginx":
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(binary).exists():
            raise RuntimeError("nginx is not installed (apt-get install -y nginx)")
        conf = self.tmp / "nginx.conf"
        conf.write_text(self.config())
        self.process = subprocess.Popen(
            [
                binary,
                "-p",
                str(self.tmp),
                "-e",
                str(self.tmp / "error.log"),
                "-c",
                str(conf),
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=(self.tmp / "stderr.log").open("wb"),
        )
        try:
            wait_for_port(self.port, timeout=10, process=self.process)
        except Exception as exc:
            message = f"nginx did not start: {exc}\n{self.log()}"
            self.stop()
            raise RuntimeError(message) from exc
        return self

    def stop(self) -> None:
        _stop(self.process)
        if self._own_tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def log(self) -> str:
        out = []
        for name in ("stderr.log", "error.log"):
            try:
                out.append((self.tmp / name).read_text(errors="replace")[-3000:])
            except OSError:
                pass
        return "\n".join(out)
