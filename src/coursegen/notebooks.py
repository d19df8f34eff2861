"""Quiz notebooks: one per quiz bank and language, generated with nbformat, executed with
nbclient and stored with their outputs, so that the book shows them and `pytest --nbval`
can check them strictly.

Determinism: cell ids are numbered, timings are not recorded, outputs are plain text
without ids or dates. A notebook is executed again only when its cells change (their hash
is kept in the notebook's metadata).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_notebook


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
TITLES = {"fr": "Carnet de quiz", "en": "Quiz notebook"}
INTRO = {
    "fr": (
        "Ce carnet Jupyter reprend les questions du quiz de cette partie, avec la même correction que "
        "le livre. Pour l'utiliser, téléchargez-le (bouton de téléchargement, format .ipynb) et ouvrez-le "
        'dans Jupyter. `quiz.show("identifiant")` affiche une question et ses réponses possibles ; '
        '`quiz.answer("identifiant", réponse)` corrige votre réponse et l\'explique ; `quiz.score()` '
        "donne votre total ; `quiz.play()` propose un mode interactif si ipywidgets est installé."
    ),
    "en": (
        "This Jupyter notebook holds the questions of this part's quiz, graded the same way as in the "
        "book. To use it, download it (download button, .ipynb format) and open it in Jupyter. "
        '`quiz.show("id")` prints a question and its possible answers; `quiz.answer("id", response)` '
        "grades your answer and explains it; `quiz.score()` gives your total; `quiz.play()` offers an "
        "interactive mode when ipywidgets is installed."
    ),
}
SCORE = {"fr": "Score", "en": "Score"}
PLAY = {"fr": "Mode interactif", "en": "Interactive mode"}


def _source(name: str) -> str:
    return resources.files("coursegen").joinpath(name).read_text("utf-8")


def setup_code(items: list[dict[str, Any]], lang: str) -> str:
    """The hidden first cell: the grader and the quiz object, with the questions in their
    public form (no readable key)."""
    return "\n".join(
        [
            "import sys, types",
            "",
            "def _module(name, source):",
            "    module = types.ModuleType(name)",
            "    sys.modules[name] = module",
            "    exec(compile(source, name, 'exec'), module.__dict__)",
            "    return module",
            "",
            f"_grading = _module('coursegen_grading', {_source('grading.py')!r})",
            f"_runtime = _module('coursegen_notebook', {_source('notebook_runtime.py')!r})",
            f"quiz = _runtime.Quiz({json.dumps(items, ensure_ascii=False, sort_keys=True)}, _grading, {lang!r})",
        ]
    )


def build(
    title: str, lang: str, questions: list[dict[str, Any]], decorate: Any = lambda text: text
) -> nbformat.NotebookNode:
    """An unexecuted notebook for `questions` (public form, scenarios holding items);
    `decorate` may add to the first cell's Markdown (the link to the other language)."""
    items = [i for q in questions for i in (q["items"] if q["type"] == "scenario" else [q])]
    sep = " : " if lang == "fr" else ": "
    cells = [
        new_markdown_cell(decorate(f"# {TITLES[lang]}{sep}{title}\n\n{INTRO[lang]}")),
        new_code_cell(setup_code(items, lang), metadata={"tags": ["remove-input", "remove-output"]}),
    ]
    number = 0
    for q in questions:
        if q["type"] == "scenario":
            cells.append(new_markdown_cell(f"## {q['title']}\n\n{q['case']}"))
        level = "###" if q["type"] == "scenario" else "##"
        for item in q["items"] if q["type"] == "scenario" else [q]:
            number += 1
            cells.append(new_markdown_cell(f"{level} Question {number}"))
            cells.append(new_code_cell(f"quiz.show({item['id']!r})\nquiz.answer({item['id']!r}, None)"))
    cells.append(new_markdown_cell(f"## {SCORE[lang]}"))
    cells.append(new_code_cell("print(quiz.score())"))
    cells.append(new_markdown_cell(f"## {PLAY[lang]}"))
    # widget output carries random model ids: this one cell is not compared by nbval
    cells.append(new_code_cell("quiz.play()", metadata={"tags": ["nbval-ignore-output"]}))
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i:03d}"  # numbered, never random: the notebook stays the same
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["coursegen"] = {"inputs": _inputs_hash(nb)}
    return nb


def _inputs_hash(nb: nbformat.NotebookNode) -> str:
    cells = [(c["cell_type"], c["source"], c.get("metadata", {})) for c in nb.cells]
    return hashlib.sha256(json.dumps(cells, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def dumps(nb: nbformat.NotebookNode) -> bytes:
    return (nbformat.writes(nb) + "\n").encode("utf-8")


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
# (~/.ipython), which each build would otherwise grow by a copy of every quiz bank.
KERNEL_ARGS = ["--HistoryManager.enabled=False"]


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


def write_all(notebooks: dict[Path, nbformat.NotebookNode], jobs: int = 2) -> int:
    """Execute and write the notebooks that changed, on `jobs` kernels that each run
    several notebooks in turn, through one client (a kernel's start-up, and a client's,
    cost more than a quiz notebook's run).
    The setup cell of every notebook defines everything it uses, so a notebook never
    depends on the one before it in the same kernel. Returns how many were executed."""
    todo = list(stale(notebooks).items())
    if not todo:
        return 0
    from jupyter_client.manager import KernelManager

    def worker(share: list[tuple[Path, nbformat.NotebookNode]]) -> None:
        km = KernelManager(kernel_name="python3")
        km.start_kernel(stderr=subprocess.DEVNULL, extra_arguments=KERNEL_ARGS)
        kc = km.client()
        kc.allow_stdin = False
        try:
            kc.start_channels()
            kc.wait_for_ready(timeout=120)
            for path, nb in share:
                path.parent.mkdir(parents=True, exist_ok=True)
                executed = execute(nb, path.parent, km, kc)
                tmp = path.with_suffix(".ipynb.tmp")
                tmp.write_bytes(dumps(executed))
                tmp.replace(path)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

    jobs = max(1, min(jobs, len(todo)))
    shares = [todo[i::jobs] for i in range(jobs)]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(worker, shares))
    return len(todo)
