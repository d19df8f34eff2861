"""A rebuild reuses the course files parsed and checked, and the page templates compiled, by
the build before (reuse.reusing): only what changed is done again, nothing a user sees
depends on the cache, and a cache that this user's coursegen did not write is never loaded."""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from casefile import parse
from conftest import FIXTURES
from coursegen import loading, reuse
from coursegen.errors import CourseError, UsageError
from coursegen.pipeline import prepare

CASES = sorted((Path(__file__).parent / "cases").glob("*.txt"))


@pytest.fixture(autouse=True)
def own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A signing key of this test's own (the user's is left alone)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    reuse._secret.cache_clear()
    yield reuse.key_file()
    reuse._secret.cache_clear()


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The templates Jinja compiles (a cache hit compiles nothing)."""
    seen: list[str] = []
    real = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *args: object, **kw: object) -> object:
        seen.append(str(name))
        return real(self, source, name, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return seen


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
    """What `prepare` gives, as a user sees it: every problem (of every page, the trainer's
    guide's too, as `coursegen check` renders and checks them), or the books' files. With
    `cache` (a folder), reused as `coursegen build` does."""
    try:
        if cache is None:
            _, books = prepare(course, edition="trainer", lint=True)
        else:
            with reuse.reusing(cache):
                _, books = prepare(course, edition="trainer", lint=True)
    except CourseError as exc:
        return [str(d) for d in exc.diagnostics]
    except UsageError as exc:
        return [f"usage: {exc}"]
    return [f"{b.lang}/{rel} {hash(content)}" for b in books for rel, content in sorted(b.files.items())]


def test_a_rebuild_parses_only_the_files_that_changed(
    minimal_course: Path, tmp_path: Path, parsed: list[Path], compiled: list[str]
) -> None:
    cache = tmp_path / "cache"
    first = outcome(minimal_course, cache)
    yaml_files = set(parsed)
    assert minimal_course / "quizzes" / "police.yml" in yaml_files and len(yaml_files) >= 5
    assert len(compiled) >= 4  # every page of both languages
    assert (cache / reuse.LOADED).is_file()
    parsed.clear()
    compiled.clear()
    assert outcome(minimal_course, cache) == first
    assert [p for p in parsed if p.is_relative_to(minimal_course)] == []  # the check can fail: see above
    assert compiled == []
    bank = minimal_course / "quizzes" / "police.yml"
    bank.write_text(bank.read_text("utf-8").replace("Vrai", "Vrai (modifié)", 1), "utf-8")
    parsed.clear()
    edited = outcome(minimal_course, cache)
    assert [p for p in parsed if p.is_relative_to(minimal_course)] == [bank]
    assert edited != first and edited == outcome(minimal_course, None)


def test_a_course_in_a_folder_whose_name_is_not_utf8_is_cached_too(
    tmp_path: Path, parsed: list[Path], compiled: list[str]
) -> None:
    """A course folder named on a system set to Latin-1 ("cours\\xe9"): its files' cache
    keys, and Jinja's, hold the name's bytes (every page was a template error)."""
    course = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"cours\xe9")))
    shutil.copytree(FIXTURES / "minimal", course)
    cache = tmp_path / "cache"
    first = outcome(course, cache)
    assert first == outcome(course, None) and not any("error" in line for line in first), first
    assert compiled and parsed
    parsed.clear()
    compiled.clear()
    assert outcome(course, cache) == first
    assert [p for p in parsed if p.is_relative_to(course)] == [] and compiled == []


def test_a_damaged_cache_is_read_as_empty(minimal_course: Path, tmp_path: Path, parsed: list[Path]) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / reuse.LOADED).write_bytes(b"not a pickle")
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
    cache = tmp_path / "cache"
    outcome(course, cache)
    case = parse(case_path)
    case.apply(course)
    cold = outcome(course, None)
    failing = case.expected[-1] != "exit 0"
    assert cold and failing == (not cold[0].startswith(("fr/", "en/")))  # as `coursegen check` says
    assert outcome(course, cache) == cold
    assert outcome(course, cache) == cold


class _Payload:
    """What a planted cache could hold: an object whose unpickling runs code (here, it
    only writes a marker file)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[Path]]:
        return (Path.touch, (self.marker,))


def test_a_cache_this_user_did_not_write_is_never_loaded(minimal_course: Path, tmp_path: Path, own_key: Path) -> None:
    """A course folder shared with its build folder must not run code through the cache."""
    cold = outcome(minimal_course, None)
    cache = tmp_path / "cache"
    marker = tmp_path / "marker"
    planted = pickle.dumps(_Payload(marker))
    cache.mkdir()
    for blob in (planted, bytes(32) + planted):  # unsigned; signed with another key
        (cache / reuse.LOADED).write_bytes(blob)
        assert outcome(minimal_course, cache) == cold
        assert not marker.exists()
    # The check can fail: signed with this user's key, the same file is loaded (and runs).
    (cache / reuse.LOADED).write_bytes(reuse._signed(own_key.read_bytes(), planted))
    reuse.Reuse(cache)
    assert marker.exists()


def test_compiled_templates_are_loaded_only_when_signed(
    minimal_course: Path, tmp_path: Path, compiled: list[str]
) -> None:
    cache = tmp_path / "cache"
    first = outcome(minimal_course, cache)
    files = sorted(cache.glob("templates-*/*.cache"))
    assert len(files) == len(compiled) >= 4
    for path in files:  # altered after the signature: Jinja must compile them again
        blob = bytearray(path.read_bytes())
        blob[-1] ^= 1
        path.write_bytes(bytes(blob))
    compiled.clear()
    assert outcome(minimal_course, cache) == first
    assert len(compiled) == len(files)


def test_without_a_place_for_the_key_nothing_is_cached(
    minimal_course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", "utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    reuse._secret.cache_clear()
    cache = tmp_path / "cache"
    assert outcome(minimal_course, cache) == outcome(minimal_course, None)
    assert not cache.exists()
