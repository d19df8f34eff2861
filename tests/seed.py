"""Read the source document itself (sources/seed/), independently of sources/*.yml, so that
tests can compare what the course quotes with what the seed says."""

from __future__ import annotations

import re
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "sources" / "seed" / "000_9845a6216d823cb1.txt"


def norm(text: str) -> str:
    """Whitespace collapsed."""
    return " ".join(text.split())


def _clean(text: str) -> str:
    return norm(text.replace("**", "").replace("²", ""))


def seed_text() -> str:
    return SEED.read_text("utf-8")


def actions() -> dict[str, str]:
    """{letter: full text of the action}, with the split line of action c joined."""
    text = seed_text()
    body = text.split("Actions connexes", 1)[1].split("Exemples de pratiques", 1)[0]
    parts = re.split(r"^- ([a-j])\. ", body, flags=re.M)
    return {parts[i]: _clean(parts[i + 1]) for i in range(1, len(parts), 2)}


def sdg_targets() -> dict[str, str]:
    return {m[1]: _clean(m[2]) for m in re.finditer(r"■\*\*(\d+\.\d+):\*\* (.+)", seed_text())}


def brazil_paragraph() -> str:
    """The Brazil paragraph, joined around the side note that splits it."""
    text = seed_text().split("Inspection du travail du Brésil", 1)[1].split("Objectifs de développement", 1)[0]
    paragraphs = [p for p in (norm(p) for p in text.split("\n\n")) if p]
    note = next(p for p in paragraphs if p.startswith("À noter"))
    rest = [p for p in paragraphs if p is not note]
    return _clean(" ".join(rest))


def brazil_note() -> str:
    text = seed_text().split("Inspection du travail du Brésil", 1)[1]
    return norm(next(p for p in text.split("\n\n") if p.strip().startswith("À noter")))


def ab629() -> str:
    text = seed_text().split("(AB-629)", 1)[1].split("Projet PROTECT", 1)[0]
    return _clean(text)


def protect() -> list[str]:
    """The PROTECT intro and its three aims."""
    text = seed_text().split("Projet PROTECT", 1)[1].split("Inspection du travail du Brésil", 1)[0]
    items = [_clean(p) for p in re.split(r"^- ", text, flags=re.M) if p.strip()]
    return [f"{items[0]}", *items[1:]]
