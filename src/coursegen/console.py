"""The `coursegen` command's entry point.

It imports next to nothing before it takes Ctrl-C over: a Ctrl-C while Python imports the
command's own code (its first twentieth of a second) ends the command quietly, as one
later does, instead of with Python's traceback of the import. Nothing is read or written
before that, so there is nothing to undo.
"""

from __future__ import annotations

import os
import signal
from types import FrameType


def _before_start(signum: int, frame: FrameType | None) -> None:
    os.write(2, b"coursegen: interrupted\n")
    os._exit(130)


def run() -> None:
    interruptible = signal.getsignal(signal.SIGINT) is signal.default_int_handler  # not when ignored
    if interruptible:
        signal.signal(signal.SIGINT, _before_start)
    from . import cli

    cli.run(interruptible)
