"""Check YAML data against the packaged JSON Schemas, with `path:line:col` messages.

Two validators of the same schemas: jsonschema-rs (compiled) answers "valid or not" in
a few milliseconds, and the course is nearly always valid; only data it rejects goes
through `jsonschema`, whose errors carry what the messages need (the keyword, the schema
part and the path). A rejection that jsonschema does not confirm is reported from
jsonschema-rs's own errors (`_strict_only`): it is the stricter of the two.
"""

from __future__ import annotations

import collections
import datetime
import difflib
import importlib.util
import itertools
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from .errors import Code, Diagnostic, SourceRef
from .model import looks_like
from .yamlfile import SPACE_NAMES, leaves, locate

if TYPE_CHECKING:
    import jsonschema

LANG_NAMES = {"fr": "French", "en": "English"}
_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    text = resources.files("coursegen.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    if name == "config":  # with Jupyter Book's own keys, as the installed Jupyter Book states them
        schema["properties"] = {**_jupyter_book_keys(), **schema["properties"]}
    return schema


@cache
def _jupyter_book_keys() -> dict[str, Any]:
    """The top-level keys of a Jupyter Book `_config.yml`, with their types: its package's
    schema (found without importing Jupyter Book, which would take a second), and the one
    key its schema leaves out. A mistake there (`author: [a, b]`, `timeout: "x"`) made its
    build stop with a traceback; a key misspelt (`copyrite`) was dropped without a word."""
    spec = importlib.util.find_spec("jupyter_book")
    if spec is None or spec.origin is None:
        return {}
    known = json.loads((Path(spec.origin).parent / "config_schema.json").read_text("utf-8"))
    keys: dict[str, Any] = dict(known.get("properties", {}))
    keys.setdefault("only_build_toc_files", {"type": "boolean"})
    # Within these sections too, a key Jupyter Book does not read (`html: favicn:`,
    # `sphinx: bogus:`) was dropped without a word: told, with the one meant. (Its schema
    # lists them; `html:` also takes three its code reads and its schema leaves out. Not
    # `launch_buttons:` nor `repository:`, which the theme reads too, with keys of its own:
    # `jupyterlite_url`.)
    also = {
        "html": ["use_multitoc_numbering", "navbar_footer_text", "google_analytics_id"],
        "parse": ["myst_substitutions"],  # read by its code, left out of its schema
    }
    for section in ("html", "execute", "sphinx", "parse"):
        if isinstance(keys.get(section), dict) and isinstance(keys[section].get("properties"), dict):
            properties = {**keys[section]["properties"], **{key: {} for key in also.get(section, [])}}
            properties.pop("myst_dmath_double_inline", None)  # in its schema, never read by its code
            keys[section] = {**keys[section], "properties": properties, "additionalProperties": False}
    return keys


def _odd_character(written: str) -> str:
    """The first character of an id that only looks like one it may hold (`bоrder`, its
    `о` Cyrillic, `\u200b`), named: the id looked right as it was told."""
    odd = next((c for c in written if not c.isascii()), None)
    if odd is None:
        return ""  # as seen (a capital, a space, a "_"), or shown escaped (a line break)
    name = unicodedata.name(odd, "a character without a name")
    plain = looks_like(odd)
    like = f" (it looks like '{plain}')" if plain else ""
    return f": character {written.index(odd) + 1} is U+{ord(odd):04X} {name}{like}, not one of those"


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, datetime.date):  # `2026-12-03`, unquoted (a datetime is a date too)
        return "a date"
    return "nothing" if value is None else type(value).__name__


def check(data: Any, schema_name: str, path: Path, languages: list[str] | None = None) -> list[Diagnostic]:
    """Every schema violation in `data`, one diagnostic each. With `languages`, a text
    missing in a language the course does not use is not a problem; _config.yml gives its
    own (a French-only course was asked the English of its title and audiences)."""
    if languages is None and schema_name == "config":
        course = data.get("course") if isinstance(data, dict) else None
        given = course.get("languages") if isinstance(course, dict) else None
        if isinstance(given, list) and given and all(isinstance(g, str) and g in LANG_NAMES for g in given):
            languages = given
    problems = _check(data, schema_name, path, languages)
    if languages is None:
        return problems
    unused = [LANG_NAMES[lang] for lang in LANG_NAMES if lang not in languages]
    return [
        d
        for d in problems
        if not (d.code is Code.MISSING_TRANSLATION and any(f"{name} text" in d.message for name in unused))
    ]


def valid_course_value(key: str, value: Any) -> bool:
    """Whether `value` is right for `course: key:` of _config.yml."""
    rule = load_schema("config")["properties"]["course"]["properties"][key]
    try:
        return bool(jsonschema_rs.Draft202012Validator(rule).is_valid(value))
    except (ValueError, TypeError):  # a value JSON does not have (a YAML date)
        return False


@cache
def _fast_validator(schema_name: str) -> jsonschema_rs.Draft202012Validator:
    return jsonschema_rs.Draft202012Validator(load_schema(schema_name))


@cache
def _validator(schema_name: str) -> jsonschema.Draft202012Validator:
    import jsonschema  # only for data that the fast validator rejects

    return jsonschema.Draft202012Validator(load_schema(schema_name))


def _valid(data: Any, schema_name: str) -> bool:
    try:
        return _fast_validator(schema_name).is_valid(data)
    except (ValueError, TypeError):  # a value JSON does not have (a YAML date, say): let the other one say
        return False


def _check(data: Any, schema_name: str, path: Path, languages: list[str] | None = None) -> list[Diagnostic]:
    if _valid(data, schema_name):
        return []
    skipped: list[Any] = []
    explained = _explain(data, schema_name, path, languages, skipped)
    if not explained:  # (but where only texts in languages the course does not use are missing)
        return _strict_only(data, schema_name, path, known_only=bool(skipped))
    if any(d.message.startswith(_TOO_MANY) for d in explained):
        return explained  # (jsonschema-rs would list every one of them, in memory, at once)
    # and what jsonschema does not see, where it reported nothing: every problem at once
    seen = {d.ref for d in explained}
    return explained + [d for d in _strict_only(data, schema_name, path, known_only=True) if d.ref not in seen]


_EXPONENT = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][-+]?[0-9]+")


def _non_finite(value: Any, where: list[Any]) -> Iterator[tuple[list[Any], float]]:
    """The paths under `where` to the NaN and infinite numbers in `value`."""
    for path, leaf in leaves(value, where):
        if isinstance(leaf, float) and not math.isfinite(leaf):
            yield path, leaf


def _strict_only(data: Any, schema_name: str, path: Path, known_only: bool = False) -> list[Diagnostic]:
    """What jsonschema-rs rejects and jsonschema lets through: YAML's `.nan` and `.inf`
    (JSON has no such numbers: a page would carry them and its quiz fail to read them),
    and an id that ends with a line break (Python's `$` matches before it). Any other
    rejection is reported in jsonschema-rs's words, unless `known_only`."""
    try:
        errors = list(itertools.islice(_fast_validator(schema_name).iter_errors(data), MAX_TOLD))
    except (ValueError, TypeError):  # a value JSON has no place for, where anything is allowed
        return []
    out: dict[tuple[Any, ...], Diagnostic] = {}
    for error in errors:
        where = list(error.instance_path)
        node = data
        for step in where:
            node = node[step]
        found = list(_non_finite(node, where))
        for leaf, number in found:
            field = _place(data, leaf)
            shown = ".nan" if math.isnan(number) else ("-.inf" if number < 0 else ".inf")
            beyond = "" if math.isnan(number) else " (or a number beyond 1.8e308, which Python reads as one)"
            message = f"{field} must be a finite number, not {shown}{beyond}"
            out[tuple(leaf)] = Diagnostic(locate(path, data, leaf), message, Code.INVALID_VALUE)
        if not found and tuple(where) not in out:
            field = _place(data, where)
            message = f"{field}: {error.message}"
            rule: Any = load_schema(schema_name)
            for step in list(error.schema_path)[:-1]:  # the part of the schema that rejected it
                try:
                    rule = rule[step]
                except (KeyError, IndexError, TypeError):
                    rule = {}
            if isinstance(rule, dict) and isinstance(node, str) and "pattern" in rule:  # as _describe says it
                message = f"{field}: {node!r} is not a valid id ({rule.get('description', rule['pattern'])}){_odd_character(node)}"
            elif known_only:
                continue
            out[tuple(where)] = Diagnostic(locate(path, data, where), message, Code.INVALID_VALUE)
    return list(out.values())


def rejected_paths(data: Any, schema_name: str) -> dict[int, set[str]]:
    """For each item of `data["items"]` (by index) that its schema rejects, where in the
    item it rejects something, as dotted paths (`options.1.text`; a key missing inside the
    item, as its own path: `options.1.feedback`); "*" when it rejects the item as a whole.
    An unknown key is not counted (nothing reads it), nor a key the item itself leaves out
    (checks find nothing there)."""
    out: dict[int, set[str]] = {}
    for error in _validator(schema_name).iter_errors(data):
        where = list(error.absolute_path)
        if len(where) < 2 or where[0] != "items" or not isinstance(where[1], int):
            continue
        paths = out.setdefault(where[1], set())
        if error.validator == "additionalProperties" or (error.validator == "required" and len(where) == 2):
            continue
        inside = ".".join(str(step) for step in where[2:])
        if error.validator == "required" and isinstance(error.instance, dict):
            # an option without its feedback: its feedback is missing, not its `correct`, which
            # the rules of the answer key read (a second correct option was told only once the
            # feedback was written)
            paths.update(f"{inside}.{key}" for key in error.validator_value if key not in error.instance)
            continue
        paths.add(inside or "*")
    return out


def drop_bad_keys(data: Any, schema_name: str) -> bool:
    """Remove from `data` the keys that its schema does not know, and those whose values it
    refuses; True when what is left passes. (A misspelt key, or `copyright: 2025` unquoted,
    is said, and the rest of the file is still checked against the rest of the course.)"""
    validator = _validator(schema_name)
    drop: list[tuple[dict[Any, Any], Any]] = []
    # a slip of a key the mapping lacks (`titel:` for an audience's `title:`, told with "did
    # you mean") is read as that key: the rest of the course is checked in the same run
    renamed: list[tuple[dict[Any, Any], Any, str]] = []
    errors = list(validator.iter_errors(data))
    for error in errors:
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
            slipped = slips(error.instance, sorted(known))
            for key in error.instance:
                if key in known:
                    continue
                if key in slipped and slipped[key] not in error.instance:
                    renamed.append((error.instance, key, slipped[key]))
                else:
                    drop.append((error.instance, key))
    given = {(id(parent), key) for parent, _, key in renamed}
    for error in errors:
        if error.validator == "additionalProperties":
            continue
        where = list(error.absolute_path)
        if error.validator == "required" and isinstance(error.instance, dict):
            if all(k in error.instance or (id(error.instance), k) in given for k in error.validator_value):
                continue  # what is missing is the slip's key
            return False
        if error.validator == "required" or not where or not isinstance(where[-1], str):
            return False  # a key missing, a list's item: nothing to leave out
        parent = data
        for step in where[:-1]:
            parent = parent[step]
        drop.append((parent, where[-1]))
    for parent, slip, key in renamed:
        parent[key] = parent.pop(slip)
        for marks in (getattr(parent, "key_marks", None), getattr(parent, "value_marks", None)):
            if marks is not None and slip in marks:  # what is told of its value is told where it is
                marks[key] = marks[slip]
    for parent, key in drop:
        parent.pop(key, None)
    # a slip whose value the key meant refuses (`editon: teacher`): left out, as an unknown
    # key is, rather than the whole file
    for error in validator.iter_errors(data):
        node = data
        for step in error.absolute_path:
            if isinstance(node, dict) and (id(node), step) in given:
                node.pop(step, None)
                break
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                break
    return bool(drop or renamed) and not any(True for _ in validator.iter_errors(data))


_ID = re.compile(r"[a-z0-9][a-z0-9.-]*")


_KEY_SPACES = " \t\u00a0\u202f\u2007\u2009"
"""What a word processor puts before ':' in French (`audiences :`), which YAML keeps in the key."""


def slips(instance: dict[Any, Any], allowed: list[str]) -> dict[str, str]:
    """The unknown keys that look like an allowed key the instance lacks (`promt` for
    `prompt`): told with "did you mean", and that key is then not said missing as well."""
    free = [key for key in allowed if key not in instance]
    out = {}
    for extra in instance:
        if isinstance(extra, str) and extra not in allowed:
            close = difflib.get_close_matches(extra, free, 1, 0.75)
            if close:
                out[extra] = close[0]
    return out


def spaced_key(data: dict[Any, Any], key: str) -> bool:
    """Whether `data` has `key` written with a space after it (`audiences :`, told as such)."""
    return any(isinstance(k, str) and k != key and k.rstrip(_KEY_SPACES) == key for k in data)


_PARTS = {
    "options": "option", "pairs": "pair", "steps": "step", "choices": "choice",
    "parts": "part", "chapters": "chapter", "sections": "section",  # _toc.yml's
    "articles": "article", "referral": "referral contact",  # country.yml's
    "audiences": "audience", "languages": "language", "sources": "source",  # _config.yml's, a question's
    "definitions": "definition", "actions": "action", "goals": "goal", "targets": "target",  # sources/
    "practices": "practice", "terms": "term", "nodes": "node", "edges": "edge", "points": "point",
    "extensions": "extension", "exclude_patterns": "pattern",  # _config.yml's Jupyter Book settings
}  # fmt: skip


_KEY_WITHOUT_COLON = re.compile(r"^\s*([A-Za-z_]+)(\s+|:)(\S.*?)\s*$")
"""`file modules/x` (its ':' forgotten) or `file:modules/x` (its space): a string to YAML."""


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _place(data: Any, where: list[Any], empty: str = "document") -> str:
    """The place of a value, in quotes, as a trainer finds it: a quiz bank's question by
    its id (`'answer' of question 'pol-x'`), not by its rank in the list (`'items.3.answer'`,
    which meant counting from 0); one without a valid id by its rank, counted from 1
    (`'answer' of the 4th question`, `the 2nd item of question 'pol-case'`); an option, a
    pair, a step or a choice likewise (`'text.en' of option 'b' of question 'pol-x'`)."""
    node, start, label = data, 0, None
    for i, step in enumerate(where):
        inside = isinstance(node, dict) and step in node
        if not inside and not (isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)):
            break
        siblings, node = node, node[step]
        if i >= 2 and isinstance(step, int) and where[i - 2] == "accepted" and where[i - 1] in LANG_NAMES:
            start = i + 1  # `accepted: {fr: [OIT, 3]}`: its 2nd French answer
            own = f"the {ordinal(step + 1)} {LANG_NAMES[where[i - 1]]} accepted answer"
            label = f"{own} of {label}" if label else own
            continue
        if not (i and isinstance(step, int) and (isinstance(node, dict) or where[i - 1] in (*_PARTS, "items"))):
            continue
        key = "goal" if where[i - 1] == "goals" else "id"  # an SDG by its number
        found = node.get(key) if isinstance(node, dict) else None
        found = str(found) if key == "goal" and type(found) is int else found
        named = isinstance(found, str) and _ID.fullmatch(found) is not None and where[i + 1 :] != [key]
        # an id given twice (told apart) names neither: its rank does
        named = named and _given(siblings, key)[str(found)] == 1
        if where[i - 1] == "items":
            start = i + 1
            if named:
                label = f"question '{found}'"
            elif label is None:
                label = f"the {ordinal(step + 1)} question"
            else:
                label = f"the {ordinal(step + 1)} item of {label}"
        elif where[i - 1] in _PARTS:  # an option, a pair, a step, a choice: by its id, or its rank
            start = i + 1
            kind = _PARTS[where[i - 1]]
            own = f"{kind} '{found}'" if named else f"the {ordinal(step + 1)} {kind}"
            label = f"{own} of {label}" if label else own
    rest = ".".join(str(w) for w in where[start:])
    if label is None:
        return f"'{rest or empty}'"
    return f"'{rest}' of {label}" if rest else label


_TOO_MANY = "more problems than coursegen tells at once"
MAX_TOLD = 2000
"""How many of a file's problems its schema finds are told, at most: thousands of broken
questions took minutes and gigabytes to tell, each."""


def _unused_language_only(error: Any, unused: set[str]) -> bool:
    """Whether `error` is only a text missing in languages the course does not use."""
    if error.validator != "required" or not isinstance(error.instance, dict):
        return False
    required = error.validator_value
    if not isinstance(required, list) or not set(required) <= set(LANG_NAMES):
        return False
    return all(lang in unused for lang in required if lang not in error.instance)


_GIVEN: dict[tuple[int, str], tuple[list[Any], int, Counter[str]]] = {}


def _given(siblings: list[Any], key: str) -> Counter[str]:
    """How many of `siblings` (a bank's questions, a question's options …) give each value
    of `key`: counted once per list, not once per problem told in it (a bank of thousands
    of questions, each with a problem, took minutes)."""
    held = _GIVEN.get((id(siblings), key))
    if held is None or held[0] is not siblings or held[1] != len(siblings):
        if len(_GIVEN) > 64:
            _GIVEN.clear()
        counted = Counter(str(x.get(key)) if isinstance(x, dict) else "\0" for x in siblings)
        held = _GIVEN[(id(siblings), key)] = (siblings, len(siblings), counted)
    return held[2]


def _explain(
    data: Any, schema_name: str, path: Path, languages: list[str] | None = None, skipped: list[Any] | None = None
) -> list[Diagnostic]:
    """Each problem jsonschema finds in `data`, told as a trainer reads it; a text missing in
    a language the course does not use is not one (it goes to `skipped`)."""
    validator = _validator(schema_name)
    out: list[Diagnostic] = []
    unused = set(LANG_NAMES) - set(languages) if languages else set()
    errors = []
    for error in validator.iter_errors(data):
        if unused and _unused_language_only(error, unused):
            if skipped is not None:
                skipped.append(error.json_path)
            continue  # a French-only course's English text: no problem
        errors.append(error)
        if len(errors) == MAX_TOLD:  # a file of thousands of broken questions: enough to start with
            message = f"{_TOO_MANY}: the first {MAX_TOLD} are told, fix them first"
            out.append(Diagnostic(SourceRef(path, 1, 1), message, Code.INVALID_VALUE))
            break
    # a value two parts of the schema restrict (a case study's question's type: a type, and
    # not a case study): told once, with the narrower list of what it may be
    narrowest: dict[tuple[Any, ...], tuple[int, jsonschema.ValidationError]] = {}
    for e in errors:
        if e.validator == "enum" and isinstance(e.validator_value, list):
            at, size = tuple(e.absolute_path), len(e.validator_value)
            if at not in narrowest or size < narrowest[at][0]:
                narrowest[at] = (size, e)
    errors = [
        e
        for e in errors
        if e.validator != "enum" or not isinstance(e.validator_value, list) or narrowest[tuple(e.absolute_path)][1] is e
    ]
    # the keys allowed at each place, as its unknown keys are told: a question's required
    # keys come from a subschema of its type, which does not list them
    allowed_at = {
        tuple(e.absolute_path): sorted(e.schema.get("properties", {}))
        for e in errors
        if e.validator == "additionalProperties" and isinstance(e.schema, dict)
    }
    # a question of the trainer's own marked `disabled: true`: told once, at that key, as
    # what the key is for; not also told what the question lacks
    dropped = [
        e
        for e in errors
        if e.validator == "maxProperties" and isinstance(e.instance, dict) and e.instance.get("disabled") is True
    ]
    for error in dropped:
        where = list(error.absolute_path)
        message = (
            f"{_place(data, where)}: 'disabled: true' removes a built-in question, named by its id alone (write "
            "only 'id' and 'disabled'); to leave a question of this file out of the course, delete it, or put '#' "
            "before each of its lines"
        )
        if len(where) >= 4 and where[-2] == "items":  # a case study's: not disabled alone, by id or not
            message = (
                f"{_place(data, where)}: a case study's question is not disabled alone: to leave it out, delete it "
                "from the case study's items, or put '#' before each of its lines"
            )
        out.append(Diagnostic(locate(path, data, [*where, "disabled"], key=True), message, Code.INVALID_VALUE))
        errors = [e for e in errors if list(e.absolute_path)[: len(where)] != where]
    waiting = collections.deque(errors)  # told in order; a form's own problems go first
    while waiting:
        error = waiting.popleft()
        where = list(error.absolute_path)
        instance = error.instance
        kind = error.validator
        if kind == "pattern" and error.validator_value == r"\S" and instance == "":
            continue  # an empty text: told once, by its minLength
        if kind == "additionalProperties" and isinstance(instance, dict):
            allowed = sorted(error.schema.get("properties", {}))
            for extra in sorted(set(instance) - set(allowed), key=str):
                bare = extra.rstrip(_KEY_SPACES) if isinstance(extra, str) else extra
                if bare != extra and bare in allowed:  # `audiences :`, as French is typed
                    space = SPACE_NAMES.get(extra[len(bare)], "a space")
                    message = f"key '{bare}' ends with {space} (U+{ord(extra[len(bare)]):04X}), which is not part of it: remove it"
                    out.append(Diagnostic(locate(path, data, [*where, extra], key=True), message, Code.UNKNOWN_KEY))
                    continue
                notes = [BOOLEAN_HINT] if isinstance(extra, bool) else []
                slip = slips(instance, allowed).get(extra)
                moved = _moved(schema_name, where, extra, data)
                if moved:
                    notes += [moved]
                elif slip:
                    notes += [f"did you mean '{slip}'?"]
                else:
                    notes += [f"expected one of: {', '.join(allowed)}"] if allowed else []
                    if schema_name == "config" and where == ["parse"] and str(extra).startswith("myst_"):
                        # Jupyter Book dropped it without a word
                        notes += ["MyST's other settings go under sphinx: config:"]
                shown = str(extra).lower() if isinstance(extra, bool) else extra
                key = "key: an empty one (null or ~)" if extra is None else f"key '{shown}'"
                message = f"unknown {key}" + (f" ({'; '.join(notes)})" if notes else "")
                out.append(Diagnostic(locate(path, data, [*where, extra], key=True), message, Code.UNKNOWN_KEY))
        elif kind == "required" and isinstance(instance, dict):
            ref = locate(path, data, where)
            allowed = allowed_at.get(tuple(where)) or sorted(error.schema.get("properties", {}))
            slipped = set(slips(instance, allowed).values())
            if slipped & {"disabled", "override"}:  # `disable: true`: a question to drop, not one to complete
                continue
            if instance.get("disabled") is False and set(instance) <= {"id", "disabled"}:  # meant as `true`?
                message = (
                    "'disabled: false' does nothing, and a question needs its type and texts: to remove a "
                    "built-in question from a course folder made with `coursegen new`, write 'disabled: true'"
                )
                out.append(Diagnostic(locate(path, data, [*where, "disabled"]), message, Code.INVALID_VALUE))
                continue
            for missing in error.validator_value:
                if missing in instance or spaced_key(instance, missing) or missing in slipped:
                    continue  # there, or written with a space after it, or misspelt (each told at its key)
                if missing in LANG_NAMES and set(error.validator_value) <= set(LANG_NAMES):
                    field = _place(data, where, "text")
                    out.append(
                        Diagnostic(ref, f"missing {LANG_NAMES[missing]} text for {field}", Code.MISSING_TRANSLATION)
                    )
                else:
                    inside = f" in {_place(data, where)}" if where else ""
                    message = f"missing required key '{missing}'{inside}"
                    if instance.get("override") is True:  # only the fields that change, as trainers try first
                        message += " (an override is the whole question: copy it whole, then change it)"
                    out.append(Diagnostic(ref, message, Code.MISSING_KEY))
        elif kind == "type":
            expected = error.validator_value
            names = [_TYPE_NAMES.get(str(t), str(t)) for t in (expected if isinstance(expected, list) else [expected])]
            field = _place(data, where)
            message = f"{field} must be {' or '.join(names)}, not {_type_of(instance)}"
            keys = error.schema.get("properties") if isinstance(error.schema, dict) else None
            if not where and expected == "object" and keys:  # the whole file: a list of questions alone
                message = f"the file must hold keys ({', '.join(sorted(keys))}), not {_type_of(instance)}"
                if isinstance(instance, list) and "items" in keys:
                    message += ": begin it with a line 'items:', and indent the list under it"
            elif expected == "object" and keys and isinstance(instance, str) and set(keys) <= set(LANG_NAMES):
                # `prompt: "Vers qui … ?"`: a text, written by language (the course's)
                langs = [lang for lang in languages or sorted(keys) if lang in keys] or sorted(keys)
                shown = ", ".join(f'{lang}: "…"' for lang in langs)
                message += f": write it by language, {{{shown}}}"
            elif expected == "object" and keys and isinstance(instance, str) and _KEY_WITHOUT_COLON.match(instance):
                key, between, value = _KEY_WITHOUT_COLON.match(instance).groups()  # type: ignore[union-attr]
                if key in keys:  # `- file modules/police/local`: a ':' forgotten, or the space after it
                    missing = f"a space after '{key}:'" if between == ":" else f"a ':' after '{key}'"
                    message = f"{field} must be '{key}: {value}', with {missing}"
                else:
                    message += f" (its keys, on the lines below it: {', '.join(sorted(keys))})"
            elif expected == "object" and keys and not isinstance(instance, dict | list):
                # `law: "Loi n° 2005-06"`: the keys it takes, on the lines below it
                message += f" (its keys, on the lines below it: {', '.join(sorted(keys))})"
            elif expected == "string" and isinstance(instance, int | float) and not isinstance(instance, bool):
                message += " (write it in quotes)"  # `copyright: 2026`, which YAML reads as a number
            elif expected == "string" and isinstance(instance, datetime.date):
                message += f" ({DATE_HINT})"
            elif "string" in str(expected) and isinstance(instance, bool):
                message += f" ({BOOLEAN_HINT})"  # `en: Yes`, `fr: Non` is text, `en: No` is not
            elif (
                "number" in str(expected)
                and isinstance(instance, str)
                and (typed := re.fullmatch(r"\s*(\d+)(?:[.,](\d+))?\s*(%?)\s*", instance))
            ):  # `pass_mark: 70%`, `"70,5"`: a number as people write it
                number = typed[1] + (f".{typed[2]}" if typed[2] else "")
                without = "'%'" if typed[3] else "quotes"
                comma = ", with a dot" if typed[2] and "," in instance else ""
                message += f" (write {number}, without {without}{comma})"
            elif "number" in str(expected) and isinstance(instance, str) and _EXPONENT.fullmatch(instance.strip()):
                # `1e3`: YAML reads a number with an exponent only with a dot (`1.0e+3`), or it is text
                mantissa, _, power = instance.strip().lower().partition("e")
                mantissa = mantissa if "." in mantissa else f"{mantissa}.0"
                power = power if power[:1] in "+-" else f"+{power}"
                written = f"{mantissa}e{power}"
                try:
                    finite = math.isfinite(float(written))
                except ValueError:
                    finite = True  # not a number once written so: the advice stands
                message += (
                    f" (YAML reads '{instance.strip()}' as text: write {written}, or the number without its exponent)"
                    if finite
                    else " (a number too large: the largest is about 10^308)"
                )
            out.append(Diagnostic(locate(path, data, where), message, Code.WRONG_TYPE))
        elif kind in ("oneOf", "anyOf") and error.context:
            # One of several forms (a text: a string, or {fr, en}). A value of none of their
            # types is told the forms; one of a form's type, what is wrong with it in that form.
            in_form = [e for e in error.context if e.validator != "type" or e.relative_path]
            if in_form:
                waiting.extendleft(reversed(in_form))
            else:
                field = _place(data, where)
                forms = error.schema.get("description") or "another kind of value"
                message = f"{field} must be {forms}, not {_type_of(instance)}"
                takes_text = any(isinstance(f, dict) and f.get("type") == "string" for f in error.schema.get(kind, []))
                if takes_text and isinstance(instance, datetime.date):
                    message += f" ({DATE_HINT})"  # `country: 2026-01-01`
                elif takes_text and isinstance(instance, int | float) and not isinstance(instance, bool):
                    message += " (write it in quotes)"
                elif takes_text and isinstance(instance, bool):
                    message += f" ({BOOLEAN_HINT})"
                out.append(Diagnostic(locate(path, data, where), message, Code.WRONG_TYPE))
        elif kind in ("minLength", "pattern") and where and where[-1] in LANG_NAMES and not str(instance).strip():
            field = _place(data, where[:-1])
            message = f"empty {LANG_NAMES[where[-1]]} text for {field}"
            out.append(Diagnostic(locate(path, data, where), message, Code.MISSING_TRANSLATION))
        else:
            field = _place(data, where)
            message = f"{field}: {_describe(error)}"
            out.append(Diagnostic(locate(path, data, where), message, Code.INVALID_VALUE))
    return out


def _moved(schema_name: str, where: list[Any], key: Any, data: Any) -> str | None:
    """Where a key of _config.yml goes, when written in the other block: `author:` under
    `course:` (where a trainer puts what is about the course), or `languages:` at the top;
    or that it is there already."""
    if schema_name != "config" or not isinstance(key, str) or not isinstance(data, dict):
        return None
    config = load_schema("config")["properties"]
    course = data.get("course")
    if where == ["course"] and key in config and key != "course":
        if key in data:
            return f"'{key}' is a setting of the whole book, given already at the top of the file: remove this one"
        return (
            f"'{key}' is a setting of the whole book: move it out of the 'course:' block, to a line of its own "
            "at the top of the file, not indented"
        )
    if not where and key in config["course"].get("properties", {}):
        if isinstance(course, dict) and key in course:
            return f"'{key}' is given already under 'course:': remove this one"
        return f"'{key}' goes under 'course:', indented"
    return None


BOOLEAN_HINT = "YAML reads yes, no, on and off as true or false: put it in quotes"
DATE_HINT = "YAML reads it as a date: write it in quotes"


def _shown(value: Any) -> str:
    """A value as a message shows it: an empty one as such, a true or false that YAML
    read from a word with the word's case of confusion explained."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"{str(value).lower()} ({BOOLEAN_HINT})"
    return repr(value)


def _describe(error: jsonschema.ValidationError) -> str:
    kind, value = error.validator, error.validator_value
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    if kind == "enum":
        listed = ", ".join(map(str, value))  # type: ignore[arg-type]
        close = (
            difflib.get_close_matches(error.instance.strip().lower(), [str(v) for v in value], n=1)  # type: ignore[union-attr]
            if isinstance(error.instance, str)
            else []
        )
        hint = f" (did you mean '{close[0]}'?)" if close and close[0] != error.instance else ""
        return f"{_shown(error.instance)} is not one of: {listed}{hint}"
    if kind == "not" and "description" in schema:  # a key a place refuses, told why
        return str(schema["description"])
    if kind == "const":
        return f"must be {value!r}"
    if kind == "pattern" and value == r"\S":  # a text of spaces only, told as an empty one
        return "must not be empty (it has spaces only)"
    if kind == "pattern":
        written = str(error.instance)
        if written != written.lower() and re.search(str(value), written.lower()):  # `action:F`
            return f"{written!r} is not a valid id: ids are written in small letters ('{written.lower()}')"
        return f"{error.instance!r} is not a valid id ({schema.get('description', value)}){_odd_character(written)}"
    if kind == "minItems":
        return f"needs at least {value} item(s)"
    if kind == "uniqueItems":
        return "items must not repeat"
    if kind == "maxItems":
        count = len(error.instance) if isinstance(error.instance, list) else 0
        return f"has {count:,} items: the most is {value}"
    if kind in ("minimum", "maximum"):
        return f"{error.instance!r} is out of range ({kind} {value})"
    if kind in ("exclusiveMinimum", "exclusiveMaximum"):
        return f"{error.instance!r} is out of range (it must be {'more' if kind == 'exclusiveMinimum' else 'less'} than {value})"
    if kind == "minLength":
        return "must not be empty"
    if kind == "maxLength":
        length = len(error.instance) if isinstance(error.instance, str) else 0
        return f"is {length:,} characters long: the limit is {value:,}"
    return str(error.message)
