"""`coursegen grade` on a fixture of collected results; expected values computed by hand.

Trainees and their answers (minimal course: t-single 1 pt, t-multiple 3 pts, t-short 1 pt):
  ana   b, [a, c], "ILO"    1 + 3   + 1 = 5    (100 %)
  ben   a, [a],    "OIT"    0 + 1.5 + 1 = 2.5  ( 50 %)
  carla b, [a, b], "ilo"    1 + 0   + 1 = 2 of 9 (22.2 %) (CSV)
  dan   a, [b],    "ILO"    0 + 0   + 1 = 1 of 9 (11.1 %) (CSV)
(a CSV's trainee is scored on the whole of the quiz its rows answer, 7 questions and 9
points: the 4 questions without a row count as unanswered; these JSON files list 3
questions of it, the book's would list all 7)
Facility: t-single (1+0+1+0)/4 = .5; t-multiple (1+.5+0+0)/4 = .375; t-short 4/4 = 1.
Discrimination: n = 4, groups of max(1, round(.27 × 4)) = 1: upper ana, lower dan;
t-single 1 − 0 = 1; t-multiple 1 − 0 = 1; t-short 1 − 1 = 0.
Choices: t-single a: ben, dan (2), b: ana, carla (2); t-multiple a: 3, b: 2, c: 1.
(ids of the bank; the CSV writes the letters that trainees see: t-multiple's options are
shown c, b, a, so carla's [a, b] is "C, B", and dan's [b] is "b"; t-single's keep their order)
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES
from coursegen.cli import main
from coursegen.loading import load_course

RESULTS = FIXTURES / "results"


def run(tmp_path: Path, *files: str) -> tuple[int, dict[str, dict[str, str]], dict[str, dict[str, str]], str]:
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(
            [
                "grade",
                "--lang",
                "en",
                *(str(RESULTS / f) for f in files),
                "--course",
                str(FIXTURES / "minimal"),
                "--out",
                str(tmp_path),
            ]
        )
    scores = {r["trainee"]: r for r in csv.DictReader((tmp_path / "scores.csv").read_text("utf-8-sig").splitlines())}
    items = {r["item"]: r for r in csv.DictReader((tmp_path / "items.csv").read_text("utf-8-sig").splitlines())}
    return code, scores, items, err.getvalue()


def test_scores_and_indices(tmp_path: Path) -> None:
    code, scores, items, err = run(tmp_path, "ana.json", "ben.json", "class.csv")
    assert code == 0 and err == ""
    assert {t: (r["score"], r["max"], r["percent"]) for t, r in scores.items()} == {
        "ana": ("5", "5", "100.0"),
        "ben": ("2.5", "5", "50.0"),
        "carla": ("2", "9", "22.2"),
        "dan": ("1", "9", "11.1"),
    }
    assert {i: (r["facility"], r["discrimination"]) for i, r in items.items()} == {
        "t-single": ("0.500", "1.000"),
        "t-multiple": ("0.375", "1.000"),
        "t-short": ("1.000", "0.000"),
    } | {i: ("", "") for i in ("t-match", "t-order", "t-numeric", "t-scenario-single")}  # carla's and dan's blanks
    assert {i: (r["n"], r["unanswered"]) for i, r in items.items() if i.startswith("t-s")} == {
        "t-single": ("4", "0"),
        "t-short": ("4", "0"),
        "t-scenario-single": ("0", "2"),
    }
    # options by the letters the site's order and the handout give them: t-single's two keep
    # their written order; t-multiple's are shown c, b, a (ids), so A, B, C
    assert items["t-single"]["choices"] == "A:2; B:2" and items["t-single"]["key"] == "B"
    # each question's number as the site and the handout give it, in its quiz's order
    order = [i["id"] for q in load_course(FIXTURES / "minimal")[0].questions if q.bank == "police" for i in q.graded()]  # type: ignore[union-attr]
    assert {i: r["number"] for i, r in items.items()} == {i: str(order.index(i) + 1) for i in items}
    assert items["t-multiple"]["choices"] == "A:1; B:2; C:3" and items["t-multiple"]["key"] == "A C"
    report = (tmp_path / "report.html").read_text("utf-8")
    assert "<svg" in report and "t-multiple" in report
    assert "https://" not in report and "http://" not in report.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_outputs_are_in_the_course_language_and_name_each_question(tmp_path: Path) -> None:
    """The minimal course is French first: without --lang, its trainer gets French columns,
    separated by ';' with decimal commas (a French spreadsheet opens them as a table), a
    byte order mark (Excel reads UTF-8 by it), each question's text, and a French report."""
    files = [str(RESULTS / f) for f in ("ana.json", "ben.json", "class.csv")]
    code = main(["grade", *files, "--course", str(FIXTURES / "minimal"), "--out", str(tmp_path)])
    assert code == 0
    raw = (tmp_path / "scores.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    scores = {r["stagiaire"]: r for r in csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=";")}
    assert (scores["ben"]["score"], scores["ben"]["pourcentage"]) == ("2,5", "50,0")
    text = (tmp_path / "items.csv").read_text("utf-8-sig")
    items = {r["question"]: r for r in csv.DictReader(text.splitlines(), delimiter=";")}
    assert items["t-multiple"]["facilité"] == "0,375" and items["t-single"]["type"] == "choix unique"
    assert items["t-single"]["texte"] == "La traite exige-t-elle de franchir une frontière ?"
    report = (tmp_path / "report.html").read_text("utf-8")
    assert '<html lang="fr">' in report and "Résultats des quiz" in report and "Quiz results" not in report
    assert "La traite exige-t-elle de franchir une frontière\u00a0?" in report  # French typography, as the site's
    assert main(["grade", "--lang", "en", *files, "--course", str(FIXTURES / "minimal"), "--out", str(tmp_path)]) == 0
    items = {r["item"]: r for r in csv.DictReader((tmp_path / "items.csv").read_text("utf-8-sig").splitlines())}
    assert items["t-single"]["text"] == "Does trafficking require crossing a border?"
    assert "Does trafficking require crossing a border?" in (tmp_path / "report.html").read_text("utf-8")


def test_a_question_left_unanswered_is_counted_apart_from_a_wrong_answer(tmp_path: Path) -> None:
    """A results file lists every question of its quiz, those left unanswered with no
    response: they score 0 for the trainee, but say nothing of the question's difficulty.
    A question nobody answered has no facility (not 0, "the hardest"); the report names
    each option with its text, which neither the site nor the handout shows by its id."""
    import json

    head = {"format": "coursegen-results/1", "quiz": "police", "lang": "en"}
    (tmp_path / "in").mkdir()
    for name, single, short in (("ana", "b", None), ("ben", None, None), ("cid", "a", None)):
        items = [{"id": "t-single", "response": single}, {"id": "t-short", "response": short}]
        (tmp_path / "in" / f"{name}.json").write_text(json.dumps({**head, "trainee": name, "items": items}), "utf-8")
    out = tmp_path / "out"
    code = main(
        ["grade", "--lang", "en", str(tmp_path / "in"), "--course", str(FIXTURES / "minimal"), "--out", str(out)]
    )
    assert code == 0
    items = {r["item"]: r for r in csv.DictReader((out / "items.csv").read_text("utf-8-sig").splitlines())}
    assert (items["t-single"]["n"], items["t-single"]["unanswered"], items["t-single"]["facility"]) == (
        "2",
        "1",
        "0.500",
    )
    assert (items["t-short"]["n"], items["t-short"]["unanswered"], items["t-short"]["facility"]) == ("0", "3", "")
    scores = {r["trainee"]: r for r in csv.DictReader((out / "scores.csv").read_text("utf-8-sig").splitlines())}
    assert scores["ben"]["score"] == "0" and scores["ben"]["max"] == scores["ana"]["max"]  # counted for the trainee
    report = (out / "report.html").read_text("utf-8")
    assert "<li>✔ B. False: 1</li>" in report and "<li>A. True: 1</li>" in report
    assert ">no answer</text>" in report


def test_malformed_files_are_reported_and_the_rest_graded(tmp_path: Path) -> None:
    code, scores, items, err = run(tmp_path, "ana.json", "broken.json", "stranger.csv", "class.csv")
    assert code == 1
    lines = err.strip().splitlines()
    assert lines == [
        f"{RESULTS / 'broken.json'}:3:1: invalid JSON: the file ends too soon (a download that did not finish, or a copy cut short?) [results-format]".replace(
            str(Path.cwd()) + "/", ""
        ),
        f"{RESULTS / 'stranger.csv'}:2:1: unknown question id 't-nope' [results-format]".replace(
            str(Path.cwd()) + "/", ""
        ),
    ]
    assert set(scores) == {"ana", "carla", "dan"}  # the good files are still graded
    assert "Traceback" not in err


def test_not_a_results_file(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    other = tmp_path / "in" / "notes.json"
    other.write_text('{"hello": 1}')
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(
            ["grade", "--lang", "en", str(other), "--course", str(FIXTURES / "minimal"), "--out", str(tmp_path / "out")]
        )
    assert code == 1 and "not a coursegen results file" in err.getvalue()


def test_the_key_of_every_kind_of_question(tmp_path: Path) -> None:
    """items.csv gives the key of every question, not only of those with options."""
    from coursegen.collect import answer_key, key_lines
    from coursegen.exporters import handout
    from coursegen.loading import load_course

    course, problems = load_course(FIXTURES / "minimal")
    assert course is not None and not problems
    raw = {q.id: q.data for q in course.questions}
    raw |= {sub["id"]: sub for q in course.questions if q.data["type"] == "scenario" for sub in q.data["items"]}
    # by the handout's labels: pairs numbered, categories and shown steps lettered
    assert answer_key(raw["t-match"]) == ["1→A", "2→B", "3→C", "4→A"]  # act, means, purpose, act
    for lang in ("en", "fr"):
        shown = "".join(handout.letter(i) for i, _ in enumerate(handout.shown_steps(raw["t-order"], lang)))
        order = [s["id"] for s in handout.shown_steps(raw["t-order"], lang)]
        assert sorted(shown) == list(shown) and order != ["s1", "s2", "s3", "s4"]
        assert answer_key(raw["t-order"], lang) == [">".join(shown[order.index(s)] for s in ("s1", "s2", "s3", "s4"))]
        # with their texts, as the handout's answer key lists them
        for kind, answer in (("t-match", handout._match_answer), ("t-order", handout._order_answer)):
            listed = [re.sub(r"<[^>]+>", "", li) for li in re.findall(r"<li>(.*?)</li>", answer(raw[kind], lang))]
            assert key_lines(raw[kind], lang) == [html.unescape(li) for li in listed] != []
    assert answer_key(raw["t-numeric"]) == ["18"]
    assert answer_key({**raw["t-numeric"], "tolerance": 0.5}) == ["18±0.5"]
    assert answer_key(raw["t-short"]) == [
        "en: ILO / International Labour Organization; fr: OIT / Organisation internationale du Travail"
    ]
    assert answer_key(raw["t-short"], "fr") == [  # the outputs' language first
        "fr: OIT / Organisation internationale du Travail; en: ILO / International Labour Organization"
    ]
    assert answer_key(raw["t-single"]) == ["b"]
    for item in raw.values():  # every kind has one
        if item["type"] != "scenario":
            assert answer_key(item) and all(answer_key(item)), item["id"]


def test_a_folder_of_results_is_graded_and_nothing_readable_writes_nothing(tmp_path: Path) -> None:
    """A folder stands for the results files in it; when no file can be read, no output
    folder is made; an unreadable file is told in words, with where its bad byte is."""
    import contextlib
    import io
    import shutil

    folder = tmp_path / "collected"
    folder.mkdir()
    for name in ("ana.json", "ben.json", "class.csv"):
        shutil.copy(RESULTS / name, folder / name)
    (folder / "notes.txt").write_text("not a results file: left alone")
    code, scores, _, err = run(tmp_path / "grades", str(folder))
    assert code == 0 and err == "" and set(scores) == {"ana", "ben", "carla", "dan"}

    (tmp_path / "empty").mkdir()
    # UTF-8 with a byte gone wrong (not Windows-1252, which has no UTF-8 character in it)
    (tmp_path / "latin1.csv").write_bytes("trainee,item,response\nAnaïs,t-single,b".encode() + b"\xe9\n")
    out, err_text = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err_text):
        code = main(
            ["grade", "--lang", "en", *(str(tmp_path / n) for n in ("empty", "latin1.csv", "gone.json")), "--course",
             str(FIXTURES / "minimal"), "--out", str(tmp_path / "none")]
        )  # fmt: skip
    assert code == 1 and not (tmp_path / "none").exists()
    lines = [line.rsplit("/", 1)[-1] for line in err_text.getvalue().splitlines()]
    assert lines == [
        "empty:1:1: a folder without results files (.json from the book, .csv, or a spreadsheet saved as text) in it "
        "[results-format]",
        "gone.json:1:1: file not found [results-format]",
        "latin1.csv:2:17: file is not valid UTF-8 text (the byte \\xe9: saved in another encoding, such as "
        'Windows-1252?): save it as UTF-8 (from a spreadsheet, as "CSV UTF-8") [results-format]',
    ]
    assert "nothing was written" in out.getvalue()


def test_a_csv_saved_by_excel_on_windows_is_graded_with_a_note(tmp_path: Path, minimal_course: Path) -> None:
    """Excel on a French Windows saves "CSV (séparateur : point-virgule)", its first
    choice, in Windows-1252: it was told to be saved again as UTF-8. Now it is graded as
    the same answers in UTF-8, with a note that says how it was read. Controls: a byte
    that Windows-1252 does not define is still told at its place, as is one bad byte in a
    UTF-8 file (read as Windows-1252, its every accent would be garbled)."""
    rows = "stagiaire;question;réponse\nAnaïs;1;B\nBénédicte;2;A C\nŒdipe;1;A\n"
    (tmp_path / "utf8.csv").write_text(rows, "utf-8")
    (tmp_path / "excel.csv").write_bytes(rows.encode("cp1252"))
    code, said = _said(tmp_path / "utf8.csv", minimal_course, tmp_path / "utf8")
    assert code == 0 and "Windows-1252" not in said, said
    code, said = _said(tmp_path / "excel.csv", minimal_course, tmp_path / "excel")
    assert code == 0 and "excel.csv: not saved as UTF-8: read as Windows-1252" in said, said
    for name in ("scores.csv", "items.csv"):
        assert (tmp_path / "excel" / name).read_text("utf-8") == (tmp_path / "utf8" / name).read_text("utf-8")
    assert "\nBénédicte," in (tmp_path / "excel" / "scores.csv").read_text("utf-8")
    (tmp_path / "undefined.csv").write_bytes(rows.encode("cp1252").replace(b"B\n", b"B\x81\n", 1))
    code, said = _said(tmp_path / "undefined.csv", minimal_course, tmp_path / "none")
    assert code == 1 and "undefined.csv:1:21: file is not valid UTF-8 text (the byte \\xe9" in said, said
    (tmp_path / "damaged.csv").write_bytes(rows.encode().replace(b"B\n", b"B\xe9\n", 1))
    code, said = _said(tmp_path / "damaged.csv", minimal_course, tmp_path / "none")
    assert code == 1 and "damaged.csv:2:10: file is not valid UTF-8 text (the byte \\xe9" in said, said


def test_thirds_of_points_add_up_to_whole_points() -> None:
    """Each item's score is kept to six decimals (0.333333): a total of three thirds is
    shown as 1, as the book shows it, in scores.csv and the report."""
    from coursegen.collect import Trainee, report_html, scores_csv

    thirds = Trainee(
        "ana", answers={f"q{i}": "x" for i in range(3)}, scores={f"q{i}": (0.333333, 1.0) for i in range(3)}
    )
    assert scores_csv([thirds]).splitlines()[1] == "ana,3,1,3,33.3"
    assert "<td>1 / 3</td>" in report_html([thirds], [])


def test_what_a_trainer_collects_in_practice(tmp_path: Path) -> None:
    """A CSV from a spreadsheet set to French (";"); a book's file with questions left
    unanswered (counted in the maximum, not as answered); trainees who had only some
    questions (each question's discrimination is among those who had it); a file of
    another course (one line, not one per answer)."""
    import json

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "excel-fr.csv").write_bytes(
        "\ufefftrainee;item;response\r\nemma;t-single;b\r\nfred;t-single;a\r\n".encode()
    )
    ana = json.loads((RESULTS / "ana.json").read_text("utf-8"))
    ana["trainee"] = "gus"
    ana["items"] += [{"id": "t-order", "response": None}, {"id": "t-numeric", "response": None}]
    ana["items"][2]["response"] = None  # t-short left unanswered
    (folder / "gus.json").write_text(json.dumps(ana), "utf-8")
    other = {"format": "coursegen-results/1", "items": [{"id": f"x-{i}", "response": "a"} for i in range(5)]}
    (folder / "other-course.json").write_text(json.dumps(other), "utf-8")
    code, scores, items, err = run(tmp_path / "out", str(folder), "ana.json")
    assert code == 1
    first = (folder / "other-course.json").read_text("utf-8").index('"x-0"') + 1  # at the first
    assert err.strip().splitlines() == [
        f"{folder / 'other-course.json'}:1:{first}: 5 questions this course does not have ('x-0', 'x-1', "
        "'x-2' …): results of another course, or of a part this one does not have? (--course) [results-format]"
    ]
    assert {t: (r["answered"], r["score"], r["max"]) for t, r in scores.items()} == {
        "ana": ("3", "5", "5"),
        "emma": ("1", "1", "9"),  # the whole quiz: the questions without a row, unanswered
        "fred": ("1", "0", "9"),
        "gus": ("2", "4", "7"),  # t-order and t-numeric, 1 point each, count in the maximum
    }
    # t-single, answered by four: groups of one, the first (ana, 100 %: right) and the last
    # (fred, 0 %: wrong); t-multiple, answered by ana and gus only, ranked among themselves: 1 − 1 = 0
    assert (items["t-single"]["n"], items["t-single"]["discrimination"]) == ("4", "1.000")
    assert (items["t-multiple"]["n"], items["t-multiple"]["discrimination"]) == ("2", "0.000")


def test_answers_to_older_versions_are_noted_once_per_trainee_and_file(tmp_path: Path) -> None:
    from coursegen.collect import read_results

    data = {
        "format": "coursegen-results/1",
        "trainee": "ana",
        "items": [{"id": i, "response": "a", "version": "old"} for i in ("t-single", "t-multiple", "t-short")],
    }
    path = tmp_path / "ana.json"
    path.write_text(__import__("json").dumps(data), "utf-8")
    versions = {i: {"new"} for i in ("t-single", "t-multiple", "t-short")}
    trainees, problems, notes = read_results([path], versions)
    assert [t.name for t in trainees] == ["ana"] and problems == []
    assert notes == [
        f"{path}: ana answered an older version of 3 questions ('t-single', 't-multiple', 't-short') "
        "(graded with the current key)"
    ]


def test_csv_files_that_the_csv_module_stops_on(tmp_path: Path) -> None:
    """A CSV whose lines end with a carriage return alone (an old Mac's spreadsheet) is
    read; one whose header holds a field over the csv module's limit is told at its line.
    Either stopped the whole command with an internal error, grading none of the others."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "mac.csv").write_text('trainee,item,response\rbob,t-single,"""b"""\r', "utf-8", newline="")
    (folder / "wide.csv").write_text(f'trainee,item,response,"{"x" * 200_000}"\nann,t-single,"""b"""\n', "utf-8")
    # a row with a field over the limit: told at its own line, the file's other rows graded
    (folder / "row.csv").write_text(
        f'trainee,item,response\ncid,t-single,"""b"""\ndan,t-single,"{"x" * 200_000}"\neve,t-single,"""a"""\n', "utf-8"
    )
    code, scores, _, err = run(tmp_path / "out", str(folder), "ana.json")
    assert code == 1
    assert err.strip().splitlines() == [
        f"{folder / 'row.csv'}:3:1: invalid CSV: field larger than field limit (131072) [results-format]",
        f"{folder / 'wide.csv'}:1:1: invalid CSV: field larger than field limit (131072) [results-format]",
    ]
    assert {t: r["score"] for t, r in scores.items()} == {"ana": "5", "bob": "1", "cid": "1", "eve": "0"}


def test_a_name_with_a_line_break_forges_no_line_of_the_report(tmp_path: Path) -> None:
    """A trainee's name (or a question id) in a results file holding a line break, or a
    terminal's escape: printed on one line, as spaces, not as a line of its own that looks
    like another problem."""
    import json

    ana = json.loads((RESULTS / "ana.json").read_text("utf-8"))
    ana["trainee"] = "ana\nfake.json:9:9: forged problem [results-format]\x1b[2J"
    folder = tmp_path / "in"
    folder.mkdir()
    ana["items"] += ana["items"]  # each answer twice in one file: a problem that names the trainee
    (folder / "a.json").write_text(json.dumps(ana), "utf-8")
    code, scores, _, err = run(tmp_path / "out", str(folder))
    assert code == 1 and "forged problem" in err
    assert not any(line.startswith("fake.json") for line in err.splitlines()) and "\x1b" not in err
    assert list(scores) == ["ana fake.json:9:9: forged problem [results-format] [2J"]


def test_a_problem_in_a_results_file_is_told_at_its_item(tmp_path: Path) -> None:
    """A results file written by hand or pretty-printed: a question it names that the
    course does not have is told at the item's line and its id's column, not at 1:1."""
    import json

    ana = json.loads((RESULTS / "ana.json").read_text("utf-8"))
    ana["items"].append({"id": "t-nope", "response": "a"})
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ana.json").write_text(json.dumps(ana, indent=2), "utf-8")
    code, _, _, err = run(tmp_path / "out", str(folder))
    assert code == 1
    lines = (folder / "ana.json").read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if '"t-nope"' in text)
    col = lines[line - 1].index('"t-nope"') + 1
    assert err.strip().splitlines() == [
        f"{folder / 'ana.json'}:{line}:{col}: unknown question id 't-nope' [results-format]"
    ]


def _grade_course(tmp_path: Path, course: Path, *files: Path) -> tuple[int, str, str]:
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(
            ["grade", "--lang", "en", *map(str, files), "--course", str(course), "--out", str(tmp_path / "out")]
        )
    scores = (tmp_path / "out" / "scores.csv").read_text("utf-8-sig") if code == 0 else ""
    return code, scores, err.getvalue()


def test_a_csv_response_that_json_reads_as_a_number_is_still_text(tmp_path: Path) -> None:
    """In a CSV typed in a spreadsheet, `18` answers a short question whose accepted
    answer is "18" (it was read as the number 18 and scored 0, "expected a text"), and
    still answers a numeric question; step ids written as numbers are read as the
    browser's grader reads them (`[1, 2, 3]` for the steps "1", "2", "3" scored 0)."""
    import shutil

    from coursegen import grading

    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "minimal", course)
    bank = course / "quizzes" / "police.yml"
    bank.write_text(
        bank.read_text("utf-8").replace('en: ["ILO", "International', 'en: ["18", "1e3", "ILO", "International'),
        "utf-8",
    )
    (tmp_path / "class.csv").write_text(
        "trainee,item,response\nana,t-short,18\nben,t-short, 19 \ncy,t-short,1e3\ndan,t-numeric,1.8e1\n", "utf-8"
    )
    code, scores, err = _grade_course(tmp_path, course, tmp_path / "class.csv")
    assert code == 0, err
    rows = {r["trainee"]: r["score"] for r in csv.DictReader(scores.splitlines())}
    # `1e3` is the text "1e3", not 1000; and no number for the browser's grader, nor here
    assert rows == {"ana": "1", "ben": "0", "cy": "1", "dan": "0"}
    steps = [{"id": str(n), "text": {"en": "x"}, "feedback": {"en": ""}} for n in (1, 2, 3)]
    item = {"id": "o", "type": "order", "steps": steps}
    assert grading.grade(item, [1, 2, 3]).score == 1.0 and grading.grade(item, [2, 1, 3]).score == round(1 / 3, 6)
    assert grading.grade(item, ["1", "2", "3"]).score == 1.0


def test_a_name_that_cannot_be_written_or_is_a_formula(tmp_path: Path) -> None:
    """A results file whose name is not UTF-8 (the trainee's name when the file gives none)
    stopped the whole grading with an internal error, nothing graded: the name is written
    with its byte as `\\xe9`, so that two names that differ by it are two trainees (as
    U+FFFD, they were one). A name that begins as a spreadsheet formula begins with an apostrophe in
    scores.csv, so that it is shown, not computed, when the file is opened."""
    import json
    import os

    ana = json.loads((RESULTS / "ana.json").read_text("utf-8"))
    ana.pop("trainee", None)
    folder = tmp_path / "in"
    folder.mkdir()
    odd = os.path.join(os.fsencode(folder), b"Jos\xe9.json")
    with open(odd, "w", encoding="utf-8") as out:
        out.write(json.dumps(ana))
    with open(os.path.join(os.fsencode(folder), b"Jos\xe8.json"), "w", encoding="utf-8") as out:
        out.write(json.dumps(ana))
    ana["trainee"] = '=HYPERLINK("http://example.org","x")'
    (folder / "formula.json").write_text(json.dumps(ana), "utf-8")
    code, scores, err = _grade_course(tmp_path, FIXTURES / "minimal", folder)
    assert code == 0, err
    names = [r["trainee"] for r in csv.DictReader(scores.splitlines())]
    assert sorted(names) == sorted(["Jos\\xe9", "Jos\\xe8", '\'=HYPERLINK("http://example.org","x")'])


def test_a_csv_header_as_spreadsheets_write_it(tmp_path: Path) -> None:
    """`trainee, item, response` (a space after each comma) is the three columns (it was
    refused); a column given twice is said, not read from its last copy; an answer that
    does not fit a choice question (`["b"]` to a single choice) is graded 0 and not
    counted among the options chosen in items.csv."""
    (tmp_path / "spaced.csv").write_text(
        'trainee, item, response\nana, t-single, "b"\nben,t-single,"[""b""]"\n', "utf-8"
    )
    code, scores, err = _grade_course(tmp_path, FIXTURES / "minimal", tmp_path / "spaced.csv")
    assert code == 0, err
    rows = {r["trainee"]: r["score"] for r in csv.DictReader(scores.splitlines())}
    assert rows == {"ana": "1", "ben": "0"}
    items = {r["item"]: r for r in csv.DictReader((tmp_path / "out" / "items.csv").read_text("utf-8-sig").splitlines())}
    assert items["t-single"]["choices"] == "A:0; B:1"
    (tmp_path / "twice.csv").write_text("trainee,item,response,response\nana,t-single,b,a\n", "utf-8")
    code, _, err = _grade_course(tmp_path / "again", FIXTURES / "minimal", tmp_path / "twice.csv")
    assert code == 1
    assert f"{tmp_path / 'twice.csv'}:1:1: the column 'response' is given twice in the first line" in err


def test_a_question_id_that_is_not_text_is_told_at_its_place(tmp_path: Path) -> None:
    """`"id": 7` in a results file written by hand: told at the id, as not text (it was
    "has no question id", at 1:1); the file's other answers are graded."""
    import json

    ana = json.loads((RESULTS / "ana.json").read_text("utf-8"))
    ana["items"].insert(1, {"id": 7, "response": "a"})
    (tmp_path / "ana.json").write_text(json.dumps(ana, indent=2), "utf-8")
    code, _, err = _grade_course(tmp_path, FIXTURES / "minimal", tmp_path / "ana.json")
    lines = (tmp_path / "ana.json").read_text("utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if '"id": 7' in text)
    col = lines[line - 1].index("7") + 1
    assert err.strip() == (
        f"{tmp_path / 'ana.json'}:{line}:{col}: items[1]: a question's id is text (in quotes), not a number "
        "[results-format]"
    )
    assert code == 1  # a problem told: the grades are written all the same
    assert "ana" in (tmp_path / "out" / "scores.csv").read_text("utf-8-sig")


def test_an_answer_without_a_question_id_is_told_at_its_place(tmp_path: Path) -> None:
    """An item without an id, and a bare value among the items: each told at its own line
    and column, as the file shows it (both were at 1:1); the other answers are graded."""
    import json

    ana = json.loads((RESULTS / "ana.json").read_text("utf-8"))
    ana["items"][1:1] = [{"response": "a"}, 7]
    (tmp_path / "ana.json").write_text(json.dumps(ana, indent=2), "utf-8")
    code, _, err = _grade_course(tmp_path, FIXTURES / "minimal", tmp_path / "ana.json")
    lines = (tmp_path / "ana.json").read_text("utf-8").splitlines()
    no_id = next(n for n, text in enumerate(lines, 1) if text.strip() == '"response": "a"') - 1  # its "{"
    bare = next(n for n, text in enumerate(lines, 1) if text.strip() == "7,")
    path = tmp_path / "ana.json"
    assert err.splitlines() == [
        f"{path}:{no_id}:{lines[no_id - 1].index('{') + 1}: items[1] has no question id [results-format]",
        f"{path}:{bare}:{lines[bare - 1].index('7') + 1}: items[2] is a number, not a question's answer [results-format]",
    ]
    assert code == 1
    assert "ana" in (tmp_path / "out" / "scores.csv").read_text("utf-8-sig")


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("", "1:1: the file is empty (a download that did not finish?)"),
        ('{"format": "coursegen-results/1", "items": [', "1:45: invalid JSON: the file ends too soon"),
        ('{"items": [{"id": "t-single",}]}', "1:29: invalid JSON: a ',' after the last item"),
        ('{"items": [1, 2,]}', "1:16: invalid JSON: a ',' after the last item"),
        ('{"trainee": "Ana}', "1:13: invalid JSON: a quote never closed"),
        ('{"trainee": "An\na", "items": []}', "1:16: invalid JSON: a line break or a control character inside a text"),
        ('{"trainee" "Ana"}', "1:12: invalid JSON: Expecting ':' delimiter"),
    ],
)
def test_a_results_file_that_is_not_json_is_told_why_in_words(tmp_path: Path, text: str, told: str) -> None:
    """A file cut short by a download, left empty, or edited by hand: JSON's own words
    ("Expecting value", "Expecting property name enclosed in double quotes") said little."""
    import contextlib
    import io

    (tmp_path / "r.json").write_text(text, "utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(
            [
                "grade",
                "--lang",
                "en",
                str(tmp_path / "r.json"),
                "--course",
                str(FIXTURES / "minimal"),
                "--out",
                str(tmp_path / "g"),
            ]
        )
    assert code == 1
    assert f"r.json:{told}" in err.getvalue(), err.getvalue()


def test_a_french_only_courses_own_question_is_graded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A question that a French-only course adds has no English text: grading it in English
    stopped with "internal error: KeyError: 'en'", and no trainee of the class was graded.
    `--lang en` is refused, as `build --lang en` is (the course has no English); a results
    file of an English page and a CSV row said to be in English (no handout was printed in
    it: told at its row) are graded in French, the course's language."""
    import contextlib
    import io

    monkeypatch.setenv("COURSEGEN_BUILTIN", str(FIXTURES / "minimal"))
    folder = tmp_path / "course"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["new", str(folder), "--audience", "police", "--lang", "fr"]) == 0
    (folder / "quizzes" / "police.yml").write_text(
        "items:\n  - id: fr-only\n    type: single\n    audiences: [police]\n    sources: [action:e]\n"
        '    prompt: {fr: "Faut-il un passeur ?"}\n    explanation: {fr: "Non."}\n    options:\n'
        '      - {id: a, text: {fr: "Oui"}, feedback: {fr: "Non."}}\n'
        '      - {id: b, text: {fr: "Non"}, correct: true, feedback: {fr: "Exact."}}\n',
        "utf-8",
    )
    results = tmp_path / "results-police-en-Awa.json"
    results.write_text(
        '{"format": "coursegen-results/1", "course": "x", "lang": "en", "quiz": "police", "trainee": "Awa", '
        '"items": [{"id": "fr-only", "response": "b"}, {"id": "t-single", "response": "a"}]}',
        "utf-8",
    )
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("stagiaire;question;réponse;langue\nBen;fr-only;A;en\n", "utf-8")
    out = tmp_path / "grades"
    said = io.StringIO()
    with contextlib.redirect_stderr(said), contextlib.redirect_stdout(said):
        code = main(["grade", "--lang", "en", str(results), "--course", str(folder), "--out", str(out)])
    assert code == 2 and "coursegen: error: unknown language 'en' (this course has: fr)" in said.getvalue()
    assert not out.exists()
    said = io.StringIO()
    with contextlib.redirect_stderr(said), contextlib.redirect_stdout(said):
        code = main(["grade", str(results), str(sheet), "--course", str(folder), "--out", str(out)])
    said_text = said.getvalue()
    assert code == 1 and "internal error" not in said_text, said_text
    assert "sheet.csv:2:1: the language 'en' in the column 'langue' is not one of this course's (fr)" in said_text
    assert f"note: {results}: from a page in 'en', a language this course does not have (fr)" in said_text
    scores = list(csv.DictReader((out / "scores.csv").read_text("utf-8-sig").splitlines(), delimiter=";"))
    assert [(r["stagiaire"], r["score"]) for r in scores] == [("Awa", "1"), ("Ben", "0")], scores


def test_a_results_file_of_a_language_no_name_reads_is_told(tmp_path: Path) -> None:
    """A results file whose page's language is none that a name reads (`"lang": "xx"`, a
    file edited by hand, or another tool's): read in the outputs' language without a word,
    where a known language the course does not have gets a note (docs/exports.md). Told
    the same way; the answer is graded."""
    results = tmp_path / "results-police-Bo.json"
    results.write_text(
        '{"format": "coursegen-results/1", "lang": "xx", "quiz": "police", "trainee": "Bo", '
        '"items": [{"id": "t-single", "response": "b"}]}',
        "utf-8",
    )
    said = io.StringIO()
    with contextlib.redirect_stderr(said), contextlib.redirect_stdout(said):
        code = main(["grade", str(results), "--course", str(FIXTURES / "minimal"), "--out", str(tmp_path / "out")])
    assert code == 0, said.getvalue()
    assert (
        f"note: {results}: from a page in 'xx', a language this course does not have (fr, en): read as in 'fr'"
        in said.getvalue()
    )
    scores = list(csv.DictReader((tmp_path / "out" / "scores.csv").read_text("utf-8-sig").splitlines(), delimiter=";"))
    assert [(r["stagiaire"], r["score"]) for r in scores] == [("Bo", "1")], scores


def test_a_number_in_the_key_takes_the_languages_decimal_sign() -> None:
    """French outputs write 18,5±0,5, as their other numbers; a text's full stops stay."""
    from coursegen.collect import _key

    assert _key({"type": "numeric", "key": ["18.5±0.5"]}, "fr") == "18,5±0,5"
    assert _key({"type": "numeric", "key": ["18.5±0.5"]}, "en") == "18.5±0.5"
    assert _key({"type": "short", "key": ["fr: O.I.T. / OIT"]}, "fr") == "fr: O.I.T. / OIT"


def test_the_report_gives_match_and_order_keys_with_their_texts() -> None:
    """A trainer reads a match or order question's key as the handout gives it ("1.
    Recruiting → A. Act"), not as the bank's ids ("p1:act"), in the report and items.csv."""
    from coursegen.collect import Trainee, analyse, items_csv, report_html
    from coursegen.loading import load_course

    course, _ = load_course(FIXTURES / "minimal")
    assert course is not None
    raw = {q.id: q.data for q in course.questions}
    raw |= {sub["id"]: sub for q in course.questions if q.data["type"] == "scenario" for sub in q.data["items"]}
    items = {k: raw[k] for k in ("t-match", "t-order")}
    ana = Trainee("ana", answers={"t-match": {"p1": "act"}, "t-order": ["s1", "s2", "s3", "s4"]})
    rows = analyse([ana], items, "en")
    report = report_html([ana], rows, "en")
    assert "<li>1. Recruiting → A. Act</li>" in report and "<li>1. C. Make safe</li>" in report
    assert "p1:act" not in report and "s1&gt;s2" not in report
    table = items_csv(rows, "en")
    assert "1→A 2→B 3→C 4→A" in table and "p1:" not in table


def test_answers_written_as_the_handout_letters_them_score_as_the_key_says(tmp_path: Path) -> None:
    """A trainer types paper or notebook answers into a CSV with the labels trainees saw:
    the options' letters in the site's and the handout's order (`B`, `a c`, `A, C`), a
    match as the handout numbers and letters it (`1A 2B`, `1→A`), an order as its steps'
    letters (`C B D A`, `CBDA`). Each such answer, built from the handout's own labels,
    scores full marks, in each language's order. Control: the same letters in a results
    file that writes the bank's ids (the book's) score less: the letters are not the ids."""
    import json

    from coursegen.exporters import handout
    from coursegen.grading import grade
    from coursegen.loading import load_course
    from coursegen.quizhtml import shown_order

    course, _ = load_course(FIXTURES / "minimal")
    assert course is not None
    raw = {i["id"]: i for q in course.questions for i in q.graded()}
    L = handout.letter  # noqa: N806

    def key(item: dict[str, Any], lang: str) -> list[str]:
        """The key as the handout's answer key writes it, in a few ways a trainer types it."""
        kind = item["type"]
        if kind in ("single", "multiple"):
            right = [L(i) for i, o in enumerate(shown_order(item["id"], item["options"])) if o.get("correct")]
            if kind == "single":
                return [right[0], right[0].lower(), f"{right[0]}."]
            return [" ".join(right), ", ".join(r.lower() for r in right), "+".join(right)]
        if kind == "match":
            letters = {c["id"]: L(i) for i, c in enumerate(item["choices"])}
            pairs = [(n, letters[p["answer"]]) for n, p in enumerate(item["pairs"], 1)]
            in_order = " ".join(c for _, c in pairs)  # each pair's category, in the pairs' order, as on paper
            return [" ".join(f"{n}{c}" for n, c in pairs), ", ".join(f"{n}→{c.lower()}" for n, c in pairs), in_order]
        shown = [s["id"] for s in handout.shown_steps(item, lang)]
        right = [L(shown.index(s["id"])) for s in item["steps"]]
        # the handout asks each step's position (1 = first), the steps listed as shown
        positions = [1 + [s["id"] for s in item["steps"]].index(sid) for sid in shown]
        by_letter = " ".join(f"{L(i)}{p}" for i, p in enumerate(positions))
        return [" ".join(right), "".join(right).lower(), ">".join(right), " ".join(map(str, positions)), by_letter]

    labelled = {k: i for k, i in raw.items() if i["type"] in ("single", "multiple", "match", "order")}
    assert {i["type"] for i in labelled.values()} == {"single", "multiple", "match", "order"}
    for lang in ("en", "fr"):
        rows = [["trainee", "item", "response", "lang"]]
        rows += [[f"way{n}", k, typed, lang] for k, i in labelled.items() for n, typed in enumerate(key(i, lang))]
        with (tmp_path / f"paper-{lang}.csv").open("w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows(rows)
        code, scores, err = _grade_course(tmp_path, FIXTURES / "minimal", tmp_path / f"paper-{lang}.csv")
        assert code == 0, err
        got = {r["trainee"]: (float(r["score"]), r["max"]) for r in csv.DictReader(scores.splitlines())}
        # full marks on every question it has a row for (the others of the quiz: unanswered)
        typed = {f"way{n}": [k for k, i in labelled.items() if len(key(i, lang)) > n] for n in range(5)}
        right = {way: sum(grade(raw[k], None, "en").max for k in ks) for way, ks in typed.items() if ks}
        assert got == {way: (points, "9") for way, points in right.items()}, (lang, got, rows)
    # control: the same letters, as a book's results file (the bank's ids)
    items = [{"id": k, "response": key(i, "en")[0].split()} for k, i in labelled.items() if i["type"] == "multiple"]
    items += [{"id": k, "response": key(i, "en")[0]} for k, i in labelled.items() if i["type"] == "single"]
    book = {"format": "coursegen-results/1", "trainee": "ids", "items": items}
    (tmp_path / "book.json").write_text(json.dumps(book), "utf-8")
    code, scores, err = _grade_course(tmp_path, FIXTURES / "minimal", tmp_path / "book.json")
    row = next(csv.DictReader(scores.splitlines()))
    assert float(row["score"]) < float(row["max"]), row


def test_a_csv_with_the_french_columns_that_grade_writes_is_read(tmp_path: Path) -> None:
    """A French trainer's CSV, with the column names of grade's own French files
    (`stagiaire;question;réponse`) and a French spreadsheet's ';': read as the English one."""
    (tmp_path / "classe.csv").write_text("stagiaire;question;réponse\nelsa;t-single;B\nelsa;t-short;OIT\n", "utf-8")
    code, scores, err = _grade_course(tmp_path, FIXTURES / "minimal", tmp_path / "classe.csv")
    assert code == 0, err
    assert {r["trainee"]: r["score"] for r in csv.DictReader(scores.splitlines())} == {"elsa": "2"}


def test_an_order_inside_a_scenario_is_lettered_alike_everywhere() -> None:
    """The steps of an order question inside a scenario: the site, the notebook, the handout
    and `grade` letter them in one order (the handout and `grade` read the item with the
    audiences it inherits from the scenario, which changed its version, and so the order:
    a right notebook answer was graded 0.25). Control: with the audiences as its own, the
    item is another version, shown in another order."""
    from coursegen.collect import _shown_steps, from_labels
    from coursegen.exporters import handout
    from coursegen.grading import grade, item_salt
    from coursegen.model import Question
    from coursegen.quizzes import public_questions

    def step(n: int) -> dict[str, Any]:
        return {"id": f"k{n}", "text": {"en": f"Step {n}", "fr": f"Étape {n}"}, "feedback": {"en": "", "fr": ""}}

    sub = {
        "id": "sc-order",
        "type": "order",
        "prompt": {"en": "Order", "fr": "Ordre"},
        "explanation": {"en": "", "fr": ""},
        "steps": [step(n) for n in range(1, 7)],
    }
    scenario = {"id": "sc", "type": "scenario", "audiences": ["police"], "title": {"en": "t", "fr": "t"}}
    q = Question("sc", "police", {**scenario, "case": {"en": "c", "fr": "c"}, "items": [sub]}, None, Path("x"), [])
    graded = q.graded()[0]
    assert graded["audiences"] == ["police"]  # inherited, for the exports' tags
    for lang in ("en", "fr"):
        site = [s["id"] for s in public_questions([q], lang)[0]["items"][0]["steps"]]
        book = public_questions([q], lang, notebook=True)[0]["items"][0]
        assert [s["id"] for s in handout.shown_steps(graded, lang)] == site == _shown_steps(graded, lang)
        assert item_salt(graded, lang) == item_salt(sub, lang) == book["salt"]
        letters = [handout.letter(site.index(f"k{n}")).lower() for n in range(1, 7)]
        assert grade(book, letters).correct and grade(graded, from_labels(graded, letters, lang)).correct
    own = {**sub, "audiences": ["police"]}
    assert item_salt(own, "en") != item_salt(sub, "en")


def test_a_csv_in_json_keeps_the_bank_ids_and_its_columns_are_read_with_care(
    tmp_path: Path, minimal_course: Path
) -> None:
    """A response written as JSON (`"b"`, `["a","c"]`), as this format was first described,
    is read with the bank's ids, and a note says how to write the letters trainees see; a
    `lang` column may say `French` or `fr-BE`, and one it cannot read is a problem at its
    row; a column of question numbers beside the `item` column is ignored. Control: the same
    answer written as text is read as letters, and scores otherwise."""
    from coursegen.loading import load_course
    from coursegen.quizhtml import shown_order

    bank = minimal_course / "quizzes" / "police.yml"  # t-multiple's right option: a only, shown C
    text = bank.read_text("utf-8")
    end = '        correct: true\n        feedback: {fr: "Oui.", en: "Yes."}\n  - id: t-match'
    assert text.count(end) == 1
    bank.write_text(text.replace(end, end.replace("        correct: true\n", "", 1)), "utf-8")
    course, _ = load_course(minimal_course)
    assert course is not None
    multiple = next(i for q in course.questions for i in q.graded() if i["id"] == "t-multiple")
    right = [o["id"] for o in multiple["options"] if o.get("correct")]
    shown = [o["id"] for o in shown_order("t-multiple", multiple["options"])]
    as_letters = [chr(ord("A") + shown.index(i)) for i in right]
    assert right == ["a"] and as_letters == ["C"]  # the control can fail: ids and letters differ
    rows = [
        "trainee,question,item,response,lang",
        f'ids,2,t-multiple,"{json.dumps(right).replace(chr(34), chr(34) * 2)}",en',
        f"letters,2,t-multiple,{' '.join(as_letters)},French",
        f"misread,2,t-multiple,{' '.join(i.upper() for i in right)},fr-BE",
        "odd,2,t-single,B,klingon",
    ]
    (tmp_path / "mixed.csv").write_text("\n".join(rows) + "\n", "utf-8")
    code, said = _said(tmp_path / "mixed.csv", minimal_course, tmp_path / "g")
    assert code == 1 and "mixed.csv:5:" in said and "unknown language 'klingon'" in said, said
    assert "1 response(s) written as JSON" in said and "without quotes (B, A C)" in said, said
    # each scored on the whole quiz, its questions without a row unanswered
    assert "mixed.csv: the questions of a quiz without a row for a trainee count as unanswered" in said, said
    assert "(ids: 6 of 7; letters: 6 of 7; misread: 6 of 7; and 1 more)" in said and "different maxima" not in said
    scores = {
        r["trainee"]: r["score"]
        for r in csv.DictReader((tmp_path / "g" / "scores.csv").read_text("utf-8-sig").splitlines())
    }
    assert scores["ids"] == scores["letters"] == "3" and scores["misread"] != "3", scores


def test_a_csv_names_questions_by_the_handout_s_numbers(tmp_path: Path, minimal_course: Path) -> None:
    """A trainer types paper answers with the numbers the handout gives the questions (`1`,
    `Question 2`, `police 3`), not the bank's ids, which no trainee nor trainer sees; with
    several quizzes graded, a bare number is told to need its quiz. An answer it cannot read
    is told with the form it takes. Control: the numbers name the questions of the site's order."""
    from coursegen.loading import load_course

    course, _ = load_course(minimal_course)
    assert course is not None
    order = [i["id"] for q in course.questions if q.bank == "police" for i in q.graded()]
    rows = ["trainee,item,response", "ana,1,x", "ana,Question 2,x", "ana,police 3,x", "ana,Q4,A C B A"]
    (tmp_path / "paper.csv").write_text("\n".join(rows) + "\n", "utf-8")
    code, said = _said(tmp_path / "paper.csv", minimal_course, tmp_path / "g")
    assert code == 0, said
    table = list(csv.DictReader((tmp_path / "g" / "items.csv").read_text("utf-8-sig").splitlines()))
    items = {r["item"] for r in table if r["unanswered"] == "0"}  # the others: the quiz's, without a row
    assert items == set(order[:4]) and {r["item"] for r in table} == set(order), (items, order[:4])
    kinds = {i["id"]: i["type"] for q in course.questions for i in q.graded()}
    assert [kinds[i] for i in order[:4]] == ["single", "multiple", "match", "order"]
    # each unreadable answer told in the handout's terms, at its row, with the question's number
    assert (
        "paper.csv:2:5: ana, question 1 ('t-single'): 'x' is not a letter of this question (its letters: A, B)" in said
    )
    assert "question 3 ('t-match'): 'x' cannot be read: its pairs are numbered 1 to 4 and its categories" in said
    assert "question 4 ('t-order'): 'A C B A' cannot be read: its steps are lettered A to D" in said, said
    # two quizzes: a bare number is whose?
    (minimal_course / "quizzes" / "common.yml").write_text(
        (minimal_course / "quizzes" / "police.yml").read_text("utf-8").replace("id: t-", "id: c-"), "utf-8"
    )
    code, said = _said(tmp_path / "paper.csv", minimal_course, tmp_path / "g2")
    assert "question number '1': which quiz's?" in said and "paper.csv:2:" in said, said
    quizzes = "(common (Fondements communs / Common foundations), police)"
    assert f"Several are graded {quizzes}: write the quiz before the number ('common 1')" in said, said
    # the quizzes as the handout titles them: "Fondements communs 1", "Police 2"
    rows = ["trainee,item,response", "ana,Fondements communs 1,B", "ana,Police 1,A", "ana,common foundations 2,x"]
    (tmp_path / "titled.csv").write_text("\n".join(rows) + "\n", "utf-8")
    code, said = _said(tmp_path / "titled.csv", minimal_course, tmp_path / "g3")
    assert code == 0 and "unknown question" not in said, said
    assert "question Common foundations 2 ('c-multiple'): 'x' is not a letter" in said, said
    scores = (tmp_path / "g3" / "scores.csv").read_text("utf-8-sig").splitlines()
    assert scores[1].startswith("ana,3,1,18,"), scores  # c-single's B right, t-single's A wrong; two quizzes


def _said(results: Path, course: Path, out: Path, *more: str, lang: str = "en") -> tuple[int, str]:
    """`coursegen grade` of `results` in English (or `lang`), with `more` options: its exit
    code, and all it printed."""
    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        code = main(["grade", "--lang", lang, str(results), *more, "--course", str(course), "--out", str(out)])
    return code, said.getvalue()


def test_a_csv_trainee_is_scored_on_the_whole_quiz(tmp_path: Path, minimal_course: Path) -> None:
    """A trainer types the answers given on paper and leaves out the questions left blank:
    the trainee who answered one question of seven, rightly, is scored 1 of 9 points, not
    100 %, as the book scores the quiz; one with a row for every question gets no note."""
    from coursegen.loading import load_course

    course, _ = load_course(minimal_course)
    assert course is not None
    order = [i["id"] for q in course.questions if q.bank == "police" for i in q.graded()]
    rows = ["trainee,item,response", "nadia,t-single,B"] + [f"omar,{item},x" for item in order]
    (tmp_path / "paper.csv").write_text("\n".join(rows) + "\n", "utf-8")
    code, said = _said(tmp_path / "paper.csv", minimal_course, tmp_path / "g")
    assert code == 0, said
    scores = {
        r["trainee"]: r for r in csv.DictReader((tmp_path / "g" / "scores.csv").read_text("utf-8-sig").splitlines())
    }
    assert (scores["nadia"]["answered"], scores["nadia"]["score"], scores["nadia"]["max"]) == ("1", "1", "9")
    assert scores["nadia"]["percent"] == "11.1" and scores["omar"]["max"] == "9"
    assert "paper.csv: the questions of a quiz without a row for a trainee count as unanswered" in said, said
    assert "(nadia: 6 of 7)" in said and "omar:" not in said.split("unanswered", 1)[1].split("\n")[0], said


def test_paper_answers_as_trainees_write_them_and_notes_in_the_report(tmp_path: Path, minimal_course: Path) -> None:
    """A trainee writes "(B)", "A-C", "18 ans", "2-4-1-3" on paper, and the trainer types it
    as written: each is read. An answer that cannot be read is graded 0 and told in the
    report the trainer keeps, not only on the terminal. Control: "18 ans 6 mois" stays unread."""
    from coursegen.exporters import handout
    from coursegen.loading import load_course
    from coursegen.quizhtml import shown_order

    course, _ = load_course(minimal_course)
    assert course is not None
    items = {i["id"]: i for q in course.questions for i in q.graded()}
    multiple = [
        chr(65 + n) for n, o in enumerate(shown_order("t-multiple", items["t-multiple"]["options"])) if o.get("correct")
    ]
    steps = [s["id"] for s in items["t-order"]["steps"]]  # in the right order
    positions = [1 + steps.index(s["id"]) for s in handout.shown_steps(items["t-order"], "en")]  # as the handout asks
    rows = [
        "trainee,item,response",
        "ana,t-single,(B)",
        f"ana,t-multiple,{'-'.join(multiple)}",
        "ana,t-numeric,18 ans",
        f"ana,t-order,{'-'.join(map(str, positions))}",
        "ben,t-numeric,18 ans 6 mois",
        "cid,t-single,A B",
    ]
    (tmp_path / "paper.csv").write_text("\n".join(rows) + "\n", "utf-8")
    code, said = _said(tmp_path / "paper.csv", minimal_course, tmp_path / "g")
    assert code == 0, said
    scores = {
        r["trainee"]: r for r in csv.DictReader((tmp_path / "g" / "scores.csv").read_text("utf-8-sig").splitlines())
    }
    assert scores["ana"]["score"] == "6" and scores["ben"]["score"] == "0", scores  # 1 + 3 + 1 + 1
    assert "ben, question 6 ('t-numeric'): the response does not fit this question (expected a number)" in said
    assert "ana, question 6 ('t-numeric'): '18 ans' read as 18 (the words after the number left aside)" in said, said
    assert "cid, question 1 ('t-single'): 'A B': this question takes one letter (its letters: A, B)" in said, said
    report = (tmp_path / "g" / "report.html").read_text("utf-8")
    assert "<h2>Notes (as the command printed them)</h2>" in report
    assert "ben, question 6 (&#x27;t-numeric&#x27;): the response does not fit" in report, report[-800:]


def test_a_question_a_csv_names_wrongly_is_told_with_what_was_meant(tmp_path: Path, minimal_course: Path) -> None:
    """A number past the quiz's last, a misspelt id, a language its own column name gives:
    each told in the trainer's terms. Control: an id like no other gets no guess."""
    rows = ["stagiaire;question;réponse;langue", "ana;police 12;A;fr", "ana;t-singel;B;fr", "ana;zzz;B;arabe"]
    (tmp_path / "paper.csv").write_text("\n".join(rows) + "\n", "utf-8")
    code, said = _said(tmp_path / "paper.csv", minimal_course, tmp_path / "g")
    assert code == 1, said
    assert (
        "paper.csv:2:5: no question 12 in the quiz 'police': its questions are numbered 1 to 7 on the handout" in said
    )
    assert "paper.csv:3:5: unknown question id 't-singel'; did you mean 't-single'? [results-format]" in said, said
    assert "paper.csv:4:5: unknown question id 'zzz' [results-format]" in said, said
    assert "unknown language 'arabe' in the column 'langue': write fr or en" in said, said
    # the quiz's title misspelt: told with the question meant, at its cell
    (tmp_path / "title.csv").write_text("stagiaire;question;réponse\nana;police 1;B\nana;Polise 2;A\n", "utf-8")
    code, said = _said(tmp_path / "title.csv", minimal_course, tmp_path / "t")
    assert code == 1 and "title.csv:3:5: unknown question 'Polise 2': no quiz 'polise' on the handout" in said, said
    assert "did you mean 'police 2'?" in said, said
    (tmp_path / "past.csv").write_text("stagiaire;question;réponse\nana;police 1;B\nana;Polise 12;A\n", "utf-8")
    code, said = _said(tmp_path / "past.csv", minimal_course, tmp_path / "p")
    assert code == 1 and "did you mean the quiz 'police' (questions 1 to 7)?" in said, said


def test_a_grid_with_a_row_per_trainee_grades_as_a_row_per_answer(tmp_path: Path, minimal_course: Path) -> None:
    """A trainer copies paper sheets into a grid: a row per trainee, a column per question
    (its number on the handout), a blank cell for a blank answer. It grades as the same
    answers one per row; an answer it cannot read is told at its cell. Control: the long form."""
    grid = ["stagiaire;1;2;3;langue", "ana;B;;;fr", "ben;A;x;;fr"]
    (tmp_path / "grid.csv").write_text("\n".join(grid) + "\n", "utf-8")
    long = ["stagiaire;question;réponse;langue", "ana;1;B;fr", "ben;1;A;fr", "ben;2;x;fr"]
    (tmp_path / "long.csv").write_text("\n".join(long) + "\n", "utf-8")
    code, said = _said(tmp_path / "grid.csv", minimal_course, tmp_path / "g")
    assert code == 0, said
    assert "grid.csv:3:7: ben, question 2 ('t-multiple'): 'x' is not a letter" in said, said  # its cell
    assert _said(tmp_path / "long.csv", minimal_course, tmp_path / "l")[0] == 0
    for name in ("scores.csv", "items.csv"):
        assert (tmp_path / "g" / name).read_text("utf-8") == (tmp_path / "l" / name).read_text("utf-8"), name
    scores = (tmp_path / "g" / "scores.csv").read_text("utf-8-sig").splitlines()
    assert scores[1:] == ["ana,1,1,9,11.1", "ben,2,0,9,0.0"], scores


def test_a_sheet_from_a_handout_of_other_questions_is_not_graded(tmp_path: Path, minimal_course: Path) -> None:
    """The handout and its answer key print the questions' version; a CSV may give it
    (`polycopié`). Once a question is removed, every number after it names the next
    question: a sheet of the version before is told, and not graded. Controls: the version
    printed grades, and still does once a question's text is edited (its letters name the
    same options); without the column, the numbers are read as the course numbers them."""
    from bs4 import BeautifulSoup

    out = tmp_path / "handouts"
    assert main(["export", "handout", str(minimal_course), "--lang", "fr", "--out", str(out)]) == 0
    printed = {
        name: BeautifulSoup((out / name).read_text("utf-8"), "html.parser").select_one("p.version").get_text()  # type: ignore[union-attr]
        for name in ("handout-police-fr.html", "answer-key-police-fr.html")
    }
    stamp = printed["handout-police-fr.html"].rsplit(" ", 1)[1]
    assert set(printed.values()) == {f"Version des questions\u00a0: {stamp}"} and re.fullmatch(r"[0-9A-F]{6}", stamp)
    rows = ["stagiaire;polycopié;1;2", f"ana;{stamp.lower()};B;A"]
    (tmp_path / "sheet.csv").write_text("\n".join(rows) + "\n", "utf-8")
    code, said = _said(tmp_path / "sheet.csv", minimal_course, tmp_path / "g")
    assert code == 0 and "not graded" not in said, said
    bank = minimal_course / "quizzes" / "police.yml"
    text = bank.read_text("utf-8")
    asked = "La traite exige-t-elle de franchir une frontière ?"
    assert text.count(asked) == 1
    bank.write_text(text.replace(asked, "La traite suppose-t-elle de franchir une frontière ?"), "utf-8")
    code, said = _said(tmp_path / "sheet.csv", minimal_course, tmp_path / "edited")
    assert code == 0 and "not graded" not in said, said  # the same letters name the same options
    swapped = text.replace('{fr: "Vrai", en: "True"}', "{TRUE}").replace(
        '{fr: "Faux", en: "False"}', '{fr: "Vrai", en: "True"}'
    )
    bank.write_text(swapped.replace("{TRUE}", '{fr: "Faux", en: "False"}'), "utf-8")  # B no longer says "Faux"
    code, said = _said(tmp_path / "sheet.csv", minimal_course, tmp_path / "swapped")
    assert code == 1 and "not graded" in said, said
    start = text.index("  - id: t-single\n")
    bank.write_text(text[:start] + text[text.index("\n  - id: ", start) + 1 :], "utf-8")  # the first question removed
    code, said = _said(tmp_path / "sheet.csv", minimal_course, tmp_path / "g2")
    assert code == 1 and f"sheet.csv:2:1: this sheet's handout, version {stamp}, was printed from other" in said, said
    assert "nothing to grade" in said  # its one row, not graded
    (tmp_path / "bare.csv").write_text("stagiaire;1;2\nana;B;A\n", "utf-8")
    code, said = _said(tmp_path / "bare.csv", minimal_course, tmp_path / "g3")
    assert code == 0, said  # read as the course numbers its questions now


def test_a_grid_counts_its_blank_cells_and_reads_its_columns_as_typed(tmp_path: Path, minimal_course: Path) -> None:
    """In a grid, the header says which questions the sheets had: a blank sheet is a trainee
    who answered nothing, on every quiz of the grid (not one left out); a quiz whose every
    cell is blank in a row is another audience's (one grid for a class of two audiences).
    Column names in capitals are read; a row with a cell too many (a comma out of quotes)
    is told, not read shifted; a column that names no question is told once, not per row."""
    (minimal_course / "quizzes" / "common.yml").write_text(
        (minimal_course / "quizzes" / "police.yml").read_text("utf-8").replace("id: t-", "id: c-"), "utf-8"
    )
    rows = [
        "Trainee,Lang,common 1,police 1,total",
        "ana,en,B,,1",  # the police quiz left blank
        "bob,en,,,0",  # a blank sheet
        "cid,en,B,A, C,1",  # a cell too many
        "dan,en,B,B,2",
    ]
    (tmp_path / "grid.csv").write_text("\n".join(rows) + "\n", "utf-8")
    code, said = _said(tmp_path / "grid.csv", minimal_course, tmp_path / "g")
    assert code == 1, said
    assert "grid.csv:4:1: this row has more cells than the first line has columns" in said, said
    assert said.count("unknown question id 'total'") == 1, said
    scores = {
        r["trainee"]: r for r in csv.DictReader((tmp_path / "g" / "scores.csv").read_text("utf-8-sig").splitlines())
    }
    assert {t: (r["answered"], r["score"], r["max"]) for t, r in scores.items()} == {
        "ana": ("1", "1", "9"),  # the police quiz all blank: not hers
        "bob": ("0", "0", "18"),  # a blank sheet: both quizzes, 9 points each
        "dan": ("2", "2", "18"),  # B is right in both
    }
    # each question numbered with its quiz's title as the handout heads it, not the bank's id
    items = {
        r["item"]: r["number"]
        for r in csv.DictReader((tmp_path / "g" / "items.csv").read_text("utf-8-sig").splitlines())
    }
    assert (items["c-single"], items["t-single"]) == ("Common foundations 1", "Police 1"), items


def test_a_question_is_named_by_its_number_as_a_trainer_writes_it() -> None:
    """The number of a question, with or without its quiz, in the ways a trainer types it
    (the handout heads a quiz "Quiz : Police"); an id, even one ending with a number, is kept."""
    from coursegen.collect import _number_key

    said = ["2", "Q2", "Question 2", "n°2", "police 2", "police Q2", "Quiz : Police 2", "Fondements communs 02"]
    assert [_number_key(s) for s in said] == ["2"] * 4 + ["police 2"] * 3 + ["fondements communs 2"]
    assert [_number_key(s) for s in ("t-single", "insp-case-2", "question")] == ["t-single", "insp-case-2", "question"]


def test_a_sheet_typed_on_two_rows_keeps_both_rows_answers(tmp_path: Path, minimal_course: Path) -> None:
    """A trainer types one sheet on two rows of a grid (its first page, then its second): the
    blank cells of one row neither erase the other's answers nor are told as answers given
    twice; a cell past the columns that is empty (a row ending with ',') is nothing; a
    column given twice is told. Control: the same answers on one row."""
    two = ["trainee,1,2,3,4,5,6,7", "ana,B,,,,,,", "ana,,,,,ILO,18,A,"]
    one = ["trainee,1,2,3,4,5,6,7", "ana,B,,,,ILO,18,A"]
    (tmp_path / "two.csv").write_text("\n".join(two) + "\n", "utf-8")
    (tmp_path / "one.csv").write_text("\n".join(one) + "\n", "utf-8")
    code, said = _said(tmp_path / "two.csv", minimal_course, tmp_path / "g2")
    assert code == 0 and "already" not in said, said
    assert _said(tmp_path / "one.csv", minimal_course, tmp_path / "g1")[0] == 0
    for name in ("scores.csv", "items.csv"):
        assert (tmp_path / "g2" / name).read_text("utf-8") == (tmp_path / "g1" / name).read_text("utf-8"), name
    assert "ana,4,4,9," in (tmp_path / "g2" / "scores.csv").read_text("utf-8")
    (tmp_path / "twice.csv").write_text("trainee,1,2,2\nana,B,A C,\n", "utf-8")
    code, said = _said(tmp_path / "twice.csv", minimal_course, tmp_path / "g3")
    assert code == 1 and "twice.csv:1:1: the column '2' is given twice in the first line" in said, said


def test_a_quote_never_closed_is_told_and_a_folders_unreadable_entries_too(
    tmp_path: Path, minimal_course: Path
) -> None:
    """A quote opened in a cell and never closed made the csv module read every row after
    it as that cell: their trainees were lost, with exit status 0. It is told at the quote,
    with how many lines it took. A quote closed on a later line is a cell with a line
    break (Alt+Enter in a spreadsheet), read at the row's first line. In a folder, an entry
    named as a results file that cannot be read (a link to a file gone, a folder) is told
    as it is when named alone; an answer's line break or escape is printed as such."""
    folder = tmp_path / "in"
    folder.mkdir()
    rows = ["trainee,item,response", 'ana,t-single,"B', "bob,t-single,B", "cid,t-single,A"]
    (folder / "open.csv").write_text("\n".join(rows) + "\n", "utf-8")
    rows = ["trainee,item,response", 'dan,t-single,"B', '\x1b[2J"', "", "eve,t-single,B"]
    (folder / "closed.csv").write_text("\n".join(rows) + "\n", "utf-8")
    # quotes the csv module reads as written, and a line separator (U+2028) in a cell: not told
    rows = ["trainee,item,response", 'fay,t-short,"International\u2028Labour', 'ILO"', 'Gil "Gigi,t-short,"a', 'b"']
    rows += ['hal,t-short,"first', 'second" (see "note)']
    (folder / "quoted.csv").write_text("\n".join(rows) + "\n", "utf-8")
    (folder / "gone.json").symlink_to(tmp_path / "nowhere.json")
    (folder / "dir.json").mkdir()
    code, said = _said(folder, minimal_course, tmp_path / "g")
    assert code == 1, said
    assert 'open.csv:2:14: a quote (") opened here is never closed: the 2 line(s) after it' in said, said
    assert "gone.json:1:1: file not found [results-format]" in said, said
    assert "dir.json:1:1: cannot read file" in said, said
    assert "closed.csv:2:1: dan, question 1 ('t-single'): 'B\\n\\x1b[2J'" in said, said  # escaped, on one line
    assert "\x1b" not in said
    duplicated = tmp_path / "twice.json"  # a file edited by hand: which name is meant?
    duplicated.write_text('{"format": "coursegen-results/1", "trainee": "ana", "trainee": "bob", "items": []}')
    code, told = _said(duplicated, minimal_course, tmp_path / "g2")
    assert code == 1 and "twice.json:1:53: the key 'trainee' is given twice in one object" in told, told
    scores = (tmp_path / "g" / "scores.csv").read_text("utf-8")
    assert [line.split(",")[0] for line in scores.splitlines()[1:]] == sorted(
        ["dan", "eve", "fay", '"Gil ""Gigi"', "hal"]
    )
    assert said.count("never closed") == 1, said


def test_question_numbers_follow_the_audience_s_handout(tmp_path: Path) -> None:
    """A common question for police only: the employers' handout numbers the common
    questions after it one less than the handout for every audience does. A CSV of an
    employers' workshop, graded with --audience employers, credits the question its
    trainees had under each number; without it, the numbers are read as the handout for
    every audience numbers them, and a note says which audience numbers them otherwise (the
    answers were credited to the question before, without a word). Control: graded without
    --audience, the same row names another question."""
    import shutil

    from conftest import COURSE_PARTS, ROOT

    course = tmp_path / "course"
    course.mkdir()
    for name in COURSE_PARTS:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, course / name)
    bank = course / "quizzes" / "common.yml"
    text = bank.read_text("utf-8")
    second = [m.start() for m in re.finditer(r"    audiences: \[all\]", text)][1]  # the second question's
    bank.write_text(text[:second] + text[second:].replace("[all]", "[police]", 1), "utf-8")
    loaded, _ = load_course(course)
    assert loaded is not None
    ids = [i["id"] for q in loaded.questions if q.bank == "common" for i in q.graded()]
    rows = ["trainee,item,response", "ana,common 3,x"]  # the third of the employers' handout: ids[3]
    (tmp_path / "paper.csv").write_text("\n".join(rows) + "\n", "utf-8")

    def graded(*options: str) -> tuple[int, str, set[str]]:
        out = tmp_path / f"g{len(options)}"
        said = io.StringIO()
        with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
            code = main(["grade", "--lang", "en", str(tmp_path / "paper.csv"), "--course", str(course), "--out",
                         str(out), *options])  # fmt: skip
        table = csv.DictReader((out / "items.csv").read_text("utf-8-sig").splitlines()) if code == 0 else []
        return code, said.getvalue(), {r["item"] for r in table if r["unanswered"] == "0"}

    code, said, answered = graded("--audience", "employers")
    assert code == 0 and answered == {ids[3]}, said
    assert "--audience" not in said, said
    assert f"(ana: {len(ids) - 2} of {len(ids) - 1})" in said, said  # the police question: not the employers' quiz's
    code, said, answered = graded()
    assert code == 0 and answered == {ids[2]}, said  # the handout for every audience's third
    assert "question number 'common 3': read as the site and the handout for every audience number the " in said
    assert "the employers, labour-inspectors and officials handouts number some otherwise" in said, said
    assert f"(ana: {len(ids) - 1} of {len(ids)})" in said, said
    assert "grade again with --audience employers" in said, said
    # numbers that every handout gives the same question (the police quiz's; the first
    # common one): no note (it was told for any question not on every handout)
    (tmp_path / "paper.csv").write_text("trainee,item,response\nana,police 3,x\nana,common 1,x\n", "utf-8")
    code, said, answered = graded()
    assert code == 0 and len(answered) == 2 and "read as the site" not in said, said
    code, said, _ = graded("--audience", "nobody")
    assert code == 2 and "unknown audience 'nobody' (this course has: " in said, said
    code, said, _ = graded("--audience", "employers", "--quiz", "police")
    assert code == 2 and "the quiz 'police' is not on the employers handout (its quizzes: common, employers)" in said


def test_a_number_is_read_as_the_language_of_its_page_writes_it(tmp_path: Path, minimal_course: Path) -> None:
    """ "18,000" on a French page is 18, which the page's grader scored right; `grade` read
    it as English writes it (eighteen thousand), and scored it 0. Each answer is read as
    the language of the page it was given on writes it: the results file's `lang`, a
    sheet's `lang` column. Control: the same answer from an English page."""
    for lang in ("fr", "en"):
        answers = [{"id": "t-numeric", "response": "18,000"}]
        doc = {"format": "coursegen-results/1", "lang": lang, "quiz": "police", "name": f"ana-{lang}", "items": answers}
        (tmp_path / f"ana-{lang}.json").write_text(json.dumps(doc), "utf-8")
    (tmp_path / "sheet.csv").write_text('trainee,item,response,lang\nbob,t-numeric,"18,000",fr\n', "utf-8")
    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        code = main(["grade", "--lang", "en", str(tmp_path / "ana-fr.json"), str(tmp_path / "ana-en.json"),
                     str(tmp_path / "sheet.csv"), "--course", str(minimal_course), "--out", str(tmp_path / "g")])  # fmt: skip
    assert code == 0, said.getvalue()
    scores = {
        r["trainee"]: r for r in csv.DictReader((tmp_path / "g" / "scores.csv").read_text("utf-8-sig").splitlines())
    }
    assert (scores["ana-fr"]["score"], scores["ana-en"]["score"], scores["bob"]["score"]) == ("1", "0", "1"), scores


def test_an_answer_replaced_by_a_later_file_is_read_in_that_file_s_language(
    tmp_path: Path, minimal_course: Path
) -> None:
    """A French page's file, then a later one that does not say its language: the later
    answer was read the French way ("18,000" as 18), the language of the answer it
    replaced. Control: the later file alone."""

    def results(name: str, saved: str, response: str, **lang: str) -> Path:
        doc = {"format": "coursegen-results/1", "quiz": "police", "trainee": "ana", "saved": saved, **lang,
               "items": [{"id": "t-numeric", "response": response}]}  # fmt: skip
        (tmp_path / name).write_text(json.dumps(doc), "utf-8")
        return tmp_path / name

    first = results("a.json", "2026-01-01T10:00:00Z", "17", lang="fr")
    later = results("b.json", "2026-01-02T10:00:00Z", "18,000")
    for files, out in (([first, later], "both"), ([later], "alone")):
        said = io.StringIO()
        with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
            code = main(
                [
                    "grade",
                    "--lang",
                    "en",
                    *map(str, files),
                    "--course",
                    str(minimal_course),
                    "--out",
                    str(tmp_path / out),
                ]
            )
        assert code == 0, said.getvalue()
    scores = [
        next(csv.DictReader((tmp_path / out / "scores.csv").read_text("utf-8-sig").splitlines()))["score"]
        for out in ("both", "alone")
    ]
    assert scores == ["0", "0"], scores


def test_grading_again_into_the_results_folder_reads_no_grades(tmp_path: Path, minimal_course: Path) -> None:
    """`grade collected --out collected`, run twice: the second run read its own scores.csv
    and items.csv as trainees' results (exit 1, "a CSV of results needs the columns …").
    The grades of the output folder are not results, whether the folder or their names
    (`collected/*`, as a shell expands it) are given. Control: the first run's grades."""
    sent = tmp_path / "collected"
    sent.mkdir()
    (sent / "paper.csv").write_text("trainee,item,response\nana,1,B\n", "utf-8")
    code, said = _said(sent, minimal_course, sent)
    assert code == 0, said
    first = (sent / "scores.csv").read_text("utf-8")
    code, said = _said(sent, minimal_course, sent)
    assert code == 0 and "results-format" not in said, said
    assert (sent / "scores.csv").read_text("utf-8") == first
    named = sorted(str(p) for p in sent.iterdir())
    assert [Path(p).name for p in named] == ["items.csv", "paper.csv", "report.html", "scores.csv"]
    said_io = io.StringIO()
    with contextlib.redirect_stdout(said_io), contextlib.redirect_stderr(said_io):
        code = main(["grade", "--lang", "en", *named, "--course", str(minimal_course), "--out", str(sent)])
    assert code == 0 and "results-format" not in said_io.getvalue(), said_io.getvalue()
    assert (
        "report.html, " in said_io.getvalue()
        and ": the grades of an earlier run, not results: left out" in said_io.getvalue()
    )
    assert (sent / "scores.csv").read_text("utf-8") == first


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_grades_written_by_an_earlier_run_elsewhere_are_not_read_as_results(
    tmp_path: Path, minimal_course: Path, lang: str
) -> None:
    """The grades that an earlier run wrote into the results' folder (`--out collected`), read
    by a later run with another output folder: they were read as results (exit 1, "a CSV of
    results needs the columns …", "4 questions this course does not have"), and named, its
    report as invalid JSON. Known by their names and first lines, in either language; a
    trainee's results file named scores.csv is read all the same."""
    sent = tmp_path / "collected"
    sent.mkdir()
    (sent / "paper.csv").write_text("trainee,item,response\nana,1,B\n", "utf-8")
    code, said = _said(sent, minimal_course, sent, lang=lang)
    assert code == 0 and (sent / "report.html").is_file(), said
    code, said = _said(sent, minimal_course, tmp_path / "later", lang=lang)
    assert code == 0 and "results-format" not in said, said
    names = sorted(str(p) for p in sent.iterdir())
    code, said = _said(Path(names[0]), minimal_course, tmp_path / "named", *names[1:], lang=lang)
    assert code == 0 and "results-format" not in said, said
    assert ": the grades of an earlier run, not results: left out" in said
    (sent / "paper.csv").rename(sent / "scores.csv")  # a trainee's answers, under that name
    code, said = _said(sent / "scores.csv", minimal_course, tmp_path / "renamed", lang=lang)
    assert code == 0 and "graded 1 trainee" in said, said


def test_spaces_no_one_sees_and_blank_rows_of_a_spreadsheet(tmp_path: Path, minimal_course: Path) -> None:
    """A spreadsheet's cell keeps the space typed after a name (`Awa `): she was graded as
    two trainees, `Awa` and `Awa `, each on half her answers; a question as ` 2 ` was
    unknown; a row a spreadsheet saves blank (`;;`) was "a row needs a trainee". Control:
    the same answers typed cleanly."""
    typed = ["stagiaire;question;réponse", "Awa ;1;B", ";;", " Awa; 2 ;A C", "\u00a0Awa\u200b;3;1A", " ; ; ", ""]
    clean = ["stagiaire;question;réponse", "Awa;1;B", "Awa;2;A C", "Awa;3;1A"]
    (tmp_path / "typed.csv").write_text("\n".join(typed) + "\n", "utf-8")
    (tmp_path / "clean.csv").write_text("\n".join(clean) + "\n", "utf-8")
    (tmp_path / "book.json").write_text(
        json.dumps({"format": "coursegen-results/1", "trainee": "Ben ", "items": [{"id": "t-short", "response": "x"}]}),
        "utf-8",
    )
    code, said = _said(tmp_path / "typed.csv", minimal_course, tmp_path / "typed")
    assert code == 0 and "results-format" not in said, said
    assert _said(tmp_path / "clean.csv", minimal_course, tmp_path / "clean")[0] == 0
    for name in ("scores.csv", "items.csv"):
        assert (tmp_path / "typed" / name).read_text("utf-8") == (tmp_path / "clean" / name).read_text("utf-8"), name
    assert _said(tmp_path / "book.json", minimal_course, tmp_path / "book")[0] == 0
    assert "\nBen,1,0," in (tmp_path / "book" / "scores.csv").read_text("utf-8-sig")


def test_a_sheet_saved_as_unicode_text_is_graded(tmp_path: Path, minimal_course: Path) -> None:
    """Excel's "Unicode Text" is a .txt in UTF-16, its columns separated by tabs, the one
    "Text" that keeps every accent of the trainees' names: it was told to be saved again
    as UTF-8. Now it is graded as the same answers in a CSV UTF-8, either byte order; in a
    folder, so is it, and the folder's notes are still left alone. A file cut short is told
    where. Controls: a folder of notes only still has no results; UTF-32 is still refused."""
    rows = ["Trainee\tItem\tResponse", "Anaïs\t1\tB", "Anaïs\t2\tA C", "Bénédicte\t1\tA"]
    (tmp_path / "sheet.csv").write_text("\n".join(r.replace("\t", ",") for r in rows) + "\n", "utf-8")
    folder = tmp_path / "collected"
    folder.mkdir()
    text = "\r\n".join(rows) + "\r\n"
    (folder / "unicode.txt").write_bytes(text.encode("utf-16"))  # with its mark, as Excel saves it
    (tmp_path / "big-endian.txt").write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    (folder / "read me.txt").write_text("Answers of the Tuesday group.\n", "utf-16")
    outs = {}
    for name in ("sheet.csv", "collected/unicode.txt", "big-endian.txt", "collected"):
        out = tmp_path / "out" / name.replace("/", "-")
        code, said = _said(tmp_path / name, minimal_course, out)
        assert code == 0 and "[results-format]" not in said, (name, said)
        outs[name] = [(out / f).read_text("utf-8") for f in ("scores.csv", "items.csv")]
    assert outs["collected/unicode.txt"] == outs["sheet.csv"] == outs["big-endian.txt"] == outs["collected"]
    assert "\nAnaïs,2,4,9," in outs["sheet.csv"][0] and "\nBénédicte,1," in outs["sheet.csv"][0], outs

    cut = (text.encode("utf-16"))[:-3]  # its last line's \r cut in half
    (tmp_path / "cut.txt").write_bytes(cut)
    code, said = _said(tmp_path / "cut.txt", minimal_course, tmp_path / "cut")
    assert code == 1 and "cut.txt:4:14: file is not valid UTF-16 text (cut short?)" in said, said
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "read me.txt").write_text("trainees: see the list\n", "utf-8")
    code, said = _said(notes, minimal_course, tmp_path / "none")
    assert code == 1 and "a folder without results files" in said, said
    (tmp_path / "wide.txt").write_bytes("trainee,item,response\n".encode("utf-32"))
    code, said = _said(tmp_path / "wide.txt", minimal_course, tmp_path / "none")
    assert code == 1 and "(it is saved as UTF-32)" in said, said


def test_a_spreadsheet_saved_otherwise_than_as_csv(tmp_path: Path, minimal_course: Path) -> None:
    """A spreadsheet saved as "Text (Tab delimited)", a `.txt`, was "invalid JSON"; a
    workbook itself (.xlsx, .ods, an old .xls) was "not text (a picture, a PDF or a Word
    document?)"; a CSV that begins with Excel's `sep=;` line was told to lack its columns.
    Controls: the same answers as a CSV; a results file saved as .txt is still read as
    JSON; a Word document is still one."""
    import zipfile

    rows = ["trainee,item,response", "ana,1,B", "ana,2,A C", "ana,zzz,B"]
    (tmp_path / "sheet.csv").write_text("\n".join(rows) + "\n", "utf-8")
    (tmp_path / "sheet.txt").write_text("\r\n".join(r.replace(",", "\t") for r in rows) + "\r\n", "utf-8")
    (tmp_path / "excel.csv").write_text("sep=;\n" + "\n".join(r.replace(",", ";") for r in rows) + "\n", "utf-8")
    outs = {}
    for name in ("sheet.csv", "sheet.txt", "excel.csv"):
        code, said = _said(tmp_path / name, minimal_course, tmp_path / name.replace(".", "-"))
        assert code == 1 and said.count("[results-format]") == 1, said
        line = 5 if name == "excel.csv" else 4  # its line in the file, the `sep=;` line counted
        assert f"{name}:{line}:5: unknown question id 'zzz'" in said, said  # at its cell
        outs[name] = [(tmp_path / name.replace(".", "-") / f).read_text("utf-8") for f in ("scores.csv", "items.csv")]
    assert outs["sheet.txt"] == outs["sheet.csv"] == outs["excel.csv"]
    (tmp_path / "columns.csv").write_text("sep=;\nname;answer\nana;B\n", "utf-8")
    code, said = _said(tmp_path / "columns.csv", minimal_course, tmp_path / "columns")
    assert code == 1 and "(its line after sep= is: name;answer)" in said, said
    book = {"format": "coursegen-results/1", "trainee": "ben", "items": [{"id": "t-single", "response": "b"}]}
    (tmp_path / "ben.txt").write_text(json.dumps(book), "utf-8")
    assert _said(tmp_path / "ben.txt", minimal_course, tmp_path / "ben")[0] == 0
    assert "\nben,1,1,1," in (tmp_path / "ben" / "scores.csv").read_text("utf-8-sig")

    def zipped(name: str, parts: dict[str, str]) -> Path:
        # a fixed time: a zip's header holds it, and at some times of day one of its bytes is a
        # line break, which moved the place where the file stops being text to the next line
        with zipfile.ZipFile(tmp_path / name, "w") as archive:
            for part, text in parts.items():
                archive.writestr(zipfile.ZipInfo(part, date_time=(2026, 1, 1, 9, 0, 0)), text)
        return tmp_path / name

    zipped("answers.xlsx", {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
    zipped("answers.ods", {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"})
    zipped("saved-as.csv", {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})  # renamed
    zipped("letter.csv", {"[Content_Types].xml": "<Types/>", "word/document.xml": "<document/>"})
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    said_io = io.StringIO()
    with contextlib.redirect_stdout(said_io), contextlib.redirect_stderr(said_io):
        code = main(
            ["grade", "--lang", "en", *(str(tmp_path / n) for n in ("answers.xlsx", "answers.ods", "saved-as.csv",
             "letter.csv", "old.xls")), "--course", str(minimal_course), "--out", str(tmp_path / "none")]
        )  # fmt: skip
    said = said_io.getvalue()
    assert code == 1 and "Traceback" not in said, said
    save = "not text: save it as CSV UTF-8 (.csv), and grade that file [results-format]"
    assert f"answers.xlsx:1:1: a spreadsheet (an Excel workbook), {save}" in said, said
    assert f"answers.ods:1:1: a spreadsheet (an OpenDocument spreadsheet), {save}" in said, said
    assert f"saved-as.csv:1:1: a spreadsheet (an Excel workbook), {save}" in said, said
    assert f"old.xls:1:1: a spreadsheet (an Excel workbook), {save}" in said, said
    assert "letter.csv:1:" in said and "a Word document under this name?" in said, said


def test_a_grid_s_bare_numbers_with_two_quizzes_are_told_once_at_its_first_line(
    tmp_path: Path, minimal_course: Path
) -> None:
    """A grid (`stagiaire;1;2;3`) in a course of two quizzes, graded without --quiz: each
    column's number needs its quiz, which was told once per column, every one at the first
    row. Told once, at the first such column of the first line; a column that names no
    question, at its place there too. Control: a long CSV tells each number at its row."""
    (minimal_course / "quizzes" / "common.yml").write_text(
        (minimal_course / "quizzes" / "police.yml").read_text("utf-8").replace("id: t-", "id: c-"), "utf-8"
    )
    (tmp_path / "grid.csv").write_text("stagiaire;1;2;3;zzz\nana;B;A;;x\nben;A;B;;y\n", "utf-8")
    code, said = _said(tmp_path / "grid.csv", minimal_course, tmp_path / "g")
    assert code == 1 and said.count("which quiz's?") == 1, said
    assert "grid.csv:1:11: question numbers '1', '2', '3': which quiz's? Several are graded" in said, said
    assert "write the quiz before each column's number ('common 1'), or grade one quiz with --quiz common" in said
    assert "grid.csv:1:17: unknown question id 'zzz'" in said, said
    (tmp_path / "long.csv").write_text("stagiaire;question;réponse\nana;1;B\nana;2;A\n", "utf-8")
    code, said = _said(tmp_path / "long.csv", minimal_course, tmp_path / "l")
    assert "long.csv:2:5: question number '1': which quiz's?" in said and "long.csv:3:5: question number '2'" in said


def test_a_very_long_answer_is_echoed_cut(tmp_path: Path, minimal_course: Path) -> None:
    """An answer of 100,000 characters (a cell pasted into by mistake) was echoed whole in
    its note, on the terminal and in the report; so was a question's name that long. Each
    is cut to 80 characters, "…" for the rest. Control: a short answer is echoed whole."""
    long = "X" * 100_000
    rows = [
        "trainee,item,response",
        f"ana,t-single,{long}",
        f"ana,t-multiple,A {long}",
        f"ana,t-match,{long}",
        f"ana,t-order,{long}",
        f"ana,t-numeric,18 {'ans ' * 25_000}",
        f"ana,{long},B",
        "ben,t-single,D",
    ]
    (tmp_path / "long.csv").write_text("\n".join(rows) + "\n", "utf-8")
    code, said = _said(tmp_path / "long.csv", minimal_course, tmp_path / "g")
    assert code == 1, said[:2000]
    lines = said.splitlines()
    assert len(lines) == 9 and max(map(len, lines)) < 500, [len(line) for line in lines]
    assert f"'{'X' * 79}…' is not a letter of this question" in said, said
    assert f"unknown question id '{'X' * 79}…'" in said and f"'18 {'ans ' * 19}…' read as 18" in said, said
    assert "ben, question 1 ('t-single'): 'D' is not a letter of this question (its letters: A, B)" in said, said
    assert len((tmp_path / "g" / "report.html").read_text("utf-8")) < 60_000


def test_a_folder_s_spreadsheets_are_told_not_skipped(tmp_path: Path, minimal_course: Path) -> None:
    """A trainer who collected some answers as .xlsx and graded the folder found those
    trainees missing from the grades, with no word why: the workbooks are now named in a
    note, and in the problem when the folder holds nothing else. Control: a folder with no
    workbook has no such note."""
    import shutil
    import zipfile

    folder = tmp_path / "collected"
    folder.mkdir()
    shutil.copy(RESULTS / "ana.json", folder / "ana.json")
    code, said = _said(folder, minimal_course, tmp_path / "before")
    assert code == 0 and "not read" not in said, said

    with zipfile.ZipFile(folder / "room 2.xlsx", "w") as book:
        book.writestr("xl/workbook.xml", "<workbook/>")
    code, said = _said(folder, minimal_course, tmp_path / "g")
    assert code == 0, said
    assert "room 2.xlsx: a spreadsheet, not read: save it as CSV UTF-8 (.csv) in the folder" in said, said

    # not Excel's lock file nor a Mac's `._` file, nor a workbook whose CSV is read beside it;
    # a folder given twice is told once
    for name in ("~$room 2.xlsx", "._room 2.xlsx", "ben.xlsx"):
        shutil.copy(folder / "room 2.xlsx", folder / name)
    shutil.copy(RESULTS / "ben.json", folder / "ben.json")
    code, said = _said(folder, minimal_course, tmp_path / "h", str(folder))
    notes = [line for line in said.splitlines() if "not read" in line]
    assert (
        code == 0
        and len(notes) == 1
        and notes[0].endswith(
            "room 2.xlsx: a spreadsheet, not read: save it as CSV UTF-8 (.csv) in the folder to grade it with the rest"
        )
    ), said
    for name in ("~$room 2.xlsx", "._room 2.xlsx", "ben.xlsx", "ben.json"):
        (folder / name).unlink()

    (folder / "ana.json").unlink()
    code, said = _said(folder, minimal_course, tmp_path / "none")
    assert code == 1 and not (tmp_path / "none").exists(), said
    assert "a folder without results files" in said and "room 2.xlsx: save it as CSV UTF-8 (.csv)" in said, said


def test_a_bare_number_with_an_audience_asks_among_its_handout_s_quizzes(tmp_path: Path) -> None:
    """`grade --audience police` of a sheet numbered as the police handout numbers it: the
    quizzes a bare number may be of are that handout's (the common one and the police's),
    the police's first, and `--quiz police` is the one suggested; it named every audience's
    quiz and suggested `--quiz common`. Control: without --audience, every quiz."""
    from conftest import ROOT

    (tmp_path / "one.csv").write_text("trainee,item,response\nEsi,1,B\n", "utf-8")
    said = {}
    for chosen in (["--audience", "police"], []):
        code, said[bool(chosen)] = _said(tmp_path / "one.csv", ROOT, tmp_path / "g", *chosen)
        assert code == 1
    assert (
        "Several are graded (police, common (Fondements communs / Common foundations)): write the quiz before the "
        "number ('police 1'), or grade one quiz with --quiz police"
    ) in said[True], said[True]
    assert "employers" not in said[True] and "employers (Employeurs)" in said[False], said[False]


def test_french_columns_graded_in_english_are_told_how_the_letters_were_read(
    tmp_path: Path, minimal_course: Path
) -> None:
    """A sheet typed from the French handouts (`stagiaire;question;réponse`) graded with
    `--lang en` had its letters read as the English handout gives them, which orders some
    steps otherwise: graded wrong without a word. A note says so, and what to write.
    Controls: graded in French, or with a `langue` column, no note."""
    (tmp_path / "fr.csv").write_text("stagiaire;question;réponse\nAnaïs;1;B\n", "utf-8")
    (tmp_path / "said.csv").write_text("stagiaire;question;réponse;langue\nAnaïs;1;B;fr\n", "utf-8")
    code, said = _said(tmp_path / "fr.csv", minimal_course, tmp_path / "g")
    assert (
        code == 0
        and (
            "fr.csv: its columns are named in French, and its answers were read as the English handout letters them "
            "(--lang en); if the trainees had the French handout, add a column 'langue' that says fr, or grade with "
            "--lang fr"
        )
        in said
    ), said
    code, said = _said(tmp_path / "said.csv", minimal_course, tmp_path / "h")
    assert code == 0 and "columns are named" not in said, said
    code, said = _said(tmp_path / "fr.csv", minimal_course, tmp_path / "i", lang="fr")
    assert code == 0 and "columns are named" not in said, said


def test_a_number_beyond_the_one_quiz_graded_is_told_so(tmp_path: Path) -> None:
    """`grade --quiz police` of a sheet with question 99, which the police handout does not
    have: it asked "which quiz's? Several are graded (police)". Now: the quiz's range."""
    from conftest import ROOT

    (tmp_path / "q.csv").write_text("trainee,item,response\nEsi,99,B\nEsi,1,B\n", "utf-8")
    _, said = _said(tmp_path / "q.csv", ROOT, tmp_path / "g", "--quiz", "police")
    assert re.search(
        r"q\.csv:2:5: no question 99 in the quiz: its questions are numbered 1 to \d+ on the handout", said
    ), said
    assert "which quiz's" not in said, said
