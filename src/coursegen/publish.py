"""Building a language's site with Jupyter Book, and publishing it atomically.

    build/<lang>/                 the generated Jupyter Book (pages, notebooks, config)
    build/<lang>/.work/_build/    Jupyter Book's own output, rebuilt incrementally
    build/<lang>/_build/html      a symbolic link to the published site, _build/site-<n>/
    build/<lang>/_build/build.log the last Jupyter Book log

Jupyter Book runs in a child process forked from a server that has already imported it
(see sphinxrun.py). It never writes into the published site: it builds into `.work/`, and only a
build that succeeds is copied to a new `_build/site-<n>/`, then published by replacing the
`html` link in one atomic rename (by the same child, after Jupyter Book: the languages
publish at the same time). A build that fails, or is killed halfway, leaves the
previous site intact and readable. When nothing that goes into the site changed since the
published build (its digest is in `_build/.coursegen-stamp`), Jupyter Book is not started.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path

from . import __version__, sphinxrun
from .model import Book

PACKAGE = Path(__file__).resolve().parent
WORK = ".work"
STAMP = ".coursegen-stamp"  # in _build/: the digest of the published site
MANIFEST = ".coursegen-files.json"  # in _build/: the work files as they were when published
BUILDING = ".building"  # in .work/ while Jupyter Book runs: a leftover means a killed build
DOCUMENTS = ".coursegen-documents.json"  # in .work/: the pages and notebooks its output is of


def digest(book: Book) -> str:
    """Everything that goes into the site: the book's files, its notebooks, the package's
    own assets and the versions of coursegen, Jupyter Book, Sphinx, MyST and the themes."""
    h = hashlib.sha256()
    for rel, content in sorted(book.files.items()):
        h.update(rel.encode() + b"\0" + hashlib.sha256(content).digest())
    for rel, nb in sorted(book.notebooks.items()):
        h.update(rel.encode() + b"\0" + nb.metadata["coursegen"]["inputs"].encode())
    h.update(f"{own_digest()} {_engine_versions()}".encode())
    return h.hexdigest()


@functools.cache
def own_digest(package: Path = PACKAGE) -> str:
    """What coursegen itself puts into a site (in `package`, its folder): its version, its
    Sphinx extension, the quiz's HTML, its templates and assets."""
    h = hashlib.sha256(__version__.encode())
    assets = [*(p for p in package.glob("static/**/*") if p.is_file()), *package.glob("sphinx_templates/**/*.html")]
    for path in sorted([*assets, package / "sphinxext.py", package / "quizhtml.py"]):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


ENGINE = ("jupyter-book", "sphinx", "myst-nb", "myst-parser", "sphinx-book-theme", "pydata-sphinx-theme")


@functools.cache
def _engine_versions() -> str:
    """The versions of what turns a book into a site: another theme's version builds again."""
    from importlib import metadata  # here: coursegen imports this module before it starts the fork server

    return " ".join(f"{name}={metadata.version(name)}" for name in ENGINE)


@dataclass
class SiteBuild:
    """One language's Jupyter Book run, started in the background."""

    folder: Path
    stamp: str
    process: BaseProcess | None  # None: the published site is up to date
    go: sphinxrun.Signal | None = None  # given, the run publishes once Jupyter Book succeeds
    built: sphinxrun.Reply | None = None  # told by the run once Jupyter Book succeeded

    @property
    def site(self) -> Path:
        return self.folder / "_build" / "html"

    @property
    def log(self) -> Path:
        return self.folder / "_build" / "build.log"

    def site_built(self) -> bool:
        """Wait until Jupyter Book has built the site (True), or failed or was stopped."""
        if self.process is None or self.built is None:
            return True
        return self.built.wait(self.process.sentinel)

    def publish_when_done(self) -> None:
        """Let the run publish its site (every notebook of the build is executed, every
        language's site is built: see `publish_together`)."""
        if self.go is not None:
            self.go.give()

    def stop(self) -> None:
        """Stop Jupyter Book; the published site stays as it was, unless the run was told
        to publish it: then it is published first."""
        if self.process is not None:
            if self.go is not None:
                self.go.close()  # a run waiting to be told stops
            self.process.terminate()
            self.process.join()

    @property
    def not_staged(self) -> bool:
        """The run ended because its site could not be copied for publication (it said why)."""
        return self.process is not None and self.process.exitcode == NOT_STAGED

    def wait(self) -> bool:
        """Wait for the run to end: True if Jupyter Book succeeded and, when the run was
        told to (`publish_together`), the site is published."""
        if self.process is None:
            return True
        if self.go is not None:
            self.go.close()  # a run not told by now will not be
        self.process.join()
        return self.process.exitcode == 0


@contextmanager
def one_build_at_a_time(out: Path) -> Iterator[None]:
    """Within this block, no other coursegen build writes into `out`: one that starts
    meanwhile (a build typed in a terminal while another one's `--watch` rebuilds) says so
    and waits for this one to end. Two builds at once could otherwise each take the other's
    notebooks for their own and wait for ever, or tear a site out of each other's hands.
    The lock is the system's (`flock`), on a file named after `out` in the user's cache
    folder (no file in `out`, which a build with problems never makes): it goes with its
    process, even one that is killed. With no cache folder to hold it, builds are not
    kept apart, as before."""
    from . import reuse
    from .errors import display_path

    path = reuse.key_file().parent / "locks" / f"{reuse.output_key(out)}.lock"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except (OSError, RuntimeError):  # RuntimeError: no home folder
        fd = None
    try:
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print(
                    f"another coursegen build is writing into {display_path(out)}: waiting for it to end…", flush=True
                )
                fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        if fd is not None:
            os.close(fd)


def publish_together(runs: list[SiteBuild]) -> bool:
    """Once every run has built its site, tell them all to publish: the languages change
    together, or (a run failed) none does. Ctrl-C waits while they are told, so that it
    never comes between two: from then on each run publishes even on Ctrl-C (see
    sphinxrun.run). False, telling none, when a run failed."""
    import signal

    if not all(run.site_built() for run in runs):
        return False
    # Blocked here, a signal still reaches Python's handler when another thread takes it
    # (the watch's threads): whatever is raised, every run is told before it goes on.
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        for run in runs:
            try:
                run.publish_when_done()
            except BaseException:
                for other in runs:
                    other.publish_when_done()
                raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    return True


def likely_changed(course: Path, out: Path, langs: list[str] | None = None, limit: int = 20000) -> set[str]:
    """A quick guess, before anything is loaded, of what a build will have to do: the
    kinds of course files newer than the oldest site published in `out` (of `langs`, if
    given): "pages" for the Markdown pages under modules/, "other" for any other file;
    or {"all"} when no such site is published yet or the folder is too large to list
    quickly. Hidden folders and `out`
    are not looked at. It only decides what starts ahead of need (see cli.py): Jupyter
    Book's imports for any change, a kernel for changes that are not only pages. What
    runs is decided by the digests."""
    stamps = [p.stat().st_mtime_ns for p in out.glob(f"*/_build/{STAMP}") if langs is None or p.parts[-3] in langs]
    if not stamps or not course.is_dir():
        return {"all"}
    oldest = min(stamps)
    try:
        return _newer(course, out, oldest, limit)
    except OSError:  # a file gone while listed, a broken link, a folder not readable
        return {"all"}


def _newer(course: Path, out: Path, oldest: int, limit: int) -> set[str]:
    kinds: set[str] = set()
    seen = 0
    pending = [course]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                seen += 1
                if seen > limit:
                    return {"all"}
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if Path(entry.path).resolve() != out:
                        pending.append(Path(entry.path))
                elif entry.stat().st_mtime_ns > oldest:
                    rel = Path(entry.path).relative_to(course)
                    kinds.add("pages" if rel.parts[0] == "modules" and rel.suffix == ".md" else "other")
    return kinds


def _published(folder: Path, stamp: str) -> bool:
    stamp_file = folder / "_build" / STAMP
    if (
        stamp_file.is_file()
        and stamp_file.read_text() == stamp
        and (folder / "_build" / "html" / "index.html").is_file()
    ):
        os.utime(stamp_file)  # checked now: the inputs are not newer than this site
        return True
    return False


def published_pages(out: Path, skip: list[str]) -> dict[str, set[str]]:
    """The pages (paths without `.html`) of the sites published in the output folder `out`,
    by language, but for the languages in `skip`: `build --lang fr` links the French pages
    to those of the English site already there."""
    found: dict[str, set[str]] = {}
    for html in sorted(out.glob("*/_build/html")):
        lang = html.parent.parent.name
        if lang not in skip and (html / "index.html").is_file():
            found[lang] = {page.relative_to(html).with_suffix("").as_posix() for page in html.rglob("*.html")}
    return found


def documents(book: Book) -> list[str]:
    """The book's documents (pages and notebooks), as Sphinx names them."""
    return sorted({rel.rsplit(".", 1)[0] for rel in [*book.files, *book.notebooks] if rel.endswith((".md", ".ipynb"))})


def _read(path: Path) -> str | None:
    try:
        return path.read_text("utf-8")
    except OSError:
        return None


def up_to_date(folder: Path, book: Book) -> bool:
    """True when the site published in `folder` is the one `book` makes."""
    return _published(folder, digest(book))


def start(
    folder: Path, book: Book, pending: list[str] | None = None, ready: sphinxrun.Signal | None = None
) -> SiteBuild:
    """Start Jupyter Book on `folder` (already written), unless the published site is
    already the one these files make. `pending` names notebooks (as Sphinx documents)
    still being executed: Jupyter Book reads them last, once `ready` is given. The site
    is published once Jupyter Book succeeds and the run is told to (`publish_together`)."""
    stamp = digest(book)
    if _published(folder, stamp):
        return SiteBuild(folder, stamp, None)
    work = folder / WORK
    if (work / BUILDING).exists():  # the last run was killed: its output cannot be trusted
        shutil.rmtree(work)
    docs = json.dumps(documents(book))
    if work.exists() and _read(work / DOCUMENTS) != docs:
        # Pages of the last build that this one does not have (another edition, fewer
        # audiences): Sphinx would leave their HTML in its output, and it would be published.
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    (work / BUILDING).touch()
    (work / DOCUMENTS).write_text(docs, "utf-8")
    (folder / "_build").mkdir(parents=True, exist_ok=True)
    sphinxrun.warm()  # if not started yet (an export): as coursegen starts it, Ctrl-C blocked
    go, built = sphinxrun.Signal(), sphinxrun.Reply()
    process = sphinxrun.context().Process(
        target=sphinxrun.run,
        args=(str(folder), str(folder / "_build" / "build.log"), stamp, pending, ready, go, built),
        name=f"jupyter-book {folder.name}",
    )
    process.start()  # the pipes' ends the run holds are its own now
    built.started()
    return SiteBuild(folder, stamp, process, go, built)


UNREAD = {
    "locales",  # the theme's translations, which Sphinx reads as it builds (92 files)
    "webpack-macros.html",  # two of the themes' Jinja templates
    "sbt-webpack-macros.html",
    "scripts/fontawesome.js",  # Font Awesome's script, which no page loads (see sphinx_templates/)
    "scripts/fontawesome.js.LICENSE.txt",
}
"""What the themes put in `_static/` and no page loads (nor do their source maps, `*.map`,
for a developer's browser tools): left out of published sites. A trainer copies the site to
trainees' phones: this is more than half of its size (10 MB), and half of its files. Only
the themes' own files are left out: a book's own `_static/locales/` stays."""

THEMES = ("pydata_sphinx_theme", "sphinx_book_theme")


def _files_under(root: Path) -> set[str]:
    """The files in the folder `root`, at any depth, by their paths in it ("a/b.js")."""
    found: set[str] = set()
    skip = len(os.path.join(root, ""))  # the build is POSIX-only: "/" separates
    for folder, _, names in os.walk(root):
        inside = folder[skip:]
        found.update(f"{inside}/{name}" if inside else name for name in names)
    return found


def _theme_files() -> set[str]:
    """The files of the themes' static folders (which Sphinx copies into `_static/`), by
    their paths in those folders."""
    import importlib.util

    found: set[str] = set()
    for package in THEMES:
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            continue
        found |= _files_under(Path(spec.origin).parent / "theme" / package / "static")
    return found


def _stemmers() -> set[str]:
    """Sphinx's stemmers for the search (`french-stemmer.js`, `base-stemmer.js`), which it
    copies into `_static/` and also writes into `language_data.js`, the file pages load."""
    import sphinx.search

    root = Path(sphinx.search.__file__).parent
    return {p.name for folder in ("non-minified-js", "minified-js") for p in (root / folder).glob("*-stemmer.js")}


def _named(work: Path, names: set[str]) -> set[str]:
    """Of the file names `names`, those that a page of the site names."""
    named: set[str] = set()
    for path in work.rglob("*"):
        if names - named and path.suffix == ".html" and path.is_file():
            text = path.read_text("utf-8", errors="replace")
            named |= {name for name in names - named if name in text}
    return named


def _not_for_readers(work: Path) -> Callable[[str, list[str]], set[str]]:
    static = work / "_static"
    theme = _theme_files()
    stemmers = _stemmers()
    # the theme's pictures (its launch buttons' logos: Binder, Colab …): kept when named
    pictures = {Path(p).name for p in theme if p.startswith("images/")}
    pictures -= _named(work, pictures) if (static / "images").is_dir() else set()

    def ignore(folder: str, names: list[str]) -> set[str]:
        where = Path(folder)
        if where == work:  # Sphinx's record of its settings (with the paths coursegen is installed at)
            return {".buildinfo"} & set(names)
        if where != static and static not in where.parents:
            return set()
        left_out = set()
        for name in names:
            rel = (where / name).relative_to(static).as_posix()
            if (where / name).is_dir():
                if rel in UNREAD and all(f"{rel}/{p}" in theme for p in _files_under(where / name)):
                    left_out.add(name)
            elif rel in theme and (name.endswith(".map") or any(u == rel or rel.startswith(f"{u}/") for u in UNREAD)):
                left_out.add(name)  # (a theme's file in a folder that also holds a book's own)
            elif (where == static and name in stemmers) or (
                rel in theme and rel.startswith("images/") and name in pictures
            ):
                left_out.add(name)
        return left_out

    return ignore


# A run's exit status when its site could not be copied for publication (a full disk, a
# folder it may not write): nothing was published, in any language (see sphinxrun.run).
NOT_STAGED = 3


@dataclass
class Staged:
    """A site copied next to the published one, ready to replace it (`switch`)."""

    build: Path
    name: str
    staging: Path
    previous: Path | None
    older: int  # the number of the site before this layout's, if any
    current: dict[str, list[int]]


def publish(folder: Path, stamp: str) -> Path:
    """Copy the work site to a new site-<n> folder and point `_build/html` at it at once;
    remove the sites before the one it replaces (`stage`, then `switch`)."""
    return switch(stage(folder), stamp)


def stage(folder: Path) -> Staged:
    """Copy the work site next to the published one, as `_build/.site-<n>.tmp`: all that
    may fail (a full disk, a folder that may not be written) fails here, before any
    language's site is replaced; `switch` then only renames.

    A file Jupyter Book did not write again since the last publication (same size and
    time as then, recorded in _build/.coursegen-files.json), or wrote again the same, is
    not copied: the new site shares it with the published one, by a hard link, and keeps
    its time (what a browser that has it checks before reading it again). Nothing ever writes into a published
    site, so the link is as good as a copy; a small rebuild then publishes in milliseconds.
    """
    build = folder / "_build"
    work = folder / WORK / "_build" / "html"
    numbers = [int(p.name.split("-")[1]) for p in build.glob("site-*") if p.name.split("-")[1].isdigit()]
    name = f"site-{max(numbers, default=0) + 1}"
    staging = build / f".{name}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    link = build / "html"
    previous = link.resolve() if link.is_symlink() else None
    try:
        known = json.loads((build / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        known = {}
    current: dict[str, list[int]] = {}

    def copy(src: str, dst: str) -> str:
        rel = Path(src).relative_to(work).as_posix()
        info = os.stat(src)
        current[rel] = [info.st_size, info.st_mtime_ns]
        before = known.get(rel)
        if (
            previous is not None
            and before is not None
            and before[0] == info.st_size
            and (previous / rel).is_file()
            and (before == current[rel] or Path(src).read_bytes() == (previous / rel).read_bytes())
        ):  # not written again, or written again the same (Sphinx copies its style sheets each time):
            try:  # the published file, with its time, which a browser's copy is checked against
                os.link(previous / rel, dst)
                return dst
            except OSError:  # a file system without hard links: copy
                pass
        return str(shutil.copy2(src, dst))

    try:
        shutil.copytree(work, staging, copy_function=copy, ignore=_not_for_readers(work))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # a half copy takes no room on a full disk
        raise
    return Staged(build, name, staging, previous, max(numbers, default=0), current)


def _pages(site: Path) -> set[str]:
    """The HTML pages of a site, by their paths in it."""
    return {str(page.relative_to(site)) for page in site.rglob("*.html")}


def switch(staged: Staged, stamp: str) -> Path:
    """Publish a staged site: point `_build/html` at it at once, and remove the sites
    before the one it replaces."""
    build, name, previous, current = staged.build, staged.name, staged.previous, staged.current
    link = build / "html"
    staged.staging.rename(build / name)
    if link.exists() and not link.is_symlink():  # a site from before this layout
        link.rename(build / f"site-{staged.older}-old")
    tmp_link = build / ".html.tmp"
    tmp_link.unlink(missing_ok=True)
    os.symlink(name, tmp_link)
    # The stamp says which build the published site is: a build whose inputs give the same
    # digest leaves the site as it is. Killed between the atomic step and the new stamp, a
    # run left the new site under the old stamp, and a build of the old inputs took it for
    # theirs: until the new stamp is written, the stamp names no build.
    (build / STAMP).write_text("publishing")
    os.replace(tmp_link, link)  # the atomic step
    (build / STAMP).write_text(stamp)
    (build / MANIFEST).write_text(json.dumps(current, sort_keys=True), "utf-8")  # after the step: see above
    # The site just replaced stays until the next publication: a reader in the middle of
    # it (a copy to a USB stick, a server started from inside the folder) goes on reading
    # a whole site. Its unchanged files are the new site's own, hard-linked: it costs only
    # what changed. But not when it has pages that the new site leaves out (a learner build
    # after a trainer build, a part dropped): a server of the whole output folder
    # (`python3 -m http.server --directory build`) would go on serving them.
    keep = {name}
    if previous is not None and _pages(previous) <= _pages(build / name):
        keep.add(previous.name)
    for old in build.glob("site-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    return build / name
