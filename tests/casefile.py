"""Bad-input cases kept as data: one file per case (a txtar-like format).

First lines: what the case is about.
-- file: PATH --        the following lines replace (or create) PATH in the course
-- delete: PATH --      PATH is removed from the course
-- expected --          the exact lines `coursegen check` must print, then the exit code line
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

HEADER = re.compile(r"^-- (file|bytes|delete|expected)(?:: (.*?))? --$")


@dataclass
class Case:
    name: str
    description: str
    files: dict[str, str] = field(default_factory=dict)
    binaries: dict[str, bytes] = field(default_factory=dict)
    deletes: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)

    def apply(self, course: Path) -> None:
        for rel in self.deletes:
            (course / rel).unlink()
        for rel, text in self.files.items():
            target = course / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        for rel, data in self.binaries.items():
            (course / rel).parent.mkdir(parents=True, exist_ok=True)
            (course / rel).write_bytes(data)


def parse(path: Path) -> Case:
    case = Case(path.stem, "")
    section: tuple[str, str] | None = None
    buffer: list[str] = []

    def flush() -> None:
        if section is None:
            case.description = "\n".join(buffer).strip()
        elif section[0] == "file":
            case.files[section[1]] = "\n".join(buffer) + "\n"
        elif section[0] == "bytes":
            case.binaries[section[1]] = bytes.fromhex("".join(buffer))
        elif section[0] == "expected":
            case.expected = [line for line in buffer if line.strip()]

    for line in path.read_text("utf-8").splitlines():
        match = HEADER.match(line)
        if match:
            flush()
            kind, arg = match.group(1), match.group(2) or ""
            if kind == "delete":
                case.deletes.append(arg)
                section, buffer = ("delete", arg), []
            else:
                section, buffer = (kind, arg), []
        else:
            buffer.append(line)
    flush()
    return case
