"""Real servers on localhost for the publishing tests: nginx, sshd, and ``invoke publish``.

Each server is Debian's own binary started in the foreground on a free port,
with a configuration written into the test's temporary folder, and stopped
by its process id when the test ends. Where a binary is missing the test
skips locally and fails in CI (``CI=true``): the publishing guarantees are
only shown by a real server answering.
"""

from __future__ import annotations

import getpass
import os
import queue
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import ROOT

NGINX = "/usr/sbin/nginx"
SSHD = "/usr/sbin/sshd"
BROTLI_MODULE = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"


def need(path: str, package: str) -> None:
    """Skip without ``path`` locally; fail in CI, which must run every test."""
    if not (Path(path).exists() or shutil.which(path)):
        message = f"{path} not found (apt-get install {package})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped at start:\n{log.read_text()}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"the server did not listen on {port}:\n{log.read_text()}")


@contextmanager
def running(command: list[str], port: int, log: Path) -> Iterator[subprocess.Popen]:
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, process, log)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def nginx(server_conf: Path, folder: Path, port: int) -> Iterator[str]:
    """Debian's nginx in the foreground with a generated server block, on ``port``."""
    need(NGINX, "nginx")
    need(BROTLI_MODULE, "libnginx-mod-http-brotli-static")
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("client", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / name).mkdir(exist_ok=True)
    main = folder / "nginx-main.conf"
    user = "user root;" if os.geteuid() == 0 else ""
    main.write_text(
        textwrap.dedent(f"""\
            load_module {BROTLI_MODULE};
            daemon off;
            master_process on;
            worker_processes 1;
            {user}
            pid {folder}/nginx.pid;
            error_log {folder}/error.log warn;
            events {{ worker_connections 64; }}
            http {{
                include /etc/nginx/mime.types;
                access_log off;
                client_body_temp_path {folder}/client;
                proxy_temp_path {folder}/proxy;
                fastcgi_temp_path {folder}/fastcgi;
                uwsgi_temp_path {folder}/uwsgi;
                scgi_temp_path {folder}/scgi;
                include {server_conf};
            }}
            """)
    )
    check = subprocess.run(
        [NGINX, "-t", "-q", "-c", str(main), "-e", str(folder / "error.log")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    with running([NGINX, "-c", str(main), "-e", str(folder / "error.log")], port,
                 folder / "nginx.out"):  # fmt: skip
        yield f"http://127.0.0.1:{port}"


def _children(parent: int) -> set[int]:
    """The processes whose parent is ``parent`` (nginx's workers, for its master)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone while we looked
        if int(fields[1]) == parent:
            found.add(int(stat.parent.name))
    return found


def reload_nginx(folder: Path) -> None:
    """What the README tells the operator after a deploy or rollback: ``nginx -t && nginx -s
    reload``, for the nginx :func:`nginx` started with its files in ``folder``. Returns once
    the workers started with the old config are gone (until then one may still answer)."""
    master = int((folder / "nginx.pid").read_text())
    old = _children(master)
    main = ["-c", str(folder / "nginx-main.conf"), "-e", str(folder / "error.log")]
    for step in (["-t", "-q"], ["-s", "reload"]):
        done = subprocess.run([NGINX, *step, *main], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 60
    while (_children(master) & old or not _children(master)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _children(master) & old, "nginx's old workers did not stop after the reload"


@contextmanager
def sshd(folder: Path) -> Iterator[dict]:
    """Debian's sshd on a free port: a fresh host key, one authorised key, no passwords.

    Yields the ssh options that reach it (key, known host), the user and the port.
    """
    need(SSHD, "openssh-server")
    need("rsync", "rsync")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    host_key = folder / "host_ed25519"
    client_key = folder / "client_ed25519"
    for key in (host_key, client_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    (folder / "authorized_keys").write_text((folder / "client_ed25519.pub").read_text())
    host_public = (folder / "host_ed25519.pub").read_text().split()
    (folder / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_public[0]} {host_public[1]}\n")
    config = folder / "sshd_config"
    config.write_text(
        textwrap.dedent(f"""\
            Port {port}
            ListenAddress 127.0.0.1
            HostKey {host_key}
            PidFile {folder}/sshd.pid
            AuthorizedKeysFile {folder}/authorized_keys
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            PermitRootLogin prohibit-password
            StrictModes no
            UsePAM no
            Subsystem sftp internal-sftp
            """)
    )
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(exist_ok=True)  # privilege separation folder
    with running([SSHD, "-D", "-e", "-f", str(config)], port, folder / "sshd.log"):
        yield {
            "port": port,
            "user": getpass.getuser(),
            "options": [
                "-i", str(client_key),
                "-o", f"UserKnownHostsFile={folder / 'known_hosts'}",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "IdentitiesOnly=yes",
            ],
        }  # fmt: skip


def settings_file(folder: Path, **values: object) -> Path:
    """A publishconf.py in ``folder`` that imports the project's and sets ``values``."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "import sys",
        f"sys.path.insert(0, {str(ROOT)!r})",
        "from publishconf import *  # noqa: F403",
        f"PATH = {str(ROOT / 'content')!r}",
        f"THEME = {str(ROOT / 'theme')!r}",
        *(f"{key} = {value!r}" for key, value in values.items()),
    ]
    path = folder / "deployconf.py"  # not publishconf.py: it imports that one
    path.write_text("\n".join(lines) + "\n")
    return path


def invoke(*args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """``invoke ARGS`` as a user runs it, in the project folder."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=timeout,
    )  # fmt: skip


FIXTURE_REDIRECTS = ROOT / "tests" / "fixtures" / "publish" / "_redirects"


def add_fixture_redirects(output: Path) -> None:
    """Add the fixture's old addresses to the built site's ``_redirects`` (kept if the build
    wrote its own)."""
    target = output / "_redirects"
    existing = target.read_text() if target.is_file() else ""
    sources = {line.split()[0] for line in existing.splitlines() if line.split()}
    extra = [
        line for line in FIXTURE_REDIRECTS.read_text().splitlines()
        if line.split() and line.split()[0] not in sources
    ]  # fmt: skip
    target.write_text(existing + ("\n" if existing and not existing.endswith("\n") else "")
                      + "\n".join(extra) + "\n")  # fmt: skip


@contextmanager
def deployed_behind_nginx(base: Path, **overrides: object) -> Iterator[tuple[str, Path]]:
    """The sample site built for a local nginx, deployed with ``invoke publish --target
    folder``, served by nginx with the generated config. Yields (url, settings folder)."""
    from helpers import build_site  # noqa: PLC0415

    need(NGINX, "nginx")
    need(BROTLI_MODULE, "libnginx-mod-http-brotli-static")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    shutil.copytree(ROOT / "content", base / "content")
    built = build_site(base / "content", base / "output", SITEURL=url, **overrides)
    assert built.returncode == 0, built.log
    add_fixture_redirects(base / "output")
    project = base / "project"
    config = settings_file(project, PUBLISH_NGINX_LISTEN=f"127.0.0.1:{port}")
    done = invoke("publish", "--no-build", "--output", str(base / "output"),
                  "--settings", str(config))  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    with nginx(project / "deploy" / "nginx.conf", base / "nginx", port):
        yield url, project


class LiveServer:
    """``python -m culture_hub.live`` (``invoke serve``) on a free port, with the dev
    settings and any ``KEY=value`` overrides; its output lines, as they come."""

    def __init__(
        self, content: Path, output: Path, *overrides: str, env: dict[str, str] | None = None
    ) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "culture_hub.live", str(content),
             "-s", str(ROOT / "pelicanconf.py"), "-o", str(output), "--port", "0",
             *(["-e", *overrides] if overrides else [])],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for("Serving").split(" at ")[1].split(" ")[0]

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, start: str, timeout: float = 120) -> str:
        """The next line starting with ``start``; the test fails if none comes in time."""
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                pytest.fail(f"no line starting {start!r} from the server:\n{''.join(self.log)}")
            self.log.append(line)
            if line.startswith(start):
                return line

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
