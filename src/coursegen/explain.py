"""`coursegen explain`: where each page, question, template and country value came from.

One line per thing: its name, its layer (see `layers`), and its file and line. Paths are
shown relative to the course folder, or as `builtin:PATH` (the built-in course) and
`package:PATH` (coursegen's own files), so that the output is the same on every machine.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from pathlib import Path

from . import layers
from .errors import SourceRef
from .model import Course

LABEL_WIDTH = 48
"""The widest column of labels: a longer label pushes the rest of its line only."""


def where(course: Course, ref: SourceRef) -> str:
    path = ref.path.resolve()
    for root, prefix in ((course.root, ""), (course.base, "builtin:"), (layers.PACKAGE_DIR, "package:")):
        if root is not None and path.is_relative_to(root):
            return f"{prefix}{path.relative_to(root).as_posix()}:{ref.line}"
    return f"{path}:{ref.line}"


def explain(course: Course, name: str | None = None) -> list[str]:
    rows: list[tuple[str, str, str, str]] = []  # section, name, layer, where
    for (key, lang), page in sorted(course.pages.items()):
        rows.append(("page", f"{key} ({lang})", page.layer, where(course, SourceRef(page.path))))
    for q in sorted(course.questions, key=lambda q: (q.bank, q.id)):
        ref = _item_ref(q)
        note = f" ({q.data['type']}, in the {q.bank} quiz)"
        rows.append(("question", q.id + note, q.layer, where(course, ref)))
        if q.data["type"] == "scenario":
            for index, sub in enumerate(q.data["items"]):  # each at its own line, not its scenario's
                note = f" ({sub['type']}, in scenario {q.id})"
                rows.append(("question", sub["id"] + note, q.layer, where(course, _item_ref(q, index))))
    for fact in course.provenance:
        said = {"disabled": "disables ", "replaces built-in": "replaces "}.get(fact.note, f"{fact.note}; was at ")
        note = f"{said}{where(course, fact.replaced)}" if fact.replaced else fact.note
        rows.append((fact.kind, f"{fact.name} ({note})", fact.layer, where(course, fact.ref)))
    for tname, template in sorted(course.templates.items()):
        if tname.startswith("builtin:"):
            continue
        extends = f" (extends builtin:{tname})" if f"builtin:{tname}" in _extended(template.text) else ""
        rows.append(("template", tname + extends, template.layer, where(course, SourceRef(template.path))))
    for key, (layer, ref) in sorted(course.country_origin.items()):
        value = _value(course.country, key)
        if isinstance(value, dict):
            continue  # list its fields, not the mapping
        empty = "" if value else " (empty)"
        rows.append(("country", key + empty, layer, where(course, ref)))
    if name:
        # a page by its name, or its file's (`modules/police/respond.fr.md`, `./modules/…`, a
        # path from elsewhere to the course's file), or by its name alone when only one part has it
        wanted = re.sub(r"(?:\.(?:fr|en))?\.md$", "", name.strip())
        with contextlib.suppress(OSError, ValueError):
            if Path(wanted).is_absolute() or wanted.startswith("./"):
                wanted = Path(wanted).resolve().relative_to(course.root.resolve()).as_posix()
        matching = [r for r in rows if _matches(r[1], wanted)]
        if not matching and "/" not in wanted:  # `recognise`: the pages of that name, in any part
            matching = [r for r in rows if r[0] == "page" and r[1].split(" ")[0].endswith(f"/{wanted}")]
        rows = matching
    out = []
    if name is None:
        base = "the built-in course" if course.base else "nothing (a standalone course)"
        # a standalone course has no built-in layers: its own folder, then coursegen's defaults
        stack = [layers.COURSE, layers.AUDIENCE, layers.COMMON_LAYER] if course.base else [layers.COURSE]
        out += [
            f"course folder: {course.root.name}, based on {base}",
            "layers, highest first: " + " > ".join([*stack, layers.PACKAGE]),
            "",
        ]
    # each section's labels in a column as wide as its own need, up to a terminal's half:
    # a longer label pushes its own line only (a case study's questions set pages 90 wide)
    widths: dict[str, int] = {}
    for section, label, _, _ in rows:
        widths[section] = min(max(widths.get(section, 0), len(label)), LABEL_WIDTH)
    layer_width = max((len(r[2]) for r in rows), default=0)
    for section, label, layer, place in rows:
        out.append(f"{section:<9} {label:<{widths[section]}}  {layer:<{layer_width}}  {place}")
    if name:
        out += _how_to_change(course, rows)
    return out


def _how_to_change(course: Course, rows: list[tuple[str, str, str, str]]) -> list[str]:
    """For a built-in page, template or question that `explain` was asked about: where its
    file is on this machine, and where a copy in the course folder replaces it."""
    out = []
    for section, label, _, place in rows:
        prefix, _, rest = place.partition(":")
        rel = rest.rsplit(":", 1)[0]
        root = {"builtin": course.base, "package": layers.PACKAGE_DIR}.get(prefix)
        if root is None or section not in ("page", "template", "question"):
            continue  # the course folder's own: change it where it is
        if section == "question":
            bank = Path(rel).name
            scenario = re.search(r"in scenario (\S+)\)$", label)  # overridden whole, with its scenario
            whole = f"its scenario {scenario[1]}" if scenario else "it"
            out.append(
                f"to change question {label.split()[0]}: copy {whole} whole from {root / rel} into quizzes/{bank} "
                f"of your course folder, and add 'override: true' to {'the scenario' if scenario else 'it'}"
            )
        else:
            target = rel if section == "page" else f"templates/{Path(rel).name}"
            change = f"to change {section} {label.split()[0]}: copy {root / rel} to {target} in your course folder"
            if section == "template":  # or extend it, which keeps the rest as it is
                change += f' (or begin that file with {{% extends "builtin:{Path(rel).name}" %}} and change a block)'
            out.append(change)
    return ["", *dict.fromkeys(out)] if out else []


def closest_name(course: Course, name: str) -> str | None:
    """The name of a page, question, template or country field most like `name`."""
    names = {row.split()[1] for row in explain(course) if row and not row.startswith(("course folder", "layers"))}
    wanted = name.strip().removeprefix("modules/")
    candidates = {n.removeprefix("modules/"): n for n in names}
    near = difflib.get_close_matches(wanted, candidates, 1, 0.6)
    if not near:  # `pol-myth`: the start of an id
        near = sorted(n for n in candidates if n.startswith(wanted))[:1]
    return candidates[near[0]] if near else None


def _value(data: object, key: str) -> object:
    for part in key.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _item_ref(q: object, sub: int | None = None) -> SourceRef:
    """Where a question's id is written; with `sub`, that of its scenario's sub-question."""
    from .yamlfile import locate

    inside = ["items", sub] if sub is not None else []
    return locate(q.path, q.marks, [*q.where, *inside, "id"])  # type: ignore[attr-defined]


def _matches(label: str, wanted: str) -> bool:
    key = label.split(" ")[0]
    return key == wanted or key == f"modules/{wanted}" or key.startswith(wanted + ".")


def _extended(text: str) -> set[str]:
    """The templates that a template's `{% extends %}` names (none when it cannot be read:
    `check` says why), from Jinja's own parse, not from its text: a comment may show how."""
    import jinja2
    from jinja2 import nodes

    try:
        tree = jinja2.Environment().parse(text)
    except jinja2.TemplateSyntaxError:
        return set()
    return {str(node.template.value) for node in tree.find_all(nodes.Extends) if isinstance(node.template, nodes.Const)}
