"""Stage 1, load: read a course folder into the model. The only stage that reads files.

Each YAML file is parsed with positions and checked against its JSON Schema here, so
that later stages work on data of the right shape. A file with problems contributes
diagnostics and no items; loading always goes on to the next file so that every problem
is reported in one run.
"""

from __future__ import annotations

import bisect
import contextlib
import difflib
import errno
import glob
import hashlib
import itertools
import json
import os
import pickle
import re
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from . import layers, offline, pictures, reuse, schema, yamlfile
from .errors import Code, Diagnostic, SourceRef, UsageError, display_path, shown
from .model import (
    COMMON,
    TRAINER,
    Audience,
    Chapter,
    Course,
    Diagram,
    Page,
    Part,
    Provenance,
    Question,
    Source,
    Template,
    Text,
    closest,
)
from .yamlfile import (
    MAX_BYTES,
    PAGE_LIMIT_WHY,
    PAGE_MAX_BYTES,
    MarkedDict,
    MarkedList,
    load_yaml,
    locate,
    locked,
    read_text,
    sizes,
    text_position,
    there,
)

PAGE_NAME = re.compile(r"^(?P<name>[a-z0-9][a-z0-9_-]*)\.(?P<lang>[a-z]{2})\.md$")
SOURCE_FILES = ("actions", "practices", "sdgs", "definitions")
SOURCE_KINDS = {"actions": "action", "practices": "practice", "sdgs": "sdg", "definitions": "definition"}
"""The kind of the ids that each sources/ file gives: `action:c`, `sdg:8.7` …"""
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters that no page means to hold (tab, line feed and carriage return are
fine): copied from a PDF or a terminal, they would end up in the site's HTML, where they
are not allowed. YAML's own reader refuses them in the other files."""


@cache
def _code_digest(schema_name: str) -> bytes:
    """What else a file's checked data depends on: the parser's and checker's code and
    the schema (a new coursegen never reuses an older one's results)."""
    h = hashlib.sha256()
    for module in (yamlfile, schema):
        h.update(Path(str(module.__file__)).read_bytes())
    h.update(json.dumps(schema.load_schema(schema_name), sort_keys=True).encode())
    return h.digest()


def _key(path: Path, schema_name: str, languages: list[str] | None, text: str) -> str:
    h = hashlib.sha256(_code_digest(schema_name))
    h.update(f"{path}\0{schema_name}\0{languages}\0".encode("utf-8", "surrogateescape"))  # a name not UTF-8
    h.update(text.encode("utf-8"))
    return h.hexdigest()


_COURSE: ContextVar[Path | None] = ContextVar("course_folder", default=None)
"""The course folder being loaded (resolved): its files may not link outside it."""


def _leads_into(path: Path, folder: Path) -> bool:
    """Whether `path`, its links followed, is inside `folder`. A link that leads round in
    a loop is left for `read_text` to report ("too many levels of symbolic links")."""
    return Path(os.path.realpath(path)).is_relative_to(folder)


def _confined(path: Path, diags: list[Diagnostic]) -> bool:
    """False, with a diagnostic, for a file of the course folder that is a link to a place
    outside it (a file elsewhere would become part of the course, and be published)."""
    root = _COURSE.get()
    if root is not None and path.is_relative_to(root) and not _leads_into(path, root):
        diags.append(
            Diagnostic(SourceRef(path), "this file links to a place outside the course folder", Code.PATH_ESCAPE)
        )
        return False
    return True


def _load_checked(
    path: Path,
    schema_name: str,
    diags: list[Diagnostic],
    languages: list[str] | None = None,
    dropped: list[tuple[int, Any, Any]] | None = None,
) -> Any:
    """The file's data when it parses and matches its schema, else None. A quiz bank whose
    schema rejects some questions comes without them: they go to `dropped`, if given
    (see `_items_without`)."""
    if not _confined(path, diags):
        return None
    cached = reuse.active()
    text = read_text(path, diags)
    if text is None:
        return None
    key = _key(path, schema_name, languages, text) if cached is not None else ""
    if cached is not None and key in cached.old:
        cached.new[key] = cached.old[key]
        return pickle.loads(cached.old[key])  # noqa: S301 - signed by this user's coursegen (reuse.py)
    before = len(diags)
    data = load_yaml(path, diags, text)
    if data is None:
        return None
    problems = schema.check(data, schema_name, path, languages)
    course = data.get("course") if schema_name == "config" and isinstance(data, dict) else None
    if problems and isinstance(course, dict):
        # `langauges: [fr]`, told with "did you mean": read as meant, so that a French-only
        # course is not also asked the English of its texts
        allowed = sorted(schema.load_schema("config")["properties"]["course"]["properties"])
        slipped = {
            slip: meant
            for slip, meant in schema.slips(course, allowed).items()
            if meant == "languages" and meant not in course
        }
        slipped = dict(list(slipped.items())[:1])  # `langauges:` and `languagse:`: the first is read as meant
        for slip, meant in slipped.items():
            course[meant] = course.pop(slip)
        if slipped:
            told = {d.ref for d in problems if d.code is Code.UNKNOWN_KEY}
            again = [d for d in schema.check(data, schema_name, path, languages) if d.ref not in told]
            if not schema.valid_course_value("languages", course["languages"]):  # `langauges: fr`: wrong too
                for slip, meant in slipped.items():
                    course[slip] = course.pop(meant)  # told as written, at its place
            else:
                problems = [d for d in problems if d.ref in told] + again
    # `hours: 8:30`, told as read in base 60, with what to write: not told again as a number
    # where a text goes (it is still dropped as one); where a number or a mapping goes, the
    # quotes would not do, and it is told
    misread = {d.ref for d in diags[before:] if d.code is Code.INVALID_VALUE}
    texts = (" must be a string, not", " must be a text")
    diags.extend(
        d
        for d in problems
        if not (d.code is Code.WRONG_TYPE and d.ref in misread and any(t in d.message for t in texts))
    )
    if problems:
        if schema_name == "quiz":
            return _items_without(problems, data, languages, dropped)
        # keys it does not know (`autor:`) or values of the wrong kind (`copyright: 2025`): read
        # without them, so that the problems of the files that use it are said in the same run
        droppable = (Code.UNKNOWN_KEY, Code.WRONG_TYPE, Code.INVALID_VALUE)
        if all(p.code in droppable for p in problems):
            if not schema.check(data, schema_name, path, languages):  # a slip, read as meant (above)
                return data
            if schema.drop_bad_keys(data, schema_name):
                return data if not schema.check(data, schema_name, path, languages) else None
        return None
    if cached is not None and len(diags) == before:  # a file with any problem is read again
        cached.new[key] = pickle.dumps(data, pickle.HIGHEST_PROTOCOL)
    return data


def _items_without(
    problems: list[Diagnostic], data: Any, languages: list[str] | None, dropped: list[tuple[int, Any, Any]] | None
) -> Any:
    """A quiz bank that its schema rejects, kept with the questions that have no problem,
    so that theirs (an unknown source …) are reported in the same run; None when a problem
    is outside every question (the bank itself is not as its schema says). The questions
    left out go to `dropped` as (index in the file, question, the bank as written)."""
    items = data.get("items") if isinstance(data, MarkedDict) else None
    if not isinstance(items, MarkedList) or len(items.item_marks) != len(items):
        return None
    starts = items.item_marks
    in_order = all(a <= b for a, b in itertools.pairwise(starts))  # (as written: always)
    bad = set()
    for problem in problems:
        place = (problem.ref.line, problem.ref.col)
        if in_order:  # the question it is in: the last one that starts before it
            last = bisect.bisect_right(starts, place) - 1
        else:
            last = max((i for i, start in enumerate(starts) if start <= place), default=-1)
        if last < 0 or place < items.mark:
            return None
        bad.add(last)
    kept = MarkedList()
    kept.mark = items.mark
    written = MarkedDict()  # the bank as written, where the questions left out are found
    written.mark, written.key_marks, written.value_marks = data.mark, data.key_marks, data.value_marks
    written["items"] = items
    for i, item in enumerate(items):
        if i not in bad:
            kept.append(item)
            kept.item_marks.append(starts[i])
        elif dropped is not None:
            dropped.append((i, item, written))
    data["items"] = kept
    # A problem reported at another question's place (an alias to a value written there)
    # would leave its question in: the questions kept must now pass on their own.
    return data if not schema.check(data, "quiz", Path(), languages) else None


def load_course(root: Path) -> tuple[Course | None, list[Diagnostic]]:
    """Read the course folder `root` (and, when its `_config.yml` says `base: builtin`, the
    built-in course under it: see `layers`). Returns the course (None if it cannot be
    built at all) and every problem found while reading. Within `reuse.reusing`, files
    that have not changed since the last build are not parsed and checked again."""
    root = root.resolve()
    token = _COURSE.set(root)
    try:
        return _load_course(root)
    finally:
        _COURSE.reset(token)


def _base_meant(root: Path) -> bool:
    """Whether `_config.yml` names a base all the same, one its schema refused (`base:
    Builtin`, said there): the rest is checked over the built-in course, as meant, rather
    than told it lacks every page of the built-in one (a dozen problems that buried the
    one that mattered)."""
    data = load_yaml(root / "_config.yml", [])
    course = data.get("course") if isinstance(data, dict) else None
    return isinstance(course, dict) and isinstance(course.get("base"), str) and bool(course["base"].strip())


def _base_left_out(root: Path, toc: Any) -> bool:
    """Whether a course folder without `base:` was made by `coursegen new` and lost the
    line (a `_config.yml` copied from the built-in course, or typed again): it has no
    sources/, and its table of contents lists pages that the built-in course has and it
    has not. Told once, rather than as a dozen missing pages and sources."""
    if (root / "sources").exists() or not (root / "country.yml").is_file() or not isinstance(toc, dict):
        return False  # (a folder of `coursegen new` has a country profile, and no sources of its own)
    try:
        builtin = layers.builtin_root()
    except UsageError:  # the built-in course is not to be found: nothing to compare with
        return False
    if builtin == root:
        return False
    parts = toc.get("parts")
    files = [toc.get("root")] + [
        c.get("file")
        for p in (parts if isinstance(parts, list) else [])
        if isinstance(p, dict) and isinstance(p.get("chapters"), list)
        for c in p["chapters"]
        if isinstance(c, dict)
    ]
    return any(
        isinstance(f, str)
        and f.startswith("modules/")
        and not any((root / f).parent.glob(f"{glob.escape(Path(f).name)}.*.md"))
        and any((builtin / f).parent.glob(f"{glob.escape(Path(f).name)}.*.md"))
        for f in files
    )


def _load_course(root: Path) -> tuple[Course | None, list[Diagnostic]]:
    """`load_course`, with `root` resolved."""
    diags: list[Diagnostic] = []
    config = _load_checked(root / "_config.yml", "config", diags)
    written: list[str] | None = None
    if config is not None:
        toc = _load_checked(root / "_toc.yml", "toc", diags, config["course"].get("languages"))
    else:  # its languages as written, if they can be read: else no translation is asked for
        written = _written_languages(root / "_config.yml")
        found: list[Diagnostic] = []
        toc = _load_checked(root / "_toc.yml", "toc", found, written)
        diags += [d for d in found if written is not None or d.code != Code.MISSING_TRANSLATION]
    base = None
    said_of_base = any(d.message.startswith("'course.base'") for d in diags)  # its value refused: left out
    if (config is not None and config["course"].get("base") == "builtin") or (said_of_base and _base_meant(root)):
        base = layers.builtin_root()
        if base == root:
            base = None
    elif config is not None and "base" not in config["course"] and _base_left_out(root, toc):
        message = (
            "this folder builds on the built-in course (its _toc.yml lists built-in pages it does not have, and "
            "it has no sources/), but 'course:' has no 'base: builtin': add that line under 'course:'"
        )
        diags.append(Diagnostic(locate(root / "_config.yml", config, ["course"], key=True), message, Code.MISSING_KEY))
        base = layers.builtin_root()  # the rest checked as meant, not told missing page by page
    config_files: dict[str, tuple[str, bytes]] = {}
    clashes: list[tuple[list[str], list[str], Diagnostic]] = []  # files of the same name: see _config_files
    _unread_folders(root, diags)
    if config is not None:
        diags += offline.config_problems(root / "_config.yml", config)
        diags += _machine_paths(root / "_config.yml", config)
        diags += _own_assets(root / "_config.yml", config)
        diags += _pass_mark_fraction(root / "_config.yml", config)
        diags += _theme_logo(root / "_config.yml", config)
        diags += _extension_names(root / "_config.yml", config)
        config_files = _config_files(root, config, diags, clashes)
    base_config = _load_checked(base / "_config.yml", "config", diags) if base else None
    if config is not None:
        diags += _repository_buttons(root / "_config.yml", config, base_config)
        diags += _exclude_patterns(root / "_config.yml", config)
    if base is not None and base_config is not None:  # the built-in course's own, unless the course's
        config_files = {**_config_files(base, base_config, diags, clashes), **config_files}
    if config is None or (base is not None and base_config is None):
        _files_alone(root, diags, config["course"].get("languages") if config is not None else written)
        return None, diags + [told for _, _, told in clashes]
    # A _toc.yml that cannot be used (its problems are said): the pages are read all the
    # same, and rendered apart, so that their own problems are said in the same run.
    toc_unread = toc is None
    if toc is None:
        toc = {"root": "modules/index", "parts": []}
    merged = layers.merge(_plain(base_config), _plain(config)) if base_config else _plain(config)
    if base_config is not None:
        offered = [a["id"] for a in base_config["course"]["audiences"]]
        taken = {a["id"] for a in config["course"].get("audiences", [])}  # and the slips' readings
        for i, a in enumerate(config["course"].get("audiences", [])):
            if a["id"] not in offered:
                # an audience of the trainer's own (`social-workers`), with its pages, its part
                # in _toc.yml and its quiz bank in the course folder, checked as the built-in
                # ones are; but one like a built-in audience is a slip of its name
                close = difflib.get_close_matches(str(a["id"]), [o for o in offered if o not in taken], 1, 0.75)
                own = "\0" not in str(a["id"]) and any(
                    (root / folder / name).exists()
                    for folder, name in (("modules", str(a["id"])), ("quizzes", f"{a['id']}.yml"))
                )
                if not close or own:  # `employees`, with its own pages or questions: not a slip
                    continue
                ref = locate(root / "_config.yml", config, ["course", "audiences", i, "id"])
                # `employeurs`: read on as `employers`, so that its pages, questions and folders
                # are not each told to be named after the slip
                message = f"unknown audience '{a['id']}': the built-in course offers {', '.join(offered)}"
                message += f" (did you mean '{close[0]}'? an audience of your own needs a name of its own)"
                taken.add(close[0])
                for entry in merged["course"]["audiences"]:
                    if entry["id"] == a["id"]:
                        entry["id"] = close[0]
                diags.append(Diagnostic(ref, message, Code.UNKNOWN_AUDIENCE))
    course_cfg = merged["course"]
    languages = list(dict.fromkeys(course_cfg["languages"]))  # `[fr, fr]`: said below, read once
    given = config["course"].get("languages") or []
    for i, lang in enumerate(given):
        if lang in given[:i]:
            ref = locate(root / "_config.yml", config, ["course", "languages", i])
            diags.append(Diagnostic(ref, f"language '{lang}' given twice", Code.DUPLICATE_ID))
    audiences = [Audience(a["id"], dict(a["title"])) for a in course_cfg["audiences"]]
    declared: list[tuple[str, str, SourceRef]] = []
    for i, a in enumerate(config["course"].get("audiences", [])):  # a based course may leave them out
        declared.append(("audience", a["id"], locate(root / "_config.yml", config, ["course", "audiences", i, "id"])))
    areas = {COMMON, TRAINER, *(a.id for a in audiences)}

    # sources: the built-in ones, then the course folder's (an id given again replaces)
    sources: dict[str, Source] = {}
    unread: set[str] = set()  # the kinds of source whose file could not be read
    ids_written: dict[str, set[str]] = {}  # their ids, as written in those that parse
    unknown_kinds: set[str] = set()  # those of a file that does not parse
    for folder, required in [(base, True), (root, False)] if base else [(root, True)]:
        shut = locked(folder / "sources")
        for name in SOURCE_FILES:
            path = folder / "sources" / f"{name}.yml"
            if shut:  # told once, by `_unread_folders`
                unread.add(SOURCE_KINDS[name])
                continue
            if not required and not path.exists():
                continue
            data = _load_checked(path, name, diags)
            if data is None:
                unread.add(SOURCE_KINDS[name])
                # its ids as written, when it parses: a citation of another is told, and an
                # id given twice, in the same run as the file's own problems
                ids = _ids_written(path, name) if path.is_file() else None
                if ids is not None:
                    ids_written.setdefault(SOURCE_KINDS[name], set()).update(ident for ident, _ in ids)
                    declared.extend(("source", ident, ref) for ident, ref in ids if folder == root)
                else:  # not known at all: nothing told of its ids
                    unknown_kinds.add(SOURCE_KINDS[name])
            if data is not None:
                for item in _SOURCE_READERS[name](data, path):
                    if folder == root:
                        declared.append(("source", item.id, item.ref))
                    sources[item.id] = item

    # `sources/laws.yml`: not read, and told (it was left out without a word)
    listed = (root / "sources").is_dir() and not locked(root / "sources")  # else told
    for path in sorted((root / "sources").glob("*")) if listed else []:
        readme = path.name.lower().startswith("readme")
        if f"{path.stem}.yml" != path.name or path.stem not in SOURCE_FILES:
            if readme or path.name.startswith((".", "_")) or _editors_copy(path.name) or not path.is_file():
                continue  # a folder (the course's own documents, as sources/seed/) is not a source file
            if path.suffix.lower() not in (".yml", ".yaml", ".json"):
                continue  # the law's text as a PDF, notes: kept beside the sources, not sources
            names = ", ".join(f"{n}.yml" for n in SOURCE_FILES)
            message = f"sources/ holds {names} only: this file is not read"
            near = closest(path.stem, SOURCE_FILES)
            message += f" (rename it {near}.yml?)" if near is not None else ""
            diags.append(Diagnostic(SourceRef(path), message, Code.MISSING_FILE))

    toc_path = root / "_toc.yml"
    parts = [
        Part(
            dict(p["caption"]) if isinstance(p["caption"], dict) else dict.fromkeys(schema.LANG_NAMES, p["caption"]),
            [
                Chapter(c["file"], locate(toc_path, toc, ["parts", i, "chapters", j, "file"]))
                for j, c in enumerate(p["chapters"])
            ],
            locate(toc_path, toc, ["parts", i]),
        )
        for i, p in enumerate(toc["parts"])
    ]
    toc_root = Chapter(toc["root"], locate(toc_path, toc, ["root"]) if not toc_unread else SourceRef(toc_path))

    pages: dict[tuple[str, str], Page] = {}
    diagrams: dict[tuple[str, str], Diagram] = {}
    module_files: dict[str, bytes] = {}
    glossary: dict[str, dict[str, Any]] = {}
    glossary_written: set[str] = set()  # the term ids of a glossary file that its schema refuses
    questions: dict[str, Question] = {}
    provenance: list[Provenance] = []
    left_out: dict[str, list[str]] = {}  # built-in questions for audiences the course does not have
    unsound: list[tuple[Question, frozenset[str]]] = []  # the course folder's, rejected by their schema
    inner: dict[str, str] = {}  # the id of a built-in case study's question -> the case study's
    for folder in [base, root] if base else [root]:
        own = folder == root
        folder_pages, folder_diagrams = _load_modules(folder / "modules", languages, diags, root if own else None)
        for key, page in folder_pages.items():
            if not own and page.area not in areas:
                continue  # another audience's page: not part of this course
            page.layer = layers.COURSE if own and base else layers.builtin_layer(page.area) if base else layers.COURSE
            pages[key] = page
        diagrams.update(folder_diagrams)
        module_files.update(_module_files(folder / "modules", diags))  # the course folder's last: its own win
        glossary_path = folder / "modules" / COMMON / "glossary.yml"
        if there(glossary_path):  # (in a folder that cannot be read: told)
            data = _load_checked(glossary_path, "glossary", diags)
            if data is not None:
                given = {term["id"] for term in data["terms"]}
                kept = [term for ident, term in glossary.items() if ident not in given]  # the built-in ones it keeps
                for i, term in enumerate(data["terms"]):
                    if own:
                        declared.append(("glossary term", term["id"], locate(glossary_path, data, ["terms", i, "id"])))
                    glossary[term["id"]] = _plain(term)
                if own:
                    diags.extend(_terms_twice(glossary_path, data, kept, languages))
            else:  # its problems told: its ids as written still count (twice, and as links' targets)
                for ident, ref in _term_ids_written(glossary_path):
                    glossary_written.add(ident)
                    if own:
                        declared.append(("glossary term", ident, ref))
        wanted = {"all", *(a.id for a in audiences)}
        gone: dict[str, SourceRef] = {}  # built-in questions disabled, and where
        sound = len(unsound)
        for q in _load_questions(folder / "quizzes", diags, languages, unsound if own else None):
            if not own and not wanted & set(q.audiences):
                left_out[q.id] = q.audiences
                continue  # another audience's question: not part of this course
            layer = layers.COURSE if own and base else layers.builtin_layer(q.bank) if base else layers.COURSE
            q.layer = layer
            if not own and q.data.get("type") == "scenario":
                inner.update({str(item.get("id")): q.id for item in q.data.get("items", []) if isinstance(item, dict)})
            ref = locate(q.path, q.marks, [*q.where, "id"])
            if own and base:
                if q.data.get("disabled") or q.data.get("override"):
                    if q.id in gone:  # disabled already: told as given twice
                        first = f"{display_path(gone[q.id].path)}:{gone[q.id].line}"
                        message = (
                            f"question '{q.id}' is disabled already, at {first}: remove one of the two"
                            if q.data.get("disabled")
                            else f"question '{q.id}' is disabled at {first}, and overridden here: keep one of the two"
                        )
                        diags.append(Diagnostic(ref, message, Code.DUPLICATE_ID))
                        continue
                    if q.id not in questions:
                        action = "disable" if q.data.get("disabled") else "override"
                        message = f"cannot {action} question '{q.id}': the built-in course has no question with this id"
                        close = difflib.get_close_matches(
                            q.id, [i for i, b in questions.items() if b.layer != layers.COURSE], 1, 0.8
                        )
                        if close:  # `emp-ab629` for `emp-ab-629`
                            message += f" (did you mean '{close[0]}'?)"
                        if q.id in inner:
                            message = (
                                f"cannot {action} question '{q.id}' alone: it is part of the case study "
                                f"'{inner[q.id]}'; {action} the case study (an override gives all its questions)"
                            )
                        if q.id in left_out:
                            message = (
                                f"cannot {action} question '{q.id}': it is a question for "
                                f"{', '.join(left_out[q.id])}, an audience this course does not have"
                            )
                        diags.append(Diagnostic(ref, message, Code.UNKNOWN_QUESTION))
                        continue
                    if questions[q.id].layer == layers.COURSE and q.data.get("disabled"):  # overridden, then disabled
                        earlier = locate(questions[q.id].path, questions[q.id].marks, [*questions[q.id].where, "id"])
                        message = (
                            f"question '{q.id}' is overridden at {display_path(earlier.path)}:{earlier.line}, and "
                            "disabled here: keep one of the two"
                        )
                        diags.append(Diagnostic(ref, message, Code.DUPLICATE_ID))
                        continue
                    if questions[q.id].layer == layers.COURSE:  # overridden twice: _duplicates says so
                        declared.append(("question", q.id, ref))
                        continue
                    replaced = questions[q.id]  # replaced in its place below: shown where it was
                    was = locate(replaced.path, replaced.marks, [*replaced.where, "id"])  # explain names it
                    note = "disabled" if q.data.get("disabled") else "replaces built-in"  # `grade` reads "disabled"
                    provenance.append(Provenance("question", q.id, layer, ref, note, was))
                    if q.data.get("disabled"):
                        gone[q.id] = ref
                        del questions[q.id]
                        # a case study's questions go with it (`grade` leaves out their answers)
                        case_items: list[dict[str, Any]] = (
                            replaced.data.get("items", []) if replaced.data.get("type") == "scenario" else []
                        )
                        for j, case_item in enumerate(case_items):
                            at = locate(replaced.path, replaced.marks, [*replaced.where, "items", j, "id"])
                            said = Provenance("question", str(case_item.get("id")), layer, ref, "disabled", at)
                            provenance.append(said)
                        continue
                    q.bank = replaced.bank  # shown where the question it replaces was
                    if replaced.data.get("type") == "scenario" and isinstance(q.data.get("items"), list):
                        # a case study's question that its override leaves out: `explain` says so
                        kept_ids = {str(s.get("id")) for s in q.data["items"] if isinstance(s, dict)}
                        for j, case_item in enumerate(replaced.data.get("items", [])):
                            if str(case_item.get("id")) not in kept_ids:
                                at = locate(replaced.path, replaced.marks, [*replaced.where, "items", j, "id"])
                                note = f"left out by the override of {q.id}"
                                provenance.append(
                                    Provenance("question", str(case_item.get("id")), layer, ref, note, at)
                                )
                elif q.id in questions and questions[q.id].layer == layers.COURSE:
                    declared.append(("question", q.id, ref))  # given twice in the course folder: _duplicates says so
                    continue
                elif q.id in questions:
                    message = (
                        f"question id '{q.id}' is already a built-in question (add `override: true` to replace it)"
                    )
                    diags.append(Diagnostic(ref, message, Code.DUPLICATE_ID))
                    continue
            if own:
                declared.append(("question", q.id, ref))
                if q.data.get("type") == "scenario":
                    for j, sub in enumerate(q.data["items"]):
                        at = locate(q.path, q.marks, [*q.where, "items", j, "id"])
                        declared.append(("question", sub["id"], at))
                        # a built-in question's id, but for those of the case study it overrides
                        builtin = sub["id"] in questions and questions[sub["id"]].layer != layers.COURSE
                        if builtin or (base and inner.get(sub["id"], q.id) != q.id):
                            message = (
                                f"question id '{sub['id']}' is already a built-in question's: give it an id of its own"
                            )
                            diags.append(Diagnostic(at, message, Code.DUPLICATE_ID))
            if q.data.get("disabled") and not base:
                diags.append(
                    Diagnostic(
                        ref,
                        "only a course folder based on the built-in course can disable questions",
                        Code.INVALID_VALUE,
                    )
                )
                continue
            questions[q.id] = q
        for q, rejected in unsound[sound:]:  # left out for what their schema says: their ids count all the same
            if "id" not in rejected:
                declared.append(("question", q.id, locate(q.path, q.marks, [*q.where, "id"])))
            items = q.data.get("items") if q.data.get("type") == "scenario" else None
            for j, sub in enumerate(items if isinstance(items, list) and "items" not in rejected else []):
                if (
                    isinstance(sub, dict)
                    and isinstance(sub.get("id"), str)
                    and not {f"items.{j}", f"items.{j}.id"} & rejected
                ):
                    declared.append(("question", sub["id"], locate(q.path, q.marks, [*q.where, "items", j, "id"])))

    country, country_origin = _load_country(root, base is not None, languages, diags)
    logo_replaced = ["logo"] if country.get("organisation", {}).get("logo_data") else None  # not in the site
    diags += [told for first, second, told in clashes if logo_replaced not in (first, second)]
    default_switch = {"fr": "Lire cette page en français", "en": "Read this page in English"}
    course = Course(
        root=root,
        title=dict(course_cfg["title"]),
        languages=languages,
        audiences=audiences,
        jb_config={k: v for k, v in merged.items() if k != "course"},
        toc_root=toc_root,
        parts=parts,
        sources=sources,
        pages=pages,
        diagrams=diagrams,
        glossary=list(glossary.values()),
        glossary_written=frozenset(glossary_written),
        lang_switch=dict(course_cfg.get("lang_switch", default_switch)),
        declared=declared,
        sources_unread=frozenset(unread),
        sources_written={kind: frozenset(ids) for kind, ids in ids_written.items() if kind not in unknown_kinds},
        toc_unread=toc_unread,
        questions=list(questions.values()),
        unsound=unsound,
        base=base,
        edition=str(course_cfg.get("edition", "learner")),
        config_files=config_files,
        module_files=module_files,
        pass_mark=float(course_cfg.get("pass_mark", 80)),
        country=country,
        country_origin=country_origin,
        provenance=provenance,
        templates=_load_templates(root, diags),
    )
    return course, diags


def _name_not_utf8(path: Path, below: Path, diags: list[Diagnostic]) -> bool:
    """True, with a diagnostic, for a file whose name, or that of a folder between `below`
    and it, is not UTF-8 text (written on a system set to another encoding): a page, written
    in UTF-8, cannot name it, and the book could not record it."""
    rel = path.relative_to(below).as_posix()
    byte = next((c for c in rel if "\udc80" <= c <= "\udcff"), None)
    if byte is None:
        return False
    what = "file's" if byte in path.name else "folder's"
    message = f"the {what} name is not UTF-8 text (it holds the byte {shown(byte)}): rename it"
    diags.append(Diagnostic(SourceRef(path), message, Code.FILE_ENCODING))
    return True


def _editors_copy(name: str) -> bool:
    """A file that an editor keeps beside the one edited: a backup (`who-to-call.md~`,
    `.bak`, `.orig`), a swap file (`.swp`) or an autosave (`#who-to-call.md#`)."""
    return name.endswith(("~", ".bak", ".orig", ".swp", ".swo", ".swx", ".tmp")) or (
        name.startswith("#") and name.endswith("#")
    )


def _load_templates(root: Path | None, diags: list[Diagnostic]) -> dict[str, Template]:
    """The package's templates as "builtin:NAME" and as "NAME", then the course folder's
    templates/, which shadow the package's under "NAME"."""
    out: dict[str, Template] = {}
    for path in sorted(layers.TEMPLATES.glob("*.md")):
        text = read_text(path, diags)
        if text is not None:
            out[f"builtin:{path.name}"] = out[path.name] = Template(path.name, text, path, layers.PACKAGE)
    own = root / "templates" if root else None
    if own is not None and own.is_dir() and not locked(own):  # else told by `_unread_folders`
        for path in sorted(own.iterdir()):
            # `who-to-call.MD`, `who-to-call.md.txt` (as Notepad saves it): not read, and the
            # built-in box shown instead, without a word. An editor's backup is no mistake.
            if (
                path.suffix != ".md"
                and not path.name.startswith(".")
                and not _editors_copy(path.name)
                and path.name.lower() != "readme.md"
                and path.is_file()
                and not _name_not_utf8(path, own, diags)
            ):
                stem = path.name.split(".")[0]
                message = f"templates are read from .md files only: this one is not read (rename it {stem}.md)"
                diags.append(Diagnostic(SourceRef(path), message, Code.MISSING_FILE))
        for path in sorted(own.glob("*.md")):
            if path.name.lower() == "readme.md" or path.name.startswith(".") or _name_not_utf8(path, own, diags):
                continue
            if not _confined(path, diags):
                continue
            text = read_text(path, diags)
            if text is not None:
                out[path.name] = Template(path.name, text, path, layers.COURSE)
    return out


def _texts_missing(path: Path, root: Any, languages: list[str]) -> list[Diagnostic]:
    """The texts of a country profile given in some languages (`country: {fr: Nordland}`)
    but not in one of the course's: its box showed nothing there, without a word."""
    out = []

    def walk(data: Any, where: list[Any]) -> None:
        if isinstance(data, dict) and data and set(data) <= set(schema.LANG_NAMES):
            for lang in languages:
                if lang not in data:
                    message = (
                        f"missing {schema.LANG_NAMES[lang]} text for {_field(where)} (write it in every language of "
                        "the course, or one text for all of them)"
                    )
                    out.append(Diagnostic(locate(path, root, where), message, Code.MISSING_TRANSLATION))
        elif isinstance(data, dict):
            for key, value in data.items():
                walk(value, [*where, key])
        elif isinstance(data, list):
            for n, value in enumerate(data):
                walk(value, [*where, n])

    walk(root, [])
    return out


def _field(where: list[Any]) -> str:
    """A country profile's field, as a trainer finds it: `hotline.hours`, `'role' of the 2nd
    organisation of referral` (a rank counted from 1, not `referral.1.role`)."""
    ranked = next((i for i, step in enumerate(where) if isinstance(step, int)), None)
    if ranked is None:
        return ".".join(map(str, where))
    outer = ".".join(map(str, where[:ranked]))
    noun = {"referral": "organisation", "articles": "article"}.get(str(where[ranked - 1]) if ranked else "", "item")
    inner = ".".join(map(str, where[ranked + 1 :]))
    item = f"the {schema.ordinal(where[ranked] + 1)} {noun} of {outer}"
    return f"'{inner}' of {item}" if inner else item


def _plain(data: Any) -> Any:
    return json.loads(json.dumps(data))


def _load_country(
    root: Path, based: bool, languages: list[str], diags: list[Diagnostic]
) -> tuple[dict[str, Any], dict[str, tuple[str, SourceRef]]]:
    """The country profile: package defaults merged with the course folder's country.yml,
    and, for every field, which layer and line it came from."""
    origin: dict[str, tuple[str, SourceRef]] = {}
    defaults = load_yaml(layers.COUNTRY_DEFAULTS, diags)
    _origins(defaults, layers.COUNTRY_DEFAULTS, layers.PACKAGE, [], origin)
    profile = _plain(defaults)
    path = root / "country.yml"
    if path.exists():
        data = _load_checked(path, "country", diags)
        if data is not None:
            diags += _texts_missing(path, data, languages)
            _origins(data, path, layers.COURSE, [], origin)
            profile = layers.merge(profile, _plain(data))
            logo = profile.get("organisation", {}).get("logo", "")
            if logo:
                ref = locate(path, data, ["organisation", "logo"])
                target = _inside(root, logo, ref, diags)
                if target is not None and target.suffix.lower() not in IMAGE_SUFFIXES:
                    message = f"logo '{logo}' is not an image: {', '.join(IMAGE_SUFFIXES)} (browsers show no other)"
                    diags.append(Diagnostic(ref, message, Code.INVALID_VALUE))
                elif target is not None and not target.is_file():
                    message = f"logo file '{logo}' not found in the course folder{near_file(target)}"
                    diags.append(Diagnostic(ref, message, Code.MISSING_FILE))
                elif target is not None and _picture(target, ref, diags):
                    profile["organisation"]["logo_data"] = target.read_bytes()
    blank = {"role": "", "phone": "", "email": "", "website": ""}
    profile["referral"] = [{**blank, **org} for org in profile.get("referral", [])]
    return profile, origin


def _origins(data: Any, path: Path, layer: str, where: list[str], out: dict[str, tuple[str, SourceRef]]) -> None:
    if isinstance(data, MarkedDict):
        for key, value in data.items():
            line, col = data.value_marks[key]
            name = ".".join([*where, str(key)])
            out[name] = (layer, SourceRef(path, line, col))
            _origins(value, path, layer, [*where, str(key)], out)


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
"""What a logo may be: the images that every browser shows."""

CONFIG_FILES = (
    ["logo"],
    ["html", "favicon"],
    ["sphinx", "config", "html_logo"],
    ["sphinx", "config", "html_favicon"],
    ["sphinx", "config", "html_theme_options", "logo", "image_light"],
    ["sphinx", "config", "html_theme_options", "logo", "image_dark"],
)
"""The files that Jupyter Book's and Sphinx's settings name, which each book holds a copy
of: the build reads them from the book's folder (it stopped on a logo it did not find
there; the theme's light and dark logos it left out without a word, a broken picture on
every page)."""


def setting(config: Any, keys: list[str]) -> Any:
    """The value at `keys` in a `_config.yml`'s data; None where there is none."""
    for key in keys:
        config = config.get(key) if isinstance(config, dict) else None
    return config


# Sphinx's settings that name files or folders which a build reads (and copies into the
# site, for some): Jupyter Book takes them from the book's folder, build/<lang>/
PATH_SETTINGS = (
    "html_static_path", "html_extra_path", "templates_path", "html_theme_path", "locale_dirs",
    "html_search_scorer", "latex_additional_files", "latex_logo", "bibtex_bibfiles",
)  # fmt: skip
# (`html_logo` and `html_favicon` are files of the course folder, copied into each book: CONFIG_FILES)


_SOURCE_LISTS = {"actions": "actions", "practices": "practices", "definitions": "definitions", "sdgs": "goals"}


def _ids_written(path: Path, name: str) -> list[tuple[str, SourceRef]] | None:
    """The ids that a sources/ file which its schema refuses gives, as written, and where
    (its problems are told by `_load_checked`); None when it does not parse, does not hold
    the list of its kind, or holds an id that is not text (`8.7` unquoted: which target
    does a page's `sdg:8.7` mean?), a list that is not one, or an entry that is not one."""
    text = read_text(path, [])
    data = load_yaml(path, [], text) if text is not None else None
    items = data.get(_SOURCE_LISTS[name]) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return None
    kind, out = SOURCE_KINDS[name], []
    for i, item in enumerate(items):
        targets = item.get("targets") if isinstance(item, dict) else None
        if not isinstance(item, dict) or (name == "sdgs" and not isinstance(targets, list)):
            return None
        parts = [("targets", t) for t in targets] if isinstance(targets, list) and name == "sdgs" else [("", item)]
        for j, (group, part) in enumerate(parts):
            where = [_SOURCE_LISTS[name], i, *([group, j] if group else [])]
            ident = part.get("id") if isinstance(part, dict) else None
            points = part.get("points", []) if isinstance(part, dict) else None
            if not isinstance(ident, str) or not isinstance(points, list):
                return None
            out.append((f"{kind}:{ident}", locate(path, data, [*where, "id"])))
            for k, point in enumerate(points):
                if not isinstance(point, dict) or not isinstance(point.get("id"), str):
                    return None
                out.append((f"{kind}:{ident}/{point['id']}", locate(path, data, [*where, "points", k, "id"])))
    return out


def _term_ids_written(path: Path) -> list[tuple[str, SourceRef]]:
    """The term ids that a glossary file which its schema refuses gives, as written, and
    where (its problems are told by `_load_checked`): a term without an id of text, none."""
    text = read_text(path, [])
    data = load_yaml(path, [], text) if text is not None else None
    terms = data.get("terms") if isinstance(data, dict) else None
    return [
        (term["id"], locate(path, data, ["terms", i, "id"]))
        for i, term in enumerate(terms if isinstance(terms, list) else [])
        if isinstance(term, dict) and isinstance(term.get("id"), str)
    ]


def _exclude_patterns(path: Path, config: Any) -> list[Diagnostic]:
    """`exclude_patterns`, Jupyter Book's (or Sphinx's) way to leave files out of a book:
    coursegen writes each book from _toc.yml, its pages only, so a pattern leaves out either
    nothing (`modules/police/*`: the books have no modules/) or a page the table of contents
    lists, which the build stopped on ("toctree contains reference to excluded document")."""
    out = []
    for keys in (["exclude_patterns"], ["sphinx", "config", "exclude_patterns"]):
        if setting(config, keys):
            message = (
                f"'{'.'.join(keys)}': coursegen writes each book from _toc.yml, its pages only; to leave a page "
                "out, take it out of _toc.yml (or build a site for some audiences, with --audience)"
            )
            out.append(Diagnostic(locate(path, config, keys, key=True), message, Code.INVALID_VALUE))
    return out


def _repository_buttons(path: Path, config: Any, base: Any) -> list[Diagnostic]:
    """A button to the course's repository (`html: use_repository_button: true`, the issues'
    and the page's edit ones too) without the repository's address: the build stopped on
    it, told in Jupyter Book's log."""
    if setting(config, ["repository", "url"]) or setting(base, ["repository", "url"]):
        return []
    out = []
    for button in ("use_repository_button", "use_issues_button", "use_edit_page_button"):
        if setting(config, ["html", button]) is True:
            message = (
                f"'html.{button}' shows a link to the course's repository, whose address is not given: "
                "add it under 'repository:' (url: https://…), or remove this line"
            )
            out.append(Diagnostic(locate(path, config, ["html", button]), message, Code.MISSING_KEY))
    return out


def _extension_names(path: Path, config: Any) -> list[Diagnostic]:
    """`sphinx.config.extensions` and `sphinx.extra_extensions`: a name or a list of names
    (`extensions: 5` was an internal error)."""
    out = []
    for keys in (["sphinx", "config", "extensions"], ["sphinx", "extra_extensions"]):
        value = setting(config, keys)
        names = value if isinstance(value, list) else [value]
        if value is not None and not all(isinstance(name, str) and name for name in names):
            message = f"'{'.'.join(keys)}' must be a list of extension names (Python modules), as in [myst_nb]"
            out.append(Diagnostic(locate(path, config, keys), message, Code.WRONG_TYPE))
            continue
        # a list of its own replaces Jupyter Book's, whose settings it always gives (the
        # build stopped on each setting whose extension was left out: a screenful of lines)
        missing = [name for name in BOOK_EXTENSIONS if value is not None and keys[1] == "config" and name not in names]
        if missing:
            message = (
                f"'{'.'.join(keys)}' replaces Jupyter Book's list of extensions, and a book cannot be built "
                f"without {', '.join(BOOK_EXTENSIONS)}: add {', '.join(missing)} (or add extensions "
                "to Jupyter Book's own with sphinx.extra_extensions)"
            )
            out.append(Diagnostic(locate(path, config, keys), message, Code.INVALID_VALUE))
        # a name that Python does not find here: the build stopped on it ("Could not import
        # extension")
        for i, name in enumerate(names if isinstance(value, list) else [value] if value is not None else []):
            if isinstance(name, str) and not _installed(name):
                message = (
                    f"extension '{name}' is not installed with coursegen: Jupyter Book cannot load it "
                    "(install it in coursegen's environment, or leave it out)"
                )
                where = [*keys, i] if isinstance(value, list) else keys
                out.append(Diagnostic(locate(path, config, where), message, Code.INVALID_VALUE))
    if setting(config, ["sphinx", "local_extensions"]) is not None:
        # Jupyter Book looks for them in each book's folder, where coursegen copies no code:
        # the build stopped on "No module named", or dropped them without a word
        message = (
            "local_extensions: a book does not hold the course's Python code, and cannot load it; install the "
            "extension as a package in coursegen's environment, and name it in sphinx.extra_extensions"
        )
        out.append(
            Diagnostic(locate(path, config, ["sphinx", "local_extensions"], key=True), message, Code.INVALID_VALUE)
        )
    for keys in (["parse", "myst_enable_extensions"], ["sphinx", "config", "myst_enable_extensions"]):
        chosen = setting(config, keys)
        given = setting(config, keys[:-1])
        if chosen is None and isinstance(given, dict) and keys[-1] in given:  # Jupyter Book stopped on it
            message = f"{keys[-1]} is left empty: give a list ([colon_fence]), or leave the key out"
            out.append(Diagnostic(locate(path, config, keys), message, Code.WRONG_TYPE))
        for i, name in enumerate(chosen if isinstance(chosen, list) else []):
            if not isinstance(name, str):
                continue
            if name in ("dollarmath", "amsmath"):
                # MyST's math extensions make formulas of a page's text ($500 … $300 too),
                # which an offline site cannot draw: no MathJax (see directives.refused)
                message = (
                    f"'{name}' makes formulas of a page's text, which this offline site cannot draw (it holds no "
                    "MathJax, and its pages would show TeX): leave it out, and write formulas as text"
                )
            elif name not in MYST_EXTENSIONS and not _myst_extension(name):  # MyST refuses it: the build stopped
                known = [n for n in MYST_EXTENSIONS if n not in ("dollarmath", "amsmath") and _myst_extension(n)]
                near = difflib.get_close_matches(name, known, 1, 0.6)
                message = f"unknown MyST extension '{name}'" + (
                    f" (did you mean '{near[0]}'?)" if near else f" (MyST's: {', '.join(known)})"
                )
            else:
                continue
            out.append(Diagnostic(locate(path, config, [*keys, i]), message, Code.INVALID_VALUE))
    theme = setting(config, ["sphinx", "config", "html_theme"])
    given = setting(config, ["sphinx", "config"])
    if isinstance(given, dict) and "html_theme" in given and (not isinstance(theme, str) or not theme.strip()):
        message = "html_theme must be a theme's name: leave it out (the site is built with Jupyter Book's theme)"
        out.append(Diagnostic(locate(path, config, ["sphinx", "config", "html_theme"]), message, Code.WRONG_TYPE))
    elif isinstance(theme, str) and theme != "sphinx_book_theme" and theme in _installed_themes():
        message = (
            f"html_theme: the site is built with Jupyter Book's theme, sphinx_book_theme, whose options "
            f"Jupyter Book always gives, and {str(theme)[:40]!r} would refuse: leave html_theme out"
        )
        out.append(Diagnostic(locate(path, config, ["sphinx", "config", "html_theme"]), message, Code.INVALID_VALUE))
    return out


def _installed(module: str) -> bool:
    """Whether Python finds `module` (`sphinx.ext.todo`) here, without importing it nor its
    packages (importing `this` prints a poem; `sphinx.__main__` runs Sphinx)."""
    import sys
    from importlib.machinery import PathFinder
    from importlib.util import find_spec

    parts = module.split(".")
    if not all(part.isidentifier() for part in parts):
        return False
    spec: Any = None
    for n in range(1, len(parts) + 1):
        name = ".".join(parts[:n])
        if name in sys.modules:
            spec = getattr(sys.modules[name], "__spec__", None)
        else:
            where = None if n == 1 else getattr(spec, "submodule_search_locations", None)
            if n > 1 and not where:
                return False  # a module, not a package: it holds no other
            try:
                spec = PathFinder.find_spec(name, where) if n > 1 else find_spec(name)
            except (ImportError, ValueError):
                return False
        if spec is None:
            return False
    return True


MYST_EXTENSIONS = (
    "amsmath", "attrs_block", "attrs_image", "attrs_inline", "colon_fence", "deflist", "dollarmath",
    "fieldlist", "html_admonition", "html_image", "linkify", "replacements", "smartquotes",
    "strikethrough", "substitution", "tasklist",
)  # fmt: skip
"""MyST's syntax extensions, as suggestions for a name it refuses (MyST itself judges each:
a name is suggested only when it takes it)."""


@cache
def _myst_extension(name: str) -> bool:
    """Whether MyST takes `name` as one of its syntax extensions (its own check)."""
    from myst_parser.config.main import MdParserConfig

    try:
        MdParserConfig(enable_extensions={name})
    except (TypeError, ValueError):
        return False
    return True


def _installed_themes() -> set[str]:
    """The HTML themes Sphinx finds here: its own, and those installed as packages (a name
    it does not find is Sphinx's to tell, at the setting: see assemble.py)."""
    from importlib.metadata import entry_points
    from importlib.util import find_spec

    spec = find_spec("sphinx")
    folders = [Path(p) / "themes" for p in (spec.submodule_search_locations or [])] if spec else []
    own = {t.name for folder in folders if folder.is_dir() for t in folder.iterdir() if t.is_dir()}
    return own | {e.name for e in entry_points(group="sphinx.html_themes")}


BOOK_EXTENSIONS = ("myst_nb", "jupyter_book", "sphinx_comments", "sphinx_external_toc")
"""The extensions whose settings Jupyter Book always gives (measured: a list without one
of them stopped the build on those settings)."""


BOOK_FOLDERS = ("html_static_path", "html_extra_path", "templates_path", "html_theme_path", "locale_dirs")
"""Of PATH_SETTINGS, the folders: a book's folder holds none of the course's own."""


def _machine_paths(path: Path, config: Any) -> list[Diagnostic]:
    """Settings that would have the build read files of the machine outside the course's
    book, and put them in the site: `html_static_path: [/etc]` copied the machine's files
    into every site and SCORM package built from the course. A path must stay in the book's
    own folder: relative, never climbing out of it (`..`). So must the folders of
    `local_extensions` (Python code that the build runs)."""
    out = []
    sphinx = setting(config, ["sphinx"])
    named: list[tuple[list[Any], Any]] = [(["bibtex_bibfiles"], setting(config, ["bibtex_bibfiles"]))]
    if isinstance(sphinx, dict):
        named += [(["sphinx", "config", key], setting(sphinx, ["config", key])) for key in PATH_SETTINGS]
        extensions = sphinx.get("local_extensions")
        if isinstance(extensions, dict):
            named += [(["sphinx", "local_extensions", name], value) for name, value in extensions.items()]
    for keys, value in named:
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            if not isinstance(item, str) or re.match(r"^[a-zA-Z][\w+.-]*://", item):
                continue  # an address: offline's matter
            folder = keys[-1] in BOOK_FOLDERS
            outside = Path(item).is_absolute() or ".." in re.split(r"[\\/]", item) or item.startswith("~")
            if folder or outside:
                where = locate(path, config, [*keys, i] if isinstance(value, list) else keys)
                name = ".".join(str(k) for k in keys)
                if keys[1:2] == ["local_extensions"]:
                    what = f"the build would run the Python code there ({name}): leave it out"
                elif not outside:  # a folder of the book
                    message = (
                        f"'{item}' names a folder of the course's book ({name}), which holds only what coursegen "
                        "writes there: put pictures and PDFs in modules/, the logo and favicon under `logo:` "
                        "and `html: favicon:`"
                    )
                    out.append(Diagnostic(where, message, Code.INVALID_VALUE))
                    continue
                else:
                    what = (
                        f"the build would read it and copy it into the site ({name}): put pictures and PDFs "
                        "in modules/, the logo and favicon under `logo:` and `html: favicon:`"
                    )
                message = f"'{item}' names a place on this machine outside the course's book: {what}"
                out.append(Diagnostic(where, message, Code.PATH_ESCAPE))
    return out


def _pass_mark_fraction(path: Path, config: Any) -> list[Diagnostic]:
    """`pass_mark: 0.8`, a fraction where a percent is meant: every trainee who scored more
    than 0.8 % passed, in the site and in a SCORM package, without a word."""
    value = setting(config, ["course", "pass_mark"])
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        return []
    percent = f"{value * 100:g}"
    message = (
        f"pass_mark is a percent of a quiz's points: {value} is {value} %, and a trainee passes with almost "
        f"no right answer; write {percent} for {percent} %"
    )
    return [Diagnostic(locate(path, config, ["course", "pass_mark"]), message, Code.INVALID_VALUE)]


def _theme_logo(path: Path, config: Any) -> list[Diagnostic]:
    """The theme's `logo` settings (under `html_theme_options`), which the build stopped on
    when they were not what the theme reads: a mapping (`logo: "img/logo.png"` there stopped
    it, "Incorrect logo config type"), whose light and dark logos are paths (a number or a
    list stopped it too)."""
    keys = ["sphinx", "config", "html_theme_options", "logo"]
    value = setting(config, keys)
    if value is None:
        return []
    if not isinstance(value, dict):
        message = (
            "the theme's logo settings go on the lines below 'logo:' (image_light:, image_dark:, text:, alt_text:); "
            "the course's own logo is `logo:` at the top of _config.yml"
        )
        return [Diagnostic(locate(path, config, keys), message, Code.WRONG_TYPE)]
    return [
        Diagnostic(locate(path, config, [*keys, name]), f"{name}: a file's path in the course folder", Code.WRONG_TYPE)
        for name in ("image_light", "image_dark")
        if value.get(name) is not None and not isinstance(value.get(name), str)
    ]


def _own_assets(path: Path, config: Any) -> list[Diagnostic]:
    """`html_css_files` and `html_js_files` name files of the site's `_static/` folder, which
    holds only the theme's and coursegen's (a course has no static folder of its own: see
    `_machine_paths`): every page would load a file that is not there, and the build says
    nothing of it. An address is `offline`'s matter."""
    out = []
    for key in ("html_css_files", "html_js_files"):
        value = setting(config, ["sphinx", "config", key])
        for i, item in enumerate(value if isinstance(value, list) else [value] if isinstance(value, str) else []):
            name = item[0] if isinstance(item, list) and item else item  # [name, attributes]
            if not isinstance(name, str) or "://" in name or name.startswith("//"):
                continue  # an address (Sphinx takes a name with '://' as one): offline's matter
            kind = "style sheet" if key == "html_css_files" else "script"
            message = (
                f"'{name}' ({key}) would be loaded by every page from the site's _static folder, which holds only "
                f"the theme's and coursegen's files: a course cannot add its own {kind} to the site; leave it out"
            )
            where = [key, i] if isinstance(value, list) else [key]
            out.append(Diagnostic(locate(path, config, ["sphinx", "config", *where]), message, Code.INVALID_VALUE))
    return out


def _config_files(
    root: Path, config: Any, diags: list[Diagnostic], clashes: list[tuple[list[str], list[str], Diagnostic]]
) -> dict[str, tuple[str, bytes]]:
    """The files named by _config.yml's `logo` and `html.favicon`, by their path from the
    course folder, which becomes their path in each book: Jupyter Book reads them from the
    book's folder (the build stopped there, on the file it did not find). One missing, or
    outside the course folder, is said. An address on the network is `offline`'s matter.
    Two files of the same name go to `clashes` (the settings, and what to say), told once
    the country profile is read: the organisation's logo replaces the file of `logo`."""
    found: dict[str, tuple[str, bytes]] = {}
    named: dict[str, tuple[Path, list[str]]] = {}  # a file name, and the first file and setting of that name
    for keys in CONFIG_FILES:
        value = setting(config, keys)
        if not isinstance(value, str) or not value or re.match(r"^(?:[a-zA-Z][\w+.-]*:|//)", value):
            continue
        ref = locate(root / "_config.yml", config, keys)
        target = _inside(root, value, ref, diags)
        if target is not None and target.is_file():
            first, said = named.setdefault(target.name, (target.resolve(), keys))
            if first != target.resolve():  # the site keeps each as _static/NAME: one shown for both
                message = (
                    f"'{value}' has the same file name as the file that {'.'.join(said)} names: the site keeps "
                    f"each under its file name alone (_static/{target.name}), and would show one of them for "
                    "both; give the two files different names"
                )
                clashes.append((said, keys, Diagnostic(ref, message, Code.INVALID_VALUE)))
        if target is not None and not target.is_file():
            message = f"file '{value}' not found in the course folder ({'.'.join(keys)} names it){near_file(target)}"
            diags.append(Diagnostic(ref, message, Code.MISSING_FILE))
        elif target is not None and (target.suffix.lower() not in IMAGE_SUFFIXES or _picture(target, ref, diags)):
            # by what the setting says: its place in the course folder, and the file
            found[value] = (target.relative_to(root).as_posix(), target.read_bytes())
    return found


def _picture(target: Path, ref: SourceRef, diags: list[Diagnostic]) -> bool:
    """Whether the file a setting at `ref` names is a picture that browsers show; what is
    wrong with it is told at the file, and the setting named."""
    wrong = pictures.problem(target.read_bytes(), target.suffix)
    if wrong is None:
        return True
    message, line, col = wrong
    named = f"{ref.path.name}:{ref.line} names it"
    diags.append(Diagnostic(SourceRef(target, line, col), f"{message} ({named})", Code.FILE_ENCODING))
    return False


def near_file(target: Path) -> str:
    """What a file not found likely is, told after its "not found": a file of its folder
    named the same but for capitals, or the same name saved in Latin-1 (`caf\\xe9.png`,
    copied from an older system), which no UTF-8 name matches."""
    try:
        names = sorted(p.name for p in target.parent.iterdir() if p.is_file())
    except OSError:
        return ""
    for name in names:
        raw = os.fsencode(name)
        if name != shown(name) and raw.decode("latin-1") == target.name:
            return f"; '{shown(name)}' is there, its name not in UTF-8: rename it {target.name}"
        if name.casefold() == target.name.casefold():
            return f"; did you mean '{name}'? (capitals count)"
    return ""


def _inside(root: Path, rel: str, ref: SourceRef, diags: list[Diagnostic]) -> Path | None:
    """`root / rel` when it stays inside the course folder; else a diagnostic and None."""
    target = (root / rel).resolve()
    if Path(rel).is_absolute() or not target.is_relative_to(root):
        diags.append(Diagnostic(ref, f"path '{rel}' points outside the course folder", Code.PATH_ESCAPE))
        return None
    return target


INPUT_FOLDERS = {
    "modules": "its pages, diagrams and pictures are not read",
    "quizzes": "its question banks are not read",
    "sources": "its sources are not read",
    "templates": "its templates are not read",
}
"""The course folder's folders that coursegen reads, and what a folder among them that
cannot be read keeps from the course."""


def _unread_folders(root: Path, diags: list[Diagnostic]) -> None:
    """The folders that coursegen reads which cannot be read or entered (their permissions:
    a folder copied from another account), each told once, a linked one too: `quizzes/`,
    `sources/` and `templates/`, and `modules/` with its folders but those it leaves alone
    (`_drafts/`, `.ipynb_checkpoints/`). Python's globs skip them without a word: the table
    of contents' pages were "not there", and a page's quiz() gave Python's PermissionError.
    Folders that coursegen does not read (`sources/seed/`) are none of its business."""
    seen: set[str] = set()

    def visit(folder: Path, top: str) -> None:
        real = os.path.realpath(folder)
        if real in seen:
            return  # linked twice, or into itself
        seen.add(real)
        try:
            if locked(folder):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
            entries = list(os.scandir(folder)) if top == "modules" else []
        except OSError as exc:
            message = (
                f"cannot read folder: {exc.strerror}: {INPUT_FOLDERS[top]} (give your account the right to read it)"
            )
            diags.append(Diagnostic(SourceRef(folder), message, Code.MISSING_FILE))
            return
        for entry in entries:
            with contextlib.suppress(OSError):  # (a link to nowhere: not a folder)
                if not entry.name.startswith((".", "_")) and entry.is_dir():
                    visit(Path(entry.path), top)

    for name in INPUT_FOLDERS:
        if os.path.isdir(root / name):
            visit(root / name, name)


def _in_unread_folder(path: Path, top: Path, known: dict[Path, bool]) -> bool:
    """Whether a folder between `top` and `path` cannot be read or entered (told by
    `_unread_folders`); `known` keeps the folders' answers."""
    for folder in path.parents:
        if folder == top or not folder.is_relative_to(top):
            return False
        if folder not in known:
            known[folder] = locked(folder)
        if known[folder]:
            return True
    return False


def _load_modules(
    modules: Path, languages: list[str], diags: list[Diagnostic], confine: Path | None = None
) -> tuple[dict[tuple[str, str], Page], dict[tuple[str, str], Diagram]]:
    """Pages and diagrams under `modules`. A page that links outside the course folder is
    refused (`_confined`); with `confine`, so is a linked folder leading outside it."""
    pages: dict[tuple[str, str], Page] = {}
    diagrams: dict[tuple[str, str], Diagram] = {}
    if locked(modules):
        return pages, diagrams  # told by `_unread_folders`
    unread: dict[Path, bool] = {}
    if not modules.is_dir():
        diags.append(Diagnostic(SourceRef(modules), "the course has no modules/ folder", Code.MISSING_FILE))
        return pages, diagrams
    found = set(modules.rglob("*.md"))  # not in linked folders, which rglob does not enter
    found = {p for p in found if not _in_unread_folder(p, modules, unread)}  # its folder told
    # `intro.fr.MD`, `intro.fr.markdown`, `intro.fr.md.txt` (as Notepad saves it): not read,
    # and not a word said
    for path in sorted(modules.rglob("*")):
        rel = path.relative_to(modules)
        misnamed = re.fullmatch(r"([^.]+\.[a-zA-Z]{2})\.(md|markdown)(\.txt)?", rel.name, re.IGNORECASE)
        if (
            misnamed
            and path.suffix != ".md"
            and not any(part.startswith((".", "_")) for part in rel.parts)
            and not _in_unread_folder(path, modules, unread)
            and path.is_file()
        ):
            name = f"{misnamed[1]}.md"
            name = name.lower() if PAGE_NAME.match(name.lower()) else name
            message = f"pages are read from .md files only: this one is not read (rename it {name})"
            diags.append(Diagnostic(SourceRef(path), message, Code.MISSING_FILE))
    linked = [*modules.iterdir(), *(p for p in modules.glob("*/*") if not _in_unread_folder(p, modules, unread))]
    for folder in sorted(p for p in linked if p.is_symlink() and there(p, "folder")):
        if confine is not None and not _leads_into(folder, confine):  # said once, for the folder
            message = "this folder links to a place outside the course folder"
            diags.append(Diagnostic(SourceRef(folder), message, Code.PATH_ESCAPE))
        elif folder.parent == modules and not locked(folder):  # a part's folder, linked
            found.update(folder.glob("*.md"))  # from elsewhere in the course (a locked one is told)
    for path in sorted(found):
        rel = path.relative_to(modules)
        if any(part.startswith((".", "_")) for part in rel.parts) or rel.name.lower() == "readme.md":
            continue
        match = PAGE_NAME.match(rel.name)
        if match is None or len(rel.parts) > 2:
            diags.append(Diagnostic(SourceRef(path), _page_name_problem(rel), Code.INVALID_VALUE))
            continue
        lang = match["lang"]
        if lang not in schema.LANG_NAMES:  # `intro.de.md`, `intro.em.md`: never built, said
            message = (
                f"'{lang}' is not a language coursegen builds ({', '.join(schema.LANG_NAMES)}): this page is "
                f"not read (rename it {match['name']}.fr.md or {match['name']}.en.md)"
            )
            diags.append(Diagnostic(SourceRef(path), message, Code.INVALID_VALUE))
            continue
        if lang not in languages:  # a translation the course does not build (yet)
            continue
        area = rel.parts[0] if len(rel.parts) == 2 else COMMON
        key = "modules/" + "/".join([*rel.parts[:-1], match["name"]])
        if not _confined(path, diags):  # said; the page is there, not readable
            pages[(key, lang)] = Page(key=key, lang=lang, area=area, path=path, text="", readable=False)
            continue
        text = read_text(path, diags, PAGE_MAX_BYTES, PAGE_LIMIT_WHY)
        if text is not None and (control := _CONTROL.search(text)) is not None:
            line, col = text_position(text, control.start())
            message = (
                f"the control character U+{ord(control.group()):04X} is not allowed in a page (pasted by mistake?)"
            )
            diags.append(Diagnostic(SourceRef(path, line, col), message, Code.FILE_ENCODING))
        pages[(key, lang)] = Page(key=key, lang=lang, area=area, path=path, text=text or "", readable=text is not None)
    for path in sorted(p for p in modules.glob("*/diagrams/*.yml") if not _in_unread_folder(p, modules, unread)):
        if _name_not_utf8(path, modules, diags):
            continue
        data = _load_checked(path, "diagram", diags)
        if data is not None:
            area = path.parent.parent.name
            diagrams[(area, path.stem)] = Diagram(area=area, name=path.stem, data=data, path=path)
    return pages, diagrams


def _page_name_problem(rel: Path) -> str:
    """Why the file `rel` (its path from modules/) is not named as a page is."""
    if len(rel.parts) > 2:
        return "a page must be modules/<area>/<name>.<lang>.md: one folder below modules/, not deeper"
    stem = rel.name[: -len(".md")]
    name, _, lang = stem.rpartition(".")
    if not name or not re.fullmatch(r"[a-z]{2}", lang):
        base = name or stem
        return f"a page's file name ends with its language: {base}.fr.md, {base}.en.md"
    wrong = list(dict.fromkeys(c for c in name if not re.fullmatch(r"[a-z0-9_-]", c)))
    if not wrong:  # only its first character: `-intro` (`_draft` is left out, as a draft)
        return "a page's name begins with a lowercase letter or a digit"
    held = ", ".join(
        f"a byte that is not UTF-8, {shown(c)}" if "\udc80" <= c <= "\udcff"  # see errors.shown
        else "a space" if c.isspace() else f"'{c}'"
        for c in wrong[:4]
    )  # fmt: skip
    lower = name.lower()
    hint = f": rename it {lower}.{lang}.md" if PAGE_NAME.match(f"{lower}.{lang}.md") else ""
    return (
        "a page's name becomes its web address: lowercase letters a-z, digits, '-' and '_' only "
        f"(this one holds {held}){hint}"
    )


PAGE_FILE_SUFFIXES = (*IMAGE_SUFFIXES, ".pdf")
"""The files of modules/ that pages show or link to by their path (`![photo](img/a.png)`):
each book holds a copy, at that path from the pages' folder."""


def _terms_twice(path: Path, data: Any, builtin: list[dict[str, Any]], languages: list[str]) -> list[Diagnostic]:
    """A word that the glossary defines twice, under two ids (in this file, or in this file
    and the built-in glossary it adds to): a trainee who looks it up finds two entries,
    which may say different things. In the course's languages: a French-only course's
    English words are in no book."""
    out = []
    for lang, name in schema.LANG_NAMES.items():
        if lang not in languages:
            continue
        first: dict[str, tuple[str, int | None]] = {
            " ".join(str(term[lang]["term"]).split()).casefold(): (str(term["id"]), None)
            for term in builtin
            if isinstance(term.get(lang), dict)
        }
        for i, term in enumerate(data["terms"]):
            word = " ".join(str(term[lang]["term"]).split()).casefold()
            ref = locate(path, data, ["terms", i, lang, "term"])
            if word in first and first[word][0] != term["id"]:
                ident, line = first[word]
                by = (
                    f"by '{ident}' (line {line}): give each word one entry"
                    if line is not None
                    else f"by the built-in glossary's '{ident}': give each word one entry (to change its "
                    f"definition, give yours the id '{ident}')"
                )
                out.append(
                    Diagnostic(
                        ref,
                        f"the {name} term '{term[lang]['term'].strip()}' of '{term['id']}' is defined already, {by}",
                        Code.DUPLICATE_ID,
                    )
                )
            first.setdefault(word, (str(term["id"]), ref.line))
    return out


def _module_files(modules: Path, diags: list[Diagnostic]) -> dict[str, bytes]:
    """The pictures and documents under `modules`, by their path from it (which is their
    path in each book, as the pages' own). One too large is said, as for any file."""
    files: dict[str, bytes] = {}
    if not modules.is_dir() or locked(modules):
        return files  # (told by `_unread_folders`)
    unread: dict[Path, bool] = {}
    for path in sorted(modules.rglob("*")):
        rel = path.relative_to(modules)
        if path.suffix.lower() not in PAGE_FILE_SUFFIXES or any(part.startswith((".", "_")) for part in rel.parts):
            continue
        if _in_unread_folder(path, modules, unread):
            continue  # (told by `_unread_folders`)
        if not path.is_file() or _name_not_utf8(path, modules, diags) or not _confined(path, diags):
            continue
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                message = f"the file is too large ({sizes(size, MAX_BYTES)})"
                diags.append(Diagnostic(SourceRef(path), message, Code.FILE_TOO_LARGE))
                continue
            data = path.read_bytes()
        except OSError as exc:
            diags.append(
                Diagnostic(SourceRef(path), f"cannot read the file ({exc.strerror or exc})", Code.MISSING_FILE)
            )
            continue
        wrong = pictures.problem(data, path.suffix)
        if wrong is not None:  # left out, as a file not read: the page that shows it is not told "no such file"
            message, line, col = wrong
            diags.append(Diagnostic(SourceRef(path, line, col), message, Code.FILE_ENCODING))
            continue
        files[rel.as_posix()] = data
    return files


def _written_languages(path: Path) -> list[str] | None:
    """`course.languages` as a _config.yml that cannot be used writes them, when they are
    right (a French-only course whose settings have a problem is not asked the English of
    its table of contents)."""
    data = yamlfile.load_yaml(path, []) if path.is_file() else None
    course = data.get("course") if isinstance(data, dict) else None
    given = course.get("languages") if isinstance(course, dict) else None
    return list(given) if given is not None and schema.valid_course_value("languages", given) else None


def _files_alone(root: Path, diags: list[Diagnostic], languages: list[str] | None) -> None:
    """With a _config.yml or _toc.yml that cannot be used, the course cannot be put
    together; the course folder's other files are still read, each checked against its
    own schema, so that their problems are said in the same run (what needs the course,
    as its ids, is said once it can be read; a missing translation, only when the
    course's languages are known)."""
    found: list[Diagnostic] = []
    for name in SOURCE_FILES:
        if (root / "sources" / f"{name}.yml").exists():
            _load_checked(root / "sources" / f"{name}.yml", name, found)
    for name, schema_name in (("country.yml", "country"), ("modules/common/glossary.yml", "glossary")):
        if (root / name).exists():
            _load_checked(root / name, schema_name, found)
    if (root / "quizzes").is_dir():
        for path in sorted((root / "quizzes").glob("*.yml")):
            _load_checked(path, "quiz", found, languages)
    if (root / "modules").is_dir():
        _load_modules(root / "modules", languages or ["fr", "en"], found, root)
    diags += [d for d in found if languages is not None or d.code != Code.MISSING_TRANSLATION]


def _load_questions(
    folder: Path,
    diags: list[Diagnostic],
    languages: list[str],
    unsound: list[tuple[Question, frozenset[str]]] | None = None,
) -> list[Question]:
    """The questions of every bank in `folder`; with `unsound`, the questions that their
    bank's schema rejects are added to it, with where it rejects something in them."""
    questions: list[Question] = []
    if not folder.is_dir():
        if folder.exists():
            message = "quizzes is a file, not a folder: the quiz banks are quizzes/<audience>.yml"
            diags.append(Diagnostic(SourceRef(folder), message, Code.MISSING_FILE))
        return questions
    if locked(folder):
        return questions  # told by `_unread_folders`
    for path in sorted(folder.glob("*.yaml")):
        message = f"quiz banks are read from .yml files only: this one is not read (rename it {path.stem}.yml)"
        diags.append(Diagnostic(SourceRef(path), message, Code.MISSING_FILE))
    for path in sorted(folder.glob("*.yml")):
        if _name_not_utf8(path, folder, diags):
            continue
        dropped: list[tuple[int, Any, Any]] = []
        data = _load_checked(path, "quiz", diags, languages, dropped)
        if data is None:
            continue
        plain = json.loads(json.dumps(data))
        for i, item in enumerate(plain["items"]):
            questions.append(Question(item["id"], path.stem, item, data, path, ["items", i]))
        if unsound is not None and dropped:
            rejected = schema.rejected_paths(dropped[0][2], "quiz")
            for i, item, written in dropped:
                try:
                    raw = json.loads(json.dumps(item))
                except (TypeError, ValueError):  # a value JSON cannot hold (a date): its schema said so
                    continue
                if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    unsound.append(
                        (
                            Question(raw["id"], path.stem, raw, written, path, ["items", i]),
                            frozenset(rejected.get(i, {"*"})),
                        )
                    )
    return questions


# --- sources/*.yml → Source items ---------------------------------------------------------


def _text(value: Any) -> Text:
    return {str(k): str(v) for k, v in value.items()}


def _join(prefix: Text, suffix: Text, sep: str = ", ") -> Text:
    return {lang: f"{prefix[lang]}{sep}{suffix[lang]}" for lang in prefix}


def _read_actions(data: MarkedDict, path: Path) -> list[Source]:
    out = []
    for i, a in enumerate(data["actions"]):
        label = _join(_text(data["source"]), {"fr": f"action {a['id']}", "en": f"action {a['id']}"})
        out.append(
            Source(
                id=f"action:{a['id']}",
                kind="action",
                title=_text(a["headline"]),
                text=_text(a["text"]),
                label=label,
                ref=locate(path, data, ["actions", i, "id"]),
                translated=[str(lang) for lang in a.get("translated", [])],
            )
        )
    return out


def _read_practices(data: MarkedDict, path: Path) -> list[Source]:
    out = []
    for i, p in enumerate(data["practices"]):
        pid = f"practice:{p['id']}"
        sep = {"fr": " : ", "en": ": "}
        label = {lang: f"{data['source'][lang]}{sep.get(lang, ': ')}{p['title'][lang]}" for lang in data["source"]}
        translated = [str(lang) for lang in data.get("translated", [])]
        item = Source(
            pid,
            "practice",
            _text(p["title"]),
            _text(p["text"]),
            label,
            locate(path, data, ["practices", i, "id"]),
            translated=translated,
        )
        out.append(item)
        for j, point in enumerate(p.get("points", [])):
            child = Source(
                id=f"{pid}/{point['id']}",
                kind="practice",
                title=_text(p["title"]),
                text=_text(point["text"]),
                label=label,
                ref=locate(path, data, ["practices", i, "points", j, "id"]),
                role=point["role"],
                parent=pid,
                translated=translated,
            )
            item.points.append(child.id)
            out.append(child)
    return out


def _read_sdgs(data: MarkedDict, path: Path) -> list[Source]:
    out = []
    for i, goal in enumerate(data["goals"]):
        for j, t in enumerate(goal["targets"]):
            tid = t["id"]
            label = {
                "fr": f"Objectif de développement durable {goal['goal']} ({goal['title']['fr']}), cible {tid}",
                "en": f"Sustainable Development Goal {goal['goal']} ({goal['title']['en']}), target {tid}",
            }
            title = {"fr": f"Cible {tid} des ODD", "en": f"SDG target {tid}"}
            ref = locate(path, data, ["goals", i, "targets", j, "id"])
            out.append(Source(f"sdg:{tid}", "sdg", title, _text(t["text"]), label, ref))
    return out


def _read_definitions(data: MarkedDict, path: Path) -> list[Source]:
    out = []
    for i, d in enumerate(data["definitions"]):
        did = f"definition:{d['id']}"
        label = _text(d["citation"])
        item = Source(
            did, "definition", _text(d["title"]), _text(d["text"]), label, locate(path, data, ["definitions", i, "id"])
        )
        out.append(item)
        for j, point in enumerate(d.get("points", [])):
            child = Source(
                id=f"{did}/{point['id']}",
                kind="definition",
                title=_text(point["title"]),
                text=_text(point["text"]),
                label=label,
                ref=locate(path, data, ["definitions", i, "points", j, "id"]),
                parent=did,
            )
            item.points.append(child.id)
            out.append(child)
    return out


_SOURCE_READERS = {
    "actions": _read_actions,
    "practices": _read_practices,
    "sdgs": _read_sdgs,
    "definitions": _read_definitions,
}
