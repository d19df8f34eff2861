"""Quiz notebooks: executed, deterministic, strict `pytest --nbval`, usable programmatically."""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from queue import Empty
from typing import Any

import pytest

from conftest import FIXTURES, coursegen
from coursegen.errors import Code, CourseError
from coursegen.loading import load_course
from coursegen.notebooks import setup_code
from coursegen.quizzes import public_questions
from test_grading import FIXTURE_ITEMS, key_response

pytestmark = pytest.mark.slow


def nbval(*notebooks: Path) -> subprocess.CompletedProcess[str]:
    """Strict nbval (stored outputs compared), in a pytest of its own."""
    folder = notebooks[0].parent
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(folder),
            *map(str, notebooks),
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_one_notebook_per_quiz_and_language(site: Path) -> None:
    for lang in ("fr", "en"):
        found = sorted(p.parent.name for p in (site / lang).glob("*/quiz-notebook.ipynb"))
        assert found == ["common", "employers", "labour-inspectors", "officials", "police"]
        assert (site / lang / "_build" / "html" / "police" / "quiz-notebook.html").is_file()


def test_a_built_notebook_draws_no_widget(minimal_site: Path) -> None:
    """Built where ipywidgets is installed (as here), a notebook's `quiz.play()` drew its
    widgets: the notebook kept their state, and MyST-NB made its page load require.js and
    the widgets' manager from the network. The build draws none: the page says how to play
    in Jupyter, wherever it is built, and loads nothing for widgets."""
    import importlib.util

    assert importlib.util.find_spec("ipywidgets") is not None  # what makes this test mean something
    for lang in ("fr", "en"):
        for path in (minimal_site / lang).glob("*/quiz-notebook.ipynb"):
            nb = json.loads(path.read_text("utf-8"))
            assert "widgets" not in nb["metadata"]
            play = next(c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]) == "quiz.play()")
            assert [o["output_type"] for o in play["outputs"]] == ["stream"]
            assert "pip install ipywidgets" in "".join(play["outputs"][0]["text"])
            page = minimal_site / lang / "_build" / "html" / path.parent.name / "quiz-notebook.html"
            assert "require.min.js" not in page.read_text("utf-8") and "html-manager" not in page.read_text("utf-8")


def test_a_downloaded_notebook_holds_no_link_that_leads_nowhere(site: Path) -> None:
    """A notebook's page links to the page in the other language and to the notebook's
    file; in the file, downloaded and opened in Jupyter, those relative links led nowhere.
    The file that the page (and the header's button) downloads is the notebook without
    them, its questions, outputs and the rest of its first cell the same; its script for a
    site opened from files gives the same text. Controls: the page still has both links,
    and the notebook that the build executed (build/<lang>/) holds them."""
    from coursegen.notebooks import for_download

    for lang in ("fr", "en"):
        for built in sorted((site / lang).glob("*/quiz-notebook.ipynb")):
            html_root = site / lang / "_build" / "html"
            page = (html_root / built.parent.name / "quiz-notebook.html").read_text("utf-8")
            assert 'class="cg-lang-switch"' in page and 'class="cg-notebook-download"' in page, built
            executed = json.loads(built.read_text("utf-8"))
            text = (html_root / "_sources" / built.parent.name / "quiz-notebook.ipynb").read_text("utf-8")
            downloaded = json.loads(text)
            first, kept = "".join(executed["cells"][0]["source"]), "".join(downloaded["cells"][0]["source"])
            assert "cg-lang-switch" in first and "cg-notebook-download" in first, built
            assert "<a " not in kept and "_build/html" not in kept and "_sources" not in kept, (built, kept)
            assert kept.split("\n")[0] == first.split("\n")[0] and "quiz.show(" in kept, kept
            assert downloaded["cells"][1:] == executed["cells"][1:], built
            script = html_root / "_sources" / built.parent.name / "quiz-notebook.ipynb.js"
            assert script.read_text("utf-8") == f"cgNotebook({json.dumps(text, ensure_ascii=False)});\n"
            assert for_download(text) == text  # once is enough
    assert for_download("not a notebook") == "not a notebook"


def test_course_notebooks_pass_strict_nbval(site: Path, tmp_path: Path) -> None:
    notebooks = []
    for lang in ("fr", "en"):
        for path in sorted((site / lang).glob("*/quiz-notebook.ipynb")):
            target = tmp_path / f"{lang}-{path.parent.name}.ipynb"
            shutil.copy(path, target)
            notebooks.append(target)
    result = nbval(*notebooks)
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout and "failed" not in result.stdout


def test_nbval_fails_when_a_stored_output_is_altered(minimal_site: Path, tmp_path: Path) -> None:
    source = minimal_site / "en" / "police" / "quiz-notebook.ipynb"
    good = tmp_path / "good.ipynb"
    shutil.copy(source, good)
    assert nbval(good).returncode == 0
    nb = json.loads(source.read_text("utf-8"))
    cell = next(
        c for c in nb["cells"] if c["cell_type"] == "code" and c.get("outputs") and "show(" in "".join(c["source"])
    )
    cell["outputs"][0]["text"] = ["Question 1 (1 pt): something else\n"]
    bad = tmp_path / "bad.ipynb"
    bad.write_text(json.dumps(nb), "utf-8")
    result = nbval(bad)
    assert result.returncode != 0 and "failed" in result.stdout


def test_two_builds_give_identical_notebooks(tmp_path: Path) -> None:
    outputs = []
    for run in ("a", "b"):
        result = coursegen("build", str(FIXTURES / "minimal"), "--lang", "en", "--out", str(tmp_path / run))
        assert result.returncode == 0, result.stdout + result.stderr
        outputs.append((tmp_path / run / "en" / "police" / "quiz-notebook.ipynb").read_bytes())
    assert outputs[0] == outputs[1]
    assert b'"execution_count": 1' in outputs[0]  # stored executed


def in_a_kernel(lang: str) -> tuple[dict[str, object], int]:
    """The setup cell's namespace, as a notebook of the minimal course in `lang` runs it, and
    how many questions it asks."""
    course, _ = load_course(FIXTURES / "minimal")
    assert course is not None
    questions = public_questions(course.questions, lang)
    items = [i for q in questions for i in (q["items"] if q["type"] == "scenario" else [q])]
    namespace: dict[str, object] = {}
    exec(setup_code(items, lang), namespace)  # noqa: S102 - the notebook's own code
    return namespace, len(items)


def test_programmatic_answers_in_a_kernel_namespace() -> None:
    """The setup cell's code, run as a notebook runs it, grades like coursegen.grading."""
    namespace, _ = in_a_kernel("en")
    quiz = namespace["quiz"]
    for ident, item in FIXTURE_ITEMS.items():
        result = quiz.answer(ident, key_response(item))  # type: ignore[attr-defined]
        assert result.correct and result.score == result.max, ident
        assert repr(result).startswith("✔ Correct")
    partial = quiz.answer("t-multiple", ["a"])  # type: ignore[attr-defined]
    assert partial.score == 1.5 and repr(partial).startswith("◐ Partly correct — 1.5 / 3 points")  # as the page's
    single = quiz.answer("t-single", key_response(FIXTURE_ITEMS["t-single"]))  # type: ignore[attr-defined]
    assert repr(single).startswith("✔ Correct — 1 / 1 point\n"), repr(single)
    assert "Unknown question id" in repr(quiz.answer("nope", "a"))  # type: ignore[attr-defined]
    before = quiz.score()  # type: ignore[attr-defined]
    for ident, nothing in (("t-multiple", []), ("t-match", {}), ("t-short", "")):
        told = repr(quiz.answer(ident, nothing))  # type: ignore[attr-defined]
        assert told.startswith("⚠ No answer") and "Explanation" not in told, (ident, told)
    assert quiz.score() == before  # not counted as answered  # type: ignore[attr-defined]
    assert quiz.score().startswith("Score: ")  # type: ignore[attr-defined]
    points = namespace["_runtime"]._num  # type: ignore[attr-defined]
    assert (points(2 / 3), points(3 * 0.333333), points(1.5)) == ("0.67", "1", "1.5")  # as the book shows them


def _history(ipython_dir: Path) -> str:
    """Every input stored in the IPython history under `ipython_dir` ("" when none)."""
    import sqlite3

    db = ipython_dir / "profile_default" / "history.sqlite"
    if not db.is_file():
        return ""
    with sqlite3.connect(db) as conn:
        return "\n".join(row[0] for row in conn.execute("SELECT source_raw FROM history"))


def test_builds_stay_out_of_the_users_ipython_history(tmp_path: Path) -> None:
    ipython_dir = tmp_path / "ipython"
    env = {"IPYTHONDIR": str(ipython_dir)}
    result = coursegen("build", str(FIXTURES / "minimal"), "--lang", "en", "--out", str(tmp_path / "out"), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "out" / "en" / "police" / "quiz-notebook.ipynb").is_file()
    assert "quiz.show(" not in _history(ipython_dir)
    # The check can fail: a kernel started as Jupyter starts it keeps what it runs.
    script = (
        "from jupyter_client.manager import start_new_kernel\n"
        "km, kc = start_new_kernel(kernel_name='python3')\n"
        "kc.execute_interactive(\"quiz_show_marker = 'quiz.show('\")\n"
        "kc.stop_channels()\n"
        "km.shutdown_kernel()\n"
    )
    control = subprocess.run([sys.executable, "-c", script], env={**os.environ, **env}, capture_output=True, text=True)
    assert control.returncode == 0, control.stderr
    assert "quiz.show(" in _history(ipython_dir)


def _quiz_notebooks(tmp_path: Path) -> dict[Path, object]:
    """The minimal course's notebooks (every language), unexecuted, to be written under tmp_path."""
    from coursegen.pipeline import prepare

    _, books = prepare(FIXTURES / "minimal")
    return {tmp_path / book.lang / rel: nb for book in books for rel, nb in book.notebooks.items()}


def test_a_ready_kernel_loses_no_output_and_a_dead_one_is_reported() -> None:
    """`wait_ready` returns once IOPub is connected: the very first cell's output arrives.
    A kernel that died is reported, not waited for."""
    from coursegen.notebooks import Kernel, wait_ready

    for _ in range(3):  # a lost first output would show on some run
        kernel = Kernel()
        try:
            wait_ready(kernel.km, kernel.kc)
            reply = kernel.kc.execute_interactive("print('first')", output_hook=_collect, timeout=30)
            assert reply["content"]["status"] == "ok"
            assert _collected.pop() == "first\n"
        finally:
            kernel.shutdown()
    kernel = Kernel()
    kernel.km.signal_kernel(signal.SIGKILL)
    try:
        with pytest.raises(RuntimeError, match="died"):
            wait_ready(kernel.km, kernel.kc, timeout=10)
    finally:
        kernel.shutdown()


class _LosesFirstIdle:
    """A kernel client whose IOPub connects late: the "idle" that follows the first
    kernel_info request is lost, those of later requests arrive."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.shell: list[dict[str, Any]] = []
        self.iopub: list[dict[str, Any]] = []
        self.waited = self.waited_before_asking_again = 0.0  # seconds of IOPub timeouts asked for

    def kernel_info(self) -> str:
        if len(self.asked) == 1:
            self.waited_before_asking_again = self.waited
        msg_id = f"ask-{len(self.asked)}"
        self.asked.append(msg_id)
        parent = {"msg_id": msg_id}
        self.shell.append({"msg_type": "kernel_info_reply", "parent_header": parent, "content": {}})
        if len(self.asked) > 1:
            self.iopub.append({"msg_type": "status", "parent_header": parent, "content": {"execution_state": "idle"}})
        return msg_id

    def _handle_kernel_info_reply(self, msg: dict[str, Any]) -> None:
        pass

    def get_shell_msg(self, timeout: float) -> dict[str, Any]:
        return self._next(self.shell, timeout)

    def get_iopub_msg(self, timeout: float) -> dict[str, Any]:
        if not self.iopub:
            self.waited += timeout
        return self._next(self.iopub, timeout)

    def _next(self, queue: list[dict[str, Any]], timeout: float) -> dict[str, Any]:
        if not queue:
            time.sleep(timeout)
            raise Empty
        return queue.pop(0)


class _Alive:
    def is_alive(self) -> bool:
        return True


def test_a_lost_first_idle_is_asked_for_again() -> None:
    """The reply came but its "idle" was lost: `wait_ready` asks again (it returns only on
    the "idle" of a request it made), and does not wait out the half second it gives a
    kernel that has not replied yet."""
    from coursegen.notebooks import wait_ready

    client = _LosesFirstIdle()
    wait_ready(_Alive(), client, timeout=10)
    assert client.asked == ["ask-0", "ask-1"]
    assert client.iopub == []  # returned on the second request's "idle"
    assert 0 < client.waited_before_asking_again <= 0.1  # not the 0.5 s before a reply


_collected: list[str] = []


def _collect(msg: dict[str, object]) -> None:
    if msg["msg_type"] == "stream":
        _collected.append(msg["content"]["text"])  # type: ignore[index]


def test_notebooks_share_kernels_and_early_ones_are_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Few notebooks run in one kernel (a kernel costs more than a notebook), in the
    order of their paths; a kernel started ahead of need is the one used; `written` is
    called for each notebook once it is on disk; every kernel is shut down."""
    from coursegen import notebooks

    made: list[notebooks.Kernel] = []

    class Counted(notebooks.Kernel):
        def __init__(self) -> None:
            super().__init__()
            made.append(self)

    monkeypatch.setattr(notebooks, "Kernel", Counted)
    todo = _quiz_notebooks(tmp_path)
    assert 1 < len(todo) <= notebooks.NOTEBOOKS_PER_KERNEL
    early = notebooks.start_kernel()
    calls: list[tuple[Path, bool]] = []
    count = notebooks.write_all(todo, jobs=4, written=lambda p: calls.append((p, p.is_file())), started=[early])  # type: ignore[arg-type]
    assert count == len(todo)
    assert calls == [(path, True) for path in sorted(todo)]
    assert made == [early.result()]  # no other kernel was started
    assert not early.result().km.is_alive()
    for path in todo:
        code = [c for c in json.loads(path.read_text("utf-8"))["cells"] if c["cell_type"] == "code"]
        assert code[1]["outputs"] and code[1]["execution_count"] == 2, path  # executed


def test_a_failing_notebook_stops_the_build_and_leaves_no_kernel(tmp_path: Path) -> None:
    """Two kernels: a notebook whose cell fails raises its error, is neither written nor
    reported written, and every kernel (those started early too) is shut down."""
    from coursegen import notebooks

    todo = {
        tmp_path / copy / path.relative_to(tmp_path): nb
        for copy in ("a", "b")
        for path, nb in _quiz_notebooks(tmp_path).items()
    }
    assert len(todo) > notebooks.NOTEBOOKS_PER_KERNEL  # two kernels
    broken_path = sorted(todo)[-1]
    code = [c for c in todo[broken_path].cells if c.cell_type == "code"]  # type: ignore[attr-defined]
    code[1]["source"] = "raise ValueError('broken on purpose')"
    early = [notebooks.start_kernel(), notebooks.start_kernel()]
    calls: list[Path] = []
    with pytest.raises(CourseError) as raised:
        notebooks.write_all(todo, jobs=2, written=calls.append, started=early)  # type: ignore[arg-type]
    [problem] = raised.value.diagnostics
    assert problem.ref.path == broken_path and problem.code is Code.NOTEBOOK_FAILED
    assert problem.message == "a cell failed when the notebook was run: ValueError: broken on purpose"
    assert broken_path not in calls and not broken_path.exists()
    for future in early:
        assert not future.result().km.is_alive()


def test_a_free_kernel_takes_the_next_notebook(tmp_path: Path) -> None:
    """Two kernels, the first notebook waiting until every other one is written: the
    other kernel runs them all meanwhile (with the notebooks dealt out in turn, the waiting
    one's kernel would hold the third, and the wait would end at its time limit)."""
    from coursegen import notebooks

    todo = {
        tmp_path / copy / path.relative_to(tmp_path): nb
        for copy in ("a", "b")
        for path, nb in _quiz_notebooks(tmp_path).items()
    }
    assert len(todo) > notebooks.NOTEBOOKS_PER_KERNEL  # two kernels
    slow = sorted(todo)[0]
    code = [c for c in todo[slow].cells if c.cell_type == "code"]  # type: ignore[attr-defined]
    others = [str(path) for path in sorted(todo)[1:]]
    code[1]["source"] = (
        f"import os, time\nend = time.monotonic() + 60\nwhile time.monotonic() < end and not all(map(os.path.exists, {others!r})):\n"
        "    time.sleep(0.05)\ntime.sleep(0.5)"
    )
    calls: list[Path] = []
    assert notebooks.write_all(todo, jobs=2, written=calls.append) == len(todo)  # type: ignore[arg-type]
    assert calls == [*sorted(todo)[1:], slow]


def test_a_cancelled_run_executes_nothing(tmp_path: Path) -> None:
    import threading

    from coursegen import notebooks

    cancel = threading.Event()
    cancel.set()
    todo = _quiz_notebooks(tmp_path)
    assert notebooks.write_all(todo, cancel=cancel) == 0  # type: ignore[arg-type]
    assert not any(path.exists() for path in todo)


def test_an_unused_early_kernel_is_shut_down() -> None:
    from coursegen import notebooks

    early = notebooks.start_kernel()
    notebooks.discard([early])
    assert not early.result().km.is_alive()


def _kernel_class(kernel: object) -> str:
    """The class of the kernel and of its cell compiler, whether it loaded the debugger
    (pydevd, by debugpy), its sleep after each cell and the class of its printed text, as
    the kernel itself tells."""
    code = (
        "import sys; k = get_ipython().kernel; "
        "print(type(k).__name__, type(get_ipython().compile).__name__, 'pydevd' in sys.modules, k._execute_sleep, "
        "type(sys.stdout).__name__)"
    )
    _collected.clear()
    kernel.kc.execute_interactive(code, output_hook=_collect, timeout=30)  # type: ignore[attr-defined]
    return "".join(_collected).strip()


def test_the_build_kernel_runs_on_this_python_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On this Python, the notebooks run in IPython's kernel with IPython's own compiler
    and no debugger; a "python3" kernel of the user's own, on another Python, is started
    as it is (with them: the checks can fail)."""
    import ipykernel
    import zmq

    from coursegen.notebooks import Kernel, wait_ready

    kernel = Kernel()
    try:
        wait_ready(kernel.km, kernel.kc)
        # ipykernel 6 imports its debugger before the kernel's class: only 7 goes without
        debugger = ipykernel.version_info < (7,)
        assert _kernel_class(kernel) == f"BuildKernel CachingCompiler {debugger} 0.0 BuildOutStream"
        assert kernel.kc.iopub_channel.socket.getsockopt(zmq.RECONNECT_IVL) == 10
    finally:
        kernel.shutdown()
    other = tmp_path / "bin" / "python"  # "another Python" (this one, under another name)
    other.parent.mkdir()
    other.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    other.chmod(0o755)
    spec = tmp_path / "kernels" / "python3" / "kernel.json"
    spec.parent.mkdir(parents=True)
    argv = [str(other), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec.write_text(json.dumps({"argv": argv, "display_name": "Python 3", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    kernel = Kernel()
    try:
        assert kernel.km.kernel_spec.argv[0] == str(other)  # type: ignore[union-attr]
        wait_ready(kernel.km, kernel.kc)
        assert _kernel_class(kernel) == "IPythonKernel XCachingCompiler True 0.0005 OutStream"
    finally:
        kernel.shutdown()


# Printed text on both streams and displayed values, in turns, over more than 0.2 s: the
# stream's own timed flush (ipykernel flushes printed text every 0.2 s) comes during the cell.
INTERLEAVED = """\
import sys, time
from IPython.display import display
for i in range(3):
    print("out", i)
    print("err", i, file=sys.stderr)
    display(f"shown {i}")
    for _ in range(10):
        print(".", end="")
        time.sleep(0.01)
print("end")
"""


def _in_order(kernel: Any, code: str) -> list[tuple[str, str]]:
    """The outputs of running `code`, in the order the client got them, with text that
    came in several messages in a row on the same stream put together."""
    got: list[tuple[str, str]] = []

    def hook(msg: dict[str, Any]) -> None:
        content = msg["content"]
        if msg["msg_type"] == "stream":
            if got and got[-1][0] == content["name"]:
                got[-1] = (content["name"], got[-1][1] + content["text"])
            else:
                got.append((content["name"], content["text"]))
        elif msg["msg_type"] in ("display_data", "execute_result"):
            got.append((msg["msg_type"], content["data"]["text/plain"]))

    reply = kernel.kc.execute_interactive(code, output_hook=hook, timeout=30)
    assert reply["content"]["status"] == "ok"
    return got


def test_the_build_kernel_keeps_printed_and_displayed_outputs_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """The build kernel's stream skips the flushes that find no text (kernel.py): a cell
    that prints on both streams and displays values, in turns, gives the same outputs, in
    the same order, as with ipykernel's own stream."""
    from coursegen import notebooks

    expected = [
        ("stdout", "out 0\n"),
        ("stderr", "err 0\n"),
        ("display_data", "'shown 0'"),
        ("stdout", "..........out 1\n"),
        ("stderr", "err 1\n"),
        ("display_data", "'shown 1'"),
        ("stdout", "..........out 2\n"),
        ("stderr", "err 2\n"),
        ("display_data", "'shown 2'"),
        ("stdout", "..........end\n"),
        ("execute_result", "3"),
    ]
    for build_kernel in (notebooks.BUILD_KERNEL, notebooks.BUILD_KERNEL[:1]):  # ours, then ipykernel's stream
        monkeypatch.setattr(notebooks, "BUILD_KERNEL", build_kernel)
        kernel = notebooks.Kernel()
        try:
            notebooks.wait_ready(kernel.km, kernel.kc)
            for _ in range(3):
                assert _in_order(kernel, INTERLEAVED + "i + 1\n") == expected
        finally:
            kernel.shutdown()


def test_the_build_kernel_keeps_up_with_a_cell_that_flushes_all_the_time() -> None:
    """Thousands of flushes with text in a row: each waits for the IOPub thread, as in
    ipykernel's stream (a stream that queued them without waiting filled the thread's
    queue and hung the kernel for good, from about 3,000)."""
    from coursegen import notebooks

    kernel = notebooks.Kernel()
    try:
        notebooks.wait_ready(kernel.km, kernel.kc)
        got: list[str] = []

        def hook(msg: dict[str, Any]) -> None:
            if msg["msg_type"] == "stream":
                got.append(msg["content"]["text"])

        reply = kernel.kc.execute_interactive(
            "for i in range(5000):\n    print(i, flush=True)\n", output_hook=hook, timeout=60
        )
        assert reply["content"]["status"] == "ok"
        assert "".join(got).endswith("4998\n4999\n")
    finally:
        kernel.shutdown()


def test_an_invalid_notebook_is_never_written(tmp_path: Path) -> None:
    """Notebooks are built without per-cell validation; writing one validates it, and a
    notebook nbformat's schema rejects is an error (nbformat alone would only log it)."""
    import nbformat

    from coursegen.notebooks import dumps

    nb = next(iter(_quiz_notebooks(tmp_path).values()))
    assert json.loads(dumps(nb))["nbformat"] == 4  # type: ignore[arg-type]
    nb.cells[0]["cell_type"] = "slide"  # type: ignore[attr-defined,index]
    with pytest.raises(nbformat.ValidationError):
        dumps(nb)  # type: ignore[arg-type]


def test_a_kernel_s_connection_file_goes_once_it_is_ready(tmp_path: Path) -> None:
    """The file with the key to a kernel's ports is removed once the kernel has read it: a
    build killed afterwards leaves none in the temporary folder (an independent check
    found six after eighteen SIGKILLs). The kernel runs on."""
    import nbformat

    from coursegen.notebooks import Kernel

    kernel = Kernel()
    try:
        connection = Path(kernel.km.connection_file)
        assert connection.is_file()
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
        kernel.write(tmp_path / "one.ipynb", nb)
        assert not connection.exists()
        kernel.write(tmp_path / "two.ipynb", nb)  # still connected
        assert "42" in (tmp_path / "two.ipynb").read_text("utf-8")
    finally:
        kernel.shutdown()


def test_a_notebook_written_meanwhile_by_another_build_is_told_written(tmp_path: Path) -> None:
    """A build waits, before Jupyter Book reads its notebooks, to be told each one is
    written. One that is up to date by the time it would be executed (another build wrote
    it) is told written all the same: else that build waited for ever."""
    from coursegen import notebooks

    nb = notebooks.build("Police", "fr", [])
    path = tmp_path / "police" / "quiz-notebook.ipynb"
    path.parent.mkdir()
    path.write_bytes(notebooks.dumps(nb))  # as executed: its inputs' hash is the notebook's own
    told: list[Path] = []
    assert notebooks.write_all({path: nb}, written=told.append) == 0
    assert told == [path]


def test_titles_and_cases_are_text_in_the_notebook() -> None:
    """An audience's title, a scenario's title and case (text from YAML) are Markdown
    text in the notebook's cells: HTML and a start that makes a heading or a list are
    shown as written (a case beginning "# " made a heading that stopped the build)."""
    from markdown_it import MarkdownIt

    from coursegen import notebooks

    scenario = {"type": "scenario", "title": "Le <b>minibus</b>", "case": "# 1 <script>x()</script>", "items": []}
    nb = notebooks.build("Police <img src=x>", "fr", [scenario])
    md = MarkdownIt("commonmark")
    html = "".join(md.render(cell.source) for cell in nb.cells if cell.cell_type == "markdown")
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "Police &lt;img src=x&gt;" in html and "<h2>Le &lt;b&gt;minibus&lt;/b&gt;</h2>" in html
    assert "<p># 1 &lt;script&gt;x()&lt;/script&gt;</p>" in html


CTRL_C_AS_A_KERNEL_STARTS = """
import os, signal, sys, threading, time
from pathlib import Path
from coursegen import notebooks
from coursegen.pipeline import prepare

_, books = prepare(Path(sys.argv[1]))
out = Path(sys.argv[2])
todo = {out / rel: nb for rel, nb in books[0].notebooks.items()}
real_start = threading.Thread.start

def start(self):
    real_start(self)
    if self.name.startswith("kernel") and sys.argv[3] == "process":
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C as Python waits for the worker to start
    elif self.name.startswith("kernel"):  # Ctrl-C that reaches the worker, which starts its kernel
        threading.Timer(0.2, signal.pthread_kill, (self.ident, signal.SIGINT)).start()

threading.Thread.start = start
try:
    notebooks.write_all(todo, jobs=1)
except KeyboardInterrupt:
    workers = [t.name for t in threading.enumerate() if t.name.startswith("kernel")]
    time.sleep(1)  # a worker left running would write its notebook by now
    print("interrupted", workers, sorted(p.name for p in out.rglob("*.ipynb")))
else:
    print("not interrupted")
"""


@pytest.mark.parametrize("to", ["process", "worker"])
def test_ctrl_c_as_a_kernels_thread_starts_leaves_no_notebook_behind(tmp_path: Path, to: str) -> None:
    """Ctrl-C as a worker's thread starts (Python waits for it, on a busy machine): the
    worker was not awaited, and wrote its notebook after the caller had taken the folder
    away (a SCORM export's site, left behind). Now every worker ends first, and writes no
    notebook once stopped. The control: the Ctrl-C comes while the thread starts, inside
    `Thread.start` (it left a worker running before the fix). A Ctrl-C that the worker
    gets, as it starts its kernel (the worker takes Ctrl-C back as it starts, and a
    signal the main thread holds goes to it: 4 runs in 100 of a slow test), was
    raised by Python, in the main thread only, once every notebook was written."""
    args = [sys.executable, "-c", CTRL_C_AS_A_KERNEL_STARTS, str(FIXTURES / "minimal"), str(tmp_path / "out"), to]
    result = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "interrupted [] []", result.stdout


def test_a_notebook_letters_the_options_in_the_order_the_site_shows_them() -> None:
    """A notebook shows the option ids a learner types: as written, the right answer was 'a'
    in most single-choice questions of the built-in banks (and the right ones the first of
    a multiple choice). The notebook lists them mixed as the site does, lettered a, b, c in
    that order, and grades the letters it shows. Control: the written ids give it away."""
    from conftest import ROOT
    from coursegen.grading import grade
    from coursegen.quizhtml import shown_order

    course, _ = load_course(ROOT)
    assert course is not None
    written = public_questions(course.questions, "en")
    shown = public_questions(course.questions, "en", notebook=True)
    items = lambda qs: [i for q in qs for i in (q["items"] if q["type"] == "scenario" else [q])]  # noqa: E731
    full = {i["id"]: i for q in course.questions for i in q.graded()}

    def first_is_right(public: list[dict[str, Any]]) -> float:
        singles = [i for i in items(public) if i["type"] == "single" and len(i["options"]) > 2]
        right = [i for i in singles if grade(i, i["options"][0]["id"]).correct]
        return len(right) / len(singles)

    assert first_is_right(written) > 0.5 and first_is_right(shown) < 0.5
    for item in items(shown):
        if item["type"] not in ("single", "multiple"):
            continue
        texts = [o["text"]["en"] for o in shown_order(item["id"], full[item["id"]]["options"])]
        assert [o["text"] for o in item["options"]] == texts
        assert [o["id"] for o in item["options"]] == list("abcdefghijklmnopqrstuvwxyz"[: len(texts)])
        right = [
            o["id"]
            for o, f in zip(item["options"], shown_order(item["id"], full[item["id"]]["options"]), strict=True)
            if f.get("correct")
        ]
        response = right[0] if item["type"] == "single" else right
        assert grade(item, response).correct, item["id"]


def test_a_french_notebook_spaces_its_colons_as_french_does(capsys: pytest.CaptureFixture[str]) -> None:
    """A French notebook prints "Question 1 (1 point) : …" and "a : …", with a space that
    keeps to its word, as the French site writes them, and so its questions and feedback
    ("frontière ?"); an English one "(1 point): …". Control: the English words, printed the
    same way, have no space before the colon."""
    course, _ = load_course(FIXTURES / "minimal")
    assert course is not None
    shown = {}
    for lang in ("fr", "en"):
        questions = public_questions(course.questions, lang, notebook=True)
        items = [i for q in questions for i in (q["items"] if q["type"] == "scenario" else [q])]
        namespace: dict[str, Any] = {}
        exec(setup_code(items, lang), namespace)  # noqa: S102 - the notebook's own code
        capsys.readouterr()
        namespace["quiz"].show("t-single")
        print(namespace["quiz"].answer("t-single", "a"))
        shown[lang] = capsys.readouterr().out
    assert re.search(r"^Question \d+ \(1 point\)\u00a0: \S", shown["fr"], re.M), shown["fr"]
    # the question's own text and the feedback too ("frontière ?" began a line on a phone)
    assert "frontière\u00a0?" in shown["fr"] and not re.search(r" [:;!?»]", shown["fr"]), shown["fr"]
    assert re.search(r"^  a\u00a0: \S", shown["fr"], re.M), shown["fr"]
    assert re.search(r"^Question \d+ \(1 point\): \S", shown["en"], re.M) and "\u00a0" not in shown["en"], shown["en"]
    assert re.search(r"^  a: \S", shown["en"], re.M), shown["en"]


def test_a_notebook_saves_answers_that_grade_reads_as_the_notebook_scored_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trainee on a laptop answers in the notebook with the labels it shows (and the
    handout prints: `B` or `b`, `{1: "A"}`, steps' letters), then `quiz.save("name")` writes
    a results file next to it, which `coursegen grade` scores as the notebook did, with no
    note of an older version (the file gives each question's version as the book does).
    `quiz.save(None)`, as the built notebook runs it, only says how, and writes nothing."""
    from coursegen.cli import main
    from coursegen.exporters import handout
    from coursegen.quizhtml import shown_order

    course, _ = load_course(FIXTURES / "minimal")
    assert course is not None
    full = {i["id"]: i for q in course.questions for i in q.graded()}
    monkeypatch.chdir(tmp_path)
    for lang in ("fr", "en"):
        questions = public_questions([q for q in course.questions if q.bank == "police"], lang, notebook=True)
        items = [i for q in questions for i in (q["items"] if q["type"] == "scenario" else [q])]
        namespace: dict[str, Any] = {}
        exec(setup_code(items, lang, "police", course.title[lang]), namespace)  # noqa: S102 - the notebook's own code
        quiz = namespace["quiz"]
        quiz.save(None)
        assert "quiz.save(" in capsys.readouterr().out and not list(tmp_path.glob("*.json"))
        for item in items:
            raw, kind = full[item["id"]], item["type"]
            if kind in ("single", "multiple"):
                right = [
                    handout.letter(i) for i, o in enumerate(shown_order(raw["id"], raw["options"])) if o.get("correct")
                ]
                response: Any = right[0] if kind == "single" else [r.lower() for r in right]
            elif kind == "match":
                letters = {c["id"]: handout.letter(i) for i, c in enumerate(raw["choices"])}
                response = {n: letters[p["answer"]] for n, p in enumerate(raw["pairs"], 1)}
            elif kind == "order":
                shown = [s["id"] for s in handout.shown_steps(raw, lang)]
                response = [handout.letter(shown.index(s["id"])).lower() for s in raw["steps"]]
            else:
                response = raw["accepted"][lang][0] if kind == "short" else raw["answer"]
            assert quiz.answer(item["id"], response).correct, (lang, item["id"], response)
        total = sum(float(i.get("points", 1)) for i in items)
        quiz.save("Zoé Martin")
        told = capsys.readouterr().out
        word = {"fr": "résultats", "en": "results"}[lang]  # the file is named in the notebook's language
        saved = tmp_path / f"{word}-police-{lang}-Zoé-Martin.json"
        assert saved.name in told and saved.is_file()
        assert code_and_scores(main, tmp_path, saved) == (0, "Zoé Martin", f"{total:g}", f"{total:g}", "")
        saved.unlink()


def code_and_scores(main: Any, tmp_path: Path, saved: Path) -> tuple[int, str, str, str, str]:
    """`coursegen grade` of one results file: its exit code, the trainee, score, maximum, notes."""
    import contextlib
    import csv
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(
            ["grade", "--lang", "en", str(saved), "--course", str(FIXTURES / "minimal"), "--out", str(tmp_path / "g")]
        )
    row = next(csv.DictReader((tmp_path / "g" / "scores.csv").read_text("utf-8-sig").splitlines()))
    notes = "\n".join(line for line in out.getvalue().splitlines() if line.startswith("note:"))
    return code, row["trainee"], row["score"], row["max"], notes


def test_a_notebook_s_step_letters_are_read_as_the_version_answered(
    tmp_path: Path, minimal_course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A trainee orders the steps in the notebook by their letters; the trainer then
    corrects the question's explanation, which shows its steps in another order: `grade`
    reads the letters as the version answered showed them (its results file gives it), and
    the answer stays right. Control: read as the edited version shows them, it is not."""
    from coursegen.cli import main
    from coursegen.collect import from_labels
    from coursegen.exporters import handout

    course, _ = load_course(minimal_course)
    assert course is not None
    raw = next(i for q in course.questions for i in q.graded() if i["id"] == "t-order")
    questions = public_questions([q for q in course.questions if q.data["id"] == "t-order"], "en", notebook=True)
    namespace: dict[str, Any] = {}
    exec(setup_code(questions, "en", "police", "c"), namespace)  # noqa: S102 - the notebook's own code
    shown = [s["id"] for s in handout.shown_steps(raw, "en")]
    letters = [handout.letter(shown.index(s["id"])).lower() for s in raw["steps"]]
    monkeypatch.chdir(tmp_path)
    assert namespace["quiz"].answer("t-order", letters).correct
    namespace["quiz"].save("Ana")
    bank = minimal_course / "quizzes" / "police.yml"
    edited = bank.read_text("utf-8").replace(
        'en: "Safety first."}\n    steps:', 'en: "Safety comes first."}\n    steps:'
    )
    assert edited != bank.read_text("utf-8")
    bank.write_text(edited, "utf-8")
    course, _ = load_course(minimal_course)
    assert course is not None
    now = next(i for q in course.questions for i in q.graded() if i["id"] == "t-order")
    assert [s["id"] for s in handout.shown_steps(now, "en")] != shown  # the edit shows another order
    assert from_labels(now, letters, "en") != [s["id"] for s in now["steps"]]  # the control
    out = tmp_path / "g"
    assert (
        main(
            [
                "grade",
                "--lang",
                "en",
                str(tmp_path / "results-police-en-Ana.json"),
                "--course",
                str(minimal_course),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    items = {r["item"]: r for r in csv.DictReader((out / "items.csv").read_text("utf-8-sig").splitlines())}
    assert items["t-order"]["facility"] == "1.000", items["t-order"]


def test_a_french_notebook_s_score_says_question_in_the_singular_below_two() -> None:
    """ "(1 questions sur 22 répondues)": a French notebook's score line, as the page's quiz,
    says one question in the singular (and none: « 0 question »), two in the plural."""
    namespace, total = in_a_kernel("fr")
    quiz = namespace["quiz"]
    said = [quiz.score()]  # type: ignore[attr-defined]
    for ident in ("t-single", "t-short"):
        quiz.answer(ident, key_response(FIXTURE_ITEMS[ident]))  # type: ignore[attr-defined]
        said.append(quiz.score())  # type: ignore[attr-defined]
    assert [s.split("(")[1] for s in said] == [
        f"0 question répondue sur {total}).",
        f"1 question répondue sur {total}).",
        f"2 questions répondues sur {total}).",
    ], said


def test_play_shows_a_question_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """`quiz.play()` shows each question with ipywidgets: its text went into an HTML widget
    as HTML, so a `<script>` or an `<img onerror=…>` written in a question's text ran in
    the learner's Jupyter, and a text with `<` or `&` showed wrong. It is shown as text."""
    import IPython.display
    import ipywidgets

    from coursegen.notebook_runtime import Quiz

    shown: list[object] = []
    monkeypatch.setattr(IPython.display, "display", lambda *widgets: shown.extend(widgets))  # the notebook's page
    prompt = 'Is <script>alert(1)</script><img src=x onerror="alert(2)"> & "R&D" a crime?'
    item = {"id": "q1", "type": "single", "prompt": prompt, "options": [{"id": "a", "text": "Yes <b>"}]}
    Quiz([item], None, "en").play()
    texts = [c for box in shown for c in box.children if isinstance(c, ipywidgets.HTML)]  # type: ignore[attr-defined]
    assert [t.value for t in texts] == [f"<b>{html.escape(prompt)}</b>"]
    assert "<script>" not in texts[0].value and "&lt;script&gt;" in texts[0].value
    radio = next(c for box in shown for c in box.children if isinstance(c, ipywidgets.RadioButtons))
    assert radio.options == (("Yes <b>", "a"),)  # a widget's labels are text already
