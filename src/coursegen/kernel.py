"""The kernel that executes the quiz notebooks during a build: IPython's own kernel, with
IPython's own cell compiler, without a debugger, without a pause after each cell, and
without waiting on flushes that have no printed text to send.

ipykernel's default compiler names each cell's code after a hash of its text, for its
debugger, computed in pure Python. On a quiz notebook's first cell (80 KB: the grader and
the questions) that hash took a quarter of the kernel's time. A build never attaches a
debugger, and IPython's compiler names cells after a hash computed by `hashlib`. The
notebooks' outputs are the same (tested: nbval checks them against a standard kernel).
"""

from __future__ import annotations

import sys
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

# No widgets: a notebook's `quiz.play()` cell, run by a build where ipywidgets is installed,
# drew its widgets, whose state the notebook then kept, and MyST-NB made its page load
# require.js and the widgets' manager from the network. The built page says how to play
# in Jupyter instead, wherever it is built; a learner's own Jupyter draws the widgets.
sys.modules["ipywidgets"] = None  # type: ignore[assignment]


class BuildKernel(IPythonKernel):
    compiler_class = Type(CachingCompiler)  # type: ignore[assignment]

    # ipykernel sleeps half a millisecond after each cell, in case the cell's printed text
    # had not reached a client that takes the reply as the end of the cell. nbclient takes
    # the "idle" status on IOPub as the end: the text, sent on IOPub before it, always
    # comes first. Without the sleep a quiz notebook ran 14 % faster here (0.24 -> 0.21 s,
    # on a busy machine): the sleep gives the processor away, and getting it back waits.
    _execute_sleep = Float(0.0)

    async def execute_request(self, *args: Any, **kwargs: Any) -> None:
        """Run a cell, then flush its printed text as ipykernel's stream does, waiting for
        the IOPub thread even with nothing buffered (see BuildOutStream): text that C code
        or a subprocess wrote to the file descriptors, read by a thread of ipykernel's own,
        gets the same chance as with ipykernel's stream to come before the cell's "idle"."""
        await super().execute_request(*args, **kwargs)  # type: ignore[no-untyped-call]
        for stream in (sys.stdout, sys.stderr):
            if isinstance(stream, BuildOutStream):
                OutStream.flush(stream)  # type: ignore[no-untyped-call]

    async def poll_stopped_queue(self) -> None:
        """ipykernel waits for the debugger's "stopped" events as it starts, even with no
        debugger (an error nobody reads): with none, there is nothing to wait for."""
        if hasattr(self, "debugger"):
            await super().poll_stopped_queue()  # type: ignore[no-untyped-call]


class BuildOutStream(OutStream):
    """The cells' printed text, flushed as ipykernel flushes it, but only when there is some.

    IPython and ipykernel flush stdout and stderr before and after each result and as each
    cell ends: five or six flushes a cell, of which one at most finds text (stderr, never in
    a quiz notebook). ipykernel's stream hands every flush, empty or not, to its IOPub
    thread and waits until that thread has run it: a round trip between threads each time.
    This stream skips the flushes with nothing to send; one with text goes ipykernel's way,
    so the order of the messages and the pace of the IOPub thread are ipykernel's, and the
    end of each cell waits as ipykernel's does (BuildKernel.execute_request). Only text
    written straight to the file descriptors (by C code or a subprocess), which ipykernel
    reads in a thread of its own, comes after a result displayed next more often than with
    ipykernel's stream (which does not keep that order either); it comes before the end of
    the cell as often. Quiz notebooks print from Python only. A quiz notebook's run, three
    experiments of eight alternated rounds of ten notebooks (medians): 0.176 -> 0.169 s,
    0.148 -> 0.139 s, 0.170 -> 0.151 s; the kernel's processor time 0.145 -> 0.139 s,
    0.121 -> 0.115 s, 0.141 -> 0.125 s.
    """

    def flush(self) -> None:
        if self.echo is not None or self._holds_text():
            super().flush()  # type: ignore[no-untyped-call]

    def _holds_text(self) -> bool:
        with self._buffer_lock:
            return any(buffer.tell() for buffer in self._buffers.values())
