"""Exports of one course to other delivery formats, all from the same question model.

Each exporter is a pure function from the course (and a selection) to files (name → bytes);
`coursegen export` writes them. The selection is `Selection`: the questions of the common
bank and of the chosen audience, in one or all course languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Course, Question
from ..quizzes import selected


@dataclass
class Selection:
    course: Course
    audience: str | None  # None: every audience
    languages: list[str]

    @property
    def questions(self) -> list[Question]:
        return selected(self.course, [self.audience] if self.audience else self.course.audience_ids)

    def items(self) -> list[tuple[Question, dict[str, Any]]]:
        """Every graded item with the question (scenario) it belongs to, in bank order."""
        return [(q, item) for q in self.questions for item in q.graded()]

    @property
    def audience_name(self) -> str:
        """The audience in file names: the one asked for, a one-audience course's, or "all"."""
        ids = self.course.audience_ids
        return self.audience or (ids[0] if len(ids) == 1 else "all")

    @property
    def slug(self) -> str:
        return f"{self.audience_name}-{'-'.join(self.languages)}"
