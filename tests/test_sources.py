"""sources/*.yml quote the seed word for word, and hold every item the course needs."""

from __future__ import annotations

import re

import pytest

import seed
from conftest import ROOT
from coursegen.loading import load_course
from coursegen.model import Course


@pytest.fixture(scope="module")
def course() -> Course:
    loaded, problems = load_course(ROOT)
    assert loaded is not None and not problems, problems
    return loaded


def _full(course: Course, ident: str, lang: str) -> str:
    item = course.sources[ident]
    rest = item.text[lang]
    sep = "" if not rest or rest[0] in ",;." else " "
    return seed.norm(item.title[lang] + sep + rest)


def test_seed_parser_finds_every_item() -> None:
    assert sorted(seed.actions()) == list("abcdefghij")
    assert sorted(seed.sdg_targets()) == ["10.7", "16.2", "16.3", "5.2", "8.7", "8.8"]
    assert len(seed.protect()) == 4


@pytest.mark.parametrize("letter", list("abcdefghij"))
def test_action_is_verbatim(course: Course, letter: str) -> None:
    assert _full(course, f"action:{letter}", "fr") == seed.actions()[letter]


@pytest.mark.parametrize("target", ["5.2", "8.7", "8.8", "10.7", "16.2", "16.3"])
def test_sdg_target_is_verbatim(course: Course, target: str) -> None:
    assert seed.norm(course.sources[f"sdg:{target}"].text["fr"]) == seed.sdg_targets()[target]


def test_practices_are_verbatim(course: Course) -> None:
    assert seed.norm(course.sources["practice:ab-629"].text["fr"]) == seed.ab629()
    intro, *aims = seed.protect()
    assert seed.norm(course.sources["practice:protect"].text["fr"]) == intro
    assert [
        seed.norm(course.sources[f"practice:protect/{a}"].text["fr"]) for a in ("skills", "data", "exchange")
    ] == aims
    assert seed.norm(course.sources["practice:brazil-inspection"].text["fr"]) == seed.brazil_paragraph()
    assert seed.norm(course.sources["practice:brazil-inspection/under-attack"].text["fr"]) == seed.brazil_note()


BRAZIL_POINTS = ["labour-law", "confidentiality", "regularisation", "permanent-residence", "mercosur", "other-permits"]


def test_brazil_guidelines_are_separate_excerpts(course: Course) -> None:
    paragraph = seed.brazil_paragraph()
    for point in BRAZIL_POINTS:
        item = course.sources[f"practice:brazil-inspection/{point}"]
        assert item.role == "excerpt"
        assert seed.norm(item.text["fr"]) in paragraph
    # together, the excerpts hold every guideline of the paragraph
    covered = sum(len(seed.norm(course.sources[f"practice:brazil-inspection/{p}"].text["fr"])) for p in BRAZIL_POINTS)
    guidelines = paragraph.split("Elles précisent, par exemple, ", 1)[1]
    assert covered > 0.85 * len(guidelines)


def test_definitions_the_course_relies_on(course: Course) -> None:
    for point in ("act", "means", "purpose", "consent", "child"):
        assert f"definition:trafficking/{point}" in course.sources
    assert len(course.sources["definition:ilo-indicators"].points) == 11
    for ident in (
        "definition:smuggling",
        "definition:forced-labour",
        "definition:non-punishment",
        "definition:global-plan",
    ):
        assert course.sources[ident].label["fr"] and course.sources[ident].label["en"]


def test_english_is_never_the_french(course: Course) -> None:
    for item in course.sources.values():
        if item.text["fr"]:
            assert item.text["en"] != item.text["fr"], item.id


def test_trafficking_and_smuggling_are_not_confused() -> None:
    """'traite' is trafficking and 'trafic illicite de migrants' is smuggling: no English
    page may call smuggling 'trafficking of migrants', no French page 'traite de migrants'
    for smuggling."""
    for lang, confusion in (("en", "trafficking of migrants"), ("fr", "traite de migrants")):
        pages = sorted((ROOT / "modules").rglob(f"*.{lang}.md"))
        assert len(pages) > 15, lang
        for path in pages:
            assert confusion not in " ".join(path.read_text("utf-8").lower().split()), path
    glossary = (ROOT / "modules" / "common" / "glossary.yml").read_text("utf-8")
    assert "trafic illicite de migrants" in glossary and "smuggling of migrants" in glossary.lower()


def test_assistance_is_never_said_unconditional() -> None:
    """Action g rules out one condition, cooperation with the authorities: help is not
    'unconditional' (Palermo art. 6(3) gives it 'in appropriate cases', and national law
    sets who is a presumed victim). Pages, diagrams, quizzes and the boxes' templates name
    the condition; what else is said to have none is listed below, with why."""
    package = ROOT / "src" / "coursegen"
    files = [
        *(ROOT / "modules").rglob("*.md"),
        *(ROOT / "modules").rglob("*.yml"),
        *(ROOT / "quizzes").glob("*.yml"),
        *(package / "templates").glob("*.md"),
        package / "scaffold.py",
    ]
    assert len(files) > 40
    short = re.compile(
        r"\binconditionnel\w*|\bunconditional\w*|\bno strings attached"
        r"|\bsans (?:aucune )?conditions?\b(?! de coop)|\bwith(?:out| no) (?:any )?conditions?\b(?! of coop)",
        re.I,
    )
    not_help = {  # what has no condition, and is not help
        ("quizzes/labour-inspectors.yml", "sans condition"),  # confidentiality, "pleinement garantie"
        ("quizzes/labour-inspectors.yml", "without conditions"),
        ("quizzes/officials.yml", "sans condition"),  # the definition: "sans condition de passage de frontière"
    }
    found = {
        (path.relative_to(ROOT).as_posix(), m.group(0))
        for path in files
        for m in short.finditer(" ".join(path.read_text("utf-8").split()))
    }
    assert found - not_help == set()
    assert not_help <= found  # (the list kept to what is there)
    for said in (
        "être aidé sans condition, pouvoir",
        "l'aide est accordée sans conditions aux victimes",
        "une assistance sans aucune condition",
        "l'assistance doit être inconditionnelle",
        "Unconditional assistance",
        "help is given unconditionally",
        "assistance to every victim is provided without conditions",
        "help with no strings attached",
    ):
        assert short.search(said), said
    for said in ("sans condition de coopération", "sans condition de coopérer", "not conditional on cooperation"):
        assert not short.search(said), said
