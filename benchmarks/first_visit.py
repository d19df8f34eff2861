"""What a phone downloads on its first visit to the default course, run by hand (not part of
the test suite): prints one JSON object.

    .venv/bin/python benchmarks/first_visit.py

Builds the default course into a temporary folder, then opens its French home page and a
quiz page in headless Chromium (360 px wide, an empty cache), served by `coursegen serve`
and by Python's `http.server`, and sums the bytes received (bodies as sent and headers).
"""

from __future__ import annotations

import functools
import http.server
import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import browser, new_page  # noqa: E402 - the tests' Chromium (Debian's, offline)
from coursegen.serving import make_server  # noqa: E402

PAGES = {"home": "fr/_build/html/index.html", "quiz_page": "fr/_build/html/labour-inspectors/refer.html"}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def weigh(server: http.server.ThreadingHTTPServer) -> dict[str, dict[str, int]]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    out = {}
    try:
        with browser() as b:
            for name, rel in PAGES.items():
                page = new_page(b, [], viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
                done: list[Any] = []
                page.on("requestfinished", lambda request, done=done: done.append(request))
                page.goto(f"{url}/{rel}")
                page.wait_for_load_state("networkidle")
                sizes = [r.sizes() for r in done]
                total = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)
                out[name] = {"requests": len(done), "kib": round(total / 1024)}
    finally:
        server.shutdown()
        server.server_close()
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "out"
        coursegen = str(Path(sys.executable).with_name("coursegen"))
        subprocess.run([coursegen, "build", str(ROOT), "--out", str(site)], check=True, capture_output=True)
        served = weigh(make_server(site, "127.0.0.1", 0))
        plain = weigh(http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site))))
    figures = {
        "coursegen_serve": served,
        "python_http_server": plain,
        "ratio": {name: round(served[name]["kib"] / plain[name]["kib"], 2) for name in PAGES},
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
