"""Build the default course with Jupyter Book (as the README does) and check the HTML."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import seed
from conftest import COURSE_PARTS, ROOT, coursegen
from coursegen import reuse
from coursegen.loading import load_course

pytestmark = pytest.mark.slow
AUDIENCES = ["police", "employers", "labour-inspectors", "officials"]


def html_pages(site: Path, lang: str) -> dict[str, Path]:
    html = site / lang / "_build" / "html"
    return {
        p.relative_to(html).as_posix(): p
        for p in html.rglob("*.html")
        if p.relative_to(html).parts[0] not in ("_static", "_sources", "_images")
        and p.name not in ("genindex.html", "search.html")
    }


def article_text(path: Path) -> str:
    soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
    article = soup.select_one("article")
    assert article is not None, path
    # get_text(" ") puts a space between "<strong>headline</strong>" and a comma after it
    return seed.norm(article.get_text(" ")).replace(" ,", ",")


def site_text(site: Path, lang: str) -> str:
    return " ".join(article_text(p) for p in html_pages(site, lang).values())


def test_build_prints_where_to_open(site: Path) -> None:
    for lang in ("fr", "en"):
        assert (site / lang / "_build" / "html" / "index.html").is_file()


def test_zero_sphinx_warnings(site: Path) -> None:
    for lang in ("fr", "en"):
        log = (site / lang / "_build" / "build.log").read_text("utf-8")
        assert "build succeeded" in log
        assert "WARNING" not in log and "ERROR" not in log


def test_diagrams_carry_no_book_wide_figure_numbers(site: Path) -> None:
    """`numfig: false` holds: no "Fig. 3" on a page whose only diagram is its first."""
    for lang in ("fr", "en"):
        pages = [p.read_text("utf-8") for p in html_pages(site, lang).values()]
        assert sum("<figcaption>" in text for text in pages) >= 3  # the diagrams are there
        assert not any('class="caption-number"' in text for text in pages)


def test_a_diagram_opens_alone_to_be_zoomed(site: Path) -> None:
    """On a phone the diagram's words are small: the picture links to its own file, in the
    site, which the phone opens alone and zooms."""
    from bs4 import BeautifulSoup

    html = site / "fr" / "_build" / "html"
    page = html / "labour-inspectors" / "refer.html"
    figure = BeautifulSoup(page.read_text("utf-8"), "html.parser").select_one("figure")
    link = figure.select_one("a.image-reference") if figure else None
    assert link is not None and link.img is not None and link.img.get("alt")
    assert link["href"].endswith(".svg") and (page.parent / link["href"]).resolve().is_file()


def _sidebar_navs(html: Path) -> dict[str, str]:
    """Each page's primary navigation, as written."""
    navs = {}
    for page in sorted(html.rglob("*.html")):
        if "_static" in page.relative_to(html).parts:
            continue
        text = page.read_text("utf-8")
        start = text.find('<nav class="bd-links bd-docs-nav"')
        navs[page.relative_to(html).as_posix()] = text[start : text.find("</nav>", start)] if start >= 0 else ""
    return navs


def _squeezed(fragment: str) -> str:
    return re.sub(r"\s*(<|>)\s*", r"\1", fragment).strip()


def test_sidebar_navigation_is_the_themes(minimal_site: Path, minimal_course: Path, tmp_path: Path) -> None:
    """coursegen renders the sidebar's navigation once per build (sphinxext._navigation);
    it must give what the theme's own component gives, page by page, but for the entry of
    a quiz under a page's heading (its own test, below)."""
    config = minimal_course / "_config.yml"
    theme_sidebar = "navbar-logo.html, icon-links.html, search-button-field.html, sbt-sidebar-nav.html"
    config.write_text(
        config.read_text("utf-8").replace(
            "  config:\n", f'  config:\n    html_sidebars: {{"**": [{theme_sidebar}]}}\n', 1
        ),
        "utf-8",
    )
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stdout + result.stderr
    ours = _sidebar_navs(minimal_site / "en" / "_build" / "html")
    assert all(nav.count("cg-nav-quiz") == 1 for nav in ours.values()), ours  # police/recognise's quiz
    ours = {page: re.sub(r'<li class="toctree-l1 cg-nav-quiz">.*?</li>', "", nav) for page, nav in ours.items()}
    theirs = _sidebar_navs(tmp_path / "out" / "en" / "_build" / "html")
    assert ours.keys() == theirs.keys() and len(ours) >= 5
    for page, nav in ours.items():
        assert nav.count("<li") >= 4, page
        if page not in ("genindex.html", "search.html"):
            assert 'class="toctree-l1 current active"' in nav, page  # the page itself is marked
        assert _squeezed(nav) == _squeezed(theirs[page]), page
    # Both components did run: the two are written differently (the theme's is indented).
    assert all(ours[page] != theirs[page] for page in ours)


def test_the_menu_leads_to_each_audiences_quiz(site: Path) -> None:
    """An audience's quiz sits under the heading `Quiz` at the end of its part's last
    chapter: the menu showed that chapter's title only, and a trainee on a phone found the
    quiz by reading the part to its end. Each part now has a `Quiz` entry, on every page,
    right after the page that holds it, leading to the heading above the quiz. Control: the
    common part's quiz page, whose title says "Quiz", gets no second entry."""
    for lang in ("fr", "en"):
        html_root = site / lang / "_build" / "html"
        navs = _sidebar_navs(html_root)
        entries = re.findall(
            r'<li class="toctree-l1 cg-nav-quiz"><a class="reference internal" href="([^"]*)">Quiz</a>',
            navs["index.html"],
        )
        assert entries == [
            "police/cooperate.html#quiz",
            "employers/respond.html#quiz",
            "labour-inspectors/refer.html#quiz",
            "officials/prevent.html#quiz",
        ], entries
        for entry in entries:
            page, anchor = entry.split("#")
            text = (html_root / page).read_text("utf-8")
            held = text[text.index(f'<section id="{anchor}">') :]
            assert held.index('class="cg-quiz"') < held.index("</section>"), entry  # the quiz is under it
            nav = navs[page]
            assert f'href="#{anchor}">Quiz</a>' in nav, page  # on its own page: the place, no reload
            before = nav[
                : nav.index(f'<li class="toctree-l1 cg-nav-quiz"><a class="reference internal" href="#{anchor}"')
            ]
            assert (
                before.rstrip().endswith("</li>")
                and 'current active"><a class="current reference internal" href="#"' in before[-300:]
            ), page
        assert navs["police/recognise.html"].count("cg-nav-quiz") == 4
        assert all(nav.count("cg-nav-quiz") == 4 for page, nav in navs.items() if nav), lang


def test_a_quiz_s_menu_entry_follows_its_heading_on_every_page(minimal_course: Path, tmp_path: Path) -> None:
    """The menu is on every page: a quiz's heading renamed in one page is the entry's new
    name in the other pages' menus too, the home page's among them, which the rebuild did
    not read again (Sphinx writes every page again when one changed)."""
    out = tmp_path / "out"
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    home = out / "en" / "_build" / "html" / "index.html"
    assert '">Quiz</a></li>' in _sidebar_navs(home.parent)["index.html"]
    page = minimal_course / "modules" / "police" / "recognise.en.md"
    page.write_text(page.read_text("utf-8").replace("## Quiz", "## Check yourself"), "utf-8")
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    nav = _sidebar_navs(home.parent)["index.html"]
    assert 'href="police/recognise.html#check-yourself">Check yourself</a></li>' in nav, nav
    assert ">Quiz</a>" not in nav, nav


def test_every_page_has_its_language(site: Path) -> None:
    for lang in ("fr", "en"):
        pages = html_pages(site, lang)
        assert len(pages) > 15
        for rel, path in pages.items():
            tag = re.search(r"<html[^>]*\blang=\"([a-z]+)\"", path.read_text("utf-8"))
            assert tag and tag.group(1) == lang, rel


def test_every_page_s_browser_title_names_the_book_once(site: Path) -> None:
    """A tab or a bookmark shows the page's title and the book's; the home page, whose title
    is the book's, said it twice ("Title — Title")."""
    course, _ = load_course(ROOT)
    assert course is not None
    for lang in ("fr", "en"):
        pages = html_pages(site, lang)
        book = course.title[lang]
        for rel, path in pages.items():
            soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
            assert soup.title is not None, rel
            title = soup.title.get_text()
            assert title.count(book) == 1, (rel, title)
            heading = soup.select_one("article h1")
            assert heading is not None, rel
            # the page's own text has French typography's no-break spaces (sphinxext.FrenchSpaces)
            page = " ".join(heading.get_text().replace("#", "").split())
            assert title == (book if page == book else f"{page} \u2014 {book}"), (rel, title, page)


def test_french_site_quotes_the_seed_word_for_word(site: Path) -> None:
    text = site_text(site, "fr")
    expected = [
        *seed.actions().values(),
        *seed.sdg_targets().values(),
        seed.ab629(),
        *seed.protect(),
        seed.brazil_paragraph(),
        seed.brazil_note(),
    ]
    missing = [e[:60] for e in expected if e not in text]
    assert not missing


def test_english_site_quotes_the_translation(site: Path) -> None:
    course, _ = load_course(ROOT)
    assert course is not None
    text = site_text(site, "en")
    kinds = ("action", "sdg", "practice")
    missing = [s.id for s in course.sources.values() if s.kind in kinds and seed.norm(s.text["en"]) not in text]
    assert not missing
    for letter in "abcdefghij":
        assert seed.norm(course.sources[f"action:{letter}"].title["en"]) in text


def test_pages_per_part_and_words_per_audience_page(site: Path) -> None:
    for lang in ("fr", "en"):
        pages = html_pages(site, lang)
        common = [p for p in pages if p.startswith("common/")]
        assert len(common) >= 5, common
        for audience in AUDIENCES:
            own = [p for p in pages if p.startswith(f"{audience}/")]
            assert len(own) >= 3, (lang, audience, own)
            for rel in own:
                words = len(article_text(pages[rel]).split())
                assert words >= 400, (lang, rel, words)


def test_language_switch_links_resolve(site: Path) -> None:
    """Every page links to the same page in the other language: the course's pages, and
    those Sphinx makes (the search page and the index, which had no link)."""
    for lang in ("fr", "en"):
        made = {name: site / lang / "_build" / "html" / name for name in ("search.html", "genindex.html")}
        for rel, path in {**html_pages(site, lang), **made}.items():
            soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
            link = soup.select_one("a.cg-lang-switch")
            assert link is not None, rel
            target = (path.parent / str(link["href"])).resolve()
            assert target.is_file(), (rel, link["href"])
            assert target.relative_to(site.resolve()).parts[0] == link["hreflang"] != lang


def test_one_language_built_links_to_the_other_already_published(minimal_course: Path, tmp_path: Path) -> None:
    """`build --lang fr` after a full build keeps the French pages' links to the English
    site that is still there, and links no page to one that site does not have."""
    site = tmp_path / "site"  # not tmp_path, which holds the course folder: refused

    def switches(lang: str) -> dict[str, str]:
        return {
            rel: str(link["href"])
            for rel, path in html_pages(site, lang).items()
            for link in BeautifulSoup(path.read_text("utf-8"), "html.parser").select("a.cg-lang-switch")
        }

    assert coursegen("build", str(minimal_course), "--out", str(site)).returncode == 0
    before = switches("fr")
    assert "common/basics.html" in before and len(before) >= 3, before
    # a new French page (the English one is written too, but not built)
    for lang in ("fr", "en"):
        (minimal_course / "modules" / "common" / f"extra.{lang}.md").write_text(f"# Extra {lang}\n\nText.\n", "utf-8")
    toc = minimal_course / "_toc.yml"
    toc.write_text(
        toc.read_text("utf-8").replace(
            "- file: modules/common/basics", "- file: modules/common/basics\n      - file: modules/common/extra", 1
        ),
        "utf-8",
    )
    assert "modules/common/extra" in toc.read_text("utf-8"), "the page is in the table of contents"
    result = coursegen("build", str(minimal_course), "--lang", "fr", "--out", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    after = switches("fr")
    assert "common/extra.html" in html_pages(site, "fr")
    assert "common/extra.html" not in after  # the English site has no such page yet
    assert after == before
    for rel, href in after.items():
        assert (html_pages(site, "fr")[rel].parent / href).resolve().is_file(), (rel, href)
    # both languages with the page; then English alone without it: the French page's link
    # to it, left alone, leads nowhere, which the build says, with what to do
    assert coursegen("build", str(minimal_course), "--out", str(site)).returncode == 0
    assert switches("fr")["common/extra.html"].endswith("en/_build/html/common/extra.html")
    toc.write_text(toc.read_text("utf-8").replace("\n      - file: modules/common/extra", ""), "utf-8")
    for lang in ("fr", "en"):  # the page taken out of the course
        (minimal_course / "modules" / "common" / f"extra.{lang}.md").unlink()
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "note: 1 page(s) of the fr site link to en pages this build left out (common/extra): build fr too"
        in result.stdout
    ), result.stdout
    again = coursegen("build", str(minimal_course), "--out", str(site))
    assert "note:" not in again.stdout, again.stdout  # both languages built: nothing left dangling


def test_a_bank_emptied_then_filled_again_shows_its_quiz(minimal_course: Path, tmp_path: Path) -> None:
    """A bank left with no question has no data file; once it has questions again, the
    page that shows it is read again (it stayed without its quiz, and the build said done)."""
    site = tmp_path / "site"
    bank = minimal_course / "quizzes" / "police.yml"
    questions = bank.read_text("utf-8")
    page = site / "en" / "_build" / "html" / "police" / "recognise.html"
    bank.write_text("items: []\n", "utf-8")
    first = coursegen("build", str(minimal_course), "--out", str(site))
    assert first.returncode == 0, first.stdout + first.stderr
    assert "cg-quiz-data" not in page.read_text("utf-8")
    bank.write_text(questions, "utf-8")
    again = coursegen("build", str(minimal_course), "--out", str(site))
    assert again.returncode == 0, again.stdout + again.stderr
    assert "cg-quiz-data" in page.read_text("utf-8")


def test_coverage_page(site: Path) -> None:
    text = article_text(site / "en" / "_build" / "html" / "coverage.html")
    assert "Every action is cited by at least one audience part." in text
    for audience in ("Police", "Employers", "Labour inspectors", "Public officials"):
        assert re.search(rf"{audience}: ([3-9]|10) of 10 actions", text), audience


def test_audience_build_holds_only_common_and_that_audience(tmp_path: Path) -> None:
    result = coursegen("build", "--audience", "police", "--lang", "en", "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    pages = html_pages(tmp_path, "en")
    areas = {p.split("/")[0] for p in pages if "/" in p}
    assert areas == {"common", "police"}
    assert not (tmp_path / "fr").exists()
    nav = (tmp_path / "en" / "_build" / "html" / "index.html").read_text("utf-8")
    assert "employers/" not in nav and "officials/" not in nav
    assert (
        'class="cg-lang-switch"' not in nav
    )  # the French site is not built: no link to it (the script names the class)
    assert "build/en/_build/html/index.html" in result.stdout.replace(str(tmp_path), "build")


def test_unknown_id_in_a_macro_fails_the_build_and_keeps_the_site(minimal_course: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = coursegen("build", str(minimal_course), "--out", str(out))
    assert first.returncode == 0, first.stdout + first.stderr
    index = out / "fr" / "_build" / "html" / "index.html"
    before = index.read_bytes()
    page = minimal_course / "modules" / "police" / "recognise.fr.md"
    page.write_text(page.read_text("utf-8").replace('action("e")', 'action("k")'), "utf-8")
    second = coursegen("build", str(minimal_course), "--out", str(out))
    assert second.returncode == 1
    assert "recognise.fr.md:3:11: unknown source id 'action:k'" in second.stderr
    assert "[unknown-source]" in second.stderr and "Traceback" not in second.stderr
    assert index.read_bytes() == before


def test_build_with_jupyter_book_errors_reports_them(minimal_course: Path, tmp_path: Path) -> None:
    """Warnings from Sphinx fail the build (-W): reStructuredText's unclosed backquote, a
    heading that skips a level. Each is told at the page the trainer wrote, its line, not at
    the page generated from it; the heading in `check`'s words (tests below)."""
    page = minimal_course / "modules" / "common" / "basics.en.md"
    page.write_text(page.read_text("utf-8") + "\n#### Too deep\n\n```{eval-rst}\nSee `this\n```\n", "utf-8")
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "Jupyter Book failed" in result.stdout
    where = str(page.relative_to(Path.cwd()) if page.is_relative_to(Path.cwd()) else page)
    assert f"{where}:7:1: heading '#### Too deep' skips a level: H1 to H4" in result.stderr
    assert re.search(
        rf"^{re.escape(where)}:10:1: Inline interpreted text or phrase reference start-string without end-string\. "
        r"\[[\w.-]+\]$",
        result.stderr,
        re.M,
    ), result.stderr


def test_a_generated_line_is_told_at_the_line_that_wrote_it(tmp_path: Path) -> None:
    """A problem on a line that a macro or a tag wrote (not in the trainer's page as it is)
    is told at the page's line that wrote it (the two lined up, blank lines aside), or at
    the line of the box template that holds its text; a code block's options (`x.md.rst`),
    a place with no line and Sphinx's CRITICAL are told too; a line about another file is
    left as it is."""
    from coursegen.assemble import _at_source
    from coursegen.model import Page, Template

    generated = tmp_path / "common" / "basics.md"
    generated.parent.mkdir()
    generated.write_text("# The basics\n\n> quoted by a macro\n\nText.\n\n- the box's line\n\n\nSee it.\n", "utf-8")
    source = tmp_path / "basics.en.md"
    text = '# The basics\n\n{{ quote("x") }}\n\nText.\n\n{{ who_to_call() }}\n\nSee it.\n'
    page = Page(key="modules/common/basics", lang="en", area="common", path=source, text=text)
    box = tmp_path / "templates" / "who-to-call.md"
    boxes = {"who_to_call": Template("who-to-call.md", "{% block extra %}- the box's line\n{% endblock %}", box, "")}
    pages = {str(generated): page}
    assert _at_source(f"{generated}:3: WARNING: something [x.y]", pages) == (
        f"{source}:3:1: something (in what this line writes) [x.y]"
    )
    assert _at_source(f"{generated}:1: WARNING: title [x.y]", pages) == f"{source}:1:1: title [x.y]"
    assert _at_source(f"{generated}:1: ERROR: no type given", pages) == f"{source}:1:1: no type given [build-failed]"
    assert _at_source(f"{generated}:7: WARNING: in the box [x.y]", pages, None, boxes) == f"{box}:1:1: in the box [x.y]"
    # a blank line (Sphinx tells a directive's content a line late) is told at the one above
    assert _at_source(f"{generated}:9: WARNING: late [x.y]", pages, None, boxes) == f"{box}:1:1: late [x.y]"
    assert (
        _at_source(f"{generated}.rst:10: WARNING: line number spec [x]", pages) == f"{source}:9:1: line number spec [x]"
    )
    assert _at_source(f"{generated}:: WARNING: footnote [myst.footnote]", pages) == (
        f"{source}:1:1: footnote (somewhere in the page) [myst.footnote]"
    )
    assert (
        _at_source(f"{generated}:5: CRITICAL: file not found", pages) == f"{source}:5:1: file not found [build-failed]"
    )
    other = f"{tmp_path}/elsewhere.md:2: WARNING: other"
    assert _at_source(other, pages) == other


def test_trainer_edition_adds_the_guide_and_learner_edition_leaves_it_out(tmp_path: Path, site: Path) -> None:
    assert not (site / "en" / "_build" / "html" / "trainer").exists()
    result = coursegen("build", "--edition", "trainer", "--audience", "police", "--lang", "fr", "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    guide = {p.name for p in (tmp_path / "fr" / "_build" / "html" / "trainer").glob("*.html")}
    assert guide == {"adapt.html", "session-plan.html", "workshop.html"}
    assert "Guide du formateur" in (tmp_path / "fr" / "_build" / "html" / "index.html").read_text("utf-8")


def test_the_themes_compiled_templates_are_signed(minimal_site: Path) -> None:
    """Jupyter Book's runs keep the theme's compiled templates in the build folder, signed
    with the user's key (coursegen.reuse): a file that does not verify is never loaded."""
    from coursegen import reuse

    secret = reuse.key_file().read_bytes()
    files = sorted((minimal_site / "en" / ".work" / "_build" / ".jinja-cache").glob("*"))
    assert len(files) >= 10
    for path in files:
        assert reuse._verified(secret, path.read_bytes()) is not None, path
    # The check can fail: the same bytes, signed with another key, do not verify.
    assert reuse._verified(bytes(32), files[0].read_bytes()) is None


def test_the_logo_and_favicon_that_the_settings_name_are_in_the_site(minimal_course: Path, tmp_path: Path) -> None:
    """`logo` and `html.favicon` name files of the course folder: each book holds a copy,
    where Jupyter Book looks for them (it stopped on a favicon it did not find)."""
    (minimal_course / "images").mkdir()
    (minimal_course / "images" / "favicon.ico").write_bytes(b"\x00\x00\x01\x00favicon")
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>'
    (minimal_course / "images" / "logo.svg").write_text(svg, "utf-8")
    config = minimal_course / "_config.yml"
    # the favicon by a path that leaves the course folder and comes back: in the book, where it is in the course
    favicon = f"../{minimal_course.name}/images/favicon.ico"
    config.write_text(config.read_text("utf-8") + f"logo: images/logo.svg\nhtml:\n  favicon: {favicon}\n")
    result = coursegen("build", str(minimal_course), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stdout + result.stderr
    html = tmp_path / "out" / "en" / "_build" / "html"
    assert (html / "_static" / "favicon.ico").read_bytes() == b"\x00\x00\x01\x00favicon"
    assert (html / "_static" / "logo.svg").read_text("utf-8") == svg
    index = (html / "index.html").read_text("utf-8")
    assert 'href="_static/favicon.ico"' in index and 'src="_static/logo.svg"' in index
    # the logo's text and the copyright line in the book's language, not the theme's English
    assert 'alt="Minimal course - Home"' in index and re.search(r"© \d{4}</p>", index)
    french = (tmp_path / "out" / "fr" / "_build" / "html" / "index.html").read_text("utf-8")
    assert 'alt="Cours minimal - Accueil"' in french and "Home" not in french
    assert re.search(r"© \d{4}</p>", french) and "Copyright" not in french
    # no author line unless the course gives one (Jupyter Book's default named itself)
    assert "component-author" not in index and "Jupyter Book" not in index
    assert (tmp_path / "out" / "en" / "images" / "favicon.ico").is_file()
    assert not (tmp_path / "out" / minimal_course.name).exists()  # nothing written outside the books


def test_the_theme_logos_and_sphinx_logo_named_by_the_settings_are_in_the_site(
    minimal_course: Path, tmp_path: Path
) -> None:
    """The theme's light and dark logos and Sphinx's `html_logo` name files of the course
    folder too: each book holds a copy, and every page shows them. (The theme left out a
    light logo it did not find in the book without a word, a broken picture on every page;
    Sphinx's stopped the build, which `check` told as a missing file that was there.)"""
    (minimal_course / "img").mkdir()
    for name in ("light", "dark", "sphinx"):
        svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><title>{name}</title></svg>'
        (minimal_course / "img" / f"{name}.svg").write_text(svg, "utf-8")
    config = minimal_course / "_config.yml"
    text = config.read_text("utf-8").replace(
        "    mathjax_path: mathjax/tex-chtml.js\n",
        "    mathjax_path: mathjax/tex-chtml.js\n    html_logo: img/sphinx.svg\n"
        "    html_theme_options:\n      logo:\n        image_light: img/light.svg\n        image_dark: img/dark.svg\n",
    )
    assert "image_dark" in text
    config.write_text(text, "utf-8")
    result = coursegen("build", str(minimal_course), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stdout + result.stderr
    html = tmp_path / "out" / "fr" / "_build" / "html"
    page = (html / "police" / "recognise.html").read_text("utf-8")
    for name in ("light", "dark"):
        assert f'src="../_static/{name}.svg"' in page
        assert f"<title>{name}</title>" in (html / "_static" / f"{name}.svg").read_text("utf-8")
    assert "<title>sphinx</title>" in (html / "_static" / "sphinx.svg").read_text("utf-8")


_THEME_LOGOS = (
    "    mathjax_path: mathjax/tex-chtml.js\n    html_theme_options:\n      logo:\n"
    "        image_light: img/light.svg\n        image_dark: img/dark.svg\n"
)


@pytest.mark.parametrize(
    ("settings", "names", "shown"),
    [
        # the theme's light and dark logos, which the theme copies only when none of its name is there
        (_THEME_LOGOS, ("light", "dark"), ('src="_static/light.svg"', 'src="_static/dark.svg"')),
        # Jupyter Book's logo and favicon, which Sphinx copies only in a build that writes a page
        (
            "logo: img/logo.svg\nhtml:\n  favicon: img/fav.svg\n",
            ("logo", "fav"),
            ('src="_static/logo.svg"', 'href="_static/fav.svg"'),
        ),
    ],
)
def test_a_logo_replaced_in_the_course_folder_is_replaced_in_the_site(
    minimal_course: Path, tmp_path: Path, settings: str, names: tuple[str, ...], shown: tuple[str, ...]
) -> None:
    """A trainer who replaced the logo (and nothing else) and built again found the old one
    on every page: Sphinx and the theme copy a logo into the site's _static/ only when no file
    of its name is there (and, taken out for Sphinx to copy again, the site had none). The
    new ones are in the site, and every page shows them."""
    (minimal_course / "img").mkdir()
    config = minimal_course / "_config.yml"
    text = config.read_text("utf-8")
    text = (
        text.replace("    mathjax_path: mathjax/tex-chtml.js\n", settings) if "mathjax" in settings else text + settings
    )
    config.write_text(text, "utf-8")
    html = tmp_path / "out" / "fr" / "_build" / "html"
    for colour in ("red", "green"):
        for name in names:
            svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><title>{name} {colour}</title></svg>'
            (minimal_course / "img" / f"{name}.svg").write_text(svg, "utf-8")
        result = coursegen("build", str(minimal_course), "--out", str(tmp_path / "out"), "--lang", "fr")
        assert result.returncode == 0, result.stdout + result.stderr
        for name in names:
            assert f"<title>{name} {colour}</title>" in (html / "_static" / f"{name}.svg").read_text("utf-8")
        index = (html / "index.html").read_text("utf-8")
        assert all(link in index for link in shown), shown


def test_tables_that_check_lets_through_are_tables_in_the_site(minimal_course: Path, tmp_path: Path) -> None:
    """`check` tells a pipe table that MyST would show as text (tests/cases/table-shown-as-text.txt);
    the tables it lets through are tables in the site: later rows with fewer cells, a Jinja
    filter's '|' in a cell, a table in a note. And the one it tells is text in MyST's own
    rendering, the parser that the book uses."""
    from coursegen.validation import _myst

    good = (
        "| Fine | Table |\n| --- | --- |\n| one row | with fewer cells below |\n| two |\n\n"
        '| Filter | {{ "a" | upper }} |\n| --- | --- |\n\n'
        ":::{note}\n| X | Y |\n|---|---|\n:::\n"
    )
    page = minimal_course / "modules" / "police" / "recognise.en.md"
    lines = page.read_text("utf-8").split("\n", 1)
    page.write_text(f"{lines[0]}\n\n{good}\n{lines[1]}", "utf-8")
    site = tmp_path / "site"
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    html = (site / "en" / "_build" / "html" / "police" / "recognise.html").read_text("utf-8")
    tables = BeautifulSoup(html, "html.parser").select("main table")
    assert [t.select_one("th").get_text(strip=True) for t in tables] == ["Fine", "Filter", "X"]
    assert "A" in tables[1].get_text()  # the filter ran, in its cell
    told = "| Criterion | Trafficking | Smuggling |\n|---|---|\n| Consent | worthless | given |\n"
    assert "<table" not in _myst().render(told) and "<table" in _myst().render(
        told.replace("|---|---|", "|---|---|---|")
    )


def test_a_picture_in_the_course_folder_is_shown_by_its_path(minimal_course: Path, tmp_path: Path) -> None:
    """docs/authoring.md: "Put the file in the course folder and refer to it by its path."
    The book holds the file where the page's path says (the build stopped on it before)."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = (2).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])  # 2 x 2 pixels, 8-bit RGB
    pixels = zlib.compress((b"\0" + b"\xff\0\0" * 2) * 2)  # two rows, each filter byte then two red pixels
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    (minimal_course / "modules" / "police" / "img").mkdir()
    (minimal_course / "modules" / "police" / "img" / "photo.png").write_bytes(png)
    page = minimal_course / "modules" / "police" / "recognise.en.md"
    lines = page.read_text("utf-8").split("\n", 1)
    page.write_text(f"{lines[0]}\n\n![A photo](img/photo.png)\n{lines[1]}", "utf-8")
    site = tmp_path / "site"
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    html = site / "en" / "_build" / "html"
    img = BeautifulSoup((html / "police" / "recognise.html").read_text("utf-8"), "html.parser").select_one(
        'img[alt="A photo"]'
    )
    assert img is not None
    assert (html / "police" / str(img["src"])).resolve().read_bytes() == png


def test_a_book_holds_the_pictures_of_its_own_parts_only(minimal_course: Path) -> None:
    """A document of the trainer's guide is not in a learner's book (served to trainees
    with the rest of the output folder), nor a part's picture in a book without that part."""
    from coursegen.pipeline import prepare

    for folder, name in (
        ("trainer", "answers.pdf"),
        ("police", "photo.png"),
        ("common", "map.png"),
        ("shared", "logo.png"),
    ):
        (minimal_course / "modules" / folder).mkdir(exist_ok=True)
        content = b"%PDF-1.4\n" if name.endswith(".pdf") else b"\x89PNG\r\n\x1a\n"  # as their names say
        (minimal_course / "modules" / folder / name).write_bytes(content)
    (minimal_course / "modules" / "top.png").write_bytes(b"\x89PNG\r\n\x1a\n")

    def pictures(**options: object) -> set[str]:
        _, books = prepare(minimal_course, ["en"], **options)  # type: ignore[arg-type]
        return {rel for rel in books[0].files if rel.endswith((".pdf", ".png"))}

    shared = {"common/map.png", "shared/logo.png", "top.png"}  # a folder that is no part's: in every book
    assert pictures(edition="learner") == {"police/photo.png", *shared}
    assert pictures(edition="trainer") == {"trainer/answers.pdf", "police/photo.png", *shared}


def test_every_kind_of_problem_in_the_log_is_told(tmp_path: Path) -> None:
    """Sphinx's CRITICAL and SEVERE lines are problems too (a missing include stopped the
    build with no line told); a traceback's code lines are not."""
    from coursegen.assemble import problems_in_log

    (tmp_path / "_build").mkdir()
    (tmp_path / "_build" / "build.log").write_text(
        "Running Sphinx\n/x/a.md:3: CRITICAL: Directive 'include': file not found\n"
        "/x/a.md:4: SEVERE: Problems with directive\n    raise ExtensionError(\nreading sources... done\n",
        "utf-8",
    )
    assert problems_in_log(tmp_path) == [
        "/x/a.md:3: CRITICAL: Directive 'include': file not found",
        "/x/a.md:4: SEVERE: Problems with directive",
    ]


def test_a_message_that_goes_on_on_the_next_lines_is_told_whole(tmp_path: Path) -> None:
    """docutils ends a directive's error line with ':' and gives the reason on the next
    line ("unknown option"), then quotes the directive after a blank line; MyST's list of
    units goes on to a line that ends with its type. Both were cut at the ':'. Sphinx's
    status lines after them, and the next problem, are not taken in."""
    from coursegen.assemble import problems_in_log

    (tmp_path / "_build").mkdir()
    (tmp_path / "_build" / "build.log").write_text(
        '/x/a.md:6: ERROR: Error in "note" directive:\nunknown option: "bad".\n\n.. note::\n   :bad: option\n'
        "/x/a.md:12: WARNING: 'figure': Invalid option value for 'width': big: not a positive measure of one of "
        'the following units:\n"em" "px" "%" [myst.directive_option]\nlooking for now-outdated files... none found\n'
        "/x/a.md:20: WARNING: a problem:\n/x/a.md:21: WARNING: another one\n",
        "utf-8",
    )
    assert problems_in_log(tmp_path) == [
        '/x/a.md:6: ERROR: Error in "note" directive: unknown option: "bad".',
        "/x/a.md:12: WARNING: 'figure': Invalid option value for 'width': big: not a positive measure of one of "
        'the following units: "em" "px" "%" [myst.directive_option]',
        "/x/a.md:20: WARNING: a problem:",
        "/x/a.md:21: WARNING: another one",
    ]


def test_a_problem_that_names_no_place_is_told_at_one(tmp_path: Path) -> None:
    """Sphinx stopped by a setting it could not use prints Python's exception lines: told
    once, at the course's _config.yml, in words ("RuntimeError:" alone, and the exception
    said twice, were printed as they were); a line that names no place is told at the log;
    a message that goes on on the next line, on one."""
    from coursegen.assemble import _placed

    log, settings = tmp_path / "build.log", tmp_path / "_config.yml"
    lines = [
        "AttributeError: 'int' object has no attribute 'strip'",
        "sphinx.errors.ExtensionError: Handler <function update_context at 0x7f11ab> for event 'builder-inited' "
        "threw an exception (exception: 'int' object has no attribute 'strip')",
        "RuntimeError: ",
        "ERROR: myst configuration invalid: items not recognised: {'nope'}",
        'page.md:4:4: Problems with "include" directive path: [build-failed]',
        "InputError: [Errno 2] No such file or directory: 'missing.txt'.",
    ]
    assert _placed(lines, log, settings) == [
        f"{settings}:1:1: Jupyter Book stopped as it took the book's settings in (update_context: 'int' object "
        "has no attribute 'strip'): check the settings under sphinx: config: [build-failed]",
        f"{log}:1:1: myst configuration invalid: items not recognised: {{'nope'}} [build-failed]",
        'page.md:4:4: Problems with "include" directive path: [Errno 2] No such file or directory: '
        "'missing.txt'. [build-failed]",
    ]


def test_a_setting_jupyter_book_cannot_use_is_told_at_its_line(tmp_path: Path) -> None:
    """A problem with one of the book's settings, which Sphinx tells with no place, is
    told at that setting in the course's _config.yml: the setting it quotes or whose name
    is in it (a handler named after it), else the value it quotes or holds when only one
    setting has it; never at coursegen's own `course:` settings. Before, at the log or at
    _config.yml:1:1."""
    from coursegen.assemble import _placed

    log, settings = tmp_path / "build.log", tmp_path / "_config.yml"
    settings.write_text(
        "title: Cours\n"
        "sphinx:\n"
        "  config:\n"
        "    html_theme: nope\n"
        "    html_theme_options: {navigation_depth: 2, nonexistent_option: 1}\n"
        "    numfig_format: 5\n"
        "    myst_enable_extensions: [colon_fence, nope2]\n"
        "    nb_render_plugin: plug\n"
        "course:\n"
        "  title: {fr: lonely, en: lonely}\n",
        "utf-8",
    )
    lines = [
        "no theme named 'nope' found (missing theme.toml?)",
        "WARNING: unsupported theme option 'nonexistent_option' given",
        "sphinx.errors.ExtensionError: Handler <function init_numfig_format at 0x7f11ab> for event 'config-inited' "
        "threw an exception (exception: 'int' object is not iterable)",
        "ERROR: myst configuration invalid: 'enable_extensions' items not recognised: {'nope2'}",
        "No Entry Point found for myst_nb.renderers:plug",
        "ERROR: the value 'lonely' is not known",  # only in coursegen's settings
        "ERROR: something else went wrong",
    ]
    lines.append(  # a template named in html_sidebars that no folder has: the folders left out
        "sphinx.errors.ExtensionError: Handler <function update_and_remove_templates at 0x7f11ab> for event "
        "'html-page-context' threw an exception (exception: 'nope3.html' not found in ['/x/sphinx_templates', "
        "PosixPath('/y/theme'), '/z/basic'])"
    )
    settings.write_text(
        settings.read_text("utf-8").replace("course:", "    html_sidebars: {'**': [nope3.html]}\ncourse:"), "utf-8"
    )
    told = _placed(lines, log, settings)
    assert told[-1] == (
        f"{settings}:9:28: Jupyter Book stopped as it ran (update_and_remove_templates: 'nope3.html' is not one "
        "of the theme's or coursegen's page templates) [build-failed]"
    ), told[-1]
    told = told[:-1]
    assert [line.split(": ", 1)[0] for line in told] == [
        f"{settings}:4:17",
        f"{settings}:5:47",
        f"{settings}:6:5",
        f"{settings}:7:43",  # the value it did not know, rather than the setting's end
        f"{settings}:8:23",
        f"{log}:1:1",
        f"{log}:1:1",
    ]
    assert told[0].endswith(": no theme named 'nope' found (missing theme.toml?) [build-failed]")


def test_a_problem_told_several_times_is_told_once_at_its_best_place() -> None:
    """Sphinx says a setting's problem in a warning and again as the exception that stopped
    it, and each language's run says it: once, at the setting's line rather than 1:1 or a
    log; problems with other messages all stay."""
    from coursegen.assemble import told_once

    lines = [
        "c/_config.yml:1:1: bad value [build-failed]",
        "o/fr/_build/build.log:1:1: got 'int' [build-failed]",
        "c/_config.yml:8:5: bad value [build-failed]",
        "o/en/_build/build.log:1:1: got 'int' [build-failed]",
        "page.md:3:1: another [myst.header]",
        # the same problem in the French page and in the English one: told at each
        "basics.fr.md:8:1: no end-string [build-failed]",
        "o/fr/_build/build.log:1:1: no end-string [build-failed]",
        "basics.en.md:8:1: no end-string [build-failed]",
    ]
    assert told_once(lines) == [
        "o/fr/_build/build.log:1:1: got 'int' [build-failed]",
        "c/_config.yml:8:5: bad value [build-failed]",
        "page.md:3:1: another [myst.header]",
        "basics.fr.md:8:1: no end-string [build-failed]",
        "basics.en.md:8:1: no end-string [build-failed]",
    ]


def test_a_warning_printed_after_sphinx_s_status_is_told_alone(tmp_path: Path) -> None:
    """Sphinx prints a warning on the line of its status ("preparing documents... "): the
    problem is the warning, without the status."""
    from coursegen.assemble import problems_in_log

    (tmp_path / "_build").mkdir()
    (tmp_path / "_build" / "build.log").write_text(
        "preparing documents... WARNING: unsupported theme option 'x_y' given\n", "utf-8"
    )
    assert problems_in_log(tmp_path) == ["WARNING: unsupported theme option 'x_y' given"]


def test_a_generated_page_named_in_a_message_is_the_trainer_s(tmp_path: Path) -> None:
    """Sphinx names the other page of a duplicate label by its generated file: told as the
    page the trainer wrote."""
    from coursegen.assemble import problems_in_log
    from coursegen.model import Book, Page, RenderedPage

    source = tmp_path / "modules" / "common" / "framework.en.md"
    page = Page(key="modules/common/framework", lang="en", area="common", path=source, text="# F\n")
    (tmp_path / "_build").mkdir()
    generated = tmp_path / f"{page.out}.md"
    (tmp_path / "_build" / "build.log").write_text(
        f"/elsewhere/a.md:3: WARNING: duplicate label key-terms, other instance in {generated}\n", "utf-8"
    )
    book = Book(lang="en", files={}, pages=[RenderedPage(page, "# F\n", [])])
    assert problems_in_log(tmp_path, book) == [
        f"/elsewhere/a.md:3:1: duplicate label key-terms, other instance in {source} [build-failed]"
    ]


def test_a_line_after_a_block_macro_is_told_at_its_own_line(tmp_path: Path) -> None:
    """A block macro's lines and the next line with a macro in it change together: the
    generated line is told at the line of the two that it is most like."""
    from coursegen.assemble import _at_source
    from coursegen.model import Page

    generated = tmp_path / "common" / "basics.md"
    generated.parent.mkdir()
    generated.write_text(
        "# Les bases\n\n> La traite désigne…\n>\n> — *Protocole, art. 3*\n\nVoir (ODD 8.7) et {ref}`absente`.\n",
        "utf-8",
    )
    source = tmp_path / "basics.fr.md"
    text = '# Les bases\n\n{{ definition("trafficking") }}\n\nVoir {{ cite("sdg:8.7") }} et {ref}`absente`.\n'
    page = Page(key="modules/common/basics", lang="fr", area="common", path=source, text=text)
    told = _at_source(f"{generated}:7: WARNING: undefined label: 'absente'", {str(generated): page})
    column = text.splitlines()[4].index("absente") + 1  # at what the message names
    assert told == f"{source}:5:{column}: undefined label: 'absente' (in what this line writes) [build-failed]"
    told = _at_source(f"{generated}:3: WARNING: something [x]", {str(generated): page})
    assert told == f"{source}:3:1: something (in what this line writes) [x]"


def test_a_link_to_a_page_the_site_leaves_out_is_text(tmp_path: Path) -> None:
    """A common page links to the police part and to the trainer's guide: in a learner's
    site for employers, those pages are not there, and the links show as their text (they
    failed the build); the page of employers that the site holds is still linked, and so
    is every page in a site that holds them all."""
    course = tmp_path / "course"
    course.mkdir()
    for name in COURSE_PARTS:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, course / name)
    page = course / "modules" / "common" / "framework.en.md"
    links = (
        "\n\nSee [the police part](../police/recognise.md), [its answers](../police/respond.md), "
        "{doc}`the guide <../trainer/adapt>`, {doc}`/police/respond`, {ref}`its goals <police-goals>`, "
        "[those goals](#police-goals) and [ours](../employers/recognise.md).\n"
    )
    page.write_text(page.read_text("utf-8") + links, "utf-8")
    police = course / "modules" / "police" / "recognise.en.md"  # a label in the police part
    police.write_text(police.read_text("utf-8").replace("\n## ", "\n(police-goals)=\n## ", 1), "utf-8")

    def sentence(out: Path) -> BeautifulSoup:
        result = coursegen("build", str(course), *out_args(out))
        assert result.returncode == 0, result.stdout + result.stderr
        html = (out / "en" / "_build" / "html" / "common" / "framework.html").read_text("utf-8")
        paragraph = BeautifulSoup(html, "html.parser").find(lambda tag: tag.name == "p" and "See" in tag.text)
        assert paragraph is not None
        return paragraph

    def out_args(out: Path) -> list[str]:
        return ["--lang", "en", "--out", str(out), *(["--audience", "employers"] if out.name == "employers" else [])]

    employers = sentence(tmp_path / "employers")
    assert [a.text for a in employers.find_all("a")] == ["ours"]
    told = "the police part, its answers, the guide, /police/respond, its goals, those goals and ours."
    assert told in seed.norm(employers.text)
    every = sentence(tmp_path / "all")  # learner's edition: no guide
    assert [a.text for a in every.find_all("a")] == [
        "the police part",
        "its answers",
        "First contact and response",
        "its goals",
        "those goals",
        "ours",
    ]


def test_a_build_waits_for_another_one_into_the_same_folder(minimal_course: Path, tmp_path: Path) -> None:
    """Two builds into one folder at once (a `--watch` rebuilding while a build is typed
    in another terminal) could each take the other's notebooks for their own and wait for
    ever. The second one waits, says so, and builds once the first is done: here the first
    is this test, holding the folder as a build does."""
    from coursegen.publish import one_build_at_a_time

    out = tmp_path / "out"
    exe = Path(sys.executable).with_name("coursegen")
    command = [str(exe), "build", str(minimal_course), "--lang", "fr", "--out", str(out)]
    with one_build_at_a_time(out):
        waiting = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert waiting.stdout is not None
        first = waiting.stdout.readline()
        assert first == f"another coursegen build is writing into {out}: waiting for it to end…\n"
        time.sleep(1)
        assert waiting.poll() is None and not out.exists()  # nothing written meanwhile
    with waiting:
        rest = waiting.stdout.read()
        assert waiting.wait(timeout=300) == 0, rest
    assert (out / "fr" / "_build" / "html" / "index.html").is_file()


def test_the_theme_speaks_the_page_s_language(site: Path) -> None:
    """The theme writes some words in English whatever the book's language (its buttons'
    titles, its navigation's name, Jupyter Book's search placeholder), which a screen
    reader reads out on French pages: in French there, as they were in English; in English,
    a course's words, not a book's, nor the theme's ("Toggle primary sidebar")."""
    english = (
        "Show or hide the navigation",
        "Show or hide the page's contents",
        'aria-label="Main"',
        "Search this course",
    )
    french = ("Afficher ou masquer la navigation", 'aria-label="Navigation principale"', "Rechercher dans ce cours…")
    theirs = ("Toggle primary sidebar", "Toggle secondary sidebar")
    for lang, wanted, unwanted in (("fr", french, (*english, *theirs)), ("en", english, (*french, *theirs))):
        page = (site / lang / "_build" / "html" / "common" / "framework.html").read_text("utf-8")
        assert all(words in page for words in wanted), lang
        assert not any(words in page for words in unwanted), lang


def test_links_that_check_lets_pass_build(minimal_course: Path, tmp_path: Path) -> None:
    """`check` reads links as MyST does: every kind of link it lets pass builds with
    Jupyter Book's -W (a false alarm would stop a trainer for nothing); the links it stops
    are in tests/cases/page-link-to-nothing.txt."""
    page = minimal_course / "modules" / "common" / "basics.en.md"
    links = """
(a-label)=
## A section

See [the police part](../police/recognise.md), [again](../police/recognise), [home](/index.md),
{doc}`a title <../police/recognise>`, {doc}`/police/recognise`, [its notebook](../police/quiz-notebook.ipynb),
[the web](https://example.org/page.md), [here](#a-label), [Here](#A-Label), {ref}`a-label`,
{ref}`a title <a-label>` and [a reference][r].

[r]: basics.md

```{note}
A note with [a link](../police/recognise.md).
```

:::{tip}
:class: dropdown
[In a tip](../index.md).
:::

```python
[in code](nowhere.md)
```

```{figure} photo.png
:name: fig-photo

A photo.
```

```{note}
:name: a-note
A note.
```

```{eval-rst}
.. _rst-label:
```

See {numref}`fig-photo`, [the photo](#fig-photo), {ref}`the note <a-note>` and {ref}`a label <rst-label>`.

(para-label)=
A paragraph with a label above it.

(head-label)=
(other-label)=
## Two labels on a heading

See {ref}`its text <para-label>`, [a link](#para-label), {ref}`head-label` and {ref}`other-label`.

```{eval-rst}
See :ref:`its text <para-label>`, :ref:`head-label`, :doc:`the police <../police/recognise>`
and :doc:`/police/recognise`.
```

Directives and roles that only Sphinx set up with the book's settings knows (check asks it):

```{py:function} greet(name)
Says hello.
```

{abbr}`ILO (International Labour Organization)`, {kbd}`Ctrl`.

Labels whose block gives a {ref} its text (a code block's caption, a table's title):

(code-caption)=
```{code-block} python
:caption: A caption

x = 1
```

(table-title)=
```{list-table} A title
* - a
  - b
```

See {ref}`code-caption` and {ref}`table-title`.
"""
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    (page.parent / "photo.png").write_bytes(base64.b64decode(png))  # a figure, with a :name: label
    page.write_text(page.read_text("utf-8") + links, "utf-8")
    checked = coursegen("check", str(minimal_course))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(tmp_path / "out"))
    assert built.returncode == 0, built.stdout + built.stderr
    html = (tmp_path / "out" / "en" / "_build" / "html" / "common" / "basics.html").read_text("utf-8")
    assert html.count('href="../police/recognise.html"') >= 5


def test_a_link_to_a_glossary_term_passes_check_and_builds(minimal_course: Path, tmp_path: Path) -> None:
    """A link to a term's place in the glossary's page (`glossary()` writes `<span
    id="cg-term-ID">` there): `check` lets it pass, and the build makes it a link to that
    place, in both languages, from another page and from the glossary's own; a link without
    text shows the term. The links that check stops are in
    tests/cases/page-link-to-a-glossary-term.txt."""
    common = minimal_course / "modules" / "common"
    (common / "glossary.yml").write_text(
        "terms:\n"
        "  - id: consent\n"
        '    fr: {term: "consentement", definition: "Accord donné librement."}\n'
        '    en: {term: "consent", definition: "Agreement freely given."}\n',
        "utf-8",
    )
    (common / "glossary.fr.md").write_text(
        "# Glossaire\n\n{{ glossary() }}\n\nVoir [ce mot](#cg-term-consent).\n", "utf-8"
    )
    (common / "glossary.en.md").write_text(
        "# Glossary\n\n{{ glossary() }}\n\nSee [this word](#cg-term-consent).\n", "utf-8"
    )
    toc = minimal_course / "_toc.yml"
    toc.write_text(
        toc.read_text("utf-8").replace(
            "      - file: modules/common/basics\n",
            "      - file: modules/common/basics\n      - file: modules/common/glossary\n",
        ),
        "utf-8",
    )
    for lang, words in (
        ("fr", "Le [consentement](glossary.md#cg-term-consent)"),
        ("en", "A victim's [consent](glossary.md#cg-term-consent)"),
    ):
        page = common / f"basics.{lang}.md"
        page.write_text(f"{page.read_text('utf-8')}\n{words}, [](/common/glossary.md#cg-term-consent).\n", "utf-8")
    checked = coursegen("check", str(minimal_course))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = coursegen("build", str(minimal_course), "--out", str(tmp_path / "out"))
    assert built.returncode == 0, built.stdout + built.stderr
    for lang, term in (("fr", "consentement"), ("en", "consent")):
        html = tmp_path / "out" / lang / "_build" / "html" / "common"
        soup = BeautifulSoup((html / "basics.html").read_text("utf-8"), "html.parser")
        links = [(a["href"], a.get_text()) for a in soup.select('article a[href$="#cg-term-consent"]')]
        assert links == [("glossary.html#cg-term-consent", term)] * 2, lang
        glossary = (html / "glossary.html").read_text("utf-8")
        assert '<span id="cg-term-consent"></span>' in glossary, lang  # the place the links go to
        assert 'href="#cg-term-consent"' in glossary, lang


def test_a_setting_that_stops_jupyter_book_is_told_once_at_its_line(minimal_course: Path, tmp_path: Path) -> None:
    """A theme that does not exist (check cannot know the themes Sphinx finds): the build
    fails in both languages, and the problem is told once, at the setting."""
    config = minimal_course / "_config.yml"
    text = config.read_text("utf-8")
    config.write_text(text.replace("  config:\n", "  config:\n    html_theme: no_such_theme\n"), "utf-8")
    line = config.read_text("utf-8").splitlines().index("    html_theme: no_such_theme") + 1
    result = coursegen("build", str(minimal_course), "--out", str(tmp_path / "out"))
    assert result.returncode == 1, result.stdout + result.stderr
    problems = [x for x in result.stderr.splitlines() if "no_such_theme" in x]
    assert problems == [
        f"{config}:{line}:17: no theme named 'no_such_theme' found (missing theme.toml?) [build-failed]"
    ]


def test_a_course_that_names_no_extensions_builds(minimal_course: Path, tmp_path: Path) -> None:
    """A _config.yml that leaves Sphinx's extensions to Jupyter Book (`sphinx: config:`
    left empty): coursegen's joins Jupyter Book's own. Named alone, it replaced them, and
    the book had no MyST-NB nor theme (check said ok, build failed at the log)."""
    config = minimal_course / "_config.yml"
    text = config.read_text("utf-8")
    config.write_text("\n".join(line for line in text.splitlines() if "extensions:" not in line) + "\n", "utf-8")
    result = coursegen("build", str(minimal_course), "--lang", "fr", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stdout + result.stderr
    html = (tmp_path / "out" / "fr" / "_build" / "html" / "police" / "recognise.html").read_text("utf-8")
    assert "coursegen-quiz.js" in html  # coursegen's extension is there, with the theme's page


def test_nothing_served_with_the_sites_holds_the_answers(minimal_course: Path, tmp_path: Path) -> None:
    """A trainer serves the output folder to the room (the README says how), with a listing
    of what it holds: the rebuild cache (the course files as read, every question's key
    among them) is kept in the user's cache folder, one per output folder, not in it (a
    cache left there by an earlier version is removed); exports go to COURSE/exports, and
    none that holds a key is written inside an output folder. A cache whose output folder
    is gone is removed at the next build."""
    cache_home = tmp_path / "cache-home"
    env = {"XDG_CACHE_HOME": str(cache_home)}
    out = tmp_path / "out"
    (out / ".coursegen-cache").mkdir(parents=True)  # an earlier version's
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(out), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["en"]
    assert not [p for p in out.rglob("*.pickle") if "loaded" in p.name]
    [cache] = list((cache_home / "coursegen" / "reuse").iterdir())
    assert (cache / "loaded.pickle").is_file() and (cache / "output").read_text("utf-8") == str(out.resolve())
    # the answer key of a handout: not written where the room is served
    refused = coursegen("export", "handout", str(minimal_course), "--out", str(out / "keys"), env=env)
    assert refused.returncode == 2 and "inside the output folder of a build" in refused.stderr
    exported = coursegen("export", "gift", str(minimal_course), "--lang", "en", env=env)
    assert exported.returncode == 0 and (minimal_course / "exports" / "gift-police-en.txt").is_file()
    # another output folder; the first one gone, its cache goes too, unless used within the
    # last minutes (that of a build that has not made its output folder yet is kept)
    shutil.rmtree(out)
    lock = cache_home / "coursegen" / "locks" / f"{cache.name}.lock"  # a build's, named as its cache
    assert lock.is_file()
    starting = cache.with_name("0" * 24)
    starting.mkdir()
    (starting / "output").write_text(str(tmp_path / "not-made-yet"), "utf-8")
    past = time.time() - 2 * reuse.RECENT
    os.utime(cache, (past, past))
    other = tmp_path / "other"
    assert coursegen("build", str(minimal_course), "--lang", "en", "--out", str(other), env=env).returncode == 0
    caches = {p.name: p for p in (cache_home / "coursegen" / "reuse").iterdir()}
    assert cache.name not in caches and starting.name in caches and len(caches) == 2
    assert not lock.exists()  # its lock goes with it (one was left for each output folder ever built)
    [new] = [p for name, p in caches.items() if name != starting.name]
    assert (new / "output").read_text("utf-8") == str(other.resolve())


def test_a_failed_scorm_export_leaves_no_site_behind(minimal_course: Path, tmp_path: Path) -> None:
    """A SCORM export that Jupyter Book stops on (told at the setting) took its 10 MB site
    along only when it could not name the problem's place: the output folder is as before."""
    config = minimal_course / "_config.yml"
    config.write_text(config.read_text("utf-8").replace("  config:\n", "  config:\n    html_theme: no_such_theme\n"))
    out = tmp_path / "exports"
    result = coursegen("export", "scorm", str(minimal_course), "--lang", "en", "--out", str(out))
    assert result.returncode == 1 and "no theme named 'no_such_theme'" in result.stderr
    assert list(out.iterdir()) == []


def test_a_build_that_jupyter_book_stops_tells_what_check_tells_in_checks_words(
    minimal_course: Path, tmp_path: Path
) -> None:
    """A heading that skips a level and an unknown directive stop Jupyter Book: the build
    tells them as `check` does, with what to do, at the same place (it printed Jupyter
    Book's "Non-consecutive header level increase; H2 to H4 [myst.header]")."""
    page = minimal_course / "modules" / "common" / "basics.en.md"
    page.write_text("# The basics\n\n## Two\n\n#### Four\n\n```{notte}\nx\n```\n", "utf-8")
    checked = coursegen("check", str(minimal_course))
    site = tmp_path / "site"
    built = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(site))
    assert checked.returncode == 1 and built.returncode == 1, built.stdout + built.stderr
    told = [line for line in checked.stderr.splitlines() if "basics.en.md" in line]
    assert len(told) == 2 and "skips a level" in told[0] and "did you mean 'note'?" in told[1], told
    assert [line for line in built.stderr.splitlines() if "basics.en.md" in line] == told
    assert "Non-consecutive header" not in built.stderr and "Unknown directive type" not in built.stderr


def test_the_valid_markup_that_check_lets_through_builds_as_meant(minimal_course: Path, tmp_path: Path) -> None:
    """tests/cases/valid-markup-not-told.txt passes `check` (an adversarial review's false
    positives of this session's checks); the page builds, and shows what it means: the two
    tables (rows added by Jinja, a list-table in a note), the figure in its tip, the
    quotations, the break, the <details>."""
    from casefile import parse

    parse(ROOT / "tests" / "cases" / "valid-markup-not-told.txt").apply(minimal_course)
    site = tmp_path / "site"
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    html = BeautifulSoup(
        (site / "en" / "_build" / "html" / "police" / "recognise.html").read_text("utf-8"), "html.parser"
    )
    main = html.select_one("main")
    assert main is not None
    rows = [len(table.select("tbody tr")) for table in main.select("table")]
    assert rows == [3, 2], rows  # common, police, employers; the list-table's two rows
    assert "911" in main.select("table")[1].get_text()
    assert main.select_one(".admonition figure") is not None  # the diagram inside its tip
    assert main.select_one("details summary") is not None and main.select_one("hr") is not None
    assert "**" not in main.get_text()  # the comment's Markdown is not shown


def test_a_code_block_in_a_language_pygments_lacks_stops_jupyter_book(minimal_course: Path, tmp_path: Path) -> None:
    """What tests/cases/code-language-unknown.txt tells: Sphinx warns of a code block in a
    language Pygments does not know, and the build stops on it (-W). Shown by a book that
    coursegen's check does not look at: the same page, as Jupyter Book builds it alone."""
    from coursegen.assemble import write_book
    from coursegen.pipeline import prepare

    page = minimal_course / "modules" / "common" / "basics.en.md"
    page.write_text(page.read_text("utf-8") + "\n```csv\na,b\n```\n", "utf-8")
    assert coursegen("check", str(minimal_course)).returncode == 1
    page.write_text(page.read_text("utf-8").replace("```csv", "```json"), "utf-8")
    _, books = prepare(minimal_course, ["en"])  # a valid book, then the language put back
    write_book(books[0], tmp_path / "en")
    generated = tmp_path / "en" / "common" / "basics.md"
    generated.write_text(generated.read_text("utf-8").replace("```json", "```csv"), "utf-8")
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("jupyter-book")),
            "build",
            str(tmp_path / "en"),
            "-W",
            "-n",
            "--keep-going",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode != 0 and "Pygments lexer name 'csv' is not known" in result.stdout + result.stderr


def test_french_punctuation_keeps_its_space_on_the_same_line(minimal_course: Path, tmp_path: Path) -> None:
    """In the French book, the space before ':' ';' '!' '?' '»' and after '«' is a no-break
    space, in the page's text and the quiz's (on a phone, a line began with "? Il ne peut");
    and in the page's title where the menu and the links to the next page give it (a lone
    ": Fondements communs" began a line of the menu); code keeps its own spaces, and the
    English book is left alone."""
    for lang in ("fr", "en"):
        page = minimal_course / "modules" / "common" / f"basics.{lang}.md"
        text = page.read_text("utf-8").replace("\n", " : les mots ?\n", 1)  # its title, the first line
        page.write_text(
            text + "\nUne question : pourquoi ? « La loi » !\n\n`a : b`\n\n**Urgence** : 112\n",
            "utf-8",
        )
    site = tmp_path / "site"
    result = coursegen("build", str(minimal_course), "--out", str(site))
    assert result.returncode == 0, result.stdout + result.stderr
    html = {lang: site / lang / "_build" / "html" for lang in ("fr", "en")}
    fr = BeautifulSoup((html["fr"] / "common" / "basics.html").read_text("utf-8"), "html.parser")
    said = next(p.get_text() for p in fr.select("main p") if p.get_text().startswith("Une question"))
    assert said == "Une question\u00a0: pourquoi\u00a0? «\u00a0La loi\u00a0»\u00a0!"
    assert fr.select_one("main code").get_text() == "a : b"  # code: as written
    assert any(p.get_text() == "Urgence\u00a0: 112" for p in fr.select("main p"))  # after a word in bold too
    quiz = BeautifulSoup((html["fr"] / "police" / "recognise.html").read_text("utf-8"), "html.parser")
    assert quiz.select_one("#cgq-t-single .cg-prompt").get_text().endswith("frontière\u00a0?")
    titled = [a.get_text(" ", strip=True) for a in quiz.select(".bd-sidebar-primary a, .prev-next-area a")]
    assert any("\u00a0: les mots\u00a0?" in t for t in titled) and not any(" : les mots" in t for t in titled), titled
    en = BeautifulSoup((html["en"] / "common" / "basics.html").read_text("utf-8"), "html.parser")
    assert any(p.get_text() == "Une question : pourquoi ? « La loi » !" for p in en.select("main p"))


def test_the_footer_names_an_author_only_when_the_course_gives_one(minimal_course: Path) -> None:
    """Without `author`, the books get none (no "By …" line in the theme's footer: Jupyter
    Book's default was "By The Jupyter Book community"); a course's own is kept."""
    from coursegen.assemble import _config
    from coursegen.loading import load_course

    course, _ = load_course(minimal_course)
    assert course is not None and "author" not in course.jb_config
    assert _config(course, "fr")["author"] == ""
    config = minimal_course / "_config.yml"
    config.write_text(config.read_text("utf-8") + "author: Ministère du Travail\n", "utf-8")
    course, _ = load_course(minimal_course)
    assert course is not None and _config(course, "fr")["author"] == "Ministère du Travail"


def test_the_footer_shows_the_author_as_written(minimal_course: Path, tmp_path: Path) -> None:
    """An author given with an address in angle brackets, as mail programs write it: the
    theme wrote it into the footer as HTML, and the address vanished (a tag to the browser),
    where the copyright line was escaped. Shown as written."""
    config = minimal_course / "_config.yml"
    author = "Awa Diop <awa.diop@travail.gouv.sn> & DGT"
    config.write_text(config.read_text("utf-8") + f'author: "{author}"\n', "utf-8")
    result = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stdout + result.stderr
    page = BeautifulSoup((tmp_path / "out" / "en" / "_build" / "html" / "index.html").read_text("utf-8"), "html.parser")
    assert [p.get_text(" ", strip=True) for p in page.select("p.component-author")] == [f"By {author}"]


def test_a_build_tells_every_problem_that_check_tells(minimal_course: Path, tmp_path: Path) -> None:
    """A heading that skips a level, a link to a page's file as written and a note's option
    misspelt: the build told the link and the option only (it stopped on them before
    Jupyter Book, which tells the heading), where `check` tells all three; and a build that
    Jupyter Book stopped ended without the count of problems that every other run ends
    with."""
    page = minimal_course / "modules" / "common" / "basics.en.md"
    page.write_text(page.read_text("utf-8") + "\n#### Too deep\n\nText.\n", "utf-8")
    alone = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(tmp_path / "a"))
    assert alone.returncode == 1 and "Jupyter Book failed" in alone.stdout
    lines = alone.stderr.splitlines()
    assert lines[-1:] == ["1 problem(s) found."] and "skips a level: H1 to H4" in alone.stderr, alone.stderr
    page.write_text(page.read_text("utf-8") + "\n```{note}\n:clas: x\nText.\n```\n", "utf-8")  # found last
    option = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(tmp_path / "o"))
    assert "skips a level" in option.stderr and option.stderr.splitlines()[-1] == "2 problem(s) found.", option.stderr
    page.write_text(page.read_text("utf-8") + "\nSee [the police](../police/recognise.en.md).\n", "utf-8")
    both = coursegen("build", str(minimal_course), "--lang", "en", "--out", str(tmp_path / "b"))
    told = coursegen("check", str(minimal_course))
    assert both.returncode == told.returncode == 1
    assert "Jupyter Book" not in both.stdout  # stopped before it
    problems = [line for line in both.stderr.splitlines() if line.endswith("]")]
    assert problems == [line for line in told.stderr.splitlines() if line.endswith("]")], (both.stderr, told.stderr)
    assert len(problems) == 3 and both.stderr.splitlines()[-1] == "3 problem(s) found."
