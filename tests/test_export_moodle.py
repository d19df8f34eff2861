"""Moodle XML parsed back with an XML parser: the exported key and feedback equal the bank's."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, ROOT
from coursegen.exporters import Selection
from coursegen.exporters.moodle import export, fraction
from coursegen.loading import load_course

SPAN = re.compile(r'<span lang="([a-z]+)" class="multilang">(.*?)</span>', re.S)


def texts(value: str | None, langs: list[str]) -> dict[str, str]:
    """The per-language texts of a Moodle text (multilang spans, or one language)."""
    value = first_paragraph(value or "")
    found = {lang: html.unescape(text) for lang, text in SPAN.findall(value)}
    if not found and len(langs) == 1:
        found = {langs[0]: html.unescape(value)}
    return found


def first_paragraph(value: str) -> str:
    """The first <p>…</p> of a text, or the whole text when it has none."""
    match = re.match(r"<p>(.*?)</p>", value, re.S)
    return match.group(1) if match else value


def mismatches(document: str, items: dict[str, dict[str, Any]], langs: list[str]) -> list[str]:
    root = ET.fromstring(document)
    out: list[str] = []
    seen: list[str] = []
    for q in root.findall("question"):
        if q.get("type") == "category":
            continue
        ident = q.findtext("idnumber") or ""
        seen.append(ident)
        item = items.get(ident)
        if item is None:
            out.append(f"unknown id {ident}")
            continue
        want = {lang: item["explanation"][lang] for lang in langs}
        general = texts(q.findtext("generalfeedback/text"), langs)
        if {lang: general.get(lang) for lang in langs} != want:
            out.append(f"{ident}: general feedback")
        if float(q.findtext("defaultgrade") or 0) != float(item.get("points", 1)):
            out.append(f"{ident}: points")
        tags = {t.text for t in q.findall("tags/tag/text")}
        if not {f"source:{s}" for s in item["sources"]} <= tags:
            out.append(f"{ident}: source tags")
        kind = item["type"]
        answers = q.findall("answer")
        if kind in ("single", "multiple"):
            k = sum(1 for o in item["options"] if o.get("correct"))
            got = [
                (texts(a.findtext("text"), langs), a.get("fraction"), texts(a.findtext("feedback/text"), langs))
                for a in answers
            ]
            expected = []
            for o in item["options"]:
                value = (
                    (100.0 if o.get("correct") else 0.0)
                    if kind == "single"
                    else (100.0 if o.get("correct") else -100.0) / k
                )
                expected.append(
                    (
                        {lang: o["text"][lang] for lang in langs},
                        fraction(value),
                        {lang: o["feedback"][lang] for lang in langs},
                    )
                )
            if got != expected:
                out.append(f"{ident}: options, fractions or feedback")
        elif kind in ("match", "order"):
            subs = [
                (texts(s.findtext("text"), langs), texts(s.findtext("answer/text"), langs))
                for s in q.findall("subquestion")
            ]
            if kind == "match":
                choice = {c["id"]: {lang: c["text"][lang] for lang in langs} for c in item["choices"]}
                expected_pairs = [
                    ({lang: p["left"][lang] for lang in langs}, choice[p["answer"]]) for p in item["pairs"]
                ]
                pair_feedback = [p["feedback"] for p in item["pairs"]]
            else:
                expected_pairs = [
                    ({lang: s["text"][lang] for lang in langs}, {lang: f"Position {n}" for lang in langs})
                    for n, s in enumerate(item["steps"], 1)
                ]
                pair_feedback = [s["feedback"] for s in item["steps"]]
            if [s for s in subs if any(s[0].values())] != expected_pairs:
                out.append(f"{ident}: pairs")
            raw = html.unescape(q.findtext("generalfeedback/text") or "")
            if not all(f[lang] in raw for f in pair_feedback for lang in langs):
                out.append(f"{ident}: per-pair feedback")
        elif kind == "short":
            right = [a for a in answers if a.get("fraction") == "100"]
            accepted = {a for lang in langs for a in item["accepted"].get(lang, [])}
            if {(a.findtext("text") or "").replace("\\*", "*") for a in right} != accepted:  # a star, escaped
                out.append(f"{ident}: accepted answers")
            if any(
                texts(a.findtext("feedback/text"), langs) != {lang: item["feedback"]["correct"][lang] for lang in langs}
                for a in right
            ):
                out.append(f"{ident}: correct feedback")
            other = [a for a in answers if a.findtext("text") == "*"]
            if len(other) != 1 or texts(other[0].findtext("feedback/text"), langs) != {
                lang: item["feedback"]["incorrect"][lang] for lang in langs
            }:
                out.append(f"{ident}: incorrect feedback")
        elif kind == "numeric":
            right = answers[0]
            if float(right.findtext("text") or "nan") != float(item["answer"]) or float(
                right.findtext("tolerance") or "nan"
            ) != float(item.get("tolerance", 0)):
                out.append(f"{ident}: numeric key")
            if texts(answers[1].findtext("feedback/text"), langs) != {
                lang: item["feedback"]["incorrect"][lang] for lang in langs
            }:
                out.append(f"{ident}: incorrect feedback")
    if sorted(seen) != sorted(items):
        out.append(f"ids: {sorted(set(items) ^ set(seen))}")
    return out


@pytest.mark.parametrize("langs", [["fr", "en"], ["fr"], ["en"]])
def test_round_trip_default_course(langs: list[str]) -> None:
    course, _ = load_course(ROOT)
    assert course is not None
    selection = Selection(course, None, langs)
    document, warnings = export(selection)
    items = {item["id"]: item for _, item in selection.items()}
    assert len(items) > 100
    assert mismatches(document, items, langs) == []
    orders = [i for i in items.values() if i["type"] == "order"]
    converted = [w for w in warnings if "exported as matching" in w]
    accents = [w for w in warnings if "Moodle compares accents" in w]
    assert len(converted) == len(orders) and len(converted) + len(accents) == len(warnings)
    assert bool(accents) == ("fr" in langs)  # the labour inspectors' CONATRAE, in French


def test_round_trip_per_audience() -> None:
    course, _ = load_course(ROOT)
    assert course is not None
    for audience in course.audience_ids:
        selection = Selection(course, audience, ["fr", "en"])
        document, _ = export(selection)
        items = {item["id"]: item for _, item in selection.items()}
        assert mismatches(document, items, ["fr", "en"]) == []
        assert all(audience in i["audiences"] or "all" in i["audiences"] for i in items.values())


def test_tampering_is_caught() -> None:
    course, _ = load_course(FIXTURES / "minimal")
    assert course is not None
    selection = Selection(course, None, ["fr", "en"])
    document, _ = export(selection)
    items = {item["id"]: item for _, item in selection.items()}
    assert mismatches(document, items, ["fr", "en"]) == []
    assert mismatches(document.replace('fraction="100"', 'fraction="0"', 1), items, ["fr", "en"]) == [
        "t-single: options, fractions or feedback"
    ]
    assert any("accepted" in m for m in mismatches(document.replace(">ILO<", ">ILO?<"), items, ["fr", "en"]))
    assert any("numeric key" in m for m in mismatches(document.replace(">18<", ">17<"), items, ["fr", "en"]))


def test_special_characters_survive() -> None:
    course, _ = load_course(FIXTURES / "minimal")
    assert course is not None
    question = next(q for q in course.questions if q.id == "t-single")
    question.data["prompt"]["en"] = 'Is <b>this</b> & "that" a <script>trick</script>?'
    selection = Selection(course, None, ["en"])
    document, _ = export(selection)
    items = {item["id"]: item for _, item in selection.items()}
    assert mismatches(document, items, ["en"]) == []
    assert "<script>" not in document


def test_short_answers_with_accents_are_warned_and_stars_are_literal() -> None:
    """Moodle compares accents (the course's grader ignores them): said, as for GIFT. A star
    in an accepted answer is a star, not Moodle's wildcard (which would accept anything)."""
    course, _ = load_course(FIXTURES / "minimal")
    assert course is not None
    short = next(q for q in course.questions if q.id == "t-short")
    short.data["accepted"]["fr"] = ["OIT", "Bureau européen", "5*"]
    document, warnings = export(Selection(course, None, ["fr", "en"]))
    assert [w for w in warnings if "t-short" in w] == [
        "short question t-short: Moodle compares accents (the course grader ignores them), "
        "an answer typed without them is marked wrong: Bureau européen"
    ]
    answers = [
        a.findtext("text")
        for q in ET.fromstring(document).iter("question")
        if q.get("type") == "shortanswer"
        for a in q.iter("answer")
    ]
    assert "5\\*" in answers and "5*" not in answers and answers[-1] == "*"


def test_numbers_keep_every_digit() -> None:
    """A numeric answer and its tolerance as the bank gives them: with five decimals (the
    notation of Moodle's grade fractions), 0.000004 ± 0.000001 was a 0 ± 0 and 3.14159265
    a 3.14159, against which the exact answer is wrong."""
    course, _ = load_course(FIXTURES / "minimal")
    assert course is not None
    items = [i for q in course.questions for i in (q.data.get("items") or [q.data])]
    numeric = next(i for i in items if i.get("type") == "numeric")
    for answer, tolerance in ((0.000004, 0.000001), (3.14159265, 0), (18, 0.5), (1e20, 0)):
        numeric["answer"], numeric["tolerance"] = answer, tolerance
        document, _ = export(Selection(course, None, ["en"]))
        question = next(q for q in ET.fromstring(document).iter("question") if q.get("type") == "numerical")
        right = next(a for a in question.iter("answer") if a.get("fraction") == "100")
        assert float(right.findtext("text") or "nan") == answer
        assert float(right.findtext("tolerance") or "nan") == tolerance
        assert "e" not in (right.findtext("text") or "").lower()


@pytest.mark.parametrize(("k", "warned"), [(10, False), (11, True), (12, True), (20, False)])
def test_weights_not_in_moodles_list_of_grades_are_warned(k: int, warned: bool) -> None:
    """Moodle's import refuses a fraction that is not in its list of grades (question/format.php
    checks every format's, XML's too, against question_bank::fraction_options_full, which
    has 1/k for k = 1 to 10 and 20 only): a multiple question with k correct options says
    so, and the fractions are written all the same."""
    course, _ = load_course(FIXTURES / "minimal")
    assert course is not None
    multiple = next(q for q in course.questions if q.id == "t-multiple")
    option = multiple.data["options"][0]
    multiple.data["options"] = [
        {**option, "id": f"o{n}", "text": {lang: f"{text} {n}" for lang, text in option["text"].items()}}
        for n in range(k)
    ] + [multiple.data["options"][1]]
    document, warnings = export(Selection(course, None, ["fr", "en"]))
    told = [w for w in warnings if "t-multiple" in w]
    assert told == (
        [
            f"multiple question t-multiple: weights of 100/{k} % are not in Moodle's list of grades: "
            "Moodle's import refuses the question unless its 'Match grades' is set to 'Nearest grade "
            "if not listed', which rounds them"
        ]
        if warned
        else []
    )
    question = next(q for q in ET.fromstring(document).iter("question") if q.findtext("idnumber") == "t-multiple")
    fractions = [float(a.get("fraction", "")) for a in question.iter("answer")]
    assert fractions == [round(100 / k, 5)] * k + [-round(100 / k, 5)]


def test_a_match_question_too_small_for_moodle_is_warned_as_in_gift() -> None:
    """Moodle's form wants a matching question to have 2 pairs and 3 answers: the GIFT export
    said so of one with 2 pairs and 2 choices, and the Moodle XML export, for the same
    Moodle, said nothing. Both say it; neither says it of the fixture's match (4 pairs)."""
    from coursegen.exporters import gift

    course, _ = load_course(FIXTURES / "minimal")
    assert course is not None
    selection = Selection(course, None, ["fr", "en"])
    wanted = "match question t-match: Moodle wants at least 2 pairs and 3 answers"
    assert wanted not in export(selection)[1]
    match = next(q for q in course.questions if q.id == "t-match")
    match.data["pairs"] = match.data["pairs"][:2]
    match.data["choices"] = [c for c in match.data["choices"] if c["id"] in {"act", "means"}]
    assert wanted in export(selection)[1]
    assert wanted in gift.export(selection, "fr")[1]


def test_a_texts_own_line_breaks_are_kept_in_moodles_html() -> None:
    """Moodle shows a question's text as HTML, which joins lines: each line break of the
    text becomes a <br>, and the text stays escaped (the handout and the site keep them
    with CSS)."""
    from coursegen.exporters.moodle import multilang

    assert (
        multilang({"en": "Read the facts:\n- <b>kept</b>\n"}, ["en"])
        == "Read the facts:<br>\n- &lt;b&gt;kept&lt;/b&gt;"
    )
    assert multilang({"fr": "a\nb", "en": "c"}, ["fr", "en"]) == (
        '<span lang="fr" class="multilang">a<br>\nb</span><span lang="en" class="multilang">c</span>'
    )


def test_true_or_false_keeps_its_order_and_longer_choices_are_mixed() -> None:
    """Moodle mixes a choice question's options itself; a true-or-false question keeps
    "True" before "False", as the site and the handout show it."""
    course, _ = load_course(ROOT)
    assert course is not None
    selection = Selection(course, None, ["en"])
    document, _ = export(selection)
    items = {item["id"]: item for _, item in selection.items()}
    shuffled = {q.findtext("idnumber"): q.findtext("shuffleanswers") for q in ET.fromstring(document).iter("question")}
    choice = [i for i in items.values() if i["type"] in ("single", "multiple")]
    assert any(len(i["options"]) == 2 for i in choice) and any(len(i["options"]) > 2 for i in choice)
    for item in choice:
        assert shuffled[item["id"]] == ("false" if len(item["options"]) == 2 else "true"), item["id"]


def test_an_export_in_two_languages_says_it_needs_moodles_filter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without Moodle's multi-language filter, learners read every text in both languages,
    one after the other: the command says so, and how to export one. Control: one language."""
    from coursegen.cli import main

    assert main(["export", "moodle", str(FIXTURES / "minimal"), "--out", str(tmp_path / "both")]) == 0
    said = capsys.readouterr().out
    assert "note: its texts are in fr and en, as Moodle's multilang spans" in said and "--lang fr" in said, said
    assert main(["export", "moodle", str(FIXTURES / "minimal"), "--lang", "en", "--out", str(tmp_path / "en")]) == 0
    assert "multilang" not in capsys.readouterr().out
