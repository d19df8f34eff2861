"""Every bad-input case in tests/cases/ gives exactly its expected messages, exit 1, and
never a traceback."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from casefile import parse
from conftest import ROOT
from coursegen.cli import main
from coursegen.errors import Code

CASES = sorted((Path(__file__).parent / "cases").glob("*.txt"))


@pytest.mark.parametrize("case_path", CASES, ids=[p.stem for p in CASES])
def test_case(
    case_path: Path, minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case = parse(case_path)
    assert case.expected, f"{case_path.name} has no expected output"
    case.apply(minimal_course)
    monkeypatch.chdir(minimal_course)
    code = main(["check"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    lines = [line for line in err.splitlines() if line.strip()]
    assert [*lines, f"exit {code}"] == case.expected


def test_minimal_course_is_clean(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The base of every case passes, so each case's messages come from its own change."""
    monkeypatch.chdir(minimal_course)
    assert main(["check"]) == 0, capsys.readouterr().err


NOT_FROM_CHECK = {
    Code.BUILD_FAILED: "Jupyter Book's own problems: test_build.py",
    Code.NOTEBOOK_FAILED: "a notebook that fails once run: test_quality.py, test_notebooks.py",
    Code.RESULTS_FORMAT: "`coursegen grade`'s input: test_bad_commands.py, test_grade_results.py",
    Code.FILE_TOO_LARGE: "a file of more than 10 MB, made by test_very_large_file rather than kept",
    Code.NO_SPACE: "a full disk, made by test_export_scorm.py and test_export_handout.py on a small one",
}
"""The codes that no case file of `check` can show, and where each is tested."""


def test_cases_cover_every_diagnostic_kind() -> None:
    """Every code that `check` can give has a case, in tests/cases/ or (a trainer's course
    folder over the default course) tests/trainer_cases/: a new code without one fails here."""
    cases = [*CASES, *sorted((Path(__file__).parent / "trainer_cases").glob("*.txt"))]
    codes = {line.rsplit("[", 1)[-1].rstrip("]") for p in cases for line in parse(p).expected if line.endswith("]")}
    required = {code.value for code in Code} - {code.value for code in NOT_FROM_CHECK}
    assert required <= codes, f"no case for: {sorted(required - codes)}"
    assert not codes & {code.value for code in NOT_FROM_CHECK}, "a case for a code said to need none"


def test_very_large_file(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file over the size limit is refused with a message, not read (kept out of the case
    files to keep the repository small). A page has a smaller limit, as written and as
    rendered: Jupyter Book took more than 10 minutes over a page of 8 MB. Control: a page
    just under it."""
    big = minimal_course / "modules" / "common" / "basics.en.md"
    big.write_text("# Big\n\n" + "word " * 300_000, "utf-8")  # 1.5 MB
    bank = minimal_course / "quizzes" / "police.yml"
    bank.write_text(bank.read_text("utf-8") + "#" * 12_500_000, "utf-8")
    rendered = minimal_course / "modules" / "common" / "basics.fr.md"
    rendered.write_text('# Les bases\n\n{{ "mot " * 300000 }}\n', "utf-8")  # 1.2 MB once rendered
    fits = minimal_course / "modules" / "police" / "recognise.en.md"
    fits.write_text(fits.read_text("utf-8") + "\n" + "word " * 190_000 + "\n", "utf-8")  # 0.95 MB
    monkeypatch.chdir(minimal_course)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    page = "the limit is 1,000,000 for a page: split it into several pages"
    assert f"modules/common/basics.en.md:1:1: the file is too large (1,500,007 bytes; {page}) [file-too-large]" in err
    bank_size = f"{bank.stat().st_size:,} bytes; the limit is 10,000,000"  # in bytes when under twice the limit
    assert f"quizzes/police.yml:1:1: the file is too large ({bank_size}) [file-too-large]" in err
    assert "modules/common/basics.fr.md:1:1: this page is too large once rendered (1,200,0" in err
    assert f"bytes; {page}) [template-error]" in err
    assert "recognise.en.md" not in err and "Traceback" not in err
    assert err.count("\n") == 4, err  # the three problems, and their count


def test_a_picture_too_large_or_of_a_kind_not_shown_is_told_once_for_what_it_is(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A page showing an 11 MB photo was told the photo is too large, and also that there is
    "no such file", which is there; a .tiff was told "no such file" too."""
    folder = minimal_course / "modules" / "police"
    (folder / "big.png").write_bytes(b"\x89PNG" + bytes(11_000_000))
    (folder / "scan.tiff").write_bytes(b"II*\x00")
    page = folder / "recognise.fr.md"
    page.write_text(page.read_text("utf-8") + "\n![photo](big.png)\n\n![scan](scan.tiff)\n", "utf-8")
    lines = page.read_text("utf-8").splitlines()
    monkeypatch.chdir(minimal_course)
    assert main(["check"]) == 1
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert err == [
        "modules/police/big.png:1:1: the file is too large (11,000,004 bytes; the limit is 10,000,000) [file-too-large]",
        f"modules/police/recognise.fr.md:{len(lines)}:9: 'scan.tiff': pages show files of these kinds only: "
        "png, jpg, jpeg, gif, svg, webp, pdf [missing-file]",
        "2 problem(s) found.",
    ], err


def test_a_page_that_renders_without_end_or_too_large_is_stopped(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A template loop that would run for hours is stopped after its processor time (made
    short here), also when it calls a box template; one that writes more than a course file
    may hold is stopped as soon as it has, and a text repeated into more at once: each is
    said, with the other pages' problems, before the machine's memory is taken."""
    from coursegen import render

    monkeypatch.setattr(render, "RENDER_SECONDS", 0.5)
    pages = minimal_course / "modules"
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}"
    (pages / "common" / "basics.en.md").write_text(f"# The basics\n\n{loop}\n{{% endfor %}}{{% endfor %}}\n", "utf-8")
    (pages / "common" / "basics.fr.md").write_text('# Les bases\n\n{{ "mot " * 2800000 }}\n', "utf-8")
    (pages / "police" / "recognise.en.md").write_text(
        f'# Recognise\n\n{loop}{{{{ "x" * 100000 }}}}{{% endfor %}}{{% endfor %}}\n', "utf-8"
    )
    (pages / "police" / "recognise.fr.md").write_text(
        f"# Repérer\n\n{loop}{{{{ who_to_call() }}}}{{% endfor %}}{{% endfor %}}\n", "utf-8"
    )
    monkeypatch.chdir(minimal_course)
    started = time.monotonic()
    assert main(["check"]) == 1
    assert time.monotonic() - started < 30
    err = capsys.readouterr().err
    too_long = "this page takes more than 0.5 s to render (a loop that runs too long?) [template-error]"
    too_large = "this page would be larger than 10 MB once rendered (the limit) [template-error]"
    assert f"basics.en.md:3:1: {too_long}" in err
    assert f"basics.fr.md:3:1: {too_large}" in err
    assert f"recognise.en.md:3:1: {too_large}" in err
    assert f"recognise.fr.md:3:1: {too_long}" in err
    assert "Traceback" not in err


MEMORY_CAP = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3_000_000_000, resource.RLIM_INFINITY))
from coursegen.cli import main
sys.exit(main(["check"]))
"""


def test_what_would_take_the_memory_is_stopped_before_it_does(minimal_course: Path) -> None:
    """A loop that doubles a text at each turn takes gigabytes within a second, far within
    the time limit; one step can make gigabytes at once (the case file
    template-one-step-too-large). Both are stopped first, and said as a page too large; run
    here with 3 GB of memory at most, which either would exhaust (then said as a
    MemoryError, or not said at all) if it were not stopped first."""
    import subprocess
    import sys

    pages = minimal_course / "modules"
    (pages / "common" / "basics.en.md").write_text(
        '# The basics\n\n{% set ns = namespace(s="x" * 1000000) %}\n'
        "{% for i in range(40) %}\n{% set ns.s = ns.s ~ ns.s %}\n{% endfor %}{{ ns.s | length }}\n",
        "utf-8",
    )
    (pages / "common" / "basics.fr.md").write_text('# Les bases\n\n{{ "x" | center(3500000000) }}\n', "utf-8")
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_CAP], cwd=minimal_course, capture_output=True, text=True, timeout=120
    )
    too_large = "this page would be larger than 10 MB once rendered (the limit) [template-error]"
    assert result.stderr.splitlines() == [
        f"modules/common/basics.en.md:5:1: {too_large}",
        f"modules/common/basics.fr.md:3:1: {too_large}",
        "2 problem(s) found.",
    ]
    assert result.returncode == 1


def test_a_quizzes_file_instead_of_a_folder_is_reported(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`quizzes` made a file (a bank saved in the wrong place): said, rather than a course
    with no quiz at all; and each page that shows a quiz says it has none to show."""
    import shutil

    shutil.rmtree(minimal_course / "quizzes")
    (minimal_course / "quizzes").write_text("items: []\n", "utf-8")
    monkeypatch.chdir(minimal_course)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert (
        "quizzes:1:1: quizzes is a file, not a folder: the quiz banks are quizzes/<audience>.yml [missing-file]" in err
    )
    assert "recognise.en.md:11:4: no quiz for this page" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_special_file_is_refused_not_read(
    kind: str, minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A named pipe would block the check for ever, and a link to /dev/zero would fill
    the memory: neither is read (kept out of the case files: they cannot hold either).
    The link is refused first for where it leads."""
    import os

    bank = minimal_course / "quizzes" / "police.yml"
    bank.unlink()
    if kind == "fifo":
        os.mkfifo(bank)
    else:
        bank.symlink_to("/dev/zero")
    monkeypatch.chdir(minimal_course)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    if kind == "fifo":
        message = "cannot read file: not a regular file (a device, a pipe or a socket) [missing-file]"
    else:
        message = "this file links to a place outside the course folder [path-escape]"
    assert f"quizzes/police.yml:1:1: {message}" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("name", ["_toc.yml", "sources/actions.yml", "quizzes/police.yml"])
def test_a_course_file_linking_outside_the_course_is_refused(
    name: str,
    minimal_course: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Any course file, not only pages, that links outside the course folder is refused:
    the file elsewhere would become part of the course. Control: the same file, moved
    back inside and linked from there, is read."""
    inside = minimal_course / name
    elsewhere = tmp_path / "elsewhere" / inside.name
    elsewhere.parent.mkdir()
    inside.rename(elsewhere)
    inside.symlink_to(elsewhere)
    monkeypatch.chdir(minimal_course)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert f"{name}:1:1: this file links to a place outside the course folder [path-escape]" in err
    inside.unlink()
    kept = minimal_course / f".{inside.name}.kept"
    elsewhere.rename(kept)
    inside.symlink_to(kept)
    assert main(["check"]) == 0, capsys.readouterr().err


def test_a_folder_of_pages_linking_outside_the_course_is_refused(
    minimal_course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An audience's folder that links outside the course is said, not silently left out
    (Python does not look for pages inside linked folders)."""
    elsewhere = tmp_path / "judges"
    elsewhere.mkdir()
    (elsewhere / "intro.fr.md").write_text("# Juges\n", "utf-8")
    (minimal_course / "modules" / "judges").symlink_to(elsewhere)
    monkeypatch.chdir(minimal_course)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "modules/judges:1:1: this folder links to a place outside the course folder [path-escape]" in err


def test_a_folder_of_pages_linked_from_inside_the_course_is_read(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An audience's folder kept elsewhere in the course folder and linked into modules/:
    its pages are read (they were said missing); a page linked from outside is said once
    (its other language was also said to have no translation)."""
    police = minimal_course / "modules" / "police"
    police.rename(minimal_course / "police-pages")
    police.symlink_to(Path("..") / "police-pages")
    monkeypatch.chdir(minimal_course)
    assert main(["check"]) == 0, capsys.readouterr().err
    page = minimal_course / "police-pages" / "recognise.fr.md"
    page.rename(minimal_course.parent / "recognise.fr.md")
    page.symlink_to(minimal_course.parent / "recognise.fr.md")
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "modules/police/recognise.fr.md:1:1: this file links to a place outside the course folder [path-escape]",
        "1 problem(s) found.",
    ]


def test_a_link_that_loops_is_reported_not_followed(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A course file that is a link to itself: reported as unreadable, for a bank and for a
    page (following it raised an error of Python's own)."""
    (minimal_course / "quizzes" / "loop.yml").symlink_to("loop.yml")
    (minimal_course / "modules" / "police" / "loop.en.md").symlink_to("loop.en.md")
    monkeypatch.chdir(minimal_course)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "quizzes/loop.yml:1:1: cannot read file: Too many levels of symbolic links [missing-file]" in err
    assert "modules/police/loop.en.md:1:1: cannot read file: Too many levels of symbolic links [missing-file]" in err
    assert "Traceback" not in err and "internal error" not in err


def test_a_question_text_longer_than_a_few_pages_is_refused(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A question's text is a few paragraphs: one of 20,000 characters or more (a paste
    gone wrong) is said, rather than a build that slows with the square of its length
    (nbclient reads a notebook's printed line again for each of its characters)."""
    bank = minimal_course / "quizzes" / "police.yml"
    text = bank.read_text("utf-8")
    assert text.count('"Does trafficking require crossing a border?"') == 1
    long_text, fine = "word " * 4000 + "!", "word " * 3999
    text = text.replace('"Does trafficking require crossing a border?"', f'"{long_text}"')
    bank.write_text(text.replace('"Tick the indicators."', f'"{fine}"'), "utf-8")
    monkeypatch.chdir(minimal_course)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "quizzes/police.yml:6:76: 'prompt.en' of question 't-single': is 20,001 characters long: the limit is 20,000 [invalid-value]",
        "1 problem(s) found.",
    ]


@pytest.mark.parametrize("breaks", ["\n", "\u2028\n"], ids=["libyaml", "python-loader"])
def test_a_bad_escape_is_pointed_at_where_it_is_written(breaks: str, tmp_path: Path) -> None:
    """The message points at the escape that writes the control character, not at the
    start of its text; an escaped backslash before it (`\\\\f` is a backslash and an f) is
    not taken for it. A line break YAML counts and editors do not sends the file to the
    Python loader (see yamlfile.load_yaml)."""
    from coursegen.yamlfile import load_yaml

    path = tmp_path / "bank.yml"
    text = f'# héllo{breaks}a: {{fr: "é C:\\\\formation \\a", en: "x"}}\n'
    problems: list = []
    load_yaml(path, problems, text)
    assert [(p.ref.line, p.ref.col) for p in problems] == [(2, 26)]
    assert text.split("\n")[-2][25:27] == "\\a"  # column 26, 1-based


@pytest.mark.parametrize("breaks", ["\n", "\u2028\n"], ids=["libyaml", "python-loader"])
def test_a_text_cut_short_by_a_comment_is_told_and_comments_are_not(breaks: str, tmp_path: Path) -> None:
    """`fr: Question #3 : que faire` is "Question" to YAML, the rest a comment: told at the
    '#'. What a trainer writes as a comment ('# ', '##', on a line of its own, after a quoted
    text or a number) is not; nor is a '#' inside quotes or glued to a word."""
    from coursegen.yamlfile import load_yaml

    text = (
        f"# Questions 1-3 (#1 first){breaks}"
        "a:\n"
        "  fr: Question #3 : que faire\n"  # told
        "  en: 'Question #3: what to do' # quoted\n"
        "  de: C# and F#\n"  # glued: YAML keeps it
        "b: texte # commentaire\n"
        "c: texte ## commentaire\n"
        "c2: texte #TODO relire\n"  # a word after '#': a trainer's comment
        "d: 18 #years\n"  # a number: not a text
        "e:\n"
        "  - un choix  #2\n"  # told, in a list
    )
    problems: list = []
    data = load_yaml(tmp_path / "bank.yml", problems, text)
    assert data["a"] == {"fr": "Question", "en": "Question #3: what to do", "de": "C# and F#"}
    assert data["e"] == ["un choix"]
    assert [(p.ref.line, p.ref.col) for p in problems] == [(3, 16), (11, 15)], problems
    assert "the text ends at 'Question': YAML reads ' #3 : que faire' as a comment" in problems[0].message


def test_a_text_over_several_lines_cut_short_is_told_on_one_line(tmp_path: Path) -> None:
    """The text it keeps is shown on the message's one line: a text over several lines
    broke the `path:line:col: message [code]` line in two."""
    from coursegen.yamlfile import load_yaml

    problems: list = []
    load_yaml(
        tmp_path / "bank.yml", problems, "a:\n  fr: Non, l'hébergement suffit.\n\n    Voir la question #3 du module.\n"
    )
    assert [str(p).count("\n") for p in problems] == [0], problems
    assert "the text ends at '… l'hébergement suffit. Voir la question'" in problems[0].message


@pytest.mark.parametrize("breaks", ["\n", "\u2028\n"], ids=["libyaml", "python-loader"])
def test_a_number_yaml_reads_in_another_base_is_told(breaks: str, tmp_path: Path) -> None:
    """YAML 1.1 reads `017` as 15 and `10:30` as 630: a numeric answer or a score changed
    without a word. Told at the number; `0`, `00`, `08` (text), `1_000`, `012.5`, `0x1F`
    and quoted numbers read as they look, and are not."""
    from coursegen.yamlfile import load_yaml

    text = (
        f"# x{breaks}"
        "a: 017\nb: -0_17\nc: 10:30\nd: 1:30.5\n"  # told
        "e: 0\nf: 00\ng: 08\nh: 1_000\ni: 012.5\nj: 0x1F\nk: '017'\nl: \"10:30\"\nm: 07\n"  # 07: 7 either way
    )
    problems: list = []
    data = load_yaml(tmp_path / "bank.yml", problems, text)
    assert data == {
        "a": 15, "b": -15, "c": 630, "d": 90.5,
        "e": 0, "f": 0, "g": "08", "h": 1000, "i": 12.5, "j": 31, "k": "017", "l": "10:30", "m": 7,
    }  # fmt: skip
    assert [((p.ref.line, p.ref.col), p.code.value) for p in problems] == [
        ((line, 4), "invalid-value") for line in (2, 3, 4, 5)
    ], problems
    assert [p.message.split(" (")[0] for p in problems] == [
        "'017' reads as 15 in YAML",
        "'-0_17' reads as -15 in YAML",
        "'10:30' reads as 630 in YAML",
        "'1:30.5' reads as 90.5 in YAML",
    ]
    assert "put it in quotes to keep it as written (a phone number, a code), or write 17" in problems[0].message


def _named(folder: Path, *parts: bytes) -> Path:
    """A path below `folder` whose last parts are bytes (a name that is not UTF-8, as a
    system set to Latin-1 writes "é"), its folders made."""
    path = os.path.join(os.fsencode(folder), *parts)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return Path(os.fsdecode(path))


def test_a_file_name_that_is_not_utf8_is_told_and_shown_as_its_bytes(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bank, a picture, a diagram, a box template or a folder named in Latin-1: told, at
    the byte; `build` stopped with an internal error on the bank and the picture."""
    (minimal_course / "quizzes" / "police.yml").replace(_named(minimal_course, b"quizzes", b"polic\xe9.yml"))
    _named(minimal_course, b"modules", b"police", b"caf\xe9.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    _named(minimal_course, b"modules", b"police", b"im\xe9", b"a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    flow = minimal_course / "modules" / "police" / "diagrams" / "flow.yml"
    _named(minimal_course, b"modules", b"police", b"diagrams", b"fl\xf4w.yml").write_bytes(flow.read_bytes())
    _named(minimal_course, b"templates", b"bo\xeete.md").write_text("x\n")
    _named(minimal_course, b"modules", b"police", b"caf\xe9.fr.md").write_text("# x\n")
    monkeypatch.chdir(minimal_course)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "\\udc" not in err and "Traceback" not in err
    told = "name is not UTF-8 text (it holds the byte"
    expected = [
        f"modules/police/caf\\xe9.png:1:1: the file's {told} \\xe9): rename it [file-encoding]",
        f"modules/police/diagrams/fl\\xf4w.yml:1:1: the file's {told} \\xf4): rename it [file-encoding]",
        f"modules/police/im\\xe9/a.png:1:1: the folder's {told} \\xe9): rename it [file-encoding]",
        f"quizzes/polic\\xe9.yml:1:1: the file's {told} \\xe9): rename it [file-encoding]",
        f"templates/bo\\xeete.md:1:1: the file's {told} \\xee): rename it [file-encoding]",
        "modules/police/caf\\xe9.fr.md:1:1: a page's name becomes its web address: lowercase letters a-z, "
        "digits, '-' and '_' only (this one holds a byte that is not UTF-8, \\xe9) [invalid-value]",
    ]
    for line in expected:
        assert line in err.splitlines(), err


def test_a_logo_not_found_is_told_with_the_file_it_likely_is(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """_config.yml names `images/café.png` and the folder holds it under its Latin-1 name,
    or names `images/Favicon.ico` for `favicon.ico`: "not found" alone left the trainer
    looking at a file that is there."""
    config = minimal_course / "_config.yml"
    config.write_text(config.read_text() + "logo: images/café.png\nhtml:\n  favicon: images/Favicon.ico\n")
    _named(minimal_course, b"images", b"caf\xe9.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (minimal_course / "images" / "favicon.ico").write_bytes(b"\0\0\1\0")
    monkeypatch.chdir(minimal_course)
    assert main(["check"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert any(
        line.endswith(
            "file 'images/café.png' not found in the course folder (logo names it); "
            "'caf\\xe9.png' is there, its name not in UTF-8: rename it café.png [missing-file]"
        )
        for line in err
    ), err
    assert any(
        line.endswith(
            "file 'images/Favicon.ico' not found in the course folder (html.favicon names it); "
            "did you mean 'favicon.ico'? (capitals count) [missing-file]"
        )
        for line in err
    ), err


@pytest.mark.parametrize(
    ("rel", "told"),
    [
        ("modules/police/Intro.fr.md", "(this one holds 'I'): rename it intro.fr.md"),
        ("modules/police/my page.fr.md", "(this one holds a space)"),
        ("modules/police/intro.md", "a page's file name ends with its language: intro.fr.md, intro.en.md"),
        ("modules/police/intro.FR.md", "a page's file name ends with its language: intro.fr.md, intro.en.md"),
        ("modules/police/deep/intro.fr.md", "one folder below modules/, not deeper"),
        ("modules/police/-intro.fr.md", "a page's name begins with a lowercase letter or a digit"),
    ],
)
def test_a_page_misnamed_is_told_what_is_wrong_with_its_name(
    rel: str, told: str, minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = minimal_course / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# x\n")
    monkeypatch.chdir(minimal_course)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    line = next((x for x in err.splitlines() if x.startswith(f"{rel}:1:1: ")), "")
    assert told in line and line.endswith("[invalid-value]"), err


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ('country: "Sénégal\norganisation:\n  name: "Ministère"\n', True),  # left open: ran over a key
        ('country: "Côte\n  d\'Ivoire"\norganisation:\n  name: x\n  - y\n', False),  # a text over two lines
        ('# the "who\n# to call" box\norganisation:\n  name: x\n  - y\n', False),  # quotes in comments
        ("country: 'a \"'\norganisation:\n  name: 'b \"'\n  - y\n", False),  # a quote inside single quotes
    ],
)
def test_the_hint_of_a_quote_left_open_is_given_only_where_one_is(tmp_path: Path, text: str, hint: bool) -> None:
    """A quote left open is told at the line YAML stopped at, with the quote's place; the
    hint came too for a valid text over two lines, and for quotes in comments or inside
    single quotes (found by a review)."""
    from coursegen.yamlfile import load_yaml

    problems: list = []
    load_yaml(tmp_path / "country.yml", problems, text)
    assert len(problems) == 1 and ("left open?" in problems[0].message) is hint, problems


@pytest.mark.parametrize(
    ("data", "told"),
    [
        ("a: é\nb: c\n".encode("utf-16-le"), "(it is saved as UTF-16): save it as UTF-8"),  # without its mark
        ("a: é\nb: c\n".encode("utf-32"), "(it is saved as UTF-32): save it as UTF-8"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "file is not text (a picture, a PDF or a Word document"),
        (bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000"), "file is not text"),
        ("caf\xe9: ok\n".encode("latin-1"), "(the byte \\xe9: saved in another encoding, such as Windows-1252?)"),
    ],
)
def test_a_file_that_is_not_utf8_is_told_how_it_was_saved(tmp_path: Path, data: bytes, told: str) -> None:
    """UTF-16 without its byte-order mark was told "not text", UTF-32 "UTF-16", and a PDF
    "another encoding" (found by a review)."""
    from coursegen.yamlfile import read_text

    path = tmp_path / "country.yml"
    path.write_bytes(data)
    problems: list = []
    assert read_text(path, problems) is None
    assert len(problems) == 1 and told in problems[0].message, problems


@pytest.mark.parametrize(
    ("text", "place", "told"),
    [
        # a brace closed lines below: a ':' in a text, or a ',' missing; not "never closed"
        ("prompt: {\n  fr: Bonjour\n  en: Hello\n}\n", (3, 5), "or a ',' missing"),
        ("fr: « Attention : ceci »\n", (1, 17), "« » are not quotes for YAML"),
        ("fr: “Attention : ceci”\n", (1, 16), "“ ”, « » are not quotes for YAML"),
        ("prompt:\n  fr:Bonjour\n  en: Hello\n", (2, 3), "no space after ':' in 'fr:Bonjour'"),
        ("prompt:\n    fr: x\n  en: y\n", (3, 3), "not aligned with the keys or '- ' items above it"),
        ("items:\n  - id: q1\n   type: x\n", (3, 4), "not aligned with the keys or '- ' items above it"),
        (
            'law: "Loi 2020-01"\n  title: Loi sur\n',
            (2, 3),
            "indented under 'law:' (line 1), which already has its value: indent it as 'law:', at column 1",
        ),
        ('feedback: Cliquez sur "Valider" : ok\n', (1, 33), "in single quotes, '…', an apostrophe in it twice"),
        ("hotline: *123#\n", (1, 10), "a text cannot begin with '*' in YAML: put it in quotes"),
        ("fr: @moi\n", (1, 5), "a text cannot begin with '@' in YAML"),
        ('fr: "Il a dit "non" hier"\n', (1, 16), "the text in quotes ends at the quote before this"),
        ("fr: 'Allô', dit-il\n", (1, 11), "the text in quotes ends at the quote before this"),
        ("prompt: {fr: 'Qu'est-ce', en: 'What'}\n", (1, 18), "with an apostrophe in it written twice"),
        ("items:\n  - id: q1\n- id: q2\n", (3, 1), "a '- ' item where keys are, or not aligned with the '- ' items"),
        ("tags: [a, b}\n", (1, 12), "this '}' closes a '[': close it with ']'"),
        ("tags: [a, b]]\n", (1, 13), "a ']' that closes nothing (one too many?)"),
        ("fr: > 18 ans\n", (1, 5), "a text cannot begin with '>' in YAML: put it in quotes"),
        ("a: 1\n---\nb: 2\n", (2, 1), "a line '---' begins a second document here"),
        (
            "a:\n  fr: |\n    un\n\n   deux\n  en: x\n",
            (5, 4),
            "indented less than the first line of the text begun with '|' at line 2",
        ),
        ("x:\n  - >-\n      un\n    deux\n", (4, 5), "the text begun with '>' at line 2: indent it as that line"),
        (
            'prompt: {fr: Question #3 : que faire, en: "x"}\n',
            (1, 23),
            "' #' begins a comment for YAML, hiding the rest of the line and the '}' that closes the '{' at line 1, column 9",
        ),
        (
            'tags: ["a #b", c #d]\n',
            (1, 18),
            "and the ']' that closes the '[' at line 1, column 7: put the text in quotes",
        ),
        ('prompt: {fr: L\'état #3, en: "Q"}\n', (1, 21), "' #' begins a comment for YAML"),  # an apostrophe
        ('p: {\n  fr: "x",  # ancien {texte}\n  en: "y" "z"\n}\n', (3, 11), "the text in quotes ends at the quote"),
        # braces on later lines, balanced: the '}' the comment hid is closed on no later line
        (
            'prompt: {fr: Question #3 : quel numéro, en: "Which number?"}\nexplanation: {fr: "Le 112.", en: "112."}\n',
            (1, 23),
            "and the '}' that closes the '{' at line 1, column 9: put the text in quotes",
        ),
        (
            'o:\n  - {id: a, text: {fr: Question #3, en: "x"}, ok: true}\n  - {id: b, text: {fr: "y", en: "z"}}\n',
            (2, 33),
            "and the '}' that closes the '{' at line 2, column 19",
        ),
        ('p: {\n  fr: Question #3, en: "x"}\nq: {a: "}"}\n', (2, 16), "' #' begins a comment for YAML"),
        ('p: {\n  fr: "x",  # }\n  en: "y" "z"\n}\n', (3, 11), "the text in quotes ends at the quote"),  # closed below
    ],
)
def test_a_yaml_mistake_gets_the_hint_that_fixes_it(
    tmp_path: Path, text: str, place: tuple[int, int], told: str
) -> None:
    """The hints that a review found misleading (a closed brace told "never closed", curly
    quotes told "put it in quotes", `fr:Bonjour` told at the line below, a misaligned key
    told "remove that value"), and the slips that got PyYAML's words (a USSD code)."""
    from coursegen.yamlfile import load_yaml

    problems: list = []
    load_yaml(tmp_path / "bank.yml", problems, text)
    assert len(problems) == 1, problems
    assert ((problems[0].ref.line, problems[0].ref.col), told in problems[0].message) == (place, True), problems


@pytest.mark.slow
def test_the_directives_whose_options_check_reads_take_those_options_in_the_build() -> None:
    """`check` reads the options of a note, a figure, a table … with docutils' own classes:
    the book's Sphinx, set up with its settings, uses those classes or ones that take the
    same options (Sphinx's figure). An extension that replaced one would make `check` refuse
    options that the build takes, or let pass some that it refuses."""
    from docutils.parsers.rst import directives

    from coursegen.directives import OPTIONS_CHECKED, _book_settings, book_sphinx, option_class
    from coursegen.loading import load_course

    course, _ = load_course(ROOT)
    assert course is not None
    with book_sphinx(_book_settings(course)):
        used = {name: directives._directives.get(name) or option_class(name) for name in OPTIONS_CHECKED}

    def reads(cls: Any) -> tuple[Any, ...]:  # its options, and the arguments it takes
        return (cls.option_spec, cls.required_arguments, cls.optional_arguments, cls.final_argument_whitespace)

    assert {name: reads(cls) for name, cls in used.items()} == {
        name: reads(option_class(name)) for name in OPTIONS_CHECKED
    }
    assert used["figure"] is not option_class("figure")  # Sphinx's own: what makes this test able to fail


LIST_TABLES = {
    "a row with a cell fewer": "```{list-table}\n:header-rows: 1\n\n* - Sign\n  - Meaning\n* - Papers kept\n```\n",
    "a row with a cell more": "```{list-table}\n\n* - a\n  - b\n* - c\n  - d\n  - e\n```\n",
    "header rows for every row": "```{list-table}\n:header-rows: 2\n\n* - a\n  - b\n* - c\n  - d\n```\n",
    "stub columns for every cell": "```{list-table}\n:stub-columns: 2\n\n* - a\n  - b\n* - c\n  - d\n```\n",
    "a paragraph": ":::{list-table}\nJust a paragraph.\n:::\n",
    "a row that is no list": "```{list-table}\n\n* - a\n  - b\n* c d\n```\n",
    "a fine table": "```{list-table}\n:header-rows: 1\n:stub-columns: 1\n\n* - Fine\n  - Table\n* -\n  - an empty cell\n```\n",
    "a fine table in a note": "```{note}\n:::{list-table}\n* - a\n* - b\n:::\n```\n",
}


@pytest.mark.parametrize("name", LIST_TABLES)
def test_check_tells_a_list_table_exactly_when_docutils_refuses_its_shape(
    name: str, minimal_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What `check` tells of a {list-table}'s shape (tests/cases/list-table-shapes.txt) is what
    the build stops on: docutils' own list-table, reading the content through MyST's
    docutils parser, reports an error for the same tables, and none for the others."""
    from docutils import nodes
    from docutils.core import publish_doctree
    from myst_parser.parsers.docutils_ import Parser

    text = LIST_TABLES[name]
    settings = {"report_level": 5, "halt_level": 5, "warning_stream": False, "myst_enable_extensions": ["colon_fence"]}
    doctree = publish_doctree(text, parser=Parser(), settings_overrides=settings)
    refused = [m.astext() for m in doctree.findall(nodes.system_message) if m["level"] >= 3]
    page = minimal_course / "modules" / "common" / "basics.en.md"
    page.write_text(page.read_text("utf-8") + "\n" + text, "utf-8")
    main(["check", str(minimal_course)])
    told = [line for line in capsys.readouterr().err.splitlines() if "{list-table}" in line]
    assert (len(told) == 1, bool(refused)) == (name not in ("a fine table", "a fine table in a note"),) * 2, (
        told,
        refused,
    )


def test_a_path_with_a_space_is_text_for_myst_unless_written_in_angle_brackets() -> None:
    """What tests/cases/picture-path-written-as-text.txt tells, as MyST's parser (the book's)
    reads it: the picture and the link are text, and become a picture and a link once
    their path is in <…>; a title in quotes after a path is no space in it."""
    from coursegen.validation import _myst

    def html(text: str) -> str:
        return str(_myst().render(text))

    assert "<img" not in html("![A form](img/Inspection Form.png)")
    assert "<a " not in html("[the form](img/Inspection Form.png)")
    assert "<img" in html("![A form](<img/Inspection Form.png>)")
    assert "<a " in html('[the scan](img/scan.png "The scan")')


def test_a_line_right_below_a_quotation_joins_it_for_myst() -> None:
    """What tests/cases/quotation-joined-by-the-line-below.txt tells, as MyST's parser reads
    the rendered page: the sentence below is in the quotation; a list below is not."""
    from coursegen.validation import _myst

    quote = "> **Action e.** Apply measures.\n>\n> — *Global Compact, action e*\n"
    joined = _myst().render(quote + "This is what the police must do.\n")
    assert "must do.</p>\n</blockquote>" in joined
    apart = _myst().render(quote + "- a list of our own\n")
    assert "</blockquote>\n<ul>" in apart


def test_pasted_list_items_are_one_paragraph_for_myst() -> None:
    """What tests/cases/list-pasted-from-a-word-processor.txt tells, as MyST's parser reads
    it: '•' items and a marker followed by a no-break space are one paragraph; '- ' is a list."""
    from coursegen.validation import _myst

    assert "<li>" not in _myst().render("• papers kept\n• wages paid late\n")
    assert "<li>" not in _myst().render("-\u00a0a debt\n1.\u00a0first step\n")
    assert _myst().render("- papers kept\n- wages paid late\n").count("<li>") == 2


def test_markdown_right_below_an_html_tag_is_shown_as_written_by_myst() -> None:
    """What tests/cases/markdown-inside-html.txt tells, as MyST's parser reads it: the
    Markdown inside the HTML block is text; after a blank line, it is Markdown."""
    from coursegen.validation import _myst

    joined = _myst().render("<details>\n<summary>Answer</summary>\nThe **answer**.\n</details>\n")
    assert "**answer**" in joined and "<strong>" not in joined
    apart = _myst().render("<details>\n<summary>Answer</summary>\n\nThe **answer**.\n\n</details>\n")
    assert "<strong>answer</strong>" in apart


def test_a_second_title_in_a_page_is_a_note(minimal_course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A second '# ' heading is told as a note (the build goes on: Jupyter Book builds it),
    at its line; a '# ' in code or in a note's content is no title of the page."""
    page = minimal_course / "modules" / "common" / "basics.en.md"
    page.write_text("# The basics\n\nText.\n\n```text\n# shown as code\n```\n\n# Second title\n\nMore.\n", "utf-8")
    assert main(["check", str(minimal_course)]) == 0
    notes = [line for line in capsys.readouterr().out.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and notes[0].startswith("note: ") and "basics.en.md:9:1: a second title" in notes[0]
    page.write_text("# The basics\n\n```text\n# shown as code\n```\n", "utf-8")
    assert main(["check", str(minimal_course)]) == 0
    assert "second title" not in capsys.readouterr().out


def test_picture_attributes_are_text_for_myst_without_attrs_inline() -> None:
    """What tests/cases/picture-attributes-shown-as-text.txt tells, as MyST reads it: the
    attributes are text with the book's extensions, and a width with attrs_inline."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    from coursegen.validation import _myst

    assert "{width=200px}" in _myst().render("![A map](map.png){width=200px}\n")
    with_attrs = create_md_parser(MdParserConfig(enable_extensions={"attrs_inline"}), RendererHTML)
    shown = with_attrs.render("![A map](map.png){width=200px}\n")
    assert "{width=200px}" not in shown and 'width="200px"' in shown


@pytest.mark.slow
def test_what_check_has_sphinx_read_is_what_the_build_stops_on(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """tests/cases/page-markup-only-sphinx-judges.txt, built: Jupyter Book stops on the same
    problems, at the same places, as `check` tells them."""
    case = parse(Path(__file__).parent / "cases" / "page-markup-only-sphinx-judges.txt")
    case.apply(minimal_course)
    monkeypatch.chdir(minimal_course)
    assert main(["check"]) == 1
    checked = [
        line.split(": ", 1)[0] for line in capsys.readouterr().err.splitlines() if line.endswith("[page-markup]")
    ]
    assert main(["build", "--lang", "en", "--out", str(tmp_path / "out")]) == 1
    built = [line.split(": ", 1)[0] for line in capsys.readouterr().err.splitlines() if line.startswith("modules/")]
    assert len(checked) == 11
    assert sorted(built) == sorted(checked)


def test_check_has_sphinx_read_no_page_of_the_default_course() -> None:
    """The default course's pages hold only markup that `check` judges itself: its `check`
    does not set Sphinx up (half a second)."""
    from coursegen.directives import _for_sphinx
    from coursegen.pipeline import prepare

    _, books = prepare(ROOT, lint=True)
    assert [rp.page.out for book in books for rp in book.pages if _for_sphinx(rp.markdown)] == []
    assert _for_sphinx("# A\n\nText.\n\n---\n") and _for_sphinx("```{epigraph}\nWords\n```\n")
    assert _for_sphinx("```{note}\n```\n") and not _for_sphinx("```{note}\nText\n```\n\n```{quiz}\n:bank: x\n```\n")


@pytest.mark.slow
def test_the_sphinx_settings_check_tells_are_what_the_build_stops_on(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """tests/cases/config-sphinx-settings-sphinx-refuses.txt, built: Jupyter Book stops on
    the same settings as `check` tells."""
    case = parse(Path(__file__).parent / "cases" / "config-sphinx-settings-sphinx-refuses.txt")
    case.apply(minimal_course)
    monkeypatch.chdir(minimal_course)
    assert main(["check"]) == 1
    checked = [line.split(": ", 1)[0] for line in capsys.readouterr().err.splitlines() if line.startswith("_config")]
    assert main(["build", "--lang", "en", "--out", str(tmp_path / "out")]) == 1
    built = [line.split(": ", 1)[0] for line in capsys.readouterr().err.splitlines() if line.startswith("_config")]
    assert checked == ["_config.yml:8:5", "_config.yml:9:21"]
    assert set(built) == set(checked)


@pytest.mark.slow
def test_extra_extensions_are_loaded_beside_the_course_s_own_list(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Jupyter Book's `sphinx.extra_extensions` joins a course's own list of extensions
    (which replaced Jupyter Book's, and with it the extra ones: a page's {todo} stopped the
    build, and `check` told it as unknown)."""
    config = minimal_course / "_config.yml"
    text = config.read_text("utf-8").replace("sphinx:\n", "sphinx:\n  extra_extensions: [sphinx.ext.todo]\n")
    config.write_text(text.replace("  config:\n", "  config:\n    todo_include_todos: true\n"), "utf-8")
    page = minimal_course / "modules" / "common" / "basics.en.md"
    page.write_text(page.read_text("utf-8") + "\n```{todo}\nAsk the inspectors.\n```\n", "utf-8")
    monkeypatch.chdir(minimal_course)
    assert main(["check"]) == 0, capsys.readouterr().err
    assert main(["build", "--lang", "en", "--out", str(tmp_path / "out")]) == 0, capsys.readouterr().err
    html = (tmp_path / "out" / "en" / "_build" / "html" / "common" / "basics.html").read_text("utf-8")
    assert "Ask the inspectors." in html


def test_an_extension_s_name_is_looked_up_without_running_its_package(capfd: pytest.CaptureFixture[str]) -> None:
    """`check` finds whether an extension is installed without importing it nor its
    packages: `this.ext` printed the Zen of Python, and `sphinx.__main__.x` ran Sphinx's
    command line (`check` then stopped with its usage)."""
    from coursegen.loading import _installed

    assert [_installed(n) for n in ("sphinx.ext.todo", "myst_nb", "os.path", "coursegen.sphinxext")] == [True] * 4
    assert [_installed(n) for n in ("this.ext", "sphinx.__main__.x", "sphinx.ext.nope", "nope", "a..b")] == [False] * 5
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("text", "may"),
    [
        ("# T\n\n    Text here.\n", True),
        ("- a\n\n    more of a\n", True),  # (the item's own paragraph: read, and not told)
        ("```yaml\n\n    key: v\n```\n", False),  # code
        ("```{note}\nA note.\n\n\tIndented.\n```\n", True),  # a note's content is Markdown
        (":::{note}\nA note.\n\n    Indented.\n:::\n", True),
        ("> A quote:\n>\n>     Indented inside.\n", True),
        ("1. a\n   - b\n\n     more\n", True),
        ("## Who to call\n    Call the hotline first.\n", True),  # no blank line after a heading
        ("- The hotline.\n\n      Call the hotline first.\n", True),  # code inside the item
        ("> ```\n> some code\n\n    Dear trainee, a letter.\n", True),  # a quote's fence ends with it
        ("```{note}\nA note.\n```\n\n    Text after the note.\n", True),  # its end is no code's start
        ("```{note}\n```python\nx = 1\n```\n```\n\n    Text after.\n", True),
    ],
)
def test_only_pages_that_may_hold_indented_text_are_read_by_myst(text: str, may: bool) -> None:
    """The check of indented text reads a page with MyST's parser (30 ms for the default
    course's four pages with an indented line) only when a line may be such text; never
    leaving out one that MyST reads as a block of code."""
    from coursegen.validation import _may_hold_indented_text, _page_tokens

    assert _may_hold_indented_text(text) is may
    if any(token.type == "code_block" for _, token in _page_tokens(text)):
        assert may, text


def test_a_quiz_commented_out_is_on_no_page(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A page whose quiz call is kept in a Jinja comment (`{# {{ quiz() }} #}`) shows no
    quiz: told in a note, as when the call is removed. The comment was taken for a call
    that had failed to render, told at the page, and nothing was said."""
    page = minimal_course / "modules" / "police" / "recognise.en.md"
    monkeypatch.chdir(minimal_course)
    for call in ("{# {{ quiz() }} #}", "", "{#\n{{ quiz() }}\n#}"):
        page.write_text(f'# Recognise\n\n{{{{ action("e") }}}}\n\n{call}\n', "utf-8")
        assert main(["check"]) == 0
        out = capsys.readouterr().out
        assert "note: _toc.yml:7:5: the quiz of 'police' (6 questions) is on no English page" in out, (call, out)
    page.write_text("# Recognise\n\n{# a note #}\n\n{{ quiz() }}\n", "utf-8")  # and one shown is not told
    assert main(["check"]) == 0
    assert "note:" not in capsys.readouterr().out


def test_a_quiz_without_questions_is_told_at_its_page(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bank with no question (`items: []`, or all of them for other audiences) shown on a
    page: the page showed its quiz's heading and nothing under it, and `check` said the
    course was fine. Told in a note at the page's quiz(), in each language, without
    stopping (the exports say so of their selection); a bank with questions is not."""
    monkeypatch.chdir(minimal_course)
    assert main(["check"]) == 0
    assert "has no question" not in capsys.readouterr().out
    (minimal_course / "quizzes" / "police.yml").write_text("items: []\n", "utf-8")
    assert main(["check"]) == 0
    notes = [line for line in capsys.readouterr().out.splitlines() if "has no question" in line]
    assert notes == [
        f"note: modules/police/recognise.{lang}.md:11:4: the quiz of 'police' has no question for this book: the "
        "page shows none. Write questions in quizzes/police.yml, or remove this {{ quiz() }}"
        for lang in ("fr", "en")
    ]


@pytest.mark.parametrize(
    ("settings", "told"),
    [
        ("    numfig: false\n", True),
        ("    numfig: 0\n", True),  # Sphinx: off, as Python reads 0
        ('    numfig: "0"\n', True),  # Sphinx reads a text "0" as off
        ('    numfig: "false"\n', False),  # and any other text as on
        ("    numfig: true\n", False),
        ("", False),  # Jupyter Book turns it on
        ("    numfig: false\nlatex:\n  use_jupyterbook_latex: true\n", False),  # which turns it back on
    ],
)
def test_a_numref_is_told_where_the_build_numbers_no_figure(
    minimal_course: Path, capsys: pytest.CaptureFixture[str], settings: str, told: bool
) -> None:
    """A {numref}, or reStructuredText's :numref:, stops the build where figures have no number
    ("numfig is disabled"), and only there: read as Sphinx reads the setting."""
    config = minimal_course / "_config.yml"
    config.write_text(config.read_text("utf-8").replace("course:\n", settings + "course:\n", 1), "utf-8")
    (minimal_course / "modules" / "common" / "map.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>', "utf-8"
    )
    page = minimal_course / "modules" / "common" / "basics.en.md"
    page.write_text(
        page.read_text("utf-8") + "\n```{figure} map.svg\n:name: map\n\nThe map.\n```\n\n"
        "See {numref}`Figure %s <map>`.\n\n```{eval-rst}\nAnd :numref:`map`.\n```\n",
        "utf-8",
    )
    code = main(["check", str(minimal_course)])
    err = capsys.readouterr().err
    assert code == (1 if told else 0), err
    assert err.count("figures and tables have no number in this course") == (2 if told else 0), err


def test_a_bank_of_thousands_of_broken_questions_tells_its_first_problems(
    minimal_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Thousands of questions, each with problems: the first ones are told, and that there
    are more (telling every one took minutes and gigabytes, for a file well under the size
    limit). The problems are those of the first questions, in order."""
    from coursegen.schema import MAX_TOLD

    bank = minimal_course / "quizzes" / "police.yml"
    bank.write_text("items:\n" + "".join(f"  - id: q{i}\n    type: single\n" for i in range(MAX_TOLD * 2)), "utf-8")
    code = main(["check", str(minimal_course)])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert f"police.yml:1:1: more problems than coursegen tells at once: the first {MAX_TOLD} are told" in err[0]
    assert err[1].endswith("police.yml:2:5: missing required key 'explanation' in question 'q0' [missing-key]")
    told = [line for line in err if "police.yml:" in line]
    assert MAX_TOLD <= len(told) < MAX_TOLD * 4  # (each question lacks four keys)
    assert not any(f"'q{MAX_TOLD * 2 - 1}'" in line for line in told)
