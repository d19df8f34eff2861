"""Build quality: deterministic, atomic, skips work when nothing changed, offline, safe."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from browser import answer, browser, new_page, serve, verdict
from conftest import COURSE_PARTS, FIXTURES, ROOT, coursegen
from coursegen.errors import Code
from coursegen.loading import load_course

pytestmark = pytest.mark.slow


def files(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not any(part in skip for part in p.relative_to(folder).parts)
    }


def documents_read(folder: Path) -> list[str]:
    """The documents Sphinx read in the last Jupyter Book run of `folder`, in order."""
    log = re.sub(r"\x1b\[[0-9;]*m", "", (folder / "_build" / "build.log").read_text("utf-8"))
    return re.findall(r"^reading sources\.\.\. \[\s*\d+%\] (\S+)$", log, re.M)


def documents_written(folder: Path) -> list[str]:
    """The documents Sphinx wrote in the last Jupyter Book run of `folder`, in order."""
    log = re.sub(r"\x1b\[[0-9;]*m", "", (folder / "_build" / "build.log").read_text("utf-8"))
    return re.findall(r"^writing output\.\.\. \[\s*\d+%\] (\S+)$", log, re.M)


def test_two_clean_builds_are_identical(tmp_path: Path) -> None:
    """Generated sources byte for byte, and the published HTML byte for byte. Documented
    exceptions: _build/build.log (it names the paths of the run) and .work/ (Sphinx's caches)."""
    for run in ("a", "b"):
        assert coursegen("build", str(FIXTURES / "minimal"), "--out", str(tmp_path / run)).returncode == 0
    for lang in ("fr", "en"):
        a, b = tmp_path / "a" / lang, tmp_path / "b" / lang
        assert files(a, skip=("_build", ".work")) == files(b, skip=("_build", ".work"))
        html_a, html_b = files(a / "_build" / "html"), files(b / "_build" / "html")
        assert html_a == html_b and len(html_a) > 20


def test_a_course_rebuilt_after_edits_is_the_same_as_built_clean(tmp_path: Path) -> None:
    """A site rebuilt after an edit (a quiz item's prompt and a page, with a word found
    nowhere else), and again after the edit is undone, is the site a clean build of the
    same course makes: the same sources, the same HTML, the same search index (which
    kept the edit's word, with no page, and linked the style sheets differently). The
    page's title is edited too: every page shows it (the menu, the next and previous
    links), and the other pages kept the old one."""
    course, out = tmp_path / "course", tmp_path / "out"
    shutil.copytree(FIXTURES / "minimal", course)
    bank, page = course / "quizzes" / "police.yml", course / "modules" / "police" / "recognise.en.md"
    original = {path: path.read_text("utf-8") for path in (bank, page)}
    assert "crossing a border?" in original[bank]

    def built(name: str) -> dict[str, dict[str, str]]:
        result = coursegen("build", str(course), "--out", str(tmp_path / name))
        assert result.returncode == 0, result.stdout + result.stderr
        return {
            lang: files(tmp_path / name / lang, skip=("_build", ".work"))
            | files(tmp_path / name / lang / "_build" / "html")
            for lang in ("fr", "en")
        }

    built("out")
    bank.write_text(original[bank].replace("crossing a border?", "crossing a zanzibarish border?"), "utf-8")
    retitled = re.sub(r"^# .*$", "# Recognise, zanzibarish", original[page], count=1, flags=re.M)
    page.write_text(retitled + "\nA zanzibarish line.\n", "utf-8")
    assert built("out") == built("edited-clean")
    searchindex = (out / "en" / "_build" / "html" / "searchindex.js").read_text("utf-8")
    assert "zanzibarish" in searchindex  # the edit was rebuilt
    assert "Recognise, zanzibarish" in (out / "en" / "_build" / "html" / "index.html").read_text("utf-8")
    for path, text in original.items():
        path.write_text(text, "utf-8")
    assert built("out") == built("clean")
    assert "zanzibarish" not in (out / "en" / "_build" / "html" / "searchindex.js").read_text("utf-8")


def test_nothing_changed_nothing_started(tmp_path: Path) -> None:
    """A rebuild of the same course starts no Jupyter Book and writes no file of the
    generated books, their record of what builds wrote included."""
    out = tmp_path / "out"
    assert coursegen("build", str(FIXTURES / "minimal"), "--out", str(out)).returncode == 0
    log = (out / "en" / "_build" / "build.log").stat().st_mtime_ns

    def written() -> dict[str, int]:
        return {
            p.relative_to(out).as_posix(): p.stat().st_mtime_ns
            for p in out.rglob("*")
            if p.is_file() and p.relative_to(out).parts[1] not in ("_build", ".work")
        }

    before = written()
    assert "en/.coursegen-book.json" in before and "en/index.md" in before
    again = coursegen("build", str(FIXTURES / "minimal"), "--out", str(out))
    assert again.returncode == 0
    assert "[en] the site is up to date" in again.stdout and "building HTML" not in again.stdout
    assert (out / "en" / "_build" / "build.log").stat().st_mtime_ns == log
    assert written() == before


def test_the_guess_of_what_changed(tmp_path: Path) -> None:
    """`likely_changed` (which only decides what starts early) looks at the course's files
    against the published sites' stamps, and at nothing hidden or in the output; it tells
    pages from the files that make notebooks change too."""
    from coursegen.publish import STAMP, likely_changed

    course, out = tmp_path / "course", tmp_path / "course" / "build"
    (course / "quizzes").mkdir(parents=True)
    (course / "modules" / "police").mkdir(parents=True)
    bank = course / "quizzes" / "police.yml"
    bank.write_text("items: []\n")
    page = course / "modules" / "police" / "respond.fr.md"
    page.write_text("# Réagir\n")
    assert likely_changed(course, out) == {"all"}  # nothing published yet
    stamp = out / "en" / "_build" / STAMP
    stamp.parent.mkdir(parents=True)
    stamp.write_text("digest")
    published = time.time_ns() - 10**10  # ten seconds ago: edits made now are newer
    os.utime(stamp, ns=(published, published))
    os.utime(bank, ns=(1, 1))
    os.utime(page, ns=(1, 1))
    assert likely_changed(course, out) == set()
    assert likely_changed(course, out, ["en"]) == set()
    assert likely_changed(course, out, ["fr"]) == {"all"}  # the French site was never built
    (course / ".git").mkdir()
    (course / ".git" / "index").write_text("x")  # hidden: not an input
    (out / "en" / "_build" / "build.log").write_text("x")  # the output: not an input
    assert likely_changed(course, out) == set()
    page.write_text("# Réagir (edited)\n")
    assert likely_changed(course, out) == {"pages"}
    bank.write_text("items: [] # edited\n")
    assert likely_changed(course, out) == {"pages", "other"}


def test_a_file_built_again_the_same_keeps_its_time(minimal_course: Path, tmp_path: Path) -> None:
    """After a one-question edit, what Sphinx writes again the same (its style sheets, the
    index pages) is the published file, with its time: a trainee's browser, which asks
    whether its copy is still good by that time, reads again only what changed."""
    out = tmp_path / "out"

    def site() -> dict[str, tuple[bytes, int]]:
        assert coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out)).returncode == 0
        root = (out / "en" / "_build" / "html").resolve()
        return {
            p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in root.rglob("*")
            if p.is_file()
        }

    before = site()
    bank = minimal_course / "quizzes" / "police.yml"
    # an edit that keeps the page's size: its new bytes published all the same
    bank.write_text(bank.read_text("utf-8").replace("crossing a border?", "crossing A border?"), "utf-8")
    after = site()
    page = "police/recognise.html"
    assert len(after[page][0]) == len(before[page][0]) and b"crossing A border?" in after[page][0]
    same = {rel for rel in after if rel in before and before[rel][0] == after[rel][0]}
    assert {"_static/basic.css", "index.html", "search.html"} <= same  # written again by Sphinx, the same
    assert page not in same
    assert {rel for rel in same if after[rel][1] != before[rel][1]} == set()


def test_a_failed_build_keeps_the_previous_site(minimal_course: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out)).returncode == 0
    site = out / "en" / "_build" / "html"
    before, target = files(site), os.readlink(site)
    page = minimal_course / "modules" / "common" / "basics.en.md"
    page.write_text(page.read_text("utf-8") + "\nNEW TEXT ZX\n\n#### Too deep\n", "utf-8")
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out))
    assert result.returncode == 1 and "previous site is unchanged" in result.stdout
    assert files(site) == before and os.readlink(site) == target
    assert "NEW TEXT ZX" not in (site / "common" / "basics.html").read_text("utf-8")


def built_then_edited(course: Path, tmp_path: Path, text: str) -> tuple[Path, Path, dict[str, str]]:
    """Build the English site, then add `text` to a page: the output folder, the published
    site and its files before the next build."""
    out = tmp_path / "out"
    assert coursegen("build", str(course), "--lang", "en", "--out", str(out)).returncode == 0
    site = out / "en" / "_build" / "html"
    before = files(site)
    page = course / "modules" / "common" / "basics.en.md"
    page.write_text(page.read_text("utf-8") + f"\n{text}\n", "utf-8")
    return out, site, before


def test_a_killed_build_keeps_the_previous_site(minimal_course: Path, tmp_path: Path) -> None:
    out, site, before = built_then_edited(minimal_course, tmp_path, "KILLED TEXT ZX")
    exe = Path(sys.executable).with_name("coursegen")
    process = subprocess.Popen(
        [str(exe), "build", str(minimal_course), "--lang", "en", "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    building = out / "en" / ".work" / ".building"
    deadline = time.monotonic() + 60
    while not building.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert building.exists(), "Jupyter Book never started"
    time.sleep(0.2)  # into Jupyter Book's run, which takes 0.6 s or more even with a warm start
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert files(site) == before  # intact
    assert "<html" in (site / "index.html").read_text("utf-8")  # and readable
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out))
    assert result.returncode == 0, result.stdout
    assert "KILLED TEXT ZX" in (site / "common" / "basics.html").read_text("utf-8")


def test_sigterm_ends_a_build_as_ctrl_c_does(minimal_course: Path, tmp_path: Path) -> None:
    """`kill PID` (SIGTERM: a closed terminal, a stopped service) ends a build as Ctrl-C
    does: the kernel's connection file (which holds its key) and multiprocessing's folders
    are removed, the site kept. It ended the process at once and left them in the
    temporary folder. Sent as the kernel's connection file appears."""
    out, site, before = built_then_edited(minimal_course, tmp_path, "TERMINATED ZX")
    bank = minimal_course / "quizzes" / "police.yml"  # a notebook to execute: a kernel
    bank.write_text(bank.read_text("utf-8").replace("Cochez les indices.", "Cochez les indices (ZX)."), "utf-8")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    exe = Path(sys.executable).with_name("coursegen")
    process = subprocess.Popen(
        [str(exe), "build", str(minimal_course), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(temporary)},
    )
    deadline = time.monotonic() + 120
    while not list(temporary.glob("*.json")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert list(temporary.glob("*.json")), "no kernel was seen starting"
    process.terminate()
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130 and "interrupted" in err and "Traceback" not in err, err
    assert list(temporary.iterdir()) == []
    assert files(site) == before


STUCK_RUN = """
import sys, time
from coursegen import cli, notebooks

def execute(*args, **kwargs):
    time.sleep(600)  # killed meanwhile

notebooks.execute = execute
sys.exit(cli.main(sys.argv[1:]))
"""


def test_the_replaced_site_stays_readable_until_the_next_publication(minimal_course: Path, tmp_path: Path) -> None:
    """A reader inside the published folder (a server started there, a copy in progress)
    goes on reading a whole site after a rebuild publishes another; the one before it goes
    at the next publication."""
    out = tmp_path / "out"
    link = out / "en" / "_build" / "html"
    config = minimal_course / "_config.yml"
    settings = config.read_text("utf-8")
    assert "copyright" not in settings
    sites: list[Path] = []
    first: dict[str, str] = {}
    for year in ("2026", "2027", "2028"):
        config.write_text(f'copyright: "{year}"\n{settings}', "utf-8")
        result = coursegen("build", str(minimal_course), "--out", str(out))
        assert result.returncode == 0, result.stdout + result.stderr
        sites.append(link.resolve())
        assert f"© {year}</p>" in (sites[-1] / "index.html").read_text("utf-8")
        if len(sites) == 1:
            first = files(sites[0])
        elif len(sites) == 2:  # the first site, replaced, is whole and as it was
            assert sites[0] != sites[1] and files(sites[0]) == first
    assert not sites[0].exists()  # gone at the third publication
    assert "© 2027</p>" in (sites[1] / "index.html").read_text("utf-8")
    assert sorted(p.name for p in link.parent.glob("site-*")) == sorted([sites[1].name, sites[2].name])


def test_a_replaced_site_with_pages_left_out_goes_at_once(minimal_course: Path, tmp_path: Path) -> None:
    """The site replaced stays for its readers, but not when it has pages that the new one
    leaves out (a learner build after a trainer build, a page dropped): a server of the
    whole output folder (`python3 -m http.server --directory build`) went on serving them.
    Control: a rebuild that leaves no page out keeps the site it replaced."""
    out = tmp_path / "out"
    link = out / "en" / "_build" / "html"
    toc = minimal_course / "_toc.yml"
    settings = toc.read_text("utf-8")
    toc.write_text(
        settings.replace("modules/common/basics\n", "modules/common/basics\n      - file: modules/common/extra\n")
    )
    for lang in ("fr", "en"):
        (minimal_course / "modules" / "common" / f"extra.{lang}.md").write_text("# Extra\n\nA page.\n", "utf-8")
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    first = link.resolve()
    assert (first / "common" / "extra.html").is_file()
    toc.write_text(settings, "utf-8")
    for lang in ("fr", "en"):
        (minimal_course / "modules" / "common" / f"extra.{lang}.md").unlink()
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    second = link.resolve()
    assert second != first and not first.exists(), sorted(p.name for p in link.parent.glob("site-*"))
    assert not list(out.rglob("extra.html"))
    config = minimal_course / "_config.yml"
    config.write_text('copyright: "2027"\n' + config.read_text("utf-8"), "utf-8")
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert link.resolve() != second and (second / "index.html").is_file()  # kept: no page left out


def test_a_run_whose_coursegen_is_killed_publishes_nothing(minimal_course: Path, tmp_path: Path) -> None:
    """Only coursegen is killed, while it executes a notebook, not its Jupyter Book run:
    the run sees it, stops and publishes nothing; and so the fork server leaves too."""
    out, site, before = built_then_edited(minimal_course, tmp_path, "ORPHAN TEXT ZX")
    bank = minimal_course / "quizzes" / "police.yml"  # a notebook to execute: the run waits for it
    bank.write_text(bank.read_text("utf-8").replace("Does trafficking require", "ZX: does trafficking require"))
    args = [sys.executable, "-c", STUCK_RUN, "build", str(minimal_course), "--lang", "en", "--out", str(out)]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log = out / "en" / "_build" / "build.log"

    def at_the_notebook() -> bool:  # the new run (its log starts anew) waits for the notebook
        text = log.read_text("utf-8")
        return "build succeeded" not in text and "police/quiz-notebook" in text

    deadline = time.monotonic() + 60
    while not at_the_notebook() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert at_the_notebook(), "Jupyter Book never reached the notebook"
    process.kill()  # coursegen alone
    process.wait()
    deadline = time.monotonic() + 120
    while "coursegen stopped" not in log.read_text("utf-8") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "coursegen stopped before the notebooks were executed" in log.read_text("utf-8")
    assert files(site) == before
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out))
    assert result.returncode == 0, result.stdout
    assert "ORPHAN TEXT ZX" in (site / "common" / "basics.html").read_text("utf-8")


def test_a_quiz_edit_reaches_the_pages_and_is_not_read_again(minimal_course: Path, tmp_path: Path) -> None:
    """Jupyter Book starts while the edited bank's notebook is executed and reads it last:
    the quiz page and the notebook page both show the edit, the theme's files are not
    copied again, and the next build of an
    unrelated page does not read the notebook again (Sphinx took it as read after its
    execution, not before)."""
    out = tmp_path / "out"
    assert coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out)).returncode == 0
    site = out / "en" / "_build" / "html"
    scripts = {p.name: p.stat().st_ino for p in (site / "_static" / "scripts").iterdir()}
    bank = minimal_course / "quizzes" / "police.yml"
    bank.write_text(bank.read_text("utf-8").replace("Does trafficking require", "EDITED ZQ: does trafficking require"))
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "executed 1 quiz notebook(s)" in result.stdout
    # a new site was published, sharing the files Jupyter Book did not write again
    assert scripts and {p.name: p.stat().st_ino for p in (site / "_static" / "scripts").iterdir()} == scripts
    notebook_page = next(p for p in site.rglob("quiz-notebook.html") if "police" in p.parts)
    assert "EDITED ZQ" in notebook_page.read_text("utf-8")
    quiz_pages = [p for p in site.rglob("*.html") if "cg-quiz-data" in p.read_text("utf-8")]
    assert any("EDITED ZQ" in p.read_text("utf-8") for p in quiz_pages)
    read = documents_read(out / "en")
    assert read[-1] == "police/quiz-notebook" and len(read) > 1  # the notebook, after the quiz page
    page = minimal_course / "modules" / "common" / "basics.en.md"
    page.write_text(page.read_text("utf-8") + "\nANOTHER EDIT\n", "utf-8")
    again = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out))
    assert again.returncode == 0 and "executed" not in again.stdout
    assert documents_read(out / "en") == ["common/basics"]
    # its title unchanged: the other pages are as they were (the root's toctree holds it: Sphinx's own)
    assert documents_written(out / "en") == ["common/basics", "index"]
    page.write_text(page.read_text("utf-8").replace("# ", "# Retitled ZQ ", 1), "utf-8")
    assert coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out)).returncode == 0
    # every page shows its title: in the menu, in its neighbours' links
    assert {"police/recognise", "coverage"} < set(documents_written(out / "en"))


FAILING_RUN = """
import sys, time
from coursegen import cli, notebooks, publish

runs = []
start = publish.start

def recording_start(*args, **kwargs):
    runs.append(start(*args, **kwargs))
    return runs[-1]

def failing_execute(*args, **kwargs):
    time.sleep(1)  # Jupyter Book is running by now, waiting for this notebook
    raise RuntimeError("the kernel died")

publish.start, notebooks.execute = recording_start, failing_execute
status = cli.main(sys.argv[1:])
print("exit codes:", [run.process.exitcode for run in runs if run.process is not None])
sys.exit(status)
"""


LATE_FAILING_RUN = """
import sys, time
from pathlib import Path
from typing import Any
from coursegen import cli, notebooks

real = notebooks.execute
english_log = Path(sys.argv[-1]) / "en" / "_build" / "build.log"

def execute(nb, cwd, km, kc):
    if "/fr/" not in str(cwd) + "/":
        return real(nb, cwd, km, kc)
    deadline = time.monotonic() + 120  # the English run has its notebook: let it finish first
    while time.monotonic() < deadline:
        if english_log.exists() and "build succeeded" in english_log.read_text("utf-8"):
            break
        time.sleep(0.1)
    raise RuntimeError("the kernel died")

notebooks.execute = execute
sys.exit(cli.main(sys.argv[1:]))
"""


def test_a_notebook_failing_late_publishes_no_language(minimal_course: Path, tmp_path: Path) -> None:
    """The English notebook runs, and the English run of Jupyter Book succeeds; then the
    French notebook fails. No site is published: neither language's."""
    out = tmp_path / "out"
    assert coursegen("build", str(minimal_course), "--out", str(out)).returncode == 0
    before = {lang: files(out / lang / "_build" / "html") for lang in ("fr", "en")}
    (out / "en" / "_build" / "build.log").unlink()  # the next one is the new run's
    bank = minimal_course / "quizzes" / "police.yml"
    text = bank.read_text("utf-8").replace("franchir une frontière", "franchir ZQ une frontière")
    bank.write_text(text.replace("Does trafficking require", "ZQ: does trafficking require"), "utf-8")
    args = ["build", str(minimal_course), "--out", str(out)]
    failed = subprocess.run(
        [sys.executable, "-c", LATE_FAILING_RUN, *args], capture_output=True, text=True, timeout=300
    )
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "the kernel died" in failed.stderr
    log = (out / "en" / "_build" / "build.log").read_text("utf-8")
    assert "build succeeded" in log  # the English run did finish: only the wait kept it from publishing
    assert {lang: files(out / lang / "_build" / "html") for lang in ("fr", "en")} == before


def test_a_language_that_fails_leaves_the_other_unpublished_too(minimal_course: Path, tmp_path: Path) -> None:
    """Both pages are edited; Jupyter Book fails on the English one only (a heading that
    skips a level: `check` says so, the build hears it from Jupyter Book). The French site
    is built, but not published: the languages publish together, or not at all."""
    out = tmp_path / "out"
    assert coursegen("build", str(minimal_course), "--out", str(out)).returncode == 0
    before = {lang: files(out / lang / "_build" / "html") for lang in ("fr", "en")}
    for lang, text in (("fr", "\nUne phrase de plus.\n"), ("en", "\n#### Too deep\n")):
        page = minimal_course / "modules" / "common" / f"basics.{lang}.md"
        page.write_text(page.read_text("utf-8") + text, "utf-8")
    result = coursegen("build", str(minimal_course), "--out", str(out))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[fr] built, not published: the languages publish together" in result.stdout
    assert "[en] Jupyter Book failed" in result.stdout and "[heading-level]" in result.stderr
    assert {lang: files(out / lang / "_build" / "html") for lang in ("fr", "en")} == before
    assert not list((out / "fr" / "_build").glob(".site-*"))  # its copy for publication, not kept
    assert "build succeeded" in (out / "fr" / "_build" / "build.log").read_text("utf-8")


def test_a_run_killed_right_after_the_atomic_step_leaves_no_stamp_of_the_old_build(
    minimal_course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The published site's stamp names the build it is of: the same inputs again, and the
    build leaves it. A run killed between the new site's atomic step and its new stamp
    left the new site under the old build's stamp, which the old inputs' next build took
    for theirs, and kept the new site ("up to date"). Between the two, the stamp now names
    no build (killed here by an exception right after the step)."""
    from coursegen import publish

    out = tmp_path / "out"
    assert coursegen("build", str(minimal_course), "--out", str(out)).returncode == 0
    folder = out / "en"
    old = (folder / "_build" / publish.STAMP).read_text()
    assert publish._published(folder, old)  # control: the stamp of the site published
    staged = publish.stage(folder)
    real_replace = os.replace

    def killed_after(src: Any, dst: Any) -> None:
        real_replace(src, dst)
        raise KeyboardInterrupt  # as SIGKILL would stop it, before anything else is written

    monkeypatch.setattr(os, "replace", killed_after)
    with pytest.raises(KeyboardInterrupt):
        publish.switch(staged, "the new build's digest")
    assert (folder / "_build" / "html").resolve().name == staged.name  # the new site is published
    assert not publish._published(folder, old)  # and not taken for the old build's


def test_a_site_that_cannot_be_copied_for_publication_publishes_no_language(
    minimal_course: Path, tmp_path: Path
) -> None:
    """Both languages build, but the English site cannot be copied next to the published
    one (here a file stands where its copy goes; a full disk, or a folder that may not be
    written, fail at the same step). The terminal says why, and neither language is
    published: a French site of the new build next to the English of the old was what a
    full disk left. The next build, the obstacle gone, publishes both."""
    out = tmp_path / "out"
    assert coursegen("build", str(minimal_course), "--out", str(out)).returncode == 0
    before = {lang: files(out / lang / "_build" / "html") for lang in ("fr", "en")}
    for lang in ("fr", "en"):
        page = minimal_course / "modules" / "common" / f"basics.{lang}.md"
        page.write_text(page.read_text("utf-8") + "\nZQ une phrase de plus.\n", "utf-8")
    build = out / "en" / "_build"
    number = max(int(p.name.split("-")[1]) for p in build.glob("site-*"))
    obstacle = build / f".site-{number + 1}.tmp"
    obstacle.write_text("in the way", "utf-8")
    result = coursegen("build", str(minimal_course), "--out", str(out))
    said = result.stdout + result.stderr
    assert result.returncode == 1, said
    assert "the site could not be copied for publication (File exists" in result.stderr, said
    assert "[en] built, but not published: the previous site is unchanged" in result.stdout, said
    assert "[fr] built, not published: the languages publish together" in result.stdout, said
    assert "Traceback" not in said
    assert {lang: files(out / lang / "_build" / "html") for lang in ("fr", "en")} == before
    obstacle.unlink()
    assert coursegen("build", str(minimal_course), "--out", str(out)).returncode == 0
    for lang in ("fr", "en"):
        assert "ZQ" in (out / lang / "_build" / "html" / "common" / "basics.html").read_text("utf-8"), lang


def test_ctrl_c_as_a_language_publishes_leaves_both_on_the_same_build(minimal_course: Path, tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the command's process group) the moment a language's new site
    appears: both languages end on the new build. Before the languages published together,
    5 of 12 such builds left one language new and the other old. (The sites are copied
    for publication, as `.site-<n>.tmp`, before they are told to publish: a Ctrl-C then
    publishes neither; the new site's own name appears as a language publishes.)"""
    out = tmp_path / "out"
    assert coursegen("build", str(minimal_course), "--out", str(out)).returncode == 0
    exe = str(Path(sys.executable).with_name("coursegen"))
    for n in range(2):
        for lang in ("fr", "en"):
            page = minimal_course / "modules" / "common" / f"basics.{lang}.md"
            page.write_text(page.read_text("utf-8") + f"\nMARK{n}\n", "utf-8")
        before = {lang: set(os.listdir(out / lang / "_build")) for lang in ("fr", "en")}
        build = subprocess.Popen(
            [exe, "build", str(minimal_course), "--out", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        publishing = False
        while build.poll() is None and not publishing:
            for lang in ("fr", "en"):
                new = set(os.listdir(out / lang / "_build")) - before[lang]
                publishing = publishing or any(name.startswith(("site-", ".html.tmp")) for name in new)
        assert publishing, "the build ended before it was seen publishing"
        with contextlib.suppress(ProcessLookupError):
            os.killpg(build.pid, signal.SIGINT)
        build.wait(timeout=60)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the runs, told to publish, finish after coursegen
            shown = {
                lang: f"MARK{n}" in (out / lang / "_build" / "html" / "common" / "basics.html").read_text("utf-8")
                for lang in ("fr", "en")
            }
            if all(shown.values()):
                break
            time.sleep(0.1)
        assert shown == {"fr": True, "en": True}, (n, shown)


def test_a_french_only_edit_leaves_the_english_site_alone(minimal_course: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert coursegen("build", str(minimal_course), "--out", str(out)).returncode == 0
    english = files(out / "en" / "_build" / "html")
    bank = minimal_course / "quizzes" / "police.yml"
    bank.write_text(bank.read_text("utf-8").replace("Cochez les indices.", "Cochez les indices (FR ZQ)."))
    result = coursegen("build", str(minimal_course), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "executed 1 quiz notebook(s)" in result.stdout and "[en] the site is up to date" in result.stdout
    assert files(out / "en" / "_build" / "html") == english
    assert any("FR ZQ" in p.read_text("utf-8") for p in (out / "fr" / "_build" / "html").rglob("*.html"))


def test_a_failed_notebook_run_stops_jupyter_book(minimal_course: Path, tmp_path: Path) -> None:
    """Jupyter Book, started before the notebooks are executed, is stopped when their
    execution fails: the previous site stays, and the next build is whole."""
    out = tmp_path / "out"
    assert coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out)).returncode == 0
    site = out / "en" / "_build" / "html"
    before = files(site)
    bank = minimal_course / "quizzes" / "police.yml"
    bank.write_text(
        bank.read_text("utf-8").replace("Does trafficking require", "NEVER SHOWN ZQ: does trafficking require")
    )
    args = ["build", str(minimal_course), "--lang", "en", "--out", str(out)]
    failed = subprocess.run([sys.executable, "-c", FAILING_RUN, *args], capture_output=True, text=True, timeout=300)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    notebook = re.escape(str(out / "en")) + r"/\S+\.ipynb:1:1: "
    reason = re.escape("the notebook could not be run: RuntimeError: the kernel died [notebook-failed]")
    assert re.search(f"^{notebook}{reason}$", failed.stderr, re.M), failed.stderr
    assert "internal error" not in failed.stderr and "Traceback" not in failed.stderr
    codes = re.search(r"exit codes: \[(.*)\]", failed.stdout)
    assert codes and codes.group(1) and all(int(c) < 0 for c in codes.group(1).split(","))  # stopped by a signal
    assert files(site) == before
    assert coursegen(*args).returncode == 0
    notebook_page = next(p for p in site.rglob("quiz-notebook.html") if "police" in p.parts)
    assert "NEVER SHOWN ZQ" in notebook_page.read_text("utf-8")


SLOW_NOTEBOOKS = """
import sys, time
from coursegen import cli, notebooks

real, real_write_all = notebooks.execute, notebooks.write_all
cancels = []

def write_all(*args, **kwargs):
    cancels.append(args[4])  # the build's `cancel`, set once Ctrl-C is taken
    return real_write_all(*args, **kwargs)

def slow(*args, **kwargs):
    # Held until Ctrl-C has cancelled the build: a fixed sleep began before "building HTML"
    # is printed, and on a busy machine the build was over before the test's Ctrl-C.
    print("executing the notebook", flush=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not cancels[0].is_set():
        time.sleep(0.05)
    return real(*args, **kwargs)

notebooks.execute, notebooks.write_all = slow, write_all
sys.exit(cli.main(sys.argv[1:]))
"""


def test_ctrl_c_while_jupyter_book_waits_for_its_notebooks_ends_the_build(minimal_course: Path, tmp_path: Path) -> None:
    """Ctrl-C stops the Jupyter Book runs, which were waiting to be told that their
    notebooks are written; the notebook being executed is then written, and telling a run
    that was stopped must not block (a multiprocessing Event's `set` blocked for ever)."""
    out = tmp_path / "out"
    args = ["build", str(minimal_course), "--lang", "en", "--out", str(out)]
    assert coursegen(*args).returncode == 0
    site = out / "en" / "_build" / "html"
    before = files(site)
    bank = minimal_course / "quizzes" / "police.yml"
    bank.write_text(
        bank.read_text("utf-8").replace("Does trafficking require", "NEVER SHOWN ZQ: does trafficking require")
    )
    build = subprocess.Popen(
        [sys.executable, "-c", SLOW_NOTEBOOKS, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        assert build.stdout is not None
        awaited = {"building HTML", "executing the notebook"}
        for line in build.stdout:
            awaited -= {text for text in awaited if text in line}
            if not awaited:
                break
        time.sleep(1.5)  # the run has read the other pages and waits for the notebook
        build.send_signal(signal.SIGINT)
        assert build.wait(timeout=60) == 130, build.stdout.read()
    finally:
        build.kill()
        build.wait()
        assert build.stdout is not None
        build.stdout.close()
    assert files(site) == before


@pytest.mark.parametrize(("delay", "presses"), [(0.0, 1), (0.4, 1), (0.8, 1), (1.2, 1), (1.6, 1), (0.0, 3), (0.8, 3)])
def test_ctrl_c_during_a_scorm_export_leaves_no_site_behind(
    minimal_course: Path, tmp_path: Path, delay: float, presses: int
) -> None:
    """A SCORM export builds a site in a hidden folder of the output folder, then packages
    it: Ctrl-C meanwhile left that folder (2 MB) behind; now it goes with the export,
    quietly (a Jupyter Book run starting as it went printed Python's traceback), and the
    package of the export before stays as it was. Ctrl-C pressed three times at once too
    (the later presses interrupted the cleaning up, and left the folder and a traceback)."""
    out = tmp_path / "exports"
    args = ["export", "scorm", str(minimal_course), "--lang", "en", "--out", str(out)]
    assert coursegen(*args).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert list(before) == ["scorm-police-en.zip"]
    exe = Path(sys.executable).with_name("coursegen")
    export = subprocess.Popen([str(exe), *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert export.stdout is not None
        for line in export.stdout:
            if "building the site for the package" in line:
                break
        time.sleep(delay)
        for _ in range(presses):
            with contextlib.suppress(ProcessLookupError):
                export.send_signal(signal.SIGINT)
            time.sleep(0.02)
        code = export.wait(timeout=60)  # 0: on a fast machine, it ended first
        said = export.stdout.read()
    finally:
        export.kill()
        export.wait()
        assert export.stdout is not None
        export.stdout.close()
    for _ in range(100):  # a Jupyter Book run that was starting ends within moments
        if not any(p.name.startswith(".") for p in out.iterdir()):
            break
        time.sleep(0.1)
    assert code in (0, 130) and "Traceback" not in said and "Error" not in said, said
    if code == 130:
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    else:
        assert [p.name for p in out.iterdir()] == ["scorm-police-en.zip"]


def test_ctrl_c_inside_an_import_is_raised_once_it_is_done(monkeypatch: pytest.MonkeyPatch) -> None:
    """coursegen's Ctrl-C handler: KeyboardInterrupt, except inside Python's import machinery
    (where it can leave the import lock taken, and another importing thread waiting for
    ever); there, it comes back 10 ms later, through SIGALRM."""
    from coursegen import cli
    from coursegen.cli import _interrupted

    monkeypatch.setattr(cli, "_first_interrupt", None)  # no Ctrl-C before
    importing: dict[str, object] = {}
    exec(compile("import sys\nframe = sys._getframe()", "<frozen importlib._bootstrap>", "exec"), importing)
    previous = signal.signal(signal.SIGALRM, signal.SIG_IGN)
    try:
        _interrupted(signal.SIGINT, importing["frame"])  # type: ignore[arg-type]
        assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 0.01
        with pytest.raises(KeyboardInterrupt):
            _interrupted(signal.SIGALRM, sys._getframe())
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_ctrl_c_pressed_as_the_command_ends_changes_nothing(tmp_path: Path) -> None:
    """Ctrl-C pressed once the command has done its work and said so (here, as Python
    leaves) is ignored: it used to be raised there, or to kill the process once Python had
    put the system's handler back (status -2 for a SCORM export whose package was written,
    seen in CI)."""
    script = tmp_path / "ends.py"
    script.write_text(
        """import atexit, os, signal, time
from coursegen import cli

def done():
    print("wrote it")
    return 0

def press():
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.05)

cli.main = done
atexit.register(press)
cli.run(True)
"""
    )
    ran = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, "wrote it\n", "")


def test_ctrl_c_pressed_again_while_the_command_stops(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once Ctrl-C has been raised, the command is stopping (Jupyter Book and the kernels
    stopped, a SCORM export's site taken away): Ctrl-C pressed again at once is not taken
    (it interrupted that, and a build waited for ever for a run nothing stopped); pressed
    after the grace, it stops the command at once, with status 130."""
    from coursegen import cli

    monkeypatch.setattr(cli, "_first_interrupt", None)
    with pytest.raises(KeyboardInterrupt):
        cli._interrupted(signal.SIGINT, sys._getframe())
    assert cli._interrupted(signal.SIGINT, sys._getframe()) is None  # not taken
    assert cli._interrupted(signal.SIGALRM, sys._getframe()) is None

    def exit_now(code: int) -> None:
        raise SystemExit(code)

    monkeypatch.setattr(cli.os, "_exit", exit_now)
    monkeypatch.setattr(cli, "_first_interrupt", time.monotonic() - cli.GRACE - 1)
    with pytest.raises(SystemExit) as stopped:
        cli._interrupted(signal.SIGINT, sys._getframe())
    assert stopped.value.code == 130


CTRL_C_HANDLER = """
import signal, sys
signal.signal(signal.SIGINT, signal.SIG_IGN if sys.argv[1] == "ignored" else signal.default_int_handler)
from coursegen import cli, console
cli.main = lambda: print(getattr(signal.getsignal(signal.SIGINT), "__name__", "ignored")) or 0
(console.run if sys.argv[2] == "console" else cli.run)()
"""


@pytest.mark.parametrize("entry", ["console", "cli"])
@pytest.mark.parametrize(("given", "handler"), [("default", "_interrupted"), ("ignored", "ignored")])
def test_coursegen_runs_with_its_ctrl_c_handler(given: str, handler: str, entry: str) -> None:
    """Installed as coursegen starts, unless Ctrl-C is ignored (a command started in the
    background by a script), which stays so; by the `coursegen` command (console.py) and
    by `python -m coursegen.cli`."""
    args = [sys.executable, "-c", CTRL_C_HANDLER, given, entry]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout.strip()) == (0, handler), result.stderr


CTRL_C_WHILE_IMPORTING = """
import os, signal, sys

class CtrlC:  # Ctrl-C as Python starts to import the command's code
    def find_spec(self, name, path=None, target=None):
        if name == "coursegen.cli":
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, CtrlC())
if sys.argv[1] == "console":  # as the `coursegen` script does
    from coursegen.console import run
else:  # as it did before console.py
    from coursegen.cli import run
run()
"""


@pytest.mark.parametrize("entry", ["console", "cli"])
def test_ctrl_c_while_the_command_is_imported_is_quiet(entry: str) -> None:
    """The `coursegen` command takes Ctrl-C over before it imports its own code: a Ctrl-C
    then ends it as one later does, without Python's traceback. Imported as the script
    did before, the same Ctrl-C shows one: the test tells the two apart."""
    args = [sys.executable, "-c", CTRL_C_WHILE_IMPORTING, entry]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60)
    if entry == "console":
        assert (result.returncode, result.stdout, result.stderr) == (130, "", "coursegen: interrupted\n")
    else:
        assert "Traceback" in result.stderr and "KeyboardInterrupt" in result.stderr


INTERRUPTED_PRELOAD = """
import os, signal, sys, threading
started = signal.SIG_IGN if sys.argv[1] == "ignored" else signal.default_int_handler
signal.signal(signal.SIGINT, started)
threading.Timer(0.1, os.kill, (os.getpid(), signal.SIGINT)).start()  # Ctrl-C, 0.1 s in
import coursegen._preload
print(signal.getsignal(signal.SIGINT) is started)
"""


def test_ctrl_c_while_the_fork_server_imports_jupyter_book_is_silent() -> None:
    """Ctrl-C reaches the fork server too, which imports Jupyter Book for half a second or
    more: it goes on, without a traceback under coursegen's "interrupted", and afterwards
    its runs get Ctrl-C as usual."""
    for started in ("default", "ignored"):  # and a server started with Ctrl-C ignored keeps it so
        args = [sys.executable, "-c", INTERRUPTED_PRELOAD, started]
        result = subprocess.run(args, capture_output=True, text=True, timeout=120)
        assert "Traceback" not in result.stderr and "KeyboardInterrupt" not in result.stderr, result.stderr
        assert (result.returncode, result.stdout.strip()) == (0, "True")


INTERRUPTED_SERVER = """
import os, signal, time
signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
from multiprocessing import forkserver
from coursegen import sphinxrun
sphinxrun.warm()
os.kill(forkserver._forkserver._forkserver_pid, signal.SIGINT)  # Ctrl-C as it starts
process = sphinxrun.context().Process(target=time.sleep, args=(0,))
process.start()
process.join()
print(process.exitcode)
"""


def test_ctrl_c_as_the_fork_server_starts_is_silent() -> None:
    """The same, the fork server being interrupted as soon as it is started, before it
    imports anything of coursegen's: no traceback, and it serves its runs."""
    result = subprocess.run([sys.executable, "-c", INTERRUPTED_SERVER], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr and "KeyboardInterrupt" not in result.stderr, result.stderr
    assert (result.returncode, result.stdout.strip()) == (0, "0")


PRELOADED = """
import sys
from coursegen import sphinxrun
if sys.argv[1] == "whole":
    sphinxrun.DEFERRED = ()
sphinxrun.preload()
from myst_nb.core.execute import cache
print("sqlalchemy" in sys.modules, "jupyter_client" in sys.modules, "requests" in sys.modules, type(cache.single_nb_execution).__name__)
import jupyter_cache.executors.utils as real
print(getattr(cache.single_nb_execution, "real", lambda: None)() is real.single_nb_execution)
"""


def test_the_fork_server_defers_what_jupyter_books_execution_would_use() -> None:
    """The preload leaves SQLAlchemy (jupyter-cache's), jupyter_client and Requests (the
    theme's and intersphinx's) out; MyST-NB's names from jupyter-cache are stand-ins that
    give the real code once used. The control, without stand-ins, does import them: the
    check can fail."""
    deferred = subprocess.run([sys.executable, "-c", PRELOADED, "deferred"], capture_output=True, text=True)
    assert deferred.returncode == 0, deferred.stderr
    assert deferred.stdout.split() == ["False", "False", "False", "StandIn", "True"]
    whole = subprocess.run([sys.executable, "-c", PRELOADED, "whole"], capture_output=True, text=True)
    assert whole.returncode == 0, whole.stderr
    assert whole.stdout.split()[:4] == ["True", "True", "True", "function"]


RUN_AFTER_PRELOAD = """
import gc, os, sys
from coursegen import sphinxrun
sphinxrun.preload()
gc.freeze()
before = set(sys.modules)
from jupyter_book.cli.main import main
book, work = sys.argv[1:]
try:
    main(["build", book, "-W", "-n", "--keep-going", "--path-output", work], prog_name="jupyter-book")
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
print("imported by the run:", *sorted(set(sys.modules) - before))
"""


def test_a_run_imports_nothing_the_fork_server_has_not(minimal_site: Path, tmp_path: Path) -> None:
    """A module that a Jupyter Book run imports itself is imported again by every run; the
    fork server imports them all once (but for a codec that costs nothing)."""
    book = tmp_path / "en"
    shutil.copytree(minimal_site / "en", book, ignore=shutil.ignore_patterns("_build", ".work"))
    args = [str(book), str(tmp_path / "work")]
    result = subprocess.run([sys.executable, "-c", RUN_AFTER_PRELOAD, *args], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    found = re.search(r"^imported by the run:(.*)$", result.stdout, re.M)
    assert found, result.stdout[-3000:]
    imported = set(found.group(1).split())
    assert imported <= {"encodings.utf_8_sig"}, sorted(imported)


@pytest.mark.parametrize(("mode", "said"), [("cache", "Cached executed notebook"), ("inline", "Executed notebook in")])
def test_jupyter_books_own_execution_still_works(minimal_course: Path, tmp_path: Path, mode: str, said: str) -> None:
    """A course that turns Jupyter Book's own execution on: MyST-NB runs its notebook
    through jupyter-cache ("cache") or nbclient ("inline"), whose modules were stood in
    for in the fork server."""
    config = minimal_course / "_config.yml"
    config.write_text(config.read_text("utf-8").replace('execute_notebooks: "off"', f'execute_notebooks: "{mode}"'))
    out = tmp_path / "out"
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    log = (out / "en" / "_build" / "build.log").read_text("utf-8")
    assert said in log


def test_bad_input_writes_nothing(minimal_course: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert coursegen("build", str(minimal_course), "--out", str(out)).returncode == 0
    before = files(out)
    (minimal_course / "sources" / "sdgs.yml").write_text("goals: [\n")
    result = coursegen("build", str(minimal_course), "--out", str(out))
    assert result.returncode == 1 and "[yaml-syntax]" in result.stderr and "Traceback" not in result.stderr
    assert files(out) == before


# --- offline --------------------------------------------------------------------------------

LOADING = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "embed": "src",
    "object": "data",
    "link": "href",
}
LINK_RELS = {"stylesheet", "preload", "modulepreload", "icon", "prefetch", "preconnect", "dns-prefetch", "manifest"}
EXTERNAL = re.compile(r"^(https?:)?//", re.I)
URL = r"https?://[^\"' ]+"
MORE_LOADS = ("srcset", "poster", "background", "xlink:href")
"""Attributes that load too, on any element (`srcset` lists several addresses)."""
NAMED_IN_SCRIPTS = {
    # (file, address): an address a script names without loading it
    ("_static/translations.js", "https://www.sphinx-doc.org/"),  # the "made with Sphinx" link's text
    ("_static/sphinx_highlight.js", "http://www.w3.org/"),  # SVG's namespace
    ("_static/searchtools.js", "https://developer.mozilla.org/"),  # a comment
    ("_static/scripts/pydata-sphinx-theme.js", "https://pydata-sphinx-theme.readthedocs.io/"),  # an error message
}
SCRIPT_ADDRESS = re.compile(r"(?:https?:)?//[a-z0-9-]+(?:\.[a-z0-9-]+)+/", re.I)


class _Loads(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.local: list[str] = []  # what the page loads from the site itself
        self.in_code = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        attr = LOADING.get(tag)
        if tag == "link" and not LINK_RELS & set((values.get("rel") or "").split()):
            attr = None
        if attr and EXTERNAL.match(values.get(attr) or ""):
            self.found.append(f"<{tag} {attr}={values.get(attr)}>")
        elif attr and values.get(attr) and not re.match(r"^(data|blob|about|javascript):", values[attr] or ""):
            self.local.append(values[attr] or "")
        for name in MORE_LOADS:
            for candidate in re.split(r",\s*", values.get(name) or ""):
                if EXTERNAL.match(candidate.strip()):
                    self.found.append(f"<{tag} {name}={candidate.strip()}>")
        if tag in ("script", "style") and not values.get("src"):
            self.in_code = "data" if (values.get("type") or "").lower() == "application/json" else tag

    def handle_endtag(self, tag: str) -> None:
        self.in_code = ""

    def handle_data(self, data: str) -> None:
        if self.in_code == "script" and re.search(r"https?://(?!www\.w3\.org)", data):
            match = re.search(URL, data)
            self.found.append("inline script: " + (match.group(0) if match else "?"))
        if self.in_code == "style" and re.search(r"url\(\s*['\"]?(https?:)?//|@import", data):
            self.found.append("inline style load")


def _pages_and_sheets(site: Path) -> Iterator[tuple[Path, str, _Loads | None, str]]:
    """Each HTML page (parsed) and style sheet (its text) of the site, with its relative name."""
    for path in site.rglob("*"):
        rel = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            parser = _Loads()
            parser.feed(path.read_text("utf-8", errors="replace"))
            yield path, rel, parser, ""
        elif path.suffix == ".css":
            yield path, rel, None, path.read_text("utf-8", errors="replace")


def external_loads(site: Path) -> list[str]:
    """Every external load in the built HTML, CSS and JS (not plain <a> links)."""
    found = [f"{p.relative_to(site).as_posix()}: thebe" for p in site.rglob("*.js") if "thebe" in p.name.lower()]
    for script in site.rglob("*.js"):  # any other site a script names: a load, unless known not to be
        rel = script.relative_to(site).as_posix()
        for address in SCRIPT_ADDRESS.findall(script.read_text("utf-8", errors="replace")):
            if (rel, address) not in NAMED_IN_SCRIPTS:
                found.append(f"{rel}: {address}")
    for _, rel, parser, text in _pages_and_sheets(site):
        if parser is not None:
            found += [f"{rel}: {f}" for f in parser.found]
            continue
        for m in re.finditer(
            r"url\(\s*['\"]?((https?:)?//[^)'\"]+)|@import\s+(url\()?['\"]?((https?:)?//[^'\");]+)", text
        ):
            found.append(f"{rel}: {m.group(0)[:80]}")
    return found


def missing_local_loads(site: Path) -> list[str]:
    """Every file that a page, or a style sheet, loads from the site and that the site lacks."""
    missing = []
    for path, rel, parser, text in _pages_and_sheets(site):
        if parser is not None:
            refs = parser.local
        else:
            refs = [m.group(1) for m in re.finditer(r"url\(\s*['\"]?([^)'\"]+)", text)]
            refs = [r for r in refs if not EXTERNAL.match(r) and not r.startswith(("data:", "#"))]
        for ref in refs:
            target = unquote(ref.split("#")[0].split("?")[0])
            where = site / target.lstrip("/") if target.startswith("/") else path.parent / target
            if target and not where.exists():
                missing.append(f"{rel}: {ref}")
    return missing


def test_static_check_finds_no_external_load(site: Path) -> None:
    for lang in ("fr", "en"):
        html = site / lang / "_build" / "html"
        assert len(list(html.rglob("*.html"))) > 20 and len(list(html.rglob("*.js"))) > 5, lang
        assert external_loads(html) == []


def test_every_file_a_page_loads_is_published(site: Path) -> None:
    """The published site leaves out what no page loads (source maps, the theme's
    translations), and nothing that a page or a style sheet loads."""
    for lang in ("fr", "en"):
        html = site / lang / "_build" / "html"
        assert missing_local_loads(html) == []
        work = site / lang / ".work" / "_build" / "html"
        assert list(work.glob("_static/**/*.map")) and (work / "_static" / "locales").is_dir()  # what Sphinx wrote
        assert not list(html.rglob("*.map")) and not (html / "_static" / "locales").exists()
        # Sphinx's stemmers (written into language_data.js), the launch buttons' logos, the LMS's script
        assert list(work.glob("_static/images/logo_*")) and not list(html.glob("_static/images/logo_*"))
        assert not list(html.glob("_static/*-stemmer.js")) and not list(html.rglob("coursegen-scorm.js"))
    assert list((site / "fr" / ".work" / "_build" / "html").glob("_static/*-stemmer.js"))


def test_every_page_names_the_icon_its_tab_shows(site: Path) -> None:
    """A page that names no icon has the browser ask its server for `/favicon.ico`, which
    no site holds: one "not found" per visit, which the browser checks cannot see
    (Playwright does not report the browser's own request for the icon). The icon itself is checked by `missing_local_loads`."""
    pages = 0
    for lang in ("fr", "en"):
        html = site / lang / "_build" / "html"
        for page in html.rglob("*.html"):
            if "_static" not in page.parts:
                assert '<link rel="icon" href="' in page.read_text("utf-8"), page
                pages += 1
    assert pages > 40


def test_only_the_search_page_loads_the_search_index(site: Path) -> None:
    """The theme loads Sphinx's search scripts and the whole search index (120 KB in
    French) on every page, for a search-as-you-type that our books turn off: only the
    search page, which uses them, loads them now."""
    for lang in ("fr", "en"):
        html = site / lang / "_build" / "html"
        pages = [p for p in html.rglob("*.html") if "_static" not in p.parts]
        loading = {p.relative_to(html).as_posix() for p in pages if "searchindex.js" in p.read_text("utf-8")}
        assert loading == {"search.html"}, lang
        assert "searchtools.js" in (html / "search.html").read_text("utf-8")


def test_only_the_notebooks_load_myst_nbs_style_sheet(site: Path) -> None:
    """MyST-NB's style sheet (43 KB) styles notebooks' cells: the other pages, which look
    the same without it (compared pixel by pixel), no longer load it."""
    for lang in ("fr", "en"):
        html = site / lang / "_build" / "html"
        pages = [p for p in html.rglob("*.html") if "_static" not in p.parts]
        loading = {p.relative_to(html).as_posix() for p in pages if "_static/mystnb." in p.read_text("utf-8")}
        assert loading and loading == {p for p in map(str, loading) if p.endswith("quiz-notebook.html")}, lang
        assert len(loading) == len(list(html.glob("*/quiz-notebook.html")))


def test_only_the_themes_unread_files_are_left_out(tmp_path: Path) -> None:
    """A book's own static files stay, even where their names look like the themes'."""
    from coursegen import publish

    folder = tmp_path / "en"  # a language's folder: the output folder is tmp_path, not pytest's own
    work = folder / publish.WORK / "_build" / "html"
    own = [
        "index.html",
        "_static/locales/fr.json",
        "_static/maps/region.map",
        "_static/own/webpack-macros.html",
        "_static/images/logo_colab.png",  # the theme's, but a page shows it (a launch button)
        "_static/own/french-stemmer.js",
    ]
    themes = [
        "_static/scripts/fontawesome.js",
        "_static/locales/fr/LC_MESSAGES/booktheme.mo",
        "_static/styles/pydata-sphinx-theme.css.map",
        "_static/webpack-macros.html",
        "_static/images/logo_binder.svg",
        "_static/french-stemmer.js",
        "_static/base-stemmer.js",
    ]
    for rel in own + themes:
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        (work / rel).write_text(rel)
    (work / "index.html").write_text('<img src="_static/images/logo_colab.png" alt="Colab">')
    site = publish.publish(folder, "stamp")
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == sorted(own)


def test_missing_local_loads_can_fail(tmp_path: Path) -> None:
    (tmp_path / "x.js").write_text("")
    (tmp_path / "a.html").write_text(
        '<html><head><script src="x.js?v=1"></script><script src="gone.js"></script>'
        '<link rel="stylesheet" href="b.css"></head><body><a href="nowhere.html">links are not loads</a></body></html>'
    )
    (tmp_path / "b.css").write_text("@font-face { src: url(fonts/f.woff2) format('woff2'), url(data:x) }")
    assert missing_local_loads(tmp_path) == ["a.html: gone.js", "b.css: fonts/f.woff2"]


def test_static_check_can_fail(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        '<html><head><script src="https://cdn.example.org/x.js"></script>'
        '<link rel="stylesheet" href="//fonts.example.org/f.css"><style>@import url(https://x.org/y.css);</style></head>'
        '<body><a href="https://example.org/">a plain link is fine</a><img src="http://x.org/i.png"></body></html>'
    )
    (tmp_path / "b.css").write_text("body { background: url(https://x.org/bg.png) }")
    before = external_loads(tmp_path)
    assert len(before) == 5
    (tmp_path / "c.html").write_text(
        '<script>fetch("https://t.example.org/hit", {headers: {"Accept": "application/json"}})</script>'
        '<script type="application/json">{"see": "https://example.org/"}</script>'
        '<img src="a.png" srcset="a.png 1x, https://cdn.example.org/big.png 2x"><video poster="//x.org/p.jpg"></video>'
    )
    (tmp_path / "d.js").write_text('document.onclick = () => fetch("https://cdn.example.org/lazy.json");')
    # a fetch in a script that speaks of JSON; a srcset's second picture; a poster; a script file
    assert sorted(set(external_loads(tmp_path)) - set(before)) == [
        "c.html: <img srcset=https://cdn.example.org/big.png 2x>",
        "c.html: <video poster=//x.org/p.jpg>",
        "c.html: inline script: https://t.example.org/hit",
        "d.js: https://cdn.example.org/",
    ]


def test_the_icon_font_holds_every_icon_the_site_shows(site: Path) -> None:
    """The site ships Font Awesome's solid font cut to the icons the theme shows
    (tools/iconfont.py): a few KB, where the theme's is 157 KB, more than half of a phone's
    first visit. Every icon that a page or script of the site names by its class, and that
    the theme's styles show, is in it. Control: an icon it lacks (`fa-car`) is told."""
    sys.path.insert(0, str(ROOT / "tools"))
    import iconfont
    from fontTools.ttLib import TTFont

    static = site / "fr" / "_build" / "html" / "_static"
    shipped = static / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2"
    held = set(TTFont(shipped).getBestCmap())
    solid = set(TTFont(iconfont.FONT).getBestCmap())  # the theme's whole font: a brand's icon is in another
    css = sorted((static / "styles").glob("*.css"))
    texts = [p.read_text("utf-8", "replace") for p in sorted(site.rglob("*")) if p.suffix in (".html", ".js")]
    _, shown = iconfont.theme_icons(css, texts)
    assert len(shown & solid) > 20 and shipped.stat().st_size < 10_000, (len(shown), shipped.stat().st_size)
    assert shown & solid <= held, sorted(hex(c) for c in (shown & solid) - held)
    _, more = iconfont.theme_icons(css, [*texts, '<i class="fa-solid fa-car"></i>'])
    assert {hex(c) for c in (more & solid) - held} == {"0xf1b9"}


@pytest.mark.browser
def test_every_page_loads_with_no_offsite_request(site: Path) -> None:
    offsite: list[str] = []
    pages = 0
    with browser() as b, serve(site) as url:
        page = new_page(b, offsite)
        for lang in ("fr", "en"):
            html = site / lang / "_build" / "html"
            for path in sorted(html.rglob("*.html")):
                page.goto(f"{url}/{lang}/_build/html/{path.relative_to(html).as_posix()}", wait_until="networkidle")
                pages += 1
        assert not page.js_errors  # type: ignore[attr-defined]
        assert not page.missing  # type: ignore[attr-defined]
    assert pages > 40
    assert offsite == []


@pytest.mark.browser
def test_an_offsite_request_is_recorded(site: Path) -> None:
    """The check above can fail: what a page asks of another host is recorded (and never
    sent), a host whose name begins as this machine's address too; the site's own server
    is not."""
    offsite: list[str] = []
    with browser() as b, serve(site) as url:
        page = new_page(b, offsite)
        page.goto(f"{url}/en/_build/html/index.html", wait_until="networkidle")
        page.evaluate(
            """async (own) => {
                for (const address of [own, "http://127.0.0.1.example.com/a.png", "https://example.org/b.js"]) {
                    try { await fetch(address); } catch (e) {}
                }
            }""",
            f"{url}/en/_build/html/index.html",
        )
    assert offsite == ["http://127.0.0.1.example.com/a.png", "https://example.org/b.js"]


ICONS = """async () => {
    await document.fonts.ready;
    const icons = [...document.querySelectorAll("i.fa-magnifying-glass")];
    const icon = icons.find(i => i.getBoundingClientRect().width > 0) || icons[0];  // one is on screen
    const glyph = getComputedStyle(icon, "::before");
    const face = [...document.fonts].find(f => f.family.includes("Font Awesome 6 Free") && f.weight === "900");
    return {
        content: glyph.content, font: glyph.fontFamily, width: icon.getBoundingClientRect().width,
        face: face ? face.status : "none", svg: document.querySelectorAll("svg.svg-inline--fa").length,
    };
}"""


@pytest.mark.browser
def test_icons_are_drawn_without_font_awesomes_script(site: Path) -> None:
    """No page loads Font Awesome's 1.5 MB script: the theme's icons are drawn by its
    style sheet, with the web font, which the site holds."""
    html = site / "fr" / "_build" / "html"
    assert not [p for p in html.rglob("*.html") if "fontawesome.js" in p.read_text("utf-8")]
    with browser() as b, serve(site) as url:
        page = new_page(b, [])
        page.goto(f"{url}/fr/_build/html/police/recognise.html", wait_until="networkidle")
        drawn = page.evaluate(ICONS)
    assert drawn["content"] not in ("", "none", "normal") and "Font Awesome 6 Free" in drawn["font"], drawn
    assert drawn["width"] > 0 and drawn["face"] == "loaded" and drawn["svg"] == 0, drawn


@pytest.mark.browser
def test_the_browser_check_sees_a_missing_file(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text('<html><head><script src="gone.js"></script></head><body>a</body></html>')
    with browser() as b, serve(tmp_path) as url:
        page = new_page(b, [])
        page.goto(f"{url}/a.html", wait_until="networkidle")
        assert page.missing == [f"{url}/gone.js"]  # type: ignore[attr-defined]


FINISHED = "() => /\\d/.test(document.querySelector('#search-results p.search-summary')?.innerText || '')"


# --- hostile text -----------------------------------------------------------------------------


def built_page(course: Path, out: Path) -> str:
    """The address of the police page of `course`'s English site, built into `out`."""
    result = coursegen("build", str(course), "--lang", "en", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return (out / "en" / "_build" / "html" / "police" / "recognise.html").as_uri()


@pytest.mark.browser
def test_script_in_a_question_is_shown_not_run(minimal_course: Path, tmp_path: Path) -> None:
    bank = minimal_course / "quizzes" / "police.yml"
    text = bank.read_text("utf-8").replace(
        'en: "Does trafficking require crossing a border?"',
        'en: "<!--<script>window.pwned = 1</script><b>bold?</b> & more"',
    )
    bank.write_text(text, "utf-8")
    page_md = minimal_course / "sources" / "actions.yml"
    page_md.write_text(
        page_md.read_text("utf-8").replace(
            'en: "for victims"', 'en: "for <img src=x onerror=window.pwned2=1> victims"'
        ),
        "utf-8",
    )
    with browser() as b:
        page = new_page(b, [])
        page.goto(built_page(minimal_course, tmp_path / "out"))
        assert page.evaluate("window.pwned === undefined && window.pwned2 === undefined")
        assert "<!--<script>window.pwned = 1</script><b>bold?</b> & more" in page.inner_text("#cgq-t-single legend")
        assert "<img src=x onerror=window.pwned2=1> victims" in page.inner_text("article")
        # the page's quiz still works: its data was read whole (`<!--<script>` in a JSON
        # script element made the browser read past its end, and no question was graded)
        answer(page, "t-single", "single", "b")
        page.click("#cgq-t-single button.cg-check")
        assert "1 / 1" in verdict(page, "t-single")
        assert not page.js_errors  # type: ignore[attr-defined]


@pytest.mark.browser
def test_a_question_texts_own_line_breaks_are_shown(minimal_course: Path, tmp_path: Path) -> None:
    """A prompt written over several lines (a `|` text: facts listed, then the question) and
    a case study's paragraphs keep their line breaks in the site, as in the notebook and
    GIFT: HTML joined them into one run of text ("Read the facts: - passport kept - …")."""
    bank = minimal_course / "quizzes" / "police.yml"
    text = bank.read_text("utf-8")
    prompt = 'en: "Does trafficking require crossing a border?"'
    case = 'en: "A minibus is stopped at dawn."'
    assert prompt in text and case in text
    bank.write_text(
        text.replace(
            prompt, 'en: "Read the facts:\\n- passport kept\\n- wages paid late\\n\\nIs it trafficking?"'
        ).replace(case, 'en: "A minibus is stopped at dawn.\\n\\nNine people are inside."'),
        "utf-8",
    )
    with browser() as b:
        page = new_page(b, [])
        page.goto(built_page(minimal_course, tmp_path / "out"))
        shown = page.inner_text("#cgq-t-single .cg-prompt")
        assert shown.split("\n") == [
            "Read the facts:",
            "- passport kept",
            "- wages paid late",
            "",
            "Is it trafficking?",
        ]
        assert page.inner_text(".cg-case").split("\n") == [
            "A minibus is stopped at dawn.",
            "",
            "Nine people are inside.",
        ]


@pytest.mark.browser
def test_titles_from_yaml_are_shown_not_run(minimal_course: Path, tmp_path: Path) -> None:
    """The course's title, an audience's, a scenario's title and case come from YAML and
    become the book's title, headings (in the quiz notebook, the coverage matrix) and
    search entries: shown as written, never run, wherever the theme or the search page
    writes them (they ran in the notebook's page, its printed title, the navigation bar,
    the coverage table and the search results)."""
    config = minimal_course / "_config.yml"
    hostile = {n: f"<img src=x onerror=window.pwned{n}=1> & **b**" for n in range(1, 5)}
    config.write_text(
        config.read_text("utf-8")
        .replace('en: "Minimal course"', f'en: "Course {hostile[1]}"')
        .replace(
            '      title: {fr: "Police", en: "Police"}', f'      title: {{fr: "Police", en: "Police {hostile[2]}"}}'
        ),
        "utf-8",
    )
    bank = minimal_course / "quizzes" / "police.yml"
    bank.write_text(
        bank.read_text("utf-8")
        .replace('en: "The minibus"', f'en: "Minibus {hostile[3]}"')
        .replace('en: "A minibus is stopped at dawn."', f'en: "1. {hostile[4]}"'),
        "utf-8",
    )
    assert all(hostile[n] in config.read_text("utf-8") + bank.read_text("utf-8") for n in hostile)
    out = tmp_path / "out"
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    ran = "[1, 2, 3, 4].filter(n => window['pwned' + n] !== undefined)"
    with browser() as b, serve(out) as url:
        page = new_page(b, [])
        for name in ("police/quiz-notebook", "coverage", "index"):
            page.goto(f"{url}/en/_build/html/{name}.html")
            assert page.evaluate(ran) == [], name
        page.goto(f"{url}/en/_build/html/police/quiz-notebook.html")
        shown = page.inner_text("article")
        plain = hostile  # shown as the quiz shows them: no emphasis read either (`**b**` was bold)
        assert f"Minibus {plain[3]}" in shown and f"1. {plain[4]}" in shown
        assert f"Police {plain[2]}" in shown
        assert f"Course {hostile[1]}" in page.inner_text(".navbar-brand")  # the book's title: text
        assert page.title().endswith(f"\u2014 Course {hostile[1]}")  # escaped once (it was twice: "&amp;")
        # the search page writes every title it finds with innerHTML
        page.goto(f"{url}/en/_build/html/search.html?q=minibus")
        page.wait_for_function(FINISHED)
        assert page.title() == f"Search - Course {hostile[1]}"
        titles = page.evaluate("Object.keys(Search._index.alltitles)")
        scenario = next(t for t in titles if t.startswith("Minibus"))
        assert scenario == f"Minibus {plain[3]}".replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        search = "t => { document.getElementById('search-results').replaceChildren(); Search.performSearch(t) }"
        for title in titles:  # each title, found and shown
            page.evaluate(search, title)
            page.wait_for_function(FINISHED)
            assert page.evaluate(ran) == [], title
        page.evaluate(search, scenario)
        page.wait_for_function(FINISHED)
        assert f"Minibus {plain[3]}" in page.inner_text("#search-results")
        assert page.evaluate(ran) == [] and not page.js_errors  # type: ignore[attr-defined]


# --- loaders never fail with anything but diagnostics ---------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_loaders_survive_any_file(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    course = tmp_path_factory.mktemp("fuzz") / "course"
    shutil.copytree(FIXTURES / "minimal", course)
    for rel in ("sources/actions.yml", "quizzes/police.yml", "_toc.yml"):
        (course / rel).write_bytes(data)
        loaded, problems = load_course(course)
        assert loaded is not None or problems
        assert all(isinstance(p.code, Code) for p in problems)
        (course / rel).write_bytes((FIXTURES / "minimal" / rel).read_bytes())


_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "a", "b", "x y", "action:z", "police"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["id", "en", "fr", "text"]), inner),
    max_leaves=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_checks_survive_any_change_to_a_question(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    """A value anywhere in a question replaced by any other, or a key removed: loading and
    every check end with diagnostics, never an exception (the checks also read the parts
    of a question that its schema rejects elsewhere, see validation._questions)."""
    import yaml

    from coursegen.validation import validate

    course = tmp_path_factory.mktemp("fuzz") / "course"
    shutil.copytree(FIXTURES / "minimal", course)
    bank = yaml.safe_load((course / "quizzes" / "police.yml").read_text("utf-8"))
    for _ in range(data.draw(st.integers(1, 3), label="changes")):
        node: Any = bank["items"][data.draw(st.integers(0, len(bank["items"]) - 1), label="item")]
        while True:  # down to a random place in the question
            keys = list(node) if isinstance(node, dict) else list(range(len(node))) if isinstance(node, list) else []
            if not keys:
                break
            key = data.draw(st.sampled_from(keys), label="key")
            child = node[key]
            if not isinstance(child, dict | list) or data.draw(st.booleans(), label="stop here"):
                if isinstance(node, dict) and data.draw(st.booleans(), label="remove"):
                    del node[key]
                else:
                    node[key] = data.draw(_VALUES, label="value")
                break
            node = child
    (course / "quizzes" / "police.yml").write_text(yaml.safe_dump(bank, allow_unicode=True), "utf-8")
    loaded, problems = load_course(course)
    if loaded is not None:
        problems += validate(loaded)
    assert all(isinstance(p.code, Code) for p in problems)


def test_a_page_no_longer_built_is_no_longer_published(minimal_course: Path, tmp_path: Path) -> None:
    """A page that the last build had and this one does not (another edition, fewer
    audiences, a page taken out) is not in the published site: Sphinx leaves its HTML in
    its output, which was published with the rest (the trainer's guide in a learner site).
    The pages kept are the same as built clean."""
    out = tmp_path / "out"
    assert coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out)).returncode == 0
    site = out / "en" / "_build" / "html"
    assert (site / "common" / "basics.html").is_file()
    toc = minimal_course / "_toc.yml"
    toc.write_text(toc.read_text("utf-8").replace("      - file: modules/common/basics\n", ""), "utf-8")
    toc.write_text(
        toc.read_text("utf-8").replace('  - caption: {fr: "Commun", en: "Common"}\n    chapters:\n', ""), "utf-8"
    )
    for page in (minimal_course / "modules" / "common").glob("basics.*.md"):
        page.unlink()
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (site / "common" / "basics.html").exists()
    assert not list(site.glob("_sources/common/basics*"))
    clean = tmp_path / "clean"
    assert coursegen("build", str(minimal_course), "--lang", "en", "--out", str(clean)).returncode == 0
    published = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert published == {
        p.relative_to(clean / "en" / "_build" / "html").as_posix()
        for p in (clean / "en" / "_build" / "html").rglob("*")
        if p.is_file()
    }


def test_sphinx_reads_every_page_again_after_a_new_release(minimal_site: Path, tmp_path: Path) -> None:
    """What coursegen puts into pages (the quiz's HTML, its templates and assets) makes the
    version of its Sphinx extension's environment: a release that changes any of it makes
    Sphinx read and write every page again. It read only the changed pages, and the others
    kept the quiz HTML of the release before, next to the new quiz script (whose "Download
    my results" then failed on them)."""
    import pickle

    from coursegen import publish, sphinxext

    with (minimal_site / "en" / ".work" / "_build" / ".doctrees" / "environment.pickle").open("rb") as env:
        stored = pickle.load(env)  # noqa: S301 - written by this test session's build
    assert stored.version["coursegen.sphinxext"] == sphinxext.env_version() == int(publish.own_digest()[:8], 16)
    package = Path(sphinxext.__file__).parent
    copy = tmp_path / "coursegen"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert publish.own_digest(copy) == publish.own_digest()
    digests = set()
    for changed in ("quizhtml.py", "static/coursegen-quiz.js", "sphinx_templates/layout.html"):
        (copy / changed).write_text((package / changed).read_text("utf-8") + "\n", "utf-8")
        publish.own_digest.cache_clear()  # computed once per folder
        digests.add(publish.own_digest(copy))
    assert len(digests) == 3 and publish.own_digest() not in digests


def test_plain_text_stays_plain_text(minimal_course: Path, tmp_path: Path) -> None:
    """Dollar amounts are not a formula (MyST's `dollarmath`: the site, offline, showed
    "\\(500 for the visa and \\)"), a file's name is not a web site ("notes.md" linked to
    http://notes.md), and braces kept from Jinja with {% raw %} are shown (MyST's own
    substitutions read them again, and the build failed)."""
    page = minimal_course / "modules" / "common" / "basics.en.md"
    page.write_text(
        page.read_text("utf-8") + "\nThe recruiter charged $500 for the visa and $300 for the flight. "
        "Open notes.md, or https://www.ilo.org.\n\nBraces: {% raw %}{{ name }}{% endraw %}.\n",
        "utf-8",
    )
    out = tmp_path / "out"
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    html = (out / "en" / "_build" / "html" / "common" / "basics.html").read_text("utf-8")
    assert "charged $500 for the visa and $300 for the flight. Open notes.md, or " in html
    assert "math" not in html.split("charged", 1)[1].split("</p>", 1)[0]
    assert '<a class="reference external" href="https://www.ilo.org">' in html  # a real address still is a link
    assert "Braces: {{ name }}." in html


def test_the_benchmark_s_edit_applies_to_the_course_as_it_is(tmp_path: Path) -> None:
    """The benchmark (run by hand) edits one quiz item of the default course again and again:
    its edit must find its item and mark each edit once, whatever the bank's texts say (a
    content change that wrote "art. 6(3)(b)" stopped it at the third edit)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bank = tmp_path / "police.yml"
    shutil.copy(ROOT / "quizzes" / "police.yml", bank)
    original = bank.read_text("utf-8")
    for n in range(1, 40):
        bench.edit_item(bank, ("fr", "en") if n % 2 else ("fr",), n)
    edited = bank.read_text("utf-8")
    assert edited != original and len(edited.splitlines()) == len(original.splitlines())
    # and its copy of the course is the course: a copy without the icon that _config.yml
    # names stopped every build of the benchmark at once
    copy = bench.copy_course(tmp_path / "copy")
    assert coursegen("check", str(copy)).returncode == 0
    assert bench.COURSE_PARTS == COURSE_PARTS


def test_a_course_rebuilt_after_its_table_of_contents_changed_is_the_same_as_built_clean(tmp_path: Path) -> None:
    """The parts' order and a part's caption changed in _toc.yml: every page shows them (the
    menu, the previous and next links), and only the root page was written again (the
    others kept the old order, and later builds said the site was up to date)."""
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "minimal", course)

    def built(name: str) -> dict[str, dict[str, str]]:
        result = coursegen("build", str(course), "--out", str(tmp_path / name))
        assert result.returncode == 0, result.stdout + result.stderr
        return {lang: files(tmp_path / name / lang / "_build" / "html") for lang in ("fr", "en")}

    built("out")
    toc = course / "_toc.yml"
    text = toc.read_text("utf-8")
    common, police = (
        '  - caption: {fr: "Commun", en: "Common"}\n    chapters:\n      - file: modules/common/basics\n',
        '  - caption: {fr: "Police", en: "Police"}\n    chapters:\n      - file: modules/police/recognise\n',
    )
    assert common + police in text
    toc.write_text(
        text.replace(common + police, police.replace('en: "Police"', 'en: "Police forces"') + common), "utf-8"
    )
    assert built("out") == built("clean")
    basics = (tmp_path / "out" / "en" / "_build" / "html" / "common" / "basics.html").read_text("utf-8")
    assert "Police forces" in basics and basics.index("Police forces") < basics.index("Common")
