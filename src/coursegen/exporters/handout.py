"""The printable handout (for trainees) and its answer key (for the trainer).

Two self-contained HTML files per audience and language: inline CSS with a print stylesheet
(A4, page breaks before major sections, never inside a question), no script, no image, no
external load of any kind (a Content-Security-Policy forbids them too). Every text taken from
the course is escaped with `html.escape`; MyST inline markup in page titles and learning
objectives is reduced to plain text first.

The handout holds the key points (each page's title and learning objectives), the "who to
call" block from the country profile, and the questions to answer on paper. The answer key
uses the same numbering and gives, for each question, the right answer, the explanation and
the sources. Only the answer key carries `KEY_MARKER`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from html import escape
from itertools import groupby
from typing import Any

from ..grading import item_salt
from ..grading import shown_steps as grading_shown_steps
from ..model import COMMON, Question, RenderedPage
from ..quizhtml import case_study_title, letter, shown_order
from ..typography import french_html
from . import Selection

KEY_MARKER = "cg-answer-key"
"""A class carried by the answer key's body and by every block that shows an answer."""

UI: dict[str, dict[str, str]] = {
    "fr": {
        "handout": "Support stagiaire",
        "answer_key": "Corrigé",
        "key_notice": "Réservé au formateur : ne pas distribuer aux stagiaires.",
        "all_audiences": "Tous les publics",
        "name": "Nom :",
        "date": "Date :",
        "key_points": "Points clés",
        "no_key_points": "Aucune page de ce parcours n'a d'objectifs d'apprentissage.",
        "who_to_call": "Qui appeler",
        "emergency": "Urgence (danger immédiat) :",
        "hotline": "Ligne nationale contre la traite :",
        "law": "Loi nationale :",
        "ask_law": "Demandez à votre formateur quelle loi nationale s'applique et ses articles principaux.",
        "referral": "Organismes vers lesquels orienter une victime possible",
        "ask_emergency": "Demandez à votre formateur le numéro d'urgence de votre pays.",
        "ask_hotline": "Demandez à votre formateur le numéro de la ligne nationale contre la traite.",
        "ask_referral": "Demandez à votre formateur la liste des organismes vers lesquels orienter une victime possible.",
        "phone": "Téléphone :",
        "email": "Courriel :",
        "website": "Site :",
        "questions": "Questions",
        "quiz": "Quiz : {title}",
        "common_quiz": "Fondements communs",
        "total": "Total : {points}",
        "question": "Question {number}",
        "point": "point",
        "points": "points",
        "scenario": "Étude de cas :",
        "tick_one": "Cochez une seule réponse.",
        "tick_all": "Cochez toutes les bonnes réponses.",
        "match_instructions": "Écrivez dans la case la lettre de la catégorie qui convient.",
        "item": "Élément",
        "letter": "Lettre",
        "categories": "Catégories :",
        "order_instructions": "Écrivez dans chaque case la position de l'étape (1 = la première).",
        "position": "Position",
        "step": "Étape",
        "your_answer": "Votre réponse :",
        "right_answer": "Bonne réponse :",
        "right_answers": "Bonnes réponses :",
        "right_pairs": "Associations correctes :",
        "right_order": "Ordre correct :",
        "version": "Version des questions : {stamp}",
        "in_boxes": "Dans les cases :",
        "accepted": "Réponses acceptées :",
        "also_accepted": "Également acceptées (autre langue) :",
        "expected_value": "Valeur attendue :",
        "explanation": "Explication :",
        "sources": "Sources :",
    },
    "en": {
        "handout": "Trainee handout",
        "answer_key": "Answer key",
        "key_notice": "For the trainer only: do not hand out to trainees.",
        "all_audiences": "All audiences",
        "name": "Name:",
        "date": "Date:",
        "key_points": "Key points",
        "no_key_points": "No page of this course has learning objectives.",
        "who_to_call": "Who to call",
        "emergency": "Emergency (immediate danger):",
        "hotline": "National anti-trafficking hotline:",
        "law": "National law:",
        "ask_law": "Ask your trainer which national law applies and its main articles.",
        "referral": "Organisations to refer a possible victim to",
        "ask_emergency": "Ask your trainer for your country's emergency number.",
        "ask_hotline": "Ask your trainer for the national anti-trafficking hotline number.",
        "ask_referral": "Ask your trainer for the list of organisations to refer a possible victim to.",
        "phone": "Phone:",
        "email": "Email:",
        "website": "Website:",
        "questions": "Questions",
        "quiz": "Quiz: {title}",
        "common_quiz": "Common foundations",
        "total": "Total: {points}",
        "question": "Question {number}",
        "point": "point",
        "points": "points",
        "scenario": "Case study:",
        "tick_one": "Tick one answer.",
        "tick_all": "Tick every correct answer.",
        "match_instructions": "Write the letter of the matching category in the box.",
        "item": "Item",
        "letter": "Letter",
        "categories": "Categories:",
        "order_instructions": "Write each step's position in its box (1 = first).",
        "position": "Position",
        "step": "Step",
        "your_answer": "Your answer:",
        "right_answer": "Right answer:",
        "right_answers": "Right answers:",
        "right_pairs": "Right matches:",
        "right_order": "Right order:",
        "version": "Questions' version: {stamp}",
        "in_boxes": "In the boxes:",
        "accepted": "Accepted answers:",
        "also_accepted": "Also accepted (other language):",
        "expected_value": "Expected value:",
        "explanation": "Explanation:",
        "sources": "Sources:",
    },
}

OBJECTIVES_HEADINGS = ("## Objectifs d'apprentissage", "## Learning objectives")
"""The heading of a page's learning objectives, in every course language."""

CSS = """
:root { color-scheme: light; }
body { font-family: "Source Sans Pro", "Noto Sans", "DejaVu Sans", Arial, sans-serif; font-size: 11pt;
  line-height: 1.4; color: #000; background: #fff; max-width: 48em; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 18pt; margin: 0 0 0.2em; }
h2 { font-size: 14pt; border-bottom: 1px solid #000; padding-bottom: 0.1em; margin-top: 1.2em; }
h3 { font-size: 12pt; margin: 0.8em 0 0.3em; }
h3.quiz-title { font-size: 13pt; margin-top: 1.2em; border-bottom: 1px solid #999; }
.subtitle { font-size: 13pt; margin: 0 0 0.6em; }
.notice { font-weight: bold; border: 2px solid #000; padding: 0.3em 0.6em; }
.fill { margin-top: 1em; }
.fill span { display: inline-block; min-width: 14em; border-bottom: 1px solid #000; margin: 0 1em 0 0.3em; }
.page-points h3 { font-size: 11.5pt; }
.question { margin: 0.8em 0 1em; }
.question h3 .pts { font-weight: normal; }
.prompt { font-weight: bold; margin: 0.2em 0 0.4em; }
.instructions { font-style: italic; margin: 0.2em 0; }
ul.options, ul.steps, ul.categories, ul.plain { list-style: none; padding-left: 0.5em; margin: 0.3em 0; }
ul.options li, ul.steps li { margin: 0.35em 0; }
.box { display: inline-block; width: 0.9em; height: 0.9em; border: 1px solid #000; vertical-align: -0.1em;
  margin-right: 0.5em; }
.box.wide { width: 2.2em; height: 1.3em; vertical-align: -0.35em; }
.letter { font-weight: bold; margin-right: 0.3em; }
table.match { border-collapse: collapse; margin: 0.4em 0; }
table.match th, table.match td { border: 1px solid #000; padding: 0.3em 0.6em; text-align: left; }
table.match td.write { width: 4em; }
.answer-line { margin: 0.6em 0; }
.answer-line span { display: inline-block; width: 70%; border-bottom: 1px solid #000; height: 1.2em;
  vertical-align: bottom; }
.scenario { margin: 1em 0; }
.case { border-left: 3px solid #000; padding: 0.2em 0 0.2em 0.8em; margin: 0.4em 0 0.8em; }
.answer { margin: 0.3em 0; padding: 0.3em 0.6em; border: 1px solid #000; }
.answer p, .explanation, .sources { margin: 0.2em 0; }
.prompt, .case, .explanation, .answer p { white-space: pre-line; }
.label { font-weight: bold; }
@page { size: A4; margin: 18mm 16mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
  section.major.break { break-before: page; page-break-before: always; }
  h2, h3, .scenario-head { break-after: avoid; page-break-after: avoid; }
  .question, .page-points, .scenario-head, table.match, li { break-inside: avoid; page-break-inside: avoid; }
}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'"
"""Nothing may be loaded: only the inline stylesheet is allowed."""


def export(selection: Selection, lang: str, pages: list[RenderedPage]) -> dict[str, bytes]:
    """The handout and the answer key of `selection` in `lang`, from that language's pages."""
    if lang not in UI:
        raise ValueError(f"no handout strings for language '{lang}' (have: {', '.join(UI)})")
    audience = selection.audience_name
    return {
        f"handout-{audience}-{lang}.html": handout_html(selection, lang, pages).encode("utf-8"),
        f"answer-key-{audience}-{lang}.html": answer_key_html(selection, lang).encode("utf-8"),
    }


# --- the two documents --------------------------------------------------------------------


def handout_html(selection: Selection, lang: str, pages: list[RenderedPage]) -> str:
    """The trainees' handout: key points, who to call, the questions (no answers)."""
    s = UI[lang]
    body = [
        _header(selection, lang, s["handout"]),
        f'<p class="fill">{escape(s["name"])}<span></span>{escape(s["date"])}<span></span></p>',
        _key_points(selection, lang, pages),
        _who_to_call(selection, lang),
        _questions(selection, lang, key=False),
    ]
    return _document(lang, f"{s['handout']} — {_course_title(selection, lang)}", "handout", body)


def answer_key_html(selection: Selection, lang: str) -> str:
    """The trainer's answer key: the questions with the same numbering and their answers."""
    s = UI[lang]
    body = [
        _header(selection, lang, s["answer_key"]),
        f'<p class="notice">{escape(s["key_notice"])}</p>',
        _questions(selection, lang, key=True),
    ]
    return _document(lang, f"{s['answer_key']} — {_course_title(selection, lang)}", KEY_MARKER, body)


def _document(lang: str, title: str, body_class: str, body: list[str]) -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{escape(lang)}">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            f'<body class="{body_class}">',
            # French typography, as in the site: on paper too, no line begins with ": +32…"
            *([french_html(part) for part in body] if lang.startswith("fr") else body),
            "</body>",
            "</html>",
            "",
        ]
    )


def _course_title(selection: Selection, lang: str) -> str:
    return str(selection.course.title.get(lang, ""))


def _audience_name(selection: Selection, lang: str) -> str:
    """The audience's title; "all audiences" when the selection holds several (a course of
    one audience is named after it, as its files are)."""
    audience = selection.audience_name
    if audience == "all" and selection.audience is None:
        return UI[lang]["all_audiences"]
    titles = {a.id: a.title.get(lang, a.id) for a in selection.course.audiences}
    return str(titles.get(audience, audience))


def _header(selection: Selection, lang: str, kind: str) -> str:
    version = UI[lang]["version"].format(stamp=version_stamp(selection, lang))
    return (
        f"<header><h1>{escape(_course_title(selection, lang))}</h1>"
        f'<p class="subtitle">{escape(kind)} — {escape(_audience_name(selection, lang))}</p>'
        f'<p class="version">{escape(version)}</p></header>'
    )


def version_stamp(selection: Selection, lang: str) -> str:
    """The version of what the handout's numbers and letters name, which it and its answer
    key print: each quiz's questions in order, and what each one's letters and numbers
    stand for (its options as lettered, its pairs and categories, its steps as shown, with
    their texts). A
    trainer who types a sheet's answers by their numbers gives it to `coursegen grade`,
    which tells a sheet printed from other questions (one removed since: every number
    after it names the next question). What no label shows (a question's text, an
    explanation, a feedback, a source) leaves it as it was."""
    pairs = selection.items()
    banks = list(dict.fromkeys(question.bank for question, _ in pairs))
    ordered = sorted(pairs, key=lambda pair: banks.index(pair[0].bank))
    data = json.dumps([[q.bank, item["id"], *_labelled_parts(item, lang)] for q, item in ordered])
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:6].upper()


def _labelled_parts(item: dict[str, Any], lang: str) -> list[str]:
    """What an item's letters and numbers name, in their order on the sheet: each option,
    pair, category or step, by its id and its text in `lang` (two options' texts swapped
    make a sheet's letter name the other)."""

    def said(part: dict[str, Any], field: str = "text") -> list[str]:
        text = part.get(field, "")
        return [part["id"], str(text.get(lang, "") if isinstance(text, dict) else text)]

    kind = item["type"]
    if kind in ("single", "multiple"):
        return [s for o in shown_order(item["id"], item["options"]) for s in said(o)]
    if kind == "match":
        return [s for p in item["pairs"] for s in said(p, "left")] + [s for c in item["choices"] for s in said(c)]
    if kind == "order":
        return [s for st in shown_steps(item, lang) for s in said(st)]
    return [kind]


# --- key points: page titles and learning objectives --------------------------------------


def _key_points(selection: Selection, lang: str, pages: list[RenderedPage]) -> str:
    s = UI[lang]
    areas = {COMMON, selection.audience} if selection.audience else {COMMON, *selection.course.audience_ids}
    blocks = []
    for rendered in pages:
        if rendered.page.area not in areas:
            continue
        objectives = learning_objectives(rendered.markdown)
        if not objectives:
            continue
        title = page_title(rendered.markdown) or rendered.page.key
        items = "".join(f"<li>{escape(o)}</li>" for o in objectives)
        blocks.append(f'<div class="page-points"><h3>{escape(title)}</h3><ul>{items}</ul></div>')
    if not blocks:
        blocks.append(f"<p>{escape(s['no_key_points'])}</p>")
    return _section("key-points", s["key_points"], blocks, new_page=False)


def _section(ident: str, title: str, blocks: list[str], new_page: bool) -> str:
    classes = "major break" if new_page else "major"
    return "\n".join([f'<section class="{classes}" id="{ident}">', f"<h2>{escape(title)}</h2>", *blocks, "</section>"])


def _outside_fences(markdown: str) -> Iterator[str]:
    """The lines of `markdown` that are not inside a fenced block (``` or ~~~ or :::)."""
    fence = ""
    for line in markdown.splitlines():
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence) and not stripped[len(fence) :].strip(fence[0]).strip():
                fence = ""
            continue
        match = re.match(r"(`{3,}|~{3,}|:{3,})", stripped)
        if match:
            fence = match.group(1)
            continue
        yield line


def page_title(markdown: str) -> str:
    """The page's title (its first `# ` heading) as plain text, or ""."""
    for line in _outside_fences(markdown):
        if line.startswith("# "):
            return plain(line[2:])
    return ""


def learning_objectives(markdown: str) -> list[str]:
    """The bullet list under the learning objectives heading, as plain texts (a bullet's
    continuation lines are joined to it); [] when the page has no such heading."""
    bullets: list[str] = []
    inside = False
    for line in _outside_fences(markdown):
        if line.startswith("#"):
            if inside:
                break
            inside = _heading(line) in {_heading(h) for h in OBJECTIVES_HEADINGS}
            continue
        if not inside or not line.strip():
            continue
        item = re.match(r"(?:[-*+]|\d{1,9}[.)])[ \t]+", line)  # a bullet, or a number: `1.` `2)`
        if item:
            bullets.append(line[item.end() :].strip())
        elif bullets and line[:1].isspace():
            bullets[-1] += " " + line.strip()
    return [plain(b) for b in bullets]


def _heading(line: str) -> str:
    """A second-level heading's words, as a trainer may type them: capitals, a typographic
    apostrophe (d’apprentissage), a colon or spaces at the end make no difference."""
    return " ".join(line.replace("\u2019", "'").rstrip(" \t:").lower().split())


_INLINE = [
    (re.compile(r"\{[\w:.-]+\}`([^`]*?)(?:\s*<[^`>]*>)?`"), r"\1"),  # {role}`text <target>`
    (re.compile(r"`([^`]*)`"), r"\1"),  # code
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images
    (re.compile(r"\*\*(.+?)\*\*"), r"\1"),
    (re.compile(r"__(.+?)__"), r"\1"),
    (re.compile(r"\*(.+?)\*"), r"\1"),
    (re.compile(r"(?<!\w)_(.+?)_(?!\w)"), r"\1"),
]


def plain(markdown: str) -> str:
    """Inline MyST Markdown as plain text: roles, code, links and emphasis keep their text."""
    text = markdown
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return " ".join(text.replace("\\", "").split())


# --- who to call ----------------------------------------------------------------------------


def _text(value: Any, lang: str) -> str:
    """A country profile text: a string, or {fr, en}; None and missing become ""."""
    if isinstance(value, dict):
        return str(value.get(lang) or "").strip()
    return "" if value is None else str(value).strip()


def _who_to_call(selection: Selection, lang: str) -> str:
    s = UI[lang]
    country = selection.course.country or {}
    name = _text(country.get("country"), lang)
    organisation = _text((country.get("organisation") or {}).get("name"), lang)
    title = s["who_to_call"] + (f" ({name})" if name else "") + (f" — {organisation}" if organisation else "")
    emergency = _text((country.get("emergency") or {}).get("number"), lang)
    hotline = country.get("hotline") or {}
    number, hours = _text(hotline.get("number"), lang), _text(hotline.get("hours"), lang)
    law = country.get("law") or {}
    sep = _sep(lang)
    articles = [
        f"<li>{escape(_text(a.get('ref'), lang))}{sep}{escape(_text(a.get('text'), lang))}</li>"
        for a in law.get("articles") or []
        if isinstance(a, dict) and _text(a.get("ref"), lang)
    ]
    # the law as the site's "who to call" box gives it: its title, then its main articles
    law_line = _contact(s["law"], _text(law.get("title"), lang), s["ask_law"])
    if articles:
        law_line = law_line.removesuffix("</li>") + f"<ul>{''.join(articles)}</ul></li>"
    lines = [
        _contact(s["emergency"], emergency, s["ask_emergency"]),
        _contact(s["hotline"], f"{number} ({hours})" if number and hours else number, s["ask_hotline"]),
        law_line,
    ]
    own = _own_box(selection, lang, "who_to_call")  # the course's own box: what its site shows
    if own is not None:  # under the handout's own title, which says the same as the box's
        blocks = [own[1], f"<h3>{escape(s['referral'])}</h3>"]
    else:
        blocks = [f'<ul class="plain">{"".join(lines)}</ul>', f"<h3>{escape(s['referral'])}</h3>"]
    referral = [_organisation(org, lang) for org in country.get("referral") or [] if isinstance(org, dict)]
    referral = [r for r in referral if r]
    own = _own_box(selection, lang, "referral_contacts")
    if own is not None:
        blocks[-1] = f"<h3>{own[0]}</h3>" if own[0] else blocks[-1]
        blocks.append(own[1])
    elif referral:
        blocks.append(f"<ul>{''.join(referral)}</ul>")
    else:
        blocks.append(f"<p>{escape(s['ask_referral'])}</p>")
    return _section("who-to-call", title, blocks, new_page=True)


_BOX_FENCE = re.compile(r"^(?P<fence>[`~]{3,}|:{3,})\s*\{admonition\}\s*(?P<title>.*)$")


def _own_box(selection: Selection, lang: str, macro: str) -> tuple[str, str] | None:
    """A box that the course folder's own template makes (`templates/who-to-call.md`, which
    may extend the built-in one to add a line): its title and its body in HTML, as its site
    shows them, so that the paper and the site give the same contacts. None for the
    built-in template (the handout's own layout says the same), or one that fails (the
    site's build tells why)."""
    from markdown_it import MarkdownIt

    from ..layers import PACKAGE
    from ..model import BOXES
    from ..render import Renderer

    template = selection.course.templates.get(BOXES[macro])
    if template is None or template.layer == PACKAGE:
        return None
    try:
        text = Renderer(selection.course, lang)._box(BOXES[macro])
    except Exception:  # noqa: BLE001 - told by the build that renders the same template
        return None
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    lines = text.strip("\n").split("\n")
    opened = _BOX_FENCE.match(lines[0]) if lines else None
    if opened is None:  # a box of another shape: all of it, as Markdown
        return "", md.render(text)
    body = lines[1:]
    while body and re.match(r"^:[\w-]+:", body[0]):  # the admonition's options (:class: tip)
        body = body[1:]
    if body and body[-1].strip() == opened.group("fence"):
        body = body[:-1]
    return md.renderInline(opened.group("title")), md.render("\n".join(body))


def _sep(lang: str) -> str:
    """What comes between a name and what is said of it: in French, a colon after a
    no-break space, as French typography writes it."""
    return "\u00a0: " if lang == "fr" else ": "


def _contact(label: str, value: str, ask: str) -> str:
    shown = escape(value) if value else f"<em>{escape(ask)}</em>"
    return f'<li><span class="label">{escape(label)}</span> {shown}</li>'


def _organisation(org: dict[str, Any], lang: str) -> str:
    s = UI[lang]
    name = _text(org.get("name"), lang)
    if not name:
        return ""
    parts = [f'<span class="label">{escape(name)}</span>']
    role = _text(org.get("role"), lang)
    if role:
        parts.append(f"{_sep(lang)}{escape(role)}")
    for field, label in (("phone", "phone"), ("email", "email"), ("website", "website")):
        value = _text(org.get(field), lang)
        if value:  # printed as text, never as a link: the handout loads nothing
            parts.append(f". {escape(s[label])} {escape(value)}")
    return f"<li>{''.join(parts)}</li>"


# --- questions --------------------------------------------------------------------------------


def number_text(value: float, lang: str) -> str:
    """A number as printed: no useless decimals, a decimal comma in French."""
    text = f"{float(value):g}"
    return text.replace(".", ",") if lang == "fr" else text


def points_text(points: float, lang: str) -> str:
    s = UI[lang]
    singular = points < 2 if lang == "fr" else points == 1
    return f"{number_text(points, lang)} {s['point'] if singular else s['points']}"


def _questions(selection: Selection, lang: str, key: bool) -> str:
    s = UI[lang]
    pairs = selection.items()
    total = sum(float(item.get("points", 1)) for _, item in pairs)
    blocks = [f"<p>{escape(s['total'].format(points=points_text(total, lang)))}</p>"]
    number = 0
    banks = list(dict.fromkeys(question.bank for question, _ in pairs))
    pairs = sorted(pairs, key=lambda pair: banks.index(pair[0].bank))  # each quiz whole, in the site's order
    titles = {a.id: a.title.get(lang, a.id) for a in selection.course.audiences} | {COMMON: s["common_quiz"]}
    bank = None
    for _, group in groupby(pairs, key=lambda pair: pair[0].id):  # a scenario's items are adjacent
        members = list(group)
        question = members[0][0]
        if len(banks) > 1 and question.bank != bank:  # each quiz numbered from 1, as the site numbers it
            bank, number = question.bank, 0
            title = s["quiz"].format(title=titles.get(bank, bank))
            blocks.append(f'<h3 class="quiz-title">{escape(title)}</h3>')
        rendered = []
        for _, item in members:
            number += 1
            rendered.append(_question(selection, item, number, lang, key))
        if question.data["type"] == "scenario":
            blocks.append(_scenario(question, lang, rendered))
        else:
            blocks.extend(rendered)
    return _section("questions", s["questions"], blocks, new_page=not key)


def _scenario(question: Question, lang: str, rendered: Iterable[str]) -> str:
    """A scenario's title and case, printed once, then its items."""
    s = UI[lang]
    title, case = question.data["title"][lang], question.data["case"][lang]
    return "\n".join(
        [
            f'<section class="scenario" data-scenario="{escape(question.id)}">',
            f'<div class="scenario-head"><h3>{escape(case_study_title(s["scenario"], title))}</h3>',
            f'<p class="case">{escape(case)}</p></div>',
            *rendered,
            "</section>",
        ]
    )


def _question(selection: Selection, item: dict[str, Any], number: int, lang: str, key: bool) -> str:
    s = UI[lang]
    points = points_text(float(item.get("points", 1)), lang)
    head = (
        f'<h3>{escape(s["question"].format(number=number))} <span class="pts">({escape(points)})</span></h3>'
        f'<p class="prompt">{escape(item["prompt"][lang])}</p>'
    )
    content = _answer(selection, item, lang) if key else _form(item, lang)
    return (
        f'<div class="question" data-item="{escape(item["id"])}" data-type="{escape(item["type"])}">'
        f"{head}{content}</div>"
    )


# --- the handout's answer spaces -----------------------------------------------------------


def _form(item: dict[str, Any], lang: str) -> str:
    kind = item["type"]
    if kind in ("single", "multiple"):
        return _options_form(item, lang)
    if kind == "match":
        return _match_form(item, lang)
    if kind == "order":
        return _order_form(item, lang)
    return f'<p class="answer-line">{escape(UI[lang]["your_answer"])} <span></span></p>'


def _box(wide: bool = False) -> str:
    return f'<span class="box{" wide" if wide else ""}" aria-hidden="true"></span>'


def _options_form(item: dict[str, Any], lang: str) -> str:
    s = UI[lang]
    instructions = s["tick_one"] if item["type"] == "single" else s["tick_all"]
    options = "".join(
        f'<li>{_box()}<span class="letter">{letter(i)}.</span> {escape(o["text"][lang])}</li>'
        for i, o in enumerate(shown_order(item["id"], item["options"]))
    )
    asked = " ".join(str(item["prompt"][lang]).split()).casefold().rstrip(" .")
    if asked.endswith(instructions.casefold().rstrip(" .")):  # the question says it already
        return f'<ul class="options">{options}</ul>'
    return f'<p class="instructions">{escape(instructions)}</p><ul class="options">{options}</ul>'


def _match_form(item: dict[str, Any], lang: str) -> str:
    s = UI[lang]
    rows = "".join(
        f'<tr><td>{n}. {escape(p["left"][lang])}</td><td class="write"></td></tr>'
        for n, p in enumerate(item["pairs"], 1)
    )
    categories = "".join(
        f'<li><span class="letter">{letter(i)}.</span> {escape(c["text"][lang])}</li>'
        for i, c in enumerate(item["choices"])
    )
    return (
        f'<p class="instructions">{escape(s["match_instructions"])}</p>'
        f'<table class="match"><thead><tr><th>{escape(s["item"])}</th><th>{escape(s["letter"])}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        f'<p class="label">{escape(s["categories"])}</p><ul class="categories">{categories}</ul>'
    )


def shown_steps(item: dict[str, Any], lang: str) -> list[dict[str, str]]:
    """An order item's steps as the site shows them (never in the key's order)."""
    return [{"id": s["id"], "text": s["text"][lang]} for s in grading_shown_steps(item, item_salt(item, lang))]


def _order_form(item: dict[str, Any], lang: str) -> str:
    s = UI[lang]
    steps = "".join(
        f'<li>{_box(wide=True)}<span class="letter">{letter(i)}.</span> {escape(st["text"])}</li>'
        for i, st in enumerate(shown_steps(item, lang))
    )
    return f'<p class="instructions">{escape(s["order_instructions"])}</p><ul class="steps">{steps}</ul>'


# --- the answer key ----------------------------------------------------------------------------


def _answer(selection: Selection, item: dict[str, Any], lang: str) -> str:
    s = UI[lang]
    kind = item["type"]
    if kind in ("single", "multiple"):
        content = _options_answer(item, lang)
    elif kind == "match":
        content = _match_answer(item, lang)
    elif kind == "order":
        content = _order_answer(item, lang)
    elif kind == "short":
        content = _short_answer(item, lang)
    else:
        content = _numeric_answer(item, lang)
    parts = [
        f'<div class="answer {KEY_MARKER}">{content}</div>',
        f'<p class="explanation"><span class="label">{escape(s["explanation"])}</span> '
        f"{escape(item['explanation'][lang])}</p>",
    ]
    labels = source_labels(selection, item, lang)
    if labels:
        listed = "".join(f"<li>{escape(label)}</li>" for label in labels)
        parts.append(f'<div class="sources"><span class="label">{escape(s["sources"])}</span><ul>{listed}</ul></div>')
    return "".join(parts)


def source_labels(selection: Selection, item: dict[str, Any], lang: str) -> list[str]:
    """The citation labels of the item's sources, in order, without repeats; unknown ids skipped."""
    labels = []
    for sid in item.get("sources", []):
        source = selection.course.sources.get(sid)
        label = source.label.get(lang, "") if source else ""
        if label and label not in labels:
            labels.append(label)
    return labels


def _labelled(label: str, content: str) -> str:
    return f'<p><span class="label">{escape(label)}</span></p>{content}'


def _options_answer(item: dict[str, Any], lang: str) -> str:
    s = UI[lang]
    shown = shown_order(item["id"], item["options"])  # the handout's letters
    correct = [(i, o) for i, o in enumerate(shown) if o.get("correct", False)]
    label = s["right_answer"] if len(correct) == 1 else s["right_answers"]
    listed = "".join(f'<li><span class="letter">{letter(i)}.</span> {escape(o["text"][lang])}</li>' for i, o in correct)
    return _labelled(label, f'<ul class="plain">{listed}</ul>')


def _match_answer(item: dict[str, Any], lang: str) -> str:
    choices = {c["id"]: (letter(i), c["text"][lang]) for i, c in enumerate(item["choices"])}
    rows = []
    for n, p in enumerate(item["pairs"], 1):
        mark, text = choices[p["answer"]]
        rows.append(f'<li>{n}. {escape(p["left"][lang])} → <span class="letter">{mark}.</span> {escape(text)}</li>')
    return _labelled(UI[lang]["right_pairs"], f'<ul class="plain">{"".join(rows)}</ul>')


def _order_answer(item: dict[str, Any], lang: str) -> str:
    steps = shown_steps(item, lang)
    shown = {st["id"]: letter(i) for i, st in enumerate(steps)}
    rows = "".join(
        f'<li>{n}. <span class="letter">{shown[st["id"]]}.</span> {escape(st["text"][lang])}</li>'
        for n, st in enumerate(item["steps"], 1)
    )
    # what each box holds, as the trainee fills them in (the handout asks each step's
    # position): the trainer corrects a sheet without turning the order round
    position = {st["id"]: n for n, st in enumerate(item["steps"], 1)}
    boxes = " · ".join(f"{letter(i)}\u00a0{position[st['id']]}" for i, st in enumerate(steps))
    in_boxes = f'<p class="in-boxes"><span class="label">{escape(UI[lang]["in_boxes"])}</span> {boxes}</p>'
    return _labelled(UI[lang]["right_order"], f'<ul class="plain">{rows}</ul>') + in_boxes


def _short_answer(item: dict[str, Any], lang: str) -> str:
    s = UI[lang]
    accepted = item["accepted"]
    own = list(accepted.get(lang, []))
    others = [a for other, answers in accepted.items() if other != lang for a in answers if a not in own]
    content = _labelled(s["accepted"], _plain_list(own))
    if others:  # the grader accepts the answers of every language
        content += _labelled(s["also_accepted"], _plain_list(others))
    return content


def _plain_list(texts: list[str]) -> str:
    return f'<ul class="plain">{"".join(f"<li>{escape(t)}</li>" for t in texts)}</ul>'


def _numeric_answer(item: dict[str, Any], lang: str) -> str:
    value = number_text(float(item["answer"]), lang)
    tolerance = float(item.get("tolerance", 0))
    shown = f"{value} ± {number_text(tolerance, lang)}" if tolerance else value
    return _labelled(UI[lang]["expected_value"], f'<p class="value">{escape(shown)}</p>')
