"""Trainer layers: how a course folder adapts the built-in course without copying it.

Precedence, highest first:

1. course folder       the trainer's own files;
2. built-in audience   modules/<audience>/ and quizzes/<audience>.yml of the built-in course;
3. built-in common     modules/common/, the home page, the trainer's guide (modules/trainer/),
                       quizzes/common.yml, sources/;
4. package defaults    coursegen/templates/ (the boxes) and coursegen/defaults/country.yml.

A file replaces a file (a page at the same path; a template, which may extend the one it
shadows with `{% extends "builtin:NAME" %}`); data merges by key (`_config.yml`,
`country.yml`: mappings merge, lists are replaced); questions merge by id (`override: true`
replaces a built-in question, `disabled: true` removes one, a new id adds one).
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Any

from .errors import UsageError, display_path
from .yamlfile import there

COURSE = "course folder"
AUDIENCE = "built-in audience"
COMMON_LAYER = "built-in common"
PACKAGE = "package defaults"

INPUT_FOLDERS = ("modules", "sources", "quizzes", "templates")
"""The course folder's folders that coursegen reads: a build's output, or another course,
never goes there."""


def outside_inputs(out: Path, course: Path, what: str) -> None:
    """Refuse an output folder inside a folder that coursegen reads as the course's (the
    course folder's own, or the built-in course's, which every trainer's course builds on),
    or inside a published site, which the next builds replace (what is written there is
    lost without a word two builds later, and served to trainees meanwhile)."""
    from .publish import STAMP

    where = out.resolve()
    roots = [course]
    with contextlib.suppress(UsageError):  # not installed: no built-in course to protect
        roots.append(builtin_root())
    for root in roots:
        for name in INPUT_FOLDERS:
            if where.is_relative_to((root / name).resolve()):
                whose = "the course's" if root == course else "the built-in course's"
                raise UsageError(
                    f"{display_path(out)}: inside {whose} {name}/ folder, where {what} would be "
                    "read as the course's: choose another output folder"
                )
    site = next((f for f in [where, *where.parents] if f.name == "_build" and (f / STAMP).is_file()), None)
    if site is not None:
        raise UsageError(
            f"{display_path(out)}: inside a published site ({display_path(site)}), which the next builds "
            f"replace: {what} would be lost, and served to trainees meanwhile: choose another output folder"
        )


def served_alone(out: Path, course: Path) -> None:
    """Refuse, for a build, an output folder that would serve trainees more than its sites,
    or that another command takes for something else: the course folder (its quizzes, every
    answer, would be served beside the sites: `python3 -m http.server` serves all); another
    course's folder; the course's exports/ folder (the answer keys, which exports refuse to
    write among sites); a folder inside a language's folder of another build (`build/fr`),
    whose next build stops on what it finds there; a folder that holds the course folder
    (`/`, `~`, `.` when the course is in it), which `python3 -m http.server --directory OUT`
    (the README's stand-in for `coursegen serve`) serves whole, the quizzes with it. (A
    folder beside another build's languages is left to the trainer.)"""
    from .publish import STAMP

    where, root = out.resolve(), course.resolve()
    choose = f"choose a folder of its own (by default, {display_path(course / 'build')})"
    if root == where:
        raise UsageError(
            f"{display_path(out)}: the course folder itself: a build's output folder is served to trainees as it is, "
            f"and the course's quizzes hold every answer: {choose}"
        )
    if root.is_relative_to(where):
        raise UsageError(
            f"{display_path(out)}: holds the course folder ({display_path(course)}): a build's output folder is "
            f"served to trainees as it is, all it holds with it, and the course's quizzes hold every answer: {choose}"
        )
    if _course_settings(where / "_config.yml"):
        raise UsageError(f"{display_path(out)}: another course's folder: {choose}")
    if where.is_relative_to((root / "exports").resolve()):
        raise UsageError(
            f"{display_path(out)}: inside the course's exports/ folder, where exports go (answer keys among them), "
            f"which a site must not serve: {choose}"
        )
    book = next((f for f in [where, *where.parents] if there(f / "_build" / STAMP, "file")), None)
    if book is not None:
        raise UsageError(
            f"{display_path(out)}: inside the folder of a language of another build ({display_path(book)}), whose "
            f"next build would stop on what this one writes there: {choose}"
        )


def _course_settings(path: Path) -> bool:
    """Whether `path` is a course's settings file (a `course:` section), not another tool's
    `_config.yml` (a Jekyll site's)."""
    try:
        with path.open("rb") as settings:
            return re.search(rb"^course:", settings.read(1_000_000), re.M) is not None
    except (OSError, ValueError):
        return False


def outside_served(out: Path, what: str) -> None:
    """Refuse, for an export or grades (which may hold every question's key), an output
    folder inside a build's output folder (one that holds `<lang>/_build/` sites): a trainer
    serves that folder to the room, with a listing of what it holds."""
    from .publish import STAMP

    where = out.resolve()
    served = next((f for f in [where, *where.parents] if any(f.glob(f"*/_build/{STAMP}"))), None)
    if served is not None:
        raise UsageError(
            f"{display_path(out)}: inside the output folder of a build ({display_path(served)}), which is "
            f"served to trainees: {what} would be theirs to read: choose a folder outside it"
        )


PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES = PACKAGE_DIR / "templates"
COUNTRY_DEFAULTS = PACKAGE_DIR / "defaults" / "country.yml"


def builtin_root() -> Path:
    """The built-in course: the folder named by COURSEGEN_BUILTIN if set (for tests and
    for organisations that maintain their own base course), else the course packaged with
    coursegen, else the source checkout coursegen runs from."""
    override = os.environ.get("COURSEGEN_BUILTIN")
    if override:
        path = Path(override).resolve()
        if not (path / "_config.yml").is_file():
            raise UsageError(f"COURSEGEN_BUILTIN={override}: not a course folder (no _config.yml)")
        return path
    for candidate in (PACKAGE_DIR / "course", PACKAGE_DIR.parent.parent):
        if (candidate / "_config.yml").is_file() and (candidate / "sources").is_dir():
            return candidate
    raise UsageError("the built-in course is not installed with this copy of coursegen")


def merge(base: Any, over: Any) -> Any:
    """`over` merged into `base` by key: mappings merge recursively, anything else
    (lists included) is replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = merge(base[key], value) if key in base else value
        return out
    return over


def builtin_layer(area: str) -> str:
    """The layer name of a built-in page or bank of `area`."""
    return COMMON_LAYER if area in ("common", "trainer") else AUDIENCE
