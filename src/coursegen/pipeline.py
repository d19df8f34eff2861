"""The pipeline, end to end: load → validate → resolve → render → assemble.

`check` runs every stage but assembly and returns all problems; `prepare` also returns
the books, ready to be written. Neither writes anything.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .assemble import audiences_without_pages, plan_book
from .directives import read_by_sphinx, settings_by_sphinx
from .errors import Code, CourseError, Diagnostic, UsageError, check_folder
from .loading import load_course
from .model import Book, Course, RenderedPage, unknown_audience
from .validation import (
    directive_options,
    heading_jumps,
    made_network_loads,
    nested_too_deep,
    refused_directives,
    unknown_directives,
    validate,
)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused for the block. Loading and rendering make some
    hundred thousand objects, which live until the books are written or are freed as soon
    as they are dropped (reference counting); on its own the collector ran a hundred times
    meanwhile, scanning them and everything imported before, for next to nothing to free
    (5 to 50 ms of the generator's 0.3 s, the most when it scanned all of them). What the
    block leaves in cycles is collected after it. `coursegen check` on the default course:
    0.449 -> 0.428 s, medians of fifteen alternated runs."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def prepare(
    root: Path,
    languages: list[str] | None = None,
    audiences: list[str] | None = None,
    edition: str | None = None,
    scorm: bool = False,
    lint: bool = False,
    published: dict[str, set[str]] | None = None,
    pages_needed: bool = True,
) -> tuple[Course, list[Book]]:
    """Load, validate and render; raise `CourseError` with every problem found.

    `audiences` given (`--audience`) and `pages_needed` (a site, not a list of questions): an
    audience of which _toc.yml lists no page is a problem, since the site would lack it
    without a word (for every audience, `check` and `build` tell it in a note).

    `published`: the pages of the sites of other languages already in the output folder,
    which the pages link to as to those of the languages built (see `plan_book`).

    Pages are rendered even when loading or validation found problems, so that one run
    reports the problems of the pages too; only a course whose configuration or table of
    contents cannot be read stops after loading. With `lint` (`coursegen check`), what
    Jupyter Book would stop on in the rendered pages is looked for too (`heading_jumps`,
    `unknown_directives`).
    """
    check_folder(root)
    with collector_paused():
        return _prepare(root, languages, audiences, edition, scorm, lint, published, pages_needed)


def _prepare(
    root: Path,
    languages: list[str] | None,
    audiences: list[str] | None,
    edition: str | None,
    scorm: bool,
    lint: bool,
    published: dict[str, set[str]] | None,
    pages_needed: bool,
) -> tuple[Course, list[Book]]:
    course, diagnostics = load_course(root)
    if course is None:
        raise CourseError(diagnostics)
    diagnostics += validate(course)
    langs = languages or course.languages
    for lang in langs:
        if lang not in course.languages:
            raise UsageError(f"unknown language '{lang}' (this course has: {', '.join(course.languages)})")
    chosen = audiences or course.audience_ids
    for audience in chosen:
        if audience not in course.audience_ids:
            raise UsageError(unknown_audience(audience, course.audience_ids))
    if audiences and pages_needed:  # asked for by name: its site must not lack it
        for ref, message in audiences_without_pages(course, audiences):
            diagnostics.append(
                Diagnostic(ref, message.replace("To build it, ", "To build its site, "), Code.TOC_MISSING)
            )
    books: list[Book] = []
    every: list[Book] = []  # every language's
    rendered: list[RenderedPage] = []  # every language's pages
    # Always render every language, so that `check` reports the problems of all of them.
    for lang in course.languages:
        book, problems = plan_book(course, lang, chosen, edition or course.edition, scorm, langs, published)
        diagnostics += problems
        rendered += book.pages
        every.append(book)
        if lint:
            diagnostics += heading_jumps(book.pages)
        if lang in langs:
            books.append(book)
    diagnostics += made_network_loads(course, rendered)
    diagnostics += nested_too_deep(course, rendered)  # the build would leave text out, without a word
    diagnostics += refused_directives(course)  # the build would draw formulas as TeX, without a word
    diagnostics += directive_options(course)  # the build would stop on them, after its Jupyter Book run
    # what Jupyter Book stops on and MyST's parser lets pass: told by `check`, and by a build
    # that stops on other problems (so that it tells every one; the build tells it otherwise)
    if lint or diagnostics:
        diagnostics += unknown_directives(course)
    if diagnostics and not lint:  # (told by `check` as each language is rendered, above)
        diagnostics += [d for book in every for d in heading_jumps(book.pages)]
    if lint:  # the rest of what the build would stop on as it reads the pages (`check` only)
        diagnostics += read_by_sphinx(course, every, diagnostics)
        diagnostics += settings_by_sphinx(course, every, diagnostics)
    if diagnostics:
        raise CourseError(diagnostics)
    return course, books
