"""Bad input to the commands other than the course itself: results files for `grade`, and
output folders, names and options that cannot work. Each gives a clear message and its exit
status (1: problems in the input, 2: a command that cannot run), never a traceback, and
leaves what was there as it was."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from coursegen.cli import main

HEAD = {"format": "coursegen-results/1"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "internal error" not in out + err, out + err
    return code, out + err


def grade(capsys: pytest.CaptureFixture[str], *files: str, out: str, lang: str = "en") -> tuple[int, str]:
    """`coursegen grade` of `files` against the minimal course, its outputs in `lang`."""
    return run(capsys, "grade", "--lang", lang, *files, "--course", str(FIXTURES / "minimal"), "--out", out)


def results(path: Path, items: list[dict[str, object]], **extra: object) -> Path:
    path.write_text(json.dumps({**HEAD, **extra, "items": items}), "utf-8")
    return path


def test_hostile_results_files_are_reported_and_the_others_graded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A number of 400 digits (too large for a float), one of 5,000 (too long for Python to
    read), nesting 100,000 deep, a CSV field of 200,000 characters, a trainee that is not
    a name: each file is reported, and the good file is still graded and written."""
    (tmp_path / "huge.json").write_text(
        json.dumps(HEAD)[:-1] + ', "items": [{"id": "t-numeric", "response": 1' + "0" * 5000 + "}]}", "utf-8"
    )
    (tmp_path / "deep.json").write_text("[" * 100_000, "utf-8")
    (tmp_path / "wide.csv").write_text("trainee,item,response\nana,t-short," + "x" * 200_000 + "\n", "utf-8")
    named = results(tmp_path / "named.json", [{"id": "t-single", "response": "b"}], trainee=["x"])
    big = results(tmp_path / "big.json", [{"id": "t-numeric", "response": 10**400}])
    good = results(tmp_path / "good.json", [{"id": "t-single", "response": "b"}])
    files = [str(tmp_path / n) for n in ("huge.json", "deep.json", "wide.csv", "named.json", "big.json", "good.json")]
    out = tmp_path / "grades"
    code, text = grade(capsys, *files, out=str(out))
    assert code == 1
    assert "huge.json:1:1: invalid JSON: a number too long to read [results-format]" in text
    assert "deep.json:1:1: invalid JSON: nested too deeply [results-format]" in text
    assert "wide.csv:2:1: invalid CSV: field larger than field limit (131072) [results-format]" in text  # its row
    col = named.read_text("utf-8").index('["x"]') + 1  # at its value
    assert f"named.json:1:{col}: 'trainee' must be a name or a number [results-format]" in text
    at = big.read_text("utf-8").index('"t-numeric"') + 1  # the item's id
    assert (
        f"{big}:1:{at}: big, question 6 ('t-numeric'): the response does not fit this question (expected a number): graded 0"
        in text
    )
    scores = (out / "scores.csv").read_text("utf-8-sig")
    assert good.stem in scores and big.stem in scores


def test_a_question_left_unanswered_never_replaces_an_answer_and_a_transcription_given_last_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The book's file lists every question, unanswered ones as null: a null never replaces
    a trainee's answer from another file. A file without a time (a trainer's CSV of the
    paper answers) given after the book's file is graded, and the note says why."""
    items = [
        {"id": "t-single", "response": "b"},
        {"id": "t-multiple", "response": None},
        {"id": "t-short", "response": None},
    ]
    book = results(tmp_path / "eva.json", items, trainee="eva", saved="2026-11-28T10:00:00.000Z")
    paper = tmp_path / "paper.csv"
    paper.write_text(
        'trainee,item,response\neva,t-multiple,"[""a"", ""c""]"\neva,t-short,ILO\neva,t-single,a\n', "utf-8"
    )
    out = tmp_path / "g"
    code, text = grade(capsys, str(book), str(paper), out=str(out))
    assert code == 0, text
    scores = (out / "scores.csv").read_text("utf-8-sig").splitlines()
    assert scores[1].startswith("eva,3,4,9,"), (  # the CSV's trainee: on the whole quiz, 9 points
        scores
    )  # the paper's three answers; its t-single (a) replaces the book's b
    told = [line for line in text.splitlines() if "also answered" in line]
    assert told == [
        f"note: {paper}: eva's answers to 1 question also answered in {book} are graded from this file (given after it)"
    ]
    code, text = grade(capsys, str(paper), str(book), out=str(out))
    assert code == 0 and "eva,3,5,9," in (out / "scores.csv").read_text(
        "utf-8-sig"
    )  # the book's b, given last; nulls ignored


def test_a_devices_pseudonym_is_one_trainee_in_either_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A nameless trainee's files carry the device's pseudonym in the page's language: the
    French quiz's `anonyme-3f9a2c` and the English one's `anonymous-3f9a2c` are one trainee,
    named in the outputs' language. Control: another device's pseudonym is another trainee."""
    results(tmp_path / "a.json", [{"id": "t-single", "response": "b"}], trainee="anonyme-3f9a2c")
    results(tmp_path / "b.json", [{"id": "t-short", "response": "ILO"}], trainee="anonymous-3f9a2c")
    results(tmp_path / "c.json", [{"id": "t-short", "response": "ILO"}], trainee="anonymous-77aa01")
    out = tmp_path / "g"
    code, text = grade(capsys, str(tmp_path), out=str(out), lang="fr")
    assert code == 0, text
    rows = (out / "scores.csv").read_text("utf-8-sig").splitlines()[1:]
    assert [r.split(";")[:2] for r in rows] == [["anonyme-3f9a2c", "2"], ["anonyme-77aa01", "1"]]


def test_an_answer_given_twice_is_graded_from_the_file_saved_last(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trainee who downloads twice: the phone names the second file `ana (1).json`, which
    comes first in a folder's order; its answers, saved last, are graded, with one note for
    the file (not one line per question). Twice in one file is a problem in that file."""
    items = [{"id": "t-single", "response": "a"}, {"id": "t-multiple", "response": ["a"]}]
    (tmp_path / "sent").mkdir()
    older = results(tmp_path / "sent" / "ana.json", items, trainee="ana", saved="2026-11-28T10:00:00.000Z")
    newer = [{"id": "t-single", "response": "b"}, {"id": "t-multiple", "response": ["a"]}]
    later = results(tmp_path / "sent" / "ana (1).json", newer, trainee="ana", saved="2026-11-28T11:30:00.000Z")
    assert sorted(p.name for p in (tmp_path / "sent").iterdir()) == [later.name, older.name]
    out = tmp_path / "g"
    code, text = grade(capsys, str(tmp_path / "sent"), out=str(out))
    assert code == 0, text
    scores = (out / "scores.csv").read_text("utf-8-sig").splitlines()
    assert scores[1].startswith("ana,2,2.5,"), scores  # t-single right (b), as saved last: 1 + 1.5
    told = [line for line in text.splitlines() if "also answered" in line]
    assert told == [
        f"note: {later}: ana's answers to 2 questions also answered in {older} are graded from this file (saved later)"
    ]
    twice = results(tmp_path / "twice.json", [{"id": "t-single", "response": "b"}, {"id": "t-single", "response": "a"}])
    code, text = grade(capsys, str(twice), out=str(out))
    at = twice.read_text("utf-8").rindex('"t-single"') + 1  # the second answer's id
    assert code == 1 and f"{twice}:1:{at}: " in text and "answered 't-single' already" in text


@pytest.mark.parametrize("where", ["file", "folder-in-the-way"])
def test_grade_writes_all_its_files_or_none(where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An output folder that is a file is refused before any work; a report that cannot
    be written leaves the old scores as they were (not new scores beside an old report)."""
    good = results(tmp_path / "good.json", [{"id": "t-single", "response": "b"}])
    out = tmp_path / "grades"
    if where == "file":
        out.write_text("not a folder", "utf-8")
    else:
        (out / "report.html").mkdir(parents=True)
        (out / "scores.csv").write_text("OLD", "utf-8")
    code, text = grade(capsys, str(good), out=str(out))
    assert code == 2
    if where == "file":
        assert "not a folder (a file of that name exists)" in text
        assert out.read_text("utf-8") == "not a folder"
    else:
        assert "report.html: cannot write (a folder of that name is in the way); nothing was changed" in text
        assert (out / "scores.csv").read_text("utf-8-sig") == "OLD"
        assert sorted(p.name for p in out.iterdir()) == ["report.html", "scores.csv"]  # nothing left aside


def test_an_unknown_quiz_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = results(tmp_path / "good.json", [{"id": "t-single", "response": "b"}])
    code, text = run(
        capsys,
        "grade",
        str(good),
        "--course",
        str(FIXTURES / "minimal"),
        "--quiz",
        "polce",
        "--out",
        str(tmp_path / "g"),
    )
    assert code == 2 and "unknown quiz 'polce' (this course has: police)" in text
    assert not (tmp_path / "g").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["explain", "{course}", "nosuch"], "nothing named 'nosuch' in"),
        (["explain", "{course}", ""], "an empty name"),
        (["explain", "{course}", "t-singel"], "nothing named 't-singel' in"),
        (["explain", "{course}", "t-scen"], "(did you mean 't-scenario'?)"),
        # a name with a line break: said on one line (it forged a second line of the output)
        (["explain", "{course}", "x\nfake.yml:1:1: forged [x]"], "nothing named 'x\\nfake.yml:1:1: forged [x]'"),
        (["explain", "{course}", "x\x1b[2J"], "nothing named 'x\\x1b[2J'"),  # shown, not sent to the terminal
        (["explain", "", "t-single"], "an empty course folder"),
        (["export", "gift", "{course}", "--audience", ""], "--audience needs an audience id"),
        # an audience misspelt on the command line: the one meant, as in _config.yml
        (
            ["build", "{course}", "--audience", "polce"],
            "unknown audience 'polce' (this course has: police); did you mean 'police'?",
        ),
        (["export", "gift", "{course}", "--audience", "Police"], "(this course has: police); did you mean 'police'?"),
        (["export", "gift", "{course}", "--out", "{file}"], "not a folder (a file of that name exists)"),
        (["build", "{course}", "--out", "{file}"], "not a folder (a file of that name exists)"),
        (["build", "{course}", "--out", "{course}/modules/site"], "inside the course's modules/ folder"),
        # a site served with what it must not serve (every answer, the answer keys), or that
        # another build or an export takes for something else (they stopped on it later)
        (["build", "{course}", "--out", "{course}"], ": the course folder itself: a build's output folder is served"),
        (["build", "{course}", "--out", "{course}/exports"], ": inside the course's exports/ folder, where exports go"),
        # a folder that holds the course folder: served whole (`python3 -m http.server --directory OUT`)
        (["build", "{course}", "--out", "{course}/.."], ": holds the course folder ("),
        (["build", "{course}", "--out", "/"], "/: holds the course folder ("),
        (
            ["build", "{course}", "--out", "{course}/../.."],
            "and the course's quizzes hold every answer: choose a folder",
        ),
        (["build", "{course}", "--out", "{site}/fr"], ": inside the folder of a language of another build ("),
        (["build", "{course}", "--out", "{site}/fr/copy"], ": inside the folder of a language of another build ("),
        (["build", "{course}", "--out", "{file}/../copy"], ": another course's folder: choose a folder of its own"),
        # an answer key in the course's own pages, shared with the course folder
        (["export", "handout", "{course}", "--out", "{course}/modules"], "inside the course's modules/ folder"),
        (["export", "scorm", "{course}", "--out", "{course}/quizzes/x"], "inside the course's quizzes/ folder"),
        # the key among the grades, into the course's questions; an export into a published
        # site, which the builds after replace (and which trainees are served)
        (
            ["grade", "--lang", "en", "{results}", "--course", "{course}", "--out", "{course}/quizzes"],
            "inside the course's quizzes/",
        ),
        (["export", "handout", "{course}", "--out", "{site}/en/_build/html"], "inside a published site"),
        (
            ["grade", "--lang", "en", "{results}", "--course", "{course}", "--out", "{site}/fr/_build/x"],
            "inside a published site",
        ),
        (["new", "{file}"], "a file of that name is in the way"),
        # the folder after an option that takes several values, which took it for one
        (
            ["new", "--lang", "en", "--audience", "police", "x4"],
            "'x4' was read as an option's value: give the folder first, as in: coursegen new x4 --audience police --lang en",
        ),
        (["new", "--lang", "fr", "x5"], "'x5' was read as an option's value: give the folder first"),
        (["new", "--audience", "police"], "give the folder to create, as in: coursegen new FOLDER --audience police"),
        (["new", "x6", "--lang", "de"], "unknown language 'de' (choose from: fr, en)"),
        # the course after `--audience A`, which takes it for an audience
        (["build", "--audience", "police", "{course}"], "is a course folder, read as an audience: give the folder"),
    ],
)
def test_commands_that_cannot_run_say_why(
    args: list[str], message: str, minimal_course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    afile = tmp_path / "afile"
    afile.write_text("kept", "utf-8")
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "_config.yml").write_text("course: {}\n", "utf-8")  # another course's folder
    site = tmp_path / "site"  # a build's output folder, as publish.py leaves it
    for lang in ("fr", "en"):
        (site / lang / "_build" / "site-1").mkdir(parents=True)
        (site / lang / "_build" / "html").symlink_to("site-1")
        (site / lang / "_build" / ".coursegen-stamp").write_text("x", "utf-8")
    answers = results(tmp_path / "ana.json", [{"id": "t-single", "response": "b"}])
    places = {"{course}": minimal_course, "{file}": afile, "{site}": site, "{results}": answers}
    filled = list(args)
    for mark, path in places.items():
        filled = [a.replace(mark, str(path)) for a in filled]
    code, text = run(capsys, *filled)
    assert code == 2 and message in text
    assert not list((site / "en" / "_build" / "site-1").iterdir()) and not (site / "fr" / "_build" / "x").exists()
    assert afile.read_text("utf-8") == "kept"
    assert not (minimal_course / "modules" / "site").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # an option that takes one value, given twice: the second replaced the first
        (["export", "gift", "{course}", "--audience", "police", "--audience", "employers"], "--audience: given twice"),
        (["export", "gift", "{course}", "--lang", "fr", "--lang", "en"], "--lang: given twice"),
        (["grade", "--lang", "en", "{course}", "--quiz", "police", "--quiz", "common"], "--quiz: given twice"),
        (["build", "{course}", "--lang", "fr", "--lang", "en"], "--lang: given twice"),
        # an empty path (a variable left unset) was the current folder
        (["grade", "--lang", "en", ""], "argument responses: an empty path"),
        (["export", "gift", ""], "argument course: an empty path"),
        (["check", ""], "argument course: an empty path"),
        (["new", ""], "argument folder: an empty path"),
        # a port out of range was an internal error ("bind(): port must be 0-65535")
        (["serve", "{course}", "--port", "80000"], "'80000' is no port: give a number from 1 to 65535"),
        (["serve", "{course}", "--port", "-1"], "'-1' is no port"),
    ],
)
def test_arguments_that_cannot_be_read_say_why(
    args: list[str], message: str, minimal_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([a.replace("{course}", str(minimal_course)) for a in args])
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and message in err and "Traceback" not in err


def test_an_export_s_course_may_follow_its_options(
    minimal_course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`export gift --lang en COURSE`, as `build --lang en COURSE` is written, was refused
    ("unrecognized arguments")."""
    code, text = run(capsys, "export", "gift", "--lang", "en", str(minimal_course), "--out", str(tmp_path / "e"))
    assert code == 0, text
    assert [p.name for p in (tmp_path / "e").iterdir()] == ["gift-police-en.txt"]


def test_an_export_in_the_way_of_a_folder_leaves_nothing_behind(
    minimal_course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "exports"
    (out / "moodle-police-fr-en.xml").mkdir(parents=True)
    code, text = run(capsys, "export", "moodle", str(minimal_course), "--out", str(out))
    assert code == 2 and "cannot write (a folder of that name is in the way)" in text
    assert [p.name for p in out.iterdir()] == ["moodle-police-fr-en.xml"]


def test_an_export_of_several_files_writes_all_of_them_or_none(
    minimal_course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A handout and its answer key, two languages' GIFT files: written together. When the
    key cannot be written, the handout of the export before stays beside its own key (the
    new handout was written first, then the export said "nothing was changed")."""
    out = tmp_path / "exports"
    code, _ = run(capsys, "export", "handout", str(minimal_course), "--lang", "en", "--out", str(out))
    assert code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(before) == ["answer-key-police-en.html", "handout-police-en.html"]
    bank = minimal_course / "quizzes" / "police.yml"
    bank.write_text(bank.read_text("utf-8").replace("Does trafficking require", "Must trafficking involve"), "utf-8")
    (out / "answer-key-police-en.html").unlink()
    (out / "answer-key-police-en.html").mkdir()  # in the way of the new key
    code, text = run(capsys, "export", "handout", str(minimal_course), "--lang", "en", "--out", str(out))
    assert code == 2 and "nothing was changed" in text
    assert (out / "handout-police-en.html").read_bytes() == before["handout-police-en.html"]
    assert sorted(p.name for p in out.iterdir()) == sorted(before)


@pytest.mark.parametrize("format_", ["gift", "moodle"])
def test_exporting_no_question_is_said(
    format_: str, minimal_course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for bank in (minimal_course / "quizzes").glob("*.yml"):
        bank.write_text("items: []\n", "utf-8")
    code, text = run(capsys, "export", format_, str(minimal_course), "--lang", "en", "--out", str(tmp_path / "e"))
    assert code == 0 and "warning: this selection has no question: the file holds none" in text


def test_two_exports_into_one_folder_wait_for_each_other(minimal_course: Path, tmp_path: Path) -> None:
    """Exports take the output folder's lock, as builds do: two SCORM exports at once tore
    each other's site apart ("No such file or directory" on a theme's font)."""
    import subprocess
    import sys
    import time

    from coursegen import publish

    out = (tmp_path / "exports").resolve()
    out.mkdir()
    exe = Path(sys.executable).with_name("coursegen")
    with publish.one_build_at_a_time(out):  # another export, still writing
        later = subprocess.Popen(
            [str(exe), "export", "gift", str(minimal_course), "--lang", "en", "--out", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert later.stdout is not None
        first = later.stdout.readline()
        assert "another coursegen build is writing into" in first and "waiting" in first
        time.sleep(0.5)
        assert later.poll() is None and not list(out.iterdir())  # it waits, and writes nothing
    rest, _ = later.communicate(timeout=120)
    assert later.returncode == 0, first + rest
    assert [p.name for p in out.iterdir()] == ["gift-police-en.txt"]


def test_an_export_has_the_permissions_of_any_new_file(
    minimal_course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Written aside then moved: the file gets the user's umask (a temporary file's 0600
    would hide it from the web server or the colleague it is for)."""
    import os

    mask = os.umask(0o022)
    try:
        code, _ = run(capsys, "export", "gift", str(minimal_course), "--lang", "fr", "--out", str(tmp_path / "e"))
    finally:
        os.umask(mask)
    assert code == 0
    assert [oct(p.stat().st_mode & 0o777) for p in (tmp_path / "e").iterdir()] == ["0o644"]


def test_new_with_a_language_twice_makes_a_valid_course(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run(capsys, "new", str(tmp_path / "c"), "--lang", "fr", "fr")
    assert code == 0
    code, text = run(capsys, "check", str(tmp_path / "c"))
    assert code == 0, text


def test_building_a_missing_course_makes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The output folder is checked before the build, not made: `COURSE/build` would have
    made the missing course's folder."""
    code, text = run(capsys, "build", str(tmp_path / "missing"))
    assert code == 2 and "no such course folder" in text
    assert not (tmp_path / "missing").exists()


def test_grade_puts_the_old_outputs_back_when_one_cannot_be_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure while the new files take the old ones' place (a file locked there): the
    ones already replaced are put back, so the three files still belong together. The
    failure is made by the file system's call itself (no portable way to lock one file)."""
    good = results(tmp_path / "good.json", [{"id": "t-single", "response": "b"}])
    out = tmp_path / "grades"
    out.mkdir()
    for name in ("scores.csv", "items.csv", "report.html"):
        (out / name).write_text(f"OLD {name}", "utf-8")
    real = Path.replace

    def replace(self: Path, target: Path) -> Path:
        if Path(target).name == "items.csv" and self.name == ".items.csv.writing":
            raise PermissionError(1, "Operation not permitted", str(target))
        return real(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    code, text = grade(capsys, str(good), out=str(out))
    assert code == 2 and "items.csv: cannot write (Operation not permitted); nothing was changed" in text
    assert {p.name: p.read_text("utf-8") for p in out.iterdir()} == {
        n: f"OLD {n}" for n in ("scores.csv", "items.csv", "report.html")
    }


def test_grade_keeps_the_old_outputs_when_no_file_could_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "broken.json").write_text("{", "utf-8")
    out = tmp_path / "grades"
    out.mkdir()
    (out / "scores.csv").write_text("OLD", "utf-8")
    code, text = grade(capsys, str(tmp_path / "broken.json"), out=str(out))
    assert code == 1 and "nothing to grade" in text
    assert (out / "scores.csv").read_text("utf-8-sig") == "OLD"


def test_grade_takes_numbered_trainees_and_spreadsheet_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A trainee's number from a learning platform, and a CSV saved by a spreadsheet as
    "CSV UTF-8" (it starts with a byte order mark)."""
    numbered = results(tmp_path / "n.json", [{"id": "t-single", "response": "b"}], trainee=1042)
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes('\ufefftrainee,item,response\nzoé,t-single,"""a"""\n'.encode())
    out = tmp_path / "g"
    code, text = grade(capsys, str(numbered), str(sheet), out=str(out))
    assert code == 0, text
    scores = (out / "scores.csv").read_text("utf-8-sig")
    assert "1042,1,1,1,100.0" in scores and "zoé,1,0,9,0.0" in scores  # a CSV's, on the whole quiz


def test_an_answer_to_a_question_the_course_disables_is_left_out_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Results downloaded before the trainer disabled a question: its answers were told as
    "unknown question id", an error (exit 1), as if from another course."""
    monkeypatch.setenv("COURSEGEN_BUILTIN", str(FIXTURES / "minimal"))
    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "police", "--lang", "fr"]) == 0
    (folder / "quizzes" / "police.yml").write_text("items:\n  - {id: t-order, disabled: true}\n", "utf-8")
    answers = [{"id": "t-single", "response": "b"}, {"id": "t-order", "response": ["s1", "s2", "s3", "s4"]}]
    sent = results(tmp_path / "ana.json", answers, trainee="Ana")
    out = tmp_path / "g"
    code, text = run(capsys, "grade", "--lang", "fr", str(sent), "--course", str(folder), "--out", str(out))
    assert code == 0, text
    assert "note: answers to 't-order' that the course disables left out (disabled: true)" in text
    assert "unknown question" not in text
    assert "Ana;1;1;1;100,0" in (out / "scores.csv").read_text("utf-8-sig")  # a French-only course: French outputs


def test_answers_to_a_case_study_the_course_disables_are_left_out_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Disabling a case study disables its questions: answers to them were "unknown
    question id", exit 1."""
    monkeypatch.setenv("COURSEGEN_BUILTIN", str(FIXTURES / "minimal"))
    folder = tmp_path / "course"
    assert main(["new", str(folder), "--audience", "police", "--lang", "fr"]) == 0
    (folder / "quizzes" / "police.yml").write_text("items:\n  - {id: t-scenario, disabled: true}\n", "utf-8")
    answers = [{"id": "t-single", "response": "b"}, {"id": "t-numeric", "response": 18}]
    sent = results(tmp_path / "ana.json", answers, trainee="Ana")
    code, text = run(capsys, "grade", str(sent), "--course", str(folder), "--out", str(tmp_path / "g"))
    assert code == 0, text
    assert "that the course disables left out" in text and "t-numeric" in text
    assert "unknown question" not in text


def test_new_leaves_nothing_when_it_fails_halfway(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up on the third file: an empty folder given stays empty, and the
    folders that `new` made are gone."""
    real = Path.write_text
    calls: list[Path] = []

    def write_text(self: Path, *args: object, **kwargs: object) -> int:
        calls.append(self)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(self))
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", write_text)
    (tmp_path / "empty").mkdir()
    code, text = run(capsys, "new", str(tmp_path / "empty"))
    assert code == 2 and "No space left on device" in text
    assert list((tmp_path / "empty").iterdir()) == []
    calls.clear()
    code, _ = run(capsys, "new", str(tmp_path / "a" / "b"))
    assert code == 2 and not (tmp_path / "a").exists()


def test_new_says_the_next_commands_as_a_shell_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder named with a space, as trainers name them: the commands `new` prints can be
    pasted as they are (they said `coursegen check mon cours`: two arguments)."""
    monkeypatch.chdir(tmp_path)
    code, text = run(capsys, "new", "mon cours", "--lang", "fr")
    assert code == 0
    lines = {line.split()[1]: shlex.split(line) for line in text.splitlines() if line.startswith("  coursegen ")}
    assert lines == {"check": ["coursegen", "check", "mon cours"], "build": ["coursegen", "build", "mon cours"]}
    assert "  edit 'mon cours/country.yml'" in text


def test_new_says_a_folder_named_in_latin_1_as_bash_reads_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder whose name holds bytes that are not UTF-8 (made on a Latin-1 system): the
    command `new` prints gives bash that name, byte for byte (it printed `'cours \\xe9t\\xe9'`,
    which names another folder)."""
    monkeypatch.chdir(tmp_path)
    code, text = run(capsys, "new", os.fsdecode(b"cours \xe9t\xe9"), "--lang", "fr")
    assert code == 0
    said = next(line for line in text.splitlines() if line.startswith("  coursegen check "))
    given = subprocess.run(["bash", "-c", f"printf %s {said.removeprefix('  coursegen check ')}"], capture_output=True)
    assert given.stdout == b"cours \xe9t\xe9", said


def test_new_says_a_folder_named_like_an_option_so_that_it_is_not_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`coursegen new -- -x` makes the folder "-x": the commands it prints name it "./-x",
    which the next command reads as a folder (it printed `coursegen check -x`, an option)."""
    monkeypatch.chdir(tmp_path)
    code, text = run(capsys, "new", "--lang", "fr", "--", "-x")
    assert code == 0 and (tmp_path / "-x" / "_config.yml").is_file()
    commands = [shlex.split(line)[1:] for line in text.splitlines() if line.startswith("  coursegen ")]
    assert commands == [["check", "./-x"], ["build", "./-x"]]
    assert "  edit ./-x/country.yml" in text
    code, text = run(capsys, *commands[0])
    assert code == 0, text


def test_the_output_check_follows_links(minimal_course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`modules` may be a link to a folder inside the course: an output under it is still
    inside the pages."""
    (minimal_course / "modules").rename(minimal_course / "pages")
    (minimal_course / "modules").symlink_to("pages")
    code, text = run(capsys, "build", str(minimal_course), "--out", str(minimal_course / "modules" / "site"))
    assert code == 2 and "inside the course's modules/ folder" in text


def test_explain_finds_a_page_by_its_file_s_name(minimal_course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`explain COURSE modules/police/recognise.en.md`, the page's file as it is named in the
    folder, is the page (only `recognise.md` and `recognise` were)."""
    for name in (
        "modules/police/recognise.en.md",
        "recognise.en.md",  # by its name alone, in whichever part has it
        str(minimal_course / "modules" / "police" / "recognise.fr.md"),  # the file's own path
    ):
        code, text = run(capsys, "explain", str(minimal_course), name)
        assert code == 0, text
        assert [line.split()[1:3] for line in text.splitlines()] == [
            ["modules/police/recognise", "(en)"],
            ["modules/police/recognise", "(fr)"],
        ], name


def test_explain_of_a_standalone_course_names_only_its_own_layers(
    minimal_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A course without `base` has no built-in layers: `explain` listed them all the same,
    under "based on nothing". Control: the layers its rows name are those it lists."""
    code, text = run(capsys, "explain", str(minimal_course))
    assert code == 0, text
    head, stack, _, *rows = text.splitlines()
    assert head.endswith("based on nothing (a standalone course)")
    assert stack == "layers, highest first: course folder > package defaults", stack
    named = {
        layer
        for layer in ("course folder", "built-in common", "built-in audience", "package defaults")
        for row in rows
        if f"  {layer}  " in row
    }
    assert named == {"course folder", "package defaults"}, named


def test_explain_an_empty_name_inside_a_course(
    minimal_course: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(minimal_course)
    code, text = run(capsys, "explain", "")
    assert code == 2 and "an empty name" in text


def test_explain_a_page_beside_the_course_folder_names_the_folder_to_give(
    minimal_course: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`coursegen explain modules/index` from the folder that holds the course, as the other
    examples of the docs run: said how to name the course folder (it said only "no such
    course folder")."""
    monkeypatch.chdir(minimal_course.parent)
    code, text = run(capsys, "explain", "modules/index")
    assert code == 2
    assert f"coursegen explain {minimal_course.name} modules/index" in text, text
    code, text = run(capsys, "explain", minimal_course.name, "modules/index")
    assert code == 0 and "modules/index.fr.md:1" in text, text
    code, text = run(capsys, "explain", f"{minimal_course.name}/modules/index")  # the folder, then the name
    assert code == 2 and f"coursegen explain {minimal_course.name} modules/index)" in text, text


@pytest.mark.parametrize(
    "command", [["build", "{course}"], ["export", "gift", "{course}"], ["grade", "--lang", "en", "{file}"]]
)
def test_an_empty_output_folder_is_refused(
    command: list[str],
    minimal_course: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--out ""` (a shell variable left unset) would write into the current folder."""
    afile = tmp_path / "afile"
    afile.write_text("kept", "utf-8")
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    args = [a.replace("{course}", str(minimal_course)).replace("{file}", str(afile)) for a in command]
    with pytest.raises(SystemExit) as stopped:
        main([*args, "--out", ""])
    assert stopped.value.code == 2
    assert "argument --out: an empty path" in capsys.readouterr().err
    assert list(here.iterdir()) == [] and afile.read_text("utf-8") == "kept"


def test_a_course_folder_named_as_an_audience_is_not_taken_for_a_mistake(
    minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`build police --audience police`, the course folder being named after its audience:
    the folder is given first, nothing to say about it (the build goes on, here to the next
    problem: an output folder inside the course)."""
    folder = minimal_course.rename(minimal_course.with_name("police"))
    monkeypatch.chdir(folder.parent)
    code, text = run(capsys, "build", "police", "--audience", "police", "--out", "police/modules/site")
    assert code == 2 and "inside the course's modules/ folder" in text and "read as an audience" not in text
    code, text = run(capsys, "build", "--audience", "a" * 300)  # no folder given, a name too long to be one
    assert code == 2 and ".: not a course folder" in text


def test_a_build_never_writes_over_files_it_did_not_write(
    minimal_course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--out` given a folder in use (a trainer's documents): refused before any page is
    written, and every file is left as it was (a build removed them, as stale pages)."""
    out = tmp_path / "documents"
    own = {"en/cv.docx": b"cv", "en/photos/a.jpg": b"jpg", "en/_build/html/keep.html": b"<p>mine</p>"}
    for rel, data in own.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    monkeypatch.chdir(minimal_course)
    assert main(["build", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert (
        "documents/en: holds files that coursegen did not write (_build/html/keep.html, cv.docx, photos/a.jpg)" in err
    )
    left = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert left == own  # nor a rebuild cache (.coursegen-cache/) in the trainer's folder


def test_a_rebuild_removes_the_pages_it_wrote_and_no_other_file(tmp_path: Path) -> None:
    """What a build wrote and the book no longer has goes; a file put in the book's folder
    since stays, and a folder that builds made is never taken for someone else's."""
    from coursegen.assemble import foreign_files, write_book
    from coursegen.model import Book

    folder = tmp_path / "en"
    write_book(Book("en", {"a.md": b"a", "part/b.md": b"b"}, []), folder)
    (folder / "notes.txt").write_text("mine")
    assert foreign_files(folder) == []
    write_book(Book("en", {"a.md": b"a"}, []), folder)
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        ".coursegen-book.json",
        "a.md",
        "notes.txt",
    ]
    (folder / ".coursegen-book.json").write_text("{damaged")
    write_book(Book("en", {"c.md": b"c"}, []), folder)  # a record that cannot be read: nothing removed
    assert (folder / "a.md").is_file() and (folder / "notes.txt").is_file()
    (folder / ".coursegen-book.json").unlink()
    assert foreign_files(folder) == ["a.md", "c.md", "notes.txt"]  # the control: without the record, unknown


def test_a_file_that_cannot_be_written_is_said_with_its_path(minimal_course: Path, tmp_path: Path) -> None:
    """An output folder that cannot take what a build writes (here a file where the build
    keeps its work folder; a read-only folder is the same for anyone but root, whom the
    tests run as): said with the file's path, exit 2, no traceback, the site left as it was."""
    from conftest import coursegen

    out = tmp_path / "out"
    assert coursegen("build", str(minimal_course), "--out", str(out)).returncode == 0
    index = out / "fr" / "_build" / "html" / "index.html"
    before = index.read_bytes()
    shutil.rmtree(out / "fr" / ".work")
    (out / "fr" / ".work").write_text("not a folder")
    page = minimal_course / "modules" / "index.fr.md"
    page.write_text(page.read_text("utf-8") + "\nUne ligne de plus.\n", "utf-8")
    result = coursegen("build", str(minimal_course), "--out", str(out))
    assert (result.returncode, result.stderr.strip()) == (
        2,
        f"coursegen: error: {out / 'fr' / '.work'}: Not a directory",
    )
    assert index.read_bytes() == before


def test_repeated_options_add_up() -> None:
    """`--audience police --audience employers` means both (argparse keeps the last one
    unless told otherwise); a repeated value counts once."""
    from coursegen.cli import _parser

    args = _parser().parse_args(["build", "--audience", "police", "--audience", "employers", "police"])
    assert args.audience == ["police", "employers", "police"]  # made unique by the build
    new = _parser().parse_args(["new", "x", "--lang", "fr", "--lang", "en", "--audience", "a", "--audience", "b"])
    assert new.lang == ["fr", "en"] and new.audience == ["a", "b"]
    assert _parser().parse_args(["new", "x"]).lang is None  # the default (fr en) is the command's


def test_grading_one_quiz_leaves_out_the_answers_to_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A results file from the book holds the answers to every quiz the trainee took:
    `--quiz police` grades the police questions, says how many answers it left out, and
    still reports a question that the course does not have."""
    root = Path(__file__).resolve().parent.parent
    one = results(
        tmp_path / "ana.json",
        [{"id": "com-child-age", "response": 18}, {"id": "pol-myth-border", "response": "b"}],
    )
    args = ("grade", "--lang", "en", str(one), "--course", str(root), "--quiz", "police", "--out", str(tmp_path / "g"))
    code, text = run(capsys, *args)
    assert code == 0, text
    assert "1 answer(s) to questions of other quizzes left out" in text and "unknown question" not in text
    items = (tmp_path / "g" / "items.csv").read_text("utf-8-sig")
    assert "pol-myth-border" in items and "com-child-age" not in items
    results(tmp_path / "ana.json", [{"id": "pol-nothing", "response": "b"}, {"id": "pol-myth-border", "response": "b"}])
    code, text = run(capsys, *args)
    assert code == 1 and "unknown question id 'pol-nothing'" in text


def test_a_file_given_for_the_course_folder_is_told_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "minimal", course)
    code, text = run(capsys, "check", str(course / "_config.yml"))
    assert code == 2 and f"_config.yml: a file: give the course folder, {course}" in text
    code, text = run(capsys, "check", str(course / "modules" / "index.en.md"))
    assert code == 2 and "index.en.md: a file, not a course folder" in text
    code, text = run(capsys, "check", str(tmp_path / "nowhere"))
    assert code == 2 and "nowhere: no such course folder" in text
    # run inside the course's own folders: said which folder is the course's
    monkeypatch.chdir(course / "modules")
    code, text = run(capsys, "check")
    assert (
        code == 2 and ".: not a course folder (no _config.yml): the course folder is .., which holds this one" in text
    )
    # `build` too, before the output folder it would make in it ("_config.yml/build")
    code, text = run(capsys, "build", str(course / "_config.yml"))
    assert code == 2 and f"_config.yml: a file: give the course folder, {course}" in text
    code, text = run(capsys, "build", str(course / "modules" / "index.en.md"))
    assert code == 2 and "index.en.md: a file, not a course folder" in text


def test_an_unknown_option_is_told_with_the_command_s_own_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["build", ".", "--langue", "fr"])
    err = capsys.readouterr().err
    assert stopped.value.code == 2
    assert "usage: coursegen build" in err and "coursegen build: error: unrecognized arguments: --langue fr" in err
    with pytest.raises(SystemExit):
        main(["--bogus", "check", "."])
    err = capsys.readouterr().err
    assert "usage: coursegen [-h]" in err and "coursegen: error: unrecognized arguments: --bogus" in err


def test_new_refuses_a_folder_inside_another_course_s_own_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "minimal", course)
    code, text = run(capsys, "new", str(course / "modules" / "other"))
    assert code == 2 and "inside the modules/ folder of the course" in text
    assert not (course / "modules" / "other").exists()


def test_grading_outside_a_course_without_course_says_what_to_give(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    one = results(tmp_path / "ana.json", [{"id": "t-single", "response": "b"}])
    monkeypatch.chdir(tmp_path)
    code, text = run(capsys, "grade", "--lang", "en", str(one))
    assert code == 2 and "give it with --course COURSE_DIR" in text


def test_a_build_that_stops_on_problems_tells_unknown_directives_too(
    minimal_course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A build that stops on a page's problem tells, in the same run, a directive Jupyter
    Book does not know (only `check` told it: the next build stopped on it)."""
    page = minimal_course / "modules" / "common" / "basics.en.md"
    page.write_text(page.read_text("utf-8") + '\n{{ cite("action:zz") }}\n\n```{notte}\nx\n```\n', "utf-8")
    code, text = run(capsys, "build", str(minimal_course), "--out", str(tmp_path / "out"))
    assert code == 1
    assert "unknown source id 'action:zz'" in text and "unknown directive 'notte'" in text


UNREADABLE = {
    "modules/police": "modules/police:1:1: cannot read folder: Permission denied: its pages, diagrams and pictures are not read",
    "modules": "modules:1:1: cannot read folder: Permission denied: its pages, diagrams and pictures are not read",
    "modules/police/diagrams": "modules/police/diagrams:1:1: cannot read folder: Permission denied",
    "modules/police/img": "modules/police/img:1:1: cannot read folder: Permission denied",
    "quizzes": "quizzes:1:1: cannot read folder: Permission denied: its question banks are not read",
    "sources": "sources:1:1: cannot read folder: Permission denied: its sources are not read",
    "templates": "templates:1:1: cannot read folder: Permission denied: its templates are not read",
    "sources/seed": None,  # the course's own documents, which coursegen does not read
    "modules/_drafts": None,  # left alone, as pages' drafts
    "quizzes/old": None,  # banks are read from quizzes/ itself
}


@pytest.mark.parametrize("mode", [0, 0o400, 0o100], ids=["none", "read-only", "enter-only"])
@pytest.mark.parametrize("folder", UNREADABLE)
def test_a_folder_that_cannot_be_read_is_told_once(folder: str, mode: int, minimal_course: Path) -> None:
    """A folder of the course that the account may not read or enter (copied from another
    account): told once, at the folder. Python's globs skipped it without a word, so the
    table of contents' pages were "not there", and a page's quiz() or diagram() gave
    Python's PermissionError; a folder above the pages stopped `check` with one line of
    Python's. A folder that coursegen does not read is none of its business. Run without
    root's right to read anything (as a trainer's account runs it)."""
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("root reads any folder, and setpriv (util-linux), which takes that right away, is missing")
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    else:
        prefix = []
    (minimal_course / "templates").mkdir()
    shutil.copy(ROOT / "src" / "coursegen" / "templates" / "who-to-call.md", minimal_course / "templates")
    (minimal_course / "modules" / "police" / "img").mkdir()
    shutil.copy(ROOT / "favicon.svg", minimal_course / "modules" / "police" / "img" / "a.svg")
    page = minimal_course / "modules" / "police" / "recognise.en.md"
    page.write_text(page.read_text("utf-8") + "\n![A sign](img/a.svg)\n", "utf-8")
    (minimal_course / "sources" / "notes.pdf").write_bytes(b"%PDF-1.4\n")  # kept beside the sources
    (minimal_course / folder).mkdir(exist_ok=True)
    (minimal_course / folder).chmod(mode)
    try:
        exe = str(Path(sys.executable).with_name("coursegen"))
        result = subprocess.run(
            [*prefix, exe, "check"], cwd=minimal_course, capture_output=True, text=True, timeout=300
        )
    finally:
        (minimal_course / folder).chmod(0o755)
    lines = result.stderr.splitlines()
    if UNREADABLE[folder] is None:
        assert (result.returncode, lines) == (0, []), result.stderr
        return
    assert result.returncode == 1, result.stderr
    assert [line for line in lines if line.startswith(UNREADABLE[folder])] == lines[:1], result.stderr
    assert lines[1:] == ["1 problem(s) found."], result.stderr


def test_a_linked_folder_that_cannot_be_read_is_told(minimal_course: Path, tmp_path: Path) -> None:
    """`quizzes/` as a link to a folder the account may not read: told, as the folder
    itself would be (it was skipped without a word, and the page's quiz had no question)."""
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("root reads any folder, and setpriv (util-linux), which takes that right away, is missing")
    prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    inside = minimal_course / "shared-banks"
    (minimal_course / "quizzes").rename(inside)
    (minimal_course / "quizzes").symlink_to(inside)
    inside.chmod(0)
    try:
        exe = str(Path(sys.executable).with_name("coursegen"))
        result = subprocess.run(
            [*prefix, exe, "check"], cwd=minimal_course, capture_output=True, text=True, timeout=300
        )
    finally:
        inside.chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        "quizzes:1:1: cannot read folder: Permission denied: its question banks are not read "
        "(give your account the right to read it) [missing-file]",
        "1 problem(s) found.",
    ]


def test_version_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    """`coursegen --version` said that a command is required."""
    from coursegen import __version__

    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == f"coursegen {__version__}"


@pytest.mark.parametrize("before", [True, False], ids=["before the command", "after the command"])
def test_debug_is_taken_before_or_after_the_command(
    before: bool, minimal_course: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An internal error says "run with --debug for details"; `coursegen grade … --debug`, as
    that reads, was refused ("unrecognized arguments"): only `coursegen --debug grade …` ran.
    Either place shows the traceback; without it, the error's one line."""
    from coursegen import cli

    def broken(args: object) -> int:
        raise RuntimeError("something unexpected")

    monkeypatch.setattr(cli, "_check", broken)
    assert main(["check", str(minimal_course)]) == 1
    assert "internal error: RuntimeError: something unexpected (run with --debug" in capsys.readouterr().err
    args = ["--debug", "check", str(minimal_course)] if before else ["check", str(minimal_course), "--debug"]
    with pytest.raises(RuntimeError, match="something unexpected"):
        main(args)
    parsed = cli._parser().parse_args(["grade", "results.json", "--debug", "--lang", "en"])
    assert parsed.debug is True
    assert cli._parser().parse_args(["grade", "results.json"]).debug is False


def test_new_s_help_shows_its_folder_as_required(capsys: pytest.CaptureFixture[str]) -> None:
    """`coursegen new --help` showed `[folder]`, optional, which `new` alone refuses (the
    folder is read optional only to tell one taken by `--lang` or `--audience`). Control:
    `build`'s course folder, optional indeed, is shown so."""
    with pytest.raises(SystemExit):
        main(["new", "--help"])
    said = capsys.readouterr().out
    assert said.startswith("usage: coursegen new [-h] [--debug] folder [--audience"), said
    assert "[folder]" not in said
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    assert "[course]" in capsys.readouterr().out
