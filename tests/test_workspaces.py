"""Trainer workspaces: `coursegen new`, layers, country profile, explain, safety."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from casefile import parse
from conftest import COURSE_PARTS, FIXTURES, ROOT, coursegen
from coursegen.cli import main
from coursegen.errors import display_path

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted((Path(__file__).parent / "trainer_cases").glob("*.txt"))


def copy_builtin(target: Path) -> Path:
    """A copy of the built-in course that a test may change (COURSEGEN_BUILTIN points to it)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in COURSE_PARTS:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, target / name)
    return target


def html(site: Path, lang: str, page: str) -> str:
    return (site / lang / "_build" / "html" / f"{page}.html").read_text("utf-8")


def text_of(site: Path, lang: str, page: str) -> str:
    return " ".join(BeautifulSoup(html(site, lang, page), "html.parser").get_text(" ").split())


def tree(folder: Path, skip: str = "build") -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] != skip
    }


@pytest.mark.slow
def test_new_folder_passes_check_and_strict_build(tmp_path: Path) -> None:
    folder = tmp_path / "senegal"
    result = coursegen("new", str(folder), "--audience", "labour-inspectors", "--lang", "fr")
    assert result.returncode == 0, result.stderr
    for rel in (
        "_config.yml",
        "_toc.yml",
        "country.yml",
        "modules/README.md",
        "quizzes/README.md",
        "templates/README.md",
    ):
        assert (folder / rel).is_file(), rel
    assert coursegen("check", str(folder)).returncode == 0
    built = coursegen("build", str(folder), "--strict")
    assert built.returncode == 0, built.stdout + built.stderr
    assert (folder / "build" / "fr" / "_build" / "html" / "index.html").is_file()
    text = text_of(folder / "build", "fr", "labour-inspectors/refer")
    assert "demandez à votre formateur le numéro de la ligne nationale contre la traite" in text


def test_new_keeps_answer_keys_and_results_out_of_version_control(tmp_path: Path) -> None:
    """The trainer's guide advises keeping a course folder under version control: what
    `export` writes there by default holds every question's answer, and `grade`'s output the
    trainees' results. Asked of git itself, which reads the .gitignore that `new` writes."""
    folder = tmp_path / "senegal"
    assert main(["new", str(folder), "--audience", "police", "--lang", "fr"]) == 0
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    paths = ["build/fr/index.html", "exports/course-fr.zip", "grades/scores.csv", "quizzes/police.yml", "_toc.yml"]
    asked = subprocess.run(["git", "check-ignore", *paths], cwd=folder, capture_output=True, text=True)
    assert asked.stdout.split() == paths[:3], asked


def test_a_quiz_whose_page_leaves_the_table_of_contents_is_told_in_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Taking the part's last page out of _toc.yml took its quiz (shown there) out of the
    book, and `check` and `build` said nothing. Told in a note at the part, with the page to
    list again, without stopping: a quiz kept out of the book on purpose (given in Moodle, on
    paper) still exports. A part left out whole is told once, of its audience (see
    test_an_audience_without_pages_in_the_table_of_contents_is_told), not of its quiz; a
    trainer's page that replaces the one showing the quiz, without it, is."""
    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "labour-inspectors", "--lang", "fr"]) == 0
    toc = folder / "_toc.yml"
    text = toc.read_text("utf-8")
    assert "  - file: modules/labour-inspectors/refer\n" in text
    toc.write_text(text.replace("  - file: modules/labour-inspectors/refer\n", ""), "utf-8")
    capsys.readouterr()
    assert main(["check", str(folder)]) == 0
    out = capsys.readouterr().out
    line = (
        next(n for n, x in enumerate(text.splitlines(), 1) if "Inspection du travail" in x) - 1
    )  # the part's '- caption:'
    count = len(yaml.safe_load((ROOT / "quizzes" / "labour-inspectors.yml").read_text("utf-8"))["items"])
    assert (
        f"note: {folder / '_toc.yml'}:{line}:3: the quiz of 'labour-inspectors' ({count} questions) is on no page: "
        "the page that shows it, modules/labour-inspectors/refer, is not in the table of contents. To show it in "
        "the book, list that page again, or put {{ quiz() }} on another page of this part"
    ).replace(str(Path.cwd()) + "/", "") in out, out
    assert out.count("note:") == 1, out
    from coursegen.pipeline import prepare

    prepare(folder)  # what every export reads the course with: no error (a GIFT export was refused)
    # the whole part left out: no quiz expected
    part = text[
        text.index("- caption:\n    fr: Inspection du travail") : text.index("- caption:\n    fr: Vue d'ensemble")
    ]
    toc.write_text(text.replace(part, ""), "utf-8")
    capsys.readouterr()
    assert main(["check", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.count("note:") == 1 and "audience 'labour-inspectors' has no page in _toc.yml" in out, out
    # the part listed whole, and its page replaced by one without the quiz
    toc.write_text(text, "utf-8")
    (folder / "modules" / "labour-inspectors").mkdir(parents=True, exist_ok=True)
    (folder / "modules" / "labour-inspectors" / "refer.fr.md").write_text("# Orienter : la procédure locale\n", "utf-8")
    assert main(["check", str(folder)]) == 0
    assert (
        "no page of this part shows it. To show it in the book, put {{ quiz() }} on one of them"
        in capsys.readouterr().out
    )


def test_an_audience_without_pages_in_the_table_of_contents_is_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An audience added to course.audiences in _config.yml, its part not added to _toc.yml:
    `check` said "ok" (and counted its questions), `build --audience police` made a site
    without a police page or quiz, and `export` gave its questions. Told in a note at the
    audience in _config.yml, with the pages to list; a build asked for that audience stops
    on it, before it writes anything; an export of its questions is made."""
    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "labour-inspectors", "--lang", "fr"]) == 0
    config = folder / "_config.yml"
    config.write_text(config.read_text("utf-8") + "  - id: police\n    title: {fr: Police, en: Police}\n", "utf-8")
    line = len(config.read_text("utf-8").splitlines()) - 1
    capsys.readouterr()
    assert main(["check", str(folder)]) == 0
    out = capsys.readouterr().out
    said = (
        f"_config.yml:{line}:9: audience 'police' has no page in _toc.yml: a site built for it holds none of "
        "its pages nor its quiz ("
    )
    assert f"note: {display_path(folder)}/{said}" in out, out
    assert "questions). To build it, add a part to _toc.yml that lists its pages (modules/police/" in out
    assert out.count("note:") == 1, out
    # its questions counted as the report above counts them: a case study's each (it said 21, then 22)
    counted = re.search(r"quiz items for police: (\d+) of its own", out)
    assert counted and f"nor its quiz ({counted.group(1)} questions)" in out, out
    site = tmp_path / "site"
    assert main(["build", str(folder), "--audience", "police", "--out", str(site)]) == 1
    err = capsys.readouterr().err
    assert f"{display_path(folder)}/{said}" in err and "To build its site, add a part" in err, err
    assert err.rstrip().endswith("[toc-missing]\n1 problem(s) found."), err
    assert not site.exists()
    assert main(["export", "gift", str(folder), "--audience", "police", "--out", str(tmp_path / "e")]) == 0
    assert (tmp_path / "e" / "gift-police-fr.txt").is_file()
    # the part listed: nothing told
    toc = folder / "_toc.yml"
    toc.write_text(
        toc.read_text("utf-8")
        + "- caption: Police\n  chapters:\n  - file: modules/police/recognise\n"
        + "  - file: modules/police/respond\n  - file: modules/police/cooperate\n",
        "utf-8",
    )
    capsys.readouterr()
    assert main(["check", str(folder)]) == 0
    assert "note:" not in capsys.readouterr().out


def test_a_book_of_one_audience_does_not_send_trainees_to_other_parts() -> None:
    """A workshop's book for the police only said on its home page "nothing stops you from
    reading the other parts too", which that book does not hold. The home page gets the
    book's audiences (`audiences`), and says what the edition holds."""
    from coursegen.pipeline import prepare

    said = {
        "en": (
            "Nothing stops you from reading the other parts too",
            "this edition holds the part for your audience only",
        ),
        "fr": (
            "rien ne vous empêche de lire aussi les autres parties",
            "cette édition ne contient que la partie de votre public",
        ),
    }
    for chosen, whole in ((None, True), (["police"], False)):
        _, books = prepare(ROOT, audiences=chosen)
        for book in books:
            home = book.files["index.md"].decode("utf-8")
            other_parts, this_edition = said[book.lang]
            assert (other_parts in home, this_edition in home) == (whole, not whole), (chosen, book.lang)


def test_new_refuses_a_folder_that_is_not_empty_and_unknown_audiences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "notes.txt").write_text("mine")
    assert main(["new", str(tmp_path / "x")]) == 2
    assert "not empty" in capsys.readouterr().err
    assert main(["new", str(tmp_path / "y"), "--audience", "judges"]) == 2
    assert (
        "unknown audience 'judges' (choose from: police, employers, labour-inspectors, officials); an audience "
        "of your own is added to a course folder made with a built-in one (see docs/trainers.md)"
        in capsys.readouterr().err
    )
    assert not (tmp_path / "y").exists()


@pytest.mark.slow
def test_trainer_changes_reach_the_html_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "senegal"
    assert coursegen("new", str(folder), "--audience", "labour-inspectors", "--lang", "fr").returncode == 0
    country = yaml.safe_load((folder / "country.yml").read_text())
    country["hotline"]["number"] = "+000 800 11 22 33"
    country["emergency"] = {"number": "17 (police) / 18"}  # two numbers, France's: two links
    # a backtick typed for an apostrophe: it ended the box's fence, which showed as text
    country["organisation"] = {"name": "Direction du travail d`État ZX-ORG", "logo": "org.svg"}
    logo = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>'
    (folder / "org.svg").write_text(logo, "utf-8")
    # a favicon of that file name: the site keeps both under _static/, by file name
    favicon = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><circle r="4"/></svg>'
    (folder / "img").mkdir()
    (folder / "img" / "logo.svg").write_text(favicon, "utf-8")
    with (folder / "_config.yml").open("a", encoding="utf-8") as settings:
        settings.write("html:\n  favicon: img/logo.svg\n")
    country["referral"] = [{"name": "Cellule d'appui aux victimes (exemple)", "phone": "+000 00 00 00"}]
    (folder / "country.yml").write_text(yaml.safe_dump(country, allow_unicode=True))
    # override one page, add one page
    (folder / "modules" / "labour-inspectors").mkdir()
    (folder / "modules" / "labour-inspectors" / "act.fr.md").write_text(
        "# Agir : version du formateur\n\nTexte propre au formateur ZX-ACT.\n\n{{ action('e') }}\n"
    )
    (folder / "modules" / "labour-inspectors" / "local-law.fr.md").write_text(
        "# La loi nationale\n\nPage ajoutée ZX-NEW.\n\n{{ who_to_call() }}\n"
    )
    toc = yaml.safe_load((folder / "_toc.yml").read_text())
    part = next(p for p in toc["parts"] if any("labour-inspectors" in c["file"] for c in p["chapters"]))
    part["chapters"].insert(0, {"file": "modules/labour-inspectors/local-law"})
    (folder / "_toc.yml").write_text(yaml.safe_dump(toc, allow_unicode=True))
    # override one question, disable one, add one
    bank = yaml.safe_load((ROOT / "quizzes" / "labour-inspectors.yml").read_text())["items"]
    singles = [i for i in bank if i["type"] == "single"]
    replaced, disabled = singles[0], singles[1]
    override = {**replaced, "override": True, "prompt": {"fr": "Question remplacée ZX-OVR ?", "en": "Replaced ZX-OVR?"}}
    added = {**singles[2], "id": "insp-local-zx", "prompt": {"fr": "Question ajoutée ZX-ADD ?", "en": "Added ZX-ADD?"}}
    (folder / "quizzes" / "labour-inspectors.yml").write_text(
        yaml.safe_dump({"items": [override, {"id": disabled["id"], "disabled": True}, added]}, allow_unicode=True)
    )
    before = tree(folder)
    result = coursegen("build", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    assert tree(folder) == before  # nothing written in the course folder but build/

    site = folder / "build"
    assert "Texte propre au formateur ZX-ACT." in text_of(site, "fr", "labour-inspectors/act")
    assert "+000 800 11 22 33" in text_of(site, "fr", "labour-inspectors/refer")  # built-in page, trainer's hotline
    assert 'href="tel:+000800112233"' in html(site, "fr", "labour-inspectors/refer")  # a tap on a phone calls it
    assert re.search(
        r'href="tel:17"[^>]*>17</a>\u00a0\(police\) / <a [^>]*href="tel:18"',
        html(site, "fr", "labour-inspectors/refer"),
    )
    assert "Direction du travail d`État ZX-ORG" in text_of(site, "fr", "labour-inspectors/refer")
    title = re.search(r'<p class="admonition-title">([^<]*ZX-ORG)</p>', html(site, "fr", "labour-inspectors/refer"))
    assert title is not None and "{admonition}" not in html(site, "fr", "labour-inspectors/refer")
    static = site / "fr" / "_build" / "html" / "_static"
    assert (static / "logo-2.svg").read_text("utf-8") == logo and (static / "logo.svg").read_text("utf-8") == favicon
    assert 'src="_static/logo-2.svg"' in html(site, "fr", "index")
    assert re.search(r'<link rel="icon" href="_static/logo.svg"', html(site, "fr", "index"))
    assert "Cellule d'appui aux victimes (exemple)" in text_of(site, "fr", "labour-inspectors/refer")
    assert "Page ajoutée ZX-NEW." in text_of(site, "fr", "labour-inspectors/local-law")
    quiz = html(site, "fr", "labour-inspectors/refer")
    assert "Question remplacée ZX-OVR ?" in quiz and replaced["prompt"]["fr"] not in quiz
    assert "Question ajoutée ZX-ADD ?" in quiz
    assert f'data-id="{disabled["id"]}"' not in quiz and f'data-id="{replaced["id"]}"' in quiz
    built = {
        p.relative_to(site / "fr" / "_build" / "html").parts[0]
        for p in (site / "fr" / "_build" / "html").rglob("*.html")
    }
    assert {"police", "employers", "officials", "trainer"}.isdisjoint(built) and "labour-inspectors" in built
    assert not (site / "en").exists()


@pytest.mark.slow
def test_upgrades_reach_what_the_trainer_did_not_override(tmp_path: Path) -> None:
    builtin = copy_builtin(tmp_path / "builtin")
    env = {"COURSEGEN_BUILTIN": str(builtin)}
    folder = tmp_path / "course"
    assert coursegen("new", str(folder), "--audience", "labour-inspectors", "--lang", "fr", env=env).returncode == 0
    (folder / "modules" / "labour-inspectors").mkdir()
    (folder / "modules" / "labour-inspectors" / "act.fr.md").write_text("# Agir\n\nLe texte du formateur ZX-MINE.\n")
    assert coursegen("build", str(folder), env=env).returncode == 0
    # the next release changes two built-in pages: one the trainer overrode, one not
    for name, mark in (("detect", "NOUVEAUTÉ ZX-2027"), ("act", "CHANGEMENT ZX-IGNORED")):
        page = builtin / "modules" / "labour-inspectors" / f"{name}.fr.md"
        page.write_text(page.read_text("utf-8") + f"\n\n{mark}\n", "utf-8")
    result = coursegen("build", str(folder), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "NOUVEAUTÉ ZX-2027" in text_of(folder / "build", "fr", "labour-inspectors/detect")
    act = text_of(folder / "build", "fr", "labour-inspectors/act")
    assert "Le texte du formateur ZX-MINE." in act and "ZX-IGNORED" not in act


def explain_output(tmp_path: Path) -> str:
    """explain on a course folder over the minimal fixture course, with one of each change."""
    env = {"COURSEGEN_BUILTIN": str(FIXTURES / "minimal")}
    folder = tmp_path / "course"
    assert coursegen("new", str(folder), "--audience", "police", "--lang", "fr", env=env).returncode == 0
    (folder / "country.yml").write_text('hotline: {number: "+000 1"}\ncountry: {fr: "Pays", en: "Country"}\n')
    (folder / "modules" / "police").mkdir()
    (folder / "modules" / "police" / "recognise.fr.md").write_text("# Repérer, version locale\n\n{{ quiz() }}\n")
    (folder / "templates" / "who-to-call.md").write_text(
        '{% extends "builtin:who-to-call.md" %}\n{% block extra %}- Ligne locale{% endblock %}\n'
    )
    (folder / "quizzes" / "police.yml").write_text(
        "items:\n  - {id: t-order, disabled: true}\n  - {id: t-scenario, disabled: true}\n"
        "  - id: t-single\n    override: true\n    type: single\n    audiences: [police]\n"
        '    sources: [action:e]\n    prompt: {fr: "Vrai ?"}\n    explanation: {fr: Oui.}\n    options:\n'
        "      - {id: a, text: {fr: Vrai}, correct: true, feedback: {fr: Oui.}}\n"
        "      - {id: b, text: {fr: Faux}, feedback: {fr: Non.}}\n"
    )
    result = coursegen("explain", str(folder), env=env)
    assert result.returncode == 0, result.stderr
    one = coursegen("explain", str(folder), "t-single", env=env)
    page = coursegen("explain", str(folder), "police/recognise", env=env)
    return (
        result.stdout
        + "\n$ coursegen explain course t-single\n"
        + one.stdout
        + "\n$ coursegen explain course police/recognise\n"
        + page.stdout
    )


def test_explain_golden(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    output = explain_output(tmp_path)
    golden = GOLDEN / "explain.txt"
    if request.config.getoption("--update-goldens"):
        golden.write_text(output, "utf-8")
    assert output == golden.read_text("utf-8"), "explain output changed: check it, then run pytest --update-goldens"


@pytest.mark.parametrize("case_path", CASES, ids=[p.stem for p in CASES])
def test_trainer_case(
    case_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad input in a course folder: each case's exact messages (paths relative to the folder)."""
    monkeypatch.setenv("COURSEGEN_BUILTIN", str(FIXTURES / "minimal"))
    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "police", "--lang", "fr"]) == 0
    capsys.readouterr()
    case = parse(case_path)
    case.apply(folder)
    monkeypatch.chdir(folder)
    code = main(["check"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert [*(line for line in err.splitlines() if line.strip()), f"exit {code}"] == case.expected


def test_a_box_template_that_runs_without_end_is_stopped_once_at_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trainer's box template whose loop would run for hours: stopped after its processor
    time (made short here), said once at its own line, not at each page that shows it, and
    not run again for the next page."""
    from coursegen import render

    monkeypatch.setattr(render, "RENDER_SECONDS", 0.5)
    monkeypatch.setenv("COURSEGEN_BUILTIN", str(FIXTURES / "minimal"))
    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "police", "--lang", "fr"]) == 0
    (folder / "templates" / "who-to-call.md").write_text(
        '{% extends "builtin:who-to-call.md" %}\n{% block extra %}\n'
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n{% endblock %}\n",
        "utf-8",
    )
    (folder / "modules" / "police").mkdir(parents=True, exist_ok=True)
    (folder / "modules" / "police" / "recognise.fr.md").write_text(
        "# Repérer\n\n{{ who_to_call() }}\n\n{{ quiz() }}\n", "utf-8"
    )
    (folder / "modules" / "common").mkdir(parents=True, exist_ok=True)
    (folder / "modules" / "common" / "basics.fr.md").write_text("# Les bases\n\n{{ who_to_call() }}\n", "utf-8")
    capsys.readouterr()
    monkeypatch.chdir(folder)
    started = time.process_time()
    assert main(["check"]) == 1
    assert time.process_time() - started < 5 * render.RENDER_SECONDS  # once, not once per page
    err = capsys.readouterr().err
    assert err.splitlines()[:2] == [
        "templates/who-to-call.md:3:1: this template takes more than 0.5 s to render (a loop that runs too long?) [template-error]",
        "1 problem(s) found.",
    ], err


def test_disabling_a_question_of_an_audience_the_course_lacks_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The built-in course has the question, for an audience this course does not take:
    said so, not that the question does not exist."""
    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "labour-inspectors", "--lang", "fr"]) == 0
    (folder / "quizzes" / "labour-inspectors.yml").write_text("items:\n  - {id: pol-myth-border, disabled: true}\n")
    capsys.readouterr()
    assert main(["check", str(folder)]) == 1
    err = capsys.readouterr().err
    assert (
        "labour-inspectors.yml:2:10: cannot disable question 'pol-myth-border': it is a question for police, "
        "an audience this course does not have [unknown-question]"
    ) in err


def test_a_based_course_may_leave_out_what_the_built_in_one_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`_config.yml` merges over the built-in configuration (docs/trainers.md): a course
    based on it can give only what it changes; a course of its own must give the three."""
    from coursegen.loading import load_course

    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "police", "--lang", "fr"]) == 0
    (folder / "_config.yml").write_text("course:\n  base: builtin\n  pass_mark: 70\n", "utf-8")
    course, problems = load_course(folder)
    assert problems == [] and course is not None
    assert course.pass_mark == 70 and course.languages == ["fr", "en"] and len(course.audience_ids) == 4
    capsys.readouterr()
    assert main(["check", str(folder)]) == 0, capsys.readouterr().err
    (folder / "_config.yml").write_text("course:\n  pass_mark: 70\n", "utf-8")
    capsys.readouterr()
    assert main(["check", str(folder)]) == 1
    err = capsys.readouterr().err
    for key in ("title", "languages", "audiences"):
        assert f"_config.yml:2:3: missing required key '{key}' in 'course' [missing-key]" in err


def test_explain_tells_the_trainer_s_guide_as_part_of_the_built_in_common_layer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The trainer's guide is no audience's: `explain` said "built-in audience"."""
    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "police", "--lang", "fr"]) == 0
    capsys.readouterr()
    assert main(["explain", str(folder), "trainer/workshop"]) == 0
    out = capsys.readouterr().out
    assert "modules/trainer/workshop (fr)  built-in common" in out, out


def test_explain_says_extends_only_of_a_template_that_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The package's own box shows, in a comment, how to extend it: it extends nothing."""
    from coursegen.explain import _extended

    assert _extended('{# start with {% extends "builtin:who-to-call.md" %} #}\nText') == set()
    assert _extended('{% extends "builtin:who-to-call.md" %}') == {"builtin:who-to-call.md"}
    assert _extended("{% extends") == set()  # unreadable: check says why
    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "police", "--lang", "fr"]) == 0
    capsys.readouterr()
    assert main(["explain", str(folder), "who-to-call"]) == 0
    rows, _, hints = capsys.readouterr().out.partition("\n\n")
    assert "who-to-call.md" in rows and "package defaults" in rows and "extends" not in rows
    assert "to change template who-to-call.md: copy " in hints  # with how to extend it instead


def test_explain_tells_where_the_built_in_file_is_and_where_a_copy_replaces_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trainer asking about a built-in page or question learns which file to copy, from
    where on this machine, and where to put it (`builtin:PATH` alone named no real file)."""
    from coursegen.loading import load_course

    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "police", "--lang", "fr"]) == 0
    capsys.readouterr()
    assert main(["explain", str(folder), "modules/police/recognise"]) == 0
    hint = capsys.readouterr().out.strip().splitlines()[-1]
    source = re.search(r"copy (\S+) to modules/police/recognise\.fr\.md in your course folder", hint)
    assert source is not None, hint
    assert Path(source.group(1)).is_file() and Path(source.group(1)).name == "recognise.fr.md"
    question = next(q.id for q in load_course(folder)[0].questions if q.bank == "police")  # type: ignore[union-attr]
    assert main(["explain", str(folder), question]) == 0
    hint = capsys.readouterr().out.strip().splitlines()[-1]
    assert f"to change question {question}: copy it whole from " in hint and "'override: true'" in hint
    # a scenario's sub-question is overridden with its scenario (told so, at its own line)
    scenario = next(q for q in load_course(folder)[0].questions if q.data["type"] == "scenario")  # type: ignore[union-attr]
    sub = scenario.data["items"][1]
    assert main(["explain", str(folder), sub["id"]]) == 0
    row, _, hint = capsys.readouterr().out.strip().splitlines()
    assert row.split()[:3] == ["question", sub["id"], f"({sub['type']},"], row
    line = int(row.rsplit(":", 1)[1])
    written = Path(re.search(r"whole from (\S+) into", hint)[1]).read_text("utf-8").splitlines()  # type: ignore[index]
    assert written[line - 1].strip() == f"- id: {sub['id']}", (row, written[line - 1])  # its own line
    assert f"copy its scenario {scenario.id} whole from " in hint and "'override: true' to the scenario" in hint, hint
    # the course folder's own page: nothing to copy
    (folder / "modules" / "police").mkdir(parents=True, exist_ok=True)
    (folder / "modules" / "police" / "recognise.fr.md").write_text("# Repérer\n", "utf-8")
    assert main(["explain", str(folder), "modules/police/recognise"]) == 0
    assert "to change" not in capsys.readouterr().out


def test_a_caption_written_once_is_every_languages(tmp_path: Path) -> None:
    """`caption: Police du Nordland` (tests/trainer_cases/toc-caption-as-one-text.txt) is the
    part's caption in the French and the English book alike."""
    from coursegen.pipeline import prepare

    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "minimal", course)
    toc = course / "_toc.yml"
    text = toc.read_text("utf-8")
    assert '  - caption: {fr: "Police", en: "Police"}' in text
    toc.write_text(
        text.replace('  - caption: {fr: "Police", en: "Police"}', "  - caption: Police du Nordland"), "utf-8"
    )
    _, books = prepare(course)
    for book in books:
        parts = yaml.safe_load(book.files["_toc.yml"])["parts"]
        assert "Police du Nordland" in [part["caption"] for part in parts], book.lang


def test_an_overridden_question_stays_where_it_was(tmp_path: Path) -> None:
    """docs/trainers.md: an override "is shown where it was". It moved to the end of its
    quiz (and of the grade report): the 1st question of the bank became the last."""
    from coursegen.loading import load_course

    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "police", "--lang", "fr"]) == 0
    before = [q.id for q in load_course(folder)[0].questions if q.bank == "police"]  # type: ignore[union-attr]
    bank = yaml.safe_load((ROOT / "quizzes" / "police.yml").read_text("utf-8"))["items"]
    first = next(item for item in bank if item["id"] == before[0])
    first["override"] = True
    first["prompt"]["fr"] = "Vrai ou faux ? (reformulée)"
    (folder / "quizzes" / "police.yml").write_text(yaml.safe_dump({"items": [first]}, allow_unicode=True), "utf-8")
    course, problems = load_course(folder)
    assert course is not None and not problems, problems
    after = [q for q in course.questions if q.bank == "police"]
    assert [q.id for q in after] == before
    assert after[0].data["prompt"]["fr"] == "Vrai ou faux ? (reformulée)"


def test_a_french_only_course_s_home_page_speaks_of_no_english_version(tmp_path: Path) -> None:
    """The home page says how the English version quotes the texts only in a course that has
    one (`languages`, a page's variable): a French-only course's trainees read no mention of
    a version they do not have. Control: the built-in course, in both languages, says it."""
    from coursegen.pipeline import prepare

    folder = tmp_path / "senegal"
    assert main(["new", str(folder), "--audience", "police", "--lang", "fr"]) == 0
    said = {}
    for root in (folder, ROOT):
        _, books = prepare(root)
        home = next(rp for rp in books[0].pages if rp.page.out == "index")
        said[root] = home.markdown
    assert "version anglaise" not in said[folder] and "mot pour mot le document source." in said[folder]
    assert "dans la version anglaise, les actions a à e" in said[ROOT]


@pytest.mark.slow
def test_an_audience_whose_part_the_toc_leaves_out_is_named_on_the_home_page(tmp_path: Path) -> None:
    """A course for the police adds the employers to its audiences and leaves their part out
    of its _toc.yml (the quiz given on paper, or the part forgotten): `check` said "ok", and
    the build stopped on the built-in home page's link to the employers' first page, told in
    the built-in course's file. The link shows as its text, as a link to a part that a
    one-audience site leaves out does; the police's part is still linked."""
    folder = tmp_path / "course"
    assert coursegen("new", str(folder), "--audience", "police", "--lang", "fr").returncode == 0
    config = folder / "_config.yml"
    text = config.read_text("utf-8")
    config.write_text(text + "  - id: employers\n    title: {fr: Employeurs, en: Employers}\n", "utf-8")
    assert coursegen("check", str(folder)).returncode == 0
    built = coursegen("build", str(folder))
    assert built.returncode == 0, built.stdout + built.stderr
    home = BeautifulSoup(html(folder / "build", "fr", "index"), "html.parser")
    part = next(li for li in home.select("article li") if "Une partie par public" in li.get_text())
    assert [a.get_text() for a in part.find_all("a")] == ["police"], part
    assert "employeurs" in part.get_text()


def _add_social_workers(folder: Path) -> None:
    """A course folder made by `new` (police, French and English) with an audience of the
    trainer's own: its title, a page in each language, its part in _toc.yml, a quiz bank."""
    config = folder / "_config.yml"
    audience = "  - id: social-workers\n    title: {fr: Travailleurs sociaux, en: Social workers}\n"
    config.write_text(config.read_text("utf-8") + audience, "utf-8")
    pages = folder / "modules" / "social-workers"
    pages.mkdir(parents=True)
    (pages / "visit.fr.md").write_text("# La visite à domicile\n\nCe qu'il faut repérer.\n\n{{ quiz() }}\n", "utf-8")
    (pages / "visit.en.md").write_text("# The home visit\n\nWhat to look for.\n\n{{ quiz() }}\n", "utf-8")
    toc = yaml.safe_load((folder / "_toc.yml").read_text("utf-8"))
    part = {
        "caption": {"fr": "Travailleurs sociaux", "en": "Social workers"},
        "chapters": [{"file": "modules/social-workers/visit"}],
    }
    toc["parts"].insert(2, part)
    (folder / "_toc.yml").write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), "utf-8")
    bank = {
        "items": [
            {
                "id": "sw-border",
                "type": "single",
                "audiences": ["social-workers"],
                "sources": ["definition:trafficking"],
                "prompt": {"fr": "Faut-il franchir une frontière ?", "en": "Must a border be crossed?"},
                "explanation": {"fr": "Non.", "en": "No."},
                "options": [
                    {"id": "a", "text": {"fr": "Oui", "en": "Yes"}, "feedback": {"fr": "Non.", "en": "No."}},
                    {
                        "id": "b",
                        "text": {"fr": "Non", "en": "No"},
                        "correct": True,
                        "feedback": {"fr": "Oui.", "en": "Yes."},
                    },
                ],
            }
        ]
    }
    (folder / "quizzes" / "social-workers.yml").write_text(yaml.safe_dump(bank, allow_unicode=True), "utf-8")


def test_a_trainer_adds_an_audience_of_their_own(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A course folder based on the built-in course adds social workers, an audience the
    built-in course does not have: it was refused ("unknown audience"), while its pages
    were told to be added to course.audiences. Now its pages, its part and its quiz are
    checked as the built-in ones are, and the home page names it (its French and English
    titles), with a link to its part's first page. A name close to a built-in audience's is still told as a slip."""
    from coursegen.pipeline import prepare

    folder = tmp_path / "ghana"
    assert main(["new", str(folder), "--audience", "police"]) == 0
    _add_social_workers(folder)
    capsys.readouterr()
    assert main(["check", str(folder)]) == 0, capsys.readouterr().err
    said = capsys.readouterr().out
    assert "quiz items for social-workers: 1 of its own (fr 1, en 1)" in said, said
    for chosen, edition in ((None, False), (["social-workers"], True)):
        _, books = prepare(folder, audiences=chosen)
        for book in books:
            home = next(rp for rp in book.pages if rp.page.out == "index").markdown
            added = {
                "fr": "Ce cours y ajoute une partie propre : [Travailleurs sociaux](social-workers/visit.md).",
                "en": "This course adds a part of its own: [Social workers](social-workers/visit.md).",
            }
            assert added[book.lang] in home, (chosen, book.lang)
            only = {"fr": "(cette édition n'en contient aucune)", "en": "(this edition holds none of them)"}
            assert (only[book.lang] in home) == edition, (chosen, book.lang)
            assert [p for p in book.files if p.startswith("social-workers/visit")], list(book.files)
    # a page that names an audience of the course builds in a book without its part too
    page = folder / "modules" / "police" / "extra.fr.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("# Partenaires\n\nVoir les {{ audience_titles['social-workers'] | lower }}.\n", "utf-8")
    page.with_name("extra.en.md").write_text("# Partners\n\nSee {{ audience_titles['social-workers'] }}.\n", "utf-8")
    toc_text = (folder / "_toc.yml").read_text("utf-8")
    toc_file = folder / "_toc.yml"
    toc_file.write_text(
        toc_text.replace(
            "- file: modules/police/cooperate", "- file: modules/police/cooperate\n  - file: modules/police/extra"
        ),
        "utf-8",
    )
    _, books = prepare(folder, audiences=["police"])
    extra = next(rp for rp in books[0].pages if rp.page.key == "modules/police/extra").markdown
    assert "Voir les travailleurs sociaux." in extra, extra
    toc_file.write_text(toc_text, "utf-8")
    shutil.rmtree(page.parent)
    # the trainer's guide says that its session plans leave that audience to the trainer
    plans = {"fr": "Votre cours a aussi une partie propre pour : Travailleurs sociaux. Cette page ne donne pas de plan pour ce public",
             "en": "Your course also has a part of its own for: Social workers. This page gives no plan for it"}  # fmt: skip
    _, books = prepare(folder, edition="trainer")
    for book in books:
        plan = next(rp for rp in book.pages if rp.page.key == "modules/trainer/session-plan").markdown
        assert plans[book.lang] in plan, book.lang
    control = tmp_path / "control"
    assert main(["new", str(control), "--audience", "police"]) == 0
    _, books = prepare(control, edition="trainer")
    home = next(rp for rp in books[0].pages if rp.page.out == "index").markdown
    assert "ajoute" not in home and "partie propre" not in home
    plan = next(rp for rp in books[0].pages if rp.page.key == "modules/trainer/session-plan").markdown
    assert "Votre cours a aussi" not in plan and "## " in plan

    config = folder / "_config.yml"
    config.write_text(config.read_text("utf-8").replace("id: social-workers", "id: employer"), "utf-8")
    capsys.readouterr()
    assert main(["check", str(folder)]) == 1
    assert "unknown audience 'employer': the built-in course offers" in capsys.readouterr().err


@pytest.mark.slow
def test_an_audience_of_the_trainer_s_own_is_built_with_its_part_and_quiz(tmp_path: Path) -> None:
    """The whole course, and the book of the new audience alone, built by Jupyter Book: the
    menu has the audience's part, its page holds its quiz; its own book holds no police page."""
    folder = tmp_path / "ghana"
    assert coursegen("new", str(folder), "--audience", "police").returncode == 0
    _add_social_workers(folder)
    for out, chosen in ((folder / "build", []), (tmp_path / "sw", ["--audience", "social-workers"])):
        built = coursegen("build", str(folder), "--out", str(out), *chosen)
        assert built.returncode == 0, built.stdout + built.stderr
        for lang, caption in (("fr", "Travailleurs sociaux"), ("en", "Social workers")):
            page = BeautifulSoup(html(out, lang, "social-workers/visit"), "html.parser")
            assert caption in [c.get_text(strip=True) for c in page.select("nav p.caption")], lang
            assert page.select("form.cg-q[data-id='sw-border']"), lang
            home = BeautifulSoup(html(out, lang, "index"), "html.parser")
            assert [a["href"] for a in home.select("article a") if a.get_text() == caption] == [
                "social-workers/visit.html"
            ], lang
        police = (out / "fr" / "_build" / "html" / "police").exists()
        assert police == (not chosen), out


def test_a_part_that_mixes_two_audiences_pages_is_told(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The social workers' page listed under the police's caption passed `check` without a
    word, and their site showed it under "Police": told in a note, at the part. Control:
    each audience in a part of its own, no note."""
    folder = tmp_path / "ghana"
    assert main(["new", str(folder), "--audience", "police"]) == 0
    _add_social_workers(folder)
    capsys.readouterr()
    assert main(["check", str(folder)]) == 0
    assert "lists pages of" not in capsys.readouterr().out
    toc = yaml.safe_load((folder / "_toc.yml").read_text("utf-8"))
    own = next(p for p in toc["parts"] if p["caption"]["en"] == "Social workers")
    toc["parts"].remove(own)
    police = next(p for p in toc["parts"] if p["caption"]["en"] == "Police")
    police["chapters"] += own["chapters"]
    (folder / "_toc.yml").write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), "utf-8")
    assert main(["check", str(folder)]) == 0
    notes = [line for line in capsys.readouterr().out.splitlines() if "lists pages of" in line]
    assert len(notes) == 1 and notes[0].endswith(
        "the part 'Police' lists pages of police, social-workers: a site built for one audience shows its pages "
        "under this caption; give each audience a part of its own"
    ), notes
    # among the common foundations: the same
    toc["parts"][0]["chapters"] += own["chapters"]
    police["chapters"] = [c for c in police["chapters"] if "social-workers" not in c["file"]]
    (folder / "_toc.yml").write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), "utf-8")
    assert main(["check", str(folder)]) == 0
    notes = [line for line in capsys.readouterr().out.splitlines() if "lists pages of" in line]
    assert len(notes) == 1 and "lists pages of the common foundations, social-workers: " in notes[0], (notes, toc)


def test_an_audience_of_one_s_own_named_like_a_built_in_one_is_not_a_slip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`employees`, with its own pages, in a course for the police (the employers left out):
    it was told as a slip of `employers`, and its folder and bank to be renamed. Its own
    pages or quiz bank say it is meant. Control: `employer` with neither is still a slip."""
    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "police"]) == 0
    _add_social_workers(folder)
    for old, new in (
        ("modules/social-workers", "modules/employees"),
        ("quizzes/social-workers.yml", "quizzes/employees.yml"),
    ):
        (folder / old).rename(folder / new)
    for name in ("_config.yml", "_toc.yml", "quizzes/employees.yml"):
        path = folder / name
        path.write_text(path.read_text("utf-8").replace("social-workers", "employees"), "utf-8")
    capsys.readouterr()
    assert main(["check", str(folder)]) == 0, capsys.readouterr().err
    shutil.rmtree(folder / "modules" / "employees")
    (folder / "quizzes" / "employees.yml").unlink()
    config = folder / "_config.yml"
    config.write_text(config.read_text("utf-8").replace("id: employees", "id: employer"), "utf-8")
    capsys.readouterr()
    assert main(["check", str(folder)]) == 1
    assert "unknown audience 'employer': the built-in course offers" in capsys.readouterr().err


def test_a_word_of_the_built_in_glossary_defined_again_is_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A course folder's glossary that defines a word of the built-in glossary again,
    under an id of its own (`traite` for the built-in `trafficking`): the site listed the
    word twice, with two definitions, and `check` compared the folder's own entries only.
    Told at the word, with the built-in entry's id to use; an entry with that id replaces
    the built-in one, and is fine."""
    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "police", "--lang", "fr"]) == 0
    glossary = folder / "modules" / "common" / "glossary.yml"
    glossary.parent.mkdir(parents=True, exist_ok=True)
    entry = 'fr: {term: "Traite des personnes", definition: "Exploitation."}\n    en: {term: "trafficking", definition: "Exploitation."}\n'
    glossary.write_text(f"terms:\n  - id: traite\n    {entry}", "utf-8")
    capsys.readouterr()
    assert main(["check", str(folder)]) == 1
    err = capsys.readouterr().err
    assert (
        f"{glossary}:3:16: the French term 'Traite des personnes' of 'traite' is defined already, by the built-in "
        "glossary's 'trafficking': give each word one entry (to change its definition, give yours the id "
        "'trafficking')"
    ).replace(str(Path.cwd()) + "/", "") in err, err
    glossary.write_text(f"terms:\n  - id: trafficking\n    {entry}", "utf-8")
    assert main(["check", str(folder)]) == 0, capsys.readouterr().err
    # a word of the built-in glossary in a language this course has not (English): in no book
    other = (
        'fr: {term: "travail contraint", definition: "Une notion."}\n    en: {term: "forced labour", definition: "-"}\n'
    )
    glossary.write_text(f"terms:\n  - id: travail-contraint\n    {other}", "utf-8")
    assert main(["check", str(folder)]) == 0, capsys.readouterr().err


def test_a_built_in_quiz_left_without_questions_is_told_at_the_toc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A course folder that disables every built-in question of its audience: the built-in
    page that shows the quiz shows none, told in a note at the page's line in the folder's
    _toc.yml (the built-in page is not the trainer's to edit), not in the package's file."""
    monkeypatch.setenv("COURSEGEN_BUILTIN", str(FIXTURES / "minimal"))
    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "police", "--lang", "fr"]) == 0
    ids = ["t-single", "t-multiple", "t-match", "t-order", "t-short", "t-scenario"]
    (folder / "quizzes" / "dropped.yml").write_text(
        "items:\n" + "".join(f"  - {{id: {i}, disabled: true}}\n" for i in ids), "utf-8"
    )
    toc = (folder / "_toc.yml").read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(toc, 1) if "modules/police/recognise" in text)
    monkeypatch.chdir(folder)
    capsys.readouterr()
    assert main(["check"]) == 0
    notes = [n for n in capsys.readouterr().out.splitlines() if "has no question" in n]
    assert len(notes) == 1 and notes[0].startswith(f"note: _toc.yml:{line}:"), notes
    assert "the built-in page modules/police/recognise shows none" in notes[0]


def test_a_quiz_bank_or_a_page_where_none_is_read_is_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A course folder's quiz bank saved beside _config.yml, in a subfolder of quizzes/ or in
    `Quizzes/`, and a page saved without modules/: `check` said "ok", the questions were left
    out and the built-in page kept. Each is told in a note, at the file, with where it goes;
    a bank in quizzes/ itself, other YAML files and the folder's own files are not."""
    monkeypatch.setenv("COURSEGEN_BUILTIN", str(FIXTURES / "minimal"))
    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "police", "--lang", "fr"]) == 0
    bank = "items:\n  - {id: t-single, disabled: true}\n"
    for rel in ("police.yml", "quizzes/police/police.yml", "Quizzes/police.yml", "quizzes/mine.yml"):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(bank, "utf-8")
    (folder / "notes.yml").write_text("todo: [print the handouts]\n", "utf-8")
    (folder / "police").mkdir()
    (folder / "police" / "recognise.fr.md").write_text("# Reconnaître\n", "utf-8")
    (folder / "police" / "local-law.fr.md").write_text("# La loi\n", "utf-8")  # a new page, in police/
    (folder / "drafts").mkdir()
    (folder / "drafts" / "basics.fr.md").write_text("# Les bases\n", "utf-8")  # a built-in page's name, elsewhere
    (folder / "README.fr.md").write_text("# À lire\n", "utf-8")  # not a page's name: no note
    monkeypatch.chdir(folder)
    capsys.readouterr()
    assert main(["check"]) == 0
    notes = sorted(n for n in capsys.readouterr().out.splitlines() if n.startswith("note:"))
    assert [n.split(":")[1].strip() for n in notes] == [
        "Quizzes/police.yml",
        "drafts/basics.fr.md",
        "police.yml",
        "police/local-law.fr.md",
        "police/recognise.fr.md",
        "quizzes/police/police.yml",
    ], notes
    assert "move them to quizzes/police.yml" in notes[0] and "modules/police/local-law.fr.md" in notes[3], notes
    assert "pages are read from modules/, as modules/police/recognise.fr.md" in notes[4], notes
    assert "as modules/common/basics.fr.md" in notes[1], notes  # where the built-in page of that name is


def test_an_organisation_logo_that_a_sphinx_setting_hides_is_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The organisation's logo of country.yml is the site's, unless a Sphinx setting names
    another (`html_logo`, the theme's `logo.image_light`): the theme shows that one, and
    the organisation's was left out without a word. Told in a note, at the logo."""
    monkeypatch.setenv("COURSEGEN_BUILTIN", str(FIXTURES / "minimal"))
    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "police", "--lang", "fr"]) == 0
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>'
    for name in ("org.svg", "theme.svg"):
        (folder / name).write_text(svg, "utf-8")
    (folder / "country.yml").write_text("organisation:\n  name: Direction\n  logo: org.svg\n", "utf-8")
    monkeypatch.chdir(folder)
    capsys.readouterr()
    assert main(["check"]) == 0
    assert not [n for n in capsys.readouterr().out.splitlines() if "logo" in n]  # the organisation's is shown
    with (folder / "_config.yml").open("a", encoding="utf-8") as settings:
        settings.write("sphinx:\n  config:\n    html_theme_options:\n      logo: {image_light: theme.svg}\n")
    assert main(["check"]) == 0
    notes = [n for n in capsys.readouterr().out.splitlines() if n.startswith("note:")]
    assert notes == [
        "note: country.yml:3:9: the organisation's logo is not shown: the site shows the one that "
        "html_theme_options.logo.image_light names (under sphinx: config: in _config.yml); leave that setting "
        "out to show this one"
    ], notes


def test_explain_tells_a_case_study_question_its_override_leaves_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A case study overridden without one of its questions: `explain` on that question's
    id said "nothing named", and suggested another question. It says the override left it
    out, and where it was."""
    monkeypatch.setenv("COURSEGEN_BUILTIN", str(FIXTURES / "minimal"))
    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "police", "--lang", "fr"]) == 0
    bank = yaml.safe_load((FIXTURES / "minimal" / "quizzes" / "police.yml").read_text("utf-8"))["items"]
    case = next(i for i in bank if i["id"] == "t-scenario")
    case = {**case, "override": True, "items": [i for i in case["items"] if i["id"] != "t-numeric"]}
    (folder / "quizzes" / "police.yml").write_text(yaml.safe_dump({"items": [case]}, allow_unicode=True), "utf-8")
    monkeypatch.chdir(folder)
    assert main(["check"]) == 0
    capsys.readouterr()
    assert main(["explain", ".", "t-numeric"]) == 0
    out = capsys.readouterr().out
    assert "t-numeric (left out by the override of t-scenario; was at builtin:quizzes/police.yml:77)" in out, out


def test_a_text_between_curly_quotes_is_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A text typed between curly quotes, as a word processor types quotes (`name: “…”`):
    YAML keeps them as part of the text, and the page showed them; `check` said "ok". Told
    in a note at the text; curly quotes inside YAML's own quotes, inside a text, or in a
    block text are the text's, and are not."""
    monkeypatch.setenv("COURSEGEN_BUILTIN", str(FIXTURES / "minimal"))
    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "police", "--lang", "fr"]) == 0
    (folder / "country.yml").write_text(
        "country: “Sénégal”\n"
        "organisation:\n"
        "  name: {fr: „Direction du travail“, en: '“Labour directorate”'}\n"
        "hotline:\n"
        "  hours: de 8 h à “18 h”, en semaine\n"
        "referral:\n"
        "  - name: “Cellule d'appui”   # the unit's name\n"
        "    role: |\n"
        "      “Une ligne de texte”\n"
        "  - {name: “Centre d'accueil”, role: ‘Hébergement’, phone: '0800'}\n"
        "  - {name: “Appelez” puis dites “traite”}\n"
        "law:\n"
        "  title: “Loi n° 1 relative\n"
        "    à la traite”\n",
        "utf-8",
    )
    monkeypatch.chdir(folder)
    capsys.readouterr()
    assert main(["check"]) == 0
    notes = [n for n in capsys.readouterr().out.splitlines() if n.startswith("note:")]
    assert [n.split(": this text")[0] for n in notes] == [
        "note: country.yml:1:10",
        "note: country.yml:3:14",
        "note: country.yml:7:11",
        "note: country.yml:10:12",
        "note: country.yml:10:38",
        "note: country.yml:13:10",
    ], notes
    assert "(„…“), which YAML keeps as part of the text" in notes[1], notes
    country = yaml.safe_load((folder / "country.yml").read_text("utf-8"))
    assert country["country"] == "“Sénégal”"  # what the note says: YAML keeps them


def test_explain_says_where_things_come_from_when_the_course_has_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`check` tells a trainer to disable a case study, and `explain` is how to find it; but
    `explain` stopped on that very problem, and printed nothing else. It prints what it
    finds, then the problems (exit 1)."""
    monkeypatch.setenv("COURSEGEN_BUILTIN", str(FIXTURES / "minimal"))
    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "police", "--lang", "fr"]) == 0
    (folder / "quizzes" / "police.yml").write_text("items:\n  - {id: t-numeric, disabled: true}\n", "utf-8")
    monkeypatch.chdir(folder)
    capsys.readouterr()
    assert main(["explain", "t-scenario"]) == 1
    said = capsys.readouterr()
    assert "t-scenario (scenario, in the police quiz)" in said.out, said
    assert "builtin:quizzes/police.yml:" in said.out, said
    assert "it is part of the case study 't-scenario'" in said.err and "1 problem(s) found." in said.err, said


def test_a_standalone_course_checks_without_the_built_in_course(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A course of its own needs no built-in course: looking for a course folder that lost
    its `base: builtin` line must not stop one when the built-in course cannot be found
    (COURSEGEN_BUILTIN naming no course, or a copy installed without it)."""
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "minimal", course)
    monkeypatch.setenv("COURSEGEN_BUILTIN", str(tmp_path / "nowhere"))
    (course / "country.yml").write_text("country: {fr: Sénégal, en: Senegal}\n", "utf-8")
    capsys.readouterr()
    assert main(["check", str(course)]) == 0, capsys.readouterr()
