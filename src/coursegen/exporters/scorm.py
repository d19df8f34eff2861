"""SCORM 1.2 package: the built site of one audience and language, one SCO per page.

Every page is a SCO (`adlcp:scormtype="sco"`): the page's script (`coursegen-scorm.js`)
initialises a session, marks a page without a quiz as completed, and the quiz reports its
score (0–100), passed/failed against the pass mark (`adlcp:masteryscore`), and progress in
`cmi.suspend_data` (which SCORM 1.2 caps at 4096 characters: `overfull_quizzes` names a
quiz whose answers could take more). Every other file of the site is listed in one shared asset resource
that each SCO depends on, so that every file of the zip is in the manifest.
"""

from __future__ import annotations

import html.parser
import json
import re
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from ..quizhtml import ANSWER_MAX

NS = {
    "": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
SCHEMA_LOCATION = (
    "http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd "
    "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd "
    "http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd"
)
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)


def _q(prefix: str, tag: str) -> str:
    return f"{{{NS[prefix]}}}{tag}"


class _Title(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inside, self.title = False, ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.title += data


def page_title(path: Path) -> str:
    parser = _Title()
    parser.feed(path.read_text("utf-8", errors="replace"))
    return " ".join(parser.title.split()).split(" — ")[0] or path.stem


Outline = list[tuple[str | None, list[str]]]
"""The SCOs' paths in order, by part: (the part's caption, its pages); None for pages that
belong to no part (the home page)."""


def manifest(site: Path, outline: Outline, title: str, identifier: str, mastery: float) -> str:
    """imsmanifest.xml for `site` (a built HTML folder): one SCO per page of `outline`, each
    part an item of its own that holds its pages' items, so that an LMS shows the parts."""
    files = site_files(site)
    pages = [page for _, part in outline for page in part]
    root = ET.Element(_q("", "manifest"), {"identifier": identifier, "version": "1"})
    root.set(_q("xsi", "schemaLocation"), SCHEMA_LOCATION)
    metadata = ET.SubElement(root, _q("", "metadata"))
    ET.SubElement(metadata, _q("", "schema")).text = "ADL SCORM"
    ET.SubElement(metadata, _q("", "schemaversion")).text = "1.2"
    organizations = ET.SubElement(root, _q("", "organizations"), {"default": "ORG-1"})
    organization = ET.SubElement(organizations, _q("", "organization"), {"identifier": "ORG-1"})
    ET.SubElement(organization, _q("", "title")).text = title
    resources = ET.SubElement(root, _q("", "resources"))
    parents = {}  # each page's parent item, made in the outline's order (the home page first)
    for k, (caption, part) in enumerate(outline, 1):
        parent = organization
        if caption is not None:
            parent = ET.SubElement(organization, _q("", "item"), {"identifier": f"PART-{k}", "isvisible": "true"})
            ET.SubElement(parent, _q("", "title")).text = caption
        for page in part:
            parents[page] = ET.SubElement(parent, _q("", "item"))
    for n, page in enumerate(pages, 1):
        item = parents[page]
        item.attrib.update({"identifier": f"ITEM-{n}", "identifierref": f"RES-{n}", "isvisible": "true"})
        ET.SubElement(item, _q("", "title")).text = page_title(site / page)
        if "cg-quiz-data" in (site / page).read_text("utf-8", errors="replace"):
            ET.SubElement(item, _q("adlcp", "masteryscore")).text = f"{mastery:g}"
        resource = ET.SubElement(
            resources, _q("", "resource"), {"identifier": f"RES-{n}", "type": "webcontent", "href": page}
        )
        resource.set(_q("adlcp", "scormtype"), "sco")
        ET.SubElement(resource, _q("", "file"), {"href": page})
        ET.SubElement(resource, _q("", "dependency"), {"identifierref": "RES-SHARED"})
    shared = ET.SubElement(resources, _q("", "resource"), {"identifier": "RES-SHARED", "type": "webcontent"})
    shared.set(_q("adlcp", "scormtype"), "asset")
    for rel in files:
        if rel not in pages:
            ET.SubElement(shared, _q("", "file"), {"href": rel})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


SUSPEND_DATA_MAX = 4096  # characters of cmi.suspend_data an LMS must keep (SCORM 1.2)
_QUIZ_DATA = re.compile(r'<script type="application/json" class="cg-quiz-data">(.*?)</script>', re.S)


def suspend_data_bound(items: list[dict[str, Any]]) -> int:
    """The most characters the page's script can put in cmi.suspend_data for a quiz of these
    items (their public form): every question answered with its longest response, as the
    script writes it, `{"id":["salt",response],...}`: each written answer `ANSWER_MAX`
    characters, which JSON doubles in a short answer (quotes), not in a number. (The script
    saves a pasted tab or other control character as a space: JSON writes one in 2 to 6.)"""
    state: dict[str, list[Any]] = {}
    for item in items:
        kind = item["type"]
        response: Any
        if kind == "single":
            response = max((o["id"] for o in item["options"]), key=len)
        elif kind == "multiple":
            response = [o["id"] for o in item["options"]]
        elif kind == "match":
            longest = max((c["id"] for c in item["choices"]), key=len)
            response = {p["id"]: longest for p in item["pairs"]}
        elif kind == "order":
            response = [s["id"] for s in item["steps"]]
        elif kind == "numeric":  # digits: graded only once it reads as a number
            response = "1" * ANSWER_MAX
        else:  # short: what the answer box takes
            response = '"' * ANSWER_MAX
        state[item["id"]] = [item["salt"], response]
    return len(json.dumps(state, ensure_ascii=False, separators=(",", ":")))


def overfull_quizzes(site: Path, pages: list[str]) -> list[str]:
    """What to tell of each quiz of `pages` whose answers could outgrow cmi.suspend_data: the
    LMS would keep the answers up to then, and the trainee back finds the later ones gone."""
    told = []
    for page in pages:
        for found in _QUIZ_DATA.finditer((site / page).read_text("utf-8", errors="replace")):
            items = json.loads(found.group(1))["items"]
            most = suspend_data_bound(items)
            if most > SUSPEND_DATA_MAX:
                banks = " and ".join(sorted({item["bank"] for item in items if "bank" in item}))
                told.append(
                    f"the quiz of page {page} ({len(items)} questions{f', of bank {banks}' if banks else ''}): "
                    f"a trainee's answers can take {most} characters, and SCORM 1.2 keeps {SUSPEND_DATA_MAX} between "
                    "sessions (cmi.suspend_data); past that, the LMS keeps the score but not the answers given "
                    "since, which a trainee who comes back finds gone. Fewer questions make it fit, written "
                    f"answers above all (each takes up to {ANSWER_MAX} characters, and up to {2 * ANSWER_MAX} once saved: "
                    "quotes are saved in two)"
                )
    return told


def site_files(site: Path) -> list[str]:
    """The site's files that the package holds, by their paths in it: not Sphinx's hidden
    `.buildinfo` (what it built with), which no page loads."""
    found = (p.relative_to(site) for p in site.rglob("*") if p.is_file())
    return sorted(rel.as_posix() for rel in found if not any(part.startswith(".") for part in rel.parts))


def package(site: Path, outline: Outline, title: str, identifier: str, mastery: float) -> bytes:
    """The zip: imsmanifest.xml at the root, then every file of the built site."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_info("imsmanifest.xml"), manifest(site, outline, title, identifier, mastery))
        for rel in site_files(site):
            archive.writestr(_info(rel), (site / rel).read_bytes())
    return buffer.getvalue()


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # fixed: same input, same zip
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
