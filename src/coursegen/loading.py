"""Stage 1, load: read a course folder into the model. The only stage that reads files.

Each YAML file is parsed with positions and checked against its JSON Schema here, so
that later stages work on data of the right shape. A file with problems contributes
diagnostics and no items; loading always goes on to the next file so that every problem
is reported in one run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from . import schema
from .errors import Code, Diagnostic, SourceRef
from .model import COMMON, Audience, Chapter, Course, Diagram, Page, Part, Question, Source, Text
from .yamlfile import MarkedDict, load_yaml, locate, read_text

PAGE_NAME = re.compile(r"^(?P<name>[a-z0-9][a-z0-9_-]*)\.(?P<lang>[a-z]{2})\.md$")
SOURCE_FILES = ("actions", "practices", "sdgs", "definitions")


def _load_checked(path: Path, schema_name: str, diags: list[Diagnostic]) -> Any:
    """The file's data when it parses and matches its schema, else None."""
    data = load_yaml(path, diags)
    if data is None:
        return None
    problems = schema.check(data, schema_name, path)
    diags.extend(problems)
    return None if problems else data


def load_course(root: Path) -> tuple[Course | None, list[Diagnostic]]:
    """Read everything under `root`. Returns the course (None if it cannot be built at all)
    and every problem found while reading."""
    diags: list[Diagnostic] = []
    root = root.resolve()
    config = _load_checked(root / "_config.yml", "config", diags)
    toc = _load_checked(root / "_toc.yml", "toc", diags)
    sources: dict[str, Source] = {}
    declared: list[tuple[str, str, SourceRef]] = []
    sources_complete = True
    for name in SOURCE_FILES:
        path = root / "sources" / f"{name}.yml"
        data = _load_checked(path, name, diags)
        sources_complete = sources_complete and data is not None
        if data is not None:
            for item in _SOURCE_READERS[name](data, path):
                declared.append(("source", item.id, item.ref))
                sources.setdefault(item.id, item)
    if config is None or toc is None:
        return None, diags

    course_cfg = config["course"]
    languages = list(course_cfg["languages"])
    audiences = [Audience(a["id"], dict(a["title"])) for a in course_cfg["audiences"]]
    for i, a in enumerate(course_cfg["audiences"]):
        declared.append(("audience", a["id"], locate(root / "_config.yml", config, ["course", "audiences", i, "id"])))
    jb_config = {k: v for k, v in config.items() if k != "course"}

    toc_path = root / "_toc.yml"
    parts = [
        Part(
            dict(p["caption"]),
            [
                Chapter(c["file"], locate(toc_path, toc, ["parts", i, "chapters", j, "file"]))
                for j, c in enumerate(p["chapters"])
            ],
            locate(toc_path, toc, ["parts", i]),
        )
        for i, p in enumerate(toc["parts"])
    ]
    toc_root = Chapter(toc["root"], locate(toc_path, toc, ["root"]))

    pages, diagrams = _load_modules(root / "modules", languages, diags)
    glossary_path = root / "modules" / COMMON / "glossary.yml"
    glossary: list[dict[str, Any]] = []
    if glossary_path.exists():
        data = _load_checked(glossary_path, "glossary", diags)
        if data is not None:
            glossary = list(data["terms"])
            for i, term in enumerate(glossary):
                declared.append(("glossary term", term["id"], locate(glossary_path, data, ["terms", i, "id"])))

    questions = _load_questions(root / "quizzes", diags)
    for q in questions:
        declared.append(("question", q.id, locate(q.path, q.marks, [*q.where, "id"])))
        if q.data["type"] == "scenario":
            for j, sub in enumerate(q.data["items"]):
                declared.append(("question", sub["id"], locate(q.path, q.marks, [*q.where, "items", j, "id"])))

    default_switch = {"fr": "Lire cette page en français", "en": "Read this page in English"}
    course = Course(
        root=root,
        title=dict(course_cfg["title"]),
        languages=languages,
        audiences=audiences,
        jb_config=jb_config,
        toc_root=toc_root,
        parts=parts,
        sources=sources,
        pages=pages,
        diagrams=diagrams,
        glossary=glossary,
        lang_switch=dict(course_cfg.get("lang_switch", default_switch)),
        declared=declared,
        sources_complete=sources_complete,
        questions=questions,
    )
    return course, diags


def _load_modules(
    modules: Path, languages: list[str], diags: list[Diagnostic]
) -> tuple[dict[tuple[str, str], Page], dict[tuple[str, str], Diagram]]:
    pages: dict[tuple[str, str], Page] = {}
    diagrams: dict[tuple[str, str], Diagram] = {}
    if not modules.is_dir():
        diags.append(Diagnostic(SourceRef(modules), "the course has no modules/ folder", Code.MISSING_FILE))
        return pages, diagrams
    for path in sorted(modules.rglob("*.md")):
        rel = path.relative_to(modules)
        if any(part.startswith((".", "_")) for part in rel.parts) or rel.name.lower() == "readme.md":
            continue
        match = PAGE_NAME.match(rel.name)
        if match is None or len(rel.parts) > 2:
            diags.append(
                Diagnostic(
                    SourceRef(path),
                    "a page must be modules/<area>/<name>.<lang>.md (for example modules/police/recognise.fr.md)",
                    Code.INVALID_VALUE,
                )
            )
            continue
        lang = match["lang"]
        if lang not in languages:
            continue
        area = rel.parts[0] if len(rel.parts) == 2 else COMMON
        key = "modules/" + "/".join([*rel.parts[:-1], match["name"]])
        text = read_text(path, diags)
        if text is not None:
            pages[(key, lang)] = Page(key=key, lang=lang, area=area, path=path, text=text)
    for path in sorted(modules.glob("*/diagrams/*.yml")):
        data = _load_checked(path, "diagram", diags)
        if data is not None:
            area = path.parent.parent.name
            diagrams[(area, path.stem)] = Diagram(area=area, name=path.stem, data=data, path=path)
    return pages, diagrams


def _load_questions(folder: Path, diags: list[Diagnostic]) -> list[Question]:
    questions: list[Question] = []
    if not folder.is_dir():
        return questions
    for path in sorted(folder.glob("*.yml")):
        data = _load_checked(path, "quiz", diags)
        if data is None:
            continue
        plain = json.loads(json.dumps(data))
        for i, item in enumerate(plain["items"]):
            questions.append(Question(item["id"], path.stem, item, data, path, ["items", i]))
    return questions


# --- sources/*.yml → Source items ---------------------------------------------------------


def _text(value: Any) -> Text:
    return {str(k): str(v) for k, v in value.items()}


def _join(prefix: Text, suffix: Text, sep: str = ", ") -> Text:
    return {lang: f"{prefix[lang]}{sep}{suffix[lang]}" for lang in prefix}


def _read_actions(data: MarkedDict, path: Path) -> list[Source]:
    out = []
    for i, a in enumerate(data["actions"]):
        label = _join(_text(data["source"]), {"fr": f"action {a['id']}", "en": f"action {a['id']}"})
        out.append(
            Source(
                id=f"action:{a['id']}",
                kind="action",
                title=_text(a["headline"]),
                text=_text(a["text"]),
                label=label,
                ref=locate(path, data, ["actions", i, "id"]),
            )
        )
    return out


def _read_practices(data: MarkedDict, path: Path) -> list[Source]:
    out = []
    for i, p in enumerate(data["practices"]):
        pid = f"practice:{p['id']}"
        sep = {"fr": " : ", "en": ": "}
        label = {lang: f"{data['source'][lang]}{sep.get(lang, ': ')}{p['title'][lang]}" for lang in data["source"]}
        item = Source(
            pid, "practice", _text(p["title"]), _text(p["text"]), label, locate(path, data, ["practices", i, "id"])
        )
        out.append(item)
        for j, point in enumerate(p.get("points", [])):
            child = Source(
                id=f"{pid}/{point['id']}",
                kind="practice",
                title=_text(p["title"]),
                text=_text(point["text"]),
                label=label,
                ref=locate(path, data, ["practices", i, "points", j, "id"]),
                role=point["role"],
                parent=pid,
            )
            item.points.append(child.id)
            out.append(child)
    return out


def _read_sdgs(data: MarkedDict, path: Path) -> list[Source]:
    out = []
    for i, goal in enumerate(data["goals"]):
        for j, t in enumerate(goal["targets"]):
            tid = t["id"]
            label = {
                "fr": f"Objectif de développement durable {goal['goal']} ({goal['title']['fr']}), cible {tid}",
                "en": f"Sustainable Development Goal {goal['goal']} ({goal['title']['en']}), target {tid}",
            }
            title = {"fr": f"Cible {tid} des ODD", "en": f"SDG target {tid}"}
            ref = locate(path, data, ["goals", i, "targets", j, "id"])
            out.append(Source(f"sdg:{tid}", "sdg", title, _text(t["text"]), label, ref))
    return out


def _read_definitions(data: MarkedDict, path: Path) -> list[Source]:
    out = []
    for i, d in enumerate(data["definitions"]):
        did = f"definition:{d['id']}"
        label = _text(d["citation"])
        item = Source(
            did, "definition", _text(d["title"]), _text(d["text"]), label, locate(path, data, ["definitions", i, "id"])
        )
        out.append(item)
        for j, point in enumerate(d.get("points", [])):
            child = Source(
                id=f"{did}/{point['id']}",
                kind="definition",
                title=_text(point["title"]),
                text=_text(point["text"]),
                label=label,
                ref=locate(path, data, ["definitions", i, "points", j, "id"]),
                parent=did,
            )
            item.points.append(child.id)
            out.append(child)
    return out


_SOURCE_READERS = {
    "actions": _read_actions,
    "practices": _read_practices,
    "sdgs": _read_sdgs,
    "definitions": _read_definitions,
}
