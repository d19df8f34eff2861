"""French typography: the spaces that keep a sign with its word, so that a narrow screen or
a printed column never begins a line with "?" or ends one with "«", nor cuts "30 %",
"1 500 €" or "art. 3" in two. The characters shown are the same; the spaces do not break.
Used by the site (sphinxext.FrenchSpaces, the quiz's HTML; the quiz's script does the
same to what it writes), the printed handout and the grade report."""

from __future__ import annotations

import re

NO_BREAK = "\u00a0"

FRENCH_SPACE = re.compile(
    r"(?<=\S) (?=[:;!?»])"  # before the high signs and the closing guillemet
    r"|(?<=«) "  # after the opening guillemet
    r"|(?<=\d) (?=[%€$£])"  # 30 %, 1 500 €
    r"|(?<=\d) (?=\d{3}(?!\d))"  # 1 500, 18 000 (groups of thousands)
    r"|(?<=\bn°) (?=\d)|(?<=\bart\.) (?=\d)"  # n° 29, art. 3
)

HTML_TEXT = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<[^>]*>)|[^<]+", re.S | re.I)
"""An HTML text's parts: a script, a style sheet or a tag (group 1), or text between them."""


def french(text: str) -> str:
    """`text` with French typography's no-break spaces."""
    return FRENCH_SPACE.sub(NO_BREAK, text)


def french_html(html: str) -> str:
    """The same in an HTML text: in its text only, not in its tags, scripts or styles."""
    return HTML_TEXT.sub(lambda m: french(m.group(0)) if m.group(1) is None else m.group(0), html)
