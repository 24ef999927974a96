"""The scripts behind `make test` and `.ci/run` (issue 11, reliability).

``.ci/browser.sh`` is run from a copy of the repository's ``.ci`` folder in a
temporary folder, with stand-ins for the commands it calls (``fc-list``,
``apt-get``, ``npm`` ...) first on ``PATH``; each stand-in records how it was
called. That is the only way to make a machine look like a fresh one, or make
``fc-list`` print a long list, on demand.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def tool(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text("#!/usr/bin/env bash\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


class Machine:
    """A copy of .ci/ and stand-in commands; ``calls`` is what they were asked."""

    def __init__(self, tmp: Path, *, thai_font_lines: int = 3, uid: int = 0):
        self.root = tmp / "repo"
        shutil.copytree(ROOT / ".ci", self.root / ".ci")
        self.bin = tmp / "bin"
        self.bin.mkdir()
        self.log = tmp / "calls.log"
        self.chromium = self.bin / "chromium"
        tool(self.bin, "chromium", "echo 'Chromium 1.0'")
        tool(self.bin, "pdftoppm", "exit 0")
        # A long font list is what made `fc-list | grep -q .` die of SIGPIPE.
        tool(
            self.bin,
            "fc-list",
            f'for i in $(seq 1 {thai_font_lines}); do '
            f'echo "Garuda,TlwgTypist,Kinnari,Loma,Norasi,Purisa,Sawasdee $i"; done',
        )
        for name in ("apt-get", "sudo", "npm", "systemctl", "service"):
            tool(self.bin, name, f'echo "{name} $*" >> "{self.log}"')
        tool(self.bin, "id", f'[ "$1" = "-u" ] && echo {uid} || /usr/bin/id "$@"')

    def axe_installed(self) -> None:
        axe = self.root / "node_modules" / "axe-core" / "axe.min.js"
        axe.parent.mkdir(parents=True, exist_ok=True)
        axe.write_text("/* axe */")

    def run(self, script: str = "browser.sh") -> subprocess.CompletedProcess:
        env = {
            "PATH": f"{self.bin}:/usr/bin:/bin",
            "HOME": str(self.root),
            "CHROMIUM": str(self.chromium),
        }
        return subprocess.run(
            ["bash", str(self.root / ".ci" / script)],
            env=env, capture_output=True, text=True, timeout=60,
        )

    @property
    def calls(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []


def test_thai_fonts_are_found_every_time_however_long_the_font_list(tmp_path):
    machine = Machine(tmp_path, thai_font_lines=20000)
    machine.axe_installed()
    for _ in range(15):
        done = machine.run()
        assert done.returncode == 0, done.stderr
        assert machine.calls == [], "reinstalled fonts that are there"


def test_missing_packages_are_installed_without_recommends(tmp_path):
    machine = Machine(tmp_path, thai_font_lines=0)
    machine.axe_installed()
    machine.chromium.unlink()
    done = machine.run()
    assert done.returncode == 0, done.stderr
    installs = [c for c in machine.calls if c.startswith("apt-get install")]
    assert len(installs) == 1
    assert "--no-install-recommends" in installs[0]
    assert "chromium" in installs[0] and "fonts-thai-tlwg" in installs[0]


def test_without_rights_to_install_it_fails_naming_what_is_missing(tmp_path):
    machine = Machine(tmp_path, thai_font_lines=0, uid=1000)
    machine.axe_installed()
    tool(machine.bin, "sudo", "exit 1")  # no passwordless sudo
    done = machine.run()
    assert done.returncode != 0
    assert "missing: fonts-thai-tlwg" in done.stderr
    assert "apt-get install --no-install-recommends fonts-thai-tlwg" in done.stderr
    assert not any(c.startswith("apt-get") for c in machine.calls)


def test_axe_core_is_installed_when_missing(tmp_path):
    machine = Machine(tmp_path)
    axe = machine.root / "node_modules" / "axe-core" / "axe.min.js"
    tool(
        machine.bin, "npm",
        f'echo "npm $*" >> "{machine.log}"; mkdir -p "{axe.parent}"; touch "{axe}"',
    )
    done = machine.run()
    assert done.returncode == 0, done.stderr
    assert machine.calls == ["npm ci --no-audit --no-fund --ignore-scripts"]


def test_a_failed_axe_core_install_fails_the_tests_instead_of_skipping_them(tmp_path):
    machine = Machine(tmp_path)  # npm "succeeds" and installs nothing
    done = machine.run()
    assert done.returncode != 0
    assert "axe-core" in done.stderr


def test_make_test_installs_the_test_tools_before_running_any_test():
    done = subprocess.run(
        ["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    first_pytest = next(i for i, line in enumerate(lines) if "pytest" in line)
    for script in (".ci/browser.sh", ".ci/nginx.sh"):
        index = next(i for i, line in enumerate(lines) if script in line)
        assert index < first_pytest, script


def test_ci_writes_no_fixed_temporary_file():
    for script in (ROOT / ".ci").iterdir():
        text = script.read_text()
        assert "/tmp/" not in text.replace("${TMPDIR:-/tmp}/samatcha-ci.XXXXXX", ""), (
            f"{script.name} writes to a fixed path under /tmp"
        )
