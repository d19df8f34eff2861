"""Question banks as the outputs need them: selected for a build, in public form, counted."""

from __future__ import annotations

import string
from typing import Any

from .grading import public_item
from .model import COMMON, Course, Question
from .quizhtml import shown_order


def selected(course: Course, audiences: list[str]) -> list[Question]:
    """Questions of the common bank and of the chosen audiences' banks that concern at
    least one chosen audience."""
    banks = {COMMON, *audiences}
    wanted = {"all", *audiences}
    return [q for q in course.questions if q.bank in banks and wanted & set(q.audiences)]


def lettered(item: dict[str, Any]) -> dict[str, Any]:
    """A choice question as a notebook lists it: its options in the order the site shows
    them (mixed, `quizhtml.shown_order`), lettered a, b, c… in that order. A notebook shows
    the ids a learner types; as written, they gave the answer away (the right option was
    'a' in most questions, the right ones the first in a multiple choice)."""
    if item.get("type") not in ("single", "multiple"):
        return item
    shown = shown_order(item["id"], item["options"])
    letters = string.ascii_lowercase
    return {**item, "options": [{**o, "id": letters[i] if i < 26 else f"o{i + 1}"} for i, o in enumerate(shown)]}


def public_questions(questions: list[Question], lang: str, notebook: bool = False) -> list[dict[str, Any]]:
    """The questions in public form; for a notebook, choice options lettered as it shows them."""
    made = lettered if notebook else (lambda item: item)
    out = []
    for q in questions:
        if q.data["type"] == "scenario":
            out.append(
                {
                    "id": q.id,
                    "type": "scenario",
                    "bank": q.bank,
                    "title": q.data["title"][lang],
                    "case": q.data["case"][lang],
                    "items": [public_item(made(sub), lang) for sub in q.data["items"]],
                }
            )
        else:
            out.append({"bank": q.bank, **public_item(made(q.data), lang)})
    return out


def report(course: Course) -> list[str]:
    """Lines for `coursegen check`: items per audience and language (the audience's own
    items, and with the common items every audience takes), and which actions and targets
    the items assess."""
    lines = []
    graded = [(q, i) for q in course.questions for i in q.graded()]
    common = [i for q, i in graded if "all" in i.get("audiences", [])]
    for audience in course.audience_ids:
        own = [i for q, i in graded if audience in i.get("audiences", [])]
        counts = ", ".join(f"{lang} {len(own)}" for lang in course.languages)
        total = len(own) + len(common)
        lines.append(f"quiz items for {audience}: {len(own)} of its own ({counts}), {total} with common")
    counts = ", ".join(f"{lang} {len(common)}" for lang in course.languages)
    lines.append(f"quiz items for all audiences (common): {len(common)} ({counts})")
    assessed = {s for _, i in graded for s in i.get("sources", [])}
    for kind, label in (("action", "actions"), ("sdg", "targets")):
        ids = sorted((s.id for s in course.sources.values() if s.kind == kind and not s.parent), key=_natural)
        covered = [i.split(":")[1] for i in ids if any(a == i or a.startswith(i + "/") for a in assessed)]
        missing = [i.split(":")[1] for i in ids if i.split(":")[1] not in covered]
        line = f"{label} assessed by quiz items: {', '.join(covered) or 'none'}"
        lines.append(line + (f" (not assessed: {', '.join(missing)})" if missing else ""))
    return lines


def _natural(ident: str) -> list[object]:
    return [int(p) if p.isdigit() else p for p in ident.replace(".", ":").split(":")]
