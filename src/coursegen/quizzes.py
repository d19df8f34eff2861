"""Question banks as the outputs need them: selected for a build, in public form, counted."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .grading import item_salt, normalise, public_item, shown_steps
from .model import COMMON, Course, Question
from .quizhtml import letter, shown_order


def selected(course: Course, audiences: list[str]) -> list[Question]:
    """Questions of the common bank and of the chosen audiences' banks that concern at
    least one chosen audience."""
    banks = {COMMON, *audiences}
    wanted = {"all", *audiences}
    return [q for q in course.questions if q.bank in banks and wanted & set(q.audiences)]


def _letter(i: int) -> str:
    """a, b … z, then aa, ab …: the handout's letters, in small letters."""
    return letter(i).lower()


def lettered(item: dict[str, Any], lang: str) -> dict[str, Any]:
    """A question as a notebook lists it, with the labels the handout gives it, which a
    learner types: a choice's options in the order the site shows them (mixed,
    `quizhtml.shown_order`), lettered a, b, c… in that order; a match's pairs numbered 1,
    2, 3… and its categories lettered a, b, c…; an order's steps lettered in the order
    `lang`'s site shows them. As written in the bank, the ids gave the answer away (the right
    option was 'a' in most questions) or were English words in a French notebook."""
    kind = item.get("type")
    if kind in ("single", "multiple"):
        shown = shown_order(item["id"], item["options"])
        return {**item, "options": [{**o, "id": _letter(i)} for i, o in enumerate(shown)]}
    if kind == "match":
        choices = {c["id"]: _letter(i) for i, c in enumerate(item["choices"])}
        return {
            **item,
            "choices": [{**c, "id": choices[c["id"]]} for c in item["choices"]],
            "pairs": [
                {**p, "id": str(n), "answer": choices.get(p["answer"], p["answer"])}
                for n, p in enumerate(item["pairs"], 1)
            ],
        }
    if kind == "order":
        ids = {s["id"]: _letter(i) for i, s in enumerate(shown_steps(item, item_salt(item, lang)))}
        return {**item, "steps": [{**s, "id": ids[s["id"]]} for s in item["steps"]]}
    return item


def _in_notebook(item: dict[str, Any], lang: str) -> dict[str, Any]:
    """The public form of `item` relabelled for a notebook (`lettered`), with the item's own
    salt (its version, which a notebook's results file gives), its steps listed a, b, c…"""
    public = public_item(lettered(item, lang), lang, salt=item_salt(item, lang))
    if public["type"] == "order":
        public["steps"].sort(key=lambda s: (len(s["id"]), s["id"]))
    return public


def shape(item: dict[str, Any]) -> str:
    """What a response to `item` is made of, and what makes it right, the same in every
    language: its type, the ids of its options, choices, pairs and steps (a step's in the
    right order), and its key. A page's answer is carried to the same question on the other
    language's page when their shapes agree: the ids it holds mean the same there, and it is
    graded the same (a question whose key a rebuild changed is not the same). No text is in
    it: editing one language's texts changes nothing of the other's pages. It tells nothing
    the page's key does not (a digest of the same facts)."""
    ids = {group: [x["id"] for x in item.get(group, [])] for group in ("options", "choices", "pairs", "steps")}
    key = {
        "correct": [o["id"] for o in item.get("options", []) if o.get("correct", False)],
        "pairs": {p["id"]: p["answer"] for p in item.get("pairs", [])},
        "number": [item.get("answer"), item.get("tolerance", 0)],
        "accepted": sorted({normalise(a) for texts in item.get("accepted", {}).values() for a in texts}),
    }
    canonical = json.dumps([item["type"], item["id"], ids, key], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def public_questions(questions: list[Question], lang: str, notebook: bool = False) -> list[dict[str, Any]]:
    """The questions in public form; for a notebook, labelled as the handout labels them."""

    def made(item: dict[str, Any]) -> dict[str, Any]:
        return _in_notebook(item, lang) if notebook else {**public_item(item, lang), "shape": shape(item)}

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
                    "items": [made(sub) for sub in q.data["items"]],
                }
            )
        else:
            out.append({"bank": q.bank, **made(q.data)})
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
