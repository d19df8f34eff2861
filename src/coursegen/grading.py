"""Grading: one rule set for every question type, from a full item or its public form.

The same rules are implemented in the browser (`static/quiz.js`); the two are proven equal
on the shared vectors in `tests/vectors.yml`. Rules (see docs/quizzes.md):

- single: 1 if the chosen option is correct, else 0;
- multiple: +1/k per correct option ticked, −1/k per wrong one, floor 0 (k = correct options);
- match: share of pairs given their answer;
- order: share of positions holding the right step;
- short: 1 if the normalised text equals a normalised accepted answer (either language;
  an article before the answer, « l'ONUDC », "the UNODC", is not needed);
- numeric: 1 if |value − answer| ≤ tolerance.

A score is that share times the item's points. A response that does not fit the item scores
0 with a message; grading never raises. The public form (`public_item`) carries the key as
salted SHA-256 digests and the feedback XOR-masked, so that a page's source does not show the
answers in plain text; anyone who runs the grader's code can still recover them, which is
why a self-check quiz in a browser is not a secure exam.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

HIT, MISS = "hit", "miss"  # feedback parts of short and numeric questions
DIGEST_CHARS = 16


@dataclass
class Result:
    item: str
    score: float
    max: float
    correct: bool
    message: str = ""  # why a response could not be graded ("" when it could)
    feedback: list[str] = field(default_factory=list)  # feedback texts for what was answered


# --- the key, from a full item or from its public form -----------------------------------


def digest(*parts: str) -> str:
    """The salted digest used for every key fact: sha256 of the parts joined by '|'."""
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:DIGEST_CHARS]


_ARTICLE = re.compile(r"(?:de la|de l|l|le|la|les|the) (?=\S)")
"""A definite article before an answer's words, which the answer does not need: « l'ONUDC »,
« la servitude pour dettes », "the UNODC" (as normalised: apostrophes are spaces). Not before
a number (« L. 8251-1 » and « D. 8251-1 » are two articles of a code), nor an indefinite one
("UN Women" is not "Women")."""


def normalise(text: str) -> str:
    """Case, accents, punctuation and spacing ignored; full stops are dropped so that
    acronyms match, and an article before the answer too: "  L'O.I.T. " → "oit". The
    browser's grader (coursegen-quiz.js) does the same, step for step: decomposed, then
    lowercased (not casefolded: "ß" stays, as JavaScript keeps it), marks dropped, and what
    is neither a letter nor a number (Unicode's L and N) made a space."""
    text = unicodedata.normalize("NFKD", text).lower().replace(".", "")
    kept = (c if unicodedata.category(c)[0] in "LN" or c == "_" else " " for c in text if not _mark(c))
    words = " ".join("".join(kept).split())
    article = _ARTICLE.match(words)
    return words[article.end() :] if article and words[article.end()].isalpha() else words  # as the browser's \p{L}


def _mark(c: str) -> bool:
    return unicodedata.category(c)[0] == "M"  # as \p{M}: spacing marks too, which have no combining class


def item_salt(item: dict[str, Any], lang: str | None = None) -> str:
    """A salt that changes whenever the item changes, and is the same in every build. With
    `lang`, only the item's texts in that language count: editing the French of an item
    leaves its English version (salt, stored answers, page, notebook) as it was."""
    inherited = getattr(item, "inherited", ())  # a scenario's audiences, on its items (model.GradedItem)
    own = {k: v for k, v in item.items() if k not in inherited} if inherited else item
    canonical = json.dumps(_in_language(own, lang), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]


def _in_language(value: Any, lang: str | None) -> Any:
    """`value` with each text given in several languages ({"fr": …, "en": …}) reduced to
    its `lang` text. No other mapping of an item has a language code as a key."""
    if lang is None:
        return value
    if isinstance(value, dict):
        if lang in value:
            return value[lang]
        return {k: _in_language(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [_in_language(v, lang) for v in value]
    return value


class _FullKey:
    def __init__(self, item: dict[str, Any]):
        self.item = item

    def option_correct(self, oid: str) -> bool:
        return any(o["id"] == oid and o.get("correct", False) for o in self.item["options"])

    def pair_ok(self, pid: str, cid: str) -> bool:
        return any(p["id"] == pid and p["answer"] == cid for p in self.item["pairs"])

    def step_at(self, index: int, sid: str) -> bool:
        steps = self.item["steps"]
        return index < len(steps) and steps[index]["id"] == sid

    def short_ok(self, text: str) -> bool:
        accepted = self.item["accepted"]
        return any(normalise(a) == text for lang in accepted for a in accepted[lang])

    def numeric(self) -> tuple[float, float]:
        return float(self.item["answer"]), float(self.item.get("tolerance", 0))


class _HashedKey:
    def __init__(self, public: dict[str, Any]):
        self.p = public
        self.salt = public["salt"]
        self.id = public["id"]

    def _has(self, *parts: str) -> bool:
        return digest(self.salt, self.id, *parts) in self.p["key"]

    def option_correct(self, oid: str) -> bool:
        return self._has("option", oid)

    def pair_ok(self, pid: str, cid: str) -> bool:
        return self._has("pair", pid, cid)

    def step_at(self, index: int, sid: str) -> bool:
        return self._has("step", str(index), sid)

    def short_ok(self, text: str) -> bool:
        return self._has("short", text)

    def numeric(self) -> tuple[float, float]:
        answer, tolerance = unmask(self.salt, self.id, "numeric", self.p["numeric"]).split("|")
        return float(answer), float(tolerance)


# --- grading ------------------------------------------------------------------------------


THOUSANDS = re.compile(r"\s*[-+]?[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?\s*")
"""A number as English writes its thousands, `2,025`, `18,000.5`: in English, commas between
thousands (2025; a trainee got "Incorrect" for the year 2025 written so); in French, a
decimal comma (2,025 is 2.025), as everywhere else."""


def grade(item: dict[str, Any], response: Any, lang: str = "en") -> Result:
    """Grade one response to one item (full or public form). Never raises."""
    public = "key" in item
    key: _FullKey | _HashedKey = _HashedKey(item) if public else _FullKey(item)
    points = float(item.get("points", 1))
    kind = str(item.get("type"))
    lang = "fr" if str(lang or "").lower().startswith("fr") else "en"  # `fr-BE`, `EN`, none said: as the browser
    if kind == "numeric" and isinstance(response, str) and not lang.startswith("fr") and THOUSANDS.fullmatch(response):
        response = response.replace(",", "")
    try:
        share, message, chosen = _RULES[kind](item, key, response)
    except KeyError:
        return Result(str(item.get("id")), 0.0, points, False, f"cannot grade items of type {kind!r}")
    feedback = [_named(item, part, _feedback(item, public, part, lang), lang) for part in chosen]
    score = round(share * points, 6)
    return Result(item["id"], score, points, share == 1.0, message, [f for f in feedback if f])


def grade_attempt(items: list[dict[str, Any]], responses: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    """Grade every item; an item without a response scores 0. Unknown item ids are reported."""
    results = [grade(item, responses.get(item["id"]), lang) for item in items]
    known = {item["id"] for item in items}
    unknown = sorted(str(k) for k in responses if k not in known)
    return {
        "score": round(sum(r.score for r in results), 6),
        "max": sum(r.max for r in results),
        "results": results,
        "unknown": unknown,
    }


def _ids(item: dict[str, Any], field_name: str) -> list[str]:
    return [str(x["id"]) for x in item.get(field_name, [])]


def _single(item: dict[str, Any], key: Any, response: Any) -> tuple[float, str, list[str]]:
    if not isinstance(response, str) or response not in _ids(item, "options"):
        return 0.0, _unfit(response, "one option id"), []
    return (1.0 if key.option_correct(response) else 0.0), "", [response]


def _multiple(item: dict[str, Any], key: Any, response: Any) -> tuple[float, str, list[str]]:
    options = _ids(item, "options")
    if not isinstance(response, list) or not all(isinstance(r, str) and r in options for r in response):
        return 0.0, _unfit(response, "a list of option ids"), []
    ticked = list(dict.fromkeys(response))
    correct = [o for o in options if key.option_correct(o)]
    right = sum(1 for o in ticked if o in correct)
    wrong = len(ticked) - right
    share = max(0.0, (right - wrong) / len(correct)) if correct else 0.0
    return share, "", ticked


def _match(item: dict[str, Any], key: Any, response: Any) -> tuple[float, str, list[str]]:
    pairs, choices = _ids(item, "pairs"), _ids(item, "choices")
    if not isinstance(response, dict) or not all(
        k in pairs and isinstance(v, str) and v in choices for k, v in response.items()
    ):
        return 0.0, _unfit(response, "a mapping of pair ids to choice ids"), []
    matched = [p for p in pairs if p in response and key.pair_ok(p, response[p])]
    missed = [p for p in pairs if p not in matched]
    return len(matched) / len(pairs), "", missed


def _order(item: dict[str, Any], key: Any, response: Any) -> tuple[float, str, list[str]]:
    steps = _ids(item, "steps")
    if not isinstance(response, list) or sorted(map(str, response)) != sorted(steps) or len(response) != len(steps):
        return 0.0, _unfit(response, "every step id once, in order"), []
    # step ids written as numbers (`[1, 2, 3]` for the steps "1", "2", "3"), as the browser's grader reads them
    response = [str(s) if isinstance(s, int) and not isinstance(s, bool) else s for s in response]
    placed = [s for i, s in enumerate(response) if key.step_at(i, s)]
    misplaced = [s for s in response if s not in placed]
    return len(placed) / len(steps), "", misplaced


def _short(item: dict[str, Any], key: Any, response: Any) -> tuple[float, str, list[str]]:
    if not isinstance(response, str) or not normalise(response):
        return 0.0, _unfit(response, "a non-empty text"), []
    ok = key.short_ok(normalise(response))
    return (1.0 if ok else 0.0), "", [HIT if ok else MISS]


def _numeric(item: dict[str, Any], key: Any, response: Any) -> tuple[float, str, list[str]]:
    value = _number(response)
    if value is None:
        return 0.0, _unfit(response, "a number"), []
    answer, tolerance = key.numeric()
    ok = abs(value - answer) <= tolerance + 1e-9
    return (1.0 if ok else 0.0), "", [HIT if ok else MISS]


_NUMBER = re.compile(r"\s*[-+]?(?:[0-9]+|[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+)(?:[.,][0-9]+)?\s*")
"""A number as typed: `18`, `18,5`, `-2.5`, and in thousands as French writes them,
`1 500` (a space, or one that keeps to its word, between groups of three digits)."""


def _number(response: Any) -> float | None:
    if isinstance(response, bool):
        return None
    try:
        if isinstance(response, int | float):
            value = float(response)
        elif isinstance(response, str) and _NUMBER.fullmatch(response):  # as the browser
            value = float(re.sub(r"[ \u00a0\u202f]", "", response.strip()).replace(",", "."))
        else:
            return None
    except OverflowError:  # an integer too large for a float
        return None
    return value if math.isfinite(value) else None


UNFIT = "the response does not fit this question"
"""How a result's message begins when the response is not of the question's kind."""


def _unfit(response: Any, expected: str) -> str:
    if response is None or response == "" or response == [] or response == {}:
        return "no answer"
    return f"{UNFIT} (expected {expected})"


_RULES = {
    "single": _single,
    "multiple": _multiple,
    "match": _match,
    "order": _order,
    "short": _short,
    "numeric": _numeric,
}


# --- feedback and the public form ---------------------------------------------------------


_NAMED = {"order": ("steps", "text"), "match": ("pairs", "left"), "multiple": ("options", "text")}


def _named(item: dict[str, Any], part: str, text: str, lang: str) -> str:
    """A misplaced step's or pair's feedback, after its name, and a ticked option's after
    the option: the feedback may not say which it is ("Recruiting: …", "Deception — Yes: …").
    A name's last full stop is left out (not "…employer.: This is"). As the page's quiz
    writes it."""
    group, field_ = _NAMED.get(str(item.get("type")), ("", ""))
    name = next((p[field_] for p in item.get(group, []) if p.get("id") == part), "") if group and text else ""
    if isinstance(name, dict):  # a full item's text, in each language (else the one it has, as _feedback)
        name = name[lang] if lang in name else next(iter(name.values()), "")
    name = re.sub(r"(?<=[^.])\.$", "", str(name).rstrip())  # "etc..." and "…" kept
    if item.get("type") == "multiple":  # its feedback often begins "Yes:": a dash, not a second colon
        return f"{name} — {text}" if name else text
    colon = "\u00a0: " if lang == "fr" else ": "  # French: a space that keeps to its word
    return f"{name}{colon}{text}" if name else text


def _feedback(item: dict[str, Any], public: bool, part: str, lang: str) -> str:
    if public:
        masked = item.get("feedback", {}).get(part)
        return unmask(item["salt"], item["id"], "feedback", masked, part) if masked else ""

    def said(texts: dict[str, str]) -> str:  # a trainer's question in French only has no English: the text it has
        return str(texts[lang] if lang in texts else next(iter(texts.values()), ""))

    kind = item["type"]
    if kind in ("single", "multiple"):
        return next((said(o["feedback"]) for o in item["options"] if o["id"] == part), "")
    if kind == "match":
        return next((said(p["feedback"]) for p in item["pairs"] if p["id"] == part), "")
    if kind == "order":
        return next((said(s["feedback"]) for s in item["steps"] if s["id"] == part), "")
    return said(item["feedback"]["correct" if part == HIT else "incorrect"])


def _stream(salt: str, item: str, *parts: str, length: int) -> bytes:
    prefix = "|".join([salt, item, *parts, ""])
    blocks = (length + 31) // 32
    return b"".join(hashlib.sha256(f"{prefix}{n}".encode()).digest() for n in range(blocks))[:length]


def _xor(data: bytes, stream: bytes) -> bytes:
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")).to_bytes(len(data), "big")


def mask(salt: str, item: str, kind: str, text: str, part: str = "") -> str:
    data = text.encode("utf-8")
    return base64.b64encode(_xor(data, _stream(salt, item, kind, part, length=len(data)))).decode("ascii")


def unmask(salt: str, item: str, kind: str, masked: str, part: str = "") -> str:
    data = base64.b64decode(masked)
    return _xor(data, _stream(salt, item, kind, part, length=len(data))).decode("utf-8")


def explanation(item: dict[str, Any], lang: str) -> str:
    """The explanation of a full or public item."""
    if "key" in item:
        return unmask(item["salt"], item["id"], "explanation", item["explanation"])
    return str(item["explanation"][lang])


def shown_steps(item: dict[str, Any], salt: str) -> list[dict[str, Any]]:
    """An order item's steps in the order they are shown (never the key's), given its salt."""
    steps = item["steps"]
    shown = sorted(steps, key=lambda s: digest(salt, s["id"]))
    if [s["id"] for s in shown] == [s["id"] for s in steps]:  # never show the key order
        shown = shown[1:] + shown[:1]
    return shown


def public_item(item: dict[str, Any], lang: str, salt: str | None = None) -> dict[str, Any]:
    """What a page or a notebook may carry: texts in one language, the key as digests, the
    feedback and the explanation masked (an explanation tells the answer). `grade()` accepts
    it and gives the same results as for the full item. `salt`: the item's, when `item` is
    it relabelled (a notebook's, see `quizzes.lettered`), whose version stays the item's."""
    salt = salt or item_salt(item, lang)
    iid = item["id"]
    kind = item["type"]
    out: dict[str, Any] = {
        "id": iid,
        "type": kind,
        "points": item.get("points", 1),
        "salt": salt,
        "prompt": item["prompt"][lang],
        "explanation": mask(salt, iid, "explanation", item["explanation"][lang]),
    }
    key: list[str] = []
    feedback: dict[str, str] = {}

    def fb(part: str, text: str) -> None:
        feedback[part] = mask(salt, iid, "feedback", text, part)

    if kind in ("single", "multiple"):
        out["options"] = [{"id": o["id"], "text": o["text"][lang]} for o in item["options"]]
        for o in item["options"]:
            fb(o["id"], o["feedback"][lang])
            if o.get("correct", False):
                key.append(digest(salt, iid, "option", o["id"]))
    elif kind == "match":
        out["choices"] = [{"id": c["id"], "text": c["text"][lang]} for c in item["choices"]]
        out["pairs"] = [{"id": p["id"], "left": p["left"][lang]} for p in item["pairs"]]
        for p in item["pairs"]:
            fb(p["id"], p["feedback"][lang])
            key.append(digest(salt, iid, "pair", p["id"], p["answer"]))
    elif kind == "order":
        steps = item["steps"]
        out["steps"] = [{"id": s["id"], "text": s["text"][lang]} for s in shown_steps(item, salt)]
        for i, s in enumerate(steps):
            fb(s["id"], s["feedback"][lang])
            key.append(digest(salt, iid, "step", str(i), s["id"]))
    elif kind == "short":
        accepted = {normalise(a) for lang_answers in item["accepted"].values() for a in lang_answers}
        key.extend(digest(salt, iid, "short", a) for a in sorted(accepted))
        for part, yaml_key in ((HIT, "correct"), (MISS, "incorrect")):
            fb(part, item["feedback"][yaml_key][lang])
    elif kind == "numeric":
        out["numeric"] = mask(salt, iid, "numeric", f"{float(item['answer'])!r}|{float(item.get('tolerance', 0))!r}")
        for part, yaml_key in ((HIT, "correct"), (MISS, "incorrect")):
            fb(part, item["feedback"][yaml_key][lang])
    out["key"] = sorted(key)
    out["feedback"] = feedback
    return out
