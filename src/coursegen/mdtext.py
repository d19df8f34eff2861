"""Text from the course's YAML files (sources, questions, titles) written into the
Markdown that MyST reads: shown as it was written, never read as markup."""

from __future__ import annotations

import re

# what would make a block of the text's first line: a heading, a list's item
_BLOCK_START = re.compile(r"^(?=#{1,6}(?:\s|$)|[-+*](?:\s|$))")
_NUMBERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def md_inline(text: str) -> str:
    """Text made safe for MyST, on one line: no raw HTML, math, roles, links or table
    breaks, and no heading or list made of its start ("# 1", "1. Cas").

    `*emphasis*` is kept, since definitions may use it.
    """
    for char in "\\`$[]|<>{}":
        text = text.replace(char, "\\" + char)
    text = " ".join(text.split())
    return _NUMBERED.sub(r"\1\\\2", _BLOCK_START.sub("\\\\", text))


def blockquote(lines: list[str]) -> str:
    return "\n".join(f"> {line}".rstrip() for line in lines)


def md_text(text: str) -> str:
    """Text from YAML shown exactly as the quiz shows it (a title, a scenario's case), on one
    line: `md_inline`, and no emphasis either (`**b**` stays two stars, a b, two stars)."""
    return md_inline(text).replace("*", "\\*").replace("_", "\\_")
