"""A rebuild reuses the course files parsed and checked by the build before (loading.reusing):
only changed files are read again, and nothing a user sees depends on the cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from casefile import parse
from conftest import FIXTURES
from coursegen import loading
from coursegen.errors import CourseError, UsageError
from coursegen.pipeline import prepare

CASES = sorted((Path(__file__).parent / "cases").glob("*.txt"))


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The YAML files that `load_course` parses (a cache hit parses nothing)."""
    seen: list[Path] = []
    real = loading.load_yaml

    def counting(path: Path, *args: object, **kwargs: object) -> object:
        seen.append(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loading, "load_yaml", counting)
    return seen


def outcome(course: Path, cache: Path | None) -> list[str]:
    """What `prepare` gives, as a user sees it: every problem, or the books' files."""
    try:
        if cache is None:
            _, books = prepare(course)
        else:
            with loading.reusing(cache):
                _, books = prepare(course)
    except CourseError as exc:
        return [str(d) for d in exc.diagnostics]
    except UsageError as exc:
        return [f"usage: {exc}"]
    return [f"{b.lang}/{rel} {hash(content)}" for b in books for rel, content in sorted(b.files.items())]


def test_a_rebuild_parses_only_the_files_that_changed(minimal_course: Path, tmp_path: Path, parsed: list[Path]) -> None:
    cache = tmp_path / "cache" / "loaded.pickle"
    first = outcome(minimal_course, cache)
    yaml_files = set(parsed)
    assert minimal_course / "quizzes" / "police.yml" in yaml_files and len(yaml_files) >= 5
    assert cache.is_file()
    parsed.clear()
    assert outcome(minimal_course, cache) == first
    assert [p for p in parsed if p.is_relative_to(minimal_course)] == []  # the check can fail: see above
    bank = minimal_course / "quizzes" / "police.yml"
    bank.write_text(bank.read_text("utf-8").replace("Vrai", "Vrai (modifié)", 1), "utf-8")
    parsed.clear()
    edited = outcome(minimal_course, cache)
    assert [p for p in parsed if p.is_relative_to(minimal_course)] == [bank]
    assert edited != first and edited == outcome(minimal_course, None)


def test_a_damaged_cache_is_read_as_empty(minimal_course: Path, tmp_path: Path, parsed: list[Path]) -> None:
    cache = tmp_path / "loaded.pickle"
    cache.write_bytes(b"not a pickle")
    assert outcome(minimal_course, cache) == outcome(minimal_course, None)
    parsed.clear()
    outcome(minimal_course, cache)
    assert [p for p in parsed if p.is_relative_to(minimal_course)] == []  # rewritten, and reused


@pytest.mark.parametrize("case_path", CASES, ids=[p.stem for p in CASES])
def test_bad_input_reports_the_same_with_a_warm_cache(case_path: Path, tmp_path: Path) -> None:
    """Every bad-input case, applied after a good build filled the cache, then built twice
    more: the problems and their positions are those of a build without a cache."""
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "minimal", course)
    cache = tmp_path / "loaded.pickle"
    outcome(course, cache)
    case = parse(case_path)
    case.apply(course)
    cold = outcome(course, None)
    failing = case.expected[-1] != "exit 0"
    assert cold and failing == (not cold[0].startswith(("fr/", "en/")))  # as `coursegen check` says
    assert outcome(course, cache) == cold
    assert outcome(course, cache) == cold
