"""The printable handout and answer key: every question of the selection on the handout and
no answer on it; every answer, explanation and source in the key; texts escaped; nothing
loaded from anywhere; the checks themselves shown to catch a broken export."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from conftest import FIXTURES, ROOT
from coursegen.exporters import Selection
from coursegen.exporters.handout import KEY_MARKER, UI, export, learning_objectives, page_title
from coursegen.grading import public_item
from coursegen.model import Book, Course, Page, RenderedPage
from coursegen.pipeline import prepare
from coursegen.quizhtml import shown_order

AUDIENCES = ["police", "employers", "labour-inspectors", "officials"]
LANGS = ["fr", "en"]
LOADING_ATTRIBUTES = ("src", "href", "srcset", "data", "poster", "action", "formaction", "background", "xlink:href")


@pytest.fixture(scope="module")
def default_course() -> tuple[Course, dict[str, Book]]:
    course, books = prepare(ROOT)
    return course, {book.lang: book for book in books}


@pytest.fixture
def minimal() -> tuple[Course, dict[str, Book]]:
    """The minimal course (every question type), fresh for each test: tests may change it."""
    course, books = prepare(FIXTURES / "minimal")
    return course, {book.lang: book for book in books}


def export_files(course: Course, books: dict[str, Book], audience: str | None, lang: str) -> tuple[str, str]:
    selection = Selection(course, audience, [lang])
    files = export(selection, lang, books[lang].pages)
    name = selection.audience_name  # a one-audience course: its audience; else "all"
    assert sorted(files) == sorted([f"handout-{name}-{lang}.html", f"answer-key-{name}-{lang}.html"])
    return files[f"handout-{name}-{lang}.html"].decode("utf-8"), files[f"answer-key-{name}-{lang}.html"].decode("utf-8")


# --- the checks ---------------------------------------------------------------------------------


def norm(text: str) -> str:
    return " ".join(text.split())


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def block(soup: BeautifulSoup, item_id: str) -> Tag | None:
    found = soup.find(attrs={"data-item": item_id})
    return found if isinstance(found, Tag) else None


def missing_prompts(html: str, selection: Selection, lang: str) -> list[str]:
    """Ids of the items whose prompt, and scenarios whose title or case, the document lacks."""
    text = norm(soup_of(html).get_text(" "))
    missing = [item["id"] for _, item in selection.items() if norm(item["prompt"][lang]) not in text]
    for q in selection.questions:
        shown = q.data["type"] != "scenario" or all(norm(q.data[f][lang]) in text for f in ("title", "case"))
        if not shown:
            missing.append(q.id)
    return missing


def handout_leaks(html: str, selection: Selection, lang: str) -> list[str]:
    """Every way the handout shows the answer key: the key's marker, or an explanation."""
    leaks = [f"marker {KEY_MARKER!r}"] if KEY_MARKER in html else []
    text = norm(soup_of(html).get_text(" "))
    for _, item in selection.items():
        if norm(item["explanation"][lang]) in text:
            leaks.append(f"{item['id']}: explanation")
    return leaks


def expected_answers(item: dict[str, Any], lang: str) -> list[str]:
    """The texts the answer key must show for one item, in the order they must appear."""
    kind = item["type"]
    if kind in ("single", "multiple"):  # in the order the handout shows the options
        return [o["text"][lang] for o in shown_order(item["id"], item["options"]) if o.get("correct")]
    if kind == "match":
        choices = {c["id"]: c["text"][lang] for c in item["choices"]}
        return [t for p in item["pairs"] for t in (p["left"][lang], choices[p["answer"]])]
    if kind == "order":
        return [s["text"][lang] for s in item["steps"]]
    if kind == "short":
        return list(item["accepted"][lang])
    value = f"{float(item['answer']):g}"
    return [value.replace(".", ",") if lang == "fr" else value]


def key_problems(html: str, selection: Selection, lang: str) -> list[str]:
    """Every item whose block in the key lacks its answers (in order), explanation or sources."""
    soup = soup_of(html)
    problems = []
    for _, item in selection.items():
        found = block(soup, item["id"])
        if found is None:
            problems.append(f"{item['id']}: no block")
            continue
        answer = found.find(class_=KEY_MARKER)
        answer_text = norm(answer.get_text(" ")) if isinstance(answer, Tag) else ""
        position = 0
        for expected in expected_answers(item, lang):
            at = answer_text.find(norm(expected), position)
            if at < 0:
                problems.append(f"{item['id']}: answer {expected!r} missing or out of order")
                break
            position = at + len(norm(expected))
        text = norm(found.get_text(" "))
        if norm(item["explanation"][lang]) not in text:
            problems.append(f"{item['id']}: explanation")
        for sid in item["sources"]:
            source = selection.course.sources.get(sid)
            if source and norm(source.label[lang]) not in text:
                problems.append(f"{item['id']}: source {sid}")
    return problems


def network_loads(html: str) -> list[str]:
    """Everything in the document that would load something: <link>, <script>, <img>, <iframe>
    …, attributes pointing to a URL, url() or @import in CSS."""
    soup = soup_of(html)
    found = [f"<{tag.name}>" for tag in soup.find_all(["link", "script", "img", "iframe", "object", "embed"])]
    for tag in soup.find_all(True):
        for attr in LOADING_ATTRIBUTES:
            value = tag.get(attr)
            if value:
                found.append(f"<{tag.name} {attr}={value!r}>")
        style = str(tag.get("style") or "") + (tag.get_text() if tag.name == "style" else "")
        if re.search(r"url\(|@import", style):
            found.append(f"<{tag.name}> CSS loads {style[:60]!r}")
    if re.search(
        r"(?:https?:)?//[\w.-]+\.[a-z]{2,}", " ".join(str(v) for t in soup.find_all(True) for v in t.attrs.values())
    ):
        found.append("a URL in an attribute")
    return found


# --- the default course: every audience, both languages ------------------------------------------


def test_audiences_are_the_course_audiences(default_course: tuple[Course, dict[str, Book]]) -> None:
    course, _ = default_course
    assert course.audience_ids == AUDIENCES


def test_ui_strings_in_both_languages() -> None:
    assert set(UI) == set(LANGS)
    assert UI["fr"].keys() == UI["en"].keys()
    assert all(UI["fr"][k] and UI["en"][k] for k in UI["fr"])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_handout_and_key(default_course: tuple[Course, dict[str, Book]], audience: str, lang: str) -> None:
    course, books = default_course
    selection = Selection(course, audience, [lang])
    handout, key = export_files(course, books, audience, lang)
    assert selection.items(), "the audience has questions"
    for html in (handout, key):
        soup = soup_of(html)
        assert isinstance(soup.html, Tag) and soup.html.get("lang") == lang
        assert soup.find("meta", attrs={"charset": "utf-8"}) is not None
        assert network_loads(html) == []
        assert "@media print" in html and "size: A4" in html and "break-inside: avoid" in html
        assert missing_prompts(html, selection, lang) == []
    assert handout_leaks(handout, selection, lang) == []
    assert key_problems(key, selection, lang) == []
    # the same numbering in both: item ids in the same order
    ids = [item["id"] for _, item in selection.items()]
    for html in (handout, key):
        assert [t["data-item"] for t in soup_of(html).find_all(attrs={"data-item": True})] == ids


@pytest.mark.parametrize("lang", LANGS)
def test_key_points_are_the_audience_pages_objectives(
    default_course: tuple[Course, dict[str, Book]], lang: str
) -> None:
    course, books = default_course
    handout, _ = export_files(course, books, "police", lang)
    section = soup_of(handout).find(id="key-points")
    assert isinstance(section, Tag)
    heading = "## Objectifs d'apprentissage" if lang == "fr" else "## Learning objectives"
    expected = [
        p
        for p in books[lang].pages
        if p.page.area in ("common", "police") and any(line.strip() == heading for line in p.markdown.splitlines())
    ]
    assert expected, "the police pages have learning objectives"
    titles = [norm(h.get_text()) for h in section.find_all("h3")]
    assert titles == [norm(p.markdown.splitlines()[0].removeprefix("# ")) for p in expected]
    first = expected[0].markdown.split(heading, 1)[1]
    bullet = next(line[2:] for line in first.splitlines() if line.startswith("- "))
    assert norm(bullet) in norm(section.get_text(" "))
    other = next(p for p in books[lang].pages if p.page.area == "employers")
    assert norm(page_title(other.markdown)) not in norm(section.get_text(" "))


def test_all_audiences(default_course: tuple[Course, dict[str, Book]]) -> None:
    course, books = default_course
    selection = Selection(course, None, ["en"])
    handout, key = export_files(course, books, None, "en")
    assert {i["id"] for _, i in selection.items()} >= {
        i["id"] for a in AUDIENCES for _, i in Selection(course, a, ["en"]).items()
    }
    assert missing_prompts(handout, selection, "en") == []
    assert key_problems(key, selection, "en") == []
    assert "All audiences" in handout


# --- the minimal course: every type, escaping, the country profile --------------------------------


def test_escaping(minimal: tuple[Course, dict[str, Book]]) -> None:
    course, books = minimal
    question = next(q for q in course.questions if q.id == "t-single")
    question.data["prompt"]["en"] = 'Fish & <chips> "quoted"'
    question.data["explanation"]["en"] = "<script>alert(1)</script>"
    question.data["options"][1]["text"]["en"] = "<b>False</b>"
    handout, key = export_files(course, books, "police", "en")
    assert "Fish &amp; &lt;chips&gt; &quot;quoted&quot;" in handout
    assert "<chips>" not in handout and "<b>False</b>" not in handout
    assert "<script>" not in key and "&lt;script&gt;alert(1)&lt;/script&gt;" in key
    selection = Selection(course, "police", ["en"])
    assert missing_prompts(handout, selection, "en") == []
    assert key_problems(key, selection, "en") == []


def test_every_type_is_laid_out(minimal: tuple[Course, dict[str, Book]]) -> None:
    course, books = minimal
    handout, key = export_files(course, books, "police", "en")
    h, k = soup_of(handout), soup_of(key)

    def texts(tag: Tag | None, selector: str) -> list[str]:
        assert tag is not None
        return [norm(t.get_text(" ")) for t in tag.select(selector)]

    assert texts(block(h, "t-single"), "ul.options li") == ["A. True", "B. False"]
    assert len(texts(block(h, "t-multiple"), "ul.options li .box")) == 3
    assert texts(block(k, "t-single"), f"div.{KEY_MARKER} li") == ["B. False"]
    assert texts(block(k, "t-multiple"), f"div.{KEY_MARKER} li") == [  # in the order shown: c, b, a
        "A. Debt that cannot be repaid",
        "C. Passport kept",
    ]
    # match: numbered left items beside a blank cell, lettered categories
    match = block(h, "t-match")
    assert texts(match, "table.match tbody td:first-child") == [
        "1. Recruiting",
        "2. Deceiving",
        "3. Forced labour",
        "4. Harbouring",
    ]
    assert texts(match, "table.match td.write") == ["", "", "", ""]
    assert texts(match, "ul.categories li") == ["A. Act", "B. Means", "C. Purpose"]
    assert texts(block(k, "t-match"), f"div.{KEY_MARKER} li")[1] == "2. Deceiving → B. Means"
    # order: the public form's shuffle, each with a box; the key gives the right order
    item = next(q.data for q in course.questions if q.id == "t-order")
    shown = [s["text"] for s in public_item(item, "en")["steps"]]
    steps = texts(block(h, "t-order"), "ul.steps li")
    assert [re.sub(r"^[A-Z]+\. ", "", s) for s in steps] == shown != [s["text"]["en"] for s in item["steps"]]
    assert len(texts(block(h, "t-order"), "ul.steps .box")) == 4
    order_key = texts(block(k, "t-order"), f"div.{KEY_MARKER} li")
    assert [re.sub(r"^\d+\. [A-Z]+\. ", "", s) for s in order_key] == [
        "Make safe",
        "Talk alone",
        "Refer",
        "Investigate",
    ]
    # and what each box holds, as a trainee fills them in: each shown step's position
    right = [s["text"]["en"] for s in item["steps"]]
    boxes = " · ".join(f"{chr(65 + i)} {right.index(text) + 1}" for i, text in enumerate(shown))
    assert texts(block(k, "t-order"), "p.in-boxes") == [f"In the boxes: {boxes}"]  # (texts: a space for a no-break one)
    assert boxes != "A 1 · B 2 · C 3 · D 4"  # not the letters' own order
    # short and numeric: an answer line; the key gives every accepted answer and the value
    assert block(h, "t-short").select_one("p.answer-line") is not None  # type: ignore[union-attr]
    assert block(h, "t-numeric").select_one("p.answer-line") is not None  # type: ignore[union-attr]
    assert "OIT" in texts(block(k, "t-short"), f"div.{KEY_MARKER} li")  # the other language is accepted too
    assert texts(block(k, "t-numeric"), f"div.{KEY_MARKER} .value") == ["18"]
    # a scenario's title and case once, before its first item; points shown
    for soup in (h, k):
        scenario = soup.find(attrs={"data-scenario": "t-scenario"})
        assert isinstance(scenario, Tag)
        assert norm(soup.get_text(" ")).count("A minibus is stopped at dawn.") == 1
        assert [t["data-item"] for t in scenario.find_all(attrs={"data-item": True})] == [
            "t-numeric",
            "t-scenario-single",
        ]
        assert "(3 points)" in norm(block(soup, "t-multiple").get_text(" "))  # type: ignore[union-attr]
        assert "Total: 9 points" in norm(soup.get_text(" "))
    assert "Question 7" in norm(h.get_text(" ")) and "Question 7" in norm(k.get_text(" "))


def test_numeric_tolerance_and_french_decimals(minimal: tuple[Course, dict[str, Book]]) -> None:
    course, books = minimal
    item = next(q for q in course.questions if q.id == "t-scenario").data["items"][0]
    item["answer"], item["tolerance"] = 2.5, 0.5
    _, key = export_files(course, books, "police", "fr")
    assert norm(block(soup_of(key), "t-numeric").get_text(" ")).count("2,5 ± 0,5") == 1  # type: ignore[union-attr]


def test_unknown_sources_are_skipped(minimal: tuple[Course, dict[str, Book]]) -> None:
    course, books = minimal
    next(q for q in course.questions if q.id == "t-single").data["sources"] = ["action:nope", "action:e"]
    _, key = export_files(course, books, "police", "en")
    found = block(soup_of(key), "t-single")
    assert found is not None
    labels = [norm(li.get_text()) for li in found.select(".sources li")]
    assert labels == [course.sources["action:e"].label["en"]]


@pytest.mark.parametrize("lang", LANGS)
def test_who_to_call_empty_asks_the_trainer(minimal: tuple[Course, dict[str, Book]], lang: str) -> None:
    course, books = minimal
    handout, _ = export_files(course, books, "police", lang)
    section = soup_of(handout).find(id="who-to-call")
    assert isinstance(section, Tag)
    text = norm(section.get_text(" "))
    ask = "Demandez à votre formateur" if lang == "fr" else "Ask your trainer"
    assert text.count(ask) == 4  # emergency, hotline, national law, referral


def test_who_to_call_filled(minimal: tuple[Course, dict[str, Book]]) -> None:
    course, books = minimal
    course.country = {
        "country": {"fr": "Pays-Témoin", "en": "Testland"},
        "hotline": {"number": "0800 000 000", "hours": {"fr": "24 h/24", "en": "24/7"}},
        "emergency": {"number": "112"},
        "law": {
            "title": {"fr": "Loi n° 1 relative à la traite", "en": "Act No. 1 on trafficking"},
            "articles": [{"ref": "Art. 3", "text": {"fr": "Définition <traite>", "en": "Definition <trafficking>"}}],
        },
        "referral": [
            {
                "name": {"fr": "Refuge <Sûr>", "en": "Safe <Shelter>"},
                "role": "Shelter",
                "phone": "01 23",
                "website": "https://example.org",
            }
        ],
    }
    for lang, country, shelter, hours in (
        ("fr", "Pays-Témoin", "Refuge <Sûr>", "24 h/24"),
        ("en", "Testland", "Safe <Shelter>", "24/7"),
    ):
        handout, _ = export_files(course, books, "police", lang)
        section = soup_of(handout).find(id="who-to-call")
        assert isinstance(section, Tag)
        text = norm(section.get_text(" "))
        assert country in text and shelter in text and "112" in text and f"0800 000 000 ({hours})" in text
        # the national law, as the site's box shows it: its title and main articles (it was left out)
        law, article = (
            ("Loi n° 1 relative à la traite", "Définition <traite>")
            if lang == "fr"
            else ("Act No. 1 on trafficking", "Definition <trafficking>")
        )
        sep = " : " if lang == "fr" else ": "  # French typography: a (no-break) space before ':'
        assert law in text and f"Art. 3{sep}{article}" in text
        assert "https://example.org" in text  # printed as text …
        assert network_loads(handout) == []  # … never as a link
        assert "formateur" not in text and "trainer" not in text


def test_learning_objectives_parsing() -> None:
    markdown = "\n".join(
        [
            "(target)=",
            "# A *title* with {term}`role <glossary-x>`",
            "",
            "## Learning objectives",
            "",
            "By the end of this page you will be able to:",
            "",
            "- explain **why** a [link](https://example.org) matters;",
            "- describe a long objective",
            "  that goes on on a second line.",
            "",
            "```text",
            "## Not a heading",
            "```",
            "",
            "## Next section",
            "",
            "- not an objective",
        ]
    )
    assert page_title(markdown) == "A title with role"
    assert learning_objectives(markdown) == [
        "explain why a link matters;",
        "describe a long objective that goes on on a second line.",
    ]
    assert learning_objectives("# Title\n\n## Other\n\n- x\n") == []
    # as trainers type the heading and the list: a typographic apostrophe, capitals, a colon,
    # numbers (the handout had no objectives for these, without a word)
    assert learning_objectives("# T\n\n## Objectifs d\u2019apprentissage\n\n1. repérer ;\n2) orienter.\n") == [
        "repérer ;",
        "orienter.",
    ]
    assert learning_objectives("# T\n\n## Learning Objectives:\n\n* spot\n") == ["spot"]


def test_pages_without_objectives_are_skipped(minimal: tuple[Course, dict[str, Book]]) -> None:
    course, books = minimal
    base = books["en"].pages[0].page
    made = [
        RenderedPage(
            Page("modules/police/a", "en", "police", Path("a.md"), ""),
            "# Page A\n\n## Learning objectives\n\n- aim A\n",
            [],
        ),
        RenderedPage(Page("modules/police/b", "en", "police", Path("b.md"), ""), "# Page B\n\nNo objectives.\n", []),
        RenderedPage(
            Page("modules/other/c", "en", "other", Path("c.md"), ""),
            "# Page C\n\n## Learning objectives\n\n- aim C\n",
            [],
        ),
        RenderedPage(base, "# Common page\n\n## Learning objectives\n\n- aim common\n", []),
    ]
    files = export(Selection(course, "police", ["en"]), "en", made)
    section = soup_of(files["handout-police-en.html"].decode("utf-8")).find(id="key-points")
    assert isinstance(section, Tag)
    assert [norm(h.get_text()) for h in section.find_all("h3")] == ["Page A", "Common page"]


def test_unknown_language_is_refused(minimal: tuple[Course, dict[str, Book]]) -> None:
    course, books = minimal
    with pytest.raises(ValueError, match="de"):
        export(Selection(course, "police", ["de"]), "de", books["en"].pages)


# --- the checks can fail ----------------------------------------------------------------------------


def test_check_catches_a_missing_question(minimal: tuple[Course, dict[str, Book]]) -> None:
    course, books = minimal
    selection = Selection(course, "police", ["en"])
    handout, _ = export_files(course, books, "police", "en")
    assert missing_prompts(handout, selection, "en") == []
    soup = soup_of(handout)
    found = block(soup, "t-short")
    assert found is not None
    found.decompose()
    assert missing_prompts(str(soup), selection, "en") == ["t-short"]
    scenario = soup.find(attrs={"data-scenario": "t-scenario"})
    assert isinstance(scenario, Tag)
    scenario.decompose()
    assert missing_prompts(str(soup), selection, "en") == ["t-short", "t-numeric", "t-scenario-single", "t-scenario"]


def test_check_catches_a_broken_key(minimal: tuple[Course, dict[str, Book]]) -> None:
    course, books = minimal
    selection = Selection(course, "police", ["en"])
    _, key = export_files(course, books, "police", "en")
    assert key_problems(key, selection, "en") == []
    soup = soup_of(key)
    for item_id in ("t-multiple", "t-numeric"):
        answer = block(soup, item_id).find(class_=KEY_MARKER)  # type: ignore[union-attr]
        assert isinstance(answer, Tag)
        answer.decompose()
    explanation = block(soup, "t-short").select_one(".explanation")  # type: ignore[union-attr]
    assert explanation is not None
    explanation.decompose()
    sources = block(soup, "t-match").select_one(".sources")  # type: ignore[union-attr]
    assert sources is not None
    sources.decompose()
    problems = key_problems(str(soup), selection, "en")
    assert any(p.startswith("t-multiple: answer") for p in problems)
    assert any(p.startswith("t-numeric: answer") for p in problems)
    assert "t-short: explanation" in problems
    assert "t-match: source definition:trafficking" in problems
    # a key with the order item's steps in the shown (wrong) order is caught too
    wrong = soup_of(key)
    steps = wrong.select(f'[data-item="t-order"] div.{KEY_MARKER} li')
    steps[0].insert_before(steps[-1].extract())
    assert any(p.startswith("t-order: answer") for p in key_problems(str(wrong), selection, "en"))


def test_check_catches_a_leaking_handout(minimal: tuple[Course, dict[str, Book]]) -> None:
    course, books = minimal
    selection = Selection(course, "police", ["en"])
    handout, key = export_files(course, books, "police", "en")
    soup = soup_of(handout)
    leaked = block(soup_of(key), "t-single")
    assert leaked is not None
    target = block(soup, "t-single")
    assert target is not None
    target.replace_with(leaked)
    leaks = handout_leaks(str(soup), selection, "en")
    assert f"marker {KEY_MARKER!r}" in leaks and "t-single: explanation" in leaks


def test_check_catches_network_loads() -> None:
    html = (
        '<html lang="en"><head><link rel="stylesheet" href="https://cdn.example.org/a.css">'
        '<style>@import url("https://fonts.example.org/f.css");</style>'
        '<script src="http://example.org/x.js"></script></head>'
        '<body><img src="//example.org/i.png"><p>plain https://example.org text is fine</p></body></html>'
    )
    found = network_loads(html)
    assert "<link>" in found and "<script>" in found and "<img>" in found
    assert any("CSS loads" in f for f in found)
    assert network_loads('<html lang="en"><body><p>https://example.org</p></body></html>') == []


def test_the_course_folders_own_boxes_are_on_paper_as_on_its_site(tmp_path: Path) -> None:
    """A trainer's who-to-call box that extends the built-in one with a line (a duty
    officer's number), and a referral box with an organisation of its own: the handout
    gives the same contacts as the site's pages, rendered from the same templates (it gave
    the built-in boxes' contacts only, without a word)."""
    import shutil

    course_dir = tmp_path / "course"
    shutil.copytree(FIXTURES / "minimal", course_dir)
    (course_dir / "templates").mkdir()
    (course_dir / "templates" / "who-to-call.md").write_text(
        '{% extends "builtin:who-to-call.md" %}\n{% block extra %}\n'
        "- **{{ 'Duty officer' if lang == 'en' else 'Permanence' }}**: 01 23 45 67 89 <b>day</b>\n{% endblock %}\n",
        "utf-8",
    )
    (course_dir / "templates" / "referral-contacts.md").write_text(
        '{% extends "builtin:referral-contacts.md" %}\n{% block extra %}\n- **Sainte-Anne shelter**: 01 98 76 54 32\n'
        "{% endblock %}\n",
        "utf-8",
    )
    for lang in ("fr", "en"):
        page = course_dir / "modules" / "police" / f"recognise.{lang}.md"
        page.write_text(page.read_text("utf-8") + "\n{{ who_to_call() }}\n\n{{ referral_contacts() }}\n", "utf-8")
    course, books = prepare(course_dir)
    site = "\n".join(p.markdown for p in books[1].pages if p.page.lang == "en")
    assert "Duty officer**: 01 23 45 67 89" in site and "Sainte-Anne shelter" in site  # what the site shows
    handout, _ = export_files(course, {b.lang: b for b in books}, None, "en")
    section = soup_of(handout).find(id="who-to-call")
    assert isinstance(section, Tag)
    text = norm(section.get_text(" "))
    assert "Duty officer : 01 23 45 67 89 <b>day</b>" in text  # the template's HTML shown, never run
    assert "Sainte-Anne shelter : 01 98 76 54 32" in text
    assert section.find("b") is None and section.find("strong") is not None
    assert UI["en"]["emergency"].rstrip(":") in text  # the built-in lines are still there
    # and the built-in boxes only: the handout's own layout, without those lines
    plain, _ = export_files(*minimal_books(), None, "en")
    assert "Duty officer" not in plain and "Sainte-Anne" not in plain


def minimal_books() -> tuple[Course, dict[str, Book]]:
    course, books = prepare(FIXTURES / "minimal")
    return course, {book.lang: book for book in books}


def test_the_right_answer_is_not_always_in_the_same_place(default_course: tuple[Course, dict[str, Book]]) -> None:
    """The built-in banks' writers put the right answer first or second out of habit (37 of
    38 single-choice questions of three options or more); the handout and the site show
    the options mixed, the same way in every build, so that a trainee cannot learn the
    place instead of the answer. The handout's letters and its key's agree."""
    import collections

    course, books = default_course
    places: collections.Counter[int] = collections.Counter()
    written: collections.Counter[int] = collections.Counter()
    for question in course.questions:
        for item in question.data["items"] if question.data["type"] == "scenario" else [question.data]:
            if item["type"] == "single" and len(item["options"]) >= 3:
                written[next(i for i, o in enumerate(item["options"]) if o.get("correct"))] += 1
                shown = shown_order(item["id"], item["options"])
                assert sorted(o["id"] for o in shown) == sorted(o["id"] for o in item["options"])
                assert shown == shown_order(item["id"], list(reversed(item["options"])))  # by ids, not by place
                places[next(i for i, o in enumerate(shown) if o.get("correct"))] += 1
    total = sum(places.values())
    assert max(written.values()) > total * 0.6  # as written: the check below can fail
    assert max(places.values()) <= total * 0.4, places
    handout, key = export_files(course, books, "police", "fr")
    item = next(
        q.data
        for q in course.questions
        if q.data["type"] == "single" and len(q.data["options"]) >= 3 and "police" in q.audiences
    )
    letters = {o["text"]["fr"]: chr(ord("A") + i) for i, o in enumerate(shown_order(item["id"], item["options"]))}
    shown_block = block(soup_of(handout), item["id"])
    assert shown_block is not None
    for li in shown_block.select("ul.options li"):
        text = norm(li.get_text(" "))
        assert any(
            text.startswith(f"{letter} . {norm(option)}") or text.startswith(f"{letter}. {norm(option)}")
            for option, letter in letters.items()
        ), text


def test_the_french_handout_keeps_french_typography(minimal: tuple[Course, dict[str, Book]]) -> None:
    """On paper as on the site: no line of a French handout begins with '?' or ':'."""
    course, books = minimal
    handout, key = export_files(course, books, None, "fr")
    for page in (handout, key):
        assert "frontière\u00a0?" in page and "frontière ?" not in page
    english, _ = export_files(course, books, None, "en")
    assert "\u00a0?" not in english


def test_a_one_audience_course_handout_is_titled_for_its_audience(minimal: tuple[Course, dict[str, Book]]) -> None:
    """The minimal course has one audience, police: its handout says so without --audience,
    not "all audiences" (printed in front of the trainees)."""
    course, books = minimal
    assert course.audience_ids == ["police"]
    handout, key = export_files(course, books, None, "fr")
    for page in (handout, key):
        assert "— Police</p>" in page and "Tous les publics" not in page


def test_the_handout_numbers_each_quiz_as_the_site_does(default_course: tuple[Course, dict[str, Book]]) -> None:
    """Each quiz of the handout (the common one, the audience's) is titled and numbered from
    1, in the order of the site's quiz for that bank: a trainer who says "question 3 of the
    police quiz" means the same question on paper and on screen (the handout numbered the
    whole course on, 42 where the site said 22)."""
    from bs4 import BeautifulSoup

    from coursegen.quizzes import public_questions, selected

    course, books = default_course
    handout, key = export_files(course, books, "police", "en")
    public = public_questions(selected(course, ["police"]), "en")
    for page in (handout, key):
        soup = BeautifulSoup(page, "html.parser")
        titles = soup.select("h3.quiz-title")
        assert [t.get_text() for t in titles] == ["Quiz: Common foundations", "Quiz: Police"]
        for title, bank in zip(titles, ("common", "police"), strict=True):
            site = [
                i["id"] for q in public if q["bank"] == bank for i in (q["items"] if q["type"] == "scenario" else [q])
            ]
            shown = []
            for element in title.find_all_next(["h3", "div"]):
                if "quiz-title" in (element.get("class") or []) and element is not title:
                    break
                if element.name == "div" and element.get("data-item"):
                    shown.append((element["data-item"], element.h3.get_text().split(" (")[0]))
            assert [i for i, _ in shown] == site
            assert [n for _, n in shown] == [f"Question {n}" for n in range(1, len(site) + 1)]


def test_a_question_that_says_how_to_answer_is_not_told_it_again() -> None:
    """The paper repeats no instruction that a question's text ends with ("… Cochez toutes
    les bonnes réponses." then "Cochez toutes les bonnes réponses."); the others keep it."""
    from conftest import ROOT
    from coursegen.exporters.handout import UI, _options_form
    from coursegen.loading import load_course

    course, _ = load_course(ROOT)
    assert course is not None
    choices = [i for q in course.questions for i in q.graded() if i["type"] in ("single", "multiple")]
    told = {True: 0, False: 0}
    for item in choices:
        for lang in ("fr", "en"):
            said = UI[lang]["tick_one" if item["type"] == "single" else "tick_all"]
            ends = item["prompt"][lang].rstrip().endswith(said)
            html = _options_form(item, lang)
            assert (f'<p class="instructions">{said}</p>' in html) is not ends, (item["id"], lang)
            told[ends] += 1
    assert told[True] >= 6 and told[False] > 50, told


def test_a_handout_on_a_full_disk_says_so_and_changes_nothing(tmp_path: Path) -> None:
    """A disk with room for no handout: one line says so, with what to do (it gave Python's
    "No space left on device"), and the handouts exported before are left as they were."""
    from conftest import coursegen
    from test_export_scorm import small_disk

    with small_disk(tmp_path / "full") as full:
        out = full / "o"
        out.mkdir()
        (out / "handout-police-fr.html").write_text("earlier", "utf-8")
        with contextlib.suppress(OSError), (full / "filler").open("wb") as filler:
            while True:  # until the disk is full
                filler.write(b"x" * 4096)
                filler.flush()
        result = coursegen("export", "handout", str(FIXTURES / "minimal"), "--audience", "police", "--out", str(out))
        left = {p.name: p.read_text("utf-8") for p in out.iterdir()}
    assert result.returncode == 2, result.stderr  # as a build's full disk: nothing in the course is wrong
    assert result.stderr.splitlines()[-2] == (
        f"{out / 'handout-police-fr.html'}:1:1: no space left on this disk: free some space, or write to another "
        "disk (--out); nothing was changed [no-space]"
    ), result.stderr
    assert left == {"handout-police-fr.html": "earlier"} and "Traceback" not in result.stderr
