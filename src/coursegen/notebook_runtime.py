"""The quiz object a learner uses in a quiz notebook.

This file is copied, with `grading.py`, into the first (hidden) cell of every quiz
notebook, so that the notebook runs in any Jupyter with no package to install and grades
with exactly the code the book and the exports use. Outputs are plain text and
deterministic, so that the stored notebooks validate with `pytest --nbval`.
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime, timezone
from typing import Any

TEXT = {
    "fr": {
        "question": "Question",
        "point": "point",  # French: "1,5 point", "2 points"
        "points_word": "points",
        "decimal": ",",
        "sep": "\u00a0:",  # French: a space (that keeps to its word) before the colon
        "options": "Réponses possibles (lettre : texte) :",
        "pairs": "Éléments à associer (numéro : texte) :",
        "choices": "Catégories (lettre : texte) :",
        "steps": "Étapes, dans le désordre (lettre : texte) :",
        "how": "Répondez avec quiz.answer({id!r}, {example}).",
        "right": "✔ Correct",
        "partial": "◐ Partiellement correct",
        "wrong": "✘ Incorrect",
        "empty": "⚠ Pas de réponse",
        "unfit": "⚠ Réponse qui ne correspond pas à la question",
        "explanation": "Explication :",
        "unknown": "Identifiant de question inconnu : {id!r}",
        "total": "Score : {score} / {max} points ({done} {answered} sur {total}).",
        "answered": "questions répondues",
        "answered_one": "question répondue",  # 0 and 1: singular, as the page's quiz writes it
        "replace": "Remplacez None par votre réponse, puis exécutez la cellule.",
        "widgets": (
            "Le mode interactif utilise ipywidgets (pip install ipywidgets) ; sans lui, utilisez quiz.answer(…)."
        ),
        "check": "Vérifier",
        "text": "texte",
        "save_how": (
            "Pour remettre vos réponses à votre formateur, écrivez votre nom (ou le numéro qu'il vous a donné) "
            'entre guillemets à la place de None, puis exécutez la cellule : quiz.save("Votre nom").'
        ),
        "saved": "Vos résultats sont enregistrés dans le fichier {file} ({done} {answered} sur {total}), "
        "à côté de ce carnet : remettez-le à votre formateur.",
        "save_failed": "Le fichier {file} n'a pas pu être écrit : {why}",
        "results": "résultats",  # a results file's name: résultats-police-fr-Ana.json
    },
    "en": {
        "question": "Question",
        "point": "point",
        "points_word": "points",
        "decimal": ".",
        "sep": ":",
        "options": "Possible answers (letter: text):",
        "pairs": "Items to match (number: text):",
        "choices": "Categories (letter: text):",
        "steps": "Steps, shuffled (letter: text):",
        "how": "Answer with quiz.answer({id!r}, {example}).",
        "right": "✔ Correct",
        "partial": "◐ Partly correct",
        "wrong": "✘ Incorrect",
        "empty": "⚠ No answer",
        "unfit": "⚠ The answer does not fit the question",
        "explanation": "Explanation:",
        "unknown": "Unknown question id: {id!r}",
        "total": "Score: {score} / {max} points ({done} of {total} {answered}).",
        "answered": "questions answered",
        "answered_one": "questions answered",
        "replace": "Replace None with your answer, then run the cell.",
        "widgets": "Interactive mode uses ipywidgets (pip install ipywidgets); without it, use quiz.answer(…).",
        "check": "Check",
        "text": "text",
        "save_how": (
            "To hand your answers in to your trainer, write your name (or the number your trainer gave you) "
            'in quotes in place of None, then run the cell: quiz.save("Your name").'
        ),
        "saved": "Your results are saved in the file {file} ({done} of {total} {answered}), next to "
        "this notebook: hand it in to your trainer.",
        "save_failed": "The file {file} could not be written: {why}",
        "results": "results",
    },
}


def _num(x: float, decimal: str = ".") -> str:
    """Points to two decimals, as the book shows them (a third of a point is 0.33; in
    French, 0,33)."""
    return f"{round(x, 2):g}".replace(".", decimal)


_FRENCH_SPACE = re.compile(r"(?<=\S) (?=[:;!?»])|(?<=«) |(?<=\d) (?=[%€$£])|(?<=\d) (?=\d{3}(?!\d))")
"""French typography's spaces that do not break (as typography.FRENCH_SPACE; this file is
copied alone into the notebook): a line of a narrow output never begins with "?" or ":"."""

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')
"""What a file name cannot hold, as the book's quiz replaces it (with "-")."""


class Answer:
    """The result of `quiz.answer(...)`: prints as the verdict, feedback and explanation."""

    def __init__(self, text: str, score: float, max_score: float, correct: bool):
        self.text, self.score, self.max, self.correct = text, score, max_score, correct

    def __repr__(self) -> str:
        return self.text


class Quiz:
    def __init__(self, items: list[dict[str, Any]], grading: Any, lang: str, quiz: str = "", course: str = ""):
        self.items = {item["id"]: item for item in items}
        self.order = [item["id"] for item in items]
        self.grading = grading
        self.lang = lang
        self.quiz, self.course = quiz, course
        self.t = TEXT[lang]
        self.scores: dict[str, float] = {}
        self.responses: dict[str, Any] = {}

    def _french(self, text: str) -> str:
        return _FRENCH_SPACE.sub("\u00a0", text) if self.lang == "fr" else text

    def _say(self, *parts: Any) -> None:
        """Print, as French writes it in a French notebook."""
        print(*(self._french(str(part)) for part in parts))

    def _points(self, x: float) -> str:
        """ "2 points", "1 point"; in French "1,5 point" (below 2, singular)."""
        one, many = self.t["point"], self.t["points_word"]
        single = x < 2 if self.lang == "fr" else x == 1
        return f"{_num(x, self.t['decimal'])} {one if single else many}"

    def _labels(self, item: dict[str, Any], response: Any) -> Any:
        """A response as the item's labels write it: "B" as "b" (the handout writes capitals,
        the notebook small letters), a pair's number 1 as "1"."""
        ids = {p["id"] for group in ("options", "choices", "steps") for p in item.get(group, [])}

        def one(value: Any) -> Any:
            if isinstance(value, str) and value not in ids and value.strip().lower() in ids:
                return value.strip().lower()
            return value

        if isinstance(response, dict):
            return {str(k): one(v) for k, v in response.items()}
        if isinstance(response, list):
            return [one(v) for v in response]
        return one(response)

    def show(self, item_id: str) -> None:
        """Print a question, its options with their ids, and how to answer it."""
        item = self.items.get(item_id)
        if item is None:
            self._say(self.t["unknown"].format(id=item_id))
            return
        number = self.order.index(item_id) + 1
        self._say(
            f"{self.t['question']} {number} ({self._points(float(item.get('points', 1)))}){self.t['sep']} {item['prompt']}"
        )
        for group in ("options", "pairs", "choices", "steps"):
            if group in item:
                self._say(self.t[group])
                for part in item[group]:
                    self._say(f"  {part['id']}{self.t['sep']} {part.get('text', part.get('left'))}")
        self._say(self.t["how"].format(id=item_id, example=self._example(item)))

    def _example(self, item: dict[str, Any]) -> str:
        kind = item["type"]
        if kind == "single":
            return repr(item["options"][0]["id"])
        if kind == "multiple":
            return repr([o["id"] for o in item["options"][:2]])
        if kind == "match":
            return repr({p["id"]: item["choices"][0]["id"] for p in item["pairs"][:2]})
        if kind == "order":
            return repr([s["id"] for s in item["steps"]])
        return f"'{self.t['text']}'" if kind == "short" else "0"

    def answer(self, item_id: str, response: Any) -> Answer:
        """Grade `response` and return the verdict with feedback and explanation."""
        item = self.items.get(item_id)
        if item is None:
            return Answer(self._french(self.t["unknown"].format(id=item_id)), 0.0, 0.0, False)
        response = self._labels(item, response)
        result = self.grading.grade(item, response, self.lang)
        # nothing ticked or matched ([] or {}) is graded 0, but a trainee answered nothing:
        # told so, as the book's page does, without the explanation that gives the key away
        unanswered = not result.message and response in ([], {})
        if result.message or unanswered:
            verdict = self.t["empty"] if unanswered or result.message == "no answer" else self.t["unfit"]
        elif result.correct:
            verdict = self.t["right"]
        else:
            verdict = self.t["partial"] if result.score > 0 else self.t["wrong"]
        decimal = self.t["decimal"]
        lines = [f"{verdict} — {_num(result.score, decimal)} / {self._points(result.max)}"]  # as the page's quiz
        lines += [f"  • {f}" for f in result.feedback]
        if result.message or unanswered:
            lines.append(
                self.t["replace"] if response is None else self.t["how"].format(id=item_id, example=self._example(item))
            )
        else:
            lines.append(f"{self.t['explanation']} {self.grading.explanation(item, self.lang)}")
            self.scores[item_id] = result.score
            self.responses[item_id] = response
        return Answer(self._french("\n".join(lines)), result.score, result.max, result.correct)

    def score(self) -> str:
        """The total so far."""
        total = sum(float(i.get("points", 1)) for i in self.items.values())
        return self._french(
            self.t["total"].format(
                score=_num(sum(self.scores.values()), self.t["decimal"]),
                max=_num(total, self.t["decimal"]),
                done=len(self.scores),
                total=len(self.items),
                answered=self._answered(),
            )
        )

    def _answered(self) -> str:
        return self.t["answered_one" if len(self.scores) < 2 else "answered"]

    def save(self, name: str | None) -> None:
        """Write the answers given so far into a results file next to the notebook, as the
        book's "Download my results" button does (format coursegen-results/1), for
        `coursegen grade`. Its answers are written with the notebook's labels (`labels`)."""
        if name is None or not str(name).strip():
            self._say(self.t["save_how"])
            return
        name = str(name).strip()
        total = sum(float(i.get("points", 1)) for i in self.items.values())
        data = {
            "format": "coursegen-results/1",
            "course": self.course,
            "lang": self.lang,
            "quiz": self.quiz,
            "labels": self.lang,  # letters and numbers as this notebook shows them, not the bank's ids
            "saved": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),  # noqa: UP017 - any Jupyter, Python < 3.11 too
            "trainee": name,
            "score": round(sum(self.scores.values()), 6),
            "max": total,
            "items": [
                {
                    "id": item_id,
                    "version": self.items[item_id].get("salt", ""),
                    "response": self.responses.get(item_id),
                    "score": round(self.scores.get(item_id, 0.0), 6),
                    "max": float(self.items[item_id].get("points", 1)),
                }
                for item_id in self.order
            ],
        }
        file = "-".join([self.t["results"], self.quiz or "quiz", self.lang, _UNSAFE.sub("-", name)]) + ".json"
        try:
            with open(file, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, indent=2)
        except OSError as exc:
            self._say(self.t["save_failed"].format(file=file, why=exc.strerror or exc))
            return
        self._say(
            self.t["saved"].format(file=file, done=len(self.scores), total=len(self.items), answered=self._answered())
        )

    def play(self) -> None:
        """Interactive mode: one small form per question, with ipywidgets when installed."""
        try:
            import ipywidgets as w  # type: ignore[import-not-found]
            from IPython.display import display  # type: ignore[import-not-found]
        except ImportError:
            self._say(self.t["widgets"])
            return
        for item_id in self.order:
            item = self.items[item_id]
            out = w.Output()
            control = self._control(w, item)
            button = w.Button(description=self.t["check"])

            def check(_: Any, item_id: str = item_id, control: Any = control, out: Any = out) -> None:
                out.clear_output()
                with out:
                    self._say(self.answer(item_id, self._value(self.items[item_id], control)))

            button.on_click(check)
            # the question's text as text: `<`, `&` and a <script> in it shown, never read as HTML
            display(w.VBox([w.HTML(f"<b>{html.escape(item['prompt'])}</b>"), control, button, out]))

    def _control(self, w: Any, item: dict[str, Any]) -> Any:
        kind = item["type"]
        if kind == "single":
            return w.RadioButtons(options=[(o["text"], o["id"]) for o in item["options"]], value=None)
        if kind == "multiple":
            return w.VBox([w.Checkbox(description=o["text"], indent=False) for o in item["options"]])
        if kind == "match":
            choices = [("—", "")] + [(c["text"], c["id"]) for c in item["choices"]]
            return w.VBox([w.Dropdown(description=p["left"], options=choices) for p in item["pairs"]])
        if kind == "order":
            positions = [("—", 0)] + [(str(i), i) for i in range(1, len(item["steps"]) + 1)]
            return w.VBox([w.Dropdown(description=s["text"], options=positions) for s in item["steps"]])
        return w.Text()

    def _value(self, item: dict[str, Any], control: Any) -> Any:
        kind = item["type"]
        if kind == "single":
            return control.value
        if kind == "multiple":
            return [o["id"] for o, box in zip(item["options"], control.children, strict=True) if box.value]
        if kind == "match":
            return {p["id"]: d.value for p, d in zip(item["pairs"], control.children, strict=True) if d.value}
        if kind == "order":
            chosen = sorted((d.value, s["id"]) for s, d in zip(item["steps"], control.children, strict=True))
            return [sid for position, sid in chosen if position] if all(p for p, _ in chosen) else ["?"]
        return control.value
