"""GIFT export: read back with an independent parser (tests/giftparse.py), every item of the
default course keeps its key, feedback and texts; special characters survive; a tampered
export is caught."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, ROOT
from coursegen.exporters import Selection
from coursegen.exporters.gift import export
from coursegen.loading import load_course
from coursegen.model import Course, Question
from giftparse import GiftError, GiftQuestion, parse

LANGS = ("fr", "en")
# Moodle's list of grades (question_bank::fraction_options_full), in percent: an import
# refuses a weight that is not on it.
MOODLE_GRADES = {100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571}
MOODLE_GRADES |= {12.5, 11.11111, 10, 5, 0}


def load(root: Path) -> Course:
    course, problems = load_course(root)
    assert course is not None and not problems, problems
    return course


@pytest.fixture(scope="module")
def course() -> Course:
    return load(ROOT)


@pytest.fixture
def fixture_course() -> Course:
    return load(FIXTURES / "minimal")


# --- what Moodle should import, from the bank and from the parsed GIFT --------------------


def expected(question: Question, item: dict[str, Any], lang: str) -> dict[str, Any]:
    """The question as the bank says it should be imported, in the parser's terms."""
    kind = item["type"]
    text = item["prompt"][lang]
    if question.data["type"] == "scenario":
        text = f"{question.data['title'][lang]}\n\n{question.data['case'][lang]}\n\n{text}"
    out: dict[str, Any] = {
        "name": item["id"],
        "format": "plain",
        "text": text,
        "sources": [f"source:{s}" for s in item["sources"]],
        "audiences": [f"audience:{a}" for a in item["audiences"]],
        "general": item["explanation"][lang],
        "kind": {"single": "multichoice", "multiple": "multichoice", "order": "match"}.get(kind, kind),
        "single": kind == "single",
        "answers": [],
        "pairs": [],
        "numeric": [],
        "wrong_feedback": None,
    }
    if kind == "single":
        out["answers"] = [
            (o["text"][lang], 100.0 if o.get("correct") else 0.0, o["feedback"][lang]) for o in item["options"]
        ]
    elif kind == "multiple":
        k = sum(1 for o in item["options"] if o.get("correct"))
        out["answers"] = [
            (o["text"][lang], round((100 if o.get("correct") else -100) / k, 5), o["feedback"][lang])
            for o in item["options"]
        ]
    elif kind in ("match", "order"):
        if kind == "match":
            choices = {c["id"]: c["text"][lang] for c in item["choices"]}
            rows = [(p["left"][lang], choices[p["answer"]], p["feedback"][lang]) for p in item["pairs"]]
            used = {p["answer"] for p in item["pairs"]}
            distractors = [("", text) for cid, text in choices.items() if cid not in used]
        else:
            rows = [(s["text"][lang], f"position {n}", s["feedback"][lang]) for n, s in enumerate(item["steps"], 1)]
            distractors = []
        out["pairs"] = [(left, right) for left, right, _ in rows] + distractors
        # GIFT matching has no per-pair feedback: it follows the explanation, one line a pair.
        out["general"] += "\n\n" + "\n".join(f"{left} → {right}: {fb}" for left, right, fb in rows)
    elif kind == "short":
        right, wrong = item["feedback"]["correct"][lang], item["feedback"]["incorrect"][lang]
        # Moodle reads "*" in a short answer as a wildcard and "\*" as a star.
        out["answers"] = [(a.replace("*", "\\*"), 100.0, right) for a in item["accepted"][lang]]
        out["answers"].append(("*", 0.0, wrong))  # the catch-all carrying the "incorrect" feedback
    elif kind == "numeric":
        tolerance = float(item.get("tolerance") or 0)
        out["numeric"] = [(float(item["answer"]), tolerance, 100.0, item["feedback"]["correct"][lang])]
        out["wrong_feedback"] = item["feedback"]["incorrect"][lang]
    return out


def described(q: GiftQuestion) -> dict[str, Any]:
    """A parsed question in the same terms as `expected`."""
    return {
        "name": q.name,
        "format": q.text_format,
        "text": q.text,
        "sources": q.tags("source ids"),
        "audiences": q.tags("audiences"),
        "general": q.general_feedback,
        "kind": q.kind,
        "single": q.single,
        "answers": [(a.text, a.weight, a.feedback) for a in q.answers],
        "pairs": q.pairs,
        "numeric": [(n.value, n.tolerance, n.weight, n.feedback) for n in q.numeric],
        "wrong_feedback": q.wrong_feedback,
    }


def check_round_trip(gift: str, selection: Selection, lang: str) -> None:
    """Parse the export back: every item once, each as the bank says. Raises AssertionError
    (or GiftError for text that is not GIFT)."""
    parsed = parse(gift)
    items = selection.items()
    names = Counter(q.name for q in parsed)
    assert names == Counter(item["id"] for _, item in items), "every item id exactly once"
    by_name = {q.name: q for q in parsed}
    for question, item in items:
        assert described(by_name[item["id"]]) == expected(question, item, lang), item["id"]


# --- (1) the default course ------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_default_course_round_trips(course: Course, lang: str) -> None:
    selection = Selection(course, None, list(course.languages))
    gift, _ = export(selection, lang)
    check_round_trip(gift, selection, lang)
    every_item = {i["id"] for q in course.questions for i in q.graded()}
    assert {item["id"] for _, item in selection.items()} == every_item
    assert gift.endswith("}\n") and "\n\n\n" not in gift


@pytest.mark.parametrize("lang", LANGS)
def test_weights_are_written_as_moodle_grades(course: Course, lang: str) -> None:
    gift, _ = export(Selection(course, None, list(course.languages)), lang)
    weights = re.findall(r"^\t~%([^%]*)%", gift, flags=re.M)
    assert weights, "the default course has multiple-answer questions"
    for text in weights:
        assert re.fullmatch(r"-?\d+(\.\d{0,4}[1-9])?", text), f"5 decimals at most, no trailing zero: {text}"
        assert abs(float(text)) in MOODLE_GRADES, text


def test_multiple_weights_literally(fixture_course: Course) -> None:
    gift, _ = export(Selection(fixture_course, None, ["en"]), "en")
    assert "\t~%50%Passport kept#Yes.\n\t~%-50%Wages paid on time#Not an indicator.\n" in gift
    three = next(q for q in fixture_course.questions if q.id == "t-multiple")  # k = 3 correct options
    three.data["options"] = [{**o, "correct": True} for o in three.data["options"]] + [
        {"id": "d", "text": {"fr": "Non", "en": "No"}, "feedback": {"fr": "Non.", "en": "No."}}
    ]
    gift, _ = export(Selection(fixture_course, None, ["en"]), "en")
    assert "\t~%33.33333%Passport kept#Yes.\n" in gift and "\t~%-33.33333%No#No.\n" in gift


def test_warnings_name_the_items(fixture_course: Course) -> None:
    selection = Selection(fixture_course, None, ["en"])
    _, warnings = export(selection, "en")
    assert "order question t-order exported as matching: step -> position" in "\n".join(warnings)
    assert any(w.startswith("match question t-match:") for w in warnings)
    assert any("t-multiple" in w and "3 points" in w for w in warnings)
    ids = [item["id"] for _, item in selection.items()]
    for warning in warnings:
        assert "\n" not in warning and any(re.search(rf"\b{i}\b", warning) for i in ids), warning
    assert not [w for w in warnings if "t-single" in w or "t-numeric" in w]


def test_points_are_warned_once_for_every_item(fixture_course: Course) -> None:
    for question in fixture_course.questions:
        if question.id in ("t-single", "t-short"):
            question.data["points"] = 2
    _, warnings = export(Selection(fixture_course, None, ["en"]), "en")
    told = [w for w in warnings if "no marks" in w]
    assert len(told) == 1, warnings
    assert all(f"{i} (" in told[0] for i in ("t-single", "t-short", "t-multiple")), told


def test_accents_in_short_answers_are_warned(fixture_course: Course) -> None:
    short = next(q for q in fixture_course.questions if q.id == "t-short")
    short.data["accepted"]["fr"] = ["OIT", "Organisation internationale du Travail", "Bureau européen"]
    _, fr = export(Selection(fixture_course, None, ["fr"]), "fr")
    _, en = export(Selection(fixture_course, None, ["en"]), "en")
    assert any("t-short" in w and "Bureau européen" in w for w in fr)
    assert not any("t-short" in w for w in en)


# --- (2) escaping ------------------------------------------------------------------------------

SPICE = "%5% {text} ~ = # { } : :: \\ a\\b \\n \\\\ * ####\nnext line: end"


def spiced(data: Any, in_text: bool = False) -> Any:
    """A copy of an item whose every text (values under a language key) holds GIFT's special
    characters, backslashes, "\\n" as two characters, a newline and a leading "%5%"."""
    if isinstance(data, dict):
        return {k: spiced(v, k in LANGS) for k, v in data.items()}
    if isinstance(data, list):
        return [spiced(v, in_text) for v in data]
    if isinstance(data, str) and in_text:
        return SPICE.replace("{text}", data)
    return data


@pytest.mark.parametrize("lang", LANGS)
def test_special_characters_round_trip(fixture_course: Course, lang: str) -> None:
    fixture_course.questions = [dataclasses.replace(q, data=spiced(q.data)) for q in fixture_course.questions]
    selection = Selection(fixture_course, None, [lang])
    item = next(i for _, i in selection.items() if i["id"] == "t-single")
    assert item["options"][0]["text"][lang].startswith("%5% ") and "\n" in item["prompt"][lang]
    gift, _ = export(selection, lang)
    check_round_trip(gift, selection, lang)
    types = {i["type"] for _, i in selection.items()}
    assert types == {"single", "multiple", "match", "order", "short", "numeric"}


# --- (3) a broken export is caught ---------------------------------------------------------------


def swap_right_and_wrong(gift: str) -> str:
    """In t-single, make the wrong option right and the right one wrong."""
    head, block = gift.split("::t-single::", 1)
    block, tail = block.split("\n}\n", 1)
    block = block.replace("\t=", "\t\0").replace("\t~", "\t=").replace("\t\0", "\t~")
    return f"{head}::t-single::{block}\n}}\n{tail}"


def drop_block(gift: str, name: str) -> str:
    return "\n\n".join(b for b in gift.split("\n\n") if f"::{name}::" not in b)


TAMPERINGS = {
    "swap = and ~": (swap_right_and_wrong, AssertionError),
    "change a weight": (lambda g: g.replace("~%-50%", "~%-25%", 1), AssertionError),
    "change a feedback": (lambda g: g.replace("#Yes.", "#Yes!", 1), AssertionError),
    "change pair feedback": (lambda g: g.replace("position 2\\: Then.", "position 2\\: First.", 1), AssertionError),
    "change a tolerance": (lambda g: g.replace("=18:0#", "=18:1#", 1), AssertionError),
    "drop a question": (lambda g: drop_block(g, "t-order"), AssertionError),
    "repeat a question": (lambda g: g + "\n" + g.split("\n\n")[0] + "\n", AssertionError),
    "drop an escape": (lambda g: g.replace("\\:", ":", 1), GiftError),
    "unescaped newline": (lambda g: g.replace("Right.", "Ri\nght.", 1), GiftError),
}


@pytest.mark.parametrize("name", TAMPERINGS)
def test_tampered_export_fails_the_round_trip(fixture_course: Course, name: str) -> None:
    tamper, error = TAMPERINGS[name]
    selection = Selection(fixture_course, None, ["en"])
    gift, _ = export(selection, "en")
    check_round_trip(gift, selection, "en")  # the untouched export passes
    broken = tamper(gift)
    assert broken != gift
    with pytest.raises(error):
        check_round_trip(broken, selection, "en")
