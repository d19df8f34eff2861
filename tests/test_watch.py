"""`coursegen build --watch`, run as a user runs it: a process that rebuilds on each save."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from queue import Empty, Queue

import psutil

from test_quality import files

WATCHING = "Watching "


class Watch:
    """A `coursegen build --watch` process and the lines it prints (stdout and stderr)."""

    def __init__(self, *args: str) -> None:
        exe = Path(sys.executable).with_name("coursegen")
        self.process = subprocess.Popen(
            [str(exe), "build", *args, "--watch"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: Queue[str] = Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def until(self, text: str, timeout: float = 300) -> list[str]:
        """The lines printed up to the first that contains `text` (which it waits for)."""
        got: list[str] = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except Empty:
                raise AssertionError(f"no {text!r} in {timeout} s; printed: {self.seen}") from None
            got.append(line)
            self.seen.append(line)
            if text in line:
                return got

    def quiet(self, seconds: float) -> list[str]:
        """What is printed within `seconds`."""
        got: list[str] = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                got.append(self.lines.get(timeout=left))
            except Empty:
                break
        self.seen += got
        return got

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.reader.join(timeout=10)
        assert self.process.stdout is not None
        self.process.stdout.close()


def test_watch_rebuilds_on_each_change_and_keeps_the_site_on_bad_input(minimal_course: Path) -> None:
    """The default output folder is inside the course: the build's own files must not
    start another build; an edit does, once; bad input is reported and the site stays;
    Ctrl-C ends the watch and leaves no process behind."""
    watch = Watch(str(minimal_course), "--lang", "en")
    try:
        first = watch.until(WATCHING)
        assert any(line.startswith("Built in") for line in first), first
        site = minimal_course / "build" / "en" / "_build" / "html"
        assert watch.quiet(2) == []  # its own output did not start a build
        (minimal_course / ".notes.md").write_text("a hidden file")
        (minimal_course / "build" / "scratch.txt").write_text("in the output folder")
        assert watch.quiet(1.5) == []

        bank = minimal_course / "quizzes" / "police.yml"
        good = bank.read_text("utf-8")
        save(bank, good.replace("Does trafficking require", "WATCHED ZQ: does trafficking require"))
        edit = watch.until(WATCHING)
        assert edit[0] == f"Changed: {bank}; building again…", edit
        assert "executed 1 quiz notebook(s)" in edit and any(line.startswith("Built in") for line in edit), edit
        page = next(p for p in site.rglob("quiz-notebook.html") if "police" in p.parts)
        assert "WATCHED ZQ" in page.read_text("utf-8")
        before = files(site)

        save(bank, "items: [\n")
        bad = watch.until(WATCHING)
        assert any(re.match(rf"{re.escape(str(bank))}:\d+:\d+: .* \[yaml-syntax\]$", line) for line in bad), bad
        assert bad[-3:-1] == ["1 problem(s) found.", "The site is unchanged."], bad
        assert files(site) == before

        save(bank, good)
        fixed = watch.until(WATCHING)
        assert any(line.startswith("Built in") for line in fixed), fixed
        assert "WATCHED ZQ" not in page.read_text("utf-8")

        deadline = time.monotonic() + 60
        while not any("ipykernel" in _cmdline(c) for c in _children(watch.process.pid)):
            assert time.monotonic() < deadline, "no kernel started for the next build"
            time.sleep(0.2)
        children = _children(watch.process.pid)
        watch.process.send_signal(signal.SIGINT)
        try:
            code = watch.process.wait(timeout=60)
        except subprocess.TimeoutExpired:  # said, with what it printed, rather than the timeout alone
            raise AssertionError(
                f"the watch did not stop on Ctrl-C in 60 s; printed: {watch.seen + watch.quiet(1)}"
            ) from None
        assert code == 0, "\n".join(watch.seen + watch.quiet(1))  # text: pytest shows all of it
        assert watch.quiet(1) == ["Stopped watching."]
        _, alive = psutil.wait_procs(children, timeout=10)
        assert alive == []
    finally:
        watch.stop()


def save(path: Path, text: str) -> None:
    """Save as editors do: a new file moved over the old one (one change, never half a file)."""
    tmp = path.with_name(f".{path.name}.saving")
    tmp.write_text(text, "utf-8")
    tmp.replace(path)


def _children(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _cmdline(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:  # gone since it was listed
        return ""


STOPPED_AFTER_THE_FIRST_BUILD = """
import sys
from coursegen import cli, notebooks, watching

states = []
real = notebooks.discard

def discard(started):
    real(started)
    states.extend(future.result().km.is_alive() for future in started)

def interrupted(changes):
    raise KeyboardInterrupt  # Ctrl-C while the watch waits

notebooks.discard, watching._wait = discard, interrupted
status = cli.main(sys.argv[1:])
print("kernels shut down, alive after:", states)
sys.exit(status)
"""


def test_the_kernel_started_for_the_next_build_is_shut_down_on_ctrl_c(minimal_course: Path, tmp_path: Path) -> None:
    """An orphaned kernel may or may not stop by itself (ipykernel watches its parent):
    the watch shuts down the one it started ahead, itself."""
    args = ["build", str(minimal_course), "--lang", "en", "--out", str(tmp_path / "out"), "--watch"]
    code = STOPPED_AFTER_THE_FIRST_BUILD
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Stopped watching." in result.stdout
    assert "kernels shut down, alive after: [False]" in result.stdout, result.stdout


def test_a_change_during_a_build_makes_one_more_build(minimal_course: Path, tmp_path: Path) -> None:
    watch = Watch(str(minimal_course), "--lang", "en", "--out", str(tmp_path / "out"))
    try:
        watch.until(WATCHING)
        bank = minimal_course / "quizzes" / "police.yml"
        text = bank.read_text("utf-8")
        save(bank, text.replace("Does trafficking require", "FIRST ZQ: does trafficking require"))
        watch.until("building HTML")  # this build has read the course
        save(bank, text.replace("Does trafficking require", "SECOND ZQ: does trafficking require"))
        watch.until(WATCHING)  # the first build's end
        second = watch.until(WATCHING)
        assert second[0] == f"Changed: {bank}; building again…", second
        assert any(line.startswith("Built in") for line in second), second
        site = tmp_path / "out" / "en" / "_build" / "html"
        page = next(p for p in site.rglob("quiz-notebook.html") if "police" in p.parts)
        assert "SECOND ZQ" in page.read_text("utf-8")
        assert watch.quiet(1.5) == []  # and no further build
        watch.process.send_signal(signal.SIGTERM)  # as a service manager stops it
        assert watch.process.wait(timeout=60) == 0, "\n".join(watch.seen + watch.quiet(1))  # text: shown whole
        assert watch.quiet(1) == ["Stopped watching."]
    finally:
        watch.stop()


def _kernel_pids(pid: int) -> set[int]:
    return {c.pid for c in _children(pid) if "ipykernel" in _cmdline(c)}


def test_a_page_edit_leaves_the_kernel_started_ahead_for_the_next_build(minimal_course: Path, tmp_path: Path) -> None:
    watch = Watch(str(minimal_course), "--lang", "en", "--out", str(tmp_path / "out"))
    try:
        watch.until(WATCHING)
        deadline = time.monotonic() + 60
        while not (ahead := _kernel_pids(watch.process.pid)):
            assert time.monotonic() < deadline, "no kernel started for the next build"
            time.sleep(0.2)
        page = minimal_course / "modules" / "common" / "basics.en.md"
        save(page, page.read_text("utf-8") + "\nA PAGE EDIT ZQ.\n")
        edit = watch.until(WATCHING)
        assert not any("quiz notebook" in line for line in edit) and any(line.startswith("Built in") for line in edit)
        assert _kernel_pids(watch.process.pid) == ahead  # the same kernel, still waiting
        site = tmp_path / "out" / "en" / "_build" / "html"
        assert any("A PAGE EDIT ZQ" in p.read_text("utf-8") for p in site.rglob("basics.html"))
    finally:
        watch.stop()


def test_the_watch_stops_when_the_course_folder_is_gone(minimal_course: Path, tmp_path: Path) -> None:
    watch = Watch(str(minimal_course), "--lang", "en", "--out", str(tmp_path / "out"))
    try:
        watch.until(WATCHING)
        shutil.rmtree(minimal_course)
        assert watch.process.wait(timeout=120) == 2
        assert any("no such course folder" in line or "cannot watch" in line for line in watch.quiet(1)), watch.seen
    finally:
        watch.stop()


def test_a_watch_that_starts_on_bad_input_says_no_site_is_built_yet(minimal_course: Path, tmp_path: Path) -> None:
    """A course with a problem from the start: the watch said "The site is unchanged."
    when there was no site; it says none is built yet, and builds it once fixed."""
    bank = minimal_course / "quizzes" / "police.yml"
    good = bank.read_text("utf-8")
    bank.write_text("items: [\n", "utf-8")
    watch = Watch(str(minimal_course), "--lang", "en", "--out", str(tmp_path / "out"))
    try:
        first = watch.until(WATCHING)
        assert first[-3:-1] == ["1 problem(s) found.", "No site is built yet."], first
        save(bank, good)
        fixed = watch.until(WATCHING)
        assert any(line.startswith("Built in") for line in fixed), fixed
    finally:
        watch.stop()


def test_watch_stops_at_once_on_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "not-a-course").mkdir()
    for folder, message in (("missing", "no such course folder"), ("not-a-course", "not a course folder")):
        watch = Watch(str(tmp_path / folder))
        try:
            assert watch.process.wait(timeout=60) == 2
            printed = watch.quiet(1)
            assert any(message in line for line in printed) and not any(WATCHING in line for line in printed), printed
        finally:
            watch.stop()


def test_the_changed_files_are_named_once_without_the_temporary_ones(tmp_path: Path) -> None:
    """`sed -i` and editors write a temporary file, then move it over the file: the burst
    holds the file twice and the temporary one, which is gone. A file deleted is named."""
    from watchfiles import Change

    from coursegen.watching import _changed_names

    bank, page = tmp_path / "police.yml", tmp_path / "page.md"
    bank.write_text("x")
    burst = {
        (Change.modified, str(bank)),
        (Change.added, str(bank)),
        (Change.added, str(tmp_path / "sedAbc123")),
        (Change.deleted, str(tmp_path / "sedAbc123")),
        (Change.deleted, str(page)),
    }
    names = _changed_names(burst)
    assert [Path(n).name for n in names] == ["page.md", "police.yml"]
    only_gone = {(Change.added, str(tmp_path / "t")), (Change.deleted, str(tmp_path / "t"))}
    assert [Path(n).name for n in _changed_names(only_gone)] == ["t"]  # never an empty list
