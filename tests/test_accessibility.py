"""axe-core (pinned: 4.12.1, bundled by axe-playwright-python 0.1.8) on every kind of page,
in both languages, in light and dark mode, before and after using the quiz, and with search
results: no WCAG 2.1 A/AA violation. And every page on a phone 320 px wide."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from browser import answer, browser, new_page, serve
from test_grading import BANK_ITEMS, key_response, wrong_response

pytestmark = [pytest.mark.slow, pytest.mark.browser]
AXE_VERSION = "4.12.1"
AXE = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")
# WCAG 2.0, 2.1 and 2.2 A/AA, and axe's best practices (an empty table header, a page
# without a main landmark, content outside landmarks)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

# Violations we accept, each for a reason, by (rule id, CSS selector of the element).
# What we write (pages, quiz widget, diagrams, boxes, coverage matrix, the server's pages)
# has no entry. An entry must say why.
ALLOWLIST: dict[tuple[str, str], str] = {
    ("region", ".sidebar-primary-items__start > .sidebar-primary-item:nth-child(1)"): (
        "a best practice, not a WCAG rule: sphinx-book-theme 1.x puts the course's title and logo "
        "at the top of the menu, in a <div> outside its <nav> (the menu is shown on wide screens)"
    ),
}

PAGES = {
    "home": "index.html",
    "content": "common/framework.html",
    "diagram and boxes": "police/cooperate.html",
    "quiz": "police/cooperate.html",
    "notebook": "police/quiz-notebook.html",
    "coverage matrix": "coverage.html",
    "glossary": "common/glossary.html",
    "search": "search.html",
    "search results": "search.html?q={word}",
    # the next page opened marks the words searched, in its text and its menu's links
    "page after a search": "officials/obligations.html",
}
WORD = {"fr": "traite", "en": "trafficking"}  # a word that many pages hold


def violations(page: Any) -> list[tuple[str, str, str]]:
    page.add_script_tag(content=AXE)
    assert page.evaluate("axe.version") == AXE_VERSION
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
        ".flatMap(v => v.nodes.map(n => [v.id, n.target.join(' '), v.help]))",
        TAGS,
    )
    return [tuple(v) for v in found if (v[0], v[1]) not in ALLOWLIST]  # type: ignore[misc]


@pytest.mark.parametrize("scheme", ["light", "dark"])  # dark: a phone set to dark mode
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_kind_of_page(site: Path, lang: str, scheme: str) -> None:
    with browser() as b, serve(site) as url:
        page = new_page(b, [], color_scheme=scheme)
        for kind, rel in PAGES.items():
            page.goto(f"{url}/{lang}/_build/html/{rel.format(word=WORD[lang])}", wait_until="networkidle")
            assert page.evaluate("document.documentElement.dataset.theme") == scheme
            if kind == "search results":  # listed, each with its page's summary
                page.wait_for_selector("#search-results li p.context")
                assert page.locator("#search-results li").count() > 1, lang
            if kind == "page after a search":
                assert page.locator("a .highlighted").count() > 0, lang
            if kind == "quiz":  # with feedback shown: right, wrong, partly right and unanswered
                # (axe, run on the pages before, asks for the style sheets that one imports, at
                # the wrong place: "Failed to load resource" is its own, not the page's)
                before = len(page.js_errors)  # type: ignore[attr-defined]
                assert show_every_feedback(page) == {"right", "wrong", "partial", "unanswered"}
                assert page.js_errors[before:] == []  # type: ignore[attr-defined]
            assert violations(page) == [], (lang, kind)


def show_every_feedback(page: Any) -> set[str]:
    """Answer the page's questions as a trainee would, one right, one wrong, one partly
    right, one not at all, and check each: the states the page's questions are in."""
    ids = page.evaluate("() => [...document.querySelectorAll('form.cg-q')].map(f => f.id.slice(4))")
    items = [BANK_ITEMS[i] for i in ids]
    singles = [i for i in items if i["type"] == "single"]
    several = next(
        i for i in items if i["type"] == "multiple" and sum(bool(o.get("correct")) for o in i["options"]) > 1
    )
    partly = [next(o["id"] for o in several["options"] if o.get("correct"))]  # one right option of several
    for item, response in [
        (singles[0], key_response(singles[0])),
        (singles[1], wrong_response(singles[1])),
        (several, partly),
        (singles[2], None),
    ]:
        answer(page, item["id"], item["type"], response)
        page.click(f"#cgq-{item['id']} button.cg-check")
    return set(page.evaluate("() => [...document.querySelectorAll('form.cg-q[data-state]')].map(f => f.dataset.state)"))


@pytest.mark.parametrize("state", ["right", "partial"])
def test_axe_sees_the_feedback_of_each_state(site: Path, state: str) -> None:
    """The feedback of a right and of a partly right answer is shown to axe: made faint,
    it is reported (the quiz above was only ever checked wrong or unanswered)."""
    with browser() as b, serve(site) as url:
        page = new_page(b, [])
        page.goto(f"{url}/en/_build/html/police/cooperate.html")
        page.add_style_tag(content=f'.cg-q[data-state="{state}"] .cg-fb {{ color: #f4f4f4 !important; }}')
        show_every_feedback(page)
        rules = {v[0] for v in violations(page)}
    assert "color-contrast" in rules


def test_axe_finds_a_violation_when_there_is_one(site: Path) -> None:
    """The check can fail: an input without a label and text without contrast are reported."""
    with browser() as b, serve(site) as url:
        page = new_page(b, [])
        page.goto(f"{url}/en/_build/html/police/cooperate.html")
        page.evaluate(
            "() => { const f = document.querySelector('form.cg-q fieldset');"
            " const i = document.createElement('input'); i.type = 'text'; f.appendChild(i);"
            " const p = document.createElement('p'); p.textContent = 'faint'; p.style.color = '#eee'; f.appendChild(p);"
            " const t = document.createElement('table'); f.appendChild(t);"
            " t.innerHTML = '<thead><tr><th></th><th>Smuggling</th></tr></thead><tbody><tr><td>a</td><td>b</td></tr></tbody>'; }"
        )
        rules = {v[0] for v in violations(page)}
    assert {"label", "color-contrast", "empty-table-header"} <= rules


def test_the_servers_own_pages(site: Path) -> None:
    """`coursegen serve`'s home (a link per language) and its page for an address that
    leads nowhere: no violation either, landmarks included. Control: without its <main>,
    the home is reported."""
    from coursegen.serving import make_server

    with browser() as b, serve(site, make_server(site, "127.0.0.1", 0)) as url:
        page = new_page(b, [])
        for rel in ("", "fr/_build/html/nowhere.html"):
            page.goto(f"{url}/{rel}")
            assert page.locator("main h1").count() == 1, rel
            assert violations(page) == [], rel
        page.goto(f"{url}/")
        page.evaluate("() => { const m = document.querySelector('main'); m.replaceWith(...m.childNodes); }")
        assert {v[0] for v in violations(page)} >= {"landmark-one-main"}


PHONE = {"viewport": {"width": 320, "height": 568}, "is_mobile": True, "has_touch": True}
# What may be wider than a phone, in a container that scrolls sideways on its own.
SCROLLS_ON_ITS_OWN = ".pst-scrollable-table-container, pre, .highlight, .bd-sidebar-primary, .bd-sidebar-secondary"
MEASURE = """(skip) => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('.bd-main *')]
    .filter(el => el.getBoundingClientRect().right > width + 1 && !el.closest(skip))
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + Math.round(el.getBoundingClientRect().right));
  const cut = [...document.querySelectorAll('.bd-main *')]
    .filter(el => ['hidden', 'clip'].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1)
    .map(el => el.tagName.toLowerCase() + '.' + el.className + ' ' + el.scrollWidth + '>' + el.clientWidth);
  return {scroll: document.documentElement.scrollWidth - width, wide: wide.slice(0, 5), cut};
}"""


# The words of the elements `sel` broken across two lines, or running out of their element's
# box (`within`: of the nearest ancestor of theirs that it names).
BROKEN_WORDS = """([sel, within]) => [...document.querySelectorAll(sel)].flatMap(el => {
  const out = [], box = (el.closest(within) || el).getBoundingClientRect();
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, words = /[^\\s\\u2010-\\u2014-]+/g;  // "real-life" may break after its hyphen
    for (let m; (m = words.exec(node.data));) {
      const range = document.createRange();
      range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      const rects = [...range.getClientRects()].filter(r => r.width > 0);
      if (rects.length > 1 || rects.some(r => r.left < box.left - 1 || r.right > box.right + 1)) out.push(m[0]);
    }
  }
  return out;
})"""


def phone_problems(page: Any, url: str, text_200: bool = False) -> dict[str, Any]:
    page.goto(url)
    if text_200:  # the reader's text size doubled (WCAG 1.4.4): nothing cut off
        page.add_style_tag(content="html { font-size: 200% !important; }")
    return dict(page.evaluate(MEASURE, SCROLLS_ON_ITS_OWN))


def test_every_page_fits_an_old_phone(site: Path) -> None:
    """At 320 px wide (WCAG 1.4.10), no page scrolls sideways: not a quiz's lists of
    choices, nor a long word in a heading; with the text twice as large (1.4.4) nothing
    is cut off (the theme's notes cut what overflowed them: the numbers to call)."""
    pages = [p for lang in ("fr", "en") for p in sorted((site / lang / "_build" / "html").rglob("*.html"))]
    pages = [p for p in pages if "_static" not in p.parts]
    assert len(pages) > 40
    with browser() as b:
        page = new_page(b, [], **PHONE)
        for path in pages:
            found = phone_problems(page, path.resolve().as_uri())
            assert found["scroll"] <= 0 and found["wide"] == [] and found["cut"] == [], (path, found)
            found = phone_problems(page, path.resolve().as_uri(), text_200=True)
            assert found["cut"] == [], (path, found)
            assert page.evaluate(BROKEN_WORDS, [".bd-main h1", "h1"]) == [], path  # « fondeme / nts »


def test_with_text_twice_as_large_titles_break_between_words(site: Path) -> None:
    """On a phone with the text twice as large, the course's title in the menu stays inside
    it (« nternationales » ran off both sides) and no word of it, or of a page's title, is
    broken in two (« fondeme / nts »). Control: at the theme's sizes, both are."""
    with browser() as b:
        page = new_page(b, [], viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
        for lang, rel in (("fr", "index.html"), ("fr", "common/quiz.html"), ("en", "index.html")):
            for theirs in (False, True):
                page.goto((site / lang / "_build" / "html" / rel).resolve().as_uri())
                page.add_style_tag(content="html { font-size: 200% !important; }")
                if theirs:
                    page.add_style_tag(content=".bd-main h1 { font-size: var(--pst-font-size-h1) !important; }"
                                       " .navbar-brand .logo__title { font-size: 1.25rem !important; }")  # fmt: skip
                page.locator("button.primary-toggle:visible").first.click()
                page.wait_for_timeout(300)  # the menu slides in
                broken = page.evaluate(BROKEN_WORDS, [".bd-main h1", "h1"])
                broken += page.evaluate(BROKEN_WORDS, [".logo__title", ".bd-sidebar-primary"])
                assert (broken != []) is theirs, (lang, rel, theirs, broken)


def test_the_phone_check_sees_a_page_too_wide_and_text_cut_off(site: Path) -> None:
    """The check can fail: a quiz's list of choices as wide as its longest choice, and a
    note that cuts off what overflows it, as the theme's did."""
    with browser() as b:
        page = new_page(b, [], **PHONE)
        url = (site / "en" / "_build" / "html" / "police" / "cooperate.html").resolve().as_uri()
        page.goto(url)
        page.add_style_tag(content=".cg-quiz select { max-width: none; min-width: 600px; flex: none; }")
        found = dict(page.evaluate(MEASURE, SCROLLS_ON_ITS_OWN))
        assert found["scroll"] > 0 and any(w.startswith("select") for w in found["wide"])
        page.goto(url)
        page.add_style_tag(
            # the prompt keeps its own line breaks (white-space: pre-line): made one line too
            content=".bd-main .admonition, .cg-q { overflow-x: hidden; } .cg-q legend, .cg-q legend * { white-space: nowrap; }"
        )
        assert dict(page.evaluate(MEASURE, SCROLLS_ON_ITS_OWN))["cut"] != []


def test_the_quiz_controls_are_large_enough_for_a_finger(site: Path) -> None:
    """WCAG 2.5.8: a target at least 24 x 24 CSS px (boxes to tick were 13 px, lists to
    choose from 23 px high); each choice's text stays beside its box."""
    with browser() as b:
        page = new_page(b, [], **PHONE)
        for rel in ("common/quiz.html", "labour-inspectors/refer.html"):
            page.goto((site / "en" / "_build" / "html" / rel).resolve().as_uri())
            sizes = page.evaluate(
                "() => [...document.querySelectorAll('.cg-quiz input[type=radio], .cg-quiz input[type=checkbox],"
                " .cg-quiz select, .cg-quiz button')].map(el => { const r = el.getBoundingClientRect();"
                " const label = el.nextElementSibling; const beside = !label || label.tagName != 'LABEL'"
                " || label.getBoundingClientRect().top < r.bottom;"
                " return [el.tagName + '#' + el.id, r.width, r.height, beside]; })"
            )
            assert len(sizes) > 10
            small = [s for s in sizes if s[1] < 24 or s[2] < 24]
            apart = [s for s in sizes if not s[3]]
            assert small == [] and apart == [], (rel, small[:3], apart[:3])


def test_on_a_phone_tables_keep_their_first_column_and_nothing_floats_over_the_text(site: Path) -> None:
    """On a phone: a wide table scrolled sideways keeps its first column in place (the
    column scrolled to is read against what each row is about); the theme's floating
    "Back to top" button, which sat over a quiz's answers as the page scrolled up, is not
    shown; a quiz notebook's printed questions wrap instead of each scrolling sideways.
    Control: on a desktop (a mouse), the button is still the theme's."""
    with browser() as b:
        page = new_page(b, [], **PHONE)
        page.goto((site / "fr" / "_build" / "html" / "labour-inspectors" / "detect.html").resolve().as_uri())
        moved = page.evaluate(
            "() => { const box = document.querySelector('.pst-scrollable-table-container');"
            " const first = box.querySelector('tbody td'), last = box.querySelector('tbody td:last-child');"
            " const before = first.getBoundingClientRect().left; box.scrollLeft = box.scrollWidth;"
            " return [box.scrollWidth > box.clientWidth, box.scrollLeft > 0,"
            " first.getBoundingClientRect().left - before, last.getBoundingClientRect().left]; }"
        )
        wide, scrolled, shift, _ = moved
        assert wide and scrolled and abs(shift) < 1, moved
        refer = (site / "fr" / "_build" / "html" / "labour-inspectors" / "refer.html").resolve().as_uri()
        page.goto(refer)
        assert scrolled_up(page) == ("block", "none")  # the theme shows it; not on a phone
        page.goto((site / "fr" / "_build" / "html" / "police" / "quiz-notebook.html").resolve().as_uri())
        wraps = page.evaluate(
            "() => [...document.querySelectorAll('.cell_output pre')].map(p => p.scrollWidth <= p.clientWidth + 1)"
        )
        assert wraps and all(wraps), wraps.count(False)
        desk = new_page(b, [], viewport={"width": 1024, "height": 768})  # a mouse; the theme hides it from 1200 px
        desk.goto(refer)
        assert scrolled_up(desk) == ("block", "block")


def scrolled_up(page: Any) -> tuple[str, str]:
    """The "Back to top" button after the page scrolls down, then up a little: the display
    that the theme's script gives it, and the one it has."""
    for y in (6000, 5000):
        page.evaluate(f"() => window.scrollTo(0, {y})")
        page.wait_for_timeout(150)
    return tuple(  # type: ignore[return-value]
        page.evaluate(
            "() => { const b = document.getElementById('pst-back-to-top');"
            " return [b.style.display, getComputedStyle(b).display]; }"
        )
    )


def test_with_text_twice_as_large_the_header_s_buttons_stay_on_the_screen(site: Path) -> None:
    """WCAG 1.4.4 on a phone: with the text twice as large, the header's last buttons
    (search, the page's contents) were off the screen. Control: icons that grow with the text."""
    with browser() as b:
        page = new_page(b, [], **PHONE)
        for rel, theirs in (("police/cooperate.html", False), ("search.html", False), ("police/cooperate.html", True)):
            page.goto((site / "fr" / "_build" / "html" / rel).resolve().as_uri())
            page.add_style_tag(content="html { font-size: 200% !important; }")
            if theirs:  # the control: the theme's buttons, whose icons grow with the text
                page.add_style_tag(
                    content=".bd-header-article .header-article-items .btn { font-size: 2rem !important; }"
                )
            off = page.evaluate(
                "() => [...document.querySelectorAll('.bd-header-article .header-article-items .btn')]"
                ".filter(b => b.offsetParent !== null && b.getBoundingClientRect().width > 0)"
                f".filter(b => b.getBoundingClientRect().right > {PHONE['viewport']['width']}).map(b => b.className)"
            )  # (a phone shows a page wider than itself zoomed out: its own width does not grow)
            assert (off != []) is theirs, (rel, off)
