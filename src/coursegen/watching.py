"""`coursegen build --watch`: build, then build again each time a course file changes.

A trainer editing a quiz bank or a page saves, and the site is rebuilt while they switch
to the browser. What a one-off build spends on starting up is paid once here: the fork
server keeps Jupyter Book imported between builds (see sphinxrun.py), and a kernel is
started while the watch waits, ready for the next build's notebooks. Each build is the
same as `coursegen build`: incremental, published atomically, and bad input leaves the
site as it was; its problems are printed and the watch goes on.

Changes are seen by watchfiles (inotify on Linux). Saves that come in a burst (an editor
writing a file then renaming it, a `git checkout`) make one build; a change made during a
build makes one more build after it.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from queue import Empty, SimpleQueue
from typing import Any

import watchfiles

from . import notebooks, sphinxrun
from .errors import CourseError, UsageError, check_folder, display_path, report

Build = Callable[[list[Future[Any]]], int]
"""One build, given the kernels started ahead of it (it takes those it uses)."""


class CourseFilter(watchfiles.DefaultFilter):
    """The changes that can change the site: any file in the course folder, except the
    output folder, hidden files and folders, and what editors and tools leave behind
    (watchfiles' own list: swap and backup files, caches, version control). A build
    writes thousands of files into an output folder inside the course folder: those
    are set aside first, with string comparisons only."""

    def __init__(self, course: Path, out: Path) -> None:
        super().__init__()
        self.course = str(course) + os.sep
        self.out = str(out)

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        if path == self.out or path.startswith(self.out + os.sep) or not path.startswith(self.course):
            return False
        if any(part.startswith(".") for part in path[len(self.course) :].split(os.sep)):
            return False
        return bool(super().__call__(change, path))


def _changed_names(changes: set[tuple[watchfiles.Change, str]]) -> list[str]:
    """The files a burst of changes touched, each once, without those that came and went
    in it (the temporary files that editors and `sed -i` write before a file is saved)."""
    added = {path for change, path in changes if change == watchfiles.Change.added}
    paths = {path for _, path in changes}
    kept = sorted(path for path in paths if path not in added or os.path.lexists(path))
    return [display_path(Path(path)) for path in kept or sorted(paths)]


def _watcher(course: Path, out: Path, changes: SimpleQueue[Any], stop: threading.Event) -> threading.Thread:
    """A thread that puts each burst of changes into `changes` until `stop` is set, or
    the error that stopped it (a course folder that is not there)."""

    def run() -> None:
        try:
            for burst in watchfiles.watch(
                course, watch_filter=CourseFilter(course, out), stop_event=stop, raise_interrupt=False
            ):
                changes.put(burst)
        except Exception as exc:  # noqa: BLE001 - raised again in the main thread
            changes.put(exc)

    thread = threading.Thread(target=run, name="watch", daemon=True)
    thread.start()
    return thread


def _usable(kernels: list[Future[Any]]) -> list[Future[Any]]:
    """The kernels started ahead that can still run a notebook; the others are discarded."""
    dead = [k for k in kernels if k.done() and (k.exception() is not None or not k.result().km.is_alive())]
    notebooks.discard(dead)
    return [k for k in kernels if k not in dead]


def watch(course: Path, out: Path, build: Build, debug: bool = False) -> int:
    """Build, then build again after each change, until Ctrl-C (or SIGTERM): exit status 0.
    A folder that is not a course folder stops the watch at once (status 2)."""
    check_folder(course)
    assert hasattr(sys.stdout, "reconfigure")
    sys.stdout.reconfigure(line_buffering=True)  # each line as it comes, even into a pipe
    # SIGTERM ends the watch as Ctrl-C does: cli._stop_on_sigterm, set before the watch starts
    course, out = course.resolve(), out.resolve()
    # bursts of changes (sets), or the watcher's error. A SimpleQueue: its get() is one call
    # into C, which Ctrl-C or SIGTERM (KeyboardInterrupt, raised in this thread) cannot leave
    # halfway. A Queue's get() is Python code over a lock: the KeyboardInterrupt raised
    # between the end of its timed wait and the lock taken back made its `with` release a
    # lock it no longer held ("internal error: RuntimeError: release unlocked lock", status 1).
    changes: SimpleQueue[Any] = SimpleQueue()
    stop = threading.Event()
    # The watcher first: it is in place (a few hundredths of a second) before the first
    # build has read the course, so that a file saved during that build is seen.
    thread = _watcher(course, out, changes, stop)
    sphinxrun.warm()
    kernels: list[Future[Any]] = [notebooks.start_kernel()]
    first = True
    try:
        while True:
            kernels[:] = _usable(kernels)  # a kernel that died while waiting is not handed out
            try:
                build(kernels)
            except Exception as exc:
                if debug and not isinstance(exc, CourseError | UsageError):
                    raise
                report(exc)
                built = any(out.glob("*/_build/html/index.html"))
                print("The site is unchanged." if built else "No site is built yet.", file=sys.stderr, flush=True)
                if isinstance(exc, UsageError) and (first or not course.is_dir()):  # nothing (left) to watch
                    return 2
            first = False
            kernels[:] = _usable(kernels) or [notebooks.start_kernel()]
            print(f"Watching {display_path(course)} for changes (Ctrl-C to stop)…")
            changed = _wait(changes)
            names = _changed_names(changed)
            more = f" and {len(names) - 3} more" if len(names) > 3 else ""
            print(f"Changed: {', '.join(names[:3])}{more}; building again…")
    except KeyboardInterrupt:
        print("Stopped watching.")
        return 0
    finally:
        stop.set()
        notebooks.discard(kernels)
        thread.join(timeout=2)


def _wait(changes: SimpleQueue[Any]) -> set[Any]:
    """Wait for a burst of changes, and take any other burst already waiting: all of them."""
    got: list[Any] = []
    while not got:
        try:
            got.append(changes.get(timeout=0.5))  # a timeout, so that Ctrl-C is seen in the main thread
        except Empty:
            continue
    while True:
        try:
            got.append(changes.get_nowait())
        except Empty:
            break
    for item in got:
        if isinstance(item, Exception):
            raise UsageError(f"cannot watch the course folder: {item}")
    return set().union(*got)
