"""The quiz widget's HTML: native form controls in a fieldset per question, an explicit
Check button, a live region for feedback that exists before any answer, and the public
form of the items (digests, masked feedback) for the grader. Every text is escaped."""

from __future__ import annotations

import hashlib
import json
from html import escape
from typing import Any

# The most characters a written answer takes: a short answer is a few words, a number a few
# digits. It bounds what a SCORM package keeps of a trainee's answers between sessions
# (cmi.suspend_data, 4096 characters in SCORM 1.2), which the export checks.
ANSWER_MAX = 200

STRINGS = {
    "fr": {
        "check": "Vérifier",
        "reset": "Effacer mes réponses",
        "download": "Télécharger mes résultats",
        "name": "Votre nom, pour le fichier de résultats",
        "summary": "Score : {score} / {max} points ({done} questions vérifiées sur {total})",
        "summary_one": "Score : {score} / {max} points ({done} question vérifiée sur {total})",
        "right": "Correct",
        "partial": "Partiellement correct",
        "wrong": "Incorrect",
        "empty": "Pas de réponse",
        "unfit": "Réponse incomplète : répondez à chaque élément",
        "twice": "Donnez à chaque étape une position différente",
        "number": "Écrivez un nombre en chiffres, avec une virgule pour les décimales",
        "points": "points",
        "point": "point",
        "explanation": "Explication :",
        "choose": "— choisir —",
        "position": "Position",
        "answer": "Votre réponse",
        "answer_n": "Votre réponse à la question {n}",
        "check_n": "Vérifier la question {n}",
        "question": "Question",
        "cleared": "Vos réponses ont été effacées.",
        "changed": "Réponse modifiée : vérifiez-la. D'ici là, votre dernière réponse vérifiée compte.",
        "saved": "Fichier enregistré : {file}, dans les téléchargements de cet appareil. Remettez-le à votre formateur.",
        "sure": "Effacer toutes vos réponses à ce quiz ? Elles ne pourront pas être retrouvées.",
        "intro": (
            "Quiz d'auto-évaluation : il est corrigé dans votre navigateur et vos réponses restent sur "
            "cet appareil. « Télécharger mes résultats » enregistre un fichier à remettre à votre formateur."
        ),
        "scenario": "Étude de cas",
        "more": "Autres questions",
        "unkept": (
            "Ce navigateur ne garde pas vos réponses sur cet appareil (les données des sites y sont bloquées, ou "
            "pleines) : elles seront perdues si vous quittez cette page, pour une autre ou pour l'autre langue, "
            "ou la rechargez. Téléchargez vos résultats avant de la quitter."
        ),
        "noscript": (
            "Ce quiz a besoin de JavaScript, que ce navigateur n'exécute pas : activez-le, ou ouvrez cette "
            "page dans un autre navigateur. Le cahier de quiz (notebook) pose les mêmes questions."
        ),
        "anonymous": "anonyme",
        "results": "résultats",  # a results file's name: résultats-police-fr-Ana.json
    },
    "en": {
        "check": "Check",
        "reset": "Clear my answers",
        "download": "Download my results",
        "name": "Your name, for the results file",
        "summary": "Score: {score} / {max} points ({done} of {total} questions checked)",
        "summary_one": "Score: {score} / {max} points ({done} of {total} questions checked)",
        "right": "Correct",
        "partial": "Partly correct",
        "wrong": "Incorrect",
        "empty": "No answer",
        "unfit": "Incomplete answer: answer every part",
        "twice": "Give each step a different position",
        "number": "Write a number in digits, with a point for decimals",
        "points": "points",
        "point": "point",
        "explanation": "Explanation:",
        "choose": "— choose —",
        "position": "Position",
        "answer": "Your answer",
        "answer_n": "Your answer to question {n}",
        "check_n": "Check question {n}",
        "question": "Question",
        "cleared": "Your answers have been cleared.",
        "changed": "Answer changed: check it. Until then, your last checked answer counts.",
        "saved": "File saved: {file}, in this device's downloads. Hand it in to your trainer.",
        "sure": "Clear all your answers to this quiz? They cannot be brought back.",
        "intro": (
            "Self-check quiz: it is graded in your browser and your answers stay on this device. "
            "“Download my results” saves a file you can hand to your trainer."
        ),
        "scenario": "Case study",
        "more": "More questions",
        "unkept": (
            "This browser does not keep your answers on this device (its site data are blocked, or full): they "
            "will be lost if you leave this page, for another or for the other language, or reload it. Download "
            "your results before you leave it."
        ),
        "noscript": (
            "This quiz needs JavaScript, which this browser does not run: turn it on, or open this page in "
            "another browser. The quiz notebook asks the same questions."
        ),
        "anonymous": "anonymous",
        "results": "results",
    },
}


def letter(index: int) -> str:
    """A, B, … Z, then AA, AB …: the label of an option, a category or a shown step (the
    handout's, the grade report's; the notebook's in small letters)."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def shown_order(item_id: str, options: list[Any]) -> list[Any]:
    """The options of a choice question in the order the site and the printed handout show
    them: mixed, the same way in every build, by a digest of each option's id and its
    question's. Question writers put the right answer first or second out of habit (in the
    built-in banks, 37 of 38 questions of three options or more), and trainees learn the
    place instead of the answer. Two options (true or false) keep their written order.
    Grading reads ids, never places."""
    if len(options) < 3:
        return list(options)
    return sorted(options, key=lambda o: hashlib.sha256(f"{item_id}/{o['id']}".encode()).digest())


def render_quiz(scope: str, course: str, lang: str, questions: list[dict[str, Any]], pass_mark: float = 80) -> str:
    """HTML for one quiz: `questions` in public form (scenarios hold public items)."""
    s = STRINGS[lang]
    body: list[str] = []
    graded: list[dict[str, Any]] = []
    number = 0
    after_case = False  # the questions after a case study have a heading of their own
    for q in questions:
        if q["type"] != "scenario" and after_case:
            body.append(f'<h3 class="cg-more">{escape(s["more"])}</h3>')
        after_case = q["type"] == "scenario"
        if q["type"] == "scenario":
            body.append(f'<section class="cg-scenario" aria-labelledby="{_id(q["id"])}-title">')
            title = case_study_title(s["scenario"] + (" :" if lang == "fr" else ":"), q["title"])
            body.append(f'<h3 id="{_id(q["id"])}-title">{escape(title)}</h3>')
            body.append(f'<p class="cg-case">{escape(q["case"])}</p>')
            for item in q["items"]:
                number += 1
                body.append(_item(item, number, s, lang))
                graded.append(item)
            body.append("</section>")
        else:
            number += 1
            body.append(_item(q, number, s, lang))
            graded.append(q)
    strings = {k: v for k, v in s.items() if k not in ("noscript", "more")}  # the script's words (not those)
    data = {"scope": scope, "course": course, "lang": lang, "strings": strings, "items": graded, "passMark": pass_mark}
    payload = script_json(data)
    total = sum(float(i.get("points", 1)) for i in graded)
    quiz_id = _id(scope).replace("cgq-", "cg-quiz-", 1)
    summary = s["summary_one"].format(score=0, max=_num(total, lang), done=0, total=len(graded))
    return "\n".join(
        [
            f'<div class="cg-quiz" id="{quiz_id}" lang="{lang}">',
            f'<p class="cg-intro">{escape(s["intro"])}</p>',
            # without the script, "Check" reloaded the page and the answer was lost, unsaid
            f'<noscript><p class="cg-noscript"><strong>{escape(s["noscript"])}</strong></p></noscript>',
            *body,
            '<div class="cg-bar">',
            f'<p class="cg-summary" role="status" aria-live="polite">{escape(summary)}</p>',
            # the trainee's name goes into the results file: a trainer collects one file per
            # trainee, all downloaded under the same name otherwise
            f'<div class="cg-text cg-who"><label for="{quiz_id}-name">{escape(s["name"])}</label>'
            f'<input type="text" id="{quiz_id}-name" class="cg-name" autocomplete="name" maxlength="100"></div>',
            f'<button type="button" class="cg-reset">{escape(s["reset"])}</button>',
            f'<button type="button" class="cg-download">{escape(s["download"])}</button>',
            "</div>",
            f'<script type="application/json" class="cg-quiz-data">{payload}</script>',
            "</div>",
        ]
    )


def script_json(data: object) -> str:
    """`data` as JSON to put inside a `<script>` element. Every `<`, `>` and `&` is written
    as a JSON escape: a question's text could otherwise end the element early (`</script>`)
    or, with `<!--<script>`, make the browser read past its end, and the page's quiz
    would then not load."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _id(text: str) -> str:
    return "cgq-" + "".join(c if c.isalnum() or c == "-" else "-" for c in text)


def _num(x: float, lang: str) -> str:
    """A number as the page's language writes it (2.5, 2,5)."""
    return f"{x:g}".replace(".", ",") if lang == "fr" else f"{x:g}"


def case_study_title(prefix: str, title: str) -> str:
    """ "Case study: the plant" (`prefix` "Case study:"), unless the bank's title already
    begins with "Case study" (two built-in banks' did, and pages said it twice)."""
    word = prefix.rstrip(" :")
    if title.casefold().replace("\u00a0", " ").startswith(word.casefold()):
        return title
    return f"{prefix} {title}"


def _select_rows(
    base: str, css: str, rows: list[tuple[str, str]], choices: list[tuple[str, str]], s: dict[str, str]
) -> list[str]:
    """One labelled native <select> per row (a pair to match, a step to place)."""
    options = f'<option value="">{escape(s["choose"])}</option>' + "".join(
        f'<option value="{escape(value)}">{escape(text)}</option>' for value, text in choices
    )
    return [
        f'<div class="{css}"><label for="{base}--{rid}">{escape(text)}</label>'
        f'<select id="{base}--{rid}" name="{escape(rid)}">{options}</select></div>'
        for rid, text in rows
    ]


def _item(item: dict[str, Any], number: int, s: dict[str, str], lang: str) -> str:
    base = _id(item["id"])
    points = float(item.get("points", 1))
    unit = s["point"] if points == 1 or (lang == "fr" and points < 2) else s["points"]  # « 1,5 point »
    legend = (
        f'<legend><span class="cg-num">{escape(s["question"])} {number}</span> '
        f'<span class="cg-pts">({_num(points, lang)} {unit})</span> '
        f'<span class="cg-prompt">{escape(item["prompt"])}</span></legend>'
    )
    kind = item["type"]
    controls: list[str] = []
    if kind in ("single", "multiple"):
        input_type = "radio" if kind == "single" else "checkbox"
        for o in shown_order(item["id"], item["options"]):
            oid = f"{base}--{o['id']}"
            controls.append(
                f'<div class="cg-opt"><input type="{input_type}" id="{oid}" name="choice" value="{escape(o["id"])}">'
                f'<label for="{oid}">{escape(o["text"])}</label></div>'
            )
    elif kind == "match":
        choices = [(c["id"], c["text"]) for c in item["choices"]]
        controls += _select_rows(base, "cg-pair", [(p["id"], p["left"]) for p in item["pairs"]], choices, s)
    elif kind == "order":
        positions = [(str(i), f"{s['position']} {i}") for i in range(1, len(item["steps"]) + 1)]
        controls += _select_rows(base, "cg-step", [(st["id"], st["text"]) for st in item["steps"]], positions, s)
    else:
        mode = ' inputmode="decimal"' if kind == "numeric" else ""
        controls.append(
            f'<div class="cg-text"><label for="{base}--answer">{escape(s["answer"])}</label>'
            f'<input type="text" id="{base}--answer" name="answer" autocomplete="off"{mode} '
            f'maxlength="{ANSWER_MAX}" '
            f'aria-label="{escape(s["answer_n"].format(n=number))}" aria-describedby="{base}--fb"></div>'
        )
    return "\n".join(
        [
            f'<form class="cg-q" id="{base}" data-id="{escape(item["id"])}" data-type="{kind}" novalidate>',
            f"<fieldset>{legend}",
            *controls,
            "</fieldset>",
            # named with its question: a page has twenty "Check" buttons, out of their fieldsets
            f'<button type="submit" class="cg-check" aria-label="{escape(s["check_n"].format(n=number))}">'
            f"{escape(s['check'])}</button>",
            f'<div class="cg-fb" id="{base}--fb" role="status" aria-live="polite"></div>',
            "</form>",
        ]
    )
