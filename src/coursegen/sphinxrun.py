"""Jupyter Book runs, forked from a process that has already imported Jupyter Book.

A Jupyter Book run used to spend most of a small rebuild importing Sphinx, the theme and
the MyST extensions. `warm()` starts multiprocessing's fork server with `_preload.py`, so
those imports happen once, in the background, while coursegen loads and renders the
course; each language's run is then a `fork()` of that server that starts with everything
imported. Each run is still Jupyter Book's own command line (`jupyter-book build -W -n
--keep-going`), in a fresh child process. As in any multiprocessing program, a script that
calls coursegen's build from Python must guard its entry point with
`if __name__ == "__main__":` (multiprocessing runs the main script again in each child).
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import shutil
import sys
import types
from collections.abc import Iterator
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from pathlib import Path
from typing import Any

# What a Jupyter Book run imports before it reads a page: its command line, Sphinx and
# its built-in extensions, and the extensions that our _config.yml names. A module
# missing here is imported by the run itself: slower, never wrong.
PRELOAD = (
    "jupyter_book.cli.main",
    "jupyter_book.sphinx",
    "jupyter_book.config",
    "sphinx.application",
    "sphinx.search.en",
    "sphinx.search.fr",
    "sphinx.ext.mathjax",
    "myst_parser.sphinx_ext",
    "myst_nb.sphinx_ext",
    "myst_nb.core.render",
    "sphinx_book_theme",
    "pydata_sphinx_theme",
    "sphinx_comments",
    "sphinx_external_toc",
    "coursegen.sphinxext",
    "coursegen.console",  # each child runs the `coursegen` script again, as multiprocessing does
    "coursegen.cli",
    # What the extensions import as they are set up, or later in a run:
    "sphinx_external_toc.api",
    "sphinx_external_toc.collectors",
    "sphinx_external_toc.events",
    "sphinx_external_toc.parsing",
    "sphinx_multitoc_numbering",
    "myst_nb.ext.glue.directives",
    "myst_nb.ext.glue.domain",
    "myst_nb.ext.glue.roles",
    "myst_nb.ext.execution_tables",
    "myst_parser.sphinx_ext.directives",
    "myst_parser.sphinx_ext.mathjax",
    "myst_parser.sphinx_ext.myst_refs",
    "sphinx.builders.html.transforms",
    "sphinx.builders.latex.transforms",
    "docutils.languages.en",
    "docutils.languages.fr",
    "docutils.parsers.rst.languages.en",
    "docutils.parsers.rst.languages.fr",
    "jinja2.ext",
    "xml.dom.minidom",  # by docutils, 50 ms
)


# MyST-NB imports, as it starts, the parts of jupyter-cache that its "cache" and "force"
# execution modes use, and with them SQLAlchemy: a third of the preload's time, for code
# our books do not run (coursegen executes the notebooks itself, and Jupyter Book's own
# execution is off unless a course turns it on). While MyST-NB is imported, these modules
# are stood in for: each name MyST-NB takes from them is a stand-in that imports the real
# module the first time it is used (called, or one of its attributes read).
# Also stood in for, with jupyter_client and nbclient behind them: MyST-NB's "inline"
# execution mode, and the kernel list that Jupyter Book's `myst init` command reads. And
# Requests (with urllib3, a hundred modules, a twelfth of the preload's time), which the
# theme imports to fetch a version switcher's list from the network, and Sphinx's
# intersphinx to fetch inventories: never in a build that `check` lets through, which
# loads nothing from the network (offline.py).
DEFERRED = (
    "jupyter_cache.base",
    "jupyter_cache.cache.db",
    "jupyter_cache.executors.utils",
    "myst_nb.core.execute.inline",
    "jupyter_client.kernelspec",
    "requests",
    "requests.exceptions",
    "sphinx.util.requests",
)


class StandIn:
    """A name taken from a deferred module: the real object, imported when first used."""

    def __init__(self, module: str, name: str) -> None:
        self.where = (module, name)

    def real(self) -> Any:
        module, name = self.where
        return getattr(importlib.import_module(module), name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.real()(*args, **kwargs)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.real(), attr)


class _Deferred(types.ModuleType):
    def __getattr__(self, name: str) -> StandIn:
        if name.startswith("__"):  # what the import system asks a module
            raise AttributeError(name)
        return StandIn(self.__name__, name)


@contextlib.contextmanager
def deferring(names: tuple[str, ...]) -> Iterator[None]:
    """Stand in for the modules `names` (those not imported yet) until the block ends;
    afterwards, importing one of them imports the real module."""
    stand_ins = {name: _Deferred(name) for name in names if name not in sys.modules}
    sys.modules.update(stand_ins)
    try:
        yield
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


def _import(names: tuple[str, ...]) -> None:
    for name in names:
        # a missing optional piece is fine: the run imports what it really needs
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def preload() -> None:
    """Import everything a run needs (in the fork server, once: see `_preload.py`)."""
    from sphinx.application import builtin_extensions

    names = (*PRELOAD, *builtin_extensions)
    try:
        with deferring(DEFERRED):
            _import(names)
    except Exception:  # noqa: BLE001 - a module that uses those names as it is imported:
        _import(names)  # Python forgot it as it failed; with the real modules now, it imports
    # Fill, once, the module-level caches every run would fill again: soupsieve's compiled
    # CSS selectors (the theme selects in each page's table of contents) and the compiled Pygments
    # lexers (code cells and their outputs). Any failure here only means a colder start.
    with contextlib.suppress(Exception):
        import soupsieve

        for selector in (".toc-h1", ".toc-h2"):  # the page's contents (our own navigation needs none)
            soupsieve.compile(selector)
    # nbformat's validator, compiled (by fastjsonschema) the first time a notebook is read:
    # MyST-NB reads each notebook through nbformat. And the Pygments styles that the theme
    # lists at the end of each run, which imports every one of them.
    with contextlib.suppress(Exception):
        import nbformat

        nbformat.reads(nbformat.writes(nbformat.v4.new_notebook()), as_version=4)
    with contextlib.suppress(Exception):
        from pygments.styles import get_all_styles

        list(get_all_styles())
    with contextlib.suppress(Exception):
        from myst_nb.core.lexers import AnsiColorLexer
        from sphinx.highlighting import PygmentsBridge

        bridge = PygmentsBridge("html")
        for lang in ("python", "ipython3", "default", "none"):
            bridge.highlight_block("x = 1\n", lang)
        AnsiColorLexer().get_tokens("x\n")


def context() -> ForkServerContext:
    """The multiprocessing context the runs are forked from."""
    ctx = multiprocessing.get_context("forkserver")  # POSIX only, like the rest of the build
    ctx.set_forkserver_preload(["coursegen._preload"])
    return ctx


def warm() -> None:
    """Start the fork server now (it imports Jupyter Book in the background).

    Ctrl-C in a terminal interrupts every process of the command. The fork server is
    started with it blocked, as multiprocessing starts its resource tracker (first, here:
    it unblocks Ctrl-C once its tracker is started), so that one pressed while the server
    starts does not print its traceback under coursegen's "interrupted": the server ignores
    it once started (see `_preload.py`), and leaves when coursegen does. coursegen itself
    gets it as soon as the server is started: nothing is lost."""
    import signal
    from multiprocessing import forkserver, resource_tracker

    context()
    resource_tracker.ensure_running()
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        forkserver.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def command(folder: Path) -> list[str]:
    """Jupyter Book's arguments for one language's book: warnings are errors, every
    problem is reported, and the output goes to `.work/` (see publish.py)."""
    from .publish import WORK

    return ["build", str(folder), "-W", "-n", "--keep-going", "--path-output", str(folder / WORK)]


class Signal:
    """What coursegen tells one forked run, once: "your notebooks are executed", "publish".
    A pipe of its own: telling never blocks, whatever became of the run (a multiprocessing
    Event's `set` waits for ever for a waiting process that was killed: Ctrl-C stopped
    the runs, and then the next notebook written hung the build), and the run tells the
    signal from coursegen's end, killed or not, which closes the pipe. A run is given the
    reading end only."""

    def __init__(self) -> None:
        reader, writer = context().Pipe(duplex=False)
        self._reader = reader
        self._writer: Connection | None = writer
        self._given = False

    def give(self) -> None:
        """In coursegen: tell the run, once (nothing happens if it is gone)."""
        if not self._given and self._writer is not None:
            with contextlib.suppress(OSError):
                self._writer.send_bytes(b"go")
            self._given = True

    @property
    def given(self) -> bool:
        return self._given

    def close(self) -> None:
        """In coursegen: never tell. A run waiting for the signal sees coursegen's end of
        the pipe closed, and stops (what it was told before stays told)."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def __getstate__(self) -> dict[str, Any]:
        return {"_reader": self._reader, "_writer": None, "_given": False}

    def wait(self, gone: str) -> None:
        """In the run: wait until told; raise RuntimeError(gone) if coursegen ends first."""
        if self._given:
            return
        try:
            self._reader.recv_bytes()
        except EOFError:
            raise RuntimeError(gone) from None
        self._given = True


class Reply:
    """What a forked run tells coursegen, once: "my site is built". A pipe of its own, of
    which the run holds only the writing end; coursegen tells a run that ended without
    telling (Jupyter Book failed, or the run was stopped) from the run's sentinel."""

    def __init__(self) -> None:
        self._reader, self._writer = context().Pipe(duplex=False)
        self._told: bool | None = None

    def __getstate__(self) -> dict[str, Any]:  # the run gets the writing end only
        return {"_reader": None, "_writer": self._writer, "_told": None}

    def give(self) -> None:
        """In the run: tell coursegen."""
        self._writer.send_bytes(b"built")

    def started(self) -> None:
        """In coursegen, once the run has started with its end: close coursegen's copy."""
        self._writer.close()

    def wait(self, sentinel: int) -> bool:
        """In coursegen: True once the run has told, False if it ended without telling."""
        if self._told is None:
            from multiprocessing.connection import wait

            wait([self._reader, sentinel])
            try:
                self._told = self._reader.recv_bytes() == b"built"  # or EOF: ended without telling
            except (EOFError, OSError):
                self._told = False
        return self._told


class Gate:
    """In a forked run started before its notebooks are executed: the documents (the
    notebooks) that Sphinx must read only once `ready` is given. The run reads every other
    page meanwhile (sphinxext.py holds the hooks), so the start of Jupyter Book overlaps
    the notebooks' execution, whose kernels spend much of their time waiting."""

    def __init__(self, docnames: list[str], ready: Signal) -> None:
        self.docnames = set(docnames)
        self.ready = ready

    def wait(self) -> None:
        self.ready.wait("coursegen stopped before the notebooks were executed")


GATE: Gate | None = None  # set in a forked run only


def _why(exc: OSError) -> str:
    """What stopped a copy, in one line: the first file's error of a `shutil.Error` (one
    per file that could not be copied, with their paths: 26 KB on a full disk)."""
    import errno

    from .errors import display_path

    full = os.strerror(errno.ENOSPC)
    if exc.errno == errno.ENOSPC or (isinstance(exc, shutil.Error) and full in str(exc.args[:1])):
        return "no space left on this disk: free some space, or use another disk (--out)"
    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        first = exc.args[0][0]
        more = f", and {len(exc.args[0]) - 1} other file(s)" if len(exc.args[0]) > 1 else ""
        if isinstance(first, tuple) and len(first) == 3:
            return f"{first[2]}: {display_path(Path(first[1]))}{more}"
    return f"{exc.strerror or exc}" + (f": {display_path(Path(exc.filename))}" if exc.filename else "")


def run(
    folder: str,
    log: str,
    stamp: str,
    pending: list[str] | None = None,
    ready: Signal | None = None,
    go: Signal | None = None,
    built: Reply | None = None,
) -> None:
    """The body of a forked run: Jupyter Book's command line, its output into `log`;
    then, if it succeeded, the site published (see publish.py) with `stamp`, here, once
    coursegen gives `go` (if given): when every notebook of the build is executed and
    every language's run has told coursegen, through `built`, that its site is built. From
    then on Ctrl-C and SIGTERM wait until the site is published: once told "go", every
    language publishes, or (coursegen gone before) none. `pending` names the documents to
    read only once coursegen gives `ready`. Exits with Jupyter Book's status."""
    global GATE
    if pending and ready is not None:
        GATE = Gate(pending, ready)
    try:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    except OSError:  # its folder taken away as it started (coursegen stopped, by Ctrl-C): nothing to build
        os._exit(1)
    sys.stdout.flush()
    sys.stderr.flush()
    terminal = os.dup(2)  # where a site that cannot be published is told (its log may be what cannot be written)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    from jupyter_book.cli.main import main

    from .errors import display_path
    from .publish import BUILDING, NOT_STAGED, WORK, stage, switch

    try:
        main(command(Path(folder)), prog_name="jupyter-book")
    except SystemExit as exc:  # how a command line ends
        if exc.code not in (0, None):
            raise
    # Nothing is published unless the whole build succeeds: a notebook that fails (of
    # either language) stops this run here, and so does coursegen's end. The site is
    # copied for publication before the run says it is built: a copy that fails (a full
    # disk) leaves every language's site as it was.
    try:
        staged = stage(Path(folder))
    except OSError as exc:
        message = f"{display_path(Path(folder))}: the site could not be copied for publication ({_why(exc)})\n"
        with contextlib.suppress(OSError):
            os.write(terminal, message.encode("utf-8", "replace"))
        with contextlib.suppress(OSError):
            print(message, end="", flush=True)  # and in the log
        os._exit(NOT_STAGED)
    if go is not None:
        import signal

        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})  # until the run ends
        if built is not None:
            built.give()
        try:
            go.wait("coursegen stopped before the build was complete: nothing was published")
        except BaseException:  # not told: the copy goes (a full disk keeps no 2 MB of it)
            shutil.rmtree(staged.staging, ignore_errors=True)
            raise
    switch(staged, stamp)
    (Path(folder) / WORK / BUILDING).unlink(missing_ok=True)
