"""`coursegen export`: run an exporter for a selection and write its files."""

from __future__ import annotations

import argparse
import errno
import os
import shutil
import signal
from pathlib import Path

import yaml

from . import layers, publish
from .assemble import build_problems, write_book
from .errors import Code, CourseError, Diagnostic, SourceRef, UsageError, display_path, output_folder, write_files
from .exporters import Selection
from .model import Book, Course, unknown_audience
from .pipeline import prepare


def run(args: argparse.Namespace) -> int:
    langs = [args.lang] if args.lang else None
    if args.audience is not None and not args.audience.strip():
        raise UsageError("--audience needs an audience id (leave the option out for all of them)")
    audiences = [args.audience] if args.audience else None
    scorm = args.format == "scorm"  # a site: the others list questions, which need no page
    course, books = prepare(args.course, langs, audiences, edition="learner", scorm=scorm, pages_needed=scorm)
    if args.audience and args.audience not in course.audience_ids:
        raise UsageError(unknown_audience(args.audience, course.audience_ids))
    # not under build/: a trainer serves that folder to the room, and an export may hold the answer key
    out = (args.out or course.root / "exports").resolve()
    layers.outside_inputs(out, course.root, "the exported files (an answer key among them)")
    if args.format != "scorm":  # a package holds no key; the others may (a handout's answer key)
        layers.outside_served(out, "the exported files (an answer key among them)")
    out = output_folder(out)
    with publish.one_build_at_a_time(out):  # two exports into one folder: one after the other
        return _export(args, course, books, out)


def _export(args: argparse.Namespace, course: Course, books: list[Book], out: Path) -> int:
    languages = [b.lang for b in books]
    written: dict[str, bytes] = {}  # written together at the end: all of them or none
    warnings: list[str] = []
    if args.format in ("moodle", "gift") and not list(Selection(course, args.audience, languages).items()):
        warnings.append("this selection has no question: the file holds none")
    if args.format == "moodle":
        from .exporters import moodle

        selection = Selection(course, args.audience, languages)
        text, more = moodle.export(selection)
        warnings += more
        written[f"moodle-{selection.slug}.xml"] = text.encode("utf-8")
    elif args.format == "gift":
        from .exporters import gift

        for lang in languages:
            selection = Selection(course, args.audience, [lang])
            text, more = gift.export(selection, lang)
            warnings += [w for w in more if w not in warnings]
            written[f"gift-{selection.slug}.txt"] = text.encode("utf-8")
    elif args.format == "handout":
        from .exporters import handout

        for book in books:
            selection = Selection(course, args.audience, [book.lang])
            for name, data in handout.export(selection, book.lang, book.pages).items():
                written[name] = data
    else:
        for book in books:
            selection = Selection(course, args.audience, [book.lang])
            site_dir = out / f".scorm-site-{selection.slug}"
            print(f"[{book.lang}] building the site for the package…", flush=True)
            try:
                written[f"scorm-{selection.slug}.zip"] = _package(course, book, selection, site_dir, warnings)
                shutil.rmtree(site_dir, ignore_errors=True)  # packaged (kept when it failed: its log is named)
            except KeyboardInterrupt:  # Ctrl-C: the site being built goes too (2 MB in the output folder)
                shutil.rmtree(site_dir, ignore_errors=True)
                raise
            except (OSError, CourseError) as exc:  # the disk filled up as the site was written or run
                problems = exc.diagnostics if isinstance(exc, CourseError) else []
                if getattr(exc, "errno", None) != errno.ENOSPC and not any(_no_space(d.message) for d in problems):
                    raise
                shutil.rmtree(site_dir, ignore_errors=True)
                raise CourseError([Diagnostic(SourceRef(out), NO_SPACE, Code.NO_SPACE)]) from None
    for warning in warnings:
        print(f"warning: {warning}")
    # through files aside, all together: a failed export never leaves half a file, nor a
    # handout beside the answer key of the export before (each file gets the user's umask)
    write_files(out, written)
    for name in written:
        print(f"wrote {display_path(out / name)}")
    if args.format == "moodle" and len(languages) > 1:  # without the filter, learners read both, one after the other
        print(
            f"note: its texts are in {' and '.join(languages)}, as Moodle's multilang spans: Moodle shows each "
            'learner one language only where its "Multi-language content" filter is on; else, export one '
            f"language with --lang {languages[0]}"
        )
    return 0


NO_SPACE = (
    "no space left on this disk: an export builds the package's site beside it first (about 15 MB "
    "for each language, for a moment); free some space, or export to another disk (--out)"
)


def _no_space(message: str) -> bool:
    return os.strerror(errno.ENOSPC) in message


def _within(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _package(course: Course, book: Book, selection: Selection, site_dir: Path, warnings: list[str]) -> bytes:
    """One language's SCORM package: its site built in `site_dir`, then zipped; what to tell
    of it added to `warnings`."""
    from .exporters.scorm import overfull_quizzes, package

    write_book(book, site_dir)
    # Ctrl-C is held while the run starts (it waits for the fork server's imports): one
    # pressed then would leave a run that nothing stops, building again into the site that
    # the export takes away; it comes once the run is known, and stops it
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        run = publish.start(site_dir, book)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        raise
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a Ctrl-C held meanwhile comes here
        told = publish.publish_together([run])  # False: it failed, or its site could not be copied
        published = run.wait() and told
    except BaseException:  # Ctrl-C: Jupyter Book does not go on alone
        run.stop()
        raise
    if not published:  # said at the course's pages; the site is kept only when its log is named
        problems = build_problems(site_dir, book, settings=course.root / "_config.yml")
        full = any(_no_space(d.message) for d in problems)
        if full or run.not_staged or (problems and not any(_within(d.ref.path, site_dir) for d in problems)):
            shutil.rmtree(site_dir, ignore_errors=True)  # 10 MB, of no more use (and the disk is full)
        if full:  # each file Jupyter Book could not write, told at the log that goes: said once
            raise CourseError([Diagnostic(SourceRef(site_dir.parent), NO_SPACE, Code.NO_SPACE)])
        if run.not_staged:  # the run said why
            message = "the package's site could not be copied to be packaged (see the line above): nothing was written"
            raise CourseError([Diagnostic(SourceRef(site_dir.parent), message, Code.BUILD_FAILED)])
        raise CourseError(problems or [Diagnostic(SourceRef(site_dir), "Jupyter Book failed", Code.BUILD_FAILED)])
    toc = yaml.safe_load(book.files["_toc.yml"])
    outline = [(None, [f"{toc['root']}.html"])] + [
        (part.get("caption"), [f"{c['file']}.html" for c in part["chapters"]]) for part in toc["parts"]
    ]
    identifier = f"coursegen-{selection.slug}"
    site = site_dir / "_build" / "html"
    overfull = overfull_quizzes(site, [page for _, part in outline for page in part])
    warnings += [w for w in overfull if w not in warnings]  # the same quiz in the other language's package
    data: bytes = package(site, outline, course.title[book.lang], identifier, course.pass_mark)
    return data
