"""Stage 4, render: turn each page's Jinja2 + MyST source into plain MyST Markdown.

Pages quote sources only through the macros below, so that a source edited once changes
every page that quotes it; each call records a citation, from which the coverage matrix
is built. Templates run in a sandboxed Jinja2 environment with `StrictUndefined`. Every
problem (syntax error, undefined name, unknown source id) becomes a diagnostic with the
page's path and line, and rendering goes on so that all of them are reported at once.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import os
import posixpath
import re
import resource
import signal
import sys
import threading
import time
import traceback
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import jinja2
import jinja2.lexer
import jinja2.meta
import jinja2.parser
from jinja2.nodes import EvalContext
from jinja2.sandbox import SandboxedEnvironment

from . import diagrams, layers, reuse
from .errors import Code, Diagnostic, SourceRef
from .mdtext import blockquote, md_inline
from .model import BOXES, COMMON, Course, Page, RenderedPage, Source, Template, closest, meant
from .yamlfile import MAX_BYTES, PAGE_LIMIT_WHY, PAGE_MAX_BYTES, lines, sizes, text_position, there

LABELS = {
    "fr": {
        "diagram_text": "Version texte du schéma",
        "glossary": ("Terme", "Anglais", "Définition"),
    },
    "en": {
        "diagram_text": "Text version of the diagram",
        "glossary": ("Term", "French", "Definition"),
    },
}
QUOTES = {"fr": ("« ", " »"), "en": ("“", "”")}
TRANSLATED = {"fr": "traduction du cours", "en": "translated by this course"}
"""Under a quote whose text, in that language, is not the official one (`translated:`)."""


RENDER_SECONDS = 20.0
"""Processor time a page may take to render: pages render in milliseconds, but a template
can loop without end (`for` in `for`); it is stopped and said, rather than running on."""


class _Stopped(Exception):
    """A page's rendering stopped by coursegen (not an error of the template's own)."""


class _TooLong(_Stopped):
    pass


class _TooLarge(_Stopped):
    pass


class _Told(_Stopped):
    """A box template stopped, and said at its own place (see `Renderer._box`)."""


RENDER_MEMORY = 500_000_000
"""Memory, in bytes, that a page's rendering may take above what the process held before:
a loop that doubles a text at each turn (`set s = s ~ s`) would take the machine's memory
in a second, far within the time limit."""

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _dialled(number: Any) -> str:
    """A phone number as a phone dials it (`tel:` links: a tap calls it), or "" when the text
    is not one: "+32 2 511 64 64" → "+3225116464", "19" → "19", "04/232.40.30" →
    "042324030" (one '/' after an area code, as Belgium writes it); the "(0)" that Belgian
    and French numbers write after the country code is not dialled from abroad: "+32 (0)3
    201 16 90" → "+3232011690", "0032 (0)3 …" → "00323…"; "0800 #HELP", "ask your trainer",
    two numbers ("112 / 101", "112/101"), "24/7" → ""."""
    text = str(number).strip()
    if "/" in text and not re.fullmatch(r"0\d{1,3}/[\d .]{6,}", text):
        return ""  # "112/101", "24/7", "(24/7)": not one number
    if not re.fullmatch(r"\+?[\d\s()./-]+", text):
        return ""
    if text.startswith(("+", "00")):
        text = re.sub(r"\(\s*0\s*\)", "", text)
    digits = re.sub(r"[^\d+]", "", text)
    return digits if len(digits.lstrip("+")) >= 2 else ""  # 15, 19: emergency numbers


NBSP = "\u00a0"
_BETWEEN_NUMBERS = re.compile(r"(\s+(?:/|ou|or|et|and)\s+|\s*[,;]\s+)")
"""What separates two numbers that a profile gives in one field: "17 / 18", "17 ou 112"."""


def _number_parts(text: str) -> list[str]:
    """`text` split at what separates two numbers (`_BETWEEN_NUMBERS`), but not inside
    brackets ("116 006 (gratuit, 24 h/24)"): parts and separators, alternately."""
    depth, inside = 0, set()
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth > 0:
            inside.add(i)
    out, at = [], 0
    for m in _BETWEEN_NUMBERS.finditer(text):
        if m.start() not in inside:
            out += [text[at : m.start()], m.group()]
            at = m.end()
    return [*out, text[at:]]


def _with_note(part: str) -> tuple[str, str]:
    """A part and the note in brackets that ends it: "17 (police)" → ("17", "(police)")."""
    found = re.fullmatch(r"(.*?)\s*(\([^()]*\))?", part)
    return (found.group(1), found.group(2) or "") if found else (part, "")


def _phones(text: Any) -> str:
    """A profile's number field in Markdown, each number it holds a `tel:` link, on one line
    ("17 / 18", "17 (police) ou 112", "0800 30 030 (24/7)", "+32 2 511 64 64"); the words
    around kept as text. A part that no phone can dial alone ("02" of "02 / 511 64 64", an
    area code written apart) makes the field one number, or plain text."""
    whole = " ".join(str(text).split())  # one space between words (and no regex retried along a long blank)
    plain = md_inline(whole).replace(" ", NBSP)
    core, note = _with_note(whole)
    one = re.sub(r"\s*/\s*", "/", core)  # "02 / 511 64 64": an area code, as Belgium writes it
    dialled = _dialled(core) or (_dialled(one) if re.fullmatch(r"0\d{1,3}/[\d .]{6,}", one) else "")
    if dialled:  # one number: "+32 (0)3 201 16 90", "0800 30 030 (24/7)"
        shown = f"{NBSP}{md_inline(note)}" if note else ""
        return f"[{md_inline(core).replace(' ', NBSP)}](tel:{dialled}){shown}"
    parts = _number_parts(whole)
    numbers = [_with_note(part)[0] for part in parts[::2]]
    if len(parts) == 1 or any(  # an area code or a country code alone is no number
        n.startswith(("0", "+")) and len(re.sub(r"\D", "", n)) < 6 for n in numbers if _dialled(n)
    ):
        return plain
    out = []
    for n, part in enumerate(parts):
        if n % 2:  # a separator, its spaces kept: "17 / 18"
            out.append(part.replace(part.strip(), md_inline(part.strip())) if part.strip() else part)
            continue
        core, note = _with_note(part)
        dialled = _dialled(core)
        if dialled:  # "17", "17 (police)"; not "0800 #HELP"
            shown = f"{NBSP}{md_inline(note)}" if note else ""
            out.append(f"[{md_inline(core).replace(' ', NBSP)}](tel:{dialled}){shown}")
        else:
            out.append(md_inline(part).replace(" ", NBSP))
    return "".join(out)


def _memory() -> int:
    """The memory, in bytes, that the process holds: now (Linux), else at its most."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024  # kilobytes, elsewhere


@contextmanager
def _limits(seconds: float) -> Iterator[None]:
    """Raise `_TooLong` in the block once the process has used `seconds` of processor time
    in it, its own or the system's for it (making text takes memory, which is the system's
    work), and `_TooLarge` once it holds RENDER_MEMORY more than before it: looked at every
    twentieth of a second of processor time. In the main thread only, where Python runs
    signal handlers; elsewhere, no limit."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    began, memory = time.process_time(), _memory()

    def look(signum: int, frame: FrameType | None) -> None:
        inner = frame
        while inner is not None:  # not inside Python's imports (see cli._interrupted): at the next look
            if inner.f_code.co_filename.startswith("<frozen importlib"):
                return
            inner = inner.f_back
        if time.process_time() - began >= seconds:
            raise _TooLong
        if _memory() - memory > RENDER_MEMORY:
            raise _TooLarge

    previous = signal.signal(signal.SIGPROF, look)
    signal.setitimer(signal.ITIMER_PROF, min(seconds, 0.05), min(seconds, 0.05))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _stopped_message(exc: _Stopped, what: str) -> str:
    if isinstance(exc, _TooLong):
        return f"this {what} takes more than {RENDER_SECONDS:g} s to render (a loop that runs too long?)"
    return f"this {what} would be larger than {MAX_BYTES // 1_000_000} MB once rendered (the limit)"


def _limited(template: jinja2.Template, **context: Any) -> str:
    """`template` rendered, stopped (`_TooLarge`) as soon as its text passes MAX_BYTES: a
    loop that writes without end is stopped before it takes the machine's memory."""
    parts, size = [], 0
    for chunk in template.generate(**context):
        size += len(chunk)
        if size > MAX_BYTES:
            raise _TooLarge
        parts.append(chunk)
    return "".join(parts)


_FORMAT_SPECS = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?|\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}")
"""The conversions of a format string (`%8.2f`, `%(name)8s`, `%*s`, `{:>8}`, `{:{}}`)."""

INT_BITS = 1_000_000
"""The largest whole number a page may compute with, in bits (about 300,000 digits; Python
writes no more than 4,300 of them as text): beyond, multiplying or dividing takes seconds
to minutes in one step, which neither Ctrl-C nor the time limit can stop."""


def _values(args: Any) -> list[Any]:
    """The values given to a format: the arguments, a mapping's values, and what lists and
    mappings among them hold (`{0[1]}`, `{0[key]}`), one level down."""
    top = list(args.values()) if isinstance(args, dict) else list(args) if isinstance(args, tuple | list) else [args]
    inner = [
        v
        for a in top
        if isinstance(a, list | tuple | dict) and len(a) < 1000
        for v in (a.values() if isinstance(a, dict) else a)
    ]
    return top + inner


def _format_size(fmt: str, args: Any) -> int:
    """About how many characters format string `fmt` makes with `args`: its widths, written
    in it (`%80s`, `{:>80}`) or taken from the arguments (`%*s`: a number; `{:{}}`: a number
    or digits), and each of its fields filled with the longest value given, as text
    (`("{0}" * 1000).format(text)`)."""
    specs = _FORMAT_SPECS.findall(fmt)
    values = _values(args)
    widest = max((int(n) for spec in specs for n in re.findall(r"\d+", spec)), default=0)
    if any("*" in spec or spec.count("{") > 1 for spec in specs):  # widths from the arguments
        numbers = [abs(v) for v in values if isinstance(v, int)]
        if any(spec.count("{") > 1 for spec in specs):  # `{:{}}` takes digits too
            numbers += [int(v) for v in values if isinstance(v, str) and v.isascii() and v.isdecimal() and len(v) < 20]
        widest = max([widest, *numbers])
    longest = max((_chars(v) for v in values), default=0)
    return len(fmt) + len(specs) * (widest + longest)


def _chars(value: Any, depth: int = 3) -> int:
    """About how many characters `value` makes as text: a text's length, a number's
    digits, a list's or a mapping's items (those inside it too, a few levels down)."""
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, int):
        return value.bit_length() // 3 + 1
    if isinstance(value, list | tuple | dict):
        items = list(value.values()) if isinstance(value, dict) else value
        if depth == 0 or len(items) > 100_000:
            return len(items) * (1 if depth == 0 else 10)
        return len(items) + sum(_chars(item, depth - 1) for item in items)
    return 1


def _making(name: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any], method: bool = True) -> int:
    """About how many characters the text function `name` would make: a method of the
    text `value`, or (not `method`) a filter given `value`; only for those that can make
    far more than they are given (`"x" | center(3000000000)`), which Python does in one
    step, before the page's own limits (`_limited`, `_limits`) are looked at. 0 for the
    others."""

    def arg(index: int, key: str, default: Any) -> Any:
        return args[index] if len(args) > index else kwargs.get(key, default)

    if name in ("center", "ljust", "rjust", "zfill", "batch"):  # a width, or a count of items
        width = arg(0, "linecount" if name == "batch" else "width", 0)
        return width if isinstance(width, int) else 0
    text = value if isinstance(value, str) else ""
    if not method and name in ("indent", "replace", "wordwrap") and not isinstance(value, str | jinja2.Undefined):
        text = str(value)  # these filters take any value as text (an undefined one says so itself)
    if name == "indent" and text:
        width = arg(0, "width", 4)
        per_line: int = width if isinstance(width, int) else len(str(width))
        return len(text) + (len(text.splitlines()) + 1) * per_line
    if name == "expandtabs" and text:
        size = arg(0, "tabsize", 8)
        return len(text) + text.count("\t") * int(size) if isinstance(size, int) else 0
    if name == "replace" and text:
        old, new = arg(0, "old", None), arg(1, "new", None)
        if not method:  # Jinja's filter takes them as text
            old, new = str(old), str(new)
        if isinstance(old, str) and isinstance(new, str):
            return len(text) + (text.count(old) if old else len(text) + 1) * len(new)
        return 0
    if name == "translate" and text:
        table = arg(0, "table", None)
        longest = (
            max((len(v) for v in table.values() if isinstance(v, str)), default=1) if isinstance(table, dict) else 1
        )
        return len(text) * longest
    if name == "wordwrap" and text:  # a filter only: (width, break_long_words, wrapstring, …)
        width, wrap = arg(0, "width", 79), arg(2, "wrapstring", None)
        if isinstance(width, int) and wrap is not None:
            return len(text) + (len(text) // max(width, 1) + len(text.splitlines()) + 1) * len(str(wrap))
        return 0
    if name == "tojson":
        indent = arg(0, "indent", None)
        size = len(indent) if isinstance(indent, str) else indent if isinstance(indent, int) else 0
        return MAX_BYTES + 1 if size > 80 else 0
    if name == "join":  # the method: `value` is the separator; the filter: the items
        items, separator = (arg(0, "iterable", ()), value) if method else (value, arg(0, "d", ""))
        if isinstance(items, str | list | tuple):
            return len(items) * len(str(separator)) + _chars(items)
        return 0
    if name in ("format", "format_map") and isinstance(value, str):  # the method, or the filter (`%`)
        given = args[0] if name == "format_map" and args else [*args, *kwargs.values()]
        return _format_size(value, given)
    if name in ("extend", "append", "insert", "__add__") and isinstance(value, list):  # a list that grows
        added = arg(1 if name == "insert" else 0, "object", None)
        return _chars(value) + _chars(added)
    return 0


_CONTEXTS = (jinja2.Environment, jinja2.runtime.Context, EvalContext)


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """Jinja's filter `name`, stopped (`_TooLarge`) before it makes more than a page may hold."""

    @functools.wraps(function)  # keeps Jinja's marks (`pass_environment` and the like)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        first = next((i for i, a in enumerate(args) if not isinstance(a, _CONTEXTS)), None)
        if first is None:
            return function(*args, **kwargs)
        if name == "join" and not isinstance(args[first], str | list | tuple | dict):  # an iterator: counted first
            args = (*args[:first], list(args[first]), *args[first + 1 :])
        if _making(name, args[first], args[first + 1 :], kwargs, method=False) > MAX_BYTES:
            raise _TooLarge
        return function(*args, **kwargs)

    return bounded


class _Environment(SandboxedEnvironment):
    """Jinja's sandbox, which also refuses to make in one step more text, or a larger
    number, than a page may hold (`"word " * 4000000`, `"x".ljust(3000000000)`,
    `10 ** 10 ** 9`): Python would make it at once, before `_limited` or `_limits` look
    (the power, for minutes, deaf to Ctrl-C). What can still make much in one step: a
    chain of `~` written out in the page (each part at most a page's size). A course
    from someone you do not trust is best built where its memory is bounded (a container)."""

    intercepted_binops = frozenset({"*", "**", "%", "//", "+"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Not a text's `encode`: pages have no use for bytes, which the limits do not follow."""
        return not (isinstance(obj, str) and attr == "encode") and super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        integers = isinstance(left, int) and isinstance(right, int)
        if integers and max(abs(left), abs(right)).bit_length() > INT_BITS:
            raise _TooLarge
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | bytes | list | tuple)
                    and isinstance(times, int)
                    and _chars(seq) * times > MAX_BYTES
                ):
                    raise _TooLarge
            if integers and left.bit_length() + right.bit_length() > INT_BITS:
                raise _TooLarge
        elif operator == "**":
            if integers and right > 0 and left.bit_length() * right > INT_BITS:
                raise _TooLarge
        elif operator == "%" and isinstance(left, str) and _format_size(left, right) > MAX_BYTES:
            raise _TooLarge
        elif operator == "+" and all(isinstance(v, str | list | tuple) for v in (left, right)):
            size = _chars(left) + _chars(right)
            if size > MAX_BYTES:
                raise _TooLarge
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`text.format` and `text.format_map`, which Jinja's sandbox wraps as they are read."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text, name = value.__self__, value.__name__

        def bounded(*args: Any, **kwargs: Any) -> str:
            if _making(name, text, args, kwargs) > MAX_BYTES:
                raise _TooLarge
            return wrapped(*args, **kwargs)

        return bounded

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        owner, name = getattr(__obj, "__self__", None), getattr(__obj, "__name__", "")
        if isinstance(owner, str) and name == "join" and args and not isinstance(args[0], str | list | tuple | dict):
            args = (list(args[0]), *args[1:])  # an iterator: counted first
        if isinstance(owner, str | list) and _making(name, owner, args, kwargs) > MAX_BYTES:
            raise _TooLarge
        return super().call(__context, __obj, *args, **kwargs)


class _StandIn(jinja2.ChainableUndefined):
    """An unknown name, once said, standing for nothing while the rest of its page is
    rendered (see `Renderer._render_past`): empty as text, empty as a list, itself
    whatever is asked of it, and never given to a macro (which would find an empty id)."""

    def __call__(self, *args: Any, **kwargs: Any) -> _StandIn:  # type: ignore[override]
        return self


class _Loader(jinja2.BaseLoader):
    """Pages by their path; box templates by name ("NAME": the course folder's if it has
    one, else the package's; "builtin:NAME": always the package's). All were read by the
    loading stage: nothing is read from disk here, so no name can reach outside."""

    def __init__(self, pages: dict[str, Page], templates: dict[str, Template]):
        self.pages = pages
        self.templates = templates
        self.stand_ins: set[str] | None = None
        """While a page is rendered past templates it names and that are not there (see
        `Renderer._render_past`): their names, each standing for an empty one."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        page = self.pages.get(template)
        if page is not None:
            return page.text, str(page.path), lambda: True
        found = self.templates.get(template)
        if found is None and self.stand_ins is not None and template in self.stand_ins:
            return "", template, lambda: False
        if found is None:
            raise jinja2.TemplateNotFound(self.told(template))
        return found.text, str(found.path), lambda: True

    def told(self, template: str) -> str:
        """A template's name as said when it is not there, with what is."""
        if ".." in template.split("/") or template.startswith("/"):
            return f"{template} (a path outside the course folder)"
        return f"{template} (templates: {', '.join(sorted(self.templates))})"


_BY_KIND = ("action", "sdg", "practice", "definition")
"""The macros that put their kind before the id they are given (`action("g")`: `action:g`)."""


def _meant_by_macro(key: str, known: dict[str, Any]) -> str:
    """For `action("action:g")` (`action:action:g`: the kind written twice, as in `cite`):
    " (did you mean action("g")? …)", the call to write; else ""."""
    kind, _, inner = key.partition(":")
    if kind not in _BY_KIND or not inner.startswith(f"{kind}:"):
        return ""
    target = inner if inner in known else closest(inner, known)
    if target is None or not target.startswith(f"{kind}:"):
        return ""
    return f""" (did you mean {kind}("{target[len(kind) + 1 :]}")? {kind}() takes the id without '{kind}:')"""


_PAGE_NAMES = {"lang", "area", "audiences", "audience_titles", "audience_pages", "languages"}
"""The names a page is rendered with (besides the macros)."""


class Renderer:
    """Renders the pages of one language; collects citations, extra files and problems."""

    def __init__(self, course: Course, lang: str, audiences: list[str] | None = None):
        self.course = course
        self.lang = lang
        # the audiences whose parts the book holds: a page may say "the other parts" only if any
        self.audiences = list(course.audience_ids if audiences is None else audiences)
        self.diagnostics: list[Diagnostic] = []
        self.files: dict[str, bytes] = {}  # diagrams: path in the book -> SVG
        pages = {str(p.path): p for (_, lg), p in course.pages.items() if lg == lang and p.readable}
        self._loader = _Loader(pages, course.templates)
        self.env = _Environment(
            loader=self._loader,
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            auto_reload=False,
            optimized=False,  # each template is rendered once: folding its constants costs more than it saves
            bytecode_cache=cached.templates() if (cached := reuse.active()) is not None else None,
            finalize=self._text,
        )
        macros: dict[str, Callable[..., str]] = {
            "action": lambda letter: self._quote(f"action:{letter}"),
            "sdg": lambda target: self._quote(f"sdg:{target}"),
            "practice": lambda ident: self._practice(f"practice:{ident}"),
            "definition": lambda ident: self._quote(f"definition:{ident}"),
            "quote": self._quote,
            "headline": self._headline,
            "cite": self._cite,
            "diagram": self._diagram,
            "glossary": self._glossary,
            "quiz": self._quiz,
            "who_to_call": lambda: self._box(BOXES["who_to_call"]),
            "referral_contacts": lambda: self._box(BOXES["referral_contacts"]),
        }
        self.env.globals.update({name: self._checked(name, macro) for name, macro in macros.items()})
        self._macro_names = {id(self.env.globals[name]): name for name in macros}
        self.env.filters["md"] = md_inline
        # a phone number, an article's reference: on one line (a number cut in two on a
        # phone's screen is misdialled)
        self.env.filters["nobreak"] = lambda text: str(text).replace(" ", "\u00a0")
        self.env.filters["tel"] = _dialled
        self.env.filters["phones"] = _phones
        self._texts = {str(p.path): p.text for p in pages.values()} | {
            str(t.path): t.text for t in course.templates.values()
        }
        self._files = set(self._texts)
        self._split: dict[str, list[str]] = {}  # file -> its lines, split once
        self._reported: dict[Path, int] = {}  # page -> problems found at expressions
        self.quiz_pages: dict[str, str] = {}  # page key -> quiz bank shown on it
        self.quiz_calls: dict[str, tuple[SourceRef, bool]] = {}  # page key -> its quiz(), and whether the trainer's
        self._page: Page | None = None
        self._template: jinja2.Template | None = None
        self._citations: list[str] = []
        self._runaway: set[str] = set()  # box templates stopped (see `_box`)
        self._page_start = (0, 0)  # problems found, and said at the page, before the page
        self._state: tuple[set[str], dict[str, str], dict[str, bytes]] = (set(), {}, {})  # before the page

    # --- driving -------------------------------------------------------------------------

    def render(self, page: Page) -> RenderedPage | None:
        if not page.readable:
            return None  # loading has reported why
        self._page, self._citations, self._template = page, [], None
        self._page_start = (len(self.diagnostics), self._reported.get(page.path, 0))
        self._state = (set(self._runaway), dict(self.quiz_pages), dict(self.files))  # for `_render_past`
        try:
            self._template = self.env.get_template(str(page.path))
            if _EXTENDS.search(page.text) and (extends := _extends_box(self.env, page.text)):
                line, col, layouts = extends
                through = "".join(f"'{name}', which extends " for name in layouts)
                what = f"extends {through}a box's template" if layouts else "does not extend a box's template"
                self._problem(
                    line,
                    col,
                    f"a page {what}: it would show the box alone, and none of its own text; to show a box, call "
                    "its macro ({{ who_to_call() }}, {{ referral_contacts() }})",
                )
                return None
            with _limits(RENDER_SECONDS):
                text = _limited(self._template, **self._names(page))
        except _Told:
            return None
        except _Stopped as exc:
            self._problem(*self._stopped_at(exc, page), _stopped_message(exc, "page"))
            return None
        except MemoryError as exc:  # what the limits did not foresee, on a machine short of memory
            self._problem(*self._stopped_at(exc, page), _stopped_message(_TooLarge(), "page"))
            return None
        except jinja2.TemplateSyntaxError as exc:
            file = self._error_file(exc)
            if file and file != str(page.path):
                # in a template that the page includes: said there, at its own line
                place = _syntax_error_place(self.env, exc, self._texts[file])
                message = f"template syntax error: {_syntax_message(exc, self.env)}"
                self.diagnostics.append(Diagnostic(SourceRef(Path(file), *place), message, Code.TEMPLATE_ERROR))
                return None
            line, col = _syntax_error_place(self.env, exc, page.text)
            self._problem(line, col, f"template syntax error: {_syntax_message(exc, self.env)}")
            for later in _syntax_errors_after(self.env, page.text, (line, col)):
                self._problem(*later)
            return None
        except RecursionError as exc:
            if self._template is None:  # Jinja's parser and compiler recurse once per level
                line, col = _deepest_place(self.env, page.text)
                message = "template error: nested too deeply (brackets, calls or blocks one inside another)"
            else:  # while it ran
                line, col = self._template_line(exc), 1
                message = "template error: the page calls itself without end (a macro that calls itself)"
                chain = _extends_loop(self.env, page.text)
                if chain:  # a.md extends b.md, which extends a.md
                    message = (
                        f"template error: the layouts this page extends extend each other without end "
                        f"({' extends '.join(chain)}): let one of them extend none"
                    )
            self._problem(line, col, message)
            return None
        except Exception as exc:  # noqa: BLE001 - any error raised inside a template is the page's problem
            if isinstance(exc, jinja2.UndefinedError):
                found, unknown = self._undefined(page, exc)
                if unknown and all(_unknown_name(message) for _, _, message in found):
                    self._render_past(page, unknown)
                for line, col, message in found:
                    self._problem(line, col, f"template error: {message}")
            elif isinstance(exc, jinja2.TemplateNotFound):  # told at its name; the rest of the page too
                missing, problem = self._not_there(page, exc)
                names, unknown = self._unknown_in(str(page.path), page.text, _PAGE_NAMES)  # which stop it too
                self._render_past(page, unknown, missing)
                self._problem(*problem)
                for where, col, message in sorted(names):
                    self._problem(where, col, f"template error: {message}")
            else:  # at the line's first expression: the one that failed, unless the line holds several
                line = self._template_line(exc)
                shown = lines(_uncommented(page.text))
                at = re.search(r"\{[{%]", shown[line - 1]) if 0 < line <= len(shown) else None
                message = f"template error: {_describe(exc)}"
                test = re.fullmatch(r"No test named '([^']+)'(?: found)?\.?", str(exc))
                if test and at:  # a misspelt test (`is od`), found as it runs: at its name
                    near = difflib.get_close_matches(test.group(1), list(self.env.tests), n=1, cutoff=0.7)
                    message = f"template error: no test named '{test.group(1)}'"
                    message += f" (did you mean '{near[0]}'?)" if near else ""
                    named = re.search(rf"\bis\s+(?:not\s+)?({re.escape(test.group(1))})(?!\w)", shown[line - 1])
                    at = named or at
                self._problem(line, (at.start(at.lastindex or 0) + 1) if at else 1, message)
            return None
        if len(text) > MAX_BYTES // 4 and len(text.encode("utf-8")) > MAX_BYTES:  # in characters, under the limit
            self._problem(*self._stopped_at(_TooLarge(), page), _stopped_message(_TooLarge(), "page"))
            return None
        if len(text) > PAGE_MAX_BYTES // 4 and (size := len(text.encode("utf-8"))) > PAGE_MAX_BYTES:
            self._problem(1, 1, f"this page is too large once rendered ({sizes(size, PAGE_MAX_BYTES)}{PAGE_LIMIT_WHY})")
            return None
        first = text.lstrip().split("\n", 1)[0]
        if not first.startswith("# "):
            self._problem(1, 1, "a page must start with a '# Title' line")
            return None
        if not first[2:].strip(" #\t"):  # "# ": the site's tab, its <h1> and its link in the menu, empty
            self._problem(1, 1, "the page's title is empty: write it after '# '")
            return None
        return RenderedPage(page, text, self._citations)

    def _not_there(self, page: Page, exc: jinja2.TemplateNotFound) -> tuple[list[str], tuple[int, int, str]]:
        """The names of the templates that stopped a page's rendering (one, or each of a
        list that `include` tries in turn), and the problem to tell, at the first's name."""
        if isinstance(exc, jinja2.TemplatesNotFound):
            names = [str(n) for n in exc.templates]
            told = f"none of {', '.join(names)} (templates: {', '.join(sorted(self._loader.templates))})"
        else:
            names = [str(exc.name).split(" (", 1)[0]]  # our loader's names come with a hint
            told = str(exc.message)
        line, col = _find(self._lines_of(str(page.path)), self._template_line(exc), tuple(names[:1]))
        return names, (line, col, f"template not found: {told}")

    def _render_past(self, page: Page, unknown: set[str], missing: list[str] | None = None) -> None:
        """Render the page again, its unknown names standing for nothing, for the problems
        of the rest of the page (a misspelt name stopped the first rendering before them):
        all are said in one run. The second rendering's problems replace the first's; a
        page that stops again keeps the first's. The templates that stopped it (`missing`),
        and those that stop it then, stand for empty ones, each told (never those that
        Jinja skips: `ignore missing`, a list's names before the one found)."""
        assert self._template is not None
        start, said = self._page_start
        first = self.diagnostics[start:]
        self._reported[page.path] = said
        after_first = (set(self._runaway), dict(self.quiz_pages), dict(self.files))
        stand_ins = set(missing or ())
        told: list[tuple[int, int, str]] = []
        try:
            for _ in range(PER_PAGE):
                del self.diagnostics[start:]
                runaway, quiz_pages, files = self._state  # as before the page: it is rendered anew
                self._runaway, self.quiz_pages, self.files = set(runaway), dict(quiz_pages), dict(files)
                self._citations = []
                self._loader.stand_ins = stand_ins
                try:
                    with _limits(RENDER_SECONDS):
                        _limited(self._template, **self._names(page), **dict.fromkeys(unknown, _StandIn()))
                except jinja2.TemplateNotFound as exc:  # another one that is not there
                    names, problem = self._not_there(page, exc)
                    if stand_ins >= set(names):
                        raise
                    stand_ins |= set(names)
                    told.append(problem)
                    continue
                break
        except _Told:  # a box template stopped, said at its own place: kept, with what came before
            self.diagnostics.extend(d for d in first if d not in self.diagnostics[start:])
        except Exception:  # noqa: BLE001 - stopped again: as the first rendering left it
            self.diagnostics[start:] = first
            self._runaway, self.quiz_pages, self.files = after_first
        finally:
            self._loader.stand_ins = None
            if stand_ins and self.env.cache is not None:  # never again: each page that names one is told
                for key in [k for k in self.env.cache if k[1] in stand_ins]:
                    del self.env.cache[key]
        for problem in told:
            self._problem(*problem)

    def _names(self, page: Page) -> dict[str, Any]:
        """The names that `page` is rendered with, besides the macros (`_PAGE_NAMES`)."""
        return {
            "lang": self.lang,
            "area": page.area,
            "audiences": self.audiences,
            "audience_titles": self._audience_titles(),
            "audience_pages": self._audience_pages(page),
            "languages": list(self.course.languages),
        }

    def _audience_titles(self) -> dict[str, str]:
        """The title, in the page's language, of each of the course's audiences (those whose
        part the book holds are `audiences`): a page that names one builds in every book."""
        return {a.id: str(a.title.get(self.lang) or next(iter(a.title.values()), a.id)) for a in self.course.audiences}

    def _audience_pages(self, page: Page) -> dict[str, str]:
        """For each audience whose part the book holds, a link from `page` to the part's
        first page in _toc.yml: what a page that lists the parts links each one to."""
        here = posixpath.dirname(page.out) or "."
        out = {}
        for audience in self.audiences:
            first = next(
                (c.file for p in self.course.parts for c in p.chapters if c.file.startswith(f"modules/{audience}/")),
                None,
            )
            if first is not None:
                out[audience] = posixpath.relpath(f"{first.removeprefix('modules/')}.md", here)
        return out

    def _stopped_at(self, exc: Exception, page: Page) -> tuple[int, int]:
        """Where a page's rendering was stopped: the line it was at, when the page's own
        code was running; else its first loop (what runs long or writes much)."""
        lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == str(page.path)]
        if lines and lines[-1]:
            return lines[-1], 1
        loop = re.search(r"\{%-?\s*for\b", page.text)
        return text_position(page.text, loop.start()) if loop else (1, 1)

    def _undefined(self, page: Page, exc: jinja2.UndefinedError) -> tuple[list[tuple[int, int, str]], set[str]]:
        """What to say for a page whose rendering stopped on something undefined: each name
        that the page uses and that nothing defines (nor the page itself, anywhere: a
        `set` or a loop), at the name; and the error that stopped the rendering, when it is
        another (an unknown attribute, a name the page defines only in some cases)."""
        return self._undefined_in(str(page.path), page.text, _PAGE_NAMES, exc, self._template_line(exc))

    def _undefined_in(
        self, file: str, text: str, given: set[str], exc: jinja2.UndefinedError, line: int
    ) -> tuple[list[tuple[int, int, str]], set[str]]:
        """`_undefined` for the page or box template `file` (its `text`), rendered with the
        names `given`, whose rendering stopped at `line`."""
        found, unknown = self._unknown_in(file, text, given)
        lines = self._lines_of(file)
        named = re.match(r"'(\w+)' is undefined", exc.message or "")
        if not (named and named.group(1) in unknown):
            attribute = re.search(r"has no attribute '(\w+)'", exc.message or "")
            col = 1
            if named:  # a name the page defines only in some cases
                _, col = _in_expression(lines, line, rf"(?<![\w.]){re.escape(named.group(1))}(?!\w)")
            elif attribute:  # at the attribute's name, after its dot
                _, dot = _in_expression(lines, line, rf"\.\s*{re.escape(attribute.group(1))}(?!\w)")
                col = dot + 1 if dot > 1 else 1
            found.add((line, col, _describe(exc)))
        return sorted(found), unknown

    def _unknown_in(self, file: str, text: str, given: set[str]) -> tuple[set[tuple[int, int, str]], set[str]]:
        """Each name that the page or box template `file` (its `text`), rendered with the
        names `given`, uses and that nothing defines (nor the page itself, anywhere: a `set`
        or a loop), told at its place; and those names."""
        tree = self.env.parse(text)
        assigned = {node.name for node in tree.find_all(jinja2.nodes.Name) if node.ctx != "load"}
        guarded = {  # `x is defined`, `x | default(…)`: the page expects it may be undefined
            node.node.name
            for node in (*tree.find_all(jinja2.nodes.Test), *tree.find_all(jinja2.nodes.Filter))
            if node.name in ("defined", "undefined", "default", "d") and isinstance(node.node, jinja2.nodes.Name)
        }
        unknown = jinja2.meta.find_undeclared_variables(tree) - set(self.env.globals) - given
        unknown -= assigned | guarded
        lines = self._lines_of(file)
        found = set()
        macro_of = {  # a bare word given to a macro: `action(g)`, meant as `action("g")`
            id(arg): call.node.name
            for call in tree.find_all(jinja2.nodes.Call)
            if isinstance(call.node, jinja2.nodes.Name) and call.node.name in self.env.globals
            for arg in call.args
            if isinstance(arg, jinja2.nodes.Name)
        }
        for node in tree.find_all(jinja2.nodes.Name):
            if node.ctx == "load" and node.name in unknown:
                at, col = _in_expression(lines, node.lineno, rf"(?<![\w.]){re.escape(node.name)}(?!\w)")
                near = difflib.get_close_matches(node.name, [*self.env.globals, *given], n=1, cutoff=0.75)
                hint = f"did you mean '{near[0]}'?" if near else UNKNOWN_NAME
                if id(node) in macro_of:
                    hint = f'an id is written in quotes: {macro_of[id(node)]}("{node.name}")'
                found.add((at, col, f"'{node.name}' is undefined ({hint})"))
        return found, unknown

    def _problem(self, line: int, col: int, message: str, code: Code = Code.TEMPLATE_ERROR) -> None:
        assert self._page is not None
        self.diagnostics.append(Diagnostic(SourceRef(self._page.path, line, col), message, code))

    def _template_line(self, exc: BaseException) -> int:
        """The line, in the page, of the error; an error inside a box template is reported
        at the template's own place by `render` (see `_box`)."""
        assert self._page is not None
        lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == str(self._page.path)]
        return (lines[-1] or 1) if lines else 1

    def _site(self, *needles: str) -> SourceRef:
        """Where, in the page or box template being rendered, the expression being evaluated
        is (the macro call, for a macro): its line, and the column of the first of `needles`
        found there (quoted, then as a word; else of its `{{`)."""
        assert self._page is not None
        frame: FrameType | None = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename not in self._files:
            frame = frame.f_back
        if frame is None:
            return SourceRef(self._page.path)
        template = frame.f_globals.get("__jinja_template__")
        line = template.get_corresponding_lineno(frame.f_lineno) if template is not None else 1
        lines = self._lines_of(frame.f_code.co_filename)
        found = _find(lines, line, needles)
        if found == (line, 1):  # none of them: the expression's `{{`
            found = _find(lines, line, ("{{",), quoted=False)
        return SourceRef(Path(frame.f_code.co_filename), *found)

    def _lines_of(self, filename: str) -> list[str]:
        if filename not in self._split:
            self._split[filename] = lines(self._texts[filename])
        return self._split[filename]

    def _checked(self, name: str, macro: Callable[..., str]) -> Callable[..., str]:
        """`macro`, which reports a call with the wrong arguments as the page's problem
        (Python's own message names a lambda inside coursegen)."""
        signature = inspect.signature(macro)
        usage = f"{name}({', '.join(signature.parameters)})"

        def call(*args: Any, **kwargs: Any) -> str:
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError:
                self._report(f"wrong arguments for {name}(): write {usage} (see docs/authoring.md)", name)
                return ""
            if any(isinstance(value, _StandIn) for value in bound.arguments.values()):
                return ""  # an unknown name, said already
            for param, value in bound.arguments.items():  # ids and names: text (an undefined name says so itself)
                if not isinstance(value, str | jinja2.Undefined):
                    self._report(
                        f"{name}() takes its {'id' if param == 'ident' else param} as text in quotes, "
                        f'as in {name}("…"); this is {_kind(value)}',
                        name,
                    )
                    return ""
            return macro(*args, **kwargs)

        return call

    @jinja2.pass_eval_context  # never called as the template is compiled: a compiled
    def _text(self, _: Any, value: Any) -> Any:  # page is reused, its problems must recur
        """What `{{ … }}` writes into the page: text or a number. Anything else is a
        mistake, which would print Python's description of an object (`{{ glossary }}`
        without its parentheses, `{{ self }}`, which holds the page's path)."""
        if isinstance(value, str | int | float | jinja2.Undefined):  # Undefined: its own error
            return value
        name = self._macro_names.get(id(value))
        if name is not None:
            self._report(f"'{name}' is a macro: call it with parentheses, as in {name}(…)", name)
        else:
            self._report(f"this expression gives {_kind(value)}, not text")
        return ""

    def _report(self, message: str, *needles: str) -> None:
        """A problem at the expression being evaluated (see `_site`); a page reports the
        first PER_PAGE of them (a mistake repeated all over a page is told enough)."""
        assert self._page is not None
        count = self._reported.get(self._page.path, 0)
        self._reported[self._page.path] = count + 1
        if count < PER_PAGE:
            self.diagnostics.append(Diagnostic(self._site(*needles), message, Code.TEMPLATE_ERROR))

    def _lookup(self, ident: object) -> Source | None:
        key = str(ident)
        item = self.course.sources.get(key)
        if item is None:
            if not self.course.unknown_source(key):
                return None  # the sources file that would hold it has problems of its own
            message = f"unknown source id '{key}'{_meant_by_macro(key, self.course.sources) or meant(key, self.course.source_ids)}"
            self.diagnostics.append(Diagnostic(self._site(key, key.split(":", 1)[-1]), message, Code.UNKNOWN_SOURCE))
            return None
        self._citations.append(item.id)
        return item

    # --- macros --------------------------------------------------------------------------

    def _quote(self, ident: str) -> str:
        item = self._lookup(ident)
        if item is None:
            return ""
        lang = self.lang
        if item.kind == "action":
            head, rest = md_inline(item.title[lang]), md_inline(item.text[lang])
            if rest and rest[0] in ",;.":  # keep the punctuation with the headline's last word
                head, rest = head + rest[0], rest[1:].lstrip()
            body = [f"**{head}** {rest}".rstrip()]
        elif item.kind == "sdg":
            body = [f"**{item.id.split(':')[1]}** {md_inline(item.text[lang])}"]
        elif item.kind == "definition":
            body = [f"**{md_inline(item.title[lang])}.** {md_inline(item.text[lang])}"]
            points = [self.course.sources[p] for p in item.points]
            if points:
                body += ["", *(f"- **{md_inline(p.title[lang])}.** {md_inline(p.text[lang])}" for p in points)]
        else:
            body = [md_inline(item.text[lang])]
        return blockquote([*body, "", self._attribution(item)])

    def _attribution(self, item: Source) -> str:
        """The line under a quote: its citation, and whether the text is the course's translation."""
        label = md_inline(item.label[self.lang])
        if self.lang in item.translated:
            label += f" ({TRANSLATED.get(self.lang, TRANSLATED['en'])})"
        return f"— *{label}*"

    def _practice(self, ident: str) -> str:
        item = self._lookup(ident)
        if item is None:
            return ""
        if item.parent:
            return self._quote(ident)
        lang = self.lang
        points = [self.course.sources[p] for p in item.points]
        body = [md_inline(item.text[lang])]
        aims = [p for p in points if p.role == "aim"]
        if aims:
            body += ["", *(f"- {md_inline(p.text[lang])}" for p in aims)]
        body += ["", self._attribution(item)]
        out = blockquote(body)
        for note in (p for p in points if p.role == "note"):
            out += f"\n\n```{{note}}\n{md_inline(note.text[lang])}\n```"
        return out

    def _headline(self, ident: str) -> str:
        item = self._lookup(ident)
        if item is None:
            return ""
        title = item.title[self.lang] if item.kind != "sdg" else item.text[self.lang]
        left, right = QUOTES[self.lang]
        return f"{left}{md_inline(title)}{right}"

    def _cite(self, ident: str) -> str:
        item = self._lookup(ident)
        if item is None:
            return ""
        label = item.label[self.lang]
        if item.parent and item.kind == "definition":
            label = f"{label} — {item.title[self.lang]}"
        return f"({md_inline(label)})"

    def _diagram(self, name: str) -> str:
        assert self._page is not None
        data = self.course.diagrams.get((self._page.area, str(name)))
        # a path (or nothing), never looked up: nothing told of what is there
        if data is None and re.search(r"[/\\]|^\.*$", str(name).strip()):
            names = sorted(n for area, n in self.course.diagrams if area == self._page.area)
            last = re.split(r"[/\\]", str(name))[-1].removesuffix(".yml")
            hint = (
                f" (write diagram('{last}'))"
                if last in names
                else f" (those there: {', '.join(names)})"
                if names
                else ""
            )
            message = (
                f"diagram() takes a diagram's name, its file's in modules/{self._page.area}/diagrams/ "
                f"without '.yml', not {f'a path: {name!r}' if str(name).strip() else 'an empty text'}{hint}"
            )
            self.diagnostics.append(Diagnostic(self._site(str(name) or "diagram"), message, Code.TEMPLATE_ERROR))
            return ""
        if data is None:
            folder = self._page.path.parent
            modules = folder if folder.name == "modules" else folder.parent
            if there(modules / self._page.area / "diagrams" / f"{name}.yml", "file", unsure=True):
                return ""  # a file with problems of its own, or in a folder that cannot be read: told by loading
            expected = f"modules/{self._page.area}/diagrams/{name}.yml"
            message = f"unknown diagram '{name}' (no file {expected})"
            if (self._page.area, str(name).removesuffix(".yml")) in self.course.diagrams:  # `diagram("flow.yml")`
                message = f"unknown diagram '{name}': a diagram is named without '.yml' (write diagram('{name[:-4]}'))"
            self.diagnostics.append(Diagnostic(self._site(str(name)), message, Code.MISSING_FILE))
            return ""
        lang = self.lang
        rel = f"{self._page.area}/diagrams/{name}.svg"
        self.files[rel] = diagrams.render_svg(data.data, lang).encode("utf-8")
        href = Path(rel).relative_to(Path(self._page.out).parent).as_posix()
        alt = " ".join(data.data["alt"][lang].split())
        steps = "\n".join(f"{i}. {md_inline(s)}" for i, s in enumerate(diagrams.text_version(data.data, lang), 1))
        label = f"diagram-{self._page.out.replace('/', '-')}-{name}"
        return (
            # a width: Sphinx links the picture to its own file, which a phone opens alone, to zoom
            f"```{{figure}} {href}\n:alt: {alt}\n:name: {label}\n:width: 100%\n\n"
            f"{md_inline(data.data['title'][lang])}\n```\n\n"
            f"**{LABELS[lang]['diagram_text']}**\n\n{steps}"
        )

    def _glossary(self) -> str:
        lang = self.lang
        other = next((lg for lg in ("fr", "en") if lg != lang), lang)
        head = LABELS[lang]["glossary"]
        terms = sorted(self.course.glossary, key=lambda t: _sort_key(t[lang]["term"]))
        folders = [f for f in (self.course.root, self.course.base) if f is not None]
        if not terms and not any(there(f / "modules" / COMMON / "glossary.yml", unsure=True) for f in folders):
            # (one that could not be read is said where it is)
            self._report(
                f"glossary() shows the terms of modules/{COMMON}/glossary.yml, which this course does not have"
            )
            return ""
        # a list, not a table of three columns: on a phone's screen the definitions' column
        # was 140 px wide, cut off, each row read by scrolling sideways
        sep = " : " if lang == "fr" else ": "
        rows = []
        for t in terms:
            term, translation = md_inline(t[lang]["term"]), md_inline(t[other]["term"])
            language = head[1].lower() if lang == "fr" else head[1]  # « anglais », "French"
            # the other language's word, said in its language by a screen reader
            shown = f' ({language}{sep}<span lang="{other}">*{translation}*</span>)' if other != lang else ""
            # an anchor of the term's id, the same in both languages: an address can name the
            # term, and the other language's glossary opens at it (layout.html)
            anchor = f'<span id="cg-term-{t["id"]}"></span>'  # an id of [a-z0-9.-] (its schema)
            rows.append(f"- {anchor}**{term}**{shown}{sep}{md_inline(t[lang]['definition'])}")
        return "\n".join(rows)

    def _error_file(self, exc: jinja2.TemplateSyntaxError) -> str | None:
        """The file of a syntax error, if it is one of the course's. Jinja's lexer gives the
        file of some errors (a comment never closed) as the template's name."""
        for file in (exc.filename, exc.name):
            if file is not None and file in self._texts:
                return file
        return None

    def _box(self, name: str) -> str:
        """Render a box template with the country profile in the page's language. An error
        in the template is reported at the template's own file and line."""
        lang = self.lang
        if name in self._runaway:  # stopped on an earlier page: not run again
            raise _Told
        began = time.process_time()
        try:
            return _limited(
                self.env.get_template(name),
                lang=lang,
                t=BOX_TEXT[lang],
                **_localised(self.course.country, lang),
            )
        except _Told:
            raise
        except _Stopped as exc:
            if isinstance(exc, _TooLong) and time.process_time() - began < RENDER_SECONDS / 2:
                raise  # the page's loop, which calls the template too often: said for the page
            # this template runs too long, or writes too much: said once, at its place
            if name not in self._runaway:
                self._runaway.add(name)
                file = self.env.get_template(name).filename or name
                lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == file]
                where = SourceRef(Path(file), lines[-1] if lines and lines[-1] else 1, 1)
                self.diagnostics.append(Diagnostic(where, _stopped_message(exc, "template"), Code.TEMPLATE_ERROR))
            raise _Told from exc  # the page stops too
        except jinja2.TemplateSyntaxError as exc:
            path = Path(self._error_file(exc) or name)
            ref = SourceRef(path, *_syntax_error_place(self.env, exc, self._texts.get(str(path), "")))
            self.diagnostics.append(
                Diagnostic(ref, f"template syntax error: {_syntax_message(exc, self.env)}", Code.TEMPLATE_ERROR)
            )
        except jinja2.TemplateNotFound as exc:
            # a template that the box template names (extends, include) is its mistake, at its line
            assert self._page is not None
            frames = [
                f
                for f in traceback.extract_tb(exc.__traceback__)
                if f.filename in self._files and f.filename != str(self._page.path)
            ]
            missing = str(exc.name).split(" (", 1)[0]  # our loader's names come with a hint
            if missing != name and frames:
                line = frames[-1].lineno or 1
                _, col = _find(self._lines_of(frames[-1].filename), line, (missing,))
                where = SourceRef(Path(frames[-1].filename), line, col)
            else:
                where = self._site(name)
            self.diagnostics.append(Diagnostic(where, f"template not found: {exc.message}", Code.TEMPLATE_ERROR))
        except Exception as exc:  # noqa: BLE001 - an error raised inside a trainer's template
            frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in self._files]
            template = self.course.templates.get(name)
            place = template.path if template is not None else Path(name)  # raised before its code ran
            where = SourceRef(Path(frames[-1].filename), frames[-1].lineno or 1, 1) if frames else SourceRef(place)
            if isinstance(exc, jinja2.UndefinedError) and frames:
                # as in a page: every unknown name of the template, each at its place, and
                # what stops it once they stand for nothing (an unknown field: `hotline.numbr`)
                country = _localised(self.course.country, lang)
                given = {"lang", "t", *country}
                file = str(where.path)
                found, unknown = self._undefined_in(file, self._texts[file], given, exc, where.line)
                fields = _unknown_fields(self.env.parse(self._texts[file]), country, self._lines_of(file))
                at_fields = {(file, line, col) for line, col, _ in fields}  # said there with the profile's keys
                told = [(file, *place) for place in found if (file, *place[:2]) not in at_fields]
                told += [(file, *place) for place in fields]
                if unknown and all(_unknown_name(said) for _, _, said in found):
                    try:
                        stand_ins = dict.fromkeys(unknown, _StandIn())
                        _limited(self.env.get_template(name), lang=lang, t=BOX_TEXT[lang], **country, **stand_ins)
                    except jinja2.UndefinedError as then:
                        at = [f for f in traceback.extract_tb(then.__traceback__) if f.filename in self._files]
                        if at:
                            file, line = at[-1].filename, at[-1].lineno or 1
                            more, _ = self._undefined_in(file, self._texts[file], given | unknown, then, line)
                            told += [
                                (file, *place)
                                for place in more
                                if (file, *place) not in told and (file, *place[:2]) not in at_fields
                            ]
                    except Exception:  # noqa: BLE001 - stopped otherwise: what was found is said
                        pass
                for file, line, col, said in told:
                    where = SourceRef(Path(file), line, col)
                    self.diagnostics.append(Diagnostic(where, f"template error: {said}", Code.TEMPLATE_ERROR))
                return ""
            message = f"template error: {_describe(exc)}"
            own = self._texts.get(str(where.path), "")
            if isinstance(exc, RecursionError) and re.search(rf"\{{%-?\s*extends\s+[\"']{re.escape(name)}[\"']", own):
                # `{% extends "who-to-call.md" %}` in who-to-call.md: the trainer meant the built-in one
                line, col = _find(self._lines_of(str(where.path)), where.line, ("extends",))
                where = SourceRef(where.path, line, col)
                message = (
                    f"template error: {name} extends itself: to build on the built-in one, "
                    f'write {{% extends "builtin:{name}" %}}'
                )
            elif isinstance(exc, RecursionError):
                # said at the call of its own box when there is one (how deep Python got varies)
                text = self._texts.get(str(place), "")
                call = re.search(rf"\b{re.escape(name.removesuffix('.md').replace('-', '_'))}\s*\(", text)
                where = SourceRef(place, *(text_position(text, call.start()) if call else (1, 1)))
                message = f"template error: {name} calls itself without end (a macro or a box that calls itself)"
            self.diagnostics.append(Diagnostic(where, message, Code.TEMPLATE_ERROR))
        return ""

    def _quiz(self) -> str:
        assert self._page is not None
        area, key = self._page.area, self._page.key
        if area not in (COMMON, *self.course.audience_ids):
            self._report("quiz() shows an audience's quiz (or the common one): this page's part has none", "quiz")
            return ""
        banks = {q.bank for q in self.course.questions}
        folders = [root / "quizzes" for root in (self.course.root, self.course.base) if root is not None]
        files = [folder / f"{area}{ext}" for folder in folders for ext in (".yml", ".yaml")]  # .yaml: said apart
        if area not in banks and not any(there(file, unsure=True) for file in files):
            self._report(
                f"no quiz for this page: quiz() shows the questions of quizzes/{area}.yml, which does not exist", "quiz"
            )
            return ""
        if key in self.quiz_pages:
            self._report("quiz() is already on this page: a page shows its quiz once", "quiz")
            return ""
        shown = next((other for other, bank in self.quiz_pages.items() if bank == area), None)
        own = self.course.base is not None and self._page.layer == layers.COURSE
        if shown is not None:
            first, first_own = self.quiz_calls.get(shown, (SourceRef(self._page.path), False))
            if first_own and not own:
                # a trainer's page listed before the built-in one: said at the trainer's quiz(),
                # the one they can remove (they do not edit the package's files)
                message = (
                    f"the quiz of '{area}' is already on the built-in page {key}: one page shows it "
                    "(remove this quiz(), or replace that page with one of your own)"
                )
                self.diagnostics.append(Diagnostic(first, message, Code.TEMPLATE_ERROR))
            else:
                self._report(f"the quiz of '{area}' is already on the page {shown}: one page shows it", "quiz")
            return ""
        self.quiz_pages[key] = area
        self.quiz_calls[key] = (self._site("quiz"), own)
        return f"```{{quiz}}\n:bank: {area}\n```"


BOX_TEXT = {
    "fr": {
        "title": "Qui appeler",
        "emergency": "Urgence (danger immédiat)",
        "hotline": "Ligne nationale contre la traite",
        "law": "Loi nationale",
        "ask_emergency": "demandez à votre formateur le numéro d'urgence de votre pays.",
        "ask_hotline": "demandez à votre formateur le numéro de la ligne nationale contre la traite.",
        "ask_law": "demandez à votre formateur quelle loi nationale s'applique et ses articles principaux.",
        "referral_title": "Orienter : organismes de votre pays",
        "ask_referral": "Demandez à votre formateur la liste des organismes vers lesquels orienter une victime possible.",
        "phone": "Téléphone :",
        "email": "Courriel :",
        "sep": "\u00a0:",  # French: the colon keeps to its word
    },
    "en": {
        "title": "Who to call",
        "emergency": "Emergency (immediate danger)",
        "hotline": "National anti-trafficking hotline",
        "law": "National law",
        "ask_emergency": "ask your trainer for your country's emergency number.",
        "ask_hotline": "ask your trainer for the national anti-trafficking hotline number.",
        "ask_law": "ask your trainer which national law applies and its main articles.",
        "referral_title": "Referral: organisations in your country",
        "ask_referral": "Ask your trainer for the list of organisations to refer a possible victim to.",
        "phone": "Phone:",
        "email": "Email:",
        "sep": ":",
    },
}


def _localised(value: object, lang: str) -> Any:
    """The country profile in one language: {fr, en} texts become strings, "" stays ""."""
    if isinstance(value, dict):
        if value and set(value) <= {"fr", "en"}:
            return str(value.get(lang, ""))
        return {k: _localised(v, lang) for k, v in value.items() if not isinstance(v, bytes)}
    if isinstance(value, list):
        return [_localised(v, lang) for v in value]
    return "" if value is None else value


def _unknown_fields(tree: jinja2.nodes.Template, data: dict[str, Any], lines: list[str]) -> list[tuple[int, int, str]]:
    """Every field of the country profile `data` that a box template asks for and the
    profile does not have (`hotline.numbr`), at the field's name: the template stops at the
    first, so the others would be told one build after another. Not those it tests
    (`is defined`, `| default`), nor fields of what is not a mapping of the profile."""

    def chain(node: jinja2.nodes.Node) -> tuple[str, ...] | None:
        attrs: list[str] = []
        while isinstance(node, jinja2.nodes.Getattr):
            attrs.append(node.attr)
            node = node.node
        return (node.name, *reversed(attrs)) if isinstance(node, jinja2.nodes.Name) else None

    guarded = {
        chain(node.node)
        for node in (*tree.find_all(jinja2.nodes.Test), *tree.find_all(jinja2.nodes.Filter))
        if node.name in ("defined", "undefined", "default", "d") and node.node is not None
    }
    found = set()
    for node in tree.find_all(jinja2.nodes.Getattr):
        names = chain(node)
        if names is None or names[0] not in data or names in guarded:
            continue
        value = data[names[0]]
        for depth, attr in enumerate(names[1:], 1):
            if not isinstance(value, dict) or hasattr(value, attr):  # a list, a text, `items`: left to Jinja
                break
            if attr not in value:
                line, dot = _in_expression(lines, node.lineno, rf"\.\s*{re.escape(attr)}(?!\w)")
                whose = ".".join(names[:depth])
                keys = sorted(str(k) for k in value)
                near = difflib.get_close_matches(attr, keys, n=1, cutoff=0.6)
                hint = f"did you mean '{near[0]}'?" if near else f"its keys: {', '.join(keys)}"
                message = f"'{whose}' has no '{attr}' ({hint})"
                found.add((line, dot + 1 if dot > 1 else 1, message))
                break
            value = value[attr]
    return sorted(found)


def _in_expression(lines: list[str], line: int, pattern: str, nth: int = 1) -> tuple[int, int]:
    """Line and column of `pattern` inside the `{{ … }}` and `{% … %}` of `line` (not in
    the text around them): its `nth` match there (else the last); else the line, column 1."""
    if not 0 < line <= len(lines):
        return line, 1
    text = re.sub(r"\"[^\"]*\"|'[^']*'", lambda m: " " * len(m.group(0)), lines[line - 1])  # not in strings
    spans = [(m.start(), m.end()) for m in re.finditer(r"\{\{.*?(?:\}\}|$)|\{%.*?(?:%\}|$)", text)]
    found = [
        m.start() + 1
        for start, end in spans or [(0, len(text))]  # none: the line goes on an expression begun above
        for m in re.compile(pattern).finditer(text, start, end)
    ]
    return (line, found[min(nth, len(found)) - 1]) if found else (line, 1)


def _stopped_token(env: jinja2.Environment, source: str) -> tuple[int, str, int] | None:
    """The token that Jinja's parser stopped at, for a syntax error: its line, its text,
    and which of that line's tokens of the same text it is (1 for the first)."""
    pulled: list[jinja2.lexer.Token] = []
    lexer_stopped: list[jinja2.TemplateSyntaxError] = []  # at a token it did not make (`)` too many)

    def counted() -> Iterator[jinja2.lexer.Token]:
        tokens = env.lexer.wrap(env.lexer.tokeniter(source, None), None, None)
        while True:
            try:
                token = next(tokens)
            except StopIteration:
                return
            except jinja2.TemplateSyntaxError as exc:
                lexer_stopped.append(exc)
                raise
            pulled.append(token)
            yield token

    def findable(tokens: list[jinja2.lexer.Token], line: int, value: str) -> int:
        """How many of `tokens` on `line` are `value` where `_in_expression` looks: not in
        a string, nor an attribute's name (`x.b`)."""
        return sum(
            1
            for i, t in enumerate(tokens)
            if t.lineno == line and t.value == value and t.type != "string" and (i == 0 or tokens[i - 1].type != "dot")
        )

    try:
        parser = jinja2.parser.Parser(env, source)
        parser.stream = jinja2.lexer.TokenStream(counted(), None, None)
        parser.parse()
    except jinja2.TemplateSyntaxError as exc:
        if lexer_stopped:
            word = re.search(r"^unexpected '([^']+)'", exc.message or "")
            if word is None or exc.lineno is None:
                return None
            return exc.lineno, word.group(1), findable(pulled, exc.lineno, word.group(1)) + 1
        current = parser.stream.current
        index = next((i for i, token in enumerate(pulled) if token is current), None)
        if index is not None:
            return (
                current.lineno,
                str(current.value),
                max(1, findable(pulled[: index + 1], current.lineno, current.value)),
            )
    return None


def _find(lines: list[str], line: int, needles: tuple[str, ...], quoted: bool = True) -> tuple[int, int]:
    """Line and column of the first of `needles` (quoted, then as a word) in the expression
    that starts on `line`: on that line first, then on the lines the expression goes on
    over (its `{{` still open); else the line."""
    if not 0 < line <= len(lines):
        return line, 1
    span = [lines[line - 1]]
    while span[-1].count("{{") > span[-1].count("}}") and len(span) < 5 and line - 1 + len(span) < len(lines):
        span.append(lines[line - 1 + len(span)])
    quotes = [re.escape(f"{q}{n}{q}") for n in needles if n for q in "\"'"] if quoted else []
    words = [rf"(?<!\w){re.escape(n)}(?!\w)" if n[-1:].isalnum() else re.escape(n) for n in needles if n]
    for offset, text in enumerate(span):
        for pattern in (*quotes, *words):
            found = re.search(pattern, text)
            if found:
                return line + offset, found.start() + 1
    return line, 1


PER_PAGE = 20


def _kind(value: object) -> str:
    """What a value is, in a page author's words."""
    if value is None:
        return "nothing (none)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple | set):
        return "a list"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return f"the number {value}"
    return "a function" if callable(value) else f"a {type(value).__name__}"


BLOCK_TAGS = ("if", "for", "macro", "call", "filter", "block", "with", "autoescape")


def _deepest_place(env: jinja2.Environment, source: str) -> tuple[int, int]:
    """The line and column of the tag where brackets and blocks, one inside another, first
    reach their deepest (Jinja's lexer does not recurse)."""
    depth, deepest, place = 0, 0, 1
    after_begin = False
    try:
        for line, kind, value in env.lex(source):
            if kind == "whitespace":
                continue
            if kind == "operator" and value in "([{":
                depth += 1
            elif kind == "operator" and value in ")]}":
                depth -= 1
            elif kind == "name" and after_begin:
                # (`{% endset %}` ends a block `set`, counted as no block: never below 0)
                depth = depth + 1 if value in BLOCK_TAGS else max(0, depth - 1) if value.startswith("end") else depth
            after_begin = kind == "block_begin"
            if depth > deepest:
                deepest, place = depth, line
    except jinja2.TemplateSyntaxError:
        pass
    shown = lines(source)
    text = shown[place - 1] if place <= len(shown) else ""
    starts = [i for i in (text.find("{{"), text.find("{%")) if i >= 0]
    return place, (min(starts) + 1 if starts else 1)


def _syntax_error_place(env: jinja2.Environment, exc: jinja2.TemplateSyntaxError, source: str) -> tuple[int, int]:
    """Where a syntax error is: for a block never closed, the tag that opens it (Jinja
    gives the end of the template, as it found the end missing there); for a word Jinja
    did not expect, that word; else Jinja's line."""
    shown = lines(source)
    char = re.match(r"unexpected char '.*' at (\d+)$", exc.message or "")
    if char:  # an offset in the source, as Jinja reads it (its line ends made "\n")
        read = "\n".join(shown)
        if int(char.group(1)) < len(read):
            return text_position(read, int(char.group(1)))
    if (exc.message or "").startswith("Missing end of comment tag"):
        last_end = source.rfind("#}")  # the comment not closed opens after the last closing
        opening = re.compile(r"\{#").search(source, max(0, last_end))
        if opening is not None:
            return text_position(source, opening.start())
    named = re.fullmatch(r"No (filter|test) named '([^']+)'\.?", exc.message or "")
    if named and exc.lineno and exc.lineno <= len(shown):  # at the name, after its `|` or `is`
        after = r"\|\s*" if named.group(1) == "filter" else r"\bis\s+(?:not\s+)?"
        read = lines(_uncommented(source))[exc.lineno - 1] if exc.lineno <= len(lines(source)) else ""
        found = re.search(rf"{after}({re.escape(named.group(2))})(?!\w)", read)
        if found:
            return exc.lineno, found.start(1) + 1
    unknown = re.match(r"Encountered unknown tag '(\w+)'", exc.message or "")
    if unknown and exc.lineno and exc.lineno <= len(shown):
        found = re.search(rf"\{{%[-+]?\s*{re.escape(unknown.group(1))}\b", shown[exc.lineno - 1])
        if found:
            return exc.lineno, found.start() + 1
    # "expected token '…', got 'sans'", "unexpected '}', expected ')'": at what Jinja did not expect
    got = re.search(r", got '([^']+)'$|^unexpected '([^']+)'", exc.message or "")
    if got and source and exc.lineno:
        word, nth = got.group(1) or got.group(2), 1
        stopped = _stopped_token(env, source)
        if stopped is not None and stopped[0] == exc.lineno and stopped[1] == word:
            nth = stopped[2]  # `{{ a }} {{ b a }}`: the second `a`
        return _in_expression(lines(source), exc.lineno, rf"(?<![\w.]){re.escape(word)}(?!\w)", nth)
    if "Unexpected end of template" not in (exc.message or "") or not source:
        return exc.lineno or 1, 1
    opened: list[tuple[int, int, str]] = []  # line, which tag on the line, its name
    tags_on_line: dict[int, int] = {}
    tag: list[tuple[int, str, str]] | None = None  # the tokens of the tag being read
    try:
        for token in env.lex(source):
            line, kind, _ = token
            if kind == "block_begin":
                tags_on_line[line] = tags_on_line.get(line, 0) + 1
                tag = []
            elif kind == "block_end" and tag:
                name = tag[0][2] if tag[0][1] == "name" else ""
                # `{% set x %}…{% endset %}` is a block; `{% set x = 1 %}` is not
                block = name in BLOCK_TAGS or (name == "set" and all(k != "assign" for _, k, _ in tag))
                if block:
                    opened.append((tag[0][0], tags_on_line[tag[0][0]], name))
                elif opened and name == f"end{opened[-1][2]}":
                    opened.pop()
                tag = None
            elif tag is not None and kind != "whitespace":
                tag.append(token)
    except jinja2.TemplateSyntaxError:
        return exc.lineno or 1, 1
    if not opened:
        return exc.lineno or 1, 1
    line, nth, _ = opened[-1]
    starts = [m.start() for m in re.finditer(r"\{%", shown[line - 1])] if line <= len(shown) else []
    return line, starts[nth - 1] + 1 if nth <= len(starts) else 1


def _line_of(source: str | None, lineno: int | None) -> str:
    """Line `lineno` (from 1) of `source`; "" when there is none."""
    found = (source or "").splitlines()
    return found[lineno - 1] if lineno and 0 < lineno <= len(found) else ""


_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)
_COMMENT = re.compile(r"\{#.*?#\}", re.S)


_EXTENDS = re.compile(r"\{%-?\s*extends\b")


_BOX_TEMPLATES = frozenset({*BOXES.values(), *(f"builtin:{name}" for name in BOXES.values())})


def _extends_chain(env: jinja2.Environment, text: str) -> tuple[jinja2.nodes.Extends | None, list[str]]:
    """A page's own `{% extends %}` with its name written out (as Jinja reads the page: not
    one shown in a raw block, nor in a comment), and the names of what it extends in turn:
    a layout of the course's templates/, what that one extends … up to a box's template,
    the end, or a name given again (a loop). Not past a syntax error or a template not
    found: told as such."""
    first: jinja2.nodes.Extends | None = None
    chain: list[str] = []
    source = text
    while len(chain) < 20:
        try:
            named = [
                (node, node.template.value)
                for node in env.parse(source).find_all(jinja2.nodes.Extends)
                if isinstance(node.template, jinja2.nodes.Const) and isinstance(node.template.value, str)
            ]
        except jinja2.TemplateSyntaxError:
            break
        first = first or next((node for node, _ in named), None)
        box = next((name for _, name in named if name in _BOX_TEMPLATES), None)
        if box is not None or not named:
            chain += [box] if box is not None else []
            break
        chain.append(named[0][1])
        if chain[-1] in chain[:-1]:
            break
        try:
            source = env.loader.get_source(env, chain[-1])[0] if env.loader else ""
        except jinja2.TemplateNotFound:
            break
    return first, chain


def _extends_box(env: jinja2.Environment, text: str) -> tuple[int, int, list[str]] | None:
    """Where a page's `{% extends %}` of a box's template (`builtin:who-to-call.md`) is (line,
    column), and the layouts of the course's templates/ it goes through, when the page
    extends one that extends a box's (a page may extend a layout and fill its blocks)."""
    found, chain = _extends_chain(env, text)
    if found is None or not chain or chain[-1] not in _BOX_TEMPLATES:
        return None
    line = lines(text)[found.lineno - 1] if 0 < found.lineno <= len(lines(text)) else ""
    here = _EXTENDS.search(line)
    return found.lineno, (here.start() + 1) if here else 1, chain[:-1]


def _extends_loop(env: jinja2.Environment, text: str) -> list[str]:
    """The layouts a page extends, when they come back to one of them (`a.md`, `b.md`,
    `a.md`); else nothing."""
    _, chain = _extends_chain(env, text)
    return chain[chain.index(chain[-1]) :] if chain and chain[-1] in chain[:-1] else []


def _uncommented(text: str) -> str:
    """`text` with its Jinja comments blanked, every line where it was: what Jinja reads."""
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _syntax_errors_after(env: jinja2.Environment, source: str, first: tuple[int, int]) -> list[tuple[int, int, str]]:
    """A page's syntax errors after the first (at `first`), which Jinja stops on: the
    expression (`{{ … }}`) it stopped on is blanked, its lines kept, and the page parsed
    again, for up to PER_PAGE errors. One in a tag (`{% … %}`) ends the search: what follows
    depends on the blocks that the tag opens or closes."""
    text, place, out = "\n".join(lines(source)), first, []
    for _ in range(PER_PAGE):
        shown = text.split("\n")
        if not 0 < place[0] <= len(shown):
            break
        offset = sum(len(line) + 1 for line in shown[: place[0] - 1]) + place[1] - 1
        span = next((m for m in _EXPRESSION.finditer(_uncommented(text)) if m.start() <= offset < m.end()), None)
        if span is None:
            break
        text = text[: span.start()] + re.sub(r"[^\n]", " ", span.group(0)) + text[span.end() :]
        try:
            env.compile(text)  # (a filter's or a test's name is looked up as it compiles)
        except jinja2.TemplateSyntaxError as exc:
            place = _syntax_error_place(env, exc, text)
            out.append((*place, f"template syntax error: {_syntax_message(exc, env)}"))
            continue
        except RecursionError:  # nested too deeply further on: the build says it once the rest is fixed
            break
        break
    return out


def _syntax_message(exc: jinja2.TemplateSyntaxError, env: jinja2.Environment) -> str:
    """Jinja's message, with what a trainer needs to know to fix the page."""
    message = exc.message or "invalid template"
    if named := re.fullmatch(r"No (filter|test) named '([^']+)'\.?", message):  # `| uper`, `is odd_`
        kind, name = named.groups()
        known = env.filters if kind == "filter" else env.tests
        near = difflib.get_close_matches(name, list(known), n=1, cutoff=0.7)
        return f"no {kind} named '{name}'" + (f" (did you mean '{near[0]}'?)" if near else "")
    char = re.match(r"unexpected char '(.*)' at \d+$", message)
    if char:  # the offset is said as line:column
        message = f"unexpected character '{char.group(1)}'"
        if char.group(1) in "“”‘’«»„":
            message += " (a word processor's quotes: write straight ones, \" or ')"
    elif message.startswith("Missing end of comment tag"):
        message = "'{#' begins a comment that never ends (for a heading's label, write (name)= on the line above it)"
    elif unknown := re.fullmatch(r"Encountered unknown tag '(\w+)'\.", message):  # not a nesting mistake
        tag = unknown.group(1)
        if tag.startswith("end") or tag in ("else", "elif"):
            message = f"'{{% {tag} %}}' with no tag that it ends or continues before it"
        else:
            message = message.rstrip(".") + " (to show '{%' itself, write {{ '{%' }})"
    elif message.endswith("got '='"):  # {% if lang = "fr" %}
        message += " (to compare, write '==': {% if lang == \"fr\" %})"
    elif message.endswith("got ':'") and re.search(  # cite(action:g), quote("a", b:c), over two lines too
        r"[(,]\s*\w+:\w", _line_of(exc.source, (exc.lineno or 1) - 1) + "\n" + _line_of(exc.source, exc.lineno)
    ):
        message += ' (an id is written in quotes: cite("action:g"))'
    return message


UNKNOWN_NAME = "an unknown name: check its spelling, or the macros in docs/authoring.md"


def _unknown_name(message: str) -> bool:
    """Whether `message` tells an unknown name (with a guess at the name meant, or not)."""
    return (
        UNKNOWN_NAME in message
        or re.search(r"is undefined \((did you mean '|an id is written in quotes)", message) is not None
    )


def _describe(exc: BaseException) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return f"{exc.message} ({UNKNOWN_NAME})"
    return f"{type(exc).__name__}: {exc}"


def _sort_key(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))
