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


def test_very_large_file(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file over the size limit is refused with a message, not read (kept out of the case
    files to keep the repository small)."""
    big = minimal_course / "modules" / "common" / "basics.en.md"
    big.write_text("# Big\n\n" + "word " * 2_500_000, "utf-8")  # 12.5 MB
    monkeypatch.chdir(minimal_course)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "modules/common/basics.en.md:1:1: the file is too large (12 MB; the limit is 10 MB) [file-too-large]" in err
    assert "Traceback" not in err
