"""Quiz notebooks: executed, deterministic, strict `pytest --nbval`, usable programmatically."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, coursegen
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


def test_programmatic_answers_in_a_kernel_namespace() -> None:
    """The setup cell's code, run as a notebook runs it, grades like coursegen.grading."""
    course, _ = load_course(FIXTURES / "minimal")
    assert course is not None
    questions = public_questions(course.questions, "en")
    items = [i for q in questions for i in (q["items"] if q["type"] == "scenario" else [q])]
    namespace: dict[str, object] = {}
    exec(setup_code(items, "en"), namespace)  # noqa: S102 - the notebook's own code
    quiz = namespace["quiz"]
    for ident, item in FIXTURE_ITEMS.items():
        result = quiz.answer(ident, key_response(item))  # type: ignore[attr-defined]
        assert result.correct and result.score == result.max, ident
        assert repr(result).startswith("✔ Correct")
    partial = quiz.answer("t-multiple", ["a"])  # type: ignore[attr-defined]
    assert partial.score == 1.5 and repr(partial).startswith("◐ Partly correct — 1.5 / 3")
    assert "Unknown question id" in repr(quiz.answer("nope", "a"))  # type: ignore[attr-defined]
    assert quiz.score().startswith("Score: ")  # type: ignore[attr-defined]


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
