"""Build benchmarks, run by hand (not part of the test suite): prints one JSON object.

    .venv/bin/python benchmarks/bench.py [--quick]

Every figure comes from one run on this machine, in rounds: each round builds everything
once, and each ratio is taken within its round (the figures are medians of the rounds).
Compare the ratios, which are far less noisy than the seconds. Targets (issue "build quality"):

    no_change_ratio      no-change rebuild / full build          <= 0.20
    one_item_ratio       rebuild after editing one quiz item     <= 0.35
                         (its French and English; one_item_one_language_ratio: its French only;
                         one_item_watch_ratio: the same edit under `coursegen build --watch`,
                         from the file's save to the site's publication)
    generator_share      load+validate+render+assemble / full    <= 0.05
                         (timed alone, in this process; generator_cost_share: what doing
                         its load, validate and render twice adds to a full build, which
                         runs them beside Jupyter Book's imports and a kernel's start;
                         generator_warm_share: the same stages with the rebuild cache of
                         the output folder filled, as in any rebuild: parsed course files
                         and compiled page templates reused)
    parallel_ratio       fr and en in parallel / one after other <= 0.60
    scale_ratio          10x larger course / default course      <= 10
    quiz_assets_gzip     the quiz's own JS + CSS, gzipped        <= 10 KB, only on quiz pages
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).with_name("coursegen"))
TWICE = [sys.executable, str(Path(__file__).with_name("twice.py"))]  # coursegen, its generator run twice
COURSE_PARTS = ("_config.yml", "_toc.yml", "favicon.svg", "sources", "modules", "quizzes")


def copy_course(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in COURSE_PARTS:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, target / name)
    return target


def timed(*args: str, command: list[str] | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run([*(command or [EXE]), *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"coursegen {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def edit_item(bank: Path, langs: tuple[str, ...], n: int) -> None:
    """Give the same item's prompt in `langs` a new text (numbered `n`)."""
    text = bank.read_text("utf-8")
    edited = text
    for lang, prefix in (("fr", "Vrai ou faux"), ("en", "True or false")):
        if lang in langs:
            edited = re.sub(rf"{prefix}( \(v\d+\))? ?([?])", rf"{prefix} (v{n}) \2", edited, count=1)
    assert edited.count(f"(v{n})") == len(langs)  # a mark no text holds ("art. 6(3)(b)" holds "(3)")
    saving = bank.with_name(f".{bank.name}.saving")  # saved as editors do: never half a file
    saving.write_text(edited, "utf-8")
    saving.replace(bank)


class Watching:
    """`coursegen build --watch` on a course of its own, running while the other figures
    are measured (idle: it waits for changes)."""

    def __init__(self, course: Path, out: Path) -> None:
        self.process = subprocess.Popen(
            [EXE, "build", str(course), "--out", str(out), "--watch"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.until_watching()

    def until_watching(self) -> list[str]:
        assert self.process.stdout is not None
        lines = []
        for line in self.process.stdout:
            lines.append(line)
            if line.startswith("Watching "):
                if not any(x.startswith("Built in") for x in lines):
                    raise SystemExit("coursegen build --watch failed:\n" + "".join(lines))
                return lines
        raise SystemExit("coursegen build --watch stopped:\n" + "".join(lines))

    def rebuild(self, change: Callable[[], None]) -> float:
        """Seconds from the change to the published site."""
        time.sleep(2)  # the kernel it starts for the next build has started: a trainer saves less often
        start = time.perf_counter()
        change()
        self.until_watching()
        return time.perf_counter() - start

    def close(self) -> None:
        # SIGTERM stops a watch as Ctrl-C does; SIGINT would not stop one started with SIGINT
        # ignored (by a shell, for a command run in the background)
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)


def generator_time(course: Path, out: Path) -> dict[str, float]:
    """The generator's own stages, in this process, without Jupyter Book; as in a clean
    build, with an empty rebuild cache, which it fills."""
    from coursegen import notebooks, reuse
    from coursegen.assemble import write_book
    from coursegen.pipeline import prepare

    start = time.perf_counter()
    with reuse.reusing(out / reuse.FOLDER):
        _, books = prepare(course)
    prepared = time.perf_counter()
    saved = notebooks.write_all
    notebooks.write_all = lambda nbs, jobs=2: 0  # type: ignore[assignment]  # timed apart below
    try:
        for book in books:
            write_book(book, out / book.lang)
    finally:
        notebooks.write_all = saved  # type: ignore[assignment]
    written = time.perf_counter()
    for book in books:
        notebooks.write_all({out / book.lang / rel: nb for rel, nb in book.notebooks.items()})
    executed = time.perf_counter()
    return {"load_validate_render": prepared - start, "assemble": written - prepared, "notebooks": executed - written}


def scale(course: Path, factor: int) -> None:
    """Make the course `factor` times larger: every audience page and question copied."""
    toc = yaml.safe_load((course / "_toc.yml").read_text())
    for part in toc["parts"]:
        extra = []
        for chapter in part["chapters"]:
            key = chapter["file"]
            parts = key.split("/")
            if len(parts) != 3 or parts[1] in ("common", "trainer"):
                continue
            for n in range(1, factor):
                for lang in ("fr", "en"):
                    src = course / f"{key}.{lang}.md"
                    text = src.read_text("utf-8").replace("{{ quiz() }}", "")
                    (course / f"{key}-{n}.{lang}.md").write_text(text, "utf-8")
                extra.append({"file": f"{key}-{n}"})
        part["chapters"] += extra
    (course / "_toc.yml").write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False))
    for bank in (course / "quizzes").glob("*.yml"):
        items = yaml.safe_load(bank.read_text("utf-8"))["items"]
        copies = []
        for n in range(1, factor):
            for item in items:
                clone = json.loads(json.dumps(item))
                clone["id"] = f"{item['id']}-x{n}"
                for sub in clone.get("items", []):
                    sub["id"] = f"{sub['id']}-x{n}"
                copies.append(clone)
        bank.write_text(yaml.safe_dump({"items": items + copies}, allow_unicode=True, sort_keys=False), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip the 10x course")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of measures (default 3)")
    args = parser.parse_args()
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        course = copy_course(tmp / "course")
        out = tmp / "out"
        timed("build", str(course), "--out", str(out))  # the site that the rebuilds update
        bank = course / "quizzes" / "police.yml"
        edits = iter(range(1, 1000))

        def edit(langs: tuple[str, ...]) -> float:
            """Edit the same item's prompt in `langs` (a new text each time), and rebuild."""
            edit_item(bank, langs, next(edits))
            return timed("build", str(course), "--out", str(out))

        watched = copy_course(tmp / "watched")
        watching = Watching(watched, tmp / "watched-out")
        time.sleep(2)  # the kernel it starts for its next build has started
        watched_bank = watched / "quizzes" / "police.yml"

        # The machine is shared and its speed drifts within minutes. Each round measures
        # every build once, one right after the other, and each ratio is taken within its
        # round; the figures are the medians of the rounds (the seconds are their minimums).
        rounds: list[dict[str, float]] = []
        for r in range(args.rounds):
            # both languages, in parallel; and the same with the generator's work done twice
            # (first or second in turn: the machine's drift within the round cancels out)
            commands = {"full": None, "twice": TWICE}
            made = {
                name: timed("build", str(course), "--out", str(tmp / f"{name}{r}"), command=commands[name])
                for name in (("full", "twice") if r % 2 == 0 else ("twice", "full"))
            }
            full = made["full"]
            fr = timed("build", str(course), "--lang", "fr", "--out", str(tmp / f"seq{r}"))
            en = timed("build", str(course), "--lang", "en", "--out", str(tmp / f"seq{r}"))
            gen = generator_time(course, tmp / f"gen{r}")
            warm = generator_time(course, tmp / f"gen{r}")  # its rebuild cache now filled
            rounds.append(
                {
                    "full": full,
                    "sequential": fr + en,
                    "no_change": timed("build", str(course), "--out", str(out)),
                    "one_item": edit(("fr", "en")),  # both sites rebuilt
                    "one_language": edit(("fr",)),  # the English site left alone
                    "one_item_watch": watching.rebuild(lambda: edit_item(watched_bank, ("fr", "en"), next(edits))),
                    "generator": gen["load_validate_render"] + gen["assemble"],
                    "generator_warm": warm["load_validate_render"] + warm["assemble"],
                    "generator_cost": made["twice"] - full,
                    "notebooks": gen["notebooks"],
                }
            )
            time.sleep(2)  # the watch's next kernel has started
        watching.close()

        def best(name: str) -> float:
            return round(min(r[name] for r in rounds), 3)

        def ratio(name: str, to: str = "full") -> float:
            return round(statistics.median(r[name] / r[to] for r in rounds), 3)

        figures.update(
            rounds=len(rounds),
            seconds_per_round=[{name: round(value, 3) for name, value in r.items()} for r in rounds],
            full_build_s=best("full"),
            no_change_rebuild_s=best("no_change"),
            one_item_edit_s=best("one_item"),
            no_change_ratio=ratio("no_change"),
            one_item_ratio=ratio("one_item"),
            one_item_one_language_edit_s=best("one_language"),
            one_item_one_language_ratio=ratio("one_language"),
            one_item_watch_s=best("one_item_watch"),
            one_item_watch_ratio=ratio("one_item_watch"),
            generator_s=best("generator"),
            generator_share=ratio("generator"),
            generator_warm_s=best("generator_warm"),
            generator_warm_share=ratio("generator_warm"),
            generator_cost_s=round(statistics.median(r["generator_cost"] for r in rounds), 3),
            generator_cost_share=ratio("generator_cost"),
            notebook_execution_s=best("notebooks"),
            notebook_share=ratio("notebooks"),
            sequential_s=best("sequential"),
            parallel_s=best("full"),
            parallel_ratio=ratio("full", "sequential"),
        )
        if not args.quick:
            big = copy_course(tmp / "big")
            scale(big, 10)
            big_full = timed("build", str(big), "--out", str(tmp / "big-out"))
            base = timed("build", str(course), "--out", str(tmp / "base-out"))  # right before or after
            figures.update(scale_10x_build_s=round(big_full, 2), scale_ratio=round(big_full / base, 2))
        html = out / "en" / "_build" / "html"
        static = html / "_static"
        js, css = (static / "coursegen-quiz.js").read_bytes(), (static / "coursegen-quiz.css").read_bytes()
        pages = [p for p in html.rglob("*.html")]
        with_quiz = [p for p in pages if "cg-quiz-data" in p.read_text("utf-8")]
        with_script = [p for p in pages if "coursegen-quiz.js" in p.read_text("utf-8")]
        figures.update(
            quiz_js_bytes=len(js),
            quiz_css_bytes=len(css),
            quiz_assets_gzip_bytes=len(gzip.compress(js, 9)) + len(gzip.compress(css, 9)),
            pages=len(pages),
            pages_with_quiz=len(with_quiz),
            pages_loading_quiz_assets=len(with_script),
        )
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
