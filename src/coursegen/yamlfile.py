"""Read YAML while keeping where each key and value was written.

`load_yaml` returns plain dicts and lists (subclasses that carry marks) so that any later
stage can turn a path inside the data (`["actions", 3, "text", "en"]`) into a
`path:line:col` with `locate`.
"""

from __future__ import annotations

import os
import re
import stat
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

from .errors import Code, Diagnostic, SourceRef

MAX_BYTES = 10_000_000
# A page's limit, below the files': Jupyter Book takes about 30 s over a page of 1 MB, and
# more than 10 minutes over one of 8 MB (a page of the course is about 20 KB)
PAGE_MAX_BYTES = 1_000_000
PAGE_LIMIT_WHY = " for a page: split it into several pages"
"""Course files are text written by people: anything larger is a mistake (a data dump, a
video renamed .md) and would make every build slow."""

MAX_VALUES = 1_000_000
"""Values a YAML file may hold once its aliases are expanded (`*name` repeats what `&name`
marks). A few lines of nested aliases can stand for billions of values, which would take
all the memory of the machine; a course file with aliases holds a few thousand at most."""


class MarkedDict(dict):  # type: ignore[type-arg]
    """A mapping that remembers the (line, col) of itself, its keys and its values."""

    def __init__(self) -> None:
        super().__init__()
        self.mark: tuple[int, int] = (1, 1)
        self.key_marks: dict[Any, tuple[int, int]] = {}
        self.value_marks: dict[Any, tuple[int, int]] = {}


class MarkedList(list):  # type: ignore[type-arg]
    def __init__(self) -> None:
        super().__init__()
        self.mark: tuple[int, int] = (1, 1)
        self.item_marks: list[tuple[int, int]] = []


_UNUSUAL_BREAKS = re.compile("[\x85\u2028\u2029]")
"""Characters that YAML takes for line breaks and editors do not (most show them inline)."""


_BREAK = re.compile(r"\r\n|\r|\n")
"""A line break as editors see one (`splitlines` also breaks at U+2028 and other characters
that editors show inline); \\r alone is old Macs' line end."""


def lines(text: str) -> list[str]:
    """The lines of `text` as editors (and Jinja) show them."""
    return _BREAK.split(text)


def _line_starts(text: str) -> list[int]:
    """Where each line starts, the lines being those an editor shows."""
    return [0, *(m.end() for m in _BREAK.finditer(text))]


def text_position(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of the character at `index` of `text`, its lines those
    an editor shows."""
    if "\r" not in text:
        return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)
    starts = _line_starts(text[:index])
    return len(starts), index - starts[-1] + 1


def _pos(mark: yaml.Mark, starts: list[int] | None = None) -> tuple[int, int]:
    """A mark's 1-based line and column; with `starts` (see `_line_starts`), counted from
    its place in the text, for a file holding breaks that YAML counts and editors do not."""
    if starts is None:
        return (mark.line + 1, mark.column + 1)
    line = bisect_right(starts, mark.index) - 1
    return (line + 1, mark.index - starts[line] + 1)


def _flatten_mapping(loader: Any, node: yaml.MappingNode) -> None:
    """YAML's own flattening of merge keys (`<<: *name`), which first notes the keys written
    in the mapping itself: the mappings merged in are flattened before it, by this same
    method, and one of them may be met again later through an alias."""
    if id(node) not in loader.own_keys:
        merges = [key for key, _ in node.value if key.tag == "tag:yaml.org,2002:merge"]
        for again in merges[1:]:  # YAML merges each; the last one's keys win, without a word
            line, col = _pos(again.start_mark, loader.starts)
            message = (
                "key '<<' appears twice: merge several mappings with one key, `<<: [*a, *b]` (where both give "
                "a key, the first listed wins)"
            )
            loader.problems.append(Diagnostic(SourceRef(loader.path, line, col), message, Code.DUPLICATE_ID))
        loader.own_keys[id(node)] = {id(key) for key, _ in node.value}
    yaml.constructor.SafeConstructor.flatten_mapping(loader, node)


_KINDS = {"int": "a whole number", "float": "a number", "bool": "true or false", "timestamp": "a date"}


def _construct_object(loader: Any, node: yaml.Node, deep: bool = False) -> Any:
    """A value, or YAML's error at the value when Python cannot make it: a date that does
    not exist (`2024-02-30`), `!!int abc`, a number of more than 4300 digits. Python's
    own error (a ValueError, from deep inside PyYAML) was an internal error."""
    try:
        return yaml.constructor.BaseConstructor.construct_object(loader, node, deep)
    except (yaml.YAMLError, RecursionError):
        raise
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
        tag = str(node.tag).rsplit(":", 1)[-1]
        written = str(node.value) if isinstance(node, yaml.ScalarNode) else ""
        shown = written if len(written) <= 40 else written[:39] + "…"
        if tag == "timestamp":
            problem = f"'{shown}' reads as a date that does not exist: put it in quotes to keep it as text"
        elif "digits" in str(exc):
            problem = "a number of more than 4300 digits"
        else:
            problem = f"'{shown}' cannot be read as {_KINDS.get(tag, tag)}"
        raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None


def _read_otherwise(loader: Any, node: yaml.ScalarNode, value: float) -> None:
    """Tell a number that YAML 1.1 reads otherwise than it looks: `017` is 15 (base 8),
    `10:30` is 630 (base 60). Written so, an answer or a score would be wrong without a word."""
    written = str(node.value)
    if node.style or not (_BASE_60.fullmatch(written) or _BASE_8.fullmatch(written)):
        return
    if ":" not in written and int(written.replace("_", ""), 10) == value:
        return  # `07`: 7 in base 8 as in base 10
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    if ":" in written:
        why = "numbers written with ':' are read in base 60: put a time or a text in quotes"
    else:
        why = (
            "a number that begins with 0 is read in base 8: put it in quotes to keep it as written (a phone "
            f"number, a code), or write {int(written.replace('_', '')):d} for the number"
        )
    message = f"'{written}' reads as {shown} in YAML ({why})"
    loader.problems.append(
        Diagnostic(SourceRef(loader.path, *_pos(node.start_mark, loader.starts)), message, Code.INVALID_VALUE)
    )


_BASE_8 = re.compile(r"[-+]?0[0-7_]*[1-7][0-7_]*")
_BASE_60 = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")


def _construct_float(loader: Any, node: yaml.ScalarNode) -> float:
    value: float = yaml.constructor.SafeConstructor.construct_yaml_float(loader, node)
    _read_otherwise(loader, node, value)
    return value


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    """A whole number, which every number of a course becomes somewhere (a score, a
    tolerance): one too large for that (over 10^308) is told at the number."""
    value: int = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    _read_otherwise(loader, node, value)
    try:
        float(value)
    except OverflowError:
        raise yaml.constructor.ConstructorError(
            None, None, "a number too large (the largest is about 10^308)", node.start_mark
        ) from None
    return value


class _Loader(yaml.SafeLoader):
    def __init__(self, stream: str, path: Path, starts: list[int] | None = None):
        super().__init__(stream)
        self.path = path
        self.text = stream
        self.problems: list[Diagnostic] = []
        self.starts = starts
        self.own_keys: dict[int, set[int]] = {}  # mapping node -> its own key nodes
        self.comments = " #" in stream or "\t#" in stream

    flatten_mapping = _flatten_mapping
    construct_object = _construct_object


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> MarkedDict:
    loader.flatten_mapping(node)
    own = loader.own_keys[id(node)]  # written here, not merged in with `<<: *name`
    result = MarkedDict()
    written: dict[tuple[type, Any], str] = {}  # the keys written here so far, with their types: as written
    kept: dict[tuple[type, Any], Any] = {}  # the key each is kept under
    result.mark = _pos(node.start_mark, loader.starts)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            line, col = _pos(key_node.start_mark, loader.starts)
            loader.problems.append(
                Diagnostic(SourceRef(loader.path, line, col), "a key must be a plain value", Code.WRONG_TYPE)
            )
            continue
        read = (type(key), key)  # as YAML reads it: `1:` and `true:` are two keys, `true:` and `on:` one
        if read in kept:
            key = kept[read]
        elif key in result:
            # `1:` then `true:`, which Python takes for one key (True == 1): each kept, the
            # second as written, so that each is told for itself
            key = str(key_node.value)
        kept.setdefault(read, key)
        if read in written and id(key_node) in own:
            line, col = _pos(key_node.start_mark, loader.starts)
            message = f"key '{key_node.value}' appears twice"  # as written: `on:` after `true:`, not True
            if written[read] != str(key_node.value):
                message += f" (YAML reads '{written[read]}' above as the same key)"
            loader.problems.append(Diagnostic(SourceRef(loader.path, line, col), message, Code.DUPLICATE_ID))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_marks[key] = _pos(key_node.start_mark, loader.starts)
        if id(key_node) in own:  # a key merged in may be given again: that is how YAML overrides it
            written.setdefault(read, str(key_node.value))
        result.value_marks[key] = _pos(value_node.start_mark, loader.starts)
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> MarkedList:
    result = MarkedList()
    result.mark = _pos(node.start_mark, loader.starts)
    for child in node.value:
        result.append(loader.construct_object(child, deep=True))
        result.item_marks.append(_pos(child.start_mark, loader.starts))
    return result


_ODD_INDENT = re.compile("^[ ]*([\u00a0\u2000-\u200a\u202f\u3000])", re.M)
"""A space that is not one, in a line's indentation."""
SPACE_NAMES = {"\u00a0": "a no-break space", "\u202f": "a narrow no-break space", "\u2009": "a thin space"}

_UNSHOWABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""What YAML refuses in a file's text (a control character, half of a character), and lets
an escape in double quotes write: `"C:\\formation"` holds U+000C, which breaks the Moodle
export's XML."""


_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.S)
_NAMED_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r", "e": "\x1b"}


def _escape_of(text: str, start: int, end: int, char: str) -> int | None:
    """Where, in the double-quoted scalar `text[start:end]`, the first escape that writes
    `char` begins (a file cannot hold such a character itself: only an escape writes it)."""
    for match in _ESCAPE.finditer(text, start, end):
        code = match.group(1)
        written = chr(int(code[1:], 16)) if len(code) > 1 else _NAMED_ESCAPES.get(code)
        if written == char:
            return match.start()
    return None


_GLUED_COMMENT = re.compile(r"[ \t]+#[0-9][^\n\r]*")
"""After a text without quotes: a comment that is more of the text, a number sign (`#3`,
`n° #8`). A comment a trainer means (`# à relire`, `#TODO`) begins otherwise."""


_PHONE = re.compile(r"\+?[0-9][0-9 ().-]*")
_GLUED_TO_NUMBER = re.compile(r"[ \t]+#[^\s#]+(?=[ \t]*$)", re.M)
"""After a phone number without quotes, a '#' glued to one word that ends the line
(`0800 #HELP`): more of the number, not a comment (`#TODO vérifier` is one)."""


def _cut_by_comment(loader: _Loader, node: yaml.ScalarNode, value: str) -> None:
    """Tell a text without quotes that YAML cut short at ' #': `fr: Question #3 : que faire`
    reads as "Question", the rest as a comment, and nothing said so."""
    glued = _GLUED_COMMENT.match(loader.text, node.end_mark.index)
    if glued is None and _PHONE.fullmatch(value):  # `number: 0800 #HELP`: a number's own letters
        glued = _GLUED_TO_NUMBER.match(loader.text, node.end_mark.index)
    if glued is None:
        return
    comment = glued.group(0).strip()
    shown = comment if len(comment) <= 40 else comment[:39] + "…"
    kept = " ".join(value.split())  # a text over several lines: on one
    kept = kept if len(kept) <= 40 else "…" + kept[-39:]
    line, col = text_position(loader.text, glued.start() + glued.group(0).index("#"))
    message = (
        f"the text ends at '{kept}': YAML reads ' {shown}' as a comment. Put the whole text in "
        "quotes to keep it (or, for a comment, write a space after '#')"
    )
    loader.problems.append(Diagnostic(SourceRef(loader.path, line, col), message, Code.YAML_SYNTAX))


def _construct_str(loader: _Loader, node: yaml.ScalarNode) -> str:
    value = loader.construct_scalar(node)
    if not node.style and loader.comments:  # a plain text (libyaml's style: "", PyYAML's: None)
        _cut_by_comment(loader, node, value)
    if not value.isprintable():  # most texts are; a line break or a no-break space is not, but fine
        bad = _UNSHOWABLE.search(value)
        if bad is not None:
            code = ord(bad.group(0))
            if 0xD800 <= code <= 0xDFFF:
                message = f"invalid YAML: '\\u{code:04x}' is half of a character: write the character itself"
            else:
                message = f"invalid YAML: the control character U+{code:04X} is not allowed"
                if node.style == '"':
                    message += " (in double quotes, a backslash starts an escape such as \\f: write \\\\ for one, or use single quotes)"
            where = _pos(node.start_mark, loader.starts)
            if node.style == '"':  # the escape that wrote it, rather than the text's start
                index = _escape_of(loader.text, node.start_mark.index, node.end_mark.index, bad.group(0))
                if index is not None:
                    where = text_position(loader.text, index)
            loader.problems.append(Diagnostic(SourceRef(loader.path, *where), message, Code.YAML_SYNTAX))
            return _UNSHOWABLE.sub("\ufffd", value)  # said: what comes next need not choke on it
    return value


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)  # type: ignore[arg-type]
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)  # type: ignore[arg-type]
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)  # type: ignore[arg-type]

_FastLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _CLoader(yaml.CSafeLoader):  # type: ignore[name-defined, misc]
        """The same loader on libyaml's C parser: about ten times faster. A file it
        cannot read is read again by the Python loader, whose messages are more precise."""

        def __init__(self, stream: str, path: Path):
            super().__init__(stream)
            self.path = path
            self.text = stream
            self.problems: list[Diagnostic] = []
            self.starts: list[int] | None = None
            self.own_keys: dict[int, set[int]] = {}
            self.comments = " #" in stream or "\t#" in stream

        flatten_mapping = _flatten_mapping
        construct_object = _construct_object

    _CLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _CLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    _CLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)
    _CLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
    _CLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)
    _FastLoader = _CLoader


def sizes(size: int, limit: int) -> str:
    """A size over a limit, and the limit: in MB, or in bytes when the MB would read the
    same ("1 MB; the limit is 1 MB")."""
    if size < 2 * limit:
        return f"{size:,} bytes; the limit is {limit:,}"
    return f"{size / 1_000_000:.1f} MB; the limit is {limit / 1_000_000:g} MB".replace(".0 MB;", " MB;")


def read_text(path: Path, diagnostics: list[Diagnostic], limit: int = MAX_BYTES, what: str = "") -> str | None:
    """The file's text, or None with a diagnostic when it is missing, over `limit` bytes, or
    not UTF-8. `what`: why a smaller limit than the files' (a page's, said with it)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):  # a folder: read_bytes says so
            message = "cannot read file: not a regular file (a device, a pipe or a socket)"
            diagnostics.append(Diagnostic(SourceRef(path), message, Code.MISSING_FILE))
            return None
        if info.st_size > limit:
            message = f"the file is too large ({sizes(info.st_size, limit)}{what})"
            diagnostics.append(Diagnostic(SourceRef(path), message, Code.FILE_TOO_LARGE))
            return None
        data = path.read_bytes()
    except FileNotFoundError:
        diagnostics.append(Diagnostic(SourceRef(path), "file not found", Code.MISSING_FILE))
        return None
    except OSError as exc:
        diagnostics.append(Diagnostic(SourceRef(path), f"cannot read file: {exc.strerror}", Code.MISSING_FILE))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        breaks = [m.end() for m in re.finditer(rb"\r\n|\r|\n", data[: exc.start])]
        line = len(breaks) + 1
        # in characters, as editors count: what comes before on that line is valid UTF-8
        col = len(data[(breaks[-1] if breaks else 0) : exc.start].decode("utf-8")) + 1
        head = data[:8192]
        # UTF-16 without its mark: in Latin script, every other byte is 0, and no other is
        odd, even = head[1::2].count(0) / max(1, len(head[1::2])), head[0::2].count(0) / max(1, len(head[0::2]))
        wide = len(head) >= 4 and ((odd > 0.8 and even < 0.05) or (even > 0.8 and odd < 0.05))
        if data.startswith((b"\xff\xfe\0\0", b"\0\0\xfe\xff")):
            message = "file is not valid UTF-8 text (it is saved as UTF-32): save it as UTF-8"
        elif data.startswith((b"\xff\xfe", b"\xfe\xff")) or (wide and not data.startswith(b"%PDF")):
            message = "file is not valid UTF-8 text (it is saved as UTF-16): save it as UTF-8"  # Notepad's "Unicode"
        elif b"\0" in head or data.startswith(b"%PDF"):
            message = "file is not text (a picture, a PDF or a Word document under this name?)"
        else:
            message = (
                f"file is not valid UTF-8 text (the byte \\x{data[exc.start]:02x}: saved in another encoding, "
                "such as Windows-1252?): save it as UTF-8"
            )
        diagnostics.append(Diagnostic(SourceRef(path, line, col), message, Code.FILE_ENCODING))
        return None
    if "\x00" in text:  # at the first NUL: a stray one in a text file is found there
        where = SourceRef(path, *text_position(text, text.index("\x00")))
        diagnostics.append(Diagnostic(where, "file is binary, not text (a NUL character)", Code.FILE_ENCODING))
        return None
    return text.removeprefix("\ufeff")


def _in_words(
    exc: yaml.MarkedYAMLError,
    text: str,
    starts: list[int] | None,
    line: int,
    col: int,
    message: str,
    odd: re.Match[str] | None,
) -> tuple[int, int, str]:
    """PyYAML's error in a trainer's words, at the place to fix (line and column from 1):
    each hint only where it fits, else PyYAML's own words (see the cases in tests/cases)."""
    mark = exc.problem_mark or exc.context_mark
    shown_lines = lines(text)
    here = shown_lines[line - 1] if line <= len(shown_lines) else ""  # the line YAML stopped at
    before = here[: col - 1]  # its text before the place
    symbol = exc.context in (
        "while scanning an alias",
        "while scanning an anchor",
        "while scanning a tag",
        "while scanning a block scalar",  # `fr: > 18 ans`
    )
    symbol = symbol or str(exc.problem).startswith("found undefined alias")
    if (symbol and exc.context_mark is not None) or (
        "that cannot start any token" in message and "'\\t'" not in message
    ):
        # `hotline: *123#` (a USSD code), `fr: @moi`, `fr: %50`: YAML reads its first character
        where = exc.context_mark if symbol and exc.context_mark is not None else mark
        if where is not None:
            line, col = _pos(where, starts)
        first = text[where.index] if where is not None and where.index < len(text) else "?"
        message = f"a text cannot begin with '{first}' in YAML: put it in quotes, \"…\""
    elif "escape" in message:  # "found unknown escape character 'd'": `"C:\Program Files\doc"`
        message += " (in double quotes, a backslash starts an escape: write \\\\ for one, or use single quotes)"
    elif "'\\t'" in message:
        message = "a tab: YAML indents with spaces only"
    elif odd is not None:
        line, col = text_position(text, odd.start(1))
        name = SPACE_NAMES.get(odd.group(1), "a special space")
        message = f"{name} (U+{ord(odd.group(1)):04X}) in the indentation: YAML indents with ordinary spaces only"
    elif message == "mapping values are not allowed here":
        above = shown_lines[line - 2] if 2 <= line <= len(shown_lines) + 1 else ""
        glued = re.match(r"\s*(?:- )?[\w-]+:(?=[^\s:])\S*", above)
        if ":" in before and re.search(r":\s*[“”«‘„]", before):  # `fr: « Attention : ceci »`
            message = '“ ”, « » are not quotes for YAML: put the text in straight quotes, "…"'
        elif ":" in before:  # `fr: Attention: ceci est…`
            if '"' in before:  # `Cliquez sur "Valider" : ok`
                message = "a ': ' inside a text (put the whole text in single quotes, '…', an apostrophe in it twice)"
            else:
                message = "a ': ' inside a text (put the whole text in quotes: \"…\")"
        elif glued is not None:  # `fr:Bonjour`: no key for YAML, and the line below read as its rest
            line, col = line - 1, len(glued.group()) - len(glued.group().lstrip()) + 1
            message = f"no space after ':' in '{glued.group().strip()}' (write it with a space after ':')"
        else:  # a key indented more than the keys beside it: read as the rest of the value above
            message = (
                "this line is read as the rest of the value above it, where ': ' is not allowed: a key "
                "indented more than the keys beside it, or a text to put in quotes"
            )
    elif message == "sequence entries are not allowed here":  # `en: - B`, a bullet pasted with its text
        message = "a '- ' after a key, on its line: a text beginning with '- ' goes in quotes (\"- …\"); a list's items go on the lines below, one per line"
    elif message == "expected <block end>, but found '-'":  # `  - id: q1`, then `- id: q2`; `fr: x`, then `- y`
        message = "a '- ' item where keys are, or not aligned with the '- ' items above it: indent it as they are"
    elif message == "expected <block end>, but found '?'":  # `- b`, then `c: 2` at the list's indent
        message = (
            "a key among the items of a list (the lines beginning with '- '): "
            "indent it as an item's keys, or as the list's own key"
        )
    elif re.search(r"but found '<block (mapping|sequence) start>'", message):
        above_at = next(
            (
                n
                for n in range(line - 2, -1, -1)
                if shown_lines[n].strip() and not shown_lines[n].lstrip().startswith("#")
            ),
            None,
        )
        above = shown_lines[above_at] if above_at is not None else ""
        indent = len(here) - len(here.lstrip())
        keys_at = len(above) - len(above.lstrip()) + (2 if above.lstrip().startswith("- ") else 0)
        if indent > keys_at and re.match(r"\s*(?:- )?[^:#\s][^:#]*:\s+[^\s#]", above):
            # `law: "Loi…"`, then `  title: …` below it
            key = above.strip().removeprefix("- ").split(":", 1)[0].strip()
            message = (
                f"this line is indented under '{key}:' (line {(above_at or 0) + 1}), which already has its value: "
                f"indent it as '{key}:', at column {keys_at + 1}; or, if it belongs under '{key}:', remove that value"
            )
        else:  # `    fr: x`, then `  en: y`: not aligned with the keys or items above it
            message = "this line is not aligned with the keys or '- ' items above it: indent it by the same spaces"
    elif (
        message.startswith("expected ',' or ")
        and exc.context_mark is not None
        and (hidden := _comment_in_flow(text, exc.context_mark.index, mark.index if mark else len(text))) is not None
    ):  # `prompt: {fr: Question #3, en: "…"}`: the comment hides the rest of the line, '}' and all
        bracket = text[exc.context_mark.index]
        opened_at = _pos(exc.context_mark, starts)
        line, col = text_position(text, hidden)
        message = (
            f"' #' begins a comment for YAML, hiding the rest of the line and the "
            f"'{_CLOSING.get(bracket, bracket)}' that closes the '{bracket}' at line {opened_at[0]}, column "
            f'{opened_at[1]}: put the text in quotes, "…"'
        )
    elif (
        re.fullmatch(r"expected ',' or '[}\]]', but got '.*'", message)
        and exc.context_mark is not None
        and exc.context_mark.line + 1 < line
        and (left := _quote_left_open(text, exc.context_mark.index)) is not None
        and _KEY_LINE.search(text, left, _quote_end(text, left))
    ):  # `{fr: "Oui", en: "Yes}`: the text read on to a quote lines below, and the '}' with it
        line, col = text_position(text, left)
        message = (
            "this quote is never closed on its line (end the text with the same quote): YAML read on "
            f"to a quote of a later line, and the '{_CLOSING.get(text[exc.context_mark.index], '}')}' with it"
        )
    elif (
        re.fullmatch(r"expected ',' or '[}\]]', but got '(:|<stream end>)'", message)
        and exc.context_mark is not None
        and (exc.context_mark.line + 1 < line or "<stream end>" in message)
        and ("]" if "]" in message else "}") not in text[exc.context_mark.index :]
    ):  # `tags: [a, b` (never closed), then the next lines
        bracket, ending = ("[", "]") if "]" in message else ("{", "}")
        line, col = _pos(exc.context_mark, starts)
        message = f"this '{bracket}' is never closed on its line (add its '{ending}')"
    elif (
        re.fullmatch(r"expected ',' or '[}\]]', but got '[^']*'", message)
        and exc.context_mark is not None
        and exc.context_mark.line + 1 < line
        and _indent(here) <= _indent(shown_lines[exc.context_mark.line])
        and not _closes_first(here, text[exc.context_mark.index])  # closed there: a ',' missing
    ):  # `hotline: {number: "0800"` never closed, and the next key below it, not indented under it
        bracket = text[exc.context_mark.index]
        line, col = _pos(exc.context_mark, starts)
        message = f"this '{bracket}' is never closed on its line (add its '{_CLOSING.get(bracket, bracket)}')"
    elif (wrong := re.fullmatch(r"expected ',' or '([}\]])', but got '([}\]])'", message)) is not None:
        message = f"this '{wrong[2]}' closes a '{'[' if wrong[1] == ']' else '{'}': close it with '{wrong[1]}'"
    elif (closer := re.fullmatch(r"expected <block end>, but found '([}\]])'", message)) is not None:
        message = f"a '{closer[1]}' that closes nothing (one too many?)"
    elif re.fullmatch(r"expected ',' or '[}\]]', but got ':'", message) and re.search(
        r"(?:[{\[,]|:[ \t])[ \t]*[“«‘„][^\"'{}\[\],]*$", before
    ):  # the text the ':' is in begins with a curly quote (not one inside a text in straight quotes)
        message = '“ ”, « » are not quotes for YAML: put the text in straight quotes, "…"'  # `{fr: “Question : …”}`
    elif re.fullmatch(r"expected ',' or '[}\]]', but got ':'", message):  # `{fr: Question : que faire ?}`
        message = "a ':' inside a text between braces or brackets (put the text in quotes: \"…\"), or a ',' missing"
    elif (
        exc.context == "while scanning a quoted scalar"
        and exc.context_mark is not None
        and "end of stream" in str(exc.problem)
    ):
        line, col = _pos(exc.context_mark, starts)  # at the quote, not at the file's end
        message = "this quote is never closed (the text in quotes ends with the same quote)"
    elif "but found '<stream end>'" in message:
        message = "the file ends where a value was expected (was it cut short?)"
    elif message.startswith("expected a single document in the stream"):  # a stray `---`
        message = (
            "a line '---' begins a second document here, and a course file holds one: remove it "
            "(if it is a line of a text, indent it as the text's other lines)"
        )
    elif message == "expected <block end>, but found '<scalar>'" and (block := _block_above(shown_lines, line)):
        # `fr: |`, its lines, and one of them indented less than the first
        message = (
            f"this line is indented less than the first line of the text begun with '{block[1]}' at line "
            f"{block[0]}: indent it as that line"
        )
    elif (
        message == "expected <block end>, but found '<scalar>'"
        and before.endswith("'")
        and before.count("'") >= 2
        and before[-2:-1].isalpha()
    ):
        # `country: 'Côte d'Ivoire'`: the apostrophe ended the text in single quotes
        message = "an apostrophe ends a text in single quotes: write it twice ('') or put the text in double quotes"
    elif re.fullmatch(r"expected (<block end>|',' or '[}\]]'), but (found|got) '(<scalar>|,)'", message) and (
        (closed := before.rstrip()).endswith(('"', "'")) and closed.count(closed[-1]) >= 2
    ):  # `fr: "Il a dit "non" hier"`, `fr: "Oui" ou "Non"`, `fr: 'Allô', dit-il`
        message = (
            "the text in quotes ends at the quote before this, and more text follows: put the whole text in "
            'one pair of quotes (single ones around a text holding ", with an apostrophe in it written twice)'
        )
    elif (opened := _open_quote(text, mark.index if mark else 0)) is not None:
        # `country: "Sénégal` (no closing quote): read on to the next quote, lines below,
        # and YAML stopped after it, at text that makes no sense there
        quote_line, quote_col = text_position(text, opened)
        message += f" (the quote at line {quote_line}, column {quote_col} closes only on a later line: left open?)"
    elif exc.problem == "could not find expected ':'" and exc.context_mark is not None:
        # found at the next line's start: said at the text that has no ':' after it
        line, col = _pos(exc.context_mark, starts)
        written = shown_lines[line - 1][col - 1 :].strip() if line <= len(shown_lines) else ""
        shown = written if len(written) <= 40 else written[:39] + "…"
        message = f"no ':' after '{shown}' (a key without its colon?)" if shown else "expected ':'"
    return line, col, message


_BLOCK_START = re.compile(r"^(\s*)(?:- )?(?:[^\s#][^#]*?:[ \t]+)?([|>])[-+0-9]*[ \t]*(?:#.*)?$")
"""A line that begins a block of text: `fr: |`, `- >-`, `text: |2  # comment`."""


def _closes_first(line: str, bracket: str) -> bool:
    """Whether `line` closes a `bracket` opened above it before it opens one of its own."""
    closes, opens = line.find(_CLOSING.get(bracket, "}")), line.find(bracket)
    return closes >= 0 and (opens < 0 or closes < opens)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_above(shown_lines: list[str], line: int) -> tuple[int, str] | None:
    """The line (from 1) and the sign ('|' or '>') of the block of text just above `line`
    when `line` looks like one of its lines indented less than its first one: indented
    more than the block's key, less than its first line, every line between them in it."""
    if not 2 <= line <= len(shown_lines):
        return None
    here = shown_lines[line - 1]
    indent = len(here) - len(here.lstrip(" "))
    first = None  # the indentation of the block's first line
    for n in range(line - 1, 0, -1):
        above = shown_lines[n - 1]
        if not above.strip():
            continue
        start = _BLOCK_START.match(above)
        if start is not None and first is not None:
            return (n, start.group(2)) if len(start.group(1)) < indent < first else None
        first = len(above) - len(above.lstrip(" "))
        if first <= indent:
            return None
    return None


_CLOSING = {"{": "}", "[": "]"}


def _comment_in_flow(text: str, start: int, end: int) -> int | None:
    """Where, between a '{' or '[' at `start` and the place YAML stopped at `end`, a ' #'
    outside quotes begins a comment that hid the bracket's closing one: the rest of the
    comment's line, read as YAML would have read it, closes the bracket, and nothing after
    that line does. None when there is no such comment. Brackets are counted, not looked
    for: a bank's later lines hold braces of their own (`explanation: {fr: …}`), closed on
    their lines. A quote opens a quoted text only where a value or a key begins (`L'état`
    holds an apostrophe)."""
    if text[start : start + 1] not in _CLOSING:
        return None
    hidden: int | None = None  # the comment found to hide the closing bracket
    depth = 0  # brackets open, the one at `start` included
    comment: tuple[int, int] | None = None  # read as text: where it begins, and the depth before it
    quote = ""  # the quote of the quoted text we are in
    previous = "\n"  # the last character outside spaces, or a line's start
    at = start
    while at < len(text):
        char = text[at]
        if char == "\n":
            if comment is not None:  # the comment read as text ends with its line
                depth, comment, quote = comment[1], None, ""
            elif quote:
                at += 1
                continue
            previous = "\n"
        elif quote:
            if char == quote and not (quote == "'" and text[at + 1 : at + 2] == "'"):
                quote = ""
            elif char == quote == "'":
                at += 1  # '' in single quotes: an apostrophe
            elif char == "\\" and quote == '"':
                at += 1
        elif char in "\"'" and previous in "{[,:-\n":
            quote = char
        elif char == "#" and comment is None and text[at - 1] in " \t\n":
            if hidden is None and at < end:  # read on as the text YAML would have read
                comment = (at, depth)
            else:  # a comment of no account: skipped to its line's end
                line_end = text.find("\n", at)
                at = len(text) if line_end < 0 else line_end
                continue
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                if comment is None:  # closed where YAML reads it: no comment hid it
                    return None
                hidden = comment[0]
                line_end = text.find("\n", at)
                at = len(text) if line_end < 0 else line_end
                continue
        if not char.isspace():
            previous = char
        at += 1
    return hidden


_KEY_LINE = re.compile(r"\n[ \t]*(?:- )?[\w-]+:(?:[ \t]|$)", re.M)
"""A line that reads as a key (`other: 1`, `- id: r`), inside a text in quotes: a quote left open."""


def _quote_end(text: str, start: int) -> int:
    """Where the text in quotes that begins at `start` ends, as YAML reads it (the next quote
    of its kind, an escaped or doubled one aside), or the text's end."""
    quote, i = text[start], start + 1
    while i < len(text):
        if quote == '"' and text[i] == "\\":
            i += 2
            continue
        if text[i] == quote:
            if quote == "'" and text[i + 1 : i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return len(text)


def _quote_left_open(text: str, start: int) -> int | None:
    """Where a quote that begins a value, on the line of `start` (a '{' or a '['), after
    it, is still open at the line's end: `{fr: "Oui", en: "Yes}`. Not an apostrophe in a
    word (`{fr: l'eau}`), nor a quote in a comment."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    opened: int | None = None
    i = start
    while i < end:
        char = text[i]
        if opened is None:
            if char in "\"'" and text[i - 1] in " \t{[,:":
                opened = i
            elif char == "#" and text[i - 1] in " \t":
                break
        elif text[opened] == '"' and char == "\\":
            i += 1  # an escape: `\"` does not close
        elif char == text[opened]:
            if char == "'" and text[i + 1 : i + 2] == "'":
                i += 1  # `''`: an apostrophe in single quotes
            else:
                opened = None
        i += 1
    return opened


def _open_quote(text: str, at: int) -> int | None:
    """Where the double-quoted text that ends last before `at` begins, when it ran over
    lines that read as keys (`organisation:`): a quote left open, whose text went on to
    the next quote. Not one in a comment, nor after an apostrophe on its line."""
    end = text.rfind('"', 0, at)
    start = text.rfind('"', 0, end) if end > 0 else -1
    if start < 0 or text[start - 1 : start] == "\\":
        return None
    before = text[text.rfind("\n", 0, start) + 1 : start]
    if "#" in before or "'" in before or not re.search(r"\n[ \t]*[\w-]+:(?:[ \t]|$)", text[start:end], re.M):
        return None
    return start


def load_yaml(path: Path, diagnostics: list[Diagnostic], text: str | None = None) -> Any:
    """Parse one YAML file; on failure add a diagnostic and return None."""
    if text is None:
        text = read_text(path, diagnostics)
        if text is None:
            return None
    starts = _line_starts(text) if _UNUSUAL_BREAKS.search(text) else None
    if _FastLoader is not None and starts is None:  # libyaml's marks would count them
        fast = None
        try:
            fast = _FastLoader(text, path)
            data = fast.get_single_data()
        except Exception:  # noqa: BLE001 - read it again below, for a precise message
            pass
        else:
            diagnostics.extend(fast.problems)
            if data is None:
                diagnostics.append(Diagnostic(SourceRef(path), "the file is empty", Code.EMPTY_FILE))
            return _within_limits(data, path, text, diagnostics)
        finally:
            if fast is not None:
                fast.dispose()
    loader = None
    try:
        loader = _Loader(text, path, starts)
        data = loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        line, col = text_position(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"invalid YAML: the control character U+{code:04X} is not allowed"
        diagnostics.append(Diagnostic(SourceRef(path, line, col), message, Code.YAML_SYNTAX))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark, starts) if mark else (1, 1)
        message = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        if exc.context and message.startswith("but "):  # "but found another document": say what was expected
            message = f"{' '.join(str(exc.context).split())}, {message}"
        # a space that is not one, which a word processor or a web page put in the indentation
        # of the line YAML stopped at, or of the line before it (whose block it then reads on)
        odd = next(
            (m for m in _ODD_INDENT.finditer(text) if line - 1 <= text_position(text, m.start(1))[0] <= line), None
        )
        line, col, message = _in_words(exc, text, starts, line, col, message, odd)
        diagnostics.append(Diagnostic(SourceRef(path, line, col), f"invalid YAML: {message}", Code.YAML_SYNTAX))
        return None
    except yaml.YAMLError as exc:
        diagnostics.append(Diagnostic(SourceRef(path), f"invalid YAML: {exc}", Code.YAML_SYNTAX))
        return None
    except RecursionError:
        where = SourceRef(path, *_too_deep(text))
        diagnostics.append(Diagnostic(where, "invalid YAML: nested too deeply", Code.YAML_SYNTAX))
        return None
    finally:
        if loader is not None:
            loader.dispose()
    diagnostics.extend(loader.problems)
    if data is None:
        diagnostics.append(Diagnostic(SourceRef(path), "the file is empty", Code.EMPTY_FILE))
    return _within_limits(data, path, text, diagnostics)


def _within_limits(data: Any, path: Path, text: str, diagnostics: list[Diagnostic]) -> Any:
    """`data`, unless its aliases expand to more than MAX_VALUES values (then None, with
    a diagnostic at the first value repeated by an alias). An alias gives the same object
    again: counted once per place it appears, without expanding anything."""
    if "&" not in text:  # no anchor, no alias
        return data
    sizes: dict[int, int] = {}
    repeated: list[Any] = []

    def size(value: Any) -> int:
        if not isinstance(value, dict | list):
            return 1
        known = sizes.get(id(value))
        if known is not None:
            repeated.append(value)
            return known
        sizes[id(value)] = 1  # a value inside itself (an alias to its own anchor) counts once
        children = value.values() if isinstance(value, dict) else value
        total = 1 + sum(size(child) for child in children)
        sizes[id(value)] = total
        return total

    try:
        total = size(data)
    except RecursionError:
        diagnostics.append(Diagnostic(SourceRef(path), "invalid YAML: nested too deeply", Code.YAML_SYNTAX))
        return None
    if total <= MAX_VALUES:
        return data
    first = min((getattr(v, "mark", (1, 1)) for v in repeated), default=(1, 1))
    message = f"invalid YAML: its aliases stand for {total:,} values (the limit is {MAX_VALUES:,})"
    diagnostics.append(Diagnostic(SourceRef(path, *first), message, Code.YAML_SYNTAX))
    return None


DEEP = 100
"""Brackets open at once beyond which a file is taken for nested too deeply (course files
nest a few levels; Python's own limit stops the parser at several hundred)."""


def _too_deep(text: str) -> tuple[int, int]:
    """Where `[` and `{` (outside quotes) first nest DEEP deep: where a file that the
    parser found nested too deeply goes wrong; (1, 1) for nesting it cannot see."""
    depth, line, start = 0, 1, 0
    quote, comment = "", False
    for i, char in enumerate(text):
        after = i == start or text[i - 1] in " \t[{,"  # where a quoted text or a comment may begin
        if char == "\n":
            line, start, comment = line + 1, i + 1, False
        elif comment:
            continue
        elif quote:
            quote = "" if char == quote else quote
        elif char in "\"'" and after:
            quote = char
        elif char == "#" and (i == start or text[i - 1] in " \t"):
            comment = True
        elif char in "[{":
            depth += 1
            if depth >= DEEP:
                return line, i - start + 1
        elif char in "]}":
            depth = max(0, depth - 1)
    return 1, 1


def leaves(data: Any, where: Sequence[Any] = ()) -> Iterator[tuple[list[Any], Any]]:
    """Every value in `data` that is not a mapping or a list, with its path from `where`."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, [*where, key])
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from leaves(value, [*where, i])
    else:
        yield list(where), data


def locate(path: Path, data: Any, where: Sequence[Any], *, key: bool = False) -> SourceRef:
    """The position of the value at `where` inside `data` (of its key when `key`).

    Walks as deep as the data allows, so a path into something missing points at the
    closest container that exists (a value put in after loading, without a mark, too).
    """
    pos = getattr(data, "mark", (1, 1))
    node = data
    for i, step in enumerate(where):
        last = i == len(where) - 1
        if isinstance(node, MarkedDict) and step in node and step in node.value_marks:
            pos = node.key_marks[step] if (last and key) else node.value_marks[step]
            node = node[step]
        elif (
            isinstance(node, MarkedList) and isinstance(step, int) and 0 <= step < min(len(node), len(node.item_marks))
        ):
            pos = node.item_marks[step]
            node = node[step]
        else:
            break
    return SourceRef(path, *pos)


def locked(folder: Path) -> bool:
    """Whether `folder` is a folder that cannot be read or entered (its permissions: a
    folder copied from another account)."""
    return os.path.isdir(folder) and not os.access(folder, os.R_OK | os.X_OK)


def there(path: Path, kind: str = "", unsure: bool = False) -> bool:
    """Whether `path` is there (a "file" or a "folder", with `kind`); `unsure` where it
    cannot be told, in a folder that cannot be entered (Python's `exists()` raised
    PermissionError there; loading tells the folder)."""
    try:
        return path.is_file() if kind == "file" else path.is_dir() if kind == "folder" else path.exists()
    except OSError:
        return unsure
