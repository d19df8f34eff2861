"""What would make the built site load something from the network, found where the course
writes it: trainees read the course on phones with no connection, where a picture, a
script or a style sheet from elsewhere is simply missing (and a request that waits for a
network that is not there can hold a page up).

Pages and box templates are searched for what loads a file as a page opens (images,
scripts, frames, media, style sheets, CSS `url()` and `@import`, MyST's image and figure
directives); plain links (`[text](https://…)`, `<a href>`) are not loads and are left
alone. `_config.yml` is searched for the settings that make every page load something
(`html_js_files`, `html_css_files`, a logo or favicon, MathJax, Thebe) or that make the
build itself fetch from the network (intersphinx), and its HTML snippets as pages are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import Code, Diagnostic, SourceRef
from .yamlfile import locate, text_position

_REMOTE = r"(?:https?:)?//"
_URL = re.compile(rf"^\s*{_REMOTE}", re.I)
# What loads a file in HTML: a tag's source, an object's data, a style sheet or icon, CSS.
_IN_HTML = [
    re.compile(
        rf"<(?:img|script|iframe|frame|source|video|audio|embed|track|input|image)\b[^>]*?\s"
        rf"(?:src|srcset|poster|href|xlink:href)\s*=\s*[\"']?\s*({_REMOTE}[^\"'\s>]+)",
        re.I,
    ),
    re.compile(rf"<object\b[^>]*?\sdata\s*=\s*[\"']?\s*({_REMOTE}[^\"'\s>]+)", re.I),
    re.compile(rf"<link\b[^>]*?\shref\s*=\s*[\"']?\s*({_REMOTE}[^\"'\s>]+)", re.I),
    re.compile(rf"url\(\s*[\"']?\s*({_REMOTE}[^\"')\s]+)", re.I),
    re.compile(rf"@import\s+(?:url\(\s*)?[\"']?\s*({_REMOTE}[^\"')\s;]+)", re.I),
]
# What may load a file in Markdown (a quick look, confirmed by `_in_markdown`): the above,
# an image (`![alt](URL)`, or `![alt][ref]` with `[ref]: URL`), MyST's image and figure.
_MAYBE = [
    *_IN_HTML,
    re.compile(rf"!\[[^\]\n]*\]\(\s*<?({_REMOTE}[^)\s>]+)"),
    re.compile(rf"^[ \t]*\[[^\]\n]+\]:[ \t]*<?({_REMOTE}\S+)", re.M),
    re.compile(rf"\{{(?:image|figure)\}}[ \t]+({_REMOTE}\S+)", re.I),
]
_FIGURE = re.compile(rf"^\{{(?:image|figure)\}}\s+({_REMOTE}\S+)", re.I)
_COMMENTS = re.compile(r"<!--.*?-->|\{#.*?#\}", re.S)  # HTML's and Jinja's: nothing in them loads
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
_LOADING_SWITCHES = {"thebe": "Thebe", "hypothesis": "Hypothesis"}

WHAT_TO_DO = "save the file in the course folder and refer to it by its path"


def loads(text: str) -> list[tuple[int, int, str]]:
    """(line, column, address) of each file that `text` (MyST Markdown with HTML and Jinja)
    loads from the network, in the order written. Code (spans, blocks) and comments only
    show what they hold: they load nothing."""
    if "//" not in text or not any(pattern.search(text) for pattern in _MAYBE):
        return []  # most pages: no address, or none where a load could be
    return _in_markdown(text)


def _in_markdown(text: str) -> list[tuple[int, int, str]]:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.colon_fence import colon_fence_plugin

    plain = _COMMENTS.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)  # same places
    starts = [0, *(m.end() for m in re.finditer("\n", plain))]
    found = set()

    def add(url: str, line: int) -> None:
        index = plain.find(url, starts[min(line, len(starts) - 1)])
        index = plain.find(url) if index < 0 else index
        found.add((*(text_position(text, index) if index >= 0 else (line + 1, 1)), url))

    for token in MarkdownIt("commonmark").use(colon_fence_plugin).parse(plain):
        line = token.map[0] if token.map else 0
        if token.type == "html_block":
            for url in _html_loads(token.content):
                add(url, line)
        elif token.type in ("fence", "colon_fence") and (figure := _FIGURE.match(token.info.strip())):
            add(figure.group(1), line)
        elif token.type == "inline":
            for child in token.children or []:
                src = str(child.attrGet("src") or "") if child.type == "image" else ""
                if _URL.match(src):
                    add(src.strip(), line)
                elif child.type == "html_inline":
                    for url in _html_loads(child.content):
                        add(url, line)
    return sorted(found)


def _html_loads(html: str) -> list[str]:
    return [match.group(1) for pattern in _IN_HTML for match in pattern.finditer(html)]


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
    for where, value in _values(config, []):
        key = next((step for step in reversed(where) if isinstance(step, str)), "")
        if not isinstance(value, str):
            if key in _LOADING_SWITCHES and value is True:
                message = (
                    f"{_LOADING_SWITCHES[key]} loads its script from the network on every page, "
                    "which trainees offline do not have: leave it off"
                )
                out.append(Diagnostic(locate(path, config, where), message, Code.NETWORK_LOAD))
            continue
        if key in _LOADED_SETTINGS and _URL.match(value):
            message = f"every page would load {value.strip()} from the network, which trainees offline do not have"
            out.append(Diagnostic(locate(path, config, where), f"{message}: {WHAT_TO_DO}", Code.NETWORK_LOAD))
        else:
            for _, _, url in loads(value):  # an HTML snippet (a footer, an announcement): at its start
                message = f"this setting loads {url} from the network, which trainees offline do not have"
                out.append(Diagnostic(locate(path, config, where), f"{message}: {WHAT_TO_DO}", Code.NETWORK_LOAD))
    if _setting(config, ["html", "comments", "utterances"]):
        where = ["html", "comments", "utterances"]
        message = "utterances loads its script from the network on every page, which trainees offline do not have"
        out.append(Diagnostic(locate(path, config, where, key=True), f"{message}: leave it out", Code.NETWORK_LOAD))
    if _setting(config, ["sphinx", "config", "intersphinx_mapping"]):
        where = ["sphinx", "config", "intersphinx_mapping"]
        message = "intersphinx_mapping makes every build fetch other sites' inventories over the network"
        out.append(Diagnostic(locate(path, config, where, key=True), f"{message}: leave it out", Code.NETWORK_LOAD))
    return out


def _values(data: Any, where: list[Any]) -> Iterator[tuple[list[Any], Any]]:
    """Every value in `data` that is not a mapping or a list, with its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _values(value, [*where, key])
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _values(value, [*where, i])
    else:
        yield where, data


def _setting(data: Any, where: list[str]) -> Any:
    for step in where:
        if not isinstance(data, dict):
            return None
        data = data.get(step)
    return data
