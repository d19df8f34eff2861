"""SCORM 1.2: the manifest lists every file of the zip and nothing else; in an LMS frame,
the quiz talks to a recording API in the right order; without an LMS it works as usual."""

from __future__ import annotations

import contextlib
import json
import posixpath
import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from browser import answer, browser, new_page, serve
from conftest import FIXTURES, coursegen
from coursegen.grading import grade
from test_grading import FIXTURE_ITEMS, key_response

pytestmark = pytest.mark.slow
CP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"

RECORDING_LMS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>LMS</title>
<script>
  window.calls = [];
  var data = {"cmi.core.lesson_status": "not attempted", "cmi.suspend_data": "", "cmi.student_data.mastery_score": ""};
  function record(name, args, result) { window.calls.push([name].concat(args)); return result; }
  window.API = {
    LMSInitialize: function (a) { return record("LMSInitialize", [a], "true"); },
    LMSFinish: function (a) { return record("LMSFinish", [a], "true"); },
    LMSGetValue: function (k) { return record("LMSGetValue", [k], data[k] || ""); },
    LMSSetValue: function (k, v) { data[k] = v; return record("LMSSetValue", [k, v], "true"); },
    LMSCommit: function (a) { return record("LMSCommit", [a], "true"); },
    LMSGetLastError: function () { return "0"; },
    LMSGetErrorString: function () { return ""; },
    LMSGetDiagnostic: function () { return ""; }
  };
</script></head>
<body><iframe id="sco" title="course" src="pkg/police/recognise.html" width="900" height="700"></iframe></body></html>
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("scorm")
    result = coursegen(
        "export", "scorm", str(FIXTURES / "minimal"), "--audience", "police", "--lang", "en", "--out", str(out)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["scorm-police-en.zip"]  # the site it packaged: removed
    assert "warning" not in result.stdout + result.stderr  # its quiz's answers fit in cmi.suspend_data
    return out / "scorm-police-en.zip"


def test_a_quiz_whose_answers_scorm_cannot_keep_is_told_at_export(tmp_path: Path) -> None:
    """Twelve more short answers on the police page: a trainee's answers could outgrow what
    SCORM 1.2 keeps between sessions. The export says which quiz, once for both languages,
    and still writes both packages."""
    import shutil

    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "minimal", course)
    bank = course / "quizzes" / "police.yml"
    text = bank.read_text("utf-8")
    start = text.index("  - id: t-short\n")
    short = text[start : text.index("  - id: t-scenario\n")]
    more = "".join(short.replace("id: t-short", f"id: t-short-{n}") for n in range(12))
    bank.write_text(text[:start] + more + text[start:], "utf-8")
    result = coursegen("export", "scorm", str(course), "--audience", "police", "--out", str(tmp_path / "o"))
    assert result.returncode == 0, result.stdout + result.stderr
    warnings = [line for line in result.stdout.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1, result.stdout
    assert warnings[0].startswith(
        "warning: the quiz of page police/recognise.html (19 questions, of bank police): a trainee's answers can take "
    ), warnings
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["scorm-police-en.zip", "scorm-police-fr.zip"]


def test_manifest_lists_every_file_and_only_those(package: Path) -> None:
    with zipfile.ZipFile(package) as archive:
        names = {n for n in archive.namelist() if not n.endswith("/")}
        root = ET.fromstring(archive.read("imsmanifest.xml"))
    assert root.tag == f"{CP}manifest" and root.findtext(f"{CP}metadata/{CP}schemaversion") == "1.2"
    listed = [f.get("href") for f in root.iter(f"{CP}file")]
    assert len(listed) == len(set(listed))
    assert set(listed) == names - {"imsmanifest.xml"}
    assert not [n for n in names if any(part.startswith(".") for part in n.split("/"))]  # no .buildinfo
    resources = {r.get("identifier"): r for r in root.iter(f"{CP}resource")}
    items = [i for i in root.iter(f"{CP}item") if i.get("identifierref")]
    assert items and all(i.get("identifierref") in resources for i in items)
    # the table of contents' parts, each an item that holds its pages' (an LMS shows the parts)
    organization = root.find(f"{CP}organizations/{CP}organization")
    assert organization is not None
    parts = {p.findtext(f"{CP}title"): p for p in organization.findall(f"{CP}item") if not p.get("identifierref")}
    assert list(parts) == ["Common", "Police", "Overview"]
    police = [i.findtext(f"{CP}title") for i in parts["Police"].findall(f"{CP}item")]
    assert police[0] == "Recognise" and all(i.get("identifierref") for i in parts["Police"].findall(f"{CP}item"))
    assert [i.findtext(f"{CP}title") for i in organization.findall(f"{CP}item") if i.get("identifierref")] == ["Home"]
    assert organization.findall(f"{CP}item")[0].get("identifierref")  # the home page first, as in the book
    scos = [r for r in resources.values() if r.get(f"{ADLCP}scormtype") == "sco"]
    assert len(scos) == len(items) and all(r.get("href") in names for r in scos)
    assert "police/recognise.html" in {r.get("href") for r in scos}
    mastery = [i for i in items if i.find(f"{ADLCP}masteryscore") is not None]
    assert [i.findtext(f"{CP}title") for i in mastery] == ["Recognise"]


def test_every_link_of_the_package_stays_inside_it(package: Path) -> None:
    """A package holds one language: no link to the other language's site (outside the
    zip), nor to any file that the zip does not hold."""
    from bs4 import BeautifulSoup

    with zipfile.ZipFile(package) as archive:
        names = {n for n in archive.namelist() if not n.endswith("/")}
        pages = {n: archive.read(n).decode("utf-8") for n in names if n.endswith(".html")}
    checked = 0
    for name, html in pages.items():
        soup = BeautifulSoup(html, "html.parser")
        assert soup.select("a.cg-lang-switch") == [], name
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for element in soup.find_all(tag, attrs={attr: True}):
                ref = str(element[attr]).split("#")[0].split("?")[0]
                if not ref or ":" in ref:
                    continue
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), ref))
                assert target in names, (name, element[attr])
                checked += 1
    assert checked > 100


def test_checker_catches_an_unlisted_file(package: Path, tmp_path: Path) -> None:
    """The same comparison fails on a zip with a file the manifest does not list."""
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(bad, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name))
        dst.writestr("extra/stray.js", "x")
    with zipfile.ZipFile(bad) as archive:
        names = {n for n in archive.namelist() if not n.endswith("/")}
        listed = {f.get("href") for f in ET.fromstring(archive.read("imsmanifest.xml")).iter(f"{CP}file")}
    assert names - {"imsmanifest.xml"} - listed == {"extra/stray.js"}


def lms_site(package: Path, tmp_path: Path) -> Path:
    """The package unpacked, with a page that plays the LMS and records its API's calls; as
    an LMS does, its page is outside the package's folder (`pkg/`)."""
    site = tmp_path / "lms"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(site / "pkg")
    (site / "lms.html").write_text(RECORDING_LMS, "utf-8")
    return site


POINTS = sum(grade(item, key_response(item), "en").max for item in FIXTURE_ITEMS.values())
"""The quiz's most points (9: some questions are worth more than one)."""


def launch(b: Any, url: str, path: str) -> tuple[Any, Any]:
    """The LMS's page open, the SCO it launches (`path`, in the package) initialised: the
    page and the SCO's frame."""
    page = new_page(b, [])
    page.goto(f"{url}/lms.html")
    page.wait_for_function("window.calls.some(c => c[1] === 'cmi.core.lesson_status')")
    frame = page.frame(url=f"{url}/pkg/{path}")
    assert frame is not None
    return page, frame


def reported(calls: list[list[str]], key: str) -> list[str]:
    return [c[2] for c in calls if c[0] == "LMSSetValue" and c[1] == key]


@pytest.mark.browser
def test_quiz_in_an_lms_frame_reports_to_the_api(package: Path, tmp_path: Path) -> None:
    site = lms_site(package, tmp_path)
    offsite: list[str] = []
    with browser() as b, serve(site) as url:
        page = new_page(b, offsite)
        page.goto(f"{url}/lms.html")
        frame = page.frame_locator("#sco")
        frame.locator("#cgq-t-single--b").click()
        frame.locator("#cgq-t-single button.cg-check").click()
        frame.locator("#cgq-t-single--fb .cg-verdict").wait_for()
        calls = page.evaluate("window.calls")
        assert calls[0] == ["LMSInitialize", ""]
        sets = {c[1]: c[2] for c in calls if c[0] == "LMSSetValue"}
        assert sets["cmi.core.lesson_status"] == "incomplete"  # not every question answered yet
        assert sets["cmi.core.score.raw"] == str(round(100 / POINTS))  # 1 point (b is right) of 9
        # answer everything else, the way a trainee would, then leave the page
        sco = page.frame(url=f"{url}/pkg/police/recognise.html")
        assert sco is not None
        sco.evaluate(
            """() => document.querySelectorAll('form.cg-q').forEach(form => {
                 const first = form.querySelector('input[type=radio], input[type=checkbox]');
                 if (first && !form.querySelector('input:checked')) first.click();
                 form.querySelectorAll('select').forEach((s, i) => { s.value = s.options[Math.min(i + 1, s.options.length - 1)].value; });
                 const text = form.querySelector('input[type=text]');
                 if (text && !text.value) text.value = '18';
                 form.requestSubmit();
               })"""
        )
        summary = sco.inner_text(".cg-summary")  # "Score: 5.5 / 9 points (9 of 9 questions checked)"
        page.evaluate("document.getElementById('sco').src = 'about:blank'")
        page.wait_for_function("window.calls.some(c => c[0] === 'LMSFinish')")
        calls = page.evaluate("window.calls")
    got, most = (float(n) for n in re.findall(r"(\d+(?:\.\d+)?) / (\d+) points", summary)[0])
    assert most == POINTS and 0 < got < most  # some right, some wrong
    assert reported(calls, "cmi.core.score.raw")[-1] == str(round(100 * got / most))
    names = [c[0] for c in calls]
    assert names[0] == "LMSInitialize" and names[-1] == "LMSFinish"
    assert names.count("LMSInitialize") == 1 and names.count("LMSFinish") == 1
    assert "LMSCommit" in names and names.index("LMSCommit") < names.index("LMSFinish")
    sets = [c[1:] for c in calls if c[0] == "LMSSetValue"]
    raw = [float(v) for k, v in sets if k == "cmi.core.score.raw"]
    assert raw and all(0 <= r <= 100 for r in raw)
    assert ["cmi.core.score.min", "0"] in sets and ["cmi.core.score.max", "100"] in sets
    final_status = [v for k, v in sets if k == "cmi.core.lesson_status"][-1]
    assert final_status in ("passed", "failed")
    assert (final_status == "passed") == (raw[-1] >= 80)
    suspend = [v for k, v in sets if k == "cmi.suspend_data"][-1]
    assert '"t-single"' in suspend and len(suspend) <= 4096
    assert offsite == []


@pytest.mark.browser
def test_every_answer_right_is_reported_passed_with_full_marks(package: Path, tmp_path: Path) -> None:
    """Each question answered with its key, as a trainee would: the LMS gets 100 and
    "passed" (the test above, with some answers wrong, gets "failed")."""
    site = lms_site(package, tmp_path)
    with browser() as b, serve(site) as url:
        page = new_page(b, [])
        page.goto(f"{url}/lms.html")
        page.frame_locator("#sco").locator("form.cg-q").first.wait_for()
        sco = page.frame(url=f"{url}/pkg/police/recognise.html")
        assert sco is not None
        ids = sco.evaluate("() => [...document.querySelectorAll('form.cg-q')].map(f => f.id.slice(4))")
        assert sorted(ids) == sorted(FIXTURE_ITEMS)
        for item_id in ids:
            item = FIXTURE_ITEMS[item_id]
            answer(sco, item_id, item["type"], key_response(item))  # type: ignore[arg-type]
            sco.click(f"#cgq-{item_id} button.cg-check")
        assert not page.js_errors  # type: ignore[attr-defined]
        page.evaluate("document.getElementById('sco').src = 'about:blank'")
        page.wait_for_function("window.calls.some(c => c[0] === 'LMSFinish')")
        calls = page.evaluate("window.calls")
    assert reported(calls, "cmi.core.score.raw")[-1] == "100"
    assert reported(calls, "cmi.core.lesson_status")[-1] == "passed"
    assert set(reported(calls, "cmi.core.lesson_status")[:-1]) == {"incomplete"}


@pytest.mark.browser
def test_the_longest_answers_a_trainee_can_give_are_what_the_export_bounds(package: Path, tmp_path: Path) -> None:
    """Every question answered with its longest response, typed as a trainee would (a
    written answer past the box's limit is cut there; a number pasted with tabs and other
    control characters, which the page saves as spaces): what the page saves in
    cmi.suspend_data is what the export's bound says, but for one character of each short
    answer (the bound's are all quotes, which JSON doubles, but an answer needs a letter to
    be graded): the export tells the quizzes that SCORM 1.2 cannot keep, and only those."""
    from coursegen.exporters.scorm import suspend_data_bound
    from coursegen.quizhtml import ANSWER_MAX

    site = lms_site(package, tmp_path)
    with browser() as b, serve(site) as url:
        page, sco = launch(b, url, "police/recognise.html")
        items = sco.evaluate("() => JSON.parse(document.querySelector('.cg-quiz-data').textContent).items")
        assert {item["type"] for item in items} == {"single", "multiple", "match", "order", "short", "numeric"}
        for item in items:
            kind, base = item["type"], f"#cgq-{item['id']}"
            if kind == "numeric":  # pasted, with control characters (which JSON writes in 2 to 6)
                box = sco.locator(f"{base}--answer")
                box.fill("1" + "\v\t" * (ANSWER_MAX // 2 - 1) + "\v")
                assert len(box.input_value()) == ANSWER_MAX
            elif kind == "short":
                box = sco.locator(f"{base}--answer")
                box.press_sequentially("a" + '"' * ANSWER_MAX)
                assert len(box.input_value()) == ANSWER_MAX
            else:
                longest = max((c["id"] for c in item.get("choices", [])), key=len, default="")
                response = {
                    "single": max((o["id"] for o in item.get("options", [])), key=len, default=""),
                    "multiple": [o["id"] for o in item.get("options", [])],
                    "match": {p["id"]: longest for p in item.get("pairs", [])},
                    "order": [s["id"] for s in item.get("steps", [])],
                }[kind]
                answer(sco, item["id"], kind, response)
            sco.click(f"{base} button.cg-check")
            sco.locator(f"{base}--fb .cg-verdict").wait_for()
        assert not page.js_errors  # type: ignore[attr-defined]
        page.evaluate("document.getElementById('sco').src = 'about:blank'")
        page.wait_for_function("window.calls.some(c => c[0] === 'LMSFinish')")
        calls = page.evaluate("window.calls")
    saved = json.loads(reported(calls, "cmi.suspend_data")[-1])
    assert sorted(saved) == sorted(item["id"] for item in items)  # every answer kept
    shorts = sum(item["type"] == "short" for item in items)
    assert len(reported(calls, "cmi.suspend_data")[-1]) == suspend_data_bound(items) - shorts
    assert suspend_data_bound(items) <= 4096


@pytest.mark.browser
def test_a_page_reached_from_another_sco_reports_nothing(package: Path, tmp_path: Path) -> None:
    """The LMS launches one SCO, a page without a quiz; its menu leads to the quiz's page,
    another SCO: that page's answers must not reach the launched SCO's session (an LMS
    counts them for the SCO it launched), and its quiz says where it is recorded. Control:
    launched by the LMS, the same page reports (the tests above)."""
    site = lms_site(package, tmp_path)
    (site / "lms.html").write_text(
        RECORDING_LMS.replace("pkg/police/recognise.html", "pkg/common/basics.html"), "utf-8"
    )
    with browser() as b, serve(site) as url:
        page, launched = launch(b, url, "common/basics.html")
        launched.click("a.right-next[href$='police/recognise.html']")  # "Next", as a trainee follows it
        page.wait_for_function("window.calls.some(c => c[0] === 'LMSFinish')")
        sco = page.frame_locator("#sco")
        note = sco.locator("p.cg-scorm-note")
        note.wait_for()
        assert (
            note.inner_text()
            == "Your platform records this quiz only when you open this page from the platform's course menu."
        )
        sco.locator("#cgq-t-single--b").click()
        sco.locator("#cgq-t-single button.cg-check").click()
        sco.locator("#cgq-t-single--fb .cg-verdict").wait_for()  # graded, as on the site
        calls = page.evaluate("window.calls")
        assert not page.js_errors  # type: ignore[attr-defined]
    assert [c[0] for c in calls].count("LMSInitialize") == 1
    assert reported(calls, "cmi.core.lesson_status") == ["completed"]  # the launched page's, without a quiz
    assert reported(calls, "cmi.core.score.raw") == []


def assert_launched_quiz_alone(calls: list[list[str]]) -> None:
    """Only the quiz the LMS launched reported: one session, its status "incomplete" (a
    search page that took itself for the launched one marked it "completed")."""
    assert [c[0] for c in calls].count("LMSInitialize") == 1, calls
    assert reported(calls, "cmi.core.lesson_status") == ["incomplete"], calls


def searched_from_the_quiz(b: Any, url: str) -> tuple[Any, Any]:
    """The quiz SCO launched, then a search from its search box (a form, not a link),
    which ends the SCO's session: the LMS's page and the search page's frame."""
    page, sco = launch(b, url, "police/recognise.html")
    sco.evaluate("() => { const f = document.querySelector('form.bd-search'); f.q.value = 'trafficking'; f.submit(); }")
    page.wait_for_function("window.calls.some(c => c[0] === 'LMSFinish')")
    page.frame_locator("#sco").locator("#search-results").wait_for(state="attached")
    searched = page.frame(url=re.compile(r".*/pkg/search\.html.*"))
    assert searched is not None
    return page, searched


@pytest.mark.browser
def test_a_search_or_back_from_a_sco_reports_nothing(package: Path, tmp_path: Path) -> None:
    """From the quiz SCO the LMS launched, the trainee searches (a form, not a link): the
    search page reports nothing (it marked the quiz "completed"); then Back to a page reached
    by a link reports nothing either. Control: the launched page's own report."""
    site = lms_site(package, tmp_path)
    with browser() as b, serve(site) as url:
        page, searched = searched_from_the_quiz(b, url)
        searched.evaluate("() => document.querySelector('a[href$=\"index.html\"]').click()")  # a link of the package
        page.wait_for_function("document.getElementById('sco').contentWindow.location.pathname.endsWith('index.html')")
        # its scripts run (a page left before they run is the next test's case), on a busy machine too
        page.wait_for_function("document.getElementById('sco').contentWindow.document.readyState === 'complete'")
        page.wait_for_timeout(500)
        page.evaluate("document.getElementById('sco').contentWindow.history.back()")  # the search page again
        page.wait_for_function("document.getElementById('sco').contentWindow.location.pathname.endsWith('search.html')")
        page.frame_locator("#sco").locator("#search-results").wait_for(state="attached")
        page.wait_for_timeout(500)
        calls = page.evaluate("window.calls")
    assert_launched_quiz_alone(calls)


@pytest.mark.browser
def test_a_page_reached_from_one_whose_scripts_never_ran_reports_nothing(package: Path, tmp_path: Path) -> None:
    """From the search page, a link followed before its scripts ran (a slow phone; here the
    page served without coursegen's script): that page left no address behind it, and the
    next one took itself for a page the LMS launched, and reported (seen on a busy machine,
    in the test above). Its referrer, a page of the package that is not the LMS's, tells.
    Control: the launched page's own report."""
    site = lms_site(package, tmp_path)
    with browser() as b, serve(site) as url:
        page, _ = launch(b, url, "police/recognise.html")

        def without_scripts(route: Any) -> None:
            served = route.fetch()
            body = re.sub(r"<script[^>]*coursegen-scorm\.js[^>]*></script>", "", served.text())
            assert body != served.text()
            route.fulfill(response=served, body=body)

        page.route(re.compile(r".*/pkg/search\.html.*"), without_scripts)
        sco = page.frame(url=f"{url}/pkg/police/recognise.html")
        assert sco is not None
        sco.evaluate(
            "() => { const f = document.querySelector('form.bd-search'); f.q.value = 'trafficking'; f.submit(); }"
        )
        page.frame_locator("#sco").locator("#search-results").wait_for(state="attached")
        searched = page.frame(url=re.compile(r".*/pkg/search\.html.*"))
        assert searched is not None
        searched.evaluate("() => document.querySelector('a[href$=\"index.html\"]').click()")
        page.wait_for_function("document.getElementById('sco').contentWindow.location.pathname.endsWith('index.html')")
        page.wait_for_function("document.getElementById('sco').contentWindow.document.readyState === 'complete'")
        page.wait_for_timeout(500)
        calls = page.evaluate("window.calls")
    assert_launched_quiz_alone(calls)


@pytest.mark.browser
def test_back_to_a_page_before_the_next_one_ran_reports_nothing(package: Path, tmp_path: Path) -> None:
    """Back to the search page from a page whose scripts never ran (one that loads slowly,
    Back pressed at once; here a file of the package with no script): the search page,
    loaded again, reports nothing. It left its own address on its way out, and nothing
    came after it, so it took itself for a page the LMS launched: it marked the quiz's SCO
    "completed" (seen once in CI, on a busy machine, in the test above). Control: the
    launched page's own report."""
    site = lms_site(package, tmp_path)
    with browser() as b, serve(site) as url:
        page, searched = searched_from_the_quiz(b, url)
        searched.evaluate("() => { location.href = '_static/coursegen-scorm.js'; }")  # no page: no script runs
        page.wait_for_function("document.getElementById('sco').contentWindow.location.pathname.endsWith('.js')")
        page.evaluate("document.getElementById('sco').contentWindow.history.back()")  # the search page again
        page.wait_for_function("document.getElementById('sco').contentWindow.location.pathname.endsWith('search.html')")
        page.frame_locator("#sco").locator("#search-results").wait_for(state="attached")
        page.wait_for_timeout(500)
        calls = page.evaluate("window.calls")
    assert_launched_quiz_alone(calls)


@pytest.mark.browser
def test_the_launched_page_reports_again_after_back_to_the_lms(package: Path, tmp_path: Path) -> None:
    """The trainee leaves the LMS's page (its "course home", at the top of the tab) and
    comes Back: the LMS's page loads again, with the page it launched, which reports to it
    (it took itself for a page reached by Back, and reported nothing: the quiz's answers
    were lost)."""
    site = lms_site(package, tmp_path)
    (site / "home.html").write_text("<!doctype html><title>Home</title><p>Course home</p>", "utf-8")
    with browser() as b, serve(site) as url:
        page, _ = launch(b, url, "police/recognise.html")
        page.goto(f"{url}/home.html")
        page.go_back()
        page.wait_for_function("window.calls.some(c => c[1] === 'cmi.core.lesson_status')")
        sco = page.frame(url=f"{url}/pkg/police/recognise.html")
        assert sco is not None
        assert sco.evaluate("performance.getEntriesByType('navigation')[0].type") == "back_forward"  # what it tells
        calls = page.evaluate("window.calls")
    assert [c[0] for c in calls].count("LMSInitialize") == 1, calls  # the LMS's page's new life
    assert reported(calls, "cmi.core.lesson_status") == ["incomplete"]


@pytest.mark.browser
def test_a_sco_launched_again_by_back_reports(package: Path, tmp_path: Path) -> None:
    """The LMS's page for the quiz SCO, then its page for another SCO (a link of its menu,
    a new page), then Back: the LMS's first page loads again and launches the quiz, which
    reports (it took itself for a page reached by Back, the other SCO having left last, and
    its answers were lost). The LMS's first page is newer than that SCO: what it shows, it
    launched."""
    site = lms_site(package, tmp_path)
    (site / "other.html").write_text(
        RECORDING_LMS.replace("pkg/police/recognise.html", "pkg/common/basics.html"), "utf-8"
    )
    with browser() as b, serve(site) as url:
        page, _ = launch(b, url, "police/recognise.html")
        page.goto(f"{url}/other.html")
        page.wait_for_function("window.calls.some(c => c[1] === 'cmi.core.lesson_status')")
        page.go_back()
        page.wait_for_function("window.calls.some(c => c[1] === 'cmi.core.lesson_status')")
        sco = page.frame(url=f"{url}/pkg/police/recognise.html")
        assert sco is not None
        assert sco.evaluate("performance.getEntriesByType('navigation')[0].type") == "back_forward"
        calls = page.evaluate("window.calls")
    assert [c[0] for c in calls].count("LMSInitialize") == 1, calls  # the LMS's page's new life
    assert reported(calls, "cmi.core.lesson_status") == ["incomplete"]


@pytest.mark.browser
def test_a_page_restored_in_a_new_life_of_the_lms_s_frame_reports_nothing(package: Path, tmp_path: Path) -> None:
    """The LMS's page launches the quiz, then its script sets the frame to another SCO; the
    trainee opens the LMS's page for a third SCO, then comes Back: the LMS's first page loads
    again, launching the quiz, and the browser restores the other SCO's page in its frame.
    That page is not the one the LMS's page launched (the frame's address names the quiz):
    it reports nothing, or its "completed" would be counted for the quiz (a review found
    the rule of the test above did so). Control: the test above."""
    site = lms_site(package, tmp_path)
    (site / "other.html").write_text(RECORDING_LMS.replace("pkg/police/recognise.html", "pkg/index.html"), "utf-8")
    with browser() as b, serve(site) as url:
        page, _ = launch(b, url, "police/recognise.html")
        page.evaluate("document.getElementById('sco').src = 'pkg/common/basics.html'")
        page.wait_for_function("window.calls.some(c => c[2] === 'completed')")
        page.goto(f"{url}/other.html")
        page.wait_for_function("window.calls.some(c => c[1] === 'cmi.core.lesson_status')")
        page.go_back()
        page.wait_for_function("document.getElementById('sco').contentWindow.location.pathname.endsWith('basics.html')")
        page.frame_locator("#sco").locator("h1").first.wait_for(state="attached")
        page.wait_for_timeout(500)
        calls = page.evaluate("window.calls")
    assert calls == [], calls  # the LMS's page's new life: nothing reported to it


def another_sco_then_back(page: Any) -> None:
    """The LMS's script sets its frame to another SCO (as Moodle's menu does), which reports;
    then Back inside the frame brings the quiz back into it."""
    page.evaluate("document.getElementById('sco').src = 'pkg/common/basics.html'")
    page.wait_for_function("window.calls.some(c => c[2] === 'completed')")
    page.evaluate("document.getElementById('sco').contentWindow.history.back()")
    page.wait_for_function("document.getElementById('sco').contentWindow.location.pathname.endsWith('recognise.html')")
    page.frame_locator("#sco").locator("form.cg-q").first.wait_for()
    page.wait_for_timeout(500)


@pytest.mark.browser
def test_back_within_the_lms_s_frame_reports_nothing(package: Path, tmp_path: Path) -> None:
    """The LMS launches the quiz, then another SCO in the same frame (its menu is a script
    that sets the frame's address, as Moodle's is); Back brings the quiz back into the frame,
    while the LMS's session is the other SCO's: the quiz reports nothing, or its answers
    would be counted for that SCO. Control: the test above, where the LMS's page is new."""
    site = lms_site(package, tmp_path)
    with browser() as b, serve(site) as url:
        page, _ = launch(b, url, "police/recognise.html")
        another_sco_then_back(page)
        sco = page.frame(url=f"{url}/pkg/police/recognise.html")
        assert sco is not None
        assert sco.evaluate("performance.getEntriesByType('navigation')[0].type") == "back_forward"
        calls = page.evaluate("window.calls")
    assert [c[0] for c in calls].count("LMSInitialize") == 2, calls  # the quiz's, then the other SCO's
    assert reported(calls, "cmi.core.lesson_status") == ["incomplete", "completed"]


@pytest.mark.browser
def test_an_lms_page_inside_the_package_launches_a_sco_that_reports(package: Path, tmp_path: Path) -> None:
    """An LMS (or a player put beside the package's manifest) whose own page is in the
    package's folder: the page it launches reports, with no note (a check of the referrer
    took such a launch for a page reached by a link)."""
    site = lms_site(package, tmp_path)
    (site / "pkg" / "player.html").write_text(
        RECORDING_LMS.replace("pkg/police/recognise.html", "police/recognise.html")
    )
    with browser() as b, serve(site) as url:
        page = new_page(b, [])
        page.goto(f"{url}/pkg/player.html")
        sco = page.frame_locator("#sco")
        sco.locator("#cgq-t-single--b").click()
        sco.locator("#cgq-t-single button.cg-check").click()
        page.wait_for_function("window.calls.some(c => c[1] === 'cmi.core.score.raw')")
        assert sco.locator("p.cg-scorm-note").count() == 0
        calls = page.evaluate("window.calls")
    assert [c[0] for c in calls].count("LMSInitialize") == 1
    assert reported(calls, "cmi.core.score.raw") == [str(round(100 / POINTS))]


@pytest.mark.browser
def test_package_without_an_lms_behaves_like_the_site(package: Path, tmp_path: Path) -> None:
    site = tmp_path / "plain"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(site)
    with browser() as b:
        page = new_page(b, [])
        page.goto((site / "police" / "recognise.html").as_uri())
        assert page.evaluate("window.coursegenSCORM.active()") is False
        page.click("#cgq-t-single--b")
        page.click("#cgq-t-single button.cg-check")
        assert page.inner_text("#cgq-t-single--fb .cg-verdict").startswith("✔ Correct")
        assert not page.js_errors  # type: ignore[attr-defined]


@pytest.mark.browser
def test_plain_site_has_no_scorm_runtime(minimal_site: Path) -> None:
    assert (
        "coursegen-scorm.js" not in (minimal_site / "en" / "_build" / "html" / "police" / "recognise.html").read_text()
    )


def test_a_package_that_fails_is_told_at_the_course_s_page(tmp_path: Path) -> None:
    """A broken link in a page: the export says so at the trainer's page and line (it
    named the package's temporary site, its log, and two codes)."""
    import shutil

    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "minimal", course)
    page = course / "modules" / "police" / "recognise.en.md"
    lines = len(page.read_text("utf-8").splitlines())
    page.write_text(page.read_text("utf-8") + "See {nosuchrole}`x`.\n", "utf-8")
    result = coursegen(
        "export", "scorm", str(course), "--audience", "police", "--lang", "en", "--out", str(tmp_path / "o")
    )
    assert result.returncode == 1
    problems = [line for line in result.stderr.splitlines() if line.endswith("]")]
    assert len(problems) == 1, result.stderr
    assert problems[0].endswith(
        f'recognise.en.md:{lines + 1}:6: Unknown interpreted text role "nosuchrole". (myst.role_unknown) [build-failed]'
    ), problems
    assert ".scorm-site" not in problems[0] and "Traceback" not in result.stderr


@contextlib.contextmanager
def small_disk(folder: Path) -> Iterator[Path]:
    """`folder`, a disk of 4 MB of its own for the block (a tmpfs: root only; skipped where
    it cannot be mounted)."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4M", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"a small disk cannot be mounted here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_an_export_on_a_full_disk_says_so_once_and_leaves_nothing(tmp_path: Path) -> None:
    """A disk with too little room for the package's site: one line says so, with what to
    do, and nothing is left in the output folder (a Sphinx line for each file it could not
    write was told at a log that was kept, with the site's 4 MB, on the full disk)."""
    with small_disk(tmp_path / "full") as full:
        result = coursegen(
            "export", "scorm", str(FIXTURES / "minimal"), "--audience", "police", "--lang", "en",
            "--out", str(full / "exports"),
        )  # fmt: skip
        left = sorted(p.name for p in (full / "exports").iterdir())
    problems = [line for line in result.stderr.splitlines() if line.endswith("]")]
    assert result.returncode == 2, result.stderr
    assert problems == [f"{full / 'exports'}:1:1: no space left on this disk: an export builds the package's site "
                        "beside it first (about 15 MB for each language, for a moment); free some space, or export "
                        "to another disk (--out) [no-space]"], result.stderr  # fmt: skip
    assert left == [] and "Traceback" not in result.stderr


def test_a_build_on_a_full_disk_says_so_once(tmp_path: Path) -> None:
    """A build whose output folder's disk fills up: one line says so, with what to do (it
    told each file that Sphinx could not write, at the log, cut off where the log itself
    ran out of room)."""
    with small_disk(tmp_path / "full") as full:
        result = coursegen("build", str(FIXTURES / "minimal"), "--out", str(full / "site"))
    problems = [line for line in result.stderr.splitlines() if line.endswith("]")]
    assert result.returncode == 2, result.stderr
    assert problems == [f"{full / 'site'}:1:1: no space left on this disk: a build needs about 20 MB for each "
                        "language in its output folder; free some space, or build to another disk (--out) "
                        "[no-space]"], result.stderr  # fmt: skip
    assert "Traceback" not in result.stderr


@pytest.mark.browser
def test_where_site_data_are_blocked_a_page_reached_by_a_link_reports_nothing(package: Path, tmp_path: Path) -> None:
    """A browser that keeps no site data: the pages' stand-in for storage keeps nothing
    from one page to the next, so the runtime found no mark that a link had led to the
    next page, took it for the launched one, and marked the quiz's session "completed".
    It reads the stand-in as no storage, and the referrer tells. Control: the launched quiz
    still reports, and says nothing of answers not kept (the LMS keeps them)."""
    site = lms_site(package, tmp_path)
    with no_site_data(tmp_path) as ctx, serve(site) as url:
        page = ctx.new_page()
        page.goto(f"{url}/lms.html")
        page.wait_for_function("window.calls.some(c => c[1] === 'cmi.core.lesson_status')")
        sco = page.frame(url=f"{url}/pkg/police/recognise.html")
        assert sco is not None and sco.evaluate("window.coursegenStorage") == "memory"
        assert sco.locator(".cg-unkept").count() == 0  # the LMS keeps the answers
        sco.click("a.right-next, a.left-prev")
        page.wait_for_function("window.calls.some(c => c[0] === 'LMSFinish')")
        page.wait_for_timeout(1000)
        calls = page.evaluate("window.calls")
    assert_launched_quiz_alone(calls)


@contextlib.contextmanager
def no_site_data(tmp_path: Path) -> Iterator[Any]:
    """A browser whose site data are blocked (its profile's setting): a context."""
    from playwright.sync_api import sync_playwright

    from browser import ARGS, CHROMIUM

    profile = tmp_path / "profile"
    (profile / "Default").mkdir(parents=True, exist_ok=True)
    blocked = {"profile": {"default_content_setting_values": {"cookies": 2}}}
    (profile / "Default" / "Preferences").write_text(json.dumps(blocked), "utf-8")
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield ctx
        finally:
            ctx.close()


@pytest.mark.browser
def test_where_site_data_are_blocked_the_launch_reports_and_back_in_the_frame_does_not(
    package: Path, tmp_path: Path
) -> None:
    """Without storage, the referrer and the frame tell: a player beside the manifest (inside
    the package) launches a quiz that reports (a review found it took the player for a page
    of the package, and reported nothing); Back inside the LMS's frame, where the LMS's
    script launched another SCO since, reports nothing (it joined that SCO's session)."""
    site = lms_site(package, tmp_path)
    (site / "pkg" / "player.html").write_text(
        RECORDING_LMS.replace("pkg/police/recognise.html", "police/recognise.html")
    )
    with no_site_data(tmp_path) as ctx, serve(site) as url:
        page = ctx.new_page()
        page.goto(f"{url}/pkg/player.html")
        page.wait_for_function("window.calls.some(c => c[1] === 'cmi.core.lesson_status')")
        assert reported(page.evaluate("window.calls"), "cmi.core.lesson_status") == ["incomplete"]
        page.goto(f"{url}/lms.html")
        page.wait_for_function("window.calls.some(c => c[1] === 'cmi.core.lesson_status')")
        another_sco_then_back(page)
        calls = page.evaluate("window.calls")
    assert [c[0] for c in calls].count("LMSInitialize") == 2, calls  # the quiz's, then the other SCO's
    assert reported(calls, "cmi.core.lesson_status") == ["incomplete", "completed"]
