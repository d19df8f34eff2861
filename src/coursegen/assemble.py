"""Stages 3–5 for one language: resolve the pages to build, render them, assemble the book.

`plan_book` is pure (model in, `Book` out); `write_book` is the only function that writes
the generated Jupyter Book, and `run_jupyter_book` builds it to HTML.
"""

from __future__ import annotations

import difflib
import html
import itertools
import json
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from . import notebooks, quizzes
from .coverage import coverage_page
from .errors import Code, Diagnostic, SourceRef, display_path
from .loading import CONFIG_FILES, setting
from .model import BOXES, COMMON, GENERATED_PAGES, TRAINER, Book, Chapter, Course, Page, RenderedPage
from .render import Renderer
from .schema import LANG_NAMES
from .validation import labels_in, pages_outside_toc, second_titles
from .yamlfile import MarkedDict, MarkedList, load_yaml

QUIZ_DATA = "_quiz"
"""Folder of the book holding one JSON file per quiz bank (public form, no readable key)."""


def resolve(
    course: Course, audiences: list[str], edition: str = "learner"
) -> list[tuple[dict[str, str], list[Chapter]]]:
    """The parts and chapters to build: common pages plus those of the chosen audiences,
    and the trainer's guide in the trainer edition.

    A part whose chapters all belong to other audiences is dropped.
    """
    keep = {COMMON, *audiences} | ({TRAINER} if edition == "trainer" else set())
    parts = []
    for part in course.parts:
        chapters = [c for c in part.chapters if c.file in GENERATED_PAGES or _area(course, c.file) in keep]
        if chapters:
            parts.append((part.caption, chapters))
    return parts


def _area(course: Course, key: str) -> str:
    page = course.pages.get((key, course.languages[0]))
    return page.area if page else COMMON


def plan_book(
    course: Course,
    lang: str,
    audiences: list[str],
    edition: str = "learner",
    scorm: bool = False,
    built: list[str] | None = None,
    published: dict[str, set[str]] | None = None,
) -> tuple[Book, list[Diagnostic]]:
    """Render every page of one language and lay out the files of its Jupyter Book.

    Each page links to itself in the other languages that are `built` with it (default:
    all the course's), which are next to it in the output folder, and in those whose site
    is already `published` there with that page (by language, the pages of its site); a
    SCORM package holds one language, and no such link."""
    renderer = Renderer(course, lang, audiences)
    parts = resolve(course, audiences, edition)
    keys = [course.toc_root.file] + [c.file for _, chapters in parts for c in chapters]
    rendered: list[RenderedPage] = []
    for key in keys:
        page = course.pages.get((key, lang))
        if page is not None:
            result = renderer.render(page)
            if result is not None:
                rendered.append(result)
    # the pictures of the parts this book holds (a learner's book, none of the trainer's guide),
    # and those of folders that are no part's (modules/shared/)
    left_out = {a for a in course.audience_ids if a not in audiences} | ({TRAINER} if edition != "trainer" else set())
    shown = {rel: data for rel, data in course.module_files.items() if rel.split("/")[0] not in left_out}
    files: dict[str, bytes] = {**shown, **renderer.files}  # what the book makes wins

    def others(out: str) -> list[str]:
        """The languages that the page `out` links to."""
        if scorm:
            return []
        return [
            lg
            for lg in course.languages
            if lg != lang and (lg in (built or course.languages) or out in (published or {}).get(lg, ()))
        ]

    for rp in rendered:
        text = _with_lang_switch(rp.markdown, rp.page.out, lang, others(rp.page.out), course)
        files[f"{rp.page.out}.md"] = text.encode("utf-8")
    if "coverage" in keys:
        text = coverage_page(course, lang, rendered, audiences)
        files["coverage.md"] = _with_lang_switch(text, "coverage", lang, others("coverage"), course).encode("utf-8")
    public = quizzes.public_questions(quizzes.selected(course, audiences), lang)
    for bank in sorted({q["bank"] for q in public}):
        data = {
            "course": course.title[lang],
            "lang": lang,
            "pass_mark": course.pass_mark,
            "questions": [q for q in public if q["bank"] == bank],
        }
        # one file per bank: editing a question re-reads only the pages that show its bank
        # compact: Python's C encoder writes it (with `indent`, its pure-Python one, 3 times slower)
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        files[f"{QUIZ_DATA}/{bank}.json"] = text.encode()
    # a quiz notebook right after each page that shows a quiz, when that bank has questions
    notebook_after: dict[str, str] = {}
    books_notebooks = {}
    titles = {a.id: a.title[lang] for a in course.audiences} | {COMMON: notebooks.COMMON_TITLE[lang]}
    lettered = quizzes.public_questions(quizzes.selected(course, audiences), lang, notebook=True)
    for key, bank in renderer.quiz_pages.items():
        questions = [q for q in lettered if q["bank"] == bank]
        if questions and bank not in notebook_after.values():
            out = f"{bank}/{notebooks.NOTEBOOK_NAME}"
            notebook_after[key] = out
            books_notebooks[f"{out}.ipynb"] = notebooks.build(
                titles.get(bank, bank),
                lang,
                questions,
                lambda text, out=out: _with_lang_switch(text, out, lang, others(out), course),
                course=course.title[lang],
                quiz=bank,
                page=out,
            )
    files["_toc.yml"] = _dump(_toc(course, parts, lang, notebook_after))
    config = _config(course, lang)
    # the pages of the course that this book leaves out: a link to one shows as text (sphinxext.py)
    whole = [c.file for _, chapters in resolve(course, course.audience_ids, "trainer") for c in chapters]
    # and those that the course's _toc.yml leaves out (a built-in audience's part, not taken)
    whole += sorted({key for key, _ in course.pages} - set(whole))
    held = {f[: -len(".md")] for f in files if f.endswith(".md")} | {f[: -len(".ipynb")] for f in books_notebooks}
    # the pages that Sphinx makes link to the other language's too, as the course's do
    switches = {page: _lang_switch(page, lang, others(page), course) for page in ("search", "genindex")}
    if any(switches.values()):
        config["sphinx"]["config"]["coursegen_lang_switch"] = {page: html for page, html in switches.items() if html}
    absent = {_out(course, key) for key in whole} | {f"{a}/{notebooks.NOTEBOOK_NAME}" for a in left_out}
    if absent - held:
        config["sphinx"]["config"]["coursegen_absent_pages"] = sorted(absent - held)
        # and their labels, which a `{ref}` may name
        left = [
            course.pages[(key, lang)] for key in whole if (key, lang) in course.pages and _out(course, key) not in held
        ]
        labels = {label for p in left for label in labels_in(p.text)}
        if labels:
            config["sphinx"]["config"]["coursegen_absent_labels"] = sorted(labels)
    if scorm:
        config["sphinx"]["config"]["coursegen_scorm"] = True
    organisation = course.country.get("organisation", {})
    static: list[str] = []
    for keys in CONFIG_FILES:  # the logo and favicon, at their place in the course folder
        value = setting(config, keys)
        if keys == ["logo"] and organisation.get("logo_data"):
            continue  # the organisation's logo (country.yml) is the book's
        if isinstance(value, str) and value in course.config_files:
            rel, content = course.config_files[value]
            files[rel] = content
            holder = config
            for key in keys[:-1]:
                holder = holder[key]
            holder[keys[-1]] = rel
            static.append(rel)
    if organisation.get("logo_data"):
        # logo.png, unless a file of the book or of the site's _static/ (where the logos
        # and the favicon are copied by file name) has that name: then logo-2.png …
        suffix = Path(organisation["logo"]).suffix.lower()
        taken = set(files) | {posixpath.basename(rel) for rel in static}
        names = itertools.chain([f"logo{suffix}"], (f"logo-{n}{suffix}" for n in itertools.count(2)))
        name = next(n for n in names if n not in taken)
        files[name] = organisation["logo_data"]
        config["logo"] = name
        static.append(name)
    hidden = _logo_hidden(course, config) if organisation.get("logo_data") else []
    files["_config.yml"] = _dump(config)
    # A page of modules/ that _toc.yml does not list is not built ([toc-missing]); its own
    # problems are said in the same run all the same: rendered apart, and left out.
    diagnostics = list(renderer.diagnostics)
    outside = [page for page in pages_outside_toc(course) if page.lang == lang]
    if outside:
        apart = Renderer(course, lang, audiences)
        for page in outside:
            apart.render(page)
        diagnostics += apart.diagnostics
    boxes = {macro: course.templates[name] for macro, name in BOXES.items() if name in course.templates}
    notes = [f"{ref}: {message}" for ref, message in [*hidden, *audiences_without_pages(course, audiences)]]
    notes += [f"{ref}: {message}" for ref, message in mixed_parts(course)]
    notes += [f"{ref}: {message}" for ref, message in stray_files(course)]
    notes += [f"{ref}: {message}" for ref, message in curly_quoted(course)]
    notes += _quizzes_on_no_page(course, lang, public, set(renderer.quiz_pages.values()))
    notes += _empty_quizzes(renderer, public)
    notes += second_titles(rendered)
    book = Book(
        lang=lang, files=files, pages=rendered, notebooks=books_notebooks, boxes=boxes, notes=notes, static=static
    )
    return book, diagnostics


def audiences_without_pages(course: Course, audiences: list[str]) -> list[tuple[SourceRef, str]]:
    """The audiences among `audiences` of which _toc.yml lists no page (one added to
    `course.audiences` without a part in _toc.yml): a site built for it holds none of its
    pages nor its quiz, while the exports give its questions. Where each is given in
    _config.yml, and what to do. Told as a note by `check` and `build`; a build asked for
    that audience (`--audience`) stops on it (pipeline.py)."""
    if course.toc_unread:
        return []  # told at _toc.yml
    listed = {_area(course, c.file) for p in course.parts for c in p.chapters}
    where = {ident: ref for kind, ident, ref in course.declared if kind == "audience"}
    out = []
    for audience in audiences:
        if audience in listed:
            continue
        pages = sorted({p.key for p in course.pages.values() if p.area == audience})
        # its questions as `check` counts them: a case study's each (quizzes.report)
        count = sum(len(q.graded()) for q in quizzes.selected(course, [audience]) if q.bank == audience)
        quiz = f" nor its quiz ({count} question{'s' if count > 1 else ''})" if count else ""
        if pages:
            shown = ", ".join(pages[:3]) + (", …" if len(pages) > 3 else "")
            add = f"add a part to _toc.yml that lists its pages ({shown})"
        else:
            add = f"write its pages in modules/{audience}/ and add a part to _toc.yml that lists them"
        message = (
            f"audience '{audience}' has no page in _toc.yml: a site built for it holds none of its pages{quiz}. "
            f"To build it, {add}; else take it out of course.audiences"
        )
        out.append((where.get(audience, SourceRef(course.root / "_config.yml")), message))
    return out


_BANK_START = re.compile(rb"^items:", re.M)
_CURLY_TEXT = re.compile(
    r"^[ \t]*(?:-[ \t]+)?(?:[\w.-]+:[ \t]+)?(?:[\[{][ \t]*)?(?:[\w.-]+:[ \t]*)?[“„‘]|,[ \t]*[\w.-]+:[ \t]*[“„‘]"
)
"""A line where a value may begin with a curly quote (`name: “…`, `- “…`, `{fr: “…`, `, en: “…`):
only files that have one are scanned."""


def curly_quoted(course: Course) -> list[tuple[SourceRef, str]]:
    """Texts of the course folder's YAML files written between curly quotes (`fr: “Que
    faire ?”`, as a word processor types quotes): YAML keeps them as part of the text, and
    the page shows them. Told as a note, at the text; a text in YAML's own quotes
    (`fr: '“Je peux partir”'`) is not."""
    root, out = course.root, []
    for pattern in ("*.yml", "quizzes/*.yml", "sources/*.yml", "modules/*/*.yml", "modules/*/diagrams/*.yml"):
        for path in sorted(root.glob(pattern)):
            try:
                if not path.is_file():
                    continue  # a pipe or a device named *.yml: never opened (the loaders tell it)
                text = path.read_text("utf-8")
                if "“" not in text and "„" not in text and "‘" not in text:
                    continue
                if not any(_CURLY_TEXT.search(line) for line in text.splitlines() if any(q in line for q in "“„‘")):
                    continue
                tokens = list(yaml.scan(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                continue  # told by the loaders
            for token in tokens:
                value = getattr(token, "value", None)
                if not isinstance(token, yaml.ScalarToken) or not token.plain or not isinstance(value, str):
                    continue
                inner = value[1:-1]  # `“Appelez” puis dites “traite”`: quotes of the text's own
                if len(value) > 1 and value[0] in "“„‘" and value[-1] in "”“’" and not any(q in inner for q in "“”„"):
                    message = (
                        f"this text begins and ends with curly quotes ({value[0]}…{value[-1]}), which YAML keeps "
                        'as part of the text, and the page shows: to delimit a text, use straight quotes, "…"; '
                        "to show the curly ones, put them inside straight ones"
                    )
                    out.append((SourceRef(path, token.start_mark.line + 1, token.start_mark.column + 1), message))
    return out


def _logo_hidden(course: Course, config: dict[str, Any]) -> list[tuple[SourceRef, str]]:
    """The organisation's logo (country.yml), which the site shows unless a Sphinx setting
    of _config.yml names another: the theme shows that one, and the organisation's was
    left out without a word. Told as a note, at the organisation's logo."""
    shown = [keys for keys in CONFIG_FILES if keys[-1] in ("html_logo", "image_light", "image_dark")]
    named = [".".join(keys[2:]) for keys in shown if setting(config, keys)]
    if not named:
        return []
    _, ref = course.country_origin.get("organisation.logo", ("", SourceRef(course.root / "country.yml")))
    message = (
        f"the organisation's logo is not shown: the site shows the one that {' and '.join(named)} names (under "
        "sphinx: config: in _config.yml); leave that setting out to show this one"
    )
    return [(ref, message)]


def stray_files(course: Course) -> list[tuple[SourceRef, str]]:
    """A quiz bank or a page that a course folder made by `coursegen new` holds where none
    is read (`police.yml` beside _config.yml, `quizzes/police/police.yml`, `Quizzes/`,
    `police/recognise.fr.md` without modules/): its questions were left out, or the
    built-in page kept, and `check` said "ok". Told as a note, at the file, with where it
    goes. (A folder of its own: a standalone course's folder may hold anything.)"""
    if course.base is None:
        return []
    root, out = course.root, []
    pages = tuple(f".{lang}.md" for lang in course.languages)
    names = {key.rpartition("/")[2] for key, _ in course.pages}  # the course's pages', built-in ones too
    areas = {*course.audience_ids, COMMON, TRAINER}  # modules/'s folders
    for pattern in ("*", "*/*", "*/*/*"):
        for path in sorted(root.glob(pattern)):
            rel = path.relative_to(root)
            top = rel.parts[0]
            if top.startswith(".") or top in ("modules", "sources", "templates", "build") or not path.is_file():
                continue
            if path.suffix == ".yml":
                if rel.as_posix() in ("_config.yml", "_toc.yml", "country.yml") or rel.parent.as_posix() == "quizzes":
                    continue
                try:
                    with path.open("rb") as stream:
                        bank = _BANK_START.search(stream.read(65536)) is not None
                except OSError:
                    continue
                if bank:
                    message = (
                        f"a quiz bank is read from the folder quizzes/ itself, not from here: its questions are "
                        f"left out; move them to quizzes/{path.name}"
                    )
                    out.append((SourceRef(path), message))
            elif path.name.endswith(pages) and (path.name.split(".")[0] in names or path.parent.name in areas):
                # a page's name, or a page in a folder named as modules/'s (police/local-law.fr.md): not a
                # README; told where it goes: in that folder of modules/, else where the page of its name is
                name = path.name.split(".")[0]
                if path.parent.name in areas:
                    where = f"modules/{path.parent.name}/{path.name}"
                else:
                    key = next(k for k, _ in sorted(course.pages) if k.rpartition("/")[2] == name)
                    where = f"{key}{path.name[len(name) :]}"
                message = (
                    "a page outside modules/ is not read (the built-in page of that name, if any, is shown): "
                    f"pages are read from modules/, as {where}"
                )
                out.append((SourceRef(path), message))
    return out


def mixed_parts(course: Course) -> list[tuple[SourceRef, str]]:
    """The parts of _toc.yml that list pages of several audiences (a new audience's pages
    put under the police's caption): a site built for one of them shows its pages under the
    other's caption. Told as a note, at the part, by `check` and `build`."""
    if course.toc_unread:
        return []
    ours = {*course.audience_ids, COMMON}
    out = []
    for part in course.parts:
        areas = list(dict.fromkeys(a for c in part.chapters if (a := _area(course, c.file)) in ours))
        if len(areas) > 1:  # an audience's page among the common foundations too
            caption = part.caption.get(course.languages[0]) or next(iter(part.caption.values()), "")
            named = ", ".join("the common foundations" if a == COMMON else a for a in areas)
            message = (
                f"the part '{caption}' lists pages of {named}: a site built for one audience shows its pages "
                "under this caption; give each audience a part of its own"
            )
            out.append((part.ref, message))
    return out


def _empty_quizzes(renderer: Renderer, public: list[dict[str, Any]]) -> list[str]:
    """A quiz shown on a page that has no question for this book (its bank's questions all
    disabled, or for other audiences, or none written): the page shows the quiz's heading
    and nothing under it. Told as a note, at the quiz's call, without stopping."""
    banks = {q["bank"] for q in public}
    out = []
    for key, bank in sorted(renderer.quiz_pages.items()):
        if bank not in banks and key in renderer.quiz_calls:
            at, own = renderer.quiz_calls[key]
            if own or renderer.course.base is None:
                out.append(
                    f"{at}: the quiz of '{bank}' has no question for this book: the page shows none. "
                    f"Write questions in quizzes/{bank}.yml, or remove this {{{{ quiz() }}}}"
                )
            else:  # a built-in page, which the trainer does not edit: told at its place in their _toc.yml
                where = next((c.ref for p in renderer.course.parts for c in p.chapters if c.file == key), at)
                out.append(
                    f"{where}: the quiz of '{bank}' has no question for this book (its built-in questions are "
                    f"disabled?): the built-in page {key} shows none. Write questions in quizzes/{bank}.yml, or "
                    "list a page of your own there"
                )
    return out


_QUIZ_CALL = re.compile(r"\{\{-?\s*quiz\(\s*\)")
_COMMENT = re.compile(r"\{#.*?#\}", re.S)


def _quizzes_on_no_page(course: Course, lang: str, public: list[dict[str, Any]], shown: set[str]) -> list[str]:
    """A quiz whose questions no page of the book shows: the page that shows it (`{{ quiz() }}`)
    taken out of _toc.yml, or replaced by a page of the trainer's own that does not show it.
    Told as a note, at its part of _toc.yml (`path:line:col: …`), without stopping: a trainer
    may keep a quiz out of the book on purpose (given in Moodle, on paper), and the exports
    that do not use the book need it. Not said of a part that the book does not hold, nor of
    one with a page missing or unreadable in this language (said at the page)."""
    out = []
    listed = {c.file for p in course.parts for c in p.chapters} | {course.toc_root.file}
    for bank in sorted({q["bank"] for q in public} - shown):
        part = next((p for p in course.parts if any(c.file.startswith(f"modules/{bank}/") for c in p.chapters)), None)
        if part is None or any(
            not (page := course.pages.get((c.file, lang))) or not page.readable for c in part.chapters
        ):
            continue
        pages = sorted(
            {
                p.key
                for p in course.pages.values()
                if p.area == bank and p.lang == lang and _QUIZ_CALL.search(_COMMENT.sub("", p.text))
            }
        )
        if listed & set(pages):
            continue  # on a listed page that failed to render: said there
        count = sum(1 for q in public if q["bank"] == bank)
        which = f"{LANG_NAMES.get(lang, lang)} " if len(course.languages) > 1 else ""
        quiz = f"the quiz of '{bank}' ({count} question{'s' if count > 1 else ''}) is on no {which}page"
        if pages:
            message = (
                f"{quiz}: the page that shows it, {pages[0]}, is not in the table of contents. To show it in "
                "the book, list that page again, or put {{ quiz() }} on another page of this part"
            )
        else:
            message = (
                f"{quiz}: no page of this part shows it. To show it in the book, put {{{{ quiz() }}}} on one of them"
            )
        out.append(f"{part.ref}: {message}")
    return out


def _out(course: Course, key: str) -> str:
    return GENERATED_PAGES.get(key, key.removeprefix("modules/"))


def _toc(
    course: Course, parts: list[tuple[dict[str, str], list[Chapter]]], lang: str, after: dict[str, str]
) -> dict[str, Any]:
    def files(chapters: list[Chapter]) -> list[dict[str, str]]:
        out = []
        for c in chapters:
            out.append({"file": _out(course, c.file)})
            if c.file in after:
                out.append({"file": after[c.file]})
        return out

    return {
        "format": "jb-book",
        "root": _out(course, course.toc_root.file),
        "parts": [{"caption": caption[lang], "chapters": files(chapters)} for caption, chapters in parts],
    }


def _config(course: Course, lang: str) -> dict[str, Any]:
    config: dict[str, Any] = json.loads(json.dumps(course.jb_config))  # plain, deep copy
    config["title"] = course.title[lang]  # text: Sphinx escapes it, the theme's two places are (sphinxext)
    config.setdefault("only_build_toc_files", True)
    # No "By …" line in the pages' footer unless the course names its author: Jupyter
    # Book's default wrote "By The Jupyter Book community" under a trainer's course
    config.setdefault("author", "")
    # Jupyter Book builds into .work/ (see publish.py): never read it as a source
    config["exclude_patterns"] = [*config.get("exclude_patterns", []), ".work", ".work/**"]
    # The site is HTML only. Jupyter Book's LaTeX extension would turn figure numbering back
    # on for every builder (it sets `numfig`), labelling diagrams "Fig. 3" across the book
    # and making every rebuild walk every page: left out unless the course asks for it.
    config.setdefault("latex", {}).setdefault("use_jupyterbook_latex", False)
    # MyST's extensions, but for those that turn a page's plain text into something else:
    # `dollarmath` ("$500 for the visa and $300" became a formula, which an offline site
    # cannot show) and `substitution` (pages go through Jinja first: a `{{ … }}` left in
    # the text, written with {% raw %}, is text). Bare addresses become links, but only
    # with their scheme or www. ("notes.md" is not a web site).
    # (a section left empty, `sphinx:` with nothing under it, is none)
    parse = _section(config, "parse")
    parse.setdefault("myst_enable_extensions", ["colon_fence", "linkify", "tasklist"])
    # `tel:` too: the boxes' phone numbers are links that a phone calls with a tap
    schemes = parse.get("myst_url_schemes", ["mailto", "http", "https"])  # Jupyter Book's, unless the course's
    if isinstance(schemes, list) and "tel" not in schemes:
        parse["myst_url_schemes"] = [*schemes, "tel"]
    section = _section(config, "sphinx")
    sphinx = _section(section, "config")
    sphinx.setdefault("myst_linkify_fuzzy_links", False)
    sphinx["nb_ipywidgets_js"] = {}  # MyST-NB's scripts for a notebook's widgets come from the network
    sphinx["language"] = lang
    sphinx["coursegen_quiz_data"] = QUIZ_DATA
    # coursegen's extension joins the course's list of extensions, which replaces Jupyter
    # Book's; with none, Jupyter Book's own, as an extra one (`sphinx.config.extensions:
    # [coursegen.sphinxext]` alone left the book without MyST-NB and the theme)
    given = sphinx.get("extensions")
    if isinstance(given, str | list):
        extensions = [given] if isinstance(given, str) else list(given)  # `extensions: myst_nb`
        # what Jupyter Book adds to its own list, which this one replaces: it dropped them
        extra = section.get("extra_extensions")
        extensions += [extra] if isinstance(extra, str) else extra if isinstance(extra, list) else []
        extensions = list(dict.fromkeys(extensions))
        sphinx["extensions"] = [*extensions, *([EXTENSION] if EXTENSION not in extensions else [])]
    else:  # none (told by check when it is not a list of names)
        sphinx.pop("extensions", None)
        extra = section.get("extra_extensions")
        extra = [extra] if isinstance(extra, str) else list(extra) if isinstance(extra, list) else []
        section["extra_extensions"] = [*extra, *([EXTENSION] if EXTENSION not in extra else [])]
    return config


EXTENSION = "coursegen.sphinxext"


def _section(config: dict[str, Any], key: str) -> dict[str, Any]:
    """`config[key]`, a mapping, made empty when it is missing or left empty."""
    if not isinstance(config.get(key), dict):
        config[key] = {}
    section: dict[str, Any] = config[key]
    return section


def _dump(data: Any) -> bytes:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000).encode("utf-8")


def _with_lang_switch(markdown: str, out: str, lang: str, others: list[str], course: Course) -> str:
    """Put a link to the same page in each other language right under the page title."""
    if not others:
        return markdown
    lines = markdown.lstrip().split("\n", 1)
    rest = lines[1] if len(lines) > 1 else ""
    return f"{lines[0]}\n\n{_lang_switch(out, lang, others, course)}\n{rest}"


def _lang_switch(out: str, lang: str, others: list[str], course: Course) -> str:
    """The paragraph of links to the page `out` in each of the `others` languages ("" for none)."""
    here = posixpath.dirname(f"{lang}/_build/html/{out}.html")
    links = []
    for other in others:
        href = posixpath.relpath(f"{other}/_build/html/{out}.html", here)
        text = html.escape(course.lang_switch[other], quote=False)
        links.append(f'<a class="cg-lang-switch" href="{href}" hreflang="{other}" lang="{other}">{text}</a>')
    return f"<p>{' · '.join(links)}</p>" if links else ""


RECORD = ".coursegen-book.json"
"""In a book's folder: the files that builds wrote there, the only ones a build removes."""


def foreign_files(folder: Path) -> list[str]:
    """The files in `folder` that no build wrote: a build writes into a folder that it
    made, or that is empty, never over a trainer's own files (`--out` given a folder in
    use). A folder from before the record was kept is known by its published site."""
    from .publish import STAMP  # publish imports this module's neighbours: here, not above

    if not folder.is_dir() or (folder / RECORD).is_file() or (folder / "_build" / STAMP).is_file():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir())


def _recorded(folder: Path) -> set[str] | None:
    """The files that builds wrote in `folder`; None when no record was kept there (a
    folder from before records); none at all when the record cannot be read."""
    record = folder / RECORD
    if not record.exists():
        return None
    try:
        files = json.loads(record.read_text("utf-8"))
    except (OSError, ValueError):
        return set()
    return {f for f in files if isinstance(f, str)} if isinstance(files, list) else set()


def _record(folder: Path, files: set[str]) -> None:
    (folder / RECORD).write_text(json.dumps(sorted(files), indent=0), "utf-8")


def write_book(book: Book, folder: Path, execute: bool = True) -> int:
    """Write the book's files, touching only those whose content changed (so that Sphinx
    rebuilds only what changed), execute the notebooks whose cells changed (unless the
    caller does it for several books at once: `execute=False`), and remove the files that
    builds wrote and that are no longer in the book (never another file: see
    `foreign_files`). Returns how many files were written."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = set(book.files) | set(book.notebooks)
    earlier = _recorded(folder)
    # recorded before anything is written: a build killed halfway leaves no file unrecorded
    if earlier is None or not expected <= earlier:
        _record(folder, expected | (earlier or set()))
    written = 0
    for rel, content in sorted(book.files.items()):
        target = folder / rel
        if target.exists() and target.read_bytes() == content:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        written += 1
    from .publish import WORK

    for rel in book.static:  # Sphinx and the theme copy a logo into _static/ only when it is not there
        copied = folder / WORK / "_build" / "html" / "_static" / posixpath.basename(rel)
        if copied.is_file() and copied.read_bytes() != book.files[rel]:
            # the logo replaced in the course folder: put there as Sphinx would (it copies one only when
            # a page is out of date), as a new file (the published site may hold a link to the old one)
            fresh = folder / WORK / f".{copied.name}.new"  # outside the site: one left by a build killed
            fresh.write_bytes(book.files[rel])  # here is published nowhere
            fresh.replace(copied)
    for path in sorted(folder.rglob("*"), reverse=True):
        rel = path.relative_to(folder).as_posix()
        if rel.split("/")[0] in ("_build", ".work", RECORD):
            continue
        if path.is_file() and rel not in expected and (earlier is None or rel in earlier):  # None: a folder
            path.unlink()  # from before the record, all of whose files builds wrote
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    if earlier != expected:
        _record(folder, expected)
    if execute:
        written += notebooks.write_all({folder / rel: nb for rel, nb in book.notebooks.items()})
    return written


_PROBLEM_WORDS = re.compile(r"WARNING|ERROR|Error|CRITICAL|SEVERE")


def _with_rest(line: str, after: list[str]) -> str:
    """A problem told at a place, with the lines that carry on its message when it ends
    with ':' (docutils: `Error in "note" directive:`, then `unknown option: "bad".`), up to the
    blank line before the text it quotes; a next line that is a problem of its own is not."""
    if not line.rstrip().endswith(":") or _PLACED.match(line) is None:
        return line  # Python's and Sphinx's own lines ("Theme error:") are read by `_placed`
    rest = []
    for following in after[:3]:
        if not following.strip() or _PROBLEM_WORDS.search(following) or "... " in following:
            break  # a blank line, another problem, Sphinx's status ("pickling environment... done")
        rest.append(following.strip())
        if following.rstrip().endswith("]"):  # the warning's type, which ends it: [myst.directive_option]
            break
    return " ".join([line.rstrip(), *rest])


def problems_in_log(
    folder: Path, book: Book | None = None, limit: int | None = None, settings: Path | None = None
) -> list[str]:
    """The WARNING, ERROR and CRITICAL lines of a Jupyter Book log (the first `limit` of
    them); with the `book` that was built in `folder`, each as `path:line:col: message
    [code]`: a problem in a generated page told at the course's own page, or box template
    (see `_at_source`), one in the book's settings at `settings` (the course's _config.yml),
    others at the log (see `_placed`)."""
    text = (folder / "_build" / "build.log").read_text("utf-8", errors="replace")
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)  # colours
    # Sphinx's status ("preparing documents... ") and a warning it printed meanwhile, on one line
    text = re.sub(r"(?m)^[^\n]*?\.\.\. (?=(?:WARNING|ERROR|CRITICAL|SEVERE): )", "", text)
    all_lines = text.splitlines()
    lines = [  # not the code lines of a traceback ("    raise ExtensionError("): indented
        _with_rest(line, all_lines[n + 1 :])
        for n, line in enumerate(all_lines)
        if _PROBLEM_WORDS.search(line) and not line[:1].isspace()
    ][:limit]
    if book is None:
        return lines
    pages = {str(folder / f"{rp.page.out}.md"): rp.page for rp in book.pages}
    read: dict[str, list[str]] = {}
    told = [_at_source(line, pages, read, book.boxes) for line in lines]
    for generated, page in pages.items():  # "other instance in …/build/en/common/framework.md"
        told = [line.replace(generated, display_path(page.path)) for line in told]
        other = re.compile(rf"(other instance in ){re.escape(page.out)}(?![\w/.-])")  # a page by its name
        shown = r"\g<1>" + display_path(page.path).replace("\\", "\\\\")
        told = [other.sub(shown, line) for line in told]
    told = _placed(told, folder / "_build" / "build.log", settings)
    return list(dict.fromkeys(told))  # a box that several pages show: its mistake is told once


# Python's lines for an exception that stopped Sphinx: "RuntimeError:" with nothing after
# it, the exception itself, and Sphinx's ExtensionError, which says it again with the place
_EXCEPTION = re.compile(r"^(?:[\w.]+\.)?(?P<kind>\w*(?:Error|Exception)):\s*(?P<message>.*)$")
_PLACED = re.compile(r"^(?P<path>\S.*?):(?P<line>\d*): (?P<rest>(?:WARNING|ERROR|CRITICAL|SEVERE): .*)$")
_HANDLER = re.compile(
    r"^Handler <function (?P<function>[\w.]+) at 0x[0-9a-f]+> for event '(?P<event>[\w-]+)' "
    r"threw an exception \(exception: (?P<message>.*)\)$"
)


_NOT_FOUND_IN = re.compile(r" not found in \[[^\]]*\]$")


def _placed(lines: list[str], log: Path, settings: Path | None) -> list[str]:
    """Every problem as `path:line:col: message [code]`: a line that names no place is
    told at the log (at the course's _config.yml, with `settings`, when Sphinx stopped as
    it took the book's settings in); Python's lines for the exception that stopped it,
    once, without its class; a message that goes on on the next line (Sphinx's "Problems
    with "include" directive path:" then the error) on one."""
    out: list[str] = []
    handled = {m["message"] for line in lines if (e := _EXCEPTION.match(line)) and (m := _HANDLER.match(e["message"]))}
    theirs = set()  # the lines told by Sphinx at a place, which a next line may go on
    for line in lines:
        if _TOLD.match(line):
            out.append(line)
            theirs.add(len(out) - 1)
            continue
        placed = _PLACED.match(line)
        if placed is not None:  # a place outside the book ("other instance in …"): as Sphinx says it
            out.append(f"{placed['path']}:{placed['line'] or 1}:1: {_told(placed['rest'])}")
            theirs.add(len(out) - 1)
            continue
        exception = _EXCEPTION.match(line)
        message = (
            exception["message"].strip() if exception else _told(line).removesuffix(f" [{Code.BUILD_FAILED.value}]")
        )
        if not message or (exception and message in handled):
            continue  # "RuntimeError:", or said with its place below
        handler = _HANDLER.match(message)
        at = log
        if handler is not None:
            stage = "took the book's settings in" if handler["event"] in ("config-inited", "builder-inited") else "ran"
            # a template named in `html_sidebars` that no folder has: its name, not the folders
            told = _NOT_FOUND_IN.sub(" is not one of the theme's or coursegen's page templates", handler["message"])
            message = f"Jupyter Book stopped as it {stage} ({handler['function']}: {told})"
            if settings is not None and handler["event"] in ("config-inited", "builder-inited"):
                at, message = settings, message + ": check the settings under sphinx: config:"
        previous = _TOLD.match(out[-1]) if out and len(out) - 1 in theirs else None
        if previous is not None and previous["message"].endswith(":") and exception is not None and handler is None:
            out[-1] = (
                f"{previous['path']}:{previous['line']}:{previous['col']}: {previous['message']} {message} [{previous['code']}]"
            )
            continue
        line_col = _setting_named(message, settings) if settings is not None else None
        if line_col is not None:  # a setting Jupyter Book could not use, or a value it did not know
            at = settings  # type: ignore[assignment]
        row, col = line_col or (1, 1)
        out.append(f"{display_path(at)}:{row}:{col}: {message} [{Code.BUILD_FAILED.value}]")
    return told_once(out)


def told_once(lines: list[str]) -> list[str]:
    """Each message once, at the best place it was told at (Sphinx says a setting's problem
    in a warning and again in the exception that stopped it): a line and column rather
    than a file's first, rather than the log. The same message at several lines and
    columns (a problem of the French page and of the English one) is told at each."""

    def rank(line: str) -> int:
        told = _TOLD.match(line)
        if told is None:
            return 3
        return 2 if told["path"].endswith("build.log") else 1 if (told["line"], told["col"]) == ("1", "1") else 0

    groups: dict[str, list[str]] = {}
    for line in dict.fromkeys(lines):
        told = _TOLD.match(line)
        groups.setdefault(f"{told['message']} [{told['code']}]" if told else line, []).append(line)
    kept = set()
    for group in groups.values():
        first = min(group, key=rank)
        kept |= {line for line in group if rank(line) == 0} if rank(first) == 0 else {first}
    return [line for line in dict.fromkeys(lines) if line in kept]


def _setting_named(message: str, settings: Path) -> tuple[int, int] | None:
    """The (line, col) in the course's settings file of what `message` names, when it
    names one of them: a setting it quotes ('nonexistent_option'), one whose name is part of
    it (Sphinx's handler `init_numfig_format`: numfig_format), or the end of one
    ('enable_extensions': myst_enable_extensions), else a value it quotes or holds ("no
    theme named 'nope'", "myst_nb.renderers:nope"), when only one setting has it. coursegen's
    own settings (`course:`) are not Jupyter Book's and are left out."""
    data = load_yaml(settings, [])
    if not isinstance(data, MarkedDict):
        return None
    keys: list[tuple[str, tuple[int, int]]] = []
    values: list[tuple[str, tuple[int, int]]] = []

    def walk(node: Any, top: bool = False) -> None:
        items = node.items() if isinstance(node, MarkedDict) else enumerate(node)
        for key, value in items:
            if top and key == "course":
                continue
            if isinstance(node, MarkedDict) and isinstance(key, str):
                keys.append((key, node.key_marks.get(key, node.mark)))
            if isinstance(value, (MarkedDict, MarkedList)):
                walk(value)
            elif isinstance(value, str) and value.strip():
                mark = node.value_marks.get(key, node.mark) if isinstance(node, MarkedDict) else node.item_marks[key]
                values.append((value, mark))

    walk(data, top=True)
    quoted = [a or b for a, b in re.findall(r"'([^'\n]+)'|\"([^\"\n]+)\"", message)]
    words = set(re.split(r"[\s:,;()\[\]{}'\"]+", message))

    def one(found: list[tuple[int, int]]) -> tuple[int, int] | None:
        return found[0] if len(set(found)) == 1 else None

    rules: list[Callable[[str], list[tuple[int, int]]]] = [
        lambda named: [mark for key, mark in keys if key == named],
        lambda named: [mark for value, mark in values if value == named],
        # a value as a module's name ends ('pygments.styles.nosuchstyle': pygments_style)
        lambda named: [mark for value, mark in values if named.endswith((f".{value}", f":{value}"))],
        lambda named: [mark for key, mark in keys if key.endswith(f"_{named}")],
    ]
    for rule in rules:
        for named in quoted:
            if (found := one(rule(named))) is not None:
                return found
    within = sorted((key for key, _ in keys if "_" in key and len(key) >= 6 and key in message), key=len)
    if within:
        return one([mark for key, mark in keys if key == within[-1]])
    return one([mark for value, mark in values if len(value) >= 3 and value in words])


# Sphinx names a page "x.md", or "x.md.rst" for a code block's options, and a place it does
# not know with no line ("x.md::")
_LOGGED = re.compile(r"^(?P<path>/.+?\.md)(?:\.rst)?:(?P<line>\d*): (?P<rest>(?:WARNING|ERROR|CRITICAL|SEVERE): .*)$")


def _at_source(
    line: str, pages: dict[str, Page], read: dict[str, list[str]] | None = None, boxes: dict[str, Any] | None = None
) -> str:
    """A log line about a generated page, told at the page the trainer wrote: at the line
    that holds the generated one word for word, else at the line that wrote it (found by
    lining the two pages up: a macro's call, a line with a macro in it), or, for what a box
    template wrote (`boxes`: macro -> template), at the template's line. Other lines are
    left as they are. `read` keeps the files' lines between calls."""
    found = _LOGGED.match(line)
    page = pages.get(found["path"]) if found else None
    if found is None or page is None:
        return line
    read = {} if read is None else read
    if found["path"] not in read:
        try:
            read[found["path"]] = Path(found["path"]).read_text("utf-8").split("\n")
        except OSError:
            read[found["path"]] = []
    if str(page.path) not in read:
        read[str(page.path)] = page.text.split("\n")
    generated, source, number = read[found["path"]], read[str(page.path)], int(found["line"] or 0)
    term = _TERM_TWICE.match(found["rest"])
    if term is not None:  # Sphinx gives the term's line in its glossary, or none: not the page's
        number = _glossary_term(generated, term["term"]) or number
    if not 0 < number <= len(generated):
        return f"{display_path(page.path)}:1:1: {_told(found['rest'], ' (somewhere in the page)')}"
    while number > 1 and not generated[number - 1].strip():  # a blank line says nothing: the one above does
        number -= 1
    wanted = generated[number - 1].strip()
    own = _written_once(wanted, source)
    if own:
        return f"{display_path(page.path)}:{own}:{_column(found['rest'], source[own - 1])}: {_told(found['rest'])}"
    at, span = _lined_up(source, generated, number)
    writers = "\n".join(source[span[0] - 1 : span[1]])
    for macro, template in (boxes or {}).items():
        if f"{macro}(" in writers:
            # the template's line holds the text among its tags (`{% block extra %}- text`)
            there = _written_once(wanted, template.text.split("\n"), inside=True)
            if there:
                column = _column(found["rest"], template.text.split("\n")[there - 1])
                return f"{display_path(template.path)}:{there}:{column}: {_told(found['rest'])}"
    note = "" if source[at - 1].strip() == wanted else " (in what this line writes)"
    return f"{display_path(page.path)}:{at}:{_column(found['rest'], source[at - 1])}: {_told(found['rest'], note)}"


_TERM_TWICE = re.compile(r"^WARNING: duplicate term description of (?P<term>.+?), other instance in ")
_GLOSSARY = re.compile(r"^[ \t>]*(`{3,}|~{3,}|:{3,})[ \t]*\{glossary\}", re.I)


def _glossary_term(generated: list[str], term: str) -> int | None:
    """The line of a page where a {glossary} defines `term` a second time, else the first
    time (the other is on another page)."""
    found, fence = [], ""
    for number, line in enumerate(generated, 1):
        opened = _GLOSSARY.match(line)
        if opened and not fence:
            fence = opened.group(1)
        elif fence and line.strip().startswith(fence) and not line.strip().strip(fence[0]):
            fence = ""
        elif fence and line.strip() == term and not line[:1].isspace():
            found.append(number)
    return found[1] if len(found) > 1 else found[0] if found else None


def _column(message: str, line: str) -> int:
    """The column, in the page's `line`, of what the message names in quotes (a link's
    target, a directive's name, a label), when the line holds it; else 1."""
    for single, double in re.findall(r"'([^'\n]+)'|\"([^\"\n]+)\"", message):
        named = single or double
        at = line.find(named)
        if at >= 0:
            return at + 1
    return 1


def _written_once(wanted: str, lines: list[str], inside: bool = False) -> int | None:
    """The line of `lines` that is `wanted` (or holds it, `inside`), when there is one only
    and it says something (a fence, a blank line or a bracket says nothing of where it was
    written)."""
    if sum(c.isalnum() for c in wanted) < 3:
        return None
    found = [i for i, text in enumerate(lines, 1) if (wanted in text if inside else text.strip() == wanted)]
    return found[0] if len(found) == 1 else None


def _lined_up(source: list[str], generated: list[str], number: int) -> tuple[int, tuple[int, int]]:
    """The line of `source` (a page as written) that wrote line `number` of `generated`
    (the page as rendered), and the lines (first, last) that wrote the run of lines it is
    in: the two lined up where they are the same (blank lines, which are the same
    anywhere, do not line them up); a line that a macro or a tag wrote goes to the first
    line of the source that its run replaced."""
    matcher = difflib.SequenceMatcher(
        lambda line: not line, [s.strip() for s in source], [g.strip() for g in generated], autojunk=False
    )
    index = number - 1
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if j1 <= index < j2:
            if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):  # one for one
                line = i1 + (index - j1) + 1
                return line, (line, line)
            if tag != "replace":  # inserted: after line i1
                return max(i1, 1), (max(i1, 1), max(i1, 1))
            # of the lines replaced (a block macro's, then a line with a macro in it), the one
            # most like the generated line, if any is much like it; else the first
            wanted = generated[index].strip()
            likeness = [
                (difflib.SequenceMatcher(None, source[i].strip(), wanted, autojunk=False).ratio(), -i)
                for i in range(i1, i2)
            ]
            best, at = max(likeness)
            first = -at + 1 if best >= 0.5 else i1 + 1
            return first, (i1 + 1, i2)
    return 1, (1, 1)


_TOLD = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.*) \[(?P<code>[\w.-]+)\]$")


def build_problems(folder: Path, book: Book, limit: int = 20, settings: Path | None = None) -> list[Diagnostic]:
    """`problems_in_log` as diagnostics, each at the course's page when it is known
    (Sphinx's own kind of warning kept in the message); a line that names no place is
    told at the setting it names in `settings` (the course's _config.yml), else at the log."""
    out = []
    for line in problems_in_log(folder, book, limit, settings):
        found = _TOLD.match(line)
        if found is None:
            out.append(Diagnostic(SourceRef(folder / "_build" / "build.log"), line, Code.BUILD_FAILED))
            continue
        kind = "" if found["code"] == Code.BUILD_FAILED.value else f" ({found['code']})"
        ref = SourceRef(Path(found["path"]), int(found["line"]), int(found["col"]))
        out.append(Diagnostic(ref, found["message"] + kind, Code.BUILD_FAILED))
    return out


_WARNING = re.compile(r"^(?:WARNING|ERROR|CRITICAL|SEVERE): (?P<message>.*?)(?: \[(?P<code>[\w.-]+)\])?$")


def _told(rest: str, note: str = "") -> str:
    """Sphinx's "WARNING: message [type]" as coursegen's "message [code]": its type, when
    it gives one (`myst.header`), else build-failed."""
    found = _WARNING.match(rest)
    if found is None:
        return rest + note
    return f"{found['message']}{note} [{found['code'] or Code.BUILD_FAILED.value}]"
