"""What a rebuild takes from the build before it, in this user's cache folder
(`$XDG_CACHE_HOME/coursegen/reuse/<name of the output folder's path>/`, see `folder_for`):

    loaded.pickle          the course files parsed and checked (see loading._load_checked)
    templates-<version>/   the page templates compiled (Jinja's bytecode, one file each)
    output                 the output folder's path (a cache whose folder is gone is removed)

Never in the output folder: a trainer serves it to the room (with a listing of what it
holds), and the course files as read hold every question's key. A build into an output
folder that holds no earlier build starts with an empty cache, as a clean build should.
Only `coursegen build` keeps a cache (`reusing`); every other command reads and compiles
everything. Both hold code or pickles, and a build folder can arrive with a course folder
that someone else prepared: every file is signed with a key that only this user can read
(`$XDG_CACHE_HOME/coursegen/signing-key`, made on first use), and a file whose signature
does not match is never loaded. A cache that is missing, damaged or not ours is an empty
one; a cache never stops a build.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import os
import pickle
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

import jinja2

from .errors import shown

FOLDER = ".coursegen-cache"  # where the cache was kept before, in the output folder: removed
OUTPUT = "output"
LOADED = "loaded.pickle"
_SIGNATURE = 32  # bytes of HMAC-SHA256 in front of every cached file


def key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "coursegen" / "signing-key"


@cache
def _secret() -> bytes | None:
    """This user's signing key; None (no cache) when it cannot be made or read."""
    try:
        path = key_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as out:
                out.write(os.urandom(32))
        secret = path.read_bytes()
    except (OSError, RuntimeError):  # RuntimeError: no home folder to keep the key in
        return None
    return secret if len(secret) == 32 else None


def _signed(secret: bytes, data: bytes) -> bytes:
    return hmac.digest(secret, data, "sha256") + data


def _verified(secret: bytes, blob: bytes) -> bytes | None:
    signature, data = blob[:_SIGNATURE], blob[_SIGNATURE:]
    return data if hmac.compare_digest(signature, hmac.digest(secret, data, "sha256")) else None


def _write(path: Path, blob: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, path)
    except OSError:
        pass


class Reuse:
    """One build's cache: what the last build left (`old`, by key) and what this one uses
    (`new`, which is what the next build will find)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.secret = _secret()
        self.old: dict[str, bytes] = self._read_loaded()
        self.new: dict[str, bytes] = {}

    def _read_loaded(self) -> dict[str, bytes]:
        if self.secret is None:
            return {}
        try:
            data = _verified(self.secret, (self.folder / LOADED).read_bytes())
            found = pickle.loads(data) if data is not None else None  # noqa: S301 - signed by us
        except Exception:  # noqa: BLE001 - missing, damaged, from another version: start afresh
            return {}
        return found if isinstance(found, dict) else {}

    def templates(self) -> jinja2.BytecodeCache | None:
        return signed_bytecode_cache(self.folder / f"templates-{_templates_version()}")

    def save(self) -> None:
        if self.secret is None:
            return
        if self.new != self.old:
            _write(self.folder / LOADED, _signed(self.secret, pickle.dumps(self.new, pickle.HIGHEST_PROTOCOL)))
        for old in self.folder.glob("templates-*"):  # compiled by another coursegen or Jinja
            if old.name != f"templates-{_templates_version()}":
                shutil.rmtree(old, ignore_errors=True)


@cache
def _templates_version() -> str:
    """Compiled templates depend on Jinja and on how render.py configures it."""
    source = (Path(__file__).parent / "render.py").read_bytes()
    return hashlib.sha256(jinja2.__version__.encode() + source).hexdigest()[:16]


class _SignedBytecodeCache(jinja2.BytecodeCache):
    """Jinja's bytecode cache (its documented extension point), one signed file per
    template: compiled code is loaded only if this user's coursegen wrote it."""

    def __init__(self, folder: Path, secret: bytes) -> None:
        self.folder = folder
        self.secret = secret

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """Jinja's key, for a page in a folder whose name is not UTF-8 too (Python holds
        such a name's bytes as lone surrogates, which Jinja's own encoding refuses)."""
        return super().get_cache_key(shown(name), None if filename is None else shown(filename))

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            blob = self._path(bucket).read_bytes()
        except OSError:
            return
        data = _verified(self.secret, blob)
        if data is not None:
            bucket.bytecode_from_string(data)  # Jinja checks its own version and the source's checksum

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        _write(self._path(bucket), _signed(self.secret, bucket.bytecode_to_string()))


def signed_bytecode_cache(folder: Path) -> jinja2.BytecodeCache | None:
    """Jinja's bytecode cache in `folder`, signed with this user's key (None: no key, no
    cache). Also used for the theme's templates in Jupyter Book's runs (sphinxext.py)."""
    secret = _secret()
    return _SignedBytecodeCache(folder, secret) if secret is not None else None


RECENT = 600
"""Seconds during which the cache of an output folder that does not exist is kept all the
same (see `folder_for`)."""


def output_key(out: Path) -> str:
    """The name of what belongs to the output folder `out` in the user's cache folder: its
    rebuild cache (reuse/NAME) and its build lock (locks/NAME.lock, see
    publish.one_build_at_a_time), which goes with the cache."""
    return hashlib.sha256(str(out.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:24]


def _remove_lock(path: Path) -> None:
    """The lock file of an output folder that is gone (publish.one_build_at_a_time names it
    as its cache folder), unless a build holds it: one was left for each output folder
    ever built."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        path.unlink(missing_ok=True)
    except OSError:  # held (BlockingIOError): in use
        pass
    finally:
        os.close(fd)


def folder_for(out: Path, fresh: bool) -> Path:
    """The rebuild cache of the output folder `out`, emptied when the build is `fresh` (no
    earlier build in `out`). Caches of output folders that are gone are removed, and so is
    the cache that earlier versions kept in `out` itself."""
    shutil.rmtree(out / FOLDER, ignore_errors=True)
    where = str(out.resolve())
    try:
        root = key_file().parent / "reuse"
    except RuntimeError:  # no home folder: no key either, so no cache is kept (see Reuse.save)
        return out / FOLDER
    folder = root / output_key(out)
    if fresh:
        shutil.rmtree(folder, ignore_errors=True)
    with contextlib.suppress(OSError):
        for other in root.iterdir():
            try:
                # one used within the last minutes may be a build's that has not made its
                # output folder yet (it is made once the course is read), or its own record
                if time.time() - other.stat().st_mtime < RECENT:
                    continue
                gone = not Path((other / OUTPUT).read_text("utf-8", "surrogateescape")).is_dir()
            except OSError:
                gone = True
            if other != folder and gone:
                shutil.rmtree(other, ignore_errors=True)
                _remove_lock(root.parent / "locks" / f"{other.name}.lock")
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / OUTPUT).write_text(where, "utf-8", "surrogateescape")
    return folder


_ACTIVE: ContextVar[Reuse | None] = ContextVar("coursegen_reuse", default=None)


def active() -> Reuse | None:
    """The cache of the build in progress, if it keeps one."""
    return _ACTIVE.get()


@contextmanager
def reusing(folder: Path) -> Iterator[Reuse]:
    """Within this block, loading and rendering reuse what the last build that used the
    cache `folder` left there; this build's is kept for the next one."""
    reuse = Reuse(folder)
    token = _ACTIVE.set(reuse)
    try:
        yield reuse
    finally:
        _ACTIVE.reset(token)
    reuse.save()
