"""A small GIFT parser for the tests: the subset of Moodle's GIFT format that coursegen writes.

Independent of `coursegen.exporters.gift` on purpose: it follows Moodle's own reader
(question/format/gift/format.php) so that a test compares what Moodle would import with the
bank. It reads blocks separated by blank lines; `//` comment lines (and the `[tag:…]` in
them); `::name::`; an optional `[format]`; the question text; one answer section `{…}` at
the end, with `####general feedback`. Answer sections, detected as Moodle does:
`#…` numeric (`=answer:tolerance#feedback`, `~#wrong feedback`), with `~` multiple choice
(`=` right, `~` wrong, `~%w%` weighted, `#feedback`), with `=` and `->` matching, else short
answer (`=answer`, `=%w%answer`, `#feedback`). True/false and missing-word questions are not
in the subset and are refused.

Escapes: `\\\\ \\~ \\= \\# \\{ \\} \\:` stand for the character, `\\n` for a newline. The parser
is stricter than Moodle, so that a missing escape is caught: any other backslash sequence,
and any `~ = # { } :` or newline left inside a text, raise `GiftError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ESCAPED = {"\\": "\\", "~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "n": "\n"}
# While parsing, an escaped character is held as a private-use character, so that only
# unescaped characters are syntax.
_HOLD = {char: chr(0xE000 + i) for i, char in enumerate(ESCAPED)}
_RELEASE = {held: ESCAPED[char] for char, held in _HOLD.items()}
SYNTAX = set("~=#{}:\n")
WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")  # Moodle's $giftanswerweightregex
TAG = re.compile(r"\[tag:((?:\\\]|[^\]])+)\]")
FORMATS = ("moodle", "html", "plain", "markdown")


class GiftError(ValueError):
    """The text is not in the GIFT subset (or an escape is missing)."""


@dataclass
class Answer:
    text: str
    weight: float  # percent
    feedback: str


@dataclass
class NumericAnswer:
    value: float
    tolerance: float
    weight: float  # percent
    feedback: str


@dataclass
class GiftQuestion:
    name: str
    text: str
    text_format: str  # "plain", "html" … or "" when not given
    kind: str  # multichoice | match | short | numeric
    comments: list[str]
    general_feedback: str = ""
    single: bool = False  # multichoice: one answer marked `=` (radio buttons)
    answers: list[Answer] = field(default_factory=list)  # multichoice and short
    pairs: list[tuple[str, str]] = field(default_factory=list)  # match: (left, right); "" left = distractor
    numeric: list[NumericAnswer] = field(default_factory=list)
    wrong_feedback: str | None = None  # numeric: `~#feedback`

    def tags(self, label: str) -> list[str]:
        """The `[tag:…]` values of the comment line `// <label>: …`."""
        lines = [c for c in self.comments if c.startswith(f"// {label}:")]
        if len(lines) != 1:
            raise GiftError(f"{self.name}: expected one '// {label}:' comment line, found {len(lines)}")
        return [t.replace("\\]", "]").strip() for t in TAG.findall(lines[0])]


def parse(text: str) -> list[GiftQuestion]:
    """Every question of a GIFT text, in order."""
    return [parse_block(lines) for lines in blocks(text)]


def blocks(text: str) -> list[list[str]]:
    """Groups of lines separated by blank lines."""
    groups: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip():
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    return [g for g in groups if g]


def parse_block(lines: list[str]) -> GiftQuestion:
    comments = [line.strip() for line in lines if line.strip().startswith("//")]
    body = hold("\n".join(line for line in lines if not line.strip().startswith("//")).strip())
    if not body.startswith("::") or body.find("::", 2) < 0:
        raise GiftError(f"no ::name:: at the start of {release(body)[:60]!r}")
    end = body.find("::", 2)
    name, rest = text(body[2:end]), body[end + 2 :].strip()
    if rest.count("{") != 1 or rest.count("}") != 1 or not rest.endswith("}"):
        raise GiftError(f"{name}: expected one answer section {{…}} at the end")
    question_part, answer_part = rest[:-1].split("{")
    text_format, question_text = split_format(question_part.strip())
    question = GiftQuestion(name, text(question_text), text_format, "", comments)
    answer_part = answer_part.strip()
    if "####" in answer_part:
        answer_part, general = answer_part.rsplit("####", 1)
        question.general_feedback = text(general)
    read_answers(question, answer_part.strip())
    return question


def read_answers(question: GiftQuestion, answers: str) -> None:
    """Detect the question type as Moodle does, then read its answers."""
    if answers.startswith("#"):
        question.kind = "numeric"
        read_numeric(question, answers[1:])
    elif "~" in answers:
        question.kind = "multichoice"
        read_multichoice(question, answers)
    elif "=" in answers and "->" in answers:
        question.kind = "match"
        question.pairs = [split_pair(part) for part in parts(answers, "=")]
        if len(question.pairs) < 2:
            raise GiftError(f"{question.name}: a matching question needs at least 2 pairs")
    elif answers.startswith("="):
        question.kind = "short"
        for part in parts(answers, "="):
            weight, part = split_weight(part, default=100.0)
            question.answers.append(Answer(*split_feedback(part, weight)))
    else:
        raise GiftError(f"{question.name}: answer section not in the subset: {release(answers)[:60]!r}")


def read_multichoice(question: GiftQuestion, answers: str) -> None:
    if answers[0] not in "=~":
        raise GiftError(f"{question.name}: text before the first answer")
    for part in re.split(r"(?=[=~])", answers)[1:]:
        mark, body = part[0], part[1:].strip()
        if mark == "=":
            weight = 100.0
            question.single = True
        else:
            weight, body = split_weight(body, default=0.0)
        question.answers.append(Answer(*split_feedback(body, weight)))
    if len(question.answers) < 2:
        raise GiftError(f"{question.name}: a multiple-choice question needs at least 2 answers")


def read_numeric(question: GiftQuestion, answers: str) -> None:
    answers, tilde, wrong = answers.partition("~")
    if tilde:
        before, hash_mark, feedback = wrong.partition("#")
        if before.strip() or not hash_mark:
            raise GiftError(f"{question.name}: a numeric '~' must be followed by '#feedback'")
        question.wrong_feedback = text(feedback)
    for part in parts(answers.strip(), "="):
        weight, part = split_weight(part, default=100.0)
        value, hash_mark, feedback = part.partition("#")
        question.numeric.append(NumericAnswer(*numeric_value(question.name, value), weight, text(feedback)))
    if not question.numeric:
        raise GiftError(f"{question.name}: no numeric answer")


def numeric_value(name: str, value: str) -> tuple[float, float]:
    """`answer:tolerance`, `min..max` or `answer`."""
    try:
        if ".." in value:
            low, high = (float(release(v)) for v in value.split(".."))
            return (low + high) / 2, (high - low) / 2
        answer, _, tolerance = value.partition(":")
        return float(release(answer)), float(release(tolerance) or 0)
    except ValueError as error:
        raise GiftError(f"{name}: not a number: {release(value)!r}") from error


def parts(answers: str, mark: str) -> list[str]:
    """The answers of a section whose answers all start with `mark`."""
    pieces = answers.split(mark)
    if pieces[0].strip():
        raise GiftError(f"text before the first answer: {release(pieces[0])!r}")
    return [p.strip() for p in pieces[1:]]


def split_weight(part: str, default: float) -> tuple[float, str]:
    """`%w%rest` → (w, rest), as Moodle reads it; `default` when there is no weight."""
    if not WEIGHT.match(part):
        return default, part
    end = part.index("%", 1)
    try:
        return float(part[1:end]), part[end + 1 :]
    except ValueError as error:
        raise GiftError(f"bad weight {part[: end + 1]!r}") from error


def split_feedback(part: str, weight: float) -> tuple[str, float, str]:
    """`answer#feedback` → (answer, weight, feedback)."""
    answer, _, feedback = part.partition("#")
    return text(answer), weight, text(feedback)


def split_pair(part: str) -> tuple[str, str]:
    if "->" not in part:
        raise GiftError(f"matching answer without '->': {release(part)!r}")
    left, right = part.split("->", 1)
    return text(left), text(right)


def split_format(question_text: str) -> tuple[str, str]:
    """`[plain]text` → ("plain", "text")."""
    for name in FORMATS:
        if question_text.startswith(f"[{name}]"):
            return name, question_text[len(name) + 2 :]
    return "", question_text


# --- escapes ------------------------------------------------------------------------------


def hold(raw: str) -> str:
    """Replace every escape by its private-use placeholder; refuse unknown escapes."""
    if any(char in _RELEASE for char in raw):
        raise GiftError("the text holds private-use characters the parser uses as placeholders")
    out: list[str] = []
    chars = iter(raw)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        following = next(chars, "")
        if following not in _HOLD:
            raise GiftError(f"unknown escape '\\{following}'")
        out.append(_HOLD[following])
    return "".join(out)


def release(held: str) -> str:
    return "".join(_RELEASE.get(char, char) for char in held)


def text(held: str) -> str:
    """A text of the question (name, answer, feedback …), unescaped. Syntax characters left in
    it mean a missing escape."""
    held = held.strip()
    unescaped = sorted({char for char in held if char in SYNTAX})
    if unescaped:
        raise GiftError(f"unescaped {unescaped} in {release(held)!r}")
    return release(held)
