"""Every bad-input case in tests/cases/ gives exactly its expected messages, exit 1, and
never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from casefile import parse
from coursegen.cli import main

CASES = sorted((Path(__file__).parent / "cases").glob("*.txt"))


@pytest.mark.parametrize("case_path", CASES, ids=[p.stem for p in CASES])
def test_case(
    case_path: Path, minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case = parse(case_path)
    assert case.expected, f"{case_path.name} has no expected output"
    case.apply(minimal_course)
    monkeypatch.chdir(minimal_course)
    code = main(["check"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    lines = [line for line in err.splitlines() if line.strip()]
    assert [*lines, f"exit {code}"] == case.expected


def test_minimal_course_is_clean(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The base of every case passes, so each case's messages come from its own change."""
    monkeypatch.chdir(minimal_course)
    assert main(["check"]) == 0, capsys.readouterr().err


def test_cases_cover_every_diagnostic_kind() -> None:
    codes = {line.rsplit("[", 1)[-1].rstrip("]") for p in CASES for line in parse(p).expected if line.endswith("]")}
    required = {
        "yaml-syntax",
        "unknown-key",
        "wrong-type",
        "duplicate-id",
        "unknown-source",
        "missing-translation",
        "template-error",
        "toc-missing",
        "missing-key",
    }
    assert required <= codes, f"no case for: {sorted(required - codes)}"
