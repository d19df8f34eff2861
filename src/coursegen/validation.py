"""Stage 2, validate: cross-file rules that no single schema can express.

Pure functions from the model to a list of diagnostics; nothing here reads files.
"""

from __future__ import annotations

from .errors import Code, Diagnostic, SourceRef, display_path
from .model import COMMON, GENERATED_PAGES, Course
from .schema import LANG_NAMES


def validate(course: Course) -> list[Diagnostic]:
    return [
        *_duplicates(course),
        *_page_areas(course),
        *_page_translations(course),
        *_toc_entries(course),
        *_source_translations(course),
        *_excerpts(course),
        *_diagrams(course),
    ]


def _duplicates(course: Course) -> list[Diagnostic]:
    seen: dict[tuple[str, str], SourceRef] = {}
    out = []
    for kind, ident, ref in course.declared:
        first = seen.setdefault((kind, ident), ref)
        if first is not ref:
            where = f"{display_path(first.path)}:{first.line}"
            out.append(Diagnostic(ref, f"duplicate {kind} id '{ident}' (first defined at {where})", Code.DUPLICATE_ID))
    return out


def _page_areas(course: Course) -> list[Diagnostic]:
    known = {COMMON, *course.audience_ids}
    out = []
    for page in course.pages.values():
        if page.area not in known:
            message = (
                f"folder '{page.area}' is not an audience of this course "
                f"(course.audiences in _config.yml: {', '.join(course.audience_ids)})"
            )
            out.append(Diagnostic(SourceRef(page.path), message, Code.UNKNOWN_AUDIENCE))
    return out


def _page_translations(course: Course) -> list[Diagnostic]:
    out = []
    keys = sorted({key for key, _ in course.pages})
    for key in keys:
        present = [lang for lang in course.languages if (key, lang) in course.pages]
        for lang in course.languages:
            if lang not in present:
                page = course.pages[(key, present[0])]
                expected = page.path.with_name(page.path.name.replace(f".{page.lang}.md", f".{lang}.md"))
                message = f"this page has no {LANG_NAMES.get(lang, lang)} version ({display_path(expected)} is missing)"
                out.append(Diagnostic(SourceRef(page.path), message, Code.MISSING_TRANSLATION))
    return out


def _toc_entries(course: Course) -> list[Diagnostic]:
    out = []
    keys = {key for key, _ in course.pages}
    for chapter in [course.toc_root, *(c for p in course.parts for c in p.chapters)]:
        if chapter.file in GENERATED_PAGES or chapter.file in keys:
            continue
        hint = f"{chapter.file}.{course.languages[0]}.md"
        message = f"_toc.yml names '{chapter.file}', but there is no page {hint}"
        out.append(Diagnostic(chapter.ref, message, Code.TOC_MISSING))
    return out


def _source_translations(course: Course) -> list[Diagnostic]:
    out = []
    for item in course.sources.values():
        for field in ("title", "text"):
            text = getattr(item, field)
            filled = [lang for lang in course.languages if text.get(lang, "").strip()]
            if filled and len(filled) != len(course.languages):
                for lang in course.languages:
                    if lang not in filled:
                        message = f"'{item.id}' has a {field} in {LANG_NAMES[filled[0]]} but not in {LANG_NAMES[lang]}"
                        out.append(Diagnostic(item.ref, message, Code.MISSING_TRANSLATION))
    return out


def _excerpts(course: Course) -> list[Diagnostic]:
    out = []
    for item in course.sources.values():
        if item.role != "excerpt":
            continue
        parent = course.sources[item.parent]
        for lang in course.languages:
            if " ".join(item.text[lang].split()) not in " ".join(parent.text[lang].split()):
                message = (
                    f"excerpt '{item.id}' is not found word for word in the {LANG_NAMES[lang]} text of '{parent.id}'"
                )
                out.append(Diagnostic(item.ref, message, Code.EXCERPT_MISMATCH))
    return out


def _diagrams(course: Course) -> list[Diagnostic]:
    out = []
    for diagram in course.diagrams.values():
        nodes = diagram.data["nodes"]
        ids: set[str] = set()
        for node, mark in zip(nodes, nodes.item_marks, strict=True):
            ref = SourceRef(diagram.path, *mark)
            if node["id"] in ids:
                out.append(Diagnostic(ref, f"duplicate node id '{node['id']}'", Code.DUPLICATE_ID))
            ids.add(node["id"])
        edges = diagram.data.get("edges", [])
        for edge in edges:
            for end in ("from", "to"):
                if edge[end] not in ids:
                    ref = SourceRef(diagram.path, *edge.value_marks[end])
                    message = f"edge {end} '{edge[end]}': no node has this id"
                    out.append(Diagnostic(ref, message, Code.INVALID_VALUE))
    return out
