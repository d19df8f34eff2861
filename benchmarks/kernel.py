"""A build kernel's start, run by hand (not part of the test suite): prints one JSON object.

    .venv/bin/python benchmarks/kernel.py [--starts N]

Starts the kernel that executes the quiz notebooks (`notebooks.Kernel`) N times, one
after the other, and measures each start until `wait_ready` returns: the seconds, the
kernel's processor time, and how many kernel_info requests it took (more than one means
that the kernel's first "idle" status was lost because IOPub was not connected yet).
Then it runs one quiz notebook of the default course in the last kernel, for scale.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def start(notebooks: Any) -> tuple[Any, dict[str, float]]:
    began = time.perf_counter()
    kernel = notebooks.Kernel()
    asked = 0
    ask = kernel.kc.kernel_info

    def counted() -> str:
        nonlocal asked
        asked += 1
        return str(ask())

    kernel.kc.kernel_info = counted
    notebooks.wait_ready(kernel.km, kernel.kc)
    kernel.kc.kernel_info = ask
    kernel.ready = True
    ready = time.perf_counter() - began
    return kernel, {"ready_s": ready, "cpu_s": cpu_seconds(kernel.km.provisioner.process.pid), "requests": asked}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--starts", type=int, default=12, help="kernel starts (default 12)")
    args = parser.parse_args()
    from coursegen import notebooks, reuse
    from coursegen.pipeline import prepare

    starts = []
    kernel = None
    for _ in range(args.starts):
        if kernel is not None:
            kernel.shutdown()
        kernel, figures = start(notebooks)
        starts.append(figures)
    assert kernel is not None
    with tempfile.TemporaryDirectory() as tmp:
        with reuse.reusing(Path(tmp) / reuse.FOLDER):
            _, books = prepare(ROOT)
        notebook = next(iter(books[0].notebooks.values()))
        pid = kernel.km.provisioner.process.pid
        before, began = cpu_seconds(pid), time.perf_counter()
        kernel.write(Path(tmp) / "run.ipynb", notebook)
        run = {"seconds": time.perf_counter() - began, "kernel_cpu_s": cpu_seconds(pid) - before}
    kernel.shutdown()
    ready = [s["ready_s"] for s in starts]
    print(
        json.dumps(
            {
                "starts": len(starts),
                "ready_s_median": round(statistics.median(ready), 3),
                "ready_s_min_max": [round(min(ready), 3), round(max(ready), 3)],
                "kernel_cpu_at_ready_s_median": round(statistics.median(s["cpu_s"] for s in starts), 3),
                "starts_asked_more_than_once": sum(s["requests"] > 1 for s in starts),
                "one_quiz_notebook": {name: round(value, 3) for name, value in run.items()},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
