"""What would make the built site load something from the network, found where the course
writes it: trainees read the course on phones with no connection, where a picture, a
script or a style sheet from elsewhere is simply missing (and a request that waits for a
network that is not there can hold a page up).

Pages and box templates are searched for what loads a file as a page opens (images,
scripts, frames, media, style sheets, CSS in style elements and attributes, MyST's image
and figure directives, an address quoted in a page's own script), MyST directives' bodies
and raw HTML included; plain links
(`[text](https://…)`, `<a href>`) are not loads, and what code (spans, blocks, as MyST's
parser reads them) or a comment (HTML's, Jinja's, MyST's) holds is only shown. `_config.yml`
is searched for the settings that make every page load something (`html_js_files`,
`html_css_files`, a logo, icon or favicon, MathJax, Thebe, Hypothesis, utterances, dokieli,
trackers) or that make the build itself fetch from the network (intersphinx), and its HTML
snippets as pages are.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import Code, Diagnostic, SourceRef
from .yamlfile import leaves, locate, text_position


def _load_patterns(target: str, srcset: str) -> tuple[list[re.Pattern[str]], list[re.Pattern[str]], re.Pattern[str]]:
    """What loads a file whose address starts as `target` says (a regular expression that
    matches no character), `srcset` before it in a srcset: in the page, in CSS, and images
    by reference.

    What loads a file as a page opens: a tag's source (of a `srcset`, the first that
    `srcset` lets through), an object's data, a style sheet or icon, CSS; an image (inline;
    by reference); MyST's image and figure. Looked for in the whole page, MyST directives'
    bodies and raw HTML included; what is in code or a comment is then left out
    (`shown_only`)."""
    stop = "[^\"'\\s>]+"
    loads = [
        re.compile(
            rf"<(?:img|script|iframe|frame|source|video|audio|embed|track|input|image)\b[^>]*?\s"
            rf"(?:src|poster|href|xlink:href)\s*=\s*[\"']?\s*({target}{stop})",
            re.I,
        ),
        re.compile(rf"srcset(?<=\ssrcset)\s*=\s*[\"']?{srcset}({target}[^\"'\s>,]+)", re.I),
        re.compile(rf"<object\b[^>]*?\sdata\s*=\s*[\"']?\s*({target}{stop})", re.I),
        re.compile(rf"<link\b[^>]*?\shref\s*=\s*[\"']?\s*({target}{stop})", re.I),
        re.compile(rf"!\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?({target}[^)\s>]+)", re.I),
        re.compile(rf"\{{(?:image|figure)\}}[ \t]+({target}\S+)", re.I),
        # reStructuredText, in an {eval-rst} block: an image or figure (a substitution's too),
        # and a raw block's :url:, which the build itself fetches
        re.compile(rf"^[ \t]*\.\.[ \t]+(?:\|[^|\n]+\|[ \t]+)?(?:image|figure)::[ \t]*({target}\S+)", re.I | re.M),
        re.compile(rf"^[ \t]*:url:[ \t]*({target}\S+)", re.I | re.M),
    ]
    css = [
        # a CSS escape may end with a space: url(\68 ttps://…)
        re.compile(rf"url\(\s*[\"']?\s*({target}(?:\\[0-9a-fA-F]{{1,6}}\s?|[^\"')\s])+)", re.I),
        re.compile(rf"@import\s+(?:url\(\s*)?[\"']?\s*({target}[^\"')\s;]+)", re.I),
    ]
    references = re.compile(rf"^[ ]{{0,3}}\[([^\]\n]+)\]:\s*<?({target}[^\s>]+)", re.I | re.M)
    return loads, css, references


# Every address that loads a file (`remote` tells those from elsewhere): a browser reads
# `&#104;ttps://…` as https://…, and `https:example.com` too from a page opened as a file
_LOADS, _CSS_LOADS, _REFERENCES = _load_patterns("(?=[^\"'\\s>])", srcset=r"\s*")
_ESCAPED = re.compile(r"&(?:#|colon;|sol;|bsol;|tab;|newline;)", re.I)


_SCHEME_ENDS = ("tp:", "tps:", "TP:", "TPS:", "Tp:", "Tps:", "ws:", "WS:", "Ws:")
"""How an address's scheme without its slashes ends (`https:example.com`), in the cases
written; a scheme in mixed case (`hTtPs:`) is let through: lowering every page's text
for it took 17 ms a build."""


def _maybe_remote(text: str, slashless: bool) -> bool:
    """Whether `text` holds what every address from elsewhere holds, however it is written
    (`slashless`: without its slashes too): most pages have none (plain tests: a regular
    expression took 0.4 ms a page)."""
    if "//" in text or "\\\\" in text or ("&" in text and _ESCAPED.search(text)):
        return True
    return slashless and any(end in text for end in _SCHEME_ENDS)


_REMOTE_START = re.compile(r"(?:(?:https?|wss?|ftp):|//)", re.I)
_C0_AND_SPACE = "".join(map(chr, range(0x21)))  # what a browser strips around an address


def remote(address: str) -> bool:
    """Whether a browser loads `address` from the network: written plainly, with its
    characters as HTML or CSS escapes (`&#104;ttps:`, `\\68 ttps:`), with tabs or line
    breaks inside it (which browsers drop), backslashes for slashes, or without the slashes
    (`https:example.com`, an address of its own from a page opened as a file)."""
    for decoded in (address, html.unescape(address)):
        css = re.sub(r"\\([0-9a-fA-F]{1,6})[ \t\n]?", lambda m: chr(int(m.group(1), 16) % 0x110000), decoded)
        css = re.sub(r"\\(.)", r"\1", css)
        for variant in (decoded, css, decoded.replace("\\", "/")):
            plain = re.sub(r"[\t\n\r]", "", variant).strip(_C0_AND_SPACE)
            if _REMOTE_START.match(plain) or plain.startswith(("\\\\", "/\\", "\\/")):
                return True
    return False


# A file of the course's own: no scheme (data:, mailto:), not from elsewhere, not a page's
# own anchor, not made by a template (`{{ … }}`); of a srcset, the first.
_LOCAL = _load_patterns(r"(?![a-z][a-z0-9+.-]*:|//|#|\{)", srcset=r"\s*")
_OWN = r"(?![a-z][a-z0-9+.-]*:|//|#|\{)"
_LOCAL_MORE = [
    # a picture's address in <…>, which may hold spaces: ![A map](<../my map.png>)
    re.compile(rf"!\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<({_OWN}[^>\n]+)>"),
    # a link to a file (not a page): Sphinx copies it into the site, to be downloaded; in
    # <…>, its path may hold spaces: [the form](<docs/my form.pdf>)
    re.compile(
        rf"\[(?<!!\[)(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(?:"
        rf"<({_OWN}[^>\n]*\.(?!md\b|html?\b)[A-Za-z0-9]{{1,5}})[>#?]"
        rf"|({_OWN}[^)\s>]*\.(?!md\b|html?\b)[A-Za-z0-9]{{1,5}})[)\s#?])"
    ),
    re.compile(rf"\{{download\}}`(?:[^`<]*<({_OWN}[^>`]+)>|({_OWN}[^`]+))`"),
    re.compile(rf"\{{(?:include|literalinclude)\}}[ \t]+({_OWN}\S+)"),
]
_LOCAL_MARKERS = (
    "](",
    "]:",
    "src",
    "SRC",
    "data=",
    "DATA=",
    "href=",
    "HREF=",
    "style=",
    "STYLE=",
    "<style",
    "<STYLE",
    "{download}",
    "{image}",
    "{figure}",
    "include}",
    "image::",
    "figure::",
    ":url:",
)
"""What each form that `local_loads` finds holds (HTML's names in small or capital letters;
`src` also stands for `srcset`, and `url(` is only looked for in a style)."""
_SRCSET = re.compile(r"srcset(?<=\ssrcset)\s*=\s*([\"'])(.*?)\1", re.I | re.S)
# CSS, in a style element or attribute (elsewhere, `url(…)` is only words).
_STYLES = re.compile(r"<style\b[^>]*>.*?</style\s*>|\sstyle\s*=\s*(?:\"[^\"]*\"|'[^']*')", re.I | re.S)
# a script written in the page (not one loaded with src=, found by _LOADS), and an address
# from elsewhere quoted in it: `fetch("https://…")`, `s.src = "//…"`
_SCRIPTS = re.compile(r"<script\b[^>]*>(.*?)</script\s*>", re.I | re.S)
_SCRIPT_ADDRESS = re.compile(r"[\"'`]\s*((?:(?:https?|wss?):)?//[^\"'`\s]+)", re.I)  # a web socket's too
_FENCE_LINE = re.compile(r"^[ \t]*(?:`{3,}|~{3,}|:{3,}).*$", re.M)
_CODE_DIRECTIVES = {"code", "code-block", "sourcecode", "code-cell", "literalinclude"}
# a code span, not over a blank line; not a download role's file ({download}`notes.pdf`)
_SPANS = re.compile(r"(?<!`)(?<!\{download\})(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
_MYST_COMMENT = re.compile(r"^%.*$", re.M)

# Settings of _config.yml (under `sphinx.config`, or Jupyter Book's own) whose value is a file
# that every page loads.
_LOADED_SETTINGS = {
    "html_js_files",
    "html_css_files",
    "html_logo",
    "html_favicon",
    "logo",
    "favicon",
    "image_light",
    "image_dark",
    "icon",
    "mathjax_path",
}
# Jupyter Book's settings that put a script from elsewhere on every page when true.
_LOADING_SWITCHES = {"thebe": "Thebe", "hypothesis": "Hypothesis", "dokieli": "dokieli"}
# Settings whose value, when given, makes every page load a tracker's script.
_TRACKERS = {"google_analytics_id": "Google Analytics", "plausible_analytics_domain": "Plausible"}

WHAT_TO_DO = "save the file in the course folder and refer to it by its path"
# Of _LOADED_SETTINGS, those whose file can be one of the course folder (each book holds a
# copy: loading.CONFIG_FILES); for the others, a local file would not be in the site either.
_LOCAL_FILE_KEPT = {"html_logo", "html_favicon", "logo", "favicon", "image_light", "image_dark"}
_INSTEAD = {
    "mathjax_path": "leave it out (a course's pages hold no formula: `check` tells one)",
    "html_css_files": "leave it out (a course cannot add its own style sheet to the site)",
    "html_js_files": "leave it out (a course cannot add its own script to the site)",
}


def loads(text: str, slashless: bool = True) -> list[tuple[int, int, str]]:
    """(line, column, address) of each file that `text` (MyST Markdown with HTML and Jinja)
    loads from the network, in the order written. Code (spans, blocks) and comments only
    show what they hold: they load nothing. `slashless`: an address without its slashes
    (`https:example.com`) is looked for too."""
    if not _maybe_remote(text, slashless):
        return []
    candidates = [  # every candidate of a srcset ("a.png 1x, https://…/b.png 2x")
        (srcset.start(2) + m.start(1), m.group(1))
        for srcset in (_SRCSET.finditer(text) if "srcset" in text.lower() else ())
        for m in re.finditer(r"(?:^|,)\s*([^\s,]+)", srcset.group(2))
    ]
    found = _found(text, _LOADS, _CSS_LOADS, _REFERENCES, candidates, keep=remote)
    # an address in a script of the page's own: what it fetches, or a file it adds; unless the
    # script is only shown (in code, in a comment): its own `…` are JavaScript's, not code spans
    scripts = list(_SCRIPTS.finditer(text)) if "<script" in text.lower() else []
    shown = shown_only(text) if scripts else []
    found += [
        (*text_position(text, script.start(1) + address.start(1)), address.group(1))
        for script in scripts
        if not inside(shown, script.start())
        for address in _SCRIPT_ADDRESS.finditer(script.group(1))
    ]
    return sorted(set(found))


def local_loads(text: str) -> list[tuple[int, int, str]]:
    """(line, column, path) of each of the course's own files that `text` loads or that the
    site copies (a picture, most often; a document a page links to, which Sphinx copies
    into the site for download), as `loads` finds those from the network."""
    if not any(marker in text for marker in _LOCAL_MARKERS):  # most pages load nothing
        return []
    patterns, css, references = _LOCAL
    # every candidate of a srcset (`_LOCAL` finds the first): "a.png 1x, ../../b.png 2x"
    candidates = [
        (srcset.start(2) + m.start(1), m.group(1))
        for srcset in (_SRCSET.finditer(text) if "srcset" in text.lower() else ())
        for m in re.finditer(rf"(?:^|,)\s*({_OWN}[^\s,]+)", srcset.group(2))
    ]
    found = _found(text, [*patterns, *_LOCAL_MORE], css, references, candidates)
    return [f for f in found if not remote(f[2])]  # `\\example.com\a.png`: told by `loads`


def _found(
    text: str,
    patterns: list[re.Pattern[str]],
    css: list[re.Pattern[str]],
    references: re.Pattern[str],
    more: list[tuple[int, str]] | None = None,
    keep: Callable[[str], bool] | None = None,
) -> list[tuple[int, int, str]]:
    """Where `patterns` (their last group that matched), `css` in style elements and
    attributes, and `references` used by an image find an address, and `more` (index,
    address): (line, column, address), but for what code and comments only show; of those,
    what `keep` keeps."""
    found = [
        (match.start(match.lastindex or 1), match.group(match.lastindex or 1))
        for pattern in patterns
        for match in pattern.finditer(text)
    ]
    found += more or []
    if "style" in text.lower():  # most pages have no CSS: not searched for it
        found += [
            (style.start() + match.start(1), match.group(1))
            for style in _STYLES.finditer(text)
            for pattern in css
            for match in pattern.finditer(style.group(0))
        ]
    used = {
        " ".join((ref or alt).casefold().split())
        for alt, ref in re.findall(r"!\[([^\]\n]*)\](?:\[([^\]\n]*)\])?", text)
    }
    if "]:" in text:  # a reference's definition
        found += [
            (m.start(2), m.group(2))
            for m in references.finditer(text)
            if " ".join(m.group(1).casefold().split()) in used
        ]
    if keep is not None:  # before the page is parsed for its code and comments, which takes time
        found = [(index, url) for index, url in found if keep(url)]
    if not found:
        return []
    shown = shown_only(text)
    longest: dict[int, str] = {}  # `<../my plan.png>` is also found as "../my", at the same place
    for index, url in found:
        if not inside(shown, index) and len(url) > len(longest.get(index, "")):
            longest[index] = url
    return sorted((*text_position(text, index), url) for index, url in longest.items())


def shown_only(text: str) -> list[tuple[int, int]]:
    """The stretches of `text` that only show what they hold: code blocks and spans (as
    markdown-it, MyST's parser, reads them), HTML, Jinja and MyST comments."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.colon_fence import colon_fence_plugin

    starts = [0, *(m.end() for m in re.finditer("\n", text)), len(text) + 1]
    stretches = [(m.start(), m.end()) for m in _JINJA_COMMENT.finditer(text)]  # gone before Markdown
    for token in MarkdownIt("commonmark").use(colon_fence_plugin).parse(text):
        if not token.map:
            continue
        directive = re.match(r"\{([\w-]+)\}", token.info.strip()) if token.type in ("fence", "colon_fence") else None
        code = token.type == "code_block" or (
            token.type in ("fence", "colon_fence") and (directive is None or directive.group(1) in _CODE_DIRECTIVES)
        )
        if code:
            stretches.append((starts[token.map[0]], starts[min(token.map[1], len(starts) - 1)]))
    fenceless = _FENCE_LINE.sub(lambda m: " " * len(m.group(0)), text)  # a fence's backticks open no code span
    stretches += [(m.start(), m.end()) for m in _SPANS.finditer(fenceless) if not inside(stretches, m.start())]
    stretches += [
        (m.start(), m.end())
        for pattern in (_HTML_COMMENT, _MYST_COMMENT)
        for m in pattern.finditer(text)
        if not inside(stretches, m.start())
    ]
    return stretches


def inside(stretches: list[tuple[int, int]], index: int) -> bool:
    return any(start <= index < end for start, end in stretches)


def page_problems(path: Path, text: str, what: str = "page") -> list[Diagnostic]:
    return [
        Diagnostic(
            SourceRef(path, line, col),
            f"this {what} loads {url} from the network, which trainees offline do not have: {WHAT_TO_DO}",
            Code.NETWORK_LOAD,
        )
        for line, col, url in loads(text)
    ]


def config_problems(path: Path, config: Any) -> list[Diagnostic]:
    """What in a course's `_config.yml` (`config`, as loaded, with its marks) would load
    files from the network, or make the build need it."""
    out = []

    def say(where: list[Any], message: str, key: bool = False) -> None:
        out.append(Diagnostic(locate(path, config, where, key=key), message, Code.NETWORK_LOAD))

    offline = "from the network, which trainees offline do not have"
    everywhere = "from the network on every page, which trainees offline do not have"
    for where, value in leaves(config):
        key = next((step for step in reversed(where) if isinstance(step, str)), "")
        if not isinstance(value, str):
            if key in _LOADING_SWITCHES and value is True:
                say(where, f"{_LOADING_SWITCHES[key]} loads its script {everywhere}: leave it off")
        elif key in ("extensions", "extra_extensions") and value.strip() == "sphinx_thebe":
            say(where, f"sphinx_thebe has pages load Thebe's script {offline} (on every page with thebe_config's "
                "always_load, else when a reader starts it): leave it out")  # fmt: skip
        elif key in _TRACKERS and value.strip():
            say(where, f"{_TRACKERS[key]} loads its script {everywhere}: leave it out")
        elif where[-2:] == ["html_theme_options", "logo"]:
            continue  # not the theme's form of a logo, whatever it names (loading._theme_logo)
        elif key in _LOADED_SETTINGS and remote(value):
            instead = WHAT_TO_DO if key in _LOCAL_FILE_KEPT else _INSTEAD.get(key, "leave it out")
            say(where, f"every page would load {value.strip()} {offline}: {instead}")
        else:  # an HTML snippet (a footer, an announcement), told at its start: a file it
            for _, _, url in loads(value):  # names by its path would not be in the site either
                say(where, f"this setting loads {url} {offline}: leave it out")
    for where, message in (
        (["html", "comments", "utterances"], f"utterances loads its script {everywhere}: leave it out"),
        (
            ["sphinx", "config", "intersphinx_mapping"],
            "intersphinx_mapping makes every build fetch other sites' inventories over the network: leave it out",
        ),
    ):
        if _setting(config, where):
            say(where, message, key=True)
    return out


def _setting(data: Any, where: list[str]) -> Any:
    for step in where:
        if not isinstance(data, dict):
            return None
        data = data.get(step)
    return data
