"""The built HTML holds no readable answer key: no correct flags, no plain list of correct
option ids, no accepted answers or numeric keys, no feedback text in clear."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from coursegen.grading import public_item
from coursegen.quizhtml import render_quiz
from test_grading import BANK_ITEMS, FIXTURE_ITEMS

DIGEST = re.compile(r"^[0-9a-f]{16}$")
SEALED = re.compile(r"^[A-Za-z0-9+/]{4,}=*$")
"""Text the page holds sealed (base64 of its cipher): an explanation, a feedback, a number."""
PUBLIC_KEYS = {
    "id",
    "type",
    "points",
    "salt",
    "prompt",
    "explanation",
    "sources",
    "options",
    "choices",
    "pairs",
    "steps",
    "key",
    "feedback",
    "numeric",
    "bank",
    "audiences",
    "shape",  # a digest of the item's type and its options', pairs' and steps' ids (quizzes.shape): no key
}


def key_leaks(html: str, items: dict[str, dict[str, Any]]) -> list[str]:
    """Every way in which `html` shows the key of one of `items` in plain text."""
    soup = BeautifulSoup(html, "html.parser")
    leaks = []
    for marker in ("data-correct", '"correct"', "correct: true", "is-correct", 'class="correct'):
        if marker in html:
            leaks.append(f"marker {marker!r}")
    for quiz in soup.select("div.cg-quiz"):
        data = json.loads(quiz.select_one("script.cg-quiz-data").get_text())
        for public in data["items"]:
            item = items[public["id"]]
            # what the page holds about this item: its form and its data
            text = str(quiz.select_one(f'form[data-id="{item["id"]}"]')) + json.dumps(public, ensure_ascii=False)
            extra = set(public) - PUBLIC_KEYS
            if extra:
                leaks.append(f"{item['id']}: unexpected fields {sorted(extra)}")
            for digest in public.get("key", []):
                if not DIGEST.match(digest):
                    leaks.append(f"{item['id']}: key entry {digest!r} is not a digest")
            texts = []
            for group in ("options", "pairs", "steps"):
                texts += [p["feedback"][data["lang"]] for p in item.get(group, [])]
            if isinstance(item.get("feedback"), dict):
                texts += [f[data["lang"]] for f in item["feedback"].values()]
            if item.get("explanation"):  # it gives the answer away ("18 years.")
                texts.append(item["explanation"][data["lang"]])
            sealed = [public.get("explanation"), public.get("numeric"), *public.get("feedback", {}).values()]
            for value in sealed:
                if value is not None and not (isinstance(value, str) and SEALED.match(value)):
                    leaks.append(f"{item['id']}: {str(value)[:40]!r} not sealed")
            texts += [a for answers in item.get("accepted", {}).values() for a in answers]
            for t in texts:
                if len(t) > 3 and t in text:
                    leaks.append(f"{item['id']}: {t[:40]!r} in clear")
            if item["type"] in ("single", "multiple"):
                correct = sorted(o["id"] for o in item["options"] if o.get("correct"))
                if json.dumps(correct) in text or json.dumps(correct, separators=(",", ":")) in text:
                    leaks.append(f"{item['id']}: list of correct ids")
            if item["type"] == "numeric" and (
                f'"{item["answer"]}"' in text or re.fullmatch(r"-?[\d.]+", str(public.get("numeric")))
            ):
                leaks.append(f"{item['id']}: numeric answer in clear")
    return leaks


@pytest.mark.slow
def test_built_site_holds_no_readable_key(site: Path) -> None:
    pages = 0
    for lang in ("fr", "en"):
        for path in (site / lang / "_build" / "html").rglob("*.html"):
            html = path.read_text("utf-8")
            if "cg-quiz-data" in html:
                pages += 1
            assert key_leaks(html, BANK_ITEMS) == [], path
    assert pages >= 10  # five quizzes in two languages


def test_the_check_finds_a_key_in_clear() -> None:
    """The same check flags a page that ships the full items instead of their public form."""
    items = [FIXTURE_ITEMS["t-multiple"], FIXTURE_ITEMS["t-short"], FIXTURE_ITEMS["t-numeric"]]
    honest = render_quiz("x", "course", "en", [public_item(i, "en") for i in items])
    assert key_leaks(honest, FIXTURE_ITEMS) == []
    leaky = [
        {
            **public_item(i, "en"),
            "options": [
                {"id": o["id"], "text": o["text"]["en"], "correct": o.get("correct", False), "fb": o["feedback"]["en"]}
                for o in i.get("options", [])
            ],
        }
        for i in items
    ]
    found = key_leaks(render_quiz("x", "course", "en", leaky), FIXTURE_ITEMS)
    assert any("marker" in f for f in found) and any("in clear" in f for f in found)
    plain = [{**public_item(i, "en"), "answer": i.get("answer"), "accepted": i.get("accepted")} for i in items]
    found = key_leaks(render_quiz("x", "course", "en", plain), FIXTURE_ITEMS)
    assert any("unexpected fields" in f for f in found) and any("'International Labour" in f for f in found)
    # the explanation, which gives the answer away, in clear; the number unsealed
    bare = [{**public_item(i, "en"), "explanation": i["explanation"]["en"]} for i in items]
    bare[2]["numeric"] = 18
    found = key_leaks(render_quiz("x", "course", "en", bare), FIXTURE_ITEMS)
    assert "t-numeric: '18 years.' in clear" in found and "t-numeric: numeric answer in clear" in found
    assert (
        "t-numeric: '18' not sealed" in found
        and "t-short: " + repr(items[1]["explanation"]["en"][:40]) + " not sealed" in found
    )
