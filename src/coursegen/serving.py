"""`coursegen serve`: the output folder's sites, served to a room (trainees' phones on the
same network), as Python's `http.server` serves them, and with what a slow connection needs:

- text files (pages, styles, scripts, the search index) are sent compressed (gzip) to a
  browser that accepts it: a first visit to a page weighs about a third as much (the
  theme's style sheet, 397 KB, is 65 KB compressed), which `python3 -m http.server` does
  not do;
- the theme's and the quiz's files (`_static/`) may be kept an hour by the browser, which
  asks again for a page only if it changed (a rebuild publishes new pages at once);
- `/` offers the languages built; nothing else is listed, and nothing hidden is served
  (`.work/`, Jupyter Book's working copy).

Each request reads the site last published: a rebuild while serving needs no restart.
Compressed files are kept in memory by the identity of the file (its inode, size and time),
so a file that a rebuild replaces is compressed anew.
"""

from __future__ import annotations

import contextlib
import email.utils
import errno
import gzip
import html
import io
import os
import re
import socket
import sys
import threading
from collections import OrderedDict
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from .errors import UsageError, display_path

COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")
SMALLEST = 1024  # bytes: below, compressing saves less than it costs
STATIC_SECONDS = 3600
CACHE_BYTES = 32 * 1024 * 1024  # compressed files kept in memory, at most
LANGUAGES = {"fr": "Français", "en": "English"}


class _Compressed:
    """Compressed files by the identity of the file they were made from, least recently
    used dropped first; shared by the server's threads."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit = limit
        self.kept: OrderedDict[tuple[int, int, int, int], bytes] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, path: str, stat: os.stat_result) -> bytes:
        key = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
        with self.lock:
            if key in self.kept:
                self.kept.move_to_end(key)
                return self.kept[key]
        with open(path, "rb") as source:
            data = gzip.compress(source.read(), compresslevel=6, mtime=0)
        with self.lock:
            if key not in self.kept:
                self.kept[key] = data
                self.size += len(data)
            while self.size > self.limit and len(self.kept) > 1:
                _, dropped = self.kept.popitem(last=False)
                self.size -= len(dropped)
        return data


def languages_built(root: Path) -> list[str]:
    """The languages whose site is published in the output folder `root`."""
    return [
        entry.name
        for entry in sorted(
            root.iterdir(), key=lambda p: (list(LANGUAGES).index(p.name) if p.name in LANGUAGES else 9, p.name)
        )
        if entry.is_dir() and not entry.name.startswith(".") and (entry / "_build" / "html" / "index.html").is_file()
    ]


COURSE_WORD = {"fr": "Cours", "en": "Course"}


def _home(root: Path) -> bytes:
    """`/`: a link to each language's site, in the languages built ("Cours" alone for a
    French-only course)."""
    built = languages_built(root)
    links = "".join(
        f'<li><a href="{lang}/_build/html/index.html" hreflang="{lang}" lang="{lang}">'
        f"{html.escape(LANGUAGES.get(lang, lang))}</a></li>"
        for lang in built
    )
    first = built[0] if built else "fr"
    title = " / ".join(
        f'<span lang="{lang}">{COURSE_WORD[lang]}</span>' if lang != first else COURSE_WORD[lang]
        for lang in built
        if lang in COURSE_WORD
    ) or COURSE_WORD.get(first, "Course")
    page = (
        f'<!doctype html><html lang="{first}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'  # no icon: the browser asks for none (/favicon.ico)
        f"<title>{html.unescape(re.sub('<[^>]+>', '', title))}</title>"
        "<style>body{font-family:sans-serif;margin:2rem auto;max-width:30rem;padding:0 1rem;font-size:1.25rem}"
        "a{display:block;padding:.75rem 0}</style></head>"
        f"<body><main><h1>{title}</h1><ul>{links}</ul></main></body></html>"
    )
    return page.encode("utf-8")


# What a trainee sees at an address that leads to no page (a link typed wrong, a page of a
# part this edition does not hold): in both languages, with the way back to the course,
# instead of Python's "Error response" in English. `%` formatting, as http.server fills it.
NOT_FOUND_PAGE = (
    '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    '<link rel="icon" href="data:,">'
    "<title>Page introuvable / Page not found</title>"
    "<style>body{font-family:sans-serif;margin:2rem auto;max-width:30rem;padding:0 1rem;font-size:1.25rem}"
    "</style></head><body><main>"
    '<h1>Page introuvable <span lang="en">/ Page not found</span></h1>'
    "<p>Cette adresse ne mène à aucune page du cours.</p>"
    '<p lang="en">This address leads to no page of the course.</p>'
    '<p><a href="/">Accueil du cours</a> / <a href="/" lang="en">Course home</a></p>'
    "</main></body></html>\n"
)


class Handler(SimpleHTTPRequestHandler):
    """Python's static file handler, with compression, cache headers, a home page, no
    listings and nothing hidden served."""

    compressed: _Compressed
    server_version = "coursegen"
    protocol_version = "HTTP/1.1"  # one connection for a page's files: each new one costs a phone a round trip
    timeout = 30  # seconds a connection may stay idle: a phone gone from the Wi-Fi leaves no thread waiting

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # a room of phones makes hundreds of requests: nothing to read in them

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Python's own error page, but for "not found": a page in the course's words."""
        if code != HTTPStatus.NOT_FOUND:
            super().send_error(code, message, explain)
            return
        self.error_message_format = NOT_FOUND_PAGE
        try:
            super().send_error(code, message, explain)
        finally:  # this request's only: the connection's next error has Python's own words
            del self.error_message_format

    def _hidden(self) -> bool:
        """Anything but a language's published site (`/fr/_build/html/…`) and the home: not
        Jupyter Book's working copy, its log (the trainer's paths), the site before the last
        rebuild, nor the generated sources."""
        parts = unquote(urlsplit(self.path).path).split("/")
        if any(part.startswith(".") for part in parts if part != "."):  # `..` too: `/fr/_build/html/../../x`
            return True
        inside = [part for part in parts if part]
        if len(inside) == 1:  # a language's folder (redirected to its site), or nothing
            return not (Path(self.directory) / inside[0]).is_dir()
        return bool(inside) and inside[1:3] != ["_build", "html"]

    def _shortened(self) -> str | None:
        """Where a short address a trainee types leads: `/fr/` to the French site's home,
        `/fr/common/quiz.html` to its page (a trainer reads it out); None for any other."""
        split = urlsplit(self.path)
        parts = unquote(split.path).split("/")
        inside = [part for part in parts if part]
        if not inside or any(part.startswith(".") for part in parts if part != "."):
            return None
        site = Path(self.directory) / inside[0] / "_build" / "html"
        if not (site / "index.html").is_file() or inside[1:2] == ["_build"]:
            return None
        rest = inside[1:]
        if rest and not site.joinpath(*rest).is_file():
            return None
        query = f"?{split.query}" if split.query else ""
        return (
            "/" + "/".join(quote(part) for part in [inside[0], "_build", "html", *rest]) + ("" if rest else "/") + query
        )

    def send_head(self) -> io.BytesIO | Any | None:  # type: ignore[override]
        shortened = self._shortened()
        if shortened is not None:  # "not found" before
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", shortened)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if self._hidden():
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        if urlsplit(self.path).path in ("", "/"):
            body = _home(Path(self.directory))
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            return io.BytesIO(body)
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            index = os.path.join(path, "index.html")
            if not self.path.endswith("/") or not os.path.isfile(index):
                return super().send_head()  # the redirection to "…/", or not found (below)
            path = index
        kind = self.guess_type(path)
        try:
            stat = os.stat(path)
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        accepts = _accepts_gzip(self.headers.get("Accept-Encoding", ""))
        if not (accepts and stat.st_size >= SMALLEST and kind.startswith(COMPRESSED_TYPES)):
            return super().send_head()
        since = self.headers.get("If-Modified-Since")
        if since and "If-None-Match" not in self.headers:
            with contextlib.suppress(TypeError, ValueError, IndexError, OverflowError):
                if int(stat.st_mtime) <= email.utils.parsedate_to_datetime(since).timestamp():
                    self.send_response(HTTPStatus.NOT_MODIFIED)
                    self._cache_headers()
                    self.end_headers()
                    return None
        try:
            data = self.compressed.get(path, stat)
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind + ("; charset=utf-8" if kind.startswith("text/") else ""))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self._cache_headers()
        self.end_headers()
        return io.BytesIO(data)

    def end_headers(self) -> None:
        given = getattr(self, "_headers_buffer", [])  # the headers said so far (http.server's own list)
        if not any(line.startswith(b"Cache-Control:") for line in given):
            self._cache_headers()
        super().end_headers()

    def _cache_headers(self) -> None:
        if "/_static/" in urlsplit(self.path).path:
            self.send_header("Cache-Control", f"public, max-age={STATIC_SECONDS}")
        else:
            self.send_header("Cache-Control", "no-cache")  # asked again each time: a rebuild shows at once
        self.send_header("Vary", "Accept-Encoding")

    def list_directory(self, path: str | os.PathLike[str]) -> io.BytesIO | None:
        self.send_error(HTTPStatus.NOT_FOUND, "File not found")  # no listings (the folder's files)
        return None


def _accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header takes gzip (`gzip`, `gzip;q=0.5`, `*`; not `gzip;q=0`)."""
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            q = params.strip().lower()
            with contextlib.suppress(ValueError):
                if q.startswith("q=") and float(q[2:]) == 0:
                    return False
            return True
    return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A phone that leaves (its screen locked, out of the Wi-Fi) cuts its connection
        mid-answer: nothing to say of it (Python's server printed a traceback each time)."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


def make_server(root: Path, bind: str = "", port: int = 8000) -> ThreadingHTTPServer:
    handler = partial(Handler, directory=str(root))
    Handler.compressed = _Compressed()
    return _Server((bind, port), handler)


def addresses() -> list[str]:
    """This machine's addresses on its networks (IPv4), that phones in the room can reach."""
    found: set[str] = set()
    with contextlib.suppress(OSError):
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(str(info[4][0]))
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.254.254.254", 1))  # no packet is sent: it only picks the way out
        found.add(probe.getsockname()[0])
    outside = sorted(a for a in found if not a.startswith("127."))
    return outside or ["127.0.0.1"]


def output_of(given: Path) -> Path:
    """The output folder to serve: `given`, or the `build/` folder of a course folder."""
    if (given / "_build" / "html" / "index.html").is_file():  # one language's book
        raise UsageError(
            f"{display_path(given)}: one language's book: serve the output folder that holds the languages "
            f"(coursegen serve {display_path(given.parent)})"
        )
    root = given / "build" if (given / "_config.yml").is_file() else given
    if not root.is_dir():
        raise UsageError(f"{display_path(root)}: no such folder (build the course first: coursegen build)")
    if not languages_built(root):
        raise UsageError(f"{display_path(root)}: no site built in it (build the course first: coursegen build)")
    return root


def run(given: Path, port: int, bind: str) -> int:
    root = output_of(given)
    try:
        server = make_server(root, bind, port)
    except OSError as exc:
        if isinstance(exc, socket.gaierror) or exc.errno == errno.EADDRNOTAVAIL:  # `--bind 999.1.1.1`
            raise UsageError(
                f"cannot serve on the address '{bind}': {exc.strerror or exc} (give one of this machine's "
                "addresses with --bind, or leave --bind out: every network it is on)"
            ) from None
        raise UsageError(f"cannot serve on port {port}: {exc.strerror or exc} (choose another with --port)") from None
    port = server.server_address[1]
    hosts = [bind] if bind not in ("", "0.0.0.0") else addresses()  # noqa: S104 - every network, as meant
    print(f"Serving {display_path(root)} on port {port} (Ctrl-C to stop). Trainees open:", flush=True)
    for host in hosts:
        print(f"  http://{host}:{port}/", flush=True)
    for lang in languages_built(root):
        print(f"  {lang}: http://{hosts[0]}:{port}/{lang}/_build/html/", flush=True)
    guides = [lang for lang in languages_built(root) if (root / lang / "_build" / "html" / "trainer").is_dir()]
    if guides:  # built with --edition trainer: the trainer's guide would be read by the room
        print(
            f"note: the {', '.join(guides)} site{'s hold' if len(guides) > 1 else ' holds'} the trainer's guide "
            "(built with --edition trainer): build the learner's edition to serve trainees",
            flush=True,
        )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        server.server_close()
    return 0
