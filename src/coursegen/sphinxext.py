"""Sphinx extension: the `quiz` directive, and the quiz's JS and CSS on quiz pages only.

    ```{quiz}
    :bank: police
    ```

Options: `:bank:` (a bank name) and `:items:` (item ids, space-separated); both may be
given. The questions come from the JSON files (one per bank) in the folder named by the
`coursegen_quiz_data` setting, written by `coursegen build` in their public form (no
readable key).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from . import sphinxrun
from .quizhtml import render_quiz

STATIC = Path(__file__).parent / "static"
JS, CSS, SCORM_JS = "coursegen-quiz.js", "coursegen-quiz.css", "coursegen-scorm.js"


class QuizDirective(SphinxDirective):
    option_spec = {"bank": directives.unchanged, "items": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        bank = self.options.get("bank", "").strip()
        wanted = self.options.get("items", "").split()
        folder = Path(self.env.srcdir) / self.env.config.coursegen_quiz_data
        files = [folder / f"{bank}.json"] if bank else sorted(folder.glob("*.json"))
        files = [f for f in files if f.is_file()]
        if not files:
            return []
        for path in files:  # re-read this page whenever these questions change
            self.env.note_dependency(str(path))
        banks = [_data(self.env.app, path) for path in files]
        data = banks[0]
        questions = [q for b in banks for q in b["questions"]]
        if wanted:
            questions = [q for q in questions if q["id"] in wanted]
        if not questions:
            return []
        scope = bank or "-".join(wanted)
        html = render_quiz(scope, data["course"], data["lang"], questions, data.get("pass_mark", 80))
        pages: set[str] = getattr(self.env, "coursegen_quiz_pages", set())
        pages.add(self.env.docname)
        self.env.coursegen_quiz_pages = pages  # type: ignore[attr-defined]
        return [nodes.raw("", html, format="html")]


def _data(app: Sphinx, path: Path) -> dict[str, Any]:
    cache: dict[Path, dict[str, Any]] = app.__dict__.setdefault("_coursegen_quiz_data", {})
    if path not in cache:
        cache[path] = json.loads(path.read_text("utf-8"))
    return cache[path]


def _static_path(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC))


def _template_cache(app: Sphinx) -> None:
    """Keep the theme's compiled templates between runs (Jinja's own bytecode cache, next
    to the doctrees): a small rebuild otherwise spends a tenth of its time compiling them."""
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if isinstance(environment, jinja2.Environment):
        folder = Path(app.doctreedir).parent / ".jinja-cache"
        folder.mkdir(parents=True, exist_ok=True)
        environment.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))


def _page_assets(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if app.config.coursegen_scorm:
        app.add_js_file(SCORM_JS, defer="defer")  # before the quiz's script, which uses it
    if pagename in getattr(app.env, "coursegen_quiz_pages", set()):
        app.add_js_file(JS, defer="defer")
        app.add_css_file(CSS)


def _purge(app: Sphinx, env: Any, docname: str) -> None:
    if sphinxrun.GATE is not None and docname in sphinxrun.GATE.docnames:
        sphinxrun.GATE.wait()  # Sphinx reads this notebook next: it must be executed by now
    getattr(env, "coursegen_quiz_pages", set()).discard(docname)


def _gated(app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """The notebooks being executed are read again, whatever their file times say now."""
    return sorted(sphinxrun.GATE.docnames) if sphinxrun.GATE is not None else []


def _gated_last(app: Sphinx, env: Any, docnames: list[str]) -> None:
    """Read the notebooks being executed after every other page (Sphinx allows reordering
    this list in place), so that the other pages are read while they execute."""
    if sphinxrun.GATE is not None:
        docnames.sort(key=lambda name: name in sphinxrun.GATE.docnames)  # type: ignore[union-attr]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("coursegen_quiz_data", "", "env")
    app.add_config_value("coursegen_scorm", False, "html")
    app.add_directive("quiz", QuizDirective)
    app.connect("builder-inited", _static_path)
    app.connect("builder-inited", _template_cache)
    app.connect("html-page-context", _page_assets)
    app.connect("env-purge-doc", _purge)
    app.connect("env-get-outdated", _gated)
    app.connect("env-before-read-docs", _gated_last)
    return {"version": "1", "parallel_read_safe": False, "parallel_write_safe": True, "env_version": 1}
