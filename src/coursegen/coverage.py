"""The coverage matrix: which audience quotes or cites which action, practice and target.

Built from the citations recorded while rendering, so it cannot drift from the pages.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .mdtext import md_inline, md_text
from .model import COMMON, Course, RenderedPage

TEXT: dict[str, dict[str, Any]] = {
    "fr": {
        "title": "Matrice de couverture",
        "intro": (
            "Ce tableau est produit automatiquement à partir des citations des pages : pour chaque "
            "action de l'objectif 10, chaque exemple de pratique et chaque cible des ODD, il indique "
            "combien de pages de chaque partie la citent ou la reproduisent. Un tiret signifie qu'aucune "
            "page de la partie ne la cite."
        ),
        "groups": {"action": "Actions de l'objectif 10", "practice": "Exemples de pratiques", "sdg": "Cibles des ODD"},
        "item": "Source",
        "common": "Fondements communs",
        "summary": "Résumé par public",
        "line": "{aud} : {a} actions sur {na}, {p} pratiques sur {np}, {s} cibles sur {ns}.",
        "uncovered": "Actions citées par aucune partie consacrée à un public : {items}.",
        "all_covered": "Chaque action est citée par au moins une partie consacrée à un public.",
        "pages": "{n} p.",
    },
    "en": {
        "title": "Coverage matrix",
        "intro": (
            "This table is generated from the pages' citations: for each action of Objective 10, each "
            "example of practice and each SDG target, it shows how many pages of each part quote or cite "
            "it. A dash means that no page of that part cites it."
        ),
        "groups": {"action": "Objective 10 actions", "practice": "Examples of practice", "sdg": "SDG targets"},
        "item": "Source",
        "common": "Common foundations",
        "summary": "Summary by audience",
        "line": "{aud}: {a} of {na} actions, {p} of {np} practices, {s} of {ns} targets.",
        "uncovered": "Actions cited by no audience part: {items}.",
        "all_covered": "Every action is cited by at least one audience part.",
        "pages": "{n} p.",
    },
}
KINDS = ("action", "practice", "sdg")


def matrix(course: Course, rendered: list[RenderedPage], areas: list[str]) -> dict[str, dict[str, int]]:
    """{source id: {area: number of pages of that area citing it}} for actions, practices
    and targets (a practice's points count for the practice)."""
    counts: dict[str, Counter[str]] = {
        s.id: Counter() for s in course.sources.values() if s.kind in KINDS and not s.parent
    }
    for rp in rendered:
        # a page counts once for a practice, however many of its points it quotes
        for top in {course.sources[ident].top for ident in rp.citations}:
            if top in counts:
                counts[top][rp.page.area] += 1
    return {ident: {area: c[area] for area in areas} for ident, c in counts.items()}


def coverage_page(course: Course, lang: str, rendered: list[RenderedPage], audiences: list[str]) -> str:
    t = TEXT[lang]
    areas = [COMMON, *audiences]
    data = matrix(course, rendered, areas)
    names = {a.id: md_text(a.title[lang]) for a in course.audiences} | {COMMON: t["common"]}
    out = [f"# {t['title']}", "", t["intro"], ""]
    for kind in KINDS:
        out += [f"## {t['groups'][kind]}", ""]
        out.append("| " + " | ".join([t["item"], *(names[a] for a in areas)]) + " |")
        out.append("|" + "---|" * (len(areas) + 1))
        for ident, row in data.items():
            item = course.sources[ident]
            if item.kind != kind:
                continue
            name = _short(item.title[lang] if kind != "sdg" else item.text[lang], kind, ident)
            cells = [t["pages"].format(n=row[a]) if row[a] else "—" for a in areas]
            out.append("| " + " | ".join([name, *cells]) + " |")
        out.append("")
    out += [f"## {t['summary']}", ""]
    totals = {k: [i for i in data if course.sources[i].kind == k] for k in KINDS}
    for aud in audiences:
        covered = {k: sum(1 for i in totals[k] if data[i][aud]) for k in KINDS}
        out.append(
            "- "
            + t["line"].format(
                aud=names[aud],
                a=covered["action"],
                na=len(totals["action"]),
                p=covered["practice"],
                np=len(totals["practice"]),
                s=covered["sdg"],
                ns=len(totals["sdg"]),
            )
        )
    uncovered = [i.split(":")[1] for i in totals["action"] if not any(data[i][a] for a in audiences)]
    out += ["", t["uncovered"].format(items=", ".join(uncovered)) if uncovered else t["all_covered"], ""]
    return "\n".join(out)


def _short(text: str, kind: str, ident: str) -> str:
    text = " ".join(text.split())
    if len(text) > 48:  # a short label keeps the five columns of counts on screen
        text = text[:46].rsplit(" ", 1)[0] + " …"
    prefix = f"**{ident.split(':')[1]}** " if kind != "practice" else ""
    return prefix + md_inline(text)
