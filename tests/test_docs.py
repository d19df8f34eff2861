"""Docs that are tested: the README's commands exist, every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, coursegen
from coursegen.cli import _parser


def test_readme_gives_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "make course" in readme and "make test" in readme
    assert re.search(r"^course: \$\(STAMP\)\n\t\$\(VENV\)/bin/coursegen build$", makefile, re.M)
    assert re.search(r"^test: \$\(STAMP\)\n\t\$\(VENV\)/bin/python -m pytest$", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    parser = _parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, command in sub.choices.items():  # type: ignore[union-attr]
        assert command.description or sub._choices_actions, name
        assert f"coursegen {name}" in readme, f"`coursegen {name}` is not in the README"
        for action in command._actions:
            if action.dest != "help":
                assert action.help, f"coursegen {name} {action.dest} has no help"


def _yaml_block(doc: str, first_line: str) -> str:
    """The ```yaml block of `doc` (under the root) whose first line is `first_line`."""
    blocks = re.findall(r"^```yaml\n(.*?)^```$", (ROOT / doc).read_text("utf-8"), re.M | re.S)
    found = [b for b in blocks if b.split("\n", 1)[0] == first_line]
    assert len(found) == 1, (doc, first_line)
    return found[0]


def test_the_docs_examples_are_accepted_by_check(tmp_path: Path) -> None:
    """A trainer copies the docs' example question bank and diagram into a course folder:
    `check` takes them (the bank had one option, the diagram an edge to no node)."""
    course = tmp_path / "course"
    made = coursegen("new", str(course), "--audience", "police", "--lang", "fr", "en")
    assert made.returncode == 0, made.stderr
    (course / "quizzes" / "police.yml").write_text(_yaml_block("docs/quizzes.md", "items:"), "utf-8")
    diagram = _yaml_block("docs/authoring.md", "# modules/police/diagrams/referral.yml")
    (course / "modules" / "police" / "diagrams").mkdir(parents=True)
    (course / "modules" / "police" / "diagrams" / "referral.yml").write_text(diagram, "utf-8")
    checked = coursegen("check", str(course))
    assert checked.returncode == 0, checked.stderr
    explained = coursegen("explain", str(course), "pol-indicators-farm")
    assert "quizzes/police.yml:2" in explained.stdout, explained.stdout  # the course's own question
    # and it can fail: an edge to a node the example does not have
    (course / "modules" / "police" / "diagrams" / "referral.yml").write_text(
        diagram.replace("to: emergency", "to: nowhere"), "utf-8"
    )
    refused = coursegen("check", str(course))
    assert refused.returncode == 1 and "edge to 'nowhere': no node has this id" in refused.stderr
