from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
COURSE_PARTS = ("_config.yml", "_toc.yml", "favicon.svg", "sources", "modules", "quizzes")
"""What the default course is made of, in the repository's root (benchmarks/bench.py copies the same)."""


@pytest.fixture
def minimal_course(tmp_path: Path) -> Path:
    """A fresh copy of the minimal course, safe to modify."""
    target = tmp_path / "course"
    shutil.copytree(FIXTURES / "minimal", target)
    return target


def coursegen(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `coursegen` command, as a user would."""
    exe = Path(sys.executable).with_name("coursegen")
    environ = {**os.environ, **(env or {})}
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=900, env=environ)


def pytest_configure(config: pytest.Config) -> None:
    """The commands the tests start get Ctrl-C as from a terminal. pytest started in the
    background by a script (bash ignores Ctrl-C in its background jobs) handed that on, and
    coursegen, by design, keeps Ctrl-C ignored when it starts so: the tests that stop a
    command with Ctrl-C (a watch) waited for ever. Those about a command started with
    Ctrl-C ignored start it so themselves."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite tests/golden/ from the current output")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default course, built once per test session (both languages)."""
    out = tmp_path_factory.mktemp("site")
    result = coursegen("build", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def minimal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal fixture course (all question types), built once per test session."""
    out = tmp_path_factory.mktemp("minimal-site")
    result = coursegen("build", str(FIXTURES / "minimal"), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests need Debian's Chromium. Without it they are skipped locally, with the
    reason; in CI (COURSEGEN_REQUIRE_BROWSER=1) its absence is an error, never a skip."""
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        return
    if os.environ.get("COURSEGEN_REQUIRE_BROWSER"):
        raise pytest.UsageError("Chromium is required (COURSEGEN_REQUIRE_BROWSER=1): apt-get install chromium")
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
