"""`coursegen`, with the generator's own work (`pipeline.prepare`: load, validate, render)
done twice, for bench.py: what this adds to a full build is what a run of the generator
costs it, beside all that runs at the same time (Jupyter Book's imports, a kernel's start).

    .venv/bin/python benchmarks/twice.py build COURSE --out OUT

The extra run fills a cache of its own, which the build's run does not read, and comes
first: it pays for the generator's imports and first calls, so the difference measures a
warm run (what the first costs more, a few hundredths of a second, is left out). Everything
else, the order of the imports included, is the command's.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import tempfile
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType
from typing import Any


class _Twice(importlib.abc.MetaPathFinder):
    """Wraps `coursegen.pipeline.prepare` as the module is imported, when the command
    first needs it (cli.py imports it then)."""

    def find_spec(self, name: str, path: Sequence[str] | None, target: ModuleType | None = None) -> ModuleSpec | None:
        if name != "coursegen.pipeline":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        assert spec is not None and spec.loader is not None
        execute = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            execute(module)
            prepare = module.prepare

            def twice(*args: Any, **kwargs: Any) -> Any:
                from coursegen import reuse

                with tempfile.TemporaryDirectory() as tmp, reuse.reusing(Path(tmp)):
                    prepare(*args, **kwargs)
                return prepare(*args, **kwargs)

            module.prepare = twice

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


if __name__ == "__main__":  # not when a process that the command starts imports this file
    sys.meta_path.insert(0, _Twice())
    from coursegen import console

    console.run()
