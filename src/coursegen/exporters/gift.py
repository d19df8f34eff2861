"""GIFT export: the question bank in Moodle's plain-text import format, one language per file.

One question per block, blocks separated by a blank line:

    // source ids: [tag:source:action:e] [tag:source:definition:trafficking]
    // audiences: [tag:audience:police]
    ::pol-indicators::[plain]Tick the indicators.{
        ~%50%Passport kept#Yes.
        ~%-50%Wages paid on time#Not an indicator.
        ####Two indicators.
    }

Decisions:
- the question name is the item id; the two comment lines carry the source ids and the
  audiences as Moodle tags (`[tag:…]` in a GIFT comment is imported as a question tag);
- texts are marked `[plain]` (Moodle shows them as written, `<` and `&` included; answers and
  feedback inherit the format); `\\ ~ = # { } :` are escaped with a backslash everywhere and a
  newline is written `\\n`, so that no text can end a block or be read as syntax;
- a scenario's title and case text come before each of its items' prompt;
- the explanation is the general feedback (`####`), per-answer feedback follows `#`;
- single → `=right ~wrong`; multiple → `~%w%` with w = +100/k per correct option and −100/k
  per wrong one (k = correct options, 5 decimals), which Moodle floors at 0 as our rule does;
- match → `=left -> right`, a choice that answers no pair as a distractor `= -> choice`;
  GIFT matching has no per-answer feedback, so each pair's feedback is appended to the
  general feedback (warning);
- order → matching of each step to "position N" (the share of right pairs is the share of
  right positions), step feedback appended to the general feedback (warning);
- short → `=answer` for each accepted answer of the language, plus `=%0%*` (Moodle's
  catch-all) carrying the "incorrect" feedback; a `*` inside an answer is written `\\*`, a
  literal star for Moodle; warning when an answer has accents (Moodle compares them, the
  course grader does not);
- numeric → `{#=answer:tolerance#correct ~#incorrect}`;
- GIFT has no marks: the items worth more than 1 point are named in one warning.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..model import Question
from . import Selection

Item = dict[str, Any]

TEXT_FORMAT = "[plain]"
SPECIAL = "\\~=#{}:"  # the backslash first, so that the escapes added next are not doubled
POSITION = "position {n}"  # the same word in French and English
ARROW = "->"  # the matching separator; in a short answer it makes Moodle read a matching question


def unlisted_weights(item: Item, k: int) -> list[str]:
    """A warning when 100/k % (the weight of each of a multiple question's k correct options)
    is not in Moodle's list of grades, which has it for k = 1 to 10 and 20 only: Moodle's
    import (of GIFT and of Moodle XML alike) refuses such a question, unless its "Match
    grades" is set to "Nearest grade if not listed", which rounds the weights."""
    if k <= 10 or k == 20:
        return []
    return [
        f"multiple question {item['id']}: weights of 100/{k} % are not in Moodle's list of grades: "
        "Moodle's import refuses the question unless its 'Match grades' is set to 'Nearest grade "
        "if not listed', which rounds them"
    ]


@dataclass
class Body:
    """The answer section of one question."""

    answers: list[str]  # answer lines, already escaped
    general: str  # the general feedback, not escaped
    opening: str = ""  # "#" for numeric questions
    warnings: list[str] = field(default_factory=list)


def escape(text: str) -> str:
    """A text as GIFT reads it back exactly: special characters and newlines escaped (a
    carriage return becomes a newline: Moodle drops it)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def weight(percent: float) -> str:
    """A GIFT weight: at most 5 decimals, no trailing zeros ("50", "33.33333", "-25")."""
    text = f"{percent:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def number(value: Any) -> str:
    """A numeric answer or tolerance as GIFT writes it: "18", "0.5"."""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def export(selection: Selection, lang: str) -> tuple[str, list[str]]:
    """The GIFT text of the selection in `lang`, and the warnings (conversions, skipped items)."""
    blocks: list[str] = []
    warnings: list[str] = []
    for question, item in selection.items():
        build = BUILDERS.get(str(item.get("type")))
        if build is None:
            warnings.append(f"item {item.get('id')} skipped: GIFT has no question type for {item.get('type')!r}")
            continue
        body = build(item, lang)
        blocks.append(block(question, item, lang, body))
        warnings += body.warnings
    return ("\n\n".join(blocks) + "\n" if blocks else ""), warnings + points_warning(
        [item for _, item in selection.items() if item.get("type") in BUILDERS]
    )


def block(question: Question, item: Item, lang: str, body: Body) -> str:
    """One question: the tag comments, name, text and answer section."""
    lines = [
        f"// source ids: {tags('source', item.get('sources', []))}",
        f"// audiences: {tags('audience', item.get('audiences', []))}",
        f"::{escape(item['id'])}::{TEXT_FORMAT}{escape(question_text(question, item, lang))}{{{body.opening}",
        *body.answers,
    ]
    if body.general:
        lines.append(f"\t####{escape(body.general)}")
    lines.append("}")
    return "\n".join(lines)


def tags(kind: str, values: Iterable[str]) -> str:
    """Moodle tags in a GIFT comment, `[tag:kind:value]` (a `]` in a tag is written `\\]`)."""
    return " ".join("[tag:" + f"{kind}:{value}".replace("]", "\\]") + "]" for value in values)


def question_text(question: Question, item: Item, lang: str) -> str:
    """The prompt, after the scenario's title and case text for a scenario's item."""
    prompt = str(item["prompt"][lang])
    if question.data["type"] != "scenario":
        return prompt
    return "\n\n".join([question.data["title"][lang], question.data["case"][lang], prompt])


def answer(mark: str, text: str, feedback: str = "") -> str:
    """One answer line: mark (`=`, `~`, `~%50%` …), text and `#feedback`."""
    return f"\t{mark}{escape(text)}" + (f"#{escape(feedback)}" if feedback else "")


def unweighted(mark: str, text: str, explicit: str) -> str:
    """`mark`, or `explicit` when the text starts with "%": Moodle would read "%5%…" after a
    bare `~` or a short answer's `=` as a weight."""
    return explicit if text.startswith("%") else mark


# --- one builder per question type ---------------------------------------------------------


def single(item: Item, lang: str) -> Body:
    lines = []
    for option in item["options"]:
        text = option["text"][lang]
        mark = "=" if option.get("correct") else unweighted("~", text, "~%0%")
        lines.append(answer(mark, text, option.get("feedback", {}).get(lang, "")))
    return Body(lines, item["explanation"][lang])


def multiple(item: Item, lang: str) -> Body:
    k = sum(1 for o in item["options"] if o.get("correct"))
    if k == 0:
        return Body([], item["explanation"][lang], warnings=[f"multiple question {item['id']} has no correct option"])
    lines = [
        answer(
            f"~%{weight((100 if o.get('correct') else -100) / k)}%",
            o["text"][lang],
            o.get("feedback", {}).get(lang, ""),
        )
        for o in item["options"]
    ]
    return Body(lines, item["explanation"][lang], warnings=unlisted_weights(item, k))


def match(item: Item, lang: str) -> Body:
    choices = {c["id"]: c["text"][lang] for c in item["choices"]}
    pairs = [(p["left"][lang], choices[p["answer"]], p["feedback"][lang]) for p in item["pairs"]]
    used = {p["answer"] for p in item["pairs"]}
    distractors = [text for cid, text in choices.items() if cid not in used]
    lines = [f"\t={escape(left)} {ARROW} {escape(right)}" for left, right, _ in pairs]
    lines += [f"\t= {ARROW} {escape(text)}" for text in distractors]
    warnings = [f"match question {item['id']}: pair feedback moved to the general feedback (GIFT matching has none)"]
    if any(ARROW in left for left, _, _ in pairs):
        warnings.append(f"match question {item['id']}: a left text contains '{ARROW}', Moodle will split it there")
    if len(pairs) < 2 or len(pairs) + len(distractors) < 3:
        warnings.append(f"match question {item['id']}: Moodle wants at least 2 pairs and 3 answers")
    return Body(lines, with_pair_feedback(item["explanation"][lang], pairs), warnings=warnings)


def order(item: Item, lang: str) -> Body:
    pairs = [(s["text"][lang], POSITION.format(n=n), s["feedback"][lang]) for n, s in enumerate(item["steps"], 1)]
    lines = [f"\t={escape(step)} {ARROW} {escape(position)}" for step, position, _ in pairs]
    warnings = [
        f"order question {item['id']} exported as matching: step {ARROW} position "
        "(step feedback moved to the general feedback)"
    ]
    if any(ARROW in step for step, _, _ in pairs):
        warnings.append(f"order question {item['id']}: a step contains '{ARROW}', Moodle will split it there")
    return Body(lines, with_pair_feedback(item["explanation"][lang], pairs), warnings=warnings)


def with_pair_feedback(explanation: str, pairs: list[tuple[str, str, str]]) -> str:
    """The explanation, then one line per pair: "left → right: feedback"."""
    return explanation + "\n\n" + "\n".join(f"{left} → {right}: {feedback}" for left, right, feedback in pairs)


def short(item: Item, lang: str) -> Body:
    accepted = [str(a) for a in item["accepted"][lang]]
    right, wrong = item["feedback"]["correct"][lang], item["feedback"]["incorrect"][lang]
    # "*" is Moodle's wildcard in a short answer; "\*" is a literal star.
    lines = [answer(unweighted("=", a, "=%100%"), a.replace("*", "\\*"), right) for a in accepted]
    lines.append(answer("=%0%", "*", wrong))
    warnings = []
    accented = [a for a in accepted if has_accents(a)]
    if accented:
        warnings.append(
            f"short question {item['id']}: Moodle compares accents (the course grader ignores them), "
            f"an answer typed without them is marked wrong: {'; '.join(accented)}"
        )
    if any(ARROW in text for text in [*accepted, right, wrong]):
        warnings.append(
            f"short question {item['id']}: '{ARROW}' in an answer or feedback makes Moodle read a matching question"
        )
    return Body(lines, item["explanation"][lang], warnings=warnings)


def has_accents(text: str) -> bool:
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", text))


def numeric(item: Item, lang: str) -> Body:
    value, tolerance = number(item["answer"]), number(item.get("tolerance") or 0)
    lines = [
        answer(f"={value}:{tolerance}", "", item["feedback"]["correct"][lang]),
        answer("~", "", item["feedback"]["incorrect"][lang]),
    ]
    return Body(lines, item["explanation"][lang], opening="#")


def points_warning(items: list[Item]) -> list[str]:
    """One warning for every item worth more than 1 point: GIFT has no marks."""
    worth = [f"{item['id']} ({item['points']} points)" for item in items if item.get("points", 1) != 1]
    if not worth:
        return []
    return [
        f"GIFT has no marks, Moodle imports each question as worth 1 point: item{'s' if len(worth) > 1 else ''} {', '.join(worth)}"
    ]


BUILDERS: dict[str, Callable[[Item, str], Body]] = {
    "single": single,
    "multiple": multiple,
    "match": match,
    "order": order,
    "short": short,
    "numeric": numeric,
}
