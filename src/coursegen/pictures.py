"""Whether a file named as a picture (or a PDF) holds one that browsers show.

A page shows a picture by its name, and the build copies it without looking inside: a
photo from a phone saved as HEIF and renamed `.jpg`, a web page saved under a picture's
name by a download that failed, or an SVG without its namespace all build without a word,
and trainees see a broken picture. What a file holds is read from its first bytes by
puremagic; an SVG, which is XML text, by Python's XML parser.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SHOWN = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/x-ms-bmp", "image/x-icon",
         "image/vnd.microsoft.icon"}  # fmt: skip
"""What every browser shows, whatever the file's name says (they read the kind of a
picture from its first bytes, not from its name); SVG apart (see `_svg_problem`)."""

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
KINDS = "PNG, JPEG, GIF, WebP or SVG"


def problem(data: bytes, suffix: str) -> tuple[str, int, int] | None:
    """What is wrong with `data`, a file whose name ends with `suffix` (`.png`, `.pdf`…),
    as a message and its 1-based line and column in the file; None when nothing is."""
    suffix = suffix.lower()
    if suffix == ".svg":
        return _svg_problem(data)
    found = _kinds(data)
    mimes = {mime for mime, _ in found}
    if suffix == ".pdf":
        if "application/pdf" in mimes or b"%PDF-" in data[:1024]:  # PDF readers look that far
            return None
        return f"the file is named .pdf but holds {_held(data, found)}, not a PDF document", 1, 1
    if SHOWN & mimes:
        return None
    if "image/svg+xml" in mimes or (re.match(rb"\s*<(?:\?xml|svg|!--)", data[:256]) and b"<svg" in data[:4096]):
        wrong = _svg_problem(data)
        told = f" (and {wrong[0].removeprefix('the ')})" if wrong and wrong[0].startswith("the ") else ""
        return (
            f"the file holds an SVG picture, which browsers show only under a name ending in .svg: rename it{told}",
            1,
            1,
        )
    pictures = [(mime, ext) for mime, ext in found if mime.startswith("image/")]
    if pictures:
        mime, ext = pictures[0]
        kind = ext.lstrip(".").upper()
        article = "an" if kind[:1] in "AEFILMNORSX" else "a"  # as said: an AVIF, an ICO, a HEIF
        which = "older browsers and phones do not show" if mime == "image/avif" else "most browsers do not show"
        held = f"{article} {kind} picture ({mime}), which {which}: save it as {KINDS}"
    else:
        held = f"{_held(data, found)}, not a picture: browsers show {KINDS}"
    return f"the file is named {suffix} but holds {held}", 1, 1


def _kinds(data: bytes) -> list[tuple[str, str]]:
    """The media types and file name endings that the first bytes of `data` match, best
    first."""
    import puremagic  # only for a course with pictures

    if not data:
        return []  # puremagic refuses to look at nothing
    try:
        matches = puremagic.magic_string(data[:8192])
    except puremagic.PureError:  # no kind it knows
        return []
    return [(m.mime_type, m.extension) for m in matches if m.mime_type]


def _held(data: bytes, found: list[tuple[str, str]]) -> str:
    """What the file holds, in words."""
    if any(mime == "text/html" for mime, _ in found) or re.match(rb"\s*<(!doctype html|html)", data[:1024], re.I):
        return "a web page (a download that saved a page instead of the file?)"
    if found:
        mime, ext = found[0]
        if mime == "application/pdf":
            return "a PDF document"
        if "zip" in mime or "officedocument" in mime or "opendocument" in mime:
            return "a ZIP archive (an office document?)"  # which one, its first bytes do not tell
        return f"a file of type {mime}"
    if not data:
        return "nothing"
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return "data of an unknown kind"
    return "text"


def _svg_problem(data: bytes) -> tuple[str, int, int] | None:
    """An SVG file that browsers would show as nothing: not XML, or whose first element
    is not SVG's `<svg>` in SVG's namespace (without `xmlns="http://www.w3.org/2000/svg"`,
    a browser shows an SVG file as nothing: it reads the file as XML of no known kind)."""
    if data[:2] == b"\x1f\x8b":
        return "the file is compressed (an .svgz): save it uncompressed, as .svg", 1, 1
    try:
        root = ET.fromstring(data)
    except (LookupError, ValueError):
        return None  # an encoding that Python does not know (x-mac-roman), and browsers do: not looked into
    except ET.ParseError as exc:
        line, column = exc.position
        reason = re.sub(r": line \d+, column \d+$", "", str(exc))
        if data.lstrip()[:1] != b"<":
            return f"the file is named .svg but is not an SVG picture (not XML: {reason})", 1, 1
        return f"the SVG picture is not well-formed XML ({reason}): browsers show it as nothing", line, column + 1
    if root.tag == f"{{{SVG_NAMESPACE}}}svg":
        return None
    at = data.find(b"<" + root.tag.rsplit("}", 1)[-1].encode("utf-8", "replace"))
    line = data.count(b"\n", 0, at) + 1 if at >= 0 else 1
    column = at - data.rfind(b"\n", 0, at) if at >= 0 else 1
    if root.tag == "svg":
        return (
            (
                f'the <svg> element has no xmlns="{SVG_NAMESPACE}": browsers show such a picture as nothing; add it '
                f'(<svg xmlns="{SVG_NAMESPACE}" …>)'
            ),
            line,
            column,
        )
    return f"the file is named .svg but its first element is <{root.tag}>, not <svg>", line, column
