"""`coursegen serve`: the sites served to a room, compressed, with cache headers, nothing
hidden served, and the site last published read by each request."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from browser import browser, new_page, serve
from conftest import coursegen
from coursegen.serving import make_server

pytestmark = pytest.mark.slow  # the minimal course's site, built once per session

CSS = "fr/_build/html/_static/coursegen-quiz.css"
PAGE = "fr/_build/html/police/recognise.html"


def serving(folder: Path) -> Any:
    """`folder` served by `coursegen serve`'s server, on a free local port."""
    return serve(folder, make_server(folder, "127.0.0.1", 0))


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={k.replace("_", "-"): v for k, v in headers.items()})
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310 - a local server
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture
def site(minimal_site: Path, tmp_path: Path) -> Path:
    """A copy of the minimal site, safe to change."""
    copy = tmp_path / "out"
    shutil.copytree(minimal_site, copy, symlinks=True)
    return copy


def test_text_is_sent_compressed_and_static_files_may_be_kept(site: Path) -> None:
    """A browser that accepts gzip gets pages and styles compressed, the same bytes once
    decompressed; one that does not gets them as they are. The theme's and the quiz's files
    may be kept an hour; a page is asked again each time (a rebuild shows at once), and
    unchanged, it is not sent again."""
    with serving(site) as url:
        for rel, kept in ((CSS, "public, max-age=3600"), (PAGE, "no-cache")):
            raw = (site / rel).read_bytes()
            status, headers, body = fetch(f"{url}/{rel}", Accept_Encoding="gzip, deflate")
            assert status == 200 and headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == raw, rel
            assert (
                len(body) < len(raw) / 2 and headers["Cache-Control"] == kept and "Accept-Encoding" in headers["Vary"]
            )
            status, headers, body = fetch(f"{url}/{rel}")
            assert status == 200 and "Content-Encoding" not in headers and body == raw
            assert headers["Cache-Control"] == kept
            status, _, body = fetch(f"{url}/{rel}", Accept_Encoding="gzip", If_Modified_Since=headers["Last-Modified"])
            assert status == 304 and body == b""
            refused = fetch(f"{url}/{rel}", Accept_Encoding="gzip;q=0, identity")
            assert "Content-Encoding" not in refused[1] and refused[2] == raw


def test_a_rebuilt_file_is_served_anew(site: Path) -> None:
    """A file that a rebuild replaces is sent as it is now, not as it was compressed."""
    with serving(site) as url:
        before = gzip.decompress(fetch(f"{url}/{PAGE}", Accept_Encoding="gzip")[2])
        page = (site / PAGE).resolve()
        new = page.with_name(".new.html")
        new.write_bytes(before.replace(b"</body>", b"<p>rebuilt</p></body>"))
        os.replace(new, page)
        after = gzip.decompress(fetch(f"{url}/{PAGE}", Accept_Encoding="gzip")[2])
        assert after != before and b"<p>rebuilt</p>" in after


def test_the_home_offers_each_language_and_nothing_else_is_listed_or_hidden_served(site: Path) -> None:
    """`/` links to each language's site (French first); a folder is never listed, and
    nothing hidden is served (Jupyter Book's working copy, `.work/`). Control: the
    working copy is there, and `http.server` would have served it."""
    assert (site / "fr" / ".work").is_dir()
    with serving(site) as url:
        status, headers, body = fetch(f"{url}/")
        links = re.findall(rb'<a href="([^"]+)"', body)
        assert status == 200 and links == [b"fr/_build/html/index.html", b"en/_build/html/index.html"]
        assert b'<link rel="icon" href="data:,">' in body  # the browser asks for no /favicon.ico
        assert all(fetch(f"{url}/{link.decode()}")[0] == 200 for link in links)
        hidden = ["fr/.work/", "fr/.coursegen-book.json", "fr/_build/", "fr/%2Ework/", "fr/_config.yml"]
        hidden += ["fr/_build/build.log", "fr/police/recognise.md", "fr/_build/site-1/index.html"]
        hidden += ["fr/_build/html/../../_config.yml", "fr/_build/html/%2e%2e/%2E%2E/_config.yml"]  # out of the site
        hidden += [f"fr/_build/{p.name}/index.html" for p in (site / "fr" / "_build").glob("site-*")]
        for path in hidden:
            assert fetch(f"{url}/{path}")[0] == 404, path
        # an address that leads nowhere: said in both languages, with the way back home
        status, headers, body = fetch(f"{url}/fr/_build/html/police/nowhere.html")
        page = body.decode("utf-8")
        assert status == 404 and headers["Content-Type"].startswith("text/html"), headers
        assert "Page introuvable" in page and "Page not found" in page and page.count('<a href="/"') == 2, page
        assert "Error response" not in page
        assert fetch(f"{url}/fr/_build/html/index.html")[0] == 200  # the next request is answered as before
        request = urllib.request.Request(f"{url}/fr/", method="POST")  # another error keeps Python's words
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(request)  # noqa: S310 - a local server
        assert error.value.code == 501 and b"Page introuvable" not in error.value.read()
        assert (site / "fr" / "_config.yml").is_file() and (site / "fr" / "police" / "recognise.md").is_file()
        assert fetch(f"{url}/fr/_build/html")[0] == 200  # redirected to the folder's index.html
        for short in ("fr", "fr/", "en/", "en/?q=victims"):  # the address a trainee types: the language's home
            with urllib.request.urlopen(f"{url}/{short}") as response:  # noqa: S310 - a local server
                query = short.partition("?")[2]
                assert response.status == 200 and response.url == f"{url}/{short[:2]}/_build/html/" + (
                    f"?{query}" if query else ""
                ), short
                assert f'<html lang="{short[:2]}"' in response.read().decode("utf-8"), short
        assert fetch(f"{url}/de/")[0] == 404  # no such language: not found, as before
        with urllib.request.urlopen(f"{url}/fr/police/recognise.html") as response:  # noqa: S310 - a page's short address
            assert response.url == f"{url}/fr/_build/html/police/recognise.html" and response.status == 200
        assert fetch(f"{url}/fr/police/nowhere.html")[0] == 404 and fetch(f"{url}/fr/police.md")[0] == 404


def test_the_command_serves_until_ctrl_c_and_says_what_it_cannot(site: Path, tmp_path: Path) -> None:
    """`coursegen serve` prints where trainees go, serves, and stops on Ctrl-C without a
    traceback; a folder without a built site is a usage error."""
    command = [
        str(Path(sys.executable).with_name("coursegen")),
        "serve",
        str(site),
        "--port",
        "0",
        "--bind",
        "127.0.0.1",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Serving ") and "Ctrl-C" in first, first
        home = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", home), home
        assert fetch(home)[0] == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0 and "Traceback" not in err and "stopped" in err, err
    result = coursegen("serve", str(site / "fr"))  # one language's book: its links to the other would break
    assert result.returncode == 2 and "serve the output folder that holds the languages" in result.stderr
    result = coursegen("serve", str(tmp_path / "nothing"))
    assert result.returncode == 2 and "no such folder" in result.stderr and "Traceback" not in result.stderr
    (tmp_path / "empty").mkdir()
    result = coursegen("serve", str(tmp_path / "empty"))
    assert result.returncode == 2 and "no site built in it" in result.stderr
    result = coursegen("serve", str(site), "--bind", "999.1.1.1")  # the address is what is wrong, not the port
    assert result.returncode == 2 and "cannot serve on the address '999.1.1.1'" in result.stderr, result.stderr
    assert "--port" not in result.stderr and "Traceback" not in result.stderr


def test_a_page_served_so_works_offline_in_a_browser(site: Path) -> None:
    """Chromium, every off-site request blocked: the French quiz page served by `coursegen
    serve` loads compressed, its quiz answers, and nothing is asked of the network."""
    offsite: list[str] = []
    with browser() as b, serving(site) as url:
        page = new_page(b, offsite)
        encodings: dict[str, str] = {}
        page.on("response", lambda r: encodings.__setitem__(r.url.split("?")[0], r.headers.get("content-encoding", "")))
        page.goto(f"{url}/{PAGE}")
        page.click("#cgq-t-single button.cg-check")
        assert page.locator("#cgq-t-single .cg-fb").inner_text() != ""
        assert not page.js_errors  # type: ignore[attr-defined]
        assert encodings[f"{url}/{PAGE}"] == "gzip" and encodings[f"{url}/{CSS}"] == "gzip"
    assert offsite == []


def test_a_one_language_home_and_a_phone_that_leaves_say_nothing_odd(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A French-only course's home says "Cours" in French only; a phone that cuts its
    connection mid-answer prints nothing (Python's server printed a traceback each time),
    while another error is still told."""
    shutil.rmtree(site / "en")
    with serving(site) as url:
        body = fetch(f"{url}/")[2].decode()
    assert '<html lang="fr">' in body and "<h1>Cours</h1>" in body and "Course" not in body and "English" not in body
    server = make_server(site, "127.0.0.1", 0)
    try:
        for error, told in (
            (ConnectionResetError(104, "reset"), False),
            (BrokenPipeError(), False),
            (ValueError("x"), True),
        ):
            try:
                raise error
            except Exception:  # noqa: BLE001 - as socketserver calls handle_error, inside its except
                server.handle_error(None, ("127.0.0.1", 1))
            assert ("Traceback" in capsys.readouterr().err) is told, error
    finally:
        server.server_close()


def test_a_quiz_notebook_downloads_under_its_quizs_own_name(site: Path) -> None:
    """The notebook page's link downloads the notebook as `quiz-<quiz>-<lang>.ipynb`: the
    header's button gives every quiz's notebook the same name (`quiz-notebook.ipynb`), and a
    trainee who took two got `quiz-notebook (1).ipynb`. Control: the button's file name."""
    notebook_page = "fr/_build/html/police/quiz-notebook.html"
    with browser() as b, serving(site) as url:
        page = new_page(b, [], accept_downloads=True)
        page.goto(f"{url}/{notebook_page}")
        with page.expect_download() as download:
            page.click("a.cg-notebook-download")
        saved = Path(download.value.path()).read_bytes()  # gone once the browser closes
        assert download.value.suggested_filename == "quiz-police-fr.ipynb"
        button = page.get_attribute("a.btn-download-source-button", "href") or ""
        assert button.endswith("/quiz-notebook.ipynb")
    assert json.loads(saved)["nbformat"] == 4
    assert saved == (site / "fr" / "_build" / "html" / "_sources" / "police" / "quiz-notebook.ipynb").read_bytes()


def test_a_quiz_notebook_downloads_from_a_file_too(site: Path) -> None:
    """Opened from a file (the course copied onto a laptop), Chromium ignores a link's
    `download` and showed the notebook's text, which a trainee saved as
    `quiz-notebook.ipynb`, the name of every quiz's notebook. The link now saves the same
    bytes under the quiz's own name. Control: without the script beside the notebook, the
    click shows the file's text again (the test sees the difference)."""
    html_root = site / "en" / "_build" / "html"
    source = html_root / "_sources" / "police" / "quiz-notebook.ipynb"
    notebook_page = (html_root / "police" / "quiz-notebook.html").resolve().as_uri()
    with browser() as b:
        page = new_page(b, [], accept_downloads=True)
        page.goto(notebook_page)
        with page.expect_download() as download:
            page.click("a.cg-notebook-download")
        assert download.value.suggested_filename == "quiz-police-en.ipynb"
        assert Path(download.value.path()).read_bytes() == source.read_bytes()
        assert page.url == notebook_page and not page.js_errors  # type: ignore[attr-defined]
        script = source.with_name(source.name + ".js")
        script.resolve().unlink()  # in the copy of the site: the session's stays as it was
        page.click("a.cg-notebook-download")
        page.wait_for_url("**/quiz-notebook.ipynb")
