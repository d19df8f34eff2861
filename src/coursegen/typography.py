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

HTML_TEXT = re.compile(r"(<(script|style|pre|code|kbd|samp|textarea)\b.*?</\2\s*>|<[^>]*>)|[^<]+", re.S | re.I)
"""An HTML text's parts: a script, a style sheet, code (as the site's text leaves code as
written: a command or an address copied from it must work) or a tag (group 1), or text
between them."""


INLINE_END = re.compile(r"</(?:strong|em|b|i|a|code|span|kbd|samp)>$")
"""An inline element's end, right before a text."""

AFTER_INLINE = re.compile(r" (?=[:;!?»])")
"""The space that begins a text after a word in bold or in code (`**Urgence** : 112`): the
sign keeps to that word too."""


def french(text: str, after_word: bool = False) -> str:
    """`text` with French typography's no-break spaces; `after_word`: the text follows a
    word (in another element), so a sign at its start keeps to that word."""
    text = FRENCH_SPACE.sub(NO_BREAK, text)
    return AFTER_INLINE.sub(NO_BREAK, text, count=1) if after_word and AFTER_INLINE.match(text) else text


def french_html(html: str) -> str:
    """The same in an HTML text: in its text only, not in its tags, scripts, styles or code."""

    def part(found: re.Match[str]) -> str:
        if found.group(1) is not None:
            return found.group(0)
        after_word = INLINE_END.search(html, max(0, found.start() - 12), found.start()) is not None
        return french(found.group(0), after_word=after_word)

    return HTML_TEXT.sub(part, html)
