"""Stage 2, validate: cross-file rules that no single schema can express.

Pure functions from the model to a list of diagnostics; nothing here reads files.
"""

from __future__ import annotations

import difflib
import functools
import os
import posixpath
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import offline
from .errors import Code, Diagnostic, SourceRef, display_path
from .grading import normalise
from .layers import COURSE as COURSE_LAYER
from .loading import PAGE_FILE_SUFFIXES, near_file
from .model import (
    BLOCK_MACROS,
    BOXES,
    COMMON,
    GENERATED_PAGES,
    TRAINER,
    Course,
    Page,
    Question,
    RenderedPage,
    closest,
    meant,
)
from .quizhtml import ANSWER_MAX
from .schema import LANG_NAMES, ordinal, slips, spaced_key
from .yamlfile import lines, locate, locked, text_position, there


def _readable_pages(course: Course) -> list[Page]:
    """The course's pages that could be read, each once, in the order of their paths."""
    return sorted({p.path: p for p in course.pages.values() if p.readable}.values(), key=lambda p: p.path)


def _unix_text(text: str) -> str:
    """A page's text with old Macs' "\\r" line ends as "\\n" (the same lines and columns)."""
    return text if "\r" not in text else "\n".join(lines(text))


def validate(course: Course) -> list[Diagnostic]:
    return [
        *_duplicates(course),
        *_reserved_audiences(course),
        *_page_areas(course),
        *_page_translations(course),
        *_toc_entries(course),
        *_pages_outside_toc(course),
        *_source_translations(course),
        *_excerpts(course),
        *_diagrams(course),
        *_banks(course),
        *_questions(course),
        *_network_loads(course),
        *_files_outside(course),
        *_spaced_paths(course),
        *_term_roles(course),
        *_pasted_lists(course),
        *_indented_text(course),
        *_markdown_in_html(course),
        *_html_never_closed(course),
        *_picture_attributes(course),
        *_code_languages(course),
        *_blocks_alone(course),
        *_unused_templates(course),
        *_blocks_replacing_nothing(course),
        *_markup(course),
        *_tables_read_as_text(course),
        *_links(course),
    ]


def _duplicates(course: Course) -> list[Diagnostic]:
    seen: dict[tuple[str, str], SourceRef] = {}
    out = []
    # in the order written (a question that its schema left out is declared after the rest)
    for kind, ident, ref in sorted(course.declared, key=lambda d: (d[2].path, d[2].line, d[2].col)):
        first = seen.setdefault((kind, ident), ref)
        if first is not ref:
            where = f"{display_path(first.path)}:{first.line}"
            out.append(Diagnostic(ref, f"duplicate {kind} id '{ident}' (first defined at {where})", Code.DUPLICATE_ID))
    return out


RESERVED_AUDIENCES = {
    "all": "every audience, in a question's audiences",
    COMMON: "the common part",
    TRAINER: "the trainer's guide",
}


def _reserved_audiences(course: Course) -> list[Diagnostic]:
    """Audience ids that already mean something: taken for an audience, "all" would count
    the common questions twice, and "common" or "trainer" would merge with those parts."""
    out = []
    for kind, ident, ref in course.declared:
        if kind == "audience" and ident in RESERVED_AUDIENCES:
            message = f"audience id '{ident}' is reserved (it means {RESERVED_AUDIENCES[ident]}): choose another"
            out.append(Diagnostic(ref, message, Code.INVALID_VALUE))
    return out


def _page_areas(course: Course) -> list[Diagnostic]:
    known = {COMMON, TRAINER, *course.audience_ids}
    out = []
    for page in course.pages.values():
        if page.area not in known:
            message = (
                f"folder '{page.area}' is not an audience of this course "
                f"(course.audiences in _config.yml: {', '.join(course.audience_ids)})"
            )
            near = closest(page.area, known)
            if near is not None:  # `Police`, `polce`: folder names are an audience's id, letter for letter
                message += f"; did you mean the folder '{near}'?"
            else:  # `modules/senegal/`: where a page goes
                folders = ", ".join(f"modules/{a}/" for a in course.audience_ids)
                message += (
                    f": put the page in modules/common/ (every audience's) or in its audience's folder ({folders}), "
                    f"or add '{page.area}' to course.audiences"
                )
            out.append(Diagnostic(SourceRef(page.path), message, Code.UNKNOWN_AUDIENCE))
    return out


def _page_translations(course: Course) -> list[Diagnostic]:
    out = []
    keys = sorted({key for key, _ in course.pages})
    for key in keys:
        present = [lang for lang in course.languages if (key, lang) in course.pages]
        for lang in course.languages:
            if lang not in present:
                page = course.pages[(key, present[0])]
                expected = page.path.with_name(page.path.name.replace(f".{page.lang}.md", f".{lang}.md"))
                message = f"this page has no {LANG_NAMES.get(lang, lang)} version ({display_path(expected)} is missing)"
                out.append(Diagnostic(SourceRef(page.path), message, Code.MISSING_TRANSLATION))
    return out


def pages_outside_toc(course: Course) -> list[Page]:
    """The course folder's own pages (every language) that _toc.yml does not list: they
    would not be built (a page added and forgotten in _toc.yml). A built-in page that a
    trainer's course leaves out is its choice; a page in a folder that is no audience's is
    told so elsewhere (_page_areas)."""
    listed = {course.toc_root.file, *(c.file for p in course.parts for c in p.chapters)}
    modules = course.root / "modules"
    known = {COMMON, TRAINER, *course.audience_ids}
    return [
        page
        for (key, _), page in sorted(course.pages.items(), key=lambda item: str(item[1].path))
        if key not in listed and page.area in known and page.path.is_relative_to(modules)
    ]


def _pages_outside_toc(course: Course) -> list[Diagnostic]:
    """Each page outside _toc.yml, said once for all its languages (their own problems are
    found by rendering them apart: assemble.plan_book); none when _toc.yml could not be
    used (its own problems are said)."""
    if course.toc_unread:
        return []
    out, seen = [], set()
    # named with its language and '.md' (`modules/police/local.en.md`): told at that line
    written = {_bare_toc_name(c.file) for c in (course.toc_root, *(c for p in course.parts for c in p.chapters))}
    listed_keys = {c.file for c in (course.toc_root, *(c for p in course.parts for c in p.chapters))}
    for page in pages_outside_toc(course):
        if page.key not in seen and page.key not in written:
            seen.add(page.key)
            message = (
                f"this page is not in _toc.yml, so it is not built: list '{page.key}' there, or move it out of modules/"
            )
            folder, _, name = page.key.rpartition("/")
            builtin = {  # listed pages of the built-in course that the course folder does not replace
                k.rpartition("/")[2]
                for k in listed_keys
                if k.rpartition("/")[0] == folder
                and any(p.layer != COURSE_LAYER for (key, _), p in course.pages.items() if key == k)
            }
            near = closest(name, sorted(builtin)) if course.base is not None else None
            if near is not None:  # `recognize` for the listed `recognise`: a page meant to replace it
                suffix = page.path.name[len(name) :]
                message = (
                    f"this page is not in _toc.yml, so it is not built: did you mean '{folder}/{near}', which it would "
                    f"replace (name the file {near}{suffix})? Else list '{page.key}' there, or move it out of modules/"
                )
            out.append(Diagnostic(SourceRef(page.path), message, Code.TOC_MISSING))
    return out


def _named_so(path: Path) -> bool:
    """Whether a file of exactly that name is there (on a disk that does not tell capitals
    apart, `Recognise.fr.md` is there when `recognise.fr.md` is)."""
    try:
        return there(path, "file") and path.name in os.listdir(path.parent)
    except (OSError, ValueError):
        return False


def _bare_toc_name(file: str) -> str:
    """A table of contents entry without a page file's ending (`.en.md`, `.md`)."""
    return re.sub(r"(?:\.(?:fr|en))?\.(?:md|ipynb)$", "", file)


def _toc_entries(course: Course) -> list[Diagnostic]:
    out = _toc_root(course)
    keys = {key for key, _ in course.pages}
    listed: dict[str, SourceRef] = {}
    everywhere = {course.toc_root.file, *(c.file for p in course.parts for c in p.chapters)}
    for chapter in [course.toc_root, *(c for p in course.parts for c in p.chapters)]:
        first = listed.setdefault(chapter.file, chapter.ref)
        if first is not chapter.ref:  # Jupyter Book would stop on it, with a traceback
            message = f"_toc.yml lists '{chapter.file}' twice (first on line {first.line}): a page appears once"
            out.append(Diagnostic(chapter.ref, message, Code.DUPLICATE_ID))
            continue
        if chapter.file in GENERATED_PAGES or chapter.file in keys:
            continue
        if chapter.file.startswith("/") or ".." in chapter.file.split("/"):
            message = f"_toc.yml entry '{chapter.file}' points outside the course folder"
            out.append(Diagnostic(chapter.ref, message, Code.PATH_ESCAPE))
            continue
        bare = _bare_toc_name(chapter.file)
        if bare != chapter.file and bare in keys:  # `modules/police/local.en.md`
            message = (
                f"_toc.yml names a page by its file, '{chapter.file}': write '{bare}', without its language "
                "and '.md' (one line serves every language)"
            )
            out.append(Diagnostic(chapter.ref, message, Code.TOC_MISSING))
            continue
        within = course.root / chapter.file.rpartition("/")[0]
        if within.is_relative_to(course.root / "modules") and any(
            locked(above)
            for above in [within, *within.parents][: len(within.relative_to(course.root / "modules").parts) + 1]
        ):
            continue  # in a folder of modules/ that cannot be read: told once, by loading
        if "\0" not in chapter.file and any(
            _named_so(course.root / f"{chapter.file}.{lang}.md") for lang in course.languages
        ):
            continue  # a page there, refused for its name (a space, an accent): told at the file
        hint = f"{chapter.file}.{course.languages[0]}.md"
        area = (
            chapter.file.split("/")[1] if chapter.file.startswith("modules/") and chapter.file.count("/") >= 2 else ""
        )
        if (
            course.base is not None
            and area not in {COMMON, TRAINER, *(a.id for a in course.audiences)}
            and "\0" not in chapter.file
            and (course.base / f"{chapter.file}.{course.languages[0]}.md").is_file()
        ):  # the built-in part of an audience that the course's settings leave out
            message = (
                f"_toc.yml names '{chapter.file}', a page of the built-in audience '{area}', which course.audiences "
                f"does not list: add '{area}' to course.audiences, or remove this line"
            )
            out.append(Diagnostic(chapter.ref, message, Code.TOC_MISSING))
            continue
        message = f"_toc.yml names '{chapter.file}', but there is no page {hint}"
        # a page of the same folder that the table of contents does not list: likely the one meant
        folder, _, name = chapter.file.rpartition("/")
        unlisted = [k.rpartition("/")[2] for k in keys - everywhere if k.rpartition("/")[0] == folder]
        close = closest(name, sorted(unlisted))
        message += f" (did you mean '{folder}/{close}'?)" if close else ": write that page, or remove this line"
        out.append(Diagnostic(chapter.ref, message, Code.TOC_MISSING))
    return out


def _toc_root(course: Course) -> list[Diagnostic]:
    """The root is every site's home page, whatever audiences it is built for: a page of an
    audience's part (or of the trainer's guide) there would be shown to the others too (a
    site built with `--audience employers` opened on the police's page)."""
    parts = course.toc_root.file.split("/")
    if len(parts) < 3 or parts[0] != "modules" or parts[1] not in {TRAINER, *course.audience_ids}:
        return []
    if not any((course.toc_root.file, lang) in course.pages for lang in course.languages):
        return []  # no such page: told as such (_toc_entries)
    whose = "the trainer's guide" if parts[1] == TRAINER else f"the audience '{parts[1]}'"
    message = (
        f"root: '{course.toc_root.file}' is a page of {whose}, but the root is the home page of every site "
        "built from the course, whatever audiences it is for: make root a page outside the audiences' "
        "folders (such as modules/index), and list this page in its part"
    )
    return [Diagnostic(course.toc_root.ref, message, Code.INVALID_VALUE)]


def _source_translations(course: Course) -> list[Diagnostic]:
    out = []
    for item in course.sources.values():
        for field in ("title", "text"):
            text = getattr(item, field)
            filled = [lang for lang in course.languages if text.get(lang, "").strip()]
            if filled and len(filled) != len(course.languages):
                for lang in course.languages:
                    if lang not in filled:
                        message = f"'{item.id}' has a {field} in {LANG_NAMES[filled[0]]} but not in {LANG_NAMES[lang]}"
                        out.append(Diagnostic(item.ref, message, Code.MISSING_TRANSLATION))
    return out


def _excerpts(course: Course) -> list[Diagnostic]:
    out = []
    for item in course.sources.values():
        if item.role != "excerpt":
            continue
        parent = course.sources[item.parent]
        for lang in course.languages:
            if " ".join(item.text[lang].split()) not in " ".join(parent.text[lang].split()):
                message = (
                    f"excerpt '{item.id}' is not found word for word in the {LANG_NAMES[lang]} text of '{parent.id}'"
                )
                out.append(Diagnostic(item.ref, message, Code.EXCERPT_MISMATCH))
    return out


def _diagrams(course: Course) -> list[Diagnostic]:
    out = []
    for diagram in course.diagrams.values():
        nodes = diagram.data["nodes"]
        ids: set[str] = set()
        for node, mark in zip(nodes, nodes.item_marks, strict=True):
            ref = SourceRef(diagram.path, *mark)
            if node["id"] in ids:
                out.append(Diagnostic(ref, f"duplicate node id '{node['id']}'", Code.DUPLICATE_ID))
            ids.add(node["id"])
        edges = diagram.data.get("edges", [])
        for edge in edges:
            for end in ("from", "to"):
                if edge[end] not in ids:
                    ref = SourceRef(diagram.path, *edge.value_marks[end])
                    message = f"edge {end} '{edge[end]}': no node has this id"
                    out.append(Diagnostic(ref, message, Code.INVALID_VALUE))
    return out


def _network_loads(course: Course) -> list[Diagnostic]:
    """What the course's pages and box templates would load from the network (offline.py)."""
    out = []
    for page in sorted(course.pages.values(), key=lambda p: p.path):
        if page.readable:
            out += offline.page_problems(page.path, page.text)
    for template in sorted({t.path: t for t in course.templates.values()}.values(), key=lambda t: t.path):
        out += offline.page_problems(template.path, template.text, "template")
    return out


_SPACED_PATH = re.compile(r"(!?)\[(?!\^)[^\]\n]*\]\((?P<path>[^()<>\s]+(?:[ \t]+[^()<>\s\"']+)+)[ \t]*\)")
"""A picture or a link whose path holds a space (`![A form](img/Inspection Form.png)`),
which MyST, as CommonMark, reads as text: a title after the path is in quotes. Not a
footnote's reference followed by words in brackets (`[^c](p. 12)`)."""


def _in_html_tag(text: str, line: int, col: int) -> bool:
    """Whether the 1-based `line` and `col` of `text` are inside an HTML tag's attributes
    (`<img src="…">`, `<div style="…url(…)">`), or a <style> element: what Sphinx does not
    read, so it neither copies the file nor rewrites its path."""
    start = sum(len(x) + 1 for x in text.split("\n")[: line - 1]) + col - 1
    opened = text.rfind("<", 0, start)
    tag = opened >= 0 and re.match(r"<[A-Za-z]", text[opened : opened + 2]) and text[opened - 1 : opened] != "("
    if tag and ">" not in text[opened:start]:  # not Markdown's path in <…>: ![A map](<my map.png>)
        return True
    style = text.lower().rfind("<style", 0, start)
    return style >= 0 and "</style" not in text.lower()[style:start]


_PASTED_ITEM = re.compile(r"^[ \t]*(?:(?P<bullet>[•◦▪▫●○■□‣⁃])[ \t\u00a0]|(?P<marker>[-*+]|\d{1,9}[.)])\u00a0)", re.M)
"""A list item as a word processor pastes it: a '•' (which Markdown does not take for a
list's marker), or a marker followed by a no-break space (which Markdown does not take for
the space after it)."""


_HIDDEN_IN_HTML = re.compile(r"<!--.*?(?:-->|$)|<(script|style)\b.*?(?:</\1\s*>|$)|<[^<>]*>", re.S | re.I)
_MARKDOWN_SYNTAX = re.compile(r"\*\*[^*\n]+\*\*|!?\[[^\]\n]+\]\([^)\n]+\)")
"""Markdown that an HTML block shows as written: bold, a link, a picture."""


def second_titles(pages: list[RenderedPage]) -> list[str]:
    """Notes, as `path:line:col: message`, for a second `# ` heading in a page, as rendered
    (an `{% if %}` may choose between two): a page has one title, which names it in the
    navigation and the browser's tab; a second one is a second heading of the highest level,
    which the page's outline and screen readers take for the start of another page. Told at
    the page's line that holds it, word for word (else at the page's start), without stopping
    the build (Jupyter Book builds it)."""
    out = []
    for rendered in pages:
        if len(re.findall(r"^# ", rendered.markdown, re.M)) < 2:
            continue  # most pages: one title, or none (told otherwise)
        shown = rendered.markdown.split("\n")
        titles = [  # the page's own, not a note's (MyST's parser reads a directive's content apart)
            token.map[0] for token in _myst().parse(rendered.markdown)
            if token.type == "heading_open" and token.tag == "h1" and token.level == 0 and token.map
        ]  # fmt: skip
        raw = lines(rendered.page.text)
        for line in titles[1:]:
            at = next((n for n, text in enumerate(raw) if text.strip() == shown[line].strip()), 0)
            message = "a second title ('# '): a page has one, its name in the navigation; for a section, write '## '"
            out.append(f"{SourceRef(rendered.page.path, at + 1, 1)}: {message}")
    return out


_BLOCK_TAG = re.compile(r"(?<!\\)<(/?)(div|details|section|aside)\b[^>]*?(/?)>", re.I)


def _html_never_closed(course: Course) -> list[Diagnostic]:
    """An HTML block element opened in a page and never closed (`<div class="box">` without
    its `</div>`): the browser closes it at the end of the page's content, so everything
    after it is inside it (styled as a box, or hidden with it), without a word."""
    out = []
    for page in _readable_pages(course):
        if "<" not in page.text:
            continue
        tags = list(_BLOCK_TAG.finditer(page.text))
        if not tags:
            continue
        shown = offline.shown_only(page.text)  # code and comments: shown, not HTML
        opened: list[re.Match[str]] = []
        for tag in tags:
            if offline.inside(shown, tag.start()) or tag.group(3):
                continue
            if not tag.group(1):
                opened.append(tag)
                continue
            names = [o.group(2).lower() for o in opened]
            if tag.group(2).lower() in names:  # closes it, and what was left open inside it
                at = len(names) - 1 - names[::-1].index(tag.group(2).lower())
                for inner in opened[at + 1 :]:
                    name = inner.group(2).lower()
                    closer = f"</{tag.group(2).lower()}> at line {text_position(page.text, tag.start())[0]}"
                    message = f"this <{name}> is never closed: add </{name}> before the {closer}"
                    out.append(
                        Diagnostic(
                            SourceRef(page.path, *text_position(page.text, inner.start())), message, Code.PAGE_MARKUP
                        )
                    )
                del opened[at:]
        if opened and re.search(r"\{%-?\s*(?:if|for|macro|block)\b", page.text):
            continue  # tags that Jinja chooses or repeats: known once rendered
        for tag in opened:
            name = tag.group(2).lower()
            message = f"this <{name}> is never closed: everything after it in the page is inside it; add </{name}>"
            out.append(
                Diagnostic(SourceRef(page.path, *text_position(page.text, tag.start())), message, Code.PAGE_MARKUP)
            )
    return out


_ATTRIBUTES = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)(\{(?![{%#])[^}\n]*\})")
"""A picture followed by attributes, `![A map](map.png){width=200px}`."""


def _enabled(course: Course, extension: str) -> bool:
    """Whether the course's settings turn on one of MyST's extensions."""
    config = course.jb_config
    sphinx = config.get("sphinx")
    for section in (config.get("parse"), sphinx.get("config") if isinstance(sphinx, dict) else None):
        chosen = section.get("myst_enable_extensions") if isinstance(section, dict) else None
        if isinstance(chosen, list) and extension in chosen:
            return True
    return False


def _picture_attributes(course: Course) -> list[Diagnostic]:
    """Attributes after a picture (`{width=200px}`), which MyST reads only with its
    attrs_inline extension, and shows as text otherwise, the picture at its own size."""
    if _enabled(course, "attrs_inline"):
        return []
    out = []
    for page in _readable_pages(course):
        found = list(_ATTRIBUTES.finditer(page.text)) if "){" in page.text else []
        shown = offline.shown_only(page.text) if found else []
        for m in found:
            if offline.inside(shown, m.start()):
                continue
            message = (
                f"'{m.group(1)}' after a picture is shown as text (MyST reads it only with the attrs_inline "
                "extension, which this course does not turn on): for a width, write a {figure} with ':width:'"
            )
            out.append(
                Diagnostic(SourceRef(page.path, *text_position(page.text, m.start(1))), message, Code.PAGE_MARKUP)
            )
    return out


_CODE_FENCE = re.compile(r"^[ \t>]*(?:`{3,}|~{3,})[ \t]*([^\s{`~][^\s`]*)", re.M)
# a code block's directive, with its language: ```{code-block} python
_CODE_DIRECTIVE = re.compile(r"^[ \t>]*(?:`{3,}|~{3,}|:{3,})[ \t]*\{(?:code-block|sourcecode|code)\}[ \t]+(\S+)", re.M)
# Sphinx's own names, and the usual ones, which need no look in Pygments
_KNOWN_LANGUAGES = {
    "py", "python", "py3", "python3", "default", "pycon", "pycon3", "none", "rest", "c", "guess",
    "text", "bash", "sh", "shell", "console", "json", "yaml", "yml", "html", "xml", "css", "javascript",
    "js", "markdown", "md", "ipython", "ipython3", "myst-ansi", "r", "sql", "ini", "toml", "diff",
}  # fmt: skip


def _code_languages(course: Course) -> list[Diagnostic]:
    """A code block in a language that Pygments, which colours code in the book, does not
    know (```csv, ```txt): Sphinx warns, and the build stops (-W) after its Jupyter Book run,
    while `check` said ok. Read as MyST reads the page (a fence shown inside another is text)."""
    out = []
    for page in _readable_pages(course):
        names = (
            {m.group(1) for m in _CODE_FENCE.finditer(page.text)} if "``" in page.text or "~~" in page.text else set()
        )
        names |= {m.group(1) for m in _CODE_DIRECTIVE.finditer(page.text)} if "code" in page.text else set()
        unknown = {name for name in names - _KNOWN_LANGUAGES if not _lexer_known(name)}
        if not unknown:
            continue  # most pages: no code, or in languages Pygments knows
        text = _unix_text(page.text)
        for line, token in _page_tokens(text):
            words = token.info.split() if token.type in ("fence", "colon_fence") else []
            name = words[0] if words and token.type == "fence" else ""
            if words[:1] in (["{code-block}"], ["{sourcecode}"], ["{code}"]) and len(words) > 1:
                name = words[1]  # the directive's argument
            if name in unknown:
                col = text.split("\n")[line].find(name) + 1
                message = (
                    f"'{name}' is no language that Pygments, which colours the book's code, knows: the build "
                    "stops on it; write ```text for plain text, or a language's own name (python, json, …)"
                )
                out.append(Diagnostic(SourceRef(page.path, line + 1, max(col, 1)), message, Code.PAGE_MARKUP))
    return out


@functools.cache
def _lexer_known(name: str) -> bool:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        get_lexer_by_name(name)
    except ClassNotFound:
        return False
    return True


def _markdown_in_html(course: Course) -> list[Diagnostic]:
    """Markdown written inside an HTML block (`<details>`, then `**answer**` on the next
    line): MyST passes the block on as HTML, and the reader sees the stars and brackets."""
    out = []
    for page in _readable_pages(course):
        text = _unix_text(page.text)
        if not re.search(r"^[ ]{0,3}<[A-Za-z]", text, re.M) or not _MARKDOWN_SYNTAX.search(text):
            continue  # most pages: no HTML block, or no Markdown that one could hold
        for line, token in _page_tokens(text):
            if token.type != "html_block" or "<pre" in token.content.lower() or "<code" in token.content.lower():
                continue
            # what the reader sees of it: not its comments, scripts, styles, nor its tags' attributes
            seen = _HIDDEN_IN_HTML.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), token.content)
            found = _MARKDOWN_SYNTAX.search(seen)
            if found is None:
                continue
            at = line + token.content.count("\n", 0, found.start())
            col = found.start() - token.content.rfind("\n", 0, found.start())
            message = (
                f"'{found.group(0)[:40]}' is Markdown inside an HTML block, which shows it as written: leave a "
                "blank line between the HTML tag's line and the Markdown, so that MyST reads it"
            )
            out.append(Diagnostic(SourceRef(page.path, at + 1, col), message, Code.PAGE_MARKUP))
    return out


def _pasted_lists(course: Course) -> list[Diagnostic]:
    """Lists pasted from a word processor, which MyST shows as one paragraph, their items
    run together, without a word."""
    out = []
    for page in _readable_pages(course):
        pasted = "\u00a0" in page.text or any(c in page.text for c in "•◦▪▫●○■□‣⁃")
        found = list(_PASTED_ITEM.finditer(page.text)) if pasted else []  # most pages: not searched
        shown = offline.shown_only(page.text) if found else []
        for m in found:
            at = m.start("bullet") if m.group("bullet") else m.start("marker")
            next_line = page.text[m.end() :].split("\n", 2)[1:2]
            if offline.inside(shown, at) or not (next_line and next_line[0].strip()):
                continue  # code; or a line alone, which shows as written (`• • •`)
            if m.group("bullet"):
                message = f"'{m.group('bullet')}' is no list marker for Markdown: write '- ' instead (the lines run together as one paragraph)"
            else:
                message = f"a no-break space after '{m.group('marker')}': Markdown does not read this line as a list item; write an ordinary space"
            out.append(Diagnostic(SourceRef(page.path, *text_position(page.text, at)), message, Code.PAGE_MARKUP))
    return out


_MYST_NESTING = 20
"""How many blocks MyST's parser opens inside each other (markdown-it's `maxNesting`, in the
CommonMark preset MyST starts from): a list counts two (the list and its item), a quote, a
footnote one. Past it, the parser skips the rest of the text without a word."""
_BLOCK_MARKERS = re.compile(r"(?:[ \t]*(?:>|[-+*:~]|\d{1,9}[.)]|\[\^[^\]\n]+\]:)(?=[ \t]|$))*[ \t]*")
_DEEP_PREFIX = re.compile(rf"\n(?:\[\^[^\]\n]+\]:)?[ \t>\-+*0-9.):~]{{{_MYST_NESTING - 4},}}")
_DEEP_PREFIX_TABS = re.compile(r"\n(?:\[\^[^\]\n]+\]:)?[ \t>\-+*0-9.):~]{4,}")
"""A line's run of indentation and block markers (after a footnote's label), long enough
for a block that begins after it to be nested `_MYST_NESTING` deep, or nearly: a list's
level takes two columns (its marker and a space, or as much indentation), a quote's one;
with tabs, of four columns each. Found after a line break (in the text after one): a
search for it takes a tenth of `^`'s time."""


def nested_too_deep(course: Course, pages: list[RenderedPage]) -> list[Diagnostic]:
    """Lists or quotes nested deeper than MyST reads, in the pages as rendered (what Jinja
    writes, a box's template, a branch left out): that line and the rest of the page (of
    the note, for a directive's content) are left out of the site, and the build says
    nothing. Each page read as MyST reads it, and without its limit, where a line begins
    that deep (most pages: no line does): told where the two part, at the line of the page
    or of a template that writes it (else at the page's start, with the line)."""
    out: dict[tuple[Path, int, int], Diagnostic] = {}
    for rendered in pages:
        text = rendered.markdown
        prefixes = (_DEEP_PREFIX_TABS if "\t" in text else _DEEP_PREFIX).finditer("\n" + text)
        if not any(len(m.group().expandtabs(4)) > _MYST_NESTING - 4 for m in prefixes):
            continue  # most pages: no line begins that deep
        extensions = _course_extensions(course)
        lines = text.split("\n")
        for line in _stops(_myst_with(extensions, _MYST_NESTING), _myst_with(extensions, 10_000), text):
            place, written = _written_in(course, rendered.page, lines[line])
            message = (
                "lists or quotes nested too deeply for MyST (twenty levels at most: a list counts "
                "two, a quote one): this line and what follows it would be left out of the site "
                f"without a word; nest them less{written}"
            )
            out.setdefault(place, Diagnostic(SourceRef(*place), message, Code.PAGE_MARKUP))
    return list(out.values())


def _stops(limited: Any, unlimited: Any, text: str, offset: int = 0) -> list[int]:
    """The lines (from `offset`) where MyST's `limited` parser stops reading `text`, or the
    content of a directive in it that it reads (which it reads apart): where its tokens
    part from those of the `unlimited` one."""
    read = limited.parse(text)
    stops = []
    for index, token in enumerate(unlimited.parse(text)):
        line = offset + (token.map[0] if token.map else 0)
        here = read[index] if index < len(read) else None
        if here is None or (here.type, here.map and here.map[0]) != (token.type, token.map and token.map[0]):
            stops.append(line)
            break
        if (inner := _markdown_inside(token)) is not None:
            stops += _stops(limited, unlimited, inner, line + 1)
    return stops


def _written_in(course: Course, page: Page, shown: str) -> tuple[tuple[Path, int, int], str]:
    """Where a rendered page's line `shown` is written: in the page, else in a template
    (a box's), else the page's start, with the line as Jinja wrote it."""
    for path, source in ((page.path, page.text), *((t.path, t.text) for t in course.templates.values())):
        for number, written in enumerate(_unix_text(source).split("\n")):
            if written.strip() == shown.strip():
                return (path, number + 1, len(_BLOCK_MARKERS.match(written).group()) + 1), ""  # type: ignore[union-attr]
    return (page.path, 1, 1), f" (the line '{shown.strip()}', as Jinja writes it)"


def _course_extensions(course: Course) -> frozenset[str]:
    """The MyST extensions the course's books read pages with (assemble.py's, unless the
    course chooses)."""
    chosen = frozenset(_MYST_DEFAULT)
    sphinx = course.jb_config.get("sphinx")
    for section in (course.jb_config.get("parse"), sphinx.get("config") if isinstance(sphinx, dict) else None):
        extensions = section.get("myst_enable_extensions") if isinstance(section, dict) else None
        if isinstance(extensions, list):
            chosen = frozenset(e for e in extensions if isinstance(e, str))
    return chosen


@functools.cache
def _myst_with(extensions: frozenset[str], nesting: int) -> Any:
    """MyST's parser with `extensions` (a definition list is two blocks deep; one that MyST
    does not know is told elsewhere), reading blocks `nesting` deep at most."""
    try:
        parser = _new_myst(extensions)
    except (TypeError, ValueError):
        parser = _new_myst()
    parser.options["maxNesting"] = nesting
    return parser


_INDENTED_LINE = re.compile(r"^(?:[ ]{0,3}>[ ]?)*(?: {4}|[ ]{0,3}\t)[ \t]*\S", re.M)
"""A line indented by four spaces or a tab: in Markdown, code, after a blank line."""
_PROSE_CHAR = r"(?:[^<>{}\[\]=;`$|\\/*#@]|;(?=[ \t\n])|(?<=\w)/(?=\w+(?:[^\w/]|\Z)))"
"""A character of sentences: none of code's, but for a `;` before a space (French writes
` ; ` in every other sentence) and a `/` between two words or numbers, alone in its word
(`24 h/24`, `et/ou`; a path, `modules/common/basics`, has more)."""
_PROSE = re.compile(
    rf"[ \t]*[(«“\"]?(?:\d+[ \t\u00a0\u202f]*)?[^\W\d_](?=.*?\w){_PROSE_CHAR}*[.!?:…»”)][ \t\n]*\Z", re.S
)
"""Text that reads as sentences: it begins with a letter (after an opening bracket or
quotation mark, a number: `24 h/24 …`), ends as a sentence does, and holds nothing of
code's (a command, `pip install coursegen`, ends otherwise)."""
_NOT_PROSE = re.compile(r"\A[ \t]*[a-z_][\w.-]*:(?:[ \t]|\n|\Z)|\w\([^()\n]*\)[ \t\n]*\Z")
"""What reads as sentences but is code: a `key: value` line, or a line that ends with a
function's call (`print(total)`)."""
_GLOSSARY = re.compile(r"^(?P<fence>`{3,}|:{3,})[ \t]*\{glossary\}.*?^(?P=fence)[ \t]*$", re.M | re.S)
"""A glossary, whose definitions are indented under their terms."""


def _indented_text(course: Course) -> list[Diagnostic]:
    """Text indented by four spaces or a tab after a blank line (a first line indented as
    in a letter, a paragraph pasted from a word processor): MyST shows it as code, in a
    box, its Markdown as written; `check` said "ok". A list item's indented lines are the
    item's, as MyST reads them; and indented code is code (`<iframe …>`, `x = 1`, `cd /tmp`,
    `key: value`, `print(x)`): only a block that reads as sentences is told, in French too
    (` ; `, `24 h/24`, `(voir l'annexe)`)."""
    out = []
    for page in _readable_pages(course):
        text = _unix_text(page.text)
        if not _INDENTED_LINE.search(text) or not _may_hold_indented_text(text):
            continue  # most pages; read by MyST's parser only when a line may be such text
        lines = text.split("\n")
        glossaries = [(text.count("\n", 0, m.start()), text.count("\n", 0, m.end())) for m in _GLOSSARY.finditer(text)]
        definitions = _enabled(course, "deflist")
        for line, token in _page_tokens(text):
            if token.type != "code_block" or line >= len(lines) or not _PROSE.match(token.content):
                continue
            if _NOT_PROSE.search(token.content):
                continue
            if any(start < line <= end for start, end in glossaries) or (definitions and _in_definition(lines, line)):
                continue  # a definition, indented under its term
            written = lines[line]
            col = len(written) - len(written.lstrip(" \t>")) + 1  # in a quote too (`>     text`)
            message = (
                "this text is indented (four spaces or a tab, after a blank line): MyST shows it as code, in a box, "
                "its Markdown as written: remove the indentation (for code, put it between ``` lines)"
            )
            out.append(Diagnostic(SourceRef(page.path, line + 1, col), message, Code.PAGE_MARKUP))
    return out


_OPENING = re.compile(r"[ \t>]*(`{3,}|~{3,}|:{3,})[ \t]*(?:\{([^}]*)\})?")


def _may_hold_indented_text(text: str) -> bool:
    """Whether a line indented by four spaces or a tab is outside a block of code (a fence
    that is no note's): what only MyST's parser then tells for sure (30 ms of a build's
    checks when it read every page with an indented line, for the default course's four,
    whose indented lines are all in code)."""
    fence = ""  # the code fence open
    notes: list[str] = []  # the notes open (their lines are Markdown)
    for line in text.split("\n"):
        opened = _OPENING.match(line)
        marker = opened.group(1) if opened else ""
        closing = opened is not None and opened.group(2) is None and not line[opened.end() :].strip()
        if fence:
            if closing and marker[0] == fence[0] and len(marker) >= len(fence):
                fence = ""
            continue
        if closing and notes and marker[0] == notes[-1][0] and len(marker) >= len(notes[-1]):
            notes.pop()
            continue
        if opened and line[:1] in (" ", "\t", ">"):
            return True  # a fence in a quote or a list item, which ends with it: MyST tells
        if opened and (opened.group(2) is None or opened.group(2).strip() in _NOT_MARKDOWN):
            fence = marker  # code: its lines are not read
            continue
        if opened:
            notes.append(marker)  # a note's lines are Markdown: read
            continue
        if _INDENTED_LINE.match(line):
            return True
    return False


def _in_definition(lines: list[str], at: int) -> bool:
    """Whether the indented text at line `at` goes on with a definition above it (`:   …`,
    MyST's deflist), across blank lines and the definition's other indented paragraphs."""
    for line in reversed(lines[:at]):
        if not line.strip() or line.startswith(("    ", "\t")):
            continue
        return bool(re.match(r":[ \t]", line))
    return False


_TERM_ROLE = re.compile(r"\{term\}`")


def _term_roles(course: Course) -> list[Diagnostic]:
    """`{term}` roles: Sphinx looks their term up in a Sphinx glossary, which these books do
    not have (the course's glossary is data, common/glossary.yml): the build stopped on each
    ("term not in glossary"), after check had said the course was fine."""
    out: list[Diagnostic] = []
    glossaries = {  # a language's book whose page defines terms with MyST's {glossary}: Sphinx looks there
        page.lang
        for page in _readable_pages(course)
        if re.search(r"^[ \t>]*(?:`{3,}|~{3,}|:{3,})\{glossary\}", page.text, re.M)
    }
    for page in _readable_pages(course):
        found = list(_TERM_ROLE.finditer(page.text)) if "{term}" in page.text and page.lang not in glossaries else []
        shown = offline.shown_only(page.text) if found else []  # code, comments and Jinja: not read
        for m in found:
            if offline.inside(shown, m.start()):
                continue
            glossary = posixpath.relpath("common/glossary.md", posixpath.dirname(page.out) or ".")
            written = page.text[m.end() :].split("`", 1)[0]
            named = re.search(r"<([^<>]+)>\s*$", written)  # {term}`text <word>`
            word = " ".join((named.group(1) if named else written).lower().split())
            term = next((t for t in course.glossary if word in (t["id"], t[page.lang]["term"].lower())), None)
            if term is not None:  # the term's own place in it
                glossary = f"{glossary}#{TERM_PREFIX}{term['id']}"
            message = (
                "{term} looks the word up in a Sphinx glossary, which this course does not have (its glossary "
                f"is common/glossary.yml): link to the glossary page instead, [the word]({glossary}), "
                'or quote a definition with {{ definition("…") }}'
            )
            out.append(
                Diagnostic(SourceRef(page.path, *text_position(page.text, m.start())), message, Code.PAGE_MARKUP)
            )
    return out


def _spaced_paths(course: Course) -> list[Diagnostic]:
    """Pictures and links that the page shows as their Markdown text, without a word from
    the build, because their path holds a space (a file named on a phone or on Windows)."""
    out = []
    for page in _readable_pages(course):
        found = list(_SPACED_PATH.finditer(page.text)) if "](" in page.text else []
        shown = offline.shown_only(page.text) if found else []  # code, comments and Jinja: not read
        for m in found:
            if offline.inside(shown, m.start()) or "{" in m.group("path"):
                continue  # code; or a path that Jinja writes (`img/map-{{ lang }}.png`)
            what = "picture" if m.group(1) else "link"
            message = (
                f"'{m.group('path')}': this {what} is shown as text, since its path holds a space: "
                f"rename the file without spaces, or write the path in <…> ({m.group(1)}[…](<{m.group('path')}>))"
            )
            where = SourceRef(page.path, *text_position(page.text, m.start("path")))
            out.append(Diagnostic(where, message, Code.PAGE_MARKUP))
    return out


def made_network_loads(course: Course, pages: list[RenderedPage]) -> list[Diagnostic]:
    """What a rendered page loads from the network that its own text and its boxes'
    templates do not show as written: an address that Jinja puts together
    (`<img src="{{ cdn }}/map.png">`, an `{% if %}` between two). Told at the page: where
    the address's site is written, else at its first line."""
    written = {url for page in course.pages.values() if page.readable for _, _, url in offline.loads(page.text)}
    written |= {url for template in course.templates.values() for _, _, url in offline.loads(template.text)}
    out = []
    for rendered in pages:
        page = rendered.page
        # an address without its slashes that Jinja puts together is not looked for: a
        # rendered page is long, and looking for one in every page took 3 ms a build
        for _, _, url in offline.loads(rendered.markdown, slashless=False):
            if url in written:
                continue  # told where it is written
            site = urllib.parse.urlsplit(url if "://" in url else f"https:{url}").netloc
            at = page.text.find(site) if site else -1
            at = at if at >= 0 else max(page.text.find("//"), 0)
            message = (
                f"once Jinja has filled it in, this page loads {url} from the network, which trainees "
                f"offline do not have: {offline.WHAT_TO_DO}"
            )
            out.append(Diagnostic(SourceRef(page.path, *text_position(page.text, at)), message, Code.NETWORK_LOAD))
    return out


_PICTURE_BEFORE = re.compile(r"(?:!\[[^\]\n]*\]\(\s*<?|\{(?:figure|image)\}\s+|:(?:figure|image)::\s+)$")


def _a_picture_at(text: str, line: int, col: int, target: str) -> bool:
    """Whether the path `target` at `line`, `col` of a page is a picture's whole path
    (`![…](photo)`, a {figure} or {image} directive's): a path without an extension there is
    no page. Not the start of a path with a space (`img/My photo.png`: told by _spaced_paths)."""
    shown = lines(text)[line - 1] if 0 < line <= len(lines(text)) else ""
    after = shown[col - 1 + len(target) :]
    return _PICTURE_BEFORE.search(shown[: col - 1]) is not None and not re.match(r"[ \t]+[^\s\"'(]", after)


def _files_outside(course: Course) -> list[Diagnostic]:
    """The files a page shows or links to (a picture, a document) that the site would not
    have, or should not: outside the course's `modules/` folder (the build copied whatever
    was there: `../../../private/photo.png`), not among the pictures and PDFs under it, or
    in another audience's part (a book for one audience holds that part's only)."""
    out = []
    audiences = set(course.audience_ids) | {TRAINER}
    for page in sorted(course.pages.values(), key=lambda p: p.path):
        if not page.readable:
            continue
        told: set[tuple[int, int]] = set()
        # any path that climbs out, however the page writes it (a link, a directive's option…)
        climbs = "../" in page.text or "..\\" in page.text  # most pages have no such path: not searched
        jinja = [(m.start(), m.end()) for m in _JINJA.finditer(page.text)] if climbs else []  # its loader refuses those
        climbing = [
            (*text_position(page.text, m.start()), m.group(0))
            for m in (_CLIMBING.finditer(page.text) if climbs else ())
            if not offline.inside(jinja, m.start())
        ]
        loaded = offline.local_loads(page.text)
        shown = {(line, col) for line, col, _ in loaded}  # what the site shows or links to
        for line, col, target in [*loaded, *climbing]:
            if (line, col) in told or "://" in target or target.startswith("//") or "{" in target:
                continue
            if target.startswith(("path:", "project:")):  # MyST's own: a file of the book all the same
                target = target.split(":", 1)[1]
            elif re.match(r"[A-Za-z][A-Za-z0-9+.-]+:", target):  # `MAILTO:…`: an address, told by _links
                continue
            told.add((line, col))
            path = target.split("#")[0].split("?")[0].replace("\\", "/")  # `..\..\x.png`, as Windows writes it
            # as Sphinx reads it: from the page's place in the book, or from its top (`/…`)
            in_book = posixpath.normpath(
                path.lstrip("/") if path.startswith("/") else posixpath.join(posixpath.dirname(page.out), path)
            )
            part = in_book.split("/")[0]
            if in_book == ".." or in_book.startswith("../"):
                message = (
                    f"'{target}' is outside the course's modules/ folder, whose files are the only ones "
                    "a page may show: copy the file into modules/ and refer to it from there"
                )
                code = Code.PATH_ESCAPE
            elif (line, col) not in shown or (
                posixpath.splitext(in_book)[1].lower() in (".md", ".ipynb", "")
                and not (posixpath.splitext(in_book)[1] == "" and _a_picture_at(page.text, line, col, target))
            ):
                continue  # a page, a notebook: Jupyter Book's to find (not a picture without its extension)
            elif in_book not in course.module_files:
                kinds = ", ".join(s.lstrip(".") for s in PAGE_FILE_SUFFIXES)
                places = [root / "modules" / in_book for root in (course.root, course.base) if root is not None]
                if not any(there(file, "file", unsure=True) for file in places):
                    message = f"'{target}': no such file under modules/ ({in_book}); pages show files of these kinds there: {kinds}"
                    near = next((near_file(file) for file in places if file.parent.is_dir()), "")
                    message = f"'{target}': no such file under modules/ ({in_book}){near}" if near else message
                    named = sorted(f for f in course.module_files if f.startswith(f"{in_book}."))
                    if not posixpath.splitext(in_book)[1] and named:  # `![x](img/map)` for img/map.png
                        message = (
                            f"'{target}': write the file's name with its extension ('{path}{named[0][len(in_book) :]}')"
                        )
                elif posixpath.splitext(in_book)[1].lower() not in PAGE_FILE_SUFFIXES:
                    message = f"'{target}': pages show files of these kinds only: {kinds}"
                else:
                    continue  # there, and not read: too large or unreadable, said where it is
                code = Code.MISSING_FILE
            elif _in_html_tag(page.text, line, col):
                message = (
                    f"'{target}': a file that HTML shows (<img src=…>, a style's url(), <a href=…>) is not copied "
                    "into the site, which shows nothing there: write it in Markdown (![A map](img/map.png), "
                    "[the form](docs/form.pdf)) or as a {figure}"
                )
                code = Code.MISSING_FILE
            elif "\\" in target:  # the file is there, but Sphinx reads a backslash as part of its name
                message = (
                    f"'{target}': write the path with '/' between folders ({path}): a web address does not take '\\'"
                )
                code = Code.MISSING_FILE
            elif part in audiences and part not in (page.area, COMMON):
                message = (
                    f"'{target}' is in the {part} part, which a book for other audiences does not hold: "
                    "put a file that several parts show in modules/common/"
                )
                code = Code.PATH_ESCAPE
            else:
                continue
            out.append(Diagnostic(SourceRef(page.path, line, col), message, code))
        # a file that a directive reads as the build runs, from an absolute path: anywhere on
        # the machine (`:file: /etc/passwd` in a raw block published it in the site)
        if ":file:" in page.text or "include::" in page.text:
            code_parts = offline.shown_only(page.text)
            for m in _MACHINE_FILE.finditer(page.text):
                if offline.inside(code_parts, m.start("path")):
                    continue  # shown in a code block, not run
                where = SourceRef(page.path, *text_position(page.text, m.start("path")))
                message = (
                    f"'{m.group('path')}' names a file of the machine, outside the course: the build would read "
                    "it into the page (a page shows the files of modules/, by a path from the page)"
                )
                out.append(Diagnostic(where, message, Code.PATH_ESCAPE))
    return out


# what reads a file as the build runs: a directive's :file: option (raw, csv-table), and
# reStructuredText's include and literalinclude
_MACHINE_FILE = re.compile(
    r"^[ \t>]*(?::file:|\.\.[ \t]+(?:include|literalinclude)::)[ \t]*(?P<path>(?:[/~]|[A-Za-z]:[\\/])[^\s`]*)", re.M
)
_JINJA = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
_CLIMBING = re.compile(r"[^\s()<>\"'`\[\]|,*=]*\.\.[/\\][^\s()<>\"'`\[\]|,*]*")


_BLOCK_CALL = re.compile(r"\{\{-?\s*(" + "|".join(BLOCK_MACROS) + r")\s*\(")
_TAGS = re.compile(r"\{%.*?%\}|\{#.*?#\}")
_NOT_RUN = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}|\{#.*?#\}", re.S)


def _blocks_alone(course: Course) -> list[Diagnostic]:
    """A macro that writes a block (`quiz()`, `diagram()` …) with text on its line: what it
    writes then breaks the build (`{{ quiz() }} Good luck!`) or shows learners a directive's
    raw text (`The pathway: {{ diagram("referral") }}`). Jinja runs before Markdown is read,
    so a call in code is one too; one in `{% raw %}` or a Jinja comment is only text."""
    out = []
    for page in sorted(course.pages.values(), key=lambda p: p.path):
        if not page.readable or "{{" not in page.text:
            continue
        text = "\n".join(lines(page.text))  # old Macs' "\r" too; the same lines and columns
        quiet = [(m.start(), m.end()) for m in _NOT_RUN.finditer(text)]
        for call in _BLOCK_CALL.finditer(text):
            end = text.find("}}", call.end())
            if end < 0 or offline.inside(quiet, call.start()):
                continue  # a syntax error (which rendering tells), or text that Jinja leaves alone
            start = text.rfind("\n", 0, call.start()) + 1
            stop = text.find("\n", end)
            if stop < 0:
                stop = len(text)
            name = call.group(1)
            before = _TAGS.sub("", text[start : call.start()])
            if before and not before.strip() and re.search(r"-(?:%\}|\}\})\s*$", text[:start]):
                before = ""  # `{% if x -%}` above it: Jinja strips the indent
            quoting = _quotation_only(course, name, text[call.end() : end])
            below = _TAGS.sub("", text[stop + 1 :].split("\n", 1)[0])  # the line right below
            if call.group(0).startswith("{{-") or text[end - 1] == "-":  # `{{ action("c") -}}`
                message = f"{name}() writes a block of its own: write its call without '-', which joins it to the text around it"
            elif before.strip() or _TAGS.sub("", text[end + 2 : stop]).strip():
                message = f"{name}() writes a block of its own: put the call on a line of its own, with a blank line before and after"
            elif quoting and _joins_a_quote(below):
                message = (
                    f"{name}() writes a quotation, which the line right below it joins, as its last words: "
                    "leave a blank line after the call"
                )
            elif quoting and (m := _BLOCK_CALL.match(below.strip())) and _quotation_first(m.group(1)):
                message = (
                    f"{name}() writes a quotation, and so does the call right below it: the two are shown as one; "
                    "leave a blank line between them"
                )
            elif before and _in_list(text, start):
                message = (
                    f"{name}() writes a block of its own, which is not indented with its call: in a list item, it "
                    "ends the list and shows the rest of the page as code; write the call at the start of its "
                    "line, after the list"
                )
            elif len(before.expandtabs(4)) >= 4:
                message = f"{name}() writes a block of its own: write its call at the start of its line (indented, it is shown as code)"
            elif _fenced(course, name, text[call.end() : end]) and (fence := _backtick_fence_around(text, start)):
                message = (
                    f"{name}() writes a ``` fence, which closes the {fence} around it early (the rest of the page is "
                    f"shown as code): write that {fence} with ':::' instead (:::{fence} … :::)"
                )
            else:
                continue
            out.append(
                Diagnostic(SourceRef(page.path, *text_position(text, call.start())), message, Code.TEMPLATE_ERROR)
            )
    return out


_QUOTING_MACROS = ("action", "sdg", "definition", "quote")
"""The block macros whose text is a quotation (`> …`) and nothing after it, which a line of
text right below joins (Markdown's lazy continuation); a practice's too, unless it has a
note, whose fence it writes last."""
_FIRST_ARGUMENT = re.compile(r"""\s*["']([^"'\n]+)["']""")


def _practice_notes(course: Course, arguments: str) -> bool | None:
    """Whether the practice a `practice("…")` call names has a note (written as a ```
    fence after its quotation); None when the call's argument is not a known practice."""
    named = _FIRST_ARGUMENT.match(arguments)
    item = course.sources.get(f"practice:{named.group(1)}") if named else None
    if item is None:
        return None
    return any(course.sources[p].role == "note" for p in item.points if p in course.sources)


def _quotation_only(course: Course, name: str, arguments: str) -> bool:
    """Whether what the call writes ends with a quotation: its last line a `>` line."""
    return name in _QUOTING_MACROS or (name == "practice" and _practice_notes(course, arguments) is False)


def _quotation_first(name: str) -> bool:
    """Whether what a call writes begins with a quotation (which continues one above it)."""
    return name in (*_QUOTING_MACROS, "practice")


def _fenced(course: Course, name: str, arguments: str) -> bool:
    """Whether what the call writes holds a ``` fence: a quiz's, a diagram's figure, a
    practice's note."""
    return name in ("quiz", "diagram") or (name == "practice" and _practice_notes(course, arguments) is True)


_THEMATIC_BREAK = re.compile(r"^[ ]{0,3}([-*_+])(?:[ \t]*\1){2,}[ \t]*$")


def _joins_a_quote(line: str) -> bool:
    """Whether `line`, right below a quotation, is read as its last words: text, not a
    heading, a list, a fence, a break or a quotation of its own (which begin blocks of their own)."""
    starts_a_block = _LIST_ITEM.match(line) or re.match(r"\s*(?:>|`{3}|~{3})", line) or _THEMATIC_BREAK.match(line)
    return bool(line.strip()) and bool(_TEXT_LINE.match(line)) and not starts_a_block


_BACKTICK_DIRECTIVE = re.compile(r"^[ \t>]*`{3,}[ \t]*\{", re.M)


@functools.lru_cache(maxsize=8)
def _page_tokens(text: str) -> list[tuple[int, Any]]:
    """A page's tokens as MyST reads it (`_tokens`), read once for all its calls."""
    return _tokens(_myst(), _as_myst_reads(text))


def _in_list(text: str, start: int) -> bool:
    """Whether the line at `start` follows a list item's line, or its indented continuation,
    blank lines and Jinja's tags between them aside."""
    for line in reversed(text[:start].split("\n")[:-1] if start else []):
        if not _TAGS.sub("", line).strip():
            continue
        if _LIST_ITEM.match(line):
            return True
        if line[:1] not in (" ", "\t"):
            return False  # text, an HTML tag: no list item it goes on from
    return False


def _backtick_fence_around(text: str, start: int) -> str | None:
    """The directive (`{note}`) of the ``` fence that holds the line at `start`, as MyST
    reads the page; None when none does."""
    if not _BACKTICK_DIRECTIVE.search(text, 0, start):
        return None  # no such fence opens above it: most calls, not parsed
    at = text.count("\n", 0, start)
    for line, token in _page_tokens(text):
        info = token.info.strip() if token.type == "fence" else ""
        if (
            token.markup == "```"  # four backticks or more: not closed by the macro's three
            and info.startswith("{")
            and token.map
            and line < at < line + token.map[1] - token.map[0]
        ):
            return info.split("}", 1)[0] + "}"
    return None


_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,}|:{3,})(.*)$")
_QUOTED = re.compile(r"^(?:[ ]{0,3}>[ ]?)+")  # a block quote's markers: its lines are Markdown too
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+")
_COMMENT_LINE = re.compile(r"^[ ]{0,3}%")
_INCLUDE = re.compile(r"\{((?:literal)?include)\}\s*(.*)", re.I)  # docutils reads {Include} as {include}
_DIRECTIVE = re.compile(r"\{([\w:-]+)\}")
_LITERAL = {*offline._CODE_DIRECTIVES, "math", "raw", "eval-rst", "mermaid"}  # content that is not Markdown
_TEXT_LINE = re.compile(r"^\s*[^\s#{(:<%|]")  # a paragraph's (not a heading, a tag, a label …)
# a thematic break or a heading's underline, a link's definition: not a paragraph's line
_NOT_TEXT = re.compile(r"^[ ]{0,3}(?:([-*_=])(?:[ \t]*\1){2,}[ \t]*|\[(?!\^)[^\]]+\]:.*)$")
_HTML_BLOCK = re.compile(r"^[ ]{0,3}</?([A-Za-z][\w-]*)(?:[\s/>]|$)")  # what MyST passes on as it is
_HTML_RAW = {"pre", "script", "style", "textarea"}  # blocks that run to their closing tag, blank lines and all
_HEADING_NBSP = re.compile(r"^[ ]{0,3}#{1,6}([\u00a0\u2000-\u200a\u202f\u3000])")
_HTML_COMMENT_START = re.compile(r"^[ ]{0,3}<!--")  # an HTML block; one inside a line shows as text
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
# not a link's text: [^x](url), [^x][ref]
_FOOTNOTE = re.compile(r"(?<!\\)\[\^([^\]\s]+)\](?!\[(?!\^)|\([^\s()]*\))(:?)")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s*$")
_LINK_TO_SOURCE = re.compile(r"\]\(<?((?!\w+://)([^()\s<>]*?)\.(?:fr|en)\.md)(?:#[^()\s<>]*)?>?\)")


def _markup(course: Course) -> list[Diagnostic]:
    """What MyST would read otherwise than it looks, in a page's or a template's own lines
    (outside code, Jinja comments and raw blocks), and build without a word:
    - a line that begins with `%` inside a paragraph (a list's, a quote's, a note's): a
      comment, so the rest of a sentence is lost ("environ 86" / "% des victimes");
    - a fence (```, ~~~, :::) never closed: the rest of the page goes into it;
    - an HTML comment never closed: the rest of the page is hidden;
    - a footnote without its text, shown as `[^1]`, or a footnote's text never referred to,
      left out (in pages: a template's footnotes may be a page's);
    - `##` followed by a no-break space: a paragraph, not a heading;
    - MyST's {include}: a book holds no such files."""
    out = []
    pages = _readable_pages(course)
    templates = sorted({t.path: t for t in course.templates.values()}.values(), key=lambda t: t.path)
    for path, raw, in_book, page in [
        *((p.path, p.text, p.out, True) for p in pages),
        *((t.path, t.text, "templates/" + t.name, False) for t in templates),
    ]:
        text = _unix_text(raw)
        if not _SUSPECT.search(text) and _fences_closed(text):
            continue  # most pages: read line by line only when something may be wrong
        # a template's footnotes may be the page's, and the other way round; a label made
        # by Jinja (`[^p{{ i }}]`) is known once rendered only
        shares = not page or _SHARES_TEXT.search(text) is not None or _MADE_LABEL.search(text) is not None
        out += _markup_of(path, _as_myst_reads(text).split("\n"), in_book, footnotes=not shares)
    return out


_TABLE_RULE = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$", re.M)
"""The line of dashes under a table's first row (`| --- | :---: |`)."""
_TABLE_ROW = re.compile(r"^ {0,3}\|.*\|[ \t]*$")


def _cells(row: str) -> int:
    """How many cells a table's row holds, as GFM counts them: its text split at each '|'
    that is not escaped, without those at its two ends."""
    text = row.strip()
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") and not text.endswith("\\|") else text
    return len(re.split(r"(?<!\\)\|", text))


def _jinja_around(raw_lines: list[str], n: int) -> bool:
    """Whether a Jinja tag or comment is among the lines of the block that holds line `n`
    (the lines around it up to a blank one): what MyST reads there is known once rendered."""
    first = n
    while first > 0 and raw_lines[first - 1].strip():
        first -= 1
    last = n
    while last + 1 < len(raw_lines) and raw_lines[last + 1].strip():
        last += 1
    return any("{%" in line or "{#" in line for line in raw_lines[first : last + 1])


def _tables_read_as_text(course: Course) -> list[Diagnostic]:
    """Tables that MyST shows as a paragraph of '|' and '-', without a word: a first row
    with more or fewer cells than the line of dashes under it, or rows without that line.
    Found in a page's lines (most pages have none: no page is parsed), then confirmed by
    MyST's parser: the lines are a paragraph's, not a table's (nor code's)."""
    out = []
    for page in _readable_pages(course):
        if "|" not in page.text:
            continue
        raw = _unix_text(page.text)
        read = _as_myst_reads(raw)  # a Jinja filter's '|' is not a cell's
        page_lines = read.split("\n")
        suspects: list[tuple[int, str]] = []  # 0-based line, and what is wrong
        rules = {n for n, line in enumerate(page_lines) if "|" in line and "-" in line and _TABLE_RULE.match(line)}
        for n in sorted(rules):
            above = page_lines[n - 1] if n else ""
            if "|" in above and _cells(above) != _cells(page_lines[n]):
                suspects.append((n, (
                    f"this table is shown as plain text: its first row has {_cells(above)} cells and the "
                    f"line of dashes under it {_cells(page_lines[n])}; MyST reads a table only when these two "
                    "have as many (the rows below may have fewer)"
                )))  # fmt: skip
        n = 0
        while n < len(page_lines):
            run = n
            while run < len(page_lines) and _TABLE_ROW.match(page_lines[run]) and run not in rules:
                run += 1
            if run - n >= 2 and run not in rules and n - 1 not in rules:
                message = (
                    "these lines are shown as plain text, not as a table: a table needs a line of dashes "
                    "under its first row, one '---' for each cell (| --- | --- |)"
                )
                suspects.append((n, message))
            n = max(run, n + 1)
        if not suspects:
            continue
        paragraphs = [  # the lines of each paragraph (in a note too: its first line is `line`)
            range(line, line + token.map[1] - token.map[0])
            for line, token in _page_tokens(raw)  # read as `read` is
            if token.type == "paragraph_open" and token.map
        ]
        raw_lines = raw.split("\n")
        for n, message in suspects:
            if _jinja_around(raw_lines, n):
                continue  # a tag among its rows (`{%- if … %}`): the table is known once rendered
            if any(n in lines_ for lines_ in paragraphs):  # not a table, nor in code or HTML
                col = len(page_lines[n]) - len(page_lines[n].lstrip()) + 1
                out.append(Diagnostic(SourceRef(page.path, n + 1, col), message, Code.PAGE_MARKUP))
    return out


# What may be a link to a page or a file in a page: an inline link, a reference's
# definition, a `{doc}` role (pages without any are not parsed)
_LINK_SYNTAX = re.compile(r"\]\(|\]:[ \t]|\{(?:doc|ref|numref)\}`|:(?:doc|ref|numref):`|<[iI][nN][vV]:")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
URL_SCHEMES = frozenset({"mailto", "http", "https", "tel"})
"""The addresses MyST takes for links out of a book, unless a course says otherwise: Jupyter
Book's, and `tel:` (see assemble.py)."""
_MYST_SCHEMES = frozenset({"project", "path"})
"""What MyST reads itself, whatever the settings: `project:` a page or file of the book,
`path:` a file to download."""
# directives whose content is code or data, not Markdown: links in them are no links
_NOT_MARKDOWN = {
    "code", "code-block", "sourcecode", "code-cell", "literalinclude", "math", "raw", "eval-rst",
    "csv-table", "glue", "quiz", "graphviz", "mermaid", "highlight", "parsed-literal", "line-block",
    "productionlist",
}  # fmt: skip


def _links(course: Course) -> list[Diagnostic]:
    """A link, in a page, to a page, a file or a label that the course does not have:
    Jupyter Book stops on it (`-W`), and `check` said nothing. Pages' links as MyST reads
    them (MyST's own Markdown parser, the links in notes and other directives too):
    `[text](page.md)`, `[text](page)`, `[text][label]` with `[label]: page.md`,
    `{doc}`page``, relative to the page or (with a leading `/`) to the book's root;
    `[text](#label)` and `{ref}`label``, to a `(label)=` of a page; `page.md#place`, which
    needs anchors made from headings (MyST's `myst_heading_anchors`, off unless the course
    turns it on), except `glossary.md#cg-term-<id>`, a term's place in a page that shows
    the glossary (sphinxext.GlossaryTerms), fine when the glossary has that term. A page of the course that a site leaves out is a page all the same (its
    link shows as text there, sphinxext.py)."""
    pages = _readable_pages(course)
    pages = [p for p in pages if _LINK_SYNTAX.search(p.text)]
    labelled = [p for p in course.pages.values() if p.readable and ")=" in p.text]
    if not pages and len(labelled) < 2 and not any(p.text.count(")=") > 1 for p in labelled):
        return []  # no link, and no label that may be given twice: most courses
    # each page read once by MyST's parser, whichever checks need it
    read_by_myst: Callable[[str], list[tuple[int, Any]]] = functools.cache(lambda text: _tokens(_myst(), text))
    twice = _labels_twice(read_by_myst, course)
    keys = [course.toc_root.file, *(c.file for p in course.parts for c in p.chapters)]
    documents = {GENERATED_PAGES.get(k, k.removeprefix("modules/")) for k in keys}
    # and every page of the course: one that _toc.yml does not list (or cannot, being
    # unreadable) is told as such, not at each link to it
    documents |= {page.out for page in course.pages.values()}
    documents |= {f"{area}/quiz-notebook" for area in (COMMON, *course.audience_ids)}
    documents |= {"genindex", "search"}
    files = set(course.module_files)
    # each language's book has its own labels: those of its pages, and Sphinx's own; None
    # when Jinja makes some (known once rendered: the build says it)
    by_lang: dict[str, set[str] | None] = {lang: {"genindex", "modindex", "search"} for lang in course.languages}
    given_in: dict[str, Path] = {}  # a label, and a page that gives it (in any language)
    for (_, lang), page in sorted(course.pages.items()):
        known = by_lang.get(lang)
        if known is None:
            continue
        if _MADE_LABELS.search(page.text):
            by_lang[lang] = None
            continue
        gives = labels_in(page.text)
        # and each diagram's figure, labelled by `diagram()` (render.py): `diagram-<page>-<name>`
        drawn = re.findall(r"\bdiagram\(\s*[\"']([^\"'/\\]+)[\"']\s*\)", page.text)
        gives |= {f"diagram-{page.out.replace('/', '-')}-{name}".lower() for name in drawn}
        known |= gives
        for label in gives:
            given_in.setdefault(label, page.path)
    config = course.jb_config
    anchors = any(
        isinstance(section, dict) and section.get("myst_heading_anchors")
        for section in (config.get("parse"), (config.get("sphinx") or {}).get("config"))
    )
    untitled, headings = (
        _untitled_labels(read_by_myst, course)
        if any(re.search(r"[{:](?:num)?ref[}:]`", p.text) for p in pages)
        else (frozenset(), frozenset())
    )
    terms = frozenset(str(t["id"]) for t in course.glossary) | course.glossary_written
    schemes = _url_schemes(config)
    settings = (config.get("sphinx") or {}).get("config") if isinstance(config.get("sphinx"), dict) else None
    numbered = _numbered(config, settings)
    glossaries: dict[str, frozenset[str]] = {  # each language's pages that show the glossary
        lang: frozenset(p.out for (_, lg), p in course.pages.items() if lg == lang and _SHOWS_GLOSSARY.search(p.text))
        for lang in course.languages
    }
    out = []
    for page in pages:
        raw = _unix_text(page.text)
        read = _as_myst_reads(raw)
        labels = by_lang.get(page.lang)
        shown = glossaries.get(page.lang, frozenset())
        for line, target, kind in _link_targets(read_by_myst(read)):
            message = _link_problem(
                page.out, target, kind, documents, files, labels, anchors, untitled, terms, shown, schemes, headings
            )
            name = " ".join(target.removeprefix("#").lower().split())
            if kind == "numref" and not numbered:
                message = (  # Sphinx: "numfig is disabled. :numref: is ignored.", which stops the build
                    f"a {{numref}} role to '{target}': figures and tables have no number in this course (its "
                    f"setting numfig is false): link to it with {{ref}}`the text <{target}>`, or set "
                    "numfig: true under sphinx: config: in _config.yml"
                )
            elif message and labels is not None and name not in labels and name in given_in:
                message = (  # a label given in the other language's page only
                    f"a link to the label '{target.removeprefix('#')}', which no page of this language gives "
                    f"({display_path(given_in[name])} does): give it in both languages"
                )
            where = None
            if message and target.strip() in ("", "#"):  # at the link's brackets: `[text]()`
                found = _written_at(raw, read, line, f"]({target})")
                where = (found[0], found[1] + 1) if found else None
            elif message:
                where = _written_at(raw, read, line, target)
            if where is not None:  # (none: Jinja wrote it, known once rendered: the build says it)
                out.append(Diagnostic(SourceRef(page.path, *where), message, Code.PAGE_LINK))
    return [*twice, *out]


# the labels a page gives: `(name)=`, a directive's :name: option (a figure, a note, a
# table), reStructuredText's `.. _name:`
_LABELS = re.compile(
    r"^[ \t>]*(?:\(([^()\s]+)\)=|:name:[ \t]*([^\n:`]+?)|\.\.[ \t]+_([^\n:`]+?):"
    r"|(?:`{3,}|~{3,}|:{3,})[ \t]*\{figure-md\}[ \t]+(\S+))[ \t]*$",  # MyST's figure-md takes its label as argument
    re.M,
)


def _url_schemes(config: dict[str, Any]) -> frozenset[str]:
    """The schemes of the addresses that MyST takes for links out of a book, as the book's
    settings give them: `sphinx: config:` over `parse:` (assemble.py adds `tel` to a list
    given in `parse:`), else Jupyter Book's with `tel`."""
    sphinx = config.get("sphinx")
    over = sphinx.get("config") if isinstance(sphinx, dict) else None
    given = over.get("myst_url_schemes") if isinstance(over, dict) else None
    if isinstance(given, list | dict):
        return frozenset(map(str, given))
    parse = config.get("parse")
    given = parse.get("myst_url_schemes") if isinstance(parse, dict) else None
    if isinstance(given, list):
        return frozenset([*map(str, given), "tel"])
    return frozenset(map(str, given)) if isinstance(given, dict) else URL_SCHEMES


def labels_in(text: str) -> set[str]:
    """The labels that a page's `text` gives, as Sphinx compares them (small letters, one
    space between words)."""
    return {" ".join(next(g for g in m.groups() if g).lower().split()) for m in _LABELS.finditer(text)}


# a label that Jinja writes, `({{ name }})=`: known once rendered
_MADE_LABELS = re.compile(
    r"^[ \t]*\([^()\n]*\{[{%][^()\n]*\)="  # `({{ name }})=`
    r"|^[ \t>]*:name:[^\n]*\{[{%]"  # `:name: {{ name }}`
    r"|\bdiagram\(\s*(?![\"'][^\"'/\\]+[\"']\s*\))"  # `diagram(name)`: a diagram's label, made as it runs
    r"|\{%-?\s*(?:include|extends|import|from)\b",  # what a template gives
    re.M,
)


def _numbered(config: dict[str, Any], settings: Any) -> bool:
    """Whether the books number figures: Sphinx's numfig (Jupyter Book turns it on, the
    built-in course off), read as Sphinx reads it (a text "0" or "" is off, "false" is on);
    Jupyter Book's LaTeX extension, which a course may turn on, turns it on."""
    latex = config.get("latex")
    if isinstance(latex, dict) and latex.get("use_jupyterbook_latex"):
        return True
    if not isinstance(settings, dict) or "numfig" not in settings:
        return True
    value = settings["numfig"]
    return value not in ("0", "") if isinstance(value, str) else bool(value)


def _link_problem(
    here: str,
    target: str,
    kind: str,
    documents: set[str],
    files: set[str],
    labels: set[str] | None,
    anchors: bool,
    untitled: frozenset[str] = frozenset(),
    terms: frozenset[str] = frozenset(),
    glossaries: frozenset[str] = frozenset(),
    schemes: frozenset[str] = URL_SCHEMES,
    headings: frozenset[str] = frozenset(),
) -> str:
    """What is wrong with a link from the page `here` (its path in the book) to `target`;
    "" when nothing is. `kind`: see `_link_targets`. `labels`: None when not all are known;
    `untitled`: the labels on no heading (see `_untitled_labels`); `terms`: the ids of the
    glossary's terms; `glossaries`: the pages of this language that show them (`glossary()`);
    `schemes`: those of the addresses that MyST takes for links out of the book; `headings`:
    the labels above a heading only."""
    if kind == "numref":  # a figure's or a table's number: by its label, given with :name:
        name = " ".join(target.lower().split())
        if labels is not None and name in headings:
            return (
                f"a {{numref}} role to '{target}', a heading's label: sections have no number in this book; "
                f"link to it with {{ref}}`{target}`"
            )
        if labels is not None and name in untitled:
            return (
                f"a {{numref}} role to '{target}', a label above text that has no number (a paragraph, a list): "
                f"{{numref}} numbers figures, tables and code blocks; link to it with {{ref}}`the text <{target}>`"
            )
        if labels is None or name in labels:
            return ""
        return (
            f"a {{numref}} role to '{target}': no figure or table has that label (give it one with ':name: {target}')"
        )
    if kind in ("ref", "bare-ref"):
        name = " ".join(target.lower().split())
        if name.startswith(TERM_PREFIX) and glossaries and labels is not None and name not in labels:
            return (
                f"a {{ref}} role to '{target}', a glossary term: {{ref}} knows labels only, and a term has none; "
                f"link to its place in the glossary, [the word]({_glossary_link(here, glossaries, name)})"
            )
        if kind == "bare-ref" and name in untitled and labels is not None and name in labels:
            return (
                f"a {{ref}} role to '{target}', a label that is not above a heading (nor a figure or table) to "
                f"give the link its text: write the text ({{ref}}`text <{target}>`) or put the label above a heading"
            )
        if labels is None or name in labels:
            return ""
        return (
            f"a {{ref}} role to '{target}': no page has that label (write '({target})=' on the line above the heading)"
        )
    if kind == "link" and target.strip() in ("", "#"):
        return f"a link to '{target}': a link needs a page, a file or a place to go to"
    path, _, place = target.partition("#") if kind == "link" else (target, "", "")
    path = urllib.parse.unquote(path) if kind == "link" else path
    if kind == "doc" and path.endswith((".md", ".ipynb")):
        bare = re.sub(r"[.](?:md|ipynb)$", "", path)
        return f"a {{doc}} role to '{target}': name the page without its '.md' ('{bare}')"
    if kind == "link" and not path:
        if here in glossaries and place.startswith(TERM_PREFIX):
            return _term_problem(target, place, terms)
        if anchors or labels is None or place.lower() in labels:
            return ""
        if place.startswith(TERM_PREFIX) and glossaries:  # the glossary's place, from another page
            return (
                f"a link to '#{place}', a glossary term, which is in the glossary's page, not this one: "
                f"link to it there, [the word]({_glossary_link(here, glossaries, place)})"
            )
        return (
            f"a link to '#{place}': no label of that name, and this book makes no anchors from headings "
            f"(write '({place})=' on the line above the heading)"
        )
    scheme = _SCHEME.match(path) if kind == "link" else None
    name = scheme.group(0)[:-1] if scheme else ""
    if name and name not in schemes | _MYST_SCHEMES and name.lower() in schemes | _MYST_SCHEMES:  # as written
        return f"a link to '{target}': write '{name.lower()}:' in small letters, as MyST reads it"
    if name.lower() == "inv" and name not in schemes:  # MyST's own too, but it reads other sites' inventories
        return (
            f"a link to '{target}': an 'inv:' link points into another site's inventory (intersphinx), which "
            "a course's build does not fetch, as it needs the network: link to a page of the course by its "
            "file, or to the other site by its address (https://…)"
        )
    if name and name not in schemes | _MYST_SCHEMES and len(name) > 1:  # (`C:`: told elsewhere)
        return (
            f"a link to '{target}': MyST takes only {', '.join(sorted(schemes))} addresses for links out of "
            f"the book, and looks for '{target}' in it (add '{name.lower()}' to myst_url_schemes "
            "under parse: in _config.yml, or write the address as text)"
        )
    if name in _MYST_SCHEMES:  # MyST's own: a page or a file of the book, as any other link to one
        rest = path[len(name) + 1 :]
        in_book = posixpath.normpath(
            rest.lstrip("/") if rest.startswith("/") else posixpath.join(posixpath.dirname(here), rest)
        )
        if name == "path" and in_book not in files:  # a file to download (not seen by _files_outside)
            return f"a link to '{target}': no such file in modules/ ({in_book})"
        told = _link_problem(
            here,
            target[len(name) + 1 :],
            kind,
            documents,
            files,
            labels,
            anchors,
            untitled,
            terms,
            glossaries,
            schemes,
            headings,
        )
        return told.replace(f"'{target[len(name) + 1 :]}'", f"'{target}'", 1)
    if scheme or re.search(r"\.(?:fr|en)\.md$", path):
        return ""  # a web address, or a page's file as written: told by _markup
    written = re.search(r"\.(md|ipynb)$", path, re.I) if kind == "link" else None
    beside = posixpath.normpath(posixpath.join(posixpath.dirname(here), path))
    if written and not written.group(1).islower() and beside not in files:
        fixed = path[: written.start()] + written.group(0).lower() + target[len(path) :]  # `page.MD`
        return (
            f"a link to '{target}': a page's file ends in '.{written.group(1).lower()}', in small letters ('{fixed}')"
        )
    if kind == "link" and re.search(r"\.html?$", path, re.I):
        page_file = re.sub(r"[.]html?$", ".md", path, flags=re.I)
        return f"a link to '{target}', a page's HTML file: link to the page itself ('{page_file}')"
    if kind == "link" and re.search(r"\.(?!md$|ipynb$)\w+$", posixpath.basename(path)):
        return ""  # a file to download (a picture, a PDF): told by _files_outside if missing
    name = posixpath.normpath(path[1:] if path.startswith("/") else posixpath.join(posixpath.dirname(here), path))
    page = re.sub(r"\.(?:md|ipynb)$", "", name)
    if name in files or page in documents:
        if page in glossaries and (place.startswith(TERM_PREFIX) or (place in terms and not anchors)):
            return _term_problem(target, place, terms)
        if place.startswith(TERM_PREFIX) and glossaries:  # a page that does not show the glossary
            return (
                f"a link to '{target}', a glossary term, in a page that does not show the glossary: "
                f"link to it in the glossary's page, [the word]({_glossary_link(here, glossaries, place)})"
            )
        if place and not anchors:
            instead = (
                f"link to its label with {{ref}}`{place}`"
                if labels is not None and place.lower() in labels
                else f"write '({place})=' above the heading and link to it with {{ref}}`{place}`"
            )
            return f"a link to '{target}', a place in a page: this book makes no anchors from headings ({instead})"
        return ""
    near = next(iter(difflib.get_close_matches(page, documents, 1, 0.8)), None)
    hint = ""
    if near is not None:
        relative = posixpath.relpath(near, posixpath.dirname(here) or ".")
        hint = f" (did you mean '{relative}{'' if kind == 'doc' else '.md'}'?)"
    what = "a {doc} role" if kind == "doc" else "a link"
    return f"{what} to '{target}': the course has no such page, nor such a file in modules/{hint}"


TERM_PREFIX = "cg-term-"
"""What `glossary()` puts before a term's id to make its place in the page (render.py)."""
# a page that calls glossary(): it shows the terms, each at its place (sphinxext.GlossaryTerms)
_SHOWS_GLOSSARY = re.compile(r"\{\{-?\s*glossary\s*\(\s*\)\s*-?\}\}")


def _term_problem(target: str, place: str, terms: frozenset[str]) -> str:
    """What is wrong with a link to a place in the glossary's page: a term that the
    glossary does not have (the build stopped on it: "local id not found"), or a term's
    id without the prefix of its place."""
    ident = place.removeprefix(TERM_PREFIX)
    if place.startswith(TERM_PREFIX) and ident in terms:
        return ""
    if not place.startswith(TERM_PREFIX):  # `glossary.md#consent`
        return f"a link to '{target}': a term's place in the glossary is '#{TERM_PREFIX}{ident}'"
    near = difflib.get_close_matches(ident, sorted(terms), 3, 0.6)
    hint = (
        f"did you mean {' or '.join(repr(TERM_PREFIX + n) for n in near)}?"
        if near
        else f"its terms' ids are in modules/{COMMON}/glossary.yml"
    )
    return f"a link to '{target}': the glossary has no term '{ident}' ({hint})"


def _glossary_link(here: str, glossaries: frozenset[str], place: str) -> str:
    """A link from the page `here` to a term's place in a page that shows the glossary."""
    page = f"{COMMON}/glossary" if f"{COMMON}/glossary" in glossaries else min(glossaries)
    return f"{posixpath.relpath(page, posixpath.dirname(here) or '.')}.md#{place}"


def _tokens(parser: Any, text: str, offset: int = 0) -> list[tuple[int, Any]]:
    """(line, token) of each block token of `text` (MyST's Markdown) as MyST's parser
    reads it, lines counted from `offset`; with those of the directives whose content is
    Markdown too (notes, tips …), read in turn."""
    found = []
    for token in parser.parse(text):
        first = offset + (token.map[0] if token.map else 0)
        found.append((first, token))
        if (inner := _markdown_inside(token)) is not None:
            found += _tokens(parser, inner, first + 1)
    return found


def _markdown_inside(token: Any) -> str | None:
    """The content of a directive whose content is Markdown (a note, a tip …), its options'
    lines blank, as MyST reads it apart; None for another token."""
    if token.type not in ("fence", "colon_fence") or not token.info.strip().startswith("{") or not token.map:
        return None
    name = token.info.strip()[1:].split("}", 1)[0].strip()  # "``` {note}" is one too
    if name in _NOT_MARKDOWN:
        return None
    body = token.content.split("\n")
    options = 0  # its options (":class: x", or between two "---"): no Markdown
    if body and body[0].strip() == "---":
        options = next((i + 1 for i in range(1, len(body)) if body[i].strip() == "---"), 0)
    while options < len(body) and body[options].startswith(":"):
        options += 1
    return "\n" * options + "\n".join(body[options:])


_RST_ROLE = re.compile(r"(?<![\w`]):(?:std:)?(?P<name>doc|ref|numref):`(?P<content>[^`]+)`")


def _link_targets(tokens: list[tuple[int, Any]]) -> list[tuple[int, str, str]]:
    """(line, target, kind: "link", "doc", "ref", "numref", or "bare-ref" for a {ref} role that
    takes its text from the label's heading) of each link in a page's `tokens` (see
    `_tokens`): the links in directives whose content is Markdown too, and the :doc:, :ref:
    and :numref: roles of reStructuredText in {eval-rst}."""
    found = []
    for first, token in tokens:
        if token.type in ("fence", "colon_fence") and re.match(r"\{\s*eval-rst\s*\}", token.info.strip()):
            for number, rst in enumerate(token.content.split("\n"), first + 1):  # reStructuredText's roles
                for role in _RST_ROLE.finditer(rst):
                    content, name = role["content"], role["name"]
                    named = re.search(r"<([^<>]+)>\s*$", content)
                    kind = name if named or name in ("doc", "numref") else "bare-ref"
                    found.append((number, (named.group(1) if named else content).strip(), kind))
            continue
        for child in token.children or [] if token.type == "inline" else []:
            href = str(child.attrGet("href") or "") if child.type == "link_open" else ""
            if child.type == "link_open" and (child.info != "auto" or href.lower().startswith("inv:")):
                found.append((first, str(child.attrGet("href") or ""), "link"))
            elif child.type == "myst_role" and child.meta.get("name") in ("doc", "ref", "numref"):
                content = child.content
                named = re.search(r"<([^<>]+)>\s*$", content)
                kind = child.meta["name"] if named or child.meta["name"] in ("doc", "numref") else "bare-ref"
                found.append((first, (named.group(1) if named else content).strip(), kind))
    return found


# What a label above it gives a {ref} its text from, as Sphinx's standard domain takes it:
# a heading, a figure's caption, a table's title, a code block's :caption:. A note, an
# image, a code block without a caption give none; another directive is left to the build.
_UNTITLED_DIRECTIVES = {
    "note", "tip", "warning", "important", "hint", "caution", "danger", "error", "attention",
    "admonition", "seealso", "image", "code-block", "code", "sourcecode", "literalinclude",
    "figure", "table", "list-table", "csv-table", "epigraph", "pull-quote", "sidebar", "topic",
}  # fmt: skip


def _titled(token: Any) -> bool:
    """Whether a block, under a label, gives a {ref} to the label its text."""
    if token.type == "heading_open":
        return True
    if token.type not in ("fence", "colon_fence"):
        return False  # a paragraph, a list, a quote, a table
    info = token.info.strip()
    if not info.startswith("{"):
        return False  # a code block
    name, _, argument = info[1:].partition("}")
    name = name.strip().lower()
    lines_ = token.content.split("\n")
    options = [line for line in lines_ if line.startswith(":")]
    if name in ("figure",):  # its caption: the text after its options
        return any(line.strip() for line in lines_ if not line.startswith(":"))
    if name in ("table", "list-table", "csv-table"):
        return bool(argument.strip())
    if name in ("code-block", "code", "sourcecode", "literalinclude"):
        return any(line.startswith(":caption:") for line in options)
    return name not in _UNTITLED_DIRECTIVES


_JINJA_BLOCK = re.compile(r"\{%|^\s*\{\{.*\}\}\s*$")  # a tag, or an expression alone on its line


def _untitled_labels(
    read_by_myst: Callable[[str], list[tuple[int, Any]]], course: Course
) -> tuple[frozenset[str], frozenset[str]]:
    """The labels (`(name)=`) that every page giving them puts above a paragraph, a list
    or other text without a title, never above a heading or a directive: a {ref} to one
    without its own text makes Sphinx stop ("a title or caption not found"). And those
    that every page giving them puts above a heading: a {numref} to one stops it too (a
    section has no number in these books)."""
    titled: set[str] = set()
    untitled: set[str] = set()
    headings: set[str] = set()
    numbered: set[str] = set()  # above what {numref} numbers, or what Jinja writes
    for page in course.pages.values():
        if not page.readable or ")=" not in page.text:
            continue
        raw = _unix_text(page.text)
        raw_lines = raw.split("\n")
        tokens = [(line, t) for line, t in read_by_myst(_as_myst_reads(raw)) if not t.type.endswith("_close")]
        for n, (line, token) in enumerate(tokens):
            if token.type != "myst_target":
                continue
            after = next(((at, t) for at, t in tokens[n + 1 :] if t.type != "myst_target"), None)
            name = " ".join(token.content.lower().split())
            # what Jinja writes below it (a block macro, an include) is known once rendered
            made = any(_JINJA_BLOCK.search(text) for text in raw_lines[line + 1 : after[0] + 1 if after else None])
            (titled if made or (after is not None and _titled(after[1])) else untitled).add(name)
            heading = not made and after is not None and after[1].type == "heading_open"
            (headings if heading else numbered).add(name)
    other = set()  # given another way too (a directive's :name:, reStructuredText's)
    for page in course.pages.values():
        if page.readable and (":name:" in page.text or ".. _" in page.text or "{figure-md}" in page.text):
            other |= {
                " ".join(next(g for g in m.groups()[1:] if g).lower().split())
                for m in _LABELS.finditer(page.text)
                if not m.group(1)
            }
    return frozenset(untitled - titled - other), frozenset(headings - numbered - other)


def _labels_twice(read_by_myst: Callable[[str], list[tuple[int, Any]]], course: Course) -> list[Diagnostic]:
    """A label (`(name)=`) given twice in one language's book, which Sphinx stops on:
    told at the second, with the first's place. Labels as MyST reads them (not in code)."""
    out = []
    for lang in course.languages:
        first: dict[str, SourceRef] = {}
        pages = [p for (_, lg), p in sorted(course.pages.items()) if lg == lang and p.readable and ")=" in p.text]
        for page in sorted(pages, key=lambda p: p.path):
            raw = _unix_text(page.text)
            raw_lines = raw.split("\n")
            for line, token in read_by_myst(_as_myst_reads(raw)):
                if token.type != "myst_target":
                    continue
                name = token.content.strip()
                col = raw_lines[line].find(f"({name})=") + 1 if line < len(raw_lines) else 1
                where = SourceRef(page.path, line + 1, max(col, 1))
                earlier = first.setdefault(name.lower(), where)
                if earlier is not where:
                    at = f"{display_path(earlier.path)}:{earlier.line}"
                    message = f"label '{name}' is given twice in this language's book (first at {at}): a label names one place"
                    out.append(Diagnostic(where, message, Code.DUPLICATE_ID))
    return out


def _written_at(raw: str, read: str, line: int, target: str) -> tuple[int, int] | None:
    """Where `target` is written in the page, from the 0-based `line` on (the first line of
    its paragraph, list or table; a reference's definition may come later): its line and
    column, 1-based; None when the page's own text does not hold it there (Jinja wrote it)."""
    raw_lines, read_lines = raw.split("\n"), read.split("\n")
    for number in range(line, len(read_lines)):
        at = read_lines[number].find(target)
        while at >= 0:
            if raw_lines[number][at : at + len(target)] == target:
                return number + 1, at + 1
            at = read_lines[number].find(target, at + 1)
    return None


_MADE_LABEL = re.compile(r"\[\^[^\]\n]*\{[{%]")
_SHARES_TEXT = re.compile(r"\{%-?\s*(?:include|extends|import|from)\b|\b(?:" + "|".join(BOXES) + r")\s*\(")
_JINJA_PARTS = re.compile(
    r"\{%-?\s*raw\s*-?%\}(?P<raw>.*?)\{%-?\s*endraw\s*-?%\}|\{#.*?#\}|\{%.*?%\}|\{\{(?P<expr>.*?)\}\}", re.S
)
_BLOCK_EXPRESSION = re.compile(r"-?\s*(?:" + "|".join(BLOCK_MACROS) + r")\s*\(")


def _as_myst_reads(text: str) -> str:
    """A page's text as MyST will read its lines, as far as the checks need (lines and
    columns kept): Jinja's tags and comments are blank (a tag alone on its line leaves a
    blank line), a raw block's content is text, an expression is a word of text (a block
    macro's is blank: what it writes stands apart)."""

    def part(m: re.Match[str]) -> str:
        if m.group("raw") is not None:  # its tags blank, its content as it is
            inner = m.group("raw")
            start = m.start("raw") - m.start()
            whole = m.group(0)
            return _blank(whole[:start]) + inner + _blank(whole[start + len(inner) :])
        if m.group("expr") is not None and not _BLOCK_EXPRESSION.match(m.group("expr")):
            return re.sub(r"[^\n]", "x", m.group(0))
        return _blank(m.group(0))

    return _JINJA_PARTS.sub(part, text)


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def _markup_of(path: Any, page_lines: list[str], in_book: str = "page", footnotes: bool = True) -> list[Diagnostic]:
    """`_markup`'s problems in a page's lines; `in_book`: the page's path in the book."""
    out = []

    def said(line: int, col: int, message: str) -> None:
        out.append(Diagnostic(SourceRef(path, line, col), message, Code.PAGE_MARKUP))

    # the fences open, outermost first: (character, length, line, literal: its content is
    # code, indentation)
    fences: list[tuple[str, int, int, bool, int]] = []
    comment: tuple[int, int] | None = None  # where an HTML comment was opened
    html: str | bool = False  # in an HTML block (the closing tag that ends it, for a <pre>)
    previous = ""  # the last line of Markdown text (a quote's without its marker)
    last = ""  # the last line that was not blank, as written
    # footnotes, by label: where each is referred to and defined, and in which directive
    # (the line of the outermost fence, 0 outside): MyST reads a directive's content apart,
    # so a footnote defined in a note is not the text of a reference outside it
    refs: dict[str, list[tuple[int, int, int]]] = {}
    notes: dict[str, list[tuple[int, int, int]]] = {}
    first = next((i for i, line in enumerate(page_lines) if line.strip()), 0)
    item: int | None = None  # where the content of the list item the lines are in begins

    def closes(fence: tuple[str, int, int, bool, int], found: re.Match[str]) -> bool:
        indent = len(found.group(1).expandtabs(4))  # at most three spaces more than the fence's
        same = found.group(2)[0] == fence[0] and len(found.group(2)) >= fence[1]
        return same and not found.group(3).strip() and indent <= fence[4] + 3

    for number, raw in enumerate(page_lines, 1):
        if comment is not None:
            if "-->" in raw or "--!>" in raw:  # browsers end a comment at either
                comment = None
            continue
        quoted = _QUOTED.match(raw)
        line = raw[quoted.end() :] if quoted else raw
        found = _FENCE.match(line)
        if found and found.group(2)[0] == "`" and "`" in found.group(3):
            found = None  # ``` code ``` in a sentence: a code span, not a fence
        indented = found and len(found.group(1).expandtabs(4)) >= 4 and not fences
        if indented and not (_LIST_ITEM.match(last) or (last[:1].isspace() and last.strip())):
            found = None  # indented code, not in a list item (whose fences are indented)
        if raw.strip():
            last = raw
        if found and fences and closes(fences[0], found):
            fences.clear()  # the outermost fence ends here, and whatever it holds
            previous = ""
            continue
        if found and fences and closes(fences[-1], found):
            fences.pop()
            previous = ""
            continue
        if fences and fences[-1][3]:
            continue  # code: its lines are not Markdown
        if html:
            # a <pre> ends at its closing tag, another block at a blank line
            html = ("" if html in line.lower() else html) if isinstance(html, str) else bool(line.strip())
            previous = ""
            continue
        if found:
            info = found.group(3).strip()
            if footnotes:  # a directive's title may refer to a footnote
                for note in _FOOTNOTE.finditer(info):  # read with the page's lines, not the content's
                    refs.setdefault(note.group(1), []).append((number, 1, fences[0][2] if fences else 0))
            directive = _DIRECTIVE.match(info)
            literal = directive is None or directive.group(1).lower() in _LITERAL
            fences.append((found.group(2)[0], len(found.group(2)), number, literal, len(found.group(1).expandtabs(4))))
            previous = ""
            include = _INCLUDE.match(info)
            target = include.group(2) if include else ""
            climbs = posixpath.normpath(posixpath.join(posixpath.dirname(in_book), target)).startswith("..")
            if include and not climbs:  # out of modules/: told as such (_files_outside)
                said(
                    number,
                    line.index("{") + 1 + (quoted.end() if quoted else 0),
                    f"{{{include.group(1)}}} cannot reach the course's files: a book holds its rendered pages and "
                    "the pictures and PDFs of modules/ only (write the text in the page, or in templates/NAME.md, "
                    'and write {% include "NAME.md" %})',
                )
            continue
        plain = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        indent = len(line) - len(line.lstrip())
        marker = _LIST_ITEM.match(line)
        if marker:
            item = marker.end()
        elif line.strip() and item is not None and indent < item and not _TEXT_LINE.match(previous):
            item = None  # the list ends (a line of its paragraph may be less indented: lazily)
        in_item = item is not None and item <= indent <= item + 3 and not marker
        block = _HTML_BLOCK.match(plain)
        if block:  # raw HTML, shown as written: up to the next blank line, or the closing tag
            tag = block.group(1).lower()
            closing = f"</{tag}>"
            html = closing if tag in _HTML_RAW and closing not in plain[block.end() :].lower() else True
            previous = ""
            continue
        opened = _HTML_COMMENT_START.match(plain)
        if opened and "-->" not in plain[opened.end() :] and "--!>" not in plain[opened.end() :]:
            comment = (number, opened.end() - 3 + (quoted.end() if quoted else 0))
        comments = _COMMENT_LINE.match(line) or (in_item and line.lstrip().startswith("%"))
        if marker and line[marker.end() :].startswith("%"):
            said(
                number,
                marker.end() + 1 + (quoted.end() if quoted else 0),
                "a list item that begins with '%' is a comment for MyST: the item shows empty (begin it with "
                "a word, as in '71 % de femmes')",
            )
        if comments and _TEXT_LINE.match(previous) and not _NOT_TEXT.match(previous):
            said(
                number,
                line.index("%") + 1 + (quoted.end() if quoted else 0),
                "a line that begins with '%' is a comment for MyST, not shown: here it cuts the paragraph "
                "above (keep '%' on the line before, as in '86 %', or leave a blank line before a comment)",
            )
        nbsp = _HEADING_NBSP.match(line[marker.end() :] if marker else line)
        if nbsp and number - 1 != first and not previous.strip():  # where a heading would stand
            at = nbsp.start(1) + 1 + (marker.end() if marker else 0) + (quoted.end() if quoted else 0)
            said(
                number, at, "a no-break or other special space after '#': not a heading for MyST (write a plain space)"
            )
        for link in _LINK_TO_SOURCE.finditer(plain):
            said(
                number,
                link.start(1) + 1 + (quoted.end() if quoted else 0),
                f"a link to '{link.group(1)}', the file as written: pages link to a page by its name without "
                f"the language, '{link.group(2)}.md' (each language's book has its own)",
            )
        if footnotes:
            for note in _FOOTNOTE.finditer(plain):
                before = plain[: note.start()]
                definition = note.group(2) == ":" and (not before.strip() or _LIST_MARKER.match(before) is not None)
                where = (number, note.start() + 1, fences[0][2] if fences else 0)
                (notes if definition else refs).setdefault(note.group(1), []).append(where)
        previous = line
    if fences:
        char, length, number, _, _ = fences[0]
        said(
            number,
            1,
            f"this fence ({char * length}) is never closed: the rest of the page is inside it "
            f"(close it with {char * length} on a line of its own)",
        )
    if comment is not None:
        said(*comment, "this HTML comment (<!--) is never closed: the rest of the page is hidden (close it with -->)")

    def serves(note: tuple[int, int, int], ref: tuple[int, int, int]) -> bool:
        """MyST reads the page's own lines first, then each directive's content in turn: a
        footnote defined outside directives (scope 0) is known everywhere; one defined in a
        directive, in that directive and the ones after it only (scope: the line of the
        directive's outermost fence)."""
        return note[2] == 0 or (ref[2] != 0 and note[2] <= ref[2])

    for label, places in refs.items():
        lost = next((r for r in places if not any(serves(n, r) for n in notes.get(label, []))), None)
        if lost is not None:
            said(lost[0], lost[1], f"footnote [^{label}] has no text: write it on a line of its own, '[^{label}]: …'")
    for label, places in notes.items():
        unused = next((n for n in places if not any(serves(n, r) for r in refs.get(label, []))), None)
        if unused is not None:
            said(
                unused[0],
                unused[1],
                f"the text of footnote [^{label}] is left out: no [^{label}] in the page refers to it",
            )
    return out


_SUSPECT = re.compile(
    r"\n[ \t>]*%|<!--|\[\^|#[\u00a0\u2000-\u200a\u202f\u3000]|\{(?:literal)?include\}|\.(?:fr|en)\.md[#)>]", re.I
)
"""What `_markup_of` looks for (a page's first line is its title, never a comment)."""
_FENCE_LINES = re.compile(r"\n[ \t]*(`{3,}|~{3,}|:{3,})([^\n]*)")  # a literal first: searched fast


def _fences_closed(text: str) -> bool:
    """Whether every fence of `text` is closed (as `_markup_of` reads them)."""
    fence: tuple[str, int] | None = None
    for found in _FENCE_LINES.finditer("\n" + text):
        mark, rest = found.group(1), found.group(2)
        if mark[0] == "`" and "`" in rest:
            continue  # ``` code ``` in a sentence: a code span
        if fence is None:
            fence = (mark[0], len(mark))
        elif mark[0] == fence[0] and len(mark) >= fence[1] and not rest.strip():
            fence = None
    return fence is None


_NAMED_AS_IT_RUNS = re.compile(
    r"\{%-?\s*(?:include|extends|import|from)\s+(?![\"'][^\"'\n]*[\"']\s*(?:-?%\}|with\b|without\b|ignore\b|import\b|as\b))"
)
"""An include (or extends, import) whose template's name is made as the page runs."""


def _blocks_of(name: str, course: Course, seen: frozenset[str] = frozenset()) -> set[str] | None:
    """The blocks of the template `name` and of those it extends; None if one cannot be
    read (not found, a syntax error, an extends made as it runs: said elsewhere)."""
    from jinja2 import Environment, TemplateSyntaxError, nodes

    template = course.templates.get(name)
    if template is None or name in seen:
        return None
    try:
        tree = Environment().parse(template.text)
    except TemplateSyntaxError:
        return None
    blocks = {block.name for block in tree.find_all(nodes.Block)}
    for extends in tree.find_all(nodes.Extends):
        if not isinstance(extends.template, nodes.Const):
            return None
        above = _blocks_of(str(extends.template.value), course, seen | {name})
        if above is None:
            return None
        blocks |= above
    return blocks


def _blocks_replacing_nothing(course: Course) -> list[Diagnostic]:
    """A block of a template that extends another, named as no block of it: Jinja shows
    only the blocks that replace one, so its text was shown nowhere, without a word
    (`{% block hotlin %}` for `hotline`)."""
    from jinja2 import Environment, TemplateSyntaxError, nodes

    out = []
    for template in sorted({t.path: t for t in course.templates.values()}.values(), key=lambda t: t.path):
        if template.layer != COURSE_LAYER or "extends" not in template.text:
            continue
        try:
            tree = Environment().parse(template.text)
        except TemplateSyntaxError:
            continue  # said when the template is rendered
        parents = [e.template for e in tree.find_all(nodes.Extends)]
        if len(parents) != 1 or not isinstance(parents[0], nodes.Const):
            continue
        parent = str(parents[0].value)
        known = _blocks_of(parent, course, frozenset({template.name}))
        text = "\n".join(lines(template.text))
        for where in _text_outside_blocks(tree, text.split("\n")):
            its = f" (its blocks: {', '.join(sorted(known))})" if known else ""
            message = (
                f"this text is outside any block, so it is shown nowhere: a template that extends {parent} "
                f"shows only its blocks; put the text inside one{its}"
            )
            out.append(Diagnostic(SourceRef(template.path, *where), message, Code.TEMPLATE_ERROR))
        if not known:
            continue
        for block in tree.body:
            if not isinstance(block, nodes.Block) or block.name in known:
                continue
            if re.search(rf"\bself\.{re.escape(block.name)}\b", template.text):
                continue  # shown by the template itself: `{{ self.note() }}`
            close = difflib.get_close_matches(block.name, sorted(known), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            message = (
                f"block '{block.name}' replaces no block of {parent}, so its text is shown nowhere "
                f"({hint}its blocks: {', '.join(sorted(known))})"
            )
            found = re.search(rf"\{{%-?\s*block\s+{re.escape(block.name)}\b", text)
            where = text_position(text, found.start()) if found else (block.lineno, 1)
            out.append(Diagnostic(SourceRef(template.path, *where), message, Code.TEMPLATE_ERROR))
    return out


def _text_outside_blocks(tree: Any, text: list[str]) -> list[tuple[int, int]]:
    """Where text (or a `{{ … }}`) is written after the `{% extends %}` of a template and
    outside its blocks: Jinja leaves it out, without a word. Once for each run of such text.
    (Text before the `{% extends %}` is shown, before the template it extends.)"""
    from jinja2 import nodes

    out = []
    extended = False
    for node in tree.body:
        extended = extended or isinstance(node, nodes.Extends)
        if not extended or not isinstance(node, nodes.Output):
            continue
        for child in node.nodes:
            if isinstance(child, nodes.TemplateData):
                data = child.data.lstrip()
                if not data:
                    continue
                line = child.lineno + child.data[: len(child.data) - len(data)].count("\n")
                first = data.split("\n", 1)[0].strip()
            else:
                line, first = child.lineno, "{{"
            written = text[line - 1] if 0 < line <= len(text) else ""
            out.append((line, written.find(first) + 1 or 1))
            break
    return out


_BOX_WORDS = {
    "who-to-call.md": ("appel", "urgence", "call", "emergenc", "hotline"),
    "referral-contacts.md": ("orient", "contact", "referral", "partenaire"),
}
"""Words of a box's name as a trainer may write it in their words, or in French
(`qui-appeler.md`, `contacts-orientation.md`): the box they meant."""


def _unused_templates(course: Course) -> list[Diagnostic]:
    """A template of the course folder's that replaces no box, and that no page or template
    names: a box's name misspelt (`who-to-cal.md`, said with the box meant) or translated
    (`qui-appeler.md`), so the built-in box is used; or a template of the trainer's own that
    nothing includes. Its text is shown nowhere."""
    boxes = sorted(t.name for key, t in course.templates.items() if key.startswith("builtin:"))
    texts = [p.text for p in course.pages.values() if p.readable] + [t.text for t in course.templates.values()]
    if any(_NAMED_AS_IT_RUNS.search(text) for text in texts):
        return []  # `{% include "who-to-call-" ~ lang ~ ".md" %}`: any template may be used
    out = []
    for template in sorted({t.path: t for t in course.templates.values()}.values(), key=lambda t: t.path):
        if template.layer != COURSE_LAYER or template.name in boxes:
            continue
        if any(f'"{template.name}"' in text or f"'{template.name}'" in text for text in texts):
            continue  # included by a page or a template
        close = (
            difflib.get_close_matches(template.name, boxes, n=1)
            or [box for box in boxes if any(word in template.name.lower() for word in _BOX_WORDS.get(box, ()))][:1]
        )
        if close:
            message = (
                f"no page or template uses {template.name}: did you mean {close[0]}? (a box is replaced by a "
                f"template of the same name: {', '.join(boxes)})"
            )
        else:
            message = (
                f"no page or template uses {template.name}, so its text is shown nowhere: a box is replaced by a "
                f"template of the same name ({', '.join(boxes)}), and a template of your own is shown where a page "
                f'includes it ({{% include "{template.name}" %}})'
            )
        out.append(Diagnostic(SourceRef(template.path), message, Code.TEMPLATE_ERROR))
    return out


def _banks(course: Course) -> list[Diagnostic]:
    """A quiz bank is named after an audience (its questions are that audience's quiz) or
    `common`: one named otherwise would be shown on no page. The new questions that their
    schema rejects count too, so that the name is told in the same run as their problems;
    not a removal or an override (`{id: t-single, disable: true}`, a built-in id), which
    is shown where its question was."""
    known = [COMMON, *course.audience_ids]
    builtin = {q.id for q in course.questions if q.layer != COURSE_LAYER}
    rejected = [
        q
        for q, _ in course.unsound
        if ("type" in q.data or "prompt" in q.data)
        and not q.data.get("override")
        and not q.data.get("disabled")
        and q.id not in builtin
    ]
    out = []
    for bank, path in sorted(
        {(q.bank, q.path) for q in course.questions if course.base is None or q.layer == COURSE_LAYER}
        | {(q.bank, q.path) for q in rejected}
    ):
        if bank not in known:
            close = difflib.get_close_matches(bank, known, n=1)
            hint = f" (did you mean {close[0]}.yml?)" if close else ""
            message = (
                f"quiz bank '{bank}' is named after no audience of this course{hint}: "
                f"its questions would be on no page (banks: {', '.join(f'{k}.yml' for k in known)})"
            )
            out.append(Diagnostic(SourceRef(path), message, Code.UNKNOWN_AUDIENCE))
    return out


def _questions(course: Course) -> list[Diagnostic]:
    """The checks of every question that its schema lets through, and of the fields of the
    others that their schema does not reject (a question with a missing translation and an
    unknown source is told both at once)."""
    out = []
    audiences = {"all", *course.audience_ids}
    unsound = [
        # a type left out or misspelt: checked as a question of no type (the rules of the
        # answer key, which depend on it, are not)
        (replace(q, data={**q.data, "type": ""}) if "type" not in q.data or _bad(rejected, "type") else q, rejected)
        for q, rejected in course.unsound
        if not any(_bad(rejected, name) for name in ("*", "id"))
        and not q.data.get("override")  # in a workspace: a part of a built-in question
        and not q.data.get("disabled")
    ]
    for q, rejected in [*((q, frozenset[str]()) for q in course.questions), *unsound]:
        if course.base is not None and q.layer != COURSE_LAYER:
            continue  # built-in questions are checked in the built-in course itself
        entries = [(q.data, q.where, rejected)]
        if q.data["type"] == "scenario":
            entries = _case_study_questions(q, rejected)
            for i, ident in enumerate(q.data.get("sources", []) if not _bad(rejected, "sources") else []):
                if not _bad(rejected, "sources", i) and course.unknown_source(ident):
                    message = f"unknown source id '{ident}'{meant(ident, course.source_ids)}"
                    out.append(
                        Diagnostic(locate(q.path, q.marks, [*q.where, "sources", i]), message, Code.UNKNOWN_SOURCE)
                    )
            out += _audiences(q, q.data, q.where, audiences, rejected) if not _bad(rejected, "audiences") else []
            out += _foreign_fields(
                q.data, lambda *steps, key=False, _q=q: locate(_q.path, _q.marks, [*_q.where, *steps], key=key)
            )
        for item, where, rejected in entries:

            def at(*steps: object, key: bool = False, _q: Question = q, _where: list[object] = where) -> SourceRef:
                return locate(_q.path, _q.marks, [*_where, *steps], key=key)

            if (q.data["type"] != "scenario" or "audiences" in item) and not _bad(rejected, "audiences"):
                out += _audiences(q, item, where, audiences, rejected)
            if (
                q.data["type"] != "scenario"
                and "audiences" not in item
                and not spaced_key(item, "audiences")
                and not slips(item, ["disabled", "override"])  # `disable: true`, told at its key
                and set(item) - {"id", "type"} != {"disabled"}  # `disabled: false` alone, told at its key
            ):
                out.append(Diagnostic(at("id"), f"question '{item['id']}' has no audiences", Code.MISSING_KEY))
            if item["type"] == "scenario":
                out.append(Diagnostic(at("type"), "a scenario cannot hold another scenario", Code.INVALID_VALUE))
                continue
            for i, ident in enumerate(item.get("sources", []) if not _bad(rejected, "sources") else []):
                if not _bad(rejected, "sources", i) and course.unknown_source(ident):
                    message = f"unknown source id '{ident}'{meant(ident, course.source_ids)}"
                    out.append(Diagnostic(at("sources", i), message, Code.UNKNOWN_SOURCE))
            for group in ("options", "choices", "pairs", "steps"):
                if _bad(rejected, group):
                    continue
                seen: set[str] = set()
                shown: dict[tuple[str, str], str] = {}  # (language, text as read) -> first id
                field = "left" if group == "pairs" else "text"
                for i, part in enumerate(item.get(group, [])):
                    if _bad(rejected, group, i, "id"):
                        continue
                    if part["id"] in seen:
                        message = f"duplicate id '{part['id']}' in {group} of '{item['id']}'"
                        out.append(Diagnostic(at(group, i, "id"), message, Code.DUPLICATE_ID))
                    seen.add(part["id"])
                    for lang, text in part.get(field, {}).items() if not _bad(rejected, group, i, field) else []:
                        first = shown.setdefault((lang, " ".join(str(text).casefold().split())), part["id"])
                        if first != part["id"]:
                            message = (
                                f"{group} '{first}' and '{part['id']}' of '{item['id']}' read the same in "
                                f"{LANG_NAMES.get(lang, lang)}: a trainee cannot tell them apart"
                            )
                            out.append(Diagnostic(at(group, i, field, lang), message, Code.QUIZ_KEY))
            out += _key_rules(item, at, rejected)
    return out


def _case_study_questions(q: Question, rejected: frozenset[str]) -> list[tuple[Any, list[Any], frozenset[str]]]:
    """A case study's questions, each with where it is and what its schema rejects in it
    (`rejected` is the case study's): those with an id, checked as any question is; one
    whose type the schema rejects, as a question of no type."""
    items = q.data.get("items")
    out: list[tuple[Any, list[Any], frozenset[str]]] = []
    for j, sub in enumerate(items if isinstance(items, list) and not _bad(rejected, "items") else []):
        own = frozenset(
            "*" if r == f"items.{j}" else r.removeprefix(f"items.{j}.")
            for r in rejected
            if r == f"items.{j}" or r.startswith(f"items.{j}.")
        )
        if not isinstance(sub, dict) or "*" in own or not isinstance(sub.get("id"), str) or _bad(own, "id"):
            continue
        if "type" not in sub or _bad(own, "type"):
            sub = {**sub, "type": ""}
        out.append((sub, [*q.where, "items", j], own))
    return out


def _audiences(
    q: Question, item: dict[str, Any], where: list[object], known: set[str], rejected: frozenset[str] = frozenset()
) -> list[Diagnostic]:
    out = []
    for i, audience in enumerate(item.get("audiences", [])):
        if not _bad(rejected, "audiences", i) and audience not in known:
            close = closest(str(audience), sorted(known))
            also = f"; did you mean '{close}'?" if close else ""
            message = f"unknown audience '{audience}' (this course has: {', '.join(sorted(known))}{also})"
            out.append(Diagnostic(locate(q.path, q.marks, [*where, "audiences", i]), message, Code.UNKNOWN_AUDIENCE))
    given = item.get("audiences")
    given = given if isinstance(given, list) else []
    listed = [a for a in given if isinstance(a, str)]
    others = [(i, a) for i, a in enumerate(given) if isinstance(a, str) and a in known and a != "all"]
    if q.bank not in known or {q.bank, "all"} & set(listed) or not others or _bad(rejected, "audiences"):
        return out  # (the common bank is no audience's: its questions go to those they name)
    # An audience's bank is its quiz, shown in its part only: another audience never sees it
    # (a site or an export for that audience leaves the bank out, `quizzes.selected`).
    names = ", ".join(f"'{a}'" for _, a in others)
    message = (
        f"a question of the quiz of '{q.bank}' for {names} only: that quiz is shown in the part of "
        f"'{q.bank}' alone, so no trainee it is for sees it (and those of '{q.bank}' do, in a site with "
        f"both parts); move it to quizzes/{others[0][1]}.yml, or add '{q.bank}' to its audiences"
    )
    out.append(Diagnostic(locate(q.path, q.marks, [*where, "audiences", others[0][0]]), message, Code.INVALID_VALUE))
    return out


def _bad(rejected: frozenset[str], *steps: object) -> bool:
    """Whether the schema rejects something at `steps` of a question, or around it (see
    schema.rejected_paths)."""
    path = ".".join(str(step) for step in steps)
    return any(r == "*" or r == path or path.startswith(f"{r}.") for r in rejected)


def _key_rules(item: dict[str, Any], at: Callable[..., SourceRef], rejected: frozenset[str]) -> list[Diagnostic]:
    """The answer key's rules, on the fields that the schema does not reject (`rejected`)."""
    kind, iid = item["type"], item["id"]

    def readable(group: str, field: str) -> bool:  # each part's `field`, as the schema says
        parts = item.get(group)
        return isinstance(parts, list) and not any(_bad(rejected, group, i, field) for i in range(len(parts)))

    reads = {
        "single": lambda: readable("options", "correct"),
        "multiple": lambda: readable("options", "correct"),
        "match": lambda: readable("choices", "id") and readable("pairs", "answer"),
        "short": lambda: "accepted" in item and not any(r.split(".")[0] in ("accepted", "*") for r in rejected),
    }
    if kind in reads and not reads[kind]():
        kind = ""  # what the rules read is not as the schema says: the schema has said so
    out = []
    if kind in ("single", "multiple") and not any(spaced_key(o, "correct") for o in item["options"]):
        # (`correct : true`, a no-break space before ':': told as such, and not as no correct option)
        options = item["options"]
        correct = [o for o in options if o.get("correct", False)]
        if not correct:
            message = f"question '{iid}' has no correct option (mark the right one with 'correct: true')"
            out.append(Diagnostic(at("options"), message, Code.QUIZ_KEY))
        elif kind == "single" and len(correct) > 1:
            message = f"single-choice question '{iid}' has {len(correct)} correct options (exactly one allowed)"
            out.append(Diagnostic(at("options"), message, Code.QUIZ_KEY))
    if kind == "match":
        choices = {c["id"] for c in item["choices"]}
        for i, pair in enumerate(item["pairs"]):
            if pair["answer"] not in choices:
                name = f"pair '{pair['id']}'" if "id" in pair else f"the {ordinal(i + 1)} pair"
                message = f"{name} answers '{pair['answer']}', which is not one of the choices"
                out.append(Diagnostic(at("pairs", i, "answer"), message, Code.QUIZ_KEY))
    if kind == "short":
        for lang, answers in item["accepted"].items():
            for i, answer in enumerate(answers):
                if not normalise(str(answer)):  # "?", "...": what a trainee types is compared without them
                    message = (
                        f"accepted answer {str(answer)!r} of '{iid}' can never be given: answers are compared "
                        "without punctuation, spaces or capitals"
                    )
                    out.append(Diagnostic(at("accepted", lang, i), message, Code.QUIZ_KEY))
                elif len(str(answer)) > ANSWER_MAX:
                    message = (
                        f"accepted answer of '{iid}' is {len(str(answer))} characters long: the answer box takes "
                        f"{ANSWER_MAX} at most (a short answer is a few words); shorten it"
                    )
                    out.append(Diagnostic(at("accepted", lang, i), message, Code.QUIZ_KEY))
    out += _foreign_fields(item, at)
    return out


def _foreign_fields(item: dict[str, Any], at: Callable[..., SourceRef]) -> list[Diagnostic]:
    """The fields of other types of question that `item` has, which nothing reads: a numeric
    question's `options`, a case study's `prompt` (each of its questions has its own)."""
    kind, out = str(item["type"]), []
    for field in _TYPED if kind in _FIELDS else ():
        if field in item and field not in _FIELDS[kind]:
            message = f"'{field}' has no meaning for a {kind} question"
            out.append(Diagnostic(at(field, key=True), message, Code.UNKNOWN_KEY))
    for field in _OF_QUESTIONS if kind == "scenario" else ():
        if field in item:
            message = f"'{field}' has no meaning for a scenario question: each of its questions has its own"
            out.append(Diagnostic(at(field, key=True), message, Code.UNKNOWN_KEY))
    return out


_FIELDS = {
    "single": {"options"},
    "multiple": {"options"},
    "match": {"choices", "pairs"},
    "order": {"steps"},
    "short": {"accepted", "feedback"},
    "numeric": {"answer", "tolerance", "feedback"},
    "scenario": {"title", "case", "items"},
}
_TYPED = (
    "options",
    "choices",
    "pairs",
    "steps",
    "accepted",
    "answer",
    "tolerance",
    "feedback",
    "title",
    "case",
    "items",
)
"""The fields that some types of question have and others not (`_FIELDS`), as told."""
_OF_QUESTIONS = ("prompt", "explanation", "points")
"""A question's own fields, which a case study leaves to its questions (its `sources`, those
its case draws on, are checked as a question's: the built-in case studies have them)."""


def unknown_directives(course: Course) -> list[Diagnostic]:
    """The directives and roles of the pages that Jupyter Book does not know (see
    directives.py); MyST's parser is made only for a page that uses an unusual name."""
    from .directives import unknown_names

    return unknown_names(course, functools.cache(lambda text: _tokens(_myst(), text)), _as_myst_reads)


def directive_options(course: Course) -> list[Diagnostic]:
    """The options of docutils' directives (a note, a figure, a table) that the build
    would stop on (see directives.py)."""
    from .directives import bad_options, list_table_shapes

    read_by_myst = functools.cache(lambda text: _tokens(_myst(), text))
    return [
        *bad_options(course, read_by_myst, _as_myst_reads),
        *list_table_shapes(course, read_by_myst, _as_myst_reads),
    ]


def refused_directives(course: Course) -> list[Diagnostic]:
    """The formulas of the pages, which an offline site cannot draw, and their toctrees,
    which _toc.yml replaces (see directives.py)."""
    from .directives import refused as found

    return found(course, functools.cache(lambda text: _tokens(_myst(), text)), _as_myst_reads)


@functools.cache
def _myst() -> Any:
    """MyST's Markdown parser, as the books read pages (made once, when a check needs it)."""
    return _new_myst()


_MYST_DEFAULT = ("colon_fence", "linkify", "tasklist")
"""The MyST extensions a book reads pages with, unless the course chooses (assemble.py)."""


def _new_myst(extensions: frozenset[str] = frozenset(_MYST_DEFAULT)) -> Any:
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions=set(extensions)), RendererHTML)


def heading_jumps(pages: list[RenderedPage]) -> list[Diagnostic]:
    """Headings that skip a level (`#` then `###`), as MyST counts them: its warning
    stops the build (-W), so `check` says it first. Read from the rendered page, as MyST
    reads it, by markdown-it without its inline rules (a third of the time); said at the
    page's line that holds the heading, word for word (else at the page's start). Only
    `check` asks: the build hears it from Jupyter Book."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.colon_fence import colon_fence_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    parser = MarkdownIt("commonmark").use(colon_fence_plugin).use(front_matter_plugin).disable(["inline", "text_join"])
    out = []
    for rendered in pages:
        lines = rendered.markdown.split("\n")
        source = [line.strip() for line in rendered.page.text.split("\n")]
        opened = [0]  # the levels of the sections the heading is in
        for token in parser.parse(rendered.markdown):
            if token.type != "heading_open" or token.map is None or token.level > 0:
                continue  # a heading in a quote, a list or a fence is not a section for MyST
            level = int(token.tag[1:])
            while opened[-1] >= level:
                opened.pop()
            if level > opened[-1] + 1:
                heading = lines[token.map[0]].strip()
                line = source.index(heading) + 1 if heading in source else 1
                message = (
                    f"heading '{heading}' skips a level: H{opened[-1]} to H{level} (use one more # than the heading above)"
                    if opened[-1]
                    else f"the page's headings start at H{level}, not H1"
                )
                out.append(Diagnostic(SourceRef(rendered.page.path, line, 1), message, Code.HEADING_LEVEL))
            opened.append(level)
    return out
