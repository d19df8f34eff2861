"""`coursegen grade`: grade collected results and analyse the items, for the trainer.

Inputs: the "download my results" files of the book (JSON, format coursegen-results/1;
the trainee is the file's name unless the file has a "trainee" field) and CSV files with
the columns `trainee,item,response` (a response is JSON, e.g. "b", ["a","c"],
{"p1":"act"}, or plain text for short answers). Every response is graded again with
`coursegen.grading` against the course's current key.

Outputs: scores.csv (per trainee), items.csv (per item), report.html (one page, with a
chart). Item analysis:
- facility index: the mean share of the item's points scored, over the trainees who had it;
- discrimination index (upper–lower groups): trainees ranked by their total share; with
  g = max(1, round(0.27 n)), D = mean share on the item in the top g − in the bottom g
  (needs at least 2 trainees);
- distractors: how many trainees chose each option (single and multiple choice).

A malformed file is reported as `path:line:col: message [code]` and skipped; the others are
still graded and the outputs written; the exit status is then 1.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import csv
import difflib
import io
import json
import re
import sys
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any

from . import layers
from .errors import Code, Diagnostic, SourceRef, UsageError, display_path, output_folder, shown, write_files
from .grading import UNFIT, grade, item_salt, shown_steps
from .model import COMMON, unknown_audience
from .quizhtml import letter, shown_order
from .typography import french_html
from .yamlfile import MAX_BYTES, read_text, text_position


@dataclass
class Trainee:
    name: str
    answers: dict[str, Any] = field(default_factory=dict)  # item id -> response
    scores: dict[str, tuple[float, float]] = field(default_factory=dict)  # item id -> (score, max)
    where: dict[str, SourceRef] = field(default_factory=dict)  # item id -> where the answer was read
    unfit: list[tuple[str, str]] = field(default_factory=list)  # (item id, why) for answers graded 0 unread
    # item id -> the language of the labels its response is written with (a CSV, a notebook's
    # file: the letters a trainee sees, `from_labels`); absent: the bank's ids (the book's file)
    labels: dict[str, str] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)  # item id -> the version answered, when given
    read_as: list[tuple[str, str, str]] = field(default_factory=list)  # (item id, written, read): "18 ans" → 18
    # item id -> the language of the page or sheet the answer was given on: a number's comma
    # is read as that language writes it (`2,025`: 2025 in English, 2.025 in French)
    langs: dict[str, str] = field(default_factory=dict)
    # the questions whose answer a CSV gives (a trainer's transcription, whatever its file's
    # name: a .txt from a spreadsheet too), scored on the whole of their quiz (whole_quizzes)
    typed: set[str] = field(default_factory=set)

    @property
    def answered(self) -> int:
        """The questions answered (a book's results file lists every question of its quiz,
        those left unanswered with no response: they count in the maximum, as in the book)."""
        return sum(1 for response in self.answers.values() if response is not None)

    @property
    def share(self) -> float:
        got = sum(s for s, _ in self.scores.values())
        top = sum(m for _, m in self.scores.values())
        return got / top if top else 0.0


RESULTS_SUFFIXES = (".json", ".csv")
TEXT_SUFFIXES = (".txt", ".tsv")
"""A spreadsheet saved as text (Excel's "Text (Tab delimited)", or "Unicode Text" in UTF-16):
read as a CSV, unless it holds JSON; in a folder, only those that hold results (not its
notes: see `_holds_results`)."""
UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # how a file saved as UTF-16 begins
OUTPUTS = ("scores.csv", "items.csv", "report.html")
"""What `grade` writes in its output folder."""

WORDS: dict[str, dict[str, Any]] = {
    "en": {
        "scores": ["trainee", "answered", "score", "max", "percent"],
        "items": ["item", "number", "text", "type", "n", "unanswered", "facility", "discrimination", "key", "choices"],
        "types": {},
        "title": "Quiz results",
        "summary": "{trainees} trainees, {questions} questions; mean score {mean} %.",
        "help": "Facility: share of the points scored by those who answered (low = hard). Discrimination: the "
        "facility among the best 27 % of trainees minus that among the weakest 27 % (near 0 or negative = the "
        "question does not separate strong and weak trainees: review it). A question left unanswered counts "
        "in the trainee's score, not in the question's indices.",
        "chart": "Facility per question",
        "chart_title": "Facility index per item (share of points scored)",
        "questions": "Questions",
        "trainees": "Trainees",
        "head_items": [
            "Question",
            "No.",
            "Text",
            "Type",
            "Answered",
            "Unanswered",
            "Facility",
            "Discrimination",
            "Key",
            "Choices",
        ],
        "nobody": "no answer",
        "anonymous": "anonymous",
        "head_trainees": ["Trainee", "Score", "Percent"],
        "notes": "Notes (as the command printed them)",
    },
    "fr": {
        "scores": ["stagiaire", "réponses", "score", "maximum", "pourcentage"],
        "items": [
            "question",
            "numéro",
            "texte",
            "type",
            "n",
            "sans réponse",
            "facilité",
            "discrimination",
            "clé",
            "choix",
        ],
        "types": {
            "single": "choix unique",
            "multiple": "choix multiple",
            "match": "association",
            "order": "ordre",
            "short": "réponse courte",
            "numeric": "nombre",
        },
        "title": "Résultats des quiz",
        "summary": "{trainees} stagiaires, {questions} questions ; score moyen {mean} %.",
        "help": "Facilité : part des points obtenus par ceux qui ont répondu (basse = difficile). Discrimination : "
        "la facilité chez les 27 % de stagiaires les meilleurs moins celle chez les 27 % les plus faibles (proche de "
        "0 ou négative = la question ne distingue pas les stagiaires forts des faibles : à revoir). Une question "
        "laissée sans réponse compte dans le score du stagiaire, pas dans les indices de la question.",
        "chart": "Facilité par question",
        "chart_title": "Indice de facilité par question (part des points obtenus)",
        "questions": "Questions",
        "trainees": "Stagiaires",
        "head_items": [
            "Question",
            "N°",
            "Texte",
            "Type",
            "Répondu",
            "Sans réponse",
            "Facilité",
            "Discrimination",
            "Clé",
            "Choix",
        ],
        "nobody": "aucune réponse",
        "anonymous": "anonyme",
        "head_trainees": ["Stagiaire", "Score", "Pourcentage"],
        "notes": "Remarques (telles que la commande les a affichées, en anglais)",
    },
}
"""The outputs' words per language. A French spreadsheet separates its columns with ';' and
writes a decimal comma: the French files do too, so that a French Excel opens them as
tables (and every file begins with a byte order mark, without which Excel reads UTF-8 as
its own code page and garbles accented names)."""

SEPARATORS = {"en": (",", "."), "fr": (";", ",")}  # column, decimal


def _files(
    paths: list[Path], problems: list[Diagnostic], out: Path | None = None, notes: list[str] | None = None
) -> list[Path]:
    """The files to read: a folder stands for the results files (.json, .csv) right in it.
    The grades written in `out` are none: `grade collected/ --out collected` run twice read
    its own scores.csv and items.csv as trainees' results the second time."""
    files: list[Path] = []
    ours = {(out / name).resolve() for name in OUTPUTS} if out is not None else set()
    named = [path for path in paths if not path.is_dir() and (path.resolve() in ours or _earlier_grades(path))]
    folders: set[Path] = set()
    if named and notes is not None:  # `grade collected/* --out collected`: names given, so said
        listed = ", ".join(display_path(path) for path in named)
        notes.append(f"{listed}: the grades of an earlier run, not results: left out")
    for path in paths:
        if not path.is_dir():
            if path not in named:
                files.append(path)
            continue
        # every entry named as a results file, a file or not: one that cannot be read (a link
        # to a file gone, a folder named `x.json`) is told, as it is when named alone
        entries = sorted(path.iterdir())
        inside = [
            p
            for p in entries
            if p.resolve() not in ours
            and not _earlier_grades(p)
            and (p.suffix.lower() in RESULTS_SUFFIXES or (p.suffix.lower() in TEXT_SUFFIXES and _holds_results(p)))
        ]
        # a workbook among them is not read: a trainer who collected some answers as .xlsx
        # learns it, rather than finding those trainees missing from the grades
        # (not Excel's lock file of an open workbook, `~$room 2.xlsx`, nor a Mac's `._` file;
        # nor a workbook whose answers are read from its CSV beside it)
        read = {p.stem for p in inside}
        books = [
            p
            for p in entries
            if p.suffix.lower() in SPREADSHEETS
            and not p.name.startswith(("~$", "._"))
            and p.stem not in read
            and p.is_file()
        ]
        if path.resolve() in folders:  # a folder given twice: told once
            books = []
        folders.add(path.resolve())
        if not inside:
            message = "a folder without results files (.json from the book, .csv, or a spreadsheet saved as text) in it"
            if books:
                message += f"; {_some_files(books)}: save {'it' if len(books) == 1 else 'them'} as CSV UTF-8 (.csv)"
            problems.append(Diagnostic(SourceRef(path), message, Code.RESULTS_FORMAT))
        elif books and notes is not None:
            kept = "it" if len(books) == 1 else "them"
            notes.append(
                f"{_some_files(books)}: {'a spreadsheet' if len(books) == 1 else 'spreadsheets'}, not read: "
                f"save {kept} as CSV UTF-8 (.csv) in the folder to grade {kept} with the rest"
            )
        files += inside
    return list(dict.fromkeys(files))  # a file given twice (itself and in its folder) is read once


def _earlier_grades(path: Path) -> bool:
    """Whether `path` holds grades that `grade` wrote, wherever they are (an earlier run's
    `--out` folder, not this one's): one of its files' names, and its first line as written
    (a trainee's results have the columns trainee, item, response; never these)."""
    if path.name not in OUTPUTS:
        return False
    try:
        if not path.is_file():
            return False
        with path.open("rb") as stream:
            head = stream.read(4096).decode("utf-8", errors="ignore").removeprefix("\ufeff")
    except OSError:
        return False
    if path.suffix == ".html":
        return head.startswith("<!doctype html>") and any(
            f"<title>{escape(str(words['title']))}</title>" in head for words in WORDS.values()
        )
    first = head.split("\n", 1)[0]
    return any(first == SEPARATORS[lang][0].join(WORDS[lang][kind]) for lang in WORDS for kind in ("scores", "items"))


def _some_files(paths: list[Path]) -> str:
    """Files named for a note: the first three, and how many more."""
    named = ", ".join(display_path(p) for p in paths[:3])
    return named + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


def _holds_results(path: Path) -> bool:
    """Whether a .txt or .tsv file in a folder holds results: a table whose columns' line
    names the trainee's, or a results file of the book's saved under this name. A trainer
    who saved the answers from Excel as text finds them graded with the rest of the folder;
    the folder's notes (`read me.txt`) are left alone, as they were."""
    try:
        if not path.is_file():  # a pipe would be waited on; a folder named so is no table
            return False
        with path.open("rb") as stream:
            head = stream.read(4096)
    except OSError:
        return False
    wide = head.startswith(UTF16)  # cut anywhere: the halves of a character are dropped
    text = head.decode("utf-16" if wide else "utf-8", errors="ignore").removeprefix("\ufeff")
    if "coursegen-results" in text:
        return True
    lines = text.lstrip().splitlines()[:2]
    if lines and SEPARATOR_LINE.fullmatch(lines[0]):  # Excel's `sep=;`: the columns come next
        lines = lines[1:]
    return bool(lines) and "trainee" in _columns([c.strip().strip('"') for c in re.split(r"[,;\t]", lines[0])])


def _as_csv(path: Path, text: str) -> bool:
    """Whether a file is read as a CSV: by its name, `.csv`, or `.txt` and `.tsv` (a
    spreadsheet saved as text, its columns separated by tabs) but for one that holds JSON."""
    suffix = path.suffix.lower()
    return suffix == ".csv" or (suffix in TEXT_SUFFIXES and not text.lstrip().startswith(("{", "[")))


SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
ZIP, COMPOUND = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # how a workbook, an old .xls begin


def _spreadsheet(path: Path) -> str | None:
    """What spreadsheet a file is ("an Excel workbook"), or None. Read as text, it was "not
    text (a picture, a PDF or a Word document?)", which a trainer who saved the answers from
    Excel cannot act on."""
    try:
        if not path.is_file():  # a pipe would be waited on for ever; the rest is told as it is read
            return None
        with path.open("rb") as stream:
            magic = stream.read(8)
    except OSError:
        return None
    named = path.suffix.lower() in SPREADSHEETS
    if magic.startswith(ZIP):  # an .xlsx, an .ods: or a Word document, which is a zip too
        return _workbook(path) or ("a workbook" if named else None)
    if magic == COMPOUND:  # an old .xls, or an old .doc: told by its name
        return "an Excel workbook" if named else None
    return None


def _workbook(path: Path) -> str | None:
    """The spreadsheet a zip is: an .xlsx has its parts under `xl/`, an .ods says it in its
    `mimetype`."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if any(name.startswith("xl/") for name in names):
                return "an Excel workbook"
            if "mimetype" in names:
                with archive.open("mimetype") as part:
                    if part.read(64).startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                        return "an OpenDocument spreadsheet"
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError):  # cut short, ciphered
        return None
    return None


def _read(path: Path, problems: list[Diagnostic], notes: list[str] | None = None) -> str | None:
    """The file's text (as course files are read: see yamlfile.read_text), or None with a
    problem said; but for a spreadsheet saved as UTF-16 (`_utf16`) or Windows-1252
    (`_windows_1252`, said in `notes`)."""
    kind = _spreadsheet(path)
    if kind is not None:
        message = f"a spreadsheet ({kind}), not text: save it as CSV UTF-8 (.csv), and grade that file"
        problems.append(Diagnostic(SourceRef(path), message, Code.RESULTS_FORMAT))
        return None
    data = _utf16(path)
    if data is not None:
        return _decoded_utf16(path, data, problems)
    said: list[Diagnostic] = []
    text = read_text(path, said)
    if said and said[0].code == Code.FILE_ENCODING and "such as Windows-1252?" in said[0].message:
        kept = _windows_1252(path)
        if kept is not None:
            if notes is not None:
                notes.append(
                    f'{display_path(path)}: not saved as UTF-8: read as Windows-1252 (Excel\'s "CSV" on '
                    "Windows): check the accents of the trainees' names in the grades"
                )
            return kept
    for problem in said:
        hint = ' (from a spreadsheet, as "CSV UTF-8")' if problem.message.endswith("save it as UTF-8") else ""
        problems.append(Diagnostic(problem.ref, problem.message + hint, Code.RESULTS_FORMAT))
    return text


def _utf16(path: Path) -> bytes | None:
    """The bytes of a file saved as UTF-16 with its byte-order mark, or None. Excel saves a
    sheet so as "Unicode Text" (a .txt, its columns separated by tabs), Notepad a file as
    "Unicode": both keep every name's accents, and a trainer who picked one was told to
    save the file again. Course files stay UTF-8 (see yamlfile.read_text)."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None  # told as any file's is, by read_text
        with path.open("rb") as stream:
            if stream.read(2) not in UTF16:
                return None
            stream.seek(0)
            data = stream.read()
    except OSError:
        return None
    return None if data.startswith(codecs.BOM_UTF32_LE) else data  # UTF-32's mark begins so: refused


def _decoded_utf16(path: Path, data: bytes, problems: list[Diagnostic]) -> str | None:
    """The text of a file saved as UTF-16 with its mark (`_utf16`), or None with a problem
    said where its first bad character is."""
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as exc:  # cut short (an odd number of bytes), half a character
        before = data[: exc.start - exc.start % 2].decode("utf-16", errors="replace")
        line, col = text_position(before + " ", len(before))
        message = 'file is not valid UTF-16 text (cut short?): save it again, as "CSV UTF-8" (.csv)'
        problems.append(Diagnostic(SourceRef(path, line, col), message, Code.RESULTS_FORMAT))
        return None


# the bytes of a character of UTF-8 beyond ASCII: a file that holds some is UTF-8, with a
# byte gone wrong, not Windows-1252 (where an accented letter is one byte, before ASCII)
_UTF8_CHARACTER = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


def _windows_1252(path: Path) -> str | None:
    """The text of a file saved in Windows-1252, or None. Excel on a French Windows saves
    "CSV (séparateur : point-virgule)" so, its first choice: a trainer who picked it was
    told to save the file again. A file with one bad byte among UTF-8 characters is not
    read so (every accent in it would be garbled), nor one with a byte that Windows-1252
    leaves undefined."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if _UTF8_CHARACTER.search(data):
        return None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


def read_results(
    paths: list[Path],
    versions: dict[str, set[str]],
    others: frozenset[str] = frozenset(),
    disabled: frozenset[str] = frozenset(),
    lang: str = "en",
    numbered: dict[str, str] | None = None,
    quizzes: list[str] | None = None,
    stamps: set[str] | None = None,
    renumbered: dict[str, list[str]] | None = None,
    languages: list[str] | None = None,
    out: Path | None = None,
) -> tuple[list[Trainee], list[Diagnostic], list[str]]:
    """Trainees from every readable file; problems for the others; notes on answers given
    to an older version of a question (they are graded with the current key), and on the
    answers left out: to questions of the course that are `others` (of another quiz than
    the one graded), or that the course folder has `disabled` since the results' build.
    `lang`: the outputs' language (a pseudonym's word in the notes; the letters of a CSV
    without a `lang` column are those of its handout). `numbered`: each question's id by its
    number as the handout gives it (`police 20`, and `20` when one quiz is graded, see
    `numbers`), which a trainer may write in a CSV's item column. `quizzes`: the names of
    the quizzes graded, for a message (`police (Police)`). `stamps`: the versions that the
    course's handouts print now (see `_csv`). `renumbered`: the questions that an audience's
    own site or handout numbers otherwise than `numbered`, with those audiences (a common
    question for some audiences only shifts the ones after it), told in a note when a number
    names one. `languages`: the course's; an answer said to be in another (a results file of
    another course's English page, for a French-only course) is read in `lang`, one it has.
    `out`: the output folder, whose grades are not results (see `_files`)."""
    trainees: dict[str, Trainee] = {}
    problems: list[Diagnostic] = []
    notes: list[str] = []
    left_out = 0
    gone: set[str] = set()  # disabled questions answered
    shifted: dict[str, list[str]] = {}  # a number as written -> the audiences that number it otherwise
    # an answer given in two files: the one of the file saved last is graded (a trainee who
    # downloads twice gets `name (1).json`, which sorts first); when a file has no time (a
    # CSV, a trainer's transcription), the one given last; a question left unanswered in
    # one file never replaces an answer in another
    rank: dict[tuple[str, str], tuple[datetime | None, int]] = {}  # (trainee, item) -> its file's
    replaced: Counter[tuple[str, Path, Path, str]] = Counter()  # (trainee, kept, dropped, why)
    for order, path in enumerate(_files(paths, problems, out, notes)):
        text = _read(path, problems, notes)
        if text is None:
            continue
        saved: list[datetime] = []
        typed = _as_csv(path, text)
        places: dict[str, SourceRef] = {}  # a grid's questions, each where its column is named
        entries = (
            _csv(path, text, problems, lang, notes, stamps, languages, places)
            if typed
            else _json(path, text, problems, saved)
        )
        entries = _in_course_languages(path, entries, languages, lang, notes)
        file_rank = (saved[0] if saved else None, order)
        entries = [(_pseudonym(_printable(trainee)), _printable(item), *rest) for trainee, item, *rest in entries]
        known = versions.keys() | others | disabled  # ids, never read as numbers (`q1` of another quiz)
        if numbered:  # `2`, `Question 2`, `police 2`: the handout's number, for the question's id
            for _, item, *_ in entries:
                if item not in known and numbered.get(_number_key(item)) in (renumbered or {}):
                    shifted.setdefault(item, (renumbered or {})[numbered[_number_key(item)]])
            entries = [
                (trainee, item if item in known else numbered.get(_number_key(item), item), *rest)
                for trainee, item, *rest in entries
            ]
        unknown: list[tuple[str, SourceRef]] = []
        older: dict[str, list[str]] = {}  # trainee -> questions answered in an older version
        for trainee, item, response, ref, version, labels, written_in in entries:
            if item in others:
                left_out += 1
                continue
            if item in disabled:
                gone.add(item)
                continue
            if item not in versions:
                unknown.append((item, ref))
                continue
            if version and version not in versions[item]:
                older.setdefault(trainee, []).append(item)
            who = trainees.setdefault(trainee, Trainee(trainee))
            if item in who.answers:
                first = who.where[item]
                if first.path == path and (response is None or who.answers[item] is None):
                    # a grid's blank cell (a sheet typed on two rows) neither replaces nor is told
                    if response is None:
                        continue
                elif first.path == path:  # twice in one file
                    message = (
                        f"{_shown(trainee, lang)} answered '{item}' already ({display_path(first.path)}"
                        f"{f':{first.line}' if first.line > 1 else ''}): this later answer is the one graded"
                    )
                    problems.append(Diagnostic(ref, message, Code.RESULTS_FORMAT))
                else:
                    if response is None:  # unanswered here: what the other file holds stays
                        continue
                    if who.answers[item] is not None:  # else an answer replaces none, whatever the times
                        newer, why = _later(file_rank, rank[trainee, item])
                        if newer:
                            replaced[trainee, path, first.path, why] += 1
                        else:
                            replaced[trainee, first.path, path, why] += 1
                            continue
            rank[trainee, item] = file_rank
            who.answers[item] = response
            who.where[item] = ref
            if labels:
                who.labels[item] = labels
            else:
                who.labels.pop(item, None)
            who.versions[item] = version
            if typed:
                who.typed.add(item)
            else:
                who.typed.discard(item)
            if written_in:
                who.langs[item] = written_in
            else:  # an answer from a file that does not say: the one it replaces said nothing of it
                who.langs.pop(item, None)
        # each once, at its first row; a grid's column where its first line names it (not in every row)
        once: dict[str, SourceRef] = {}
        for item, ref in unknown:
            once.setdefault(item, places.get(item, ref))
        unknown = list(once.items())
        # a bare number that names no question: whose quiz's, when several are graded (with
        # one, a number beyond its questions, told as such by `_unknown`)
        several = quizzes is None or len(quizzes) > 1
        told = [(item, ref) for item, ref in unknown if several and _BARE_NUMBER.fullmatch(_number_key(item))]
        columns = [(item, ref) for item, ref in told if item in places]
        if columns:  # a grid's: once for its first line, not once per column
            problems.append(_which_quiz(columns, quizzes, "each column's number"))
        for item, ref in [t for t in told if t not in columns]:
            problems.append(_which_quiz([(item, ref)], quizzes, "the number"))
        problems += _unknown(path, [u for u in unknown if u not in told], list(versions), numbered or {})
        for trainee, items in older.items():
            notes.append(
                f"{display_path(path)}: {_shown(trainee, lang)} answered an older version of {_some(items)} "
                "(graded with the current key)"
            )
    for (trainee, kept, dropped, why), count in replaced.items():
        notes.append(
            f"{display_path(kept)}: {_shown(trainee, lang)}'s answers to {count} question{'s' if count > 1 else ''} "
            f"also answered in {display_path(dropped)} are graded from this file ({why})"
        )
    if left_out:
        notes.append(f"{left_out} answer(s) to questions of other quizzes left out")
    if gone:
        notes.append(f"answers to {_some(sorted(gone))} that the course disables left out (disabled: true)")
    if shifted:
        audiences = sorted({a for who in shifted.values() for a in who})
        written = _listed(list(shifted))
        listed = ", ".join(audiences[:-1]) + " and " + audiences[-1] if len(audiences) > 1 else audiences[0]
        handouts = f"the {listed} handout{'s' if len(audiences) > 1 else ''}"
        notes.append(
            f"question number{'s' if len(shifted) > 1 else ''} {written}: read as the site and the handout for "
            f"every audience number the questions; {handouts} number some otherwise (a common question for some "
            f"audiences only): if the trainees had {'one of those' if len(audiences) > 1 else 'that one'}, grade "
            f"again with --audience {audiences[0]}"
        )
    return sorted(trainees.values(), key=lambda t: t.name), problems, notes


def _which_quiz(numbers: list[tuple[str, SourceRef]], quizzes: list[str] | None, where: str) -> Diagnostic:
    """Question numbers given bare when several quizzes are graded, told once, at the first:
    which quiz's? `where`: what the quiz is to be written before ("the number", "each
    column's number")."""
    names = quizzes or ["police"]
    example = names[0].split(" (")[0]
    item = numbers[0][0]
    given = (
        f"question number '{_cut(item)}'"
        if len(numbers) == 1
        else f"question numbers {_listed([i for i, _ in numbers])}"
    )
    message = (
        f"{given}: which quiz's? Several are graded ({', '.join(names)}): write the quiz before {where} "
        f"('{example} {_cut(_number_key(item))}'), or grade one quiz with --quiz {example}"
    )
    return Diagnostic(numbers[0][1], message, Code.RESULTS_FORMAT)


PSEUDONYM = re.compile(r"(?:anonyme|anonymous)-([0-9a-f]{6})")
"""A nameless trainee's name: the quiz's pseudonym of the device, in the page's language."""


def _pseudonym(name: str) -> str:
    """One name for a device's pseudonym, whichever language's page wrote it."""
    found = PSEUDONYM.fullmatch(name)
    return f"anonymous-{found.group(1)}" if found else name


def _shown(name: str, lang: str) -> str:
    """A trainee's name in the outputs' language (a pseudonym's word)."""
    found = PSEUDONYM.fullmatch(name)
    return f"{WORDS[lang]['anonymous']}-{found.group(1)}" if found else name


def _printable(text: str) -> str:
    """A name or id from a results file as it may be printed: its control characters (a
    line break that forged a line of the report, a terminal's escape) and line separators
    made spaces; a file name's byte that is not UTF-8 shown as `\\xe9` (it stopped the whole
    grading; as U+FFFD, two names that differed by it were one trainee); any other half of
    a pair of characters made U+FFFD."""
    if text.isprintable():
        return text
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)
    text = shown(text)  # a file name's byte that is not UTF-8 as `\\xe9`: two such names stay two
    return "".join("\ufffd" if unicodedata.category(c) == "Cs" else c for c in text).strip()


Entry = tuple[str, str, Any, SourceRef, str, str | None, str | None]
"""trainee, item id, response, where, version ("" if unknown), the language of the labels
its response is written with (None: the bank's ids, as the book's results file writes them),
the language of the page or sheet it was given on (None: not said)"""


def _in_course_languages(
    path: Path, entries: list[Entry], languages: list[str] | None, lang: str, notes: list[str]
) -> list[Entry]:
    """The entries, each read in a language of the course: a results file of a page in a
    language the course does not have (another course's English site, for a French-only
    course) is read in `lang` (the outputs', one it has), with a note; its questions have
    no texts in that language, and grading them in it stopped with an internal error."""
    if not languages:  # no course's languages to read them in: those of no name, not said
        names = set(LANGUAGE_NAMES.values())
        return [(*head, labels, written_in if written_in in names else None) for *head, labels, written_in in entries]
    own = lang if lang in languages else languages[0]
    lacking = sorted(
        {said for *_, labels, written_in in entries for said in (labels, written_in) if said} - set(languages)
    )
    if lacking:
        notes.append(
            f"{display_path(path)}: from a page in '{lacking[0]}', a language this course does not have "
            f"({', '.join(languages)}): read as in '{own}' (results of another course's site? check --course)"
        )
    return [
        (*head, own if labels in lacking else labels, own if written_in in lacking else written_in)
        for *head, labels, written_in in entries
    ]


def _cut(text: Any, most: int = 80) -> str:
    """What a trainee or a trainer wrote, as a message echoes it: to `most` characters, and
    "…" for the rest (an answer of 100,000 characters filled the terminal and the report)."""
    shown = str(text)
    return shown if len(shown) <= most else shown[: most - 1] + "…"


def _listed(ids: list[str], most: int = 3) -> str:
    """'a', 'b', 'c' …"""
    return ", ".join(f"'{_cut(i)}'" for i in ids[:most]) + (" …" if len(ids) > most else "")


def _some(ids: list[str]) -> str:
    """'a' / 2 questions ('a', 'b') / 12 questions ('a', 'b', 'c' …)."""
    return f"'{ids[0]}'" if len(ids) == 1 else f"{len(ids)} questions ({_listed(ids)})"


_BARE_NUMBER = re.compile(r"\d+")


def _number_key(item: str) -> str:
    """A question named by its number, as a trainer writes it: `2`, `Q2`, `Question 2`,
    `n°2`, `police 2`, `police Q2`, `Quiz : Police 2`, `Fondements communs 02` → `2`,
    `police 2` or `fondements communs 2`."""
    text = re.sub(r"^quiz\s*:?\s*", "", " ".join(item.strip().lower().split()))  # "Quiz : Police 3"
    found = re.fullmatch(r"(?:(.*?\S)\s+)?(?:q(?:uestion)?|n°|no\.?|num[ée]ro)?\s*\.?\s*(\d+)", text)
    if not found:
        return text
    quiz = found.group(1) if found.group(1) not in ("q", "question", "n°", "no", "no.", "numéro", "numero") else None
    return f"{quiz} {int(found.group(2))}" if quiz else str(int(found.group(2)))


def _unknown(
    path: Path,
    unknown: list[tuple[str, SourceRef]],
    known: list[str] | None = None,
    numbered: dict[str, str] | None = None,
) -> list[Diagnostic]:
    """Answers to questions this course does not have: each told, with what was likely meant
    (a number past the quiz's last, a misspelt id), or, when there are many (results of
    another course, or of a part this one does not have), one line for the file."""
    if len(unknown) <= 3:
        told = [_unknown_one(item, known or [], numbered or {}) for item, _ in unknown]
        return [Diagnostic(ref, message, Code.RESULTS_FORMAT) for (_, ref), message in zip(unknown, told, strict=True)]
    message = (
        f"{len(unknown)} questions this course does not have ({_listed([i for i, _ in unknown])}): "
        "results of another course, or of a part this one does not have? (--course)"
    )
    return [Diagnostic(unknown[0][1], message, Code.RESULTS_FORMAT)]


def _unknown_one(item: str, known: list[str], numbered: dict[str, str]) -> str:
    """ "unknown question id 'x'", and what was likely meant."""
    key = _number_key(item)
    quiz, _, number = key.rpartition(" ")
    if number.isdecimal():
        last = [int(k.rpartition(" ")[2]) for k in numbered if k.rpartition(" ")[0] == quiz]
        if last:
            whose = f"the quiz '{quiz}'" if quiz else "the quiz"
            return f"no question {number} in {whose}: its questions are numbered 1 to {max(last)} on the handout"
        quizzes = sorted({k.rpartition(" ")[0] for k in numbered} - {""})
        near = difflib.get_close_matches(quiz, quizzes, n=1, cutoff=0.75) if quiz else []
        if near:  # `Travail sociel 1`: the quiz's title misspelt
            most = max(int(k.rpartition(" ")[2]) for k in numbered if k.rpartition(" ")[0] == near[0])
            meant = (
                f"'{near[0]} {int(number)}'" if int(number) <= most else f"the quiz '{near[0]}' (questions 1 to {most})"
            )
            return f"unknown question '{_cut(item)}': no quiz '{_cut(quiz)}' on the handout; did you mean {meant}?"
    close = difflib.get_close_matches(item, known, n=1, cutoff=0.75)
    return f"unknown question id '{_cut(item)}'" + (f"; did you mean '{close[0]}'?" if close else "")


def _json_problem(exc: json.JSONDecodeError) -> tuple[int, str]:
    """Where in the text, and what, JSON's error is in words: a file that the book writes
    whole, so one that does not read was cut short (a download that did not finish), left
    empty, or edited by hand."""
    rest = exc.doc[exc.pos :]
    if not exc.doc.strip():
        return 0, "the file is empty (a download that did not finish?)"
    if not rest.strip():
        return exc.pos, "invalid JSON: the file ends too soon (a download that did not finish, or a copy cut short?)"
    before = exc.doc[: exc.pos].rstrip()
    if before.endswith(",") and (
        exc.msg.startswith("Expecting property name") or (exc.msg == "Expecting value" and rest.lstrip()[:1] in "]}")
    ):
        return len(before) - 1, "invalid JSON: a ',' after the last item (JSON allows none before '}' or ']')"
    if exc.msg.startswith("Unterminated string"):
        return exc.pos, "invalid JSON: a quote never closed"
    if exc.msg.startswith("Invalid control character"):  # a line break inside a text in quotes
        return exc.pos, "invalid JSON: a line break or a control character inside a text in quotes (a quote left open?)"
    return exc.pos, f"invalid JSON: {exc.msg}"


def _later(new: tuple[datetime | None, int], old: tuple[datetime | None, int]) -> tuple[bool, str]:
    """Whether a file ranked `new` (its `saved` time, its place among the files given)
    comes after one ranked `old`, and why: by their times when both have different ones,
    else by the order in which they were given."""
    (new_time, new_order), (old_time, old_order) = new, old
    if new_time is not None and old_time is not None and new_time != old_time:
        return new_time > old_time, "saved later"
    return new_order > old_order, "given after it"


def _saved_time(value: Any) -> datetime | None:
    """The results file's `saved` time (the book writes `2026-11-28T10:00:00.000Z`)."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _json(path: Path, text: str, problems: list[Diagnostic], saved: list[datetime] | None = None) -> list[Entry]:
    twice: list[str] = []  # keys given twice in one object: json.loads keeps the last, without a word

    def once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                twice.append(key)
            seen.add(key)
        return dict(pairs)

    try:
        data = json.loads(text, object_pairs_hook=once)
    except json.JSONDecodeError as exc:
        at, message = _json_problem(exc)
        problems.append(Diagnostic(SourceRef(path, *text_position(exc.doc, at)), message, Code.RESULTS_FORMAT))
        return []
    except (ValueError, RecursionError) as exc:  # a number of thousands of digits; nesting
        why = "nested too deeply" if isinstance(exc, RecursionError) else "a number too long to read"
        problems.append(Diagnostic(SourceRef(path), f"invalid JSON: {why}", Code.RESULTS_FORMAT))
        return []
    if twice:  # which of the two is meant? (a file edited by hand: the book writes each key once)
        # at the second time it is written, when the file writes it twice only (not in each item)
        places = [m.start() for m in re.finditer(re.escape(json.dumps(twice[0], ensure_ascii=False)) + r"\s*:", text)]
        where = SourceRef(path, *text_position(text, places[1])) if len(places) == 2 else SourceRef(path)
        message = f"the key '{twice[0]}' is given twice in one object: give it once (which is meant?); not graded"
        problems.append(Diagnostic(where, message, Code.RESULTS_FORMAT))
        return []
    if (
        not isinstance(data, dict)
        or data.get("format") != "coursegen-results/1"
        or not isinstance(data.get("items"), list)
    ):
        message = "not a coursegen results file (expected format coursegen-results/1 with a list of items)"
        problems.append(Diagnostic(SourceRef(path), message, Code.RESULTS_FORMAT))
        return []
    named = data.get("trainee")
    if named is not None and (isinstance(named, bool) or not isinstance(named, str | int)):
        found = re.search(r'"trainee"\s*:\s*', text)  # at its value: the key is written once (above)
        where = SourceRef(path, *text_position(text, found.end())) if found else SourceRef(path)
        problems.append(Diagnostic(where, "'trainee' must be a name or a number", Code.RESULTS_FORMAT))
        return []
    trainee = _trimmed(str(named) if named is not None else "") or path.stem
    moment = _saved_time(data.get("saved"))
    if moment is not None and saved is not None:
        saved.append(moment)
    # where each question's id is written (JSON's parser keeps no places): found in the text
    # in order, a file written by hand or pretty-printed is told at the item's line
    ids = iter(re.finditer(r'"id"\s*:\s*', text))
    decoder = json.JSONDecoder()

    def place(value: Any) -> SourceRef:
        for found in ids:  # the next "id" written with that value
            with contextlib.suppress(ValueError, RecursionError):
                if decoder.raw_decode(text, found.end())[0] == value:
                    return SourceRef(path, *text_position(text, found.end()))
        return SourceRef(path)

    starts: list[int] | None = None  # where each item begins, found once one has no id

    out = []
    for i, entry in enumerate(data["items"]):
        if not isinstance(entry, dict) or "id" not in entry:
            if starts is None:
                starts = _item_starts(text, data["items"], decoder) or []
            where = SourceRef(path, *text_position(text, starts[i])) if starts else SourceRef(path)
            what = "has no question id" if isinstance(entry, dict) else f"is {_kind(entry)}, not a question's answer"
            problems.append(Diagnostic(where, f"items[{i}] {what}", Code.RESULTS_FORMAT))
            continue
        where = place(entry["id"])
        if not isinstance(entry["id"], str):  # `"id": 7`: a question's id is text, as the book writes it
            message = f"items[{i}]: a question's id is text (in quotes), not {_kind(entry['id'])}"
            problems.append(Diagnostic(where, message, Code.RESULTS_FORMAT))
            continue
        labels = data.get("labels") if isinstance(data.get("labels"), str) else None  # a notebook's file
        # the page's language; one that no language name reads (`xx`) as written, told (`_in_course_languages`)
        written_in = (
            (_language(data["lang"]) or data["lang"].strip().lower() or None)
            if isinstance(data.get("lang"), str)
            else None
        )
        out.append(
            (trainee, entry["id"], entry.get("response"), where, str(entry.get("version") or ""), labels, written_in)
        )
    return out


_INVISIBLE = r"[\s\u200b\u2060\ufeff]+"  # spaces, and those of no width


def _trimmed(text: str) -> str:
    """A name or a question as typed, without the spaces around it that no one sees
    (`Awa ` from a spreadsheet's cell is `Awa`: one trainee, not two)."""
    return re.sub(rf"^{_INVISIBLE}|{_INVISIBLE}$", "", text)


def _blank(row: dict[str | None, Any]) -> bool:
    """Whether every cell of a CSV's row is blank: `;;;;`, which a spreadsheet saves for a
    row it once held."""
    cells = [value for key, value in row.items() if key is not None] + list(row.get(None) or [])
    return not any(_trimmed(str(cell or "")) for cell in cells)


def _kind(value: Any) -> str:
    """What a JSON value is, in words."""
    return (
        "true or false" if isinstance(value, bool) else "null" if value is None
        else "a number" if isinstance(value, int | float) else "text" if isinstance(value, str)
        else "a list" if isinstance(value, list) else "an object"
    )  # fmt: skip


def _item_starts(text: str, items: list[Any], decoder: json.JSONDecoder) -> list[int] | None:
    """Where each of `items` (the file's list of answers) begins in `text`: the list after
    an `"items"` key whose values read as `items`, value by value (JSON's parser keeps no
    places); None if no such list is found."""
    for key in re.finditer(r'"items"\s*:\s*\[', text):
        at, starts = key.end(), list[int]()
        for item in items:
            at = _blank_end(text, at)
            if starts:
                if not text.startswith(",", at):
                    break
                at = _blank_end(text, at + 1)
            try:
                value, end = decoder.raw_decode(text, at)
            except (ValueError, RecursionError):
                break
            if value != item:
                break
            starts.append(at)
            at = end
        else:
            return starts
    return None


def _blank_end(text: str, at: int) -> int:
    """Where the blanks (JSON's white space) from `at` end."""
    while at < len(text) and text[at] in " \t\n\r":
        at += 1
    return at


COLUMNS = {"trainee", "item", "response"}
ALIASES = {
    "stagiaire": "trainee",
    "question": "item",
    "réponse": "response",
    "reponse": "response",
    "langue": "lang",
    "polycopié": "handout",
    "polycopie": "handout",
}
"""The French names of the columns, as `grade` writes its own French files."""


KNOWN_COLUMNS = {"trainee", "item", "response", "lang", "handout"}
SEPARATOR_LINE = re.compile(r'"?sep=([^"\r\n])"?\1*\s*')
"""Excel's first line that names the separator, `sep=;` (`sep=;;` once a spreadsheet has
saved it as a row of cells)."""


def _header_language(names: list[str]) -> str | None:
    """The language a CSV's column names are written in: French (`stagiaire`, `réponse`),
    English (`trainee`, `response`), or None (neither, or both)."""
    given = {name.strip().casefold() for name in names}
    french, english = bool(given & {"stagiaire", "réponse", "reponse"}), bool(given & {"trainee", "response"})
    return "fr" if french and not english else "en" if english and not french else None


def _column(name: str) -> str:
    """A column by its English name, in small letters (`Trainee`, `Stagiaire` → trainee);
    any other column as written."""
    name = name.strip()
    key = name.casefold()
    return ALIASES.get(key) or (key if key in KNOWN_COLUMNS else name)


def _columns(names: list[str]) -> list[str]:
    """The columns by their English names; a French name only where the English one is not
    given too (`trainee,question,item,response`: a column of question numbers, ignored)."""
    given = {name.strip().casefold() for name in names}
    return [
        name.strip() if name.strip().casefold() in ALIASES and _column(name) in given else _column(name)
        for name in names
    ]


LANGUAGE_NAMES = {
    "fr": "fr",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "en": "en",
    "english": "en",
    "anglais": "en",
}


def _language(value: str) -> str | None:
    """A `lang` column's value as a language code: `fr`, `French`, `français`, `fr-BE` → fr."""
    text = value.strip().lower()
    return LANGUAGE_NAMES.get(text) or LANGUAGE_NAMES.get(re.split(r"[-_]", text)[0])


def _unclosed_quote(lines: list[str], separator: str) -> int | None:
    """The column of the quote that opens a cell still open at the end of `lines` (a row
    that the csv module read, non-strict, to the file's end), or None: its quotes are
    closed. The csv module, strict, says which (the end of the data inside quotes); the
    quote is the last one that opens a cell on the row's first line."""
    reader = csv.reader(io.StringIO("\n".join(lines), newline=""), delimiter=separator, strict=True)
    try:
        for _ in reader:
            pass
    except csv.Error as exc:
        if "unexpected end of data" not in str(exc):
            return None  # another fault that strict reading refuses (`"a"b`), which is read as written
        opening = [m.end() for m in re.finditer(rf'(?:^|{re.escape(separator)})[ \t]*"', lines[0])]
        return opening[-1] if opening else 1
    return None


def _csv(
    path: Path,
    text: str,
    problems: list[Diagnostic],
    lang: str = "en",
    notes: list[str] | None = None,
    stamps: set[str] | None = None,
    languages: list[str] | None = None,
    places: dict[str, SourceRef] | None = None,
) -> list[Entry]:
    """A trainer's transcription of answers (from paper, from a notebook): a response written
    as text (`B`, `A C F`, `1A 2C`) is in the labels that trainees see (`from_labels`), in
    the language of its `lang` column, or of the outputs (`lang`); one written as JSON
    (`"b"`, `["a","c"]`, `{"p1":"act"}`) is in the bank's ids, as this format first was.
    An optional `handout` column gives the version its handout prints: a row whose version
    is none of the course's handouts' now (`stamps`) is a problem, and not graded. A `lang`
    that is none of the course's `languages` (no handout was printed in it) is a problem at
    its row, whose answers are read in `lang`. `places`: filled, for a grid, with each
    question's column where the first line names it (a problem of the column is told there)."""
    lines = text.splitlines() if text.strip() else []
    # Excel's first line `sep=;` says the separator (a file it writes so, or that a trainer
    # writes for it to open the file as a table); the columns are named on the next line
    said = SEPARATOR_LINE.fullmatch(lines[0]) if lines else None
    head = 2 if said else 1  # the columns' line
    first = lines[head - 1] if len(lines) >= head else ""
    # a spreadsheet set to French separates with ";" (its decimal mark is the comma)
    separator = (
        said.group(1)
        if said
        else next(
            (
                s
                for s in (",", ";", "\t")
                if set(_columns(heads := [c.strip().strip('"') for c in first.split(s)])) >= COLUMNS
                or ("trainee" in _columns(heads) and s in first)
            ),
            ",",
        )
    )
    # newline="": lines end as the file ends them (\r alone, from an old Mac's spreadsheet)
    # skipinitialspace: "ana, t-single, \"b\"", a space after each comma, as people type it
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=separator, skipinitialspace=True)
    try:
        if said:  # read as a row, so that the csv module counts the lines as the file has them
            next(reader.reader, None)
        fieldnames = reader.fieldnames
    except csv.Error as exc:  # a header field over the csv module's limit (128 KB) …
        problems.append(Diagnostic(SourceRef(path, head), f"invalid CSV: {exc}", Code.RESULTS_FORMAT))
        return []
    as_written = [name.strip() for name in fieldnames or []]
    if fieldnames is not None:  # "trainee, item, response", as a spreadsheet may write it; or in French
        fieldnames = reader.fieldnames = _columns(list(fieldnames))
    # a grid, as a trainer copies paper sheets: a row per trainee, a column per question
    # (`stagiaire;1;2;3`, `trainee,police 1,police 2`), a blank cell a question left blank
    questions = [
        (n, name)
        for n, name in enumerate(fieldnames or [])
        if name and name not in ("trainee", "lang", "handout") and not name.startswith("_")
    ]
    wide = fieldnames is not None and "trainee" in fieldnames and not {"item", "response"} & set(fieldnames)
    if fieldnames is None or not (set(fieldnames) >= COLUMNS or (wide and questions)):
        message = (
            "a CSV of results needs the columns trainee,item,response (or stagiaire;question;réponse), "
            "or trainee and one column per question (stagiaire;1;2;3)"
        )
        if first.strip():
            message += f" (its {'line after sep=' if said else 'first line'} is: {_cut(first.strip())})"
        problems.append(Diagnostic(SourceRef(path), message, Code.RESULTS_FORMAT))
        return []
    if wide and places is not None:
        named = first.split(separator) if '"' not in first else []  # columns plainly written: each at its place
        places |= {
            _printable(_trimmed(as_written[n])): SourceRef(
                path, head, 1 + sum(len(f) + 1 for f in named[:n]) if named else 1
            )
            for n, _ in questions
        }
    named_in = _header_language(as_written)
    if (
        notes is not None
        and named_in not in (None, lang)
        and named_in in (languages or [])
        and "lang" not in fieldnames
    ):
        # `stagiaire;question;réponse` graded with --lang en: the letters are the English
        # handout's, which orders some steps otherwise than the French one the trainees had
        words = {"fr": ("French", "langue"), "en": ("English", "lang")}
        (theirs, column), (ours, _) = words[named_in], words.get(lang, (lang, "lang"))
        notes.append(
            f"{display_path(path)}: its columns are named in {theirs}, and its answers were read as the {ours} "
            f"handout letters them (--lang {lang}); if the trainees had the {theirs} handout, add a column "
            f"'{column}' that says {named_in}, or grade with --lang {named_in}"
        )
    twice = sorted({name for name in fieldnames if name and fieldnames.count(name) > 1})
    if twice:  # which of them holds the answers? (the csv module takes the last)
        message = f"the column '{twice[0]}' is given twice in the first line: give each column once"
        problems.append(Diagnostic(SourceRef(path, head), message, Code.RESULTS_FORMAT))
        return []
    out = []
    # the lines as the csv module counts them (`line_num`): ended by \n, \r or \r\n only, not
    # by the other breaks that str.splitlines knows (U+2028 in a cell, a form feed)
    all_lines = [line.rstrip("\r\n") for line in io.StringIO(text, newline="")]
    as_ids = 0  # responses written as JSON: the bank's ids
    rows = iter(reader)
    end = reader.line_num  # the last line read: the header's
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:  # a field over the csv module's limit (128 KB), a NUL byte …: that row
            where = SourceRef(path, reader.line_num + 1)  # the row it was reading, not the last one read
            problems.append(Diagnostic(where, f"invalid CSV: {exc}", Code.RESULTS_FORMAT))
            end = reader.line_num
            continue
        line, end = end + 1, reader.line_num  # the row's first line (a cell in quotes may hold line breaks)
        while line < end and not all_lines[line - 1].strip():  # blank lines before it
            line += 1
        opened = _unclosed_quote(all_lines[line - 1 : end], separator) if end > line else None
        if opened is not None:  # the csv module reads to the file's end inside the quotes: every row after
            message = (
                f'a quote (") opened here is never closed: the {end - line} line(s) after it were read as '
                "part of this cell, and their answers not graded; close it, or remove it"
            )
            problems.append(Diagnostic(SourceRef(path, line, opened), message, Code.RESULTS_FORMAT))
            continue
        if _blank(row):  # `;;;;`: nothing to grade, nothing to fix
            continue
        if any(str(cell).strip() for cell in row.get(None) or []):  # type: ignore[call-overload]  # cells past the columns
            message = (
                "this row has more cells than the first line has columns: a cell that holds the separator "
                f"('{separator}') goes in quotes (\"A{separator} C\"), or write A C"
            )
            problems.append(Diagnostic(SourceRef(path, line), message, Code.RESULTS_FORMAT))
            continue
        trainee, asked = _trimmed(row.get("trainee") or ""), _trimmed(row.get("item") or "")
        if not trainee or not (wide or asked):
            message = "a row needs a trainee" + ("" if wide else " and an item")
            problems.append(Diagnostic(SourceRef(path, line), message, Code.RESULTS_FORMAT))
            continue
        stamp = (row.get("handout") or "").strip().upper()
        if stamp and stamps is not None and stamp not in stamps:
            message = (
                f"this sheet's handout, version {stamp[:12]}, was printed from other questions than the course's "
                f"handouts now ({', '.join(sorted(stamps)[:4])}{' …' if len(stamps) > 4 else ''}): its question "
                "numbers may name other questions (one disabled since, or added); grade it with the course as it "
                "was, or name the questions by their ids; not graded"
            )
            problems.append(Diagnostic(SourceRef(path, line), message, Code.RESULTS_FORMAT))
            continue
        labels: str | None = lang
        written = (row.get("lang") or "").strip()
        if written:
            labels = _language(written)
            column = as_written[fieldnames.index("lang")] if "lang" in fieldnames else "lang"
            if labels is None:
                message = f"unknown language '{written[:20]}' in the column '{column}': write fr or en"
                problems.append(Diagnostic(SourceRef(path, line), message, Code.RESULTS_FORMAT))
                labels = lang
            elif languages and labels not in languages:  # no handout was printed in it
                message = (
                    f"the language '{written[:20]}' in the column '{column}' is not one of this course's "
                    f"({', '.join(languages)}): its answers were read as the '{lang}' handout letters them; "
                    f"write {' or '.join(languages)}"
                )
                problems.append(Diagnostic(SourceRef(path, line), message, Code.RESULTS_FORMAT))
                labels = lang
        if wide:  # each question's cell, at its column where the line says it plainly; a blank one, unanswered
            plain = all_lines[line - 1] if line <= len(all_lines) else ""
            fields = plain.split(separator) if '"' not in plain else []
            cells = [
                (as_written[n], row.get(name) or "", 1 + sum(len(f) + 1 for f in fields[:n]) if fields else 1)
                for n, name in questions
            ]
        else:  # at the question's cell, where the line says it plainly
            plain = all_lines[line - 1] if line <= len(all_lines) else ""
            fields = plain.split(separator) if '"' not in plain and "item" in fieldnames else []
            at = fieldnames.index("item") if fields else 0
            cells = [(asked, row.get("response") or "", 1 + sum(len(f) + 1 for f in fields[:at]) if fields else 1)]
        for item, raw, col in cells:
            own = labels
            try:
                response: Any = json.loads(raw) if raw.strip() else None
            except (ValueError, RecursionError):  # not JSON (or too long, too deep): text, in the labels seen
                response = raw
            else:
                if isinstance(response, str | list | dict):
                    own, as_ids = None, as_ids + 1  # `"b"`, `["a","c"]`: the bank's ids
            if isinstance(response, int | float | bool):
                # `18`, `true`, `1e3`: a short answer's text, an option's id, or a number, as
                # typed; the graders read a number from text as the browser does (`1e3` is none)
                response = raw.strip()
            out.append((trainee, item, response, SourceRef(path, line, col), "", own, labels))
    if as_ids and notes is not None:
        notes.append(
            f'{display_path(path)}: {as_ids} response(s) written as JSON ("b", ["a","c"]) read with the '
            "bank's ids; the letters trainees see are written without quotes (B, A C)"
        )
    return out


def _language_of(item: dict[str, Any]) -> str:
    """A language the item is written in, for the grader's words (the report shows none of
    them): English when it has it, else its first (a French-only course's questions)."""
    prompt = item.get("prompt")
    given = list(prompt) if isinstance(prompt, dict) else []
    return "en" if "en" in given or not given else given[0]


def prompt_text(item: dict[str, Any], lang: str) -> str:
    """The item's question in `lang` (or in a language it is written in), on one line."""
    prompt = item.get("prompt")
    if isinstance(prompt, dict):
        prompt = prompt.get(lang, prompt.get(_language_of(item), ""))
    return " ".join(str(prompt or "").split())


def _option_text(option: dict[str, Any], item: dict[str, Any], lang: str) -> str:
    text = option.get("text")
    if isinstance(text, dict):
        text = text.get(lang, text.get(_language_of(item), ""))
    return " ".join(str(text or "").split())


LABELS_HINT = {
    "single": "the letter of the option, as the handout gives it: B",
    "multiple": "the letters of the options: A C",
    "match": "each pair's number and its category's letter: 1A 2C 3B",
    "order": "the steps' letters in order, C A D B, or each step's position, 2 4 1 3",
    "short": "the answer as written",
    "numeric": "a number: 18 or 2,5",
}
"""How a CSV writes an answer to each kind of question, told with an answer it cannot read."""

_SEPARATORS = re.compile(r"[\s,;/+&>→-]+")
_PAIR = re.compile(r"(\d+)\s*(?:→|->|=>|-|:|=|\.|\))?\s*([A-Za-z]+)")


def _tokens(response: Any, labels: dict[str, str]) -> Any:
    """A list written as text ("A C F", "a, c", "B>E>C", "ACF"), as a list; else as given."""
    if not isinstance(response, str):
        return response
    tokens = [t for t in _SEPARATORS.split(response.strip()) if t]
    one = tokens[0] if len(tokens) == 1 else ""
    if one and one.upper() not in labels and one not in labels.values() and all(c in labels for c in one.upper()):
        return list(tokens[0])  # "ACF": letters run together
    return tokens


def _positions(response: Any, labels: dict[str, str], count: int) -> list[int] | None:
    """An order's steps' positions as the handout has them written, one per step in the
    steps' order ("2 4 1 3"), or by the steps' letters ("A2 B4 C1 D3"); None otherwise."""
    if not isinstance(response, str):
        return None
    text = response.strip()
    if re.fullmatch(r"(?:[A-Za-z]+\s*[:=-]?\s*\d+[\s,;]*)+", text):
        given = {k.upper(): int(v) for k, v in re.findall(r"([A-Za-z]+)\s*[:=-]?\s*(\d+)", text)}
        if set(given) != set(labels):
            return None
        positions = [given[letter(i)] for i in range(count)]
    elif re.fullmatch(r"[\d\s,;-]+", text):
        positions = [int(p) for p in re.findall(r"\d+", text)]
    else:
        return None
    return positions if sorted(positions) == list(range(1, count + 1)) else None


def from_labels(item: dict[str, Any], response: Any, lang: str, version: str = "") -> Any:
    """A response written with the labels that trainees see, as the bank's ids: the letters
    of the options in the order the site, the handout and the notebook show them (`B`,
    `A C F`, in either case, `B.` as on paper); a match as the handout numbers its pairs and
    letters its categories (`1A 2C`, `1→A, 2→C`, `{"1": "a"}`); an order as the letters of
    its steps as `lang`'s site and handout show them (`B E C A D`, `BECAD`), or as the
    `version` answered showed them (a notebook's file gives it: an edit of the question's
    text since then shows its steps in another order), or as their positions, which the
    handout asks for (`2 4 1 3`: A is second…; `A2 B4 C1 D3`); a match's categories may
    also be given in the pairs' order (`A C B A`). What is no label is kept as written
    (a bank's id, graded as such; anything else, told as not fitting)."""
    kind = item["type"]

    def mapped(token: Any, labels: dict[str, str]) -> Any:
        if not isinstance(token, str):
            return token
        bare = token.strip().strip("().")  # "B.", "(C)", as on paper
        return labels.get(bare.upper(), token.strip())

    if kind in ("single", "multiple"):
        labels = {letter(i): o["id"] for i, o in enumerate(shown_order(item["id"], item["options"]))}
        if kind == "single":
            return mapped(response, labels)
        tokens = _tokens(response, labels)
        return [mapped(t, labels) for t in tokens] if isinstance(tokens, list) else tokens
    if kind == "order":
        salt = version or item_salt(item, lang)
        steps = [s["id"] for s in shown_steps(item, salt)]
        labels = {letter(i): sid for i, sid in enumerate(steps)}
        positions = _positions(response, labels, len(steps))
        if positions is not None:  # the handout asks each step's position: "2 4 1 3", "A2 B4 C1 D3"
            return [steps[i] for i in sorted(range(len(steps)), key=lambda i: positions[i])]
        tokens = _tokens(response, labels)
        return [mapped(t, labels) for t in tokens] if isinstance(tokens, list) else tokens
    if kind == "match":
        pairs = {str(n): p["id"] for n, p in enumerate(item["pairs"], 1)}
        choices = {letter(i): c["id"] for i, c in enumerate(item["choices"])}
        if isinstance(response, str):
            found = _PAIR.findall(response)
            if not found:  # "A C B A": each pair's category, in the pairs' order, as on paper
                tokens = _tokens(response, choices)
                if isinstance(tokens, list) and len(tokens) == len(pairs) and all(t.upper() in choices for t in tokens):
                    return {pairs[str(n)]: choices[t.upper()] for n, t in enumerate(tokens, 1)}
                return response
            response = dict(found)
        if not isinstance(response, dict):
            return response
        return {pairs.get(str(k).strip(), k): mapped(v, choices) for k, v in response.items()}
    if kind == "numeric" and isinstance(response, str):  # "18 ans", as a trainee writes it on paper
        unit = re.fullmatch(r"\s*([-+]?\d[\d\s.,\u00a0\u202f]*?)\s*[^\W\d_][^\d]*", response)
        return unit.group(1) if unit else response
    return response


def _unreadable(item: dict[str, Any], written: Any) -> str | None:
    """Why an answer written with a handout's labels cannot be read, in the handout's terms
    ("'D' is not a letter of this question (its letters: A, B, C)"); None when nothing more
    can be said than the grader's message."""
    kind = item["type"]
    if kind in ("single", "multiple"):
        letters = [letter(i) for i in range(len(item["options"]))]
        tokens = [written] if kind == "single" else _tokens(written, dict.fromkeys(letters, ""))
        several = _tokens(written, dict.fromkeys(letters, ""))
        if kind == "single" and isinstance(several, list) and len(several) > 1:  # "A C" for one answer
            return f"'{_cut(written)}': this question takes one letter (its letters: {', '.join(letters)})"
        if isinstance(tokens, list):
            bad = [t for t in tokens if isinstance(t, str) and t.strip().strip("().").upper() not in letters]
            if bad:
                what = "is not a letter" if len(bad) == 1 else "are not letters"
                return f"{_listed(bad)} {what} of this question (its letters: {', '.join(letters)})"
        return None
    if kind == "order":
        n = len(item["steps"])
        return (
            f"'{_cut(written)}' cannot be read: its steps are lettered {letter(0)} to {letter(n - 1)}: write their letters in the right order "
            f"({' '.join(letter(i) for i in range(n))}), or each step's position, 1 to {n}, in the letters' order"
        )
    if kind == "match":
        pairs, choices = len(item["pairs"]), len(item["choices"])
        return (
            f"'{_cut(written)}' cannot be read: its pairs are numbered 1 to {pairs} and its categories lettered {letter(0)} to "
            f"{letter(choices - 1)}: write each pair's number and its category's letter (1A 2C)"
        )
    return None


def analyse(
    trainees: list[Trainee],
    items: dict[str, dict[str, Any]],
    lang: str = "en",
    numbered: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Grade every answer, then compute each item's indices. `numbered`: each question's
    number, as the site and the handout give it (see `numbers`)."""
    for t in trainees:
        written = dict(t.answers)
        for item_id, labels in t.labels.items():  # the letters a trainee saw, as the bank's ids
            version = t.versions.get(item_id, "")
            t.answers[item_id] = from_labels(items[item_id], t.answers[item_id], labels, version)
        for item_id, response in t.answers.items():
            result = grade(items[item_id], response, t.langs.get(item_id) or _language_of(items[item_id]))
            t.scores[item_id] = (result.score, result.max)
            if result.message.startswith(UNFIT):
                told = _unreadable(items[item_id], written[item_id]) if item_id in t.labels else None
                t.unfit.append((item_id, told or result.message))
            elif items[item_id]["type"] == "numeric" and response != written[item_id]:  # "18 ans", read as 18
                t.read_as.append((item_id, str(written[item_id]), str(response)))
    ranked = sorted(trainees, key=lambda t: t.share, reverse=True)
    rows = []
    for item_id, item in items.items():
        takers = [t for t in ranked if item_id in t.scores]  # best first
        if not takers:
            continue

        def share(group: list[Trainee], item_id: str = item_id) -> float:
            return sum(t.scores[item_id][0] / t.scores[item_id][1] for t in group) / len(group)

        # the indices of those who answered: a question left unanswered (a results file lists
        # every question of its quiz) says nothing of how hard it is, and counts apart
        answered = [t for t in takers if t.answers[item_id] is not None]
        facility = share(answered) if answered else None
        # the upper and lower groups among the trainees who answered: others say nothing of it
        g = max(1, round(0.27 * len(answered)))
        discrimination = share(answered[:g]) - share(answered[-g:]) if len(answered) >= 2 else None
        choices: Counter[str] = Counter()
        if item["type"] in ("single", "multiple"):
            unfit = {t.name for t in answered if any(i == item_id for i, _ in t.unfit)}
            for t in answered:
                if t.name in unfit:  # `["b"]` to a single-choice question: graded 0, chose nothing
                    continue
                response = t.answers[item_id]
                for option in (
                    [response] if isinstance(response, str) else response if isinstance(response, list) else []
                ):
                    choices[str(option)] += 1
        shown = shown_order(item_id, item["options"]) if item["type"] in ("single", "multiple") else []
        letters = {o["id"]: letter(i) for i, o in enumerate(shown)}
        rows.append(
            {
                "item": item_id,
                "number": (numbered or {}).get(item_id, ""),
                "text": prompt_text(item, lang),
                "type": item["type"],
                "n": len(answered),
                "unanswered": len(takers) - len(answered),
                "facility": facility,
                "discrimination": discrimination,
                # options by the letters the site's order and the handout give them (A, B, C…),
                # not their ids in the bank, which trainees never see
                "choices": {letters[o["id"]]: choices[o["id"]] for o in shown},
                "options": [(letters[o["id"]], _option_text(o, item, lang), bool(o.get("correct"))) for o in shown],
                "key": [letters[o["id"]] for o in shown if o.get("correct")] if shown else answer_key(item, lang),
                "key_lines": key_lines(item, lang),
            }
        )
    return rows


def key_lines(item: dict[str, Any], lang: str) -> list[str]:
    """A match or order item's key with its texts, for the report (as the handout's answer
    key gives it): "1. Left → B. Category", "1. C. Step"; none for other kinds."""

    def text(part: dict[str, Any], name: str = "text") -> str:
        value = part.get(name)
        if isinstance(value, dict):
            value = value.get(lang, value.get(_language_of(item), ""))
        return " ".join(str(value or "").split())

    if item["type"] == "match":
        choices = {c["id"]: (letter(i), text(c)) for i, c in enumerate(item["choices"])}
        return [
            f"{n}. {text(pair, 'left')} → {choices[pair['answer']][0]}. {choices[pair['answer']][1]}"
            for n, pair in enumerate(item["pairs"], 1)
        ]
    if item["type"] == "order":
        shown = {sid: letter(i) for i, sid in enumerate(_shown_steps(item, lang))}
        return [f"{n}. {shown[step['id']]}. {text(step)}" for n, step in enumerate(item["steps"], 1)]
    return []


def numbers(questions: list[Any], banks: list[str], names: dict[str, str] | None = None) -> dict[str, str]:
    """Each question's number, as the site and the handout give it: counted from 1 in each
    quiz, in the quiz's order; with the quiz's name when the questions graded are of
    several quizzes (`police 20`, or with `names`, its title as the handout heads it:
    `Inspection du travail 25`)."""
    out: dict[str, str] = {}
    for bank in banks:
        name = (names or {}).get(bank) or bank
        items = [i["id"] for q in questions if q.bank == bank for i in q.graded()]
        out |= {iid: f"{name} {n}" if len(banks) > 1 else str(n) for n, iid in enumerate(items, 1)}
    return out


def quiz_title(course: Any, bank: str, lang: str) -> str:
    """A quiz's title in `lang` as the handout heads it (`Fondements communs`, `Police`)."""
    from .exporters.handout import UI

    if bank == COMMON:
        return str(UI.get(lang, UI["en"])["common_quiz"])
    return next((a.title.get(lang) or bank for a in course.audiences if a.id == bank), bank)


def _number(value: float) -> str:
    """A number as written: 18, not 18.0; 1234567, not 1.23457e+06."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _shown_steps(item: dict[str, Any], lang: str) -> list[str]:
    """An order item's step ids as the site and the handout show them (lettered A, B, C…)."""
    return [step["id"] for step in shown_steps(item, item_salt(item, lang))]


def answer_key(item: dict[str, Any], lang: str = "en") -> list[str]:
    """What a question takes for right, in words a trainer reads in `items.csv`, with the
    labels that the handout gives (trainees never see the ids of the bank): the right
    options' ids; each pair, numbered, with its category's letter (`1→B`); the steps' letters in
    their order (`C>A>B`); the number (`± tolerance`); the accepted answers per language."""
    kind = item["type"]
    if kind == "match":
        choices = {c["id"]: letter(i) for i, c in enumerate(item["choices"])}
        return [f"{n}→{choices[pair['answer']]}" for n, pair in enumerate(item["pairs"], 1)]
    if kind == "order":
        shown = {sid: letter(i) for i, sid in enumerate(_shown_steps(item, lang))}
        return [">".join(shown[step["id"]] for step in item["steps"])]
    if kind == "numeric":
        tolerance = item.get("tolerance", 0)
        return [_number(item["answer"]) + (f"±{_number(tolerance)}" if tolerance else "")]
    if kind == "short":
        given = sorted(item["accepted"].items(), key=lambda pair: (pair[0] != lang, pair[0]))  # the outputs' first
        return ["; ".join(f"{code}: {' / '.join(answers)}" for code, answers in given)]
    return [o["id"] for o in item.get("options", []) if o.get("correct")]


def item_versions(questions: list[Any], languages: list[str]) -> dict[str, set[str]]:
    """Each item's current versions, one per language, as the book's results files give
    them (the salt of the item as written in that language, scenario items without the
    audiences they inherit)."""
    out = {}
    for q in questions:
        for raw in q.data["items"] if q.data["type"] == "scenario" else [q.data]:
            out[raw["id"]] = {item_salt(raw, lang) for lang in languages}
    return out


def _decimal(text: str, lang: str) -> str:
    return text.replace(".", SEPARATORS[lang][1])


def _points(value: float, lang: str = "en") -> str:
    """Points as the book shows them, to two decimals: three thirds of a point are 1, not
    the 0.999999 that adds up from each item's score (kept to six decimals)."""
    return _decimal(f"{round(value, 2):g}", lang)


def _fmt(value: float | None, lang: str = "en") -> str:
    return "" if value is None else _decimal(f"{value:.3f}", lang)


def _percent(trainee: Trainee, lang: str) -> str:
    return _decimal(f"{100 * trainee.share:.1f}", lang)


def _cell(text: str) -> str:
    """A trainee's name in a CSV cell that a spreadsheet shows as text: one that begins as
    a formula does (`=`, `+`, `-`, `@`) would be computed as the file is opened (and a
    formula can fetch from the network), so it begins with an apostrophe, which
    spreadsheets hide."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_text(header: list[str], rows: list[list[Any]], lang: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=SEPARATORS[lang][0], lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()


def scores_csv(trainees: list[Trainee], lang: str = "en") -> str:
    rows = []
    for t in trainees:
        got = sum(s for s, _ in t.scores.values())
        top = sum(m for _, m in t.scores.values())
        rows.append(
            [_cell(_shown(t.name, lang)), t.answered, _points(got, lang), _points(top, lang), _percent(t, lang)]
        )
    return _csv_text(WORDS[lang]["scores"], rows, lang)


def _key(row: dict[str, Any], lang: str) -> str:
    """A question's key as written in the outputs: a number with the language's decimal sign."""
    key = " ".join(row["key"])
    return _decimal(key, lang) if row["type"] == "numeric" else key


def _type(kind: str, lang: str) -> str:
    return str(WORDS[lang]["types"].get(kind, kind))


def items_csv(rows: list[dict[str, Any]], lang: str = "en") -> str:
    table = [
        [
            r["item"],
            r["number"],
            _cell(r["text"]),
            _type(r["type"], lang),
            r["n"],
            r["unanswered"],
            _fmt(r["facility"], lang),
            _fmt(r["discrimination"], lang),
            _key(r, lang),
            "; ".join(f"{k}:{v}" for k, v in r["choices"].items()),
        ]
        for r in rows
    ]
    return _csv_text(WORDS[lang]["items"], table, lang)


def _key_html(row: dict[str, Any], lang: str) -> str:
    """The key's cell: a match or order item's key with its texts, as the handout gives it."""
    if not row.get("key_lines"):
        return escape(_key(row, lang))
    return "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in row["key_lines"]) + "</ul>"


def _choices_html(row: dict[str, Any], lang: str) -> str:
    """How often each option was chosen, with its text (ids are shown nowhere else: the
    site shows none, the handout letters the options anew); the right ones marked ✔."""
    if not row["options"]:
        return ""
    sep = "\u00a0: " if lang == "fr" else ": "
    items = "".join(
        f"<li>{'✔ ' if correct else ''}{escape(oid)}. {escape(text)}{sep}{row['choices'][oid]}</li>"
        for oid, text, correct in row["options"]
    )
    return f"<ul>{items}</ul>"


def report_html(
    trainees: list[Trainee], rows: list[dict[str, Any]], lang: str = "en", notes: list[str] | None = None
) -> str:
    """One self-contained page: summary, a bar chart of facility per item, the tables, and
    the problems and notes the command printed (an answer it could not read, graded 0, is
    in the report the trainer keeps, not only on the terminal)."""
    words = WORDS[lang]
    bar_h, width = 18, 640
    chart = [
        # as wide as the page allows (a phone's too), its proportions kept
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title" '
        f'viewBox="0 0 {width + 260} {bar_h * len(rows) + 30}" style="width:100%;max-width:{width + 260}px" '
        'font-family="sans-serif" font-size="12">',
        f'<title id="chart-title">{escape(words["chart_title"])}</title>',
    ]
    for i, r in enumerate(rows):
        y = 20 + i * bar_h
        w = int(width * (r["facility"] or 0))
        chart.append(f'<text x="0" y="{y + 12}">{escape(r["item"])}</text>')
        chart.append(f'<rect x="200" y="{y}" width="{w}" height="{bar_h - 4}" fill="#1f4e8c"/>')
        shown = _fmt(r["facility"], lang) if r["facility"] is not None else words["nobody"]
        chart.append(f'<text x="{205 + w}" y="{y + 12}">{escape(shown)}</text>')
    chart.append("</svg>")
    mean = sum(t.share for t in trainees) / len(trainees) if trainees else 0.0
    item_rows = "".join(
        f"<tr><td>{escape(r['item'])}</td><td>{escape(r['number'])}</td><td>{escape(r['text'])}</td><td>{escape(_type(r['type'], lang))}</td>"
        f"<td>{r['n']}</td><td>{r['unanswered']}</td><td>{_fmt(r['facility'], lang)}</td>"
        f"<td>{_fmt(r['discrimination'], lang)}</td><td>{_key_html(r, lang)}</td>"
        f"<td>{_choices_html(r, lang)}</td></tr>"
        for r in rows
    )
    trainee_rows = "".join(
        f"<tr><td>{escape(_shown(t.name, lang))}</td><td>{_points(sum(s for s, _ in t.scores.values()), lang)} / "
        f"{_points(sum(m for _, m in t.scores.values()), lang)}</td><td>{_percent(t, lang)}\u00a0%</td></tr>"
        for t in trainees
    )
    summary = words["summary"].format(
        trainees=len(trainees), questions=len(rows), mean=_decimal(f"{100 * mean:.1f}", lang)
    )
    told = (
        f'<h2>{escape(words["notes"])}</h2>\n<ul lang="en">{"".join(f"<li>{escape(n)}</li>" for n in notes)}</ul>\n'
        if notes
        else ""
    )
    head_items = "".join(f"<th>{escape(h)}</th>" for h in words["head_items"])
    head_trainees = "".join(f"<th>{escape(h)}</th>" for h in words["head_trainees"])
    page = f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{escape(words["title"])}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:sans-serif;max-width:80rem;margin:1rem auto;padding:0 1rem}}
.wide{{overflow-x:auto}}table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:.2rem .5rem;text-align:left;vertical-align:top}}
td{{overflow-wrap:break-word}}.wide td:nth-child(2){{min-width:16rem}}td ul{{margin:0;padding-left:1rem}}</style></head><body>
<h1>{escape(words["title"])}</h1>
<p>{escape(summary)}</p>
<p>{escape(words["help"])}</p>
<h2>{escape(words["trainees"])}</h2>
<table><thead><tr>{head_trainees}</tr></thead><tbody>{trainee_rows}</tbody></table>
<h2>{escape(words["chart"])}</h2>
{"".join(chart)}
<h2>{escape(words["questions"])}</h2>
<div class="wide"><table><thead><tr>{head_items}</tr></thead>
<tbody>{item_rows}</tbody></table></div>
<!--notes--></body></html>
"""
    page = french_html(page) if lang == "fr" else page
    return page.replace("<!--notes-->", told)  # in English, as printed: no French spacing


def quiz_titles(course: Any) -> dict[str, list[str]]:
    """Each quiz's titles as the handout heads it in each of the course's languages
    ("Quiz : Inspection du travail"), which a trainer may write before a question's number."""
    from .exporters.handout import UI

    out: dict[str, list[str]] = {}
    for lang in course.languages:
        names = {a.id: a.title.get(lang, "") for a in course.audiences} | {COMMON: UI[lang]["common_quiz"]}
        for bank, name in names.items():
            if name and name not in out.setdefault(bank, []):
                out[bank].append(name)
    return out


def whole_quizzes(trainees: list[Trainee], bank_of: dict[str, str], lang: str = "en") -> list[str]:
    """A CSV's trainee is scored on the whole of each quiz its rows answer, as a book's file
    is: a question of that quiz without a row (left blank on paper, and so left out by the
    trainer who typed the answers) counts as unanswered, 0 points of its maximum. Scored on
    the rows alone, a trainee who answered 1 question of 26, rightly, had 100 %. Notes, one
    per CSV, with how many questions were without a row. In a grid, a quiz whose every cell
    is blank in a trainee's row is another audience's (a class of two audiences typed in one
    grid), unless the whole row is blank (a blank sheet: every quiz of the grid, unanswered)."""
    blanks: dict[Path, list[tuple[str, int, int]]] = {}
    for t in trainees:
        typed_items = [i for i in t.where if i in t.typed and i in bank_of]
        answered = {bank_of[i] for i in typed_items if t.answers.get(i) is not None}
        for item_id in typed_items if answered else []:
            if bank_of[item_id] not in answered:  # all blank: a quiz this trainee did not have
                for held in (t.answers, t.where, t.labels, t.versions):
                    held.pop(item_id, None)  # type: ignore[attr-defined]
                t.typed.discard(item_id)
        typed: dict[str, SourceRef] = {}  # bank -> where its first row for this trainee is
        for item_id, ref in t.where.items():
            if item_id in t.typed and item_id in bank_of:
                typed.setdefault(bank_of[item_id], ref)
        for bank, ref in typed.items():
            missing = [i for i, b in bank_of.items() if b == bank and i not in t.answers]
            for item_id in missing:
                t.answers[item_id] = None
                t.where[item_id] = SourceRef(ref.path)
            if missing:  # per trainee and file, over the quizzes it answers
                total = sum(1 for b in bank_of.values() if b == bank)
                told = blanks.setdefault(ref.path, [])
                n, of = next(((n, of) for name, n, of in told if name == t.name), (0, 0))
                told[:] = [entry for entry in told if entry[0] != t.name] + [(t.name, n + len(missing), of + total)]
    notes = []
    for path, who in blanks.items():
        listed = "; ".join(f"{_shown(name, lang)}: {n} of {total}" for name, n, total in who[:3])
        more = f"; and {len(who) - 3} more" if len(who) > 3 else ""
        notes.append(
            f"{display_path(path)}: the questions of a quiz without a row for a trainee count as unanswered, "
            f"0 points of the maximum, as in the book ({listed}{more})"
        )
    return notes


def run(args: argparse.Namespace) -> int:
    from . import quizzes
    from .pipeline import prepare

    if args.course == Path(".") and not Path("_config.yml").is_file():  # --course left out, elsewhere
        raise UsageError(
            "grading needs the course the results come from (its answer keys): give it with --course COURSE_DIR"
        )
    course, _ = prepare(args.course, edition="learner")
    banks = sorted({q.bank for q in course.questions})
    if args.quiz is not None and args.quiz not in banks:
        raise UsageError(f"unknown quiz '{args.quiz}' (this course has: {', '.join(banks)})")
    if args.lang is not None and args.lang not in course.languages:  # as `build --lang` refuses it
        raise UsageError(f"unknown language '{args.lang}' (this course has: {', '.join(course.languages)})")
    layers.outside_inputs(args.out, course.root, "the grades (with every question's key)")
    layers.outside_served(args.out, "the grades (with every question's key)")
    out = output_folder(args.out, make=False)  # made only when there is something to write
    if args.audience is not None and args.audience not in course.audience_ids:
        raise UsageError(unknown_audience(args.audience, course.audience_ids))
    if args.audience is not None and args.quiz not in (None, COMMON, args.audience):
        raise UsageError(f"the quiz '{args.quiz}' is not on the {args.audience} handout (its quizzes: {COMMON}, "
                         f"{args.audience})")  # fmt: skip
    selection = quizzes.selected(course, [args.audience] if args.audience else course.audience_ids)
    chosen = selection if args.audience else course.questions  # with every audience's, every question
    items = {i["id"]: i for q in chosen if not args.quiz or q.bank == args.quiz for i in q.graded()}
    every = item_versions(course.questions, course.languages)
    versions = {i: v for i, v in every.items() if i in items}
    disabled = frozenset(p.name for p in course.provenance if p.kind == "question" and p.note == "disabled")
    lang = args.lang or (course.languages[0] if course.languages[0] in WORDS else "en")
    others = frozenset(every) - frozenset(versions)
    # the quizzes of the audience's site and handout (its own and the common one), or all
    graded = sorted({q.bank for q in chosen if q.bank == args.quiz or not args.quiz})
    numbered_as = numbers(selection, graded)
    renumbered: dict[str, list[str]] = {}  # a number that an audience's own handout gives another question
    for audience in [] if args.audience or len(course.audience_ids) < 2 else course.audience_ids:
        own = {number: item for item, number in numbers(quizzes.selected(course, [audience]), graded).items()}
        for item, number in numbered_as.items():
            if own.get(number, item) != item:
                renumbered.setdefault(item, []).append(audience)
    aliases = {number: item for item, number in numbered_as.items()}  # `20` when one quiz is graded
    titles = quiz_titles(course)
    for bank in graded:  # `police 20`, and `Police 20` or `Fondements communs 1` as the handout titles it
        for name in {bank, *titles.get(bank, ())}:
            aliases |= {f"{_number_key(name)} {n}": item for item, n in numbers(selection, [bank]).items()}
    other = {bank: [t for t in titles.get(bank, []) if t.casefold() != bank.casefold()] for bank in graded}
    # the audience's own quiz first: the one `--quiz` is told with, when a number names no quiz
    named = [
        f"{bank} ({' / '.join(other[bank])})" if other[bank] else bank
        for bank in sorted(graded, key=lambda bank: bank != args.audience)
    ]
    from .exporters import Selection
    from .exporters.handout import UI, version_stamp

    stamps = {
        version_stamp(Selection(course, audience, [language]), language)
        for audience in [None, *course.audience_ids]
        for language in course.languages
        if language in UI
    }
    trainees, problems, notes = read_results(
        args.responses, versions, others, disabled, lang, aliases, named, stamps, renumbered,
        languages=course.languages, out=out,
    )  # fmt: skip
    bank_of = {i["id"]: q.bank for q in course.questions for i in q.graded() if i["id"] in items}
    notes += whole_quizzes(trainees, bank_of, lang)
    # as the site and the handout number them, each quiz named as the handout heads it
    numbered_as = numbers(selection, graded, {bank: quiz_title(course, bank, lang) for bank in graded})
    rows = analyse(trainees, items, lang, numbered_as)
    maxima = sorted({round(sum(m for _, m in t.scores.values()), 6) for t in trainees}, reverse=True)
    if len(maxima) > 1:  # trainees who answered different quizzes
        shown_maxima = ", ".join(_points(m, "en") for m in maxima[:4]) + (", …" if len(maxima) > 4 else "")
        notes.append(
            f"trainees are scored out of different maxima ({shown_maxima}): each on the whole of the quizzes "
            "they answered; compare percentages with care"
        )
    for t in trainees:
        for item_id, why in t.unfit:
            hint = (
                f" (write {LABELS_HINT[items[item_id]['type']]})"
                if item_id in t.labels and why.startswith(UNFIT)
                else ""
            )
            number = f"question {numbered_as[item_id]} " if item_id in numbered_as else ""
            notes.append(f"{t.where[item_id]}: {_shown(t.name, lang)}, {number}('{item_id}'): {why}{hint}: graded 0")
        for item_id, written, read in t.read_as:  # "18 mois" for an age in years: the trainer checks
            number = f"question {numbered_as[item_id]} " if item_id in numbered_as else ""
            notes.append(
                f"{t.where[item_id]}: {_shown(t.name, lang)}, {number}('{item_id}'): '{_cut(written)}' read as {_cut(read.strip())} "
                "(the words after the number left aside)"
            )
    for problem in sorted(problems):
        print(problem, file=sys.stderr)
    for note in notes:
        print(f"note: {shown(note)}")  # an answer's line break or escape, shown as such
    if not trainees:  # every file was bad: the grades of an earlier run are kept
        kept = f"{display_path(out)} was left as it was" if out.exists() else "nothing was written"
        print(f"nothing to grade; {kept}")
        return 1
    output_folder(out)
    write_files(
        out,
        {
            "scores.csv": scores_csv(trainees, lang).encode("utf-8"),
            "items.csv": items_csv(rows, lang).encode("utf-8"),
            "report.html": report_html(trainees, rows, lang, [*map(str, sorted(problems)), *notes]).encode("utf-8"),
        },
    )
    print(
        f"graded {len(trainees)} trainee{'s' if len(trainees) > 1 else ''} on {len(rows)} question{'s' if len(rows) > 1 else ''}; wrote {display_path(out / 'scores.csv')}, "
        f"{display_path(out / 'items.csv')}, {display_path(out / 'report.html')}"
    )
    return 1 if problems else 0
