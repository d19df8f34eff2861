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

import html
import json
import posixpath
import re
import unicodedata
from pathlib import Path
from typing import Any

import jinja2
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.search.en import SearchEnglish
from sphinx.search.fr import SearchFrench
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from . import reuse, sphinxrun
from .notebooks import for_download  # imported here: the fork server has it before any run
from .publish import own_digest  # imported here: the fork server has it before any run
from .quizhtml import render_quiz
from .typography import french, french_html

STATIC = Path(__file__).parent / "static"
SCORM_STATIC = Path(__file__).parent / "scorm_static"  # in a SCORM package's site only
TEMPLATES = Path(__file__).parent / "sphinx_templates"
SIDEBAR = ["navbar-logo.html", "icon-links.html", "search-button-field.html", "coursegen-sidebar-nav.html"]
JS, CSS, SCORM_JS = "coursegen-quiz.js", "coursegen-quiz.css", "coursegen-scorm.js"
# The French index finds "equite" in « équitable » (FrenchWithoutAccents), but Sphinx
# highlights the words as typed only, and took each result's summary from the first place
# a stem was written so: "oeuvre" showed the page's first words, without « œuvre », and
# nothing was highlighted. Its script takes Sphinx's summary and highlighting over: a word
# counts as found if, without its accents, it begins with a word typed or with its stem of
# four letters or more ("equit"); Sphinx's own highlighting runs after it, as before. On
# the search page and on the page opened from a result, the pages that load Sphinx's.
SEARCH_JS = "coursegen-search.js"
SITE_CSS = "coursegen-site.css"  # on every page, after the theme's
# Sphinx's search fetches each result's page to show a summary of it; a browser refuses
# that on a site opened from its files (file://, or content:// on a phone), as a trainee
# may open a copied site: one error per result. There, the results are listed without
# summaries instead; over HTTP, with them.
# The colour scheme follows the device's ("auto") until the reader picks one; the theme
# starts from the one picked, or from none, which its script then calls invalid, on the
# console of every first visit (an error in the browser's log, for nothing). Its own
# setting for this (`default_mode`) would also mark every page's <html> "auto", which its
# style sheet has no colours for before its script runs, or when scripts are off.
THEME_MODE = "if (!document.documentElement.dataset.mode) document.documentElement.dataset.mode = 'auto';"
# The words the theme leaves in English on every page (its templates do not translate
# them), in the languages coursegen writes pages in: buttons' titles and the navigation's
# name, which screen readers read out, and the search field's placeholder. Other languages
# keep the theme's.
UI = {
    "en": {
        "primary_sidebar": "Show or hide the navigation",
        "secondary_sidebar": "Show or hide the page's contents",
        "main_navigation": "Main",
        "search": "Search this course…",
        "home": "{title} - Home",
    },
    "fr": {
        "primary_sidebar": "Afficher ou masquer la navigation",
        "secondary_sidebar": "Afficher ou masquer le sommaire de la page",
        "main_navigation": "Navigation principale",
        "search": "Rechercher dans ce cours…",
        "home": "{title} - Accueil",
    },
}
JUPYTER_BOOK_SEARCH = "Search this book..."  # its placeholder: a course's words replace it
FILE_SEARCH = "if (!/^https?:$/.test(location.protocol)) DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;"

# A notebook's page links to its file for download under a name of its own (notebooks.py).
# Opened from a file (`file://`), Chromium ignores a link's `download` and shows the file's
# text instead. There, the link's click loads the notebook as a script beside it
# (`_sources/…/quiz-notebook.ipynb.js`, which `_notebook_scripts` writes: a script loads
# from a file where `fetch` cannot) and saves it under the link's name.
NOTEBOOK_FROM_FILE = """document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a.cg-notebook-download");
  if (!link || location.protocol !== "file:" || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  window.cgNotebook = function (text) {
    var save = document.createElement("a");
    save.href = URL.createObjectURL(new Blob([text], { type: "application/x-ipynb+json" }));
    save.download = link.getAttribute("download");
    document.body.appendChild(save); save.click(); save.remove();
  };
  var script = document.createElement("script");
  script.src = link.getAttribute("href") + ".js";
  script.onload = function () { script.remove(); };
  script.onerror = function () { script.remove(); location.href = link.href; };  /* as before: the file's text */
  document.head.appendChild(script);
});"""


class QuizDirective(SphinxDirective):
    option_spec = {"bank": directives.unchanged, "items": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        bank = self.options.get("bank", "").strip()
        wanted = self.options.get("items", "").split()
        folder = Path(self.env.srcdir) / self.env.config.coursegen_quiz_data
        expected = [folder / f"{bank}.json"] if bank else sorted(folder.glob("*.json"))
        # Re-read this page whenever these questions change, or come back: a bank with none
        # has no file (and while it has none, Sphinx reads the page again on every run).
        for path in expected:
            self.env.note_dependency(str(path))
        files = [f for f in expected if f.is_file()]
        if not files:
            return []
        banks = [_data(self.env.app, path) for path in files]
        data = banks[0]
        questions = [q for b in banks for q in b["questions"]]
        if wanted:
            questions = [q for q in questions if q["id"] in wanted]
        if not questions:
            return []
        scope = bank or "-".join(wanted)
        html = render_quiz(scope, data["course"], data["lang"], questions, data.get("pass_mark", 80))
        if str(data["lang"]).startswith("fr"):  # its text, as the page's (FrenchSpaces)
            html = french_html(html)
        pages: set[str] = getattr(self.env, "coursegen_quiz_pages", set())
        pages.add(self.env.docname)
        self.env.coursegen_quiz_pages = pages  # type: ignore[attr-defined]
        node = nodes.raw("", html, format="html")
        node["coursegen_quiz"] = scope  # for the menu's entry (see _quiz_places)
        return [node]


def _quiz_places(app: Sphinx, doctree: nodes.document) -> None:
    """Where a page shows its quiz under a heading of its own (an audience's quiz at the end
    of its last chapter, `## Quiz`): the menu gives it an entry of its own (`_navigation`),
    or a trainee on a phone found it only by reading the part's pages to their end. A page
    whose title names the quiz's heading (the common quiz's, "Quiz: common foundations")
    is the quiz's entry already."""
    for node in doctree.findall(nodes.raw):
        if not node.get("coursegen_quiz"):
            continue
        section = node.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        top = getattr(section, "parent", None)
        if not isinstance(section, nodes.section) or not isinstance(top, nodes.section) or not section["ids"]:
            return  # a quiz under the page's title itself
        heading = section.next_node(nodes.title).astext()
        if heading.casefold() not in doctree.next_node(nodes.title).astext().casefold():
            places: dict[str, tuple[str, str]] = getattr(app.env, "coursegen_quiz_places", {})
            places[app.env.docname] = (section["ids"][0], heading)
            app.env.coursegen_quiz_places = places  # type: ignore[attr-defined]
        return  # the page's first quiz


class AbsentPages(SphinxPostTransform):
    """A link to a page of the course that this site leaves out (another audience's part in
    a one-audience site, the trainer's guide in a learner's site) is shown as its text: the
    page is not there to link to. A link to any other missing page is still an error.

    Links as MyST reads them (`[text](../police/recognise.md)`, with an anchor or not),
    Sphinx's `{doc}` role, and `{ref}` to a label of such a page; before MyST and Sphinx
    resolve them (priorities 9 and 10), who would fail the build on them."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        absent = set(self.config.coursegen_absent_pages)
        labels = set(self.config.coursegen_absent_labels)
        if not absent and not labels:
            return
        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get("reftype") in ("ref", "numref") and node.get("refdomain") == "std":
                if node.get("reftarget", "").lower() in labels:  # a label of a page left out
                    node.replace_self(node.children or [nodes.Text(node["reftarget"])])
                continue
            if node.get("reftype") == "myst" and node.get("refdomain") is None:
                if node["reftarget"].lower() in labels:  # `[text](#label)`, of a page left out
                    node.replace_self(node.children or [nodes.Text(node["reftarget"])])
                    continue
                target = node["reftarget"].split("#", 1)[0]
                for suffix in (".md", ".ipynb"):
                    target = target.removesuffix(suffix)
            elif node.get("reftype") == "doc" and node.get("refdomain") == "std":
                target = node["reftarget"]
            else:
                continue
            if not target:
                continue
            refdoc = node.get("refdoc", self.env.docname)
            docname = target[1:] if target.startswith("/") else posixpath.join(posixpath.dirname(refdoc), target)
            if posixpath.normpath(docname) in absent:
                node.replace_self(node.children or [nodes.Text(node["reftarget"])])


TERM_ID = re.compile(r'<span id="(cg-term-[a-z0-9.-]+)">')
"""A glossary term's anchor, as `glossary()` writes it (render.py)."""


class GlossaryTerms(SphinxTransform):
    """A glossary term's anchor, `<span id="cg-term-consent">` (raw HTML, which MyST does not
    look into), made a place that a link can name: `[consent](../common/glossary.md#cg-term-consent)`
    from another page, `[consent](#cg-term-consent)` from the glossary's. MyST looks such a
    place up among the page's heading anchors (`myst_slugs`), which these books do not make:
    without this it stopped the build ("local id not found in doc"). The link's text, when it
    has none, is the term."""

    default_priority = 870  # before MyST resolves `[text](#place)` in the page (879)

    def apply(self, **kwargs: Any) -> None:
        found = {}
        for raw in self.document.findall(nodes.raw):
            if "cg-term-" not in raw.astext():
                continue
            siblings = raw.parent.children
            # the term, in bold, after the span's end (MyST reads each tag as a raw node of its
            # own, with an empty text between the end and the bold)
            rest = siblings[siblings.index(raw) + 1 :]
            after = next((n for n in rest if not isinstance(n, nodes.raw) and n.astext()), None)
            for m in TERM_ID.finditer(raw.astext()):
                term = after.astext() if isinstance(after, nodes.strong) else m.group(1)
                found[m.group(1)] = (raw.line or 0, m.group(1), term)
        if not found:
            return
        slugs = getattr(self.document, "myst_slugs", None)
        if slugs is None:
            slugs = self.document.myst_slugs = {}  # type: ignore[attr-defined]
        for slug, place in found.items():
            slugs.setdefault(slug, place)  # a heading's anchor of that name (if any) wins
        self.env.metadata[self.env.docname]["myst_slugs"] = slugs


def _data(app: Sphinx, path: Path) -> dict[str, Any]:
    cache: dict[Path, dict[str, Any]] = app.__dict__.setdefault("_coursegen_quiz_data", {})
    if path not in cache:
        cache[path] = json.loads(path.read_text("utf-8"))
    return cache[path]


def _static_path(app: Sphinx) -> None:
    own = [STATIC, SCORM_STATIC] if app.config.coursegen_scorm else [STATIC]  # the LMS's script: no use elsewhere
    app.config.html_static_path = [*app.config.html_static_path, *map(str, own)]  # not Sphinx's default list


def _template_cache(app: Sphinx) -> None:
    """Keep the theme's compiled templates between runs (Jinja's bytecode, next to the
    doctrees): a small rebuild otherwise spends a tenth of its time compiling them. The
    files are signed like the rest of coursegen's caches (reuse.py): compiled code in a
    build folder that someone else prepared is never loaded."""
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if isinstance(environment, jinja2.Environment):
        environment.bytecode_cache = reuse.signed_bytecode_cache(Path(app.doctreedir).parent / ".jinja-cache")


def _mystnb_style(app: Sphinx) -> None:
    """MyST-NB's style sheet in the site before the pages are written, as Sphinx's own are.
    MyST-NB copies it only once the build is done; Sphinx links a style sheet with its
    checksum (`?v=…`) only when it finds it already copied. So pages written by a rebuild
    linked it with one, and those of a clean build without: the same course gave other
    pages (tested)."""
    if app.builder.format == "html":
        from myst_nb.sphinx_ext import add_global_html_resources

        Path(app.builder.outdir, "_static").mkdir(parents=True, exist_ok=True)
        add_global_html_resources(app, None)


def _search_index_without_lost_words(app: Sphinx) -> list[Any]:
    """Drop from the search index the words that no page holds any more. Sphinx 7 keeps a
    word that only an edited page's earlier text held, with no page (`"word": []`): a
    rebuilt site's index differed from a clean build's (tested). Sphinx writes the index
    after this event ("html-collect-pages"), with the pages it collects, here none."""
    indexer = getattr(app.builder, "indexer", None)
    for mapping in (getattr(indexer, "_mapping", {}), getattr(indexer, "_title_mapping", {})):
        for word in [word for word, pages in mapping.items() if not pages]:
            del mapping[word]
    return []


def _search_titles_as_text(app: Sphinx) -> None:
    """The headings' titles in the search index, as HTML text. Sphinx 7 keeps a page's
    title there as HTML, but its sections' titles as plain text, which its search page
    then writes as HTML (`innerHTML`): a heading that shows "<script>" (a scenario's title,
    a page's `\\<`) ran as a script in the search results. Each page's titles are escaped as
    Sphinx indexes the page; those of pages not written again were escaped when they were."""
    builder = app.builder
    index_page = getattr(builder, "index_page", None)
    if index_page is None:  # not an HTML builder
        return

    def indexed(pagename: str, doctree: Any, title: str) -> None:
        index_page(pagename, doctree, title)
        titles = getattr(getattr(builder, "indexer", None), "_all_titles", None)
        if isinstance(titles, dict) and pagename in titles:
            titles[pagename] = [(html.escape(text, quote=False), anchor) for text, anchor in titles[pagename]]

    builder.index_page = indexed  # type: ignore[attr-defined]


def _sidebar(app: Sphinx, config: Config) -> None:
    """The theme's sidebar, with coursegen's navigation component, unless the book sets
    its own `html_sidebars`; the theme's script macros without Font Awesome's script
    (sphinx_templates/static/webpack-macros.html)."""
    # after the course's own templates, before the theme's components (ours replace two)
    paths = list(config.templates_path)
    theme = next((i for i, path in enumerate(paths) if Path(path).name == "components"), len(paths))
    config.templates_path = [*paths[:theme], str(TEMPLATES), *paths[theme:]]  # not Sphinx's default list
    if not config.html_sidebars:
        config.html_sidebars = {"**": SIDEBAR}
    options = config.html_theme_options
    if isinstance(options, dict) and options.get("search_bar_text") == JUPYTER_BOOK_SEARCH:  # not the course's own
        config.html_theme_options = options = {**options, "search_bar_text": _ui(config)["search"]}
    logo = options.get("logo") if isinstance(options, dict) else None
    if isinstance(options, dict) and (logo is None or isinstance(logo, dict)):
        logo = dict(logo or {})
        if "alt_text" not in logo and not logo.get("text"):  # the theme's is "TITLE - Home", in English
            title = config.html_title or config.project
            config.html_theme_options = {
                **options,
                "logo": {**logo, "alt_text": _ui(config)["home"].format(title=title)},
            }


def _ui(config: Config) -> dict[str, str]:
    return UI.get(str(config.language or "en").split("_")[0], UI["en"])


Part = tuple[str, list[tuple[str, str, bool]]]  # caption, [(target, title, is a document)]


def _parts(app: Sphinx) -> list[Part] | None:
    """The book's parts and their pages, from the root document's tables of contents;
    None when a page has pages under it (the theme's navigation then shows them)."""
    env = app.env
    parts: list[Part] = []
    for toctree in env.get_doctree(env.config.root_doc).findall(addnodes.toctree):
        entries = []
        for title, ref in toctree["entries"]:
            if ref in env.titles:
                if env.toctree_includes.get(ref):
                    return None
                entries.append((ref, title or env.titles[ref].astext(), True))
            elif ref != "self":
                entries.append((ref, title or ref, False))  # a link outside the book
        parts.append((toctree.get("caption") or "", entries))
    return parts


def _navigation(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """The primary sidebar's navigation for one page. The theme builds it by resolving the
    whole table of contents again for every page, then reshaping it with BeautifulSoup: a
    tenth of a second per page in a book of 100 pages, so a build grew with the square of
    its size. The parts and titles are gathered once per build; each page only renders
    them, with its own links and its own page marked current."""
    context["coursegen_ui"] = _ui(app.config)
    cache: dict[str, Any] = app.__dict__.setdefault("_coursegen_nav", {})
    if "parts" not in cache:
        cache["parts"] = _parts(app)
    parts: list[Part] | None = cache["parts"]
    if parts is None or "pathto" not in context:
        context["coursegen_nav"] = None
        return
    pathto = context["pathto"]
    places: dict[str, tuple[str, str]] = getattr(app.env, "coursegen_quiz_places", {})

    def item(target: str, title: str, internal: bool = True, home: bool = False) -> str:
        text = html.escape(title, quote=False)
        here = internal and target == pagename
        if here and not home:
            return (
                f'<li class="toctree-l1 current active"><a class="current reference internal" href="#">{text}</a></li>'
            )
        href = html.escape(pathto(target) if internal else target)
        kind = "internal" if internal else "external"
        li = "toctree-l1 current active" if here else "toctree-l1"
        return f'<li class="{li}"><a class="reference {kind}" href="{href}">{text}</a></li>'

    lines = []
    root = app.config.root_doc
    if str(context.get("theme_home_page_in_toc")).lower() == "true":
        home = item(root, app.env.titles[root].astext(), home=True) if root in app.env.titles else ""
        lines += ['<ul class="nav bd-sidenav bd-sidenav__home-link">', home, "</ul>"]
    for caption, entries in parts:
        if caption:
            lines.append(
                f'<p aria-level="2" class="caption" role="heading"><span class="caption-text">{html.escape(caption, quote=False)}</span></p>'
            )
        current = "current " if any(target == pagename for target, _, internal in entries if internal) else ""
        lines.append(f'<ul class="{current}nav bd-sidenav">')
        for target, title, internal in entries:
            lines.append(item(target, title, internal))
            if internal and target in places:  # the quiz in this page, under its heading
                anchor, heading = places[target]
                href = html.escape(f"{'' if target == pagename else pathto(target)}#{anchor}")
                text = html.escape(heading, quote=False)
                lines.append(
                    f'<li class="toctree-l1 cg-nav-quiz"><a class="reference internal" href="{href}">{text}</a></li>'
                )
        lines.append("</ul>")
    context["coursegen_nav"] = "\n".join(lines)  # Sphinx's templates do not escape


def _titles_as_text(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """The book theme writes the page's and the book's titles as HTML, but gives them as
    plain text (`pagetitle`: the printed page's heading; `root_title`): a title that shows
    "<script>" (a scenario's) ran in the page. Escaped here, after the theme's handler."""
    for key in ("pagetitle", "root_title", "author"):  # the course's author too, in the footer
        if isinstance(context.get(key), str):
            context[key] = html.escape(context[key], quote=False)
    # a page whose title is the book's (the home page): its browser tab and its bookmark say
    # it once, not "Title — Title" (sphinx_templates/layout.html)
    page_title, book_title = context.get("title"), context.get("docstitle")
    context["coursegen_title_once"] = (
        isinstance(page_title, str)
        and isinstance(book_title, str)
        and html.unescape(re.sub(r"<[^>]*>", "", page_title)).strip() == book_title.strip()
    )
    # The book's title (`docstitle`) is text, which Sphinx escapes where it writes it; the
    # theme's navigation bar writes it as it is (in its logo's place, unless the book gives
    # the logo a text of its own), and so does its search page's title (templates/search.html).
    logo = context.get("theme_logo")
    title = context.get("docstitle")
    pictured = isinstance(logo, dict) and "light" in (logo.get("image_relative") or {})  # a logo shown instead
    if (
        isinstance(title, str)
        and (logo is None or isinstance(logo, dict))
        and not pictured
        and not (logo or {}).get("text")
    ):
        context["theme_logo"] = {**(logo or {}), "text": html.escape(title, quote=False)}
    # the pages Sphinx makes (search, index) link to the other language's, as the course's
    # pages do (sphinx_templates/search.html, genindex.html); the HTML is coursegen's own
    context["coursegen_lang_switch"] = app.config.coursegen_lang_switch.get(pagename, "")


def _page_assets(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if app.config.coursegen_scorm:
        app.add_js_file(SCORM_JS, defer="defer")  # before the quiz's script, which uses it
    if pagename in getattr(app.env, "coursegen_quiz_pages", set()):
        app.add_js_file(JS, defer="defer")
        app.add_css_file(CSS)
    if pagename == "search":
        app.add_js_file(None, body=FILE_SEARCH)
    if any(
        posixpath.basename(str(js.filename)).startswith("sphinx_highlight.") for js in context.get("script_files", [])
    ):
        app.add_js_file(SEARCH_JS, defer="defer")  # once Sphinx's search and highlighting are defined
    if _notebook(app, pagename):
        app.add_js_file(None, body=NOTEBOOK_FROM_FILE)
    # MyST-NB's style sheet (43 KB) styles notebooks' cells and outputs: loaded by the
    # notebooks only, not by every page of the site.
    if not _notebook(app, pagename):
        context["css_files"][:] = [  # in place: the list that other handlers add to
            css
            for css in context.get("css_files", [])
            if not posixpath.basename(getattr(css, "filename", "")).startswith("mystnb.")
        ]


def _purge(app: Sphinx, env: Any, docname: str) -> None:
    if sphinxrun.GATE is not None and docname in sphinxrun.GATE.docnames:
        sphinxrun.GATE.wait()  # Sphinx reads this notebook next: it must be executed by now
    getattr(env, "coursegen_quiz_pages", set()).discard(docname)
    getattr(env, "coursegen_quiz_places", {}).pop(docname, None)


def _shown_everywhere_changed(app: Sphinx, env: Any) -> list[str]:
    """Every page, to be written again, when what every page shows of the others changed:
    a page's title (the menu, the previous and next links), the table of contents (the
    pages' order, the parts' captions), a quiz's place in the menu, a section's title that
    a link names (`{ref}`). Sphinx writes only the pages read again: after a title's edit,
    or the pages' order changed in _toc.yml, the others kept the old menu and links, and
    later builds left them so."""
    std = env.domaindata.get("std", {})
    tocs = [
        (doc, toctree.get("caption"), [list(entry) for entry in toctree.get("entries", [])])
        for doc in sorted(env.tocs)
        if doc in env.all_docs
        for toctree in env.tocs[doc].findall(addnodes.toctree)
    ]
    shown = json.dumps(
        [
            sorted((doc, title.astext()) for doc, title in env.titles.items() if doc in env.all_docs),
            tocs,
            sorted(getattr(env, "coursegen_quiz_places", {}).items()),
            sorted((name, *value) for name, value in std.get("labels", {}).items()),
        ],
        default=str,
    )
    before = getattr(env, "coursegen_shown_everywhere", None)
    env.coursegen_shown_everywhere = shown
    return sorted(env.all_docs) if before is not None and before != shown else []


def _gated(app: Sphinx, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """The notebooks being executed are read again, whatever their file times say now."""
    return sorted(sphinxrun.GATE.docnames) if sphinxrun.GATE is not None else []


def _gated_last(app: Sphinx, env: Any, docnames: list[str]) -> None:
    """Read the notebooks being executed after every other page (Sphinx allows reordering
    this list in place), so that the other pages are read while they execute."""
    if sphinxrun.GATE is not None:
        docnames.sort(key=lambda name: name in sphinxrun.GATE.docnames)  # type: ignore[union-attr]


class FrenchSpaces(SphinxTransform):
    """In a French book, the space before ':' ';' '!' '?' '»' and after '«' does not break
    the line: on a phone's narrow screen a line began with "? Il ne peut …" or ended with
    "«"; nor does the one in "30 %", "1 500 €", "art. 3" (typography.py). Text only (not
    code, not raw HTML); the characters shown are the same."""

    default_priority = 900  # after MyST and docutils have made the page's text

    def apply(self, **kwargs: Any) -> None:
        _french_spaces(self.config, self.document)


def _french_spaces(config: Config, document: nodes.document) -> None:
    if not str(config.language or "").startswith("fr"):
        return
    for node in list(document.findall(nodes.Text)):
        if " " not in node or isinstance(node.parent, nodes.FixedTextElement | nodes.literal | nodes.raw):
            continue
        # after a word in bold or in code (`**Urgence** : 112`), a sign at the start keeps to it
        at = node.parent.index(node)
        after_word = at > 0 and isinstance(node.parent[at - 1], nodes.Inline)
        text = french(str(node), after_word=after_word)
        if text != node:
            node.parent.replace(node, nodes.Text(text))


def _french_titles(app: Sphinx, doctree: nodes.document) -> None:
    """The page's text, its title first, before Sphinx takes its title (at `doctree-read`,
    priority 500) for the browser's tab, the menu, the page's links to the pages before
    and after it and the search results: MyST-NB's pages reach that event before the
    transform runs, and those kept the plain space (« Quiz : » began a line in the menu)."""
    _french_spaces(app.config, doctree)


_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


def _unaccented(word: str) -> str:
    """The word as typed without accents: "sécurité" → "securite", "œuvre" → "oeuvre"."""
    return "".join(
        c for c in unicodedata.normalize("NFD", word.translate(_LIGATURES)) if unicodedata.category(c) != "Mn"
    )


class FrenchWithoutAccents(SearchFrench):
    """French search that also finds words typed without their accents, as trainees type on
    a phone: "securite" finds "sécurité", "oeuvre" finds "main-d'œuvre". Each accented word
    of a page is indexed twice: as written, stemmed by Sphinx's French stemmer (so "forcé"
    and "forcées" stay one family, which the stemmer tells apart by their accents), and as
    typed without accents, stemmed the same way; a query is stemmed as typed, as Sphinx does."""

    def split(self, input: str) -> list[str]:
        words = []
        for word in super().split(input):
            words.append(word)
            plain = _unaccented(word)
            if plain != word:
                words.append(plain)
        return words


# British spellings, as a US reader types them: "labour" → "labor", "recognise" →
# "recognize", "organisation" → "organization", "offence" → "offense", "centre" → "center",
# "catalogue" → "catalog", "travelled" → "traveled", "programme" → "program". A rule also makes
# forms that no one types ("promise" → "promize"): they cost the index a few bytes, and
# find nothing that the word as written does not.
_US_SPELLINGS = [
    (re.compile(r"(\w{3,})our(s|ed|ing|ite|ites|able|er|ers|ful|less)?"), r"\1or\2"),
    (re.compile(r"(\w{3,})is(e|es|ed|ing|er|ers|ation|ations)"), r"\1iz\2"),
    (re.compile(r"(\w{2,})ys(e|es|ed|ing)"), r"\1yz\2"),
    (re.compile(r"(off|def|lic|pret)ence(s)?"), r"\1ense\2"),
    (re.compile(r"(\w{2,})tre(s)?"), r"\1ter\2"),
    (re.compile(r"(\w{3,})ogue(s)?"), r"\1og\2"),
    # a doubled l (British) in the words that double it, not in any word ("filled" is no "filed")
    (
        re.compile(
            r"(travel|label|counsel|model|cancel|signal|fuel|channel|level|marshal|tunnel|jewel)l(ed|ing|ers?|ors?)"
        ),
        r"\1\2",
    ),
    (re.compile(r"programme(s|d)?"), r"program\1"),
    (re.compile(r"judgement(s)?"), r"judgment\1"),
]


def _us_spelling(word: str) -> str:
    """The word as a US reader spells it ("labour" → "labor"); the word itself otherwise."""
    lower = word.lower()
    for pattern, us in _US_SPELLINGS:
        spelt = pattern.fullmatch(lower)
        if spelt:
            return spelt.expand(us)
    return lower


class EnglishAnySpelling(SearchEnglish):
    """English search that also finds words typed with US spellings: the course writes
    British English ("forced labour", "recognise", "organisation"), which Sphinx's stemmer
    keeps apart from "forced labor", "recognize", "organization". Each word with a British
    spelling is indexed twice, as written and as a US reader spells it."""

    def split(self, input: str) -> list[str]:
        words = []
        for word in super().split(input):
            words.append(word)
            us = _us_spelling(word)
            if us != word.lower():
                words.append(us)
        return words


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("coursegen_quiz_data", "", "env")
    app.add_search_language(FrenchWithoutAccents)
    app.add_search_language(EnglishAnySpelling)
    app.add_config_value("coursegen_scorm", False, "html")
    app.add_config_value("coursegen_absent_pages", [], "html")
    app.add_config_value("coursegen_absent_labels", [], "html")
    app.add_config_value("coursegen_lang_switch", {}, "html")  # page -> its links to the other languages
    app.add_directive("quiz", QuizDirective)
    app.add_post_transform(AbsentPages)
    app.add_transform(FrenchSpaces)
    app.add_transform(GlossaryTerms)
    app.connect("doctree-read", _french_titles, priority=400)
    app.add_js_file(None, body=THEME_MODE)
    app.add_css_file(SITE_CSS, priority=900)
    app.connect("config-inited", _sidebar)
    app.connect("builder-inited", _static_path)
    app.connect("builder-inited", _template_cache)
    app.connect("builder-inited", _mystnb_style)
    app.connect("builder-inited", _search_titles_as_text)
    app.connect("html-collect-pages", _search_index_without_lost_words)
    app.connect("html-page-context", _page_assets)
    app.connect("html-page-context", _navigation)
    app.connect("html-page-context", _titles_as_text, priority=900)  # the theme's handler: 500
    app.connect("env-purge-doc", _purge)
    app.connect("doctree-read", _quiz_places)
    app.connect("env-get-outdated", _gated)
    app.connect("env-before-read-docs", _gated_last)
    app.connect("env-updated", _shown_everywhere_changed)
    app.connect("build-finished", _notebook_scripts)
    return {"version": "1", "parallel_read_safe": False, "parallel_write_safe": True, "env_version": env_version()}


def _notebook(app: Sphinx, pagename: str) -> bool:
    return pagename in app.env.all_docs and str(app.env.doc2path(pagename, False)).endswith(".ipynb")


def _notebook_scripts(app: Sphinx, exception: Exception | None) -> None:
    """Each notebook's copy in `_sources/`, which its page downloads, without the links
    that lead nowhere outside the site (`notebooks.for_download`); beside it, the same text
    as a script that hands it to `cgNotebook` (see NOTEBOOK_FROM_FILE). Each written only
    when it changes."""

    if exception is not None or app.builder.format != "html":
        return
    for pagename in sorted(p for p in app.env.all_docs if _notebook(app, p)):
        source = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
        if not source.is_file():
            continue
        copied = source.read_text("utf-8")
        content = for_download(copied)
        if content != copied:
            source.write_text(content, "utf-8")  # Sphinx's copy: the published site's is another file
        literal = json.dumps(content, ensure_ascii=False)
        literal = literal.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")  # line ends to older JS
        text = f"cgNotebook({literal});\n"
        target = source.with_name(source.name + ".js")
        if not target.is_file() or target.read_text("utf-8") != text:
            target.write_text(text, "utf-8")


def env_version() -> int:
    """A number that changes with what coursegen puts into pages (`publish.own_digest`):
    Sphinx reads every page again when it changes (a new release of coursegen), or the
    pages it did not read again would keep the quiz's HTML of the release before, next to
    the new release's quiz script."""
    return int(own_digest()[:8], 16)
