"""Docs that are tested: the README's commands exist, every command is documented."""

from __future__ import annotations

import re

from conftest import ROOT
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
