"""The plain data model passed between the pipeline stages.

load → validate → resolve → render → assemble. Only loading reads files and only
assembly writes them; everything in between is a function over these dataclasses.
Every item carries a `SourceRef` so that any stage can report `path:line:col`.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SourceRef

Text = dict[str, str]
"""A text in every course language: {"fr": "...", "en": "..."}."""

COMMON = "common"
"""The area every audience takes. Pages directly under modules/ belong to it too."""
TRAINER = "trainer"
"""The trainer's guide: built only in the trainer edition."""


@dataclass
class Source:
    """One citable item of sources/: an action, a practice or one of its points, an SDG
    target, a definition or one of its points."""

    id: str  # "action:e", "practice:brazil-inspection/confidentiality"
    kind: str  # action | practice | sdg | definition
    title: Text  # headline (action), title (practice, definition), "Target 8.7" (sdg)
    text: Text
    label: Text  # the citation printed under a quote
    ref: SourceRef
    role: str = ""  # for points: aim | excerpt | note; "" for items
    parent: str = ""  # the id of the item a point belongs to
    points: list[str] = field(default_factory=list)
    translated: list[str] = field(default_factory=list)  # languages whose text is the course's translation

    @property
    def top(self) -> str:
        """The id this item counts as in the coverage matrix (a point counts as its item)."""
        return self.parent or self.id


@dataclass
class Page:
    key: str  # "modules/police/recognise": the _toc.yml name, without language
    lang: str
    area: str  # "common" or an audience id
    path: Path
    text: str
    layer: str = "course folder"  # see layers.py
    readable: bool = True  # False: the file exists but could not be read (reported by loading)

    @property
    def out(self) -> str:
        """Path of the page inside build/<lang>/, without suffix: "police/recognise"."""
        return self.key.removeprefix("modules/")


@dataclass
class Diagram:
    area: str
    name: str
    data: dict[str, Any]
    path: Path


@dataclass
class Question:
    """One entry of a question bank: a graded item or a scenario holding items.

    `data` is the item as written (plain dicts and lists, validated by the quiz schema);
    `marks` is the same data with its positions, for diagnostics."""

    id: str
    bank: str  # the bank file's stem: common, police …
    data: dict[str, Any]
    marks: Any
    path: Path
    where: list[Any]  # path of the item inside the bank file, e.g. ["items", 3]
    layer: str = "course folder"

    @property
    def audiences(self) -> list[str]:
        return list(self.data.get("audiences", []))

    def graded(self) -> list[dict[str, Any]]:
        """The items that are graded: the item itself, or a scenario's items (which inherit
        the scenario's audiences: an item's version, and so the order of its steps, are
        those of the item as written, `GradedItem`)."""
        if self.data["type"] != "scenario":
            return [self.data]
        return [GradedItem(sub, self.audiences) for sub in self.data["items"]]


class GradedItem(dict[str, Any]):
    """A scenario's item with the audiences it inherits from the scenario, which are not its
    own: `grading.item_salt` leaves them out, so that its version and the order the site shows
    its steps in are the item's as written (the site, the notebook, the handout and `grade`
    letter them alike)."""

    def __init__(self, item: dict[str, Any], audiences: list[str]) -> None:
        super().__init__({"audiences": audiences, **item})
        self.inherited = frozenset() if "audiences" in item else frozenset({"audiences"})


@dataclass
class Template:
    """A box template (templates/*.md): from the package, or a course folder's override."""

    name: str
    text: str
    path: Path
    layer: str


@dataclass
class Provenance:
    """A fact for `coursegen explain` that the model does not otherwise keep (a question
    that a course folder replaced or disabled)."""

    kind: str
    name: str
    layer: str
    ref: SourceRef
    note: str
    replaced: SourceRef | None = None  # what it replaces or disables, which `explain` names


@dataclass
class Chapter:
    file: str
    ref: SourceRef


@dataclass
class Part:
    caption: Text
    chapters: list[Chapter]
    ref: SourceRef


@dataclass
class Audience:
    id: str
    title: Text


@dataclass
class Course:
    root: Path
    title: Text
    languages: list[str]
    audiences: list[Audience]
    jb_config: dict[str, Any]  # the Jupyter Book keys of _config.yml, passed through
    toc_root: Chapter
    parts: list[Part]
    sources: dict[str, Source]
    pages: dict[tuple[str, str], Page]  # (key, lang) -> page
    diagrams: dict[tuple[str, str], Diagram]  # (area, name) -> diagram
    glossary: list[dict[str, Any]]
    lang_switch: Text
    questions: list[Question] = field(default_factory=list)
    # the course folder's questions that their bank's schema rejects, not in the course, with
    # where it rejects something in them: the rest is still checked (validation.py)
    unsound: list[tuple[Question, frozenset[str]]] = field(default_factory=list)
    base: Path | None = None  # the built-in course under a course folder, if any
    edition: str = "learner"  # learner | trainer (the trainer's guide)
    pass_mark: float = 80  # percent, for SCORM's passed/failed
    country: dict[str, Any] = field(default_factory=dict)
    country_origin: dict[str, tuple[str, SourceRef]] = field(default_factory=dict)
    provenance: list[Provenance] = field(default_factory=list)
    templates: dict[str, Template] = field(default_factory=dict)  # name -> template (see layers.py)
    toc_unread: bool = False  # _toc.yml could not be used: every page is read apart
    sources_unread: frozenset[str] = frozenset()  # the kinds of source ("action") whose sources/ file could not be read
    # of those, the ids as written in the files that parse all the same (by kind)
    sources_written: dict[str, frozenset[str]] = field(default_factory=dict)
    glossary_written: frozenset[str] = frozenset()  # the term ids of a glossary file its schema refuses
    config_files: dict[str, tuple[str, bytes]] = field(
        default_factory=dict
    )  # _config.yml's logo, favicon: as written -> (path in the course folder, content)
    module_files: dict[str, bytes] = field(default_factory=dict)  # pictures of modules/: path in the book -> content
    # positions of ids as written, for duplicate-id and similar checks: (kind, id, ref)
    declared: list[tuple[str, str, SourceRef]] = field(default_factory=list)

    @property
    def audience_ids(self) -> list[str]:
        return [a.id for a in self.audiences]

    @property
    def source_ids(self) -> list[str]:
        """Every source id the course gives: its sources', and those written in the sources/
        files that their schema refuses (what a misspelt citation most likely meant)."""
        return [
            *self.sources,
            *(i for ids in self.sources_written.values() for i in sorted(ids) if i not in self.sources),
        ]

    def unknown_source(self, ident: str) -> bool:
        """True when the course has no source `ident`, for certain: not when the sources/
        file that would give it could not be read (its own problems are said)."""
        kind = ident.split(":", 1)[0]
        if ident in self.sources:
            return False
        return kind not in self.sources_unread or (
            kind in self.sources_written and ident not in self.sources_written[kind]
        )


GENERATED_PAGES = {"coverage": "coverage"}
"""_toc.yml names of pages the generator writes itself, and their output paths."""

BLOCK_MACROS = (
    "action",
    "sdg",
    "practice",
    "definition",
    "quote",
    "diagram",
    "glossary",
    "quiz",
    "who_to_call",
    "referral_contacts",
)
"""The page macros (render.py) that write a block of their own (a quotation, a directive):
each is called on a line of its own (docs/authoring.md)."""

BOXES = {"who_to_call": "who-to-call.md", "referral_contacts": "referral-contacts.md"}
"""The box macros, and the template each shows."""


@dataclass
class RenderedPage:
    page: Page
    markdown: str
    citations: list[str]  # source ids quoted or cited, in order, with repeats


@dataclass
class Book:
    """One language's rendered book, ready to be assembled into build/<lang>/."""

    lang: str
    files: dict[str, bytes]  # relative path -> content (pages, diagrams, _config.yml, _toc.yml)
    pages: list[RenderedPage]
    notebooks: dict[str, Any] = field(default_factory=dict)  # relative path -> unexecuted notebook
    boxes: dict[str, Template] = field(default_factory=dict)  # box macro -> the template it shows
    notes: list[str] = field(default_factory=list)  # what the trainer may not have meant, told without stopping
    static: list[str] = field(default_factory=list)  # files the site copies into _static/ by name: logos, favicon


def meant(word: str, known: Iterable[str]) -> str:
    """ " (did you mean 'x'?)" for `word`, or "" (see `closest`); when `word` is x written
    with characters that only look like x's, those named (the two look alike when told)."""
    known = list(known)
    close = closest(word, known)
    if close is None:
        return ""
    plain = looks_like(word) if not word.isascii() else None
    if plain is None or plain.casefold() != close.casefold():
        # what cannot be seen (a zero-width space, a no-break space, an accent alone): named
        unseen = [c for c in dict.fromkeys(word) if not c.isascii() and unicodedata.category(c)[0] in "CZM"]
        names = "; ".join(
            f"it holds U+{ord(c):04X} {unicodedata.name(c, 'a character without a name')}" for c in unseen
        )
        return f" (did you mean '{close}'?{' ' + names if names else ''})"
    odd = [
        f"'{c}' is U+{ord(c):04X} {unicodedata.name(c, 'a character without a name')}, not '{looks_like(c)}'"
        for c in dict.fromkeys(c for c in word if not c.isascii())
    ]
    return f" (did you mean '{close}'? {'; '.join(odd)})"


def looks_like(word: str) -> str | None:
    """`word` in the ASCII characters it looks like (`actіon`, its `і` Cyrillic: `action`;
    a full-width `８`: `8`), as Unicode's tables of confusable characters and its compatibility
    forms say; None when one of its characters looks like none (`é`)."""
    from confusable_homoglyphs import confusables

    out = []
    for c in word:
        plain = c if c.isascii() else unicodedata.normalize("NFKC", c)
        if not plain.isascii():
            found = confusables.is_confusable(c, greedy=True, preferred_aliases=["latin"]) or []
            glyphs = [h["c"] for f in found for h in f["homoglyphs"] if h["c"].isascii() and len(h["c"]) == 1]
            if not glyphs:
                return None
            plain = glyphs[0]
        out.append(plain)
    return "".join(out)


def unknown_audience(audience: str, known: list[str], listed: str = "this course has") -> str:
    """An audience given on the command line that is none of `known`: which they are, and
    the one meant (`polce`)."""
    near = closest(audience, known)
    return f"unknown audience '{audience}' ({listed}: {', '.join(known)})" + (
        f"; did you mean '{near}'?" if near is not None else ""
    )


def closest(word: str, known: Iterable[str]) -> str | None:
    """The known word that `word` most likely meant: the same but for capitals, or for
    letters of another alphabet that look the same (`action:і`, its і Cyrillic), else the
    closest spelling (`action:A` -> `action:a`, `SDG:8.7` -> `sdg:8.7`)."""
    known = list(known)
    same = [k for k in known if k.casefold() == word.casefold()]
    plain = looks_like(word) if not same and not word.isascii() else None
    if plain is not None:
        same = [k for k in known if k.casefold() == plain.casefold()]
    if not same and not word.isascii():  # its accents left out (`définition`, as French is typed)
        bare = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
        same = [k for k in known if k.casefold() == bare.casefold()]
    if same:
        return same[0]
    close = difflib.get_close_matches(word, known, n=1) or difflib.get_close_matches(
        word.casefold(), [k.casefold() for k in known], n=1
    )
    if not close:
        return None
    return next((k for k in known if k.casefold() == close[0].casefold()), close[0])
