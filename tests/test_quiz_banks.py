"""The default course's banks meet the content targets, and `coursegen check` says so."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from coursegen.cli import main
from coursegen.loading import load_course
from coursegen.quizzes import report


def test_check_prints_counts_that_meet_the_targets(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    for audience in ("police", "employers", "labour-inspectors", "officials"):
        match = re.search(rf"quiz items for {audience}: (\d+) of its own \(fr (\d+), en (\d+)\)", out)
        assert match, out
        assert int(match[1]) >= 15 and match[1] == match[2] == match[3]
    common = re.search(r"quiz items for all audiences \(common\): (\d+) \(fr (\d+), en (\d+)\)", out)
    assert common and int(common[1]) >= 10
    assert "actions assessed by quiz items: a, b, c, d, e, f, g, h, i, j\n" in out
    assert "targets assessed by quiz items: 5.2, 8.7, 8.8, 10.7, 16.2, 16.3\n" in out


def test_report_names_what_is_not_assessed() -> None:
    course, _ = load_course(FIXTURES / "minimal")
    assert course is not None
    lines = report(course)
    assert "actions assessed by quiz items: e, g" in lines
    assert "targets assessed by quiz items: none (not assessed: 8.7)" in lines


def test_banks_mix_the_question_types() -> None:
    course, _ = load_course(ROOT)
    assert course is not None
    for bank in ("common", "police", "employers", "labour-inspectors", "officials"):
        questions = [q for q in course.questions if q.bank == bank]
        kinds = {i["type"] for q in questions for i in q.graded()}
        assert {"single", "multiple", "match", "order", "short", "numeric"} <= kinds, bank
        assert any(q.data["type"] == "scenario" for q in questions), bank
        true_false = [i for q in questions for i in q.graded() if i["type"] == "single" and len(i["options"]) == 2]
        assert len(true_false) >= 2, bank


def test_every_item_cites_a_source_and_explains(tmp_path: Path) -> None:
    course, _ = load_course(ROOT)
    assert course is not None
    for q in course.questions:
        for item in q.graded():
            assert item["sources"] and item["explanation"]["fr"] and item["explanation"]["en"], item["id"]


def test_a_case_study_is_titled_once() -> None:
    """ "Case study: the packing plant", on the page and in the handout, whether or not the
    bank's own title says "Case study" (two built-in banks did, and the page said it twice)."""
    from coursegen.quizhtml import case_study_title, render_quiz

    def heading(title: str, lang: str) -> str:
        scenario = {"id": "s", "type": "scenario", "title": title, "case": "A case.", "items": []}
        found = re.search(r"<h3[^>]*>(.*?)</h3>", render_quiz("x", "course", lang, [scenario]))
        assert found
        return found.group(1)

    assert heading("The packing plant", "en") == heading("Case study: The packing plant", "en")
    assert heading("The packing plant", "en") == "Case study: The packing plant"
    assert heading("L'atelier", "fr") == heading("Étude de cas : L'atelier", "fr") == "Étude de cas : L&#x27;atelier"
    assert (
        case_study_title("Case study:", "The plant")
        == case_study_title("Case study:", "Case study: The plant")
        == "Case study: The plant"
    )
    course, _ = load_course(ROOT)
    assert course is not None
    for question in course.questions:
        if question.data["type"] == "scenario":
            for lang in ("fr", "en"):
                assert not question.data["title"][lang].casefold().startswith(("case study", "étude de cas")), (
                    question.id
                )
