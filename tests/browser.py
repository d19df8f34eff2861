"""Headless Chromium for the tests: Debian's /usr/bin/chromium driven by Playwright (never
`playwright install`), with every off-site request blocked and recorded."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The grader must work where crypto.subtle does not exist (http:// on a workshop LAN is
# not a secure context); the tests take it away on every page.
NO_SUBTLE = "Object.defineProperty(window.crypto, 'subtle', {value: undefined, configurable: true});"


@contextmanager
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@contextmanager
def serve(folder: Path, server: http.server.ThreadingHTTPServer | None = None) -> Iterator[str]:
    """Serve `folder` over plain HTTP on a free local port (with `server`, one already
    bound: `coursegen serve`'s)."""
    if server is None:
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder))
        )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def new_page(b: Browser, offsite: list[str], **context: Any) -> Page:
    """A page in a fresh context, with crypto.subtle removed and off-site requests
    aborted and recorded in `offsite`."""
    ctx = b.new_context(**context)
    ctx.add_init_script(NO_SUBTLE)

    def route(r: Any) -> None:
        url = r.request.url
        parts = urllib.parse.urlsplit(url)
        # this machine's server only: not a host named 127.0.0.1.example.com
        if parts.scheme in ("file", "data", "blob") or (parts.scheme == "http" and parts.hostname == "127.0.0.1"):
            r.continue_()
        else:
            offsite.append(url)
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # what a script reports as an error without raising it (the theme's "invalid theme mode")
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.js_errors = errors  # type: ignore[attr-defined]
    missing: list[str] = []  # what the site was asked for and does not have
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    page.missing = missing  # type: ignore[attr-defined]
    return page


def answer(page: Page, item: str, kind: str, response: Any) -> None:
    """Set the page's controls to `response`, the way a trainee would."""
    base = f"#cgq-{item}"
    if kind == "single" and response is not None:
        page.click(f"{base}--{response}")
    elif kind == "multiple":
        for option in response:
            page.click(f"{base}--{option}")
    elif kind == "match":
        for pair, choice in response.items():
            page.select_option(f"{base}--{pair}", choice)
    elif kind == "order":
        for position, step in enumerate(response, 1):
            page.select_option(f"{base}--{step}", str(position))
    elif kind in ("short", "numeric"):
        page.fill(f"{base}--answer", str(response))


def verdict(page: Page, item: str) -> str:
    return page.inner_text(f"#cgq-{item}--fb .cg-verdict")
