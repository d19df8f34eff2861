"""The quiz widget in headless Chromium on real built pages: the shared vectors clicked in,
every bank item graded by the page's grader, keyboard use, storage, results file."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from browser import answer, browser, new_page, serve, verdict
from coursegen.grading import grade, public_item
from test_grading import BANK_ITEMS, FIXTURE_ITEMS, VECTORS, key_response, wrong_response

pytestmark = [pytest.mark.slow, pytest.mark.browser]
PAGE = "en/_build/html/police/recognise.html"
SCORE = re.compile(r"— ([\d.]+) / ([\d.]+) points?")


def page_items(page: Any) -> dict[str, Any]:
    data = page.evaluate("[...document.querySelectorAll('script.cg-quiz-data')].map(s => JSON.parse(s.textContent))")
    return {item["id"]: item for quiz in data for item in quiz["items"]}


def declined(item: dict[str, Any], response: Any) -> bool:
    """Whether the page tells the trainee what is missing instead of grading `response`:
    nothing answered, or a row of a match question left out."""
    return response in ([], {}, "", None) or (item["type"] == "match" and len(response) < len(item["pairs"]))


def test_vectors_in_the_browser(minimal_site: Path) -> None:
    offsite: list[str] = []
    with browser() as b, serve(minimal_site) as url:
        page = new_page(b, offsite)
        page.goto(f"{url}/{PAGE}")
        items = page_items(page)
        for vector in VECTORS:
            item = FIXTURE_ITEMS[vector["item"]]
            if vector.get("click", True):
                page.evaluate("localStorage.clear()")
                page.reload()
                answer(page, item["id"], item["type"], vector["response"])
                page.click(f"#cgq-{item['id']} button.cg-check")
                text = verdict(page, item["id"])
                if vector.get("message") or declined(item, vector["response"]):
                    # told what is missing, not graded: the page's grader is asked directly below
                    assert text.startswith("⚠") and not SCORE.search(text), (vector, text)
                else:
                    match = SCORE.search(text)
                    assert match, text
                    assert float(match.group(1)) == pytest.approx(vector["score"]), (vector, text)
            # every vector, also given to the page's grader itself (what no control can produce,
            # and what the page does not grade, but a results file or an LMS may hold)
            result = page.evaluate(
                "([item, r]) => coursegenQuiz.grade(item, r)", [items[item["id"]], vector["response"]]
            )
            assert result["score"] == pytest.approx(vector["score"]), vector
            assert bool(result["message"]) == vector.get("message", False), vector
        assert not page.js_errors  # type: ignore[attr-defined]
    assert offsite == []


def test_every_bank_item_in_the_browser(site: Path) -> None:
    """On every quiz page of the default course, in both languages, the page's grader gives
    the key full marks and a wrong response less, like the Python grader."""
    offsite: list[str] = []
    seen: set[str] = set()
    with browser() as b, serve(site) as url:
        page = new_page(b, offsite)
        for lang in ("fr", "en"):
            html = site / lang / "_build" / "html"
            for path in sorted(html.rglob("*.html")):
                if "cg-quiz-data" not in path.read_text("utf-8"):
                    continue
                page.goto(f"{url}/{path.relative_to(site).as_posix()}")
                for ident, public in page_items(page).items():
                    item = BANK_ITEMS[ident]
                    full, wrong = page.evaluate(
                        "([item, k, w]) => [coursegenQuiz.grade(item, k), coursegenQuiz.grade(item, w)]",
                        [public, key_response(item), wrong_response(item)],
                    )
                    assert full["score"] == full["max"] == float(item.get("points", 1)), ident
                    assert wrong["score"] < full["max"], ident
                    seen.add(ident)
        assert not page.js_errors  # type: ignore[attr-defined]
    assert seen == set(BANK_ITEMS), sorted(set(BANK_ITEMS) - seen)
    assert offsite == []


def test_quiz_by_keyboard_only_announces_feedback(minimal_site: Path) -> None:
    with browser() as b, serve(minimal_site) as url:
        page = new_page(b, [])
        page.goto(f"{url}/{PAGE}")
        region = page.locator("#cgq-t-single--fb")
        assert region.get_attribute("aria-live") == "polite" and region.inner_text() == ""
        page.focus("#cgq-t-single--a")  # the first option: reached by Tab in a real session
        page.keyboard.press("ArrowDown")  # radio group: moves to and selects "False"
        assert page.is_checked("#cgq-t-single--b")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "cg-check"
        page.keyboard.press("Enter")
        text = region.inner_text()
        assert text.startswith("✔ Correct — 1 / 1 point")
        # the icon seen, not read out ("heavy check mark"); printed, no buttons
        assert region.locator(".cg-verdict [aria-hidden=true]").inner_text().strip() == "✔"
        page.emulate_media(media="print")
        assert page.locator("#cgq-t-single button.cg-check").is_hidden() and region.is_visible()
        page.emulate_media(media="screen")
        assert "Right." in text and "harbouring is enough" in text  # feedback, then explanation
        assert page.get_attribute("#cgq-t-single", "data-state") == "right"
        # a wrong answer is told in words and by an icon, not by colour alone
        page.focus("#cgq-t-single--b")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert region.inner_text().startswith("✘ Incorrect — 0 / 1 point")


def test_a_misplaced_step_or_pair_is_named_as_the_notebook_names_it(minimal_site: Path) -> None:
    """The feedback of each misplaced step or pair, and of each ticked option, comes after
    its name, in the page's language, as the Python grader (and so the notebook) gives it:
    also for a pair written as a sentence, whose full stop is left out ("Recruiting.")."""
    with browser() as b, serve(minimal_site) as url:
        for lang, sentence in (("en", False), ("fr", False), ("en", True)):
            page = new_page(b, [])  # nothing kept from before (answers follow to the other language)
            match = copy.deepcopy(FIXTURE_ITEMS["t-match"])
            if sentence:  # the page as if the bank had written "Recruiting."
                match["pairs"][0]["left"]["en"] += "."
                page.route(f"{url}/{PAGE}", lambda r: r.fulfill(
                    response=r.fetch(), body=r.fetch().text().replace('"Recruiting"', '"Recruiting."')))  # fmt: skip
            page.goto(f"{url}/{PAGE.replace('en/', f'{lang}/', 1)}")
            for kind in ("t-order", "t-match", "t-multiple"):
                item = match if kind == "t-match" else FIXTURE_ITEMS[kind]
                answer(page, kind, item["type"], wrong_response(item))
                page.click(f"#cgq-{kind} button.cg-check")
                shown = page.locator(f"#cgq-{kind}--fb ul li").all_inner_texts()
                expected = grade(public_item(item, lang), wrong_response(item), lang).feedback
                assert shown and shown == expected, (lang, kind, shown, expected)
                assert all(" : " in s or ": " in s or " — " in s for s in shown)
                assert not any(".: " in s or ". : " in s for s in shown), shown
            assert not page.js_errors  # type: ignore[attr-defined]


def test_tab_order_reaches_every_control(minimal_site: Path) -> None:
    with browser() as b, serve(minimal_site) as url:
        page = new_page(b, [])
        page.goto(f"{url}/{PAGE}")
        page.focus("#cgq-t-match--p1")
        reached = []
        for _ in range(6):
            reached.append(page.evaluate("document.activeElement.id || document.activeElement.className"))
            page.keyboard.press("Tab")
        assert reached[:5] == ["cgq-t-match--p1", "cgq-t-match--p2", "cgq-t-match--p3", "cgq-t-match--p4", "cg-check"]


def test_answers_are_kept_and_reset(minimal_site: Path) -> None:
    with browser() as b, serve(minimal_site) as url:
        page = new_page(b, [])
        page.goto(f"{url}/{PAGE}")
        answer(page, "t-multiple", "multiple", ["a"])
        page.click("#cgq-t-multiple button.cg-check")
        page.reload()
        assert page.is_checked("#cgq-t-multiple--a") and not page.is_checked("#cgq-t-multiple--c")
        assert verdict(page, "t-multiple").startswith("◐ Partly correct — 1.5 / 3 points")
        assert "1.5 / " in page.inner_text(".cg-summary")
        asked: list[str] = []

        def reply(dialog: Any, yes: bool) -> None:
            asked.append(dialog.message)
            dialog.accept() if yes else dialog.dismiss()

        page.once("dialog", lambda d: reply(d, False))  # "no": nothing is cleared
        page.click("button.cg-reset")
        assert page.is_checked("#cgq-t-multiple--a") and "1.5 / " in page.inner_text(".cg-summary")
        page.once("dialog", lambda d: reply(d, True))
        page.click("button.cg-reset")
        assert asked == ["Clear all your answers to this quiz? They cannot be brought back."] * 2
        assert not page.is_checked("#cgq-t-multiple--a")
        assert page.inner_text("#cgq-t-multiple--fb") == ""
        page.reload()
        assert not page.is_checked("#cgq-t-multiple--a")


def test_answers_follow_the_trainee_to_the_other_language(minimal_site: Path) -> None:
    """A trainee who switches language mid-quiz finds the questions answered, checked in
    the page's language (a short answer in French is right on the English page too), and
    counted in its score; the last answer checked, in either language, is the one shown (a
    number too: "18,0" in French is 18 in English, over the English page's own older
    answer); an answer withdrawn (emptied, then checked) is withdrawn in both; and "Clear
    my answers" clears them in both. Control: the page's own answers before."""
    fr, en = PAGE.replace("en/", "fr/", 1), PAGE
    with browser() as b, serve(minimal_site) as url:
        page = new_page(b, [])
        page.goto(f"{url}/{en}")
        answer(page, "t-numeric", "numeric", "3")  # the English page's own answer, older
        page.click("#cgq-t-numeric button.cg-check")
        assert verdict(page, "t-numeric").startswith("✘")
        page.goto(f"{url}/{fr}")
        answer(page, "t-single", "single", "b")
        answer(page, "t-short", "short", "Organisation internationale du Travail")
        answer(page, "t-numeric", "numeric", "18,0")
        for item in ("t-single", "t-short", "t-numeric"):
            page.click(f"#cgq-{item} button.cg-check")
        assert verdict(page, "t-numeric").startswith("✔")
        page.goto(f"{url}/{en}")
        assert page.is_checked("#cgq-t-single--b") and verdict(page, "t-single").startswith("✔ Correct")
        assert verdict(page, "t-short").startswith("✔ Correct")
        assert page.input_value("#cgq-t-short--answer") == "Organisation internationale du Travail"
        assert page.input_value("#cgq-t-numeric--answer") == "18" and verdict(page, "t-numeric").startswith("✔")
        assert "3 of " in page.inner_text(".cg-summary")
        answer(page, "t-single", "single", "a")  # changed in English, then checked: the last one
        page.click("#cgq-t-single button.cg-check")
        page.fill("#cgq-t-short--answer", "")  # withdrawn: emptied, then checked
        page.click("#cgq-t-short button.cg-check")
        page.goto(f"{url}/{fr}")
        assert page.is_checked("#cgq-t-single--a") and verdict(page, "t-single").startswith("✘")
        assert page.input_value("#cgq-t-short--answer") == "" and page.inner_text("#cgq-t-short--fb") == ""
        assert page.input_value("#cgq-t-numeric--answer") == "18,0" and verdict(page, "t-numeric").startswith("✔")
        page.once("dialog", lambda d: d.accept())
        page.click("button.cg-reset")
        page.goto(f"{url}/{en}")
        assert not page.is_checked("#cgq-t-single--a") and page.inner_text("#cgq-t-single--fb") == ""
        assert page.input_value("#cgq-t-numeric--answer") == "" and "0 of " in page.inner_text(".cg-summary")
        assert not page.js_errors  # type: ignore[attr-defined]


def test_results_file(minimal_site: Path, tmp_path: Path) -> None:
    with browser() as b, serve(minimal_site) as url:
        page = new_page(b, [], accept_downloads=True)
        page.goto(f"{url}/{PAGE}")
        answer(page, "t-single", "single", "b")
        page.click("#cgq-t-single button.cg-check")
        answer(page, "t-order", "order", ["s2", "s1", "s3", "s4"])
        page.click("#cgq-t-order button.cg-check")
        with page.expect_download() as info:
            page.click("button.cg-download")
        target = tmp_path / "results.json"
        info.value.save_as(target)
        # without a name, a pseudonym of this device, the same in each of its files
        nameless = info.value.suggested_filename
        assert re.fullmatch(r"results-police-en-anonymous-[0-9a-f]{6}\.json", nameless), nameless
        assert json.loads(target.read_text("utf-8"))["trainee"] == nameless[len("results-police-en-") : -5]
        with page.expect_download() as info:
            page.click("button.cg-download")
        assert info.value.suggested_filename == nameless
        other = new_page(b, [], accept_downloads=True)  # another trainee's device
        other.goto(f"{url}/{PAGE}")
        with other.expect_download() as info:
            other.click("button.cg-download")
        assert re.fullmatch(r"results-police-en-anonymous-[0-9a-f]{6}\.json", info.value.suggested_filename)
        assert info.value.suggested_filename != nameless
        # the trainee's name, written once, goes into the file and its name, on every quiz page
        page.fill(".cg-name", " Anaïs N'Diaye/2 ")
        page.press(".cg-name", "Tab")
        page.reload()
        assert page.input_value(".cg-name") == "Anaïs N'Diaye/2"
        with page.expect_download() as info:
            page.click("button.cg-download")
        assert info.value.suggested_filename == "results-police-en-Anaïs-N'Diaye-2.json"
        # the page says where the file went and what to do with it (read out: a status)
        said = page.inner_text(".cg-summary")
        assert "File saved: results-police-en-Anaïs-N'Diaye-2.json" in said and "trainer" in said, said
        assert said.startswith("Score: 1.5 / ")
        named = json.loads(Path(info.value.path()).read_text("utf-8"))
        assert named["trainee"] == "Anaïs N'Diaye/2" and named["score"] == 1.5
        # a French page names the file in French, as it names the pseudonym
        page.goto(f"{url}/fr/_build/html/police/recognise.html")
        with page.expect_download() as info:
            page.click("button.cg-download")
        assert info.value.suggested_filename == "résultats-police-fr-Anaïs-N'Diaye-2.json"
    results = json.loads(target.read_text("utf-8"))
    assert results["format"] == "coursegen-results/1" and results["lang"] == "en"
    by_id = {r["id"]: r for r in results["items"]}
    assert by_id["t-single"]["score"] == 1 and by_id["t-single"]["response"] == "b"
    assert by_id["t-order"]["score"] == 0.5 and by_id["t-order"]["response"] == ["s2", "s1", "s3", "s4"]
    assert by_id["t-short"]["response"] is None and by_id["t-short"]["score"] == 0
    assert results["score"] == 1.5 and results["max"] == sum(float(i.get("points", 1)) for i in FIXTURE_ITEMS.values())


def test_a_page_built_without_the_name_field_still_downloads(minimal_site: Path, tmp_path: Path) -> None:
    """The results file of a page whose HTML has no field for the trainee's name (built by
    an older coursegen, next to the new quiz script): downloaded, without a name."""
    import re as regex

    site = tmp_path / "site"
    shutil.copytree(minimal_site, site, symlinks=True)
    html = (site / PAGE).resolve()
    text = html.read_text("utf-8")
    stripped = regex.sub(r'<div class="cg-text cg-who">.*?</div>', "", text, flags=regex.S)
    assert stripped != text
    html.unlink()  # a hard link shared with the session's site: replaced, not written through
    html.write_text(stripped, "utf-8")
    with browser() as b, serve(site) as url:
        page = new_page(b, [], accept_downloads=True)
        page.goto(f"{url}/{PAGE}")
        with page.expect_download() as info:
            page.click("button.cg-download")
        assert re.fullmatch(r"results-police-en-anonymous-[0-9a-f]{6}\.json", info.value.suggested_filename)
        assert not page.js_errors  # type: ignore[attr-defined]


def test_without_javascript_the_quiz_says_it_needs_it(minimal_site: Path) -> None:
    """A browser that runs no script (a data saver): the quiz says what it needs, in the
    page's language, instead of "Check" reloading the page silently. Control: with the
    script, the words are not shown."""
    with browser() as b, serve(minimal_site) as url:
        for script, lang, page_path in ((False, "fr", "fr/_build/html/police/recognise.html"), (True, "en", PAGE)):
            page = new_page(b, [], java_script_enabled=script)
            page.goto(f"{url}/{page_path}")
            shown = page.locator(".cg-quiz").inner_text()
            said = "Ce quiz a besoin de JavaScript" if lang == "fr" else "This quiz needs JavaScript"
            assert (said in shown) is not script, shown[:300]


def test_works_from_file_url(minimal_site: Path) -> None:
    with browser() as b:
        offsite: list[str] = []
        page = new_page(b, offsite)
        page.goto((minimal_site / PAGE).as_uri())
        assert page.evaluate("window.crypto.subtle") is None
        answer(page, "t-short", "short", "Organisation internationale du travail")
        page.click("#cgq-t-short button.cg-check")
        assert verdict(page, "t-short").startswith("✔ Correct")
        assert not page.js_errors  # type: ignore[attr-defined]
    assert offsite == []


FINISHED = "() => /\\d/.test(document.querySelector('#search-results p.search-summary')?.innerText || '')"


def test_french_search_ignores_accents(minimal_site: Path) -> None:
    """A trainee types without accents on a phone: "finalite" finds the page that says
    "finalité", as "finalité" does: an accented word is indexed as written and as typed
    without accents. Control: Sphinx's French stemmer keeps the two apart (the second
    indexing is what matches), and tells "forcé" and "forcées" apart once unaccented (so
    the word as written is still indexed, and stemmed, with its accents)."""
    from sphinx.search.fr import SearchFrench

    from coursegen.sphinxext import FrenchWithoutAccents

    stock, ours = SearchFrench({}), FrenchWithoutAccents({})
    assert stock.stem("sécurité") != stock.stem("securite")
    assert stock.stem("forcé") == stock.stem("forcées") and stock.stem("force") != stock.stem("forcees")
    said = ours.split("La sécurité des travailleurs forcées, main-d'œuvre.")
    assert {"sécurité", "securite", "forcées", "forcees", "œuvre", "oeuvre", "travailleurs"} <= set(said)
    assert said.count("travailleurs") == 1  # a word without accents, once
    with browser() as b, serve(minimal_site) as url:
        found = {}
        for word in ("finalité", "finalite", "FINALITE"):
            page = new_page(b, [])
            page.goto(f"{url}/fr/_build/html/search.html?q={word}")
            page.wait_for_function(FINISHED)
            found[word] = sorted(page.locator("#search-results li a").evaluate_all("els => els.map(e => e.href)"))
            assert not page.js_errors  # type: ignore[attr-defined]
        assert found["finalite"] == found["finalité"] == found["FINALITE"] != []
        assert any("basics" in href for href in found["finalite"])


def test_a_search_result_s_summary_shows_the_words_found(site: Path) -> None:
    """On a phone, each result's summary is the page's own text around the word found, also
    typed without its accents ("equite" for « équité », far down a long page); not the
    header's menu (".md") or the page's contents box, which Sphinx's summary began with.
    The link to the other language's search page sits in the search box's margins, not at
    the screen's edge."""
    with browser() as b, serve(site) as url:
        page = new_page(b, [], viewport={"width": 360, "height": 640}, is_mobile=True)
        for query, word in (("equite", "équit"), ("victimes", "victime")):
            page.goto(f"{url}/fr/_build/html/search.html?q={query}")
            page.wait_for_function(FINISHED)
            page.wait_for_function("() => [...document.querySelectorAll('#search-results li')].every("
                                   "li => li.querySelector('p.context'))")  # fmt: skip
            summaries = page.locator("#search-results li p.context").all_inner_texts()
            assert summaries and all(word in s.lower() for s in summaries), summaries
            assert not any(".md" in s or "Contenu" in s for s in summaries), summaries
        switch = page.locator(".cg-search-switch .cg-lang-switch").bounding_box()
        results = page.locator("#search-results").bounding_box()
        assert switch and results and switch["x"] == results["x"] > 0
        assert not page.js_errors  # type: ignore[attr-defined]


HIGHLIGHTED = "els => els.map(e => e.textContent)"


def test_the_words_found_without_accents_are_highlighted(site: Path) -> None:
    """A trainee types "equite" on a phone: each result's summary shows « équitable » or
    « équité » highlighted, as Sphinx highlights a word typed as written, and so does the
    page opened from a result ("oeuvre": « œuvre », "securite": « sécurité »). Opened from
    its files, the site lists the results without summaries, and the page opened from one
    still highlights them. Control: a word typed as written is highlighted as before."""
    html = site / "fr" / "_build" / "html"
    with browser() as b, serve(site) as url:
        page = new_page(b, [])
        # the words whose stem was typed count as found too ("sécurité": « sécuriser »)
        for query, found in (("equite", "équit"), ("oeuvre", "œuvr"), ("securite", "sécurit"), ("sécurité", "sécur")):
            page.goto(f"{url}/fr/_build/html/search.html?q={query}")
            page.wait_for_function(FINISHED)
            page.wait_for_function("() => [...document.querySelectorAll('#search-results li')].every("
                                   "li => li.querySelector('p.context'))")  # fmt: skip
            for summary in page.locator("#search-results li p.context").all():
                words = summary.locator("span.highlighted").evaluate_all(HIGHLIGHTED)
                assert words and all(found in w.lower() for w in words), (query, words, summary.inner_text())
            page.locator("#search-results li a").first.click()
            page.wait_for_function("document.querySelector('span.highlighted')")
            words = page.locator("article span.highlighted").evaluate_all(HIGHLIGHTED)
            assert words and all(found in w.lower() for w in words), (query, page.url, words)
        # a link that names the words (no stem known there): the words that begin with them
        page.goto(f"{url}/fr/_build/html/employers/prevent.html?highlight=securite")
        page.wait_for_function("document.querySelector('span.highlighted')")
        assert set(page.locator("article span.highlighted").evaluate_all(HIGHLIGHTED)) == {"sécurité"}
        assert not page.js_errors  # type: ignore[attr-defined]

        page = new_page(b, [])
        page.goto((html / "search.html").as_uri() + "?q=equite")
        page.wait_for_function(FINISHED)
        page.wait_for_timeout(300)
        assert page.locator("#search-results li").count() > 0
        assert page.locator("#search-results p.context").count() == 0
        page.locator("#search-results li a").first.click()
        page.wait_for_function("document.querySelector('span.highlighted')")
        words = page.locator("article span.highlighted").evaluate_all(HIGHLIGHTED)
        assert words and all("équit" in w.lower() for w in words), words
        assert not page.js_errors  # type: ignore[attr-defined]


def test_english_search_finds_us_spellings(minimal_site: Path) -> None:
    """A trainee from the United States types "recognize" or "forced labor": the pages that
    write "recognise" and "labour" come up, as they do for the British spelling. Control:
    Sphinx's English stemmer keeps the two spellings apart (the second indexing is what
    matches), and a word of no British spelling is indexed once."""
    from sphinx.search.en import SearchEnglish

    from coursegen.sphinxext import EnglishAnySpelling

    stock, ours = SearchEnglish({}), EnglishAnySpelling({})
    assert stock.stem("recognise") != stock.stem("recognize") and stock.stem("labour") != stock.stem("labor")
    said = ours.split("Recognise forced labour: the organisation's offence, in your own hour.")
    assert {"Recognise", "recognize", "labour", "labor", "organisation", "organization", "offense"} <= set(said)
    assert said.count("forced") == said.count("your") == said.count("hour") == 1
    with browser() as b, serve(minimal_site) as url:
        found = {}
        for word in ("recognise", "recognize", "RECOGNIZE"):
            page = new_page(b, [])
            page.goto(f"{url}/en/_build/html/search.html?q={word}")
            page.wait_for_function(FINISHED)
            found[word] = sorted(page.locator("#search-results li a").evaluate_all("els => els.map(e => e.href)"))
            assert not page.js_errors  # type: ignore[attr-defined]
        assert found["recognize"] == found["recognise"] == found["RECOGNIZE"] != []
        assert any("police/recognise" in href for href in found["recognize"])


def test_search_over_http_and_from_files(minimal_site: Path) -> None:
    """Over HTTP, each search result shows a summary of its page. Opened from its files,
    where browsers refuse Sphinx's fetch of each result's page, the site lists the same
    results, without summaries and without errors. Control: with the summaries asked for
    there, the errors come (the check can fail)."""
    offsite: list[str] = []
    html = minimal_site / "en" / "_build" / "html"
    with browser() as b, serve(minimal_site) as url:
        page = new_page(b, offsite)
        page.goto(f"{url}/en/_build/html/search.html?q=trafficking")
        page.wait_for_function(FINISHED)
        served = page.locator("#search-results li").count()
        page.wait_for_selector("#search-results li p.context")
        assert not page.js_errors  # type: ignore[attr-defined]

        page = new_page(b, offsite)
        page.goto((html / "search.html").as_uri() + "?q=trafficking")
        page.wait_for_function(FINISHED)
        assert page.locator("#search-results li").count() == served > 0
        page.wait_for_timeout(500)  # a refused fetch fails at once
        assert page.locator("#search-results p.context").count() == 0
        assert not page.js_errors  # type: ignore[attr-defined]

        page.evaluate("DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = true; Search.performSearch('trafficking')")
        for _ in range(50):
            if page.js_errors:  # type: ignore[attr-defined]
                break
            page.wait_for_timeout(100)
        assert any("fetch" in e.lower() for e in page.js_errors)  # type: ignore[attr-defined]
    assert offsite == []


def test_french_page_speaks_french(minimal_site: Path) -> None:
    with browser() as b, serve(minimal_site) as url:
        page = new_page(b, [])
        page.goto(f"{url}/fr/_build/html/police/recognise.html")
        page.click("#cgq-t-single button.cg-check")
        assert verdict(page, "t-single").startswith("⚠ Pas de réponse")
        assert page.inner_text("#cgq-t-single button.cg-check") == "Vérifier"
        # what the script writes keeps French punctuation with its word, as the page's text
        answer(page, "t-single", "single", "b")
        page.click("#cgq-t-single button.cg-check")
        explained = page.text_content("#cgq-t-single .cg-explanation")
        assert explained == "Explication\u00a0: Non\u00a0: l'hébergement suffit.", explained
        assert page.text_content(".cg-summary").startswith("Score\u00a0: 1")  # written again by the script
        assert re.search(r"\S [:;!?»]", page.text_content("#cgq-t-single .cg-fb") or "") is None


def test_what_cannot_be_graded_is_told_and_not_counted(minimal_site: Path) -> None:
    """Nothing ticked, a row left out, a position given twice, a word for a number: the
    trainee is told what is missing, in the page's language; the question is not graded
    (its key not shown), not counted as checked and not kept."""
    with browser() as b, serve(minimal_site) as url:
        page = new_page(b, [])
        page.goto(f"{url}/{PAGE}")
        before = page.inner_text(".cg-summary")
        assert "0 of" in before
        cases = [
            ("t-multiple", "multiple", [], "⚠ No answer"),
            ("t-match", "match", {"p1": "act"}, "⚠ Incomplete answer: answer every part"),
            ("t-order", "order", None, "⚠ Give each step a different position"),
            ("t-numeric", "numeric", "18 years", "⚠ Write a number in digits, with a point for decimals"),
            ("t-short", "short", "   ", "⚠ No answer"),
        ]
        for ident, kind, response, told in cases:
            if response is not None:
                answer(page, ident, kind, response)
            else:  # every step at position 1
                for select in page.locator(f"#cgq-{ident} select").all():
                    select.select_option("1")
            page.click(f"#cgq-{ident} button.cg-check")
            assert page.inner_text(f"#cgq-{ident}--fb") == told, ident
            assert page.get_attribute(f"#cgq-{ident}", "data-state") == "unanswered"
        assert page.get_attribute("#cgq-t-numeric--answer", "aria-invalid") == "true"
        assert page.inner_text(".cg-summary") == before
        page.reload()
        assert page.inner_text(".cg-summary") == before
        assert all(page.inner_text(f"#cgq-{ident}--fb") == "" for ident, *_ in cases)
        # a partial match kept by an earlier version of the page, which graded it: not restored
        key = page.evaluate(
            """() => { for (const s of document.querySelectorAll('script.cg-quiz-data')) {
                 const d = JSON.parse(s.textContent), it = d.items.find(i => i.id === 't-match');
                 if (it) { const k = 'coursegen:' + d.scope + ':' + it.id + ':' + it.salt;
                   localStorage.setItem(k, JSON.stringify({response: {p1: 'act'}})); return k; } } }"""
        )
        page.reload()
        assert page.inner_text("#cgq-t-match--fb") == "" and page.input_value("#cgq-t-match--p1") == ""
        assert page.evaluate("k => localStorage.getItem(k)", key) is None
        assert page.inner_text(".cg-summary") == before
        # a number then: graded, and no longer marked invalid
        answer(page, "t-numeric", "numeric", "18")
        page.click("#cgq-t-numeric button.cg-check")
        assert verdict(page, "t-numeric").startswith("✔")
        assert page.get_attribute("#cgq-t-numeric--answer", "aria-invalid") is None
        assert "1 of" in page.inner_text(".cg-summary")


def test_a_changed_answer_loses_the_verdict_of_the_one_before(minimal_site: Path) -> None:
    """Checked wrong, then another option chosen: "Incorrect" and its feedback go (they were
    the other answer's); a note says to check the new one, and that the answer checked last
    counts until then, as it does, kept (a mis-tap on a phone lost a right answer, saved,
    with its score). Control: the verdict is there before the change."""
    with browser() as b, serve(minimal_site) as url:
        page = new_page(b, [])
        page.goto(f"{url}/{PAGE}")
        answer(page, "t-single", "single", "a")
        page.click("#cgq-t-single button.cg-check")
        assert (
            verdict(page, "t-single").startswith("✘") and page.get_attribute("#cgq-t-single", "data-state") == "wrong"
        )
        assert "(1 of" in page.inner_text(".cg-summary")
        answer(page, "t-single", "single", "b")
        said = page.inner_text("#cgq-t-single--fb")
        assert "Answer changed: check it" in said and "✘" not in said and "Incorrect" not in said, said
        assert page.get_attribute("#cgq-t-single", "data-state") == "changed"
        assert "(1 of" in page.inner_text(".cg-summary")  # the answer checked last still counts
        page.reload()  # ... and is kept: it comes back, with its verdict
        assert page.is_checked("#cgq-t-single--a") and verdict(page, "t-single").startswith("✘")
        answer(page, "t-single", "single", "b")
        page.fill("#cgq-t-short--answer", "ILO")
        page.click("#cgq-t-short button.cg-check")
        assert verdict(page, "t-short").startswith("✔")
        page.type("#cgq-t-short--answer", "x")  # typing again: the verdict was for "ILO"
        assert "✔" not in page.inner_text("#cgq-t-short--fb")
        page.click("#cgq-t-single button.cg-check")
        assert verdict(page, "t-single").startswith("✔") and "(2 of" in page.inner_text(".cg-summary")
        page.reload()
        assert page.is_checked("#cgq-t-single--b") and verdict(page, "t-single").startswith("✔")
        assert not page.js_errors  # type: ignore[attr-defined]


def test_every_control_reached_by_the_keyboard_shows_its_focus(minimal_site: Path) -> None:
    """Tab through a page's header and navigation: each control reached shows where the
    focus is, by an outline or a ring (the theme removed the header buttons' outline)."""
    with browser() as b, serve(minimal_site) as url:
        page = new_page(b, [], viewport={"width": 1280, "height": 800})
        page.goto(f"{url}/{PAGE}")
        unseen = []
        for _ in range(14):
            page.keyboard.press("Tab")
            shown = page.evaluate(
                """() => { const e = document.activeElement, s = getComputedStyle(e);
                   const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
                   const shadow = s.boxShadow !== 'none' && !/^rgba\\(0, 0, 0, 0\\)/.test(s.boxShadow);
                   return [ring || shadow, e.title || e.getAttribute('aria-label') || e.textContent.trim().slice(0, 30),
                           e.getBoundingClientRect().width > 0]; }"""
            )
            if shown[2] and not shown[0]:
                unseen.append(shown[1])
        assert unseen == []


def test_answers_are_big_enough_for_a_finger_on_a_phone(minimal_site: Path) -> None:
    """On a touch screen, each answer (its label, which a tap selects), each button and each
    list is at least 44 px tall. Control: with a mouse, the labels keep their text's height."""
    heights = {}
    with browser() as b, serve(minimal_site) as url:
        for touch in (True, False):
            page = new_page(b, [], viewport={"width": 360, "height": 640}, is_mobile=touch, has_touch=touch)
            page.goto(f"{url}/{PAGE}")
            heights[touch] = page.evaluate(
                """() => [...document.querySelectorAll('.cg-opt label, .cg-quiz button, .cg-quiz select')]
                       .map(e => e.getBoundingClientRect().height)"""
            )
    assert heights[True] and min(heights[True]) >= 44, heights[True]
    assert min(heights[False]) < 44


def test_the_verdict_is_brought_into_view_on_a_small_screen(minimal_site: Path) -> None:
    """A Check button at the bottom of a phone's screen: its verdict, below it, is scrolled
    into view (it was left below the fold)."""
    with browser() as b, serve(minimal_site) as url:
        page = new_page(b, [], viewport={"width": 320, "height": 568}, is_mobile=True)
        page.goto(f"{url}/{PAGE}")
        answer(page, "t-multiple", "multiple", ["a", "c"])
        page.evaluate(
            "() => { const r = document.querySelector('#cgq-t-multiple .cg-check').getBoundingClientRect();"
            " window.scrollBy(0, r.bottom - window.innerHeight + 2); }"
        )
        page.focus("#cgq-t-multiple .cg-check")
        page.keyboard.press("Enter")
        box = page.evaluate("document.querySelector('#cgq-t-multiple--fb').getBoundingClientRect().bottom")
        assert verdict(page, "t-multiple").startswith("✔") and box <= page.evaluate("window.innerHeight") + 1


@pytest.mark.parametrize("side", ["primary", "secondary"])
def test_a_phone_opens_the_navigation_and_the_pages_contents(minimal_site: Path, side: str) -> None:
    """On a phone, the buttons that open the book's navigation and the page's contents open
    them (tapping them did nothing: pydata-sphinx-theme#2451, two buttons of each kind on a
    page and the theme's script listening to the first, hidden one). The check can fail:
    without coursegen's hand-over, the dialog stays closed."""
    with browser() as b, serve(minimal_site) as url:
        for handed_over in (True, False):
            page = new_page(b, [], viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
            if not handed_over:  # the page's own listeners only, as the theme leaves them
                page.add_init_script(
                    "EventTarget.prototype._add = EventTarget.prototype.addEventListener;"
                    "EventTarget.prototype.addEventListener = function (t, f, o) {"
                    " if (t === 'DOMContentLoaded' && String(f).includes('toggles[0].click')) return;"
                    " return this._add(t, f, o); };"
                )
            page.goto(f"{url}/{PAGE}")
            shown = [
                n for n, visible in enumerate(page.evaluate(
                    f"[...document.querySelectorAll('.{side}-toggle')].map(b => b.offsetParent !== null)"
                )) if visible
            ]  # fmt: skip
            assert len(shown) == 1, shown
            page.locator(f".{side}-toggle").nth(shown[0]).tap()
            page.wait_for_timeout(300)
            opened = page.evaluate(f"document.querySelector('#pst-{side}-sidebar-modal').open")
            assert opened is handed_over, (side, handed_over)
            if handed_over:
                links = page.evaluate(
                    f"document.querySelector('#pst-{side}-sidebar-modal').querySelectorAll('a').length"
                )
                assert links > 0
            page.context.close()


def test_french_numbers_and_words(minimal_site: Path) -> None:
    """1,5 with a comma; « 1 question vérifiée », singular."""
    with browser() as b, serve(minimal_site) as url:
        page = new_page(b, [])
        page.goto(f"{url}/fr/_build/html/police/recognise.html")
        answer(page, "t-multiple", "multiple", ["a"])
        page.click("#cgq-t-multiple button.cg-check")
        assert verdict(page, "t-multiple").startswith("◐ Partiellement correct — 1,5 / 3 points")
        summary = page.inner_text(".cg-summary")
        assert "Score\u00a0: 1,5 / " in summary and "(1 question vérifiée sur " in summary, summary
        answer(page, "t-single", "single", "b")
        page.click("#cgq-t-single button.cg-check")
        assert "(2 questions vérifiées sur " in page.inner_text(".cg-summary")


def test_a_screen_reader_hears_which_question(minimal_site: Path) -> None:
    """Each Check button and text field is named with its question's number, and the
    feedback's live region is in the accessibility tree before any answer (a region that
    appears with its news is often not read out)."""
    with browser() as b, serve(minimal_site) as url:
        page = new_page(b, [])
        page.goto(f"{url}/{PAGE}")
        names = [
            page.locator(f"#{f} button.cg-check").get_attribute("aria-label")
            for f in ("cgq-t-single", "cgq-t-multiple")
        ]
        assert names == ["Check question 1", "Check question 2"]
        buttons = page.get_by_role("button", name=re.compile(r"^Check question \d+$"))
        count = page.locator("form.cg-q").count()
        assert buttons.count() == count > 5
        assert page.get_by_role("textbox", name="Your answer to question 5").count() == 1
        assert page.evaluate("getComputedStyle(document.querySelector('#cgq-t-single--fb')).display") != "none"
        statuses = page.locator("form.cg-q").first.get_by_role("status", include_hidden=False)
        assert statuses.count() == 1


@pytest.mark.browser
def test_a_browser_that_keeps_no_site_data_still_opens_the_menu_searches_and_says_so(
    minimal_site: Path, tmp_path: Path
) -> None:
    """A phone whose site data are blocked (its settings, a locked-down profile): the
    theme's script stopped at its first touch of localStorage, and with it the menu, the
    page's contents and the search; the quiz graded, said its answers "stay on this
    device", and lost them on a reload. The pages get a storage of their own, and the quiz
    says its answers will not be kept. Storage full: said at the first answer not kept.
    Control: a browser that keeps site data has neither the stand-in nor the note."""
    from playwright.sync_api import sync_playwright

    from browser import ARGS, CHROMIUM

    profile = tmp_path / "profile"
    (profile / "Default").mkdir(parents=True)
    blocked = {"profile": {"default_content_setting_values": {"cookies": 2}}}  # "block all site data"
    (profile / "Default" / "Preferences").write_text(json.dumps(blocked), "utf-8")
    with sync_playwright() as pw, serve(minimal_site) as url:
        ctx = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=ARGS, headless=True, viewport={"width": 360, "height": 740}
        )
        page = ctx.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{url}/en/_build/html/police/recognise.html")
        assert page.evaluate(
            "(() => { try { return typeof window.localStorage.length; } catch (e) { return e.name; } })()"
        )
        assert page.evaluate("window.coursegenStorage") == "memory"
        page.locator(".bd-header-article .primary-toggle").click()
        page.wait_for_function("document.getElementById('pst-primary-sidebar-modal').open")
        assert page.locator(".cg-unkept").inner_text().startswith("This browser does not keep your answers")
        page.keyboard.press("Escape")
        page.click("#cgq-t-single--b")
        page.click("#cgq-t-single button.cg-check")
        assert page.inner_text("#cgq-t-single--fb .cg-verdict").startswith("✔ Correct")
        page.goto(f"{url}/en/_build/html/search.html?q=trafficking")
        page.locator("#search-results li").first.wait_for()
        assert errors == []
        ctx.close()
    with browser() as b, serve(minimal_site) as url:
        page = new_page(b, [])
        page.goto(f"{url}/en/_build/html/police/recognise.html")
        assert page.evaluate("window.coursegenStorage") is None and page.locator(".cg-unkept").count() == 0
        # a storage that is full: the note comes with the first answer it does not keep
        page.evaluate(
            "() => { Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); }; }"
        )
        page.click("#cgq-t-single--b")
        page.click("#cgq-t-single button.cg-check")
        assert page.locator(".cg-unkept").inner_text().startswith("This browser does not keep your answers")
        assert not page.js_errors  # type: ignore[attr-defined]


@pytest.mark.browser
def test_on_a_phone_the_contents_close_on_a_section_and_a_search_keeps_its_words(minimal_site: Path) -> None:
    """On a phone, the page's contents (opened over the page) close once a section is
    chosen: they stayed over three quarters of the screen. The other language's search
    page searches the same words: it opened empty."""
    with browser() as b, serve(minimal_site) as url:
        page = new_page(b, [], viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
        page.goto(f"{url}/en/_build/html/police/recognise.html")
        page.locator(".bd-header-article .secondary-toggle").click()
        page.wait_for_function("document.getElementById('pst-secondary-sidebar-modal').open")
        link = page.locator("#pst-secondary-sidebar-modal a[href^='#']").last
        target = str(link.get_attribute("href"))[1:]
        link.click()
        page.wait_for_function("!document.getElementById('pst-secondary-sidebar-modal').open")
        page.wait_for_timeout(300)
        # at the top of the screen, under the header (closed at once, the contents moved back
        # above it and left it 370 px down)
        top = page.evaluate(f"document.getElementById({target!r}).getBoundingClientRect().top")
        assert 0 <= top < 150, top
        page.goto(f"{url}/en/_build/html/search.html?q=trafficking")
        page.locator("#search-results li").first.wait_for()
        href = page.get_attribute("a.cg-lang-switch", "href")
        assert href is not None and href.endswith("search.html?q=trafficking"), href
        assert not page.js_errors  # type: ignore[attr-defined]


@pytest.mark.browser
def test_on_a_phone_a_match_s_answers_are_written_out_under_their_lists(minimal_site: Path) -> None:
    """A phone's closed list shows the start of a long answer only, cut under its arrow:
    each chosen answer is written out under its list, hidden from screen readers (the list
    says it), and cleared with the answers; a wide screen shows the list whole, and not
    the copy."""
    with browser() as b, serve(minimal_site) as url:
        for width, shown in ((360, True), (1200, False)):
            page = new_page(b, [], viewport={"width": width, "height": 800})
            page.goto(f"{url}/en/_build/html/police/recognise.html")
            page.select_option("#cgq-t-match--p1", "means")
            copy = page.locator("#cgq-t-match .cg-pair .cg-chosen").first
            assert copy.get_attribute("aria-hidden") == "true"
            assert copy.is_visible() is shown, width
            if shown:
                assert copy.inner_text() == "Means"
                page.once("dialog", lambda d: d.accept())
                page.click("#cg-quiz-police button.cg-reset")
                assert copy.inner_text() == "" and not copy.is_visible()
            assert not page.js_errors  # type: ignore[attr-defined]


@pytest.mark.browser
def test_the_browser_normalises_short_answers_as_python_does() -> None:
    """Python's `normalise` and the page's give the same text for 6,000 strings drawn from
    every assigned character (of Python's Unicode) and from those where they parted before
    (ß, a final sigma, №, Ⅻ, ligatures, full-width letters, Indic vowel signs, İ): an
    accepted answer holding one matched in the notebook and never in the browser. Before
    Python's followed the browser's steps, 2,342 of these differed."""
    import random
    import unicodedata

    from coursegen.grading import normalise

    draw = random.Random(26)  # the same strings in every run
    everything = [chr(c) for c in range(0x30000) if unicodedata.category(chr(c)) not in ("Cn", "Cs", "Co")]
    tricky = [*"ßſςΣσİıﬁﬀ№Ⅻⅻ℡㎒ＡＢｃ½²ǅǄΐΰ̈́ँंःािीਾ", " ", ".", "'", "-", "L'", "la ", "the ", "de l'"]
    texts = [
        "".join(draw.choice(tricky if i % 2 or draw.random() < 0.3 else everything) for _ in range(draw.randint(1, 8)))
        for i in range(6000)
    ]
    with browser() as b:
        page = b.new_page()
        page.set_content("<!doctype html><title>grader</title>")
        page.add_script_tag(path=str(Path(__file__).parents[1] / "src/coursegen/static/coursegen-quiz.js"))
        shown = page.evaluate("(texts) => texts.map((t) => coursegenQuiz.normalise(t))", texts)
    differ = [(text, normalise(text), js) for text, js in zip(texts, shown, strict=True) if normalise(text) != js]
    assert differ == [], (len(differ), differ[:3])


@pytest.mark.browser
def test_the_other_language_is_one_tap_away_and_opens_at_the_same_place(site: Path) -> None:
    """On a phone, the header, which stays at the top of the screen, holds the link to the
    other language (under the title only, it was 10,000 px up); it opens the other page at
    the same section (its id is in each page's language: found by its rank), the same
    question of a quiz or the same term of the glossary (the same id), where the other page
    opened at its top. Control: the
    link under the title, at the top, opens the other page at its top."""
    with browser() as b, serve(site) as url:
        page = new_page(b, [], viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
        page.goto(f"{url}/fr/_build/html/police/recognise.html")
        button = page.locator(".bd-header-article a.cg-lang-button")
        assert button.inner_text() == "EN" and button.get_attribute("aria-label") == "EN — Read this page in English"
        ranks = "() => [...document.querySelectorAll('article.bd-article section[id]')].map(s => s.id)"
        french = page.evaluate(ranks)
        page.evaluate("(id) => document.getElementById(id).scrollIntoView()", french[3])
        tap(page, button)  # where it is: the header stays on the screen
        page.wait_for_url("**/en/_build/html/police/recognise.html#*")
        english = page.evaluate(ranks)
        assert len(english) == len(french) and page.evaluate("location.hash") == f"#{english[3]}"
        top = page.evaluate("(id) => document.getElementById(id).getBoundingClientRect().top", english[3])
        assert 0 <= top < 150, top
        page.goto(f"{url}/en/_build/html/common/quiz.html")
        question = page.evaluate("[...document.querySelectorAll('form.cg-q')][8].id")
        page.evaluate("(id) => document.getElementById(id).scrollIntoView()", question)
        tap(page, page.locator(".bd-header-article a.cg-lang-button"))
        page.wait_for_url(f"**/fr/_build/html/common/quiz.html#{question}")
        top = page.evaluate("(id) => document.getElementById(id).getBoundingClientRect().top", question)
        assert 0 <= top < 150 and page.locator(".bd-header-article a.cg-lang-button").inner_text() == "EN", top
        page.goto(f"{url}/fr/_build/html/common/glossary.html")  # a term of the glossary: the same id
        page.evaluate("document.getElementById('cg-term-forced-labour').scrollIntoView()")
        tap(page, page.locator(".bd-header-article a.cg-lang-button"))
        page.wait_for_url("**/en/_build/html/common/glossary.html#cg-term-forced-labour")
        assert "forced labour" in page.evaluate(
            "document.getElementById('cg-term-forced-labour').closest('li').textContent"
        )
        page.goto(f"{url}/fr/_build/html/common/quiz.html")  # by the keyboard: focus moves the page up
        question = page.evaluate("[...document.querySelectorAll('form.cg-q')][5].id")
        page.evaluate("(id) => document.getElementById(id).scrollIntoView()", question)
        page.wait_for_timeout(200)  # read where the trainee is
        page.focus(".bd-header-article a.cg-lang-button")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/en/_build/html/common/quiz.html#{question}")
        page.goto(f"{url}/fr/_build/html/common/quiz.html")
        page.locator("p > a.cg-lang-switch").click()  # at the top: the other page's top
        page.wait_for_url("**/en/_build/html/common/quiz.html")
        assert page.evaluate("location.hash") == "" and page.evaluate("scrollY") == 0
        assert not page.js_errors  # type: ignore[attr-defined]


def tap(page: Any, target: Any) -> None:
    """A finger's tap where `target` is on the screen (a click would first scroll the page
    to it: Playwright moved the page 324 px up to reach the header's button)."""
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"], box
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
