"""Diagnostics: every problem is a `path:line:col: message [code]` line.

Problems are collected into a list of `Diagnostic` and reported together; nothing raises
past the command line except `CourseError`, which carries that list.
"""

from __future__ import annotations

import enum
import errno
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path


class Code(enum.Enum):
    """Diagnostic codes; the value is what is printed in brackets."""

    YAML_SYNTAX = "yaml-syntax"
    """A YAML file does not parse."""
    FILE_ENCODING = "file-encoding"
    """A file does not hold what its name says: not UTF-8 text, or no picture (or PDF) that
    browsers show."""
    EMPTY_FILE = "empty-file"
    """A YAML file with nothing in it."""
    FILE_TOO_LARGE = "file-too-large"
    """A file larger than coursegen reads (see yamlfile.MAX_BYTES)."""
    UNKNOWN_KEY = "unknown-key"
    """A key that the file's schema does not define."""
    MISSING_KEY = "missing-key"
    """A required key is absent."""
    WRONG_TYPE = "wrong-type"
    """A value of the wrong type (a list where a mapping is expected …)."""
    INVALID_VALUE = "invalid-value"
    """A value of the right type that breaks a rule of the schema (pattern, enum, range)."""
    DUPLICATE_ID = "duplicate-id"
    """Two items of the same kind share an id."""
    UNKNOWN_SOURCE = "unknown-source"
    """A source id that resolves to nothing in sources/."""
    MISSING_TRANSLATION = "missing-translation"
    """A text, page or file exists in one course language but not in the other."""
    TEMPLATE_ERROR = "template-error"
    """A Jinja2 syntax error, an undefined name or a failing macro in a page."""
    TOC_MISSING = "toc-missing"
    """A _toc.yml entry names a page that does not exist, or a page is not in _toc.yml."""
    HEADING_LEVEL = "heading-level"
    """A heading that skips a level (`#` then `###`): Jupyter Book's build stops on it."""
    PAGE_MARKUP = "page-markup"
    PAGE_LINK = "page-link"
    """Markdown that MyST reads otherwise than it looks, and builds without a word: a line
    lost as a comment, a fence or an HTML comment never closed, a footnote lost."""
    EXCERPT_MISMATCH = "excerpt-mismatch"
    """A practice point marked `excerpt` is not found word for word in the practice text."""
    UNKNOWN_AUDIENCE = "unknown-audience"
    """An audience that the course does not declare."""
    MISSING_FILE = "missing-file"
    """A file the course needs does not exist."""
    UNKNOWN_QUESTION = "unknown-question"
    """A course folder overrides or disables a question id that the built-in course lacks."""
    PATH_ESCAPE = "path-escape"
    """A path in a course folder points outside it."""
    QUIZ_KEY = "quiz-key"
    """A question's answer key is wrong: no correct option, several in a single choice …"""
    RESULTS_FORMAT = "results-format"
    """A results file for `coursegen grade` that cannot be read as results."""
    BUILD_FAILED = "build-failed"
    """Jupyter Book reported warnings or errors."""
    NOTEBOOK_FAILED = "notebook-failed"
    """A generated quiz notebook could not be run: a cell failed, or its kernel did."""
    NETWORK_LOAD = "network-load"
    """A page or setting that would load a file from the network, which trainees offline do not have."""
    NO_SPACE = "no-space"
    """The output folder's disk is full: nothing in the course is wrong, and the command exits 2."""


@dataclass(frozen=True, order=True)
class SourceRef:
    """Where something came from: a file, a 1-based line and column."""

    path: Path
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    ref: SourceRef
    message: str
    code: Code

    def __str__(self) -> str:
        return f"{self.ref}: {shown(self.message)} [{self.code.value}]"


class CourseError(Exception):
    """Raised with every diagnostic found; the CLI prints them and exits 1."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"{len(diagnostics)} problem(s)")
        self.diagnostics = sorted(set(diagnostics), key=_sort_key)


class UsageError(Exception):
    """A wrong command line (unknown audience, missing folder …); the CLI exits 2."""


def _sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    return (str(d.ref.path), d.ref.line, d.ref.col, d.message)


# What a terminal acts on rather than shows: control characters (a line break, which would
# make a file's name or an answer look like a problem line of its own; an escape sequence,
# which clears the screen), line separators and the marks that reorder a line's text.
UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    """`text` as it can be printed, on one line and as it is: a byte of a file's name that
    is not UTF-8 (which Python holds as a lone surrogate, U+DC80 to U+DCFF) shown as
    `\\xe9`, the byte it is, rather than as `\\udce9`, or an error when printed; a control
    character as its escape (`\\n`, `\\x1b`), not acted on by the terminal."""
    if text.isprintable():
        return text
    if any("\udc80" <= c <= "\udcff" for c in text):
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return UNSHOWN.sub(lambda m: repr(m.group())[1:-1], text)


def display_path(path: Path) -> str:
    """A path relative to the working directory when it is below it, else absolute (as
    `shown`)."""
    return shown(relative(path))


def relative(path: Path) -> str:
    """A path relative to the working directory when it is below it, else absolute."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


def report(exc: Exception) -> int:
    """Print, on stderr, what stopped a command, as the command line shows it; return the
    command's exit status: 1 for problems in the course, 2 for a usage error or a full disk,
    1 for anything else (an internal error: `--debug` shows its traceback instead)."""
    if isinstance(exc, CourseError):
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        print(f"{len(exc.diagnostics)} problem(s) found.", file=sys.stderr, flush=True)
        return 2 if all(d.code is Code.NO_SPACE for d in exc.diagnostics) else 1
    if isinstance(exc, UsageError):
        print(f"coursegen: error: {shown(str(exc))}", file=sys.stderr, flush=True)
        return 2
    message = f"coursegen: internal error: {type(exc).__name__}: {exc} (run with --debug for details)"
    print(message, file=sys.stderr, flush=True)
    return 1


def check_folder(root: Path) -> None:
    """Raise `UsageError` unless `root` is a course folder."""
    if root.is_file() and (root.parent / "_config.yml").is_file():  # `check course/_config.yml`
        raise UsageError(f"{root}: a file: give the course folder, {root.parent}")
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root}: a file, not a course folder")
    if not root.is_dir():
        raise UsageError(f"{root}: no such course folder")
    if not (root / "_config.yml").exists():
        above = next((p for p in root.resolve().parents if (p / "_config.yml").is_file()), None)
        hint = ""
        if above is not None:
            name = min(display_path(above), os.path.relpath(above), key=len)
            hint = f": the course folder is {name}, which holds this one (run coursegen there, or give it)"
        raise UsageError(f"{root}: not a course folder (no _config.yml){hint}")


def output_folder(path: Path, make: bool = True) -> Path:
    """`path` as a folder to write into, made if missing (with `make`; else only checked:
    the closest folder that exists must take it): a usage error, before any work is done,
    when it is a file or cannot be reached, made or written in."""
    try:
        if path.exists() and not path.is_dir():
            raise UsageError(
                f"{display_path(path)}: not a folder (a file of that name exists): choose another output folder"
            )
        if make:
            path.mkdir(parents=True, exist_ok=True)
        existing = next(p for p in [path, *path.parents] if p.exists() or p == p.parent)
    except OSError as exc:
        raise UsageError(f"{display_path(path)}: cannot make this folder ({exc.strerror or exc})") from None
    if not existing.is_dir():
        raise UsageError(f"{display_path(path)}: cannot make this folder ({display_path(existing)} is a file)")
    if not os.access(existing, os.W_OK):
        raise UsageError(f"{display_path(path)}: cannot write in {display_path(existing)}")
    return path


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Write the `files` (name -> content) into `folder`, all of them or none: each is
    written aside first; then the old ones are set aside and the new ones put in their
    place, and a failure at any step puts the old ones back."""
    new = {name: folder / f".{name}.writing" for name in files}
    old = {name: folder / f".{name}.previous" for name in files}
    moved: list[str] = []  # old files set aside
    placed: list[str] = []  # new files in place
    target = folder
    try:
        for name, data in files.items():
            target = folder / name
            if target.is_dir():
                raise IsADirectoryError(errno.EISDIR, "a folder of that name is in the way", str(target))
            new[name].write_bytes(data)
        for name in files:
            target = folder / name
            if target.exists():
                target.replace(old[name])
                moved.append(name)
            new[name].replace(target)
            placed.append(name)
    except OSError as exc:
        for name in placed:
            (folder / name).unlink(missing_ok=True)
        for name in moved:
            old[name].replace(folder / name)
        for name in files:
            new[name].unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:  # told as a build's full disk is
            why = "no space left on this disk: free some space, or write to another disk (--out); nothing was changed"
            raise CourseError([Diagnostic(SourceRef(target), why, Code.NO_SPACE)]) from None
        raise UsageError(f"{display_path(target)}: cannot write ({exc.strerror or exc}); nothing was changed") from None
    for name in moved:
        old[name].unlink(missing_ok=True)
