"""The kernel that executes the quiz notebooks during a build: IPython's own kernel, with
IPython's own cell compiler, without a debugger, without a pause after each cell, and
with printed text sent without waiting for the thread that sends it.

ipykernel's default compiler names each cell's code after a hash of its text, for its
debugger, computed in pure Python. On a quiz notebook's first cell (80 KB: the grader and
the questions) that hash took a quarter of the kernel's time. A build never attaches a
debugger, and IPython's compiler names cells after a hash computed by `hashlib`. The
notebooks' outputs are the same (tested: nbval checks them against a standard kernel).
"""

from __future__ import annotations

import sys
import threading
from typing import Any

from ipykernel.iostream import OutStream
from ipykernel.ipkernel import IPythonKernel
from IPython.core.compilerop import CachingCompiler
from traitlets import Float, Type

# No debugger either: ipykernel imports debugpy (and with it pydevd) as a kernel starts,
# for a debugger no build attaches: a fifth to a third of the processor time until the
# kernel is ready (0.29 -> 0.20 s and 0.37 -> 0.29 s, measured). A missing debugpy is a
# case ipykernel provides for: its debugger is then off. ipykernel 7 imports it when it
# makes the kernel, after this module (the kernel's class); ipykernel 6 before, and then
# this changes nothing.
sys.modules.setdefault("debugpy.server", None)  # type: ignore[arg-type]


class BuildKernel(IPythonKernel):
    compiler_class = Type(CachingCompiler)  # type: ignore[assignment]

    # ipykernel sleeps half a millisecond after each cell, in case the cell's printed text
    # had not reached a client that takes the reply as the end of the cell. nbclient takes
    # the "idle" status on IOPub as the end: the text, sent on IOPub before it, always
    # comes first. Without the sleep a quiz notebook ran 14 % faster here (0.24 -> 0.21 s,
    # on a busy machine): the sleep gives the processor away, and getting it back waits.
    _execute_sleep = Float(0.0)

    async def poll_stopped_queue(self) -> None:
        """ipykernel waits for the debugger's "stopped" events as it starts, even with no
        debugger (an error nobody reads): with none, there is nothing to wait for."""
        if hasattr(self, "debugger"):
            await super().poll_stopped_queue()  # type: ignore[no-untyped-call]


class BuildOutStream(OutStream):
    """The cells' printed text, sent as soon as it is flushed, without waiting.

    ipykernel's stream hands each flush to its IOPub thread and waits until that thread
    has sent the text: a round trip between threads, five or six times per cell (IPython
    and ipykernel flush stdout and stderr before and after each result). Here the thread
    that flushes takes the text and queues its message itself, on the IOPub thread's queue,
    where every other message of the cell (its result, the "idle" that ends it) is queued
    too: the messages keep their order without the wait. A flush is one step (take the
    text, queue it) under a lock of its own, so that the IOPub thread's timed flush and the
    cell's cannot queue two pieces of text in the wrong order. A quiz notebook's run, four
    alternated rounds of ten: 0.159 -> 0.130 s, and the kernel's processor time 0.130 ->
    0.099 s (medians).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._in_order = threading.RLock()  # first: the stream may be flushed as it is made
        super().__init__(*args, **kwargs)  # type: ignore[no-untyped-call]

    def flush(self) -> None:
        self._flush()

    def _flush(self) -> None:
        with self._in_order:
            super()._flush()  # type: ignore[no-untyped-call]
