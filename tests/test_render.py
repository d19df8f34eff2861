"""Rendering units: escaping, diagrams, coverage; each with a case that shows the check can fail."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, ROOT
from coursegen.coverage import matrix
from coursegen.diagrams import render_svg, text_version
from coursegen.errors import CourseError, SourceRef
from coursegen.loading import load_course
from coursegen.model import Page
from coursegen.pipeline import prepare
from coursegen.render import md_inline

DIAGRAM = {
    "title": {"fr": "Parcours <test>", "en": "Pathway <test>"},
    "alt": {"fr": "Trois étapes.", "en": "Three steps."},
    "nodes": [
        {"id": "a", "label": {"fr": "Repérer & noter", "en": "Spot & note"}},
        {"id": "b", "label": {"fr": "Danger ?", "en": "Danger?"}, "shape": "decision"},
        {"id": "c", "label": {"fr": "Orienter", "en": "Refer"}},
    ],
    "edges": [
        {"from": "a", "to": "b"},
        {"from": "b", "to": "c", "label": {"fr": "non", "en": "no"}},
        {"from": "a", "to": "c"},
    ],
}


def test_md_inline_neutralises_markup() -> None:
    assert md_inline("<script>alert(1)</script>") == "\\<script\\>alert(1)\\</script\\>"
    assert md_inline("costs $5 | {role}`x`") == "costs \\$5 \\| \\{role\\}\\`x\\`"
    assert md_inline("keeps *emphasis*\n and   spacing") == "keeps *emphasis* and spacing"
    # a start that would make a heading or a list of a scenario's case or a title
    assert [md_inline(t) for t in ("# 1 Cas", "1. Case", "12) x", "- x", "* x", "+ x")] == [
        "\\# 1 Cas", "1\\. Case", "12\\) x", "\\- x", "\\* x", "\\+ x",
    ]  # fmt: skip
    assert [md_inline(t) for t in ("*emphasis* first", "8.7 target", "#tag", "-5 %")] == [
        "*emphasis* first", "8.7 target", "#tag", "-5 %",
    ]  # fmt: skip


def test_svg_is_well_formed_and_escaped() -> None:
    svg = render_svg(DIAGRAM, "en")
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Spot & note" in texts and "no" in texts
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Pathway <test>"  # type: ignore[union-attr]
    assert "Repérer & noter" in [
        t.text for t in ET.fromstring(render_svg(DIAGRAM, "fr")).iter("{http://www.w3.org/2000/svg}text")
    ]


def test_text_version_lists_every_step_and_link() -> None:
    assert text_version(DIAGRAM, "en") == ["Spot & note → Danger?; Refer", "Danger? → no → Refer", "Refer"]
    assert text_version(DIAGRAM, "fr")[0] == "Repérer & noter → Danger ? ; Orienter"  # French typography


def test_coverage_counts_citations_and_can_show_a_gap(minimal_course: Path) -> None:
    course, books = prepare(minimal_course)
    fr = next(b for b in books if b.lang == "fr")
    data = matrix(course, fr.pages, ["common", "police"])
    assert data["action:e"] == {"common": 0, "police": 1}
    assert data["practice:brazil-inspection"]["police"] == 1  # a point counts for its practice
    assert data["sdg:8.7"] == {"common": 1, "police": 0}
    assert data["action:g"] == {"common": 0, "police": 0}  # never cited: the gap shows
    # without the police page, action e is no longer covered
    without = [rp for rp in fr.pages if rp.page.area != "police"]
    assert matrix(course, without, ["common", "police"])["action:e"]["police"] == 0


def test_coverage_counts_a_page_once_for_a_practice_whose_points_it_quotes(minimal_course: Path) -> None:
    """Pages, not passages: a page that quotes a practice and one of its points counts
    once for the practice (a part of 4 pages showed "11 p.")."""
    page = minimal_course / "modules" / "police" / "recognise.fr.md"
    page.write_text(page.read_text("utf-8") + '\n{{ cite("practice:brazil-inspection") }}\n', "utf-8")
    course, books = prepare(minimal_course)
    fr = next(b for b in books if b.lang == "fr")
    [police] = [rp for rp in fr.pages if rp.page.area == "police"]
    assert {"practice:brazil-inspection", "practice:brazil-inspection/confidentiality"} <= set(police.citations)
    assert matrix(course, fr.pages, ["common", "police"])["practice:brazil-inspection"]["police"] == 1


def test_coverage_page_names_uncovered_actions(minimal_course: Path) -> None:
    course, books = prepare(minimal_course)
    en = next(b for b in books if b.lang == "en")
    text = en.files["coverage.md"].decode()
    assert "Actions cited by no audience part: g." in text
    assert "Police: 1 of 2 actions, 1 of 1 practices, 0 of 1 targets." in text


def test_unknown_source_in_a_page_is_reported_with_its_place(minimal_course: Path) -> None:
    course, problems = load_course(minimal_course)
    assert course is not None and not problems
    from coursegen.render import Renderer

    page = Page("modules/common/x", "en", "common", minimal_course / "x.en.md", "# X\n\nText {{ cite('sdg:9.9') }}\n")
    course.pages[(page.key, "en")] = page
    renderer = Renderer(course, "en")
    assert renderer.render(page) is not None  # the page still renders, so other problems show too
    [problem] = renderer.diagnostics
    assert problem.ref == SourceRef(page.path, 3, 14)
    assert "unknown source id 'sdg:9.9'" in problem.message


def test_the_collector_is_paused_while_a_course_is_prepared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`prepare` pauses Python's cycle collector while it loads and renders, and turns it
    back on afterwards, also when the course has problems; one already paused stays so."""
    import gc

    from coursegen import pipeline

    seen: list[bool] = []
    real = pipeline.load_course

    def loading(root: Path) -> Any:
        seen.append(gc.isenabled())
        return real(root)

    monkeypatch.setattr(pipeline, "load_course", loading)
    assert gc.isenabled()
    pipeline.prepare(FIXTURES / "minimal")
    assert seen == [False]
    assert gc.isenabled()
    broken = tmp_path / "broken"
    shutil.copytree(FIXTURES / "minimal", broken)
    (broken / "_toc.yml").write_text("parts: [", "utf-8")
    with pytest.raises(CourseError):
        pipeline.prepare(broken)
    assert seen == [False, False]
    assert gc.isenabled()
    gc.disable()
    try:
        pipeline.prepare(FIXTURES / "minimal")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_block_macros_are_the_page_macros_that_write_blocks() -> None:
    """`BLOCK_MACROS` (what `check` wants alone on its line) names macros the pages have,
    and every one the authoring guide calls block-level."""
    from coursegen.model import BLOCK_MACROS
    from coursegen.render import Renderer

    course, _ = load_course(FIXTURES / "minimal")
    assert course is not None
    assert set(BLOCK_MACROS) <= set(Renderer(course, "en").env.globals)
    guide = (Path(__file__).parent.parent / "docs" / "authoring.md").read_text("utf-8")
    said = guide.split("Macro output is block-level Markdown for", 1)[1].split(":", 1)[0]
    assert {name.strip("`\n ") for name in said.replace(" and ", ",").split(",")} == set(BLOCK_MACROS)


def test_the_glossary_is_a_list_that_a_phone_shows_whole() -> None:
    """The glossary was a table of three columns: on a phone, its definitions were a column
    140 px wide, cut off. It is a list: each term, its translation, its definition."""
    import yaml

    from coursegen.pipeline import prepare

    terms = yaml.safe_load((ROOT / "modules" / "common" / "glossary.yml").read_text("utf-8"))["terms"]
    _, books = prepare(ROOT)
    for book in books:
        page = next(rp.markdown for rp in book.pages if rp.page.key == "modules/common/glossary")
        other = "en" if book.lang == "fr" else "fr"
        assert "|---" not in page
        items = [line for line in page.split("\n") if line.startswith('- <span id="cg-term-')]
        assert len(items) == len(terms)
        assert all(f'<span id="cg-term-{t["id"]}"></span>**' in page for t in terms)  # the same in both
        first = sorted(terms, key=lambda t: t[book.lang]["term"].lower())[0]
        assert any(first[book.lang]["term"] in line and first[other]["term"] in line for line in items)
        assert all(f'<span lang="{other}">*' in line for line in items)  # read out in its own language


def test_a_phone_number_as_a_phone_dials_it() -> None:
    """The `tel` filter: the digits and a leading '+' of a number; nothing for a text that
    is not one (no link is made then)."""
    from coursegen.render import _dialled

    assert _dialled("+32 2 511 64 64") == "+3225116464" and _dialled("112") == "112" and _dialled("19") == "19"
    assert _dialled("0800 (14) 680") == "080014680"
    # Belgian and French ways: "(0)" after the country code is not dialled; '/' and '.' separate
    assert _dialled("+32 (0)3 201 16 90") == "+3232011690" and _dialled("+33 (0)6 12 34 56 78") == "+33612345678"
    assert _dialled("04/232.40.30") == "042324030" and _dialled("02 (0) 511") == "020511"
    assert _dialled("0032 (0)3 201 16 90") == "003232011690"
    for text in ("0800 #HELP", "ask your trainer", "7", "", "1+2", "112 / 101", "112/ 101", "112/101", "24/7"):
        assert _dialled(text) == "", text
    for text in ("+32 2 511 64 64 (24/7)", "1/2", "112/101/100"):
        assert _dialled(text) == "", text


def test_each_number_of_a_field_is_a_link_of_its_own() -> None:
    """The `phones` filter: a field holding several numbers ("17 / 18", "17 (police) ou
    112", France's) gives a link for each, the words around kept; one number, a link; a
    text that holds none, or a number with more than a note after it, no link."""
    from coursegen.render import _phones

    nb = "\u00a0"
    assert _phones("17 / 18") == "[17](tel:17) / [18](tel:18)"
    assert _phones("17 (police) ou 112") == f"[17](tel:17){nb}(police) ou [112](tel:112)"
    assert _phones("15, 17; 18") == "[15](tel:15), [17](tel:17); [18](tel:18)"
    assert _phones("+32 (0)3 201 16 90") == f"[+32{nb}(0)3{nb}201{nb}16{nb}90](tel:+3232011690)"
    assert _phones("04/232.40.30") == "[04/232.40.30](tel:042324030)"
    for text in ("0800 #HELP", "112/101", "24/7", "ask your trainer"):
        assert "tel:" not in _phones(text), text
    # an area code written apart from its number is one number, not two to dial
    assert _phones("02 / 511 64 64") == f"[02{nb}/{nb}511{nb}64{nb}64](tel:025116464)"
    for text in ("+32 (0)2 / 511 64 64", "0 800 / 12 34 56"):  # no part of them dials on its own
        assert "tel:" not in _phones(text), text
    # a note in brackets after a number, commas and slashes in it included
    assert _phones("0800 30 030 (24/7)") == f"[0800{nb}30{nb}030](tel:080030030){nb}(24/7)"
    assert _phones("116 006 (gratuit, 24 h/24)") == f"[116{nb}006](tel:116006){nb}(gratuit, 24 h/24)"


ACTION_QUOTED = (
    r"^> — \*(?:Pacte mondial pour des migrations sûres, ordonnées et régulières, objectif 10|"
    r"Global Compact for Safe, Orderly and Regular Migration, Objective 10), action ([a-j])"
    r"( \(translated by this course\))?\*$"
)
"""The line under a quote of an action (a definition's, which names one too, ends otherwise)."""


def test_a_quote_in_the_course_s_own_translation_says_so() -> None:
    """The English of actions f–j and of the practices is the course's translation
    (`translated: [en]`): each English quote of them says so under it, as a quote of the
    Compact's official English (actions a–e) and every French quote (the seed, verbatim)
    do not. Control: both kinds are quoted in the default course."""
    import re

    _, books = prepare(ROOT)
    said: dict[tuple[str, str], set[bool]] = {}
    for book in books:
        for rendered in book.pages:
            for letter, mark in re.findall(ACTION_QUOTED, rendered.markdown, re.M):
                said.setdefault((book.lang, letter), set()).add(bool(mark))
    assert said, "no quote of an action found"
    for (lang, letter), marks in said.items():
        assert marks == {lang == "en" and letter in "fghij"}, (lang, letter, marks)
    assert {letter for lang, letter in said if lang == "en"} & set("fghij")
    assert {letter for lang, letter in said if lang == "en"} & set("abcde")
    # the practices' English, all of it the course's translation (`translated:` for the file)
    practices = {
        (book.lang, line.endswith(" (translated by this course)*"))
        for book in books
        for rendered in book.pages
        for line in rendered.markdown.splitlines()
        if line.startswith("> — *Migration Network Hub, ")
    }
    assert practices == {("fr", False), ("en", True)}, practices


def test_the_questions_after_a_case_study_have_a_heading_of_their_own(minimal_course: Path) -> None:
    """The questions after a case study fell under its heading (a screen reader's outline
    put them in the case), with nothing to show where the case ends: they get a heading
    of their own; a case study last, or followed by another, does not."""
    from coursegen import quizzes
    from coursegen.loading import load_course
    from coursegen.quizhtml import render_quiz

    course, _ = load_course(minimal_course)
    assert course is not None
    public = quizzes.public_questions(quizzes.selected(course, ["police"]), "en")
    case = next(q for q in public if q["type"] == "scenario")
    others = [q for q in public if q["type"] != "scenario"]
    after = render_quiz("police", "Course", "en", [case, *others])
    assert (
        after.index("</section>") < after.index('<h3 class="cg-more">More questions</h3>') < after.index("cgq-t-single")
    )
    assert after.count("cg-more") == 1
    for order in ([*others, case], [case, case]):
        assert "cg-more" not in render_quiz("police", "Course", "en", order)


def test_a_quiz_whose_answers_outgrow_what_scorm_keeps_is_told(minimal_course: Path, tmp_path: Path) -> None:
    """SCORM 1.2 keeps 4096 characters of a trainee's answers between sessions; the page's
    script saves none past that. Written answers are capped by their box (maxlength), so
    the export can tell the quiz that could outgrow it: one with many of them; not the
    fixture's own quiz."""
    from coursegen import quizzes
    from coursegen.exporters.scorm import SUSPEND_DATA_MAX, overfull_quizzes, suspend_data_bound
    from coursegen.quizhtml import ANSWER_MAX, render_quiz

    course, _ = load_course(minimal_course)
    assert course is not None
    public = quizzes.public_questions(quizzes.selected(course, ["police"]), "en")
    short = next(q for q in public if q["type"] == "short")
    many = [{**short, "id": f"t-short-{n}"} for n in range(12)]  # about 420 characters each
    (tmp_path / "police").mkdir()
    pages = {"police/few.html": public, "police/many.html": many}
    for name, questions in pages.items():
        html = render_quiz("police", "Course", "en", questions)
        assert f'name="answer" autocomplete="off" maxlength="{ANSWER_MAX}"' in html
        (tmp_path / name).write_text(f"<html><body>{html}</body></html>", "utf-8")
    assert suspend_data_bound(many) > SUSPEND_DATA_MAX
    told = overfull_quizzes(tmp_path, list(pages))
    assert len(told) == 1, told
    assert told[0].startswith(
        f"the quiz of page police/many.html (12 questions, of bank police): a trainee's answers "
        f"can take {suspend_data_bound(many)} characters, and SCORM 1.2 keeps 4096"
    ), told


def test_the_names_a_page_is_rendered_with_are_those_check_knows() -> None:
    """`_PAGE_NAMES` (what `check` does not tell as unknown in a page) is what pages are
    rendered with, and every one is in docs/authoring.md: a name added to one and not the
    others was told unknown in a page that builds, or missing from the guide."""
    from coursegen.render import _PAGE_NAMES, Renderer

    course, _ = load_course(FIXTURES / "minimal")
    assert course is not None
    page = next(p for p in course.pages.values() if p.lang == "en")
    assert set(Renderer(course, "en")._names(page)) == _PAGE_NAMES
    guide = (ROOT / "docs" / "authoring.md").read_text("utf-8")
    assert all(f"`{name}`" in guide for name in _PAGE_NAMES)
