"""The two validators of schema.py (jsonschema-rs says "valid or not", jsonschema explains):
what the fast one lets through, the other would too; and every rejection is reported, on
the real course's data and on that data broken at random (the case quiz-not-json in
tests/cases/ shows what only jsonschema-rs rejects)."""

from __future__ import annotations

import copy
import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from coursegen import schema
from coursegen.loading import load_course


def _documents() -> list[tuple[str, Any]]:
    """(schema name, data) of every YAML document that loading the default course checks."""
    seen: list[tuple[str, Any]] = []
    real = schema._check

    def spy(data: Any, name: str, path: Path, languages: list[str] | None = None) -> list[Any]:
        seen.append((name, copy.deepcopy(data)))
        return real(data, name, path, languages)

    schema._check = spy  # type: ignore[assignment]
    try:
        load_course(ROOT)
    finally:
        schema._check = real  # type: ignore[assignment]
    return seen


DOCUMENTS = _documents()


def _explained(data: Any, name: str) -> bool:
    """True when jsonschema finds nothing wrong."""
    return not any(True for _ in schema._validator(name).iter_errors(data))


def test_the_course_is_checked_against_every_kind_of_schema() -> None:
    names = {name for name, _ in DOCUMENTS}
    assert {"config", "toc", "quiz", "glossary"} <= names, names
    for name, data in DOCUMENTS:
        assert schema._valid(data, name) and _explained(data, name), name


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _paths(value, (*prefix, i))
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_both_validators_agree_on_broken_data(data: st.DataObject) -> None:
    name, original = data.draw(st.sampled_from(DOCUMENTS), label="document")
    broken = copy.deepcopy(original)
    for _ in range(data.draw(st.integers(1, 3), label="changes")):
        paths = _paths(broken)
        where = data.draw(st.sampled_from(paths), label="where")
        if not where:
            broken = data.draw(json_values, label="document replaced")
            continue
        parent = broken
        for step in where[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]), label="action")
        if action == "replace":
            parent[where[-1]] = data.draw(json_values, label="value")
        elif action == "delete":
            del parent[where[-1]]
        elif isinstance(parent[where[-1]], dict):
            parent[where[-1]][data.draw(st.text(max_size=6), label="key")] = data.draw(json_values, label="value")
        elif isinstance(parent[where[-1]], list):
            parent[where[-1]].append(data.draw(json_values, label="value"))
    fast = schema._valid(broken, name)
    if fast:  # what the fast validator lets through, the explaining one would let through
        assert _explained(broken, name)
    problems = schema._check(broken, name, Path("broken.yml"))
    assert fast == (not problems) or _cannot_take(broken, name)  # no rejection goes unsaid


def _cannot_take(data: Any, name: str) -> bool:
    """True when jsonschema-rs raises on `data` (a value that JSON has no place for)."""
    try:
        schema._fast_validator(name).is_valid(data)
    except (ValueError, TypeError):
        return True
    return False


@pytest.mark.parametrize("value", [datetime.date(2020, 1, 1), b"bytes"])
def test_a_value_json_does_not_have_goes_to_the_explaining_validator(value: object) -> None:
    name, original = next(d for d in DOCUMENTS if d[0] == "quiz")
    data = copy.deepcopy(original)
    data["items"][0]["id"] = value
    assert not schema._valid(data, name)
    problems = schema.check(data, name, Path("quiz.yml"))
    assert problems and problems[0].code.value == "wrong-type", problems


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("points", float("nan"), "'points' of question 'com-border-myth' must be a finite number, not .nan"),
        ("tolerance", float("inf"), "'tolerance' of question 'com-border-myth' must be a finite number, not .inf"),
        ("id", "t-single\n", "'id' of the 1st question: 't-single\\n' is not a valid id"),
    ],
)
def test_what_only_the_fast_validator_rejects_is_reported(field: str, value: object, message: str) -> None:
    """YAML's .nan and .inf, and an id ending with a line break: jsonschema lets them
    through (a quiz page would carry NaN, which its script cannot read)."""
    name, original = next(d for d in DOCUMENTS if d[0] == "quiz")
    data = copy.deepcopy(original)
    data["items"][0][field] = value
    assert _explained(data, name)  # what makes this case: jsonschema alone would say nothing
    [problem] = schema.check(data, name, Path("quiz.yml"))
    assert problem.message.startswith(message) and problem.code.value == "invalid-value", problem


def test_a_question_without_a_valid_id_is_named_by_its_rank_from_one() -> None:
    """Not `'items.1'` (counted from 0, as Python counts): the 2nd question, the 12th, the
    2nd item of a scenario named by its id."""
    name, original = next(d for d in DOCUMENTS if d[0] == "quiz")
    data = copy.deepcopy(original)
    assert len(data["items"]) > 12
    del data["items"][1]["id"]
    data["items"][11]["id"] = "Twelve"
    scenario = next(i for i in data["items"] if i["type"] == "scenario")
    del scenario["items"][1]["prompt"]
    del scenario["items"][1]["id"]
    messages = sorted(d.message for d in schema.check(data, name, Path("quiz.yml")))
    assert messages == [
        "'id' of the 12th question: 'Twelve' is not a valid id: ids are written in small letters ('twelve')",
        "missing required key 'id' in the 2nd item of question '" + scenario["id"] + "'",
        "missing required key 'id' in the 2nd question",
        "missing required key 'prompt' in the 2nd item of question '" + scenario["id"] + "'",
    ], messages
    assert [schema.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th", "112th",
    ]  # fmt: skip


def test_an_option_a_pair_a_step_is_named_by_its_id_or_its_rank() -> None:
    """`'options.2.text'` counted from 0: the option's id says which it is, or (with no
    valid id, or one given twice) its rank from 1; `en: Yes` is told why it is not text."""
    data = {
        "items": [
            {
                "id": "q",
                "options": [{"id": "a"}, {"id": "b"}, {"id": "b"}, {"id": "Bad"}],
                "pairs": [{"id": "p1"}],
                "items": [{"id": "s", "steps": [{}, {"id": "s2"}]}],
            }
        ]
    }
    place = schema._place
    assert place(data, ["items", 0, "options", 0, "text", "en"]) == "'text.en' of option 'a' of question 'q'"
    assert place(data, ["items", 0, "options", 2, "feedback"]) == "'feedback' of the 3rd option of question 'q'"
    assert place(data, ["items", 0, "options", 3]) == "the 4th option of question 'q'"
    assert place(data, ["items", 0, "pairs", 0, "answer"]) == "'answer' of pair 'p1' of question 'q'"
    assert place(data, ["items", 0, "items", 0, "steps", 0, "text"]) == "'text' of the 1st step of question 's'"
    assert place(data, ["items", 0, "options", 0, "id"]) == "'id' of the 1st option of question 'q'"
    # a short question's accepted answers, a country's contacts, a setting's list: from 1 too
    data["items"][0]["accepted"] = {"fr": ["OIT", 3]}
    assert place(data, ["items", 0, "accepted", "fr", 1]) == "the 2nd French accepted answer of question 'q'"
    country = {"referral": [{"name": "a"}, {"phone": 1}], "law": {"articles": [{"ref": "1"}]}}
    assert place(country, ["referral", 1, "phone"]) == "'phone' of the 2nd referral contact"
    assert place(country, ["law", "articles", 0, "text"]) == "'text' of the 1st article"
    config = {"sphinx": {"config": {"extensions": ["a", 3]}}, "course": {"languages": ["fr", "de"]}}
    assert place(config, ["sphinx", "config", "extensions", 1]) == "the 2nd extension"
    assert place(config, ["course", "languages", 1]) == "the 2nd language"
    name, original = next(d for d in DOCUMENTS if d[0] == "quiz")
    bad = copy.deepcopy(original)
    option = next(i for i in bad["items"] if "options" in i)
    option["options"][0]["text"]["en"] = True  # `en: Yes`
    [problem] = schema.check(bad, name, Path("quiz.yml"))
    assert problem.message == (
        f"'text.en' of option '{option['options'][0]['id']}' of question '{option['id']}' must be a string, "
        "not true or false (YAML reads yes, no, on and off as true or false: put it in quotes)"
    )


def test_points_beyond_a_thousand_are_a_mistake() -> None:
    """1e308 points made every score infinite (`inf`, `nan` in the grades): at most 1000."""
    name, original = next(d for d in DOCUMENTS if d[0] == "quiz")
    for value, shown in ((1e308, "1e+308"), (float("inf"), "inf"), (1001, "1001")):
        data = copy.deepcopy(original)
        data["items"][0]["points"] = value
        messages = [d.message for d in schema.check(data, name, Path("quiz.yml"))]
        assert messages == [f"'points' of question 'com-border-myth': {shown} is out of range (maximum 1000)"]


def test_a_number_with_an_exponent_that_yaml_reads_as_text() -> None:
    """`points: 1e3` is text for YAML (an exponent needs a dot and a sign, `1.0e+3`): said,
    with the form YAML reads (it was only "must be a number, not a string")."""
    name, original = next(d for d in DOCUMENTS if d[0] == "quiz")
    data = copy.deepcopy(original)
    data["items"][0]["points"] = "1e3"
    [problem] = schema.check(data, name, Path("quiz.yml"))
    assert problem.message == (
        "'points' of question 'com-border-myth' must be a number, not a string (YAML reads '1e3' as text: write 1.0e+3, "
        "or the number without its exponent)"
    )


def test_what_only_the_fast_validator_rejects_is_reported_with_the_rest() -> None:
    name, original = next(d for d in DOCUMENTS if d[0] == "quiz")
    data = copy.deepcopy(original)
    data["items"][0]["points"] = float("nan")
    data["items"][1]["points"] = "three"  # which both validators reject
    messages = [d.message for d in schema.check(data, name, Path("quiz.yml"))]
    assert messages == [
        "'points' of question 'com-consent-myth' must be a number, not a string",
        "'points' of question 'com-border-myth' must be a finite number, not .nan",
    ]
