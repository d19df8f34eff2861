"""Moodle XML export: the question bank in Moodle's own import format.

Decisions (see docs/exports.md):
- texts in every exported language as Moodle multilang spans
  (`<span lang="fr" class="multilang">…</span>`), or one language with `--lang`;
- `idnumber` and `name` = the item id; tags `audience:<id>`, `bank:<bank>` and `source:<id>`;
  one category per bank;
- single → multichoice (single); multiple → multichoice with fractions +100/k and −100/k
  (k = correct options; Moodle floors the sum at 0, as our rule does), with a warning when
  100/k is not in Moodle's list of grades (k over 10, but for 20), which its import refuses;
- match → matching (a choice that answers no pair is added as a distractor); Moodle has no
  per-pair feedback, so each pair's feedback is appended to the general feedback;
- order → matching of each step to its position ("Position 2"), with a warning;
- short → shortanswer, case-insensitive, plus a `*` answer carrying the "incorrect" feedback;
- numeric → numerical with its tolerance, plus a `*` answer carrying the "incorrect" feedback;
- a scenario's title and case text are put before each of its items' question text.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from html import escape
from typing import Any

from . import Selection
from .gift import has_accents, unlisted_weights

POSITION = {"fr": "Position {n}", "en": "Position {n}"}


def fraction(value: float) -> str:
    """Moodle's notation: up to 5 decimals, no trailing zeros ("33.33333", "50", "-25")."""
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def number(value: float) -> str:
    """A numeric answer or tolerance as written, every digit kept, without an exponent
    ("0.000004", "3.14159265"): `fraction`'s five decimals made 0.000004 ± 0.000001 a 0 ± 0,
    and marked 3.14159265 wrong against 3.14159."""
    text = f"{Decimal(repr(float(value))):f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text == "-0" else text


def multilang(texts: dict[str, str], languages: list[str]) -> str:
    """A text in HTML (Moodle shows it so), in each language: its own line breaks kept."""
    if len(languages) == 1:
        return _lines(texts[languages[0]])
    return "".join(f'<span lang="{lang}" class="multilang">{_lines(texts[lang])}</span>' for lang in languages)


def _lines(text: str) -> str:
    """`text` escaped for HTML, each of its line breaks shown: HTML would join its lines."""
    return escape(text.strip("\n")).replace("\n", "<br>\n")


def _text(parent: ET.Element, tag: str, value: str, html: bool = True) -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": "html"} if html else {})
    ET.SubElement(element, "text").text = value
    return element


def export(selection: Selection) -> tuple[str, list[str]]:
    """The Moodle XML document and the warnings (conversions) it needed."""
    langs = selection.languages
    quiz = ET.Element("quiz")
    warnings: list[str] = []
    bank = None
    for question, item in selection.items():
        if question.bank != bank:
            bank = question.bank
            category = ET.SubElement(ET.SubElement(quiz, "question", {"type": "category"}), "category")
            ET.SubElement(category, "text").text = f"$course$/top/coursegen/{bank}"
        warnings += _question(quiz, question, item, langs, selection)
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n", warnings


def _question(
    quiz: ET.Element, question: Any, item: dict[str, Any], langs: list[str], selection: Selection
) -> list[str]:
    kind = item["type"]
    moodle_type = {
        "single": "multichoice",
        "multiple": "multichoice",
        "match": "matching",
        "order": "matching",
        "short": "shortanswer",
        "numeric": "numerical",
    }[kind]
    q = ET.SubElement(quiz, "question", {"type": moodle_type})
    ET.SubElement(ET.SubElement(q, "name"), "text").text = item["id"]
    prompt = f"<p>{multilang(item['prompt'], langs)}</p>"
    if question.data["type"] == "scenario":
        prompt = (
            f"<p><strong>{multilang(question.data['title'], langs)}</strong></p>"
            f"<p>{multilang(question.data['case'], langs)}</p>" + prompt
        )
    _text(q, "questiontext", prompt)
    general = f"<p>{multilang(item['explanation'], langs)}</p>"
    if kind in ("match", "order"):
        group = item["pairs"] if kind == "match" else item["steps"]
        general += "<ul>" + "".join(f"<li>{multilang(p['feedback'], langs)}</li>" for p in group) + "</ul>"
    _text(q, "generalfeedback", general)
    ET.SubElement(q, "defaultgrade").text = fraction(float(item.get("points", 1)))
    ET.SubElement(q, "penalty").text = "0"
    ET.SubElement(q, "hidden").text = "0"
    ET.SubElement(q, "idnumber").text = item["id"]
    warnings: list[str] = []
    if kind in ("single", "multiple"):
        ET.SubElement(q, "single").text = "true" if kind == "single" else "false"
        # two options (true or false) in their written order, as the site and the handout show them
        ET.SubElement(q, "shuffleanswers").text = "true" if len(item["options"]) > 2 else "false"
        ET.SubElement(q, "answernumbering").text = "abc"
        k = sum(1 for o in item["options"] if o.get("correct"))
        if kind == "multiple":
            warnings += unlisted_weights(item, k)
        for option in item["options"]:
            if kind == "single":
                value = 100.0 if option.get("correct") else 0.0
            else:
                value = (100.0 if option.get("correct") else -100.0) / k
            _answer(q, fraction(value), multilang(option["text"], langs), multilang(option["feedback"], langs))
    elif kind == "match":
        ET.SubElement(q, "shuffleanswers").text = "true"
        texts = {c["id"]: multilang(c["text"], langs) for c in item["choices"]}
        for pair in item["pairs"]:
            sub = _text(q, "subquestion", multilang(pair["left"], langs))
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = texts[pair["answer"]]
        unused = [c["id"] for c in item["choices"] if c["id"] not in {p["answer"] for p in item["pairs"]}]
        for cid in unused:
            sub = _text(q, "subquestion", "")
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = texts[cid]
        if len(item["pairs"]) < 2 or len(item["pairs"]) + len(unused) < 3:  # Moodle's form's rule, as in GIFT
            warnings.append(f"match question {item['id']}: Moodle wants at least 2 pairs and 3 answers")
    elif kind == "order":
        ET.SubElement(q, "shuffleanswers").text = "true"
        for n, step in enumerate(item["steps"], 1):
            sub = _text(q, "subquestion", multilang(step["text"], langs))
            position = {lang: POSITION[lang].format(n=n) for lang in langs}
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = multilang(position, langs)
        warnings.append(f"{item['id']}: order question exported as matching (each step to its position)")
    elif kind == "short":
        ET.SubElement(q, "usecase").text = "0"
        right = multilang(item["feedback"]["correct"], langs)
        seen: list[str] = []
        for lang in langs:
            for answer in item["accepted"].get(lang, []):
                if answer not in seen:
                    seen.append(answer)
                    # plain text, compared as typed; "*" is Moodle's wildcard, "\*" a star
                    _answer(q, "100", answer.replace("*", "\\*"), right, html=False)
        _answer(q, "0", "*", multilang(item["feedback"]["incorrect"], langs), html=False)
        accented = [a for a in seen if has_accents(a)]
        if accented:
            warnings.append(
                f"short question {item['id']}: Moodle compares accents (the course grader ignores them), "
                f"an answer typed without them is marked wrong: {'; '.join(accented)}"
            )
    elif kind == "numeric":
        answer = _answer(
            q, "100", number(float(item["answer"])), multilang(item["feedback"]["correct"], langs), html=False
        )
        ET.SubElement(answer, "tolerance").text = number(float(item.get("tolerance", 0)))
        wrong = _answer(q, "0", "*", multilang(item["feedback"]["incorrect"], langs), html=False)
        ET.SubElement(wrong, "tolerance").text = "0"
    tags = ET.SubElement(q, "tags")
    names = [f"audience:{a}" for a in item.get("audiences", [])] + [f"bank:{question.bank}"]
    names += [f"source:{s}" for s in item.get("sources", [])]
    for name in names:
        ET.SubElement(ET.SubElement(tags, "tag"), "text").text = name
    return warnings


def _answer(q: ET.Element, value: str, text: str, feedback: str, html: bool = True) -> ET.Element:
    answer = ET.SubElement(q, "answer", {"fraction": value, "format": "html" if html else "moodle_auto_format"})
    ET.SubElement(answer, "text").text = text
    _text(answer, "feedback", feedback)
    return answer
