"""Directives and roles that Jupyter Book does not know, found by `coursegen check`.

A page that writes ```` ```{notte} ```` or {reff}`label` builds without a word in MyST's
own parser, then stops Jupyter Book (`-W`): check said "ok" and the build failed. The
names a page uses are found by a quick look at its lines; the usual ones (docutils',
Sphinx's, MyST's and the book's extensions') pass at once. Only an unusual name costs
more: the page is read with MyST's parser (a fence shown inside a code block is no
directive), and the names that the book's extensions really register are asked of Sphinx
itself, set up with the book's settings, as the build sets it up (about a second, once).
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import io
import json
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .errors import Code, Diagnostic, SourceRef, display_path
from .model import Course
from .yamlfile import lines

# a fence that opens a directive: ```{name}, ~~~{name}, :::{name} (in a quote too)
_DIRECTIVE = re.compile(r"^[ \t>]*(?:`{3,}|~{3,}|:{3,})[ \t]*\{([^{}\s]+)\}", re.M)
# a role: {name}`text`
# reStructuredText, in an {eval-rst} block: `.. name::` (not a substitution's `|x|` part) and `:name:`text``
_RST_DIRECTIVE = re.compile(r"^\s*\.\.\s+(?:\|[^|]+\|\s+)?([A-Za-z][\w.:+-]*)::")
_RST_ROLE = re.compile(r"(?<![\w`]):([A-Za-z][\w.+-]*(?::[A-Za-z][\w.+-]*)?):`")
_ROLE = re.compile(r"(?<![{`])\{([A-Za-z][\w.:+-]*)\}`")

# What Sphinx, MyST, MyST-NB and coursegen register for every book: passed at once.
# docutils' own names are added from docutils itself.
_USUAL_DIRECTIVES = frozenset(
    {
        "toctree", "code-block", "sourcecode", "literalinclude", "only", "index", "seealso",
        "versionadded", "versionchanged", "deprecated", "centered", "hlist", "glossary",
        "highlight", "math", "tabularcolumns", "productionlist", "rubric", "eval-rst",
        "code-cell", "raw-cell", "glue", "figure-md", "margin", "quiz", "tableofcontents",
    }
)  # fmt: skip
_USUAL_ROLES = frozenset(
    {
        "ref", "doc", "numref", "term", "download", "abbr", "math", "eq", "sub-ref", "glue",
        "any", "kbd", "guilabel", "menuselection", "file", "samp", "command", "envvar",
        "option", "program", "dfn", "index", "keyword", "manpage", "mimetype", "rfc", "pep",
        "regexp", "token", "nb-download",
    }
)  # fmt: skip


def unknown_names(
    course: Course, read_by_myst: Callable[[str], list[tuple[int, Any]]], as_read: Callable[[str], str]
) -> list[Diagnostic]:
    """Each directive and role of a page that the book's Jupyter Book does not know, at
    its name. `read_by_myst` reads a page's text with MyST's parser (see validation), and
    `as_read` is the page's text as MyST reads it (Jinja's parts blanked)."""
    usual_directives, usual_roles = _docutils_names(course.languages)
    usual_directives |= _USUAL_DIRECTIVES
    usual_roles |= _USUAL_ROLES
    documents = _documents(course)
    odd = []
    for document in sorted(documents.values(), key=lambda d: d.path):
        text = document.text
        if "{" not in text and "eval-rst" not in text:
            continue
        # docutils looks names up in small letters ({Include} is include)
        names = {n for n in _DIRECTIVE.findall(text) if n.lower() not in usual_directives}
        names |= {f"role:{n}" for n in _ROLE.findall(text) if n.lower() not in usual_roles}
        if names or "eval-rst" in text:
            odd.append(document)
    if not odd:
        return []
    found: list[tuple[Any, int, str, str, str]] = []  # document, line (0-based), kind, name, as written
    for document in odd:
        raw = "\n".join(lines(document.text))
        for line, token in read_by_myst(as_read(raw)):
            info = token.info.strip() if token.type in ("fence", "colon_fence") else ""  # "``` {note}" too
            if info.startswith("{"):
                name = info[1:].split("}", 1)[0].strip()
                if name.lower() not in usual_directives:
                    found.append((document, line, "directive", name, "{" + name + "}"))
                if name.lower() == "eval-rst":  # reStructuredText's `.. name::` and `:name:`text``
                    for number, rst in enumerate(token.content.split("\n"), line + 1):
                        for m in _RST_DIRECTIVE.finditer(rst):
                            if m.group(1).lower() not in usual_directives:
                                found.append((document, number, "directive", m.group(1), f"{m.group(1)}::"))
                        for m in _RST_ROLE.finditer(rst):
                            if m.group(1).lower() not in usual_roles:
                                found.append((document, number, "role", m.group(1), f":{m.group(1)}:`"))
            for child in token.children or [] if token.type == "inline" else []:
                name = str(child.meta.get("name"))
                if child.type == "myst_role" and name.lower() not in usual_roles:
                    found.append((document, line, "role", name, "{" + name + "}"))
    if not found:
        return []
    known = _registered(_book_settings(course))
    if known is None:  # Sphinx could not be set up: the build says what it stops on
        return []
    out = []
    for document, line, kind, name, written in found:
        registered = known[0] if kind == "directive" else known[1]
        if name.lower() in registered:
            continue
        raw_lines = lines(document.text)
        at = next((n for n in range(line, len(raw_lines)) if written in raw_lines[n]), line)
        col = raw_lines[at].find(written) + 1 if at < len(raw_lines) and written in raw_lines[at] else 0
        col += 1 if written[0] in "{:" else 0  # at the name, after its brace or colon
        near = difflib.get_close_matches(name, sorted(n for n in registered if ":" not in n or ":" in name), 1, 0.7)
        hint = f" (did you mean '{near[0]}'?)" if near else ""
        message = f"unknown {kind} '{name}'{hint}: Jupyter Book stops on it"
        out.append(Diagnostic(SourceRef(document.path, at + 1, max(col, 1)), message, Code.PAGE_MARKUP))
    return out


def _docutils_names(languages: list[str]) -> tuple[set[str], set[str]]:
    """docutils' own directives and roles, by their names and their aliases in English and
    in the course's languages (`{sup}`, `{t}`; `{exposant}`, `{astuce}` in a French book:
    docutils reads a book's language's names, and English's)."""
    import importlib

    from docutils.parsers.rst import directives, roles

    directive_names, role_names = set(directives._directive_registry), set(roles._role_registry)
    for lang in {"en", *languages}:
        try:
            module = importlib.import_module(f"docutils.parsers.rst.languages.{lang}")
        except ImportError:
            continue
        directive_names |= {name.lower() for name in getattr(module, "directives", {})}
        role_names |= {name.lower() for name in getattr(module, "roles", {})}
    return directive_names, role_names


def _book_settings(course: Course, lang: str | None = None) -> str:
    """The settings of the course's book in `lang` (by default its first language), as
    coursegen writes them (JSON)."""
    from .assemble import _config  # assemble imports validation, which imports this module

    return json.dumps(_config(course, lang or course.languages[0]), sort_keys=True, default=str)


def _written_settings(book: Any) -> str:
    """A book's settings as its _config.yml holds them (JSON): with the files they name
    at their place in the book (the organisation's logo of country.yml for the course's
    own `logo`)."""
    import yaml

    return json.dumps(yaml.safe_load(book.files["_config.yml"]), sort_keys=True, default=str)


@contextlib.contextmanager
def book_sphinx(
    settings: str,
    pages: dict[str, str] | None = None,
    builder: str = "html",
    warning: io.StringIO | None = None,
    files: dict[str, bytes] | None = None,
) -> Iterator[Any]:
    """Sphinx, set up with the book's `settings` (Jupyter Book's _config.yml, as JSON) as the
    build sets it up, on a book of `pages` (name -> text; empty by default), which it has
    not read yet, and its other `files` (the logo its settings name, its pictures); within
    the block, docutils' registries hold what it registered. Its warnings go to `warning`,
    with their type. Raises what Sphinx raises on a setting it cannot use."""
    from jupyter_book.config import get_final_config
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    # the first page has the book's others under it, as every book's has (Jupyter Book
    # appends their list to it: a page that ends with `---` does not end the book's first)
    pages = {"index": "# Index\n", STUB: "# Stub\n", **(pages or {})}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for rel, data in (files or {}).items():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_bytes(data)
        for name, text in pages.items():
            (tmp / f"{name}.md").parent.mkdir(parents=True, exist_ok=True)
            (tmp / f"{name}.md").write_text(text, "utf-8")
        toc = {"format": "jb-book", "root": "index", "chapters": [{"file": name} for name in pages if name != "index"]}
        (tmp / "_toc.yml").write_text(json.dumps(toc), "utf-8")  # JSON is YAML
        cli = {"latex_individualpages": False}  # as `jupyter-book build` gives it
        config, *_ = get_final_config(user_yaml=json.loads(settings), cli_config=cli, sourcedir=tmp)
        config["external_toc_path"] = str(tmp / "_toc.yml")
        config["show_warning_types"] = True
        with patch_docutils(str(tmp)), docutils_namespace(), contextlib.redirect_stdout(io.StringIO()):
            yield Sphinx(
                str(tmp),
                None,
                str(tmp / "html"),
                str(tmp / "doctrees"),
                builder,
                confoverrides=config,
                status=None,
                warning=warning if warning is not None else io.StringIO(),
                freshenv=True,
            )


STUB = "coursegen-check-stub"
"""A page of the books that `check` has Sphinx read: the first page's other page."""


def _support_files(book: Any) -> dict[str, bytes]:
    """A book's files other than its pages and settings: what its settings and pages name."""
    return {rel: data for rel, data in book.files.items() if not rel.endswith(".md") and rel not in BOOK_SETTINGS}


BOOK_SETTINGS = ("_config.yml", "_toc.yml")


def _unsafe(told: list[Diagnostic]) -> bool:
    """Whether what is told says that Sphinx, set up with the book's settings, would load
    from the network or read a file outside the course (an inventory, a bibliography):
    then `check` does not set it up."""
    return any(d.code in (Code.NETWORK_LOAD, Code.PATH_ESCAPE) for d in told)


def _near(places: set[tuple[Path, int]], path: Path, line: int) -> bool:
    """Whether something is told at `line` of `path` or the line above (a directive told at
    its fence, and by Sphinx at its first line of content; a label, and the heading under it)."""
    return (path, line) in places or (path, line - 1) in places


@functools.cache
def _registered(settings: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """The directives and roles that Sphinx knows once set up with the book's `settings`:
    docutils', those the extensions add, and the domains' (by `domain:name`, and by name
    alone for the standard and Python domains, as Sphinx looks them up). None when Sphinx
    cannot be set up (the build tells why)."""
    try:
        from docutils.parsers.rst import directives, roles

        with book_sphinx(settings) as app:
            directive_names = set(directives._directive_registry) | set(directives._directives)
            role_names = set(roles._role_registry) | set(roles._roles)
            for domain in app.env.domains.values():
                directive_names |= {f"{domain.name}:{n}" for n in domain.directives}
                role_names |= {f"{domain.name}:{n}" for n in domain.roles}
                if domain.name in ("std", app.config.primary_domain or "py"):
                    directive_names |= set(domain.directives)
                    role_names |= set(domain.roles)
        return frozenset(directive_names | {"eval-rst"}), frozenset(role_names)
    except Exception:  # noqa: BLE001 - a setting Sphinx stops on: the build says it, at its line
        return None


def _documents(course: Course) -> dict[Path, Any]:
    """The pages, and the box templates, whose text lands in the pages that show them."""
    documents: dict[Path, Any] = {p.path: p for p in course.pages.values() if p.readable}
    documents.update({t.path: t for t in course.templates.values()})
    return documents


_REFUSED = re.compile(r"\{(?:math|toctree)\}|\.\. math::|:math:`", re.IGNORECASE)
"""What `refused` looks for, as written ({Math} too): a page without it is not parsed."""


_FORMULA = (
    "a formula needs MathJax to be drawn, which this offline site does not hold: the page "
    "would show its TeX source; write it as text (x², ≤, →, ½)"
)
_TOCTREE = "a page cannot hold a {toctree}: the book's table of contents is _toc.yml (list pages there)"


def refused(
    course: Course, read_by_myst: Callable[[str], list[tuple[int, Any]]], as_read: Callable[[str], str]
) -> list[Diagnostic]:
    """What a page or a box template cannot hold, at its place. A {toctree}: Jupyter Book's
    external table of contents (_toc.yml) refuses one, and its build stopped on it, in its
    own words, when `check` had let it through. A formula: a {math} role or directive,
    or reStructuredText's math in {eval-rst}. Sphinx has MathJax draw them, from the
    site's `mathjax_path`; a course's site holds no MathJax (it would come from the
    network, and coursegen keeps the site offline), so the page showed the formula's TeX
    source, `\\(x^2\\)`, and nothing said so."""
    documents = _documents(course)
    out = []
    for document in sorted(documents.values(), key=lambda d: d.path):
        if not _REFUSED.search(document.text):  # most pages: not parsed
            continue
        raw_lines = lines(document.text)
        found: list[tuple[int, str, str]] = []  # line (0-based), as written, what to say
        for line, token in read_by_myst(as_read("\n".join(raw_lines))):
            info = token.info.strip() if token.type in ("fence", "colon_fence") else ""
            name = info[1:].split("}", 1)[0].strip().lower() if info.startswith("{") else ""
            if name == "math":
                found.append((line, "math}", _FORMULA))
            elif name == "toctree":  # the book's table of contents is _toc.yml's: Jupyter Book stops on one
                found.append((line, "toctree}", _TOCTREE))
            elif name == "eval-rst":
                for number, rst in enumerate(token.content.split("\n"), line + 1):
                    # the directive at its line's start (not in a comment's text), the role
                    # outside ``literal`` text
                    found += [(number, ".. math::", _FORMULA)] if re.match(r"\s*\.\. math::", rst) else []
                    found += [(number, ":math:`", _FORMULA)] if re.search(r"(?<![`\w]):math:`", rst) else []
            for child in token.children or [] if token.type == "inline" else []:
                if child.type == "myst_role" and str(child.meta.get("name")).lower() == "math":
                    found.append((line, "math}`", _FORMULA))
        told: set[tuple[int, int]] = set()  # two formulas on one line: each at its own place
        for line, written, message in sorted(found, key=lambda f: f[2] == _TOCTREE):  # formulas first
            places = (
                (n, m.start() + 1)
                for n in range(line, len(raw_lines))
                for m in re.finditer(re.escape(written), raw_lines[n], re.IGNORECASE)
            )
            at, col = next((place for place in places if place not in told), (line, 1))
            told.add((at, col))
            out.append(Diagnostic(SourceRef(document.path, at + 1, col), message, Code.PAGE_MARKUP))
    return out


# Directives whose options `check` reads as MyST reads them in the build: docutils' own,
# which the book's Sphinx does not replace, or replaces keeping their options (figure);
# tests/test_diagnostics.py asks Sphinx, set up with the book's settings, that it is so.
OPTIONS_CHECKED = (
    "attention", "caution", "danger", "error", "hint", "important", "note", "tip", "warning",
    "admonition", "image", "figure", "list-table", "table", "topic",
)  # fmt: skip
_WITH_OPTIONS = re.compile(
    r"^[ \t>]*(?:`{3,}|~{3,}|:{3,})[ \t]*\{(?:" + "|".join(map(re.escape, OPTIONS_CHECKED)) + r")\}[^\n]*\n"
    r"[ \t>]*(?::[\w-]+:|---)",
    re.M,
)
"""A fence of one of those directives whose first line holds an option (`:width: 50%`)."""
_WITHOUT_ARGUMENT = re.compile(r"^[ \t>]*(?:`{3,}|~{3,}|:{3,})[ \t]*\{(?:admonition|image|figure|topic)\}[ \t]*$", re.M)
"""A fence of one of those directives that needs an argument (a title, a picture) without one."""


def option_class(name: str) -> Any:
    """The directive class that reads `name`'s options: docutils' own."""
    import importlib

    from docutils.parsers.rst import directives

    module, cls = directives._directive_registry[name]
    return getattr(importlib.import_module(f"docutils.parsers.rst.directives.{module}"), cls)


def bad_options(
    course: Course, read_by_myst: Callable[[str], list[tuple[int, Any]]], as_read: Callable[[str], str]
) -> list[Diagnostic]:
    """The options of a note, a figure, a table … that MyST refuses in the build, which
    then stops (`-W`): `:foo: bar` on a note, `:width: big` on a figure. They passed `check`.
    Read by MyST's own function, with the directive's own class; not a fence whose lines
    hold Jinja (what it writes is known once rendered)."""
    out = []
    for document in sorted(_documents(course).values(), key=lambda d: d.path):
        if not _WITHOUT_ARGUMENT.search(document.text) and not any(
            "{{" not in m.group(0) and "{%" not in m.group(0) for m in _WITH_OPTIONS.finditer(document.text)
        ):
            continue  # most pages, and the boxes (their title is Jinja's): not parsed
        from docutils.parsers.rst.states import MarkupError
        from myst_parser.parsers.directives import parse_directive_text

        raw_lines = lines(document.text)
        for line, token in read_by_myst(as_read("\n".join(raw_lines))):
            info = token.info.strip() if token.type in ("fence", "colon_fence") else ""
            name, _, argument = info[1:].partition("}") if info.startswith("{") else ("", "", "")
            name = name.strip()
            end = line + token.map[1] - token.map[0] if token.map else line + 1  # `line`: in the page
            if name not in OPTIONS_CHECKED or any("{{" in x or "{%" in x for x in raw_lines[line:end]):
                continue
            try:
                problems = [
                    w.msg for w in parse_directive_text(option_class(name), argument.strip(), token.content).warnings
                ]
            except MarkupError as exc:
                problems = [str(exc)]
            for problem in problems:
                at, col = line, max(raw_lines[line].find("{"), 0) + 1
                named = re.search(r"'([\w-]+)'", problem)  # the option the message names: at its line
                option = re.compile(rf"(?:^|[\s>]):?{re.escape(named.group(1))}:") if named else None
                for n in range(line + 1, end):
                    found = option.search(raw_lines[n]) if option else None
                    if found is not None:
                        at, col = n, found.start() + 1 + (found.group(0)[0] in " \t>")
                        break
                if problem.endswith("argument(s) required, 0 supplied"):  # docutils' words
                    what = "the picture's path" if name in ("image", "figure") else "its title"
                    problem = f"needs {what} after it, on its line ({{{name}}} {what.split()[-1].capitalize()})"
                message = f"{{{name}}}: {' '.join(problem.split())} (the build stops on it)"
                out.append(Diagnostic(SourceRef(document.path, at + 1, col), message, Code.PAGE_MARKUP))
    return out


_LIST_TABLE = re.compile(r"^[ \t>]*(?:`{3,}|~{3,}|:{3,})[ \t]*\{list-table\}", re.M)


def list_table_shapes(
    course: Course, read_by_myst: Callable[[str], list[tuple[int, Any]]], as_read: Callable[[str], str]
) -> list[Diagnostic]:
    """A {list-table} whose shape docutils refuses in the build, which then stops (`-W`):
    rows with more or fewer cells than the first, content that is not a list of rows each a
    list of cells, more `:header-rows:` than rows, more `:stub-columns:` than cells. Its
    content is read as the build reads it: its options by MyST's own function, its rows by
    MyST's parser. Not a fence whose lines hold Jinja (what it writes is known once rendered)."""
    from .validation import _myst

    out = []
    for document in sorted(_documents(course).values(), key=lambda d: d.path):
        if "list-table}" not in document.text or not _LIST_TABLE.search(document.text):
            continue  # most pages: not parsed
        from docutils.parsers.rst.states import MarkupError
        from myst_parser.parsers.directives import parse_directive_text

        raw_lines = lines(document.text)
        for line, token in read_by_myst(as_read("\n".join(raw_lines))):
            info = token.info.strip() if token.type in ("fence", "colon_fence") else ""
            name, _, argument = info[1:].partition("}") if info.startswith("{") else ("", "", "")
            end = line + token.map[1] - token.map[0] if token.map else line + 1  # `line`: in the page
            if name.strip() != "list-table" or any("{{" in x or "{%" in x for x in raw_lines[line:end]):
                continue
            try:
                parsed = parse_directive_text(option_class("list-table"), argument.strip(), token.content)
            except MarkupError:
                continue  # its options: told by `bad_options`
            first = line + 1 + parsed.body_offset  # the page's line of the body's first line
            found: list[tuple[int, str]] = []  # (line, what to say)
            shape = _rows(_myst().parse("\n".join(parsed.body)))
            if shape is None:
                found.append((line, "its content must be a list of rows, each a list of cells (`* - a` then `  - b`), "
                              "and nothing else (the build stops on it)"))  # fmt: skip
                shape = []
            for number, (at, cells) in enumerate(shape[1:], 2):
                if cells != shape[0][1]:
                    found.append((first + at, f"row {number} has {_count(cells, 'cell')} and row 1 has "
                                  f"{shape[0][1]}: every row needs as many (an empty cell is `  -` alone; the "
                                  "build stops on it)"))  # fmt: skip
            for option, count, what in (
                ("header-rows", len(shape), f"the table has {_count(len(shape), 'row')}: one at least must be left for its body"),
                ("stub-columns", min((c for _, c in shape), default=0), "a row has {}: one at least must be left beside them"),
            ):  # fmt: skip
                wanted = parsed.options.get(option, 0)
                if shape and isinstance(wanted, int) and 0 < count <= wanted:
                    at = next((n for n in range(line, end) if f":{option}:" in raw_lines[n]), line)
                    said = what.format(_count(count, "cell"))
                    found.append((at, f":{option}: {wanted}, but {said} (the build stops on it)"))
            for at, message in found:
                col = len(raw_lines[at]) - len(raw_lines[at].lstrip(" \t>")) + 1 if at < len(raw_lines) else 1
                where = SourceRef(document.path, at + 1, col)
                out.append(Diagnostic(where, f"{{list-table}}: {message}", Code.PAGE_MARKUP))
    return out


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" + ("" if n == 1 else "s")


def _rows(tokens: list[Any]) -> list[tuple[int, int]] | None:
    """The rows of a list-table's content as markdown-it reads it: (line in the content,
    number of cells) for each; None when it is not one bullet list of bullet lists."""
    blocks = [t for t in tokens if t.level == 0 and t.nesting >= 0]
    if [t.type for t in blocks] != ["bullet_list_open"]:
        return None
    rows = []
    for n, token in enumerate(tokens):
        if token.type != "list_item_open" or token.level != 1:
            continue
        inside = []  # the row's blocks, up to its end
        for later in tokens[n + 1 :]:
            if later.type == "list_item_close" and later.level == 1:
                break
            inside.append(later)
        blocks = [t for t in inside if t.level == 2 and t.nesting >= 0]
        if [t.type for t in blocks] != ["bullet_list_open"]:
            return None
        cells = sum(1 for t in inside if t.type == "list_item_open" and t.level == 3)
        rows.append((token.map[0] if token.map else 0, cells))
    return rows


# What `check` tells of a page's directives itself (bad_options, list_table_shapes) or
# makes itself (the quiz): a page whose other markup is plain Markdown is not read again.
_JUDGED = frozenset({*OPTIONS_CHECKED, "quiz"} - {"table"})  # {table}: its content is not read
_NEEDS_CONTENT = (
    "attention",
    "caution",
    "danger",
    "error",
    "hint",
    "important",
    "note",
    "tip",
    "warning",
    "admonition",
    "topic",
)
_EMPTY_FENCE = re.compile(  # one of those, with options perhaps, and closed at once
    r"^([ \t>]*)(`{3,}|~{3,}|:{3,})[ \t]*\{(?:" + "|".join(_NEEDS_CONTENT) + r")\}[^\n]*\n"
    r"(?:[ \t>]*:[\w-]+:[^\n]*\n)*[ \t>]*\2[ \t]*$",
    re.M | re.I,
)
_TRANSITION = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$", re.M)
# Sphinx's kinds of warning about what one page cannot know alone (another page, a picture,
# the table of contents): `check` tells those otherwise
_ELSEWHERE = ("image.", "toc.", "ref.", "download.", "epub.", "config.", "app.", "i18n.")
_TYPED = re.compile(r"^(?P<line>.*?) \[(?P<type>[\w.-]+)\]$")


@functools.cache
def _reading_files(languages: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """The directives that read a file of the machine or a URL as a page is read, by their
    names in English and in `languages`: those that always do (an include), and those that
    do with a `:file:` or `:url:` option (raw HTML, a CSV table)."""
    import importlib

    always, optionally = {"include", "literalinclude"}, {"raw", "csv-table"}
    for lang in {"en", *languages}:
        try:
            module = importlib.import_module(f"docutils.parsers.rst.languages.{lang}")
        except ImportError:
            continue
        for name, meant in getattr(module, "directives", {}).items():
            (always if meant in always else optionally if meant in optionally else set()).add(name.lower())
    return frozenset(always), frozenset(optionally)


def _reads_files(markdown: str, reading: tuple[frozenset[str], frozenset[str]]) -> bool:
    """Whether a page holds a directive that reads a file or an address (`_reading_files`)."""
    names = {n.lower() for n in [*_DIRECTIVE.findall(markdown), *_RST_DIRECTIVES.findall(markdown)]}
    always, optionally = reading
    return bool(names & always) or (bool(names & optionally) and re.search(r":(?:file|url):", markdown) is not None)


_RST_DIRECTIVES = re.compile(_RST_DIRECTIVE.pattern, re.M)  # in a whole text


def _for_sphinx(markdown: str) -> bool:
    """Whether a rendered page holds markup that only Sphinx judges: a directive other
    than those of `_JUDGED`, a note without content, a thematic break (`---`), which docutils
    refuses at a page's or a section's ends."""
    names = [n.lower() for n in _DIRECTIVE.findall(markdown)] if "{" in markdown else []
    return any(n not in _JUDGED for n in names) or bool(_EMPTY_FENCE.search(markdown) or _TRANSITION.search(markdown))


def read_by_sphinx(course: Course, books: list[Any], told: list[Diagnostic]) -> list[Diagnostic]:
    """What Jupyter Book would stop on while it reads the rendered pages of `books` that
    hold markup only Sphinx judges (an epigraph or a table without content, a code block's
    lines to emphasize that it does not have, a page ending with `---`, a term defined twice
    in a glossary …): those pages read by Sphinx, set up with the book's settings as the
    build sets it up (about a second per language), each warning told at the course's page
    as the build tells it, unless `told` already says something at its line or the line
    above. Only `check` asks: the build hears it from Jupyter Book. Nothing when Sphinx
    cannot be set up with the settings (the build says why), or would load from the network
    or read outside the course (`_unsafe`)."""
    from .assemble import _TOLD, problems_in_log  # assemble imports validation, which imports this module

    if _unsafe(told):
        return []
    places = {(d.ref.path, d.ref.line) for d in told if d.ref is not None}
    shown = {display_path(d.path): d.path for d in _documents(course).values()}
    out: list[Diagnostic] = []
    for book in books:
        reading = _reading_files(tuple(course.languages))
        written = {rp.page.out: book.files[f"{rp.page.out}.md"].decode("utf-8") for rp in book.pages}
        chosen = {
            out: text  # as the build writes it (a link to the other language under the title)
            for out, text in written.items()
            if _for_sphinx(text)
            # not a page that reads a file or an address as it is read: `check` reads no
            # file outside the course, and loads nothing (_files_outside and _network_loads
            # tell those)
            and not _reads_files(text, reading)
        }
        if not chosen:
            continue
        warnings = io.StringIO()
        try:
            settings = _written_settings(book)
            with book_sphinx(settings, chosen, "dummy", warnings, _support_files(book)) as app:
                app.builder.read()
                folder = Path(app.srcdir)
                log = []
                for line in re.sub(r"\x1b\[[0-9;]*m", "", warnings.getvalue()).splitlines():
                    typed = _TYPED.match(line)
                    if typed is None:  # a warning's next lines
                        log.append(line)
                    elif not typed["type"].startswith(_ELSEWHERE):
                        log.append(typed["line"])  # its type is Sphinx's, not in the build's log
                (folder / "_build").mkdir(exist_ok=True)
                (folder / "_build" / "build.log").write_text("\n".join(log), "utf-8")
                found = problems_in_log(folder, book)
        except Exception:  # noqa: BLE001 - a setting Sphinx stops on: the build says it, at its line
            continue
        for line in found:
            at = _TOLD.match(line)
            path = shown.get(at["path"]) if at is not None else None
            if at is None or path is None or _near(places, path, int(at["line"])):  # a place in no page, or told
                continue
            places.add((path, int(at["line"])))
            message = f"{at['message']} (the build stops on it)"
            out.append(Diagnostic(SourceRef(path, int(at["line"]), int(at["col"])), message, Code.PAGE_MARKUP))
    return out


def settings_by_sphinx(course: Course, books: list[Any], told: list[Diagnostic]) -> list[Diagnostic]:
    """What Sphinx would stop on in the course's own Sphinx settings (`sphinx: config:`),
    which `check` does not judge itself: a value of another type than the setting's
    (`suppress_warnings: 5`), patterns that leave the book's first page out (`"**"`) … Sphinx
    is set up with the book's settings, as the build sets it up (its HTML builder: a style
    of code that Pygments does not have), and reads an empty book; each problem is told at
    the setting it names, as the build tells it. Only when a setting differs from the
    built-in course's (whose builds are tested: the default course's `check` does not set
    Sphinx up); not when something is told of the settings already (Sphinx would stop on
    it, or on what follows from it), nor when it would load from the network or read
    outside the course (`_unsafe`). Only `check` asks: the build hears it from Jupyter Book."""
    from . import layers
    from .assemble import _HANDLER, _setting_named
    from .yamlfile import load_yaml

    own = course.jb_config.get("sphinx")
    if not isinstance(own, dict) or not isinstance(own.get("config"), dict) or not books or _unsafe(told):
        return []
    settings = course.root / "_config.yml"
    if any(d.ref is not None and d.ref.path == settings for d in told):
        return []  # Sphinx would stop on what is told, or on what follows from it: that first
    try:
        builtin = load_yaml(layers.builtin_root() / "_config.yml", [])
    except Exception:  # noqa: BLE001 - no built-in course here: every setting is the course's own
        builtin = {}
    theirs = builtin.get("sphinx", {}).get("config", {}) if isinstance(builtin, dict) else {}
    theirs = theirs if isinstance(theirs, dict) else {}
    if all(key == "extensions" or (key in theirs and theirs[key] == value) for key, value in own["config"].items()):
        return []
    warnings, problems, folder = io.StringIO(), [], ""
    try:
        with book_sphinx(_written_settings(books[0]), None, "html", warnings, _support_files(books[0])) as app:
            folder = str(app.srcdir)
            if getattr(app.builder, "theme", None) is not None:  # its options, as the build's pages take them
                app.builder.theme.get_options(app.builder.theme_options)
            app.builder.read()
    except Exception as exc:  # noqa: BLE001 - what Sphinx stopped on: told, as the build tells it
        problems.append(str(exc))
    for line in re.sub(r"\x1b\[[0-9;]*m", "", warnings.getvalue()).splitlines():
        found = re.match(r"^(?:WARNING|ERROR|CRITICAL): (?P<message>.*?)(?: \[[\w.-]+\])?$", line)
        problems += [found["message"]] if found else []
    out = []
    for problem in dict.fromkeys(problems):
        message = problem.replace(f"{folder}/", "") if folder else problem
        handler = _HANDLER.match(message)
        if handler is not None:  # as the build says it (not a function's address)
            message = (
                f"Jupyter Book stopped as it took the book's settings in ({handler['function']}: "
                f"{handler['message']}): check the settings under sphinx: config:"
            )
        place = _setting_named(message, settings)
        ref = SourceRef(settings, *place) if place else SourceRef(settings)
        out.append(Diagnostic(ref, f"{message} (the build stops on it)", Code.INVALID_VALUE))
    return out
