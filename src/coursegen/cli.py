"""Command line: `coursegen check|build`.

Exit codes: 0 success, 1 content problems (printed as `path:line:col: message [code]`),
2 usage errors. Heavy imports happen inside the commands so that `--help` stays fast.
"""

from __future__ import annotations

import argparse
import errno
import gc
import os
import re
import shlex
import shutil
import signal
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import Code, CourseError, UsageError, check_folder, display_path, output_folder, relative, report, shown
from .layers import outside_inputs, served_alone

if TYPE_CHECKING:
    from .model import Book, Course


def _course_folder(name: str) -> bool:
    try:
        return (Path(name) / "_config.yml").is_file()
    except OSError:  # a name too long to be a path
        return False


def _path(text: str) -> Path:
    """A folder given on the command line: an empty one (`--out ""`, a variable left unset)
    would be the current folder, which is never what was meant."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path")
    return Path(text)


def _port(text: str) -> int:
    """A port to serve on: a whole number from 0 (any free one) to 65535 (Python's own
    error, "bind(): port must be 0-65535", came as an internal error)."""
    if not text.strip().isdecimal() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is no port: give a number from 1 to 65535, such as 8000")
    return int(text)


class _Once(argparse.Action):
    """An option that takes one value: given twice (`--audience police --audience employers`
    to export), the second silently replaced the first. Said instead, as a usage error."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option: Any = None
    ) -> None:
        given = namespace.__dict__.setdefault("_given", set())
        if self.dest in given:
            raise argparse.ArgumentError(self, "given twice: give it once (run the command once for each value)")
        given.add(self.dest)
        setattr(namespace, self.dest, values)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coursegen",
        description="Generate a bilingual e-learning course (Jupyter Book) from citable sources.",
    )
    parser.add_argument("--debug", action="store_true", help="show a traceback on unexpected errors")
    parser.add_argument("--version", action="version", version=f"coursegen {__version__}")
    # `--debug` after the command too (`coursegen grade … --debug`, as the internal error's
    # hint is read): not given there, it leaves the value given before the command
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback on unexpected errors"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[debug], **kwargs)

    check = command("check", help="validate a course and report every problem")
    check.add_argument("course", nargs="?", default=".", type=_path, help="course folder (default: the current folder)")

    build = command("build", help="build the course's Jupyter Books to HTML")
    build.add_argument("course", nargs="?", default=".", type=_path, help="course folder (default: the current folder)")
    build.add_argument(
        "--lang", choices=["fr", "en", "all"], default="all", action=_Once, help="language to build (default: all)"
    )
    build.add_argument(
        "--audience",
        nargs="+",
        action="extend",  # `--audience police --audience employers`: both
        metavar="A",
        help="build only the common part and these audiences' parts",
    )
    build.add_argument("--out", type=_path, action=_Once, help="output folder (default: COURSE/build)")
    build.add_argument(
        "--strict",
        action="store_true",
        help="fail on any warning: every build does (Jupyter Book runs with -W -n); accepted for scripts",
    )
    build.add_argument(
        "--watch",
        action="store_true",
        help="build, then build again each time a course file changes (until Ctrl-C)",
    )
    build.add_argument(
        "--edition",
        choices=["learner", "trainer"],
        action=_Once,
        help="trainer: also build the trainer's guide (default: `edition` under `course:` in _config.yml, "
        "else learner)",
    )

    new = command("new", help="start a trainer's course folder on top of the built-in course")
    # the folder may come last (`new --audience police DIR`): taken back from the option in _new
    new.add_argument("folder", type=_path, nargs="?", help="the folder to create (required)")
    # argparse would show the folder as optional, `[folder]`: it is not
    new.usage = "%(prog)s [-h] [--debug] folder [--audience A [A ...]] [--lang {fr,en} [{fr,en} ...]]"
    new.add_argument("--audience", nargs="+", action="extend", metavar="A", default=[], help="audiences (default: all)")
    new.add_argument("--lang", nargs="+", action="extend", metavar="{fr,en}", help="languages (default: fr en)")

    export = command("export", help="export the course: SCORM 1.2, Moodle XML, GIFT or a printable handout")
    export.add_argument("format", choices=["scorm", "moodle", "gift", "handout"], help="what to export")
    export.add_argument(
        "course", nargs="?", default=".", type=_path, help="course folder (default: the current folder)"
    )
    export.add_argument("--audience", action=_Once, help="one audience (default: all of them)")
    export.add_argument(
        "--lang", choices=["fr", "en"], action=_Once, help="one language (default: every course language)"
    )
    export.add_argument("--out", type=_path, action=_Once, help="output folder (default: COURSE/exports)")

    grade = command("grade", help="grade collected results: scores per trainee, item analysis, report")
    grade.add_argument(
        "responses",
        nargs="+",
        type=_path,
        help="results files (.json from the book or a notebook) or CSV files (a row per answer: "
        "trainee,item,response; or a row per trainee and a column per question: stagiaire;1;2;3), "
        "or folders of them (docs/exports.md)",
    )
    grade.add_argument(
        "--course", type=_path, default=Path("."), action=_Once, help="course folder (default: the current folder)"
    )
    grade.add_argument("--quiz", action=_Once, help="only this quiz (bank), e.g. police")
    grade.add_argument(
        "--audience",
        action=_Once,
        help="the audience whose site or handout the trainees had: question numbers as it gives them "
        "(default: as the site and the handout for every audience give them)",
    )
    grade.add_argument(
        "--lang",
        choices=["fr", "en"],
        action=_Once,
        help="language of the report and the spreadsheets (default: the course's first language)",
    )
    grade.add_argument(
        "--out", type=_path, default=Path("grades"), action=_Once, help="output folder (default: ./grades)"
    )

    serve = command(
        "serve", help="serve the built sites to a room (phones on the same network), compressed, until Ctrl-C"
    )
    serve.add_argument(
        "folder",
        nargs="?",
        default=".",
        type=_path,
        help="a course folder (its build/ is served) or an output folder (default: the current folder)",
    )
    serve.add_argument("--port", type=_port, default=8000, action=_Once, help="port (default: 8000)")
    serve.add_argument(
        "--bind", default="", action=_Once, metavar="ADDRESS", help="address to listen on (default: every network)"
    )

    explain = command("explain", help="show where each page, question and value comes from")
    explain.add_argument("course", nargs="?", default=".", help="course folder (default: the current folder)")
    explain.add_argument(
        "name", nargs="?", help="a page (modules/police/respond), a question id, a template or a country field"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if (
        getattr(args, "command", None) == "export"
        and args.course == Path(".")
        and len(extra) == 1
        and extra[0][:1] != "-"
    ):
        # `export gift --lang en COURSE`: argparse gave the course (optional) nothing before the options
        args.course, extra = _path(extra[0]), []
    if extra:  # said with the command's own usage (`build --langue fr`), or coursegen's when before it
        given = sys.argv[1:] if argv is None else argv
        if given.index(extra[0]) < given.index(args.command):
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        commands.choices[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "new":
            return _new(args)
        if args.command == "explain":
            return _explain(args)
        if args.command == "export":
            from .exporting import run as run_export

            _stop_on_sigterm()
            return run_export(args)
        if args.command == "grade":
            from .collect import run as run_grade

            return run_grade(args)
        if args.command == "serve":
            from .serving import run as run_serve

            return run_serve(args.folder, args.port, args.bind)
        return _build(args)
    except (CourseError, UsageError) as exc:
        return report(exc)
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("coursegen: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:  # a file that cannot be written or read (a read-only folder, a file for a folder)
        if args.debug:
            raise
        if isinstance(exc.filename, str | bytes | os.PathLike):
            where = display_path(Path(os.fsdecode(exc.filename)))
            print(f"coursegen: error: {where}: {exc.strerror or exc}", file=sys.stderr, flush=True)
        elif exc.errno == errno.ENOSPC:  # no file named: what to do
            print(
                "coursegen: error: no space left on this disk: free some space, or write to another disk (--out)",
                file=sys.stderr,
                flush=True,
            )
        elif exc.strerror:  # a device that fails: no file named
            print(f"coursegen: error: {exc.strerror}", file=sys.stderr, flush=True)
        else:
            return report(exc)
        return 2
    except Exception as exc:
        if args.debug:
            raise
        return report(exc)


def _check(args: argparse.Namespace) -> int:
    from .pipeline import prepare
    from .quizzes import report

    course, books = prepare(args.course, edition="trainer", lint=True)  # the trainer edition holds every page
    pages = sum(len(b.pages) for b in books)
    for line in report(course):
        print(line)
    for note in dict.fromkeys(note for book in books for note in book.notes):
        print(f"note: {note}")
    languages = f"{len(books)} language{'s' if len(books) != 1 else ''}"
    print(f"{display_path(course.root)}: ok ({len(course.sources)} sources, {pages} pages in {languages})")
    return 0


def _new(args: argparse.Namespace) -> int:
    from .scaffold import create

    langs = args.lang or ["fr", "en"]
    if args.folder is None:  # `new --lang fr DIR`: the folder was read as the option's last value
        from .scaffold import builtin_audiences

        audiences, languages = list(args.audience), list(args.lang or [])
        taken = None
        if languages and languages[-1] not in ("fr", "en"):
            taken = languages.pop()
        elif audiences and audiences[-1] not in builtin_audiences():
            taken = audiences.pop()
        given = (("--audience", audiences), ("--lang", languages))
        options = "".join(f" {flag} {' '.join(values)}" for flag, values in given if values)
        if taken is None:
            raise UsageError(f"give the folder to create, as in: coursegen new FOLDER{options}")
        raise UsageError(
            f"'{taken}' was read as an option's value: give the folder first, as in: coursegen new {taken}{options}"
        )
    unknown = [lang for lang in langs if lang not in ("fr", "en")]
    if unknown:
        raise UsageError(f"unknown language '{unknown[0]}' (choose from: fr, en)")
    written = create(args.folder, args.audience, langs)
    print(f"Created {display_path(args.folder)} ({len(written)} files). Next:")
    folder = _pastable(args.folder)
    print(f"  edit {_pastable(args.folder / 'country.yml')}")
    print(f"  coursegen check {folder}")
    print(f"  coursegen build {folder}")
    return 0


def _pastable(path: Path) -> str:
    """`path` as a shell reads it back, in one piece ("mon cours") and not as an option
    ("-x", which `coursegen new -- -x` makes). A name with a byte that is not UTF-8 (`n\\xe9`,
    made on a Latin-1 system) is quoted as bash and zsh read each byte back: `$'n\\xe9'`."""
    where = relative(path)
    where = f"./{where}" if where.startswith("-") else where
    if where == shown(where):
        return shlex.quote(where)
    plain = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./")
    raw = where.encode("utf-8", "surrogateescape")
    return "$'" + "".join(chr(b) if b in plain else f"\\x{b:02x}" for b in raw) + "'"


def _explain(args: argparse.Namespace) -> int:
    from .explain import explain
    from .pipeline import prepare

    folder, name = Path(args.course), args.name
    if name is None and (not args.course.strip() or not folder.is_dir()) and Path("_config.yml").is_file():
        folder, name = Path("."), args.course  # `coursegen explain NAME` inside a course folder
    if name is not None and not name.strip():
        raise UsageError("an empty name: give a page, a question id, a template or a country field")
    if not str(folder).strip() or not args.course.strip():  # `explain "" NAME`: not the current folder
        raise UsageError("an empty course folder: give the course's folder, or leave it out inside one")
    if name is None and not folder.exists():  # `explain modules/index` beside the course folder
        courses = sorted(p.name for p in Path(".").iterdir() if p.is_dir() and (p / "_config.yml").is_file())
        first, _, rest = args.course.replace("\\", "/").partition("/")
        if first in courses and rest:  # `explain c/modules/index`: the folder, then the name
            example, meant = first, rest
        else:
            example, meant = (courses[0] if len(courses) == 1 else "COURSE"), args.course
        raise UsageError(
            f"{args.course}: no such course folder; to explain a page, a question or a value, name the course "
            f"folder first (coursegen explain {example} {meant}), or run it inside the course folder"
        )
    try:
        course, _ = prepare(folder)
    except CourseError as problems:  # where things come from helps to mend them: said first
        from .loading import load_course

        loaded, _ = load_course(folder)
        found = explain(loaded, name) if loaded is not None else []
        for line in found:
            print(line, flush=True)
        raise problems from None
    lines = explain(course, name)
    if not lines:
        from .explain import closest_name

        near = closest_name(course, name) if name else None
        hint = f" (did you mean '{near}'?)" if near else ""
        # a name with a line break, or a terminal's escape: one line of text all the same
        said = "".join(c if c.isprintable() else " " for c in " ".join(shown(name).split())) if name else name
        raise UsageError(
            f"nothing named '{said}' in {display_path(course.root)}{hint} "
            "(a page such as modules/police/respond, a question id, a template or a country field)"
        )
    for line in lines:
        print(line)
    return 0


def _stop_on_sigterm() -> None:
    """SIGTERM (a `kill`, a terminal closed, a service stopped) ends a build or an export as
    Ctrl-C does, by the same handler (never inside an import, which could leave a lock
    taken and the build waiting for ever; a second one soon after not taken): its kernels
    and Jupyter Book stopped, its temporary files removed (a kernel's connection file
    holds the kernel's key), the site as it was. Without it, the process ended at once and
    left them behind."""
    signal.signal(signal.SIGALRM, _interrupted)  # the handler's "again in 10 ms"
    signal.signal(signal.SIGTERM, _interrupted)


def _build(args: argparse.Namespace) -> int:
    from . import publish, sphinxrun

    started = time.monotonic()
    if args.audience:
        args.audience = list(dict.fromkeys(args.audience))  # `--audience police police`: once
    for audience in args.audience or [] if args.course == Path(".") else []:  # no course folder given...
        if _course_folder(audience):  # ...but an audience that is one: `--audience A COURSE`
            others = " ".join(a for a in args.audience if a != audience)
            raise UsageError(
                f"'{audience}' is a course folder, read as an audience: give the folder first, "
                f"as in: coursegen build {audience} --audience {others or 'A'}"
            )
    check_folder(args.course)  # before its output folder, which it holds by default
    out = (args.out or args.course / "build").resolve()
    outside_inputs(out, args.course, "the build's own pages")
    served_alone(out, args.course)
    output_folder(out, make=False)  # made by the build: a course with problems leaves none
    _stop_on_sigterm()  # (the watch's too)
    if args.watch:
        from .watching import watch

        return watch(args.course, out, lambda kernels: _build_course(args, out, time.monotonic(), kernels), args.debug)
    # What a rebuild is likely to need starts in the background, before anything else is
    # imported: Jupyter Book's imports when the course folder looks newer than its site,
    # and a kernel when the files that look newer are not only pages (a guess from file
    # times: what runs is decided by the digests).
    kernels: list[Future[Any]] = []
    changed = publish.likely_changed(args.course.resolve(), out, None if args.lang == "all" else [args.lang])
    if changed:
        sphinxrun.warm()
    from . import notebooks

    if changed and changed != {"pages"}:
        kernels.append(notebooks.start_kernel())
    try:
        return _build_course(args, out, started, kernels)
    finally:
        notebooks.discard(kernels)  # those not used


def _build_course(args: argparse.Namespace, out: Path, started: float, kernels: list[Future[Any]]) -> int:
    from . import publish

    with publish.one_build_at_a_time(out):
        return _build_into(args, out, started, kernels)


def _build_into(args: argparse.Namespace, out: Path, started: float, kernels: list[Future[Any]]) -> int:
    from . import notebooks, publish, reuse, sphinxrun
    from .assemble import RECORD, foreign_files, problems_in_log, told_once, write_book
    from .pipeline import prepare

    langs = None if args.lang == "all" else [args.lang]
    # Course files and page templates that did not change since the last build are not
    # parsed, checked and compiled again.
    # `--lang fr`: the French pages also link to the English site already published
    published = publish.published_pages(out, langs) if langs else None
    # a clean build (nothing built in `out` yet) starts with an empty cache
    fresh = not any(out.glob("*/_build")) and not any(out.glob(f"*/{RECORD}"))
    cache = reuse.folder_for(out, fresh)
    with reuse.reusing(cache):
        course, books = prepare(args.course, langs, args.audience, args.edition, published=published)
        folders = {book.lang: out / book.lang for book in books}
        for book in books:
            foreign = foreign_files(folders[book.lang])
            if foreign:
                if fresh:  # no cache kept for a folder that was not built into
                    shutil.rmtree(cache, ignore_errors=True)
                raise UsageError(
                    f"{display_path(folders[book.lang])}: holds files that coursegen did not write "
                    f"({', '.join(foreign[:3])}{', …' if len(foreign) > 3 else ''}): "
                    "choose a new or empty output folder (--out), or move those files"
                )
    for book in books:
        count = write_book(book, folders[book.lang], execute=False)
        print(
            f"[{book.lang}] {len(book.pages)} pages rendered, {count} file(s) updated in {display_path(folders[book.lang])}"
        )
    for note in dict.fromkeys(note for book in books for note in book.notes):
        print(f"note: {note}")
    if not all(publish.up_to_date(folders[b.lang], b) for b in books):
        sphinxrun.warm()  # if not started above
    # The notebooks that changed are executed (on every core) while Jupyter Book starts and
    # reads every other page; it reads the notebooks last, once they are executed. Their
    # kernels spend much of their time waiting on messages: Jupyter Book fills that time.
    stale = {b.lang: notebooks.stale({folders[b.lang] / rel: nb for rel, nb in b.notebooks.items()}) for b in books}
    todo = {path: nb for lang in stale for path, nb in stale[lang].items()}
    notebooks.write_placeholders(todo)
    # Each language's Jupyter Book run reads its notebooks as soon as they are all written
    # (they are run in the order of their paths, one language's before the other's; with
    # several kernels, a language waits for every kernel that runs one of its notebooks).
    ready = {lang: sphinxrun.Signal() for lang, paths in stale.items() if paths}
    waiting = {lang: set(paths) for lang, paths in stale.items() if paths}
    lock = threading.Lock()

    def notebook_written(path: Path) -> None:
        with lock:
            for lang, paths in waiting.items():
                if path in paths:
                    paths.discard(path)
                    if not paths:
                        ready[lang].give()

    # The sites are published once every notebook is executed: a failure leaves them all.
    cancel = threading.Event()
    running: list[tuple[str, Path, publish.SiteBuild]] = []
    with ThreadPoolExecutor(max_workers=1) as background:
        try:
            # write_all shuts down the kernels it is given; with no notebook to run, they
            # are kept (for the next build, when watching). Ctrl-C is held until its thread
            # has started: one that came as it started left it unawaited and not cancelled
            # (it ran every notebook before the command could end).
            with notebooks.signals_held():
                early, kernels[:] = (kernels[:], []) if todo else ([], kernels)
                execution = background.submit(
                    notebooks.write_all, todo, os.cpu_count() or 2, notebook_written, early, cancel
                )
            for book in books:
                folder = folders[book.lang]
                pending = [path.relative_to(folder).with_suffix("").as_posix() for path in stale[book.lang]]
                # Ctrl-C is held while the run starts (it waits for the fork server's imports),
                # as in an export: one that came as the run's data was sent left the run
                # without it (its traceback on the terminal), or a run that nothing stopped
                with notebooks.signals_held():
                    run = publish.start(folder, book, pending, ready.get(book.lang))
                    running.append((book.lang, folder, run))
                if run.process is None:
                    print(f"[{book.lang}] the site is up to date")
                else:
                    print(f"[{book.lang}] building HTML with Jupyter Book (-W -n --keep-going)…", flush=True)
            executed = notebooks.awaited(execution)  # Ctrl-C seen at once
        except BaseException:
            cancel.set()  # no further notebook (after a failure, or Ctrl-C)
            for _, _, run in running:
                run.stop()
            raise
    built = {book.lang: book for book in books}
    failed = False
    problems: list[str] = []  # path:line:col: message [code], as every problem; once if in both languages
    try:
        if executed:
            print(f"executed {executed} quiz notebook(s)")
        # The languages publish together, once each is built: a language that fails leaves
        # every site as it was, and a Ctrl-C never leaves one language published alone.
        publish.publish_together([run for _, _, run in running])  # False: a run failed, said below
        for lang, folder, run in running:
            if not run.wait():
                failed = True
                if run.site_built() and not (run.go is not None and run.go.given):
                    print(f"[{lang}] built, not published: the languages publish together; {_kept(folder)}")
                    continue
                if run.not_staged:  # the run said why, on the terminal
                    print(f"[{lang}] built, but not published: {_kept(folder)}")
                    continue
                if run.site_built():
                    print(f"[{lang}] built, but its publication failed; log: {display_path(run.log)}")
                    continue
                print(f"[{lang}] Jupyter Book failed; the previous site is unchanged; log: {display_path(run.log)}")
                problems += problems_in_log(folder, built[lang], limit=50, settings=args.course / "_config.yml")
            elif run.process is not None:
                print(f"[{lang}] done")
    except BaseException:  # Ctrl-C, or SIGTERM while watching: no run goes on alone
        for _, _, run in running:
            run.stop()
        raise
    if failed and problems:  # what `check` tells better, at the same place: in its words
        problems = _in_checks_words(problems, course, [built[lang] for lang, _, run in running if not run.site_built()])
    full = failed and any(os.strerror(errno.ENOSPC) in line for line in problems)
    if full:  # a line per file: said once
        problems = [
            f"{display_path(out)}:1:1: no space left on this disk: a build needs about 20 MB for each language in "
            f"its output folder; free some space, or build to another disk (--out) [{Code.NO_SPACE.value}]"
        ]
    told = told_once(problems)  # a problem of both languages (of their settings): once
    for line in told:
        print(line, file=sys.stderr)
    if failed:
        counted = [line for line in told if line.endswith("]")]  # problems, not a note on the log
        if counted:  # as `check`, and a build that stops before Jupyter Book, end
            print(f"{len(counted)} problem(s) found.", file=sys.stderr, flush=True)
        return 2 if full else 1  # a full disk: nothing in the course is wrong
    if langs:
        _links_left_dangling(out, langs)
    print(f"Built in {time.monotonic() - started:.1f} s. Open:")
    for lang, folder, _ in running:
        print(f"  {lang}: {display_path(folder / '_build' / 'html' / 'index.html')}")
    return 0


def _kept(folder: Path) -> str:
    """What a language that was not published left: its site as it was, or none yet."""
    published = (folder / "_build" / "html" / "index.html").is_file()
    return "the previous site is unchanged" if published else "no site was published yet"


def _links_left_dangling(out: Path, langs: list[str]) -> None:
    """After a build of some languages only: the pages of another language, published
    before, that link to a page of these that this build left out (`--lang en --audience
    police` after a build of every part: the French pages of the other parts linked to
    English pages no longer published). Said, with what to do: those sites were left alone."""
    from . import publish

    published = publish.published_pages(out, [])
    for other, pages in sorted(published.items()):
        if other in langs:
            continue
        site = out / other / "_build" / "html"
        for lang in langs:
            gone = [
                page
                for page in sorted(pages - published.get(lang, set()))
                if f"{lang}/_build/html/{page}.html" in (site / f"{page}.html").read_text("utf-8", "replace")
            ]
            if gone:
                listed = ", ".join(gone[:3]) + (", …" if len(gone) > 3 else "")
                print(
                    f"note: {len(gone)} page(s) of the {other} site link to {lang} pages this build left out "
                    f"({listed}): build {other} too, with the same options (--lang all)"
                )


# What Jupyter Book says of the problems that `check` also tells, in its own words and with
# what to do (a build does not look for them first: a page without any costs nothing more)
_CHECKS_WORDS = re.compile(r"Non-consecutive header level increase|Unknown (?:directive type|interpreted text role)")


def _in_checks_words(problems: list[str], course: Course, books: list[Book]) -> list[str]:
    """`problems`, Jupyter Book's, with those that `check` tells at the same page and line
    (a heading that skips a level, an unknown directive or role) in `check`'s words."""
    from .validation import heading_jumps, unknown_directives

    if not any(_CHECKS_WORDS.search(line) for line in problems):
        return problems
    ours = [*(d for book in books for d in heading_jumps(book.pages)), *unknown_directives(course)]
    places = {f"{display_path(d.ref.path)}:{d.ref.line}:" for d in ours}
    theirs = [line for line in problems if not (_CHECKS_WORDS.search(line) and line.startswith(tuple(places)))]
    return [*dict.fromkeys(str(d) for d in ours), *theirs]


GRACE = 5.0
"""Seconds after a Ctrl-C during which another is not taken (see `_interrupted`)."""

_first_interrupt: float | None = None


def _interrupted(signum: int, frame: FrameType | None) -> None:
    """Ctrl-C: KeyboardInterrupt, as with Python's own handler, but never inside Python's
    import machinery. Raised there while another thread imports too (a kernel starts as the
    course is read), it can leave the interpreter's import lock taken for good: the other
    thread then waits for ever, and the build hangs instead of stopping (seen about once in
    sixty Ctrl-C's in the first second of a build). There, it is raised 10 ms later.

    Once raised, the command is stopping: it stops Jupyter Book and the kernels, and takes
    away what it was making. Ctrl-C pressed again within GRACE seconds (several presses at
    once) is not taken: it interrupted that, and left a run that nothing stopped, which
    the command then waited for, for ever, or a SCORM export's site behind. Pressed later,
    it stops the command at once."""
    global _first_interrupt
    if _first_interrupt is not None:
        if time.monotonic() - _first_interrupt < GRACE:
            return
        os.write(2, b"coursegen: interrupted again: stopped at once\n")
        os._exit(130)
    inner = frame
    while inner is not None:
        if inner.f_code.co_filename.startswith("<frozen importlib"):
            signal.setitimer(signal.ITIMER_REAL, 0.01)  # SIGALRM: here again
            return
        inner = inner.f_back
    _first_interrupt = time.monotonic()
    raise KeyboardInterrupt


def run(interruptible: bool | None = None) -> None:
    """Run the command with coursegen's Ctrl-C handler, unless Ctrl-C is ignored (a command
    started in the background by a script), which stays so. `interruptible`: whether it
    was, given by `console.run`, which handles it meanwhile."""
    if interruptible is None:
        interruptible = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    if interruptible:
        signal.signal(signal.SIGALRM, _interrupted)
        signal.signal(signal.SIGINT, _interrupted)
    code = main()
    # The command is done, and has said so: Ctrl-C now would only interrupt Python's way
    # out, after its handler is put back to the system's, which kills the process (status
    # -2 for the caller, whose file was written). Ignored handlers are left as they are.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # What the command made goes away with the process. Out of the garbage collector's
    # sight, it is not scanned again on the way out: Python's own shutdown then takes a
    # hundredth of a second instead of a tenth after a build.
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
