"""The quiz object a learner uses in a quiz notebook.

This file is copied, with `grading.py`, into the first (hidden) cell of every quiz
notebook, so that the notebook runs in any Jupyter with no package to install and grades
with exactly the code the book and the exports use. Outputs are plain text and
deterministic, so that the stored notebooks validate with `pytest --nbval`.
"""

from __future__ import annotations

from typing import Any

TEXT = {
    "fr": {
        "question": "Question",
        "points": "pt",
        "sep": "\u00a0:",  # French: a space (that keeps to its word) before the colon
        "options": "Réponses possibles (identifiant : texte) :",
        "pairs": "Éléments à associer (identifiant : texte) :",
        "choices": "Catégories (identifiant : texte) :",
        "steps": "Étapes, dans le désordre (identifiant : texte) :",
        "how": "Répondez avec quiz.answer({id!r}, {example}).",
        "right": "✔ Correct",
        "partial": "◐ Partiellement correct",
        "wrong": "✘ Incorrect",
        "empty": "⚠ Pas de réponse",
        "unfit": "⚠ Réponse qui ne correspond pas à la question",
        "explanation": "Explication :",
        "unknown": "Identifiant de question inconnu : {id!r}",
        "total": "Score : {score} / {max} points ({done} questions sur {total} répondues).",
        "replace": "Remplacez None par votre réponse, puis exécutez la cellule.",
        "widgets": (
            "Le mode interactif utilise ipywidgets (pip install ipywidgets) ; sans lui, utilisez quiz.answer(…)."
        ),
        "check": "Vérifier",
        "text": "texte",
        "number": "nombre",
    },
    "en": {
        "question": "Question",
        "points": "pt",
        "sep": ":",
        "options": "Possible answers (id: text):",
        "pairs": "Items to match (id: text):",
        "choices": "Categories (id: text):",
        "steps": "Steps, shuffled (id: text):",
        "how": "Answer with quiz.answer({id!r}, {example}).",
        "right": "✔ Correct",
        "partial": "◐ Partly correct",
        "wrong": "✘ Incorrect",
        "empty": "⚠ No answer",
        "unfit": "⚠ The answer does not fit the question",
        "explanation": "Explanation:",
        "unknown": "Unknown question id: {id!r}",
        "total": "Score: {score} / {max} points ({done} of {total} questions answered).",
        "replace": "Replace None with your answer, then run the cell.",
        "widgets": "Interactive mode uses ipywidgets (pip install ipywidgets); without it, use quiz.answer(…).",
        "check": "Check",
        "text": "text",
        "number": "number",
    },
}


def _num(x: float) -> str:
    """Points to two decimals, as the book shows them (a third of a point is 0.33)."""
    return f"{round(x, 2):g}"


class Answer:
    """The result of `quiz.answer(...)`: prints as the verdict, feedback and explanation."""

    def __init__(self, text: str, score: float, max_score: float, correct: bool):
        self.text, self.score, self.max, self.correct = text, score, max_score, correct

    def __repr__(self) -> str:
        return self.text


class Quiz:
    def __init__(self, items: list[dict[str, Any]], grading: Any, lang: str):
        self.items = {item["id"]: item for item in items}
        self.order = [item["id"] for item in items]
        self.grading = grading
        self.lang = lang
        self.t = TEXT[lang]
        self.scores: dict[str, float] = {}

    def show(self, item_id: str) -> None:
        """Print a question, its options with their ids, and how to answer it."""
        item = self.items.get(item_id)
        if item is None:
            print(self.t["unknown"].format(id=item_id))
            return
        number = self.order.index(item_id) + 1
        print(
            f"{self.t['question']} {number} ({_num(float(item.get('points', 1)))} {self.t['points']}){self.t['sep']} {item['prompt']}"
        )
        for group in ("options", "pairs", "choices", "steps"):
            if group in item:
                print(self.t[group])
                for part in item[group]:
                    print(f"  {part['id']}{self.t['sep']} {part.get('text', part.get('left'))}")
        print(self.t["how"].format(id=item_id, example=self._example(item)))

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
        return f"'{self.t['text']}'" if kind == "short" else self.t["number"]

    def answer(self, item_id: str, response: Any) -> Answer:
        """Grade `response` and return the verdict with feedback and explanation."""
        item = self.items.get(item_id)
        if item is None:
            return Answer(self.t["unknown"].format(id=item_id), 0.0, 0.0, False)
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
        lines = [f"{verdict} — {_num(result.score)} / {_num(result.max)} {self.t['points']}"]
        lines += [f"  • {f}" for f in result.feedback]
        if result.message or unanswered:
            lines.append(
                self.t["replace"] if response is None else self.t["how"].format(id=item_id, example=self._example(item))
            )
        else:
            lines.append(f"{self.t['explanation']} {self.grading.explanation(item, self.lang)}")
            self.scores[item_id] = result.score
        return Answer("\n".join(lines), result.score, result.max, result.correct)

    def score(self) -> str:
        """The total so far."""
        total = sum(float(i.get("points", 1)) for i in self.items.values())
        return self.t["total"].format(
            score=_num(sum(self.scores.values())), max=_num(total), done=len(self.scores), total=len(self.items)
        )

    def play(self) -> None:
        """Interactive mode: one small form per question, with ipywidgets when installed."""
        try:
            import ipywidgets as w  # type: ignore[import-not-found]
            from IPython.display import display  # type: ignore[import-not-found]
        except ImportError:
            print(self.t["widgets"])
            return
        for item_id in self.order:
            item = self.items[item_id]
            out = w.Output()
            control = self._control(w, item)
            button = w.Button(description=self.t["check"])

            def check(_: Any, item_id: str = item_id, control: Any = control, out: Any = out) -> None:
                out.clear_output()
                with out:
                    print(self.answer(item_id, self._value(self.items[item_id], control)))

            button.on_click(check)
            display(w.VBox([w.HTML(f"<b>{item['prompt']}</b>"), control, button, out]))

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
