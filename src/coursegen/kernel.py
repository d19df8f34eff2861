"""The kernel that executes the quiz notebooks during a build: IPython's own kernel, with
IPython's own cell compiler.

ipykernel's default compiler names each cell's code after a hash of its text, for its
debugger, computed in pure Python. On a quiz notebook's first cell (80 KB: the grader and
the questions) that hash took a quarter of the kernel's time. A build never attaches a
debugger, and IPython's compiler names cells after a hash computed by `hashlib`. The
notebooks' outputs are the same (tested: nbval checks them against a standard kernel).
"""

from __future__ import annotations

from ipykernel.ipkernel import IPythonKernel
from IPython.core.compilerop import CachingCompiler
from traitlets import Type


class BuildKernel(IPythonKernel):
    compiler_class = Type(CachingCompiler)  # type: ignore[assignment]
