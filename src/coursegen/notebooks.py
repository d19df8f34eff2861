"""Quiz notebooks: one per quiz bank and language, generated with nbformat, executed with
nbclient and stored with their outputs, so that the book shows them and `pytest --nbval`
can check them strictly.

Determinism: cell ids are numbered, timings are not recorded, outputs are plain text
without ids or dates. A notebook is executed again only when its cells change (their hash
is kept in the notebook's metadata).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from queue import Empty
from typing import Any, TypeVar

import nbformat

from .errors import Code, CourseError, Diagnostic, SourceRef
from .mdtext import md_text

T = TypeVar("T")


def new_markdown_cell(source: str) -> nbformat.NotebookNode:
    """A Markdown cell, built without nbformat's per-cell schema validation (the notebook
    is validated once, when it is written)."""
    return nbformat.from_dict({"cell_type": "markdown", "metadata": {}, "source": source})


def new_code_cell(source: str, metadata: dict[str, Any] | None = None) -> nbformat.NotebookNode:
    return nbformat.from_dict(
        {"cell_type": "code", "metadata": metadata or {}, "source": source, "outputs": [], "execution_count": None}
    )


NOTEBOOK_NAME = "quiz-notebook"
COMMON_TITLE = {"fr": "Fondements communs", "en": "Common foundations"}
TITLES = {
    "fr": "Carnet Jupyter du quiz",
    "en": "Jupyter quiz notebook",
}  # for a computer, not the quiz: said in the menu
INTRO = {
    "fr": (
        "Ce carnet Jupyter reprend les questions du quiz de cette partie, avec la même correction que "
        "le livre ; il sert dans Jupyter, sur un ordinateur : sur un téléphone, répondez au quiz de la page "
        "précédente. {fetch}"
        '`quiz.show("identifiant")` affiche une question et ses réponses possibles ; '
        '`quiz.answer("identifiant", réponse)` corrige votre réponse et l\'explique ; `quiz.score()` '
        'donne votre total ; `quiz.save("Votre nom")` enregistre vos réponses dans un fichier à remettre '
        "à votre formateur ; `quiz.play()` propose un mode interactif si ipywidgets est installé."
    ),
    "en": (
        "This Jupyter notebook holds the questions of this part's quiz, graded the same way as in the "
        "book; it is for Jupyter, on a computer: on a phone, answer the quiz on the page before. {fetch}"
        '`quiz.show("id")` prints a question and its possible answers; `quiz.answer("id", response)` '
        'grades your answer and explains it; `quiz.score()` gives your total; `quiz.save("Your name")` '
        "saves your answers in a file to hand in to your trainer; `quiz.play()` offers an interactive mode "
        "when ipywidgets is installed."
    ),
}
FETCH = {
    "fr": "Pour l'utiliser, téléchargez-le ({download}) et ouvrez-le dans Jupyter. ",
    "en": "To use it, download it ({download}) and open it in Jupyter. ",
}
DOWNLOAD_BUTTON = {"fr": "bouton de téléchargement, format .ipynb", "en": "download button, .ipynb format"}
SCORE = {"fr": "Score", "en": "Score"}
SAVE = {"fr": "Remettre vos réponses", "en": "Hand in your answers"}
PLAY = {"fr": "Mode interactif", "en": "Interactive mode"}


def _source(name: str) -> str:
    return resources.files("coursegen").joinpath(name).read_text("utf-8")


def setup_code(items: list[dict[str, Any]], lang: str, quiz: str = "", course: str = "") -> str:
    """The hidden first cell: the grader and the quiz object, with the questions in their
    public form (no readable key). The questions come as one JSON string: the kernel reads
    the cell's text several times (IPython's input transformers, its check for top-level
    `await`, the compiler), and one string is read much faster than the same data written
    as Python literals, token by token."""
    return "\n".join(
        [
            "import json, sys, types",
            "",
            "def _module(name, source):",
            "    module = types.ModuleType(name)",
            "    sys.modules[name] = module",
            "    exec(compile(source, name, 'exec'), module.__dict__)",
            "    return module",
            "",
            f"_grading = _module('coursegen_grading', {_source('grading.py')!r})",
            f"_runtime = _module('coursegen_notebook', {_source('notebook_runtime.py')!r})",
            f"quiz = _runtime.Quiz(json.loads({json.dumps(items, ensure_ascii=False, sort_keys=True)!r}), _grading, "
            f"{lang!r}, {quiz!r}, {course!r})",
        ]
    )


def build(
    title: str,
    lang: str,
    questions: list[dict[str, Any]],
    decorate: Any = lambda text: text,
    course: str = "",
    quiz: str = "",
    page: str = "",
) -> nbformat.NotebookNode:
    """An unexecuted notebook for `questions` (public form, scenarios holding items);
    `decorate` may add to the first cell's Markdown (the link to the other language);
    `course` and `quiz`: the course's title and the quiz's name (its bank), which a results
    file that the notebook saves gives, as the book's do. `page`: the notebook's place in
    its book (`police/quiz-notebook`), for a link that downloads it under a name of its own
    (`quiz-police-fr.ipynb`): every quiz's notebook has the same file name, and a trainee who
    took two got `quiz-notebook (1).ipynb` from the header's download button."""
    items = [i for q in questions for i in (q["items"] if q["type"] == "scenario" else [q])]
    sep = " : " if lang == "fr" else ": "
    download = DOWNLOAD_BUTTON[lang]
    if page and quiz:
        name = f"quiz-{quiz}-{lang}.ipynb"
        source = "../" * page.count("/") + f"_sources/{page}.ipynb"
        download = f'<a class="cg-notebook-download" href="{source}" download="{name}">{name}</a>'
    intro = INTRO[lang].format(fetch=FETCH[lang].format(download=download))
    cells = [
        new_markdown_cell(decorate(f"# {TITLES[lang]}{sep}{md_text(title)}\n\n{intro}")),
        new_code_cell(
            setup_code(items, lang, quiz, course),
            metadata={"tags": ["remove-input", "remove-output"]},
        ),
    ]
    number = 0
    for q in questions:
        if q["type"] == "scenario":
            cells.append(new_markdown_cell(f"## {md_text(q['title'])}\n\n{md_text(q['case'])}"))
        level = "###" if q["type"] == "scenario" else "##"
        for item in q["items"] if q["type"] == "scenario" else [q]:
            number += 1
            cells.append(new_markdown_cell(f"{level} Question {number}"))
            cells.append(new_code_cell(f"quiz.show({item['id']!r})\nquiz.answer({item['id']!r}, None)"))
    cells.append(new_markdown_cell(f"## {SCORE[lang]}"))
    cells.append(new_code_cell("print(quiz.score())"))
    # run as built, it says how to save (None, as an answer's cell): the build writes no file
    cells.append(new_markdown_cell(f"## {SAVE[lang]}"))
    cells.append(new_code_cell("quiz.save(None)"))
    cells.append(new_markdown_cell(f"## {PLAY[lang]}"))
    # widget output carries random model ids: this one cell is not compared by nbval
    cells.append(new_code_cell("quiz.play()", metadata={"tags": ["nbval-ignore-output"]}))
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:03d}"  # numbered, never random: the notebook stays the same
    # built without nbformat's schema validation, like the cells: `dumps` validates it once
    nb = nbformat.from_dict({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells})
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["coursegen"] = {"inputs": _inputs_hash(nb)}
    return nb


# What a notebook's page says to the reader of the site only: the links to the page in the
# other language and the sentence that downloads the notebook. In the file downloaded,
# opened in Jupyter, the links lead nowhere (a site's relative addresses).
_WEB_ONLY = re.compile(
    r"\n\n<p><a class=\"cg-lang-switch\"[^\n]*</p>(?=\n)|"
    + "|".join(
        re.escape(sentence).replace(re.escape("{download}"), r'<a class="cg-notebook-download"[^<>]*>[^<>]*</a>')
        for sentence in FETCH.values()
    )
)


def for_download(text: str) -> str:
    """A notebook's file, as the site's download gives it: its first cell without what
    only a reader of the site can follow (`_WEB_ONLY`); any other file as it is."""
    # as JSON, written back as nbformat writes it (`dumps`): nbformat's reading and
    # validating of every notebook, at every build, cost a tenth of a second each
    try:
        nb = json.loads(text)
        cell = nb["cells"][0]
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    except (ValueError, TypeError, KeyError, IndexError):  # not a notebook: as it is
        return text
    first = _WEB_ONLY.sub("", source) if cell.get("cell_type") == "markdown" and isinstance(source, str) else source
    if first == source:
        return text
    cell["source"] = first.splitlines(keepends=True)
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


EXECUTED_AS = 2
"""How a build executes a notebook: changed with it, every notebook is executed again (2:
with no widget drawn, kernel.py)."""


def _inputs_hash(nb: nbformat.NotebookNode) -> str:
    cells = [(c["cell_type"], c["source"], c.get("metadata", {})) for c in nb.cells]
    return hashlib.sha256(json.dumps([EXECUTED_AS, cells], sort_keys=True).encode("utf-8")).hexdigest()[:16]


def dumps(nb: nbformat.NotebookNode) -> bytes:
    """The notebook as written to disk, validated against nbformat's schema (an invalid
    one is an error: nbformat itself would only log it)."""
    problems: dict[str, Any] = {}
    text = nbformat.writes(nb, capture_validation_error=problems)
    if problems:
        raise problems["ValidationError"]
    return (text + "\n").encode("utf-8")


def up_to_date(path: Path, nb: nbformat.NotebookNode) -> bool:
    """True when `path` holds this notebook, already executed."""
    if not path.is_file():
        return False
    try:
        stored = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return bool(stored.get("metadata", {}).get("coursegen", {}).get("inputs") == nb.metadata["coursegen"]["inputs"])


def stale(notebooks: dict[Path, nbformat.NotebookNode]) -> dict[Path, nbformat.NotebookNode]:
    """The notebooks that must be executed: not written yet, or written from other cells."""
    return {path: nb for path, nb in sorted(notebooks.items()) if not up_to_date(path, nb)}


def write_placeholders(notebooks: dict[Path, nbformat.NotebookNode]) -> None:
    """Write an unexecuted copy of each notebook not on disk yet, so that Jupyter Book can
    find it when it starts before the notebooks are executed (see cli.py). Its inputs
    hash is "pending": `up_to_date` never takes it for the executed notebook."""
    for path, nb in notebooks.items():
        if not path.exists():
            copy = nbformat.from_dict(nb)
            copy.metadata["coursegen"] = {"inputs": "pending"}
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(dumps(copy))


# A build's cells are not the user's own: they stay out of the user's IPython history
# (~/.ipython), which each build would otherwise grow by a copy of every quiz bank. The
# kernel is IPython's, with IPython's cell compiler (see kernel.py) when it runs on this
# Python (a "python3" kernel of the user's own, on another Python, runs as it is).
KERNEL_ARGS = ["--HistoryManager.enabled=False"]
BUILD_KERNEL = [
    "--IPKernelApp.kernel_class=coursegen.kernel.BuildKernel",
    "--IPKernelApp.outstream_class=coursegen.kernel.BuildOutStream",
]


def execute(nb: nbformat.NotebookNode, cwd: Path, km: Any, kc: Any) -> nbformat.NotebookNode:
    """Run every cell in the running kernel `km`, through its open client `kc`, and number
    the cells from 1, as a fresh kernel would."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        km=km,
        kernel_name="python3",
        timeout=120,
        record_timing=False,
        store_widget_state=False,  # a built page shows no widget (kernel.py), and loads no script for them
        # A cell's printed text can reach the client in one message or in several, by the
        # timing of the kernel's flushes: merged, the stored notebook is always the same.
        coalesce_streams=True,
        resources={"metadata": {"path": str(cwd)}},
    )
    # A client already connected: nbclient then skips its own handshake, which waits
    # 0.2 s for IOPub to connect each time a client is made.
    client.kc = kc
    client.execute(stderr=subprocess.DEVNULL)  # the kernel's start-up chatter is not the user's business
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell.execution_count = count
            for output in cell.outputs:
                if output.get("output_type") == "execute_result":
                    output["execution_count"] = count
    nb.metadata["language_info"] = {"name": "python"}  # drop the kernel's version details
    return nb


def wait_ready(km: Any, kc: Any, timeout: float = 120) -> None:
    """Wait until the kernel started by `km` answers `kc` on both of the channels a
    notebook's run uses: the reply to a kernel_info request on the shell channel, and
    the "idle" status that follows it on IOPub, which proves that IOPub is connected
    (outputs sent before that would be lost). Before the reply, a request is repeated
    every half second; after it, the "idle" comes at once on a connected IOPub, so one
    that does not come within 50 ms was lost to a connection not yet made, and the next
    request's is waited for. jupyter_client's own `wait_for_ready` also waits for IOPub to
    stay silent for 0.2 s: this does not."""
    deadline = time.monotonic() + timeout
    asked: set[str] = set()
    replied = False
    while True:
        asked.add(kc.kernel_info())
        wait = time.monotonic() + (0.05 if replied else 0.5)
        while time.monotonic() < wait:
            try:
                if not replied:
                    msg = kc.get_shell_msg(timeout=0.1)
                    if msg["parent_header"].get("msg_id") in asked and msg["msg_type"] == "kernel_info_reply":
                        kc._handle_kernel_info_reply(msg)  # what wait_for_ready does with it
                        replied = True
                        wait = min(wait, time.monotonic() + 0.05)
                    continue
                msg = kc.get_iopub_msg(timeout=max(0.01, wait - time.monotonic()))
            except Empty:
                continue
            if (
                msg["msg_type"] == "status"
                and msg["content"].get("execution_state") == "idle"
                and msg["parent_header"].get("msg_id") in asked
            ):
                return
        if not km.is_alive():
            raise RuntimeError("the kernel died before it replied")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the kernel did not reply in {timeout:.0f} s")


# A kernel's start costs about as much processor time as two quiz notebooks' runs: a
# build starts one kernel for every three notebooks (or fewer), up to one per core.
NOTEBOOKS_PER_KERNEL = 3


class Kernel:
    """A Python kernel started by jupyter_client, and the one client that runs notebooks
    in it, one after the other (a kernel's start-up, and a client's, cost more than a quiz
    notebook's run)."""

    def __init__(self) -> None:
        import zmq
        from jupyter_client.manager import KernelManager

        self.km = KernelManager(kernel_name="python3")
        # jupyter_client runs a kernel whose command starts with "python" (or "python3",
        # "python3.11") on this Python
        pythons = (
            "python",
            f"python{sys.version_info[0]}",
            "python{}.{}".format(*sys.version_info[:2]),
            sys.executable,
        )
        ours = self.km.kernel_spec is not None and self.km.kernel_spec.argv[:1] in [[p] for p in pythons]
        self.km.start_kernel(
            stderr=subprocess.DEVNULL, extra_arguments=[*KERNEL_ARGS, *BUILD_KERNEL] if ours else KERNEL_ARGS
        )
        try:
            self.kc = self.km.client()
            # The client connects before the kernel listens, and ZeroMQ tries again every
            # 0.1 s: a kernel that answered within that time had its first "idle" status
            # lost (the IOPub connection not made yet), which cost a third of the kernel
            # starts another request (0.25 s). Every 10 ms, the connections are made long
            # before the kernel answers.
            self.kc.context.setsockopt(zmq.RECONNECT_IVL, 10)
            # No heartbeat channel: its thread makes its socket late, and a kernel shut down
            # at once (a build that stops on bad input) made it fail there. The manager
            # knows whether the kernel is alive (jupyter_client asks it, for a client it made).
            # No stdin channel: a cell that asks for input fails at once, instead of waiting.
            self.kc.start_channels(hb=False, stdin=False)
        except BaseException:
            self.km.shutdown_kernel(now=True)
            raise
        self.ready = False

    def write(self, path: Path, nb: nbformat.NotebookNode, stop: threading.Event | None = None) -> bool:
        """Execute `nb` and write it, executed, to `path`, unless `stop` is set by then
        (False)."""
        if not self.ready:
            wait_ready(self.km, self.kc)
            self.ready = True
            # The kernel has read its connection file (with the key to its ports), and the
            # client holds what it says: removed now, it is not left in the temporary folder
            # by a build that is killed (jupyter_client would remove it at shutdown).
            with contextlib.suppress(OSError):
                os.remove(self.km.connection_file)
        path.parent.mkdir(parents=True, exist_ok=True)
        executed = execute(nb, path.parent, self.km, self.kc)
        if stop is not None and stop.is_set():
            return False
        tmp = path.with_suffix(".ipynb.tmp")
        tmp.write_bytes(dumps(executed))
        tmp.replace(path)
        return True

    def shutdown(self) -> None:
        """Stop the kernel. A failure to stop it is not the build's failure: it is left
        unsaid rather than hide the error that may have led here."""
        with contextlib.suppress(Exception):
            self.kc.stop_channels()
        with contextlib.suppress(Exception):
            self.km.shutdown_kernel(now=True)


def _own_loop(function: Callable[..., T]) -> Callable[..., T]:
    """`function`, to be run in a thread of its own, which closes at the end the event loop
    that jupyter_client's blocking calls made for that thread (nothing else closes it: its
    file descriptors would stay open as long as the process)."""

    def run(*args: Any) -> T:
        try:
            return function(*args)
        finally:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # no loop made: nothing to close
                try:
                    loop = asyncio.get_event_loop()
                except RuntimeError:
                    loop = None
            if loop is not None and not loop.is_running():
                loop.close()

    return run


def _failure(exc: Exception) -> str:
    """What went wrong with a notebook's run, in one line."""
    from nbclient.exceptions import CellExecutionError

    if isinstance(exc, CellExecutionError):
        what = f"{exc.ename}: {exc.evalue}"
        prefix = "a cell failed when the notebook was run"
    else:
        what = f"{type(exc).__name__}: {exc}"
        prefix = "the notebook could not be run"
    lines = what.strip().splitlines()
    return f"{prefix}: {lines[0] if lines else what}"


def start_kernel() -> Future[Kernel]:
    """Start a kernel in the background, ahead of need (see cli.py); give it to
    `write_all`, or to `discard`."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kernel-start")
    started = pool.submit(_own_loop(Kernel))
    pool.shutdown(wait=False)
    return started


def discard(started: list[Future[Kernel]]) -> None:
    """Shut down kernels started ahead of need; one that failed to start is no matter."""
    kernels = []
    for future in started:
        with contextlib.suppress(Exception):
            kernels.append(future.result())
    if kernels:
        with ThreadPoolExecutor(max_workers=len(kernels), thread_name_prefix="kernel-stop") as pool:
            list(pool.map(_own_loop(Kernel.shutdown), kernels))


def write_all(
    notebooks: dict[Path, nbformat.NotebookNode],
    jobs: int = 2,
    written: Callable[[Path], None] | None = None,
    started: list[Future[Kernel]] | None = None,
    cancel: threading.Event | None = None,
) -> int:
    """Execute and write the notebooks that changed, in the order of their paths, on at
    most `jobs` kernels (one per NOTEBOOKS_PER_KERNEL notebooks) that each take the next
    notebook as soon as they are free: one language's notebooks are all written first,
    and its Jupyter Book run goes on while the kernels run the other's. Kernels in
    `started` (see `start_kernel`) are used first; every kernel is shut down at the end.
    `written(path)`, if given, is called as soon as each notebook is written, from the
    thread that ran it. Once a notebook fails, or `cancel` is set, no kernel starts
    another one. The setup cell of every notebook defines everything it uses, so a
    notebook never depends on the one before it in the same kernel. Returns how many were
    executed and written."""
    started = list(started or [])
    todo = list(stale(notebooks).items())
    if written is not None:  # executed by now (by a build into the same folder): written all the same
        for path in sorted(notebooks.keys() - dict(todo).keys()):
            written(path)
    if not todo:
        discard(started)
        return 0
    jobs = max(1, min(jobs, -(-len(todo) // NOTEBOOKS_PER_KERNEL)))
    extra, started = started[jobs:], started[:jobs]
    discard(extra)
    stop = cancel if cancel is not None else threading.Event()
    done: list[Path] = []
    queue = iter(todo)  # shared by the kernels
    lock = threading.Lock()

    def worker(n: int) -> None:
        # held as its thread started (see below): the kernel it starts must not inherit that
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)
        kernel = None
        try:
            kernel = started[n].result() if n < len(started) else Kernel()
            while not stop.is_set():
                with lock:
                    task = next(queue, None)
                if task is None:
                    return
                path, nb = task
                try:
                    if not kernel.write(path, nb, stop):
                        return
                except Exception as exc:
                    raise CourseError([Diagnostic(SourceRef(path), _failure(exc), Code.NOTEBOOK_FAILED)]) from exc
                done.append(path)
                if written is not None:
                    written(path)
        except BaseException:
            stop.set()  # the other kernels run no further notebook
            raise
        finally:
            if kernel is not None:
                kernel.shutdown()

    # Every worker ends before this does, Ctrl-C or not: the caller may then take their
    # folder away (a SCORM export's site), and a worker still running would write its
    # notebook into it again. A worker is the pool's, and awaited, only once its thread has
    # started: Ctrl-C as Python waits for it to start (a busy machine) left one unawaited.
    # Signals are held meanwhile, in the main thread, where Python raises KeyboardInterrupt.
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="kernel")
    try:
        with signals_held():
            futures = [pool.submit(_own_loop(worker), n) for n in range(jobs)]
        for future in futures:
            awaited(future)
    except BaseException:
        stop.set()  # no further notebook is started, nor one running written
        raise
    finally:
        pool.shutdown(wait=True)
    return len(done)


def awaited(future: Future[T]) -> T:
    """`future.result()`, in a way that lets the main thread see Ctrl-C at once. A signal
    can reach another thread (a worker, as it takes Ctrl-C back while the main thread
    holds it); Python runs every handler in the main thread, and a main thread waiting
    for the result without a timeout saw that one only once the result came: every
    notebook executed and written, and only then "interrupted" (a slow test, 4 runs in 100).
    It sleeps between looks rather than wait on the future's condition: that wait is Python
    code over a lock, and a KeyboardInterrupt raised as it took the lock back made it release
    a lock it no longer held ("internal error: RuntimeError: release unlocked lock"), as it
    did in the watch (watching.py); a sleep is one call, which it leaves whole."""
    while not future.done():
        time.sleep(0.02)
    return future.result()


HELD = {signal.SIGINT, signal.SIGTERM, signal.SIGALRM}
"""Ctrl-C, a watch's SIGTERM, and cli.py's Ctrl-C raised again after an import."""


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """In the main thread, the signals that raise KeyboardInterrupt are held until the block
    ends, and then come."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
