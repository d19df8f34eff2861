"""Make the icon font that the course's sites ship: Font Awesome's solid font, cut to the
glyphs the theme can show.

The theme (pydata-sphinx-theme) ships all of Font Awesome's 1,400 solid icons in a 157 KB
font, the largest file of a trainee's first visit (more than half of its bytes over a slow
connection), for the dozen icons of its header, menu and notes. Run by hand after the theme
is upgraded (tests/test_offline.py fails when the theme uses an icon the cut font lacks):

    .venv/bin/python tools/iconfont.py

It writes src/coursegen/static/vendor/fontawesome/webfonts/fa-solid-900.woff2, which the
build copies over the theme's. Needs fontTools and brotli (the test extra).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import jupyter_book
import pydata_sphinx_theme
import sphinx_book_theme

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "src" / "coursegen" / "static" / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2"
PYDATA = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
BOOK = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme"
OURS = HERE.parent / "src" / "coursegen"
JUPYTER_BOOK = Path(jupyter_book.__file__).parent
FONT = PYDATA / "static" / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2"

RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
ICON_CLASS = re.compile(r"\.(fa-[a-z0-9-]+):(?::)?before")
CLASS_TOKEN = re.compile(r"\bfa-[a-z0-9-]+")
ESCAPE = re.compile(r"\\([0-9a-fA-F]{4,6})")
PRIVATE = re.compile("[\ue000-\uf8ff]")  # Font Awesome's icons sit in Unicode's private use area


def _codepoints(text: str) -> set[int]:
    found = {int(h, 16) for h in ESCAPE.findall(text)} | {ord(c) for c in PRIVATE.findall(text)}
    return {c for c in found if 0xE000 <= c <= 0xF8FF}


def theme_icons(css_files: list[Path], texts: list[str]) -> tuple[dict[str, int], set[int]]:
    """Font Awesome's classes (name -> its icon) as the theme's styles define them, and
    the icons that the styles, templates and scripts use: those its other rules show
    (a note's icon, the contents' arrow) and those of the classes the `texts` name."""
    classes: dict[str, int] = {}
    used: set[int] = set()
    for path in css_files:
        for selector, body in RULE.findall(path.read_text("utf-8")):
            names = ICON_CLASS.findall(selector)
            shown = _codepoints(body)
            if names and len(names) == selector.count(",") + 1:  # `.fa-bars:before, .fa-navicon:before`
                if shown:
                    classes.update(dict.fromkeys(names, min(shown)))
            else:
                used |= shown
    for text in texts:
        used |= {classes[name] for name in CLASS_TOKEN.findall(text) if name in classes}
    return classes, used


def theme_sources() -> tuple[list[Path], list[str]]:
    """The theme's styles, and the text of what names the icons' classes: the themes'
    templates, scripts and Python code (the book theme makes its header's buttons in
    Python), Jupyter Book's, and coursegen's."""
    css = sorted((PYDATA / "static" / "styles").glob("*.css")) + sorted((BOOK / "static" / "styles").glob("*.css"))
    folders = (Path(pydata_sphinx_theme.__file__).parent, Path(sphinx_book_theme.__file__).parent, JUPYTER_BOOK, OURS)
    named = [p for folder in folders for p in folder.rglob("*") if p.suffix in (".html", ".js", ".py")]
    return css, [p.read_text("utf-8", errors="replace") for p in sorted(named)]


def main() -> int:
    from fontTools import subset

    css, texts = theme_sources()
    _, used = theme_icons(css, texts)
    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = ["*"]  # its copyright and licence (SIL OFL 1.1) stay in the font
    options.notdef_outline = True
    options.recalc_timestamp = False  # the same bytes from the same theme
    font = subset.load_font(str(FONT), options)
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=sorted(used))
    cutter.subset(font)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(OUT), options)
    print(f"{OUT}: {len(used)} icons, {OUT.stat().st_size} bytes (the theme's: {FONT.stat().st_size})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
