"""axe-core (pinned: 4.12.1, bundled by axe-playwright-python 0.1.8) on every kind of page,
in both languages, before and after using the quiz, and with search results: no WCAG 2.1
A/AA violation."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from browser import browser, new_page, serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]
AXE_VERSION = "4.12.1"
AXE = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text("utf-8")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Violations we accept, each for a reason, by (rule id, CSS selector of the element).
# What we write (pages, quiz widget, diagrams, boxes, coverage matrix) has no entry; the
# theme (sphinx-book-theme 1.x) needed none either with axe 4.12.1. An entry must say why.
ALLOWLIST: dict[tuple[str, str], str] = {}

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


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_kind_of_page(site: Path, lang: str) -> None:
    with browser() as b, serve(site) as url:
        page = new_page(b, [])
        for kind, rel in PAGES.items():
            page.goto(f"{url}/{lang}/_build/html/{rel.format(word=WORD[lang])}", wait_until="networkidle")
            if kind == "search results":  # listed, each with its page's summary
                page.wait_for_selector("#search-results li p.context")
                assert page.locator("#search-results li").count() > 1, lang
            if kind == "quiz":  # with feedback shown: right, wrong, partly right and unanswered
                forms = page.locator("form.cg-q")
                for i in range(min(forms.count(), 6)):
                    form = forms.nth(i)
                    first = form.locator("input[type=radio], input[type=checkbox]")
                    if first.count():
                        first.first.check()
                    form.locator("button.cg-check").click()
            assert violations(page) == [], (lang, kind)


def test_axe_finds_a_violation_when_there_is_one(site: Path) -> None:
    """The check can fail: an input without a label and text without contrast are reported."""
    with browser() as b, serve(site) as url:
        page = new_page(b, [])
        page.goto(f"{url}/en/_build/html/police/cooperate.html")
        page.evaluate(
            "() => { const f = document.querySelector('form.cg-q fieldset');"
            " const i = document.createElement('input'); i.type = 'text'; f.appendChild(i);"
            " const p = document.createElement('p'); p.textContent = 'faint'; p.style.color = '#eee'; f.appendChild(p); }"
        )
        rules = {v[0] for v in violations(page)}
    assert {"label", "color-contrast"} <= rules
