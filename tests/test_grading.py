"""The Python grader on the shared vectors, on every item of every bank, and on garbage."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT
from coursegen.grading import grade, grade_attempt, normalise, public_item
from coursegen.loading import load_course

VECTORS = yaml.safe_load((Path(__file__).parent / "vectors.yml").read_text("utf-8"))["vectors"]


def items_of(root: Path) -> dict[str, dict[str, Any]]:
    course, problems = load_course(root)
    assert course is not None and not problems, problems
    return {i["id"]: i for q in course.questions for i in q.graded()}


FIXTURE_ITEMS = items_of(FIXTURES / "minimal")


@pytest.mark.parametrize("vector", VECTORS, ids=[f"{v['item']}:{v['response']!r}" for v in VECTORS])
def test_vector(vector: dict[str, Any]) -> None:
    item = FIXTURE_ITEMS[vector["item"]]
    for form in (item, public_item(item, "fr"), public_item(item, "en")):
        result = grade(form, vector["response"], "en")
        assert result.score == pytest.approx(vector["score"])
        assert bool(result.message) == vector.get("message", False)


def test_the_vectors_are_those_of_every_fixture_item() -> None:
    """Each question of the fixture course is graded by at least one shared vector, in
    Python here and in the browser (test_browser.py), and no vector names another."""
    assert {v["item"] for v in VECTORS} == set(FIXTURE_ITEMS)


def test_vectors_reach_every_type() -> None:
    types = {FIXTURE_ITEMS[v["item"]]["type"] for v in VECTORS}
    assert types == {"single", "multiple", "match", "order", "short", "numeric"}


def key_response(item: dict[str, Any]) -> Any:
    kind = item["type"]
    if kind == "single":
        return next(o["id"] for o in item["options"] if o.get("correct"))
    if kind == "multiple":
        return [o["id"] for o in item["options"] if o.get("correct")]
    if kind == "match":
        return {p["id"]: p["answer"] for p in item["pairs"]}
    if kind == "order":
        return [s["id"] for s in item["steps"]]
    if kind == "short":
        return item["accepted"]["en"][0]
    return str(item["answer"])


def wrong_response(item: dict[str, Any]) -> Any:
    kind = item["type"]
    if kind == "single":
        return next(o["id"] for o in item["options"] if not o.get("correct"))
    if kind == "multiple":
        wrong = [o["id"] for o in item["options"] if not o.get("correct")]
        return wrong or []
    if kind == "match":
        choices = [c["id"] for c in item["choices"]]
        return {p["id"]: next(c for c in choices if c != p["answer"]) for p in item["pairs"]}
    if kind == "order":
        return [s["id"] for s in item["steps"]][::-1]
    if kind == "short":
        return "zzz not an answer"
    return str(float(item["answer"]) + float(item.get("tolerance", 0)) + 1)


BANK_ITEMS = items_of(ROOT)


@pytest.mark.parametrize("item_id", sorted(BANK_ITEMS))
def test_every_bank_item_key_scores_full_and_wrong_scores_less(item_id: str) -> None:
    item = BANK_ITEMS[item_id]
    for form in (item, public_item(item, "fr"), public_item(item, "en")):
        full = grade(form, key_response(item), "fr")
        assert full.score == full.max and full.correct and not full.message
        if item["type"] not in ("match", "order"):  # those give feedback on what is wrong only
            assert full.feedback, "the key gets feedback"
        assert grade(form, wrong_response(item), "fr").score < full.max


def test_public_form_hides_the_key() -> None:
    item = FIXTURE_ITEMS["t-multiple"]
    public = public_item(item, "en")
    text = str(public)
    assert "correct" not in text and "Not an indicator." not in text
    assert set(public) >= {"key", "salt", "feedback"}


def test_an_item_has_one_version_per_language() -> None:
    """Editing the French of an item gives it a new French version (salt) and keeps its
    English one: English learners keep their answers, the English site is not rebuilt."""
    item = FIXTURE_ITEMS["t-multiple"]
    edited = copy.deepcopy(item)
    edited["options"][0]["feedback"]["fr"] += " (corrigé)"
    assert public_item(edited, "en") == public_item(item, "en")
    assert public_item(edited, "fr")["salt"] != public_item(item, "fr")["salt"]
    moved = copy.deepcopy(item)
    moved["options"][0]["correct"] = not moved["options"][0].get("correct", False)  # not a text: both change
    assert all(public_item(moved, lang)["salt"] != public_item(item, lang)["salt"] for lang in ("fr", "en"))


def test_attempt_sums_and_reports_unknown_ids() -> None:
    items = [FIXTURE_ITEMS["t-single"], FIXTURE_ITEMS["t-multiple"]]
    attempt = grade_attempt(items, {"t-single": "b", "t-multiple": ["a"], "nope": "x"})
    assert attempt["score"] == 2.5 and attempt["max"] == 4 and attempt["unknown"] == ["nope"]


def test_normalise() -> None:
    assert normalise("  L'Organisation   Internationale du TRAVAIL!") == "organisation internationale du travail"
    assert normalise("la servitude pour dettes") == normalise("servitude pour dettes") == "servitude pour dettes"
    assert normalise("The") == "the" and normalise("a") == "a"  # an article alone is the answer
    assert normalise("L. 8251-1") != normalise("D. 8251-1")  # two articles of a code, not two French articles
    assert normalise("UN Women") == "un women" and normalise("an ILO") == "an ilo"  # definite articles only
    assert normalise("the ↀ") == "the ↀ"  # before a letter only, as the browser's \\p{L} (not a numeral)
    assert normalise("Éléphant") == normalise("elephant")
    assert normalise("O.N.U.D.C.") == normalise("ONUDC") == "onudc"
    # as JavaScript's toLowerCase after NFKD (test_browser's parity test): not casefolded,
    # a compatibility form lowercased after it is decomposed, a spacing mark dropped
    assert normalise("Straße") == "straße" and normalise("ΟΔΟΣ") == "οδος"  # a final sigma, as the browser
    assert normalise("№ 5") == "no 5" and normalise("Ⅻ") == "xii"
    assert normalise("का") == "क"  # the vowel sign, a spacing mark (Mc), as \p{M}


responses = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(item_id=st.sampled_from(sorted(FIXTURE_ITEMS)), response=responses)
def test_garbage_never_raises(item_id: str, response: Any) -> None:
    item = FIXTURE_ITEMS[item_id]
    for form in (item, public_item(item, "en")):
        result = grade(form, response)
        assert 0 <= result.score <= result.max


def test_a_misplaced_step_or_pair_is_named_before_its_feedback() -> None:
    """A step's or pair's feedback, and a ticked option's, may not say which it is: it comes
    after its name, as the page's quiz shows it (test_browser.py), from the full item and
    from its public form; an option's after a dash, for its feedback often begins "Oui :"."""
    for kind, group, name, sep in (
        ("t-order", "steps", "text", "\u00a0: "),
        ("t-match", "pairs", "left", "\u00a0: "),
        ("t-multiple", "options", "text", " — "),
    ):
        item = FIXTURE_ITEMS[kind]
        for form in (item, public_item(item, "fr")):
            result = grade(form, wrong_response(item), "fr")
            wrong = [p for p in item[group] if p["feedback"]["fr"]]
            assert result.feedback and len(result.feedback) <= len(wrong)
            named = {f"{p[name]['fr']}{sep}{p['feedback']['fr']}" for p in wrong}
            assert set(result.feedback) <= named, (result.feedback, named)


def test_a_name_s_full_stop_is_left_out_before_its_feedback() -> None:
    """A pair written as a sentence ("… at the employer's restaurant.") was shown as
    "…restaurant.: This is the act"; "etc..." keeps its dots."""
    item = copy.deepcopy(FIXTURE_ITEMS["t-match"])
    item["pairs"][0]["left"] = {"fr": "Il est logé chez l'employeur.", "en": "He lives at the employer's."}
    item["pairs"][1]["left"] = {"fr": "Menaces, etc...", "en": "Threats, etc..."}
    shown = grade(item, wrong_response(item), "en").feedback
    assert shown[0] == f"He lives at the employer's: {item['pairs'][0]['feedback']['en']}", shown
    assert shown[1].startswith("Threats, etc...: "), shown


def test_a_comma_between_thousands_is_read_as_each_language_writes_it() -> None:
    """ "2,025" is the year 2025 in English (a trainee got "Incorrect" for it, read as
    2.025), and 2.025 in French, whose decimal sign is the comma: as the page's language
    says, in Python's grader as in the browser's (the vectors, in English)."""
    year = {**FIXTURE_ITEMS["t-numeric"], "answer": 2025}
    assert grade(year, "2,025", "en").score == 1 and grade(year, "2,025", "fr").score == 0
    assert grade(year, " 2,025 ", "en").score == 1 and grade(year, "2 025", "fr").score == 1
    assert grade({**year, "answer": 2.025}, "2,025", "fr").score == 1
    assert grade({**year, "answer": 1234567}, "1,234,567", "en").score == 1
    assert grade({**year, "answer": 1234567}, "1,234,567", "fr").message  # no number for French
    assert grade({**year, "answer": 0.025}, "0,025", "en").score == 1  # no thousands begin with 0
    assert grade(year, "2,025", None).score == 1  # no language said: English, as the browser
    for odd in ("en-GB", "EN", 42, ["fr"]):  # a language as a file may give it: read, never raised on
        assert grade(year, "2,025", odd).score == 1  # type: ignore[arg-type]
    assert grade(year, "2,025", "fr-BE").score == 0


def french_only(value: Any) -> Any:
    """`value` with each of its texts in French only, as a French-only course's trainer
    writes their own question."""
    if isinstance(value, dict):
        if {"fr", "en"} <= value.keys():
            return {"fr": value["fr"]}
        return {k: french_only(v) for k, v in value.items()}
    if isinstance(value, list):
        return [french_only(v) for v in value]
    return value


def feedback_texts(value: Any) -> list[str]:
    """Every feedback text of an item, in every language."""
    if isinstance(value, list):
        return [text for v in value for text in feedback_texts(v)]
    if not isinstance(value, dict):
        return []
    found = [text for k, v in value.items() if k != "feedback" for text in feedback_texts(v)]
    given = value.get("feedback", {})
    given = [given] if "fr" in given else list(given.values())  # an option's, or a short answer's two
    return found + [text for texts in given for text in texts.values()]


@pytest.mark.parametrize("item_id", sorted(FIXTURE_ITEMS))
def test_a_question_in_one_language_is_graded_in_the_other_with_the_feedback_it_has(item_id: str) -> None:
    """A French-only course's own question has no English texts: graded in English (a results
    file of an English page, `grade --lang en`), it stopped with "KeyError: 'en'". Its score
    is the French one's, its feedback the French text it has, after the name it has."""
    item = french_only(FIXTURE_ITEMS[item_id])
    french = feedback_texts(item)
    for response in [wrong_response(item)] + ([key_response(item)] if item["type"] != "short" else []):
        english, control = grade(item, response, "en"), grade(item, response, "fr")
        assert (english.score, english.message) == (control.score, control.message) == (english.score, "")
        assert len(english.feedback) == len(control.feedback)
        assert all(any(shown.endswith(text) for text in french) for shown in english.feedback), english.feedback
        # named as in French, a pair's, a step's or an option's name too (only the colon is English)
        assert english.feedback == [s.replace("\u00a0: ", ": ") for s in control.feedback], english.feedback


def test_a_question_s_shape_is_the_same_in_both_languages_and_changes_with_its_key() -> None:
    """`quizzes.shape`, by which a page carries an answer to the other language's page: a
    text edited in one language leaves it as it was (the other language's pages too); a
    key changed by a rebuild changes it (an answer to the question before is not carried to
    the one after, graded otherwise), and so does an option added."""
    from coursegen.quizzes import shape

    for ident, item in FIXTURE_ITEMS.items():
        edited = copy.deepcopy(item)
        edited["prompt"]["fr"] += " (modifié)"
        assert shape(edited) == shape(item), ident
    single = FIXTURE_ITEMS["t-single"]
    flipped = copy.deepcopy(single)
    for option in flipped["options"]:
        option["correct"] = not option.get("correct", False)
    more = copy.deepcopy(single)
    more["options"].append({**more["options"][0], "id": "z", "correct": False})
    numeric = FIXTURE_ITEMS["t-numeric"]
    assert len({shape(single), shape(flipped), shape(more), shape({**numeric, "answer": 21}), shape(numeric)}) == 5
