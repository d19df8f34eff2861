from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def minimal_course(tmp_path: Path) -> Path:
    """A fresh copy of the minimal course, safe to modify."""
    target = tmp_path / "course"
    shutil.copytree(FIXTURES / "minimal", target)
    return target
